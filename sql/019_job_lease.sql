-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 019: one row per periodic job of `tandem serve` that runs on one app server
-- at a time (src/db/lease.c, src/app/jobs.c): when it last ran, when it is due
-- again, how many runs there have been and which server ran the last one.
-- Several servers on one database (or two processes on one SQLite file)
-- claim a run by moving due_at forward in one statement; whoever does not
-- move it leaves the run to the one that did. Times are UTC text
-- "YYYY-MM-DDTHH:MM:SSZ", which sorts and compares as time.
CREATE TABLE job_lease (
  job    TEXT PRIMARY KEY,
  ran_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  runs   INTEGER NOT NULL DEFAULT 1,
  server TEXT NOT NULL
);
