-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 007: partnership health over time (src/app/partnerships/sweep.c). The
-- sweep works out the health of every partnership that is not closed (and
-- of one just closed) at the time of the clock; where it differs from
-- partnership.health_status it records the change here, with the reason,
-- and updates health_status. The partnership page lists recent changes,
-- the attention page says since when, and the weekly digest tells leads
-- and the named keeper about changes since their last digest.
CREATE TABLE health_change (
  id             INTEGER PRIMARY KEY,
  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,
  from_status    TEXT NOT NULL
                 CHECK (from_status IN ('not_active', 'on_track', 'overdue', 'fading', 'at_risk')),
  to_status      TEXT NOT NULL
                 CHECK (to_status IN ('not_active', 'on_track', 'overdue', 'fading', 'at_risk')),
  reason         TEXT NOT NULL DEFAULT '',     -- the sentence for to_status at the time
  changed_at     TEXT NOT NULL,                -- when the sweep noticed, UTC "YYYY-MM-DDTHH:MM:SSZ"
  CHECK (from_status <> to_status)
);
CREATE INDEX health_change_by_p ON health_change(partnership_id, changed_at);
