// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_broker.c — the broker's pure core (src/app/broker/engine.h): what a
 * school gains from another, reciprocal pairs first, the pairs never
 * proposed, the sentences, the b-matching (coverage first, then the total,
 * never over capacity) checked against a brute-force reference on random
 * small networks with equal totals exactly, and the co-creation groups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/broker/engine.h"
#include "app/broker/flow_int.h"

enum { READING, MATHS, SEND, BEHAVIOUR, ORACY, THEMES };
static const char *const theme_names[THEMES] = {"Reading", "Maths", "SEND", "Behaviour", "Oracy"};

static const struct broker_need need_reading_high[] = {{READING, BROKER_PRIORITY_HIGH}};
static const struct broker_need need_maths_low[] = {{MATHS, BROKER_PRIORITY_LOW}};
static const struct broker_need need_reading_low[] = {{READING, BROKER_PRIORITY_LOW}};
static const struct broker_need need_send_medium[] = {{SEND, BROKER_PRIORITY_MEDIUM}};
static const struct broker_strength strong_reading_evidence[] = {{READING, true}};
static const struct broker_strength strong_reading[] = {{READING, false}};
static const struct broker_strength strong_maths[] = {{MATHS, false}};
static const int off_reading[] = {READING};

/* A school with one need list and one strength list. */
static struct broker_school school(int64_t urn, const struct broker_need *needs, size_t nn,
				   const struct broker_strength *strengths, size_t ns)
{
	struct broker_school s = {.urn = urn, .name = "A school", .capacity = BROKER_CAPACITY_DEFAULT,
				  .needs = needs, .n_needs = nn, .strengths = strengths, .n_strengths = ns};
	return s;
}

static struct broker_net net_of(struct broker_school *s, size_t n)
{
	struct broker_net net = {.themes = theme_names, .n_themes = THEMES, .schools = s, .n = n};
	return net;
}

static void a_need_met_by_an_evidenced_strength_gains_priority_times_three(void **state)
{
	(void)state;
	struct broker_school a = school(1, need_reading_high, 1, NULL, 0);
	struct broker_school b = school(2, NULL, 0, strong_reading_evidence, 1);
	assert_int_equal(broker_gain(&a, &b), 9);
	assert_int_equal(broker_gain(&b, &a), 0);
}

static void a_strength_without_evidence_counts_two_per_priority_point(void **state)
{
	(void)state;
	struct broker_school a = school(1, need_reading_low, 1, NULL, 0);
	struct broker_school b = school(2, NULL, 0, strong_reading, 1);
	assert_int_equal(broker_gain(&a, &b), 2);
}

static void a_strength_in_another_theme_gives_nothing(void **state)
{
	(void)state;
	struct broker_school a = school(1, need_reading_high, 1, NULL, 0);
	struct broker_school b = school(2, NULL, 0, strong_maths, 1);
	assert_int_equal(broker_gain(&a, &b), 0);
}

static void a_theme_the_school_is_not_looking_for_gives_nothing(void **state)
{
	(void)state;
	struct broker_school a = school(1, need_reading_high, 1, NULL, 0);
	a.off = off_reading;
	a.n_off = 1;
	struct broker_school b = school(2, NULL, 0, strong_reading_evidence, 1);
	assert_int_equal(broker_gain(&a, &b), 0);
}

static void a_two_way_pair_scores_above_a_one_way_pair_with_the_same_total(void **state)
{
	(void)state;
	/* One way: 1 gains 9 from 2 (high need, evidenced strength). Two way with the same total: 3 gains
	 * 6 from 4 (high need, strength without evidence), 4 gains 3 from 3 (low need, evidenced). */
	static const struct broker_need n3[] = {{READING, BROKER_PRIORITY_HIGH}};
	static const struct broker_strength s3[] = {{MATHS, true}};
	static const struct broker_need n4[] = {{MATHS, BROKER_PRIORITY_LOW}};
	static const struct broker_strength s4[] = {{READING, false}};
	struct broker_school s[4] = {
		school(1, need_reading_high, 1, NULL, 0), school(2, NULL, 0, strong_reading_evidence, 1),
		school(3, n3, 1, s3, 1), school(4, n4, 1, s4, 1),
	};
	struct broker_net net = net_of(s, 4);
	struct broker_pair one, two;
	assert_true(broker_pair_score(&net, 0, 1, &one));
	assert_true(broker_pair_score(&net, 2, 3, &two));
	assert_int_equal(one.gain_ab + one.gain_ba, 9);
	assert_int_equal(two.gain_ab + two.gain_ba, 9); /* 6 + 3 */
	assert_false(one.reciprocal);
	assert_true(two.reciprocal);
	assert_true(two.score > one.score);
}

