// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_prog_policy.c — every programme permission (src/app/programme/
 * policy.c) for every kind of person: the table of who may do what, checked
 * cell by cell for a private and a public network, then the edges: deny by
 * default, attendee names only to facilitators, coordinators and the
 * attendee's own school lead, and nothing for people whose school left.
 *
 * The network has member schools 100 and 200; school 900 is not a member.
 * The course asked about is number 5. The attendee in the name, cancel and
 * link columns is person 11, a member of staff at school 100.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/programme/policy.h"

#define NET 7
#define COURSE 5
#define M1 100  /* member school */
#define M2 200  /* member school */
#define OUT 900 /* not a member */
#define ATTENDEE 11 /* staff at M1 */

/* The kinds of person, as rows of the table. */
enum who {
	ANON,        /* nobody signed in */
	OUTSIDER,    /* lead of a school outside the network */
	STAFF,       /* staff at M1: the attendee */
	GOVERNOR,    /* governor at M1 */
	LEAD,        /* lead at M1: the attendee's own lead */
	OTHER_LEAD,  /* lead at M2 */
	OTHER_STAFF, /* staff at M2 */
	FACILITATOR, /* staff at M2 on the course's team */
	COURSE_LEAD, /* staff at M2 leading the course */
	COORD,       /* coordinator without a school */
	STEERING,    /* steering group member without a school */
	ADMIN,       /* deployment administrator without a school */
	WHO__MAX
};

static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "staff", "governor", "lead",
						"other lead", "other staff", "facilitator", "course lead",
						"coordinator", "steering", "admin"};

static struct prog_access access_for(enum who w, bool is_public)
{
	struct prog_access a = {.network_id = NET, .network_public = is_public, .course_id = COURSE};
	switch (w) {
	case ANON: break;
	case OUTSIDER: a.person_id = 10; a.school_urn = OUT; a.role = SCHOOL_ROLE_LEAD; break;
	case STAFF: a.person_id = ATTENDEE; a.school_urn = M1; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case GOVERNOR: a.person_id = 12; a.school_urn = M1; a.role = SCHOOL_ROLE_GOVERNOR; a.school_member = true; break;
	case LEAD: a.person_id = 13; a.school_urn = M1; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case OTHER_LEAD: a.person_id = 14; a.school_urn = M2; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case OTHER_STAFF: a.person_id = 15; a.school_urn = M2; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case FACILITATOR:
		a.person_id = 16; a.school_urn = M2; a.role = SCHOOL_ROLE_STAFF; a.school_member = true;
		a.facilitator = true;
		break;
	case COURSE_LEAD:
		a.person_id = 17; a.school_urn = M2; a.role = SCHOOL_ROLE_STAFF; a.school_member = true;
		a.facilitator = true; a.course_lead = true;
		break;
	case COORD: a.person_id = 18; a.coordinator = true; break;
	case STEERING: a.person_id = 19; a.steering = true; break;
	case ADMIN: a.person_id = 20; a.is_admin = true; break;
	default: break;
	}
	return a;
}

/* The actions, as columns. */
enum action {
	SEE, READ, CREATE, EDIT, SESSIONS, BOOK, BOOK_M1, BOOK_M2, CANCEL, NAME, LINK, LINK_PLACE, REGISTER,
	SETTINGS, QUESTIONS, ACTION__MAX
};
static const char *const action_names[ACTION__MAX] = {
	"see the programme", "read names", "create a course", "edit the course", "edit its sessions",
	"book oneself", "book a colleague at M1", "book a colleague at M2", "cancel the attendee's booking",
	"see the attendee's name", "see the online link without a place", "see the online link with a place",
	"take the register", "change settings", "change the feedback questions"};

static bool decide(enum action act, const struct prog_access *a)
{
	switch (act) {
	case SEE: return prog_policy_programme_see(a);
	case READ: return prog_policy_programme_read(a);
	case CREATE: return prog_policy_course_create(a);
	case EDIT: return prog_policy_course_edit(a);
	case SESSIONS: return prog_policy_session_edit(a);
	case BOOK: return prog_policy_book_self(a);
	case BOOK_M1: return prog_policy_book_colleague(a, M1);
	case BOOK_M2: return prog_policy_book_colleague(a, M2);
	case CANCEL: return prog_policy_booking_cancel(a, ATTENDEE, M1);
	case NAME: return prog_policy_attendee_name(a, ATTENDEE, M1);
	case LINK: return prog_policy_online_link(a, false);
	case LINK_PLACE: return prog_policy_online_link(a, true);
	case REGISTER: return prog_policy_register(a);
	case SETTINGS: return prog_policy_settings_edit(a);
	case QUESTIONS: return prog_policy_questions_edit(a);
	default: return false;
	}
}

