-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 003: people and their credentials (src/app/accounts/). A person is a member
-- of staff or a governor (never a pupil: no pupil data is stored anywhere),
-- optionally at one school with one school role, optionally a deployment
-- administrator. Sessions, API tokens and password-reset links store only a
-- SHA-256 hash of their secret: the secret itself exists only in the
-- browser's cookie, the API client or the email. Deleting a person deletes
-- everything here that belongs to them; the audit log keeps its entries
-- under their number only ("deleted person #12"). Times are UTC text
-- "YYYY-MM-DDTHH:MM:SSZ", which sorts and compares as time.
CREATE TABLE person (
  id             INTEGER PRIMARY KEY,
  email          TEXT NOT NULL COLLATE NOCASE UNIQUE,   -- stored lower case; unique whatever the case
  name           TEXT NOT NULL,                         -- display name, 1 to 100 characters
  password_hash  TEXT NOT NULL,                         -- libsodium crypto_pwhash_str (Argon2id)
  -- Not a foreign key to school(urn): the register is re-imported, and a
  -- school that closes keeps its people until someone moves them.
  school_urn     INTEGER,
  school_role    TEXT NOT NULL DEFAULT 'none'
                 CHECK (school_role IN ('none', 'staff', 'governor', 'lead')),
  is_admin       INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  last_sign_in_at TEXT,
  CHECK ((school_urn IS NULL) = (school_role = 'none'))
);
CREATE INDEX person_by_school ON person(school_urn);

-- A signed-in browser. The cookie holds a 256-bit random token; only its
-- hash is here. A session ends at idle_expires_at when unused (moved on by
-- use, never past expires_at) and at expires_at in any case.
CREATE TABLE session (
  id              INTEGER PRIMARY KEY,
  token_hash      TEXT NOT NULL UNIQUE,                 -- hex SHA-256 of the cookie's token
  person_id       INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  created_at      TEXT NOT NULL,
  last_seen_at    TEXT NOT NULL,
  idle_expires_at TEXT NOT NULL,
  expires_at      TEXT NOT NULL
);
CREATE INDEX session_by_person ON session(person_id);

-- Personal API tokens for JSON clients (Authorization: Bearer …). Shown once
-- when made; revoking deletes the row.
CREATE TABLE api_token (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,                          -- the person's label ("reports script")
  token_hash    TEXT NOT NULL UNIQUE,                   -- hex SHA-256 of the token
  prefix        TEXT NOT NULL,                          -- first characters, to recognise it in a list
  created_at    TEXT NOT NULL,
  last_used_at  TEXT
);
CREATE INDEX api_token_by_person ON api_token(person_id);

-- Single-use password-reset links, valid for an hour.
CREATE TABLE password_reset (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,                     -- hex SHA-256 of the token in the link
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT                                      -- set once: the link is then spent
);
CREATE INDEX password_reset_by_person ON password_reset(person_id);

-- Failed attempts per key, for slowing down and locking out guessing. The
-- key is a hash of "account:<email>" or "ip:<address>", so no address typed
-- by anyone is kept. Times here are Unix seconds: this is arithmetic state,
-- never shown.
CREATE TABLE throttle (
  key           TEXT PRIMARY KEY,                       -- hex SHA-256 of the kind and the value
  failures      INTEGER NOT NULL,                       -- failures since window_start
  window_start  INTEGER NOT NULL,
  last_failure  INTEGER NOT NULL,
  locked_until  INTEGER NOT NULL DEFAULT 0
);

-- Security-relevant events, newest last. actor_id is who did it and
-- subject_id whom it concerned (both person ids, NULL for nobody). Not
-- foreign keys on purpose: entries outlive the people, who are then shown
-- as "deleted person #N"; deleting a person also blanks the addresses of
-- their entries. detail is a JSON object that never holds names, email
-- addresses or passwords.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  event       TEXT NOT NULL,                            -- sign_in, sign_in_failed, locked_out, …
  actor_id    INTEGER,
  subject_id  INTEGER,
  ip          TEXT,
  detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_actor ON audit_log(actor_id);
CREATE INDEX audit_log_by_subject ON audit_log(subject_id);
