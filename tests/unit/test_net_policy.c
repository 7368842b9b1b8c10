// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_net_policy.c — every networks permission (src/app/networks/policy.c)
 * for every kind of person: a table of who may do what, checked cell by cell
 * for a private and a public network, then the edges: deny by default, no
 * one acting on themselves, only real roles, only member schools.
 *
 * The network in the table has member schools 100 and 200 (each with a
 * lead on Tandem) and 300 (nobody on Tandem yet); it has asked school 400 to
 * join; school 900 is not a member. Coordinators never manage a school's
 * people: the rows below are the issue-9 rule that closes the takeover.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/networks/policy.h"

#define NET 7
#define M1 100  /* member school */
#define M2 200  /* member school */
#define BARE 300 /* member school that nobody on Tandem leads */
#define ASKED 400 /* asked to join, not yet answered */
#define OUT 900 /* not a member */

static const struct net_school_facts f_m1 = {.urn = M1, .member = true, .has_lead = true};
static const struct net_school_facts f_m2 = {.urn = M2, .member = true, .has_lead = true};
static const struct net_school_facts f_bare = {.urn = BARE, .member = true, .has_lead = false};
static const struct net_school_facts f_asked_bare = {.urn = ASKED, .invited = true, .has_lead = false};
static const struct net_school_facts f_out = {.urn = OUT, .has_lead = true};

/* The kinds of person, as rows of the table. */
enum who {
	ANON,       /* nobody signed in */
	OUTSIDER,   /* lead of a school outside the network */
	STAFF,      /* staff at M1 */
	GOVERNOR,   /* governor at M1 */
	LEAD,       /* lead at M1 */
	OTHER_LEAD, /* lead at M2 */
	COORD,      /* coordinator without a school */
	STEERING,   /* steering group member without a school */
	ADMIN,      /* deployment administrator without a school */
	ASKED_LEAD, /* lead of the school the network asked to join */
	WHO__MAX
};

static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "staff", "governor", "lead",
						"other lead", "coordinator", "steering", "admin", "asked lead"};

static struct net_access access_for(enum who w, bool is_public)
{
	struct net_access a = {.network_id = NET, .network_public = is_public};
	switch (w) {
	case ANON: break;
	case OUTSIDER: a.person_id = 10; a.school_urn = OUT; a.role = SCHOOL_ROLE_LEAD; break;
	case STAFF: a.person_id = 11; a.school_urn = M1; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case GOVERNOR: a.person_id = 12; a.school_urn = M1; a.role = SCHOOL_ROLE_GOVERNOR; a.school_member = true; break;
	case LEAD: a.person_id = 13; a.school_urn = M1; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case OTHER_LEAD: a.person_id = 14; a.school_urn = M2; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case COORD: a.person_id = 15; a.coordinator = true; break;
	case STEERING: a.person_id = 16; a.steering = true; break;
	case ADMIN: a.person_id = 17; a.is_admin = true; break;
	case ASKED_LEAD: a.person_id = 18; a.school_urn = ASKED; a.role = SCHOOL_ROLE_LEAD; a.school_invited = true; break;
	default: break;
	}
	return a;
}

/* People to act on. */
static const struct net_person staff_at_m1 = {11, M1, SCHOOL_ROLE_STAFF, true};
static const struct net_person lead_at_m2 = {14, M2, SCHOOL_ROLE_LEAD, true};

/* The actions, as columns. */
enum action {
	CREATE, SEE, READ, EDIT, THEMES, SCHOOLS, STEERING_MGMT,
	INVITE_LEAD_M1, INVITE_STAFF_M1, INVITE_GOV_M1, INVITE_STAFF_M2, INVITE_OUTSIDE,
	INVITATIONS_M1, INVITATIONS_M2,
	ROLE_STAFF_M1, REMOVE_STAFF_M1, ROLE_LEAD_M2, REMOVE_LEAD_M2,
	PROFILE_M1, PROFILE_M2,
	INVITE_LEAD_BARE, INVITE_STAFF_BARE, INVITE_LEAD_ASKED, ADD_DIRECT, ANSWER, EMAIL_STAFF_M1, EMAIL_LEAD_M2,
	ACTION__MAX
};

static const char *const action_names[ACTION__MAX] = {
	"create a network", "see it", "read it", "edit details", "edit themes", "manage schools",
	"manage steering group", "invite a lead to M1", "invite staff to M1", "invite a governor to M1",
	"invite staff to M2", "invite to a non-member school", "manage M1's invitations",
	"manage M2's invitations", "change M1 staff's role", "remove M1 staff", "change M2 lead's role",
	"remove M2 lead", "edit M1's strengths and needs", "edit M2's strengths and needs",
	"invite the first lead of a school without one", "invite staff to a school without a lead",
	"invite the first lead of an asked school", "add a school without asking it",
	"answer the network's request to join", "see the email of M1's staff", "see the email of M2's lead",
};

