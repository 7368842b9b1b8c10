// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * flow_near.c — broker_match_near's relaxation for national graphs (tens of
 * thousands of schools): the transportation problem of flow.c over every
 * edge, on a flow network of its own laid out for the caches (see
 * struct near_net in flow_int.h and flow.c's top comment).
 */
#include "app/broker/flow_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * broker_match_near's flow network. The same transportation problem as
 * fm_flow's, without the coverage bonus, stored for graphs far larger than
 * the caches: each node's arcs side by side (to, capacity, cost in one
 * record of 16 bytes), and the schools numbered in breadth-first order over
 * the edges, so that a search, which stays near its school, reads a few
 * neighbouring stretches of memory, and the next school's search the same
 * ones. With fm_flow's linked arc lists (four arrays, each arc anywhere in
 * them) every arc a search looked at cost a miss in the cache once the
 * network outgrew it, about 120 ns at 25,000 schools against 35 ns at
 * 5,000: five times the schools took 22 to 35 times as long.
 */
struct near_arc {
	int to;       /* where it goes */
	int capa;     /* residual capacity */
	int64_t cost; /* cost (the negative of a profit) */
};

/*
 * The shortest-path search of flow_search over a near_net (G holds the
 * potentials, distances and heap): from node s until node t is settled or
 * limit nodes are, then every settled node's potential moves by its
 * distance less the sink's. A node reached no nearer than t already is goes
 * on no heap: every node has an arc to the sink, so t is reached at once and
 * most of the nodes a search reaches are past it (five pushes a settled node
 * before this, most never popped). Returns whether t was reached.
 */
