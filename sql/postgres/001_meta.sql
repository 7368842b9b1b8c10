-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 001: deployment-wide settings as key/value pairs. PostgreSQL's version of
-- sql/001_meta.sql (sql/postgres/README.md says how the two differ).
CREATE TABLE meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO meta (key, value) VALUES ('created_by', 'tandem');
