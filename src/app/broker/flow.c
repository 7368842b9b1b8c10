// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * flow.c — the broker's fast exact b-matching (broker_match_flow): a bound
 * from the linear relaxation solved as a min-cost flow of our own, an
 * integer solution rounded from it, and an integer program only over the
 * few edges the bound cannot rule out.
 *
 * 1. The relaxation. Drop integrality from the score stage (every school
 *    that must be covered has degree ≥ 1, every school degree ≤ its
 *    capacity, 0 ≤ x ≤ 1): its optimum is half the maximum-weight
 *    b-matching of the bipartite double cover (school v becomes vL and vR;
 *    pair uv becomes the arcs uL→vR and vL→uR, each of weight w), because a
 *    fractional solution x gives the flow f(uL→vR) = f(vL→uR) = x_uv and a
 *    flow f gives x_uv = (f(uL→vR) + f(vL→uR)) / 2. That bipartite problem
 *    is a transportation problem (every unit of vL's capacity reaches the
 *    sink through a pair, cost −w, and uR, or straight, cost 0; a school
 *    that must be covered pays a bonus M for its first unit going straight
 *    and earns it for the first unit into its right copy), solved one unit
 *    at a time by a shortest-path search (Dijkstra on reduced costs) from
 *    the unit's own school, stopped when the sink is settled. It runs on
 *    each school's heaviest edges first; edges left out that the potentials
 *    say would pay are then priced into the flow it has (fm_flow_add), not
 *    from scratch, the most profitable first.
 *
 * 2. The bound. From the flow's potentials φ, each school gets a price
 *    π_v = (max(0, φ(vL) − φ(T)) + max(0, φ(T) − φ(vR))) / 2, then each
 *    price in turn moves to its best value with the others fixed (kept ≥ 0
 *    for a school that need not be covered). For ANY prices, and any
 *    b-matching x that covers the schools it must:
 *        total(x) = Σ_{e∈x} r_e + Σ_v π_v·deg_x(v) ≤ D + Σ_{e∈x} r_e,
 *    with r_e = w_e − π_u − π_v and D = Σ_v (π_v ≥ 0 ? cap_v·π_v : π_v),
 *    since 1 ≤ deg ≤ cap where π_v < 0. So z = D + Σ_e max(r_e, 0) bounds
 *    every total, and a solution using edge e totals at most z + min(r_e, 0).
 *    The bound holds whatever the prices are (the flow only makes it tight),
 *    and is computed in integers (doubled), so it is exact.
 *
 * 3. The answer. The flow's half-integral solution is rounded to a
 *    b-matching (edges at 1, then halves heaviest first, then each school
 *    still to be covered, then any edge that fits) and improved by swaps,
 *    total t. When z < t + 1, t is optimal. Else it is settled from above:
 *    every solution totalling more than tg must take each edge with
 *    z − r_e < tg + 1 and may use only the edges with
 *    z + min(r_e, 0) − (what e pushes out at its ends) ≥ tg + 1 — a few
 *    hundred on a 300-school network when tg is near the optimum — so the
 *    integer program over those finds the optimum when it is above tg, or
 *    proves it is not. It is solved by a branch and bound of our own whose
 *    bound at each node is this same relaxation, kept up to date from the
 *    parent's flow by one shortest path (flow_bb.c), or by GLPK's when
 *    ours gives up (flow_ip.c). tg starts at a guess just under the bound
 *    and comes down until a program finds a solution above it (see
 *    flow_solve), so the answer is exact.
 *
 * broker_match_near, for national graphs (tens of thousands of schools),
 * stops before the integer programs and solves the relaxation once over
 * every edge (no pricing rounds: its bound is the relaxation's optimum), on
 * a network of its own laid out for the caches (flow_near: each node's arcs
 * side by side, schools in breadth-first order), no search settling more
 * than FLOW_SEARCH nodes; then the same price descent, rounding and swaps.
 * On the bench's national graphs its total is within 0.1% of the optimum
 * (and of the bound it reports).
 *
 * It settles the score stage when the coverage stage needs no solver (the
 * greedy cover reaches every school that could be covered, or nothing needs
 * covering); otherwise it says so and broker_match uses the LP method of
 * match.c. The unit tests hold it to brute force and to the integer programs.
 *
 * Files: this one holds the flow, the prices, the rounding and the steps
 * above; flow_near.c broker_match_near's network for national graphs;
 * flow_ip.c the integer programs (which edges, and GLPK when it is needed);
 * flow_bb.c their branch and bound; flow_int.h what they share.
 */
#include "app/broker/engine.h"
#include "app/broker/flow_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * broker_match_near: a unit whose search settles more nodes stays unused
 * (a guard against a worst case; the bench's national graphs need at most
 * about 3,000, and 2,000 left a few units unused at 25,000 schools, 0.07%
 * of the total on one seed).
 */
#define FLOW_SEARCH 20000
#define FLOW_ROUNDS 4        /* times the flow is run again with edges the potentials priced in */
#define FLOW_GUESS 24        /* the first guess of the gap between the bound and the optimum */

/*
 * Allocate G for nodes nodes and arcs arcs (and flow_search's arrays):
 * no arc yet, every potential 0, every distance FLOW_INF.
 */
void flow_net_alloc(struct net *G, int nodes, int arcs)
{
	size_t nn = nodes > 0 ? (size_t)nodes : 1, na = arcs > 0 ? (size_t)arcs : 1;
	G->head = malloc(nn * sizeof(*G->head));
	G->next = malloc(na * sizeof(*G->next));
	G->to = malloc(na * sizeof(*G->to));
	G->capa = malloc(na * sizeof(*G->capa));
	G->cost = malloc(na * sizeof(*G->cost));
	G->phi = calloc(nn, sizeof(*G->phi));
	G->dist = malloc(nn * sizeof(*G->dist));
	G->via = malloc(nn * sizeof(*G->via));
	G->done = calloc(nn, sizeof(*G->done));
	G->heap = malloc((na + nn) * sizeof(*G->heap));
	G->heap_key = malloc((na + nn) * sizeof(*G->heap_key));
	G->touched = malloc(nn * sizeof(*G->touched));
	if (!G->head || !G->next || !G->to || !G->capa || !G->cost || !G->phi || !G->dist || !G->via || !G->done ||
	    !G->heap || !G->heap_key || !G->touched)
		abort();
	G->nodes = nodes;
	G->arcs = 0;
	G->n_touched = 0;
	G->heap_n = 0;
	for (size_t i = 0; i < nn; i++) {
		G->head[i] = -1;
		G->dist[i] = FLOW_INF;
	}
}

/* Free what flow_net_alloc allocated. */
void flow_net_free(struct net *G)
{
	free(G->head);
	free(G->next);
	free(G->to);
	free(G->capa);
	free(G->cost);
	free(G->phi);
	free(G->dist);
	free(G->via);
	free(G->done);
	free(G->heap);
	free(G->heap_key);
	free(G->touched);
}

/* Add an arc a→b with capacity c and cost w, and its reverse. Returns the forward arc. */
int flow_arc(struct net *G, int a, int b, int c, int64_t w)
{
	int k = G->arcs;
	G->to[k] = b;
	G->capa[k] = c;
	G->cost[k] = w;
	G->next[k] = G->head[a];
	G->head[a] = k;
	G->to[k + 1] = a;
	G->capa[k + 1] = 0;
	G->cost[k + 1] = -w;
	G->next[k + 1] = G->head[b];
	G->head[b] = k + 1;
	G->arcs += 2;
	return k;
}

/*
 * The heap is 4-ary (children of i at 4i + 1 .. 4i + 4): half the levels of
 * a binary heap, and a node's children side by side in memory (on the
 * bench's 300-school networks the whole run about 3% faster than with a
 * binary heap, the fastest of 15 runs on each of eight).
 */

/* Push node v with key d onto the heap. */
void flow_heap_push(struct net *G, int v, int64_t d)
{
	int i = G->heap_n++;
	while (i > 0) {
		int p = (i - 1) / 4;
		if (G->heap_key[p] <= d)
			break;
		G->heap[i] = G->heap[p];
		G->heap_key[i] = G->heap_key[p];
		i = p;
	}
	G->heap[i] = v;
	G->heap_key[i] = d;
}

/* Pop the smallest entry into *v, *d. */
void flow_heap_pop(struct net *G, int *v, int64_t *d)
{
	*v = G->heap[0];
	*d = G->heap_key[0];
	int last = G->heap[--G->heap_n];
	int64_t lk = G->heap_key[G->heap_n];
	int i = 0;
	for (;;) {
		int c = 4 * i + 1;
		if (c >= G->heap_n)
			break;
		int end = c + 4 < G->heap_n ? c + 4 : G->heap_n, best = c;
		for (int j = c + 1; j < end; j++)
			if (G->heap_key[j] < G->heap_key[best])
				best = j;
		if (G->heap_key[best] >= lk)
			break;
		G->heap[i] = G->heap[best];
		G->heap_key[i] = G->heap_key[best];
		i = best;
	}
	G->heap[i] = last;
	G->heap_key[i] = lk;
}

/*
 * One shortest-path search from node s on reduced costs, stopped when node
 * t is settled (or, with a limit, after that many nodes, or once the
 * nearest node left is farther than dmax); then every potential moves by
 * min(distance, the sink's), which keeps every residual arc's reduced cost
 * ≥ 0. Returns the real cost of the path to the sink, or FLOW_INF when
 * there is none (or a limit stopped it).
 */
int64_t flow_search(struct net *G, int s, int t, int limit, int64_t dmax)
{
	int pops = 0;
	for (int i = 0; i < G->n_touched; i++) {
		G->dist[G->touched[i]] = FLOW_INF;
		G->done[G->touched[i]] = false;
	}
	G->n_touched = 0;
	G->heap_n = 0;
	G->dist[s] = 0;
	G->touched[G->n_touched++] = s;
	flow_heap_push(G, s, 0);
	int64_t reach = 0; /* the largest settled distance */
	while (G->heap_n) {
		int v;
		int64_t d;
		flow_heap_pop(G, &v, &d);
		if (G->done[v] || d > G->dist[v])
			continue;
		if (d > dmax)
			break;
		G->done[v] = true;
		reach = d;
		if (v == t || (limit && ++pops >= limit))
			break;
		for (int k = G->head[v]; k >= 0; k = G->next[k]) {
			if (!G->capa[k])
				continue;
			int u = G->to[k];
			int64_t nd = d + G->cost[k] + G->phi[v] - G->phi[u];
			/* Unlimited, a node no nearer than t would not be settled before it: not worth a push. */
			if (nd < G->dist[u] && (limit || nd < G->dist[t])) {
				if (G->dist[u] == FLOW_INF)
					G->touched[G->n_touched++] = u;
				G->dist[u] = nd;
				G->via[u] = k;
				flow_heap_push(G, u, nd);
			}
		}
	}
	bool found = G->done[t];
	int64_t cap_d = found ? G->dist[t] : reach;
	/*
	 * Every node moves by min(distance, cap_d); the same less the constant
	 * cap_d (which changes no reduced cost) touches only the settled nodes.
	 */
	for (int i = 0; i < G->n_touched; i++) {
		int v = G->touched[i];
		if (G->done[v])
			G->phi[v] += G->dist[v] - cap_d;
	}
	if (!found)
		return FLOW_INF;
	return G->phi[t] - G->phi[s];
}

/* Edge indices sorted by weight, heaviest first (ties: lower index first). */
static int cmp_heavier(const void *x, const void *y, void *ctx)
{
	const struct broker_edge *e = ctx;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	if (e[a].w != e[b].w)
		return e[a].w > e[b].w ? -1 : 1;
	return (a > b) - (a < b);
}

/*
 * order[0..m) = the edges heaviest first, ties by lower index: the order
 * cmp_heavier gives, by a radix sort on (largest weight − weight, index)
 * packed in 64 bits, 16 bits a pass, passes whose digit never varies
 * skipped. Several times faster than qsort_r on a 300-school network's
 * 27,000 pairs. Weights above 2^31 − 1, and fewer than 4,096 edges, use
 * qsort_r.
 */
static void sort_heaviest(const struct broker_edge *e, size_t m, size_t *order)
{
	int64_t top = 0;
	for (size_t k = 0; k < m; k++)
		top = e[k].w > top ? e[k].w : top;
	if (top > INT32_MAX || m > UINT32_MAX || m < 4096) { /* small: the radix's counts would cost more */
		for (size_t k = 0; k < m; k++)
			order[k] = k;
		qsort_r(order, m, sizeof(*order), cmp_heavier, (void *)e);
		return;
	}
	uint64_t *a = malloc(m * sizeof(*a)), *b = malloc(m * sizeof(*b));
	size_t *count = malloc(65537 * sizeof(*count));
	if (!a || !b || !count)
		abort();
	for (size_t k = 0; k < m; k++)
		a[k] = ((uint64_t)(top - e[k].w) << 32) | (uint64_t)k;
	for (int shift = 0; shift < 64; shift += 16) {
		memset(count, 0, 65537 * sizeof(*count));
		for (size_t k = 0; k < m; k++)
			count[((a[k] >> shift) & 0xffff) + 1]++;
		bool one = false;
		for (size_t d = 1; d <= 65536; d++)
			one = one || count[d] == m;
		if (one)
			continue; /* every key has the same digit here */
		for (size_t d = 0; d < 65536; d++)
			count[d + 1] += count[d];
		for (size_t k = 0; k < m; k++)
			b[count[(a[k] >> shift) & 0xffff]++] = a[k];
		uint64_t *t = a;
		a = b;
		b = t;
	}
	for (size_t k = 0; k < m; k++)
		order[k] = (size_t)(a[k] & 0xffffffffu);
	free(a);
	free(b);
	free(count);
}

/* Edge indices by a value per edge (ctx), largest first (ties: lower index first). */
static int cmp_larger(const void *x, const void *y, void *ctx)
{
	const int64_t *a = ctx;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	if (a[i] != a[j])
		return a[i] > a[j] ? -1 : 1;
	return (i > j) - (i < j);
}

/*
 * The relaxation (the top of this file) as a transportation problem
 * solved one school at a time (the Hungarian method's order): every unit of a school's capacity on
 * the left must reach the sink, through a pair (cost −w) and the right copy
 * of its partner, or straight (cost 0: left unused; M for the first unit of
 * a school that must be covered, and the first unit into a right copy that
 * must be covered earns −M). Each unit is one shortest-path search from its
 * own school, stopped at the sink, which it reaches within the cost of going
 * straight: the searches stay near the school, so this scales where a
 * search from a common source (which meets every school with room) does
 * not. Fills half (per edge: units on its two arcs) and pi2 (the prices);
 * returns false when some school that must be covered is not.
 */
static bool fm_read(struct fm *F, const struct net *G);

static bool fm_flow(struct fm *F, struct net *G)
{
	size_t n = F->n;
	G->nodes = 2 * (int)n + 2;
	G->arcs = 0;
	G->n_touched = 0;
	for (int i = 0; i < G->nodes; i++) {
		G->head[i] = -1;
		G->dist[i] = FLOW_INF;
		G->done[i] = false;
	}
	/* The bonus: above what any one alternating path can gain (the relaxation is only a start for the bound). */
	int64_t bonus = 1;
	for (size_t k = 0; k < F->m; k++)
		if (F->in[k] && 4 * F->e[k].w + 1 > bonus)
			bonus = 4 * F->e[k].w + 1;
	int sink = G->nodes - 1;
	for (size_t k = 0; k < F->m; k++) {
		F->arc[k] = -1;
		if (!F->in[k])
			continue;
		int u = F->e[k].u, v = F->e[k].v;
		F->arc[k] = flow_arc(G, 1 + u, 1 + (int)n + v, 1, -F->e[k].w);
		flow_arc(G, 1 + v, 1 + (int)n + u, 1, -F->e[k].w);
	}
	for (size_t v = 0; v < n; v++) {
		int c = F->cap[v], L = 1 + (int)v, R = 1 + (int)(n + v);
		if (c <= 0)
			continue;
		int first = F->must[v] && !F->limit; /* near: no bonus, coverage is left to the rounding */
		if (first) {
			flow_arc(G, L, sink, 1, bonus);
			flow_arc(G, R, sink, 1, -bonus);
		}
		if (c - first > 0) {
			flow_arc(G, L, sink, c - first, 0);
			flow_arc(G, R, sink, c - first, 0);
		}
	}
	/*
	 * Potentials with every arc's reduced cost ≥ 0: rights 0, each left its
	 * heaviest pair, the sink 0 or −M when a bonus arc enters it (as high as
	 * it can be: a search goes no farther than the cost of going straight).
	 */
	bool any_bonus = false;
	for (size_t v = 0; v < n; v++)
		any_bonus = any_bonus || (F->must[v] && !F->limit && F->cap[v] > 0);
	for (int i = 0; i < G->nodes; i++)
		G->phi[i] = 0;
	G->phi[sink] = any_bonus ? -bonus : 0;
	for (size_t k = 0; k < F->m; k++)
		if (F->in[k]) {
			int ends[2] = {F->e[k].u, F->e[k].v};
			for (int s = 0; s < 2; s++)
				if (F->e[k].w > G->phi[1 + ends[s]])
					G->phi[1 + ends[s]] = F->e[k].w;
		}
	for (size_t v = 0; v < n; v++)
		for (int unit = 0; unit < F->cap[v]; unit++) {
			if (flow_search(G, 1 + (int)v, sink, F->limit, FLOW_INF) >= FLOW_INF)
				break;
			for (int x = sink; x != 1 + (int)v;) {
				int k = G->via[x];
				G->capa[k]--;
				G->capa[k ^ 1]++;
				x = G->to[k ^ 1];
			}
		}
	F->bonus = bonus;
	return fm_read(F, G);
}

/*
 * Read the flow: whether every school that must be covered is (its M arcs:
 * the left one unused, the right one used), half (per edge: units on its
 * two arcs) and pi2 (the prices).
 */
static bool fm_read(struct fm *F, const struct net *G)
{
	size_t n = F->n;
	int sink = G->nodes - 1;
	int64_t bonus = F->bonus;
	bool covered = true;
	for (size_t v = 0; v < n; v++) {
		if (!F->must[v] || F->cap[v] <= 0)
			continue;
		for (int k = G->head[1 + v]; k >= 0; k = G->next[k])
			if (G->to[k] == sink && G->cost[k] > 0 && !G->capa[k])
				covered = false;
		for (int k = G->head[1 + n + v]; k >= 0; k = G->next[k])
			if (G->to[k] == sink && G->cost[k] < 0 && G->capa[k])
				covered = false;
	}
	for (size_t k = 0; k < F->m; k++)
		F->half[k] = F->arc[k] < 0 ? 0 : (G->capa[F->arc[k]] == 0) + (G->capa[F->arc[k] + 2] == 0);
	/*
	 * Prices: yL_v = φ(vL) − φ(T), yR_v = φ(T) − φ(vR); 2π_v their sum.
	 * A school that need not be covered keeps each ≥ 0, and one that
	 * carries the bonus says nothing about the weights (0). A school that
	 * must be covered keeps its negative ones, the coverage's own price
	 * (the bound may count π_v < 0 once: its degree is at least 1), and one
	 * carrying the bonus is counted without it: on seed 1 of the bench's
	 * 300-school networks, where coverage holds some schools back, the
	 * bound falls from 241,225 to 241,193 (the optimum 241,180), as the
	 * relaxation with coverage is; where coverage holds nothing back it is
	 * the same as before.
	 */
	int64_t pt = G->phi[sink];
	for (size_t v = 0; v < n; v++) {
		int64_t l = G->phi[1 + v] - pt, r = pt - G->phi[1 + n + v];
		if (F->must[v] && F->cap[v] > 0 && !F->limit) {
			F->pi2[v] = (l > bonus / 2 ? l - bonus : l) + (r > bonus / 2 ? r - bonus : r);
			continue;
		}
		if (l > bonus / 2 || F->cap[v] <= 0)
			l = 0; /* a price that carries the bonus says nothing about the weights */
		F->pi2[v] = (l > 0 ? l : 0) + (r > 0 && r < bonus / 2 ? r : 0);
	}
	return covered;
}

/*
 * Price edge k into the flow network without starting again: each of its
 * two arcs goes in; one whose reduced cost is negative (it would pay to
 * use) is saturated, which leaves a unit too many at its right end and one
 * too few at its left end, and the shortest path on reduced costs from the
 * one to the other carries that unit back (at worst along the new arc's own
 * reverse, which cancels it). Reduced costs stay ≥ 0 on every residual arc
 * and the supplies are met again, so the flow is optimal for the larger
 * network, as a run from scratch would be.
 */
static void fm_flow_add(struct fm *F, struct net *G, size_t k)
{
	int n = (int)F->n, u = F->e[k].u, v = F->e[k].v;
	for (int s = 0; s < 2; s++) {
		/* One arc at a time: the search needs every other residual arc's reduced cost ≥ 0. */
		int a = s ? flow_arc(G, 1 + v, 1 + n + u, 1, -F->e[k].w) : flow_arc(G, 1 + u, 1 + n + v, 1, -F->e[k].w);
		int from = G->to[a ^ 1], to = G->to[a];
		if (!s)
			F->arc[k] = a;
		if (G->cost[a] + G->phi[from] - G->phi[to] >= 0)
			continue;
		G->capa[a] = 0;
		G->capa[a ^ 1] = 1;
		if (flow_search(G, to, from, 0, FLOW_INF) >= FLOW_INF)
			abort(); /* cannot happen: the new arc's reverse leads back */
		for (int x = from; x != to;) {
			int j = G->via[x];
			G->capa[j]--;
			G->capa[j ^ 1]++;
			x = G->to[j ^ 1];
		}
	}
}

/* 2r_e: twice the reduced weight of edge k under the prices. */
int64_t flow_r2(const struct fm *F, size_t k)
{
	return 2 * F->e[k].w - F->pi2[F->e[k].u] - F->pi2[F->e[k].v];
}

/* 2z: twice the bound on every total (the top of this file). */
static int64_t fm_bound2(const struct fm *F)
{
	int64_t z2 = 0;
	for (size_t v = 0; v < F->n; v++)
		z2 += F->pi2[v] >= 0 ? (int64_t)F->cap[v] * F->pi2[v] : F->pi2[v];
	for (size_t k = 0; k < F->m; k++) {
		int64_t r = flow_r2(F, k);
		if (r > 0)
			z2 += r;
	}
	return z2;
}

/*
 * The value at place c (from 0) of a[0..d) sorted descending, c < d: a
 * quickselect (Hoare's), which reorders a. Linear on average, where the
 * sort it replaces was the price descent's largest cost.
 */
static int64_t select_desc(int64_t *a, size_t d, size_t c)
{
	size_t lo = 0, hi = d - 1;
	while (lo < hi) {
		int64_t x = a[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (a[i] > x)
				i++;
			while (a[j] < x)
				j--;
			if (i <= j) {
				int64_t t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		/* Now a[lo..j] ≥ x ≥ a[i..hi], and a[j+1..i-1] == x. */
		if (c <= j)
			hi = j;
		else if (c >= i)
			lo = i;
		else
			return a[c];
	}
	return a[c];
}

/*
 * Lower the bound by moving one price at a time to its best value with the
 * others fixed (the bound is convex and piecewise linear in each price):
 * with a_e = 2w_e − 2π_u over v's edges e = uv, sorted descending, 2π_v
 * becomes a[cap_v] when that is ≥ 0; else 0, or for a school that must be
 * covered (degree ≥ 1) min(0, a[1]). Any prices give a valid bound; these
 * passes only tighten it. adj lists each vertex's edges (adj_start by vertex).
 */
static void fm_descend(struct fm *F, const size_t *adj_start, const size_t *adj, int64_t *a, int passes)
{
	int64_t z2 = fm_bound2(F);
	for (int pass = 0; pass < passes; pass++) {
		for (size_t v = 0; v < F->n; v++) {
			size_t d = adj_start[v + 1] - adj_start[v];
			if (!d)
				continue;
			for (size_t i = 0; i < d; i++) {
				size_t k = adj[adj_start[v] + i];
				int u = F->e[k].u == (int)v ? F->e[k].v : F->e[k].u;
				a[i] = 2 * F->e[k].w - F->pi2[u];
			}
			int64_t top = INT64_MIN, second = INT64_MIN; /* a's two largest */
			for (size_t i = 0; i < d; i++)
				if (a[i] > top) {
					second = top;
					top = a[i];
				} else if (a[i] > second)
					second = a[i];
			size_t c = (size_t)F->cap[v];
			int64_t ac = c < d ? select_desc(a, d, c) : 0;
			int64_t p;
			if (c < d && ac >= 0)
				p = ac;
			else if (!F->must[v])
				p = 0;
			else
				p = d >= 2 ? (second < 0 ? second : 0) : (top < 0 ? top : 0);
			F->pi2[v] = p;
		}
		int64_t z = fm_bound2(F);
		if (z >= z2)
			break;
		z2 = z;
	}
}

static int cmp_asc64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/*
 * What an edge with r_e ≤ 0 costs the bound at each end. A solution x with
 * such an edge e = uv takes at most cap_u − 1 other edges at u, so when u has
 * p ≥ cap_u edges with r > 0, at least p − cap_u + 1 of them are left out,
 * and Σ_{f∈x} r_f falls short of Σ max(r, 0) by at least the sum of the
 * smallest p − cap_u + 1 of them (the same at v; an edge left out at u is
 * not one left out at v, since only e joins them). Fills loss2 (doubled).
 */
static void fm_losses(struct fm *F, const size_t *adj_start, const size_t *adj, int64_t *a)
{
	for (size_t v = 0; v < F->n; v++) {
		size_t p = 0;
		for (size_t i = adj_start[v]; i < adj_start[v + 1]; i++) {
			int64_t r = flow_r2(F, adj[i]);
			if (r > 0)
				a[p++] = r;
		}
		F->loss2[v] = 0;
		if (p < (size_t)F->cap[v] || F->cap[v] == 0)
			continue;
		qsort(a, p, sizeof(*a), cmp_asc64);
		for (size_t i = 0; i < p - (size_t)F->cap[v] + 1; i++)
			F->loss2[v] += a[i];
	}
}

/* Whether edge k could be in a solution totalling t + 1 or more (z2: the doubled bound). */
bool flow_could(const struct fm *F, size_t k, int64_t z2, int64_t t)
{
	int64_t r = flow_r2(F, k);
	if (r > 0)
		return z2 >= 2 * t + 2;
	return z2 + r - F->loss2[F->e[k].u] - F->loss2[F->e[k].v] >= 2 * t + 2;
}

/* Take edge k into chosen if both ends have room. */
static bool fm_take(struct fm *F, bool *chosen, size_t k)
{
	int u = F->e[k].u, v = F->e[k].v;
	if (chosen[k] || F->deg[u] >= F->cap[u] || F->deg[v] >= F->cap[v])
		return false;
	chosen[k] = true;
	F->deg[u]++;
	F->deg[v]++;
	return true;
}

/*
 * Round the flow to a b-matching: edges at 1, halves heaviest first, then
 * an edge for each school still to be covered (dropping, if need be, the
 * lightest edge of a full partner whose other end stays covered), then any
 * edge that fits, heaviest first. Returns its total, or -1 when a school
 * that must be covered is not.
 */
static int64_t fm_round(struct fm *F, bool *chosen)
{
	size_t n = F->n, m = F->m;
	memset(F->deg, 0, n * sizeof(*F->deg));
	memset(chosen, 0, m * sizeof(*chosen));
	for (int pass = 2; pass >= 1; pass--)
		for (size_t r = 0; r < m; r++)
			if (F->half[F->order[r]] == pass)
				fm_take(F, chosen, F->order[r]);
	for (size_t r = 0; r < m; r++) {
		size_t k = F->order[r];
		int u = F->e[k].u, v = F->e[k].v;
		if (!((F->must[u] && !F->deg[u]) || (F->must[v] && !F->deg[v])))
			continue;
		if (fm_take(F, chosen, k))
			continue;
		/* The uncovered end has room (capacity ≥ 1, degree 0); its partner is full: free one of its edges. */
		int x = F->deg[u] >= F->cap[u] ? u : v;
		if (F->deg[u] >= F->cap[u] && F->deg[v] >= F->cap[v])
			continue;
		size_t drop = m;
		for (size_t q = F->adj_start[x + 1]; q-- > F->adj_start[x];) {
			size_t j = F->adj[q]; /* x's edges, lightest first */
			if (!chosen[j] || (F->e[j].u != x && F->e[j].v != x))
				continue;
			int y = F->e[j].u == x ? F->e[j].v : F->e[j].u;
			if (F->must[y] && F->deg[y] == 1)
				continue;
			drop = j;
			break;
		}
		if (drop == m)
			continue;
		chosen[drop] = false;
		F->deg[F->e[drop].u]--;
		F->deg[F->e[drop].v]--;
		fm_take(F, chosen, k);
	}
	for (size_t r = 0; r < m; r++)
		fm_take(F, chosen, F->order[r]);
	int64_t total = 0;
	for (size_t v = 0; v < n; v++)
		if (F->must[v] && !F->deg[v])
			return -1;
	for (size_t k = 0; k < m; k++)
		total += chosen[k] ? F->e[k].w : 0;
	return total;
}

/* The lightest of x's chosen edges (in sel, cnt of them) whose other end keeps its cover without it; m when none. */
static size_t fm_lightest(const struct fm *F, const size_t *sel, int cnt, int x)
{
	size_t best = F->m;
	for (int i = 0; i < cnt; i++) {
		size_t j = sel[i];
		int y = F->e[j].u == x ? F->e[j].v : F->e[j].u;
		if (F->must[y] && F->deg[y] == 1)
			continue;
		if (best == F->m || F->e[j].w < F->e[best].w)
			best = j;
	}
	return best;
}

/* Drop edge j from chosen and from its ends' lists. */
static void fm_drop(struct fm *F, bool *chosen, size_t *sel, int *nsel, size_t stride, size_t j)
{
	chosen[j] = false;
	int ends[2] = {F->e[j].u, F->e[j].v};
	for (int s = 0; s < 2; s++) {
		int x = ends[s];
		size_t *L = sel + (size_t)x * stride;
		for (int i = 0; i < nsel[x]; i++)
			if (L[i] == j) {
				L[i] = L[--nsel[x]];
				break;
			}
		F->deg[x]--;
	}
}

/* Add edge k to chosen and to its ends' lists (the caller made room). */
static void fm_add(struct fm *F, bool *chosen, size_t *sel, int *nsel, size_t stride, size_t k)
{
	chosen[k] = true;
	int ends[2] = {F->e[k].u, F->e[k].v};
	for (int s = 0; s < 2; s++) {
		sel[(size_t)ends[s] * stride + (size_t)nsel[ends[s]]++] = k;
		F->deg[ends[s]]++;
	}
}

/*
 * Improve a b-matching (F->deg its degrees) by swaps: an edge left out
 * comes in when it outweighs the lightest edge it must push out at each
 * full end (an edge whose other end stays covered), then any edge that now
 * fits; passes until none helps. Returns the new total.
 */
static int64_t fm_improve(struct fm *F, bool *chosen, int passes)
{
	size_t n = F->n, m = F->m, stride = 1;
	for (size_t v = 0; v < n; v++)
		if ((size_t)F->deg[v] > stride)
			stride = (size_t)F->deg[v];
	for (size_t v = 0; v < n; v++)
		if ((size_t)F->cap[v] > stride)
			stride = (size_t)F->cap[v];
	if (stride > m)
		stride = m;
	size_t *sel = malloc(n * stride * sizeof(*sel));
	int *nsel = calloc(n ? n : 1, sizeof(*nsel));
	if (!sel || !nsel)
		abort();
	for (size_t k = 0; k < m; k++)
		if (chosen[k]) {
			int ends[2] = {F->e[k].u, F->e[k].v};
			for (int s = 0; s < 2; s++)
				sel[(size_t)ends[s] * stride + (size_t)nsel[ends[s]]++] = k;
		}
	for (int pass = 0; pass < passes; pass++) {
		bool better = false;
		for (size_t r = 0; r < m; r++) {
			size_t k = F->order[r];
			if (chosen[k])
				continue;
			int u = F->e[k].u, v = F->e[k].v;
			size_t fu = m, fv = m;
			int64_t cost = 0;
			if (F->deg[u] >= F->cap[u]) {
				if (!F->cap[u] || (fu = fm_lightest(F, sel + (size_t)u * stride, nsel[u], u)) == m)
					continue;
				cost += F->e[fu].w;
			}
			if (F->deg[v] >= F->cap[v]) {
				if (!F->cap[v] || (fv = fm_lightest(F, sel + (size_t)v * stride, nsel[v], v)) == m)
					continue;
				cost += F->e[fv].w;
			}
			if (F->e[k].w <= cost)
				continue;
			if (fu < m && fv < m) {
				/* Both pushed out edges may end at the same school: it must keep a cover. */
				int x = F->e[fu].u == u ? F->e[fu].v : F->e[fu].u;
				int y = F->e[fv].u == v ? F->e[fv].v : F->e[fv].u;
				if (x == y && F->must[x] && F->deg[x] == 2)
					continue;
			}
			if (fu < m)
				fm_drop(F, chosen, sel, nsel, stride, fu);
			if (fv < m)
				fm_drop(F, chosen, sel, nsel, stride, fv);
			fm_add(F, chosen, sel, nsel, stride, k);
			better = true;
		}
		for (size_t r = 0; r < m; r++) {
			size_t k = F->order[r];
			int u = F->e[k].u, v = F->e[k].v;
			if (!chosen[k] && F->deg[u] < F->cap[u] && F->deg[v] < F->cap[v])
				fm_add(F, chosen, sel, nsel, stride, k);
		}
		if (!better)
			break;
	}
	free(sel);
	free(nsel);
	int64_t total = 0;
	for (size_t k = 0; k < m; k++)
		total += chosen[k] ? F->e[k].w : 0;
	return total;
}

/* broker_match_flow (exact) and broker_match_near (not exact: no integer program). */
static int flow_solve(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		      bool *chosen, struct broker_flow_info *info, bool exact)
{
	struct broker_flow_info local;
	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	for (size_t k = 0; k < m; k++) {
		chosen[k] = false;
		if (e[k].u < 0 || e[k].v < 0 || (size_t)e[k].u >= n || (size_t)e[k].v >= n || e[k].u == e[k].v ||
		    e[k].w <= 0)
			return ERR_INVALID;
	}
	for (size_t i = 0; i < n; i++)
		if (cap[i] < 0 || cap[i] > INT32_MAX / 2)
			return ERR_INVALID;
	if (m == 0) {
		info->settled = true;
		return 0;
	}
	if (n > INT32_MAX / 4 || m > INT32_MAX / 8)
		return 0; /* not settled: too large for the flow's indices */
	size_t nn = n ? n : 1;
	struct fm F = {.n = n, .m = m, .cap = cap, .e = e};
	F.must = calloc(nn, sizeof(*F.must));
	F.order = malloc(m * sizeof(*F.order));
	F.in = calloc(m, sizeof(*F.in));
	F.arc = malloc(m * sizeof(*F.arc));
	F.pi2 = malloc(nn * sizeof(*F.pi2));
	F.deg = calloc(nn, sizeof(*F.deg));
	F.half = calloc(m, sizeof(*F.half));
	F.loss2 = calloc(nn, sizeof(*F.loss2));
	size_t *adj_start = calloc(nn + 1, sizeof(*adj_start)), *adj = malloc(2 * m * sizeof(*adj));
	size_t *fill = malloc(nn * sizeof(*fill)), *buf = malloc(m * sizeof(*buf));
	bool *best = malloc(m * sizeof(*best));
	int64_t *a2 = malloc(m * sizeof(*a2));
	int nodes = 2 * (int)n + 2, arcs = 2 * (4 * (int)n + 2 * (int)m);
	struct net G = {0};
	struct near_net N = {0}; /* broker_match_near's network (flow_near allocates it) */
	flow_net_alloc(&G, nodes, arcs);
	if (!F.must || !F.order || !F.in || !F.arc || !F.pi2 || !F.deg || !F.half || !F.loss2 || !adj_start || !adj || !fill ||
	    !buf || !best || !a2)
		abort();
	int rc = 0;

	/* Edges heaviest first, and each vertex's edges heaviest first. */
	for (size_t k = 0; k < m; k++) {
		adj_start[e[k].u + 1]++;
		adj_start[e[k].v + 1]++;
	}
	sort_heaviest(e, m, F.order);
	for (size_t i = 0; i < n; i++)
		adj_start[i + 1] += adj_start[i];
	memcpy(fill, adj_start, n * sizeof(*fill));
	for (size_t r = 0; r < m; r++) {
		size_t k = F.order[r];
		adj[fill[e[k].u]++] = k;
		adj[fill[e[k].v]++] = k;
	}
	F.adj_start = adj_start;
	F.adj = adj;
	F.limit = exact ? 0 : FLOW_SEARCH;
	/* The schools to cover: an edge, capacity, not covered already (as match.c's y columns). */
	int n_must = 0;
	for (size_t i = 0; i < n; i++)
		if (adj_start[i + 1] > adj_start[i] && !(covered && covered[i]) && cap[i] > 0) {
			F.must[i] = true;
			n_must++;
		}
	/* The coverage stage: settled here only when the greedy cover reaches every one of them. */
	int greedy = 0;
	for (size_t r = 0; r < m; r++) {
		size_t k = F.order[r];
		int u = e[k].u, v = e[k].v;
		bool gain = (F.must[u] && !F.deg[u]) || (F.must[v] && !F.deg[v]);
		if (!gain || !fm_take(&F, chosen, k))
			continue;
		greedy += (F.must[u] && F.deg[u] == 1) + (F.must[v] && F.deg[v] == 1);
		F.in[k] = true;
	}
	if (greedy < n_must) {
		if (exact)
			goto out; /* not settled: the LP method decides the coverage */
		for (size_t i = 0; i < n; i++)
			F.must[i] = F.must[i] && F.deg[i] > 0; /* near: keep the greedy cover's coverage */
	}

	/* The first network: each vertex's 2·cap + 2 heaviest edges (and the greedy cover's). */
	for (size_t i = 0; i < n; i++)
		for (size_t a = adj_start[i]; a < adj_start[i + 1] && a - adj_start[i] < 2 * (size_t)cap[i] + 2; a++)
			F.in[adj[a]] = true;
	/*
	 * The first run from scratch; later rounds price the new edges into the
	 * flow they have (fm_flow_add), unless one is heavy enough to need a
	 * larger bonus (it cannot be: each school's heaviest edge is in).
	 */
	bool ok = exact ? fm_flow(&F, &G) : flow_near(&F, &G, &N);
	for (;;) {
		info->flow_rounds++;
		if (!ok)
			goto out; /* cannot happen with the greedy cover's edges in; the LP method then decides */
		size_t cnt = 0;
		bool heavy = false;
		for (size_t k = 0; k < m; k++)
			if (!F.in[k] && flow_r2(&F, k) > 0) {
				buf[cnt++] = k;
				heavy = heavy || 4 * e[k].w + 1 > F.bonus;
			}
		if (!cnt || info->flow_rounds >= (exact ? FLOW_ROUNDS : 1))
			break;
		for (size_t i = 0; i < cnt; i++)
			F.in[buf[i]] = true;
		if (heavy) {
			ok = fm_flow(&F, &G);
			continue;
		}
		/*
		 * The most profitable first: pricing one in moves the potentials,
		 * after which many of the others no longer pay and need no search
		 * (on the bench's 300-school networks 35% fewer searches, the
		 * round 14–17 ms -> 9–10 ms). a2 is free until the price descent.
		 */
		for (size_t i = 0; i < cnt; i++)
			a2[buf[i]] = flow_r2(&F, buf[i]);
		qsort_r(buf, cnt, sizeof(*buf), cmp_larger, a2);
		for (size_t i = 0; i < cnt; i++)
			fm_flow_add(&F, &G, buf[i]);
		ok = fm_read(&F, &G);
	}
	for (size_t k = 0; k < m; k++)
		info->flow_edges += F.in[k];
	fm_descend(&F, adj_start, adj, a2, 30);
	int64_t z2 = fm_bound2(&F), t = fm_round(&F, best);
	if (t < 0) { /* the rounding missed a school to cover: start from the greedy cover instead */
		memcpy(best, chosen, m * sizeof(*chosen));
		memset(F.deg, 0, nn * sizeof(*F.deg));
		for (size_t k = 0; k < m; k++)
			if (best[k]) {
				F.deg[e[k].u]++;
				F.deg[e[k].v]++;
			}
	}
	info->rounded = t;
	t = fm_improve(&F, best, 20);
	info->improved = t;
	info->bound = (double)z2 / 2.0;
	if (z2 < 2 * t + 2 || !exact) {
		memcpy(chosen, best, m * sizeof(*chosen));
		info->settled = z2 < 2 * t + 2;
		info->near = !exact;
		goto out;
	}
	/*
	 * Settle it from above: guess that the optimum is within g of the bound
	 * (first FLOW_GUESS) and look only among the solutions totalling
	 * more than tg = ⌊z⌋ − g (flow_above: the integer program over the few
	 * edges such a solution may use, a few hundred). Finding one there, the
	 * best found is the optimum. Finding none proves the optimum is at most
	 * tg, and the guess doubles (when GLPK solved the program and still
	 * raised t, the next try proves t optimal: tg = t). A try with tg = t
	 * is the whole question, so this always ends exact. On the bench's
	 * 300-school networks (gaps 8 to 58 of 224,000 to 241,000) this is one
	 * to three programs; starting from the rounding's t (0.1% below the
	 * bound) would need one over thousands of edges. The gap does not grow
	 * with the network (23 on a 2,000-school one), so the first guess is a
	 * number, not a share of the bound: bound / 10,000 (until 7 December)
	 * put a 2,000-school network's first program 175 below the bound, over
	 * 35,688 edges (GLPK 14 s, against 4.5 s for the whole run now).
	 */
	fm_losses(&F, adj_start, adj, a2);
	{
		int64_t g = FLOW_GUESS;
		for (;;) {
			int64_t tg = z2 / 2 - g, found;
			bool last = tg <= t;
			if (last)
				tg = t;
			if ((rc = flow_above(&F, z2, tg, buf, chosen, &found, info)))
				goto out;
			bool better = found > t;
			if (better) {
				t = found;
				memcpy(best, chosen, m * sizeof(*chosen));
			}
			/* found ≥ tg + 1: it is the optimum. Else no solution totals more than tg. */
			if (found >= tg + 1 || last || t >= tg)
				break;
			/* A better t from the program is usually the optimum: prove it next. */
			g = better ? z2 / 2 - t : 2 * g;
		}
	}
	memcpy(chosen, best, m * sizeof(*chosen));
	info->settled = true;
out:
	if (!info->settled && !info->near)
		memset(chosen, 0, m * sizeof(*chosen));
	flow_near_free(&N);
	free(F.must);
	free(F.order);
	free(F.in);
	free(F.arc);
	free(F.pi2);
	free(F.deg);
	free(F.half);
	free(F.loss2);
	free(adj_start);
	free(adj);
	free(fill);
	free(buf);
	free(best);
	free(a2);
	flow_net_free(&G);

	return rc;
}

int broker_match_flow(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		      bool *chosen, struct broker_flow_info *info)
{
	return flow_solve(n, cap, covered, e, m, chosen, info, true);
}

int broker_match_near(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		      bool *chosen, struct broker_flow_info *info)
{
	return flow_solve(n, cap, covered, e, m, chosen, info, false);
}
