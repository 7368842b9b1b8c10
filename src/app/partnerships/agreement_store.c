// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * agreement_store.c — the partnership agreement in the store: loading it
 * into the pure struct agreement (agreement.h), saving what the partners
 * type (checked with agreement.h's validators, so the messages are the same
 * everywhere), the measures and the risk register, and signing. A signature
 * is the digest of the version the lead read; when the content changes the
 * digest does too, so every lead is asked to sign again. When every
 * partner school's lead has signed the complete agreement the partnership
 * becomes active.
 */
#include <stdio.h>
#include <string.h>

#include "app/mail/mail.h"
#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_AG_GET,
	 "SELECT type, challenge, outcomes, themes, licence, starts_on, ends_on, decision, lead_school_urn, "
	 "cadence_weeks, keeper_person_id FROM partnership WHERE id = ?");
DB_QUERY(Q_AG_SCHOOLS,
	 "SELECT ps.urn, COALESCE(s.name, 'School URN ' || ps.urn), ps.lead_person_id, ps.hours_per_term, "
	 "ps.budget_pence, ps.in_objectives, ps.signed_digest, sp.name, ps.signed_at, lp.name "
	 "FROM partnership_school ps LEFT JOIN school s ON s.urn = ps.urn "
	 "LEFT JOIN person sp ON sp.id = ps.signed_by LEFT JOIN person lp ON lp.id = ps.lead_person_id "
	 "WHERE ps.partnership_id = ? ORDER BY ps.urn");
DB_QUERY(Q_AG_MEASURES,
	 "SELECT id, name, unit, pupil_group, baseline, target, method, measured_when, baseline_on, target_by "
	 "FROM partnership_measure WHERE partnership_id = ? ORDER BY id");
DB_QUERY(Q_AG_RISKS,
	 "SELECT id, risk, likelihood, impact, mitigation, owner, status FROM partnership_risk "
	 "WHERE partnership_id = ? ORDER BY id");
DB_QUERY(Q_AG_UPDATE,
	 "UPDATE partnership SET type = ?, challenge = ?, outcomes = ?, themes = ?, licence = ?, starts_on = ?, "
	 "ends_on = ?, decision = ?, lead_school_urn = ?, cadence_weeks = ?, keeper_person_id = ?, updated_at = ? "
	 "WHERE id = ?");
DB_QUERY(Q_AG_SCHOOL_UPDATE,
	 "UPDATE partnership_school SET hours_per_term = ?, budget_pence = ?, in_objectives = ?, lead_person_id = ? "
	 "WHERE partnership_id = ? AND urn = ?");
DB_QUERY(Q_AG_MEASURE_INSERT,
	 "INSERT INTO partnership_measure (partnership_id, name, unit, pupil_group, baseline, target, method, "
	 "measured_when, baseline_on, target_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_AG_RISK_INSERT,
	 "INSERT INTO partnership_risk (partnership_id, risk, likelihood, impact, mitigation, owner, status) "
	 "VALUES (?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_AG_MEASURE_DELETE, "DELETE FROM partnership_measure WHERE partnership_id = ? AND id = ?");
DB_QUERY(Q_AG_RISK_DELETE, "DELETE FROM partnership_risk WHERE partnership_id = ? AND id = ?");
DB_QUERY(Q_AG_RISK_STATUS, "UPDATE partnership_risk SET status = ? WHERE partnership_id = ? AND id = ?");
DB_QUERY(Q_AG_PEOPLE,
	 "SELECT id, name, school_urn, school_role FROM person WHERE school_urn IN "
	 "(SELECT urn FROM partnership_school WHERE partnership_id = ?) ORDER BY name, id");
DB_QUERY(Q_AG_IS_LEAD_OF, "SELECT 1 FROM person WHERE id = ? AND school_urn = ? AND school_role = 'lead'");
DB_QUERY(Q_AG_SIGN,
	 "UPDATE partnership_school SET signed_digest = ?, signed_by = ?, signed_at = ? "
	 "WHERE partnership_id = ? AND urn = ?");
DB_QUERY(Q_AG_SIGNATURE,
	 "INSERT INTO partnership_signature (partnership_id, urn, person_id, digest, signed_at) VALUES (?, ?, ?, ?, ?)");
DB_QUERY(Q_AG_ACTIVATE,
	 "UPDATE partnership SET state = 'active', activated_at = ?, updated_at = ? WHERE id = ? AND state = 'forming'");
DB_QUERY(Q_AG_PERSON_EMAIL, "SELECT email FROM person WHERE id = ?");
DB_QUERY(Q_AG_KEEPER_OK,
	 "SELECT 1 FROM person WHERE id = ? AND school_urn IN (SELECT urn FROM partnership_school WHERE partnership_id = ?)");

/* Text of column i in the arena ("" for NULL). */
static const char *col(struct db_stmt *st, struct arena *a, int i)
{
	const char *s = db_col_text(st, i);
	return arena_strdup(a, s ? s : "");
}

/* Split lines into an arena array of trimmed, non-empty strings. */
static const char **split_lines(struct arena *a, const char *text, size_t *n)
{
	size_t cap = 1;
	for (const char *p = text; *p; p++)
		cap += *p == '\n';
	const char **out = arena_calloc(a, cap, sizeof(*out));
	*n = 0;
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *t = str_trim(a, arena_strndup(a, p, len));
		if (*t)
			out[(*n)++] = t;
		p += len + (e ? 1 : 0);
	}
	return out;
}

