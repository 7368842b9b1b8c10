// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * flow_bb.c — the integer program over the broker's last few hundred edges
 * (flow_above in flow_ip.c) by a branch and bound of our own, whose bound at
 * every node is the linear relaxation solved as a min-cost flow and kept up
 * to date from its parent's with one shortest path.
 *
 * The program: columns ks[0..cnt), each school v at most rcap[v] of them and
 * at least one when rmust[v]; the best total above a floor, or proof there
 * is none. Its relaxation (0 ≤ x ≤ 1) is half the min-cost flow on the
 * bipartite double cover, exactly as in flow.c: school v becomes vL (rcap[v]
 * units to send) and vR; column uv the arcs uL→vR and vL→uR of cost −w; each
 * unit reaches the sink from a right copy or straight from its left copy. A
 * school that must be covered pays M for its first unit sent straight and
 * earns M for the first unit into its right copy; with M above twice every
 * weight together, a flow that covers every such school beats any that does
 * not, so when the optimal flow leaves one uncovered no integer solution of
 * the node covers it (the node is pruned), and otherwise
 *     bound = (−cost − M · schools to cover) / 2
 * is the relaxation's optimum: every solution of the node totals at most
 * ⌊bound⌋, in integers, exactly.
 *
 * Branching fixes one fractional column (the heaviest) to 1, then to 0.
 * Neither needs the flow again from scratch. The flow is optimal, so every
 * residual arc has a reduced cost ≥ 0 under the potentials; fixing a column
 * at 0 takes its arcs out, and one that carried a unit from uL to vR leaves
 * uL a unit to send and vR one short: the shortest path from uL to vR on
 * reduced costs carries it (at worst straight to the sink and back to vR
 * against its flow). Fixing it at 1 puts a unit on an arc that had none,
 * which leaves vR a unit too many and uL one too few: the shortest path from
 * vR to uL carries it back, and when there is none the node is infeasible.
 * Either way the flow is again optimal (the change is the cheapest cycle
 * through the fixed arc) and the potentials stay valid, as with the arcs
 * flow.c prices in. A node costs a copy of the flow (a few kilobytes) and
 * one or two searches on a network of a few hundred nodes: microseconds,
 * where GLPK's simplex took a fifth of a millisecond a node.
 *
 * Depth first, pruning every node whose bound is not above the best total
 * found (at first the floor: only solutions above it are wanted), and at
 * every node fixing the columns the potentials' reduced costs rule out
 * (bb_fix_by_cost). A child costs the bound at least the reduced length of
 * the path that carries its change, so its search stops once that is more
 * than the node can lose and still beat the best: such a child is pruned
 * unsearched. A search that reaches its limit of nodes gives up, and
 * flow_above has GLPK solve the program instead, so the answer is exact
 * either way. On the bench's 300-school networks a run's programs take 0 to
 * about 450 nodes, up to 25 ms (most under 5 ms); GLPK took 6 to 70 ms for
 * the same programs.
 */
#include "app/broker/flow_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * The saved flows of one search at most: depth × (a few kilobytes on a
 * 300-school network's programs, 130 KB on a 2,000-school one's). The
 * bench's searches go 16 to 48 levels deep (6 MB at 2,000 schools); a
 * deeper one gives up rather than hold hundreds of megabytes.
 */
#define BB_MEMORY ((size_t)64 << 20)

/* A node's flow, saved before branching and put back after each child. */
struct bb_level {
	int *capa;         /* residual capacities */
	int64_t *phi;      /* potentials */
	signed char *fix;  /* per column: -1 free, 0 or 1 */
};

/* One program's search. */
struct bb {
	struct net G;           /* the flow network */
	const struct fm *F;     /* the problem */
	const size_t *ks;       /* the columns: column j is edge ks[j] */
	size_t cnt;             /* how many */
	int *col_arc;           /* per column: its arc uL→vR (vL→uR is + 2) */
	signed char *fix;       /* per column: -1 free, 0 or 1 */
	int ns;                 /* schools in the network */
	int *bonus_l, *bonus_r; /* per school: its arcs of cost M and −M to the sink, -1 for none */
	int n_must;             /* schools to cover */
	int64_t M;              /* the bonus */
	int64_t best;           /* the best total found, or the floor */
	bool found;             /* a solution above the floor was found */
	bool *take;             /* per column: in the best solution */
	long seen;              /* nodes searched */
	long limit;             /* nodes to search at most */
	bool gave_up;           /* the limit was reached */
	struct bb_level *lv;    /* saved flows, one per depth */
	size_t n_lv;            /* depths allocated */
};

