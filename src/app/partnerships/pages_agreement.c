// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_agreement.c — a partnership's page (its state, partner schools,
 * what the agreement still needs and who has signed; coordinators see only
 * the summary) and the agreement on the five foundations: the one form the
 * partner schools' leads fill in together, with guidance on each section,
 * rows for new impact measures and risks (m_name_1, r_risk_2 …) and a
 * message by each field that is wrong, so that nothing typed is ever lost;
 * the agreement as text for everyone else at the partner schools; signing
 * where it is read; and closing with a closing reflection. The form's
 * anchors start "agreement-"; a partner school's fields are named after it
 * (hours_107897) and, like the rows, declared as name patterns.
 */
#include <stdio.h>
#include <string.h>

#include "app/partnerships/pages.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"

static const char *const yes_no[] = {"yes", "no", NULL};
static const char *const add_kinds[] = {"measure", "risk", NULL};
/* What the agreement page says after signing: signed now, or already signed before. */
static const char *const signed_notes[] = {"now", "already", NULL};

/* The fields of a new measure's row (m_FIELD_ROW) and a new risk's (r_FIELD_ROW), as the form shows them. */
static const char *const measure_fields[] = {"name", "unit", "pupil_group", "baseline", "target",
					     "method", "when", "baseline_on", "target_by", NULL};
static const char *const risk_fields[] = {"risk", "likelihood", "impact", "mitigation", "owner", NULL};

/*
 * POST /partnerships/{id}/agreement. Ranges and lengths of the agreement's
 * values are the pure rules' (agreement.h), so the messages match the page's
 * "what is missing"; the table checks kinds, choices and dates.
 */
const struct param_spec ps_agreement_params[] = {
	PARAM(.name = "type", .type = PARAM_ENUM, .choices = agreement_type_keys, .label = "Kind of partnership"),
	PARAM(.name = "challenge", .type = PARAM_TEXT, .label = "Shared challenge"),
	PARAM(.name = "outcomes", .type = PARAM_TEXT, .label = "Outcomes"),
	PARAM(.name = "themes", .type = PARAM_TEXT, .label = "Themes"),
	PARAM(.name = "licence", .type = PARAM_ENUM, .choices = agreement_licence_keys, .label = "Licence"),
	PARAM(.name = "starts_on", .type = PARAM_DATE, .label = "The start date"),
	PARAM(.name = "ends_on", .type = PARAM_DATE, .label = "The end date"),
	PARAM(.name = "decision", .type = PARAM_ENUM, .choices = agreement_decision_keys, .label = "How you decide"),
	PARAM(.name = "lead_school_urn", .type = PARAM_INT, .label = "School that decides"),
	PARAM(.name = "cadence_weeks", .type = PARAM_INT, .label = "Meeting cadence (weeks)"),
	PARAM(.name = "keeper_person_id", .type = PARAM_INT, .label = "Person who keeps it going"),
	PARAM(.name = "hours_{urn}", .type = PARAM_INT, .label = "Staff hours a term"),
	PARAM(.name = "budget_{urn}", .type = PARAM_DECIMAL, .label = "Budget (pounds)"),
	PARAM(.name = "objectives_{urn}", .type = PARAM_ENUM, .choices = yes_no, .label = "In staff objectives"),
	PARAM(.name = "lead_{urn}", .type = PARAM_INT, .label = "Lead for the partnership"),
	/* New measures and risks, one row each (m_name_1, r_risk_2 …): a row left empty is ignored. */
	PARAM(.name = "m_name_{n}", .type = PARAM_STRING, .max = 400, .label = "Measure"),
	PARAM(.name = "m_unit_{n}", .type = PARAM_STRING, .max = 400, .label = "Unit"),
	PARAM(.name = "m_pupil_group_{n}", .type = PARAM_STRING, .max = 400, .label = "Group of pupils"),
	PARAM(.name = "m_baseline_{n}", .type = PARAM_NUMBER, .label = "The baseline"),
	PARAM(.name = "m_target_{n}", .type = PARAM_NUMBER, .label = "The target"),
	PARAM(.name = "m_method_{n}", .type = PARAM_TEXT, .max = 4000, .label = "How it is measured"),
	PARAM(.name = "m_when_{n}", .type = PARAM_STRING, .max = 400, .label = "When it is measured"),
	PARAM(.name = "m_baseline_on_{n}", .type = PARAM_DATE, .label = "The baseline date"),
	PARAM(.name = "m_target_by_{n}", .type = PARAM_DATE, .label = "The target date"),
	PARAM(.name = "r_risk_{n}", .type = PARAM_TEXT, .max = 4000, .label = "Risk"),
	PARAM(.name = "r_likelihood_{n}", .type = PARAM_INT, .label = "Likelihood"),
	PARAM(.name = "r_impact_{n}", .type = PARAM_INT, .label = "Impact"),
	PARAM(.name = "r_mitigation_{n}", .type = PARAM_TEXT, .max = 4000, .label = "Mitigation"),
	PARAM(.name = "r_owner_{n}", .type = PARAM_STRING, .max = 400, .label = "Owner"),
	/* The button pressed: save (the default), add a row, or change one saved measure or risk. */
	PARAM(.name = "save", .type = PARAM_BOOL, .label = "Save"),
	PARAM(.name = "add", .type = PARAM_ENUM, .choices = add_kinds, .label = "Add a row"),
	PARAM(.name = "delete_measure", .type = PARAM_INT, .min = 1, .max = INT32_MAX, .label = "Measure to delete"),
	PARAM(.name = "delete_risk", .type = PARAM_INT, .min = 1, .max = INT32_MAX, .label = "Risk to delete"),
	PARAM(.name = "close_risk", .type = PARAM_INT, .min = 1, .max = INT32_MAX, .label = "Risk to mark closed"),
	PARAM(.name = "open_risk", .type = PARAM_INT, .min = 1, .max = INT32_MAX, .label = "Risk to open again"),
	PARAM_END,
};

