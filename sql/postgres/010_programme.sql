-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 010: the network's professional-development programme (src/app/programme/):
-- courses run by staff of member schools for staff of member schools, their
-- facilitation teams and audiences, sessions with capacity and an optional
-- per-school limit, bookings with the automatic waiting list and its offers,
-- and each network's programme settings. Times are UTC text
-- "YYYY-MM-DDTHH:MM:SSZ", which sorts and compares as time; people type and
-- read UK time (core/clock). This is the PostgreSQL twin of sql/010_programme.sql: the same tables, identity columns.

-- Per network: how long an offered place is held, whether feedback is
-- anonymous, how many days ahead reminders go. A network without a row has
-- the defaults.
CREATE TABLE programme_settings (
  network_id        BIGINT PRIMARY KEY REFERENCES network(id) ON DELETE CASCADE,
  offer_hours       INTEGER NOT NULL DEFAULT 48 CHECK (offer_hours BETWEEN 1 AND 336),
  feedback_anonymous INTEGER NOT NULL DEFAULT 0 CHECK (feedback_anonymous IN (0, 1)),
  reminder_days     INTEGER NOT NULL DEFAULT 2 CHECK (reminder_days BETWEEN 0 AND 14)
);

-- A course (or a twilight, TeachMeet, speed learning, learning lunch,
-- conference) of the network's programme, on one of its themes. A theme a
-- course uses cannot be deleted (RESTRICT).
CREATE TABLE course (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  network_id  BIGINT NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  theme_id    BIGINT NOT NULL REFERENCES network_theme(id) ON DELETE RESTRICT,
  outcomes    TEXT NOT NULL DEFAULT '',      -- what people will be able to do afterwards
  format      TEXT NOT NULL CHECK (format IN ('course', 'twilight', 'teachmeet', 'speed_learning',
                                              'learning_lunch', 'conference')),
  lead_id     BIGINT REFERENCES person(id) ON DELETE SET NULL,  -- the course lead (a facilitator)
  created_by  BIGINT REFERENCES person(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX course_by_network ON course(network_id);
CREATE INDEX course_by_theme ON course(theme_id);

-- Who a course is for (one row per audience).
CREATE TABLE course_audience (
  course_id   BIGINT NOT NULL REFERENCES course(id) ON DELETE CASCADE,
  audience    TEXT NOT NULL CHECK (audience IN ('teachers', 'teaching_assistants', 'support_staff',
                                                'leaders', 'sencos', 'governors', 'ects')),
  PRIMARY KEY (course_id, audience)
);

-- The facilitation team: people of member schools, with the school they
-- were at when they joined the team (shown with their name).
CREATE TABLE course_facilitator (
  course_id   BIGINT NOT NULL REFERENCES course(id) ON DELETE CASCADE,
  person_id   BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  urn         BIGINT NOT NULL,
  added_at    TEXT NOT NULL,
  PRIMARY KEY (course_id, person_id)
);
CREATE INDEX course_facilitator_by_person ON course_facilitator(person_id);

-- One session of a course: at a member school (venue_urn, its address from
-- the register) or online (online_url, shown only to people with a place).
-- Places are taken by bookings and held by open offers; per_school_limit 0
-- means no limit. cpd_hundredths: the hours of CPD it counts for, in
-- hundredths of an hour.
CREATE TABLE course_session (
  id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  course_id         BIGINT NOT NULL REFERENCES course(id) ON DELETE CASCADE,
  starts_at         TEXT NOT NULL,
  ends_at           TEXT NOT NULL,
  venue_urn         BIGINT,
  online_url        TEXT,
  capacity          INTEGER NOT NULL CHECK (capacity >= 1),
  per_school_limit  INTEGER NOT NULL DEFAULT 0 CHECK (per_school_limit >= 0),
  booking_closes_at TEXT NOT NULL,
  cpd_hundredths    INTEGER NOT NULL DEFAULT 0 CHECK (cpd_hundredths >= 0),
  presenter_minutes INTEGER NOT NULL DEFAULT 0 CHECK (presenter_minutes >= 0), -- TeachMeet time, 0: all of it
  checkin_code      TEXT NOT NULL,                 -- attendees check themselves in with it (6 characters)
  reminded_at       TEXT,                          -- when the attendees' reminder went
  facilitators_reminded_at TEXT,                   -- when the facilitators' register reminder went
  feedback_sent_at  TEXT,                          -- when the attendees were asked for feedback
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (booking_closes_at <= starts_at),
  CHECK ((venue_urn IS NULL) <> (online_url IS NULL))
);
CREATE INDEX course_session_by_course ON course_session(course_id, starts_at);
CREATE INDEX course_session_by_start ON course_session(starts_at);

-- A person's place on a session, or their place in its waiting list.
--   booked     has a place
--   waiting    in the waiting list, in order of id
--   offered    a freed place is held for them until offer_expires_at; the
--              email's link carries a token whose SHA-256 is offer_token_hash
--   cancelled  gave the place up (or someone allowed to did it for them)
--   left       left the waiting list
--   declined   declined an offer
--   expired    did not answer an offer in time
-- urn is the attendee's school when they booked (the per-school limit
-- counts it). A person has at most one booked, waiting or offered row a session.
-- attendance is the register's mark for a booked place (NULL until taken);
-- checked_in says the attendee marked it themselves with the session's code;
-- feedback_given that they answered the survey (the answer itself may be
-- anonymous, so this is the only link).
CREATE TABLE booking (
  id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id        BIGINT NOT NULL REFERENCES course_session(id) ON DELETE CASCADE,
  person_id         BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  urn               BIGINT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('booked', 'waiting', 'offered', 'cancelled', 'left',
                                                    'declined', 'expired')),
  booked_by         BIGINT REFERENCES person(id) ON DELETE SET NULL,
  offer_expires_at  TEXT,
  offer_token_hash  TEXT UNIQUE,
  attendance        TEXT CHECK (attendance IN ('present', 'late', 'absent')),
  attendance_at     TEXT,
  checked_in        INTEGER NOT NULL DEFAULT 0 CHECK (checked_in IN (0, 1)),
  feedback_given    INTEGER NOT NULL DEFAULT 0 CHECK (feedback_given IN (0, 1)),
  certificate_code  TEXT UNIQUE,                   -- the certificate's verification code, once asked for
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL))
);
CREATE UNIQUE INDEX booking_active ON booking(session_id, person_id)
  WHERE status IN ('booked', 'waiting', 'offered');
