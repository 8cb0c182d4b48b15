-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 3: exchange rates for the pipeline's totals.

-- What one major unit of a currency is worth in minor units of the base
-- currency (meta 'base_currency'), as the decimal the user typed: the
-- rates are kept by hand, Rapport never fetches them.
CREATE TABLE currency_rate (
  currency TEXT PRIMARY KEY CHECK (length(currency) = 3 AND currency = upper(currency)),
  rate     TEXT NOT NULL CHECK (CAST(rate AS REAL) > 0),
  updated  INTEGER NOT NULL DEFAULT (unixepoch())
) WITHOUT ROWID;

-- The board reads a pipeline's open deals stage by stage, in position order.
CREATE INDEX deal_board ON deal (stage_id, archived, position, id);
