// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_practice_tried_policy.c — the rules of case studies and "we tried
 * this" in shared practice's policy (src/app/practice/policy.c), cell by
 * cell: only the author changes a case study; "we tried this" is for
 * someone of another member school who sees the item, never for the item's
 * own school, coordinators acting for no school, outsiders or anonymous
 * visitors.
 *
 * The network has member schools 100 (the author's) and 200; school 900 is
 * not a member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "app/practice/policy.h"

#define M1 100
#define M2 200
#define OUT 900
#define AUTHOR 20

enum who { ANON, OUTSIDER, COLLEAGUE, LEAD, OTHER_STAFF, OTHER_GOVERNOR, COORD, ADMIN, THE_AUTHOR, WHO__MAX };
static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "colleague", "lead", "other school's staff",
						"other school's governor", "coordinator", "admin", "author"};

/* The facts about each kind of person. */
static struct practice_access access_for(enum who w)
{
	struct practice_access a = {0};
	switch (w) {
	case ANON: break;
	case OUTSIDER: a.person_id = 10; a.school_urn = OUT; a.role = SCHOOL_ROLE_LEAD; break;
	case COLLEAGUE: a.person_id = 11; a.school_urn = M1; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case LEAD: a.person_id = 13; a.school_urn = M1; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case OTHER_STAFF: a.person_id = 14; a.school_urn = M2; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case OTHER_GOVERNOR:
		a.person_id = 15; a.school_urn = M2; a.role = SCHOOL_ROLE_GOVERNOR; a.school_member = true; break;
	case COORD: a.person_id = 16; a.coordinator = true; break;
	case ADMIN: a.person_id = 17; a.is_admin = true; break;
	case THE_AUTHOR: a.person_id = AUTHOR; a.school_urn = M1; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case WHO__MAX: break;
	}
	return a;
}

static const struct practice_item school_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_SCHOOL};
static const struct practice_item network_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_NETWORK};

/* Check one row of the table: expected[w] for every kind of person. */
static void check_row(const char *what, bool (*fn)(const struct practice_access *, const struct practice_item *),
		      const struct practice_item *i, const bool expected[WHO__MAX])
{
	for (int w = 0; w < WHO__MAX; w++) {
		struct practice_access a = access_for((enum who)w);
		bool got = fn(&a, i);
		if (got != expected[w])
			fail_msg("%s: %s got %d, expected %d", what, who_names[w], got, expected[w]);
	}
}

/*                                        anon  out    coll   lead   o.st   o.gov  coord  admin  author */
static void test_only_the_author_changes_a_case_study(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, true};
	check_row("edit network item", practice_can_edit, &network_item, e);
	check_row("edit school item", practice_can_edit, &school_item, e);
}

static void test_another_member_school_that_sees_a_network_item_may_say_it_is_trying_it(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, true, true, false, false, false};
	check_row("try network item", practice_can_try, &network_item, e);
}

static void test_nobody_says_they_are_trying_a_school_only_item(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, false};
	check_row("try school item", practice_can_try, &school_item, e);
}

static void test_an_item_whose_author_left_is_still_tried_by_other_schools_and_edited_by_nobody(void **state)
{
	(void)state;
	const struct practice_item orphan = {.author_id = 0, .urn = M1, .vis = PRACTICE_VIS_NETWORK};
	const bool tr[WHO__MAX] = {false, false, false, false, true, true, false, false, false};
	const bool ed[WHO__MAX] = {false, false, false, false, false, false, false, false, false};
	check_row("try orphan", practice_can_try, &orphan, tr);
	check_row("edit orphan", practice_can_edit, &orphan, ed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_the_author_changes_a_case_study),
		cmocka_unit_test(test_another_member_school_that_sees_a_network_item_may_say_it_is_trying_it),
		cmocka_unit_test(test_nobody_says_they_are_trying_a_school_only_item),
		cmocka_unit_test(test_an_item_whose_author_left_is_still_tried_by_other_schools_and_edited_by_nobody),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
