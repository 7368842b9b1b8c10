// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_running.c — running a partnership in the browser: the page with
 * its meetings, actions, decisions, time against commitments, evidence
 * charts and reflections, and the forms that add to them; the health of
 * the partnership; the coordinators' "needs attention" list for a network;
 * and review and close with a closing reflection.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/networks/net.h"
#include "app/partnerships/pages.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* With the latest recorded change of health (for "since when"). */
DB_QUERY(Q_PR_NETWORK_PS,
	 "SELECT p.id, h.to_status AS last_to, h.changed_at AS last_at FROM partnership p "
	 "LEFT JOIN health_change h ON h.id = (SELECT id FROM health_change WHERE partnership_id = p.id "
	 "ORDER BY changed_at DESC, id DESC LIMIT 1) "
	 "WHERE p.network_id = ? AND p.state <> 'closed' ORDER BY p.id");
DB_QUERY(Q_PR_CLOSE,
	 "UPDATE partnership SET state = 'closed', closed_at = ?, closing_reflection = ?, updated_at = ? "
	 "WHERE id = ? AND state <> 'closed'");

/* Every field any recording form sends (undeclared: the model checks each). */
static const char *const run_fields[] = {"held_on", "held_at", "minutes", "location", "attendees", "notes",
					 "decision", "action", "action_owner", "action_due", "title",
					 "owner_person_id", "due_on", "text", "decided_on", "worked_on", "hours",
					 "note", "measure_id", "measured_on", "value", "worked", "did_not_work", NULL};

/* The running page's model. */
static int running_model(const struct ps_page *pg, json_t **out)
{
	json_t *run;
	int rc = ps_running_json(pg->db, pg->a, &pg->acc, &pg->p, &run);
	if (rc)
		return rc;
	const struct ps_access *acc = &pg->acc;
	json_t *m = json_pack("{s:s, s:o, s:o, s:{s:b, s:b}}", "title", arena_printf(pg->a, "Running %s", pg->p.title),
			      "partnership", ps_json(&pg->p), "running", run, "can", "record", policy_ps_record(acc),
			      "close", policy_ps_close(acc));
	char today[16];
	clock_format_date(clock_now(), today, sizeof(today));
	json_object_set_new(m, "today", json_string(today));
	struct health_result h;
	if (ps_health(pg->db, &pg->p, clock_now(), &h) == 0)
		json_object_set_new(m, "health", ps_health_json(pg->a, &h));
	*out = m;
	return 0;
}

/*
 * GET /partnerships/{id}/running
 * Meetings, actions, decisions, time logged against each school's
 * commitment, evidence charts and reflections, with the forms that add to
 * them (leads and staff of partner schools).
 */
static int handle_ps_running(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = running_model(&pg, &m)))
		return ps_fail(req, res, rc);
	res_view(res, 200, "partnerships/running", m);
	return 0;
}

/* What one recording form does. */
enum rec_kind { REC_MEETING, REC_ACTION, REC_DECISION, REC_TIME, REC_EVIDENCE, REC_REFLECTION };

