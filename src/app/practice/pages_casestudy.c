// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_casestudy.c — the pages of case studies, each one URL in HTML and
 * JSON: the network's list with the form to write one, a case study, its
 * edit form (the author; a draft becomes finished), widening to the network
 * with the lead's approval and narrowing again, and the one-click draft
 * from a closed partnership. The measures of impact are rows of one form
 * (fields m_name_<n>, m_baseline_<n>, m_result_<n>, m_method_<n>); "Add
 * another measure" sends the whole form back and shows it again with one
 * more row, so nothing typed is lost. No SQL: casestudy.c does the work
 * and asks the policy.
 */
#include "app/practice/casestudy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/networks/pages.h"
#include "app/page.h"
#include "core/arena.h"

/* The four fields of a measure row, as the form names them (m_<field>_<n>). */
static const char *const measure_fields[] = {"name", "baseline", "result", "method"};
#define MEASURE_FIELDS 4
/* The most rows a form may send. */
#define ROWS_MAX 50

/* Open the page (signed in) and the network: 0, or the answer already set. */
static int open_network(struct request *req, struct response *res, struct page *pg, struct practice_ctx *c)
{
	int rc = page_open(req, res, PAGE_SIGNED_IN, pg);
	if (rc)
		return rc;
	if ((rc = practice_open(pg->db, pg->a, pg->u, req_path_str(req, "slug"), c)))
		return page_fail(pg, rc, NULL);
	return 0;
}

/* The parameters of the case study form (new and edit). */
static const struct param_spec case_params[] = {
	PARAM(.name = "title", .type = PARAM_STRING, .max = PRACTICE_TITLE_MAX, .label = "Title"),
	PARAM(.name = "challenge", .type = PARAM_TEXT, .max = PRACTICE_CASE_TEXT_MAX, .label = "The challenge"),
	PARAM(.name = "what_we_did", .type = PARAM_TEXT, .max = PRACTICE_CASE_TEXT_MAX, .label = "What we did"),
	PARAM(.name = "did_not_work", .type = PARAM_TEXT, .max = PRACTICE_CASE_TEXT_MAX, .label = "What did not work"),
	PARAM(.name = "differently", .type = PARAM_TEXT, .max = PRACTICE_CASE_TEXT_MAX,
	      .label = "What we would do differently"),
	PARAM(.name = "time_cost", .type = PARAM_TEXT, .max = PRACTICE_CASE_TEXT_MAX, .label = "Time and cost"),
	PARAM(.name = "contact", .type = PARAM_STRING, .max = PRACTICE_CASE_SHORT_MAX, .label = "Contact"),
	PARAM(.name = "licence", .type = PARAM_ENUM, .choices = practice_licences, .label = "Licence"),
	PARAM(.name = "themes", .type = PARAM_STRING, .flags = PARAM_MULTI, .max = 40, .label = "Themes"),
	PARAM(.name = "m_name_{n}", .type = PARAM_STRING, .max = PRACTICE_CASE_SHORT_MAX, .label = "Measure"),
	PARAM(.name = "m_baseline_{n}", .type = PARAM_STRING, .max = PRACTICE_CASE_SHORT_MAX, .label = "Baseline"),
	PARAM(.name = "m_result_{n}", .type = PARAM_STRING, .max = PRACTICE_CASE_SHORT_MAX, .label = "Result"),
	PARAM(.name = "m_method_{n}", .type = PARAM_STRING, .max = PRACTICE_CASE_SHORT_MAX * 2,
	      .label = "How it was measured"),
	PARAM(.name = "add_row", .type = PARAM_BOOL, .label = "Add another measure"),
	PARAM_END,
};

