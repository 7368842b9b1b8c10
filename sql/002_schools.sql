-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 002: the register of schools in England (DfE Get Information About Schools),
-- its predecessor/successor links, full-text search over names, and a record
-- of every import. Unknown values are NULL. Head-teacher names are never stored.
CREATE TABLE import_run (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('schools', 'links')),
  file_name     TEXT NOT NULL,
  snapshot_date TEXT,                 -- from the file name (edubasealldata20250502 → 2025-05-02)
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  rows_read     INTEGER NOT NULL DEFAULT 0,
  inserted      INTEGER NOT NULL DEFAULT 0,
  updated       INTEGER NOT NULL DEFAULT 0,
  unchanged     INTEGER NOT NULL DEFAULT 0,
  closed        INTEGER NOT NULL DEFAULT 0,  -- open last time, closed now
  rejected      INTEGER NOT NULL DEFAULT 0,
  ignored_columns TEXT,                       -- comma-separated header names not imported
  status        TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  message       TEXT
);

CREATE TABLE import_reject (
  import_id   INTEGER NOT NULL REFERENCES import_run(id) ON DELETE CASCADE,
  line        INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  reason      TEXT NOT NULL
);
CREATE INDEX import_reject_by_run ON import_reject(import_id);

CREATE TABLE school (
  urn                  INTEGER PRIMARY KEY,
  name                 TEXT NOT NULL,
  la_code              TEXT,
  la_name              TEXT,
  establishment_number TEXT,
  type_code            TEXT,
  type_name            TEXT,
  type_group_code      TEXT,
  type_group_name      TEXT,
  status_code          TEXT,
  status_name          TEXT,
  open_date            TEXT,
  close_date           TEXT,
  phase_code           TEXT,
  phase_name           TEXT,
  phase_group          TEXT NOT NULL,   -- nursery, primary, secondary, all_through, sixteen_plus, special, pru_ap, none
  low_age              INTEGER,
  high_age             INTEGER,
  gender_code          TEXT,
  gender_name          TEXT,
  religious_code       TEXT,
  religious_name       TEXT,
  sixth_form_code      TEXT,
  sixth_form_name      TEXT,
  boarders_code        TEXT,
  boarders_name        TEXT,
  admissions_code      TEXT,
  admissions_name      TEXT,
  capacity             INTEGER,
  pupils               INTEGER,
  fsm                  INTEGER,
  fsm_pct              REAL,
  sen_stat             INTEGER,
  sen_support          INTEGER,
  trust_code           TEXT,
  trust_name           TEXT,
  federation_code      TEXT,
  federation_name      TEXT,
  region_code          TEXT,
  region_name          TEXT,
  district_code        TEXT,
  district_name        TEXT,
  urban_rural_code     TEXT,
  urban_rural_name     TEXT,
  street               TEXT,
  locality             TEXT,
  address3             TEXT,
  town                 TEXT,
  county               TEXT,
  postcode             TEXT,
  postcode_key         TEXT,            -- upper case, no spaces: "SW1A1AA"
  outcode              TEXT,            -- "SW1A"
  sector               TEXT,            -- "SW1A 1"
  website              TEXT,
  telephone            TEXT,
  easting              REAL,
  northing             REAL,
  lat                  REAL,
  lon                  REAL,
  ofsted_rating        TEXT,
  ofsted_date          TEXT,
  row_hash             TEXT NOT NULL,   -- of every imported value: re-importing the same row changes nothing
  import_id            INTEGER REFERENCES import_run(id),
  updated_at           TEXT NOT NULL
);
-- Postcode look-ups (exact, sector, outcode) all go through the outcode.
CREATE INDEX school_by_outcode ON school(outcode);
CREATE INDEX school_by_town ON school(town COLLATE NOCASE);
CREATE INDEX school_by_la ON school(la_code);

-- Names and towns for the directory search, accents and case folded (prefix
-- queries scan the sorted terms: fast enough at this size, and a third of the
-- cost of prefix indexes at import). rowid = school.urn; the
-- import keeps it in step with the school table (no triggers: the store runs
-- with trusted_schema off, so virtual tables are written only from code).
CREATE VIRTUAL TABLE school_fts USING fts5(
  name, town,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Predecessor/successor links as the register gives them (not foreign keys:
-- a link may name a URN outside the register or a subset of it).
CREATE TABLE school_link (
  urn        INTEGER NOT NULL,
  link_urn   INTEGER NOT NULL,
  link_name  TEXT,
  link_type  TEXT NOT NULL,
  link_date  TEXT,
  PRIMARY KEY (urn, link_urn, link_type)
);
CREATE INDEX school_link_by_link ON school_link(link_urn);
