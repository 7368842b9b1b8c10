-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 021: shared practice search (and a school's scrapbook) that stays fast on a large store (issue 14:
-- 50,000 items, a search at most 5 ms; src/app/practice/search.c).
--
-- practice_doc_by_school serves a listing filtered by one school, newest
-- first (the rowid is the index's last column), without reading every item.
--
-- practice_fts is built again with two changes. Prefix indexes for prefixes
-- of 1 to 12 characters: every word of a search is matched as a prefix, and
-- without them FTS5 reads and merges the whole list of every word that
-- starts so (a quarter of all items for a common word) before it can give
-- the newest match; with them a prefix is read like one word, newest first,
-- and the search stops once it has its page. A third column, tags, holds the
-- item's filters as words of their own, so FTS5 can step over the items a
-- filter leaves out instead of the search checking each: 'k' and the kind
-- ("kidea"), 'u' and the school's URN ("u100007"), and each theme with a 't'
-- before each of its words ("tReading", "tEarly tReading"). A search's own
-- words are matched in title and body only. The filters are still checked in
-- SQL as before; the tags only narrow what FTS5 gives (search.c builds the
-- same tags from the same text).
CREATE INDEX practice_doc_by_school ON practice_doc(urn);

-- A school's scrapbook of a term (src/app/practice/scrapbook.c) reads its
-- articles of the term by this index, not every article of every school.
CREATE INDEX practice_article_by_school ON practice_article(urn, created_at);

DROP TABLE practice_fts;
CREATE VIRTUAL TABLE practice_fts USING fts5(
  title, body, tags,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3 4 5 6 7 8 9 10 11 12'
);
INSERT INTO practice_fts (rowid, title, body, tags)
  SELECT id, title, body, 'k' || kind || ' u' || urn || replace(replace(themes, ' ', ' t'), char(10), ' t')
  FROM practice_doc;
