-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 001: deployment-wide settings as key/value pairs.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('created_by', 'tandem');
