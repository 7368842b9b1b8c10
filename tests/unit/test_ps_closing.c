// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_ps_closing.c — a partnership's closing reflection joined into the one
 * stored text and split back (src/app/partnerships/closing.c), which is how
 * a case study made from a closed partnership puts what did not work under
 * "what did not work".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/partnerships/closing.h"
#include "core/arena.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void the_two_parts_come_back_as_they_were_written(void **state)
{
	const char *text = ps_closing_join(*state, "Paired planning.", "Winter sessions.\n\nToo few came.");
	assert_string_equal(text, "What worked:\nPaired planning.\n\nWhat did not work:\nWinter sessions.\n\nToo few came.");
	const char *worked, *not;
	assert_true(ps_closing_split(*state, text, &worked, &not));
	assert_string_equal(worked, "Paired planning.");
	assert_string_equal(not, "Winter sessions.\n\nToo few came.");
}

static void what_worked_may_hold_the_words_that_come_between_the_parts(void **state)
{
	const char *text = ps_closing_join(*state, "Our list\n\nWhat did not work:\nwas short.", "Late starts.");
	const char *worked, *not;
	assert_true(ps_closing_split(*state, text, &worked, &not));
	assert_string_equal(worked, "Our list\n\nWhat did not work:\nwas short.");
	assert_string_equal(not, "Late starts.");
}

static void a_reflection_written_as_one_text_does_not_split(void **state)
{
	const char *worked = "x", *not = "y";
	assert_false(ps_closing_split(*state, "Start the book club in the autumn term.", &worked, &not));
	assert_null(worked);
	assert_null(not);
	assert_false(ps_closing_split(*state, NULL, &worked, &not));
	assert_false(ps_closing_split(*state, "What worked:\nAll of it.", &worked, &not));
	assert_false(ps_closing_split(*state, "What worked:\n\n\nWhat did not work:\nNothing.", &worked, &not));
	assert_false(ps_closing_split(*state, "What worked:\nAll.\n\nWhat did not work:\n", &worked, &not));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_two_parts_come_back_as_they_were_written, setup, teardown),
		cmocka_unit_test_setup_teardown(what_worked_may_hold_the_words_that_come_between_the_parts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_reflection_written_as_one_text_does_not_split, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
