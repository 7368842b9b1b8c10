// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * engine.h — the broker's pure core: no store, no HTTP. Given a network's
 * schools (their needs and strengths by theme, this year's capacity, the
 * themes each is not looking for) and the pairs that must never be proposed,
 * it scores every pair (score.c), chooses the set of proposals as a
 * b-matching with each school's capacity as its b (match.c), and proposes
 * co-creation groups for needs nobody in the network is strong in
 * (groups.c). broker_run (run.c) does all of it; the model (model.c) fills
 * struct broker_net from the store, the CLI and the pages show the result.
 *
 * Scoring a pair (A, B):
 *   gain(A from B) = Σ over A's needs n whose theme A is looking for and in
 *                    which B has a strength: priority(n) × (3 when one of B's
 *                    strengths in that theme has evidence of impact, else 2),
 *                    with priority high 3, medium 2, low 1;
 *   base           = (arithmetic mean + harmonic mean) / 2 of the two gains,
 *                    so a pair where both gain scores above a pair where one
 *                    gains the same total (a one-way pair with total T gets
 *                    T/4; an even two-way pair T/2);
 *   context        = 1 + 0.10 × similar/100 − 0.05 × min(km, 100)/100, where
 *                    similar is the similar-schools score (0..100; unknown
 *                    counts 0) and km the distance (unknown counts 0);
 *   score          = round(100 × base × context), an integer, so totals
 *                    compare exactly.
 * Never scored: a school with itself, and the barred pairs the caller
 * gives (already partners, an introduction declined in the last 12 months
 * or waiting for an answer, a proposal the coordinator rejected this year).
 *
 * Choosing the set: see match.c — first as many schools as possible (every
 * school that has any possible partner, when the capacities allow it) get
 * at least one proposal, then the total score is as large as it can be.
 * Exact: the relaxation as a min-cost flow of our own bounds every total
 * and rules out most pairs for any solution near the bound; GLPK's integer
 * program over the few left settles it (flow.c); when coverage needs a solver, linear programs on GLPK priced
 * and fixed by reduced costs (match.c).
 *
 * Memory: results are malloc'd and freed with broker_result_free; strings
 * are borrowed from the caller's struct broker_net and live as long as it.
 */
#ifndef TANDEM_APP_BROKER_ENGINE_H
#define TANDEM_APP_BROKER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <pthread.h>

#include "core/err.h"

#define BROKER_CAPACITY_DEFAULT 2 /* partnerships a school takes part in this year unless its lead says */
#define BROKER_CAPACITY_MAX 20    /* the most a lead may say */
#define BROKER_GROUP_MIN 3        /* a co-creation group has 3 to 6 schools */
#define BROKER_GROUP_MAX 6
#define BROKER_FAR_KM 30.0 /* farther apart than this: say so, and suggest meeting online */

/* A need's priority, as its weight in a gain. */
enum broker_priority {
	BROKER_PRIORITY_LOW = 1,
	BROKER_PRIORITY_MEDIUM = 2,
	BROKER_PRIORITY_HIGH = 3,
};

/* One need of a school. */
struct broker_need {
	int theme;                     /* index into broker_net.themes */
	enum broker_priority priority; /* its weight */
};

/* One strength of a school. */
struct broker_strength {
	int theme;     /* index into broker_net.themes */
	bool evidence; /* it has evidence of impact written down */
};

/* One school as the broker sees it. Arrays and strings are borrowed. */
struct broker_school {
	int64_t urn;                             /* the school */
	const char *name;                        /* its name, for sentences */
	int capacity;                            /* partnerships it can take part in this year, 0..20 */
	int used;                                /* already taken: open partnerships and pending introductions */
	bool covered;                            /* it already has an accepted proposal this year */
	const struct broker_need *needs;         /* its needs */
	size_t n_needs;                          /* how many */
	const struct broker_strength *strengths; /* its strengths */
	size_t n_strengths;                      /* how many */
	const int *off;                          /* themes it is not looking for (indices) */
	size_t n_off;                            /* how many */
	bool has_location;                       /* lat and lon are known */
	double lat, lon;                         /* WGS84 degrees */
};

