-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 006: partnerships between member schools of a network
-- (src/app/partnerships/). An introduction asked for by a school lead (or
-- brokered by a coordinator) and accepted by the other school's lead opens a
-- partnership in the forming state. Its agreement on the five foundations
-- (purpose; time and resource; evidence; risks and governance; leadership)
-- lives in the partnership row and its child tables; each partner school's
-- lead signs the agreement's digest (agreement.h), and when every lead has
-- signed the complete agreement it becomes active. Running it: meetings,
-- actions, decisions (with each school's agreement), a time log, evidence
-- values for the measures, reflections. Calendar feed tokens (hash only)
-- and the weekly digest's markers. Times are UTC text
-- "YYYY-MM-DDTHH:MM:SSZ"; days are "YYYY-MM-DD".

-- Asking to be introduced: one row per school asked.
CREATE TABLE introduction (
  id            INTEGER PRIMARY KEY,
  network_id    INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  from_urn      INTEGER NOT NULL,              -- the school that asks (or one side of a brokered one)
  to_urn        INTEGER NOT NULL CHECK (to_urn <> from_urn),
  message       TEXT NOT NULL DEFAULT '',
  requested_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  brokered      INTEGER NOT NULL DEFAULT 0 CHECK (brokered IN (0, 1)), -- a coordinator made it
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'declined')),
  reason        TEXT NOT NULL DEFAULT '',      -- why it was declined (optional)
  answered_by   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  answered_at   TEXT,
  partnership_id INTEGER REFERENCES partnership(id) ON DELETE SET NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX introduction_to ON introduction(to_urn, state);
CREATE INDEX introduction_from ON introduction(from_urn, state);

-- A partnership and the single-valued parts of its agreement.
CREATE TABLE partnership (
  id            INTEGER PRIMARY KEY,
  network_id    INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  title         TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'forming' CHECK (state IN ('forming', 'active', 'closed')),
  -- Purpose
  type          TEXT NOT NULL DEFAULT 'unset'
                CHECK (type IN ('unset', 'one_way', 'mutual', 'co_creation')),
  challenge     TEXT NOT NULL DEFAULT '',
  outcomes      TEXT NOT NULL DEFAULT '',
  themes        TEXT NOT NULL DEFAULT '',      -- one theme a line
  licence       TEXT NOT NULL DEFAULT 'unset'
                CHECK (licence IN ('unset', 'cc_by', 'cc_by_nc_sa', 'partners_only')),
  -- Time and resource: the planned timeline (days, may be empty)
  starts_on     TEXT,
  ends_on       TEXT,
  -- Leadership
  decision      TEXT NOT NULL DEFAULT 'consensus'
                CHECK (decision IN ('consensus', 'majority', 'lead_school')),
  lead_school_urn INTEGER,
  cadence_weeks INTEGER CHECK (cadence_weeks IS NULL OR cadence_weeks BETWEEN 1 AND 52),
  keeper_person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
  -- Life
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  activated_at  TEXT,                          -- when every lead had signed
  closed_at     TEXT,
  closing_reflection TEXT NOT NULL DEFAULT '',
  health_status TEXT NOT NULL DEFAULT 'not_active', -- last status the digest reported
  CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on > starts_on)
);
CREATE INDEX partnership_by_network ON partnership(network_id, state);

-- The partner schools, each with its commitment, lead and signature.
CREATE TABLE partnership_school (
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  urn            INTEGER NOT NULL,
  lead_person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
  hours_per_term INTEGER CHECK (hours_per_term IS NULL OR hours_per_term BETWEEN 0 AND 2000),
  budget_pence   INTEGER CHECK (budget_pence IS NULL OR budget_pence BETWEEN 0 AND 1000000000),
  in_objectives  TEXT NOT NULL DEFAULT 'unset' CHECK (in_objectives IN ('unset', 'yes', 'no')),
  signed_digest  TEXT,                         -- agreement_digest of the version its lead signed
  signed_by      INTEGER REFERENCES person(id) ON DELETE SET NULL,
  signed_at      TEXT,
  PRIMARY KEY (partnership_id, urn)
);
CREATE INDEX partnership_school_by_urn ON partnership_school(urn);

