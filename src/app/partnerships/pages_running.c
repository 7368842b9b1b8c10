// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_running.c — running a partnership in the browser: the page with
 * its meetings, actions, decisions, time against commitments, evidence
 * charts and reflections, and the forms that add to them; the health of
 * the partnership; and the coordinators' "needs attention" list for a
 * network. Each recording form declares its fields, typed (dates, a time
 * of day, hours as people write them, each school's answer agreed_URN);
 * the model gets them as a struct. The page holds several forms, so each
 * has its own anchors ("meeting-held_on") and, when refused, comes back
 * with what was typed in it (meeting_form …) and its messages (focus_meeting …).
 */
#include <stdio.h>
#include <string.h>

#include "app/networks/net.h"
#include "app/partnerships/pages.h"
#include "app/partnerships/partnerships.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"

static const char *const agreed_choices[] = {"yes", "no", "abstain", NULL};

/* POST /partnerships/{id}/meetings */
static const struct param_spec meeting_params[] = {
	PARAM(.name = "held_on", .type = PARAM_DATE, .flags = PARAM_REQUIRED, .label = "The meeting date"),
	PARAM(.name = "held_at", .type = PARAM_TIME, .label = "The time"),
	PARAM(.name = "minutes", .type = PARAM_INT, .min = 1, .max = 1440, .label = "The length in minutes"),
	PARAM(.name = "location", .type = PARAM_STRING, .max = 200, .label = "The place"),
	PARAM(.name = "attendees", .type = PARAM_TEXT, .max = 2000, .label = "Who came"),
	PARAM(.name = "notes", .type = PARAM_TEXT, .max = PS_NOTES_MAX, .label = "The notes"),
	PARAM(.name = "decision", .type = PARAM_TEXT, .max = 2000, .label = "The decision"),
	PARAM(.name = "agreed_{urn}", .type = PARAM_ENUM, .choices = agreed_choices, .label = "Whether the school agreed"),
	PARAM(.name = "action", .type = PARAM_TEXT, .max = 500, .label = "The action"),
	PARAM(.name = "action_owner", .type = PARAM_INT, .label = "The action's owner"),
	PARAM(.name = "action_due", .type = PARAM_DATE, .label = "The action's due date"),
	PARAM_END,
};

/* POST /partnerships/{id}/actions */
static const struct param_spec action_params[] = {
	PARAM(.name = "title", .type = PARAM_TEXT, .flags = PARAM_REQUIRED, .max = 500, .label = "The action"),
	PARAM(.name = "owner_person_id", .type = PARAM_INT, .label = "The owner"),
	PARAM(.name = "due_on", .type = PARAM_DATE, .flags = PARAM_REQUIRED, .label = "The due date"),
	PARAM_END,
};

/* POST /partnerships/{id}/decisions */
static const struct param_spec decision_params[] = {
	PARAM(.name = "text", .type = PARAM_TEXT, .flags = PARAM_REQUIRED, .max = 2000, .label = "The decision"),
	PARAM(.name = "decided_on", .type = PARAM_DATE, .flags = PARAM_REQUIRED, .label = "The date"),
	PARAM(.name = "agreed_{urn}", .type = PARAM_ENUM, .choices = agreed_choices, .label = "Whether the school agreed"),
	PARAM_END,
};

/* POST /partnerships/{id}/time: hours as people write them ("1.5", "1h30", "90 min"); the model says when none. */
static const struct param_spec time_params[] = {
	PARAM(.name = "worked_on", .type = PARAM_DATE, .flags = PARAM_REQUIRED, .label = "The date"),
	PARAM(.name = "hours", .type = PARAM_HOURS, .flags = PARAM_ABOVE_MIN, .min = 0, .max = 1000, .label = "Hours"),
	PARAM(.name = "note", .type = PARAM_TEXT, .max = 500, .label = "The note"),
	PARAM_END,
};

/* POST /partnerships/{id}/evidence */
static const struct param_spec evidence_params[] = {
	PARAM(.name = "measure_id", .type = PARAM_INT, .flags = PARAM_REQUIRED, .label = "The measure"),
	PARAM(.name = "measured_on", .type = PARAM_DATE, .flags = PARAM_REQUIRED, .label = "The date"),
	PARAM(.name = "value", .type = PARAM_NUMBER, .flags = PARAM_REQUIRED, .label = "The value"),
	PARAM(.name = "note", .type = PARAM_TEXT, .max = 500, .label = "The note"),
	PARAM_END,
};

/* POST /partnerships/{id}/reflections */
static const struct param_spec reflection_params[] = {
	PARAM(.name = "worked", .type = PARAM_TEXT, .max = 4000, .label = "What worked"),
	PARAM(.name = "did_not_work", .type = PARAM_TEXT, .max = 4000, .label = "What did not work"),
	PARAM_END,
};

/* What one recording form does. */
enum rec_kind { REC_MEETING, REC_ACTION, REC_DECISION, REC_TIME, REC_EVIDENCE, REC_REFLECTION, REC__MAX };

/* Each recording form: its name (the model's "<name>_form" and "focus_<name>", the anchors' "<name>-") and table. */
static const struct {
	const char *name;
	const struct param_spec *params;
} rec_forms[REC__MAX] = {
	[REC_MEETING] = {"meeting", meeting_params},       [REC_ACTION] = {"action", action_params},
	[REC_DECISION] = {"decision", decision_params},    [REC_TIME] = {"time", time_params},
	[REC_EVIDENCE] = {"evidence", evidence_params},    [REC_REFLECTION] = {"reflection", reflection_params},
};

/*
 * The running page's model, with each recording form's values
 * (<name>_form): the day's date where a form asks for one, 16:00 for a
 * meeting.
 */
static int running_model(const struct ps_page *pg, json_t **out)
{
	json_t *run;
	int rc = ps_running_json(pg->p.db, pg->p.a, &pg->acc, &pg->ps, &run);
	if (rc)
		return rc;
	const struct ps_access *acc = &pg->acc;
	json_t *m = json_pack("{s:s, s:o, s:o, s:{s:b, s:b}}", "title", arena_printf(pg->p.a, "Running %s", pg->ps.title),
			      "partnership", ps_json(&pg->ps), "running", run, "can", "record", policy_ps_record(acc),
			      "close", policy_ps_close(acc));
	char today[16];
	clock_format_date(clock_now(), today, sizeof(today));
	json_object_set_new(m, "today", json_string(today));
	json_object_set_new(m, "meeting_form", json_pack("{s:s, s:s}", "held_on", today, "held_at", "16:00"));
	json_object_set_new(m, "action_form", json_object());
	json_object_set_new(m, "decision_form", json_pack("{s:s}", "decided_on", today));
	json_object_set_new(m, "time_form", json_pack("{s:s}", "worked_on", today));
	json_object_set_new(m, "evidence_form", json_pack("{s:s}", "measured_on", today));
	json_object_set_new(m, "reflection_form", json_object());
	struct health_result h;
	if (ps_health(pg->p.db, &pg->ps, clock_now(), &h) == 0)
		json_object_set_new(m, "health", ps_health_json(pg->p.a, &h));
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
		return page_fail(&pg.p, rc, NULL);
	res_view(res, 200, "partnerships/running", m);
	return 0;
}

/* Each school's answer (agreed_URN) as typed (arena array; *n of them). */
static const struct ps_vote *votes_of(const struct page *pg, size_t *n)
{
	struct ps_vote *v = NULL;
	size_t cap = 0;
	const char *f;
	int64_t urn;
	*n = 0;
	for (size_t i = 0; (f = req_each(pg->req, "agreed_{urn}", i, &urn)); i++) {
		if (!req_has(pg->req, f))
			continue;
		v = arena_grow(pg->a, v, *n, &cap, sizeof(*v));
		v[(*n)++] = (struct ps_vote){.urn = urn, .agreed = req_str(pg->req, f)};
	}
	return v;
}

/* A time of day as typed (seconds after midnight), -1 when not given. */
static int64_t time_of_day(const struct page *pg, const char *name)
{
	int64_t t;
	return clock_parse_hhmm(req_str(pg->req, name), &t) ? -1 : t;
}

/* Call the model for a recording form of kind with the request's typed values. */
static int record_in(struct ps_page *pg, enum rec_kind kind, json_t *errors)
{
	struct page *p = &pg->p;
	struct request *req = p->req;
	switch (kind) {
	case REC_MEETING: {
		struct ps_meeting_in in = {
			.held_on = ps_page_day(p, "held_on"),
			.held_at = time_of_day(p, "held_at"),
			.minutes = req_int(req, "minutes", 0),
			.location = req_str(req, "location"),
			.attendees = req_str(req, "attendees"),
			.notes = req_str(req, "notes"),
			.decision = req_str(req, "decision"),
			.action = req_str(req, "action"),
			.action_owner = req_int(req, "action_owner", 0),
			.action_due = ps_page_day(p, "action_due"),
		};
		in.votes = votes_of(p, &in.n_votes);
		return ps_meeting_add(p->db, p->a, &pg->acc, p->u, &pg->ps, &in, errors);
	}
	case REC_ACTION: {
		struct ps_action_in in = {.title = req_str(req, "title"),
					  .owner_person_id = req_int(req, "owner_person_id", 0),
					  .due_on = ps_page_day(p, "due_on")};
		return ps_action_add(p->db, p->a, &pg->acc, &pg->ps, &in, errors);
	}
	case REC_DECISION: {
		struct ps_decision_in in = {.text = req_str(req, "text"), .decided_on = ps_page_day(p, "decided_on")};
		in.votes = votes_of(p, &in.n_votes);
		return ps_decision_add(p->db, p->a, &pg->acc, &pg->ps, &in, errors);
	}
	case REC_TIME: {
		struct ps_time_in in = {.worked_on = ps_page_day(p, "worked_on"),
					.has_hours = req_has(req, "hours"),
					.hours_hundredths = req_hundredths(req, "hours", 0),
					.note = req_str(req, "note")};
		return ps_time_add(p->db, p->a, &pg->acc, p->u, &pg->ps, &in, errors);
	}
	case REC_EVIDENCE: {
		struct ps_evidence_in in = {.measure_id = req_int(req, "measure_id", 0),
					    .measured_on = ps_page_day(p, "measured_on"),
					    .has_value = req_has(req, "value"),
					    .value = req_num(req, "value", 0),
					    .note = req_str(req, "note")};
		return ps_evidence_add(p->db, p->a, &pg->acc, p->u, &pg->ps, &in, errors);
	}
	default: {
		struct ps_reflection_in in = {.worked = req_str(req, "worked"),
					      .did_not_work = req_str(req, "did_not_work")};
		return ps_reflection_add(p->db, p->a, &pg->acc, p->u, &pg->ps, &in, errors);
	}
	}
}

/* Mark with flag each item of list whose "id" is the request's valid value of field. */
static void mark_chosen(const struct page *pg, json_t *list, const char *field, const char *flag)
{
	int64_t chosen = req_int(pg->req, field, 0);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
		if (chosen && json_integer_value(json_object_get(o, "id")) == chosen)
			json_object_set_new(o, flag, json_true());
}

/*
 * The choices typed in a refused form of kind, marked on the running
 * page's lists so its selects show them: the owner (selected_meeting,
 * selected_action on running.people), the measure (selected_evidence on
 * running.evidence), each school's answer (meeting_yes, decision_no … on
 * running.schools, with its message as agreed_error).
 */
static void mark_typed(const struct page *pg, json_t *run, enum rec_kind kind, json_t *errors)
{
	if (kind == REC_MEETING)
		mark_chosen(pg, json_object_get(run, "people"), "action_owner", "selected_meeting");
	else if (kind == REC_ACTION)
		mark_chosen(pg, json_object_get(run, "people"), "owner_person_id", "selected_action");
	else if (kind == REC_EVIDENCE)
		mark_chosen(pg, json_object_get(run, "evidence"), "measure_id", "selected_evidence");
	if (kind != REC_MEETING && kind != REC_DECISION)
		return;
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(run, "schools"), i, o)
	{
		const char *f = arena_printf(pg->a, "agreed_%lld", (long long)json_integer_value(json_object_get(o, "urn")));
		const char *v = req_str(pg->req, f);
		if (v)
			json_object_set_new(o, arena_printf(pg->a, "%s_%s", rec_forms[kind].name, v), json_true());
		if (json_object_get(errors, f))
			json_object_set(o, "agreed_error", json_object_get(errors, f));
	}
}