/* Compare row numbers for qsort. */
static int cmp_row(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* The row numbers the form sent (any of the four fields), ascending and distinct, at most ROWS_MAX: *n. */
static int64_t *form_rows(struct request *req, struct arena *a, size_t *n)
{
	int64_t *rows = arena_calloc(a, ROWS_MAX * MEASURE_FIELDS, sizeof(*rows));
	size_t k = 0;
	for (int f = 0; f < MEASURE_FIELDS; f++) {
		const char *pattern = arena_printf(a, "m_%s_{n}", measure_fields[f]);
		int64_t key;
		for (size_t i = 0; k < ROWS_MAX * MEASURE_FIELDS && req_each(req, pattern, i, &key); i++)
			rows[k++] = key;
	}
	qsort(rows, k, sizeof(*rows), cmp_row);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || rows[u - 1] != rows[i])
			rows[u++] = rows[i];
	*n = u < ROWS_MAX ? u : ROWS_MAX;
	return rows;
}

/* A field's value as typed (valid or not), or "". */
static const char *typed(json_t *values, const char *name)
{
	json_t *v = json_object_get(values, name);
	if (json_is_array(v))
		v = json_array_get(v, json_array_size(v) - 1);
	return json_is_string(v) ? json_string_value(v) : "";
}

/*
 * Read the form into in (valid values; in->measures in the arena) and its
 * rows as typed into *rows ([{row, name, baseline, result, method}], new).
 */
static void read_form(struct request *req, struct arena *a, struct practice_case_in *in, json_t **rows)
{
	memset(in, 0, sizeof(*in));
	in->title = req_str(req, "title");
	in->challenge = req_str(req, "challenge");
	in->what_we_did = req_str(req, "what_we_did");
	in->did_not_work = req_str(req, "did_not_work");
	in->differently = req_str(req, "differently");
	in->time_cost = req_str(req, "time_cost");
	in->contact = req_str(req, "contact");
	in->licence = req_str(req, "licence");
	const char *const *themes = NULL;
	in->n_themes = req_multi(req, "themes", &themes);
	in->themes = themes;
	size_t n = 0;
	int64_t *keys = form_rows(req, a, &n);
	struct practice_measure_in *ms = arena_calloc(a, n ? n : 1, sizeof(*ms));
	json_t *values = req_form_values(req);
	*rows = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *v[MEASURE_FIELDS];
		json_t *row = json_pack("{sI}", "row", (json_int_t)keys[i]);
		for (int f = 0; f < MEASURE_FIELDS; f++) {
			const char *name = arena_printf(a, "m_%s_%lld", measure_fields[f], (long long)keys[i]);
			v[f] = req_str(req, name);
			json_object_set_new(row, measure_fields[f], json_string(typed(values, name)));
		}
		ms[i] = (struct practice_measure_in){.name = v[0], .baseline = v[1], .result = v[2], .method = v[3],
						     .row = keys[i]};
		json_array_append_new(*rows, row);
	}
	json_decref(values);
	in->measures = ms;
	in->n_measures = n;
}

/*
 * Give the form's model m what the template needs: theme checkboxes
 * (chosen: the names ticked), licence radios (licence), the measure rows
 * (rows, taken; one empty row more when extra or when there is none) with
 * each row's messages from errors (may be NULL).
 */
static void form_model(json_t *m, json_t *chosen, const char *licence, json_t *rows, bool extra, json_t *errors)
{
	json_t *choices = json_array(), *t;
	size_t i, j;
	json_array_foreach(json_object_get(m, "themes"), i, t)
	{
		bool on = false;
		json_t *c;
		json_array_foreach(chosen, j, c) on = on || json_equal(c, t);
		json_array_append_new(choices, json_pack("{sO sb sI}", "name", t, "checked", on, "i", (json_int_t)i));
	}
	json_object_set_new(m, "theme_choices", choices);
	json_t *lic = json_array();
	for (int k = 0; practice_licences[k]; k++) {
		json_t *l = json_object_get(m, "licences");
		const char *label = json_string_value(json_object_get(json_array_get(l, (size_t)k), "label"));
		json_array_append_new(lic, json_pack("{ss ss sb}", "value", practice_licences[k], "label", label ? label : "",
						     "checked", strcmp(licence && *licence ? licence : "cc_by",
								       practice_licences[k]) == 0));
	}
	json_object_set_new(m, "licence_choices", lic);
	int64_t last = 0;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		int64_t n = json_integer_value(json_object_get(r, "row"));
		last = n > last ? n : last;
		for (int f = 0; errors && f < MEASURE_FIELDS; f++) {
			char key[64];
			snprintf(key, sizeof(key), "m_%s_%lld", measure_fields[f], (long long)n);
			json_t *e = json_object_get(errors, key);
			if (e) {
				snprintf(key, sizeof(key), "%s_error", measure_fields[f]);
				json_object_set(r, key, e);
			}
		}
	}
	if (extra || json_array_size(rows) == 0)
		json_array_append_new(rows, json_pack("{sI ss ss ss ss}", "row", (json_int_t)last + 1, "name", "",
						      "baseline", "", "result", "", "method", ""));
	json_object_set_new(m, "rows", rows);
}