int ps_agreement_load(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		      struct ps_agreement *out)
{
	memset(out, 0, sizeof(*out));
	if (!policy_ps_agreement_read(acc))
		return ps_deny(acc);
	out->partnership_id = p->id;
	struct agreement *ag = &out->ag;
	struct db_stmt *st = db_stmt(db, &Q_AG_GET);
	if (!st || db_bind_int(st, 1, p->id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	if (agreement_type_from_key(db_col_text(st, 0), &ag->type)) {}
	ag->challenge = col(st, a, 1);
	ag->outcomes = col(st, a, 2);
	ag->themes = split_lines(a, col(st, a, 3), &ag->n_themes);
	if (agreement_licence_from_key(db_col_text(st, 4), &ag->licence)) {}
	ag->starts_on = ps_parse_day(db_col_text(st, 5));
	ag->ends_on = ps_parse_day(db_col_text(st, 6));
	if (agreement_decision_from_key(db_col_text(st, 7), &ag->decision)) {}
	ag->lead_school_urn = db_col_is_null(st, 8) ? 0 : db_col_int(st, 8);
	ag->has_cadence = !db_col_is_null(st, 9);
	ag->cadence_weeks = ag->has_cadence ? (int)db_col_int(st, 9) : 0;
	ag->keeper_person_id = db_col_is_null(st, 10) ? 0 : db_col_int(st, 10);
	db_reset(st);

	/*
	 * Partner schools, measures and risks: every one of them, since the
	 * digest a lead signs covers the whole agreement (the arrays grow).
	 */
	size_t cap = 0, cap_by = 0, cap_at = 0;
	st = db_stmt(db, &Q_AG_SCHOOLS);
	if (!st || db_bind_int(st, 1, p->id))
		return ERR_DB;
	size_t n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		out->schools = arena_grow(a, out->schools, n, &cap, sizeof(*out->schools));
		out->signed_by = arena_grow(a, out->signed_by, n, &cap_by, sizeof(*out->signed_by));
		out->signed_at = arena_grow(a, out->signed_at, n, &cap_at, sizeof(*out->signed_at));
		struct agreement_school *s = &out->schools[n];
		s->urn = db_col_int(st, 0);
		s->name = col(st, a, 1);
		s->lead_person_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		s->has_hours = !db_col_is_null(st, 3);
		s->hours_per_term = (int)db_col_int(st, 3);
		s->has_budget = !db_col_is_null(st, 4);
		s->budget_pence = db_col_int(st, 4);
		const char *obj = db_col_text(st, 5);
		s->in_objectives = str_eq(obj, "yes") ? AGREEMENT_ANSWER_YES
				   : str_eq(obj, "no") ? AGREEMENT_ANSWER_NO
						       : AGREEMENT_ANSWER_UNSET;
		s->signed_digest = db_col_is_null(st, 6) ? NULL : col(st, a, 6);
		out->signed_by[n] = db_col_is_null(st, 7) ? NULL : col(st, a, 7);
		out->signed_at[n] = db_col_is_null(st, 8) ? NULL : col(st, a, 8);
		n++;
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	ag->schools = out->schools;
	ag->n_schools = n;

	struct agreement_measure *ms = NULL;
	size_t cap_ids = 0;
	cap = 0;
	st = db_stmt(db, &Q_AG_MEASURES);
	if (!st || db_bind_int(st, 1, p->id))
		return ERR_DB;
	n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		ms = arena_grow(a, ms, n, &cap, sizeof(*ms));
		out->measure_ids = arena_grow(a, out->measure_ids, n, &cap_ids, sizeof(*out->measure_ids));
		struct agreement_measure *m = &ms[n];
		out->measure_ids[n] = db_col_int(st, 0);
		m->name = col(st, a, 1);
		m->unit = col(st, a, 2);
		m->pupil_group = col(st, a, 3);
		m->has_baseline = !db_col_is_null(st, 4);
		m->baseline = db_col_double(st, 4);
		m->has_target = !db_col_is_null(st, 5);
		m->target = db_col_double(st, 5);
		m->method = col(st, a, 6);
		m->when = col(st, a, 7);
		m->baseline_on = ps_parse_day(db_col_text(st, 8));
		m->target_by = ps_parse_day(db_col_text(st, 9));
		n++;
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	ag->measures = ms;
	ag->n_measures = n;

	struct agreement_risk *rs = NULL;
	cap = cap_ids = 0;
	st = db_stmt(db, &Q_AG_RISKS);
	if (!st || db_bind_int(st, 1, p->id))
		return ERR_DB;
	n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		rs = arena_grow(a, rs, n, &cap, sizeof(*rs));
		out->risk_ids = arena_grow(a, out->risk_ids, n, &cap_ids, sizeof(*out->risk_ids));
		struct agreement_risk *r = &rs[n];
		out->risk_ids[n] = db_col_int(st, 0);
		r->risk = col(st, a, 1);
		r->likelihood = (int)db_col_int(st, 2);
		r->impact = (int)db_col_int(st, 3);
		r->mitigation = col(st, a, 4);
		r->owner = col(st, a, 5);
		r->status = str_eq(db_col_text(st, 6), "closed") ? AGREEMENT_RISK_CLOSED : AGREEMENT_RISK_OPEN;
		n++;
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	ag->risks = rs;
	ag->n_risks = n;
	return 0;
}

/* A day as "YYYY-MM-DD" or "" for 0 (arena). */
static const char *day(struct arena *a, int64_t t)
{
	char s[16] = "";
	if (t)
		clock_format_date(t, s, sizeof(s));
	return arena_strdup(a, s);
}

/* A day as people read it, "6 December 2026", or "" for 0 (arena). */
static const char *day_label(struct arena *a, int64_t t)
{
	char s[40] = "";
	if (t)
		clock_format_day(t, true, s, sizeof(s));
	return arena_strdup(a, s);
}

/* [{value, label, selected}] for an enum with the key/label functions given. */
static json_t *options(int max, const char *(*key)(int), const char *(*label)(int), int selected)
{
	json_t *o = json_array();
	for (int i = 0; i < max; i++)
		json_array_append_new(o, json_pack("{s:s, s:s, s:b}", "value", key(i), "label", label(i), "selected",
						   i == selected));
	return o;
}
static const char *type_key(int i) { return agreement_type_key((enum agreement_type)i); }
static const char *type_label(int i) { return agreement_type_label((enum agreement_type)i); }
static const char *licence_key(int i) { return agreement_licence_key((enum agreement_licence)i); }
static const char *licence_label(int i) { return agreement_licence_label((enum agreement_licence)i); }
static const char *decision_key(int i) { return agreement_decision_key((enum agreement_decision)i); }
static const char *decision_label(int i) { return agreement_decision_label((enum agreement_decision)i); }

/* Guidance for each section, shown above its fields. */
static const char *const guidance[AGREEMENT_SECTION__MAX] = {
	"Say what kind of partnership this is, the challenge you share, the outcomes you intend and who may use "
	"what you make. Two-way partnerships, where each school gives and gains, last longest.",
	"Each school says how many staff hours a term and how much budget it commits, and whether the work is "
	"written into staff objectives. Time that is not protected is usually the first thing lost.",
	"Choose measures about groups of pupils (never one pupil), with a baseline and a target, and say how and "
	"when you will measure them. Record what did not work as well as what did.",
	"List what might go wrong, how likely (1–5) and how serious (1–5) it is, what you will do about it and "
	"who watches it. Agree how you decide.",
	"Agree how often you meet and name the person who keeps the partnership going between meetings.",
};

/*
 * The people of the partner schools, for the form's choices: j.people
 * [{id, name, school, role, is_keeper}] (the person who keeps it going), and
 * on each of j.schools[] lead_options [{id, name, selected}] (that school's
 * leads, one of whom leads the partnership for it) and is_lead_school.
 */
static void add_people(struct db *db, const struct ps_agreement *pa, json_t *j)
{
	const struct agreement *ag = &pa->ag;
	struct db_stmt *st = db_stmt(db, &Q_AG_PEOPLE);
	json_t *rows = st && db_bind_int(st, 1, pa->partnership_id) == 0 ? db_rows_json(st) : NULL;
	json_t *people = json_array(), *schools = json_object_get(j, "schools");
	for (size_t i = 0; i < ag->n_schools; i++) {
		json_t *so = json_array_get(schools, i);
		json_object_set_new(so, "lead_options", json_array());
		json_object_set_new(so, "is_lead_school", json_boolean(ag->lead_school_urn == ag->schools[i].urn));
	}
	size_t k;
	json_t *r;
	json_array_foreach(rows, k, r)
	{
		int64_t id = json_integer_value(json_object_get(r, "id"));
		int64_t urn = json_integer_value(json_object_get(r, "school_urn"));
		const char *role = json_string_value(json_object_get(r, "school_role"));
		const char *school = "";
		for (size_t i = 0; i < ag->n_schools; i++) {
			if (ag->schools[i].urn != urn)
				continue;
			school = ag->schools[i].name ? ag->schools[i].name : "";
			if (str_eq(role, "lead"))
				json_array_append_new(json_object_get(json_array_get(schools, i), "lead_options"),
						      json_pack("{s:I, s:O, s:b}", "id", (json_int_t)id, "name",
								json_object_get(r, "name"), "selected",
								ag->schools[i].lead_person_id == id));
		}
		json_array_append_new(people, json_pack("{s:I, s:O, s:s, s:s?, s:b}", "id", (json_int_t)id, "name",
							json_object_get(r, "name"), "school", school, "role", role,
							"is_keeper", ag->keeper_person_id == id));
	}
	json_decref(rows);
	json_object_set_new(j, "people", people);
}

json_t *ps_agreement_json(struct db *db, struct arena *a, const struct ps_agreement *pa)
{
	const struct agreement *ag = &pa->ag;
	struct agreement_missing miss;
	agreement_missing(a, ag, &miss);
	json_t *j = json_object();
	json_object_set_new(j, "type", json_string(agreement_type_key(ag->type)));
	json_object_set_new(j, "type_label", json_string(agreement_type_label(ag->type)));
	json_object_set_new(j, "types", options(AGREEMENT_TYPE__MAX, type_key, type_label, (int)ag->type));
	json_object_set_new(j, "challenge", json_string(ag->challenge));
	json_object_set_new(j, "outcomes", json_string(ag->outcomes));
	json_t *themes = json_array();
	for (size_t i = 0; i < ag->n_themes; i++)
		json_array_append_new(themes, json_string(ag->themes[i]));
	json_object_set_new(j, "themes", themes);
	const char *tl = "";
	for (size_t i = 0; i < ag->n_themes; i++)
		tl = arena_printf(a, "%s%s%s", tl, i ? "\n" : "", ag->themes[i]);
	json_object_set_new(j, "themes_text", json_string(tl));
	const char *tc = "";
	for (size_t i = 0; i < ag->n_themes; i++)
		tc = arena_printf(a, "%s%s%s", tc, i ? ", " : "", ag->themes[i]);
	json_object_set_new(j, "themes_label", json_string(tc));
	json_object_set_new(j, "licence", json_string(agreement_licence_key(ag->licence)));
	json_object_set_new(j, "licence_label", json_string(agreement_licence_label(ag->licence)));
	json_object_set_new(j, "licences", options(AGREEMENT_LICENCE__MAX, licence_key, licence_label, (int)ag->licence));
	json_object_set_new(j, "starts_on", json_string(day(a, ag->starts_on)));
	json_object_set_new(j, "ends_on", json_string(day(a, ag->ends_on)));
	json_object_set_new(j, "starts_on_label", json_string(day_label(a, ag->starts_on)));
	json_object_set_new(j, "ends_on_label", json_string(day_label(a, ag->ends_on)));
	json_object_set_new(j, "decision", json_string(agreement_decision_key(ag->decision)));
	json_object_set_new(j, "decision_label", json_string(agreement_decision_label(ag->decision)));
	json_object_set_new(j, "decisions",
			    options(AGREEMENT_DECISION__MAX, decision_key, decision_label, (int)ag->decision));
	json_object_set_new(j, "lead_school_urn", ag->lead_school_urn ? json_integer(ag->lead_school_urn) : json_null());
	json_object_set_new(j, "cadence_weeks", ag->has_cadence ? json_integer(ag->cadence_weeks) : json_null());
	json_object_set_new(j, "keeper_person_id",
			    ag->keeper_person_id ? json_integer(ag->keeper_person_id) : json_null());
	json_t *schools = json_array();
	for (size_t i = 0; i < ag->n_schools; i++) {
		const struct agreement_school *s = &ag->schools[i];
		bool current = s->signed_digest && str_eq(s->signed_digest, miss.digest);
		json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:b, s:b, s:s?, s:s?, s:b}", "urn",
				      (json_int_t)s->urn, "name", s->name, "lead_person_id",
				      s->lead_person_id ? json_integer(s->lead_person_id) : json_null(), "hours_per_term",
				      s->has_hours ? json_integer(s->hours_per_term) : json_null(), "budget_pence",
				      s->has_budget ? json_integer(s->budget_pence) : json_null(), "in_objectives",
				      s->in_objectives == AGREEMENT_ANSWER_YES  ? "yes"
				      : s->in_objectives == AGREEMENT_ANSWER_NO ? "no"
										: "unset",
				      "signed", current, "signed_earlier", s->signed_digest && !current, "signed_by",
				      pa->signed_by[i], "signed_at", pa->signed_at[i], "objectives_yes",
				      s->in_objectives == AGREEMENT_ANSWER_YES);
		json_object_set_new(o, "objectives_no", json_boolean(s->in_objectives == AGREEMENT_ANSWER_NO));
		ps_add_date_label(o, "signed_at", "signed_on", true);
		if (json_object_get(o, "signed_on")) /* a time people read says whose clock it is */
			json_object_set_new(o, "signed_on", json_sprintf("%s UK time", json_string_value(json_object_get(
										     o, "signed_on"))));
		json_object_set_new(o, "hours_text", s->has_hours ? json_sprintf("%d", s->hours_per_term) : json_string(""));
		json_object_set_new(o, "budget_text",
				    s->has_budget ? json_sprintf("%lld.%02lld", (long long)(s->budget_pence / 100),
								 (long long)(s->budget_pence % 100))
						  : json_string(""));
		json_array_append_new(schools, o);
	}
	json_object_set_new(j, "schools", schools);
	add_people(db, pa, j);
	json_t *measures = json_array();
	for (size_t i = 0; i < ag->n_measures; i++) {
		const struct agreement_measure *m = &ag->measures[i];
		json_array_append_new(
			measures,
			json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)pa->measure_ids[i],
				  "name", m->name, "unit", m->unit, "pupil_group", m->pupil_group, "baseline",
				  m->has_baseline ? json_real(m->baseline) : json_null(), "target",
				  m->has_target ? json_real(m->target) : json_null(), "method", m->method, "when", m->when,
				  "baseline_on", day(a, m->baseline_on), "target_by", day(a, m->target_by)));
		json_t *mo = json_array_get(measures, json_array_size(measures) - 1);
		json_object_set_new(mo, "baseline_on_label", json_string(day_label(a, m->baseline_on)));
		json_object_set_new(mo, "target_by_label", json_string(day_label(a, m->target_by)));
	}
	json_object_set_new(j, "measures", measures);
	json_object_set_new(j, "has_measures", json_boolean(ag->n_measures > 0));
	json_t *risks = json_array();
	for (size_t i = 0; i < ag->n_risks; i++) {
		const struct agreement_risk *r = &ag->risks[i];
		json_array_append_new(risks, json_pack("{s:I, s:s, s:i, s:i, s:i, s:s, s:s, s:s}", "id",
						       (json_int_t)pa->risk_ids[i], "risk", r->risk, "likelihood",
						       r->likelihood, "impact", r->impact, "score",
						       agreement_risk_score(r->likelihood, r->impact), "mitigation",
						       r->mitigation, "owner", r->owner, "status",
						       agreement_risk_status_key(r->status)));
		json_t *ro = json_array_get(risks, json_array_size(risks) - 1);
		json_object_set_new(ro, "is_open", json_boolean(r->status == AGREEMENT_RISK_OPEN));
		json_object_set_new(ro, "high", json_boolean(r->status == AGREEMENT_RISK_OPEN &&
							     agreement_risk_score(r->likelihood, r->impact) >=
								     AGREEMENT_RISK_HIGH));
	}
	json_object_set_new(j, "risks", risks);
	json_object_set_new(j, "has_risks", json_boolean(ag->n_risks > 0));
	json_t *sections = json_array(), *guide = json_object();
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++)
		json_object_set_new(guide, agreement_section_key((enum agreement_section)s), json_string(guidance[s]));
	json_object_set_new(j, "guidance", guide);
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++) {
		json_t *gaps = json_array();
		for (size_t k = 0; k < miss.sections[s].n; k++)
			json_array_append_new(gaps, json_string(miss.sections[s].sentences[k]));
		json_array_append_new(sections, json_pack("{s:s, s:s, s:s, s:b, s:o}", "key",
							  agreement_section_key((enum agreement_section)s), "title",
							  agreement_section_title((enum agreement_section)s), "guidance",
							  guidance[s], "complete", miss.sections[s].complete, "missing", gaps));
	}
	json_object_set_new(j, "sections", sections);
	json_t *sigs = json_array();
	for (size_t k = 0; k < miss.n_signatures; k++)
		json_array_append_new(sigs, json_string(miss.signatures[k]));
	json_object_set_new(j, "signatures_missing", sigs);
	json_object_set_new(j, "complete", json_boolean(miss.complete));
	json_object_set_new(j, "signed_by_all", json_boolean(miss.signed_by_all));
	json_object_set_new(j, "digest", json_string(miss.digest));
	return j;
}