-- Every signature ever given, kept as the record of who signed what and when.
CREATE TABLE partnership_signature (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  urn            INTEGER NOT NULL,
  person_id      INTEGER REFERENCES person(id) ON DELETE SET NULL,
  digest         TEXT NOT NULL,
  signed_at      TEXT NOT NULL
);
CREATE INDEX partnership_signature_by_p ON partnership_signature(partnership_id);

-- Impact measures (about groups of pupils, never one pupil).
CREATE TABLE partnership_measure (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  unit           TEXT NOT NULL DEFAULT '',
  pupil_group    TEXT NOT NULL DEFAULT '',
  baseline       REAL,
  target         REAL,
  method         TEXT NOT NULL DEFAULT '',
  measured_when  TEXT NOT NULL DEFAULT '',
  baseline_on    TEXT,
  target_by      TEXT
);
CREATE INDEX partnership_measure_by_p ON partnership_measure(partnership_id);

-- The risk register.
CREATE TABLE partnership_risk (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  risk           TEXT NOT NULL,
  likelihood     INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
  impact         INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
  mitigation     TEXT NOT NULL DEFAULT '',
  owner          TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
);
CREATE INDEX partnership_risk_by_p ON partnership_risk(partnership_id);

-- Meetings held (or planned).
CREATE TABLE meeting (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  held_at        TEXT NOT NULL,                -- start, UTC
  minutes        INTEGER NOT NULL DEFAULT 60 CHECK (minutes BETWEEN 1 AND 1440),
  location       TEXT NOT NULL DEFAULT '',
  attendees      TEXT NOT NULL DEFAULT '',
  notes          TEXT NOT NULL DEFAULT '',
  created_by     INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX meeting_by_p ON meeting(partnership_id, held_at);

-- Actions, with an owner and a due day.
CREATE TABLE action (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  meeting_id     INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
  title          TEXT NOT NULL,
  owner_person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
  due_on         TEXT NOT NULL,
  done_at        TEXT,
  created_at     TEXT NOT NULL
);
CREATE INDEX action_by_p ON action(partnership_id, due_on);

-- Decisions, and each partner school's agreement to them.
CREATE TABLE decision (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  meeting_id     INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
  text           TEXT NOT NULL,
  decided_on     TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE TABLE decision_school (
  decision_id    INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
  urn            INTEGER NOT NULL,
  agreed         TEXT NOT NULL CHECK (agreed IN ('yes', 'no', 'abstain')),
  PRIMARY KEY (decision_id, urn)
);

-- Time given, per partner school, against its commitment.
CREATE TABLE time_log (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  urn            INTEGER NOT NULL,
  person_id      INTEGER REFERENCES person(id) ON DELETE SET NULL,
  worked_on      TEXT NOT NULL,
  hours          REAL NOT NULL CHECK (hours > 0 AND hours <= 1000),
  note           TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL
);
CREATE INDEX time_log_by_p ON time_log(partnership_id, worked_on);

-- A measure's value on a day.
CREATE TABLE evidence_value (
  id             INTEGER PRIMARY KEY,
  measure_id     INTEGER NOT NULL REFERENCES partnership_measure(id) ON DELETE CASCADE,
  measured_on    TEXT NOT NULL,
  value          REAL NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  created_by     INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX evidence_value_by_m ON evidence_value(measure_id, measured_on);

-- What worked and what did not.
CREATE TABLE reflection (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  worked         TEXT NOT NULL DEFAULT '',
  did_not_work   TEXT NOT NULL DEFAULT '',
  person_id      INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at     TEXT NOT NULL
);

-- A person's private calendar feed: only a hash of the token in its URL.
CREATE TABLE calendar_token (
  person_id      INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
  token_hash     TEXT NOT NULL UNIQUE,
  created_at     TEXT NOT NULL
);

-- When each person last got the weekly digest.
CREATE TABLE digest_sent (
  person_id      INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
  sent_at        TEXT NOT NULL
);
