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