/* The list's model with its title, or NULL (the refusal already answered: *rc is what to return). */
static json_t *cases_model(struct page *pg, const struct practice_ctx *c, int *rc)
{
	json_t *m = NULL;
	*rc = practice_cases(pg->db, pg->a, c, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_sprintf("Case studies: %s", c->name));
	json_object_set_new(m, "action", json_sprintf("/networks/%s/cases", c->slug));
	json_object_set_new(m, "menu", net_nav_can(&c->nacc));
	return m;
}

/*
 * GET /networks/{slug}/cases
 * The case studies the person may see, newest first, and the form to write
 * one (staff and leads of member schools) with their school's context from
 * the register.
 */
static int handle_case_list(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = cases_model(&pg, &c, &rc);
	practice_close(&c);
	if (!m)
		return rc;
	form_model(m, NULL, "cc_by", json_array(), false, NULL);
	res_view(res, 200, "practice/case_list", m);
	return 0;
}

/*
 * POST /networks/{slug}/cases
 * Write a case study: title, challenge, what_we_did, did_not_work
 * (required), differently, time_cost (texts up to 4,000 characters),
 * contact, licence (cc_by, cc_by_nc_sa, members), themes (repeated), and
 * measures m_name_<n>, m_baseline_<n>, m_result_<n>, m_method_<n> (at least
 * one). add_row=1 shows the form again with one more measure row, saving
 * nothing. Staff and leads of member schools; 303 to the case study.
 */
static int handle_case_add(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	struct practice_case_in in;
	json_t *rows;
	read_form(req, pg.a, &in, &rows);
	json_t *errors = page_errors(&pg);
	int64_t id = 0;
	bool add_row = req_bool(req, "add_row");
	if (add_row)
		rc = practice_can_post(&c.acc) ? 0 : ERR_FORBIDDEN;
	else
		rc = json_object_size(errors) ? ERR_INVALID : practice_case_add(pg.db, pg.a, &c, &in, errors, &id);
	if (rc == ERR_INVALID || (add_row && rc == 0)) {
		int mrc;
		json_t *m = cases_model(&pg, &c, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			json_decref(rows);
			return mrc;
		}
		json_t *chosen = json_array();
		for (size_t i = 0; i < in.n_themes; i++)
			json_array_append_new(chosen, json_string(in.themes[i]));
		form_model(m, chosen, in.licence, rows, add_row, errors);
		json_decref(chosen);
		if (add_row) {
			json_decref(errors);
			json_object_set_new(m, "form", req_form_values(req));
			json_object_set_new(m, "added_row", json_true());
			res_view(res, 200, "practice/case_list", m);
			return 0;
		}
		return page_form_fail(&pg, rc, errors, "practice/case_list", m, "case-");
	}
	json_decref(rows);
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/cases/%lld", slug, (long long)id);
}

/* One case study's model with its title, or NULL (the refusal already answered). */
static json_t *case_model(struct page *pg, const struct practice_ctx *c, int64_t id, int *rc)
{
	json_t *m = NULL;
	*rc = practice_case(pg->db, pg->a, c, id, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_string(json_string_value(json_object_get(json_object_get(m, "case"), "title"))));
	return m;
}

/*
 * GET /networks/{slug}/cases/{id}
 * One case study: the school's context, the challenge, what was done, the
 * measures of impact, what did not work, and what the person may do. 404
 * for anyone its visibility excludes, as if it did not exist.
 */