/* GET /partnerships/{id}/agreement: how many empty rows to show, and whether the form was just saved. */
const struct param_spec ps_agreement_view_params[] = {
	PARAM(.name = "measures", .type = PARAM_INT, .min = 1, .max = PS_ROWS_MAX, .label = "Measure rows"),
	PARAM(.name = "risks", .type = PARAM_INT, .min = 1, .max = PS_ROWS_MAX, .label = "Risk rows"),
	PARAM(.name = "saved", .type = PARAM_BOOL, .label = "Saved"),
	PARAM(.name = "signed", .type = PARAM_ENUM, .choices = signed_notes, .label = "Signed"),
	PARAM_END,
};

const struct param_spec ps_measure_params[] = {
	PARAM(.name = "name", .type = PARAM_STRING, .max = 400, .label = "Name"),
	PARAM(.name = "unit", .type = PARAM_STRING, .max = 400, .label = "Unit"),
	PARAM(.name = "pupil_group", .type = PARAM_STRING, .max = 400, .label = "Group of pupils"),
	PARAM(.name = "baseline", .type = PARAM_NUMBER, .label = "The baseline"),
	PARAM(.name = "target", .type = PARAM_NUMBER, .label = "The target"),
	PARAM(.name = "method", .type = PARAM_TEXT, .max = 4000, .label = "How it is measured"),
	PARAM(.name = "when", .type = PARAM_STRING, .max = 400, .label = "When it is measured"),
	PARAM(.name = "baseline_on", .type = PARAM_DATE, .label = "The baseline date"),
	PARAM(.name = "target_by", .type = PARAM_DATE, .label = "The target date"),
	PARAM_END,
};

const struct param_spec ps_risk_params[] = {
	PARAM(.name = "risk", .type = PARAM_TEXT, .max = 4000, .label = "Risk"),
	PARAM(.name = "likelihood", .type = PARAM_INT, .label = "Likelihood"),
	PARAM(.name = "impact", .type = PARAM_INT, .label = "Impact"),
	PARAM(.name = "mitigation", .type = PARAM_TEXT, .max = 4000, .label = "Mitigation"),
	PARAM(.name = "owner", .type = PARAM_STRING, .max = 400, .label = "Owner"),
	PARAM(.name = "status", .type = PARAM_ENUM, .choices = agreement_risk_status_keys, .label = "Status"),
	PARAM_END,
};

const struct param_spec ps_risk_status_params[] = {
	PARAM(.name = "status", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = agreement_risk_status_keys,
	      .label = "Status"),
	PARAM_END,
};

const struct param_spec ps_sign_params[] = {
	PARAM(.name = "school", .type = PARAM_INT, .min = 1, .max = INT32_MAX, .label = "School"),
	PARAM_END,
};

const struct param_spec ps_close_params[] = {
	PARAM(.name = "worked", .type = PARAM_TEXT, .max = PS_NOTES_MAX, .label = "What worked"),
	PARAM(.name = "did_not_work", .type = PARAM_TEXT, .max = PS_NOTES_MAX, .label = "What did not work"),
	PARAM(.name = "confirm", .type = PARAM_BOOL, .label = "Closing cannot be undone"),
	PARAM(.name = "reflection", .type = PARAM_TEXT, .max = PS_NOTES_MAX, .label = "Closing reflection"),
	PARAM_END,
};

/* The page model of a partnership: {title, partnership, can{…}} (new reference). */
static json_t *base_model(const struct ps_page *pg, const char *title)
{
	const struct ps_access *acc = &pg->acc;
	json_t *can = json_pack("{s:b, s:b, s:b, s:b, s:b}", "read", policy_ps_read(acc), "edit",
				policy_ps_agreement_edit(acc), "sign", policy_ps_sign(acc), "record",
				policy_ps_record(acc), "close", policy_ps_close(acc));
	return json_pack("{s:s, s:o, s:o}", "title", title ? title : pg->ps.title, "partnership", ps_json(&pg->ps),
			 "can", can);
}

/* The agreement page's model. */
static int agreement_model(const struct ps_page *pg, json_t **out)
{
	*out = NULL;
	struct ps_agreement pa;
	int rc = ps_agreement_load(pg->p.db, pg->p.a, &pg->acc, &pg->ps, &pa);
	if (rc)
		return rc;
	json_t *m = base_model(pg, arena_printf(pg->p.a, "Agreement: %s", pg->ps.title));
	json_t *ag = ps_agreement_json(pg->p.db, pg->p.a, &pa);
	json_object_set_new(m, "agreement", ag);
	/*
	 * Signing, for the person reading: the partner schools they lead for
	 * this partnership that have not signed this version (the Sign button,
	 * once the agreement is complete) and those that have.
	 */
	json_t *sign_for = json_array(), *signed_for = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(ag, "schools"), i, o)
	{
		if (json_integer_value(json_object_get(o, "lead_person_id")) != pg->p.u->id)
			continue;
		if (json_is_true(json_object_get(o, "signed")))
			json_array_append_new(signed_for, json_pack("{s:O, s:O*}", "name", json_object_get(o, "name"),
								    "signed_on", json_object_get(o, "signed_on")));
		else
			json_array_append_new(sign_for, json_pack("{s:O}", "name", json_object_get(o, "name")));
	}
	json_object_set(ag, "starts_on_input", json_object_get(ag, "starts_on_label"));
	json_object_set(ag, "ends_on_input", json_object_get(ag, "ends_on_label"));
	json_object_set_new(ag, "show_text", json_boolean(json_is_true(json_object_get(ag, "complete")) ||
							!policy_ps_agreement_edit(&pg->acc)));
	bool can_sign_now = policy_ps_sign(&pg->acc) && json_is_true(json_object_get(ag, "complete")) &&
			    json_array_size(sign_for) > 0;
	json_object_set_new(m, "sign", json_pack("{s:b, s:o, s:o, s:b}", "can_sign_now", can_sign_now, "schools",
						  sign_for, "signed", signed_for, "has_signed",
						  json_array_size(signed_for) > 0));
	*out = m;
	return 0;
}