/* Copy problems into errors {field: message} (first message per field). */
static void problems_to_errors(const struct agreement_problems *pr, json_t *errors)
{
	for (size_t i = 0; i < pr->n; i++)
		if (!json_object_get(errors, pr->items[i].field))
			json_object_set_new(errors, pr->items[i].field, json_string(pr->items[i].message));
}

/* Text as typed, trimmed ("" when not given). */
static const char *trimmed(struct arena *a, const char *s)
{
	return s ? str_trim(a, s) : "";
}

/* 1 when person id is a lead of school urn, 0 when not, or a negative error. */
static int is_lead_of(struct db *db, int64_t id, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_AG_IS_LEAD_OF);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, urn))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW;
}

/* A whole number as the int a pure rule checks: out-of-range values stay out of range. */
static int clamp_int(int64_t v)
{
	return v < -1000000 ? -1000000 : v > 1000000 ? 1000000 : (int)v;
}

/* The typed commitment of school urn, or NULL when nothing was given for it. */
static const struct ps_commitment_in *commitment_of(const struct ps_agreement_in *in, int64_t urn)
{
	for (size_t i = 0; i < in->n_commits; i++)
		if (in->commits[i].urn == urn)
			return &in->commits[i];
	return NULL;
}

/*
 * Check each partner school's commitment in `in` against the pure rules
 * and who leads the school, into ns (cur's schools with the new values).
 * 0, or a store error.
 */
