// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * run.c — one run of the broker over a network's facts: find every pair in
 * which one school gains something from the other (through an index of
 * strengths by theme, so pairs that share no theme cost nothing), drop the
 * barred pairs and the schools whose capacity is taken, choose the set
 * (match.c), say for each school without a proposal why, and add the
 * co-creation groups (groups.c). Pure: no store, no HTTP.
 */
#include "app/broker/engine.h"

#include <stdlib.h>
#include <string.h>

/* A pair as one 64-bit key, smaller index first. */
static uint64_t pair_key(int a, int b)
{
	uint32_t lo = (uint32_t)(a < b ? a : b), hi = (uint32_t)(a < b ? b : a);
	return ((uint64_t)lo << 32) | hi;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* A barred pair, sorted by key for bsearch. */
struct bar_key {
	uint64_t key;        /* pair_key */
	enum broker_bar why; /* the first reason given */
};

static int cmp_bar(const void *x, const void *y)
{
	return cmp_u64(&((const struct bar_key *)x)->key, &((const struct bar_key *)y)->key);
}

/* The proposals in the order people read them: higher score first, then by URNs. */
static int cmp_proposal(const void *x, const void *y, void *ctx)
{
	const struct broker_net *sort_net = ctx;
	const struct broker_pair *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	int64_t ua = sort_net->schools[a->a].urn, ub = sort_net->schools[b->a].urn;
	if (ua != ub)
		return ua < ub ? -1 : 1;
	ua = sort_net->schools[a->b].urn;
	ub = sort_net->schools[b->b].urn;
	return (ua > ub) - (ua < ub);
}

void broker_result_free(struct broker_result *r)
{
	if (!r)
		return;
	free(r->proposals);
	free(r->degree);
	free(r->left);
	free(r->groups);
	free(r->lone_themes);
	memset(r, 0, sizeof(*r));
}

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* Schools by theme, from per-school theme lists (counting sort): start has n_themes + 1 entries. */
static void by_theme(size_t n, size_t nt, const int *list_start, const int *list, size_t **start_out, int **who_out)
{
	size_t *start = calloc(nt + 1, sizeof(*start));
	size_t total = (size_t)list_start[n];
	int *who = malloc((total ? total : 1) * sizeof(*who));
	size_t *fill = malloc((nt ? nt : 1) * sizeof(*fill));
	if (!start || !who || !fill)
		abort();
	for (size_t q = 0; q < total; q++)
		start[list[q] + 1]++;
	for (size_t t = 0; t < nt; t++)
		start[t + 1] += start[t];
	memcpy(fill, start, nt * sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		for (int q = list_start[i]; q < list_start[i + 1]; q++)
			who[fill[list[q]]++] = (int)i;
	free(fill);
	*start_out = start;
	*who_out = who;
}

/*
 * Every pair (a < b) in which one school has a need (that it is looking
 * for) the other has a strength in, as keys in ascending order: for each
 * school a, the schools b > a that hold a strength in one of its needs'
 * themes or need one of its strengths' themes, each once, sorted.
 */
static uint64_t *gaining_pairs(const struct broker_net *net, const struct broker_scorer *sc, size_t *count)
{
	size_t n = net->n, nt = net->n_themes;
	/* Each school's strength themes as a list, like the scorer's need themes. */
	int *str_start = calloc(n + 1, sizeof(*str_start));
	if (!str_start)
		abort();
	for (size_t i = 0; i < n; i++)
		str_start[i + 1] = str_start[i] + (int)net->schools[i].n_strengths;
	int *str_theme = calloc(str_start[n] ? (size_t)str_start[n] : 1, sizeof(*str_theme));
	if (!str_theme)
		abort();
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < net->schools[i].n_strengths; k++)
			str_theme[str_start[i] + (int)k] = net->schools[i].strengths[k].theme;
	size_t *hold_start, *need_start;
	int *holders, *needers;
	by_theme(n, nt, str_start, str_theme, &hold_start, &holders);
	by_theme(n, nt, sc->need_start, sc->need_theme, &need_start, &needers);
	size_t cap = 1024, m = 0;
	uint64_t *keys = malloc(cap * sizeof(*keys));
	int *seen = malloc((n ? n : 1) * sizeof(*seen)), *js = malloc((n ? n : 1) * sizeof(*js));
	if (!keys || !seen || !js)
		abort();
	for (size_t i = 0; i < n; i++)
		seen[i] = -1;
	for (size_t i = 0; i < n; i++) {
		size_t nj = 0;
		for (int side = 0; side < 2; side++) {
			const int *ls = side ? str_start : sc->need_start, *lt = side ? str_theme : sc->need_theme;
			const size_t *st = side ? need_start : hold_start;
			const int *who = side ? needers : holders;
			for (int q = ls[i]; q < ls[i + 1]; q++) {
				int t = lt[q];
				for (size_t h = st[t]; h < st[t + 1]; h++) {
					int j = who[h];
					if ((size_t)j <= i || seen[j] == (int)i)
						continue;
					seen[j] = (int)i;
					js[nj++] = j;
				}
			}
		}
		qsort(js, nj, sizeof(*js), cmp_int);
		if (m + nj > cap) {
			while (m + nj > cap)
				cap *= 2;
			keys = realloc(keys, cap * sizeof(*keys));
			if (!keys)
				abort();
		}
		for (size_t q = 0; q < nj; q++)
			keys[m++] = pair_key((int)i, js[q]);
	}
	free(str_start);
	free(str_theme);
	free(hold_start);
	free(holders);
	free(need_start);
	free(needers);
	free(seen);
	free(js);
	*count = m;
	return keys;
}

/* Check what the caller gave: themes in range, capacities 0..BROKER_CAPACITY_MAX, bars on real schools. */
static int check_net(const struct broker_net *net)
{
	if (net->n > INT32_MAX || net->n_themes > INT32_MAX)
		return ERR_INVALID;
	for (size_t i = 0; i < net->n; i++) {
		const struct broker_school *s = &net->schools[i];
		if (s->capacity < 0 || s->capacity > BROKER_CAPACITY_MAX || s->used < 0)
			return ERR_INVALID;
		for (size_t k = 0; k < s->n_needs; k++)
			if (s->needs[k].theme < 0 || (size_t)s->needs[k].theme >= net->n_themes ||
			    s->needs[k].priority < BROKER_PRIORITY_LOW || s->needs[k].priority > BROKER_PRIORITY_HIGH)
				return ERR_INVALID;
		for (size_t k = 0; k < s->n_strengths; k++)
			if (s->strengths[k].theme < 0 || (size_t)s->strengths[k].theme >= net->n_themes)
				return ERR_INVALID;
	}
	for (size_t k = 0; k < net->n_bars; k++)
		if (net->bars[k].a < 0 || net->bars[k].b < 0 || (size_t)net->bars[k].a >= net->n ||
		    (size_t)net->bars[k].b >= net->n)
			return ERR_INVALID;
	return 0;
}

/*
 * The possible pairs of net: scored, not barred, both schools with room
 * (*out malloc'd, *m of them). Marks per school whether it had a gaining
 * pair at all (any_pair) and one that is not barred (any_free); both may be
 * NULL.
 */
static void candidates(const struct broker_net *net, const int *cap, bool *any_pair, bool *any_free,
		       struct broker_pair **out, size_t *count)
{
	struct bar_key *bars = malloc((net->n_bars ? net->n_bars : 1) * sizeof(*bars));
	if (!bars)
		abort();
	for (size_t k = 0; k < net->n_bars; k++) {
		bars[k].key = pair_key(net->bars[k].a, net->bars[k].b);
		bars[k].why = net->bars[k].why;
	}
	qsort(bars, net->n_bars, sizeof(*bars), cmp_bar);
	struct broker_scorer sc;
	broker_scorer_init(&sc, net);
	size_t n_keys = 0;
	uint64_t *keys = gaining_pairs(net, &sc, &n_keys);
	struct broker_pair *pairs = malloc((n_keys ? n_keys : 1) * sizeof(*pairs));
	if (!pairs)
		abort();
	size_t m = 0;
	for (size_t k = 0; k < n_keys; k++) {
		int a = (int)(keys[k] >> 32), b = (int)(keys[k] & 0xffffffffu);
		struct broker_pair p;
		if (a == b || !broker_scorer_pair(&sc, a, b, &p))
			continue;
		if (any_pair)
			any_pair[a] = any_pair[b] = true;
		struct bar_key probe = {.key = keys[k]};
		if (net->n_bars && bsearch(&probe, bars, net->n_bars, sizeof(*bars), cmp_bar))
			continue;
		if (any_free)
			any_free[a] = any_free[b] = true;
		if (cap[a] == 0 || cap[b] == 0)
			continue;
		pairs[m++] = p;
	}
	free(keys);
	free(bars);
	broker_scorer_free(&sc);
	*out = pairs;
	*count = m;
}

int broker_candidates(const struct broker_net *net, struct broker_pair **out, size_t *m)
{
	*out = NULL;
	*m = 0;
	int rc = check_net(net);
	if (rc)
		return rc;
	int *cap = malloc((net->n ? net->n : 1) * sizeof(*cap));
	if (!cap)
		abort();
	for (size_t i = 0; i < net->n; i++) {
		int r = net->schools[i].capacity - net->schools[i].used;
		cap[i] = r > 0 ? r : 0;
	}
	candidates(net, cap, NULL, NULL, out, m);
	free(cap);
	return 0;
}

int broker_run(const struct broker_net *net, struct broker_result *out)
{
	memset(out, 0, sizeof(*out));
	int rc = check_net(net);
	if (rc)
		return rc;
	size_t n = net->n;
	out->degree = calloc(n ? n : 1, sizeof(*out->degree));
	out->left = calloc(n ? n : 1, sizeof(*out->left));
	int *cap = malloc((n ? n : 1) * sizeof(*cap));
	bool *covered = calloc(n ? n : 1, sizeof(*covered));
	/* Per school: had a gaining pair at all, and had one that is not barred. */
	bool *any_pair = calloc(n ? n : 1, sizeof(*any_pair));
	bool *any_free = calloc(n ? n : 1, sizeof(*any_free));
	bool *has_edge = calloc(n ? n : 1, sizeof(*has_edge));
	if (!out->degree || !out->left || !cap || !covered || !any_pair || !any_free || !has_edge)
		abort();
	for (size_t i = 0; i < n; i++) {
		int r = net->schools[i].capacity - net->schools[i].used;
		cap[i] = r > 0 ? r : 0;
		covered[i] = net->schools[i].covered;
	}
	struct broker_pair *pairs;
	size_t m;
	candidates(net, cap, any_pair, any_free, &pairs, &m);
	struct broker_edge *edges = malloc((m ? m : 1) * sizeof(*edges));
	bool *chosen = malloc((m ? m : 1) * sizeof(*chosen));
	if (!edges || !chosen)
		abort();
	for (size_t k = 0; k < m; k++)
		edges[k] = (struct broker_edge){.u = pairs[k].a, .v = pairs[k].b, .w = pairs[k].score};
	out->n_candidates = m;
	if ((rc = broker_match(n, cap, covered, edges, m, chosen)))
		goto out;

	out->proposals = malloc((m ? m : 1) * sizeof(*out->proposals));
	if (!out->proposals)
		abort();
	for (size_t k = 0; k < m; k++) {
		has_edge[pairs[k].a] = has_edge[pairs[k].b] = true;
		if (!chosen[k])
			continue;
		out->proposals[out->n_proposals++] = pairs[k];
		out->degree[pairs[k].a]++;
		out->degree[pairs[k].b]++;
		out->total += pairs[k].score;
		if (pairs[k].reciprocal)
			out->reciprocal++;
	}
	for (size_t i = 0; i < n; i++) {
		if (out->degree[i] > net->schools[i].capacity - net->schools[i].used)
			out->over_capacity++;
		if (has_edge[i] || covered[i])
			out->could_have++;
		if (out->degree[i] > 0 || covered[i]) {
			out->with_proposal++;
			out->left[i] = BROKER_LEFT_NONE;
		} else if (!any_pair[i])
			out->left[i] = BROKER_LEFT_NOTHING;
		else if (cap[i] == 0)
			out->left[i] = BROKER_LEFT_NO_CAPACITY;
		else if (!any_free[i])
			out->left[i] = BROKER_LEFT_BARRED;
		else
			out->left[i] = BROKER_LEFT_PARTNERS_FULL;
	}
	qsort_r(out->proposals, out->n_proposals, sizeof(*out->proposals), cmp_proposal, (void *)net);
	broker_groups(net, out);
out:
	free(pairs);
	free(edges);
	free(chosen);
	free(cap);
	free(covered);
	free(any_pair);
	free(any_free);
	free(has_edge);
	if (rc)
		broker_result_free(out);
	return rc;
}