/*
 * The partnership page's model: everything for the partner schools, the
 * summary for the network's coordinators, and for both its health with the
 * recent changes of health and since when it has had its status.
 */
static int show_model(const struct ps_page *pg, json_t **out)
{
	json_t *m;
	int rc;
	*out = NULL;
	if (policy_ps_read(&pg->acc)) {
		if ((rc = agreement_model(pg, &m)))
			return rc;
		json_object_set_new(m, "title", json_string(pg->ps.title));
		json_object_set_new(m, "full", json_true());
		json_t *review;
		if (ps_review_json(pg->p.db, &pg->acc, &pg->ps, &review) == 0)
			json_object_set_new(m, "review", review);
		const char *ends = json_string_value(json_object_get(json_object_get(m, "agreement"), "ends_on"));
		int64_t end = ps_parse_day(ends);
		json_object_set_new(m, "review_due", json_boolean(end && clock_now() >= end && !pg->acc.closed));
		if (pg->acc.closed)
			json_object_set_new(m, "closing_reflection", json_string(pg->ps.closing_reflection));
	} else {
		m = base_model(pg, NULL);
		json_object_set_new(m, "full", json_false());
	}
	struct health_result h;
	int64_t now = clock_now();
	if (ps_health(pg->p.db, &pg->ps, now, &h) == 0) {
		json_t *hj = ps_health_json(pg->p.a, &h);
		json_t *history = ps_health_history(pg->p.db, pg->ps.id, PS_HEALTH_HISTORY_SHOWN);
		json_t *last = json_array_get(history, 0);
		ps_health_set_since(hj, json_string_value(json_object_get(last, "to")),
				    json_string_value(json_object_get(last, "changed_at")), now);
		json_object_set_new(hj, "has_history", json_boolean(json_array_size(history) > 0));
		json_object_set_new(hj, "history", history);
		json_object_set_new(m, "health", hj);
	}
	*out = m;
	return 0;
}

/*
 * GET /partnerships/{id}
 * The partnership: state, partner schools, what the agreement still needs
 * and who has signed. Partner schools' people see it all; the network's
 * coordinators see its summary only. Both see its health with the recent
 * changes of health (health.history) and since when it has had its status.
 */
int handle_ps_show(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, false, &pg);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = show_model(&pg, &m)))
		return page_fail(&pg.p, rc, NULL);
	res_view(res, 200, "partnerships/show", m);
	return 0;
}

/*
 * The rows of new measures (prefix "m_") or risks ("r_") for the form:
 * [{n, FIELD: typed text, FIELD_error: message or false}] for each row
 * number of keys (k of them), with what was typed (typed, may be NULL) and
 * the messages of errors (may be NULL). A new array.
 */
static json_t *rows_json(struct arena *a, const char *prefix, const char *const *fields, const int64_t *keys,
			 size_t k, json_t *typed, json_t *errors)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < k; i++) {
		json_t *row = json_pack("{s:I}", "n", (json_int_t)keys[i]);
		for (size_t f = 0; fields[f]; f++) {
			const char *name = arena_printf(a, "%s%s_%lld", prefix, fields[f], (long long)keys[i]);
			const char *v = json_string_value(json_object_get(typed, name));
			json_t *e = json_object_get(errors, name);
			json_object_set_new(row, fields[f], json_string(v ? v : ""));
			json_object_set(row, arena_printf(a, "%s_error", fields[f]), e ? e : json_false());
		}
		json_array_append_new(rows, row);
	}
	return rows;
}

/* Row numbers 1..n (arena). */
static int64_t *first_rows(struct arena *a, size_t n)
{
	int64_t *keys = arena_calloc(a, n + 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = (int64_t)i + 1;
	return keys;
}

/*
 * GET /partnerships/{id}/agreement[?measures=N&risks=N&saved=1&signed=now|already]
 * The agreement on the five foundations: for partner schools' leads one
 * form (the agreement, its measures and risks, with N empty rows for new
 * ones), for everyone else at the partner schools the agreement to read;
 * what is missing, and the signatures with the Sign button for a lead whose
 * school has not signed this version yet.
 */
int handle_ps_agreement(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = agreement_model(&pg, &m)))
		return page_fail(&pg.p, rc, NULL);
	size_t nm = (size_t)req_int(req, "measures", 1), nr = (size_t)req_int(req, "risks", 1);
	json_t *ag = json_object_get(m, "agreement");
	json_object_set_new(ag, "new_measures", rows_json(pg.p.a, "m_", measure_fields, first_rows(pg.p.a, nm), nm,
							  NULL, NULL));
	json_object_set_new(ag, "new_risks",
			    rows_json(pg.p.a, "r_", risk_fields, first_rows(pg.p.a, nr), nr, NULL, NULL));
	json_object_set_new(m, "saved", json_boolean(req_bool(req, "saved")));
	json_object_set_new(m, "signed_now", json_boolean(str_eq(req_str(req, "signed"), "now")));
	json_object_set_new(m, "signed_already", json_boolean(str_eq(req_str(req, "signed"), "already")));
	res_view(res, 200, "partnerships/agreement", m);
	return 0;
}

