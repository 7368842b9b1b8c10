// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_reports_period.c — the period an impact report covers and how it
 * counts people (src/app/reports/model.c): an academic year and its label,
 * days typed (UK time), the end before the start and more than ten years
 * refused with a message, 29 February, and counts of 1 to 4 people written
 * "fewer than 5".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/reports/rep.h"
#include "core/arena.h"
#include "core/clock.h"

static void an_academic_year_runs_from_september_to_august_uk_time(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct rep_period p;
	rep_period_year(a, 2026, &p);
	char from[32], to[32];
	clock_format_iso(p.from, from, sizeof(from));
	clock_format_iso(p.to, to, sizeof(to));
	assert_string_equal(from, "2026-08-31T23:00:00Z"); /* midnight, British Summer Time */
	assert_string_equal(to, "2027-08-31T23:00:00Z");
	assert_string_equal(p.label, "2026/27");
	assert_int_equal(p.year, 2026);
	arena_free(a);
}

static void days_typed_make_a_period_with_both_days_in_it(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *errors = json_object();
	struct rep_period p;
	assert_int_equal(rep_period_days(a, "2026-09-01", "2026-12-31", errors, &p), 0);
	assert_int_equal(json_object_size(errors), 0);
	assert_string_equal(p.label, "1 September 2026 to 31 December 2026");
	char to[32];
	clock_format_iso(p.to, to, sizeof(to));
	assert_string_equal(to, "2027-01-01T00:00:00Z"); /* midnight after the last day, GMT */
	assert_int_equal(p.year, 0);
	json_decref(errors);
	arena_free(a);
}

static void an_end_before_the_start_is_refused_with_a_message(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *errors = json_object();
	struct rep_period p;
	assert_int_equal(rep_period_days(a, "2026-03-01", "2026-02-28", errors, &p), ERR_INVALID);
	assert_non_null(strstr(json_string_value(json_object_get(errors, "to")), "must not be before"));
	json_decref(errors);
	arena_free(a);
}

static void ten_years_are_allowed_and_one_day_more_is_not(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *errors = json_object();
	struct rep_period p;
	assert_int_equal(rep_period_days(a, "2016-09-01", "2026-08-31", errors, &p), 0);
	assert_int_equal(rep_period_days(a, "2016-09-01", "2026-09-01", errors, &p), ERR_INVALID);
	assert_non_null(strstr(json_string_value(json_object_get(errors, "to")), "at most 10 years"));
	json_decref(errors);
	arena_free(a);
}

static void ten_years_from_29_february_end_on_the_last_day_of_february(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *errors = json_object();
	struct rep_period p;
	assert_int_equal(rep_period_days(a, "2016-02-29", "2026-02-28", errors, &p), 0);
	assert_int_equal(rep_period_days(a, "2016-02-29", "2026-03-01", errors, &p), ERR_INVALID);
	json_decref(errors);
	arena_free(a);
}

static void counts_of_one_to_four_people_read_fewer_than_5(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(rep_people_count(a, 0), "0");
	for (int n = 1; n < 5; n++)
		assert_string_equal(rep_people_count(a, n), "fewer than 5");
	assert_string_equal(rep_people_count(a, 5), "5");
	assert_string_equal(rep_people_count(a, 412), "412");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_academic_year_runs_from_september_to_august_uk_time),
		cmocka_unit_test(days_typed_make_a_period_with_both_days_in_it),
		cmocka_unit_test(an_end_before_the_start_is_refused_with_a_message),
		cmocka_unit_test(ten_years_are_allowed_and_one_day_more_is_not),
		cmocka_unit_test(ten_years_from_29_february_end_on_the_last_day_of_february),
		cmocka_unit_test(counts_of_one_to_four_people_read_fewer_than_5),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
