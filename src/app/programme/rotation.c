// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * rotation.c — the speed-learning rotation (rotation.h). Round by round,
 * each attendee is given a table they may visit (not visited before, its
 * host not from their school) so that every table of the round holds
 * either floor(n/T) or ceil(n/T) people. A greedy pass seats the most
 * constrained attendees first at the table with the fewest people from
 * their school; when it gets stuck, a maximum flow (attendees -> allowed
 * tables -> sizes) finds the seating if one exists, and a pass of swaps
 * then spreads schools apart again. A round that no seating fits means an
 * earlier round painted the plan into a corner: the whole plan is tried
 * again in another order, a bounded number of times.
 */
#include "app/programme/rotation.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tries of the whole plan before giving up. */
#define ATTEMPTS 40

/* A small, repeatable generator (splitmix64): plans must not depend on the platform's rand(). */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Everything one plan works on (heap arrays, freed by plan_free). */
struct plan {
	const struct rot_person *hosts, *att;
	size_t nh, na;
	int rounds;
	int *table;        /* [na * rounds]: the plan */
	unsigned char *visited; /* [na * nh]: attendee i has sat at table t */
	int *seat;         /* [na]: this round's table, -1 none */
	int *size;         /* [nh]: this round's size */
	int *order;        /* [na]: the order attendees are seated in */
	/* The flow's residual graph, rebuilt each round it is needed. */
	int nodes, edges, cap_edges;
	int *head, *next, *to, *cap;
	int *level, *iter, *queue;
};

static bool allowed(const struct plan *p, size_t i, size_t t)
{
	return !p->visited[i * p->nh + t] && (p->att[i].urn == 0 || p->att[i].urn != p->hosts[t].urn);
}

/* People of attendee i's school at table t this round. */
static int same_school(const struct plan *p, size_t i, size_t t)
{
	int n = 0;
	if (p->att[i].urn == 0)
		return 0;
	for (size_t j = 0; j < p->na; j++)
		if (j != i && p->seat[j] == (int)t && p->att[j].urn == p->att[i].urn)
			n++;
	return n;
}

/* ---- maximum flow (Dinic) ------------------------------------------------ */

static void add_edge(struct plan *p, int u, int v, int c)
{
	p->to[p->edges] = v, p->cap[p->edges] = c, p->next[p->edges] = p->head[u], p->head[u] = p->edges++;
	p->to[p->edges] = u, p->cap[p->edges] = 0, p->next[p->edges] = p->head[v], p->head[v] = p->edges++;
}

static bool bfs(struct plan *p, int s, int t)
{
	for (int i = 0; i < p->nodes; i++)
		p->level[i] = -1;
	int qh = 0, qt = 0;
	p->queue[qt++] = s;
	p->level[s] = 0;
	while (qh < qt) {
		int u = p->queue[qh++];
		for (int e = p->head[u]; e >= 0; e = p->next[e])
			if (p->cap[e] > 0 && p->level[p->to[e]] < 0) {
				p->level[p->to[e]] = p->level[u] + 1;
				p->queue[qt++] = p->to[e];
			}
	}
	return p->level[t] >= 0;
}

static int dfs(struct plan *p, int u, int t, int f)
{
	if (u == t)
		return f;
	for (int *e = &p->iter[u]; *e >= 0; *e = p->next[*e]) {
		int v = p->to[*e];
		if (p->cap[*e] > 0 && p->level[v] == p->level[u] + 1) {
			int d = dfs(p, v, t, f < p->cap[*e] ? f : p->cap[*e]);
			if (d > 0) {
				p->cap[*e] -= d;
				p->cap[*e ^ 1] += d;
				return d;
			}
		}
	}
	return 0;
}

