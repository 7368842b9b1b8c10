// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_ps_policy.c — every partnerships permission
 * (src/app/partnerships/policy.c) for every kind of person: the table of
 * who may do what with an open and a closed partnership, then the edges of
 * introductions (only member schools, never a school to itself, only the
 * school asked answers) and deny by default.
 *
 * The partnership's partner schools are 100 and 200 in network 7; school
 * 300 is a member of the network but not a partner; 900 is outside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/partnerships/policy.h"

#define NET 7

/* The kinds of person. */
enum who { ANON, OUTSIDER, MEMBER_LEAD, P_GOVERNOR, P_STAFF, P_LEAD, COORD, ADMIN, WHO__MAX };

/* The access facts of who for an open (closed false) or closed partnership. */
static struct ps_access person(enum who w, bool closed)
{
	struct ps_access a;
	memset(&a, 0, sizeof(a));
	a.closed = closed;
	if (w == ANON)
		return a;
	a.person_id = 1 + (int64_t)w;
	a.network_id = NET;
	switch (w) {
	case OUTSIDER: a.school_urn = 900; a.role = SCHOOL_ROLE_LEAD; break;
	case MEMBER_LEAD: a.school_urn = 300; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case P_GOVERNOR: a.school_urn = 100; a.role = SCHOOL_ROLE_GOVERNOR; a.school_member = a.partner = true; break;
	case P_STAFF: a.school_urn = 100; a.role = SCHOOL_ROLE_STAFF; a.school_member = a.partner = true; break;
	case P_LEAD: a.school_urn = 100; a.role = SCHOOL_ROLE_LEAD; a.school_member = a.partner = true; break;
	case COORD: a.coordinator = true; break;
	case ADMIN: a.is_admin = true; break;
	default: break;
	}
	return a;
}

/* One action, and who may do it (indexed by enum who) while open. */
struct row {
	const char *name;
	bool (*fn)(const struct ps_access *);
	bool allowed[WHO__MAX];
	bool when_closed; /* still allowed (for those allowed) when closed */
};

static const struct row table[] = {
	/*                         anon   outs.  mlead  p.gov  p.stf  p.lead coord  admin */
	{"read", policy_ps_read, {false, false, false, true, true, true, false, true}, true},
	{"read agreement", policy_ps_agreement_read, {false, false, false, true, true, true, false, true}, true},
	{"summary", policy_ps_summary, {false, false, false, true, true, true, true, true}, true},
	{"edit agreement", policy_ps_agreement_edit, {false, false, false, false, false, true, false, false}, false},
	{"sign", policy_ps_sign, {false, false, false, false, false, true, false, false}, false},
	{"record", policy_ps_record, {false, false, false, false, true, true, false, false}, false},
	{"close", policy_ps_close, {false, false, false, false, false, true, false, false}, false},
	{"attention", policy_ps_attention, {false, false, false, false, false, false, true, true}, true},
	{"calendar", policy_ps_calendar, {false, false, false, true, true, true, false, false}, true},
};

static void the_table_holds_for_an_open_partnership(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof(table) / sizeof(table[0]); r++)
		for (int w = 0; w < WHO__MAX; w++) {
			struct ps_access a = person((enum who)w, false);
			if (table[r].fn(&a) != table[r].allowed[w])
				fail_msg("%s for kind %d: expected %d", table[r].name, w, table[r].allowed[w]);
		}
}

static void a_closed_partnership_is_read_only(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof(table) / sizeof(table[0]); r++)
		for (int w = 0; w < WHO__MAX; w++) {
			struct ps_access a = person((enum who)w, true);
			bool want = table[r].allowed[w] && table[r].when_closed;
			if (table[r].fn(&a) != want)
				fail_msg("%s for kind %d when closed: expected %d", table[r].name, w, want);
		}
}

static void a_lead_asks_for_introductions_only_from_their_own_member_school(void **state)
{
	(void)state;
	struct ps_access lead = person(P_LEAD, false);
	assert_true(policy_intro_request(&lead, 100, true, 300, true));
	assert_false(policy_intro_request(&lead, 200, true, 300, true)); /* another school */
	assert_false(policy_intro_request(&lead, 100, true, 900, false)); /* not a member */
	assert_false(policy_intro_request(&lead, 100, true, 100, true)); /* itself */
	struct ps_access staff = person(P_STAFF, false);
	assert_false(policy_intro_request(&staff, 100, true, 300, true));
	struct ps_access outsider = person(OUTSIDER, false);
	assert_false(policy_intro_request(&outsider, 900, false, 300, true));
}

static void a_coordinator_brokers_between_member_schools_only(void **state)
{
	(void)state;
	struct ps_access c = person(COORD, false);
	assert_true(policy_intro_request(&c, 100, true, 300, true));
	assert_false(policy_intro_request(&c, 100, true, 900, false));
	assert_false(policy_intro_request(&c, 100, true, 100, true));
	struct ps_access admin = person(ADMIN, false);
	assert_false(policy_intro_request(&admin, 100, true, 300, true));
}

static void only_the_lead_of_the_school_asked_answers(void **state)
{
	(void)state;
	struct ps_access lead = person(P_LEAD, false), staff = person(P_STAFF, false), c = person(COORD, false);
	assert_true(policy_intro_answer(&lead, 100));
	assert_false(policy_intro_answer(&lead, 300));
	assert_false(policy_intro_answer(&staff, 100));
	assert_false(policy_intro_answer(&c, 100));
	assert_true(policy_intro_read(&staff, 100, 300));
	assert_true(policy_intro_read(&c, 200, 300));
	struct ps_access out = person(OUTSIDER, false);
	assert_false(policy_intro_read(&out, 100, 300));
}

static void nobody_gets_anything_by_default(void **state)
{
	(void)state;
	struct ps_access a;
	memset(&a, 0, sizeof(a));
	for (size_t r = 0; r < sizeof(table) / sizeof(table[0]); r++)
		assert_false(table[r].fn(&a));
	assert_false(policy_intro_request(&a, 100, true, 200, true));
	assert_false(policy_intro_read(&a, 100, 200));
	assert_false(policy_intro_answer(&a, 100));
	assert_false(policy_ps_read(NULL));
	assert_false(policy_ps_summary(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_table_holds_for_an_open_partnership),
		cmocka_unit_test(a_closed_partnership_is_read_only),
		cmocka_unit_test(a_lead_asks_for_introductions_only_from_their_own_member_school),
		cmocka_unit_test(a_coordinator_brokers_between_member_schools_only),
		cmocka_unit_test(only_the_lead_of_the_school_asked_answers),
		cmocka_unit_test(nobody_gets_anything_by_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