/* The commitment of school urn in list (n entries), added when it is not there yet. */
static struct ps_commitment_in *commitment(struct arena *a, struct ps_commitment_in **list, size_t *n, size_t *cap,
					   int64_t urn)
{
	for (size_t i = 0; i < *n; i++)
		if ((*list)[i].urn == urn)
			return &(*list)[i];
	*list = arena_grow(a, *list, *n, cap, sizeof(**list));
	struct ps_commitment_in *c = &(*list)[(*n)++];
	memset(c, 0, sizeof(*c));
	c->urn = urn;
	return c;
}

/* The agreement form as typed, from the request's valid values. */
static void agreement_in(const struct page *pg, struct ps_agreement_in *in)
{
	struct request *req = pg->req;
	memset(in, 0, sizeof(*in));
	in->type = AGREEMENT_TYPE_UNSET;
	in->licence = AGREEMENT_LICENCE_UNSET;
	in->decision = AGREEMENT_DECISION_CONSENSUS;
	if (req_has(req, "type") && agreement_type_from_key(req_str(req, "type"), &in->type)) {}
	if (req_has(req, "licence") && agreement_licence_from_key(req_str(req, "licence"), &in->licence)) {}
	if (req_has(req, "decision") && agreement_decision_from_key(req_str(req, "decision"), &in->decision)) {}
	in->challenge = req_str(req, "challenge");
	in->outcomes = req_str(req, "outcomes");
	in->themes = req_str(req, "themes");
	in->starts_on = ps_page_day(pg, "starts_on");
	in->ends_on = ps_page_day(pg, "ends_on");
	in->lead_school_urn = req_int(req, "lead_school_urn", 0);
	in->has_cadence = req_has(req, "cadence_weeks");
	in->cadence_weeks = req_int(req, "cadence_weeks", 0);
	in->keeper_person_id = req_int(req, "keeper_person_id", 0);
	/* Each partner school's commitment, from the fields named after it. */
	struct ps_commitment_in *list = NULL;
	size_t n = 0, cap = 0;
	const char *f;
	int64_t urn;
	for (size_t i = 0; (f = req_each(req, "hours_{urn}", i, &urn)); i++) {
		struct ps_commitment_in *c = commitment(pg->a, &list, &n, &cap, urn);
		c->has_hours = req_has(req, f);
		c->hours = req_int(req, f, 0);
	}
	for (size_t i = 0; (f = req_each(req, "budget_{urn}", i, &urn)); i++) {
		struct ps_commitment_in *c = commitment(pg->a, &list, &n, &cap, urn);
		c->has_budget = req_has(req, f);
		c->budget_pence = req_hundredths(req, f, 0);
	}
	for (size_t i = 0; (f = req_each(req, "objectives_{urn}", i, &urn)); i++) {
		const char *v = req_str(req, f);
		commitment(pg->a, &list, &n, &cap, urn)->objectives = str_eq(v, "yes")  ? AGREEMENT_ANSWER_YES
									: str_eq(v, "no") ? AGREEMENT_ANSWER_NO
											  : AGREEMENT_ANSWER_UNSET;
	}
	for (size_t i = 0; (f = req_each(req, "lead_{urn}", i, &urn)); i++)
		commitment(pg->a, &list, &n, &cap, urn)->lead_person_id = req_int(req, f, 0);
	in->commits = list;
	in->n_commits = n;
}

/* Mark the option of list whose key `key` equals v as selected, the others not. */
static void select_option(json_t *list, const char *key, const char *v)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		json_t *k = json_object_get(o, key);
		const char *ks = json_string_value(k);
		char num[32] = "";
		if (json_is_integer(k))
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(k));
		json_object_set_new(o, "selected", json_boolean(str_eq(ks ? ks : num, v)));
	}
}

/*
 * Put what the person typed (form, {field: text}) back into the agreement's
 * model, so a form that did not pass shows their values with the messages,
 * not the saved ones: nothing typed is lost. The messages of a partner
 * school's own fields (errors["hours_107897"]) go on that school, as
 * hours_error, budget_error, objectives_error and lead_error.
 */
