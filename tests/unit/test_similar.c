// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_similar.c — unit tests for the similar-schools engine
 * (src/app/schools/similar.{c,h}). Small hand-made tables whose expected
 * distances are worked out in the comments, then a random table of 2,000
 * schools on which the engine is checked against a brute-force O(n²)
 * implementation of the DfE method written here from the specification
 * (bit for bit), and similar_families against similar_query with 1 and 2
 * threads.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/schools/similar.h"

/* ---- helpers ------------------------------------------------------------ */

#define EPS 1e-12
#define assert_near(a, b) assert_near_((a), (b), EPS, __FILE__, __LINE__)

static void assert_near_(double a, double b, double eps, const char *file, int line)
{
	if (!(fabs(a - b) <= eps)) {
		print_error("%.17g is not %.17g (within %g)\n", a, b, eps);
		_fail(file, line);
	}
}

/* An open state-funded school with no location, no codes, ages unknown. */
static struct similar_school sch(int urn, enum similar_group g, int pupils, double fsm, int ehc)
{
	struct similar_school s;
	memset(&s, 0, sizeof(s));
	s.urn = urn;
	s.group = g;
	s.open = true;
	s.state_funded = true;
	s.pupils = pupils;
	s.fsm_pct = fsm;
	s.ehc_plans = ehc;
	s.age_low = s.age_high = -1;
	return s;
}

static struct similar_school at(struct similar_school s, double lat, double lon)
{
	s.has_location = true;
	s.lat = lat;
	s.lon = lon;
	return s;
}

static struct similar_index *build(const struct similar_school *s, size_t n)
{
	struct similar_index *ix = NULL;
	assert_int_equal(similar_index_build(s, n, &ix), 0);
	assert_non_null(ix);
	return ix;
}

/* Run a query that must succeed; returns the number of results. */
static int query(const struct similar_index *ix, int urn, const struct similar_options *o,
		 struct similar_result *out, struct similar_meta *meta)
{
	int rc = similar_query(ix, urn, o, out, SIMILAR_K_MAX, meta);
	if (rc)
		print_error("query %d: %s\n", urn, meta->reason ? meta->reason : "?");
	assert_int_equal(rc, 0);
	return meta->n;
}

static double score(double d, double w)
{
	double s = 100.0 * (1.0 - d / sqrt(w));
	return round((s < 0 ? 0 : s > 100 ? 100 : s) * 10.0) / 10.0;
}

static struct similar_result res[SIMILAR_K_MAX];
static struct similar_meta meta;

/* ---- the default method -------------------------------------------------- */

/*
 * Four primaries. EHC % = 100·SENStat/pupils: 1.0, 2.0, 5.0, 0.5.
 * Ranges: pupils 600−200 = 400, FSM 50−10 = 40, EHC 5.0−0.5 = 4.5.
 */
static const struct similar_school four[] = {
	{ .urn = 100, .group = SIMILAR_GROUP_PRIMARY, .open = true, .state_funded = true,
	  .pupils = 200, .fsm_pct = 10.0, .ehc_plans = 2, .age_low = -1, .age_high = -1 },
	{ .urn = 101, .group = SIMILAR_GROUP_PRIMARY, .open = true, .state_funded = true,
	  .pupils = 300, .fsm_pct = 30.0, .ehc_plans = 6, .age_low = -1, .age_high = -1 },
	{ .urn = 102, .group = SIMILAR_GROUP_PRIMARY, .open = true, .state_funded = true,
	  .pupils = 400, .fsm_pct = 20.0, .ehc_plans = 20, .age_low = -1, .age_high = -1 },
	{ .urn = 103, .group = SIMILAR_GROUP_PRIMARY, .open = true, .state_funded = true,
	  .pupils = 600, .fsm_pct = 50.0, .ehc_plans = 3, .age_low = -1, .age_high = -1 },
};

/* d(100,101)² = 0.5·(100/400)² + 0.4·(20/40)² + 0.1·(1/4.5)² = 0.13125 + 0.4/81 */
#define D_100_101 sqrt(0.13125 + 0.4 / 81)
/* d(100,102)² = 0.5·(200/400)² + 0.4·(10/40)² + 0.1·(4/4.5)² = 0.15 + 6.4/81 */
#define D_100_102 sqrt(0.15 + 6.4 / 81)
/* d(100,103)² = 0.5·(400/400)² + 0.4·(40/40)² + 0.1·(0.5/4.5)² = 0.9 + 0.1/81 */
#define D_100_103 sqrt(0.9 + 0.1 / 81)

static void default_distance_is_the_dfe_formula_with_three_weights(void **state)
{
	(void)state;
	struct similar_index *ix = build(four, 4);
	assert_int_equal(query(ix, 100, NULL, res, &meta), 3);
	assert_int_equal(res[0].urn, 101);
	assert_near(res[0].distance, D_100_101); /* 0.36903… */
	assert_int_equal(res[1].urn, 102);
	assert_near(res[1].distance, D_100_102); /* 0.47855… */
	assert_int_equal(res[2].urn, 103);
	assert_near(res[2].distance, D_100_103); /* 0.94933… */
	assert_int_equal(meta.group, SIMILAR_GROUP_PRIMARY);
	assert_int_equal(meta.pool_size, 4);
	assert_int_equal(meta.compared, 3);
	assert_near(meta.weight_sum, 1.0);
	/* The values of both schools come back for display. */
	assert_near(res[0].cmp[SIMILAR_CHAR_PUPILS].self, 200);
	assert_near(res[0].cmp[SIMILAR_CHAR_PUPILS].other, 300);
	assert_near(res[0].cmp[SIMILAR_CHAR_FSM].other, 30.0);
	assert_near(res[0].cmp[SIMILAR_CHAR_EHC].self, 1.0);
	assert_near(res[0].cmp[SIMILAR_CHAR_EHC].other, 2.0);
	assert_near(res[0].cmp[SIMILAR_CHAR_PUPILS].t, 0.25);
	assert_false(res[0].cmp[SIMILAR_CHAR_PUPILS].other_missing);
	similar_index_unref(ix);
}

static void default_options_are_k_30_and_weights_half_four_tenths_one_tenth(void **state)
{
	(void)state;
	struct similar_options o;
	similar_options_default(&o);
	assert_int_equal(o.k, 30);
	assert_near(o.weight[SIMILAR_CHAR_PUPILS], 0.5);
	assert_near(o.weight[SIMILAR_CHAR_FSM], 0.4);
	assert_near(o.weight[SIMILAR_CHAR_EHC], 0.1);
	for (int c = SIMILAR_CHAR_KM; c < SIMILAR_CHAR__MAX; c++)
		assert_true(o.weight[c] == 0.0);
	assert_true(o.within_km == 0.0);
	assert_false(o.same_region_first);
	assert_false(o.include_independent);
}

