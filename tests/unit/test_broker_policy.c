// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_broker_policy.c — every broker permission (src/app/broker/policy.c)
 * for every kind of person, cell by cell as the table at the top of
 * policy.c says, then the edges: deny by default, a lead only for their own
 * member school, another network's coordinator nothing.
 *
 * The network has member schools 100 (whose lead, staff and governor are
 * rows) and 200; school 900 is not a member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "app/broker/policy.h"

#define NET 7
#define M1 100
#define M2 200
#define OUT 900

enum who { ANON, OUTSIDER, STAFF, GOVERNOR, LEAD, COORD, ADMIN, OTHER_COORD, WHO__MAX };
static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "staff", "governor",
						"lead", "coordinator", "admin", "other network's coordinator"};

static struct broker_access access_for(enum who w)
{
	struct broker_access a = {.network_id = NET};
	switch (w) {
	case ANON: break;
	case OUTSIDER: a.person_id = 10; a.school_urn = OUT; a.role = SCHOOL_ROLE_LEAD; break;
	case STAFF: a.person_id = 11; a.school_urn = M1; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case GOVERNOR: a.person_id = 12; a.school_urn = M1; a.role = SCHOOL_ROLE_GOVERNOR; a.school_member = true; break;
	case LEAD: a.person_id = 13; a.school_urn = M1; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case COORD: a.person_id = 14; a.coordinator = true; break;
	case ADMIN: a.person_id = 15; a.is_admin = true; break;
	case OTHER_COORD: a.person_id = 16; break; /* coordinates another network: no facts here */
	case WHO__MAX: break;
	}
	return a;
}

enum action { REVIEW, RUN, DECIDE, CAP_SEE_OWN, CAP_SEE_OTHER, CAP_SET_OWN, CAP_SET_OTHER, ACTION__MAX };

static bool decide(enum action act, const struct broker_access *a)
{
	switch (act) {
	case REVIEW: return policy_broker_review(a);
	case RUN: return policy_broker_run(a);
	case DECIDE: return policy_broker_decide(a);
	case CAP_SEE_OWN: return policy_broker_capacity_see(a, M1);
	case CAP_SEE_OTHER: return policy_broker_capacity_see(a, M2);
	case CAP_SET_OWN: return policy_broker_capacity_set(a, M1);
	case CAP_SET_OTHER: return policy_broker_capacity_set(a, M2);
	case ACTION__MAX: break;
	}
	return false;
}

/* The table: rows are people, columns the actions above ("own" is school 100, M1). */
static const bool table[WHO__MAX][ACTION__MAX] = {
	/*              review run    decide see1   see2   set1   set2 */
	[ANON] =        {false, false, false, false, false, false, false},
	[OUTSIDER] =    {false, false, false, false, false, false, false},
	[STAFF] =       {false, false, false, false, false, false, false},
	[GOVERNOR] =    {false, false, false, false, false, false, false},
	[LEAD] =        {false, false, false, true,  false, true,  false},
	[COORD] =       {true,  true,  true,  true,  true,  false, false},
	[ADMIN] =       {true,  false, false, true,  true,  true,  true},
	[OTHER_COORD] = {false, false, false, false, false, false, false},
};

static void every_person_may_do_exactly_what_the_table_says(void **state)
{
	(void)state;
	for (int w = 0; w < WHO__MAX; w++) {
		struct broker_access a = access_for((enum who)w);
		for (int act = 0; act < ACTION__MAX; act++) {
			bool got = decide((enum action)act, &a);
			if (got != table[w][act])
				fail_msg("%s, action %d: expected %d, got %d", who_names[w], act, table[w][act], got);
		}
	}
}

static void a_zeroed_access_is_refused_everything(void **state)
{
	(void)state;
	struct broker_access a = {0};
	for (int act = 0; act < ACTION__MAX; act++)
		assert_false(decide((enum action)act, &a));
	assert_false(policy_broker_review(NULL));
	assert_false(policy_broker_capacity_set(NULL, M1));
}

static void a_coordinator_with_no_network_is_refused(void **state)
{
	(void)state;
	struct broker_access a = access_for(COORD);
	a.network_id = 0;
	assert_false(policy_broker_review(&a));
	assert_false(policy_broker_run(&a));
	assert_false(policy_broker_decide(&a));
}

static void a_lead_whose_school_is_not_a_member_cannot_set_its_capacity(void **state)
{
	(void)state;
	struct broker_access a = access_for(LEAD);
	a.school_member = false;
	assert_false(policy_broker_capacity_set(&a, M1));
	assert_false(policy_broker_capacity_see(&a, M1));
}

static void no_one_sets_the_capacity_of_school_zero(void **state)
{
	(void)state;
	struct broker_access a = access_for(ADMIN);
	assert_false(policy_broker_capacity_set(&a, 0));
	assert_false(policy_broker_capacity_see(&a, -1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_person_may_do_exactly_what_the_table_says),
		cmocka_unit_test(a_zeroed_access_is_refused_everything),
		cmocka_unit_test(a_coordinator_with_no_network_is_refused),
		cmocka_unit_test(a_lead_whose_school_is_not_a_member_cannot_set_its_capacity),
		cmocka_unit_test(no_one_sets_the_capacity_of_school_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
