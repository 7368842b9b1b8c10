// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * clock.c — injectable wall clock and a monotonic clock, and UK civil time
 * (Europe/London: GMT and British Summer Time) worked out from the rule in
 * force since 1996 rather than the process's TZ, which is global state and
 * not thread-safe to change; and the one place dates and times are parsed
 * from what people type and written for them to read.
 */
#include "core/clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

enum clock_uk_kind clock_uk_resolve(int64_t local, int64_t *out)
{
	/* The wall time read as BST is the instant an hour earlier; read as GMT, the same instant.
	 * Each reading is real when UK time at that instant is indeed BST, or GMT. */
	bool as_bst = clock_uk_offset(local - 3600) == 3600;
	bool as_gmt = clock_uk_offset(local) == 0;
	*out = clock_uk_to_utc(local);
	if (as_bst && as_gmt)
		return CLOCK_UK_TWICE; /* *out is the BST one, the earlier */
	return as_bst || as_gmt ? CLOCK_UK_ONCE : CLOCK_UK_SKIPPED;
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
	if (with_time) {
		/* In the hour the clocks repeat in October, say which of the two it is. */
		int64_t first;
		const char *zone = "";
		if (clock_uk_resolve(t + off, &first) == CLOCK_UK_TWICE)
			zone = off ? " BST" : " GMT";
		snprintf(out, size, "%d %s %ld, %02d:%02d%s", tm.tm_mday, uk_months[tm.tm_mon], year, tm.tm_hour,
			 tm.tm_min, zone);
	} else {
		snprintf(out, size, "%d %s %ld", tm.tm_mday, uk_months[tm.tm_mon], year);
	}
}

void clock_uk_day_time(int64_t t, char *day, char *hhmm)
{
	int64_t local = t + clock_uk_offset(t);
	if (day)
		format_utc(local, UTC_DATE, day, 11);
	if (hhmm)
		format_utc(local, UTC_HHMM, hhmm, 6);
}

/* ---- Days and times as people type and read them ---------------------- */

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int clock_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	return month == 2 && leap_year(year) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian), without the C library's normalising. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n decimal digits at s into *v; false when any is not a digit. */
static bool digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/* "YYYY-MM-DD" at s (exactly 10 bytes examined) into y, m, d; false when not written so. */
static bool day_fields(const char *s, int *y, int *m, int *d)
{
	return s[0] && digits(s, 4, y) && s[4] == '-' && digits(s + 5, 2, m) && s[7] == '-' && digits(s + 8, 2, d);
}

int clock_parse_day(const char *s, int64_t *out, char *why)
{
	int y, m, d;
	*out = 0;
	if (why)
		why[0] = '\0';
	if (!s || strlen(s) != 10 || !day_fields(s, &y, &m, &d))
		return ERR_PARSE;
	if (y < 1) {
		if (why)
			snprintf(why, CLOCK_WHY_SIZE, "there is no year 0000");
		return ERR_INVALID;
	}
	if (m < 1 || m > 12) {
		if (why)
			snprintf(why, CLOCK_WHY_SIZE, "there is no month %02d (months run from 01 to 12)", m);
		return ERR_INVALID;
	}
	int last = clock_days_in_month(y, m);
	if (d < 1 || d > last) {
		if (why) {
			if (d < 1)
				snprintf(why, CLOCK_WHY_SIZE, "there is no day 00 (days start at 01)");
			else
				snprintf(why, CLOCK_WHY_SIZE, "%s %d has %d days", uk_months[m - 1], y, last);
		}
		return ERR_INVALID;
	}
	*out = days_from_civil(y, m, d) * 86400;
	return 0;
}

int clock_parse_hhmm(const char *s, int64_t *out)
{
	int h, m;
	*out = 0;
	if (!s || strlen(s) != 5 || !digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) || h > 23 || m > 59)
		return ERR_PARSE;
	*out = (int64_t)h * 3600 + m * 60;
	return 0;
}

int clock_parse_iso(const char *s, int64_t *out)
{
	char day[11];
	int64_t d;
	int h, m, sec;
	*out = 0;
	if (!s || strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z')
		return ERR_PARSE;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (clock_parse_day(day, &d, NULL) || !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &m) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec) || h > 23 || m > 59 || sec > 59)
		return ERR_PARSE;
	*out = d + (int64_t)h * 3600 + m * 60 + sec;
	return 0;
}

void clock_format_day(int64_t t, bool with_year, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(out, size, "?");
		return;
	}
	if (with_year)
		snprintf(out, size, "%d %s %d", tm.tm_mday, uk_months[tm.tm_mon], tm.tm_year + 1900);
	else
		snprintf(out, size, "%d %s", tm.tm_mday, uk_months[tm.tm_mon]);
}

void clock_format_day_near(int64_t t, int64_t now, char *out, size_t size)
{
	time_t a = (time_t)t, b = (time_t)now;
	struct tm ta, tb;
	bool same_year = gmtime_r(&a, &ta) && gmtime_r(&b, &tb) && ta.tm_year == tb.tm_year;
	clock_format_day(t, !same_year, out, size);
}

void clock_format_rfc5322(int64_t t, char *out, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(out, size, "?");
		return;
	}
	/* English three-letter month names whatever the locale: the first three letters of the full ones. */
	snprintf(out, size, "%s, %02d %.3s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
		 uk_months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