static bool decide(const struct net_access *a, enum action x)
{
	switch (x) {
	case CREATE: return policy_network_create(a);
	case SEE: return policy_network_see(a);
	case READ: return policy_network_read(a);
	case EDIT: return policy_network_edit(a);
	case THEMES: return policy_themes_edit(a);
	case SCHOOLS: return policy_schools_manage(a);
	case STEERING_MGMT: return policy_steering_manage(a);
	case INVITE_LEAD_M1: return policy_invite(a, &f_m1, SCHOOL_ROLE_LEAD);
	case INVITE_STAFF_M1: return policy_invite(a, &f_m1, SCHOOL_ROLE_STAFF);
	case INVITE_GOV_M1: return policy_invite(a, &f_m1, SCHOOL_ROLE_GOVERNOR);
	case INVITE_STAFF_M2: return policy_invite(a, &f_m2, SCHOOL_ROLE_STAFF);
	case INVITE_OUTSIDE: return policy_invite(a, &f_out, SCHOOL_ROLE_LEAD);
	case INVITATIONS_M1: return policy_invitations_manage(a, &f_m1);
	case INVITATIONS_M2: return policy_invitations_manage(a, &f_m2);
	case ROLE_STAFF_M1: return policy_person_set_role(a, &staff_at_m1, SCHOOL_ROLE_GOVERNOR);
	case REMOVE_STAFF_M1: return policy_person_remove(a, &staff_at_m1);
	case ROLE_LEAD_M2: return policy_person_set_role(a, &lead_at_m2, SCHOOL_ROLE_STAFF);
	case REMOVE_LEAD_M2: return policy_person_remove(a, &lead_at_m2);
	case PROFILE_M1: return policy_profile_edit(a, M1, true);
	case PROFILE_M2: return policy_profile_edit(a, M2, true);
	case INVITE_LEAD_BARE: return policy_invite(a, &f_bare, SCHOOL_ROLE_LEAD);
	case INVITE_STAFF_BARE: return policy_invite(a, &f_bare, SCHOOL_ROLE_STAFF);
	case INVITE_LEAD_ASKED: return policy_invite(a, &f_asked_bare, SCHOOL_ROLE_LEAD);
	case ADD_DIRECT: return policy_school_add_direct(a);
	case ANSWER: return policy_membership_answer(a);
	case EMAIL_STAFF_M1: return policy_person_email(a, 21, M1, SCHOOL_ROLE_STAFF);
	case EMAIL_LEAD_M2: return policy_person_email(a, 22, M2, SCHOOL_ROLE_LEAD);
	default: return false;
	}
}

/*
 * Who may do what in a private network (1 = allowed). Columns in enum action
 * order. In a public network only SEE changes: everyone may see it.
 */
static const char expected[WHO__MAX][ACTION__MAX] = {
	/*              CR SE RD ED TH SC ST IL IS IG I2 IO V1 V2 R1 X1 R2 X2 P1 P2 LB SB LA AD AN E1 EL */
	[ANON]       = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	[OUTSIDER]   = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	[STAFF]      = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	[GOVERNOR]   = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	[LEAD]       = {1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1},
	[OTHER_LEAD] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1},
	[COORD]      = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1},
	[STEERING]   = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	[ADMIN]      = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1},
	[ASKED_LEAD] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
};

static void check_table(bool is_public)
{
	int wrong = 0;
	for (int w = 0; w < WHO__MAX; w++) {
		struct net_access a = access_for((enum who)w, is_public);
		for (int x = 0; x < ACTION__MAX; x++) {
			bool want = expected[w][x] != 0;
			if (x == SEE && is_public)
				want = true;
			if (decide(&a, (enum action)x) != want) {
				print_error("%s network: %s may %s%s\n", is_public ? "public" : "private", who_names[w],
					    want ? "" : "not ", action_names[x]);
				wrong++;
			}
		}
	}
	assert_int_equal(wrong, 0);
}

static void every_role_and_action_in_a_private_network_follows_the_table(void **state)
{
	check_table(false);
}

static void every_role_and_action_in_a_public_network_follows_the_table(void **state)
{
	check_table(true);
}

static void a_zeroed_access_is_denied_everything(void **state)
{
	struct net_access none;
	memset(&none, 0, sizeof(none));
	for (int x = 0; x < ACTION__MAX; x++)
		assert_false(decide(&none, (enum action)x));
	for (int x = 0; x < ACTION__MAX; x++)
		assert_false(decide(NULL, (enum action)x));
}

