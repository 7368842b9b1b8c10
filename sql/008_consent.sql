-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 008: a school joins a network only with its consent, and only the school's
-- own leads (or an administrator) decide who leads it (src/app/networks/).
--
-- Before this migration any coordinator of any network could add any school
-- and then manage its people. Now:
--  * network_school holds accepted memberships only, and says how each was
--    agreed (consent). Rows made before this rule are kept as members and
--    marked 'before_rule', so the record shows they were never asked.
--  * school_invitation is a network's request that a school join, answered
--    by the school's lead (or, for a school with nobody on Tandem, by the
--    person invited to be its first lead).
--  * invitation now also brings people into a network role (coordinator,
--    steering group) and records on whose authority a school role is given,
--    so accepting can decide whether the role is granted at once.
--  * lead_request holds a would-be first lead whose email address is not at
--    the school's own domain, until an administrator approves or refuses.
ALTER TABLE network_school ADD COLUMN consent TEXT NOT NULL DEFAULT 'before_rule'
  CHECK (consent IN ('before_rule', 'lead', 'first_lead', 'admin'));
ALTER TABLE network_school ADD COLUMN consent_by INTEGER REFERENCES person(id) ON DELETE SET NULL;

CREATE TABLE school_invitation (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,              -- the school asked (in the register when asked)
  invited_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  decided_at  TEXT,                          -- set once, with decision
  decided_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  decision    TEXT CHECK (decision IN ('accepted', 'declined', 'withdrawn')),
  CHECK ((decided_at IS NULL) = (decision IS NULL))
);
-- At most one open request per network and school.
CREATE UNIQUE INDEX school_invitation_open ON school_invitation(network_id, urn) WHERE decided_at IS NULL;
CREATE INDEX school_invitation_by_urn ON school_invitation(urn);

-- invitation, rebuilt (SQLite changes a CHECK only by copying the table):
-- school_urn is NULL for a network role; role adds 'coordinator' and
-- 'steering'; authority says who stood behind a school role when it was
-- sent: 'admin', the school's own 'lead', or a network 'coordinator' asking
-- a school with no lead for its first lead. Rows from before keep their
-- meaning: a school role sent by a coordinator ('coordinator'), by a lead
-- ('lead'), by an administrator ('admin').
CREATE TABLE invitation_new (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,          -- hex BLAKE2b-256 of the token in the link
  email       TEXT NOT NULL,                 -- lower case
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  school_urn  INTEGER,                       -- NULL for a network role
  role        TEXT NOT NULL CHECK (role IN ('lead', 'staff', 'governor', 'coordinator', 'steering')),
  authority   TEXT NOT NULL DEFAULT 'lead' CHECK (authority IN ('admin', 'lead', 'coordinator')),
  invited_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  accepted_at TEXT,                          -- set once: the link is then spent
  accepted_by INTEGER REFERENCES person(id) ON DELETE SET NULL,
  revoked_at  TEXT,                          -- withdrawn before it was used
  CHECK ((school_urn IS NULL) = (role IN ('coordinator', 'steering')))
);
INSERT INTO invitation_new (id, token_hash, email, network_id, school_urn, role, authority, invited_by,
                            created_at, expires_at, accepted_at, accepted_by, revoked_at)
SELECT i.id, i.token_hash, i.email, i.network_id, i.school_urn, i.role,
       CASE WHEN p.is_admin = 1 THEN 'admin'
            WHEN p.school_role = 'lead' AND p.school_urn = i.school_urn THEN 'lead'
            ELSE 'coordinator' END,
       i.invited_by, i.created_at, i.expires_at, i.accepted_at, i.accepted_by, i.revoked_at
FROM invitation i LEFT JOIN person p ON p.id = i.invited_by;
DROP TABLE invitation;
ALTER TABLE invitation_new RENAME TO invitation;
CREATE INDEX invitation_by_network ON invitation(network_id, school_urn);
CREATE INDEX invitation_by_email ON invitation(email);

CREATE TABLE lead_request (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  urn           INTEGER NOT NULL,            -- the school they were invited to lead
  network_id    INTEGER REFERENCES network(id) ON DELETE SET NULL,
  invitation_id INTEGER REFERENCES invitation(id) ON DELETE SET NULL,
  email_domain  TEXT NOT NULL,               -- the domain of their address, as it was
  school_domain TEXT NOT NULL DEFAULT '',    -- the register's website domain ('' when none)
  created_at    TEXT NOT NULL,
  decided_at    TEXT,
  decided_by    INTEGER REFERENCES person(id) ON DELETE SET NULL,
  decision      TEXT CHECK (decision IN ('approved', 'refused')),
  CHECK ((decided_at IS NULL) = (decision IS NULL))
);
CREATE INDEX lead_request_open ON lead_request(decided_at, created_at);
CREATE INDEX lead_request_by_person ON lead_request(person_id);
