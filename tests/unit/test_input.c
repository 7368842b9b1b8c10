// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_input.c — reading values as people type them (src/http/input.c):
 * dates in the ways people write them and the impossible ones refused,
 * times of day with and without am/pm, amounts with commas and pound
 * signs, durations in hours and minutes, and the shortest decimal text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/input.h"

/* The date s reads as, as "YYYY-MM-DD" in a static buffer, or the problem's name. */
static const char *date_of(const char *s)
{
	static char out[32];
	struct input_date dt;
	switch (input_date(s, &dt)) {
	case INPUT_OK:
		snprintf(out, sizeof(out), "%04d-%02d-%02d", dt.y, dt.m, dt.d);
		return out;
	case INPUT_NO_SUCH_DAY:
		return "no such day";
	case INPUT_WRONG_WEEKDAY:
		return "wrong weekday";
	default:
		return "unrecognised";
	}
}

static void iso_dates_are_read(void **state)
{
	(void)state;
	assert_string_equal(date_of("2026-12-06"), "2026-12-06");
	assert_string_equal(date_of("2026/12/06"), "2026-12-06");
	assert_string_equal(date_of("2028-02-29"), "2028-02-29");
}

static void day_first_numeric_dates_are_read(void **state)
{
	(void)state;
	assert_string_equal(date_of("6/12/2026"), "2026-12-06");
	assert_string_equal(date_of("06/12/2026"), "2026-12-06");
	assert_string_equal(date_of("6-12-2026"), "2026-12-06");
	assert_string_equal(date_of("6.12.2026"), "2026-12-06");
	assert_string_equal(date_of("6 / 12 / 2026"), "2026-12-06");
	assert_string_equal(date_of("6/12/26"), "2026-12-06");
}

static void dates_with_the_month_named_are_read(void **state)
{
	(void)state;
	assert_string_equal(date_of("6 Dec 2026"), "2026-12-06");
	assert_string_equal(date_of("6 December 2026"), "2026-12-06");
	assert_string_equal(date_of("6 DECEMBER 2026"), "2026-12-06");
	assert_string_equal(date_of("6th of December 2026"), "2026-12-06");
	assert_string_equal(date_of("6 Dec. 2026"), "2026-12-06");
	assert_string_equal(date_of("December 6, 2026"), "2026-12-06");
	assert_string_equal(date_of("Dec 6th 2026"), "2026-12-06");
	assert_string_equal(date_of("1 Sept 2026"), "2026-09-01");
	assert_string_equal(date_of("Sunday 6 December 2026"), "2026-12-06");
	assert_string_equal(date_of("Sun, 6 Dec 2026"), "2026-12-06");
}

static void impossible_dates_are_refused(void **state)
{
	(void)state;
	assert_string_equal(date_of("30 February 2028"), "no such day");
	assert_string_equal(date_of("31 April 2026"), "no such day");
	assert_string_equal(date_of("29/2/2027"), "no such day");
	assert_string_equal(date_of("2100-02-29"), "no such day");
	assert_string_equal(date_of("2000-02-29"), "2000-02-29");
	assert_string_equal(date_of("32 January 2026"), "no such day");
}

static void a_day_of_the_week_that_does_not_match_is_refused(void **state)
{
	(void)state;
	assert_string_equal(date_of("Monday 6 December 2026"), "wrong weekday");
}

static void things_that_are_not_dates_are_unrecognised(void **state)
{
	(void)state;
	const char *bad[] = {"",	   "yesterday",	       "2026-12",	"6 Smarch 2026",
			     "13/13/2026", "6/12-2026",	       "12/6",		"6 December",
			     "0000-01-01", "2026-12-06T10:00", "6 December 20", "0/12/2026",
			     "6, 12, 2026", "2026-12-06 x",    "6 12 2026",	"123456/1/2026",
			     "6 of of December 2026", "Someday 6 December 2026"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (strcmp(date_of(bad[i]), "unrecognised") != 0)
			fail_msg("'%s' read as %s", bad[i], date_of(bad[i]));
	}
}

