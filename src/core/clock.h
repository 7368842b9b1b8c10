// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * clock.h — the one place the application asks what time it is, so that
 * expiries, reminders and partnership health can be tested by moving time.
 *
 * clock_now() is wall-clock UTC seconds plus an offset. The offset comes from
 * clock_set_offset() or, at start-up, from TANDEM_CLOCK_OFFSET (seconds) or
 * TANDEM_NOW (an absolute Unix time that then advances normally).
 * clock_mono_us() is for measuring durations and is never shifted.
 */
#ifndef TANDEM_CORE_CLOCK_H
#define TANDEM_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Seconds since the Unix epoch, UTC, including the test offset. */
int64_t clock_now(void);
/* Monotonic microseconds, for durations only. */
int64_t clock_mono_us(void);
/* Shift clock_now() by seconds (may be negative). Thread-safe. */
void clock_set_offset(int64_t seconds);
int64_t clock_get_offset(void);
/* Apply TANDEM_CLOCK_OFFSET / TANDEM_NOW from the environment. Returns 0 or -1 if malformed. */
int clock_init_from_env(void);
/*
 * Format a Unix time as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes).
 * The formatters below write "" for an instant beyond the years a struct tm
 * holds (about two billion years either way) or whose text does not fit.
 */
void clock_format_iso(int64_t t, char *out, size_t size);
/* Format a Unix time as "YYYY-MM-DD" into out (at least 11 bytes). */
void clock_format_date(int64_t t, char *out, size_t size);

/*
 * School time. Tandem is for schools in England, so times people type and
 * read (a meeting at 16:00) are UK civil time, Europe/London: GMT, and
 * British Summer Time (GMT+1) from 01:00 UTC on the last Sunday in March
 * until 01:00 UTC on the last Sunday in October. The store keeps UTC.
 */
/* Seconds UK civil time is ahead of UTC at instant t: 3600 in summer time, else 0. */
int64_t clock_uk_offset(int64_t t);
/*
 * The instant (UTC) of a UK wall-clock time given as seconds since the
 * epoch as if it were UTC (a day's midnight plus hours and minutes). In the
 * hour skipped in March the time is read as GMT; in the hour repeated in
 * October, as the first (summer time) one.
 */
int64_t clock_uk_to_utc(int64_t local);
/* t in UK civil time for people: "1 October 2025", or with_time "1 October 2025, 16:00" (size >= 32). */
void clock_format_uk(int64_t t, int with_time, char *out, size_t size);
/* The UK civil day of t as "YYYY-MM-DD" and the time as "HH:MM" (either may be NULL; 11 and 6 bytes). */
void clock_uk_day_time(int64_t t, char *day, char *hhmm);

#endif