/*
 * Record one thing; 303 back to the running page, or the page again with
 * the messages by the form's fields and every value typed in it.
 */
static int record(struct request *req, struct response *res, enum rec_kind kind)
{
	struct ps_page pg;
	int rc = ps_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = ps_page_errors(&pg.p, rec_forms[kind].params);
	rc = json_object_size(errors) ? ERR_INVALID : record_in(&pg, kind, errors);
	if (rc) {
		json_t *m = NULL;
		if (rc == ERR_INVALID && running_model(&pg, &m) == 0) {
			const char *name = rec_forms[kind].name;
			json_object_set_new(m, arena_printf(pg.p.a, "%s_form", name), req_form_values(req));
			json_object_set_new(m, arena_printf(pg.p.a, "focus_%s", name), json_true());
			mark_typed(&pg.p, json_object_get(m, "running"), kind, errors);
		}
		return page_form_fail(&pg.p, rc, errors, "partnerships/running", m,
				      arena_printf(pg.p.a, "%s-", rec_forms[kind].name));
	}
	json_decref(errors);
	return page_redirect(&pg.p, "/partnerships/%lld/running", (long long)pg.ps.id);
}

/*
 * POST /partnerships/{id}/meetings (held_on, held_at, minutes, location,
 *   attendees, notes, decision, agreed_URN…, action, action_owner, action_due)
 * Record a meeting, with the decision and the action taken at it. Anchors "meeting-".
 */
