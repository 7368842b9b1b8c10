// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_page_dates.c — dates for people in a page model (src/app/page.c,
 * page_dates_for_people): a moment gets its UK-time words beside it, a day
 * its words, at any depth; what is not a date is left alone, and the ISO
 * value stays for JSON clients.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <cmocka.h>

#include "app/page.h"

static const char *text(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void a_moment_gets_its_words_in_uk_time_beside_it(void **state)
{
	(void)state;
	json_t *m = json_pack("{s:s, s:s}", "created_at", "2025-10-01T09:00:06Z", "at", "2026-01-15T16:30:00Z");
	page_dates_for_people(m);
	assert_string_equal(text(m, "created_at_text"), "1 October 2025, 10:00 UK time");
	assert_string_equal(text(m, "at_text"), "15 January 2026, 16:30 UK time");
	assert_string_equal(text(m, "created_at"), "2025-10-01T09:00:06Z");
	json_decref(m);
}

static void a_day_gets_its_words_and_nested_rows_are_reached(void **state)
{
	(void)state;
	json_t *m = json_pack("{s:[{s:s}, {s:{s:s}}]}", "runs", "snapshot_date", "2025-05-02", "run", "finished_at",
			      "2025-09-30T09:00:00Z");
	page_dates_for_people(m);
	json_t *runs = json_object_get(m, "runs");
	assert_string_equal(text(json_array_get(runs, 0), "snapshot_date_text"), "2 May 2025");
	assert_string_equal(text(json_object_get(json_array_get(runs, 1), "run"), "finished_at_text"),
			    "30 September 2025, 10:00 UK time");
	json_decref(m);
}

static void what_is_not_a_date_is_left_alone(void **state)
{
	(void)state;
	json_t *m = json_pack("{s:s, s:s, s:n, s:s}", "sent_at", "soon", "name", "2025-10-01T09:00:06Z", "last_used_at",
			      "due_date", "6/12/2026");
	page_dates_for_people(m);
	assert_null(json_object_get(m, "sent_at_text"));
	assert_null(json_object_get(m, "name_text"));
	assert_null(json_object_get(m, "last_used_at_text"));
	assert_null(json_object_get(m, "due_date_text"));
	assert_int_equal(json_object_size(m), 4);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_moment_gets_its_words_in_uk_time_beside_it),
		cmocka_unit_test(a_day_gets_its_words_and_nested_rows_are_reached),
		cmocka_unit_test(what_is_not_a_date_is_left_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