/* Seat everyone this round by maximum flow; false when no seating keeps the rules. */
static bool seat_by_flow(struct plan *p, int lo, int extra)
{
	/* Nodes: source, attendees, tables, the "one more" node, sink. */
	int src = 0, a0 = 1, t0 = 1 + (int)p->na, more = t0 + (int)p->nh, sink = more + 1;
	p->nodes = sink + 1;
	p->edges = 0;
	for (int i = 0; i < p->nodes; i++)
		p->head[i] = -1;
	for (size_t i = 0; i < p->na; i++) {
		add_edge(p, src, a0 + (int)i, 1);
		for (size_t t = 0; t < p->nh; t++)
			if (allowed(p, p->order[i], t))
				add_edge(p, a0 + p->order[i], t0 + (int)t, 1);
	}
	for (size_t t = 0; t < p->nh; t++) {
		add_edge(p, t0 + (int)t, sink, lo);
		if (extra > 0)
			add_edge(p, t0 + (int)t, more, 1);
	}
	if (extra > 0)
		add_edge(p, more, sink, extra);
	int flow = 0;
	while (bfs(p, src, sink)) {
		for (int i = 0; i < p->nodes; i++)
			p->iter[i] = p->head[i];
		int f;
		while ((f = dfs(p, src, sink, 1 << 30)) > 0)
			flow += f;
	}
	if (flow != (int)p->na)
		return false;
	for (size_t t = 0; t < p->nh; t++)
		p->size[t] = 0;
	for (size_t i = 0; i < p->na; i++)
		for (int e = p->head[a0 + (int)i]; e >= 0; e = p->next[e])
			if (p->to[e] >= t0 && p->to[e] < more && p->cap[e] == 0 && (e & 1) == 0) {
				p->seat[i] = p->to[e] - t0;
				p->size[p->seat[i]]++;
			}
	return true;
}

/* Swap pairs of attendees between tables while that seats fewer people with their own school. */
static void spread(struct plan *p)
{
	for (int pass = 0; pass < 4; pass++) {
		bool better = false;
		for (size_t i = 0; i < p->na; i++)
			for (size_t j = i + 1; j < p->na; j++) {
				int ti = p->seat[i], tj = p->seat[j];
				if (ti == tj || !allowed(p, i, (size_t)tj) || !allowed(p, j, (size_t)ti))
					continue;
				int before = same_school(p, i, (size_t)ti) + same_school(p, j, (size_t)tj);
				p->seat[i] = tj, p->seat[j] = ti;
				int after = same_school(p, i, (size_t)tj) + same_school(p, j, (size_t)ti);
				if (after < before)
					better = true;
				else
					p->seat[i] = ti, p->seat[j] = tj;
			}
		if (!better)
			break;
	}
}

/* Allowed tables of attendee i this round. */
static int choices(const struct plan *p, size_t i)
{
	int n = 0;
	for (size_t t = 0; t < p->nh; t++)
		n += allowed(p, i, t);
	return n;
}

/* Seat one round: greedily, else by flow. False when no seating keeps the rules. */
static bool seat_round(struct plan *p, uint64_t *rng)
{
	int lo = (int)(p->na / p->nh), extra = (int)(p->na % p->nh), big = 0;
	for (size_t i = 0; i < p->na; i++)
		p->seat[i] = -1;
	for (size_t t = 0; t < p->nh; t++)
		p->size[t] = 0;
	/* A random order, then the most constrained first (a stable insertion sort keeps the randomness among equals). */
	for (size_t i = 0; i < p->na; i++)
		p->order[i] = (int)i;
	for (size_t i = p->na; i > 1; i--) {
		size_t j = (size_t)(next_random(rng) % i);
		int tmp = p->order[i - 1];
		p->order[i - 1] = p->order[j];
		p->order[j] = tmp;
	}
	for (size_t i = 1; i < p->na; i++) {
		int x = p->order[i], cx = choices(p, (size_t)x);
		size_t k = i;
		while (k > 0 && choices(p, (size_t)p->order[k - 1]) > cx) {
			p->order[k] = p->order[k - 1];
			k--;
		}
		p->order[k] = x;
	}
	bool stuck = false;
	for (size_t k = 0; k < p->na && !stuck; k++) {
		size_t i = (size_t)p->order[k];
		int best = -1, best_same = 0, best_size = 0;
		for (size_t t = 0; t < p->nh; t++) {
			int room = p->size[t] < lo || (p->size[t] == lo && big < extra);
			if (!allowed(p, i, t) || !room)
				continue;
			int same = same_school(p, i, t);
			if (best < 0 || same < best_same || (same == best_same && p->size[t] < best_size)) {
				best = (int)t;
				best_same = same;
				best_size = p->size[t];
			}
		}
		if (best < 0) {
			stuck = true;
			break;
		}
		if (p->size[best] == lo)
			big++;
		p->size[best]++;
		p->seat[i] = best;
	}
	if (stuck && !seat_by_flow(p, lo, extra))
		return false;
	spread(p);
	return true;
}