static int check_commitments(struct db *db, struct arena *a, const struct ps_agreement *cur,
			     const struct ps_agreement_in *in, struct agreement_school *ns,
			     struct agreement_problems *pr, json_t *errors)
{
	for (size_t i = 0; i < cur->ag.n_schools; i++) {
		ns[i] = cur->ag.schools[i];
		const struct ps_commitment_in none = {.urn = ns[i].urn};
		const struct ps_commitment_in *c = commitment_of(in, ns[i].urn);
		if (!c)
			c = &none;
		long long urn = (long long)ns[i].urn;
		const char *hf = arena_printf(a, "hours_%lld", urn), *bf = arena_printf(a, "budget_%lld", urn);
		ns[i].has_hours = c->has_hours &&
				  agreement_validate_hours(pr, hf, clamp_int(c->hours)) == 0;
		ns[i].hours_per_term = ns[i].has_hours ? (int)c->hours : 0;
		ns[i].has_budget = c->has_budget && agreement_validate_budget(pr, bf, c->budget_pence) == 0;
		ns[i].budget_pence = ns[i].has_budget ? c->budget_pence : 0;
		ns[i].in_objectives = c->objectives;
		/* lead_URN: which of the school's leads leads the partnership for it (not given: unchanged). */
		if (c->lead_person_id) {
			int ok = is_lead_of(db, c->lead_person_id, ns[i].urn);
			if (ok < 0)
				return ok;
			if (ok)
				ns[i].lead_person_id = c->lead_person_id;
			else
				json_object_set_new(errors, arena_printf(a, "lead_%lld", urn),
						    json_sprintf("%s: choose one of the school's leads.", ns[i].name));
		}
	}
	return 0;
}