#define Y 1
#define N 0
/* The table in policy.c, for a private network. Columns in enum action order. */
static const int private_table[WHO__MAX][ACTION__MAX] = {
	/*               SEE READ CRE EDIT SESS BOOK B_M1 B_M2 CANC NAME LINK LINKP REG SET QUE */
	[ANON] =        {N,  N,   N,  N,   N,   N,   N,   N,   N,   N,   N,   N,    N,  N, N},
	[OUTSIDER] =    {N,  N,   N,  N,   N,   N,   N,   N,   N,   N,   N,   N,    N,  N, N},
	[STAFF] =       {Y,  Y,   N,  N,   N,   Y,   N,   N,   Y,   Y,   N,   Y,    N,  N, N},
	[GOVERNOR] =    {Y,  Y,   N,  N,   N,   Y,   N,   N,   N,   N,   N,   Y,    N,  N, N},
	[LEAD] =        {Y,  Y,   N,  N,   N,   Y,   Y,   N,   Y,   Y,   N,   Y,    N,  N, N},
	[OTHER_LEAD] =  {Y,  Y,   N,  N,   N,   Y,   N,   Y,   N,   N,   N,   Y,    N,  N, N},
	[OTHER_STAFF] = {Y,  Y,   N,  N,   N,   Y,   N,   N,   N,   N,   N,   Y,    N,  N, N},
	[FACILITATOR] = {Y,  Y,   N,  N,   Y,   Y,   N,   N,   Y,   Y,   Y,   Y,    Y,  N, N},
	[COURSE_LEAD] = {Y,  Y,   N,  Y,   Y,   Y,   N,   N,   Y,   Y,   Y,   Y,    Y,  N, N},
	[COORD] =       {Y,  Y,   Y,  Y,   Y,   N,   N,   N,   Y,   Y,   Y,   Y,    Y,  Y, Y},
	[STEERING] =    {Y,  Y,   Y,  Y,   Y,   N,   N,   N,   N,   N,   N,   N,    N,  N, Y},
	[ADMIN] =       {Y,  Y,   Y,  Y,   Y,   N,   N,   N,   Y,   N,   Y,   Y,    N,  Y, Y},
};

static void check_table(const int table[WHO__MAX][ACTION__MAX], bool is_public)
{
	int wrong = 0;
	for (int w = 0; w < WHO__MAX; w++) {
		struct prog_access a = access_for((enum who)w, is_public);
		for (int act = 0; act < ACTION__MAX; act++) {
			bool got = decide((enum action)act, &a);
			if (got != (table[w][act] == Y)) {
				print_error("%s network: %s %s %s, expected %s\n", is_public ? "public" : "private",
					    who_names[w], got ? "may" : "may not", action_names[act],
					    table[w][act] ? "yes" : "no");
				wrong++;
			}
		}
	}
	assert_int_equal(wrong, 0);
}

static void every_role_and_action_in_a_private_network_follows_the_table(void **state)
{
	(void)state;
	check_table(private_table, false);
}

static void every_role_and_action_in_a_public_network_follows_the_table(void **state)
{
	(void)state;
	/* A public network differs in one column: outsiders and anonymous visitors see the programme. */
	int table[WHO__MAX][ACTION__MAX];
	memcpy(table, private_table, sizeof(table));
	table[ANON][SEE] = Y;
	table[OUTSIDER][SEE] = Y;
	check_table((const int(*)[ACTION__MAX])table, true);
}

static void a_zeroed_access_is_denied_everything(void **state)
{
	(void)state;
	struct prog_access a;
	memset(&a, 0, sizeof(a));
	for (int act = 0; act < ACTION__MAX; act++)
		assert_false(decide((enum action)act, &a));
	assert_false(decide(SEE, NULL));
	assert_false(prog_policy_attendee_name(NULL, ATTENDEE, M1));
}

static void a_person_without_a_network_is_denied_everything(void **state)
{
	(void)state;
	for (int w = 0; w < WHO__MAX; w++) {
		struct prog_access a = access_for((enum who)w, true);
		a.network_id = 0;
		for (int act = 0; act < ACTION__MAX; act++)
			assert_false(decide((enum action)act, &a));
	}
}

static void a_lead_sees_the_names_of_their_own_school_only(void **state)
{
	(void)state;
	struct prog_access lead = access_for(LEAD, false);
	assert_true(prog_policy_attendee_name(&lead, 30, M1));
	assert_false(prog_policy_attendee_name(&lead, 31, M2));
	assert_false(prog_policy_attendee_name(&lead, 32, OUT));
	assert_false(prog_policy_attendee_name(&lead, 33, 0));
}

