-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 022: the directory's name search is answered from the in-memory directory
-- index (src/app/schools/index.c), on either store, so the tsvector table the
-- import used to keep beside the school table is read by nothing: it goes
-- (with its GIN index), and an import no longer writes every school's words twice.
DROP TABLE IF EXISTS school_fts;
