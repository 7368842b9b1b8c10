// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_reports_policy.c — who sees which impact report (src/app/reports/
 * policy.c), cell by cell: the network's report in full, its aggregates,
 * a school's own page and the publishing switch, for every kind of person,
 * in a private network, a public one and a public one that published.
 *
 * The network has member schools 100 and 200; school 900 is not a member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/reports/policy.h"

#define NET 7
#define M1 100
#define M2 200
#define OUT 900

/* The kinds of person, as rows of the table. */
enum who { ANON, OUTSIDER, STAFF, GOVERNOR, LEAD, COORD, STEERING, ADMIN, WHO__MAX };

static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "staff", "governor",
						"lead", "coordinator", "steering", "admin"};

/* The access facts of who in network NET (public, published as given). */
static struct rep_access access_of(enum who w, bool public, bool published)
{
	struct rep_access a = {.network_id = NET, .network_public = public, .published = published};
	if (w == ANON)
		return a;
	a.person_id = 10 + (int64_t)w;
	switch (w) {
	case OUTSIDER:
		a.school_urn = OUT;
		a.role = SCHOOL_ROLE_LEAD;
		break;
	case STAFF:
	case GOVERNOR:
	case LEAD:
		a.school_urn = M1;
		a.role = w == STAFF ? SCHOOL_ROLE_STAFF : w == GOVERNOR ? SCHOOL_ROLE_GOVERNOR : SCHOOL_ROLE_LEAD;
		a.school_member = true;
		break;
	case COORD:
		a.coordinator = true;
		break;
	case STEERING:
		a.steering = true;
		break;
	case ADMIN:
		a.is_admin = true;
		break;
	default:
		break;
	}
	return a;
}

/* 0 none, 1 aggregates, 2 full, for each kind of person: private, public, public and published. */
static const int view_table[3][WHO__MAX] = {
	/*        anon out staff gov lead coord steer admin */
	[0] = {0, 0, 0, 0, 1, 2, 2, 2},
	[1] = {0, 0, 0, 0, 1, 2, 2, 2},
	[2] = {1, 1, 1, 1, 1, 2, 2, 2},
};

static void the_network_report_is_seen_as_the_table_says_in_every_kind_of_network(void **state)
{
	(void)state;
	for (int k = 0; k < 3; k++)
		for (int w = 0; w < WHO__MAX; w++) {
			struct rep_access a = access_of((enum who)w, k > 0, k == 2);
			int got = (int)rep_policy_network_view(&a);
			if (got != view_table[k][w])
				fail_msg("%s in network kind %d: view %d, expected %d", who_names[w], k, got,
					 view_table[k][w]);
		}
}

static void a_private_network_that_published_shows_outsiders_nothing(void **state)
{
	(void)state;
	struct rep_access a = access_of(OUTSIDER, false, true);
	assert_int_equal(rep_policy_network_view(&a), REP_VIEW_NONE);
	a = access_of(ANON, false, true);
	assert_int_equal(rep_policy_network_view(&a), REP_VIEW_NONE);
}

static void a_school_page_is_for_its_own_lead_and_the_people_who_run_the_network(void **state)
{
	(void)state;
	static const bool own[WHO__MAX] = {false, false, false, false, true, true, true, true};
	static const bool other[WHO__MAX] = {false, false, false, false, false, true, true, true};
	for (int w = 0; w < WHO__MAX; w++) {
		struct rep_access a = access_of((enum who)w, true, true);
		if (rep_policy_school_see(&a, M1) != own[w])
			fail_msg("%s and their own school", who_names[w]);
		if (rep_policy_school_see(&a, M2) != other[w])
			fail_msg("%s and another school", who_names[w]);
	}
}

static void only_coordinators_and_administrators_publish(void **state)
{
	(void)state;
	static const bool may[WHO__MAX] = {false, false, false, false, false, true, false, true};
	for (int w = 0; w < WHO__MAX; w++) {
		struct rep_access a = access_of((enum who)w, true, false);
		if (rep_policy_publish(&a) != may[w])
			fail_msg("%s publishing", who_names[w]);
	}
}

static void a_zeroed_access_is_denied_everything(void **state)
{
	(void)state;
	struct rep_access a;
	memset(&a, 0, sizeof(a));
	assert_int_equal(rep_policy_network_view(&a), REP_VIEW_NONE);
	assert_false(rep_policy_school_see(&a, M1));
	assert_false(rep_policy_publish(&a));
	assert_int_equal(rep_policy_network_view(NULL), REP_VIEW_NONE);
}

static void a_lead_whose_school_left_the_network_sees_nothing(void **state)
{
	(void)state;
	struct rep_access a = access_of(LEAD, false, false);
	a.school_member = false;
	assert_int_equal(rep_policy_network_view(&a), REP_VIEW_NONE);
	assert_false(rep_policy_school_see(&a, M1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_network_report_is_seen_as_the_table_says_in_every_kind_of_network),
		cmocka_unit_test(a_private_network_that_published_shows_outsiders_nothing),
		cmocka_unit_test(a_school_page_is_for_its_own_lead_and_the_people_who_run_the_network),
		cmocka_unit_test(only_coordinators_and_administrators_publish),
		cmocka_unit_test(a_zeroed_access_is_denied_everything),
		cmocka_unit_test(a_lead_whose_school_left_the_network_sees_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
