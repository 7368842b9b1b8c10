-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 004: the outbox (src/app/mail/). Features queue plain-text messages here;
-- a background sender delivers them over SMTP when one is configured,
-- retrying with back-off. Without SMTP they stay queued and administrators
-- read them at /admin/outbox. Once a message is sent its body is blanked
-- (it may hold a single-use link); the envelope and status are kept.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  to_addr         TEXT NOT NULL,                        -- one recipient
  subject         TEXT NOT NULL,                        -- one line, UTF-8
  body            TEXT NOT NULL,                        -- UTF-8 plain text; '' once sent
  message_id      TEXT NOT NULL UNIQUE,                 -- the Message-ID header, without < >
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,                        -- when the sender may try next
  last_error      TEXT,                                 -- why the last attempt failed
  created_at      TEXT NOT NULL,
  sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_by_to ON outbox(to_addr);