/* Why a pair is never proposed. */
enum broker_bar {
	BROKER_BAR_PARTNERS = 1, /* already in a partnership together */
	BROKER_BAR_DECLINED,     /* an introduction between them was declined in the last 12 months */
	BROKER_BAR_PENDING,      /* an introduction between them is waiting for an answer (or was accepted here) */
	BROKER_BAR_REJECTED,     /* the coordinator rejected this pair this year */
	BROKER_BAR__MAX
};

/* A pair that must never be proposed (indices into broker_net.schools, either order). */
struct broker_bar_pair {
	int a, b;            /* the two schools */
	enum broker_bar why; /* the reason */
};

/* The similar-schools score of two schools (0..100), or negative when unknown. */
typedef double (*broker_similar_fn)(void *ctx, int64_t urn_a, int64_t urn_b);

/* Everything the broker is given. Borrowed; must outlive the result. */
struct broker_net {
	const char *const *themes;           /* theme names by index */
	size_t n_themes;                     /* how many */
	const struct broker_school *schools; /* the member schools */
	size_t n;                            /* how many */
	const struct broker_bar_pair *bars;  /* pairs never proposed */
	size_t n_bars;                       /* how many */
	broker_similar_fn similar;           /* NULL: unknown for every pair */
	void *similar_ctx;                   /* passed to similar */
};

/* A scored pair (a < b, indices into broker_net.schools). */
struct broker_pair {
	int a, b;        /* the two schools */
	int gain_ab;     /* what a gains from b (0: nothing) */
	int gain_ba;     /* what b gains from a */
	bool reciprocal; /* both gain */
	double similar;  /* similar-schools score 0..100, negative when unknown */
	double km;       /* distance, negative when unknown */
	int64_t score;   /* the pair's score (see the top of this file), > 0 for a possible pair */
};

/* Why a school has no new proposal. */
enum broker_left {
	BROKER_LEFT_NONE = 0,     /* it has a proposal (or an accepted one) */
	BROKER_LEFT_NO_CAPACITY,  /* its capacity this year is 0, or taken by partnerships and introductions */
	BROKER_LEFT_NOTHING,      /* no needs or strengths that meet another school's */
	BROKER_LEFT_BARRED,       /* its only possible partners are barred pairs */
	BROKER_LEFT_PARTNERS_FULL, /* its possible partners' capacity went to others: no set could include it */
	BROKER_LEFT__MAX
};

/* A co-creation group: schools sharing a need nobody in the network is strong in. */
struct broker_group {
	int theme;                      /* the shared need's theme */
	int members[BROKER_GROUP_MAX];  /* indices into broker_net.schools */
	int n;                          /* 3..6 */
};

/* What broker_run found. Free with broker_result_free. */
struct broker_result {
	struct broker_pair *proposals; /* chosen, by score descending then URNs */
	size_t n_proposals;            /* how many */
	size_t n_candidates;           /* possible pairs scored (> 0 score, not barred) */
	int *degree;                   /* per school: new proposals it is in */
	enum broker_left *left;        /* per school: why it has none (BROKER_LEFT_NONE when it has) */
	struct broker_group *groups;   /* co-creation groups */
	size_t n_groups;               /* how many */
	int *lone_themes;              /* themes nobody is strong in that fewer than 3 schools need */
	size_t n_lone_themes;          /* how many */
	int with_proposal;             /* schools with a new or accepted proposal */
	int could_have;                /* schools that have any possible partner, or an accepted proposal */
	int reciprocal;                /* proposals where both schools gain */
	int over_capacity;             /* schools over their capacity: always 0, reported to show it */
	int64_t total;                 /* sum of the proposals' scores */
};