static void a_pair_where_neither_gains_is_not_possible(void **state)
{
	(void)state;
	struct broker_school s[2] = {school(1, need_reading_high, 1, NULL, 0), school(2, need_maths_low, 1, NULL, 0)};
	struct broker_net net = net_of(s, 2);
	struct broker_pair p;
	assert_false(broker_pair_score(&net, 0, 1, &p));
}

static void a_school_is_never_proposed_with_itself(void **state)
{
	(void)state;
	static const struct broker_strength both[] = {{READING, true}};
	struct broker_school s[1] = {school(1, need_reading_high, 1, both, 1)};
	struct broker_net net = net_of(s, 1);
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), 0);
	assert_int_equal(r.n_proposals, 0);
	assert_int_equal(r.left[0], BROKER_LEFT_NOTHING);
	broker_result_free(&r);
}

static void a_barred_pair_is_never_proposed_and_the_school_is_told_why(void **state)
{
	(void)state;
	struct broker_school s[2] = {school(1, need_reading_high, 1, NULL, 0),
				     school(2, NULL, 0, strong_reading_evidence, 1)};
	struct broker_net net = net_of(s, 2);
	struct broker_bar_pair bar = {1, 0, BROKER_BAR_DECLINED};
	net.bars = &bar;
	net.n_bars = 1;
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), 0);
	assert_int_equal(r.n_proposals, 0);
	assert_int_equal(r.left[0], BROKER_LEFT_BARRED);
	assert_int_equal(r.left[1], BROKER_LEFT_BARRED);
	broker_result_free(&r);
}

static void every_school_with_a_possible_partner_gets_a_proposal_before_the_total_grows(void **state)
{
	(void)state;
	/* Path 0 - 1 - 2 - 3, capacity 1 each. Weights 1, 100, 1: the largest total alone is {1-2}
	 * (100), leaving 0 and 3 out; coverage first takes {0-1, 2-3}. */
	int cap[4] = {1, 1, 1, 1};
	struct broker_edge e[3] = {{0, 1, 1}, {1, 2, 100}, {2, 3, 1}};
	bool chosen[3];
	assert_int_equal(broker_match(4, cap, NULL, e, 3, chosen), 0);
	assert_true(chosen[0]);
	assert_false(chosen[1]);
	assert_true(chosen[2]);
}

static void a_school_already_covered_does_not_need_another_proposal(void **state)
{
	(void)state;
	int cap[4] = {1, 1, 1, 1};
	bool covered[4] = {true, false, false, true};
	struct broker_edge e[3] = {{0, 1, 1}, {1, 2, 100}, {2, 3, 1}};
	bool chosen[3];
	assert_int_equal(broker_match(4, cap, covered, e, 3, chosen), 0);
	assert_false(chosen[0]);
	assert_true(chosen[1]);
	assert_false(chosen[2]);
}

static void a_capacity_below_zero_is_refused(void **state)
{
	(void)state;
	struct broker_school s[2] = {school(1, need_reading_high, 1, NULL, 0),
				     school(2, NULL, 0, strong_reading_evidence, 1)};
	s[0].capacity = -1;
	struct broker_net net = net_of(s, 2);
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), ERR_INVALID);
	s[0].capacity = BROKER_CAPACITY_MAX + 1;
	assert_int_equal(broker_run(&net, &r), ERR_INVALID);
}

static void a_school_whose_capacity_is_taken_is_left_out_saying_so(void **state)
{
	(void)state;
	struct broker_school s[2] = {school(1, need_reading_high, 1, NULL, 0),
				     school(2, NULL, 0, strong_reading_evidence, 1)};
	s[1].used = 2;
	struct broker_net net = net_of(s, 2);
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), 0);
	assert_int_equal(r.n_proposals, 0);
	assert_int_equal(r.left[1], BROKER_LEFT_NO_CAPACITY);
	assert_int_equal(r.left[0], BROKER_LEFT_PARTNERS_FULL);
	broker_result_free(&r);
}