/* Record one thing; 303 back to the running page, or the page again with the errors. */
static int record(struct request *req, struct response *res, enum rec_kind kind)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = json_object(), *form = ps_form_of(req, run_fields);
	/* Decisions carry each partner school's answer as agreed_URN. */
	struct ps_agreement pa;
	if ((kind == REC_MEETING || kind == REC_DECISION) && ps_agreement_load(pg.db, pg.a, &pg.acc, &pg.p, &pa) == 0)
		for (size_t i = 0; i < pa.ag.n_schools; i++) {
			const char *n = arena_printf(pg.a, "agreed_%lld", (long long)pa.ag.schools[i].urn);
			const char *v = req_field(req, n);
			if (v)
				json_object_set_new(form, n, json_string(v));
		}
	switch (kind) {
	case REC_MEETING: rc = ps_meeting_add(pg.db, pg.a, &pg.acc, pg.u, &pg.p, form, errors); break;
	case REC_ACTION: rc = ps_action_add(pg.db, pg.a, &pg.acc, &pg.p, form, errors); break;
	case REC_DECISION: rc = ps_decision_add(pg.db, pg.a, &pg.acc, &pg.p, form, errors); break;
	case REC_TIME: rc = ps_time_add(pg.db, pg.a, &pg.acc, pg.u, &pg.p, form, errors); break;
	case REC_EVIDENCE: rc = ps_evidence_add(pg.db, pg.a, &pg.acc, pg.u, &pg.p, form, errors); break;
	default: rc = ps_reflection_add(pg.db, pg.a, &pg.acc, pg.u, &pg.p, form, errors); break;
	}
	json_decref(form);
	if (rc) {
		json_t *m = NULL;
		if (rc == ERR_INVALID && running_model(&pg, &m) != 0)
			m = NULL;
		return ps_form_fail(req, res, rc, errors, "partnerships/running", m);
	}
	json_decref(errors);
	res_redirect(res, 303, arena_printf(pg.a, "/partnerships/%lld/running", (long long)pg.p.id));
	return 0;
}

/*
 * POST /partnerships/{id}/meetings (held_on, held_at, minutes, location,
 *   attendees, notes, decision, agreed_URN…, action, action_owner, action_due)
 * Record a meeting, with the decision and the action taken at it.
 */
static int handle_ps_meeting_add(struct request *req, struct response *res) { return record(req, res, REC_MEETING); }
/* POST /partnerships/{id}/actions (title, owner_person_id, due_on) — add an action. */
static int handle_ps_action_add(struct request *req, struct response *res) { return record(req, res, REC_ACTION); }
/* POST /partnerships/{id}/decisions (text, decided_on, agreed_URN…) — record a decision. */
static int handle_ps_decision_add(struct request *req, struct response *res) { return record(req, res, REC_DECISION); }
/* POST /partnerships/{id}/time (worked_on, hours > 0, note) — log time for the person's school. */
static int handle_ps_time_add(struct request *req, struct response *res) { return record(req, res, REC_TIME); }
/* POST /partnerships/{id}/evidence (measure_id, measured_on, value, note) — a measure's value. */
static int handle_ps_evidence_add(struct request *req, struct response *res) { return record(req, res, REC_EVIDENCE); }
/* POST /partnerships/{id}/reflections (worked, did_not_work) — a reflection. */
static int handle_ps_reflection_add(struct request *req, struct response *res) { return record(req, res, REC_REFLECTION); }

/*
 * POST /partnerships/{id}/actions/{aid}/done
 * Mark an action done (leads and staff of partner schools).
 */
static int handle_ps_action_done(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	if ((rc = ps_action_done(pg.db, pg.a, &pg.acc, &pg.p, req_path_int(req, "aid"))))
		return ps_fail(req, res, rc);
	res_redirect(res, 303, arena_printf(pg.a, "/partnerships/%lld/running", (long long)pg.p.id));
	return 0;
}