static void overlay_form(json_t *ag, json_t *form, json_t *errors)
{
	static const char *const per_school[] = {"hours", "budget", "objectives", "lead", NULL};
	static const char *const plain[] = {"challenge", "outcomes", "cadence_weeks", NULL};
	for (size_t i = 0; plain[i]; i++) {
		json_t *v = json_object_get(form, plain[i]);
		if (json_is_string(v))
			json_object_set(ag, plain[i], v);
	}
	const char *v;
	/* Days come back as typed ("6/12/2026" stays so), into the fields people type them in. */
	if ((v = json_string_value(json_object_get(form, "starts_on"))))
		json_object_set_new(ag, "starts_on_input", json_string(v));
	if ((v = json_string_value(json_object_get(form, "ends_on"))))
		json_object_set_new(ag, "ends_on_input", json_string(v));
	if ((v = json_string_value(json_object_get(form, "themes"))))
		json_object_set_new(ag, "themes_text", json_string(v));
	if ((v = json_string_value(json_object_get(form, "type"))))
		select_option(json_object_get(ag, "types"), "value", v);
	if ((v = json_string_value(json_object_get(form, "licence"))))
		select_option(json_object_get(ag, "licences"), "value", v);
	if ((v = json_string_value(json_object_get(form, "decision"))))
		select_option(json_object_get(ag, "decisions"), "value", v);
	const char *keeper = json_string_value(json_object_get(form, "keeper_person_id"));
	size_t i;
	json_t *o;
	if (keeper)
		json_array_foreach(json_object_get(ag, "people"), i, o)
		{
			char id[32];
			snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(o, "id")));
			json_object_set_new(o, "is_keeper", json_boolean(str_eq(id, keeper)));
		}
	const char *lead_school = json_string_value(json_object_get(form, "lead_school_urn"));
	json_array_foreach(json_object_get(ag, "schools"), i, o)
	{
		char f[48];
		long long urn = (long long)json_integer_value(json_object_get(o, "urn"));
		char us[32];
		snprintf(us, sizeof(us), "%lld", urn);
		if (lead_school)
			json_object_set_new(o, "is_lead_school", json_boolean(str_eq(us, lead_school)));
		for (size_t k = 0; per_school[k]; k++) {
			snprintf(f, sizeof(f), "%s_%lld", per_school[k], urn);
			json_t *e = json_object_get(errors, f);
			if (e) {
				snprintf(f, sizeof(f), "%s_error", per_school[k]);
				json_object_set(o, f, e);
			}
		}
		snprintf(f, sizeof(f), "hours_%lld", urn);
		if ((v = json_string_value(json_object_get(form, f))))
			json_object_set_new(o, "hours_text", json_string(v));
		snprintf(f, sizeof(f), "budget_%lld", urn);
		if ((v = json_string_value(json_object_get(form, f))))
			json_object_set_new(o, "budget_text", json_string(v));
		snprintf(f, sizeof(f), "objectives_%lld", urn);
		if ((v = json_string_value(json_object_get(form, f)))) {
			json_object_set_new(o, "objectives_yes", json_boolean(str_eq(v, "yes")));
			json_object_set_new(o, "objectives_no", json_boolean(str_eq(v, "no")));
		}
		snprintf(f, sizeof(f), "lead_%lld", urn);
		if ((v = json_string_value(json_object_get(form, f))))
			select_option(json_object_get(o, "lead_options"), "id", v);
	}
}

/*
 * The row numbers of the request's fields of a row (prefix "m_" or "r_"
 * and fields), ascending and each once (arena; *n of them).
 */
static int64_t *row_keys(const struct page *pg, const char *prefix, const char *const *fields, size_t *n)
{
	int64_t *keys = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t f = 0; fields[f]; f++) {
		const char *pattern = arena_printf(pg->a, "%s%s_{n}", prefix, fields[f]);
		int64_t key;
		for (size_t i = 0; req_each(pg->req, pattern, i, &key); i++) {
			size_t at = 0;
			while (at < *n && keys[at] < key)
				at++;
			if (at < *n && keys[at] == key)
				continue;
			keys = arena_grow(pg->a, keys, *n, &cap, sizeof(*keys));
			memmove(keys + at + 1, keys + at, (*n - at) * sizeof(*keys));
			keys[at] = key;
			(*n)++;
		}
	}
	return keys;
}

/* Whether anything was typed in row `key` (fields prefix FIELD_key) of typed. */
static bool row_typed(struct arena *a, json_t *typed, const char *prefix, const char *const *fields, int64_t key)
{
	for (size_t f = 0; fields[f]; f++) {
		const char *v = json_string_value(
			json_object_get(typed, arena_printf(a, "%s%s_%lld", prefix, fields[f], (long long)key)));
		if (v && *str_trim(a, v))
			return true;
	}
	return false;
}

/* The field FIELD of row key ("m_name_2", arena). */
static const char *rf(const struct page *pg, const char *prefix, const char *field, int64_t key)
{
	return arena_printf(pg->a, "%s%s_%lld", prefix, field, (long long)key);
}

/* What a request is about: its rows (numbers and how many), and how many of them were left empty. */
struct form_rows {
	int64_t *m_keys, *r_keys; /* the row numbers of measures and of risks */
	size_t nm, nr;            /* how many */
	size_t blank_m, blank_r;  /* how many of them were left empty */
};

/*
 * The one form as typed (typed: req_form_values) into in, with the rows
 * that have something typed in them; rows gets every row's number.
 */