/* The agreement's main fields and commitments, checked and ready to write. */
struct agreement_checked {
	const char *challenge, *outcomes, *themes; /* trimmed */
	struct agreement_school *ns;               /* each partner school with its new values */
	size_t n_schools;                          /* how many */
};

/*
 * Check the agreement's main fields and commitments in `in` (for p, whose
 * agreement is cur) into *out, adding messages to errors. 0 (errors may
 * hold messages), or a store error.
 */
static int agreement_check(struct db *db, struct arena *a, const struct partnership *p,
			   const struct ps_agreement *cur, const struct ps_agreement_in *in,
			   struct agreement_checked *out, json_t *errors)
{
	struct agreement_problems pr;
	agreement_problems_init(&pr, a);
	out->challenge = trimmed(a, in->challenge);
	out->outcomes = trimmed(a, in->outcomes);
	out->themes = trimmed(a, in->themes);
	if (agreement_validate_text(&pr, "challenge", "The shared challenge", out->challenge, AGREEMENT_MAX_CHALLENGE)) {}
	if (agreement_validate_text(&pr, "outcomes", "The outcomes", out->outcomes, AGREEMENT_MAX_OUTCOMES)) {}
	if (agreement_validate_text(&pr, "themes", "The themes", out->themes, AGREEMENT_MAX_OUTCOMES)) {}
	if (agreement_validate_dates(&pr, "ends_on", "the start date", in->starts_on, "the end date", in->ends_on)) {}
	if (in->has_cadence)
		if (agreement_validate_cadence(&pr, "cadence_weeks", clamp_int(in->cadence_weeks))) {}
	bool lead_is_partner = false;
	for (size_t i = 0; in->lead_school_urn && i < cur->ag.n_schools; i++)
		lead_is_partner |= cur->ag.schools[i].urn == in->lead_school_urn;
	if (in->lead_school_urn && !lead_is_partner)
		json_object_set_new(errors, "lead_school_urn", json_string("Choose one of the partner schools."));
	if (in->keeper_person_id) {
		struct db_stmt *st = db_stmt(db, &Q_AG_KEEPER_OK);
		if (!st || db_bind_int(st, 1, in->keeper_person_id) || db_bind_int(st, 2, p->id))
			return ERR_DB;
		int k = db_step(st);
		db_reset(st);
		if (k < 0)
			return k;
		if (k != DB_ROW)
			json_object_set_new(errors, "keeper_person_id",
					    json_string("The person who keeps it going must be from a partner school."));
	}
	out->n_schools = cur->ag.n_schools;
	out->ns = arena_calloc(a, cur->ag.n_schools + 1, sizeof(*out->ns));
	int rc = check_commitments(db, a, cur, in, out->ns, &pr, errors);
	if (rc)
		return rc;
	problems_to_errors(&pr, errors);
	return 0;
}