static void staff_see_their_own_name_and_nobody_elses(void **state)
{
	(void)state;
	struct prog_access staff = access_for(STAFF, false);
	assert_true(prog_policy_attendee_name(&staff, ATTENDEE, M1));
	assert_false(prog_policy_attendee_name(&staff, 40, M1));
	assert_false(prog_policy_booking_cancel(&staff, 40, M1));
}

static void a_facilitator_of_another_course_is_just_a_member(void **state)
{
	(void)state;
	struct prog_access f = access_for(FACILITATOR, false);
	f.facilitator = false; /* the course asked about is not theirs */
	assert_false(prog_policy_session_edit(&f));
	assert_false(prog_policy_register(&f));
	assert_false(prog_policy_attendee_name(&f, ATTENDEE, M1));
	assert_true(prog_policy_programme_read(&f));
	f = access_for(FACILITATOR, false);
	f.course_id = 0; /* no course in question */
	assert_false(prog_policy_session_edit(&f));
	assert_false(prog_policy_register(&f));
}

static void a_lead_whose_school_left_the_network_loses_its_rights(void **state)
{
	(void)state;
	struct prog_access a = access_for(LEAD, false);
	a.school_member = false;
	assert_false(prog_policy_programme_see(&a));
	assert_false(prog_policy_book_self(&a));
	assert_false(prog_policy_book_colleague(&a, M1));
	assert_false(prog_policy_attendee_name(&a, 30, M1));
	assert_false(prog_policy_online_link(&a, true));
}

static void a_person_without_a_school_role_is_not_a_member(void **state)
{
	(void)state;
	struct prog_access a = access_for(STAFF, false);
	a.role = SCHOOL_ROLE_NONE;
	assert_false(prog_policy_book_self(&a));
	assert_false(prog_policy_programme_read(&a));
	a.role = SCHOOL_ROLE__MAX;
	assert_false(prog_policy_book_self(&a));
	a = access_for(LEAD, false);
	a.school_urn = 0;
	assert_false(prog_policy_book_self(&a));
	assert_false(prog_policy_book_colleague(&a, 0));
}

static void a_public_network_shows_outsiders_the_programme_but_never_names(void **state)
{
	(void)state;
	struct prog_access a = access_for(OUTSIDER, true);
	assert_true(prog_policy_programme_see(&a));
	assert_false(prog_policy_programme_read(&a));
	assert_false(prog_policy_attendee_name(&a, ATTENDEE, M1));
	struct prog_access anon = access_for(ANON, true);
	assert_true(prog_policy_programme_see(&anon));
	assert_false(prog_policy_programme_read(&anon));
}

/*
 * Those who see every name are exactly the course's facilitators and the
 * coordinators, and for them every attendee's name and place is open (the
 * session page shows them all one kept list).
 */
static void those_who_see_every_name_see_and_may_cancel_every_attendee(void **state)
{
	(void)state;
	static const int64_t attendees[][2] = {{ATTENDEE, M1}, {40, M2}, {41, OUT}, {13, M1}, {16, M2}};
	for (int w = 0; w < WHO__MAX; w++) {
		for (int pub = 0; pub < 2; pub++) {
			struct prog_access a = access_for((enum who)w, pub);
			bool all = prog_policy_attendees_all(&a);
			assert_int_equal(all, w == FACILITATOR || w == COURSE_LEAD || w == COORD);
			for (size_t i = 0; all && i < sizeof(attendees) / sizeof(attendees[0]); i++) {
				assert_true(prog_policy_attendee_name(&a, attendees[i][0], attendees[i][1]));
				assert_true(prog_policy_booking_cancel(&a, attendees[i][0], attendees[i][1]));
			}
		}
	}
	struct prog_access f = access_for(FACILITATOR, false);
	f.facilitator = false; /* the course asked about is not theirs */
	assert_false(prog_policy_attendees_all(&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_role_and_action_in_a_private_network_follows_the_table),
		cmocka_unit_test(every_role_and_action_in_a_public_network_follows_the_table),
		cmocka_unit_test(a_zeroed_access_is_denied_everything),
		cmocka_unit_test(a_person_without_a_network_is_denied_everything),
		cmocka_unit_test(a_lead_sees_the_names_of_their_own_school_only),
		cmocka_unit_test(staff_see_their_own_name_and_nobody_elses),
		cmocka_unit_test(a_facilitator_of_another_course_is_just_a_member),
		cmocka_unit_test(a_lead_whose_school_left_the_network_loses_its_rights),
		cmocka_unit_test(a_person_without_a_school_role_is_not_a_member),
		cmocka_unit_test(a_public_network_shows_outsiders_the_programme_but_never_names),
		cmocka_unit_test(those_who_see_every_name_see_and_may_cancel_every_attendee),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