static void days_and_weekdays_are_counted_from_the_calendar(void **state)
{
	(void)state;
	struct input_date epoch = {1970, 1, 1}, today = {2026, 12, 6}, leap = {2000, 3, 1};
	assert_int_equal(input_days_since_epoch(&epoch), 0);
	assert_int_equal(input_weekday(&epoch), 3); /* a Thursday */
	assert_int_equal(input_weekday(&today), 6); /* a Sunday */
	assert_int_equal(input_days_since_epoch(&leap), 11017);
	assert_true(input_leap_year(2028));
	assert_false(input_leap_year(1900));
	assert_int_equal(input_days_in_month(2027, 2), 28);
	assert_string_equal(input_month_name(12), "December");
}

/* Minutes after midnight s reads as, or -1. */
static int time_of(const char *s)
{
	int m;
	return input_time(s, &m) == INPUT_OK ? m : -1;
}

static void times_of_day_are_read_as_people_type_them(void **state)
{
	(void)state;
	assert_int_equal(time_of("16:00"), 960);
	assert_int_equal(time_of("16.00"), 960);
	assert_int_equal(time_of("4pm"), 960);
	assert_int_equal(time_of("4 PM"), 960);
	assert_int_equal(time_of("4.30 p.m."), 990);
	assert_int_equal(time_of("9:30am"), 570);
	assert_int_equal(time_of("9:30"), 570);
	assert_int_equal(time_of("0930"), 570);
	assert_int_equal(time_of("9"), 540);
	assert_int_equal(time_of("12am"), 0);
	assert_int_equal(time_of("12pm"), 720);
	assert_int_equal(time_of("noon"), 720);
	assert_int_equal(time_of("Midnight"), 0);
	assert_int_equal(time_of("23:59"), 1439);
	assert_int_equal(time_of("16:00:00"), 960);
	assert_int_equal(time_of("16:00:30.5"), 960);
}