static void form_in(const struct page *pg, json_t *typed, struct ps_agreement_form_in *in, struct form_rows *rows)
{
	struct request *req = pg->req;
	memset(in, 0, sizeof(*in));
	agreement_in(pg, &in->main);
	rows->m_keys = row_keys(pg, "m_", measure_fields, &rows->nm);
	rows->r_keys = row_keys(pg, "r_", risk_fields, &rows->nr);
	rows->blank_m = rows->blank_r = 0;
	struct ps_measure_in *ms = arena_calloc(pg->a, rows->nm + 1, sizeof(*ms));
	for (size_t i = 0; i < rows->nm; i++) {
		int64_t k = rows->m_keys[i];
		if (!row_typed(pg->a, typed, "m_", measure_fields, k)) {
			rows->blank_m++;
			continue;
		}
		struct ps_measure_in *m = &ms[in->n_measures++];
		m->row = k;
		m->name = req_str(req, rf(pg, "m_", "name", k));
		m->unit = req_str(req, rf(pg, "m_", "unit", k));
		m->pupil_group = req_str(req, rf(pg, "m_", "pupil_group", k));
		m->has_baseline = req_has(req, rf(pg, "m_", "baseline", k));
		m->baseline = req_num(req, rf(pg, "m_", "baseline", k), 0);
		m->has_target = req_has(req, rf(pg, "m_", "target", k));
		m->target = req_num(req, rf(pg, "m_", "target", k), 0);
		m->method = req_str(req, rf(pg, "m_", "method", k));
		m->when = req_str(req, rf(pg, "m_", "when", k));
		m->baseline_on = ps_page_day(pg, rf(pg, "m_", "baseline_on", k));
		m->target_by = ps_page_day(pg, rf(pg, "m_", "target_by", k));
	}
	in->measures = ms;
	struct ps_risk_in *rs = arena_calloc(pg->a, rows->nr + 1, sizeof(*rs));
	for (size_t i = 0; i < rows->nr; i++) {
		int64_t k = rows->r_keys[i];
		if (!row_typed(pg->a, typed, "r_", risk_fields, k)) {
			rows->blank_r++;
			continue;
		}
		struct ps_risk_in *r = &rs[in->n_risks++];
		r->row = k;
		r->risk = req_str(req, rf(pg, "r_", "risk", k));
		r->likelihood = req_int(req, rf(pg, "r_", "likelihood", k), 0);
		r->impact = req_int(req, rf(pg, "r_", "impact", k), 0);
		r->mitigation = req_str(req, rf(pg, "r_", "mitigation", k));
		r->owner = req_str(req, rf(pg, "r_", "owner", k));
		r->status = AGREEMENT_RISK_OPEN;
	}
	in->risks = rs;
	in->delete_measure = req_int(req, "delete_measure", 0);
	in->delete_risk = req_int(req, "delete_risk", 0);
	if (req_has(req, "close_risk")) {
		in->status_risk = req_int(req, "close_risk", 0);
		in->risk_status = AGREEMENT_RISK_CLOSED;
	} else if (req_has(req, "open_risk")) {
		in->status_risk = req_int(req, "open_risk", 0);
		in->risk_status = AGREEMENT_RISK_OPEN;
	}
}

/* keys (n of them) with one more row number after the last (arena); *n grows by one. */
static int64_t *one_more_row(struct arena *a, const int64_t *keys, size_t *n)
{
	int64_t *out = arena_calloc(a, *n + 2, sizeof(*out));
	if (*n)
		memcpy(out, keys, *n * sizeof(*out));
	out[*n] = *n ? keys[*n - 1] + 1 : 1;
	(*n)++;
	return out;
}

/*
 * The agreement page again after the one form was refused: the model with
 * everything typed (the agreement's fields, every row of new measures and
 * risks, one more row when a row was asked for) and each message by its
 * field; NULL when the page cannot be built (the refusal is then answered
 * as JSON).
 */
static json_t *agreement_again(const struct ps_page *pg, json_t *typed, json_t *errors, const struct form_rows *rows)
{
	json_t *m;
	if (agreement_model(pg, &m))
		return NULL;
	json_t *ag = json_object_get(m, "agreement");
	overlay_form(ag, typed, errors);
	const char *add = req_str(pg->p.req, "add");
	size_t nm = rows->nm, nr = rows->nr;
	const int64_t *mk = rows->m_keys, *rk = rows->r_keys;
	if (str_eq(add, "measure") || nm == 0)
		mk = one_more_row(pg->p.a, mk, &nm);
	if (str_eq(add, "risk") || nr == 0)
		rk = one_more_row(pg->p.a, rk, &nr);
	json_object_set_new(ag, "new_measures", rows_json(pg->p.a, "m_", measure_fields, mk, nm, typed, errors));
	json_object_set_new(ag, "new_risks", rows_json(pg->p.a, "r_", risk_fields, rk, nr, typed, errors));
	return m;
}

/* n rows, at least 1 and at most PS_ROWS_MAX. */
static size_t rows_shown(size_t n)
{
	return n < 1 ? 1 : n > PS_ROWS_MAX ? PS_ROWS_MAX : n;
}

/*
 * POST /partnerships/{id}/agreement (type, challenge, outcomes, themes,
 *   licence, starts_on, ends_on, decision, lead_school_urn, cadence_weeks,
 *   keeper_person_id; per partner school hours_URN, budget_URN,
 *   objectives_URN = yes | no, lead_URN; new measures m_name_N, m_unit_N,
 *   m_pupil_group_N, m_baseline_N, m_target_N, m_method_N, m_when_N,
 *   m_baseline_on_N, m_target_by_N; new risks r_risk_N, r_likelihood_N,
 *   r_impact_N, r_mitigation_N, r_owner_N; the button pressed: save,
 *   add = measure | risk, delete_measure, delete_risk, close_risk or
 *   open_risk = an id)
 * The agreement page's one form (partner schools' leads): everything typed
 * is kept together, in one transaction, and a row left empty is ignored. A
 * change after signing asks every lead to sign again. 303 to the agreement
 * (with one more empty row after "add"); when refused, the page again
 * with every typed value and each message by its field (anchors
 * "agreement-"), nothing kept.
 */