/* Whether school s is not looking for theme t. */
bool broker_theme_off(const struct broker_school *s, int t);
/* What school a gains from school b (see the top of this file). */
int broker_gain(const struct broker_school *a, const struct broker_school *b);
/*
 * Score the pair (i, j) of net, i != j, into *out (a < b). Does not look at
 * the bars. Returns whether either school gains anything.
 */
bool broker_pair_score(const struct broker_net *net, int i, int j, struct broker_pair *out);
/*
 * Per-school tables for scoring many pairs of one network (score.c): what
 * each school offers in each theme, its needs by theme with their
 * priorities summed, its location as a unit vector. broker_scorer_pair
 * gives exactly what broker_pair_score gives, several times faster.
 */
struct broker_scorer {
	const struct broker_net *net; /* the network (borrowed) */
	unsigned char *offer;         /* n × n_themes: 0 nothing, 2 a strength, 3 one with evidence of impact */
	int *need_start;              /* per school: where its needs start in need_theme (n + 1 entries) */
	int *need_theme;              /* each school's needs' themes, each once, themes it is not looking for left out */
	int *need_w;                  /* the summed priority of each of those */
	double *unit;                 /* n × 3: its location as a unit vector (when it has one) */
};

/* Build sc's tables for net (which must outlive sc). Aborts when out of memory. */
void broker_scorer_init(struct broker_scorer *sc, const struct broker_net *net);
/* The same as broker_pair_score(sc->net, i, j, out), from the tables. */
bool broker_scorer_pair(const struct broker_scorer *sc, int i, int j, struct broker_pair *out);
/* Free sc's tables. */
void broker_scorer_free(struct broker_scorer *sc);
/*
 * The pair explained in sentences, as a new array of strings: what each
 * school gains and in which themes, whether it is two-way, how similar the
 * schools are and how far apart (far: meet online).
 */
json_t *broker_explain(const struct broker_net *net, const struct broker_pair *p);
/* A sentence for why a school was left out. Static storage. */
const char *broker_left_text(enum broker_left why);
/* A sentence for a bar. Static storage. */
const char *broker_bar_text(enum broker_bar why);

/* An edge of the b-matching: schools u and v (indices), weight w > 0. */
struct broker_edge {
	int u, v;  /* the two ends, u != v */
	int64_t w; /* its score */
};

/*
 * The b-matching (match.c): choose edges of e (m of them) so that vertex i
 * (of n) is in at most cap[i] chosen edges; first cover as many vertices not
 * already covered (covered[i], may be NULL) as possible, then make the total
 * weight as large as possible. chosen[k] says whether edge k is chosen.
 * Exact, and fast on dense networks: broker_match_flow (flow.c), and when
 * the coverage stage needs a solver broker_match_ex: the linear relaxation
 * over a few heavy edges per school, edges priced in by their reduced
 * costs, an integer program only when that optimum is fractional (match.c
 * explains why the answer is still optimal over every edge). Returns 0, ERR_INVALID for a bad
 * edge or capacity, or ERR_INTERNAL when the solver fails.
 */
int broker_match(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		 bool *chosen) WUR;

/* What broker_match_ex did to reach its answer (for the unit tests and the bench). */
struct broker_match_info {
	int seed_edges;       /* in: each school's heaviest edges in the first LP; 0: 2 × capacity + 2 */
	bool greedy_cover;    /* coverage settled by the greedy cover reaching every school that could be covered */
	int pricing_rounds;   /* times edges with a positive reduced cost were added and the LP solved again */
	int cuts;             /* blossom inequalities added to the LP */
	bool lp_integral;     /* the score stage's LP optimum was integral: no integer program for it */
	bool rounded;         /* a rounding of a fractional LP optimum reached its bound: optimal, no integer program */
	int integer_programs; /* integer programs solved on the restricted edges (both stages) */
	size_t fixed_in;      /* edges added back after reduced-cost fixing, for a last integer program */
	size_t lp_columns;    /* edges in the restricted problem at the end (of m) */
};

/* broker_match, also saying how it got there (info may be NULL; its seed_edges is read first). */
int broker_match_ex(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		    bool *chosen, struct broker_match_info *info) WUR;