/* Write the checked agreement of p (inside the caller's transaction). 0 or a store error. */
static int agreement_write(struct db *db, struct arena *a, const struct partnership *p,
			   const struct ps_agreement_in *in, const struct agreement_checked *c)
{
	const char *now = ps_iso(a, clock_now());
	struct db_stmt *st = db_stmt(db, &Q_AG_UPDATE);
	if (!st || db_bind_text(st, 1, agreement_type_key(in->type)) || db_bind_text(st, 2, c->challenge) ||
	    db_bind_text(st, 3, c->outcomes) || db_bind_text(st, 4, c->themes) ||
	    db_bind_text(st, 5, agreement_licence_key(in->licence)) ||
	    (in->starts_on ? db_bind_text(st, 6, day(a, in->starts_on)) : db_bind_null(st, 6)) ||
	    (in->ends_on ? db_bind_text(st, 7, day(a, in->ends_on)) : db_bind_null(st, 7)) ||
	    db_bind_text(st, 8, agreement_decision_key(in->decision)) ||
	    (in->lead_school_urn ? db_bind_int(st, 9, in->lead_school_urn) : db_bind_null(st, 9)) ||
	    (in->has_cadence ? db_bind_int(st, 10, in->cadence_weeks) : db_bind_null(st, 10)) ||
	    (in->keeper_person_id ? db_bind_int(st, 11, in->keeper_person_id) : db_bind_null(st, 11)) ||
	    db_bind_text(st, 12, now) || db_bind_int(st, 13, p->id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < c->n_schools; i++) {
		const struct agreement_school *ns = &c->ns[i];
		st = db_stmt(db, &Q_AG_SCHOOL_UPDATE);
		if (!st || (ns->has_hours ? db_bind_int(st, 1, ns->hours_per_term) : db_bind_null(st, 1)) ||
		    (ns->has_budget ? db_bind_int(st, 2, ns->budget_pence) : db_bind_null(st, 2)) ||
		    db_bind_text(st, 3, ns->in_objectives == AGREEMENT_ANSWER_YES  ? "yes"
					: ns->in_objectives == AGREEMENT_ANSWER_NO ? "no"
										   : "unset") ||
		    (ns->lead_person_id > 0 ? db_bind_int(st, 4, ns->lead_person_id) : db_bind_null(st, 4)) ||
		    db_bind_int(st, 5, p->id) || db_bind_int(st, 6, ns->urn))
			return ERR_DB;
		if ((rc = db_step(st)) < 0)
			return rc;
	}
	return 0;
}

int ps_agreement_save(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		      const struct ps_agreement_in *in, json_t *errors)
{
	if (!policy_ps_agreement_edit(acc))
		return ps_deny(acc);
	struct ps_agreement cur;
	struct agreement_checked c;
	int rc = ps_agreement_load(db, a, acc, p, &cur);
	if (rc || (rc = agreement_check(db, a, p, &cur, in, &c, errors)))
		return rc;
	if (json_object_size(errors))
		return ERR_INVALID;
	if ((rc = db_begin(db)))
		return rc;
	if ((rc = agreement_write(db, a, p, in, &c)) == 0)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* The name of field `name` of row `row` of the one form ("m_name_2"), or `name` for row 0. */
static const char *row_field(struct arena *a, const char *prefix, int64_t row, const char *name)
{
	return row ? arena_printf(a, "%s%s_%lld", prefix, name, (long long)row) : name;
}

/* Check a measure as typed into *m, adding messages (named after its row) to errors. */
static void measure_check(struct arena *a, const struct ps_measure_in *in, struct agreement_measure *m,
			  json_t *errors)
{
	*m = (struct agreement_measure){
		.name = trimmed(a, in->name),
		.unit = trimmed(a, in->unit),
		.pupil_group = trimmed(a, in->pupil_group),
		.has_baseline = in->has_baseline,
		.baseline = in->baseline,
		.has_target = in->has_target,
		.target = in->target,
		.method = trimmed(a, in->method),
		.when = trimmed(a, in->when),
		.baseline_on = in->baseline_on,
		.target_by = in->target_by,
	};
	struct agreement_problems pr;
	agreement_problems_init(&pr, a);
	int64_t row = in->row;
	if (!*m->name)
		json_object_set_new(errors, row_field(a, "m_", row, "name"), json_string("Give the measure a name."));
	if (agreement_validate_text(&pr, row_field(a, "m_", row, "name"), "The name", m->name, AGREEMENT_MAX_NAME)) {}
	if (agreement_validate_text(&pr, row_field(a, "m_", row, "unit"), "The unit", m->unit, AGREEMENT_MAX_UNIT)) {}
	if (agreement_validate_text(&pr, row_field(a, "m_", row, "pupil_group"), "The group of pupils", m->pupil_group,
				    AGREEMENT_MAX_NAME)) {}
	if (agreement_validate_text(&pr, row_field(a, "m_", row, "method"), "How it is measured", m->method,
				    AGREEMENT_MAX_METHOD)) {}
	if (agreement_validate_text(&pr, row_field(a, "m_", row, "when"), "When it is measured", m->when,
				    AGREEMENT_MAX_NAME)) {}
	if (agreement_validate_dates(&pr, row_field(a, "m_", row, "target_by"), "the baseline date", m->baseline_on,
				     "the target date", m->target_by)) {}
	problems_to_errors(&pr, errors);
}

/* Insert a checked measure of p. 0 or a store error. */
static int measure_insert(struct db *db, struct arena *a, const struct partnership *p,
			  const struct agreement_measure *m)
{
	struct db_stmt *st = db_stmt(db, &Q_AG_MEASURE_INSERT);
	if (!st || db_bind_int(st, 1, p->id) || db_bind_text(st, 2, m->name) || db_bind_text(st, 3, m->unit) ||
	    db_bind_text(st, 4, m->pupil_group) ||
	    (m->has_baseline ? db_bind_double(st, 5, m->baseline) : db_bind_null(st, 5)) ||
	    (m->has_target ? db_bind_double(st, 6, m->target) : db_bind_null(st, 6)) ||
	    db_bind_text(st, 7, m->method) || db_bind_text(st, 8, m->when) ||
	    (m->baseline_on ? db_bind_text(st, 9, day(a, m->baseline_on)) : db_bind_null(st, 9)) ||
	    (m->target_by ? db_bind_text(st, 10, day(a, m->target_by)) : db_bind_null(st, 10)))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int ps_measure_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		   const struct ps_measure_in *in, json_t *errors)
{
	if (!policy_ps_agreement_edit(acc))
		return ps_deny(acc);
	struct agreement_measure m;
	measure_check(a, in, &m, errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	return measure_insert(db, a, p, &m);
}

/* Check a risk as typed into *r, adding messages (named after its row) to errors. */
static void risk_check(struct arena *a, const struct ps_risk_in *in, struct agreement_risk *r, json_t *errors)
{
	*r = (struct agreement_risk){
		.risk = trimmed(a, in->risk),
		.likelihood = clamp_int(in->likelihood),
		.impact = clamp_int(in->impact),
		.mitigation = trimmed(a, in->mitigation),
		.owner = trimmed(a, in->owner),
		.status = in->status,
	};
	struct agreement_problems pr;
	agreement_problems_init(&pr, a);
	int64_t row = in->row;
	const char *rf = row_field(a, "r_", row, "risk"), *lf = row_field(a, "r_", row, "likelihood"),
		   *imf = row_field(a, "r_", row, "impact");
	if (!*r->risk)
		json_object_set_new(errors, rf, json_string("Say what might go wrong."));
	if (agreement_validate_text(&pr, rf, "The risk", r->risk, AGREEMENT_MAX_RISK)) {}
	if (agreement_validate_text(&pr, row_field(a, "r_", row, "mitigation"), "The mitigation", r->mitigation,
				    AGREEMENT_MAX_MITIGATION)) {}
	if (agreement_validate_text(&pr, row_field(a, "r_", row, "owner"), "The owner", r->owner, AGREEMENT_MAX_NAME)) {}
	if (!in->likelihood)
		json_object_set_new(errors, lf, json_string("Give the likelihood as a whole number from 1 to 5."));
	else if (agreement_validate_likelihood(&pr, lf, r->likelihood)) {}
	if (!in->impact)
		json_object_set_new(errors, imf, json_string("Give the impact as a whole number from 1 to 5."));
	else if (agreement_validate_impact(&pr, imf, r->impact)) {}
	problems_to_errors(&pr, errors);
}

/* Insert a checked risk of p. 0 or a store error. */
static int risk_insert(struct db *db, const struct partnership *p, const struct agreement_risk *r)
{
	struct db_stmt *st = db_stmt(db, &Q_AG_RISK_INSERT);
	if (!st || db_bind_int(st, 1, p->id) || db_bind_text(st, 2, r->risk) || db_bind_int(st, 3, r->likelihood) ||
	    db_bind_int(st, 4, r->impact) || db_bind_text(st, 5, r->mitigation) || db_bind_text(st, 6, r->owner) ||
	    db_bind_text(st, 7, agreement_risk_status_key(r->status)))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int ps_risk_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		const struct ps_risk_in *in, json_t *errors)
{
	if (!policy_ps_agreement_edit(acc))
		return ps_deny(acc);
	struct agreement_risk r;
	risk_check(a, in, &r, errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	return risk_insert(db, p, &r);
}

/* Run statement q on (p's id, id) and expect one row changed: 0, ERR_NOTFOUND or a store error. */
static int change_one(struct db *db, const struct db_query *q, int64_t pid, int64_t id)
{
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, pid) || db_bind_int(st, 2, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) == 1 ? 0 : ERR_NOTFOUND;
}

/* Mark risk id of p open or closed (in the caller's transaction, or on its own). */
static int risk_status_write(struct db *db, const struct partnership *p, int64_t id,
			     enum agreement_risk_status status)
{
	const char *key = agreement_risk_status_key(status);
	if (!key)
		return ERR_INVALID;
	struct db_stmt *st = db_stmt(db, &Q_AG_RISK_STATUS);
	if (!st || db_bind_text(st, 1, key) || db_bind_int(st, 2, p->id) || db_bind_int(st, 3, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) == 1 ? 0 : ERR_NOTFOUND;
}

/* Whether two measures say the same (a row sent twice by a double click). */
static bool same_measure(const struct agreement_measure *x, const struct agreement_measure *y)
{
	return str_eq(x->name, y->name) && str_eq(x->unit, y->unit) && str_eq(x->pupil_group, y->pupil_group) &&
	       str_eq(x->method, y->method) && str_eq(x->when, y->when) && x->has_baseline == y->has_baseline &&
	       (!x->has_baseline || x->baseline == y->baseline) && x->has_target == y->has_target &&
	       (!x->has_target || x->target == y->target) && x->baseline_on == y->baseline_on &&
	       x->target_by == y->target_by;
}

/* Whether two risks say the same. */
static bool same_risk(const struct agreement_risk *x, const struct agreement_risk *y)
{
	return str_eq(x->risk, y->risk) && x->likelihood == y->likelihood && x->impact == y->impact &&
	       str_eq(x->mitigation, y->mitigation) && str_eq(x->owner, y->owner);
}

int ps_agreement_save_form(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
			   const struct ps_agreement_form_in *in, json_t *errors)
{
	if (!policy_ps_agreement_edit(acc))
		return ps_deny(acc);
	struct ps_agreement cur;
	struct agreement_checked c;
	int rc = ps_agreement_load(db, a, acc, p, &cur);
	if (rc || (rc = agreement_check(db, a, p, &cur, &in->main, &c, errors)))
		return rc;
	struct agreement_measure *ms = arena_calloc(a, in->n_measures + 1, sizeof(*ms));
	struct agreement_risk *rs = arena_calloc(a, in->n_risks + 1, sizeof(*rs));
	for (size_t i = 0; i < in->n_measures; i++)
		measure_check(a, &in->measures[i], &ms[i], errors);
	for (size_t i = 0; i < in->n_risks; i++)
		risk_check(a, &in->risks[i], &rs[i], errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	/* One transaction: the whole form is kept, or none of it. */
	if ((rc = db_begin(db)))
		return rc;
	if ((rc = agreement_write(db, a, p, &in->main, &c)))
		goto out;
	/*
	 * A new row that says exactly what a saved measure or risk says is the
	 * same form sent twice (a double click): it is not added again.
	 */
	for (size_t i = 0; i < in->n_measures; i++) {
		bool twice = false;
		for (size_t k = 0; k < cur.ag.n_measures && !twice; k++)
			twice = same_measure(&ms[i], &cur.ag.measures[k]);
		if (!twice && (rc = measure_insert(db, a, p, &ms[i])))
			goto out;
	}
	for (size_t i = 0; i < in->n_risks; i++) {
		bool twice = false;
		for (size_t k = 0; k < cur.ag.n_risks && !twice; k++)
			twice = same_risk(&rs[i], &cur.ag.risks[k]);
		if (!twice && (rc = risk_insert(db, p, &rs[i])))
			goto out;
	}
	if (in->delete_measure && (rc = change_one(db, &Q_AG_MEASURE_DELETE, p->id, in->delete_measure)))
		goto out;
	if (in->delete_risk && (rc = change_one(db, &Q_AG_RISK_DELETE, p->id, in->delete_risk)))
		goto out;
	if (in->status_risk && (rc = risk_status_write(db, p, in->status_risk, in->risk_status)))
		goto out;
	rc = db_commit(db);
out:
	if (rc)
		db_rollback(db);
	return rc;
}

/* Delete one row of a partnership's child table by id. */
static int delete_child(struct db *db, const struct ps_access *acc, const struct partnership *p,
			const struct db_query *q, int64_t id)
{
	if (!policy_ps_agreement_edit(acc))
		return ps_deny(acc);
	return change_one(db, q, p->id, id);
}

int ps_measure_delete(struct db *db, const struct ps_access *acc, const struct partnership *p, int64_t id)
{
	return delete_child(db, acc, p, &Q_AG_MEASURE_DELETE, id);
}

int ps_risk_delete(struct db *db, const struct ps_access *acc, const struct partnership *p, int64_t id)
{
	return delete_child(db, acc, p, &Q_AG_RISK_DELETE, id);
}

int ps_risk_set_status(struct db *db, const struct ps_access *acc, const struct partnership *p, int64_t id,
		       enum agreement_risk_status status)
{
	if (!policy_ps_agreement_edit(acc))
		return ps_deny(acc);
	return risk_status_write(db, p, id, status);
}

/* Whether acc lets its person sign; when not, the error with a sentence in *detail. */
static int sign_allowed(const struct ps_access *acc, const char **detail)
{
	if (!policy_ps_read(acc))
		return ERR_NOTFOUND;
	if (!policy_ps_sign(acc)) {
		*detail = acc->closed ? "This partnership is closed; its agreement can no longer be signed."
				      : "Only the lead of a partner school can sign the agreement, for their own school.";
		return acc->closed ? ERR_CONFLICT : ERR_FORBIDDEN;
	}
	return 0;
}

/*
 * Tell the lead of each partner school of pa that has not signed its
 * current version (digest) that it is their turn: the school's named lead
 * for the partnership, or every lead of the school when none is named yet.
 * A mail that cannot be queued is logged; it never undoes the signature.
 */
static void mail_turn_to_sign(struct db *db, struct arena *a, const struct partnership *p,
			      const struct ps_agreement *pa, const char *digest, const struct user *u,
			      const char *base_url)
{
	const char *signer_school = "";
	for (size_t i = 0; i < pa->ag.n_schools; i++)
		if (pa->ag.schools[i].lead_person_id == u->id)
			signer_school = pa->ag.schools[i].name;
	for (size_t i = 0; i < pa->ag.n_schools; i++) {
		const struct agreement_school *s = &pa->ag.schools[i];
		if (s->signed_digest && str_eq(s->signed_digest, digest))
			continue;
		const char *subject = arena_printf(a, "Your turn to sign: %s", p->title);
		const char *body = arena_printf(
			a,
			"%s has signed the partnership agreement \"%s\" for %s.\n\n"
			"It is your turn to sign it for %s. Read the agreement and sign it here:\n%s/partnerships/%lld/agreement\n\n"
			"When every partner school's lead has signed, the partnership becomes active.\n",
			u->name, p->title, signer_school, s->name, base_url ? base_url : "", (long long)p->id);
		if (!s->lead_person_id) {
			ps_mail_leads(db, s->urn, subject, body);
			continue;
		}
		struct db_stmt *st = db_stmt(db, &Q_AG_PERSON_EMAIL);
		const char *to = NULL;
		if (st && db_bind_int(st, 1, s->lead_person_id) == 0 && db_step(st) == DB_ROW && db_col_text(st, 0))
			to = arena_strdup(a, db_col_text(st, 0));
		if (st)
			db_reset(st);
		if (!to || mail_queue(db, to, subject, body))
			log_warn("partnerships: could not queue the turn-to-sign mail for school %lld", (long long)s->urn);
	}
}

int ps_agreement_sign(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		      const struct partnership *p, int64_t for_urn, const char *base_url, const char **detail)
{
	*detail = NULL;
	int rc = sign_allowed(acc, detail);
	if (rc)
		return rc;
	/*
	 * The partnership and its agreement are read again and checked inside
	 * the transaction that writes the signature, so the digest signed is of
	 * the agreement as it stands when the signature is kept: an edit or a
	 * close that lands between the page's read and this write cannot slip
	 * past it.
	 */
	struct partnership cur;
	struct ps_access cur_acc;
	struct ps_agreement pa;
	char digest[AGREEMENT_DIGEST_SIZE];
	if ((rc = db_begin(db)))
		return rc;
	if ((rc = ps_open(db, a, u, p->id, &cur, &cur_acc)) || (rc = sign_allowed(&cur_acc, detail)))
		goto out;
	if ((rc = ps_agreement_load(db, a, &cur_acc, &cur, &pa)))
		goto out;
	if (for_urn > 0) {
		bool theirs = false;
		for (size_t i = 0; i < pa.ag.n_schools; i++)
			theirs |= pa.ag.schools[i].urn == for_urn && pa.ag.schools[i].lead_person_id == u->id;
		if (!theirs) {
			*detail = "You can sign only for a partner school whose lead for this partnership is you; each "
				  "school's lead signs for their own school.";
			rc = ERR_FORBIDDEN;
			goto out;
		}
	}
	rc = agreement_can_sign(&pa.ag, u->id);
	if (rc == ERR_INVALID)
		*detail = "The agreement is not complete yet: fill in what the page lists as missing, then sign.";
	else if (rc == ERR_FORBIDDEN)
		*detail = "You are not named as the lead of a partner school in this partnership, so you cannot sign "
			  "for one.";
	else if (rc == ERR_CONFLICT)
		*detail = "You have already signed this version of the agreement.";
	if (rc)
		goto out;
	agreement_digest(&pa.ag, digest);
	const char *now = ps_iso(a, clock_now());
	for (size_t i = 0; i < pa.ag.n_schools; i++) {
		struct agreement_school *s = &pa.schools[i];
		if (s->lead_person_id != u->id || (for_urn > 0 && s->urn != for_urn))
			continue;
		struct db_stmt *st = db_stmt(db, &Q_AG_SIGN);
		if (!st || db_bind_text(st, 1, digest) || db_bind_int(st, 2, u->id) || db_bind_text(st, 3, now) ||
		    db_bind_int(st, 4, p->id) || db_bind_int(st, 5, s->urn)) {
			rc = ERR_DB;
			goto out;
		}
		if ((rc = db_step(st)) < 0)
			goto out;
		st = db_stmt(db, &Q_AG_SIGNATURE);
		if (!st || db_bind_int(st, 1, p->id) || db_bind_int(st, 2, s->urn) || db_bind_int(st, 3, u->id) ||
		    db_bind_text(st, 4, digest) || db_bind_text(st, 5, now)) {
			rc = ERR_DB;
			goto out;
		}
		if ((rc = db_step(st)) < 0)
			goto out;
		s->signed_digest = arena_strdup(a, digest);
	}
	if (!agreement_signed_by_all(&pa.ag)) {
		mail_turn_to_sign(db, a, p, &pa, digest, u, base_url);
	} else {
		struct db_stmt *st = db_stmt(db, &Q_AG_ACTIVATE);
		if (!st || db_bind_text(st, 1, now) || db_bind_text(st, 2, now) || db_bind_int(st, 3, p->id)) {
			rc = ERR_DB;
			goto out;
		}
		if ((rc = db_step(st)) < 0)
			goto out;
	}
	rc = db_commit(db);
out:
	if (rc)
		db_rollback(db);
	return rc;
}
