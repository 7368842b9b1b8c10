// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_agreement.c — a partnership's page (its state, partner schools,
 * what the agreement still needs and who has signed; coordinators see only
 * the summary) and the agreement on the five foundations: the form the
 * partner schools' leads fill in together, with guidance on each section
 * and a message on each field that is wrong; its impact measures and risk
 * register; and signing.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/partnerships/pages.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* Every field is checked by the model (agreement.h) so the messages match the pure rules. */
const struct param_spec ps_agreement_params[] = {
	{"type", PARAM_STRING, 0, 0, 40, NULL, "Kind of partnership"},
	{"challenge", PARAM_TEXT, 0, 0, 20000, NULL, "Shared challenge"},
	{"outcomes", PARAM_TEXT, 0, 0, 20000, NULL, "Outcomes"},
	{"themes", PARAM_TEXT, 0, 0, 20000, NULL, "Themes"},
	{"licence", PARAM_STRING, 0, 0, 40, NULL, "Licence"},
	{"starts_on", PARAM_STRING, 0, 0, 40, NULL, "Start date"},
	{"ends_on", PARAM_STRING, 0, 0, 40, NULL, "End date"},
	{"decision", PARAM_STRING, 0, 0, 40, NULL, "How you decide"},
	{"lead_school_urn", PARAM_STRING, 0, 0, 40, NULL, "School that decides"},
	{"cadence_weeks", PARAM_STRING, 0, 0, 40, NULL, "Meeting cadence"},
	{"keeper_person_id", PARAM_STRING, 0, 0, 40, NULL, "Person who keeps it going"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};
static const char *const agreement_fields[] = {"type", "challenge", "outcomes", "themes", "licence", "starts_on",
					       "ends_on", "decision", "lead_school_urn", "cadence_weeks",
					       "keeper_person_id", NULL};

const struct param_spec ps_measure_params[] = {
	{"name", PARAM_STRING, 0, 0, 400, NULL, "Name"},
	{"unit", PARAM_STRING, 0, 0, 400, NULL, "Unit"},
	{"pupil_group", PARAM_STRING, 0, 0, 400, NULL, "Group of pupils"},
	{"baseline", PARAM_STRING, 0, 0, 40, NULL, "Baseline"},
	{"target", PARAM_STRING, 0, 0, 40, NULL, "Target"},
	{"method", PARAM_TEXT, 0, 0, 4000, NULL, "How it is measured"},
	{"when", PARAM_STRING, 0, 0, 400, NULL, "When it is measured"},
	{"baseline_on", PARAM_STRING, 0, 0, 40, NULL, "Baseline date"},
	{"target_by", PARAM_STRING, 0, 0, 40, NULL, "Target date"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};
static const char *const measure_fields[] = {"name", "unit", "pupil_group", "baseline", "target", "method",
					     "when", "baseline_on", "target_by", NULL};

const struct param_spec ps_risk_params[] = {
	{"risk", PARAM_TEXT, 0, 0, 4000, NULL, "Risk"},
	{"likelihood", PARAM_STRING, 0, 0, 40, NULL, "Likelihood"},
	{"impact", PARAM_STRING, 0, 0, 40, NULL, "Impact"},
	{"mitigation", PARAM_TEXT, 0, 0, 4000, NULL, "Mitigation"},
	{"owner", PARAM_STRING, 0, 0, 400, NULL, "Owner"},
	{"status", PARAM_STRING, 0, 0, 40, NULL, "Status"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};
static const char *const risk_fields[] = {"risk", "likelihood", "impact", "mitigation", "owner", "status", NULL};

/* The page model of a partnership: {title, partnership, can{…}} (new reference). */
static json_t *base_model(const struct ps_page *pg, const char *title)
{
	const struct ps_access *acc = &pg->acc;
	json_t *can = json_pack("{s:b, s:b, s:b, s:b, s:b}", "read", policy_ps_read(acc), "edit",
				policy_ps_agreement_edit(acc), "sign", policy_ps_sign(acc), "record",
				policy_ps_record(acc), "close", policy_ps_close(acc));
	return json_pack("{s:s, s:o, s:o}", "title", title ? title : pg->p.title, "partnership", ps_json(&pg->p),
			 "can", can);
}

/* The agreement page's model; form (borrowed, may be NULL) refills the main form. */
static int agreement_model(const struct ps_page *pg, json_t **out)
{
	*out = NULL;
	struct ps_agreement pa;
	int rc = ps_agreement_load(pg->db, pg->a, &pg->acc, &pg->p, &pa);
	if (rc)
		return rc;
	json_t *m = base_model(pg, arena_printf(pg->a, "Agreement: %s", pg->p.title));
	json_object_set_new(m, "agreement", ps_agreement_json(pg->db, pg->a, &pa));
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
	if (policy_ps_read(&pg.acc)) {
		if ((rc = agreement_model(&pg, &m)))
			return ps_fail(req, res, rc);
		json_object_set_new(m, "title", json_string(pg.p.title));
		json_object_set_new(m, "full", json_true());
		json_t *review;
		if (ps_review_json(pg.db, &pg.acc, &pg.p, &review) == 0)
			json_object_set_new(m, "review", review);
		const char *ends = json_string_value(json_object_get(json_object_get(m, "agreement"), "ends_on"));
		int64_t end = ps_parse_day(ends);
		json_object_set_new(m, "review_due", json_boolean(end && clock_now() >= end && !pg.acc.closed));
		if (pg.acc.closed)
			json_object_set_new(m, "closing_reflection", json_string(pg.p.closing_reflection));
	} else {
		m = base_model(&pg, NULL);
		json_object_set_new(m, "full", json_false());
	}
	struct health_result h;
	int64_t now = clock_now();
	if (ps_health(pg.db, &pg.p, now, &h) == 0) {
		/* With the recent changes of health, which the latest of says since when. */
		json_t *hj = ps_health_json(pg.a, &h);
		json_t *history = ps_health_history(pg.db, pg.p.id, PS_HEALTH_HISTORY_SHOWN);
		json_t *last = json_array_get(history, 0);
		ps_health_set_since(hj, json_string_value(json_object_get(last, "to")),
				    json_string_value(json_object_get(last, "changed_at")), now);
		json_object_set_new(hj, "has_history", json_boolean(json_array_size(history) > 0));
		json_object_set_new(hj, "history", history);
		json_object_set_new(m, "health", hj);
	}
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
		return ps_fail(req, res, rc);
	res_view(res, 200, "partnerships/agreement", m);
	return 0;
}

/* The submitted main form: the fixed fields and each partner school's commitment. */
static json_t *agreement_form(struct request *req, const struct ps_page *pg)
{
	json_t *f = ps_form_of(req, agreement_fields);
	struct ps_agreement pa;
	if (ps_agreement_load(pg->db, pg->a, &pg->acc, &pg->p, &pa) == 0) {
		for (size_t i = 0; i < pa.ag.n_schools; i++) {
			long long urn = (long long)pa.ag.schools[i].urn;
			const char *names[] = {arena_printf(pg->a, "hours_%lld", urn), arena_printf(pg->a, "budget_%lld", urn),
					       arena_printf(pg->a, "objectives_%lld", urn),
					       arena_printf(pg->a, "lead_%lld", urn)};
			for (int k = 0; k < 4; k++) {
				const char *v = req_field(req, names[k]);
				if (v)
					json_object_set_new(f, names[k], json_string(v));
			}
		}
	}
	return f;
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
 * Put what the person typed (form) back into the agreement's model, so a
 * form that did not pass shows their values with the messages, not the
 * saved ones: nothing typed is lost.
 */
static void overlay_form(json_t *ag, json_t *form)
{
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
 * POST /partnerships/{id}/agreement (type, challenge, outcomes, themes,
 *   licence, starts_on, ends_on, decision, lead_school_urn, cadence_weeks,
 *   keeper_person_id, and per partner school hours_URN, budget_URN,
 *   objectives_URN, lead_URN)
 * Save the agreement (partner schools' leads). A change after signing asks
 * every lead to sign again. 303 to the agreement.
 */
int handle_ps_agreement_save(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = json_object();
	json_t *form = agreement_form(req, &pg);
	rc = ps_agreement_save(pg.db, pg.a, &pg.acc, &pg.p, form, errors);
	if (rc) {
		json_t *m = NULL;
		if (rc == ERR_INVALID && agreement_model(&pg, &m) == 0)
			overlay_form(json_object_get(m, "agreement"), form);
		json_decref(form);
		return ps_form_fail(req, res, rc, errors, "partnerships/agreement", m);
	}
	json_decref(form);
	json_decref(errors);
	res_redirect(res, 303, arena_printf(pg.a, "/partnerships/%lld/agreement", (long long)pg.p.id));
	return 0;
}

/* Add a measure (is_risk false) or a risk; 303 to the agreement. */
static int child_add(struct request *req, struct response *res, bool is_risk)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = json_object();
	json_t *form = ps_form_of(req, is_risk ? risk_fields : measure_fields);
	rc = is_risk ? ps_risk_add(pg.db, pg.a, &pg.acc, &pg.p, form, errors)
		     : ps_measure_add(pg.db, pg.a, &pg.acc, &pg.p, form, errors);
	if (rc) {
		json_t *m = NULL;
		if (rc == ERR_INVALID && agreement_model(&pg, &m) == 0)
			json_object_set_new(m, is_risk ? "risk_form" : "measure_form", json_incref(form));
		json_decref(form);
		return ps_form_fail(req, res, rc, errors, "partnerships/agreement", m);
	}
	json_decref(form);
	json_decref(errors);
	res_redirect(res, 303,
		     arena_printf(pg.a, "/partnerships/%lld/agreement#%s", (long long)pg.p.id, is_risk ? "risks" : "measures"));
	return 0;
}

/*
 * POST /partnerships/{id}/measures (name, unit, pupil_group, baseline,
 *   target, method, when, baseline_on, target_by)
 * Add an impact measure (partner schools' leads).
 */
int handle_ps_measure_add(struct request *req, struct response *res) { return child_add(req, res, false); }

/*
 * POST /partnerships/{id}/risks (risk, likelihood, impact, mitigation, owner, status)
 * Add a risk to the register (partner schools' leads). Likelihood and impact 1–5.
 */
int handle_ps_risk_add(struct request *req, struct response *res) { return child_add(req, res, true); }

/* Delete a measure or a risk; 303 to the agreement. */
static int child_delete(struct request *req, struct response *res, bool is_risk)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	rc = is_risk ? ps_risk_delete(pg.db, &pg.acc, &pg.p, req_path_int(req, "rid"))
		     : ps_measure_delete(pg.db, &pg.acc, &pg.p, req_path_int(req, "mid"));
	if (rc)
		return ps_fail(req, res, rc);
	res_redirect(res, 303, arena_printf(pg.a, "/partnerships/%lld/agreement", (long long)pg.p.id));
	return 0;
}

/* POST /partnerships/{id}/measures/{mid}/delete — delete an impact measure (leads). */
int handle_ps_measure_delete(struct request *req, struct response *res) { return child_delete(req, res, false); }

/* POST /partnerships/{id}/risks/{rid}/delete — delete a risk (leads). */
int handle_ps_risk_delete(struct request *req, struct response *res) { return child_delete(req, res, true); }

static const char *const risk_status_choices[] = {"open", "closed", NULL};

const struct param_spec ps_risk_status_params[] = {
	{"status", PARAM_ENUM, PARAM_REQUIRED, 0, 0, risk_status_choices, "Status"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

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
	if ((rc = ps_risk_set_status(pg.db, &pg.acc, &pg.p, req_path_int(req, "rid"), req_str(req, "status"))))
		return ps_fail(req, res, rc);
	res_redirect(res, 303, arena_printf(pg.a, "/partnerships/%lld/agreement#risks", (long long)pg.p.id));
	return 0;
}

const struct param_spec ps_sign_params[] = {
	{"school", PARAM_INT, 0, 1, INT32_MAX, NULL, "School"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

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
	rc = ps_agreement_sign(pg.db, pg.a, &pg.acc, pg.u, &pg.p, req_int(req, "school", 0), &detail);
	if (rc) {
		int status = rc == ERR_INVALID ? 400 : rc == ERR_FORBIDDEN ? 403 : rc == ERR_CONFLICT ? 409 : 0;
		return status ? res_error(res, status, detail) : ps_fail(req, res, rc);
	}
	res_redirect(res, 303, arena_printf(pg.a, "/partnerships/%lld", (long long)pg.p.id));
	return 0;
}
