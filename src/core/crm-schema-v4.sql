-- SPDX-License-Identifier: GPL-3.0-or-later
-- Version 4: tags leave the search index. A word of a search that starts a
-- tag's name is matched through contact_tag instead (crm_search_sql()), so
-- that tagging or untagging a hundred thousand contacts writes a hundred
-- thousand small rows, not the index of each of them.

DROP TRIGGER contact_fts_insert;
DROP TRIGGER contact_fts_update;
DROP TRIGGER contact_email_fts_insert;
DROP TRIGGER contact_email_fts_delete;
DROP TRIGGER contact_email_fts_update;
DROP TRIGGER contact_phone_fts_insert;
DROP TRIGGER contact_phone_fts_delete;
DROP TRIGGER contact_phone_fts_update;
DROP TRIGGER contact_tag_fts_insert;
DROP TRIGGER contact_tag_fts_delete;
DROP TRIGGER contact_tag_fts_update;
DROP TRIGGER company_fts_update;
DROP TRIGGER tag_fts_update;

DROP VIEW contact_fts_source;
CREATE VIEW contact_fts_source (id, name, emails, phones, company) AS
SELECT c.id,
       crm_name_text(c.display_name, c.given_name, c.middle_name, c.family_name),
       (SELECT group_concat(crm_fold(e.email), ' ') FROM contact_email e WHERE e.contact_id = c.id),
       (SELECT group_concat(crm_phone_digits(p.e164), ' ') FROM contact_phone p WHERE p.contact_id = c.id),
       (SELECT crm_fold(co.name) FROM company co WHERE co.id = c.company_id)
  FROM contact c;

DROP TABLE contact_fts;
CREATE VIRTUAL TABLE contact_fts USING fts5 (
  name, emails, phones, company,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'
);
INSERT INTO contact_fts (rowid, name, emails, phones, company)
  SELECT * FROM contact_fts_source;

-- A bulk insert (crm_deferred()) indexes its rows in one statement at its end.
CREATE TRIGGER contact_fts_insert AFTER INSERT ON contact WHEN NOT crm_deferred()
BEGIN
  INSERT INTO contact_fts (rowid, name, emails, phones, company)
    SELECT * FROM contact_fts_source WHERE id = NEW.id;
END;

CREATE TRIGGER contact_fts_update
AFTER UPDATE OF display_name, given_name, middle_name, family_name, company_id ON contact
BEGIN
  DELETE FROM contact_fts WHERE rowid = OLD.id;
  INSERT INTO contact_fts (rowid, name, emails, phones, company)
    SELECT * FROM contact_fts_source WHERE id = NEW.id;
END;