static bool near_search(struct net *G, const struct near_net *N, int s, int t, int limit)
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
	int64_t reach = 0;
	while (G->heap_n) {
		int v;
		int64_t d;
		flow_heap_pop(G, &v, &d);
		if (G->done[v] || d > G->dist[v])
			continue;
		G->done[v] = true;
		reach = d;
		if (v == t || ++pops >= limit)
			break;
		int64_t pv = G->phi[v];
		for (int k = N->start[v]; k < N->start[v + 1]; k++) {
			const struct near_arc *a = &N->arc[k];
			if (!a->capa)
				continue;
			int u = a->to;
			int64_t nd = d + a->cost + pv - G->phi[u];
			/* Not as near as the sink already is: settled after it, if ever, so never pushed. */
			if (nd < G->dist[u] && nd < G->dist[t]) {
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
	for (int i = 0; i < G->n_touched; i++) {
		int v = G->touched[i];
		if (G->done[v])
			G->phi[v] += G->dist[v] - cap_d;
	}
	return found;
}

/*
 * Build the near_net of the edges in F->in: number the schools breadth
 * first (over every edge, from each school not yet numbered in index
 * order), then lay out each node's arcs: a left node's to its partners'
 * right nodes and to the sink, a right node's reverses and its arc to the
 * sink, the sink's reverses. Potentials as fm_flow's: each left its heaviest
 * pair, rights and the sink 0.
 */
static void near_build(const struct fm *F, struct net *G, struct near_net *N)
{
	int n = (int)F->n, sink = 2 * n, nodes = 2 * n + 1;
	/* Breadth-first order: the queue is N->school itself. */
	for (int v = 0; v < n; v++)
		N->place[v] = -1;
	int placed = 0;
	for (int r = 0; r < n; r++) {
		if (N->place[r] >= 0)
			continue;
		N->place[r] = placed;
		N->school[placed++] = r;
		for (int q = placed - 1; q < placed; q++) {
			int x = N->school[q];
			for (size_t a = F->adj_start[x]; a < F->adj_start[x + 1]; a++) {
				size_t k = F->adj[a];
				int y = F->e[k].u == x ? F->e[k].v : F->e[k].u;
				if (N->place[y] < 0) {
					N->place[y] = placed;
					N->school[placed++] = y;
				}
			}
		}
	}
	/* Arcs per node, then where each node's arcs start. */
	for (int i = 0; i <= nodes; i++)
		N->start[i] = 0;
	for (size_t k = 0; k < F->m; k++) {
		if (!F->in[k])
			continue;
		int pu = N->place[F->e[k].u], pv = N->place[F->e[k].v];
		N->start[2 * pu + 1]++; /* uL→vR */
		N->start[2 * pv + 1 + 1]++; /* its reverse at vR */
		N->start[2 * pv + 1]++; /* vL→uR */
		N->start[2 * pu + 1 + 1]++;
	}
	for (int p = 0; p < n; p++)
		if (F->cap[N->school[p]] > 0) {
			N->start[2 * p + 1]++;     /* left → sink */
			N->start[2 * p + 1 + 1]++; /* right → sink */
			N->start[sink + 1] += 2;   /* their reverses */
		}
	for (int i = 0; i < nodes; i++)
		N->start[i + 1] += N->start[i];
	int *fill = G->touched; /* scratch: nodes entries */
	for (int i = 0; i < nodes; i++)
		fill[i] = N->start[i];
	for (size_t k = 0; k < F->m; k++) {
		N->edge_arc[2 * k] = N->edge_arc[2 * k + 1] = -1;
		if (!F->in[k])
			continue;
		int ends[2] = {N->place[F->e[k].u], N->place[F->e[k].v]};
		for (int s = 0; s < 2; s++) {
			int a = 2 * ends[s], b = 2 * ends[!s] + 1;
			int ka = fill[a]++, kb = fill[b]++;
			N->arc[ka] = (struct near_arc){b, 1, -F->e[k].w};
			N->arc[kb] = (struct near_arc){a, 0, F->e[k].w};
			N->rev[ka] = kb;
			N->rev[kb] = ka;
			N->edge_arc[2 * k + (size_t)s] = ka;
		}
	}
	for (int p = 0; p < n; p++) {
		int c = F->cap[N->school[p]];
		if (c <= 0)
			continue;
		for (int s = 0; s < 2; s++) {
			int a = 2 * p + s, ka = fill[a]++, kb = fill[sink]++;
			N->arc[ka] = (struct near_arc){sink, c, 0};
			N->arc[kb] = (struct near_arc){a, 0, 0};
			N->rev[ka] = kb;
			N->rev[kb] = ka;
		}
	}
	for (int i = 0; i < nodes; i++) {
		G->phi[i] = 0;
		G->dist[i] = FLOW_INF;
		G->done[i] = false;
	}
	G->n_touched = 0;
	for (size_t k = 0; k < F->m; k++)
		if (F->in[k]) {
			int ends[2] = {N->place[F->e[k].u], N->place[F->e[k].v]};
			for (int s = 0; s < 2; s++)
				if (F->e[k].w > G->phi[2 * ends[s]])
					G->phi[2 * ends[s]] = F->e[k].w;
		}
}

/*
 * broker_match_near's relaxation: fm_flow's transportation problem over
 * every edge (F->in all set: no pricing rounds, so the flow is the
 * relaxation's optimum over the whole graph, where the first network's
 * heaviest edges alone fell 1.9% short of the optimum at 25,000 schools),
 * without the coverage bonus (the rounding sees to coverage), one unit at a
 * time from each school in the breadth-first order, each search settling at
 * most F->limit nodes (a unit whose search stops there stays unused: the
 * prices still give a valid bound). Allocates N's arrays (flow_near_free frees
 * them). Fills half and pi2 as fm_read does; returns true (every school
 * counts as covered here: the rounding sees to coverage).
 */
bool flow_near(struct fm *F, struct net *G, struct near_net *N)
{
	int n = (int)F->n, sink = 2 * n;
	size_t nodes = 2 * F->n + 1, arcs = 4 * F->m + 4 * F->n, nn = F->n ? F->n : 1;
	N->start = malloc((nodes + 1) * sizeof(*N->start));
	N->arc = malloc(arcs * sizeof(*N->arc));
	N->rev = malloc(arcs * sizeof(*N->rev));
	N->place = malloc(nn * sizeof(*N->place));
	N->school = malloc(nn * sizeof(*N->school));
	N->edge_arc = malloc(2 * F->m * sizeof(*N->edge_arc));
	if (!N->start || !N->arc || !N->rev || !N->place || !N->school || !N->edge_arc)
		abort();
	for (size_t k = 0; k < F->m; k++)
		F->in[k] = true;
	near_build(F, G, N);
	for (int p = 0; p < n; p++)
		for (int unit = 0; unit < F->cap[N->school[p]]; unit++) {
			if (!near_search(G, N, 2 * p, sink, F->limit))
				break;
			for (int x = sink; x != 2 * p;) {
				int k = G->via[x];
				N->arc[k].capa--;
				N->arc[N->rev[k]].capa++;
				x = N->arc[N->rev[k]].to;
			}
		}
	for (size_t k = 0; k < F->m; k++) {
		int a = N->edge_arc[2 * k], b = N->edge_arc[2 * k + 1];
		F->half[k] = a < 0 ? 0 : (N->arc[a].capa == 0) + (N->arc[b].capa == 0);
	}
	/* Prices: yL_v = φ(vL) − φ(T), yR_v = φ(T) − φ(vR), each kept ≥ 0; 2π_v their sum. */
	for (int p = 0; p < n; p++) {
		int v = N->school[p];
		int64_t l = G->phi[2 * p] - G->phi[sink], r = G->phi[sink] - G->phi[2 * p + 1];
		F->pi2[v] = F->cap[v] > 0 ? (l > 0 ? l : 0) + (r > 0 ? r : 0) : 0;
	}
	/*
	 * A school with no capacity adds nothing to the bound whatever its
	 * price: the least price that leaves none of its edges a positive
	 * reduced weight (the flow's potentials say nothing of it).
	 */
	for (size_t v = 0; v < F->n; v++) {
		if (F->cap[v] > 0)
			continue;
		for (size_t a = F->adj_start[v]; a < F->adj_start[v + 1]; a++) {
			size_t k = F->adj[a];
			int u = F->e[k].u == (int)v ? F->e[k].v : F->e[k].u;
			if (2 * F->e[k].w - F->pi2[u] > F->pi2[v])
				F->pi2[v] = 2 * F->e[k].w - F->pi2[u];
		}
	}
	return true;
}

/* Free what flow_near allocated in N (nothing when it did not run). */
void flow_near_free(struct near_net *N)
{
	free(N->start);
	free(N->arc);
	free(N->rev);
	free(N->place);
	free(N->school);
	free(N->edge_arc);
}