static void changed_weights_enter_the_formula(void **state)
{
	(void)state;
	struct similar_index *ix = build(four, 4);
	struct similar_options o;
	similar_options_default(&o);
	o.weight[SIMILAR_CHAR_PUPILS] = 1.0;
	o.weight[SIMILAR_CHAR_FSM] = 0.0;
	o.weight[SIMILAR_CHAR_EHC] = 0.0;
	/* Pupils alone: 101 at 100/400, 102 at 200/400, 103 at 1. */
	assert_int_equal(query(ix, 100, &o, res, &meta), 3);
	assert_int_equal(res[0].urn, 101);
	assert_near(res[0].distance, 0.25);
	assert_int_equal(res[1].urn, 102);
	assert_near(res[1].distance, 0.5);
	assert_near(res[2].distance, 1.0);
	assert_true(res[2].score == 0.0);
	similar_index_unref(ix);
}

/*
 * The four primaries plus two secondaries with very different figures: the
 * primaries' ranges must stay 400 / 40 / 4.5. Secondaries: pupils 1500 and
 * 2000 (range 500), FSM 0 and 90 (range 90), EHC 0% and 5% (range 5):
 * d² = 0.5 + 0.4 + 0.1 = 1.
 */
static void ranges_are_taken_per_phase_group_not_across_groups(void **state)
{
	(void)state;
	struct similar_school t[6];
	memcpy(t, four, sizeof(four));
	t[4] = sch(200, SIMILAR_GROUP_SECONDARY, 1500, 0.0, 0);
	t[5] = sch(201, SIMILAR_GROUP_SECONDARY, 2000, 90.0, 100);
	struct similar_index *ix = build(t, 6);
	assert_int_equal(query(ix, 100, NULL, res, &meta), 3);
	assert_near(res[0].distance, D_100_101);
	assert_near(res[1].distance, D_100_102);
	assert_near(res[2].distance, D_100_103);
	assert_int_equal(query(ix, 200, NULL, res, &meta), 1);
	assert_int_equal(res[0].urn, 201);
	assert_near(res[0].distance, 1.0);
	assert_int_equal(meta.group, SIMILAR_GROUP_SECONDARY);
	assert_int_equal(meta.pool_size, 2);
	similar_index_unref(ix);
}

/* ---- missing values ------------------------------------------------------ */

/*
 * Pupils 100, 300, 200 and one missing (so its EHC % is missing too; every
 * EHC is missing here, so EHC has no median and contributes 0). The median
 * of an odd count {100, 200, 300} is 200; range 200. FSM 10, 20, 40, 30:
 * range 30. From school 4 (200 filled, FSM 30):
 *   to 3 (200, 40): 0.4·(10/30)² = 0.4/9
 *   to 2 (300, 20): 0.5·(100/200)² + 0.4·(10/30)² = 0.125 + 0.4/9
 *   to 1 (100, 10): 0.5·(100/200)² + 0.4·(20/30)² = 0.125 + 1.6/9
 */
static void a_missing_value_takes_the_median_of_an_odd_count(void **state)
{
	(void)state;
	const struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, -1),
		sch(2, SIMILAR_GROUP_PRIMARY, 300, 20, -1),
		sch(3, SIMILAR_GROUP_PRIMARY, 200, 40, -1),
		sch(4, SIMILAR_GROUP_PRIMARY, -1, 30, -1),
	};
	struct similar_index *ix = build(t, 4);
	assert_int_equal(query(ix, 4, NULL, res, &meta), 3);
	assert_int_equal(res[0].urn, 3);
	assert_near(res[0].distance, sqrt(0.4 / 9));
	assert_int_equal(res[1].urn, 2);
	assert_near(res[1].distance, sqrt(0.125 + 0.4 / 9));
	assert_int_equal(res[2].urn, 1);
	assert_near(res[2].distance, sqrt(0.125 + 1.6 / 9));
	const struct similar_cmp *p = &res[0].cmp[SIMILAR_CHAR_PUPILS];
	assert_true(p->self_missing);
	assert_false(p->other_missing);
	assert_near(p->self, 200);
	assert_near(p->median, 200);
	const struct similar_cmp *e = &res[0].cmp[SIMILAR_CHAR_EHC];
	assert_true(e->self_missing);
	assert_true(e->other_missing);
	assert_true(isnan(e->median)); /* nobody has the value */
	assert_false(res[0].cmp[SIMILAR_CHAR_FSM].self_missing);
	similar_index_unref(ix);
}

/*
 * A fifth school (500 pupils, FSM 90): present pupils {100, 200, 300, 500},
 * an even count, so the median is (200 + 300) / 2 = 250; range 400; FSM
 * range 10..90 = 80. From school 4 (250 filled, FSM 30):
 *   to 2 (300, 20): 0.5·(50/400)² + 0.4·(10/80)² = 0.9/64
 *   to 3 (200, 40): the same, exactly — a tie, lower URN first
 *   to 1 (100, 10): 0.5·(150/400)² + 0.4·(20/80)² = 0.0953125
 *   to 5 (500, 90): 0.5·(250/400)² + 0.4·(60/80)² = 0.4203125
 */
static void a_missing_value_takes_the_mean_of_the_middle_two_of_an_even_count(void **state)
{
	(void)state;
	const struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, -1), sch(2, SIMILAR_GROUP_PRIMARY, 300, 20, -1),
		sch(3, SIMILAR_GROUP_PRIMARY, 200, 40, -1), sch(4, SIMILAR_GROUP_PRIMARY, -1, 30, -1),
		sch(5, SIMILAR_GROUP_PRIMARY, 500, 90, -1),
	};
	struct similar_index *ix = build(t, 5);
	assert_int_equal(query(ix, 4, NULL, res, &meta), 4);
	assert_int_equal(res[0].urn, 2);
	assert_near(res[0].distance, sqrt(0.9 / 64));
	assert_int_equal(res[1].urn, 3);
	assert_true(res[1].distance == res[0].distance);
	assert_int_equal(res[2].urn, 1);
	assert_near(res[2].distance, sqrt(0.0953125));
	assert_int_equal(res[3].urn, 5);
	assert_near(res[3].distance, sqrt(0.4203125));
	assert_near(res[0].cmp[SIMILAR_CHAR_PUPILS].median, 250);
	assert_near(res[0].cmp[SIMILAR_CHAR_PUPILS].self, 250);
	/* Seen from another school, the filled value is the result's. */
	assert_int_equal(query(ix, 1, NULL, res, &meta), 4);
	int i = 0;
	while (res[i].urn != 4)
		i++;
	assert_true(res[i].cmp[SIMILAR_CHAR_PUPILS].other_missing);
	assert_false(res[i].cmp[SIMILAR_CHAR_PUPILS].self_missing);
	assert_near(res[i].cmp[SIMILAR_CHAR_PUPILS].other, 250);
	similar_index_unref(ix);
}

/*
 * FSM missing for 2, EHC missing for 3. FSM {10, 30, 20}: median 20, range
 * 20. EHC % {1, 4, 2}: median 2, range 3. Pupils range 100..400 = 300.
 * From school 2 (200 pupils, FSM 20 filled, EHC 4%):
 *   to 1 (100, 10, 1%):        0.5·(1/3)² + 0.4·(1/2)² + 0.1·(3/3)² = 0.2 + 0.5/9
 *   to 4 (400, 20, 2%):        0.5·(2/3)² + 0 + 0.1·(2/3)²          = 2.4/9
 *   to 3 (400, 30, 2% filled): 0.5·(2/3)² + 0.4·(1/2)² + 0.1·(2/3)² = 0.1 + 2.4/9
 */
