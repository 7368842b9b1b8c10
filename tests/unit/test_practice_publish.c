// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_practice_publish.c — the public step of shared practice's visibility
 * (src/app/practice/policy.c, used by search.c): a public item is seen by
 * everyone, signed in or not; only a coordinator of the item's network
 * publishes, only an item the network already sees, never their own; the
 * author, the coordinators and administrators take it back.
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

#define AUTHOR 20

enum who { ANON, OUTSIDER, COLLEAGUE, OTHER_STAFF, COORD, ADMIN, THE_AUTHOR, COORD_AUTHOR, WHO__MAX };
static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "colleague", "other school's staff",
						"coordinator", "admin", "author", "coordinator who wrote it"};

static struct practice_access access_for(enum who w)
{
	struct practice_access a = {0};
	switch (w) {
	case ANON: break;
	case OUTSIDER: a.person_id = 10; a.school_urn = 900; a.role = SCHOOL_ROLE_LEAD; break;
	case COLLEAGUE: a.person_id = 11; a.school_urn = 100; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case OTHER_STAFF: a.person_id = 14; a.school_urn = 200; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case COORD: a.person_id = 16; a.coordinator = true; break;
	case ADMIN: a.person_id = 17; a.is_admin = true; break;
	case THE_AUTHOR: a.person_id = AUTHOR; a.school_urn = 100; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case COORD_AUTHOR:
		a.person_id = AUTHOR; a.school_urn = 100; a.role = SCHOOL_ROLE_LEAD; a.school_member = true;
		a.coordinator = true;
		break;
	case WHO__MAX: break;
	}
	return a;
}

static const struct practice_item school_item = {.author_id = AUTHOR, .urn = 100, .vis = PRACTICE_VIS_SCHOOL};
static const struct practice_item network_item = {.author_id = AUTHOR, .urn = 100, .vis = PRACTICE_VIS_NETWORK};
static const struct practice_item public_item = {.author_id = AUTHOR, .urn = 100, .vis = PRACTICE_VIS_PUBLIC};

/* Check one row: expected[w] for every kind of person. */
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

/*                                       anon  out   coll  o.st  coord admin author c.auth */
static void test_a_public_item_is_seen_by_everyone_signed_in_or_not(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {true, true, true, true, true, true, true, true};
	check_row("see public item", practice_can_see, &public_item, e);
}

static void test_only_a_coordinator_publishes_a_network_item_and_never_their_own(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, true, false, false, false};
	check_row("publish network item", practice_can_publish, &network_item, e);
}

static void test_nobody_publishes_a_school_only_or_public_item(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false};
	check_row("publish school item", practice_can_publish, &school_item, e);
	check_row("publish public item", practice_can_publish, &public_item, e);
}

static void test_the_author_coordinators_and_admins_take_a_public_item_back(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, true, true, true, true};
	check_row("unpublish public item", practice_can_unpublish, &public_item, e);
	const bool none[WHO__MAX] = {false};
	check_row("unpublish network item", practice_can_unpublish, &network_item, none);
}

static void test_public_is_a_name_but_never_read_back_from_an_item_row(void **state)
{
	(void)state;
	assert_string_equal(practice_vis_name(PRACTICE_VIS_PUBLIC), "public");
	enum practice_vis v = PRACTICE_VIS_SCHOOL;
	assert_int_equal(practice_vis_parse("public", &v), -1);
	assert_int_equal(v, PRACTICE_VIS_SCHOOL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_public_item_is_seen_by_everyone_signed_in_or_not),
		cmocka_unit_test(test_only_a_coordinator_publishes_a_network_item_and_never_their_own),
		cmocka_unit_test(test_nobody_publishes_a_school_only_or_public_item),
		cmocka_unit_test(test_the_author_coordinators_and_admins_take_a_public_item_back),
		cmocka_unit_test(test_public_is_a_name_but_never_read_back_from_an_item_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