static int handle_case_show(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = case_model(&pg, &c, req_path_int(req, "id"), &rc);
	practice_close(&c);
	if (!m)
		return rc;
	res_view(res, 200, "practice/case_show", m);
	return 0;
}

/* The edit form's model for case study id as stored, or NULL (the refusal already answered). */
static json_t *edit_model(struct page *pg, const struct practice_ctx *c, int64_t id, int *rc)
{
	json_t *m = case_model(pg, c, id, rc);
	if (!m)
		return NULL;
	json_t *cs = json_object_get(m, "case");
	if (!json_is_true(json_object_get(cs, "can_edit"))) {
		json_decref(m);
		*rc = page_fail(pg, ERR_FORBIDDEN, "Only the author of a case study can change it.");
		return NULL;
	}
	json_t *lists = NULL;
	if ((*rc = practice_cases(pg->db, pg->a, c, &lists))) {
		json_decref(m);
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set(m, "themes", json_object_get(lists, "themes"));
	json_object_set(m, "licences", json_object_get(lists, "licences"));
	json_decref(lists);
	json_object_set_new(m, "action", json_sprintf("/networks/%s/cases/%lld", c->slug, (long long)id));
	json_object_set_new(m, "title", json_sprintf("Change: %s", json_string_value(json_object_get(cs, "title"))));
	return m;
}

/*
 * GET /networks/{slug}/cases/{id}/edit
 * The author's form to change a case study (a draft made from a partnership
 * is checked and finished here), filled with what it holds.
 */
static int handle_case_edit(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = edit_model(&pg, &c, req_path_int(req, "id"), &rc);
	practice_close(&c);
	if (!m)
		return rc;
	json_t *cs = json_object_get(m, "case");
	json_t *form = json_object();
	static const char *const fields[] = {"title", "challenge", "what_we_did", "did_not_work", "differently",
					     "time_cost", "contact", NULL};
	for (int i = 0; fields[i]; i++)
		json_object_set(form, fields[i], json_object_get(cs, fields[i]));
	json_object_set_new(m, "form", form);
	form_model(m, json_object_get(cs, "themes"), json_string_value(json_object_get(cs, "licence")),
		   json_deep_copy(json_object_get(cs, "measures")), false, NULL);
	res_view(res, 200, "practice/case_edit", m);
	return 0;
}

/*
 * POST /networks/{slug}/cases/{id}
 * The author changes the case study (the fields of POST …/cases); a draft
 * becomes finished once it passes the rules (what did not work, a measure).
 * add_row=1 shows the form again with one more row. 303 to the case study.
 */
static int handle_case_update(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id");
	struct practice_case_in in;
	json_t *rows;
	read_form(req, pg.a, &in, &rows);
	json_t *errors = page_errors(&pg);
	bool add_row = req_bool(req, "add_row");
	rc = add_row || json_object_size(errors) ? (add_row ? 0 : ERR_INVALID)
						 : practice_case_update(pg.db, pg.a, &c, id, &in, errors);
	if (rc == ERR_INVALID || (add_row && rc == 0)) {
		int mrc;
		json_t *m = edit_model(&pg, &c, id, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			json_decref(rows);
			return mrc;
		}
		json_t *chosen = json_array();
		for (size_t i = 0; i < in.n_themes; i++)
			json_array_append_new(chosen, json_string(in.themes[i]));
		form_model(m, chosen, in.licence, rows, add_row, errors);
		json_decref(chosen);
		if (add_row) {
			json_decref(errors);
			json_object_set_new(m, "form", req_form_values(req));
			json_object_set_new(m, "added_row", json_true());
			res_view(res, 200, "practice/case_edit", m);
			return 0;
		}
		return page_form_fail(&pg, rc, errors, "practice/case_edit", m, "case-");
	}
	json_decref(rows);
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/cases/%lld", slug, (long long)id);
}

/* widen, narrow, approve or refuse: what the visibility handlers share. */
enum case_change { CASE_WIDEN, CASE_NARROW, CASE_APPROVE, CASE_REFUSE };

/* Make change what to case study {id}; 303 to it. */
static int case_change(struct request *req, struct response *res, enum case_change what)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id");
	switch (what) {
	case CASE_WIDEN:
		rc = practice_case_widen(pg.db, &c, id, practice_vis_param(req_str(req, "to"), PRACTICE_VIS_NETWORK));
		break;
	case CASE_NARROW:
		rc = practice_case_narrow(pg.db, &c, id, practice_vis_param(req_str(req, "to"), PRACTICE_VIS_SCHOOL));
		break;
	case CASE_APPROVE: rc = practice_case_decide(pg.db, &c, id, true); break;
	case CASE_REFUSE: rc = practice_case_decide(pg.db, &c, id, false); break;
	}
	const char *slug = c.slug;
	practice_close(&c);
	if (rc == ERR_CONFLICT || rc == ERR_INVALID)
		return page_fail(&pg, rc, practice_change_refusal(rc));
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/cases/%lld", slug, (long long)id);
}

