-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 1. Times are UTC seconds; dates are YYYY-MM-DD text; money
-- is an integer in the currency's minor units with its ISO 4217 code.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE lifecycle_stage (
  id       INTEGER PRIMARY KEY,
  key      TEXT NOT NULL UNIQUE,
  name     TEXT NOT NULL,
  position INTEGER NOT NULL,
  builtin  INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
);

CREATE TABLE lead_status (
  id       INTEGER PRIMARY KEY,
  key      TEXT NOT NULL UNIQUE,
  name     TEXT NOT NULL,
  position INTEGER NOT NULL,
  builtin  INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
);

CREATE TABLE company (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  tax_code TEXT,
  industry TEXT,
  size     TEXT,
  website  TEXT,
  street   TEXT,
  ward     TEXT,
  district TEXT,
  province TEXT,
  country  TEXT,
  phone    TEXT,
  email    TEXT,
  owner    TEXT,
  created  INTEGER NOT NULL DEFAULT (unixepoch()),
  updated  INTEGER NOT NULL DEFAULT (unixepoch()),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  name_folded TEXT GENERATED ALWAYS AS (crm_fold(name)) VIRTUAL
);
CREATE INDEX company_tax_code ON company (tax_code) WHERE tax_code IS NOT NULL;

CREATE TABLE contact (
  id                 INTEGER PRIMARY KEY,
  given_name         TEXT NOT NULL DEFAULT '',
  middle_name        TEXT NOT NULL DEFAULT '',
  family_name        TEXT NOT NULL DEFAULT '',
  display_name       TEXT NOT NULL,
  company_id         INTEGER REFERENCES company (id) ON DELETE SET NULL,
  job_title          TEXT,
  birthday           TEXT CHECK (birthday IS NULL OR birthday GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  gender             TEXT CHECK (gender IS NULL OR gender IN ('female', 'male', 'other')),
  preferred_channel  TEXT CHECK (preferred_channel IS NULL OR preferred_channel IN
                                 ('phone', 'email', 'zalo', 'sms', 'facebook', 'in_person')),
  interests          TEXT,
  education          TEXT,
  occupation         TEXT,
  income_band        TEXT,
  family_status      TEXT,
  lifestyle          TEXT,
  notes              TEXT,
  lifecycle_stage_id INTEGER REFERENCES lifecycle_stage (id) ON DELETE SET NULL,
  lead_status_id     INTEGER REFERENCES lead_status (id) ON DELETE SET NULL,
  source             TEXT,
  owner              TEXT,
  consent            INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
  consent_date       TEXT,
  consent_source     TEXT,
  created            INTEGER NOT NULL DEFAULT (unixepoch()),
  updated            INTEGER NOT NULL DEFAULT (unixepoch()),
  last_interaction   INTEGER,
  archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  name_folded        TEXT GENERATED ALWAYS AS (crm_fold(display_name)) VIRTUAL,
  sort_given         BLOB GENERATED ALWAYS AS
                       (crm_sort_key(given_name, family_name, middle_name, display_name)) STORED,
  sort_family        BLOB GENERATED ALWAYS AS
                       (crm_sort_key(family_name, middle_name, given_name, display_name)) STORED
);
CREATE INDEX contact_sort_given ON contact (archived, sort_given, id);
CREATE INDEX contact_sort_family ON contact (archived, sort_family, id);
CREATE INDEX contact_company ON contact (company_id);
CREATE INDEX contact_lifecycle ON contact (lifecycle_stage_id);
CREATE INDEX contact_lead_status ON contact (lead_status_id);
CREATE INDEX contact_last_interaction ON contact (last_interaction);

CREATE TABLE contact_email (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
  email      TEXT NOT NULL,
  label      TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
);
CREATE INDEX contact_email_contact ON contact_email (contact_id);
CREATE INDEX contact_email_email ON contact_email (email);

CREATE TABLE contact_phone (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
  e164       TEXT NOT NULL,
  raw        TEXT NOT NULL,
  label      TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
);
CREATE INDEX contact_phone_contact ON contact_phone (contact_id);
CREATE INDEX contact_phone_e164 ON contact_phone (e164);

CREATE TABLE contact_address (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
  street     TEXT,
  ward       TEXT,
  district   TEXT,
  province   TEXT,
  country    TEXT,
  label      TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
);
CREATE INDEX contact_address_contact ON contact_address (contact_id);
CREATE INDEX contact_address_province ON contact_address (province);

CREATE TABLE contact_link (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
  url        TEXT NOT NULL,
  label      TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
);
CREATE INDEX contact_link_contact ON contact_link (contact_id);

CREATE TABLE tag (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE,
  color TEXT
);

CREATE TABLE contact_tag (
  contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
  tag_id     INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
  PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tag_tag ON contact_tag (tag_id, contact_id);

CREATE TABLE company_tag (
  company_id INTEGER NOT NULL REFERENCES company (id) ON DELETE CASCADE,
  tag_id     INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
  PRIMARY KEY (company_id, tag_id)
) WITHOUT ROWID;

CREATE TABLE custom_field (
  id       INTEGER PRIMARY KEY,
  entity   TEXT NOT NULL CHECK (entity IN ('contact', 'company', 'deal')),
  key      TEXT NOT NULL,
  label    TEXT NOT NULL,
  type     TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice', 'bool')),
  options  TEXT CHECK (options IS NULL OR json_valid(options)),
  position INTEGER NOT NULL DEFAULT 0,
  UNIQUE (entity, key)
);

CREATE TABLE custom_value (
  field_id  INTEGER NOT NULL REFERENCES custom_field (id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL,
  value     TEXT,
  PRIMARY KEY (field_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX custom_value_entity ON custom_value (entity_id);

CREATE TABLE pipeline (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  position   INTEGER NOT NULL DEFAULT 0,
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1))
);

CREATE TABLE stage (
  id          INTEGER PRIMARY KEY,
  pipeline_id INTEGER NOT NULL REFERENCES pipeline (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  position    INTEGER NOT NULL,
  probability INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
  kind        TEXT NOT NULL DEFAULT 'open' CHECK (kind IN ('open', 'won', 'lost')),
  idle_days   INTEGER CHECK (idle_days IS NULL OR idle_days > 0)
);
CREATE INDEX stage_pipeline ON stage (pipeline_id, position);

CREATE TABLE deal (
  id             INTEGER PRIMARY KEY,
  title          TEXT NOT NULL,
  contact_id     INTEGER REFERENCES contact (id) ON DELETE SET NULL,
  company_id     INTEGER REFERENCES company (id) ON DELETE SET NULL,
  stage_id       INTEGER NOT NULL REFERENCES stage (id),
  value          INTEGER NOT NULL DEFAULT 0,
  currency       TEXT NOT NULL DEFAULT 'VND' CHECK (length(currency) = 3),
  expected_close TEXT CHECK (expected_close IS NULL OR
                             expected_close GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  owner          TEXT,
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
  lost_reason    TEXT,
  position       INTEGER NOT NULL DEFAULT 0,
  stage_entered  INTEGER NOT NULL DEFAULT (unixepoch()),
  closed         INTEGER,
  notes          TEXT,
  created        INTEGER NOT NULL DEFAULT (unixepoch()),
  updated        INTEGER NOT NULL DEFAULT (unixepoch()),
  archived       INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);
CREATE INDEX deal_stage ON deal (stage_id, position);
CREATE INDEX deal_contact ON deal (contact_id);
CREATE INDEX deal_company ON deal (company_id);

CREATE TABLE deal_tag (
  deal_id INTEGER NOT NULL REFERENCES deal (id) ON DELETE CASCADE,
  tag_id  INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
  PRIMARY KEY (deal_id, tag_id)
) WITHOUT ROWID;

CREATE TABLE interaction (
  id           INTEGER PRIMARY KEY,
  contact_id   INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
  deal_id      INTEGER REFERENCES deal (id) ON DELETE SET NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note', 'message',
                                              'purchase', 'feedback', 'complaint', 'support',
                                              'survey', 'visit')),
  channel      TEXT,
  direction    TEXT CHECK (direction IS NULL OR direction IN ('inbound', 'outbound')),
  happened     INTEGER NOT NULL,
  duration     INTEGER CHECK (duration IS NULL OR duration >= 0),
  subject      TEXT,
  body         TEXT,
  amount       INTEGER,
  currency     TEXT CHECK (currency IS NULL OR length(currency) = 3),
  sentiment    TEXT CHECK (sentiment IS NULL OR sentiment IN ('positive', 'neutral', 'negative')),
  satisfaction INTEGER CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5),
  outcome      TEXT,
  created      INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX interaction_contact ON interaction (contact_id, happened);
CREATE INDEX interaction_deal ON interaction (deal_id);
CREATE INDEX interaction_happened ON interaction (happened);

CREATE TABLE task (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL,
  due        INTEGER,
  remind_at  INTEGER,
  done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
  done_at    INTEGER,
  priority   INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3),
  contact_id INTEGER REFERENCES contact (id) ON DELETE CASCADE,
  deal_id    INTEGER REFERENCES deal (id) ON DELETE CASCADE,
  owner      TEXT,
  notes      TEXT,
  created    INTEGER NOT NULL DEFAULT (unixepoch()),
  updated    INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX task_contact ON task (contact_id, done, due);
CREATE INDEX task_deal ON task (deal_id, done, due);
CREATE INDEX task_due ON task (done, due);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  who       TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'merge', 'import', 'erase')),
  changes   TEXT CHECK (changes IS NULL OR json_valid(changes))
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

-- A contact's last interaction is kept up to date.
CREATE TRIGGER interaction_last_insert AFTER INSERT ON interaction
BEGIN
  UPDATE contact SET last_interaction = NEW.happened
   WHERE id = NEW.contact_id AND (last_interaction IS NULL OR last_interaction < NEW.happened);
END;

CREATE TRIGGER interaction_last_delete AFTER DELETE ON interaction
BEGIN
  UPDATE contact SET last_interaction =
    (SELECT max(happened) FROM interaction WHERE contact_id = OLD.contact_id)
   WHERE id = OLD.contact_id;
END;

CREATE TRIGGER interaction_last_update AFTER UPDATE OF happened, contact_id ON interaction
BEGIN
  UPDATE contact SET last_interaction =
    (SELECT max(happened) FROM interaction WHERE contact_id = contact.id)
   WHERE id IN (OLD.contact_id, NEW.contact_id);
END;

-- Search: one row of folded text for each contact, in a contentless FTS5
-- index whose rowid is the contact's id.
CREATE VIRTUAL TABLE contact_fts USING fts5 (
  name, emails, phones, company, tags,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'
);

CREATE VIEW contact_fts_source (id, name, emails, phones, company, tags) AS
SELECT c.id,
       crm_fold(c.display_name || ' ' || c.given_name || ' ' || c.middle_name || ' ' || c.family_name),
       (SELECT group_concat(crm_fold(e.email), ' ') FROM contact_email e WHERE e.contact_id = c.id),
       (SELECT group_concat(crm_phone_digits(p.e164), ' ') FROM contact_phone p WHERE p.contact_id = c.id),
       (SELECT crm_fold(co.name) FROM company co WHERE co.id = c.company_id),
       (SELECT group_concat(crm_fold(t.name), ' ')
          FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = c.id)
  FROM contact c;

-- A bulk insert (crm_deferred()) indexes its rows in one statement at its end.
CREATE TRIGGER contact_fts_insert AFTER INSERT ON contact WHEN NOT crm_deferred()
BEGIN
  INSERT INTO contact_fts (rowid, name, emails, phones, company, tags)
    SELECT * FROM contact_fts_source WHERE id = NEW.id;
END;

CREATE TRIGGER contact_fts_update
AFTER UPDATE OF display_name, given_name, middle_name, family_name, company_id ON contact
BEGIN
  DELETE FROM contact_fts WHERE rowid = OLD.id;
  INSERT INTO contact_fts (rowid, name, emails, phones, company, tags)
    SELECT * FROM contact_fts_source WHERE id = NEW.id;
END;

CREATE TRIGGER contact_fts_delete AFTER DELETE ON contact
BEGIN
  DELETE FROM contact_fts WHERE rowid = OLD.id;
END;