static void missing_fsm_and_ehc_take_the_group_median_and_are_flagged(void **state)
{
	(void)state;
	const struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, 1),
		sch(2, SIMILAR_GROUP_PRIMARY, 200, NAN, 8),
		sch(3, SIMILAR_GROUP_PRIMARY, 400, 30, -1),
		sch(4, SIMILAR_GROUP_PRIMARY, 400, 20, 8),
	};
	struct similar_index *ix = build(t, 4);
	assert_int_equal(query(ix, 2, NULL, res, &meta), 3);
	assert_int_equal(res[0].urn, 1);
	assert_near(res[0].distance, sqrt(0.2 + 0.5 / 9));
	assert_int_equal(res[1].urn, 4);
	assert_near(res[1].distance, sqrt(2.4 / 9));
	assert_int_equal(res[2].urn, 3);
	assert_near(res[2].distance, sqrt(0.1 + 2.4 / 9));
	const struct similar_cmp *f = &res[2].cmp[SIMILAR_CHAR_FSM];
	assert_true(f->self_missing);
	assert_false(f->other_missing);
	assert_near(f->median, 20);
	const struct similar_cmp *e = &res[2].cmp[SIMILAR_CHAR_EHC];
	assert_false(e->self_missing);
	assert_true(e->other_missing);
	assert_near(e->other, 2.0);
	assert_near(e->median, 2.0);
	similar_index_unref(ix);
}

/* ---- selection ----------------------------------------------------------- */

static void the_school_itself_is_never_a_result(void **state)
{
	(void)state;
	/* 2 is an identical twin of 1; 3 differs. */
	const struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 200, 20, 2),
		sch(2, SIMILAR_GROUP_PRIMARY, 200, 20, 2),
		sch(3, SIMILAR_GROUP_PRIMARY, 400, 40, 8),
	};
	struct similar_index *ix = build(t, 3);
	struct similar_options o;
	similar_options_default(&o);
	o.k = 100;
	assert_int_equal(query(ix, 1, &o, res, &meta), 2);
	assert_int_equal(res[0].urn, 2);
	assert_int_equal(res[1].urn, 3);
	assert_int_equal(query(ix, 2, &o, res, &meta), 2);
	assert_int_equal(res[0].urn, 1);
	assert_int_equal(res[1].urn, 3);
	similar_index_unref(ix);
}

/*
 * From 10 (200 pupils), 30 (250) and 20 (150) are both 50/100 away (FSM
 * and EHC equal everywhere: range 0, no contribution): d = √(0.5·0.25).
 * Listed 30 before 20 in the table; 20 must come first.
 */
static void a_tie_is_broken_by_the_lower_urn(void **state)
{
	(void)state;
	const struct similar_school t[] = {
		sch(30, SIMILAR_GROUP_PRIMARY, 250, 20, 0),
		sch(10, SIMILAR_GROUP_PRIMARY, 200, 20, 0),
		sch(20, SIMILAR_GROUP_PRIMARY, 150, 20, 0),
	};
	struct similar_index *ix = build(t, 3);
	assert_int_equal(query(ix, 10, NULL, res, &meta), 2);
	assert_int_equal(res[0].urn, 20);
	assert_int_equal(res[1].urn, 30);
	assert_near(res[0].distance, sqrt(0.125));
	assert_true(res[0].distance == res[1].distance);
	struct similar_options o;
	similar_options_default(&o);
	o.k = 1;
	assert_int_equal(query(ix, 10, &o, res, &meta), 1);
	assert_int_equal(res[0].urn, 20);
	similar_index_unref(ix);
}

/*
 * k = 1. From 1 (1000 pupils): 2 is 10,000,000 pupils away (t = 1, d² =
 * 0.5), 3 is 9,999,999 away (d² = 0.5·0.9999999², smaller by 1e-7
 * relative). Members are scanned by URN, so 3 must displace 2 from a full
 * heap although the two are almost tied.
 */
static void a_slightly_nearer_school_still_displaces_the_last_kept(void **state)
{
	(void)state;
	const struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 1000, 10, 0),
		sch(2, SIMILAR_GROUP_PRIMARY, 10001000, 10, 0),
		sch(3, SIMILAR_GROUP_PRIMARY, 10000999, 10, 0),
	};
	struct similar_index *ix = build(t, 3);
	struct similar_options o;
	similar_options_default(&o);
	o.k = 1;
	assert_int_equal(query(ix, 1, &o, res, &meta), 1);
	assert_int_equal(res[0].urn, 3);
	assert_near(res[0].distance, sqrt(0.5) * 0.9999999);
	similar_index_unref(ix);
}

