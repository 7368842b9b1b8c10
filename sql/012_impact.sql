-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 012: impact reports (src/app/reports/). The reports read what the other
-- capabilities store; the only thing they keep is each network's publishing
-- switch: when published is 1 and the network is public, anyone may read
-- its annual report's aggregate figures (no school's or person's name).
-- A network without a row has not published. The PostgreSQL twin is
-- sql/postgres/012_impact.sql.
CREATE TABLE impact_report (
  network_id  INTEGER PRIMARY KEY REFERENCES network(id) ON DELETE CASCADE,
  published   INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  updated_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  updated_at  TEXT NOT NULL
);

-- The report counts reactions to ideas within a period: find them by when they were made.
CREATE INDEX practice_reaction_by_time ON practice_reaction(created_at);