/* Units on arc a of column j (0 or 1). */
static int bb_col_flow(const struct bb *B, size_t j, int a)
{
	return B->fix[j] >= 0 ? B->fix[j] : B->G.capa[a ^ 1];
}

/*
 * The node's bound, doubled (−cost − M · schools to cover); *covered whether
 * the flow covers every school it must; *frac the heaviest free column the
 * flow uses by half, -1 when none (the flow is a solution).
 */
static int64_t bb_eval(const struct bb *B, bool *covered, int *frac)
{
	int64_t cost = 0, fw = -1;
	*frac = -1;
	for (size_t j = 0; j < B->cnt; j++) {
		int a = B->col_arc[j];
		int f1 = bb_col_flow(B, j, a), f2 = bb_col_flow(B, j, a + 2);
		int64_t w = B->F->e[B->ks[j]].w;
		cost -= (f1 + f2) * w;
		if (f1 != f2 && w > fw) {
			fw = w;
			*frac = (int)j;
		}
	}
	*covered = true;
	for (int i = 0; i < B->ns; i++) {
		if (B->bonus_l[i] < 0)
			continue;
		int fl = B->G.capa[B->bonus_l[i] ^ 1], fr = B->G.capa[B->bonus_r[i] ^ 1];
		cost += (fl - fr) * B->M;
		*covered = *covered && fl == 0 && fr == 1;
	}
	return -cost - B->M * B->n_must;
}

/*
 * Carry one unit from node s to node t along the shortest residual path;
 * false when there is none, or none within reduced distance room.
 */
static bool bb_carry(struct bb *B, int s, int t, int64_t room)
{
	struct net *G = &B->G;
	if (flow_search(G, s, t, 0, room) >= FLOW_INF)
		return false;
	for (int x = t; x != s;) {
		int k = G->via[x];
		G->capa[k]--;
		G->capa[k ^ 1]++;
		x = G->to[k ^ 1];
	}
	return true;
}

/*
 * Fix column j at val (0 or 1), keeping the flow optimal; false when no
 * flow of the node has it so, or when fixing it would cost the doubled bound
 * more than room (a path carrying the change costs the flow at least its
 * reduced length, so a search may stop there: the child could not beat the
 * best anyway).
 */
static bool bb_set(struct bb *B, size_t j, int val, int64_t room)
{
	struct net *G = &B->G;
	for (int s = 0; s < 2; s++) {
		int a = B->col_arc[j] + 2 * s, from = G->to[a ^ 1], to = G->to[a];
		bool used = G->capa[a] == 0;
		G->capa[a] = G->capa[a ^ 1] = 0; /* out of the residual network either way */
		if (val && !used && !bb_carry(B, to, from, room))
			return false;
		if (!val && used && !bb_carry(B, from, to, room))
			return false;
	}
	B->fix[j] = (signed char)val;
	return true;
}

/* The saved flow of depth d, allocated on first use. */
static struct bb_level *bb_level(struct bb *B, size_t d)
{
	if (d >= B->n_lv) {
		size_t n_lv = d + 16;
		B->lv = realloc(B->lv, n_lv * sizeof(*B->lv));
		if (!B->lv)
			abort();
		for (size_t i = B->n_lv; i < n_lv; i++) {
			B->lv[i].capa = malloc((size_t)B->G.arcs * sizeof(int));
			B->lv[i].phi = malloc((size_t)B->G.nodes * sizeof(int64_t));
			B->lv[i].fix = malloc(B->cnt ? B->cnt : 1);
			if (!B->lv[i].capa || !B->lv[i].phi || !B->lv[i].fix)
				abort();
		}
		B->n_lv = n_lv;
	}
	return &B->lv[d];
}