CREATE INDEX booking_by_session ON booking(session_id, status, id);
CREATE INDEX booking_by_person ON booking(person_id);
CREATE INDEX booking_offers ON booking(offer_expires_at) WHERE status = 'offered';

-- Answers to the survey after a session. person_id is NULL when the network
-- keeps feedback anonymous (submitted_at is then only the day).
CREATE TABLE feedback_response (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id    BIGINT NOT NULL REFERENCES course_session(id) ON DELETE CASCADE,
  person_id     BIGINT REFERENCES person(id) ON DELETE SET NULL,
  submitted_at  TEXT NOT NULL
);
CREATE INDEX feedback_response_by_session ON feedback_response(session_id);

-- One answer: a 1-5 scale or free text, by the question's number in the survey.
CREATE TABLE feedback_answer (
  response_id   BIGINT NOT NULL REFERENCES feedback_response(id) ON DELETE CASCADE,
  question      INTEGER NOT NULL,
  scale         INTEGER CHECK (scale BETWEEN 1 AND 5),
  text          TEXT,
  PRIMARY KEY (response_id, question)
);

-- People presenting at a TeachMeet or a learning lunch (apart from the
-- audience's bookings): a title and a slot. draw_order is the running order
-- the draw made (NULL until drawn); a withdrawn sign-up keeps its row.
CREATE TABLE teachmeet_slot (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id    BIGINT NOT NULL REFERENCES course_session(id) ON DELETE CASCADE,
  person_id     BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  title         TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('nano', 'micro', 'soapbox', 'input')),
  minutes       INTEGER NOT NULL CHECK (minutes > 0),
  created_at    TEXT NOT NULL,
  withdrawn_at  TEXT,
  drawn_at      TEXT,
  draw_order    INTEGER,
  UNIQUE (session_id, draw_order)
);
CREATE UNIQUE INDEX teachmeet_slot_one ON teachmeet_slot(session_id, person_id) WHERE withdrawn_at IS NULL;
