-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 009: the broker (src/app/broker/). Each school's capacity this year (how
-- many partnerships it can take part in; 2 when its lead has not said), the
-- themes a school is not looking for in a network, the broker's runs (what
-- was left out and why, the co-creation groups) and its proposals with the
-- coordinator's review: proposed, accepted (an introduction was sent to
-- both leads, src/app/partnerships/introductions.c) or rejected. Years are
-- academic years named by their first calendar year: 2026 is 2026-27, from
-- 1 September. Times are UTC text "YYYY-MM-DDTHH:MM:SSZ".

-- A school's own say about its capacity, per academic year (the school's,
-- whichever network it is in). No row: the default, 2.
CREATE TABLE broker_capacity (
  urn         INTEGER NOT NULL,
  year        INTEGER NOT NULL,
  capacity    INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 20),
  updated_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (urn, year)
);

-- Themes of a network a member school is not looking for (set by its lead).
CREATE TABLE broker_theme_off (
  network_id  INTEGER NOT NULL,
  urn         INTEGER NOT NULL,
  theme_id    INTEGER NOT NULL REFERENCES network_theme(id) ON DELETE CASCADE,
  PRIMARY KEY (network_id, urn, theme_id),
  FOREIGN KEY (network_id, urn) REFERENCES network_school(network_id, urn) ON DELETE CASCADE
);

-- One run of the broker: who ran it, and its report as JSON text
-- ({left_out, groups, lone_themes, counts}) as the review page shows it.
CREATE TABLE broker_run (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  run_by      INTEGER REFERENCES person(id) ON DELETE SET NULL,
  run_at      TEXT NOT NULL,
  report      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX broker_run_by_network ON broker_run(network_id, id);

-- A proposed pair and its review. Re-running replaces the proposals still
-- 'proposed'; accepted and rejected ones stay (fixed, and never proposed
-- again this year).
CREATE TABLE broker_proposal (
  id              INTEGER PRIMARY KEY,
  network_id      INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  run_id          INTEGER REFERENCES broker_run(id) ON DELETE SET NULL,
  year            INTEGER NOT NULL,
  urn_a           INTEGER NOT NULL,
  urn_b           INTEGER NOT NULL CHECK (urn_b <> urn_a),
  gain_a          INTEGER NOT NULL DEFAULT 0,  -- what school a gains from b
  gain_b          INTEGER NOT NULL DEFAULT 0,  -- what b gains from a
  reciprocal      INTEGER NOT NULL DEFAULT 0 CHECK (reciprocal IN (0, 1)),
  score           INTEGER NOT NULL DEFAULT 0,
  explanation     TEXT NOT NULL DEFAULT '',    -- sentences, one a line
  state           TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'accepted', 'rejected')),
  swapped         INTEGER NOT NULL DEFAULT 0 CHECK (swapped IN (0, 1)), -- the coordinator chose a partner
  introduction_id INTEGER REFERENCES introduction(id) ON DELETE SET NULL,
  decided_by      INTEGER REFERENCES person(id) ON DELETE SET NULL,
  decided_at      TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX broker_proposal_by_network ON broker_proposal(network_id, state);