/* ---- brute force ---------------------------------------------------------- */

/* The best (coverage, total) over every subset of edges: the reference. */
static void brute(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m, int *best_cov,
		  int64_t *best_total)
{
	*best_cov = -1;
	*best_total = -1;
	for (uint32_t mask = 0; mask < (1u << m); mask++) {
		int deg[16] = {0};
		int64_t total = 0;
		for (size_t k = 0; k < m; k++)
			if (mask & (1u << k)) {
				deg[e[k].u]++;
				deg[e[k].v]++;
				total += e[k].w;
			}
		bool ok = true;
		int cov = 0;
		for (size_t i = 0; i < n; i++) {
			if (deg[i] > cap[i])
				ok = false;
			if (deg[i] > 0 && !covered[i])
				cov++;
		}
		if (!ok)
			continue;
		if (cov > *best_cov || (cov == *best_cov && total > *best_total)) {
			*best_cov = cov;
			*best_total = total;
		}
	}
}

/*
 * Check the edges chosen: no school over its capacity, and the same coverage
 * and total as the brute-force reference (equal, not close). Returns the
 * reference's total.
 */
static int64_t assert_same_as_brute(size_t n, const int *cap, const bool *covered, const struct broker_edge *e,
				    size_t m, const bool *chosen)
{
	int deg[16] = {0}, cov = 0;
	int64_t total = 0;
	for (size_t k = 0; k < m; k++)
		if (chosen[k]) {
			deg[e[k].u]++;
			deg[e[k].v]++;
			total += e[k].w;
		}
	for (size_t i = 0; i < n; i++) {
		assert_true(deg[i] <= cap[i]);
		if (deg[i] > 0 && !covered[i])
			cov++;
	}
	int bcov;
	int64_t btotal;
	brute(n, cap, covered, e, m, &bcov, &btotal);
	assert_int_equal(cov, bcov);
	assert_int_equal(total, btotal);
	return btotal;
}

static void the_matching_equals_brute_force_on_small_random_networks(void **state)
{
	(void)state;
	srand(20261206);
	for (int round = 0; round < 300; round++) {
		size_t n = 3 + (size_t)(rand() % 6); /* 3..8 schools */
		int cap[16];
		bool covered[16];
		for (size_t i = 0; i < n; i++) {
			cap[i] = rand() % 4; /* 0..3 */
			covered[i] = rand() % 6 == 0;
		}
		struct broker_edge e[16];
		size_t m = 0;
		for (size_t u = 0; u < n && m < 14; u++)
			for (size_t v = u + 1; v < n && m < 14; v++)
				if (rand() % 2)
					e[m++] = (struct broker_edge){(int)u, (int)v, 1 + rand() % 60};
		bool chosen[16];
		assert_int_equal(broker_match(n, cap, covered, e, m, chosen), 0);
		assert_same_as_brute(n, cap, covered, e, m, chosen);
	}
}

static void no_school_is_over_capacity_in_a_random_network_run(void **state)
{
	(void)state;
	srand(7);
	enum { N = 60 };
	static struct broker_need needs[N][3];
	static struct broker_strength strengths[N][3];
	struct broker_school s[N];
	for (int i = 0; i < N; i++) {
		size_t nn = (size_t)(rand() % 3), ns = (size_t)(rand() % 3);
		for (size_t k = 0; k < nn; k++)
			needs[i][k] = (struct broker_need){rand() % THEMES, 1 + rand() % 3};
		for (size_t k = 0; k < ns; k++)
			strengths[i][k] = (struct broker_strength){rand() % THEMES, rand() % 2 == 0};
		s[i] = school(1000 + i, needs[i], nn, strengths[i], ns);
		s[i].capacity = rand() % 4;
	}
	struct broker_net net = net_of(s, N);
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), 0);
	assert_int_equal(r.over_capacity, 0);
	for (int i = 0; i < N; i++)
		assert_true(r.degree[i] <= s[i].capacity);
	assert_true(r.with_proposal <= r.could_have);
	for (size_t k = 1; k < r.n_proposals; k++)
		assert_true(r.proposals[k - 1].score >= r.proposals[k].score);
	broker_result_free(&r);
}

/* ---- the fast method against the integer programs ------------------------- */

enum { BIG = 40, BIG_EDGES = BIG * (BIG - 1) / 2 };

