// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * bench_broker.c — the broker's speed and quality on synthetic networks
 * (not a test). usage: bench_broker N [SEED] [--ip] [--edges FILE] [--national K]
 *
 * Makes a network of N schools with realistic strengths and needs: 12
 * themes of uneven popularity (reading, maths and SEND are asked for most),
 * 1 to 4 needs and 1 to 3 strengths each, 40% of strengths with evidence,
 * capacity mostly 2 (some 1 or 3), schools placed in clusters as towns are.
 * Runs broker_run (scoring, the exact b-matching on GLPK, groups), then
 * the b-matching alone on the same scored pairs with what it did
 * (broker_match_ex), and a greedy baseline over those pairs (every
 * school's best available pair first, then pairs by score), and prints one
 * JSON line: {n, candidates, broker_ms, total, covered, match_ms, the
 * match's info, greedy_ms, greedy_total, greedy_covered}. With --ip it also
 * times the first method, two integer programs over every pair
 * (broker_match_ip), and its total. With --edges it also writes the candidate graph
 * ("n m", then "cap" per vertex, then "u v w" per edge) for the LEMON
 * reference (bench_broker_lemon.cpp). With --national K it builds the
 * candidate graph a national deployment would broker instead (each
 * school's K best partners within 30 km) and compares greedy with
 * broker_match_near (see national()). With --runs K it only runs broker_run
 * K times and prints the median, smallest and largest CPU time (for
 * profiling the whole run alone).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>

#include "app/broker/engine.h"

#define THEMES 12
static const char *const themes[THEMES] = {"Reading", "Maths", "SEND", "Behaviour", "Oracy", "Science",
					   "Attendance", "Wellbeing", "Early years", "Curriculum", "Governance",
					   "Transition"};
/* How often a theme is picked, out of 100 (first ones more). */
static const int popularity[THEMES] = {16, 14, 13, 10, 8, 8, 7, 7, 6, 5, 3, 3};

static unsigned long long rng_state;
static unsigned rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33);
}
static int pick_theme(void)
{
	int r = (int)(rnd() % 100);
	for (int t = 0; t < THEMES; t++) {
		if (r < popularity[t])
			return t;
		r -= popularity[t];
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* CPU time of this process: on a shared machine, what the run itself cost. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* The greedy baseline: coverage first (each uncovered school takes its best pair if both have room), then by score. */
static void greedy(const struct broker_net *net, const struct broker_edge *e, size_t m, int64_t *total, int *covered)
{
	int *room = malloc(net->n * sizeof(*room));
	int *deg = calloc(net->n, sizeof(*deg));
	bool *used = calloc(m ? m : 1, sizeof(*used));
	for (size_t i = 0; i < net->n; i++)
		room[i] = net->schools[i].capacity;
	*total = 0;
	/* e is sorted by score descending: the first edge of a school is its best. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < m; k++) {
			if (used[k] || room[e[k].u] == 0 || room[e[k].v] == 0)
				continue;
			if (pass == 0 && deg[e[k].u] && deg[e[k].v])
				continue;
			used[k] = true;
			room[e[k].u]--;
			room[e[k].v]--;
			deg[e[k].u]++;
			deg[e[k].v]++;
			*total += e[k].w;
		}
	*covered = 0;
	for (size_t i = 0; i < net->n; i++)
		*covered += deg[i] > 0;
	free(room);
	free(deg);
	free(used);
}

static int cmp_edge(const void *x, const void *y)
{
	const struct broker_edge *a = x, *b = y;
	return (a->w < b->w) - (a->w > b->w);
}

/* A candidate pair for the national graphs, by key. */
struct cand {
	uint64_t key; /* smaller index << 32 | larger */
	int64_t w;    /* its score */
};

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	return (a->key > b->key) - (a->key < b->key);
}

static int cmp_school_lat(const void *x, const void *y, void *ctx)
{
	const struct broker_school *s = ctx;
	double a = s[*(const int *)x].lat, b = s[*(const int *)y].lat;
	return (a > b) - (a < b);
}

/* Total and schools covered of a choice. */
static void tally(size_t n, const struct broker_edge *e, size_t m, const bool *chosen, int64_t *total, int *covered)
{
	int *deg = calloc(n, sizeof(*deg));
	*total = 0;
	for (size_t k = 0; k < m; k++)
		if (chosen[k]) {
			*total += e[k].w;
			deg[e[k].u]++;
			deg[e[k].v]++;
		}
	*covered = 0;
	for (size_t i = 0; i < n; i++)
		*covered += deg[i] > 0;
	free(deg);
}

/*
 * --national K: the candidate graph a national deployment would broker —
 * each school's K best-scoring partners within BROKER_FAR_KM (a pair kept
 * when either school lists the other) — then greedy, and broker_match_near
 * (plain: every school counted as covered, the problem LEMON solves; and
 * coverage first), CPU time each. Writes the graph for LEMON with --edges.
 */
static int national(const struct broker_net *net, int K, const char *edges_file)
{
	size_t n = net->n;
	int *by_lat = malloc(n * sizeof(*by_lat));
	for (size_t i = 0; i < n; i++)
		by_lat[i] = (int)i;
	qsort_r(by_lat, n, sizeof(*by_lat), cmp_school_lat, (void *)net->schools);
	double lat_window = BROKER_FAR_KM / 111.0;
	size_t cap_c = n * (size_t)K, nc = 0;
	struct cand *c = malloc(cap_c * sizeof(*c));
	struct cand *top = malloc((size_t)K * sizeof(*top));
	size_t lo = 0;
	for (size_t a = 0; a < n; a++) {
		int i = by_lat[a];
		const struct broker_school *si = &net->schools[i];
		while (net->schools[by_lat[lo]].lat < si->lat - lat_window)
			lo++;
		int nt = 0;
		for (size_t b = lo; b < n && net->schools[by_lat[b]].lat <= si->lat + lat_window; b++) {
			int j = by_lat[b];
			if (j == i)
				continue;
			struct broker_pair p;
			if (!broker_pair_score(net, i, j, &p) || p.km > BROKER_FAR_KM)
				continue;
			/* Keep the K best (a small insertion list, best first). */
			if (nt == K && p.score <= top[K - 1].w)
				continue;
			int at = nt < K ? nt++ : K - 1;
			while (at > 0 && top[at - 1].w < p.score) {
				top[at] = top[at - 1];
				at--;
			}
			top[at] = (struct cand){((uint64_t)(uint32_t)p.a << 32) | (uint32_t)p.b, p.score};
		}
		for (int t = 0; t < nt; t++)
			c[nc++] = top[t];
	}
	qsort(c, nc, sizeof(*c), cmp_cand);
	size_t m = 0;
	for (size_t k = 0; k < nc; k++)
		if (m == 0 || c[m - 1].key != c[k].key)
			c[m++] = c[k];
	struct broker_edge *e = malloc((m ? m : 1) * sizeof(*e));
	for (size_t k = 0; k < m; k++)
		e[k] = (struct broker_edge){(int)(c[k].key >> 32), (int)(c[k].key & 0xffffffffu), c[k].w};
	qsort(e, m, sizeof(*e), cmp_edge);
	int *cap = malloc(n * sizeof(*cap));
	bool *all = malloc(n * sizeof(*all)), *chosen = malloc((m ? m : 1) * sizeof(*chosen));
	for (size_t i = 0; i < n; i++) {
		cap[i] = net->schools[i].capacity;
		all[i] = true;
	}

	double c0 = cpu_ms();
	int64_t gtotal;
	int gcov;
	greedy(net, e, m, &gtotal, &gcov);
	double greedy_cpu = cpu_ms() - c0;

	struct broker_flow_info plain, cover;
	int64_t ptotal, ctotal;
	int pcov, ccov;
	c0 = cpu_ms();
	if (broker_match_near(n, cap, all, e, m, chosen, &plain))
		return 1;
	double plain_cpu = cpu_ms() - c0;
	tally(n, e, m, chosen, &ptotal, &pcov);
	c0 = cpu_ms();
	if (broker_match_near(n, cap, NULL, e, m, chosen, &cover))
		return 1;
	double cover_cpu = cpu_ms() - c0;
	tally(n, e, m, chosen, &ctotal, &ccov);

	/* The plain greedy (by score only) for the plain comparison. */
	int *room = malloc(n * sizeof(*room));
	for (size_t i = 0; i < n; i++)
		room[i] = cap[i];
	int64_t pgreedy = 0;
	c0 = cpu_ms();
	for (size_t k = 0; k < m; k++)
		if (room[e[k].u] && room[e[k].v]) {
			room[e[k].u]--;
			room[e[k].v]--;
			pgreedy += e[k].w;
		}
	double pgreedy_cpu = cpu_ms() - c0;

	if (edges_file) {
		FILE *f = fopen(edges_file, "w");
		if (!f)
			return 1;
		fprintf(f, "%zu %zu\n", n, m);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%d\n", cap[i]);
		for (size_t k = 0; k < m; k++)
			fprintf(f, "%d %d %lld\n", e[k].u, e[k].v, (long long)e[k].w);
		fclose(f);
	}
	printf("{\"n\": %zu, \"k\": %d, \"candidates\": %zu, \"greedy_total\": %lld, \"greedy_covered\": %d, "
	       "\"greedy_cpu_ms\": %.2f, \"plain_greedy_total\": %lld, \"plain_greedy_cpu_ms\": %.2f, "
	       "\"plain_total\": %lld, \"plain_cpu_ms\": %.2f, \"plain_bound\": %.1f, \"plain_optimal\": %s, "
	       "\"cover_total\": %lld, \"cover_covered\": %d, \"cover_cpu_ms\": %.2f, \"cover_bound\": %.1f, "
	       "\"cover_optimal\": %s, \"could_cover\": %zu}\n",
	       n, K, m, (long long)gtotal, gcov, greedy_cpu, (long long)pgreedy, pgreedy_cpu, (long long)ptotal, plain_cpu,
	       plain.bound, plain.settled ? "true" : "false", (long long)ctotal, ccov, cover_cpu, cover.bound,
	       cover.settled ? "true" : "false", n);
	free(by_lat);
	free(c);
	free(top);
	free(e);
	free(cap);
	free(all);
	free(chosen);
	free(room);
	return 0;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* --runs K: broker_run alone, K times; the median, smallest and largest CPU time. */
static int repeat(const struct broker_net *net, int runs)
{
	double *cpu = malloc((size_t)runs * sizeof(*cpu));
	int64_t total = 0;
	for (int i = 0; i < runs; i++) {
		struct broker_result r;
		double c0 = cpu_ms();
		if (broker_run(net, &r)) {
			fprintf(stderr, "bench_broker: the broker failed\n");
			return 1;
		}
		cpu[i] = cpu_ms() - c0;
		total = r.total;
		broker_result_free(&r);
	}
	qsort(cpu, (size_t)runs, sizeof(*cpu), cmp_double);
	printf("{\"n\": %zu, \"runs\": %d, \"total\": %lld, \"broker_cpu_ms\": %.2f, \"min_cpu_ms\": %.2f, "
	       "\"max_cpu_ms\": %.2f}\n",
	       net->n, runs, (long long)total, cpu[runs / 2], cpu[0], cpu[runs - 1]);
	free(cpu);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_broker N [SEED] [--ip] [--edges FILE] [--national K] [--runs K]\n");
		return 2;
	}
	size_t n = (size_t)strtoul(argv[1], NULL, 10);
	rng_state = argc > 2 && argv[2][0] != '-' ? strtoull(argv[2], NULL, 10) : 42;
	const char *edges_file = NULL;
	bool with_ip = false;
	int national_k = 0, runs = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--edges") && i + 1 < argc)
			edges_file = argv[i + 1];
		if (!strcmp(argv[i], "--ip"))
			with_ip = true;
		if (!strcmp(argv[i], "--national") && i + 1 < argc)
			national_k = atoi(argv[i + 1]);
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[i + 1]);
	}

	struct broker_school *s = calloc(n, sizeof(*s));
	struct broker_need *needs = calloc(n * 4, sizeof(*needs));
	struct broker_strength *strengths = calloc(n * 3, sizeof(*strengths));
	size_t towns = n / 25 + 1;
	for (size_t i = 0; i < n; i++) {
		size_t nn = 1 + rnd() % 4, ns = 1 + rnd() % 3;
		for (size_t k = 0; k < nn; k++)
			needs[i * 4 + k] = (struct broker_need){pick_theme(), (enum broker_priority)(1 + rnd() % 3)};
		for (size_t k = 0; k < ns; k++)
			strengths[i * 3 + k] = (struct broker_strength){pick_theme(), rnd() % 10 < 4};
		size_t town = rnd() % towns;
		int c = (int)(rnd() % 10);
		s[i] = (struct broker_school){.urn = 100000 + (int64_t)i, .name = "School",
					      .capacity = c == 0 ? 1 : c == 9 ? 3 : 2,
					      .needs = &needs[i * 4], .n_needs = nn,
					      .strengths = &strengths[i * 3], .n_strengths = ns, .has_location = true,
					      .lat = 50.5 + (double)(town * 7919 % 400) / 100.0 + (rnd() % 100) / 1000.0,
					      .lon = -4.0 + (double)(town * 104729 % 500) / 100.0 + (rnd() % 100) / 1000.0};
	}
	struct broker_net net = {.themes = themes, .n_themes = THEMES, .schools = s, .n = n};
	if (national_k > 0)
		return national(&net, national_k, edges_file);
	if (runs > 0)
		return repeat(&net, runs);

	double t0 = now_ms(), c0 = cpu_ms();
	struct broker_result r;
	if (broker_run(&net, &r)) {
		fprintf(stderr, "bench_broker: the broker failed\n");
		return 1;
	}
	double t1 = now_ms(), c1 = cpu_ms();

	/* The same scored pairs, for greedy and LEMON (every gaining pair: scores as the broker scores them). */
	double t2 = now_ms(), cc0 = cpu_ms();
	struct broker_pair *pairs;
	size_t m;
	if (broker_candidates(&net, &pairs, &m))
		return 1;
	double candidates_cpu_ms = cpu_ms() - cc0;
	struct broker_edge *e = malloc((m ? m : 1) * sizeof(*e));
	for (size_t k = 0; k < m; k++)
		e[k] = (struct broker_edge){pairs[k].a, pairs[k].b, pairs[k].score};
	free(pairs);
	qsort(e, m, sizeof(*e), cmp_edge);
	int64_t gtotal;
	int gcov;
	greedy(&net, e, m, &gtotal, &gcov);
	double t3 = now_ms();

	/* The b-matching alone, fast method, on the pairs broker_run matched (no school is already covered). */
	int *cap = malloc((n ? n : 1) * sizeof(*cap));
	bool *chosen = malloc((m ? m : 1) * sizeof(*chosen));
	for (size_t i = 0; i < n; i++)
		cap[i] = s[i].capacity;
	struct broker_match_info info;
	double t4 = now_ms(), mc0 = cpu_ms();
	if (broker_match_ex(n, cap, NULL, e, m, chosen, &info))
		return 1;
	double t5 = now_ms(), match_cpu_ms = cpu_ms() - mc0;
	int64_t match_total = 0;
	for (size_t k = 0; k < m; k++)
		match_total += chosen[k] ? e[k].w : 0;
	/* The fast exact method alone (what broker_run uses first), with what it did. */
	struct broker_flow_info finfo;
	double f0 = cpu_ms();
	if (broker_match_flow(n, cap, NULL, e, m, chosen, &finfo))
		return 1;
	double flow_cpu_ms = cpu_ms() - f0;
	int64_t flow_total = 0;
	for (size_t k = 0; k < m; k++)
		flow_total += chosen[k] ? e[k].w : 0;
	double ip_ms = -1;
	int64_t ip_total = -1;
	if (with_ip) {
		double t6 = now_ms();
		if (broker_match_ip(n, cap, NULL, e, m, chosen))
			return 1;
		ip_ms = now_ms() - t6;
		ip_total = 0;
		for (size_t k = 0; k < m; k++)
			ip_total += chosen[k] ? e[k].w : 0;
	}

	/* With --edges: the plain maximum-weight b-matching (no coverage stage: every school counts as covered),
	 * the problem LEMON solves, for the comparison. */
	double plain_ms = -1;
	int64_t plain_total = -1;
	if (edges_file) {
		bool *all = malloc((n ? n : 1) * sizeof(*all));
		for (size_t i = 0; i < n; i++)
			all[i] = true;
		double t8 = now_ms();
		if (broker_match(n, cap, all, e, m, chosen))
			return 1;
		plain_ms = now_ms() - t8;
		plain_total = 0;
		for (size_t k = 0; k < m; k++)
			plain_total += chosen[k] ? e[k].w : 0;
		free(all);
		FILE *f = fopen(edges_file, "w");
		if (!f)
			return 1;
		fprintf(f, "%zu %zu\n", n, m);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%d\n", s[i].capacity);
		for (size_t k = 0; k < m; k++)
			fprintf(f, "%d %d %lld\n", e[k].u, e[k].v, (long long)e[k].w);
		fclose(f);
	}
	printf("{\"n\": %zu, \"candidates\": %zu, \"broker_ms\": %.2f, \"broker_cpu_ms\": %.2f, \"total\": %lld, \"covered\": %d, "
	       "\"could_have\": %d, \"reciprocal\": %d, \"proposals\": %zu, \"greedy_ms\": %.2f, "
	       "\"greedy_total\": %lld, \"greedy_covered\": %d, \"match_ms\": %.2f, \"match_total\": %lld, "
	       "\"greedy_cover_settled\": %s, \"pricing_rounds\": %d, \"cuts\": %d, \"lp_integral\": %s, \"rounded\": %s, "
	       "\"integer_programs\": %d, \"fixed_in\": %zu, \"lp_columns\": %zu, \"ip_ms\": %.2f, "
	       "\"ip_total\": %lld, \"plain_ms\": %.2f, \"plain_total\": %lld, \"flow_settled\": %s, "
	       "\"flow_cpu_ms\": %.2f, \"flow_total\": %lld, \"flow_rounds\": %d, \"flow_edges\": %zu, "
	       "\"flow_bound\": %.1f, \"flow_rounded\": %lld, \"flow_survivors\": %zu, \"flow_ip\": %s, \"candidates_cpu_ms\": %.2f, \"match_cpu_ms\": %.2f, \"flow_fixed\": %zu, \"flow_programs\": %d, "
	       "\"flow_nodes\": %ld, \"flow_solver_programs\": %d}\n",
	       n, r.n_candidates, t1 - t0, c1 - c0, (long long)r.total, r.with_proposal, r.could_have, r.reciprocal,
	       r.n_proposals, t3 - t2, (long long)gtotal, gcov, t5 - t4, (long long)match_total,
	       info.greedy_cover ? "true" : "false", info.pricing_rounds, info.cuts, info.lp_integral ? "true" : "false", info.rounded ? "true" : "false",
	       info.integer_programs, info.fixed_in, info.lp_columns, ip_ms, (long long)ip_total, plain_ms,
	       (long long)plain_total, finfo.settled ? "true" : "false", flow_cpu_ms, (long long)flow_total,
	       finfo.flow_rounds, finfo.flow_edges, finfo.bound, (long long)finfo.rounded, finfo.survivors,
	       finfo.integer_program ? "true" : "false", candidates_cpu_ms, match_cpu_ms, finfo.fixed, finfo.programs,
	       finfo.nodes, finfo.solver_programs);
	free(cap);
	free(chosen);
	broker_result_free(&r);
	free(e);
	free(s);
	free(needs);
	free(strengths);
	return 0;
}
