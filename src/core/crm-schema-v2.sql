-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 2: saved segments of the contact and company lists.

-- A segment is a named filter plus search text, shown in the sidebar with
-- its live count. The filter is a JSON object that crm-filter.c reads and
-- writes; unknown keys are kept and ignored.
CREATE TABLE segment (
  id       INTEGER PRIMARY KEY,
  entity   TEXT NOT NULL DEFAULT 'contact' CHECK (entity IN ('contact', 'company')),
  name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
  query    TEXT NOT NULL DEFAULT '',
  filter   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(filter)),
  position INTEGER NOT NULL DEFAULT 0,
  created  INTEGER NOT NULL DEFAULT (unixepoch()),
  updated  INTEGER NOT NULL DEFAULT (unixepoch())
);

-- A contact's primary email and phone also live in its row, so a list row or
-- a search result reads one page instead of three. Triggers keep them
-- current; a bulk insert (crm_deferred()) writes them with the row.
ALTER TABLE contact ADD COLUMN primary_email TEXT;
ALTER TABLE contact ADD COLUMN primary_phone TEXT;

UPDATE contact SET
  primary_email = (SELECT e.email FROM contact_email e WHERE e.contact_id = contact.id
                    ORDER BY e.is_primary DESC, e.id LIMIT 1),
  primary_phone = (SELECT p.e164 FROM contact_phone p WHERE p.contact_id = contact.id
                    ORDER BY p.is_primary DESC, p.id LIMIT 1);

-- Most contacts have no company, stage, status or interaction yet when they
-- are imported: leave those out of the indexes instead of writing a NULL
-- entry for each. Lookups by value use the partial indexes all the same.
DROP INDEX contact_company;
DROP INDEX contact_lifecycle;
DROP INDEX contact_lead_status;
DROP INDEX contact_last_interaction;
CREATE INDEX contact_company ON contact (company_id) WHERE company_id IS NOT NULL;
CREATE INDEX contact_lifecycle ON contact (lifecycle_stage_id) WHERE lifecycle_stage_id IS NOT NULL;
CREATE INDEX contact_lead_status ON contact (lead_status_id) WHERE lead_status_id IS NOT NULL;
CREATE INDEX contact_last_interaction ON contact (last_interaction) WHERE last_interaction IS NOT NULL;

-- The name column of the search index held the display name and again each
-- name part; the parts are only added when the display name lacks them.
DROP VIEW contact_fts_source;
CREATE VIEW contact_fts_source (id, name, emails, phones, company, tags) AS
SELECT c.id,
       crm_name_text(c.display_name, c.given_name, c.middle_name, c.family_name),
       (SELECT group_concat(crm_fold(e.email), ' ') FROM contact_email e WHERE e.contact_id = c.id),
       (SELECT group_concat(crm_phone_digits(p.e164), ' ') FROM contact_phone p WHERE p.contact_id = c.id),
       (SELECT crm_fold(co.name) FROM company co WHERE co.id = c.company_id),
       (SELECT group_concat(crm_fold(t.name), ' ')
          FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = c.id)
  FROM contact c;

DROP TABLE contact_fts;
CREATE VIRTUAL TABLE contact_fts USING fts5 (
  name, emails, phones, company, tags,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'
);
INSERT INTO contact_fts (rowid, name, emails, phones, company, tags)
  SELECT * FROM contact_fts_source;

-- Filters by owner or source start from these when they keep few contacts.
CREATE INDEX contact_owner ON contact (owner) WHERE owner IS NOT NULL;
CREATE INDEX contact_source ON contact (source) WHERE source IS NOT NULL;
