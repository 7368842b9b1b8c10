-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 011: shared practice (src/app/practice/), the first part: ideas of the
-- week, posted by a member of staff to a network's board with a theme from
-- the network's themes, and their reactions. An idea is seen by the
-- author's colleagues (visibility 'school') or, once the school's lead has
-- approved the author's request, by the whole network ('network');
-- `requested` holds a widening waiting for the lead. Who sees what is
-- decided in one place, practice/policy.c. Times are UTC text
-- "YYYY-MM-DDTHH:MM:SSZ".

CREATE TABLE practice_idea (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  theme_id    INTEGER NOT NULL REFERENCES network_theme(id) ON DELETE RESTRICT,
  body        TEXT NOT NULL,
  visibility  TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'network')),
  requested   TEXT CHECK (requested IN ('network')),
  created_at  TEXT NOT NULL
);
CREATE INDEX practice_idea_by_network ON practice_idea(network_id, created_at);

-- One row per person, idea and kind: "I'll try this" (try), "Tried it"
-- (tried), "Thanks" (thanks). The key makes a second reaction of a kind
-- impossible.
CREATE TABLE practice_reaction (
  idea_id     INTEGER NOT NULL REFERENCES practice_idea(id) ON DELETE CASCADE,
  person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('try', 'tried', 'thanks')),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (idea_id, person_id, kind)
);

-- One-page articles for the school's Good Ideas Scrapbook: a title and a
-- Markdown body (rendered with raw HTML off and only relative, http, https
-- and mailto destinations; src/app/practice/markdown.c), with the same
-- visibility and widening as ideas.
CREATE TABLE practice_article (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  urn         INTEGER NOT NULL,
  author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
  theme_id    INTEGER NOT NULL REFERENCES network_theme(id) ON DELETE RESTRICT,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  visibility  TEXT NOT NULL DEFAULT 'school' CHECK (visibility IN ('school', 'network')),
  requested   TEXT CHECK (requested IN ('network')),
  created_at  TEXT NOT NULL
);
CREATE INDEX practice_article_by_network ON practice_article(network_id, created_at);