/* A random network of 8..BIG schools, denser than the brute-force ones; weights with ties. */
static size_t random_network(size_t *n, int *cap, bool *covered, struct broker_edge *e)
{
	*n = 8 + (size_t)(rand() % (BIG - 7));
	int density = 20 + rand() % 70; /* percent of pairs that are possible */
	for (size_t i = 0; i < *n; i++) {
		cap[i] = rand() % 4; /* 0..3 */
		covered[i] = rand() % 8 == 0;
	}
	size_t m = 0;
	for (size_t u = 0; u < *n; u++)
		for (size_t v = u + 1; v < *n; v++)
			if (rand() % 100 < density)
				e[m++] = (struct broker_edge){(int)u, (int)v, 1 + rand() % 300};
	return m;
}

/* Coverage (of schools not already covered) and total of a choice. */
static void measure(size_t n, const bool *covered, const struct broker_edge *e, size_t m, const bool *chosen,
		    const int *cap, int *cov, int64_t *total)
{
	int deg[BIG] = {0};
	*cov = 0;
	*total = 0;
	for (size_t k = 0; k < m; k++)
		if (chosen[k]) {
			deg[e[k].u]++;
			deg[e[k].v]++;
			*total += e[k].w;
		}
	for (size_t i = 0; i < n; i++) {
		assert_true(deg[i] <= cap[i]);
		if (deg[i] > 0 && !covered[i])
			(*cov)++;
	}
}

static void the_fast_matching_equals_the_integer_programs_on_random_networks(void **state)
{
	(void)state;
	srand(15);
	static struct broker_edge e[BIG_EDGES];
	static bool fast[BIG_EDGES], ip[BIG_EDGES];
	for (int round = 0; round < 120; round++) {
		size_t n;
		int cap[BIG];
		bool covered[BIG];
		size_t m = random_network(&n, cap, covered, e);
		struct broker_match_info info = {.seed_edges = round % 2}; /* 1: one edge a school, the rest priced in */
		assert_int_equal(broker_match_ex(n, cap, covered, e, m, fast, &info), 0);
		assert_int_equal(broker_match_ip(n, cap, covered, e, m, ip), 0);
		int cf, ci;
		int64_t tf, ti;
		measure(n, covered, e, m, fast, cap, &cf, &tf);
		measure(n, covered, e, m, ip, cap, &ci, &ti);
		assert_int_equal(cf, ci);
		assert_int_equal(tf, ti);
	}
}

static void the_random_networks_take_every_path_of_the_fast_method(void **state)
{
	(void)state;
	srand(15);
	static struct broker_edge e[BIG_EDGES];
	static bool chosen[BIG_EDGES];
	int priced = 0, cut = 0, integral = 0, programs = 0, greedy = 0;
	for (int round = 0; round < 120; round++) {
		size_t n;
		int cap[BIG];
		bool covered[BIG];
		size_t m = random_network(&n, cap, covered, e);
		struct broker_match_info info = {.seed_edges = round % 2};
		assert_int_equal(broker_match_ex(n, cap, covered, e, m, chosen, &info), 0);
		priced += info.pricing_rounds > 0;
		cut += info.cuts > 0;
		integral += info.lp_integral;
		programs += info.integer_programs > 0;
		greedy += info.greedy_cover;
	}
	assert_true(priced > 0);
	assert_true(cut > 0);
	assert_true(integral > 0);
	assert_true(programs > 0);
	assert_true(greedy > 0 && greedy < 120); /* coverage settled by the greedy cover, and by the LP */
}

/* ---- the flow method (flow.c) ---------------------------------------------- */

static void the_flow_matching_equals_brute_force_whenever_it_settles(void **state)
{
	(void)state;
	srand(20261207);
	int settled = 0;
	for (int round = 0; round < 400; round++) {
		size_t n = 3 + (size_t)(rand() % 6); /* 3..8 schools */
		int cap[16];
		bool covered[16];
		for (size_t i = 0; i < n; i++) {
			cap[i] = rand() % 4;
			covered[i] = rand() % 6 == 0;
		}
		struct broker_edge e[16];
		size_t m = 0;
		for (size_t u = 0; u < n && m < 14; u++)
			for (size_t v = u + 1; v < n && m < 14; v++)
				if (rand() % 2)
					e[m++] = (struct broker_edge){(int)u, (int)v, 1 + rand() % 60};
		bool chosen[16];
		struct broker_flow_info info;
		assert_int_equal(broker_match_flow(n, cap, covered, e, m, chosen, &info), 0);
		if (!info.settled)
			continue;
		settled++;
		int64_t btotal = assert_same_as_brute(n, cap, covered, e, m, chosen);
		assert_true(info.bound >= (double)btotal); /* the bound holds */
	}
	assert_true(settled > 200);
}

