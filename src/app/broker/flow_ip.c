// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * flow_ip.c — the integer programs that settle the broker's exact
 * b-matching (flow.c, step 3 of its top comment): the few hundred edges the
 * relaxation's bound cannot rule out for a total above a floor, and those
 * it fixes in; the program over them solved by our own branch and bound
 * (flow_bb.c), or by GLPK's (flow_program, started from the relaxation's
 * basis) when ours gives up (FLOW_BB_WORK). One GLPK solve at a
 * time (broker_solver_lock: GLPK keeps state of its own).
 */
#include "app/broker/flow_int.h"

#include <glpk.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * A starting basis for the simplex from the relaxation's solution (F->half):
 * its half edges basic, its whole edges at their bounds, the rows of the
 * schools on half edges at their bounds, the other rows basic. When the
 * half edges make odd cycles (the relaxation's usual fractional part) this
 * is a basis, and an optimal or nearly optimal one: the simplex then takes
 * a few iterations where from GLPK's own start it took hundreds. Returns
 * whether the counts make a basis (else GLPK's start is used).
 */
static bool fm_basis(const struct fm *F, glp_prob *P, const size_t *ks, size_t cnt, const int *row, const int *rcap,
		     const bool *rmust)
{
	size_t n = F->n;
	int64_t *deg2 = calloc(n ? n : 1, sizeof(*deg2));
	bool *on_half = calloc(n ? n : 1, sizeof(*on_half));
	if (!deg2 || !on_half)
		abort();
	int basic = 0, rows = glp_get_num_rows(P);
	for (size_t i = 0; i < cnt; i++) {
		const struct broker_edge *ed = &F->e[ks[i]];
		int64_t h = F->half[ks[i]];
		deg2[ed->u] += h;
		deg2[ed->v] += h;
		int st = h == 2 ? GLP_NU : h == 1 ? GLP_BS : GLP_NL;
		basic += h == 1;
		if (h == 1)
			on_half[ed->u] = on_half[ed->v] = true;
		glp_set_col_stat(P, (int)i + 1, st);
	}
	for (size_t v = 0; v < n; v++) {
		if (!row[v])
			continue;
		int st = GLP_BS;
		if (on_half[v]) {
			if (rmust[v] && rcap[v] == 1)
				st = GLP_NS;
			else if (deg2[v] == 2 * (int64_t)rcap[v])
				st = GLP_NU;
			else if (rmust[v] && deg2[v] == 2)
				st = GLP_NL;
		}
		basic += st == GLP_BS;
		glp_set_row_stat(P, row[v], st);
	}
	free(deg2);
	free(on_half);
	return basic == rows;
}

/*
 * The integer program over the edges ks[0..cnt): capacities rcap, coverage
 * of the schools rmust says must be covered, largest total. Fills chosen
 * and *total when it has a solution; *total = -1 when it has none. 0 or
 * ERR_INTERNAL.
 */
int flow_program(const struct fm *F, const size_t *ks, size_t cnt, const int *rcap, const bool *rmust, bool *chosen,
		 int64_t *total)
{
	size_t n = F->n;
	int *row = calloc(n ? n : 1, sizeof(*row));
	int *ia = malloc((2 * cnt + 1) * sizeof(*ia)), *ja = malloc((2 * cnt + 1) * sizeof(*ja));
	double *ar = malloc((2 * cnt + 1) * sizeof(*ar));
	if (!row || !ia || !ja || !ar)
		abort();
	int rc = 0, rows = 0, nz = 0;
	*total = -1;
	for (size_t v = 0; v < n; v++)
		if (rmust[v])
			row[v] = ++rows; /* a must-cover school needs its row even without an edge: then no solution */
	for (size_t i = 0; i < cnt; i++) {
		int ends[2] = {F->e[ks[i]].u, F->e[ks[i]].v};
		for (int s = 0; s < 2; s++) {
			if (!row[ends[s]])
				row[ends[s]] = ++rows;
			nz++;
			ia[nz] = row[ends[s]];
			ja[nz] = (int)i + 1;
			ar[nz] = 1.0;
		}
	}
	pthread_mutex_lock(&broker_solver_lock);
	glp_term_out(GLP_OFF);
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MAX);
	if (rows)
		glp_add_rows(P, rows);
	for (size_t v = 0; v < n; v++)
		if (row[v]) {
			if (rmust[v])
				glp_set_row_bnds(P, row[v], rcap[v] > 1 ? GLP_DB : GLP_FX, 1.0, (double)rcap[v]);
			else
				glp_set_row_bnds(P, row[v], GLP_UP, 0.0, (double)rcap[v]);
		}
	if (cnt) {
		glp_add_cols(P, (int)cnt);
		for (size_t i = 0; i < cnt; i++) {
			glp_set_col_kind(P, (int)i + 1, GLP_BV);
			glp_set_obj_coef(P, (int)i + 1, (double)F->e[ks[i]].w);
		}
		glp_load_matrix(P, nz, ia, ja, ar);
	}
	/*
	 * The LP relaxation by the simplex first, then branch and bound
	 * without GLPK's presolver: on these programs (a few hundred edges,
	 * every row a school's capacity) the presolver's hidden covering
	 * inequalities cost more than they save (seed 3 of the bench:
	 * 103 ms a whole run with it, 70 ms without). The simplex starts
	 * from fm_basis's basis when it is one (on the bench's 300-school
	 * networks it is for most programs, and the simplex iterations of
	 * the whole solve fall by a quarter to a half: seed 1 1,390 -> 814,
	 * seed 3 1,065 -> 713, seed 4 498 -> 215), else from GLPK's
	 * standard basis as before. GLPK's preprocessing at every node of the
	 * tree is off too (pp_tech): it tightens nothing on these programs
	 * and costs about a fifth of each node (seed 3: 37 ms -> 26 ms for
	 * the same program, seed 7: 34 -> 25 ms).
	 */
	int grc = GLP_ENOPFS;
	if (cnt) {
		glp_smcp sm;
		glp_init_smcp(&sm);
		sm.msg_lev = GLP_MSG_OFF;
		int src = 1;
		if (fm_basis(F, P, ks, cnt, row, rcap, rmust))
			src = glp_simplex(P, &sm);
		if (src != 0) { /* not a basis after all (singular): GLPK's own start, as before */
			glp_std_basis(P);
			src = glp_simplex(P, &sm);
		}
		if (src == 0 && glp_get_status(P) == GLP_OPT) {
			glp_iocp parm;
			glp_init_iocp(&parm);
			parm.msg_lev = GLP_MSG_OFF;
			parm.presolve = GLP_OFF;
			parm.pp_tech = GLP_PP_NONE;
			parm.mip_gap = 0.0;
			grc = glp_intopt(P, &parm);
		} else if (src != 0 || glp_get_status(P) != GLP_NOFEAS)
			grc = GLP_EFAIL; /* the solver failed: ERR_INTERNAL below */
	}
	if (grc == 0 && glp_mip_status(P) == GLP_OPT) {
		memset(chosen, 0, F->m * sizeof(*chosen));
		int64_t t = 0;
		for (size_t i = 0; i < cnt; i++)
			if (glp_mip_col_val(P, (int)i + 1) > 0.5) {
				chosen[ks[i]] = true;
				t += F->e[ks[i]].w;
			}
		*total = t;
	} else if (!(grc == GLP_ENOPFS || (grc == 0 && glp_mip_status(P) == GLP_NOFEAS)))
		rc = ERR_INTERNAL;
	glp_delete_prob(P);
	glp_free_env();
	pthread_mutex_unlock(&broker_solver_lock);
	free(row);
	free(ia);
	free(ja);
	free(ar);
	return rc;
}

/*
 * Look among the solutions totalling tg + 1 or more (z2: the doubled
 * bound): each takes every edge with z − r_e < tg + 1 (leaving one out
 * costs the bound r_e) and only edges flow_could allows, so the integer
 * program over those, with the capacity the fixed edges leave, finds the
 * best of them or shows there is none. *found: the best it found (with the
 * fixed edges; chosen holds it), or -1 for none. Our branch and bound
 * looks only above tg; GLPK, when it takes over, finds the program's best
 * whatever its total. F->in and F->deg are scratch. 0 or ERR_INTERNAL.
 */
int flow_above(struct fm *F, int64_t z2, int64_t tg, size_t *buf, bool *chosen, int64_t *found,
	       struct broker_flow_info *info)
{
	size_t n = F->n, m = F->m, nn = n ? n : 1;
	const struct broker_edge *e = F->e;
	const int *cap = F->cap;
	*found = -1;
	memset(F->deg, 0, nn * sizeof(*F->deg));
	int64_t fixed_total = 0;
	size_t fixed = 0;
	for (size_t k = 0; k < m; k++) {
		int64_t r = flow_r2(F, k);
		F->in[k] = r > 0 && z2 - r < 2 * tg + 2; /* fixed in */
		if (!F->in[k])
			continue;
		fixed++;
		fixed_total += e[k].w;
		if (++F->deg[e[k].u] > cap[e[k].u] || ++F->deg[e[k].v] > cap[e[k].v])
			return 0; /* the fixed edges alone break a capacity: no such solution */
	}
	size_t cnt = 0;
	for (size_t k = 0; k < m; k++) {
		int u = e[k].u, v = e[k].v;
		if (!F->in[k] && F->deg[u] < cap[u] && F->deg[v] < cap[v] && flow_could(F, k, z2, tg))
			buf[cnt++] = k;
	}
	info->fixed = fixed;
	info->survivors = cnt;
	info->integer_program = true;
	info->programs++;
	int *rcap = malloc(nn * sizeof(*rcap));
	bool *rmust = malloc(nn * sizeof(*rmust));
	if (!rcap || !rmust)
		abort();
	for (size_t v = 0; v < n; v++) {
		rcap[v] = cap[v] - F->deg[v];
		rmust[v] = F->must[v] && !F->deg[v];
	}
	int64_t ip_total;
	long nodes;
	int rc = 0;
	if (flow_bb(F, buf, cnt, rcap, rmust, tg - fixed_total, FLOW_BB_WORK / (long)(cnt + 1), chosen, &ip_total,
		    &nodes)) {
		info->solver_programs++;
		rc = flow_program(F, buf, cnt, rcap, rmust, chosen, &ip_total);
	}
	info->nodes += nodes;
	free(rcap);
	free(rmust);
	if (rc || ip_total < 0)
		return rc;
	for (size_t k = 0; k < m; k++)
		chosen[k] = chosen[k] || F->in[k];
	*found = ip_total + fixed_total;
	return 0;
}
