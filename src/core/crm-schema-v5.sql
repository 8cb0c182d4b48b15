-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 5: the search index's leaves fit in one page.
--
-- FTS5 writes leaves of up to 4,050 bytes. An encrypted page keeps 80 of its
-- 4,096 bytes for its IV and HMAC, so nearly every leaf spilled 3.5 kB into
-- an overflow page, and a search read and decrypted two pages for each one
-- it needed. Leaves of 3,900 bytes fit whole, with room for the record
-- around them. The segments written before are merged into new ones as the
-- index is written to.
INSERT INTO contact_fts (contact_fts, rank) VALUES ('pgsz', 3900);
