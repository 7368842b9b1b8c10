// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * match.c — the broker's choice of proposals: a maximum-weight b-matching
 * with coverage first, solved exactly as two integer programs on GLPK (the
 * GNU Linear Programming Kit, Debian's libglpk-dev).
 *
 * Why GLPK and not a blossom b-matching of our own: the problem is not a
 * plain b-matching. "Every school that has any possible partner gets at
 * least one proposal, then the largest total" is a lexicographic objective
 * with a coverage term, which a blossom algorithm handles only through a
 * gadget graph (each vertex split into b copies, each edge into a path of
 * three) whose size and subtlety make our own implementation the riskiest
 * code in the product. As integer programs it is a dozen lines any reader can
 * check against the statement below, solved by a solver that has been kept
 * for twenty years and is in Debian. The unit tests check the optimum
 * against brute force. Its cost grows with the number of possible pairs:
 * a network of 12 schools takes about 2 ms, one of 300 schools where most
 * pairs share a theme (27,000 pairs) about 4 s (bench/RESULTS.md) — exact,
 * but slower than the 50 ms the issue asks for; a combinatorial method
 * would be needed for that.
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
 */
#include "app/broker/engine.h"

#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t solver_lock = PTHREAD_MUTEX_INITIALIZER;

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

int broker_match(size_t n, const int *cap, const bool *covered, const struct broker_edge *e, size_t m,
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
	pthread_mutex_lock(&solver_lock);
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
	pthread_mutex_unlock(&solver_lock);
	free(cover_row);
	free(ycol);
	free(deg);
	free(ia);
	free(ja);
	free(ar);
	return rc;
}