static void the_flow_matching_equals_the_integer_programs_and_takes_every_path(void **state)
{
	(void)state;
	srand(16);
	static struct broker_edge e[BIG_EDGES];
	static bool flow[BIG_EDGES], ip[BIG_EDGES];
	int settled = 0, by_bound = 0, by_floors = 0, by_program = 0, fixed = 0, unsettled = 0, branched = 0;
	for (int round = 0; round < 150; round++) {
		size_t n;
		int cap[BIG];
		bool covered[BIG];
		size_t m = random_network(&n, cap, covered, e);
		struct broker_flow_info info;
		assert_int_equal(broker_match_flow(n, cap, covered, e, m, flow, &info), 0);
		if (!info.settled) {
			unsettled++;
			continue;
		}
		settled++;
		assert_int_equal(broker_match_ip(n, cap, covered, e, m, ip), 0);
		int cf, ci;
		int64_t tf, ti;
		measure(n, covered, e, m, flow, cap, &cf, &tf);
		measure(n, covered, e, m, ip, cap, &ci, &ti);
		assert_int_equal(cf, ci);
		assert_int_equal(tf, ti);
		assert_true(info.bound >= (double)ti);
		by_bound += m > 0 && !info.programs;
		by_floors += info.programs > 1;
		by_program += info.integer_program;
		fixed += info.fixed > 0;
		branched += info.nodes > info.programs; /* a program needed more than its root */
		assert_int_equal(info.solver_programs, 0); /* our branch and bound never gave up */
	}
	assert_true(settled > 0);
	assert_true(unsettled > 0); /* the greedy cover missed a school: the LP method decides */
	assert_true(by_bound > 0);  /* the rounding met the bound */
	assert_true(by_floors > 0); /* the first floor under the bound was too high: a second program */
	assert_true(by_program > 0);
	assert_true(fixed > 0);
	assert_true(branched > 0);
}

/* ---- the integer programs' two solvers (flow_bb.c, flow_ip.c) -------------- */

/*
 * The best total of a program by brute force: every subset of the m columns
 * within the capacities rcap covering every school rmust names; -1 for none.
 */
static int64_t program_brute(size_t n, const int *rcap, const bool *rmust, const struct broker_edge *e, size_t m)
{
	int64_t best = -1;
	for (unsigned long mask = 0; mask < (1UL << m); mask++) {
		int deg[16] = {0};
		int64_t t = 0;
		for (size_t k = 0; k < m; k++)
			if (mask & (1UL << k)) {
				deg[e[k].u]++;
				deg[e[k].v]++;
				t += e[k].w;
			}
		bool ok = true;
		for (size_t v = 0; v < n && ok; v++)
			ok = deg[v] <= rcap[v] && (!rmust[v] || deg[v] > 0);
		if (ok && t > best)
			best = t;
	}
	return best;
}

