-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 005: networks of schools (src/app/networks/). A network has member schools
-- from the register, coordinators and a steering group (people), a list of
-- themes, invitations that bring school leads and their colleagues in, and
-- per member school the strengths it can offer and the needs it has, by
-- theme. People themselves (person, their school and school role) are the
-- accounts migrations' (003, 004). Times are UTC text "YYYY-MM-DDTHH:MM:SSZ",
-- which sorts and compares as time.
CREATE TABLE network (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,          -- URL segment: /networks/{slug}
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  region      TEXT NOT NULL DEFAULT '',
  is_public   INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)), -- outsiders see name and description
  created_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Member schools. A school can belong to several networks. Not a foreign key
-- to school(urn) on purpose: the register is re-imported, and a school that
-- later closes or leaves the extract stays a member until a coordinator
-- removes it (the code checks the URN is in the register when it is added).
CREATE TABLE network_school (
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  added_by    INTEGER REFERENCES person(id) ON DELETE SET NULL,
  added_at    TEXT NOT NULL,
  PRIMARY KEY (network_id, urn)
);
CREATE INDEX network_school_by_urn ON network_school(urn);

-- Coordinators and the steering group, per person per network (a person may
-- hold both).
CREATE TABLE network_role (
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('coordinator', 'steering')),
  added_at    TEXT NOT NULL,
  PRIMARY KEY (network_id, person_id, role)
);
CREATE INDEX network_role_by_person ON network_role(person_id);

-- The network's themes, in the coordinators' order. A theme that a strength
-- or a need uses cannot be deleted (RESTRICT): the code says which.
CREATE TABLE network_theme (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  position    INTEGER NOT NULL,
  UNIQUE (network_id, name)
);

-- Invitations: a single-use link that creates an account with a school and
-- role. Only a hash of the token is stored; the link itself exists only in
-- the email.
CREATE TABLE invitation (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,          -- hex BLAKE2b-256 of the token in the link
  email       TEXT NOT NULL,                 -- lower case
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  school_urn  INTEGER NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('lead', 'staff', 'governor')),
  invited_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  accepted_at TEXT,                          -- set once: the link is then spent
  accepted_by INTEGER REFERENCES person(id) ON DELETE SET NULL,
  revoked_at  TEXT                           -- withdrawn before it was used
);
CREATE INDEX invitation_by_network ON invitation(network_id, school_urn);

-- What a member school can offer the network, by theme.
CREATE TABLE strength (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL,
  urn         INTEGER NOT NULL,
  theme_id    INTEGER NOT NULL REFERENCES network_theme(id) ON DELETE RESTRICT,
  summary     TEXT NOT NULL,                 -- one sentence
  evidence    TEXT NOT NULL DEFAULT '',      -- evidence of impact
  contact_id  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  FOREIGN KEY (network_id, urn) REFERENCES network_school(network_id, urn) ON DELETE CASCADE
);
CREATE INDEX strength_by_school ON strength(network_id, urn);
CREATE INDEX strength_by_theme ON strength(theme_id);

-- What a member school needs help with, by theme.
CREATE TABLE need (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL,
  urn         INTEGER NOT NULL,
  theme_id    INTEGER NOT NULL REFERENCES network_theme(id) ON DELETE RESTRICT,
  summary     TEXT NOT NULL,                 -- one sentence
  priority    TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
  created_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  FOREIGN KEY (network_id, urn) REFERENCES network_school(network_id, urn) ON DELETE CASCADE
);
CREATE INDEX need_by_school ON need(network_id, urn);
CREATE INDEX need_by_theme ON need(theme_id);
