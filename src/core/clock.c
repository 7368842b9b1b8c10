// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * clock.c — injectable wall clock and a monotonic clock, and UK civil time
 * (Europe/London: GMT and British Summer Time) worked out from the rule in
 * force since 1996 rather than the process's TZ, which is global state and
 * not thread-safe to change.
 */
#include "core/clock.h"

#include <stdatomic.h>
#include <stdbool.h>
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

int64_t clock_get_offset(void)
{
	return atomic_load(&clock_offset);
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

/*
 * t as a UTC calendar time in *tm. False when t is beyond the years a
 * struct tm can hold (about two billion years either way): gmtime_r fails
 * and would leave *tm unset.
 */
static bool utc_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;
	return (int64_t)tt == t && gmtime_r(&tt, tm) != NULL;
}

/* The texts format_utc writes. */
enum utc_text { UTC_ISO, UTC_DATE, UTC_HHMM };

/* t as text into out, or "" when t has no calendar time or the text does not fit. */
static void format_utc(int64_t t, enum utc_text what, char *out, size_t size)
{
	struct tm tm;
	size_t n = 0;
	if (!size)
		return;
	if (utc_tm(t, &tm)) {
		switch (what) {
		case UTC_ISO:
			n = strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
			break;
		case UTC_DATE:
			n = strftime(out, size, "%Y-%m-%d", &tm);
			break;
		case UTC_HHMM:
			n = strftime(out, size, "%H:%M", &tm);
			break;
		}
	}
	if (n == 0)
		out[0] = '\0';
}

void clock_format_iso(int64_t t, char *out, size_t size)
{
	format_utc(t, UTC_ISO, out, size);
}

void clock_format_date(int64_t t, char *out, size_t size)
{
	format_utc(t, UTC_DATE, out, size);
}

/* 01:00 UTC on the last Sunday of month mon (0-based) of tm_year (years since 1900). */
static int64_t last_sunday_1am(int tm_year, int mon)
{
	struct tm tm = {.tm_year = tm_year, .tm_mon = mon, .tm_mday = 31, .tm_hour = 1};
	time_t t = timegm(&tm);
	struct tm w;
	if (!utc_tm((int64_t)t, &w))
		return (int64_t)t;
	return (int64_t)t - (int64_t)w.tm_wday * 86400;
}

int64_t clock_uk_offset(int64_t t)
{
	struct tm tm;
	if (!utc_tm(t, &tm))
		return 0;
	return t >= last_sunday_1am(tm.tm_year, 2) && t < last_sunday_1am(tm.tm_year, 9) ? 3600 : 0;
}

int64_t clock_uk_to_utc(int64_t local)
{
	/* Summer time when the instant an hour earlier is in summer time; otherwise GMT. */
	if (local < INT64_MIN + 3600)
		return local; /* no hour earlier: far outside summer time anyway */
	return clock_uk_offset(local - 3600) ? local - 3600 : local;
}

static const char *const uk_months[12] = {"January", "February", "March",     "April",   "May",      "June",
					  "July",    "August",   "September", "October", "November", "December"};

void clock_format_uk(int64_t t, int with_time, char *out, size_t size)
{
	struct tm tm;
	int64_t off = clock_uk_offset(t); /* 3600 only for instants far from INT64_MAX */
	if (!size)
		return;
	if (!utc_tm(t + off, &tm)) {
		out[0] = '\0';
		return;
	}
	long year = (long)tm.tm_year + 1900;
	if (with_time)
		snprintf(out, size, "%d %s %ld, %02d:%02d", tm.tm_mday, uk_months[tm.tm_mon], year, tm.tm_hour,
			 tm.tm_min);
	else
		snprintf(out, size, "%d %s %ld", tm.tm_mday, uk_months[tm.tm_mon], year);
}

void clock_uk_day_time(int64_t t, char *day, char *hhmm)
{
	int64_t local = t + clock_uk_offset(t);
	if (day)
		format_utc(local, UTC_DATE, day, 11);
	if (hhmm)
		format_utc(local, UTC_HHMM, hhmm, 6);
}