static void our_branch_and_bound_and_glpk_find_every_small_programs_optimum(void **state)
{
	(void)state;
	srand(20261208);
	int above = 0, none = 0, gave_up = 0, searched = 0;
	for (int round = 0; round < 600; round++) {
		size_t n = 3 + (size_t)(rand() % 6);
		int rcap[16];
		bool rmust[16];
		for (size_t v = 0; v < n; v++)
			rcap[v] = 1 + rand() % 3;
		struct broker_edge e[16];
		size_t m = 0, ks[16];
		for (size_t u = 0; u < n && m < 13; u++)
			for (size_t v = u + 1; v < n && m < 13; v++)
				if (rand() % 3) {
					ks[m] = m;
					e[m++] = (struct broker_edge){(int)u, (int)v, 1 + rand() % 40};
				}
		for (size_t v = 0; v < n; v++)
			rmust[v] = rand() % 3 == 0;
		int64_t half[16] = {0};
		struct fm F = {.n = n, .m = m, .e = e, .half = half};
		int64_t opt = program_brute(n, rcap, rmust, e, m);
		/* GLPK: the program's best, whatever it is. */
		bool chosen[16];
		int64_t total;
		assert_int_equal(flow_program(&F, ks, m, rcap, rmust, chosen, &total), 0);
		assert_int_equal(total, opt);
		/* Ours: the best above a floor (below the optimum, at it, or with nothing to find), or none. */
		int64_t floor = opt < 0 ? -1 : opt - (rand() % 3) * (1 + rand() % 20);
		long nodes;
		assert_int_equal(flow_bb(&F, ks, m, rcap, rmust, floor, 50000, chosen, &total, &nodes), 0);
		searched += nodes > 1;
		if (opt > floor) {
			assert_int_equal(total, opt);
			int deg[16] = {0};
			int64_t t = 0;
			for (size_t k = 0; k < m; k++)
				if (chosen[k]) {
					deg[e[k].u]++;
					deg[e[k].v]++;
					t += e[k].w;
				}
			assert_int_equal(t, opt);
			for (size_t v = 0; v < n; v++) {
				assert_true(deg[v] <= rcap[v]);
				assert_true(!rmust[v] || deg[v] > 0);
			}
			above++;
		} else {
			assert_int_equal(total, -1);
			none++;
		}
		/* Out of nodes it says so, and says nothing else. */
		if (flow_bb(&F, ks, m, rcap, rmust, -1, 1, chosen, &total, &nodes) == 1)
			gave_up++;
	}
	assert_true(above > 100);
	assert_true(none > 100);
	assert_true(searched > 25); /* programs that needed branching (47 of 600 with this seed) */
	assert_true(gave_up > 10);
}

static void the_near_matching_keeps_capacities_and_stays_between_its_bound_and_the_optimum(void **state)
{
	(void)state;
	srand(17);
	static struct broker_edge e[BIG_EDGES];
	static bool near[BIG_EDGES], ip[BIG_EDGES];
	for (int round = 0; round < 60; round++) {
		size_t n;
		int cap[BIG];
		bool covered[BIG];
		size_t m = random_network(&n, cap, covered, e);
		for (size_t i = 0; i < n; i++)
			covered[i] = true; /* the plain b-matching, as in the national bench */
		struct broker_flow_info info;
		assert_int_equal(broker_match_near(n, cap, covered, e, m, near, &info), 0);
		assert_int_equal(broker_match_ip(n, cap, covered, e, m, ip), 0);
		int cn, ci;
		int64_t tn, ti;
		measure(n, covered, e, m, near, cap, &cn, &tn); /* asserts every degree is within capacity */
		measure(n, covered, e, m, ip, cap, &ci, &ti);
		assert_true(tn <= ti);
		assert_true(info.bound >= (double)ti);
		if (info.settled)
			assert_int_equal(tn, ti);
	}
}

/*
 * The near matching's relaxation runs over every edge, so its bound is the
 * relaxation's optimum; on a bipartite network that is the optimum itself
 * (the b-matching polytope of a bipartite graph is integral).
 */
static void the_near_matchings_bound_is_the_optimum_on_bipartite_networks(void **state)
{
	(void)state;
	srand(23);
	static struct broker_edge e[BIG_EDGES];
	static bool near[BIG_EDGES], ip[BIG_EDGES];
	for (int round = 0; round < 40; round++) {
		size_t n;
		int cap[BIG];
		bool covered[BIG];
		size_t all = random_network(&n, cap, covered, e), m = 0;
		for (size_t k = 0; k < all; k++)
			if ((e[k].u + e[k].v) % 2)
				e[m++] = e[k]; /* even schools on one side, odd on the other */
		for (size_t i = 0; i < n; i++)
			covered[i] = true;
		struct broker_flow_info info;
		assert_int_equal(broker_match_near(n, cap, covered, e, m, near, &info), 0);
		assert_int_equal(broker_match_ip(n, cap, covered, e, m, ip), 0);
		int cn, ci;
		int64_t tn, ti;
		measure(n, covered, e, m, near, cap, &cn, &tn); /* asserts every degree is within capacity */
		measure(n, covered, e, m, ip, cap, &ci, &ti);
		assert_true(tn <= ti);
		assert_true(info.bound == (double)ti);
	}
}

/* ---- sentences ------------------------------------------------------------ */

