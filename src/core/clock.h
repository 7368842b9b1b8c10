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
/* Format a Unix time as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void clock_format_iso(int64_t t, char *out, size_t size);
/* Format a Unix time as "YYYY-MM-DD" into out (at least 11 bytes). */
void clock_format_date(int64_t t, char *out, size_t size);

#endif