static int handle_ps_meeting_add(struct request *req, struct response *res) { return record(req, res, REC_MEETING); }
/* POST /partnerships/{id}/actions (title, owner_person_id, due_on) — add an action. Anchors "action-". */
static int handle_ps_action_add(struct request *req, struct response *res) { return record(req, res, REC_ACTION); }
/* POST /partnerships/{id}/decisions (text, decided_on, agreed_URN…) — record a decision. Anchors "decision-". */
static int handle_ps_decision_add(struct request *req, struct response *res) { return record(req, res, REC_DECISION); }
/* POST /partnerships/{id}/time (worked_on, hours > 0, note) — log time for the person's school. Anchors "time-". */
static int handle_ps_time_add(struct request *req, struct response *res) { return record(req, res, REC_TIME); }
/* POST /partnerships/{id}/evidence (measure_id, measured_on, value, note) — a measure's value. Anchors "evidence-". */
static int handle_ps_evidence_add(struct request *req, struct response *res) { return record(req, res, REC_EVIDENCE); }
/* POST /partnerships/{id}/reflections (worked, did_not_work) — a reflection. Anchors "reflection-". */
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
	if ((rc = ps_action_done(pg.p.db, pg.p.a, &pg.acc, &pg.ps, req_path_int(req, "aid"))))
		return page_fail(&pg.p, rc, NULL);
	return page_redirect(&pg.p, "/partnerships/%lld/running", (long long)pg.ps.id);
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
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct network net;
	struct net_access nacc;
	struct ps_access acc;
	json_t *attention, *fine;
	if (net_open(pg.db, pg.a, pg.u, req_path_str(req, "slug"), &net, &nacc))
		return page_fail(&pg, ERR_NOTFOUND, NULL);
	if ((rc = ps_access_network(pg.db, pg.u, net.id, &acc)) ||
	    (rc = ps_attention(pg.db, pg.a, &acc, clock_now(), &attention, &fine)))
		return page_fail(&pg, rc == ERR_FORBIDDEN && !policy_network_read(&nacc) ? ERR_NOTFOUND : rc, NULL);
	json_t *m = json_pack("{s:s, s:o, s:o, s:o, s:b, s:b}", "title", "Partnerships that need attention", "network",
			      net_json(&net), "attention", attention, "others", fine, "has_attention",
			      json_array_size(attention) > 0, "has_others", json_array_size(fine) > 0);
	res_view(res, 200, "partnerships/attention", m);
	return 0;
}

#define FORM ROUTE_OWN_ERRORS

/* The routes of this file (app.c lists the table). */
const struct route ps_running_routes[] = {
	{HTTP_GET, "/partnerships/{id:int}/running", handle_ps_running, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/meetings", handle_ps_meeting_add, meeting_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/actions", handle_ps_action_add, action_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/actions/{aid:int}/done", handle_ps_action_done, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/decisions", handle_ps_decision_add, decision_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/time", handle_ps_time_add, time_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/evidence", handle_ps_evidence_add, evidence_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/reflections", handle_ps_reflection_add, reflection_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/attention", handle_ps_attention, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