/* What broker_match_flow did (for the unit tests and the bench). */
struct broker_flow_info {
	bool settled;         /* it found the optimum; false: the coverage stage needs the LP method (broker_match_ex) */
	int flow_rounds;      /* times the min-cost flow ran (edges priced in between) */
	size_t flow_edges;    /* edges in the flow network at the end */
	double bound;         /* the bound on every total from the flow's prices */
	int64_t rounded;      /* the total of the flow rounded to a b-matching (-1: it missed a school to cover) */
	int64_t improved;     /* that (or the greedy cover) after swaps: the solution the bound prunes with */
	size_t fixed;         /* last integer program: edges every solution above its floor must take, by the bound */
	size_t survivors;     /* last integer program: edges the bound could not rule out (nor fix) */
	bool integer_program; /* an integer program over the survivors was solved */
	int programs;         /* integer programs solved: floors tried under the bound (flow.c) */
	long nodes;           /* nodes our branch and bound searched in them (flow_bb.c) */
	int solver_programs;  /* programs it gave up on, which GLPK solved */
	bool near;            /* broker_match_near: chosen is its improved rounding, within bound − improved of the optimum */
};

/*
 * The fast exact method (flow.c): the relaxation as a min-cost flow of our
 * own, a bound from its prices, its rounding, and integer programs only
 * over the edges the bound cannot rule out for a solution above a floor
 * just under the bound (the floor lowered until the optimum is proven). Same arguments as broker_match;
 * info must not be NULL. When the coverage stage needs a solver (the greedy
 * cover misses a school that could be covered) it returns 0 with
 * info->settled false and nothing chosen: use broker_match_ex. Returns 0,
 * ERR_INVALID, or ERR_INTERNAL when the solver fails.
 */
int broker_match_flow(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		      bool *chosen, struct broker_flow_info *info) WUR;

/*
 * The same without any integer program, for graphs too large for one
 * (national sizes): the relaxation solved once over every edge, on a flow
 * network laid out for large graphs; chosen is its rounding improved by
 * swaps, and info->bound bounds every total, so info->improved /
 * info->bound is a proven lower bound on how close to the optimum it is
 * (within 0.1% on the bench's national graphs; info->settled when
 * they meet: optimal). Coverage: every school the greedy cover reaches
 * (when it misses one that could be covered, the coverage may fall short
 * of the most possible). Returns 0 or ERR_INVALID.
 */
int broker_match_near(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		      bool *chosen, struct broker_flow_info *info) WUR;

/*
 * GLPK keeps its state per thread but its error hook is global: every solve
 * (match.c, flow.c) holds this lock.
 */
extern pthread_mutex_t broker_solver_lock;

/*
 * The same b-matching as two integer programs over every edge (the first
 * method, slow on dense networks: seconds for 300 schools): the reference the
 * unit tests compare broker_match with. Same arguments and results.
 */
int broker_match_ip(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		    bool *chosen) WUR;

/*
 * Co-creation groups (groups.c): for each theme nobody in the network has a
 * strength in, the schools that need it (and look for it) in groups of 3 to
 * 6, nearby or similar schools together. Fills out->groups and
 * out->lone_themes.
 */
void broker_groups(const struct broker_net *net, struct broker_result *out);

/*
 * Run the broker over net into *out: score every possible pair, choose the
 * set, explain why schools are left out, propose groups. Returns 0,
 * ERR_INVALID (a theme or capacity out of range), ERR_INTERNAL.
 */
int broker_run(const struct broker_net *net, struct broker_result *out) WUR;
/*
 * The possible pairs of net as broker_run sees them: scored, not barred,
 * both schools with capacity left; in no particular order. *out is
 * malloc'd (free it). Returns 0 or ERR_INVALID.
 */
int broker_candidates(const struct broker_net *net, struct broker_pair **out, size_t *m) WUR;
/* Free what broker_run filled (the struct itself is the caller's). */
void broker_result_free(struct broker_result *r);

#endif
