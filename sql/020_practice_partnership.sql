-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 020: shared practice, the partnership step of visibility (issue 14, item
-- 6; src/app/practice/policy.c). Between 'school' and 'network' an item can
-- now be seen by 'partnership': the author's school and the schools in a
-- partnership of the network with it that is forming or active (a closed
-- partnership no longer counts). `requested` holds the level the author
-- asked for and a lead of the school has not answered: 'partnership' or
-- 'network' (a level may be skipped). SQLite cannot change a CHECK, so the
-- four tables are rebuilt (create new, copy with the same ids, drop old,
-- rename; the runner has foreign keys off) with their indexes.
--
-- A draft case study (made from a closed partnership, not yet checked by
-- its author) is seen by its author only, so it is no longer in the search
-- index: its document goes now and comes back when the author finishes it.

CREATE TABLE practice_idea_new (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  theme_id    INTEGER NOT NULL REFERENCES network_theme(id) ON DELETE RESTRICT,
  body        TEXT NOT NULL,
  visibility  TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'partnership', 'network')),
  requested   TEXT CHECK (requested IN ('partnership', 'network')),
  created_at  TEXT NOT NULL
);
INSERT INTO practice_idea_new (id, network_id, urn, author_id, theme_id, body, visibility, requested, created_at)
  SELECT id, network_id, urn, author_id, theme_id, body, visibility, requested, created_at FROM practice_idea;
DROP TABLE practice_idea;
ALTER TABLE practice_idea_new RENAME TO practice_idea;
CREATE INDEX practice_idea_by_network ON practice_idea(network_id, created_at);

CREATE TABLE practice_article_new (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  theme_id    INTEGER NOT NULL REFERENCES network_theme(id) ON DELETE RESTRICT,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  visibility  TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'partnership', 'network')),
  requested   TEXT CHECK (requested IN ('partnership', 'network')),
  created_at  TEXT NOT NULL
);
INSERT INTO practice_article_new (id, network_id, urn, author_id, theme_id, title, body, visibility, requested,
                                  created_at)
  SELECT id, network_id, urn, author_id, theme_id, title, body, visibility, requested, created_at
  FROM practice_article;
DROP TABLE practice_article;
ALTER TABLE practice_article_new RENAME TO practice_article;
CREATE INDEX practice_article_by_network ON practice_article(network_id, created_at);

CREATE TABLE practice_case_new (
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
  visibility    TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'partnership', 'network')),
  requested     TEXT CHECK (requested IN ('partnership', 'network')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
INSERT INTO practice_case_new (id, network_id, urn, author_id, partnership_id, title, phase, pupils, fsm_pct,
                               challenge, what_we_did, did_not_work, differently, time_cost, contact, themes, licence,
                               draft, visibility, requested, created_at, updated_at)
  SELECT id, network_id, urn, author_id, partnership_id, title, phase, pupils, fsm_pct, challenge, what_we_did,
         did_not_work, differently, time_cost, contact, themes, licence, draft, visibility, requested, created_at,
         updated_at
  FROM practice_case;
DROP TABLE practice_case;
ALTER TABLE practice_case_new RENAME TO practice_case;
CREATE INDEX practice_case_by_network ON practice_case(network_id, created_at);

CREATE TABLE practice_doc_new (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  item_id     INTEGER NOT NULL,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  visibility  TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'partnership', 'network')),
  requested   TEXT NOT NULL DEFAULT '',
  themes      TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  UNIQUE (kind, item_id)
);
INSERT INTO practice_doc_new (id, kind, item_id, network_id, urn, author_id, visibility, requested, themes, title,
                              body, created_at)
  SELECT id, kind, item_id, network_id, urn, author_id, visibility, requested, themes, title, body, created_at
  FROM practice_doc;
DROP TABLE practice_doc;
ALTER TABLE practice_doc_new RENAME TO practice_doc;
CREATE INDEX practice_doc_by_date ON practice_doc(created_at);
CREATE INDEX practice_doc_by_network ON practice_doc(network_id, created_at);

DELETE FROM practice_fts WHERE rowid IN (
  SELECT d.id FROM practice_doc d JOIN practice_case c ON c.id = d.item_id WHERE d.kind = 'case' AND c.draft = 1);
DELETE FROM practice_doc WHERE kind = 'case' AND item_id IN (SELECT id FROM practice_case WHERE draft = 1);
