-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 021: shared practice search that stays fast on a large store, for
-- PostgreSQL (read sql/021_practice_search_speed.sql). A listing filtered by
-- one school, newest first, is served by this index. The full-text index
-- (a tsvector with a GIN index) matches prefixes without merging lists and
-- needs no change; the filters are checked in SQL.
CREATE INDEX practice_doc_by_school ON practice_doc(urn, id);

-- A school's scrapbook of a term (src/app/practice/scrapbook.c) reads its
-- articles of the term by this index, not every article of every school.
CREATE INDEX practice_article_by_school ON practice_article(urn, created_at);
