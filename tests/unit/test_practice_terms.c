// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_practice_terms.c — the terms of a school's Good Ideas Scrapbook
 * (src/app/practice/scrapbook.c): reading "autumn-2026", the term a day
 * falls in, stepping between terms across years, and each term's range of
 * stored times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "app/practice/scrapbook.h"
#include "core/arena.h"
#include "core/clock.h"

static int64_t at(const char *iso)
{
	int64_t t = 0;
	assert_int_equal(clock_parse_iso(iso, &t), 0);
	return t;
}

static void test_a_term_and_year_are_read_and_anything_else_is_refused(void **state)
{
	(void)state;
	struct practice_term t;
	assert_int_equal(practice_term_parse("autumn-2026", &t), 0);
	assert_int_equal(t.term, PRACTICE_TERM_AUTUMN);
	assert_int_equal(t.year, 2026);
	assert_int_equal(practice_term_parse("spring-2027", &t), 0);
	assert_int_equal(t.term, PRACTICE_TERM_SPRING);
	const char *bad[] = {"winter-2026", "autumn-26", "autumn", "autumn-1999", "autumn-2101", "Autumn-2026",
			     "autumn-20x6", "-2026", "", NULL};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(practice_term_parse(bad[i], &t), ERR_INVALID);
	assert_int_equal(practice_term_parse(NULL, &t), ERR_INVALID);
}

static void test_a_day_falls_in_the_term_of_its_month(void **state)
{
	(void)state;
	struct practice_term t = practice_term_of(at("2026-12-31T23:59:59Z"));
	assert_int_equal(t.term, PRACTICE_TERM_AUTUMN);
	t = practice_term_of(at("2027-01-01T00:00:00Z"));
	assert_int_equal(t.term, PRACTICE_TERM_SPRING);
	assert_int_equal(t.year, 2027);
	t = practice_term_of(at("2027-04-01T00:00:00Z"));
	assert_int_equal(t.term, PRACTICE_TERM_SUMMER);
	t = practice_term_of(at("2027-08-31T12:00:00Z"));
	assert_int_equal(t.term, PRACTICE_TERM_SUMMER);
	t = practice_term_of(at("2027-09-01T00:00:00Z"));
	assert_int_equal(t.term, PRACTICE_TERM_AUTUMN);
}

static void test_stepping_crosses_the_new_year_both_ways(void **state)
{
	(void)state;
	struct practice_term autumn = {PRACTICE_TERM_AUTUMN, 2026};
	struct practice_term next = practice_term_step(autumn, 1);
	assert_int_equal(next.term, PRACTICE_TERM_SPRING);
	assert_int_equal(next.year, 2027);
	struct practice_term back = practice_term_step(next, -1);
	assert_int_equal(back.term, PRACTICE_TERM_AUTUMN);
	assert_int_equal(back.year, 2026);
	struct practice_term far = practice_term_step(autumn, -4);
	assert_int_equal(far.term, PRACTICE_TERM_SUMMER);
	assert_int_equal(far.year, 2025);
}

static void test_each_term_runs_to_the_first_instant_of_the_next(void **state)
{
	(void)state;
	char from[32], to[32];
	practice_term_range((struct practice_term){PRACTICE_TERM_AUTUMN, 2026}, from, to);
	assert_string_equal(from, "2026-09-01T00:00:00Z");
	assert_string_equal(to, "2027-01-01T00:00:00Z");
	practice_term_range((struct practice_term){PRACTICE_TERM_SUMMER, 2027}, from, to);
	assert_string_equal(from, "2027-04-01T00:00:00Z");
	assert_string_equal(to, "2027-09-01T00:00:00Z");
}

static void test_a_term_is_written_for_links_and_for_people(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct practice_term t = {PRACTICE_TERM_SPRING, 2027};
	assert_string_equal(practice_term_key(a, t), "spring-2027");
	assert_string_equal(practice_term_label(a, t), "Spring term 2027");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_term_and_year_are_read_and_anything_else_is_refused),
		cmocka_unit_test(test_a_day_falls_in_the_term_of_its_month),
		cmocka_unit_test(test_stepping_crosses_the_new_year_both_ways),
		cmocka_unit_test(test_each_term_runs_to_the_first_instant_of_the_next),
		cmocka_unit_test(test_a_term_is_written_for_links_and_for_people),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