static bool any_contains(json_t *arr, const char *needle)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (strstr(json_string_value(v), needle)) return true;
	return false;
}

static void the_explanation_names_the_themes_both_ways_and_says_two_way(void **state)
{
	(void)state;
	static const struct broker_strength s3[] = {{MATHS, true}};
	static const struct broker_strength s4[] = {{READING, false}};
	struct broker_school s[2] = {school(3, need_reading_high, 1, s3, 1), school(4, need_maths_low, 1, s4, 1)};
	s[0].name = "Weetwood Primary";
	s[1].name = "Ireland Wood Primary";
	struct broker_net net = net_of(s, 2);
	struct broker_pair p;
	assert_true(broker_pair_score(&net, 0, 1, &p));
	json_t *ex = broker_explain(&net, &p);
	assert_true(any_contains(ex, "Weetwood Primary gains from Ireland Wood Primary in Reading (a high-priority need"));
	assert_true(any_contains(ex, "Ireland Wood Primary gains from Weetwood Primary in Maths"));
	assert_true(any_contains(ex, "two-way"));
	json_decref(ex);
}

static void schools_far_apart_are_told_to_meet_online(void **state)
{
	(void)state;
	struct broker_school s[2] = {school(1, need_reading_high, 1, NULL, 0),
				     school(2, NULL, 0, strong_reading_evidence, 1)};
	s[0].has_location = s[1].has_location = true;
	s[0].lat = 53.8; /* Leeds */
	s[0].lon = -1.55;
	s[1].lat = 51.5; /* London */
	s[1].lon = -0.12;
	struct broker_net net = net_of(s, 2);
	struct broker_pair p;
	assert_true(broker_pair_score(&net, 0, 1, &p));
	assert_true(p.km > 250);
	json_t *ex = broker_explain(&net, &p);
	assert_true(any_contains(ex, "meet online"));
	assert_true(any_contains(ex, "one-way"));
	json_decref(ex);
}

/* ---- co-creation groups -------------------------------------------------- */

static void seven_schools_sharing_a_need_nobody_is_strong_in_make_groups_of_four_and_three(void **state)
{
	(void)state;
	struct broker_school s[8];
	for (int i = 0; i < 7; i++)
		s[i] = school(100 + i, need_send_medium, 1, NULL, 0);
	s[7] = school(200, NULL, 0, strong_reading, 1); /* strong in reading, not SEND */
	struct broker_net net = net_of(s, 8);
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), 0);
	assert_int_equal(r.n_groups, 2);
	assert_int_equal(r.groups[0].theme, SEND);
	assert_int_equal(r.groups[0].n + r.groups[1].n, 7);
	assert_true(r.groups[0].n >= BROKER_GROUP_MIN && r.groups[0].n <= BROKER_GROUP_MAX);
	assert_true(r.groups[1].n >= BROKER_GROUP_MIN && r.groups[1].n <= BROKER_GROUP_MAX);
	broker_result_free(&r);
}

static void a_need_only_two_schools_share_is_reported_without_a_group(void **state)
{
	(void)state;
	struct broker_school s[2] = {school(1, need_send_medium, 1, NULL, 0), school(2, need_send_medium, 1, NULL, 0)};
	struct broker_net net = net_of(s, 2);
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), 0);
	assert_int_equal(r.n_groups, 0);
	assert_int_equal(r.n_lone_themes, 1);
	assert_int_equal(r.lone_themes[0], SEND);
	broker_result_free(&r);
}

static void a_need_someone_is_strong_in_makes_no_group(void **state)
{
	(void)state;
	struct broker_school s[4];
	for (int i = 0; i < 3; i++)
		s[i] = school(100 + i, need_reading_high, 1, NULL, 0);
	s[3] = school(200, NULL, 0, strong_reading, 1);
	struct broker_net net = net_of(s, 4);
	struct broker_result r;
	assert_int_equal(broker_run(&net, &r), 0);
	assert_int_equal(r.n_groups, 0);
	broker_result_free(&r);
}

