// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * flow_int.h — what the broker's exact b-matching (flow.c) shares with its
 * two parts in files of their own: the national-size relaxation on a
 * network laid out for the caches (flow_near.c, broker_match_near) and the
 * integer programs that settle the last edges (flow_ip.c, GLPK). Private to
 * src/app/broker/: the flow network, one call's working state, and the
 * functions each file lends the others.
 */
#ifndef TANDEM_APP_BROKER_FLOW_INT_H
#define TANDEM_APP_BROKER_FLOW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/broker/engine.h"

#define FLOW_INF INT64_MAX / 4 /* an unreached node's distance */
/*
 * flow_bb's budget: nodes × columns it searches before GLPK takes a program
 * over (a node costs time in proportion to the columns): 50,000 nodes on
 * the 500 columns of a 300-school network's program, a few hundred on the
 * tens of thousands a 2,000-school network's may have, where GLPK is faster.
 */
#define FLOW_BB_WORK 25000000L

/* The flow network: nodes 1..n left copies, n+1..2n right copies, 2n+1 sink (0 unused); arcs in pairs k, k^1. */
struct net {
	int nodes;          /* 2n + 2 */
	int *head;          /* per node: its first arc, -1 for none */
	int *next;          /* per arc: the node's next arc */
	int *to;            /* per arc: where it goes */
	int *capa;          /* per arc: residual capacity */
	int64_t *cost;      /* per arc: cost (the negative of a profit) */
	int arcs;           /* arcs added */
	int64_t *phi;       /* per node: potential */
	int64_t *dist;      /* per node: this search's distance (reduced) */
	int *via;           /* per node: the arc it was reached by */
	bool *done;         /* per node: settled in this search */
	int *heap;          /* binary heap of (node) by heap_key, lazy */
	int64_t *heap_key;  /* the key each heap slot was pushed with */
	int heap_n;         /* entries in the heap */
	int *touched;       /* nodes reached in this search */
	int n_touched;      /* how many */
};

/* Everything one call works with. */
struct fm {
	size_t n, m;                 /* vertices, edges */
	const int *cap;              /* capacities */
	const struct broker_edge *e; /* edges */
	bool *must;                  /* per vertex: must be covered (degree ≥ 1) */
	size_t *order;               /* edges heaviest first */
	bool *in;                    /* per edge: in the flow network */
	int *arc;                    /* per edge: its first arc (uL→vR; +2 is vL→uR), -1 when not in */
	int64_t *pi2;                /* per vertex: 2π */
	int *deg;                    /* scratch degree */
	int64_t *half;               /* per edge: flow on its two arcs, 0..2 */
	int64_t *loss2;              /* per vertex: 2 × what taking one more edge there costs the bound */
	const size_t *adj_start;     /* per vertex: where its edges start in adj (n + 1 entries) */
	const size_t *adj;           /* each vertex's edges, heaviest first */
	int limit;                   /* broker_match_near: nodes a search settles at most (0: no limit) */
	int64_t bonus;               /* the coverage bonus M of the flow network */
};

/* Node numbers: school at place p of the order has left 2p, right 2p + 1; the sink 2n. */
struct near_net {
	int *start;           /* per node (2n + 2 entries): where its arcs start in arc */
	struct near_arc *arc; /* every node's arcs, side by side */
	int *rev;             /* per arc: its reverse (apart: only an augmenting path reads it) */
	int *place;           /* per school: its place in the breadth-first order */
	int *school;          /* per place: the school */
	int *edge_arc;        /* per edge: its arcs from u's left (2k) and from v's left (2k + 1), -1 when not in */
};

/* Allocate G for nodes and arcs: no arc yet, potentials 0, distances FLOW_INF (flow.c). */
void flow_net_alloc(struct net *G, int nodes, int arcs);
/* Free what flow_net_alloc allocated (flow.c). */
void flow_net_free(struct net *G);
/* Add an arc a→b with capacity c and cost w to G, and its reverse; returns the forward arc (flow.c). */
int flow_arc(struct net *G, int a, int b, int c, int64_t w);
/*
 * One shortest-path search on G's reduced costs from s, stopped when t is
 * settled (limit: nodes settled at most, 0 for none; dmax: the farthest
 * reduced distance worth settling, FLOW_INF for any), the potentials moved
 * so every residual arc's reduced cost stays ≥ 0; the path is in G->via.
 * Returns its real cost, or FLOW_INF when there is none (flow.c).
 */
int64_t flow_search(struct net *G, int s, int t, int limit, int64_t dmax);
/* Push node v with key d onto G's heap (flow.c). */
void flow_heap_push(struct net *G, int v, int64_t d);
/* Pop G's smallest heap entry into *v, *d (flow.c). */
void flow_heap_pop(struct net *G, int *v, int64_t *d);
/* Twice edge k's reduced weight under F's prices (flow.c). */
int64_t flow_r2(const struct fm *F, size_t k);
/* Whether edge k may be in a solution totalling more than t, with z2 twice the bound (flow.c). */
bool flow_could(const struct fm *F, size_t k, int64_t z2, int64_t t);
/*
 * broker_match_near's relaxation over every edge on a network of its own
 * (flow_near.c): allocates N's arrays (flow_near_free frees them), fills
 * F->half and F->pi2; returns true.
 */
bool flow_near(struct fm *F, struct net *G, struct near_net *N);
/* Free what flow_near allocated in N (nothing when it did not run). */
void flow_near_free(struct near_net *N);
/*
 * The integer program over the edges ks[0..cnt) (capacities rcap, schools
 * rmust says must be covered) by branch and bound on the flow relaxation
 * (flow_bb.c): the best total above floor into *total and chosen (-1: there
 * is none above it); *nodes the nodes searched. Returns 0, or 1 when it gave
 * up after limit nodes (chosen and *total then say nothing).
 */
int flow_bb(const struct fm *F, const size_t *ks, size_t cnt, const int *rcap, const bool *rmust, int64_t floor,
	    long limit, bool *chosen, int64_t *total, long *nodes);
/*
 * GLPK's integer program over the edges ks[0..cnt) (flow_ip.c): see the
 * comment over it. 0 or ERR_INTERNAL.
 */
int flow_program(const struct fm *F, const size_t *ks, size_t cnt, const int *rcap, const bool *rmust, bool *chosen,
		 int64_t *total);
/*
 * The best solution totalling more than tg, or proof there is none
 * (flow_ip.c): see the comment over it. 0 or ERR_INTERNAL.
 */
int flow_above(struct fm *F, int64_t z2, int64_t tg, size_t *buf, bool *chosen, int64_t *found,
	       struct broker_flow_info *info);

#endif