static void an_administrator_without_a_network_is_denied_network_actions(void **state)
{
	struct net_access a = access_for(ADMIN, false);
	a.network_id = 0;
	for (int x = 0; x < ACTION__MAX; x++)
		assert_int_equal(decide(&a, (enum action)x), x == CREATE);
}

static void a_public_flag_lets_outsiders_see_but_never_read(void **state)
{
	struct net_access outsider = access_for(OUTSIDER, true), anon = access_for(ANON, true);
	assert_true(policy_network_see(&outsider));
	assert_true(policy_network_see(&anon));
	assert_false(policy_network_read(&outsider));
	assert_false(policy_network_read(&anon));
}

static void nobody_but_an_administrator_acts_on_themselves(void **state)
{
	struct net_access lead = access_for(LEAD, false);
	struct net_person self = {lead.person_id, M1, SCHOOL_ROLE_LEAD, true};
	assert_false(policy_person_set_role(&lead, &self, SCHOOL_ROLE_STAFF));
	assert_false(policy_person_remove(&lead, &self));

	struct net_access coord = access_for(COORD, false);
	coord.school_urn = M1;
	coord.role = SCHOOL_ROLE_STAFF;
	coord.school_member = true;
	struct net_person cself = {coord.person_id, M1, SCHOOL_ROLE_STAFF, true};
	assert_false(policy_person_set_role(&coord, &cself, SCHOOL_ROLE_LEAD));
	assert_false(policy_person_remove(&coord, &cself));

	struct net_access admin = access_for(ADMIN, false);
	admin.school_urn = M1;
	admin.role = SCHOOL_ROLE_LEAD;
	admin.school_member = true;
	struct net_person aself = {admin.person_id, M1, SCHOOL_ROLE_LEAD, true};
	assert_true(policy_person_set_role(&admin, &aself, SCHOOL_ROLE_STAFF));
}

static void a_lead_manages_another_lead_of_their_own_school(void **state)
{
	struct net_access lead = access_for(LEAD, false);
	struct net_person colleague = {99, M1, SCHOOL_ROLE_LEAD, true};
	assert_true(policy_person_set_role(&lead, &colleague, SCHOOL_ROLE_GOVERNOR));
	assert_true(policy_person_remove(&lead, &colleague));
}

static void only_lead_staff_and_governor_can_be_given(void **state)
{
	struct net_access admin = access_for(ADMIN, false);
	assert_false(policy_invite(&admin, &f_m1, SCHOOL_ROLE_NONE));
	assert_false(policy_invite(&admin, &f_m1, SCHOOL_ROLE__MAX));
	assert_false(policy_person_set_role(&admin, &staff_at_m1, SCHOOL_ROLE_NONE));
	assert_false(policy_person_set_role(&admin, &staff_at_m1, SCHOOL_ROLE__MAX));
	struct net_person nobody = {50, M1, SCHOOL_ROLE_NONE, true};
	assert_false(policy_person_remove(&admin, &nobody));
}

static void a_coordinator_never_changes_or_removes_anyone_at_a_school(void **state)
{
	struct net_access coord = access_for(COORD, false);
	assert_false(policy_person_set_role(&coord, &staff_at_m1, SCHOOL_ROLE_LEAD));
	assert_false(policy_person_set_role(&coord, &lead_at_m2, SCHOOL_ROLE_GOVERNOR));
	assert_false(policy_person_remove(&coord, &lead_at_m2));
	/* Not even at a school that has no lead, nor by also being a network's steering member. */
	coord.steering = true;
	struct net_person at_bare = {70, BARE, SCHOOL_ROLE_STAFF, true};
	assert_false(policy_person_set_role(&coord, &at_bare, SCHOOL_ROLE_LEAD));
}

static void a_lead_of_one_school_cannot_invite_a_lead_of_another(void **state)
{
	struct net_access lead = access_for(LEAD, false);
	assert_false(policy_invite(&lead, &f_m2, SCHOOL_ROLE_LEAD));
	assert_false(policy_invite(&lead, &f_bare, SCHOOL_ROLE_LEAD));
	assert_false(policy_invite(&lead, &f_asked_bare, SCHOOL_ROLE_LEAD));
	assert_false(policy_invite(&lead, &f_out, SCHOOL_ROLE_LEAD));
}

static void a_coordinator_invites_a_first_lead_only_where_there_is_none(void **state)
{
	struct net_access coord = access_for(COORD, false);
	struct net_school_facts led_asked = f_asked_bare;
	led_asked.has_lead = true;
	assert_false(policy_invite(&coord, &led_asked, SCHOOL_ROLE_LEAD));
	assert_true(policy_invite(&coord, &f_asked_bare, SCHOOL_ROLE_LEAD));
	assert_false(policy_invite(&coord, &f_asked_bare, SCHOOL_ROLE_GOVERNOR));
	struct net_school_facts unasked = {.urn = 500};
	assert_false(policy_invite(&coord, &unasked, SCHOOL_ROLE_LEAD));
}

