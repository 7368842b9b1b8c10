-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 012: impact reports (src/app/reports/), the PostgreSQL twin of
-- sql/012_impact.sql: each network's switch that publishes its annual
-- report's aggregate figures when the network is public.
CREATE TABLE impact_report (
  network_id  bigint PRIMARY KEY REFERENCES network(id) ON DELETE CASCADE,
  published   bigint NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  updated_by  bigint REFERENCES person(id) ON DELETE SET NULL,
  updated_at  text NOT NULL
);

-- The report counts reactions to ideas within a period: find them by when they were made.
CREATE INDEX practice_reaction_by_time ON practice_reaction(created_at);