static const struct param_spec close_params[] = {
	{"reflection", PARAM_TEXT, 0, 0, 20000, NULL, "Closing reflection"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

/*
 * POST /partnerships/{id}/close (reflection, required)
 * Close the partnership with a closing reflection (a partner school's
 * lead). It stays readable as evidence. 303 to the partnership.
 */
static int handle_ps_close(struct request *req, struct response *res)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	if (!policy_ps_close(&pg.acc))
		return ps_fail(req, res, pg.acc.closed ? ERR_CONFLICT : ERR_FORBIDDEN);
	const char *refl = req_str(req, "reflection");
	refl = refl ? str_trim(pg.a, refl) : "";
	if (!*refl || utf8_len(refl, strlen(refl)) > PS_NOTES_MAX) {
		res_field_error(res, "reflection", *refl ? "Keep the closing reflection to 10000 characters."
							 : "Write a closing reflection: what the partnership achieved, what did "
							   "not work and what you would do differently.");
		return res_error(res, 400, "A partnership closes with a closing reflection.");
	}
	const char *now = ps_iso(pg.a, clock_now());
	struct db_stmt *st = db_stmt(pg.db, &Q_PR_CLOSE);
	if (!st || db_bind_text(st, 1, now) || db_bind_text(st, 2, refl) || db_bind_text(st, 3, now) ||
	    db_bind_int(st, 4, pg.p.id))
		return ERR_DB;
	if ((rc = db_step(st)) < 0)
		return rc;
	if (db_changes(pg.db) != 1)
		return ps_fail(req, res, ERR_CONFLICT);
	res_redirect(res, 303, arena_printf(pg.a, "/partnerships/%lld", (long long)pg.p.id));
	return 0;
}

/*
 * GET /networks/{slug}/attention
 * The network's open partnerships with their health, those that need
 * attention (overdue, fading, at risk) first, with the reason and, once
 * the health sweep has recorded it, since when (coordinators and
 * administrators).
 */
static int handle_ps_attention(struct request *req, struct response *res)
{
	const struct user *u;
	struct db *db;
	int rc = ps_page_begin(req, res, &u, &db);
	if (rc)
		return rc;
	struct arena *a = req_arena(req);
	struct network net;
	struct net_access nacc;
	if (net_open(db, a, u, req_path_str(req, "slug"), &net, &nacc))
		return ps_fail(req, res, ERR_NOTFOUND);
	struct ps_access acc;
	if ((rc = ps_access_network(db, u, net.id, &acc)))
		return rc;
	if (!policy_ps_attention(&acc))
		return ps_fail(req, res, policy_network_read(&nacc) ? ERR_FORBIDDEN : ERR_NOTFOUND);
	struct db_stmt *st = db_stmt(db, &Q_PR_NETWORK_PS);
	json_t *ids = st && db_bind_int(st, 1, net.id) == 0 ? db_rows_json(st) : NULL;
	if (!ids)
		return ERR_DB;
	json_t *attention = json_array(), *fine = json_array();
	int64_t now = clock_now();
	size_t i;
	json_t *row;
	json_array_foreach(ids, i, row)
	{
		struct partnership p;
		struct ps_access pacc;
		if (ps_open(db, a, u, json_integer_value(json_object_get(row, "id")), &p, &pacc))
			continue;
		struct health_result h;
		if (ps_health(db, &p, now, &h))
			continue;
		json_t *item = ps_json(&p);
		json_t *hj = ps_health_json(a, &h);
		ps_health_set_since(hj, json_string_value(json_object_get(row, "last_to")),
				    json_string_value(json_object_get(row, "last_at")), now);
		bool needs = json_is_true(json_object_get(hj, "needs_attention"));
		json_object_set_new(item, "health", hj);
		json_array_append_new(needs ? attention : fine, item);
	}
	json_decref(ids);
	json_t *m = json_pack("{s:s, s:o, s:o, s:o, s:b, s:b}", "title", "Partnerships that need attention", "network",
			      net_json(&net), "attention", attention, "others", fine, "has_attention",
			      json_array_size(attention) > 0, "has_others", json_array_size(fine) > 0);
	res_view(res, 200, "partnerships/attention", m);
	return 0;
}

/* The routes of this file (pages.c lists them in partnerships_routes). */
const struct route ps_running_routes[] = {
	{HTTP_GET, "/partnerships/{id:int}/running", handle_ps_running, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/meetings", handle_ps_meeting_add, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/actions", handle_ps_action_add, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/actions/{aid:int}/done", handle_ps_action_done, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/decisions", handle_ps_decision_add, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/time", handle_ps_time_add, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/evidence", handle_ps_evidence_add, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/reflections", handle_ps_reflection_add, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/close", handle_ps_close, close_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/attention", handle_ps_attention, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
