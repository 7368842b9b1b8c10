// SPDX-License-Identifier: AGPL-3.0-or-later
/* clock.c — injectable wall clock and a monotonic clock. */
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
