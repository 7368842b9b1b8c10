-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 020: shared practice, the partnership step of visibility, for PostgreSQL:
-- the same change as sql/020_practice_partnership.sql (read it for what it
-- means), made in place: each CHECK of visibility and requested is replaced.
ALTER TABLE practice_idea DROP CONSTRAINT practice_idea_visibility_check;
ALTER TABLE practice_idea ADD CONSTRAINT practice_idea_visibility_check
  CHECK (visibility IN ('school', 'partnership', 'network'));
ALTER TABLE practice_idea DROP CONSTRAINT practice_idea_requested_check;
ALTER TABLE practice_idea ADD CONSTRAINT practice_idea_requested_check
  CHECK (requested IN ('partnership', 'network'));

ALTER TABLE practice_article DROP CONSTRAINT practice_article_visibility_check;
ALTER TABLE practice_article ADD CONSTRAINT practice_article_visibility_check
  CHECK (visibility IN ('school', 'partnership', 'network'));
ALTER TABLE practice_article DROP CONSTRAINT practice_article_requested_check;
ALTER TABLE practice_article ADD CONSTRAINT practice_article_requested_check
  CHECK (requested IN ('partnership', 'network'));

ALTER TABLE practice_case DROP CONSTRAINT practice_case_visibility_check;
ALTER TABLE practice_case ADD CONSTRAINT practice_case_visibility_check
  CHECK (visibility IN ('school', 'partnership', 'network'));
ALTER TABLE practice_case DROP CONSTRAINT practice_case_requested_check;
ALTER TABLE practice_case ADD CONSTRAINT practice_case_requested_check
  CHECK (requested IN ('partnership', 'network'));

ALTER TABLE practice_doc DROP CONSTRAINT practice_doc_visibility_check;
ALTER TABLE practice_doc ADD CONSTRAINT practice_doc_visibility_check
  CHECK (visibility IN ('school', 'partnership', 'network'));

DELETE FROM practice_fts WHERE doc_id IN (
  SELECT d.id FROM practice_doc d JOIN practice_case c ON c.id = d.item_id WHERE d.kind = 'case' AND c.draft = 1);
DELETE FROM practice_doc WHERE kind = 'case' AND item_id IN (SELECT id FROM practice_case WHERE draft = 1);
