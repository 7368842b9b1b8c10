// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_clock.c — libFuzzer target for dates and times: the text parsers
 * of days ("2025-10-01") and stored times ("2025-10-01T15:00:00Z"), the
 * whole number TANDEM_NOW is read with, and src/core/clock.c's UK civil
 * time (the GMT/BST offset, wall clock to UTC) and formatters. The input,
 * up to a NUL, is the text; its first eight bytes are also an instant
 * (any int64, so the far past and future are tried too).
 *
 * Nothing may crash, leak or trip a sanitizer for any instant. For
 * instants in years 1000–9999 the conversions must also agree: a stored
 * time or day written out reads back as the same instant; the UK day and
 * time of an instant, read back as UK wall-clock time, give the instant
 * again (or, in the hour repeated in October, the summer-time one); and a
 * wall-clock time read as UK time shows the same day and time, except in
 * the hour skipped in March. replay.c runs the saved corpus
 * (tests/fuzz/corpus/clock/) as a unit test.
 *
 * The text parsers are listed in one table (text_parsers): each takes a C
 * string and gives a Unix time, 0 when it refuses the text. They are
 * core/clock's clock_parse_day and clock_parse_iso, which read what people
 * type and what the store keeps. Text written from an instant must read
 * back to it, and an impossible day ("2025-02-30") must be refused, never
 * rolled over.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Crash loudly (the fuzzer records the input) when a promise is broken. */
static void check(int ok)
{
	if (!ok)
		abort();
}

/* -30610224000 is 1000-01-01T00:00:00Z; 253402300799 is 9999-12-31T23:59:59Z. */
#define FIRST_CHECKED INT64_C(-30610224000)
#define LAST_CHECKED INT64_C(253402300799)

/* What a parser reads: a day at midnight UTC, or a stored instant. */
enum text_kind { TEXT_DAY, TEXT_INSTANT };

/* clock_parse_day as "0 when refused" (1970-01-01 itself reads as 0 too: harmless here). */
static int64_t parse_day(const char *s)
{
	int64_t t;
	return clock_parse_day(s, &t, NULL) == 0 ? t : 0;
}

/* clock_parse_iso likewise. */
static int64_t parse_instant(const char *s)
{
	int64_t t;
	return clock_parse_iso(s, &t) == 0 ? t : 0;
}

static const struct {
	int64_t (*parse)(const char *s); /* Unix time, 0 when the text is refused */
	enum text_kind kind;
} text_parsers[] = {
	{parse_day, TEXT_DAY},
	{parse_instant, TEXT_INSTANT},
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static bool utf8_text(const char *s)
{
	return utf8_valid(s, strlen(s));
}

/* The UK day and time of instant t, as seconds since the epoch as if it were UTC. */
static int64_t uk_wall_clock(int64_t t)
{
	char day[11], hhmm[6];
	clock_uk_day_time(t, day, hhmm);
	return parse_day(day) + ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 3600 +
	       ((hhmm[3] - '0') * 10 + (hhmm[4] - '0')) * 60;
}

/* An instant: the formatters and UK time must not crash; in range, they must agree. */
static void check_instant(int64_t t)
{
	char iso[32], day[32], uk[64], ukt[64], uday[11], hhmm[6];
	int64_t off = clock_uk_offset(t);
	check(off == 0 || off == 3600);
	clock_format_iso(t, iso, sizeof(iso));
	clock_format_date(t, day, sizeof(day));
	clock_format_uk(t, 0, uk, sizeof(uk));
	clock_format_uk(t, 1, ukt, sizeof(ukt));
	clock_uk_day_time(t, uday, hhmm);
	check(utf8_text(iso) && utf8_text(day) && utf8_text(uk) && utf8_text(ukt) &&
	      utf8_text(uday) && utf8_text(hhmm));
	(void)clock_uk_to_utc(t);
	if (t < FIRST_CHECKED || t > LAST_CHECKED)
		return;

	/* Stored time and day round trips. */
	check(parse_instant(iso) == t);
	check(parse_day(day) == floor_div(t, 86400) * 86400);

	/* UK day and time, read back as UK wall-clock time. */
	int64_t minute = floor_div(t, 60) * 60;
	int64_t local = uk_wall_clock(t);
	check(local == minute + off);
	int64_t back = clock_uk_to_utc(local);
	check(back == minute || (off == 0 && back == minute - 3600));
}

/* A UK wall-clock time (seconds as if UTC): read as UK time, it shows the same day and time. */
static void check_wall_clock(int64_t local)
{
	if (local < FIRST_CHECKED + 86400 || local > LAST_CHECKED - 86400)
		return;
	int64_t t = clock_uk_to_utc(local);
	check(t == local || t == local - 3600);
	int64_t shown = uk_wall_clock(t), want = floor_div(local, 60) * 60;
	/* In the hour skipped in March the time is read as GMT: it shows an hour later. */
	check(shown == want || (shown == want + 3600 && clock_uk_offset(t) == 3600 &&
				clock_uk_offset(t - 3600) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';

	for (size_t i = 0; i < sizeof(text_parsers) / sizeof(text_parsers[0]); i++) {
		int64_t t = text_parsers[i].parse(s);
		check_instant(t);
		if (text_parsers[i].kind == TEXT_DAY) {
			/* A day at midnight UTC, plus a time of day as a meeting form gives it. */
			check(floor_div(t, 86400) * 86400 == t);
			/* A day read is the day written: never rolled over (2025-02-30 is refused). */
			if (t != 0) {
				char again[32];
				clock_format_date(t, again, sizeof(again));
				check(strcmp(again, s) == 0);
			}
			for (int64_t m = 0; m < 24 * 60; m += 37)
				check_wall_clock(t + m * 60);
		}
	}

	/* TANDEM_NOW and TANDEM_CLOCK_OFFSET are whole numbers of seconds. */
	int64_t v;
	if (str_to_int64(s, &v) == 0) {
		check_instant(v);
		check_wall_clock(v);
	}

	if (size >= sizeof(int64_t)) {
		int64_t t;
		memcpy(&t, data, sizeof(t));
		check_instant(t);
		check_wall_clock(t);
	}
	free(s);
	return 0;
}
