// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_rotation.c — the speed-learning rotation (src/app/programme/
 * rotation.c): every plan it makes keeps the rules (a different table each
 * round, table sizes within one, no host from one's own school, schools
 * spread apart), the same seed gives the same plan, and what cannot be
 * planned is refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/programme/rotation.h"

#define MAXP 200
#define MAXR 10

/* Check plan against every rule; the number of broken rules (printed). */
static int broken(const struct rot_person *h, size_t nh, const struct rot_person *a, size_t na, int rounds,
		  const int *table)
{
	int bad = 0;
	for (size_t i = 0; i < na; i++)
		for (int r = 0; r < rounds; r++) {
			int t = table[i * (size_t)rounds + (size_t)r];
			if (t < 0 || (size_t)t >= nh) {
				print_error("attendee %zu round %d: no table\n", i, r);
				bad++;
				continue;
			}
			if (a[i].urn && a[i].urn == h[t].urn) {
				print_error("attendee %zu visits a host of their own school\n", i);
				bad++;
			}
			for (int q = 0; q < r; q++)
				if (table[i * (size_t)rounds + (size_t)q] == t) {
					print_error("attendee %zu visits table %d twice\n", i, t);
					bad++;
				}
		}
	for (int r = 0; r < rounds; r++) {
		int lo = 1 << 30, hi = 0;
		for (size_t t = 0; t < nh; t++) {
			int n = 0;
			for (size_t i = 0; i < na; i++)
				n += table[i * (size_t)rounds + (size_t)r] == (int)t;
			lo = n < lo ? n : lo;
			hi = n > hi ? n : hi;
		}
		if (hi - lo > 1) {
			print_error("round %d: tables of %d and %d people\n", r, lo, hi);
			bad++;
		}
	}
	return bad;
}

static void a_typical_event_keeps_every_rule(void **state)
{
	(void)state;
	struct rot_person hosts[6], att[40];
	for (int t = 0; t < 6; t++)
		hosts[t] = (struct rot_person){100 + t, 1 + t % 3};
	for (int i = 0; i < 40; i++)
		att[i] = (struct rot_person){200 + i, 1 + i % 5};
	int table[40 * 4];
	char why[300];
	assert_int_equal(rotation_plan(hosts, 6, att, 40, 4, 7, table, why, sizeof(why)), 0);
	assert_int_equal(broken(hosts, 6, att, 40, 4, table), 0);
}

static void many_random_events_keep_every_rule_or_are_refused_with_a_reason(void **state)
{
	(void)state;
	uint64_t x = 12345;
	for (int run = 0; run < 300; run++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		size_t nh = 1 + (size_t)(x >> 33) % 8, na = nh + (size_t)(x >> 40) % 60;
		int rounds = 1 + (int)((x >> 50) % nh), schools = 1 + (int)((x >> 20) % 6);
		struct rot_person hosts[8], att[MAXP];
		for (size_t t = 0; t < nh; t++)
			hosts[t] = (struct rot_person){(int64_t)t + 1, 1 + (int64_t)((x >> (t + 3)) % (uint64_t)schools)};
		for (size_t i = 0; i < na; i++)
			att[i] = (struct rot_person){(int64_t)i + 100, 1 + (int64_t)((i + (x >> 11)) % (uint64_t)schools)};
		int table[MAXP * 8];
		char why[300] = "";
		int rc = rotation_plan(hosts, nh, att, na, rounds, x, table, why, sizeof(why));
		if (rc == 0)
			assert_int_equal(broken(hosts, nh, att, na, rounds, table), 0);
		else
			assert_true(strlen(why) > 20);
	}
}

static void events_with_hosts_from_different_schools_are_nearly_always_planned(void **state)
{
	(void)state;
	/* Hosts from different schools, attendees from more, rounds up to one fewer than the tables. */
	uint64_t x = 777;
	int planned = 0;
	for (int run = 0; run < 300; run++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		size_t nh = 2 + (size_t)(x >> 33) % 7, na = nh + (size_t)(x >> 40) % 80;
		int rounds = 1 + (int)((x >> 50) % (nh - 1));
		size_t schools = nh + 1 + (size_t)(x >> 20) % 5;
		struct rot_person hosts[8], att[MAXP];
		for (size_t t = 0; t < nh; t++)
			hosts[t] = (struct rot_person){(int64_t)t + 1, (int64_t)t + 1};
		for (size_t i = 0; i < na; i++)
			att[i] = (struct rot_person){(int64_t)i + 100, 1 + (int64_t)((i + (x >> 11)) % schools)};
		int table[MAXP * 8];
		char why[300] = "";
		if (rotation_plan(hosts, nh, att, na, rounds, x, table, why, sizeof(why)) == 0) {
			assert_int_equal(broken(hosts, nh, att, na, rounds, table), 0);
			planned++;
		}
	}
	/* Only the tightest (every attendee of a host's school visiting every other table) may fail. */
	assert_true(planned >= 290);
}

