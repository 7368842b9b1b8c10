-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 015: each network's own feedback questions (issue 13, item 7), courses
-- booked as a series (item 3), and an attachment on emails (item 9: the .ics
-- of a booking). A network with no question rows asks the five
-- default questions, which follow Guskey's levels of evaluating professional
-- development and have the numbers 0 to 4; the first change a coordinator
-- makes writes those five down as rows, so answers already given keep
-- pointing at them. feedback_answer.question is a question's number in its
-- network: numbers are never reused, a retired question keeps its row (and
-- its answers show in the results), and the network's own questions are
-- numbered from 10. The PostgreSQL twin is
-- sql/postgres/015_programme_questions_series.sql.
CREATE TABLE feedback_question (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  number      INTEGER NOT NULL CHECK (number >= 0),          -- feedback_answer.question
  position    INTEGER NOT NULL,                              -- the order in the survey
  kind        TEXT NOT NULL CHECK (kind IN ('scale', 'text')), -- a 1-5 scale or free text
  level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),  -- Guskey's level it evaluates
  text        TEXT NOT NULL,
  retired_at  TEXT,                                          -- no longer asked; answers kept
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (network_id, number)
);
CREATE INDEX feedback_question_by_network ON feedback_question(network_id, position);

-- A course booked as a series: booking the course books every session, all
-- or none (src/app/programme/booking.c, prog_book_series).
ALTER TABLE course ADD COLUMN series INTEGER NOT NULL DEFAULT 0 CHECK (series IN (0, 1));

-- An email's one attachment (a booking confirmation's .ics): its file name,
-- MIME type and text. NULL for plain messages; blanked with the body once sent.
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment TEXT;