int handle_ps_agreement_save(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = ps_page_errors(&pg.p, ps_agreement_params);
	json_t *typed = req_form_values(req);
	struct ps_agreement_form_in in;
	struct form_rows rows;
	form_in(&pg.p, typed, &in, &rows);
	rc = json_object_size(errors) ? ERR_INVALID
				      : ps_agreement_save_form(pg.p.db, pg.p.a, &pg.acc, &pg.ps, &in, errors);
	if (rc) {
		json_t *m = rc == ERR_INVALID ? agreement_again(&pg, typed, errors, &rows) : NULL;
		json_decref(typed);
		return page_form_fail(&pg.p, rc, errors, "partnerships/agreement", m, "agreement-");
	}
	json_decref(typed);
	json_decref(errors);
	const char *add = req_str(req, "add");
	long long id = (long long)pg.ps.id;
	size_t nm = rows_shown(rows.blank_m), nr = rows_shown(rows.blank_r);
	if (str_eq(add, "measure"))
		return page_redirect(&pg.p, "/partnerships/%lld/agreement?measures=%zu&risks=%zu#agreement-m_name_%zu", id,
				     rows_shown(rows.blank_m + 1), nr, rows_shown(rows.blank_m + 1));
	if (str_eq(add, "risk"))
		return page_redirect(&pg.p, "/partnerships/%lld/agreement?measures=%zu&risks=%zu#agreement-r_risk_%zu", id,
				     nm, rows_shown(rows.blank_r + 1), rows_shown(rows.blank_r + 1));
	/* After a saved measure's or risk's own button, back to its list; after Save, to the top. */
	if (in.delete_measure)
		return page_redirect(&pg.p, "/partnerships/%lld/agreement?saved=1#measures", id);
	if (in.delete_risk || in.status_risk)
		return page_redirect(&pg.p, "/partnerships/%lld/agreement?saved=1#risks", id);
	return page_redirect(&pg.p, "/partnerships/%lld/agreement?saved=1", id);
}

/* The measure form as typed. */
static void measure_in(const struct page *pg, struct ps_measure_in *in)
{
	struct request *req = pg->req;
	memset(in, 0, sizeof(*in));
	in->name = req_str(req, "name");
	in->unit = req_str(req, "unit");
	in->pupil_group = req_str(req, "pupil_group");
	in->has_baseline = req_has(req, "baseline");
	in->baseline = req_num(req, "baseline", 0);
	in->has_target = req_has(req, "target");
	in->target = req_num(req, "target", 0);
	in->method = req_str(req, "method");
	in->when = req_str(req, "when");
	in->baseline_on = ps_page_day(pg, "baseline_on");
	in->target_by = ps_page_day(pg, "target_by");
}

/* The risk form as typed. */
static void risk_in(const struct page *pg, struct ps_risk_in *in)
{
	struct request *req = pg->req;
	memset(in, 0, sizeof(*in));
	in->risk = req_str(req, "risk");
	in->likelihood = req_int(req, "likelihood", 0);
	in->impact = req_int(req, "impact", 0);
	in->mitigation = req_str(req, "mitigation");
	in->owner = req_str(req, "owner");
	in->status = str_eq(req_str(req, "status"), "closed") ? AGREEMENT_RISK_CLOSED : AGREEMENT_RISK_OPEN;
}

/*
 * What was typed in the one-measure (or one-risk) form, {field: …}, as row 1
 * of the one form: {m_field_1: …} (prefix "m_" or "r_"). A new object.
 */
static json_t *as_row_one(struct arena *a, json_t *obj, const char *prefix)
{
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
		json_object_set(out, arena_printf(a, "%s%s_1", prefix, k), v);
	return out;
}

/*
 * Add a measure (is_risk false) or a risk; 303 to the agreement. Refused:
 * the messages by field name for JSON clients; for a browser the agreement
 * page with what was typed in the first new row and each message by its
 * field there (the summary keeps these routes' own anchors, "measure-" and
 * "risk-").
 */
static int child_add(struct request *req, struct response *res, bool is_risk)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = ps_page_errors(&pg.p, is_risk ? ps_risk_params : ps_measure_params);
	if (json_object_size(errors)) {
		rc = ERR_INVALID;
	} else if (is_risk) {
		struct ps_risk_in in;
		risk_in(&pg.p, &in);
		rc = ps_risk_add(pg.p.db, pg.p.a, &pg.acc, &pg.ps, &in, errors);
	} else {
		struct ps_measure_in in;
		measure_in(&pg.p, &in);
		rc = ps_measure_add(pg.p.db, pg.p.a, &pg.acc, &pg.ps, &in, errors);
	}
	if (rc) {
		json_t *m = NULL;
		const char *prefix = is_risk ? "r_" : "m_";
		if (rc == ERR_INVALID && !req_wants_json(req) && agreement_model(&pg, &m) == 0) {
			json_t *typed = req_form_values(req), *t1 = as_row_one(pg.p.a, typed, prefix);
			json_t *e1 = as_row_one(pg.p.a, errors, prefix);
			int64_t one = 1;
			json_t *ag = json_object_get(m, "agreement");
			json_object_set_new(ag, "new_measures", rows_json(pg.p.a, "m_", measure_fields, &one, 1,
									  is_risk ? NULL : t1, is_risk ? NULL : e1));
			json_object_set_new(ag, "new_risks", rows_json(pg.p.a, "r_", risk_fields, &one, 1,
								       is_risk ? t1 : NULL, is_risk ? e1 : NULL));
			json_decref(typed);
			json_decref(t1);
			json_decref(e1);
		}
		return page_form_fail(&pg.p, rc, errors, "partnerships/agreement", m, is_risk ? "risk-" : "measure-");
	}
	json_decref(errors);
	return page_redirect(&pg.p, "/partnerships/%lld/agreement?saved=1#%s", (long long)pg.ps.id,
			     is_risk ? "risks" : "measures");
}