static void k_outside_one_to_a_hundred_is_invalid(void **state)
{
	(void)state;
	struct similar_index *ix = build(four, 4);
	struct similar_options o;
	similar_options_default(&o);
	o.k = 0;
	assert_int_equal(similar_query(ix, 100, &o, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	assert_string_equal(meta.reason, "Choose between 1 and 100 schools.");
	o.k = 101;
	assert_int_equal(similar_query(ix, 100, &o, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	o.k = -5;
	assert_int_equal(similar_options_check(&o, NULL), ERR_INVALID);
	o.k = 2;
	assert_int_equal(similar_query(ix, 100, &o, res, 1, &meta), ERR_INVALID); /* cap < k */
	similar_index_unref(ix);
}

static void k_limits_the_results_and_a_small_pool_gives_fewer(void **state)
{
	(void)state;
	struct similar_index *ix = build(four, 4);
	struct similar_options o;
	similar_options_default(&o);
	o.k = 1;
	assert_int_equal(query(ix, 100, &o, res, &meta), 1);
	assert_int_equal(res[0].urn, 101);
	o.k = 2;
	assert_int_equal(query(ix, 100, &o, res, &meta), 2);
	assert_int_equal(res[1].urn, 102);
	o.k = 100;
	assert_int_equal(query(ix, 100, &o, res, &meta), 3);
	similar_index_unref(ix);
}

/* ---- pools --------------------------------------------------------------- */

/* 1 and 6 open state primaries; 2 closed; 3 independent; 4 neither; 5 group NONE. */
static void pool_table(struct similar_school *t)
{
	t[0] = sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, 0);
	t[1] = sch(2, SIMILAR_GROUP_PRIMARY, 110, 10, 0);
	t[1].open = false;
	t[2] = sch(3, SIMILAR_GROUP_PRIMARY, 120, 10, 0);
	t[2].state_funded = false;
	t[2].independent = true;
	t[3] = sch(4, SIMILAR_GROUP_PRIMARY, 130, 10, 0);
	t[3].state_funded = false;
	t[4] = sch(5, SIMILAR_GROUP_NONE, 140, 10, 0);
	t[5] = sch(6, SIMILAR_GROUP_PRIMARY, 200, 10, 0);
}

static void closed_independent_and_ungrouped_schools_are_not_in_the_pool(void **state)
{
	(void)state;
	struct similar_school t[6];
	pool_table(t);
	struct similar_index *ix = build(t, 6);
	assert_int_equal(query(ix, 1, NULL, res, &meta), 1);
	assert_int_equal(res[0].urn, 6);
	assert_int_equal(meta.pool_size, 2);
	assert_false(meta.independent_pool);
	similar_index_unref(ix);
}

static void a_school_in_no_pool_is_invalid_with_a_reason(void **state)
{
	(void)state;
	struct similar_school t[6];
	pool_table(t);
	struct similar_index *ix = build(t, 6);
	assert_int_equal(similar_query(ix, 2, NULL, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	assert_string_equal(meta.reason, "This school is closed, so it has no comparison group.");
	assert_int_equal(similar_query(ix, 3, NULL, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	assert_string_equal(meta.reason,
			    "This is an independent school: include independent schools to compare it.");
	assert_int_equal(similar_query(ix, 4, NULL, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	assert_string_equal(meta.reason,
			    "Only state-funded and independent schools have a comparison group.");
	assert_int_equal(similar_query(ix, 5, NULL, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	assert_string_equal(meta.reason, "This type of establishment has no comparison group.");
	assert_int_equal(meta.n, 0);
	similar_index_unref(ix);
}

static void the_independent_option_adds_independent_schools_to_the_pool(void **state)
{
	(void)state;
	struct similar_school t[6];
	pool_table(t);
	struct similar_index *ix = build(t, 6);
	struct similar_options o;
	similar_options_default(&o);
	o.include_independent = true;
	assert_int_equal(query(ix, 1, &o, res, &meta), 2);
	assert_int_equal(res[0].urn, 3);
	assert_int_equal(res[1].urn, 6);
	assert_int_equal(meta.pool_size, 3);
	assert_true(meta.independent_pool);
	assert_int_equal(query(ix, 3, &o, res, &meta), 2);
	/* Still no closed school, nor one that is neither. */
	assert_int_equal(similar_query(ix, 2, &o, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	assert_int_equal(similar_query(ix, 4, &o, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	similar_index_unref(ix);
}

/*
 * State pool {1: 100 pupils FSM 10, 2: 200 FSM 20}: pupils range 100, FSM
 * range 10, EHC 0% for both (range 0): d(1,2)² = 0.5 + 0.4 = 0.9.
 * With independent 3 (500 pupils, no FSM, no EHC): pupils range 400; FSM
 * median (10 + 20)/2 = 15 fills 3, range still 10; EHC median 0, range 0.
 *   d(1,2)² = 0.5·(100/400)² + 0.4·1     = 0.43125
 *   d(1,3)² = 0.5·(400/400)² + 0.4·(5/10)² = 0.6
 */
static void the_independent_pool_has_its_own_ranges_and_medians(void **state)
{
	(void)state;
	struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, 0),
		sch(2, SIMILAR_GROUP_PRIMARY, 200, 20, 0),
		sch(3, SIMILAR_GROUP_PRIMARY, 500, NAN, -1),
	};
	t[2].state_funded = false;
	t[2].independent = true;
	struct similar_index *ix = build(t, 3);
	assert_int_equal(query(ix, 1, NULL, res, &meta), 1);
	assert_near(res[0].distance, sqrt(0.9));
	struct similar_options o;
	similar_options_default(&o);
	o.include_independent = true;
	assert_int_equal(query(ix, 1, &o, res, &meta), 2);
	assert_int_equal(res[0].urn, 2);
	assert_near(res[0].distance, sqrt(0.43125));
	assert_int_equal(res[1].urn, 3);
	assert_near(res[1].distance, sqrt(0.6));
	assert_near(res[1].cmp[SIMILAR_CHAR_FSM].median, 15);
	assert_true(res[1].cmp[SIMILAR_CHAR_FSM].other_missing);
	similar_index_unref(ix);
}

/* ---- distance ------------------------------------------------------------ */

/* The textbook haversine, written independently of the engine. */
static double textbook_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 3.14159265358979323846 / 180.0;
	double p1 = lat1 * r, p2 = lat2 * r, dp = (lat2 - lat1) * r, dl = (lon2 - lon1) * r;
	double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
	return 2 * 6371.0 * asin(sqrt(h));
}

static void km_is_the_haversine_great_circle_distance(void **state)
{
	(void)state;
	/* One degree of a meridian: 6371·π/180 = 111.19492664455873 km. */
	assert_true(fabs(similar_km(51, 0, 52, 0) - 111.19492664455873) < 1e-9);
	/* London (51.5074, −0.1278) to Manchester (53.4808, −2.2426): 261.98280834296975 km
	 * (python3, textbook formula). */
	assert_true(fabs(similar_km(51.5074, -0.1278, 53.4808, -2.2426) - 261.98280834296975) < 1e-9);
	assert_true(fabs(similar_km(51.5074, -0.1278, 53.4808, -2.2426) -
			 textbook_km(51.5074, -0.1278, 53.4808, -2.2426)) < 1e-9);
	assert_true(similar_km(50.1, -5.5, 50.1, -5.5) == 0.0);
	assert_true(fabs(similar_km(0, 0, 0, 180) - 6371.0 * 3.14159265358979323846) < 1e-6);
}

/*
 * School 1 at (51, 0); 2 at (51.04, 0) 4.4478 km; 3 at (51.1, 0) 11.1195 km;
 * 4 at (51.3, 0) 33.3585 km; 5 at (52, 0) 111.1949 km; 6 has no location.
 * Pupils make the default order 5, 4, 3, 2 (the farthest is the most alike).
 */
static void distance_table(struct similar_school *t)
{
	t[0] = at(sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, 0), 51.0, 0);
	t[1] = at(sch(2, SIMILAR_GROUP_PRIMARY, 500, 10, 0), 51.04, 0);
	t[2] = at(sch(3, SIMILAR_GROUP_PRIMARY, 400, 10, 0), 51.1, 0);
	t[3] = at(sch(4, SIMILAR_GROUP_PRIMARY, 300, 10, 0), 51.3, 0);
	t[4] = at(sch(5, SIMILAR_GROUP_PRIMARY, 200, 10, 0), 52.0, 0);
	t[5] = sch(6, SIMILAR_GROUP_PRIMARY, 100, 10, 0);
}

static void the_within_km_filter_keeps_schools_at_most_that_far(void **state)
{
	(void)state;
	struct similar_school t[6];
	distance_table(t);
	struct similar_index *ix = build(t, 6);
	struct similar_options o;
	similar_options_default(&o);
	o.within_km = 5;
	assert_int_equal(query(ix, 1, &o, res, &meta), 1);
	assert_int_equal(res[0].urn, 2);
	assert_near(res[0].cmp[SIMILAR_CHAR_KM].other, 4.447797065782073);
	assert_int_equal(meta.outside_radius, 3);
	assert_int_equal(meta.no_location, 1);
	assert_int_equal(meta.compared, 1);
	o.within_km = 25;
	assert_int_equal(query(ix, 1, &o, res, &meta), 2);
	assert_int_equal(res[0].urn, 3); /* ordered by similarity, not by km */
	assert_int_equal(res[1].urn, 2);
	/* The limit is inclusive: exactly the km of school 5 keeps it. */
	o.within_km = similar_km(51.0, 0, 52.0, 0);
	assert_int_equal(query(ix, 1, &o, res, &meta), 4);
	assert_int_equal(res[0].urn, 5);
	o.within_km = nextafter(o.within_km, 0);
	assert_int_equal(query(ix, 1, &o, res, &meta), 3);
	assert_int_equal(res[0].urn, 4);
	similar_index_unref(ix);
}

static void schools_without_coordinates_are_excluded_under_a_distance_option_and_counted(
	void **state)
{
	(void)state;
	struct similar_school t[6];
	distance_table(t);
	struct similar_index *ix = build(t, 6);
	struct similar_options o;
	similar_options_default(&o);
	/* No distance option: 6 is compared (and identical to 1). */
	assert_int_equal(query(ix, 1, &o, res, &meta), 5);
	assert_int_equal(res[0].urn, 6);
	assert_int_equal(meta.no_location, 0);
	assert_true(isnan(res[0].cmp[SIMILAR_CHAR_KM].other));
	o.within_km = 500;
	assert_int_equal(query(ix, 1, &o, res, &meta), 4);
	assert_int_equal(meta.no_location, 1);
	assert_int_equal(meta.outside_radius, 0);
	o.within_km = 0;
	o.weight[SIMILAR_CHAR_KM] = 0.2;
	assert_int_equal(query(ix, 1, &o, res, &meta), 4);
	assert_int_equal(meta.no_location, 1);
	for (int i = 0; i < 4; i++)
		assert_int_not_equal(res[i].urn, 6);
	similar_index_unref(ix);
}

static void a_school_without_coordinates_is_invalid_under_a_distance_option(void **state)
{
	(void)state;
	struct similar_school t[6];
	distance_table(t);
	struct similar_index *ix = build(t, 6);
	struct similar_options o;
	similar_options_default(&o);
	assert_int_equal(query(ix, 6, &o, res, &meta), 5);
	o.within_km = 10;
	assert_int_equal(similar_query(ix, 6, &o, res, SIMILAR_K_MAX, &meta), ERR_INVALID);
	assert_string_equal(meta.reason,
			    "This school has no recorded location, so it can't be compared by distance.");
	similar_index_unref(ix);
}

/* ---- ordering and extra characteristics ---------------------------------- */

/*
 * 1 in region 7. By distance: 2 (region 8), 3 (7), 4 (8), 5 (7), 6 (unknown).
 * Same region first: 3, 5, then 2, 4, 6.
 */
static void same_region_first_orders_the_schools_region_before_the_rest(void **state)
{
	(void)state;
	struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, 0), sch(2, SIMILAR_GROUP_PRIMARY, 110, 10, 0),
		sch(3, SIMILAR_GROUP_PRIMARY, 120, 10, 0), sch(4, SIMILAR_GROUP_PRIMARY, 130, 10, 0),
		sch(5, SIMILAR_GROUP_PRIMARY, 140, 10, 0), sch(6, SIMILAR_GROUP_PRIMARY, 150, 10, 0),
	};
	const int region[] = { 7, 8, 7, 8, 7, 0 };
	for (int i = 0; i < 6; i++)
		t[i].region = region[i];
	struct similar_index *ix = build(t, 6);
	struct similar_options o;
	similar_options_default(&o);
	assert_int_equal(query(ix, 1, &o, res, &meta), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(res[i].urn, i + 2);
	o.same_region_first = true;
	assert_int_equal(query(ix, 1, &o, res, &meta), 5);
	const int want[] = { 3, 5, 2, 4, 6 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(res[i].urn, want[i]);
	assert_true(res[0].same_region);
	assert_false(res[2].same_region);
	/* A school of unknown region has no "same region": the order is unchanged. */
	assert_int_equal(query(ix, 6, &o, res, &meta), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(res[i].urn, 5 - i);
	similar_index_unref(ix);
}

/*
 * 1 at (51, 0); 50 at (52, 0) and 60 at (51.1, 0), both identical to 1 in
 * pupils, FSM and EHC. Default: a tie at 0, 50 first. With a KM weight of 1
 * (W = 2): d = √(1·(km/100)²): 60 at 0.11119…, 50 at 1 (111 km, capped).
 */
static void a_km_weight_prefers_nearer_schools(void **state)
{
	(void)state;
	const struct similar_school t[] = {
		at(sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, 1), 51.0, 0),
		at(sch(50, SIMILAR_GROUP_PRIMARY, 100, 10, 1), 52.0, 0),
		at(sch(60, SIMILAR_GROUP_PRIMARY, 100, 10, 1), 51.1, 0),
	};
	struct similar_index *ix = build(t, 3);
	assert_int_equal(query(ix, 1, NULL, res, &meta), 2);
	assert_int_equal(res[0].urn, 50);
	struct similar_options o;
	similar_options_default(&o);
	o.weight[SIMILAR_CHAR_KM] = 1.0;
	assert_int_equal(query(ix, 1, &o, res, &meta), 2);
	assert_int_equal(res[0].urn, 60);
	assert_near(res[0].distance, 11.119492664455889 / 100);
	assert_near(res[0].cmp[SIMILAR_CHAR_KM].t, 11.119492664455889 / 100);
	assert_int_equal(res[1].urn, 50);
	assert_near(res[1].distance, 1.0);
	assert_near(meta.weight_sum, 2.0);
	assert_true(res[0].score == score(res[0].distance, 2.0));
	/* Past 100 km the term is capped at 1, with or without a radius. */
	assert_near(res[1].cmp[SIMILAR_CHAR_KM].t, 1.0);
	assert_near(res[1].cmp[SIMILAR_CHAR_KM].other, 111.19492664455889);
	o.within_km = 200;
	assert_int_equal(query(ix, 1, &o, res, &meta), 2);
	assert_int_equal(res[1].urn, 50);
	assert_near(res[1].distance, 1.0);
	struct similar_result one;
	assert_int_equal(similar_explain(ix, 1, 50, &o, &one, NULL), 0);
	assert_near(one.distance, 1.0);
	similar_index_unref(ix);
}

/*
 * Religion weight 1: 1 has code 5; 2 has 6, 3 has 5, 4 unknown (0).
 * Otherwise identical. d = 0 for 3, 1 for 2 and 4 (unknown is different).
 */
static void a_categorical_weight_prefers_the_same_code_and_unknown_counts_as_different(
	void **state)
{
	(void)state;
	struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 100, 10, 1), sch(2, SIMILAR_GROUP_PRIMARY, 100, 10, 1),
		sch(3, SIMILAR_GROUP_PRIMARY, 100, 10, 1), sch(4, SIMILAR_GROUP_PRIMARY, 100, 10, 1),
	};
	t[0].religion = 5;
	t[1].religion = 6;
	t[2].religion = 5;
	struct similar_index *ix = build(t, 4);
	struct similar_options o;
	similar_options_default(&o);
	assert_int_equal(query(ix, 1, &o, res, &meta), 3);
	assert_int_equal(res[0].urn, 2);
	o.weight[SIMILAR_CHAR_RELIGION] = 1.0;
	assert_int_equal(query(ix, 1, &o, res, &meta), 3);
	assert_int_equal(res[0].urn, 3);
	assert_near(res[0].distance, 0.0);
	assert_int_equal(res[1].urn, 2);
	assert_near(res[1].distance, 1.0);
	assert_int_equal(res[2].urn, 4);
	assert_near(res[2].distance, 1.0);
	assert_true(res[2].cmp[SIMILAR_CHAR_RELIGION].other_missing);
	assert_near(res[1].cmp[SIMILAR_CHAR_RELIGION].other, 6);
	similar_index_unref(ix);
}

/*
 * Ages: 1 is 4–11, 2 is 2–11, 3 is 4–16, 4 is 3–11, 5 unknown–11 (low
 * filled with the median of {4, 2, 4, 3} = 3.5). Low range 4−2 = 2, high
 * range 16−11 = 5: divisor 7. From 1, t = (|Δlow| + |Δhigh|) / 7:
 * 5 → 0.5/7, 4 → 1/7, 2 → 2/7, 3 → 5/7; with weight 1 alone d = t.
 */
static void an_age_range_weight_prefers_schools_with_the_same_ages(void **state)
{
	(void)state;
	struct similar_school t[5];
	const int lo[] = { 4, 2, 4, 3, -1 }, hi[] = { 11, 11, 16, 11, 11 };
	for (int i = 0; i < 5; i++) {
		t[i] = sch(i + 1, SIMILAR_GROUP_PRIMARY, 100, 10, 1);
		t[i].age_low = lo[i];
		t[i].age_high = hi[i];
	}
	struct similar_index *ix = build(t, 5);
	struct similar_options o;
	similar_options_default(&o);
	o.weight[SIMILAR_CHAR_AGE_RANGE] = 1.0;
	assert_int_equal(query(ix, 1, &o, res, &meta), 4);
	const int want[] = { 5, 4, 2, 3 };
	const double d[] = { 0.5 / 7, 1.0 / 7, 2.0 / 7, 5.0 / 7 };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(res[i].urn, want[i]);
		assert_near(res[i].distance, d[i]);
	}
	const struct similar_cmp *a = &res[0].cmp[SIMILAR_CHAR_AGE_RANGE];
	assert_true(a->other_missing);
	assert_near(a->other, 3.5);
	assert_near(a->median, 3.5);
	assert_near(a->other_high, 11);
	assert_near(a->self_high, 11);
	similar_index_unref(ix);
}

static void the_score_is_100_for_an_identical_school_and_falls_with_distance(void **state)
{
	(void)state;
	const struct similar_school t[] = {
		sch(1, SIMILAR_GROUP_PRIMARY, 200, 20, 2), sch(2, SIMILAR_GROUP_PRIMARY, 200, 20, 2),
		sch(3, SIMILAR_GROUP_PRIMARY, 220, 22, 2), sch(4, SIMILAR_GROUP_PRIMARY, 300, 30, 3),
		sch(5, SIMILAR_GROUP_PRIMARY, 400, 40, 8),
	};
	struct similar_index *ix = build(t, 5);
	assert_int_equal(query(ix, 1, NULL, res, &meta), 4);
	assert_true(res[0].score == 100.0);
	for (int i = 1; i < 4; i++) {
		assert_true(res[i].score < res[i - 1].score);
		assert_true(res[i].score == score(res[i].distance, 1.0));
	}
	/* One decimal: 10 × score is a whole number. */
	for (int i = 0; i < 4; i++)
		assert_true(res[i].score * 10 == round(res[i].score * 10));
	similar_index_unref(ix);
}

/* ---- errors -------------------------------------------------------------- */

static void an_unknown_urn_is_not_found(void **state)
{
	(void)state;
	struct similar_index *ix = build(four, 4);
	assert_int_equal(similar_query(ix, 999, NULL, res, SIMILAR_K_MAX, &meta), ERR_NOTFOUND);
	assert_non_null(meta.reason);
	assert_int_equal(meta.n, 0);
	assert_null(similar_index_school(ix, 999));
	assert_int_equal(similar_index_school(ix, 102)->pupils, 400);
	const char *why = NULL;
	assert_int_equal(similar_explain(ix, 100, 999, NULL, res, &why), ERR_NOTFOUND);
	similar_index_unref(ix);
}

static void bad_weights_and_limits_are_invalid(void **state)
{
	(void)state;
	struct similar_options o;
	const char *why = NULL;
	similar_options_default(&o);
	assert_int_equal(similar_options_check(&o, &why), 0);
	assert_null(why);
	o.weight[SIMILAR_CHAR_FSM] = -0.1;
	assert_int_equal(similar_options_check(&o, &why), ERR_INVALID);
	assert_string_equal(why, "Weights must be zero or positive numbers.");
	o.weight[SIMILAR_CHAR_FSM] = NAN;
	assert_int_equal(similar_options_check(&o, &why), ERR_INVALID);
	o.weight[SIMILAR_CHAR_FSM] = INFINITY;
	assert_int_equal(similar_options_check(&o, &why), ERR_INVALID);
	memset(o.weight, 0, sizeof(o.weight));
	assert_int_equal(similar_options_check(&o, &why), ERR_INVALID);
	assert_string_equal(why, "Give at least one characteristic a weight above zero.");
	similar_options_default(&o);
	o.within_km = -1;
	assert_int_equal(similar_options_check(&o, &why), ERR_INVALID);
	o.within_km = NAN;
	assert_int_equal(similar_options_check(&o, &why), ERR_INVALID);
	o.within_km = 7.5; /* any positive number */
	assert_int_equal(similar_options_check(&o, &why), 0);
}

static void building_rejects_duplicate_urns_and_bad_coordinates(void **state)
{
	(void)state;
	struct similar_index *ix = NULL;
	struct similar_school t[2] = { sch(1, SIMILAR_GROUP_PRIMARY, 1, 1, 1),
				       sch(1, SIMILAR_GROUP_PRIMARY, 2, 2, 2) };
	assert_int_equal(similar_index_build(t, 2, &ix), ERR_INVALID);
	assert_null(ix);
	t[1].urn = 0;
	assert_int_equal(similar_index_build(t, 2, &ix), ERR_INVALID);
	t[1].urn = 2;
	t[1] = at(t[1], 91, 0);
	assert_int_equal(similar_index_build(t, 2, &ix), ERR_INVALID);
	t[1] = at(t[1], 51, NAN);
	assert_int_equal(similar_index_build(t, 2, &ix), ERR_INVALID);
	t[1].group = SIMILAR_GROUP__MAX;
	t[1].has_location = false;
	assert_int_equal(similar_index_build(t, 2, &ix), ERR_INVALID);
	assert_null(ix);
}

static void building_from_an_empty_table_works(void **state)
{
	(void)state;
	struct similar_index *ix = build(NULL, 0);
	assert_int_equal(similar_index_count(ix), 0);
	assert_int_equal(similar_query(ix, 1, NULL, res, SIMILAR_K_MAX, &meta), ERR_NOTFOUND);
	struct similar_families *f = NULL;
	assert_int_equal(similar_families(ix, NULL, 2, &f), 0);
	assert_int_equal(f->n, 0);
	similar_families_free(f);
	similar_index_unref(ix);
}

static void an_index_lives_until_its_last_reference_is_dropped(void **state)
{
	(void)state;
	struct similar_index *ix = build(four, 4);
	assert_ptr_equal(similar_index_ref(ix), ix);
	similar_index_unref(ix);
	assert_int_equal(query(ix, 100, NULL, res, &meta), 3); /* still alive */
	similar_index_unref(ix);                            /* freed: ASan checks */
	similar_index_unref(NULL);
	assert_null(similar_index_ref(NULL));
}

static void explain_gives_what_the_query_gave(void **state)
{
	(void)state;
	struct similar_index *ix = build(four, 4);
	struct similar_result one;
	const char *why = NULL;
	assert_int_equal(query(ix, 100, NULL, res, &meta), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(similar_explain(ix, 100, res[i].urn, NULL, &one, &why), 0);
		assert_true(one.distance == res[i].distance);
		assert_true(one.score == res[i].score);
		assert_memory_equal(&one.cmp[SIMILAR_CHAR_EHC], &res[i].cmp[SIMILAR_CHAR_EHC],
				    sizeof(one.cmp[0]));
	}
	assert_int_equal(similar_explain(ix, 100, 100, NULL, &one, &why), ERR_INVALID);
	similar_index_unref(ix);
}

/* ---- a random table: brute force and families ---------------------------- */

#define RANDOM_N 2000

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: fixed seed, same table on every platform */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static double unif(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static int pick(int n)
{
	return (int)(rng() % (uint64_t)n);
}

static struct similar_school *random_table(void)
{
	struct similar_school *t = calloc(RANDOM_N, sizeof(*t));
	assert_non_null(t);
	rng_state = 0x5eed5c0015ULL;
	for (int i = 0; i < RANDOM_N; i++) {
		struct similar_school *s = &t[i];
		s->urn = 100000 + (int)(((unsigned)i * 7919u) % 900000u); /* distinct, shuffled */
		int r = pick(100);
		s->group = r < 60 ? SIMILAR_GROUP_PRIMARY : r < 80 ? SIMILAR_GROUP_SECONDARY
			 : r < 88 ? SIMILAR_GROUP_SPECIAL : r < 92 ? SIMILAR_GROUP_NURSERY
			 : r < 95 ? SIMILAR_GROUP_ALL_THROUGH : r < 97 ? SIMILAR_GROUP_PRU_AP
			 : r < 99 ? SIMILAR_GROUP_SIXTEEN_PLUS : SIMILAR_GROUP_NONE;
		s->open = pick(10) != 0;
		r = pick(100);
		s->state_funded = r < 85;
		s->independent = r >= 85 && r < 96;
		/* Pupils in steps of 10 so that exact ties happen. */
		s->pupils = pick(20) == 0 ? -1 : 10 * (1 + pick(150));
		s->fsm_pct = pick(15) == 0 ? NAN : pick(500) / 10.0;
		s->ehc_plans = pick(12) == 0 ? -1 : pick(30);
		s->has_location = pick(25) != 0;
		s->lat = 50.0 + 5.0 * unif();
		s->lon = -5.0 + 6.5 * unif();
		s->region = pick(10);
		s->urban_rural = pick(7);
		s->type_group = pick(4);
		s->religion = pick(5);
		s->gender = pick(4);
		s->sixth_form = pick(3);
		s->age_low = pick(10) == 0 ? -1 : 2 + pick(10);
		s->age_high = pick(10) == 0 ? -1 : 11 + pick(8);
	}
	return t;
}

/* Median of v[0..n) by sorting, as the method describes it. */
static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct brute {
	int urn;
	double d;
};

static int brute_cmp(const void *a, const void *b)
{
	const struct brute *x = a, *y = b;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->urn > y->urn) - (x->urn < y->urn);
}

/*
 * The DfE comparator method, straight from the specification and
 * independent of the engine: for each school in the pool, fill missing
 * values with the median of its phase group's pool, divide by the range,
 * take every other school of the group, sort by (distance, URN), keep k.
 * Returns how many schools were compared.
 */
static int brute_force_check(const struct similar_index *ix, const struct similar_school *t,
			     int n, bool indep, int k)
{
	const double w[3] = { 0.5, 0.4, 0.1 };
	double *val[3], *work = calloc(n, sizeof(double));
	for (int c = 0; c < 3; c++)
		val[c] = calloc(n, sizeof(double));
	int *mem = calloc(n, sizeof(int));
	struct brute *b = calloc(n, sizeof(*b));
	struct similar_options o;
	similar_options_default(&o);
	o.k = k;
	o.include_independent = indep;
	int checked = 0;

	for (int g = 1; g < SIMILAR_GROUP__MAX; g++) {
		int m = 0;
		for (int i = 0; i < n; i++)
			if ((int)t[i].group == g && t[i].open &&
			    (t[i].state_funded || (indep && t[i].independent)))
				mem[m++] = i;
		double range[3];
		for (int c = 0; c < 3; c++) {
			int p = 0;
			for (int i = 0; i < m; i++) {
				const struct similar_school *s = &t[mem[i]];
				double x = c == 0   ? (s->pupils >= 0 ? s->pupils : NAN)
					   : c == 1 ? s->fsm_pct
					   : (s->ehc_plans >= 0 && s->pupils > 0
						      ? 100.0 * s->ehc_plans / s->pupils
						      : NAN);
				val[c][i] = x;
				if (!isnan(x))
					work[p++] = x;
			}
			qsort(work, p, sizeof(double), dbl_cmp);
			double med = p == 0 ? 0 : p % 2 ? work[p / 2]
						  : (work[p / 2 - 1] + work[p / 2]) / 2;
			range[c] = p == 0 ? 0 : work[p - 1] - work[0];
			for (int i = 0; i < m; i++)
				if (isnan(val[c][i]))
					val[c][i] = med;
		}
		for (int i = 0; i < m; i++) {
			int nb = 0;
			for (int j = 0; j < m; j++) {
				if (j == i)
					continue;
				double d2 = 0;
				for (int c = 0; c < 3; c++) {
					if (range[c] == 0)
						continue;
					double x = fabs(val[c][i] - val[c][j]) / range[c];
					d2 += w[c] * (x * x);
				}
				b[nb++] = (struct brute){ t[mem[j]].urn, sqrt(d2) };
			}
			qsort(b, nb, sizeof(*b), brute_cmp);
			int want = nb < k ? nb : k;
			assert_int_equal(query(ix, t[mem[i]].urn, &o, res, &meta), want);
			for (int r = 0; r < want; r++) {
				assert_int_equal(res[r].urn, b[r].urn);
				assert_true(res[r].distance == b[r].d); /* bit for bit */
			}
			checked++;
		}
	}
	for (int c = 0; c < 3; c++)
		free(val[c]);
	free(work);
	free(mem);
	free(b);
	return checked;
}

static void the_default_method_matches_a_brute_force_implementation_exactly(void **state)
{
	(void)state;
	struct similar_school *t = random_table();
	struct similar_index *ix = build(t, RANDOM_N);
	int checked = brute_force_check(ix, t, RANDOM_N, false, 30);
	assert_true(checked > 1400);
	checked = brute_force_check(ix, t, RANDOM_N, true, 50);
	assert_true(checked > 1600);
	similar_index_unref(ix);
	free(t);
}

static void compare_families_with_queries(const struct similar_index *ix,
					  const struct similar_options *o, int threads)
{
	struct similar_families *f = NULL;
	assert_int_equal(similar_families(ix, o, threads, &f), 0);
	assert_non_null(f);
	assert_int_equal(f->k, o->k);
	assert_true(f->n > 1000);
	int refused = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (i)
			assert_true(f->urn[i] > f->urn[i - 1]);
		int rc = similar_query(ix, f->urn[i], o, res, SIMILAR_K_MAX, &meta);
		assert_int_equal(rc, f->status[i]);
		if (rc) {
			refused++;
			assert_int_equal(f->count[i], 0);
			continue;
		}
		assert_int_equal(f->count[i], meta.n);
		const struct similar_neighbour *nb = f->nb + i * (size_t)f->k;
		for (int j = 0; j < meta.n; j++) {
			assert_int_equal(nb[j].urn, res[j].urn);
			assert_true(nb[j].distance == res[j].distance);
			assert_true(nb[j].score == res[j].score);
		}
	}
	if (o->within_km > 0)
		assert_true(refused > 0); /* schools without coordinates */
	similar_families_free(f);
}

static void families_equal_queries_for_every_school_with_one_and_two_threads(void **state)
{
	(void)state;
	struct similar_school *t = random_table();
	struct similar_index *ix = build(t, RANDOM_N);
	struct similar_options o;
	similar_options_default(&o);
	compare_families_with_queries(ix, &o, 1);
	compare_families_with_queries(ix, &o, 2);
	similar_index_unref(ix);
	free(t);
}

static void families_equal_queries_with_every_option(void **state)
{
	(void)state;
	struct similar_school *t = random_table();
	struct similar_index *ix = build(t, RANDOM_N);
	struct similar_options o;
	similar_options_default(&o);
	o.k = 7;
	o.include_independent = true;
	o.same_region_first = true;
	o.within_km = 150;
	for (int c = SIMILAR_CHAR_KM; c < SIMILAR_CHAR__MAX; c++)
		o.weight[c] = 0.05 * c;
	compare_families_with_queries(ix, &o, 1);
	compare_families_with_queries(ix, &o, 2);
	similar_index_unref(ix);
	free(t);
}

/* With every option on, each result's distance is what explain recomputes. */
static void query_distances_with_options_agree_with_explain(void **state)
{
	(void)state;
	struct similar_school *t = random_table();
	struct similar_index *ix = build(t, RANDOM_N);
	struct similar_options o;
	similar_options_default(&o);
	o.k = 20;
	o.within_km = 80;
	for (int c = SIMILAR_CHAR_KM; c < SIMILAR_CHAR__MAX; c++)
		o.weight[c] = 0.1;
	struct similar_result one;
	int seen = 0;
	for (int i = 0; i < RANDOM_N; i += 7) {
		if (similar_query(ix, t[i].urn, &o, res, SIMILAR_K_MAX, &meta))
			continue;
		for (int j = 0; j < meta.n; j++) {
			assert_int_equal(similar_explain(ix, t[i].urn, res[j].urn, &o, &one, NULL), 0);
			assert_true(one.distance == res[j].distance);
			assert_true(res[j].cmp[SIMILAR_CHAR_KM].other <= 80);
			if (j)
				assert_true(res[j].distance >= res[j - 1].distance);
			seen++;
		}
	}
	assert_true(seen > 1000);
	similar_index_unref(ix);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_distance_is_the_dfe_formula_with_three_weights),
		cmocka_unit_test(default_options_are_k_30_and_weights_half_four_tenths_one_tenth),
		cmocka_unit_test(changed_weights_enter_the_formula),
		cmocka_unit_test(ranges_are_taken_per_phase_group_not_across_groups),
		cmocka_unit_test(a_missing_value_takes_the_median_of_an_odd_count),
		cmocka_unit_test(a_missing_value_takes_the_mean_of_the_middle_two_of_an_even_count),
		cmocka_unit_test(missing_fsm_and_ehc_take_the_group_median_and_are_flagged),
		cmocka_unit_test(the_school_itself_is_never_a_result),
		cmocka_unit_test(a_tie_is_broken_by_the_lower_urn),
		cmocka_unit_test(a_slightly_nearer_school_still_displaces_the_last_kept),
		cmocka_unit_test(k_outside_one_to_a_hundred_is_invalid),
		cmocka_unit_test(k_limits_the_results_and_a_small_pool_gives_fewer),
		cmocka_unit_test(closed_independent_and_ungrouped_schools_are_not_in_the_pool),
		cmocka_unit_test(a_school_in_no_pool_is_invalid_with_a_reason),
		cmocka_unit_test(the_independent_option_adds_independent_schools_to_the_pool),
		cmocka_unit_test(the_independent_pool_has_its_own_ranges_and_medians),
		cmocka_unit_test(km_is_the_haversine_great_circle_distance),
		cmocka_unit_test(the_within_km_filter_keeps_schools_at_most_that_far),
		cmocka_unit_test(
			schools_without_coordinates_are_excluded_under_a_distance_option_and_counted),
		cmocka_unit_test(a_school_without_coordinates_is_invalid_under_a_distance_option),
		cmocka_unit_test(same_region_first_orders_the_schools_region_before_the_rest),
		cmocka_unit_test(a_km_weight_prefers_nearer_schools),
		cmocka_unit_test(
			a_categorical_weight_prefers_the_same_code_and_unknown_counts_as_different),
		cmocka_unit_test(an_age_range_weight_prefers_schools_with_the_same_ages),
		cmocka_unit_test(the_score_is_100_for_an_identical_school_and_falls_with_distance),
		cmocka_unit_test(an_unknown_urn_is_not_found),
		cmocka_unit_test(bad_weights_and_limits_are_invalid),
		cmocka_unit_test(building_rejects_duplicate_urns_and_bad_coordinates),
		cmocka_unit_test(building_from_an_empty_table_works),
		cmocka_unit_test(an_index_lives_until_its_last_reference_is_dropped),
		cmocka_unit_test(explain_gives_what_the_query_gave),
		cmocka_unit_test(the_default_method_matches_a_brute_force_implementation_exactly),
		cmocka_unit_test(families_equal_queries_for_every_school_with_one_and_two_threads),
		cmocka_unit_test(families_equal_queries_with_every_option),
		cmocka_unit_test(query_distances_with_options_agree_with_explain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