static void plan_free(struct plan *p)
{
	free(p->visited), free(p->seat), free(p->size), free(p->order);
	free(p->head), free(p->next), free(p->to), free(p->cap), free(p->level), free(p->iter), free(p->queue);
}

int rotation_plan(const struct rot_person *hosts, size_t nh, const struct rot_person *att, size_t na, int rounds,
		  uint64_t seed, int *table, char *why, size_t whysz)
{
	if (nh == 0) {
		snprintf(why, whysz, "Add at least one host: a speed-learning table needs someone to share an idea");
		return ERR_INVALID;
	}
	if (na == 0) {
		snprintf(why, whysz, "Nobody has a place yet, so there is nobody to move between tables");
		return ERR_INVALID;
	}
	if (nh > na) {
		snprintf(why, whysz,
			 "There are more hosts (%zu) than attendees (%zu): every table needs someone to visit it, so "
			 "use fewer hosts",
			 nh, na);
		return ERR_INVALID;
	}
	if (nh > ROTATION_MAX_HOSTS || na > ROTATION_MAX_PEOPLE || rounds > ROTATION_MAX_ROUNDS) {
		snprintf(why, whysz, "A plan takes at most %d hosts, %d attendees and %d rounds", ROTATION_MAX_HOSTS,
			 ROTATION_MAX_PEOPLE, ROTATION_MAX_ROUNDS);
		return ERR_INVALID;
	}
	if (rounds < 1 || (size_t)rounds > nh) {
		snprintf(why, whysz, "Each attendee visits a different table each round, so with %zu table%s there can be "
			 "1 to %zu rounds",
			 nh, nh == 1 ? "" : "s", nh);
		return ERR_INVALID;
	}
	for (size_t i = 0; i < na; i++) {
		size_t own = 0;
		for (size_t t = 0; t < nh; t++)
			own += att[i].urn != 0 && att[i].urn == hosts[t].urn;
		if (nh - own < (size_t)rounds) {
			snprintf(why, whysz,
				 "%zu of the %zu hosts are from the school of attendee %zu, who may not visit them, so "
				 "they cannot visit a different table in each of %d rounds: use fewer rounds or more hosts",
				 own, nh, i + 1, rounds);
			return ERR_INVALID;
		}
	}
	struct plan p = {.hosts = hosts, .att = att, .nh = nh, .na = na, .rounds = rounds, .table = table};
	int nodes = (int)(na + nh) + 3, maxe = 2 * (int)(na + na * nh + 2 * nh + 1);
	p.visited = calloc(na * nh, 1);
	p.seat = calloc(na, sizeof(int));
	p.size = calloc(nh, sizeof(int));
	p.order = calloc(na, sizeof(int));
	p.head = calloc((size_t)nodes, sizeof(int));
	p.level = calloc((size_t)nodes, sizeof(int));
	p.iter = calloc((size_t)nodes, sizeof(int));
	p.queue = calloc((size_t)nodes, sizeof(int));
	p.next = calloc((size_t)maxe, sizeof(int));
	p.to = calloc((size_t)maxe, sizeof(int));
	p.cap = calloc((size_t)maxe, sizeof(int));
	if (!p.visited || !p.seat || !p.size || !p.order || !p.head || !p.level || !p.iter || !p.queue || !p.next ||
	    !p.to || !p.cap) {
		plan_free(&p);
		snprintf(why, whysz, "Out of memory");
		return ERR_NOMEM;
	}
	uint64_t rng = seed;
	int rc = ERR_CONFLICT;
	for (int attempt = 0; attempt < ATTEMPTS && rc; attempt++) {
		memset(p.visited, 0, na * nh);
		int r;
		for (r = 0; r < rounds; r++) {
			if (!seat_round(&p, &rng))
				break;
			for (size_t i = 0; i < na; i++) {
				table[i * (size_t)rounds + (size_t)r] = p.seat[i];
				p.visited[i * nh + (size_t)p.seat[i]] = 1;
			}
		}
		if (r == rounds)
			rc = 0;
	}
	plan_free(&p);
	if (rc)
		snprintf(why, whysz,
			 "No seating keeps every rule for %d rounds with these hosts and schools: try fewer rounds or "
			 "hosts from more schools",
			 rounds);
	return rc;
}