/* Save the flow into L (put = false) or put it back from L (put = true). */
static void bb_keep(struct bb *B, struct bb_level *L, bool put)
{
	size_t ca = (size_t)B->G.arcs * sizeof(int), cp = (size_t)B->G.nodes * sizeof(int64_t);
	if (put) {
		memcpy(B->G.capa, L->capa, ca);
		memcpy(B->G.phi, L->phi, cp);
		memcpy(B->fix, L->fix, B->cnt);
	} else {
		memcpy(L->capa, B->G.capa, ca);
		memcpy(L->phi, B->G.phi, cp);
		memcpy(L->fix, B->fix, B->cnt);
	}
}

/*
 * Reduced-cost fixing: under the flow's potentials every residual arc costs
 * ≥ 0 more than it says, so a flow that puts a unit on an unused arc costs
 * at least its reduced cost more, and one that takes the unit off a used
 * arc at least minus its reduced cost more. A free column whose two arcs
 * both carry nothing (or both a unit) that would cost the bound so much
 * that no solution with it changed beats the best is fixed where it is:
 * no flow changes, only the arcs leave the residual network.
 */
static void bb_fix_by_cost(struct bb *B, int64_t bound2)
{
	struct net *G = &B->G;
	int64_t room = bound2 - 2 * (B->best + 1); /* what a change may cost the doubled bound and still beat the best */
	for (size_t j = 0; j < B->cnt; j++) {
		if (B->fix[j] >= 0)
			continue;
		int a = B->col_arc[j];
		int f1 = G->capa[a ^ 1], f2 = G->capa[(a + 2) ^ 1];
		if (f1 != f2)
			continue;
		int64_t delta = 0;
		for (int s = 0; s < 2; s++) {
			int k = a + 2 * s;
			int64_t rc = G->cost[k] + G->phi[G->to[k ^ 1]] - G->phi[G->to[k]];
			delta += f1 ? -rc : rc;
		}
		if (delta <= room)
			continue;
		for (int s = 0; s < 2; s++) {
			G->capa[a + 2 * s] = 0;
			G->capa[(a + 2 * s) ^ 1] = 0;
		}
		B->fix[j] = (signed char)f1;
	}
}

/* Search the node the flow now describes, at depth d. */
static void bb_node(struct bb *B, size_t d)
{
	if (++B->seen > B->limit) {
		B->gave_up = true;
		return;
	}
	bool covered;
	int j;
	int64_t bound2 = bb_eval(B, &covered, &j);
	if (!covered || bound2 / 2 <= B->best)
		return; /* no solution here covers every school, or none beats the best */
	if (j < 0) { /* the flow is a solution: the best so far */
		B->best = bound2 / 2;
		B->found = true;
		for (size_t c = 0; c < B->cnt; c++)
			B->take[c] = bb_col_flow(B, c, B->col_arc[c]) == 1;
		return;
	}
	bb_fix_by_cost(B, bound2);
	size_t level_bytes = (size_t)B->G.arcs * sizeof(int) + (size_t)B->G.nodes * sizeof(int64_t) + B->cnt;
	if ((d + 1) * level_bytes > BB_MEMORY) {
		B->gave_up = true; /* too deep to keep every level's flow: GLPK takes the program over */
		return;
	}
	struct bb_level *L = bb_level(B, d);
	bb_keep(B, L, false);
	for (int val = 1; val >= 0 && !B->gave_up; val--) {
		if (bb_set(B, (size_t)j, val, bound2 - 2 * (B->best + 1)))
			bb_node(B, d + 1);
		if (val) /* after the last child its parent puts its own flow back */
			bb_keep(B, &B->lv[d], true); /* (deeper levels may have moved the array) */
	}
}

static void bb_free(struct bb *B)
{
	flow_net_free(&B->G);
	for (size_t i = 0; i < B->n_lv; i++) {
		free(B->lv[i].capa);
		free(B->lv[i].phi);
		free(B->lv[i].fix);
	}
	free(B->lv);
	free(B->col_arc);
	free(B->fix);
	free(B->bonus_l);
	free(B->bonus_r);
	free(B->take);
}

