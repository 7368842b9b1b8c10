// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * clock.c — injectable wall clock and a monotonic clock, and UK civil time
 * (Europe/London: GMT and British Summer Time) worked out from the rule in
 * force since 1996 rather than the process's TZ, which is global state and
 * not thread-safe to change.
 */
#include "core/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/str.h"

static _Atomic int64_t clock_offset;

int64_t clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec + atomic_load(&clock_offset);
}

int64_t clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_set_offset(int64_t seconds)
{
	atomic_store(&clock_offset, seconds);
}

int clock_init_from_env(void)
{
	const char *off = getenv("TANDEM_CLOCK_OFFSET");
	const char *now = getenv("TANDEM_NOW");
	int64_t v;
	if (off && *off) {
		if (str_to_int64(off, &v))
			return -1;
		clock_set_offset(v);
	}
	if (now && *now) {
		if (str_to_int64(now, &v))
			return -1;
		clock_set_offset(0);
		clock_set_offset(v - clock_now());
	}
	return 0;
}

void clock_format_iso(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_format_date(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%d", &tm);
}

/* 01:00 UTC on the last Sunday of month mon (0-based) of year: when UK clocks change. */
static int64_t last_sunday_1am(int year, int mon)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = mon, .tm_mday = 31, .tm_hour = 1};
	time_t t = timegm(&tm);
	struct tm w;
	gmtime_r(&t, &w);
	return (int64_t)t - (int64_t)w.tm_wday * 86400;
}

int64_t clock_uk_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	int year = tm.tm_year + 1900;
	return t >= last_sunday_1am(year, 2) && t < last_sunday_1am(year, 9) ? 3600 : 0;
}

int64_t clock_uk_to_utc(int64_t local)
{
	/* Summer time when the instant an hour earlier is in summer time; otherwise GMT. */
	return clock_uk_offset(local - 3600) ? local - 3600 : local;
}

static const char *const uk_months[12] = {"January", "February", "March",     "April",   "May",      "June",
					  "July",    "August",   "September", "October", "November", "December"};

void clock_format_uk(int64_t t, int with_time, char *out, size_t size)
{
	time_t tt = (time_t)(t + clock_uk_offset(t));
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (with_time)
		snprintf(out, size, "%d %s %d, %02d:%02d", tm.tm_mday, uk_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
			 tm.tm_min);
	else
		snprintf(out, size, "%d %s %d", tm.tm_mday, uk_months[tm.tm_mon], tm.tm_year + 1900);
}

void clock_uk_day_time(int64_t t, char *day, char *hhmm)
{
	time_t tt = (time_t)(t + clock_uk_offset(t));
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (day)
		strftime(day, 11, "%Y-%m-%d", &tm);
	if (hhmm)
		strftime(hhmm, 6, "%H:%M", &tm);
}
