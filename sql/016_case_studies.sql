-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 016: shared practice, case studies and "we tried this" (issue 14, items 3
-- and 7; src/app/practice/casestudy.c and tried.c). A case study belongs to
-- a school in a network, like an article, with the same visibility and
-- widening (practice/policy.c decides who sees it). The school's context
-- (phase, pupils, % free school meals) is copied from the register when the
-- case study is written, so it says what the school was like then. `draft`
-- is 1 for a case study made from a closed partnership until its author has
-- checked it and filled in what did not work; a draft is never widened.
-- Themes are the network's theme names, one a line. Licence: cc_by (CC BY
-- 4.0), cc_by_nc_sa (CC BY-NC-SA 4.0) or members (members of the network
-- only). Times are UTC text "YYYY-MM-DDTHH:MM:SSZ".
CREATE TABLE practice_case (
  id            INTEGER PRIMARY KEY,
  network_id    INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn           INTEGER NOT NULL,
  author_id     INTEGER REFERENCES person(id) ON DELETE SET NULL,
  partnership_id INTEGER REFERENCES partnership(id) ON DELETE SET NULL,
  title         TEXT NOT NULL,
  phase         TEXT NOT NULL DEFAULT '',
  pupils        INTEGER,
  fsm_pct       REAL,
  challenge     TEXT NOT NULL DEFAULT '',
  what_we_did   TEXT NOT NULL DEFAULT '',
  did_not_work  TEXT NOT NULL DEFAULT '',
  differently   TEXT NOT NULL DEFAULT '',
  time_cost     TEXT NOT NULL DEFAULT '',
  contact       TEXT NOT NULL DEFAULT '',
  themes        TEXT NOT NULL DEFAULT '',
  licence       TEXT NOT NULL DEFAULT 'cc_by' CHECK (licence IN ('cc_by', 'cc_by_nc_sa', 'members')),
  draft         INTEGER NOT NULL DEFAULT 0 CHECK (draft IN (0, 1)),
  visibility    TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'network')),
  requested     TEXT CHECK (requested IN ('network')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX practice_case_by_network ON practice_case(network_id, created_at);

-- The evidence of impact on pupils: one row per measure, in the order typed.
CREATE TABLE practice_case_measure (
  case_id       INTEGER NOT NULL REFERENCES practice_case(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  name          TEXT NOT NULL,
  baseline      TEXT NOT NULL DEFAULT '',
  result        TEXT NOT NULL DEFAULT '',
  method        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, position)
);

-- "We tried this": a member of another school is trying an idea, article
-- or case study (kind, item_id). The key makes a second record by the same
-- person impossible. ask_at is when Tandem asks how it went (the network's
-- tried_weeks after started_at); asked_at when the email was queued;
-- outcome and note are their answer.
CREATE TABLE practice_tried (
  id            INTEGER PRIMARY KEY,
  network_id    INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('idea', 'article', 'case')),
  item_id       INTEGER NOT NULL,
  person_id     INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  urn           INTEGER NOT NULL,
  started_at    TEXT NOT NULL,
  ask_at        TEXT NOT NULL,
  asked_at      TEXT,
  outcome       TEXT CHECK (outcome IN ('worked', 'partly', 'not')),
  note          TEXT NOT NULL DEFAULT '',
  answered_at   TEXT,
  UNIQUE (kind, item_id, person_id)
);
CREATE INDEX practice_tried_by_item ON practice_tried(network_id, kind, item_id);
CREATE INDEX practice_tried_due ON practice_tried(ask_at);

-- How many weeks after someone starts trying an item Tandem asks how it
-- went, per network (4 when the network has no row).
CREATE TABLE practice_tried_settings (
  network_id    INTEGER PRIMARY KEY REFERENCES network(id) ON DELETE CASCADE,
  weeks         INTEGER NOT NULL CHECK (weeks BETWEEN 1 AND 26)
);