int flow_bb(const struct fm *F, const size_t *ks, size_t cnt, const int *rcap, const bool *rmust, int64_t floor,
	    long limit, bool *chosen, int64_t *total, long *nodes)
{
	size_t n = F->n;
	*total = -1;
	*nodes = 0;
	/* The schools the columns touch, numbered from 0; one that must be covered and has no column: no solution. */
	int *idx = malloc((n ? n : 1) * sizeof(*idx)), *school = malloc((n ? n : 1) * sizeof(*school));
	if (!idx || !school)
		abort();
	for (size_t v = 0; v < n; v++)
		idx[v] = -1;
	int ns = 0;
	for (size_t j = 0; j < cnt; j++) {
		int ends[2] = {F->e[ks[j]].u, F->e[ks[j]].v};
		for (int s = 0; s < 2; s++)
			if (idx[ends[s]] < 0) {
				school[ns] = ends[s];
				idx[ends[s]] = ns++;
			}
	}
	for (size_t v = 0; v < n; v++)
		if (rmust[v] && idx[v] < 0) {
			free(idx);
			free(school);
			return 0;
		}
	struct bb B = {.F = F, .ks = ks, .cnt = cnt, .ns = ns, .best = floor, .limit = limit};
	int sink = 2 * ns + 1;
	flow_net_alloc(&B.G, 2 * ns + 2, 2 * (2 * (int)cnt + 4 * ns));
	B.col_arc = malloc((cnt ? cnt : 1) * sizeof(*B.col_arc));
	B.fix = malloc(cnt ? cnt : 1);
	B.take = calloc(cnt ? cnt : 1, sizeof(*B.take));
	B.bonus_l = malloc((size_t)(ns ? ns : 1) * sizeof(*B.bonus_l));
	B.bonus_r = malloc((size_t)(ns ? ns : 1) * sizeof(*B.bonus_r));
	if (!B.col_arc || !B.fix || !B.take || !B.bonus_l || !B.bonus_r)
		abort();
	int64_t sum = 0;
	for (size_t j = 0; j < cnt; j++)
		sum += F->e[ks[j]].w;
	B.M = 2 * sum + 1;
	struct net *G = &B.G;
	for (size_t j = 0; j < cnt; j++) {
		int u = idx[F->e[ks[j]].u], v = idx[F->e[ks[j]].v];
		int64_t w = F->e[ks[j]].w;
		B.col_arc[j] = flow_arc(G, 1 + u, 1 + ns + v, 1, -w);
		flow_arc(G, 1 + v, 1 + ns + u, 1, -w);
		B.fix[j] = -1;
		/* Potentials: each left copy its heaviest column, so every arc starts at a reduced cost ≥ 0. */
		if (w > G->phi[1 + u])
			G->phi[1 + u] = w;
		if (w > G->phi[1 + v])
			G->phi[1 + v] = w;
	}
	for (int i = 0; i < ns; i++) {
		int c = rcap[school[i]], first = rmust[school[i]] ? 1 : 0;
		B.bonus_l[i] = B.bonus_r[i] = -1;
		if (first) {
			B.bonus_l[i] = flow_arc(G, 1 + i, sink, 1, B.M);
			B.bonus_r[i] = flow_arc(G, 1 + ns + i, sink, 1, -B.M);
			B.n_must++;
		}
		if (c - first > 0) {
			flow_arc(G, 1 + i, sink, c - first, 0);
			flow_arc(G, 1 + ns + i, sink, c - first, 0);
		}
	}
	G->phi[sink] = B.n_must ? -B.M : 0;
	/* The root's flow: every unit of every left copy, one shortest path each. */
	for (int i = 0; i < ns; i++)
		for (int unit = 0; unit < rcap[school[i]]; unit++)
			if (!bb_carry(&B, 1 + i, sink, FLOW_INF))
				break; /* cannot happen: the straight arcs take every unit */
	bb_node(&B, 0);
	*nodes = B.seen;
	int rc = B.gave_up ? 1 : 0;
	if (!B.gave_up && B.found) {
		memset(chosen, 0, F->m * sizeof(*chosen));
		for (size_t j = 0; j < cnt; j++)
			chosen[ks[j]] = B.take[j];
		*total = B.best;
	}
	bb_free(&B);
	free(idx);
	free(school);
	return rc;
}