/*
 * POST /partnerships/{id}/measures (name, unit, pupil_group, baseline,
 *   target, method, when, baseline_on, target_by)
 * Add one impact measure (partner schools' leads), for scripts and the API;
 * the page adds them in its one form.
 */
int handle_ps_measure_add(struct request *req, struct response *res) { return child_add(req, res, false); }

/*
 * POST /partnerships/{id}/risks (risk, likelihood, impact, mitigation, owner, status = open | closed)
 * Add a risk to the register (partner schools' leads). Likelihood and
 * impact 1–5. For scripts and the API; the page adds them in its one form.
 */
int handle_ps_risk_add(struct request *req, struct response *res) { return child_add(req, res, true); }

/* Delete a measure or a risk; 303 to the agreement. */
static int child_delete(struct request *req, struct response *res, bool is_risk)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	rc = is_risk ? ps_risk_delete(pg.p.db, &pg.acc, &pg.ps, req_path_int(req, "rid"))
		     : ps_measure_delete(pg.p.db, &pg.acc, &pg.ps, req_path_int(req, "mid"));
	if (rc)
		return page_fail(&pg.p, rc, NULL);
	return page_redirect(&pg.p, "/partnerships/%lld/agreement", (long long)pg.ps.id);
}

/* POST /partnerships/{id}/measures/{mid}/delete — delete an impact measure (leads). */
int handle_ps_measure_delete(struct request *req, struct response *res) { return child_delete(req, res, false); }

/* POST /partnerships/{id}/risks/{rid}/delete — delete a risk (leads). */
int handle_ps_risk_delete(struct request *req, struct response *res) { return child_delete(req, res, true); }

/*
 * POST /partnerships/{id}/risks/{rid}/status (status = open | closed)
 * Close a risk that has passed, or open it again (leads). The register is
 * part of the agreement, so every lead is asked to sign again.
 */
int handle_ps_risk_status(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	enum agreement_risk_status status = AGREEMENT_RISK_OPEN;
	if (agreement_risk_status_from_key(req_str(req, "status"), &status) ||
	    (rc = ps_risk_set_status(pg.p.db, &pg.acc, &pg.ps, req_path_int(req, "rid"), status)))
		return page_fail(&pg.p, rc ? rc : ERR_INVALID, NULL);
	return page_redirect(&pg.p, "/partnerships/%lld/agreement#risks", (long long)pg.ps.id);
}

/*
 * POST /partnerships/{id}/sign (school, optional)
 * Sign the current version of the agreement for the school the person
 * leads (or only for `school`, which must be theirs); the leads of the
 * schools that have not signed yet are emailed that it is their turn. 400
 * when it is incomplete, 403 when they lead no partner school or name
 * another's. When every lead has signed the partnership becomes active.
 * 303 to the agreement, which says it is signed; a second click (this
 * version is already signed) is the same page saying so, or 409 for JSON.
 */
int handle_ps_sign(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	const char *detail;
	rc = ps_agreement_sign(pg.p.db, pg.p.a, &pg.acc, pg.p.u, &pg.ps, req_int(req, "school", 0),
			       page_site_url(&pg.p), &detail);
	if (rc == ERR_CONFLICT && !pg.acc.closed && !req_wants_json(req))
		return page_redirect(&pg.p, "/partnerships/%lld/agreement?signed=already#signatures", (long long)pg.ps.id);
	if (rc)
		return page_fail(&pg.p, rc, detail);
	return page_redirect(&pg.p, "/partnerships/%lld/agreement?signed=now#signatures", (long long)pg.ps.id);
}

/*
 * POST /partnerships/{id}/close (worked, did_not_work, confirm — all
 *   required; or, from a script, reflection alone)
 * Close an active partnership with a closing reflection (a partner school's
 * lead); it cannot be undone and it stays readable as evidence. 303 to the
 * partnership; the page again with every typed value and the messages
 * (anchors "close-") when refused.
 */
int handle_ps_close(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.p);
	/* Which shape was sent: the page's fields, or (a script) one reflection, even a blank one. */
	json_t *typed = req_form_values(req);
	bool one_text = json_object_get(typed, "reflection") && !json_object_get(typed, "worked") &&
			!json_object_get(typed, "did_not_work");
	json_decref(typed);
	const char *reflection = req_str(req, "reflection");
	struct ps_close_in in = {
		.worked = req_str(req, "worked"),
		.did_not_work = req_str(req, "did_not_work"),
		.reflection = one_text ? (reflection ? reflection : "") : NULL,
		.confirmed = req_bool(req, "confirm"),
	};
	rc = json_object_size(errors) ? ERR_INVALID : ps_close(pg.p.db, pg.p.a, &pg.acc, &pg.ps, &in, errors);
	if (rc == ERR_INVALID) {
		json_t *m;
		if (show_model(&pg, &m))
			m = NULL;
		return page_form_fail(&pg.p, rc, errors, "partnerships/show", m, "close-");
	}
	json_decref(errors);
	if (rc)
		return page_fail(&pg.p, rc, rc == ERR_CONFLICT ? "This partnership is already closed." : NULL);
	return page_redirect(&pg.p, "/partnerships/%lld", (long long)pg.ps.id);
}