static void impossible_times_are_refused(void **state)
{
	(void)state;
	const char *bad[] = {"", "24:00", "13pm", "0am", "9:5", "9:60", "four", "4pmx", "12345",
			     "16:00:60", "4 o'clock", "9.30.00", "-1:00", "2460"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (time_of(bad[i]) != -1)
			fail_msg("'%s' read as %d", bad[i], time_of(bad[i]));
}

/* Hundredths s reads as, or INT64_MIN with *why set. */
static int64_t decimal_of(const char *s, enum input_problem *why)
{
	int64_t v;
	*why = input_decimal(s, &v);
	return *why == INPUT_OK ? v : INT64_MIN;
}

static void amounts_are_read_with_commas_and_pound_signs(void **state)
{
	(void)state;
	enum input_problem why;
	assert_int_equal(decimal_of("1500", &why), 150000);
	assert_int_equal(decimal_of("1,500", &why), 150000);
	assert_int_equal(decimal_of("\xc2\xa3" "500", &why), 50000);
	assert_int_equal(decimal_of("\xc2\xa3 1,500.50", &why), 150050);
	assert_int_equal(decimal_of("1,234,567.8", &why), 123456780);
	assert_int_equal(decimal_of("1.5", &why), 150);
	assert_int_equal(decimal_of(".5", &why), 50);
	assert_int_equal(decimal_of("5.", &why), 500);
	assert_int_equal(decimal_of("1.500", &why), 150);
	assert_int_equal(decimal_of("0.05", &why), 5);
	assert_int_equal(decimal_of("-\xc2\xa3" "5", &why), -500);
	assert_int_equal(decimal_of("\xc2\xa3-5", &why), -500);
	assert_int_equal(decimal_of("0", &why), 0);
}

static void amounts_that_are_not_numbers_are_refused_with_the_reason(void **state)
{
	(void)state;
	enum input_problem why;
	const char *bad[] = {"", ".", "1,50", "1,5000", "12,34,567", "1234,567", ",5", "abc",
			     "\xc2\xa3", "1 500", "1.5.5", "1e3", "--5", "5-", "1,500,00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		decimal_of(bad[i], &why);
		if (why != INPUT_UNRECOGNISED)
			fail_msg("'%s' gave %d", bad[i], (int)why);
	}
	decimal_of("1.234", &why);
	assert_int_equal(why, INPUT_TOO_PRECISE);
	decimal_of("99999999999999", &why);
	assert_int_equal(why, INPUT_TOO_LARGE);
	assert_int_equal(decimal_of("9999999999999.99", &why), 999999999999999);
}

/* Hundredths of an hour s reads as, or -1. */
static int64_t hours_of(const char *s)
{
	int64_t v;
	return input_hours(s, &v) == INPUT_OK ? v : -1;
}

static void durations_are_read_in_hours_and_minutes(void **state)
{
	(void)state;
	assert_int_equal(hours_of("1.5"), 150);
	assert_int_equal(hours_of("6"), 600);
	assert_int_equal(hours_of("1h30"), 150);
	assert_int_equal(hours_of("1h30m"), 150);
	assert_int_equal(hours_of("1h 30m"), 150);
	assert_int_equal(hours_of("1 hour 30 minutes"), 150);
	assert_int_equal(hours_of("1 hr and 30 mins"), 150);
	assert_int_equal(hours_of("1:30"), 150);
	assert_int_equal(hours_of("0:45"), 75);
	assert_int_equal(hours_of("90 min"), 150);
	assert_int_equal(hours_of("90 Minutes"), 150);
	assert_int_equal(hours_of("90m"), 150);
	assert_int_equal(hours_of("2 hours"), 200);
	assert_int_equal(hours_of("2h"), 200);
	assert_int_equal(hours_of("1.5 hrs"), 150);
	assert_int_equal(hours_of("20 min"), 33);
	assert_int_equal(hours_of("1h20"), 133);
}

static void durations_that_are_not_hours_are_refused(void **state)
{
	(void)state;
	const char *bad[] = {"",	"h",	   "lots",  "1h70",  "1.5h30", "30 min 1 h",
			     "1:5", "1 day",   "1h30h", "1:75",  "-3",     "1.5 min",
			     "2 hours 30 hours", "and 30", "1h and", "\xc2\xa3" "5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (hours_of(bad[i]) != -1)
			fail_msg("'%s' read as %lld", bad[i], (long long)hours_of(bad[i]));
	int64_t v;
	assert_int_equal(input_hours("1.333", &v), INPUT_TOO_PRECISE);
}

static void decimals_are_written_in_their_shortest_form(void **state)
{
	(void)state;
	char out[INPUT_DECIMAL_TEXT];
	const struct {
		int64_t v;
		const char *text;
	} cases[] = {{150000, "1500"}, {150, "1.5"},  {125, "1.25"}, {5, "0.05"},
		     {-25, "-0.25"},   {0, "0"},      {-500, "-5"},  {999999999999999, "9999999999999.99"},
		     {INT64_MIN, "-92233720368547758.08"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		input_decimal_text(cases[i].v, out);
		assert_string_equal(out, cases[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iso_dates_are_read),
		cmocka_unit_test(day_first_numeric_dates_are_read),
		cmocka_unit_test(dates_with_the_month_named_are_read),
		cmocka_unit_test(impossible_dates_are_refused),
		cmocka_unit_test(a_day_of_the_week_that_does_not_match_is_refused),
		cmocka_unit_test(things_that_are_not_dates_are_unrecognised),
		cmocka_unit_test(days_and_weekdays_are_counted_from_the_calendar),
		cmocka_unit_test(times_of_day_are_read_as_people_type_them),
		cmocka_unit_test(impossible_times_are_refused),
		cmocka_unit_test(amounts_are_read_with_commas_and_pound_signs),
		cmocka_unit_test(amounts_that_are_not_numbers_are_refused_with_the_reason),
		cmocka_unit_test(durations_are_read_in_hours_and_minutes),
		cmocka_unit_test(durations_that_are_not_hours_are_refused),
		cmocka_unit_test(decimals_are_written_in_their_shortest_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
