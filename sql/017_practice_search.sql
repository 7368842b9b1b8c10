-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 017: shared practice, second part (issue 14, items 8, 4, 9 and the public
-- step of 6; src/app/practice/search.c, questions.c, feed.c).
--
-- practice_doc is the search index's own copy of every item (ideas and
-- articles now; case studies and questions add rows through the same
-- function, practice_index_put): its text, the filters (kind, themes, the
-- school, the date) and the facts the one visibility check needs (author,
-- school, visibility, a widening waiting), kept in step by the model when
-- an item is written or its visibility changes. Themes are the theme names,
-- each between newlines ("\nReading\nOracy\n"), so a filter looks for
-- "\nReading\n". practice_fts is the full-text index over title and body
-- (accents and case folded; rowid = practice_doc.id); it is not data: it is
-- written from code (trusted_schema is off) and rebuilt from practice_doc by
-- practice_search_rebuild_index (copy-db does so).
CREATE TABLE practice_doc (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  item_id     INTEGER NOT NULL,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  visibility  TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'network')),
  requested   TEXT NOT NULL DEFAULT '',
  themes      TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  UNIQUE (kind, item_id)
);
CREATE INDEX practice_doc_by_date ON practice_doc(created_at);
CREATE INDEX practice_doc_by_network ON practice_doc(network_id, created_at);

CREATE VIRTUAL TABLE practice_fts USING fts5(
  title, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- The last widening: a network coordinator publishes an item the network
-- already sees, and then anyone may read it without signing in (search, the
-- network's Atom feed). Narrowing the item to its school removes the row, so
-- widening it again needs a coordinator again.
CREATE TABLE practice_public (
  kind          TEXT NOT NULL,
  item_id       INTEGER NOT NULL,
  network_id    INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  published_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  published_at  TEXT NOT NULL,
  PRIMARY KEY (kind, item_id)
);
CREATE INDEX practice_public_by_network ON practice_public(network_id, published_at);

-- The items written before this migration, in the order they were written
-- (a search lists newest first in index order).
INSERT INTO practice_doc (kind, item_id, network_id, urn, author_id, visibility, requested, themes, title, body,
                          created_at)
  SELECT kind, item_id, network_id, urn, author_id, visibility, requested, themes, title, body, created_at FROM (
    SELECT 'idea' AS kind, i.id AS item_id, i.network_id, i.urn, i.author_id, i.visibility,
           COALESCE(i.requested, '') AS requested, char(10) || t.name || char(10) AS themes, '' AS title, i.body,
           i.created_at
    FROM practice_idea i JOIN network_theme t ON t.id = i.theme_id
    UNION ALL
    SELECT 'article', a.id, a.network_id, a.urn, a.author_id, a.visibility, COALESCE(a.requested, ''),
           char(10) || t.name || char(10), a.title, a.body, a.created_at
    FROM practice_article a JOIN network_theme t ON t.id = a.theme_id
    UNION ALL
    SELECT 'case', c.id, c.network_id, c.urn, c.author_id, c.visibility, COALESCE(c.requested, ''),
           char(10) || c.themes || char(10), c.title,
           c.challenge || char(10) || char(10) || c.what_we_did || char(10) || char(10) || c.did_not_work,
           c.created_at
    FROM practice_case c
  ) AS items ORDER BY created_at, kind, item_id;
INSERT INTO practice_fts (rowid, title, body) SELECT id, title, body FROM practice_doc;

-- Questions ("Thinking Thursday"): a member of staff asks their school
-- (audience 'school': their colleagues see it) or the whole network
-- ('network': every member school; a question claims no practice, so it
-- needs no lead's approval). Others answer; the asker marks the answers that
-- helped. The network's current question is the newest one asked of the
-- network in the last seven days (shown on its home page).
CREATE TABLE practice_question (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  audience    TEXT NOT NULL CHECK (audience IN ('school', 'network')),
  question    TEXT NOT NULL,
  details     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
);
CREATE INDEX practice_question_by_network ON practice_question(network_id, created_at);

CREATE TABLE practice_answer (
  id           INTEGER PRIMARY KEY,
  question_id  INTEGER NOT NULL REFERENCES practice_question(id) ON DELETE CASCADE,
  urn          INTEGER NOT NULL,
  author_id    INTEGER REFERENCES person(id) ON DELETE SET NULL,
  body         TEXT NOT NULL,
  helpful      INTEGER NOT NULL DEFAULT 0 CHECK (helpful IN (0, 1)),
  created_at   TEXT NOT NULL
);
CREATE INDEX practice_answer_by_question ON practice_answer(question_id, created_at);

-- The weekly email of new practice, for those who switch it on: one row per
-- person who opted in; last_sent_at is when Tandem last looked for them (new
-- practice is what was posted since, that they may see).
CREATE TABLE practice_digest (
  person_id     INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
  created_at    TEXT NOT NULL,
  last_sent_at  TEXT
);

-- Attachments (src/app/practice/attachments.c): resources on an idea,
-- article or question (kind, item_id), their bytes kept once per SHA-256 of
-- the content in practice_blob, in the store, so every app server sees them
-- (no shared folder to run). Only PDF, Word, PowerPoint, Excel (the Office
-- Open XML formats), PNG and JPEG up to 10 MB, checked by their content. A
-- download has the visibility of its item.
CREATE TABLE practice_blob (
  hash        TEXT PRIMARY KEY,
  size        INTEGER NOT NULL,
  data        BLOB NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE practice_attachment (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  item_id      INTEGER NOT NULL,
  network_id   INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  hash         TEXT NOT NULL REFERENCES practice_blob(hash),
  filename     TEXT NOT NULL,
  mime         TEXT NOT NULL,
  size         INTEGER NOT NULL,
  uploaded_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX practice_attachment_by_item ON practice_attachment(kind, item_id);