/* POST …/widen parameters: how wide (the network when absent). */
static const char *const widen_choices[] = {"partnership", "network", NULL};
static const struct param_spec widen_params[] = {
	PARAM(.name = "to", .type = PARAM_ENUM, .choices = widen_choices, .label = "Share with"),
	PARAM_END,
};

/* POST …/narrow parameters: how narrow (the school when absent). */
static const char *const narrow_choices[] = {"school", "partnership", NULL};
static const struct param_spec narrow_params[] = {
	PARAM(.name = "to", .type = PARAM_ENUM, .choices = narrow_choices, .label = "Keep it with"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/cases/{id}/widen
 * The author asks for the case study (not a draft) to be seen by the
 * partner schools (`to` partnership) or the whole network (`to` network,
 * the default); it stays where it is until a lead of the school approves.
 * 409 when a request is waiting or it is that wide already; 400 for a
 * draft, or the partner schools when the school has none.
 */
static int handle_case_widen(struct request *req, struct response *res)
{
	return case_change(req, res, CASE_WIDEN);
}

/* POST /networks/{slug}/cases/{id}/narrow: the author keeps it within the school (or the partner schools, `to`) again. */
static int handle_case_narrow(struct request *req, struct response *res)
{
	return case_change(req, res, CASE_NARROW);
}

/* POST /networks/{slug}/cases/{id}/approve: a lead of its school shares it with the network (never their own). */
static int handle_case_approve(struct request *req, struct response *res)
{
	return case_change(req, res, CASE_APPROVE);
}

/* POST /networks/{slug}/cases/{id}/refuse: a lead of its school keeps it within the school. */
static int handle_case_refuse(struct request *req, struct response *res)
{
	return case_change(req, res, CASE_REFUSE);
}

/*
 * POST /partnerships/{id}/case-study
 * One click: a draft case study from the closed partnership, filled from
 * its purpose, measures and reflections, for the person's school. A lead
 * of a partner school; 409 while it is open. 303 to the draft's edit form.
 */
static int handle_case_from_partnership(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const char *slug = NULL;
	int64_t id = 0;
	rc = practice_case_from_partnership(pg.db, pg.a, pg.u, req_path_int(req, "id"), &slug, &id);
	if (rc == ERR_CONFLICT)
		return page_fail(&pg, rc, "The partnership is still open: review and close it first, then make the case "
					  "study from it.");
	if (rc == ERR_FORBIDDEN)
		return page_fail(&pg, rc, "A lead of a partner school, in a member school of the network, makes the case "
					  "study from a partnership.");
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/cases/%lld/edit", slug, (long long)id);
}

#define FORM ROUTE_OWN_ERRORS

const struct route practice_case_routes[] = {
	{HTTP_GET, "/networks/{slug}/cases", handle_case_list, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/cases", handle_case_add, case_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/cases/{id:int}", handle_case_show, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/cases/{id:int}", handle_case_update, case_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/cases/{id:int}/edit", handle_case_edit, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/cases/{id:int}/widen", handle_case_widen, widen_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/cases/{id:int}/narrow", handle_case_narrow, narrow_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/cases/{id:int}/approve", handle_case_approve, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/cases/{id:int}/refuse", handle_case_refuse, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/case-study", handle_case_from_partnership, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
