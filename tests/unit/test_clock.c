// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_clock.c — days and times as people type and read them (core/clock):
 * days refused rather than rolled over when they do not exist, times of
 * day, stored instants, UK civil time around the hour the clocks skip and
 * the hour they repeat, and days and times in words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/clock.h"

/* 00:00 UTC on the days the tests use. */
#define D_2025_02_28 INT64_C(1740700800)
#define D_2024_02_29 INT64_C(1709164800)
#define D_2000_02_29 INT64_C(951782400)
#define D_2026_03_29 INT64_C(1774742400) /* clocks go forward at 01:00 GMT */
#define D_2026_10_25 INT64_C(1792886400) /* clocks go back at 02:00 BST */

static void real_days_are_read_as_midnight_utc(void **state)
{
	(void)state;
	int64_t t = -1;
	assert_int_equal(clock_parse_day("2025-02-28", &t, NULL), 0);
	assert_int_equal(t, D_2025_02_28);
	assert_int_equal(clock_parse_day("2024-02-29", &t, NULL), 0);
	assert_int_equal(t, D_2024_02_29);
	assert_int_equal(clock_parse_day("2000-02-29", &t, NULL), 0);
	assert_int_equal(t, D_2000_02_29);
	assert_int_equal(clock_parse_day("1970-01-01", &t, NULL), 0);
	assert_int_equal(t, 0);
	assert_int_equal(clock_parse_day("0001-01-01", &t, NULL), 0);
	assert_int_equal(t, INT64_C(-62135596800));
	assert_int_equal(clock_parse_day("9999-12-31", &t, NULL), 0);
	assert_int_equal(t, INT64_C(253402214400));
}

static void the_thirtieth_of_february_is_refused_not_moved_to_march(void **state)
{
	(void)state;
	char why[CLOCK_WHY_SIZE];
	int64_t t = -1;
	assert_int_equal(clock_parse_day("2025-02-30", &t, why), ERR_INVALID);
	assert_int_equal(t, 0);
	assert_string_equal(why, "February 2025 has 28 days");
}

static void the_twenty_ninth_of_february_exists_only_in_leap_years(void **state)
{
	(void)state;
	char why[CLOCK_WHY_SIZE];
	int64_t t;
	assert_int_equal(clock_parse_day("2025-02-29", &t, why), ERR_INVALID);
	assert_string_equal(why, "February 2025 has 28 days");
	assert_int_equal(clock_parse_day("1900-02-29", &t, why), ERR_INVALID);
	assert_string_equal(why, "February 1900 has 28 days");
	assert_int_equal(clock_parse_day("2024-02-30", &t, why), ERR_INVALID);
	assert_string_equal(why, "February 2024 has 29 days");
}

static void the_thirty_first_of_a_thirty_day_month_is_refused(void **state)
{
	(void)state;
	char why[CLOCK_WHY_SIZE];
	int64_t t;
	const char *days[] = {"2025-04-31", "2025-06-31", "2025-09-31", "2025-11-31"};
	const char *months[] = {"April", "June", "September", "November"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(clock_parse_day(days[i], &t, why), ERR_INVALID);
		assert_non_null(strstr(why, months[i]));
		assert_non_null(strstr(why, "has 30 days"));
	}
}

static void months_and_days_out_of_range_are_named(void **state)
{
	(void)state;
	char why[CLOCK_WHY_SIZE];
	int64_t t;
	assert_int_equal(clock_parse_day("2025-13-01", &t, why), ERR_INVALID);
	assert_string_equal(why, "there is no month 13 (months run from 01 to 12)");
	assert_int_equal(clock_parse_day("2025-00-10", &t, why), ERR_INVALID);
	assert_string_equal(why, "there is no month 00 (months run from 01 to 12)");
	assert_int_equal(clock_parse_day("2025-01-00", &t, why), ERR_INVALID);
	assert_string_equal(why, "there is no day 00 (days start at 01)");
	assert_int_equal(clock_parse_day("2025-01-32", &t, why), ERR_INVALID);
	assert_string_equal(why, "January 2025 has 31 days");
	assert_int_equal(clock_parse_day("0000-01-01", &t, why), ERR_INVALID);
}

