// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_agreement.c — a partnership's page (its state, partner schools,
 * what the agreement still needs and who has signed; coordinators see only
 * the summary) and the agreement on the five foundations: the form the
 * partner schools' leads fill in together, with guidance on each section
 * and a message on each field that is wrong; its impact measures and risk
 * register; signing; and closing with a closing reflection. The agreement
 * page holds three forms, each with its own anchors ("agreement-",
 * "measure-", "risk-"); a partner school's fields are named after it
 * (hours_107897) and declared as name patterns.
 */
#include <stdio.h>
#include <string.h>

#include "app/partnerships/pages.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"

static const char *const yes_no[] = {"yes", "no", NULL};

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
	json_object_set_new(m, "agreement", ps_agreement_json(pg->p.db, pg->p.a, &pa));
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
 * GET /partnerships/{id}/agreement
 * The agreement on the five foundations as a form (partner schools' leads
 * change it; everyone in the partner schools reads it), what is missing,
 * the measures and risks, and the signatures.
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
	static const char *const plain[] = {"challenge", "outcomes", "starts_on", "ends_on", "cadence_weeks", NULL};
	for (size_t i = 0; plain[i]; i++) {
		json_t *v = json_object_get(form, plain[i]);
		if (json_is_string(v))
			json_object_set(ag, plain[i], v);
	}
	const char *v;
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
 * The agreement page again after a form was refused with errors: the model
 * with what was typed — in the main form (key NULL) or as measure_form /
 * risk_form — or NULL when the page cannot be built (the refusal is then
 * answered as JSON).
 */
static json_t *agreement_again(const struct ps_page *pg, const char *key, json_t *errors)
{
	json_t *m;
	if (agreement_model(pg, &m))
		return NULL;
	json_t *typed = req_form_values(pg->p.req);
	if (key)
		json_object_set(m, key, typed);
	else
		overlay_form(json_object_get(m, "agreement"), typed, errors);
	json_decref(typed);
	return m;
}

/*
 * POST /partnerships/{id}/agreement (type, challenge, outcomes, themes,
 *   licence, starts_on, ends_on, decision, lead_school_urn, cadence_weeks,
 *   keeper_person_id, and per partner school hours_URN, budget_URN,
 *   objectives_URN = yes | no, lead_URN)
 * Save the agreement (partner schools' leads). A change after signing asks
 * every lead to sign again. 303 to the agreement; the page again with the
 * messages (anchors "agreement-") when refused.
 */
int handle_ps_agreement_save(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = ps_page_errors(&pg.p, ps_agreement_params);
	struct ps_agreement_in in;
	agreement_in(&pg.p, &in);
	rc = json_object_size(errors) ? ERR_INVALID : ps_agreement_save(pg.p.db, pg.p.a, &pg.acc, &pg.ps, &in, errors);
	if (rc)
		return page_form_fail(&pg.p, rc, errors, "partnerships/agreement",
				      rc == ERR_INVALID ? agreement_again(&pg, NULL, errors) : NULL, "agreement-");
	json_decref(errors);
	return page_redirect(&pg.p, "/partnerships/%lld/agreement", (long long)pg.ps.id);
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

/* Add a measure (is_risk false) or a risk; 303 to the agreement, or the page again with the messages. */
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
	if (rc)
		return page_form_fail(&pg.p, rc, errors, "partnerships/agreement",
				      rc == ERR_INVALID ? agreement_again(&pg, is_risk ? "risk_form" : "measure_form", errors)
							: NULL,
				      is_risk ? "risk-" : "measure-");
	json_decref(errors);
	return page_redirect(&pg.p, "/partnerships/%lld/agreement#%s", (long long)pg.ps.id,
			     is_risk ? "risks" : "measures");
}

/*
 * POST /partnerships/{id}/measures (name, unit, pupil_group, baseline,
 *   target, method, when, baseline_on, target_by)
 * Add an impact measure (partner schools' leads). Anchors "measure-".
 */
int handle_ps_measure_add(struct request *req, struct response *res) { return child_add(req, res, false); }

/*
 * POST /partnerships/{id}/risks (risk, likelihood, impact, mitigation, owner, status = open | closed)
 * Add a risk to the register (partner schools' leads). Likelihood and
 * impact 1–5. Anchors "risk-".
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
 * leads (or only for `school`, which must be theirs). 400 when it is
 * incomplete, 403 when they lead no partner school or name another's,
 * 409 when they already signed this version. When every lead has signed
 * the partnership becomes active. 303 to the partnership.
 */
int handle_ps_sign(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	const char *detail;
	if ((rc = ps_agreement_sign(pg.p.db, pg.p.a, &pg.acc, pg.p.u, &pg.ps, req_int(req, "school", 0), &detail)))
		return page_fail(&pg.p, rc, detail);
	return page_redirect(&pg.p, "/partnerships/%lld", (long long)pg.ps.id);
}

/*
 * POST /partnerships/{id}/close (reflection, required)
 * Close the partnership with a closing reflection (a partner school's
 * lead). It stays readable as evidence. 303 to the partnership; the page
 * again with the message (anchor "close-reflection") when refused.
 */
int handle_ps_close(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : ps_close(pg.p.db, pg.p.a, &pg.acc, &pg.ps, req_str(req, "reflection"), errors);
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
