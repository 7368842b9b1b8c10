// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * clock.h — the one place the application asks what time it is, so that
 * expiries, reminders and partnership health can be tested by moving time.
 *
 * clock_now() is wall-clock UTC seconds plus an offset. The offset comes from
 * clock_set_offset() or, at start-up, from TANDEM_CLOCK_OFFSET (seconds) or
 * TANDEM_NOW (an absolute Unix time that then advances normally).
 * clock_mono_us() is for measuring durations and is never shifted.
 *
 * It is also the one place dates and times are parsed and written for
 * people: days typed as YYYY-MM-DD (refused, never rolled over, when no such
 * day exists), times of day, UK civil time (GMT and BST, with the skipped
 * and the repeated hour), and days and times in words.
 */
#ifndef TANDEM_CORE_CLOCK_H
#define TANDEM_CORE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Seconds since the Unix epoch, UTC, including the test offset. */
int64_t clock_now(void);
/* Monotonic microseconds, for durations only. */
int64_t clock_mono_us(void);
/* Shift clock_now() by seconds (may be negative). Thread-safe. */
void clock_set_offset(int64_t seconds);
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
/*
 * t in UK civil time for people: "1 October 2025", or with_time "1 October
 * 2025, 16:00" (size >= 40). A wall time that happens twice (the hour
 * repeated when the clocks go back) says which: "25 October 2026, 01:30 BST"
 * or "…, 01:30 GMT".
 */
void clock_format_uk(int64_t t, int with_time, char *out, size_t size);
/* The UK civil day of t as "YYYY-MM-DD" and the time as "HH:MM" (either may be NULL; 11 and 6 bytes). */
void clock_uk_day_time(int64_t t, char *day, char *hhmm);

/* How often a UK wall-clock time happens on its day (see clock_uk_resolve). */
enum clock_uk_kind {
	CLOCK_UK_ONCE,    /* an ordinary time */
	CLOCK_UK_SKIPPED, /* never: the clocks went forward over it (01:00-01:59 on the last Sunday in March) */
	CLOCK_UK_TWICE,   /* twice: the clocks went back over it (01:00-01:59 on the last Sunday in October) */
};
/*
 * The instant (UTC) of a UK wall-clock time given as in clock_uk_to_utc,
 * into *out, and how often that time happens. A time that happens twice is
 * taken as the first (summer time, BST) one; a skipped time gets what
 * clock_uk_to_utc gives, for a caller that moves it rather than refusing it.
 */
enum clock_uk_kind clock_uk_resolve(int64_t local, int64_t *out);

/*
 * ---- Days and times as people type them, and days as they read them ----
 * Days are kept as 00:00 UTC of the day ("the day of t" means t's UTC day);
 * times of day are UK wall-clock times (see above).
 */

/* Bytes enough for the sentence clock_parse_day writes into why. */
#define CLOCK_WHY_SIZE 96
/* Days in month (1-12) of year, by the Gregorian calendar; 0 for a month out of range. */
int clock_days_in_month(int year, int month);
/*
 * Parse a day written YYYY-MM-DD (as a date field sends it) into 00:00 UTC
 * of that day. Returns 0; ERR_PARSE when s is not written so; ERR_INVALID
 * when it is but names no real day (2025-02-30, 2025-04-31, 2025-02-29,
 * month 13), with why (may be NULL; CLOCK_WHY_SIZE bytes) saying which for
 * a person: "February 2025 has 28 days". Nothing is ever rolled over into
 * another day.
 */
int clock_parse_day(const char *s, int64_t *out, char *why) WUR;
/* Parse a time of day written HH:MM (00:00 to 23:59) into seconds after midnight. 0 or ERR_PARSE. */
int clock_parse_hhmm(const char *s, int64_t *out) WUR;
/*
 * Parse a UTC instant written as clock_format_iso writes it,
 * "YYYY-MM-DDTHH:MM:SSZ", into *out. 0, or ERR_PARSE (also for no real day
 * or time, like 2025-02-30T… or …T24:00:00Z).
 */
int clock_parse_iso(const char *s, int64_t *out) WUR;
/* The day of t for people: "6 December 2026", or without the year "6 December" (size >= 32). */
void clock_format_day(int64_t t, bool with_year, char *out, size_t size);
/* The day of t for people, with the year only when it is not the year of now ("6 December"). */
void clock_format_day_near(int64_t t, int64_t now, char *out, size_t size);
/* t as an email Date header (RFC 5322), in UTC: "Sun, 06 Dec 2026 16:00:00 +0000" (size >= 32). */
void clock_format_rfc5322(int64_t t, char *out, size_t size);

#endif