static void a_day_not_written_yyyy_mm_dd_is_a_parse_error(void **state)
{
	(void)state;
	int64_t t;
	const char *bad[] = {"",           "2025-1-01",  "2025/01/01", "01-01-2025", "2025-01-01T00:00",
			     "2025-01-1",  " 2025-01-01", "2025-01-01 ", "+025-01-01", "2025-0a-01",
			     "2025-01--1", "20250101"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(clock_parse_day(bad[i], &t, NULL), ERR_PARSE);
	assert_int_equal(clock_parse_day(NULL, &t, NULL), ERR_PARSE);
}

static void days_in_month_follow_the_gregorian_calendar(void **state)
{
	(void)state;
	assert_int_equal(clock_days_in_month(2025, 2), 28);
	assert_int_equal(clock_days_in_month(2024, 2), 29);
	assert_int_equal(clock_days_in_month(2000, 2), 29);
	assert_int_equal(clock_days_in_month(2100, 2), 28);
	assert_int_equal(clock_days_in_month(2025, 4), 30);
	assert_int_equal(clock_days_in_month(2025, 12), 31);
	assert_int_equal(clock_days_in_month(2025, 13), 0);
	assert_int_equal(clock_days_in_month(2025, 0), 0);
}

static void a_time_of_day_is_hh_mm_within_the_day(void **state)
{
	(void)state;
	int64_t s = -1;
	assert_int_equal(clock_parse_hhmm("16:00", &s), 0);
	assert_int_equal(s, 16 * 3600);
	assert_int_equal(clock_parse_hhmm("00:00", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(clock_parse_hhmm("23:59", &s), 0);
	assert_int_equal(s, 23 * 3600 + 59 * 60);
	const char *bad[] = {"24:00", "12:60", "9:30", "09:5", "0930", "09:30:00", "ab:cd", "", "-1:30"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(clock_parse_hhmm(bad[i], &s), ERR_PARSE);
	assert_int_equal(clock_parse_hhmm(NULL, &s), ERR_PARSE);
}

static void a_stored_instant_reads_back_exactly(void **state)
{
	(void)state;
	char s[32];
	int64_t t;
	clock_format_iso(1751328000 + 15 * 3600 + 59, s, sizeof(s));
	assert_string_equal(s, "2025-07-01T15:00:59Z");
	assert_int_equal(clock_parse_iso(s, &t), 0);
	assert_int_equal(t, 1751328000 + 15 * 3600 + 59);
	const char *bad[] = {"2025-02-30T10:00:00Z", "2025-07-01T24:00:00Z", "2025-07-01T10:00:00",
			     "2025-07-01 10:00:00Z", "2025-07-01T10:00:60Z", "2025-07-01T10:00Z"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(clock_parse_iso(bad[i], &t), ERR_PARSE);
	assert_int_equal(clock_parse_iso(NULL, &t), ERR_PARSE);
}

static void a_time_the_clocks_skip_in_march_is_reported_as_skipped(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(clock_uk_resolve(D_2026_03_29 + 3600 + 1800, &t), CLOCK_UK_SKIPPED); /* 01:30 */
	assert_int_equal(clock_uk_resolve(D_2026_03_29 + 3600, &t), CLOCK_UK_SKIPPED);        /* 01:00 */
	assert_int_equal(clock_uk_resolve(D_2026_03_29 + 3600 + 3599, &t), CLOCK_UK_SKIPPED); /* 01:59:59 */
	assert_int_equal(clock_uk_resolve(D_2026_03_29 + 3599, &t), CLOCK_UK_ONCE);           /* 00:59:59 GMT */
	assert_int_equal(t, D_2026_03_29 + 3599);
	assert_int_equal(clock_uk_resolve(D_2026_03_29 + 2 * 3600, &t), CLOCK_UK_ONCE); /* 02:00 BST */
	assert_int_equal(t, D_2026_03_29 + 3600);
}

static void a_time_the_clocks_repeat_in_october_is_the_first_one_bst(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(clock_uk_resolve(D_2026_10_25 + 3600 + 1800, &t), CLOCK_UK_TWICE); /* 01:30 */
	assert_int_equal(t, D_2026_10_25 + 1800);                                          /* 00:30 UTC = 01:30 BST */
	assert_int_equal(clock_uk_resolve(D_2026_10_25 + 3600, &t), CLOCK_UK_TWICE);
	assert_int_equal(clock_uk_resolve(D_2026_10_25 + 3599, &t), CLOCK_UK_ONCE); /* 00:59:59 BST */
	assert_int_equal(t, D_2026_10_25 - 1);
	assert_int_equal(clock_uk_resolve(D_2026_10_25 + 2 * 3600, &t), CLOCK_UK_ONCE); /* 02:00 GMT */
	assert_int_equal(t, D_2026_10_25 + 2 * 3600);
	assert_int_equal(clock_uk_resolve(D_2026_10_25 + 16 * 3600, &t), CLOCK_UK_ONCE);
	assert_int_equal(t, D_2026_10_25 + 16 * 3600);
}

static void a_repeated_time_says_bst_or_gmt_when_written(void **state)
{
	(void)state;
	char s[48];
	clock_format_uk(D_2026_10_25 + 1800, 1, s, sizeof(s)); /* 00:30 UTC */
	assert_string_equal(s, "25 October 2026, 01:30 BST");
	clock_format_uk(D_2026_10_25 + 3600 + 1800, 1, s, sizeof(s)); /* 01:30 UTC */
	assert_string_equal(s, "25 October 2026, 01:30 GMT");
	clock_format_uk(D_2026_10_25 + 16 * 3600, 1, s, sizeof(s));
	assert_string_equal(s, "25 October 2026, 16:00");
	clock_format_uk(D_2026_10_25 + 1800, 0, s, sizeof(s));
	assert_string_equal(s, "25 October 2026");
}

static void days_are_written_in_words_with_the_year_when_it_differs(void **state)
{
	(void)state;
	char s[32];
	clock_format_day(D_2025_02_28, true, s, sizeof(s));
	assert_string_equal(s, "28 February 2025");
	clock_format_day(D_2025_02_28 + 86399, false, s, sizeof(s));
	assert_string_equal(s, "28 February");
	clock_format_day_near(D_2025_02_28, D_2025_02_28 + 100 * 86400, s, sizeof(s));
	assert_string_equal(s, "28 February");
	clock_format_day_near(D_2024_02_29, D_2025_02_28, s, sizeof(s));
	assert_string_equal(s, "29 February 2024");
}

static void the_email_date_header_is_rfc5322_in_utc(void **state)
{
	(void)state;
	char d[40];
	clock_format_rfc5322(1800000000, d, sizeof(d));
	assert_string_equal(d, "Fri, 15 Jan 2027 08:00:00 +0000");
	clock_format_rfc5322(D_2026_03_29 + 3600 + 5, d, sizeof(d));
	assert_string_equal(d, "Sun, 29 Mar 2026 01:00:05 +0000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_days_are_read_as_midnight_utc),
		cmocka_unit_test(the_thirtieth_of_february_is_refused_not_moved_to_march),
		cmocka_unit_test(the_twenty_ninth_of_february_exists_only_in_leap_years),
		cmocka_unit_test(the_thirty_first_of_a_thirty_day_month_is_refused),
		cmocka_unit_test(months_and_days_out_of_range_are_named),
		cmocka_unit_test(a_day_not_written_yyyy_mm_dd_is_a_parse_error),
		cmocka_unit_test(days_in_month_follow_the_gregorian_calendar),
		cmocka_unit_test(a_time_of_day_is_hh_mm_within_the_day),
		cmocka_unit_test(a_stored_instant_reads_back_exactly),
		cmocka_unit_test(a_time_the_clocks_skip_in_march_is_reported_as_skipped),
		cmocka_unit_test(a_time_the_clocks_repeat_in_october_is_the_first_one_bst),
		cmocka_unit_test(a_repeated_time_says_bst_or_gmt_when_written),
		cmocka_unit_test(days_are_written_in_words_with_the_year_when_it_differs),
		cmocka_unit_test(the_email_date_header_is_rfc5322_in_utc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