static void the_lead_of_an_asked_school_sees_only_the_name_until_it_joins(void **state)
{
	struct net_access a = access_for(ASKED_LEAD, false);
	assert_true(policy_network_see(&a));
	assert_false(policy_network_read(&a));
	assert_true(policy_membership_answer(&a));
	/* Staff of the asked school cannot answer for it. */
	a.role = SCHOOL_ROLE_STAFF;
	assert_false(policy_membership_answer(&a));
	assert_false(policy_network_see(&a));
	/* Once a member, there is nothing to answer. */
	a = access_for(ASKED_LEAD, false);
	a.school_member = true;
	assert_false(policy_membership_answer(&a));
}

static void everyone_sees_their_own_email(void **state)
{
	struct net_access staff = access_for(STAFF, false);
	assert_true(policy_person_email(&staff, staff.person_id, M1, SCHOOL_ROLE_STAFF));
	struct net_access none;
	memset(&none, 0, sizeof(none));
	assert_false(policy_person_email(&none, 0, M1, SCHOOL_ROLE_LEAD));
}

static void people_and_schools_outside_the_network_are_out_of_reach(void **state)
{
	struct net_access coord = access_for(COORD, false), admin = access_for(ADMIN, false);
	struct net_person elsewhere = {60, OUT, SCHOOL_ROLE_STAFF, false};
	assert_false(policy_person_set_role(&coord, &elsewhere, SCHOOL_ROLE_LEAD));
	assert_false(policy_person_remove(&coord, &elsewhere));
	assert_false(policy_person_remove(&admin, &elsewhere));
	assert_false(policy_invite(&admin, &f_out, SCHOOL_ROLE_LEAD));
	assert_false(policy_profile_edit(&admin, OUT, false));
	assert_false(policy_invitations_manage(&coord, &f_out));
	struct net_school_facts zero = {.urn = 0, .member = true};
	assert_false(policy_invite(&coord, &zero, SCHOOL_ROLE_LEAD));
}

static void a_lead_whose_school_left_the_network_loses_its_rights(void **state)
{
	struct net_access lead = access_for(LEAD, false);
	lead.school_member = false;
	assert_false(policy_network_see(&lead));
	assert_false(policy_network_read(&lead));
	struct net_school_facts gone = f_m1;
	gone.member = false;
	assert_false(policy_invite(&lead, &gone, SCHOOL_ROLE_STAFF));
	assert_false(policy_profile_edit(&lead, M1, true));
	assert_false(policy_person_remove(&lead, &staff_at_m1));
}

static void a_person_without_a_school_role_is_not_a_member(void **state)
{
	struct net_access a = access_for(STAFF, false);
	a.role = SCHOOL_ROLE_NONE;
	assert_false(policy_network_read(&a));
	a.role = SCHOOL_ROLE__MAX;
	assert_false(policy_network_read(&a));
	a = access_for(LEAD, false);
	a.school_urn = 0;
	assert_false(policy_network_read(&a));
	assert_false(policy_profile_edit(&a, 0, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_role_and_action_in_a_private_network_follows_the_table),
		cmocka_unit_test(every_role_and_action_in_a_public_network_follows_the_table),
		cmocka_unit_test(a_zeroed_access_is_denied_everything),
		cmocka_unit_test(an_administrator_without_a_network_is_denied_network_actions),
		cmocka_unit_test(a_public_flag_lets_outsiders_see_but_never_read),
		cmocka_unit_test(nobody_but_an_administrator_acts_on_themselves),
		cmocka_unit_test(a_lead_manages_another_lead_of_their_own_school),
		cmocka_unit_test(only_lead_staff_and_governor_can_be_given),
		cmocka_unit_test(a_coordinator_never_changes_or_removes_anyone_at_a_school),
		cmocka_unit_test(a_lead_of_one_school_cannot_invite_a_lead_of_another),
		cmocka_unit_test(a_coordinator_invites_a_first_lead_only_where_there_is_none),
		cmocka_unit_test(the_lead_of_an_asked_school_sees_only_the_name_until_it_joins),
		cmocka_unit_test(everyone_sees_their_own_email),
		cmocka_unit_test(people_and_schools_outside_the_network_are_out_of_reach),
		cmocka_unit_test(a_lead_whose_school_left_the_network_loses_its_rights),
		cmocka_unit_test(a_person_without_a_school_role_is_not_a_member),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
