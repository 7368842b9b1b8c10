// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * match.c — the broker's choice of proposals: a maximum-weight b-matching
 * with coverage first, solved exactly on GLPK (the GNU Linear Programming
 * Kit, Debian's libglpk-dev).
 *
 * Why GLPK and not a blossom b-matching of our own: the problem is not a
 * plain b-matching. "Every school that has any possible partner gets at
 * least one proposal, then the largest total" is a lexicographic objective
 * with a coverage term, which a blossom algorithm handles only through a
 * gadget graph (each vertex split into b copies, each edge into a path of
 * three) whose size and subtlety make our own implementation the riskiest
 * code in the product. As integer programs it is a dozen lines any reader can
 * check against the statement below, solved by a solver that has been kept
 * for twenty years and is in Debian.
 *
 * Stage 1 (coverage):  max Σ_v y_v
 *   subject to         Σ_{e∋v} x_e ≤ cap_v          for every vertex v
 *                      y_v ≤ Σ_{e∋v} x_e            for v not already covered
 *                      x_e, y_v ∈ {0, 1}            (y only for uncovered v with an edge)
 * Stage 2 (score):     max Σ_e w_e x_e
 *   subject to         the same, and Σ_v y_v ≥ C*   (C* the optimum of stage 1)
 *
 * Two stages rather than one objective M·Σy + Σwx: with M large enough to
 * make coverage come first, the solver's relative tolerances would blur the
 * score part; two stages keep both objectives small integers, compared
 * exactly. GLPK keeps its state per thread but its error hook is global,
 * so solves are serialised by a mutex (a broker run is a rare, short event).
 *
 * broker_match_ip solves the two integer programs over every edge as they
 * stand: simple, and the reference the unit tests hold the fast method to,
 * but on a 300-school network where most pairs share a theme (27,000 pairs)
 * GLPK's branch and bound takes 4–10 s.
 *
 * broker_match first asks broker_match_flow (flow.c), which settles the
 * score stage whenever the greedy cover settles coverage (its last integer
 * programs, over a few hundred pairs, by a branch and bound of our own on
 * the same flow relaxation, flow_bb.c, with GLPK for any it gives up on);
 * otherwise it uses broker_match_ex, the LP method below, which gives the
 * same optimum with far less work than the integer programs:
 *  - stage 1 is settled without a solver when a greedy cover (heaviest edges
 *    first, each covering a school not yet covered) reaches every school
 *    that has a y: nothing can cover more;
 *  - the LP relaxation starts from each school's 2·cap + 2 heaviest edges
 *    (and the greedy cover's) and grows by column generation: every edge
 *    left out whose reduced cost is positive is added and the LP solved
 *    again, until none is — the LP optimum z over every edge;
 *  - a fractional optimum is cut by blossom inequalities (lp_cut), which
 *    every integer b-matching satisfies; an integral optimum, or a rounding
 *    whose value reaches ⌊z⌋, is then optimal for the integer program;
 *  - otherwise the integer program is solved on the edges in the LP (total
 *    t). Since every reduced cost is ≤ 0 at z, a solution using a left-out
 *    edge e totals at most z + d_e: when z < t + 1, t is optimal; else the
 *    edges with z + d_e ≥ t + 1 are added back and the integer program
 *    solved once more, which is then optimal over every edge (reduced-cost
 *    fixing). Margins of 10⁻³ on integer totals absorb the floating point.
 * The unit tests compare it with broker_match_ip on random networks and
 * with brute force on small ones; bench/RESULTS.md has the figures.
 */
#include "app/broker/engine.h"

#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

pthread_mutex_t broker_solver_lock = PTHREAD_MUTEX_INITIALIZER;

/* Solve the integer program in P (maximising); 0 or ERR_INTERNAL. */
static int solve(glp_prob *P)
{
	glp_iocp parm;
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	parm.mip_gap = 0.0;
	int rc = glp_intopt(P, &parm);
	if (rc != 0)
		return ERR_INTERNAL;
	int st = glp_mip_status(P);
	return st == GLP_OPT ? 0 : ERR_INTERNAL;
}

int broker_match_ip(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		    bool *chosen)
{
	for (size_t k = 0; k < m; k++) {
		chosen[k] = false;
		if (e[k].u < 0 || e[k].v < 0 || (size_t)e[k].u >= n || (size_t)e[k].v >= n || e[k].u == e[k].v ||
		    e[k].w <= 0)
			return ERR_INVALID;
	}
	for (size_t i = 0; i < n; i++)
		if (cap[i] < 0)
			return ERR_INVALID;
	if (m == 0)
		return 0;

	/* Columns: x_1..x_m, then y for each uncovered vertex that has an edge (ycol[v], 0 for none). */
	int *ycol = calloc(n ? n : 1, sizeof(*ycol));
	int *deg = calloc(n ? n : 1, sizeof(*deg));
	/* Constraint matrix in triplets: 2 entries per edge for capacity, at most 2 per edge and 1 per y for
	 * cover, 1 per y for the coverage floor. */
	size_t nz_max = 4 * m + 2 * n + 1;
	int *ia = malloc((nz_max + 1) * sizeof(*ia));
	int *ja = malloc((nz_max + 1) * sizeof(*ja));
	double *ar = malloc((nz_max + 1) * sizeof(*ar));
	if (!ycol || !deg || !ia || !ja || !ar)
		abort();
	for (size_t k = 0; k < m; k++) {
		deg[e[k].u]++;
		deg[e[k].v]++;
	}

	int rc = 0;
	pthread_mutex_lock(&broker_solver_lock);
	glp_term_out(GLP_OFF);
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MAX);

	int ncols = (int)m;
	for (size_t i = 0; i < n; i++)
		if (deg[i] && !(covered && covered[i]) && cap[i] > 0)
			ycol[i] = ++ncols;
	glp_add_cols(P, ncols);
	for (int j = 1; j <= ncols; j++) {
		glp_set_col_kind(P, j, GLP_BV);
		glp_set_obj_coef(P, j, j > (int)m ? 1.0 : 0.0);
	}

	/* Rows: capacity of each vertex with an edge (row cap_row[v]), cover for each y, and the coverage floor. */
	int *cap_row = deg; /* reuse: deg[i] > 0 becomes its row number */
	int nrows = 0;
	for (size_t i = 0; i < n; i++)
		cap_row[i] = cap_row[i] ? ++nrows : 0;
	int first_cover = nrows + 1;
	for (size_t i = 0; i < n; i++)
		if (ycol[i])
			nrows++;
	int floor_row = ++nrows;
	glp_add_rows(P, nrows);
	int nz = 0;
	for (size_t i = 0; i < n; i++)
		if (cap_row[i])
			glp_set_row_bnds(P, cap_row[i], GLP_UP, 0.0, (double)cap[i]);
	for (size_t k = 0; k < m; k++) {
		int ends[2] = {e[k].u, e[k].v};
		for (int s = 0; s < 2; s++) {
			nz++;
			ia[nz] = cap_row[ends[s]];
			ja[nz] = (int)k + 1;
			ar[nz] = 1.0;
		}
	}
	/* Cover rows: y_v − Σ x_e ≤ 0. Row numbers in vertex order. */
	int *cover_row = malloc((n ? n : 1) * sizeof(*cover_row));
	if (!cover_row)
		abort();
	int r = first_cover;
	for (size_t i = 0; i < n; i++) {
		cover_row[i] = 0;
		if (!ycol[i])
			continue;
		cover_row[i] = r;
		glp_set_row_bnds(P, r, GLP_UP, 0.0, 0.0);
		nz++;
		ia[nz] = r;
		ja[nz] = ycol[i];
		ar[nz] = 1.0;
		r++;
	}
	for (size_t k = 0; k < m; k++) {
		int ends[2] = {e[k].u, e[k].v};
		for (int s = 0; s < 2; s++) {
			if (!cover_row[ends[s]])
				continue;
			nz++;
			ia[nz] = cover_row[ends[s]];
			ja[nz] = (int)k + 1;
			ar[nz] = -1.0;
		}
	}
	/* The coverage floor Σ y ≥ C*: free in stage 1. */
	glp_set_row_bnds(P, floor_row, GLP_FR, 0.0, 0.0);
	for (size_t i = 0; i < n; i++) {
		if (!ycol[i])
			continue;
		nz++;
		ia[nz] = floor_row;
		ja[nz] = ycol[i];
		ar[nz] = 1.0;
	}
	glp_load_matrix(P, nz, ia, ja, ar);

	if ((rc = solve(P)))
		goto out;
	double best_cover = floor(glp_mip_obj_val(P) + 0.5);

	/* Stage 2: keep that coverage, maximise the score. */
	glp_set_row_bnds(P, floor_row, GLP_LO, best_cover, 0.0);
	for (int j = 1; j <= ncols; j++)
		glp_set_obj_coef(P, j, j <= (int)m ? (double)e[j - 1].w : 0.0);
	if ((rc = solve(P)))
		goto out;
	for (size_t k = 0; k < m; k++)
		chosen[k] = glp_mip_col_val(P, (int)k + 1) > 0.5;
out:
	glp_delete_prob(P);
	glp_free_env(); /* GLPK keeps an environment per thread: free it, the server's threads live long */
	pthread_mutex_unlock(&broker_solver_lock);
	free(cover_row);
	free(ycol);
	free(deg);
	free(ia);
	free(ja);
	free(ar);
	return rc;
}

/* ---- the fast exact method ------------------------------------------------ */

/* Numerical margins: scores are integers, so a bound within BOUND_EPS of the next integer is not trusted. */
#define PRICE_EPS 1e-9 /* a reduced cost above this prices an edge into the LP */
#define BOUND_EPS 1e-3 /* margin when comparing an LP bound with an integer total */
#define INT_EPS 1e-6   /* a value this close to 0 or 1 is integral */
#define MAX_CUTS 512   /* blossom cuts kept at most */
#define MAX_CUT_ROUNDS 200/* rounds of cuts before leaving the rest to the integer program */

/* The restricted problem: the rows of the full one, the y columns, and the edges priced in so far. */
struct lp {
	glp_prob *P;                /* the GLPK problem */
	size_t n, m;                /* vertices and edges of the full problem */
	const struct broker_edge *e; /* the edges */
	int *cap_row;               /* per vertex: its capacity row, 0 when it has no edge */
	int *cover_row;             /* per vertex: its cover row, 0 when it has no y */
	int *ycol;                  /* per vertex: its y column, 0 when it has none */
	int n_y;                    /* y columns (columns 1..n_y) */
	int floor_row;              /* the coverage floor Σ y ≥ C* */
	int *col_of;                /* per edge: its column, 0 when not in the restricted LP */
	int *edge_of;               /* per column after the y columns: its edge */
	size_t in;                  /* edges in the restricted LP */
	double *dual;               /* row duals by row number (dual[0] = 0) */
	int stage;                  /* 1 coverage, 2 score */
	const int *cap;             /* capacities */
	int n_cuts;                 /* blossom cuts added (at most MAX_CUTS) */
	int *cut_row;               /* per cut: its row */
	unsigned char *cut_in;      /* per cut, per vertex: in the cut's odd set S (n_cuts × n) */
	bool dual_start;            /* rows were added since the last solve: start with the dual simplex */
	const size_t *order;        /* every edge, heaviest first */
	int floor;                  /* stage 2: the coverage to keep */
	int *deg;                   /* scratch: a degree per vertex */
};

/* Whether edge k has both ends in cut c's odd set. */
static bool in_cut(const struct lp *L, int c, size_t k)
{
	const unsigned char *S = L->cut_in + (size_t)c * L->n;
	return S[L->e[k].u] && S[L->e[k].v];
}

/* An edge's objective coefficient in the current stage. */
static double lp_obj(const struct lp *L, size_t k)
{
	return L->stage == 1 ? 0.0 : (double)L->e[k].w;
}

/* Add the edges ks[0..cnt) to the restricted LP as columns. */
static void lp_add_edges(struct lp *L, const size_t *ks, size_t cnt)
{
	if (!cnt)
		return;
	int first = glp_add_cols(L->P, (int)cnt);
	for (size_t i = 0; i < cnt; i++) {
		size_t k = ks[i];
		int j = first + (int)i, ind[5 + MAX_CUTS], len = 0;
		double val[5 + MAX_CUTS];
		int ends[2] = {L->e[k].u, L->e[k].v};
		for (int s = 0; s < 2; s++) {
			ind[++len] = L->cap_row[ends[s]];
			val[len] = 1.0;
			if (L->cover_row[ends[s]]) {
				ind[++len] = L->cover_row[ends[s]];
				val[len] = -1.0;
			}
		}
		for (int c = 0; c < L->n_cuts; c++)
			if (in_cut(L, c, k)) {
				ind[++len] = L->cut_row[c];
				val[len] = 1.0;
			}
		glp_set_mat_col(L->P, j, len, ind, val);
		glp_set_col_kind(L->P, j, GLP_BV);
		glp_set_obj_coef(L->P, j, lp_obj(L, k));
		L->col_of[k] = j;
		L->edge_of[j - L->n_y - 1] = (int)k;
	}
	L->in += cnt;
}

/* The reduced cost of edge k under the saved duals: its objective less what its rows charge for it. */
static double lp_reduced(const struct lp *L, size_t k)
{
	int u = L->e[k].u, v = L->e[k].v;
	double d = lp_obj(L, k) - L->dual[L->cap_row[u]] - L->dual[L->cap_row[v]] + L->dual[L->cover_row[u]] +
		   L->dual[L->cover_row[v]];
	for (int c = 0; c < L->n_cuts; c++)
		if (in_cut(L, c, k))
			d -= L->dual[L->cut_row[c]];
	return d;
}

/* Solve the restricted LP from the current basis; 0 or ERR_INTERNAL. Saves the duals. */
static int lp_solve(struct lp *L)
{
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.meth = L->dual_start ? GLP_DUALP : GLP_PRIMAL;
	L->dual_start = false;
	if (glp_simplex(L->P, &parm) != 0) {
		glp_std_basis(L->P); /* a basis the last integer program left unusable: start again */
		if (glp_simplex(L->P, &parm) != 0)
			return ERR_INTERNAL;
	}
	if (glp_get_status(L->P) != GLP_OPT)
		return ERR_INTERNAL;
	int rows = glp_get_num_rows(L->P);
	L->dual[0] = 0.0;
	for (int r = 1; r <= rows; r++)
		L->dual[r] = glp_get_row_dual(L->P, r);
	return 0;
}

/* Solve the restricted integer program (the LP must be optimal); its total, or ERR_INTERNAL. */
static int lp_intopt(struct lp *L, double *total)
{
	glp_iocp parm;
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	parm.mip_gap = 0.0;
	if (glp_intopt(L->P, &parm) != 0 || glp_mip_status(L->P) != GLP_OPT)
		return ERR_INTERNAL;
	*total = glp_mip_obj_val(L->P);
	return 0;
}

/* Price: add every edge outside the LP whose reduced cost is positive. Returns how many. */
static size_t lp_price(struct lp *L, size_t *buf)
{
	size_t cnt = 0;
	for (size_t k = 0; k < L->m; k++)
		if (!L->col_of[k] && lp_reduced(L, k) > PRICE_EPS)
			buf[cnt++] = k;
	lp_add_edges(L, buf, cnt);
	return cnt;
}

/* Whether the LP's edge columns are all 0 or 1. */
static bool lp_integral(const struct lp *L)
{
	int cols = glp_get_num_cols(L->P);
	for (int j = L->n_y + 1; j <= cols; j++) {
		double x = glp_get_col_prim(L->P, j);
		if (x > INT_EPS && x < 1.0 - INT_EPS)
			return false;
	}
	return true;
}

/* Read the chosen edges from the LP (mip: from the integer program's solution). */
static void lp_read(const struct lp *L, bool mip, bool *chosen)
{
	for (size_t k = 0; k < L->m; k++)
		chosen[k] = L->col_of[k] &&
			    (mip ? glp_mip_col_val(L->P, L->col_of[k]) : glp_get_col_prim(L->P, L->col_of[k])) > 0.5;
}

/* Union-find root of v, halving the path. */
static int uf_find(int *parent, int v)
{
	while (parent[v] != v) {
		parent[v] = parent[parent[v]];
		v = parent[v];
	}
	return v;
}

/*
 * Blossom cuts for a fractional LP optimum. Its fractional edges form odd
 * cycles (or larger odd structures); for each connected set S of them, with
 * F the edges at 1 that leave S, when b(S) + |F| is odd every integer
 * b-matching has x(E(S)) + x(F) ≤ ⌊(b(S) + |F|) / 2⌋ (Edmonds' blossom
 * inequality for b-matchings), which the fractional optimum breaks by ½.
 * Adds each broken one as a row. Returns how many; the caller solves again.
 */
static int lp_cut(struct lp *L, int *scratch, double *x)
{
	size_t n = L->n;
	int cols = glp_get_num_cols(L->P), added = 0;
	int *parent = scratch, *csize = scratch + n, *ind = scratch + 2 * n; /* ind: room for every column */
	double *val = x + L->m;
	for (size_t i = 0; i < n; i++) {
		parent[i] = (int)i;
		csize[i] = 0;
	}
	for (int j = L->n_y + 1; j <= cols; j++) {
		size_t k = (size_t)L->edge_of[j - L->n_y - 1];
		x[k] = glp_get_col_prim(L->P, j);
		if (x[k] > INT_EPS && x[k] < 1.0 - INT_EPS) {
			int a = uf_find(parent, L->e[k].u), b = uf_find(parent, L->e[k].v);
			if (a != b)
				parent[a] = b;
		}
	}
	for (size_t i = 0; i < n; i++)
		csize[uf_find(parent, (int)i)]++;
	/* Each set of 3 or more joined by fractional edges: b(S), E(S) and F, and the inequality. */
	for (size_t r = 0; r < n && L->n_cuts < MAX_CUTS; r++) {
		if (parent[r] != (int)r || csize[r] < 3)
			continue;
		long bS = 0;
		unsigned char *S = L->cut_in + (size_t)L->n_cuts * n;
		memset(S, 0, n);
		for (size_t i = 0; i < n; i++)
			if (uf_find(parent, (int)i) == (int)r) {
				S[i] = 1;
				bS += L->cap[i];
			}
		double lhs = 0.0;
		int nF = 0, nnz = 0;
		for (int j = L->n_y + 1; j <= cols; j++) {
			size_t k = (size_t)L->edge_of[j - L->n_y - 1];
			int inside = S[L->e[k].u] + S[L->e[k].v];
			bool in_F = inside == 1 && x[k] >= 1.0 - INT_EPS;
			if (inside == 2 || in_F) {
				lhs += x[k];
				nF += in_F;
				ind[++nnz] = j;
				val[nnz] = 1.0;
			}
		}
		if ((bS + nF) % 2 == 0 || lhs <= (double)((bS + nF) / 2) + INT_EPS)
			continue;
		int row = glp_add_rows(L->P, 1);
		glp_set_row_bnds(L->P, row, GLP_UP, 0.0, (double)((bS + nF) / 2));
		glp_set_mat_row(L->P, row, nnz, ind, val);
		L->cut_row[L->n_cuts++] = row;
		added++;
	}
	if (added)
		L->dual_start = true;
	return added;
}

/*
 * Round the LP optimum to a b-matching: the edges at 1, then the fractional
 * ones heaviest first while both ends have room, then an edge for each
 * school still uncovered if one fits. Fills chosen and returns its value in
 * the current stage (coverage, or the total when the coverage is kept), or
 * -1 when it misses the coverage stage 2 must keep.
 */
static double lp_round(struct lp *L, const double *x, bool *chosen)
{
	memset(L->deg, 0, L->n * sizeof(*L->deg));
	for (size_t k = 0; k < L->m; k++)
		chosen[k] = false;
	for (int pass = 0; pass < 3; pass++)
		for (size_t r = 0; r < L->m; r++) {
			size_t k = L->order[r];
			int u = L->e[k].u, v = L->e[k].v;
			if (chosen[k] || L->deg[u] >= L->cap[u] || L->deg[v] >= L->cap[v])
				continue;
			double xk = L->col_of[k] ? x[k] : 0.0;
			if ((pass == 0 && xk < 1.0 - INT_EPS) || (pass == 1 && xk <= INT_EPS) ||
			    (pass == 2 && !((L->ycol[u] && !L->deg[u]) || (L->ycol[v] && !L->deg[v]))))
				continue;
			chosen[k] = true;
			L->deg[u]++;
			L->deg[v]++;
		}
	int cover = 0;
	double total = 0.0;
	for (size_t i = 0; i < L->n; i++)
		cover += L->ycol[i] && L->deg[i];
	for (size_t k = 0; k < L->m; k++)
		total += chosen[k] ? (double)L->e[k].w : 0.0;
	if (L->stage == 1)
		return cover;
	return cover >= L->floor ? total : -1.0;
}

/* The LP's edge values into x (by edge; edges outside the LP untouched). */
static void lp_values(const struct lp *L, double *x)
{
	int cols = glp_get_num_cols(L->P);
	for (int j = L->n_y + 1; j <= cols; j++)
		x[L->edge_of[j - L->n_y - 1]] = glp_get_col_prim(L->P, j);
}

/*
 * Solve the current stage exactly over every edge, growing the restricted LP:
 * price edges in until none has a positive reduced cost (the LP optimum z of
 * the full relaxation); an integral LP optimum is the answer. Otherwise solve
 * the integer program on the restricted edges (total t); if z < t + 1 no
 * integer solution beats t. Otherwise any better solution uses only edges
 * whose reduced cost d has z + d ≥ t + 1 (a solution with x_e = 1 has total at
 * most z + d_e, all reduced costs being ≤ 0 at the optimum): add them and
 * solve once more. Fills chosen. Returns 0 or ERR_INTERNAL.
 */
static int lp_stage(struct lp *L, size_t *buf, int *scratch, double *x, bool *chosen,
		    struct broker_match_info *info)
{
	int rc, rounds = 0;
	for (;;) {
		if ((rc = lp_solve(L)))
			return rc;
		if (lp_price(L, buf)) {
			if (info)
				info->pricing_rounds++;
			continue;
		}
		if (lp_integral(L))
			break;
		/* A rounding as good as the bound allows is optimal. */
		lp_values(L, x);
		if (lp_round(L, x, chosen) >= floor(glp_get_obj_val(L->P) + BOUND_EPS)) {
			if (info)
				info->rounded = true;
			return 0;
		}
		int cuts = rounds++ < MAX_CUT_ROUNDS ? lp_cut(L, scratch, x) : 0;
		if (!cuts)
			break;
		if (info)
			info->cuts += cuts;
	}
	if (lp_integral(L)) {
		lp_read(L, false, chosen);
		if (info && L->stage == 2)
			info->lp_integral = true;
		return 0;
	}
	double z = glp_get_obj_val(L->P), t;
	if (info)
		info->integer_programs++;
	if ((rc = lp_intopt(L, &t)))
		return rc;
	t = floor(t + 0.5);
	if (z >= t + 1.0 - BOUND_EPS) {
		size_t cnt = 0;
		for (size_t k = 0; k < L->m; k++)
			if (!L->col_of[k] && z + lp_reduced(L, k) >= t + 1.0 - BOUND_EPS)
				buf[cnt++] = k;
		if (cnt) {
			lp_add_edges(L, buf, cnt);
			if (info) {
				info->fixed_in += cnt;
				info->integer_programs++;
			}
			if ((rc = lp_solve(L)) || (rc = lp_intopt(L, &t)))
				return rc;
		}
	}
	lp_read(L, true, chosen);
	return 0;
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

/* The check every entry point makes: edges between distinct vertices with positive weight, capacities ≥ 0. */
static int check_input(size_t n, const int *cap, const struct broker_edge *e, size_t m, bool *chosen)
{
	for (size_t k = 0; k < m; k++) {
		chosen[k] = false;
		if (e[k].u < 0 || e[k].v < 0 || (size_t)e[k].u >= n || (size_t)e[k].v >= n || e[k].u == e[k].v ||
		    e[k].w <= 0)
			return ERR_INVALID;
	}
	for (size_t i = 0; i < n; i++)
		if (cap[i] < 0)
			return ERR_INVALID;
	return 0;
}

int broker_match(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		 bool *chosen)
{
	struct broker_flow_info info;
	int rc = broker_match_flow(n, cap, covered, e, m, chosen, &info);
	if (rc || info.settled)
		return rc;
	return broker_match_ex(n, cap, covered, e, m, chosen, NULL);
}

int broker_match_ex(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
		    bool *chosen, struct broker_match_info *info)
{
	int seed_edges = info ? info->seed_edges : 0;
	if (info)
		memset(info, 0, sizeof(*info));
	int rc = check_input(n, cap, e, m, chosen);
	if (rc || m == 0)
		return rc;
	size_t nn = n ? n : 1;
	struct lp L = {.n = n, .m = m, .e = e, .stage = 1, .cap = cap};
	int *deg = calloc(nn, sizeof(*deg));
	L.cap_row = calloc(nn, sizeof(*L.cap_row));
	L.cover_row = calloc(nn, sizeof(*L.cover_row));
	L.ycol = calloc(nn, sizeof(*L.ycol));
	L.col_of = calloc(m, sizeof(*L.col_of));
	L.edge_of = malloc(m * sizeof(*L.edge_of));
	L.dual = malloc((2 * nn + 2 + MAX_CUTS) * sizeof(*L.dual));
	L.cut_row = malloc(MAX_CUTS * sizeof(*L.cut_row));
	L.cut_in = malloc(MAX_CUTS * nn);
	int *scratch = malloc((3 * nn + m + 2) * sizeof(*scratch));
	double *x = malloc((2 * m + nn + 2) * sizeof(*x));
	size_t *order = malloc(m * sizeof(*order)), *buf = malloc((m > nn ? m : nn) * sizeof(*buf));
	size_t *adj_start = calloc(nn + 1, sizeof(*adj_start)), *adj = malloc(2 * m * sizeof(*adj));
	bool *in_seed = calloc(m, sizeof(*in_seed));
	if (!L.cap_row || !L.cover_row || !L.ycol || !L.col_of || !L.edge_of || !L.dual || !order || !buf ||
	    !adj_start || !adj || !deg || !in_seed || !L.cut_row || !L.cut_in || !scratch || !x)
		abort();

	/* Every edge heaviest first; each vertex's edges heaviest first (a stable pass over that order). */
	for (size_t k = 0; k < m; k++) {
		order[k] = k;
		adj_start[e[k].u + 1]++;
		adj_start[e[k].v + 1]++;
	}
	qsort_r(order, m, sizeof(*order), cmp_heavier, (void *)e);
	L.order = order;
	L.deg = deg;
	for (size_t i = 0; i < n; i++)
		adj_start[i + 1] += adj_start[i];
	size_t *fill = buf; /* borrowed until the LP needs it */
	memcpy(fill, adj_start, n * sizeof(*fill));
	for (size_t r = 0; r < m; r++) {
		size_t k = order[r];
		adj[fill[e[k].u]++] = k;
		adj[fill[e[k].v]++] = k;
	}

	/* Rows and y columns, as in broker_match_ip. */
	int nrows = 0;
	for (size_t i = 0; i < n; i++)
		if (adj_start[i + 1] > adj_start[i])
			L.cap_row[i] = ++nrows;
	for (size_t i = 0; i < n; i++)
		if (L.cap_row[i] && !(covered && covered[i]) && cap[i] > 0) {
			L.cover_row[i] = ++nrows;
			L.ycol[i] = ++L.n_y;
		}
	L.floor_row = ++nrows;

	/* The greedy cover: heaviest first, an edge that covers a vertex not yet covered, while both have room. */
	int greedy_cover = 0;
	for (size_t r = 0; r < m; r++) {
		size_t k = order[r];
		int u = e[k].u, v = e[k].v;
		bool gain = (L.ycol[u] && !deg[u]) || (L.ycol[v] && !deg[v]);
		if (!gain || deg[u] >= cap[u] || deg[v] >= cap[v])
			continue;
		greedy_cover += (L.ycol[u] && !deg[u]) + (L.ycol[v] && !deg[v]);
		deg[u]++;
		deg[v]++;
		in_seed[k] = true;
	}
	/* The seed: the greedy cover's edges and each vertex's 2·cap + 2 heaviest edges. */
	for (size_t i = 0; i < n; i++) {
		size_t keep = seed_edges > 0 ? (size_t)seed_edges : 2 * (size_t)cap[i] + 2;
		for (size_t a = adj_start[i]; a < adj_start[i + 1] && a - adj_start[i] < keep; a++)
			in_seed[adj[a]] = true;
	}

	pthread_mutex_lock(&broker_solver_lock);
	glp_term_out(GLP_OFF);
	L.P = glp_create_prob();
	glp_set_obj_dir(L.P, GLP_MAX);
	glp_add_rows(L.P, nrows);
	for (size_t i = 0; i < n; i++) {
		if (L.cap_row[i])
			glp_set_row_bnds(L.P, L.cap_row[i], GLP_UP, 0.0, (double)cap[i]);
		if (L.cover_row[i])
			glp_set_row_bnds(L.P, L.cover_row[i], GLP_UP, 0.0, 0.0);
	}
	glp_set_row_bnds(L.P, L.floor_row, GLP_FR, 0.0, 0.0);
	if (L.n_y) {
		glp_add_cols(L.P, L.n_y);
		for (size_t i = 0; i < n; i++) {
			if (!L.ycol[i])
				continue;
			int ind[3] = {0, L.cover_row[i], L.floor_row};
			double val[3] = {0.0, 1.0, 1.0};
			glp_set_mat_col(L.P, L.ycol[i], 2, ind, val);
			glp_set_col_kind(L.P, L.ycol[i], GLP_BV);
		}
	}
	size_t cnt = 0;
	for (size_t k = 0; k < m; k++)
		if (in_seed[k])
			buf[cnt++] = k;
	lp_add_edges(&L, buf, cnt);
	glp_adv_basis(L.P, 0); /* a triangular crash basis: the first solve takes about a third less */

	/* Stage 1: settled when the greedy cover reaches every vertex that could be covered. */
	int best_cover = greedy_cover;
	if (greedy_cover < L.n_y) {
		for (int j = 1; j <= L.n_y; j++)
			glp_set_obj_coef(L.P, j, 1.0);
		if ((rc = lp_stage(&L, buf, scratch, x, chosen, info)))
			goto out;
		memset(deg, 0, nn * sizeof(*deg));
		best_cover = 0;
		for (size_t k = 0; k < m; k++)
			if (chosen[k]) {
				best_cover += (L.ycol[e[k].u] && !deg[e[k].u]) + (L.ycol[e[k].v] && !deg[e[k].v]);
				deg[e[k].u]++;
				deg[e[k].v]++;
			}
		for (int j = 1; j <= L.n_y; j++)
			glp_set_obj_coef(L.P, j, 0.0);
		/* A rounding may use edges outside the LP: stage 2 must be able to keep its coverage. */
		cnt = 0;
		for (size_t k = 0; k < m; k++)
			if (chosen[k] && !L.col_of[k])
				buf[cnt++] = k;
		lp_add_edges(&L, buf, cnt);
	} else if (info)
		info->greedy_cover = true;

	/* Stage 2: keep that coverage, largest total. */
	L.stage = 2;
	L.floor = best_cover;
	glp_set_row_bnds(L.P, L.floor_row, GLP_LO, (double)best_cover, 0.0);
	for (size_t k = 0; k < m; k++)
		if (L.col_of[k])
			glp_set_obj_coef(L.P, L.col_of[k], lp_obj(&L, k));
	rc = lp_stage(&L, buf, scratch, x, chosen, info);
	if (info)
		info->lp_columns = L.in;
out:
	glp_delete_prob(L.P);
	glp_free_env();
	pthread_mutex_unlock(&broker_solver_lock);
	free(L.cap_row);
	free(L.cover_row);
	free(L.ycol);
	free(L.col_of);
	free(L.edge_of);
	free(L.dual);
	free(L.cut_row);
	free(L.cut_in);
	free(scratch);
	free(x);
	free(order);
	free(buf);
	free(adj_start);
	free(adj);
	free(deg);
	free(in_seed);
	if (rc)
		for (size_t k = 0; k < m; k++)
			chosen[k] = false;
	return rc;
}