static void people_of_one_school_are_spread_across_the_tables(void **state)
{
	(void)state;
	struct rot_person hosts[4] = {{1, 11}, {2, 12}, {3, 13}, {4, 14}};
	struct rot_person att[8];
	for (int i = 0; i < 8; i++)
		att[i] = (struct rot_person){10 + i, i < 4 ? 21 : 22};
	int table[8 * 3];
	char why[300];
	assert_int_equal(rotation_plan(hosts, 4, att, 8, 3, 1, table, why, sizeof(why)), 0);
	for (int r = 0; r < 3; r++)
		for (int t = 0; t < 4; t++) {
			int a = 0, b = 0;
			for (int i = 0; i < 8; i++)
				if (table[i * 3 + r] == t && att[i].urn == 21)
					a++;
				else if (table[i * 3 + r] == t)
					b++;
			assert_int_equal(a, 1);
			assert_int_equal(b, 1);
		}
}

static void nobody_visits_a_host_from_their_own_school(void **state)
{
	(void)state;
	struct rot_person hosts[3] = {{1, 7}, {2, 8}, {3, 9}};
	struct rot_person att[9];
	for (int i = 0; i < 9; i++)
		att[i] = (struct rot_person){10 + i, 7 + i % 3};
	int table[9 * 2];
	char why[300];
	assert_int_equal(rotation_plan(hosts, 3, att, 9, 2, 3, table, why, sizeof(why)), 0);
	assert_int_equal(broken(hosts, 3, att, 9, 2, table), 0);
}

static void the_same_seed_gives_the_same_plan(void **state)
{
	(void)state;
	struct rot_person hosts[5], att[30];
	for (int t = 0; t < 5; t++)
		hosts[t] = (struct rot_person){t + 1, t + 1};
	for (int i = 0; i < 30; i++)
		att[i] = (struct rot_person){100 + i, 1 + i % 7};
	int a[30 * 3], b[30 * 3];
	char why[300];
	assert_int_equal(rotation_plan(hosts, 5, att, 30, 3, 99, a, why, sizeof(why)), 0);
	assert_int_equal(rotation_plan(hosts, 5, att, 30, 3, 99, b, why, sizeof(why)), 0);
	assert_memory_equal(a, b, sizeof(a));
}

static void more_hosts_than_attendees_is_refused(void **state)
{
	(void)state;
	struct rot_person hosts[4] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}}, att[3] = {{10, 5}, {11, 5}, {12, 6}};
	int table[12];
	char why[300];
	assert_int_equal(rotation_plan(hosts, 4, att, 3, 1, 1, table, why, sizeof(why)), ERR_INVALID);
	assert_non_null(strstr(why, "more hosts (4) than attendees (3)"));
}

static void more_rounds_than_tables_are_refused(void **state)
{
	(void)state;
	struct rot_person hosts[2] = {{1, 1}, {2, 2}}, att[4] = {{10, 5}, {11, 5}, {12, 6}, {13, 6}};
	int table[16];
	char why[300];
	assert_int_equal(rotation_plan(hosts, 2, att, 4, 3, 1, table, why, sizeof(why)), ERR_INVALID);
	assert_non_null(strstr(why, "1 to 2 rounds"));
	assert_int_equal(rotation_plan(hosts, 2, att, 4, 0, 1, table, why, sizeof(why)), ERR_INVALID);
}

static void someone_whose_school_hosts_too_many_tables_is_refused_with_the_reason(void **state)
{
	(void)state;
	struct rot_person hosts[3] = {{1, 5}, {2, 5}, {3, 6}}, att[3] = {{10, 5}, {11, 6}, {12, 7}};
	int table[9];
	char why[300];
	assert_int_equal(rotation_plan(hosts, 3, att, 3, 2, 1, table, why, sizeof(why)), ERR_INVALID);
	assert_non_null(strstr(why, "2 of the 3 hosts are from the school of attendee 1"));
}

static void no_hosts_or_no_attendees_are_refused(void **state)
{
	(void)state;
	struct rot_person one[1] = {{1, 1}};
	int table[4];
	char why[300];
	assert_int_equal(rotation_plan(one, 0, one, 1, 1, 1, table, why, sizeof(why)), ERR_INVALID);
	assert_int_equal(rotation_plan(one, 1, one, 0, 1, 1, table, why, sizeof(why)), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_typical_event_keeps_every_rule),
		cmocka_unit_test(many_random_events_keep_every_rule_or_are_refused_with_a_reason),
		cmocka_unit_test(events_with_hosts_from_different_schools_are_nearly_always_planned),
		cmocka_unit_test(people_of_one_school_are_spread_across_the_tables),
		cmocka_unit_test(nobody_visits_a_host_from_their_own_school),
		cmocka_unit_test(the_same_seed_gives_the_same_plan),
		cmocka_unit_test(more_hosts_than_attendees_is_refused),
		cmocka_unit_test(more_rounds_than_tables_are_refused),
		cmocka_unit_test(someone_whose_school_hosts_too_many_tables_is_refused_with_the_reason),
		cmocka_unit_test(no_hosts_or_no_attendees_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