static void the_scorer_gives_every_pair_exactly_the_score_broker_pair_score_gives(void **state)
{
	(void)state;
	srand(23);
	enum { N = 40 };
	static struct broker_need needs[N][4];
	static struct broker_strength strengths[N][3];
	static int off[N][1];
	struct broker_school s[N];
	for (int i = 0; i < N; i++) {
		size_t nn = (size_t)(rand() % 5), ns = (size_t)(rand() % 4);
		for (size_t k = 0; k < nn; k++) /* repeated themes too: their priorities add up */
			needs[i][k] = (struct broker_need){rand() % THEMES, 1 + rand() % 3};
		for (size_t k = 0; k < ns; k++)
			strengths[i][k] = (struct broker_strength){rand() % THEMES, rand() % 2 == 0};
		off[i][0] = rand() % THEMES;
		s[i] = school(100 + i, needs[i], nn, strengths[i], ns);
		s[i].off = off[i];
		s[i].n_off = (size_t)(rand() % 3 == 0);
		s[i].has_location = rand() % 4 != 0;
		s[i].lat = 50.0 + (rand() % 1000) / 100.0;
		s[i].lon = -5.0 + (rand() % 1000) / 100.0;
	}
	struct broker_net net = net_of(s, N);
	struct broker_scorer sc;
	broker_scorer_init(&sc, &net);
	int possible = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			if (i == j)
				continue;
			struct broker_pair a, b;
			bool pa = broker_pair_score(&net, i, j, &a), pb = broker_scorer_pair(&sc, i, j, &b);
			assert_int_equal(pa, pb);
			if (!pa)
				continue;
			possible++;
			assert_int_equal(a.a, b.a);
			assert_int_equal(a.b, b.b);
			assert_int_equal(a.gain_ab, b.gain_ab);
			assert_int_equal(a.gain_ba, b.gain_ba);
			assert_int_equal(a.reciprocal, b.reciprocal);
			assert_true(a.km == b.km); /* the same arithmetic: equal to the last bit */
			assert_int_equal(a.score, b.score);
		}
	assert_true(possible > 0);
	broker_scorer_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_need_met_by_an_evidenced_strength_gains_priority_times_three),
		cmocka_unit_test(a_strength_without_evidence_counts_two_per_priority_point),
		cmocka_unit_test(a_strength_in_another_theme_gives_nothing),
		cmocka_unit_test(a_theme_the_school_is_not_looking_for_gives_nothing),
		cmocka_unit_test(a_two_way_pair_scores_above_a_one_way_pair_with_the_same_total),
		cmocka_unit_test(a_pair_where_neither_gains_is_not_possible),
		cmocka_unit_test(the_scorer_gives_every_pair_exactly_the_score_broker_pair_score_gives),
		cmocka_unit_test(a_school_is_never_proposed_with_itself),
		cmocka_unit_test(a_barred_pair_is_never_proposed_and_the_school_is_told_why),
		cmocka_unit_test(every_school_with_a_possible_partner_gets_a_proposal_before_the_total_grows),
		cmocka_unit_test(a_school_already_covered_does_not_need_another_proposal),
		cmocka_unit_test(a_capacity_below_zero_is_refused),
		cmocka_unit_test(a_school_whose_capacity_is_taken_is_left_out_saying_so),
		cmocka_unit_test(the_matching_equals_brute_force_on_small_random_networks),
		cmocka_unit_test(the_fast_matching_equals_the_integer_programs_on_random_networks),
		cmocka_unit_test(the_random_networks_take_every_path_of_the_fast_method),
		cmocka_unit_test(the_flow_matching_equals_brute_force_whenever_it_settles),
		cmocka_unit_test(the_flow_matching_equals_the_integer_programs_and_takes_every_path),
		cmocka_unit_test(our_branch_and_bound_and_glpk_find_every_small_programs_optimum),
		cmocka_unit_test(the_near_matching_keeps_capacities_and_stays_between_its_bound_and_the_optimum),
		cmocka_unit_test(the_near_matchings_bound_is_the_optimum_on_bipartite_networks),
		cmocka_unit_test(no_school_is_over_capacity_in_a_random_network_run),
		cmocka_unit_test(the_explanation_names_the_themes_both_ways_and_says_two_way),
		cmocka_unit_test(schools_far_apart_are_told_to_meet_online),
		cmocka_unit_test(seven_schools_sharing_a_need_nobody_is_strong_in_make_groups_of_four_and_three),
		cmocka_unit_test(a_need_only_two_schools_share_is_reported_without_a_group),
		cmocka_unit_test(a_need_someone_is_strong_in_makes_no_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
