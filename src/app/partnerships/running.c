// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * running.c — running a partnership: meetings (with the decision and the
 * action taken at them), actions with an owner and a due day, decisions
 * with each partner school's agreement, the time each school gives against
 * its commitment, the measures' values over time (with the numbers for a
 * small chart against baseline and target) and reflections on what worked
 * and what did not. Leads and staff of partner schools record; everyone in
 * the partner schools reads; nothing changes once the partnership closes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_RUN_MEETING_INSERT,
	 "INSERT INTO meeting (partnership_id, held_at, minutes, location, attendees, notes, created_by, created_at) "
	 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_RUN_ACTION_INSERT,
	 "INSERT INTO action (partnership_id, meeting_id, title, owner_person_id, due_on, created_at) "
	 "VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_RUN_ACTION_DONE,
	 "UPDATE action SET done_at = ? WHERE partnership_id = ? AND id = ? AND done_at IS NULL");
DB_QUERY(Q_RUN_DECISION_INSERT,
	 "INSERT INTO decision (partnership_id, meeting_id, text, decided_on, created_at) VALUES (?, ?, ?, ?, ?)");
DB_QUERY(Q_RUN_DECISION_SCHOOL, "INSERT INTO decision_school (decision_id, urn, agreed) VALUES (?, ?, ?)");
DB_QUERY(Q_RUN_TIME_INSERT,
	 "INSERT INTO time_log (partnership_id, urn, person_id, worked_on, hours, note, created_at) "
	 "VALUES (?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_RUN_MEASURE_OF, "SELECT 1 FROM partnership_measure WHERE partnership_id = ? AND id = ?");
DB_QUERY(Q_RUN_EVIDENCE_INSERT,
	 "INSERT INTO evidence_value (measure_id, measured_on, value, note, created_by, created_at) "
	 "VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_RUN_REFLECTION_INSERT,
	 "INSERT INTO reflection (partnership_id, worked, did_not_work, person_id, created_at) VALUES (?, ?, ?, ?, ?)");
DB_QUERY(Q_RUN_PERSON_OK,
	 "SELECT 1 FROM person WHERE id = ? AND school_urn IN (SELECT urn FROM partnership_school WHERE partnership_id = ?)");
DB_QUERY(Q_RUN_SCHOOLS,
	 "SELECT ps.urn, COALESCE(s.name, 'School URN ' || ps.urn) AS name FROM partnership_school ps "
	 "LEFT JOIN school s ON s.urn = ps.urn WHERE ps.partnership_id = ? ORDER BY ps.urn");
DB_QUERY(Q_RUN_MEETINGS,
	 "SELECT id, held_at, minutes, location, attendees, notes FROM meeting WHERE partnership_id = ? "
	 "ORDER BY held_at DESC");
DB_QUERY(Q_RUN_ACTIONS,
	 "SELECT a.id, a.title, a.due_on, a.done_at, a.meeting_id, p.name AS owner FROM action a "
	 "LEFT JOIN person p ON p.id = a.owner_person_id WHERE a.partnership_id = ? ORDER BY a.done_at IS NOT NULL, a.due_on");
DB_QUERY_PG(Q_RUN_DECISIONS,
	    "SELECT d.id, d.text, d.decided_on, (SELECT group_concat(COALESCE(s.name, ds.urn) || ': ' || ds.agreed, '; ') "
	    "FROM decision_school ds LEFT JOIN school s ON s.urn = ds.urn WHERE ds.decision_id = d.id) AS agreement "
	    "FROM decision d WHERE d.partnership_id = ? ORDER BY d.decided_on DESC, d.id DESC",
	    "SELECT d.id, d.text, d.decided_on, (SELECT string_agg(COALESCE(s.name, CAST(ds.urn AS text)) || ': ' || ds.agreed, '; ' ORDER BY ds.urn) "
	    "FROM decision_school ds LEFT JOIN school s ON s.urn = ds.urn WHERE ds.decision_id = d.id) AS agreement "
	    "FROM decision d WHERE d.partnership_id = ? ORDER BY d.decided_on DESC, d.id DESC");
DB_QUERY(Q_RUN_TIME,
	 "SELECT ps.urn, COALESCE(s.name, 'School URN ' || ps.urn) AS name, ps.hours_per_term AS committed, "
	 "COALESCE((SELECT SUM(hours) FROM time_log t WHERE t.partnership_id = ps.partnership_id AND t.urn = ps.urn "
	 "AND t.worked_on >= ?2 AND t.worked_on <= ?3), 0) AS logged_term, "
	 "COALESCE((SELECT SUM(hours) FROM time_log t WHERE t.partnership_id = ps.partnership_id AND t.urn = ps.urn), 0) "
	 "AS logged FROM partnership_school ps LEFT JOIN school s ON s.urn = ps.urn WHERE ps.partnership_id = ?1 "
	 "ORDER BY ps.urn");
DB_QUERY_PG(Q_RUN_TIME_ROWS,
	    "SELECT t.worked_on, t.hours, t.note, COALESCE(s.name, t.urn) AS school FROM time_log t "
	    "LEFT JOIN school s ON s.urn = t.urn WHERE t.partnership_id = ? ORDER BY t.worked_on DESC, t.id DESC LIMIT 100",
	    "SELECT t.worked_on, t.hours, t.note, COALESCE(s.name, CAST(t.urn AS text)) AS school FROM time_log t "
	    "LEFT JOIN school s ON s.urn = t.urn WHERE t.partnership_id = ? ORDER BY t.worked_on DESC, t.id DESC LIMIT 100");
DB_QUERY(Q_RUN_MEASURES,
	 "SELECT id, name, unit, baseline, target, baseline_on, target_by FROM partnership_measure "
	 "WHERE partnership_id = ? ORDER BY id");
DB_QUERY(Q_RUN_REVIEW,
	 "SELECT m.name, m.unit, m.baseline, m.target, (SELECT v.value FROM evidence_value v WHERE v.measure_id = m.id "
	 "ORDER BY v.measured_on DESC, v.id DESC LIMIT 1) AS latest FROM partnership_measure m "
	 "WHERE m.partnership_id = ? ORDER BY m.id");
DB_QUERY(Q_RUN_VALUES,
	 "SELECT v.measure_id, v.measured_on, v.value, v.note FROM evidence_value v "
	 "JOIN partnership_measure m ON m.id = v.measure_id WHERE m.partnership_id = ? "
	 "ORDER BY v.measure_id, v.measured_on, v.id");
DB_QUERY(Q_RUN_REFLECTIONS,
	 "SELECT r.worked, r.did_not_work, r.created_at, p.name AS author FROM reflection r "
	 "LEFT JOIN person p ON p.id = r.person_id WHERE r.partnership_id = ? ORDER BY r.id DESC");
DB_QUERY(Q_RUN_PEOPLE,
	 "SELECT id, name FROM person WHERE school_urn IN (SELECT urn FROM partnership_school WHERE partnership_id = ?) "
	 "ORDER BY name");

/* Text as typed, trimmed ("" when not given). */
static const char *trimmed(struct arena *a, const char *s)
{
	return s ? str_trim(a, s) : "";
}

/* Text s (trimmed) of at most max characters, required or not; adds the error to field. */
static const char *text(struct arena *a, const char *s, const char *field, const char *label, size_t max,
			bool required, json_t *errors)
{
	s = trimmed(a, s);
	if (required && !*s)
		json_object_set_new(errors, field, json_sprintf("%s is needed.", label));
	else if (utf8_len(s, strlen(s)) > max)
		json_object_set_new(errors, field, json_sprintf("%s must be at most %zu characters.", label, max));
	return s;
}

/* A day that must be given; adds the error to field when it is not. */
static int64_t needed_day(int64_t day, const char *field, const char *label, json_t *errors)
{
	if (!day)
		json_object_set_new(errors, field, json_sprintf("%s is needed (a date like 2025-10-06).", label));
	return day;
}

/* An owner: 0, or a person of a partner school (else an error on field). */
static int64_t owner_of(struct db *db, const struct partnership *p, int64_t id, const char *field, json_t *errors)
{
	if (!id)
		return 0;
	struct db_stmt *st = db_stmt(db, &Q_RUN_PERSON_OK);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, p->id))
		return 0;
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW)
		json_object_set_new(errors, field, json_string("The owner must be one of the partner schools' people."));
	return rc == DB_ROW ? id : 0;
}

/* Insert an action (inside the caller's transaction or alone). */
static int insert_action(struct db *db, struct arena *a, const struct partnership *p, int64_t meeting_id,
			 const char *title, int64_t owner, int64_t due)
{
	char d[16];
	clock_format_date(due, d, sizeof(d));
	struct db_stmt *st = db_stmt(db, &Q_RUN_ACTION_INSERT);
	if (!st || db_bind_int(st, 1, p->id) || (meeting_id ? db_bind_int(st, 2, meeting_id) : db_bind_null(st, 2)) ||
	    db_bind_text(st, 3, title) || (owner ? db_bind_int(st, 4, owner) : db_bind_null(st, 4)) ||
	    db_bind_text(st, 5, d) || db_bind_text(st, 6, ps_iso(a, clock_now())))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

/* The answer of school urn among votes, NULL when it gave none. */
static const char *vote_of(const struct ps_vote *votes, size_t n, int64_t urn)
{
	for (size_t i = 0; i < n; i++)
		if (votes[i].urn == urn && (str_eq(votes[i].agreed, "yes") || str_eq(votes[i].agreed, "no") ||
					    str_eq(votes[i].agreed, "abstain")))
			return votes[i].agreed;
	return NULL;
}

/* Insert a decision and each partner school's answer among votes. */
static int insert_decision(struct db *db, struct arena *a, const struct partnership *p, int64_t meeting_id,
			   const char *txt, int64_t on, const struct ps_vote *votes, size_t n_votes)
{
	char d[16];
	clock_format_date(on, d, sizeof(d));
	struct db_stmt *st = db_stmt(db, &Q_RUN_DECISION_INSERT);
	if (!st || db_bind_int(st, 1, p->id) || (meeting_id ? db_bind_int(st, 2, meeting_id) : db_bind_null(st, 2)) ||
	    db_bind_text(st, 3, txt) || db_bind_text(st, 4, d) || db_bind_text(st, 5, ps_iso(a, clock_now())))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	int64_t did = db_last_id(db);
	st = db_stmt(db, &Q_RUN_SCHOOLS);
	if (!st || db_bind_int(st, 1, p->id))
		return ERR_DB;
	json_t *urns = db_rows_json(st);
	size_t i;
	json_t *row;
	rc = 0;
	json_array_foreach(urns, i, row)
	{
		int64_t urn = json_integer_value(json_object_get(row, "urn"));
		const char *v = vote_of(votes, n_votes, urn);
		if (!v)
			continue;
		st = db_stmt(db, &Q_RUN_DECISION_SCHOOL);
		if (!st || db_bind_int(st, 1, did) || db_bind_int(st, 2, urn) || db_bind_text(st, 3, v)) {
			rc = ERR_DB;
			break;
		}
		if ((rc = db_step(st)) < 0)
			break;
		rc = 0;
	}
	json_decref(urns);
	return rc;
}

/*
 * End the transaction the caller began to record something for p, whose
 * last statement returned rc: on success, work out p's health at once
 * (ps_health_refresh_tx) in the same transaction and commit, so what people
 * see and the coordinators' lists follow what was recorded; otherwise roll
 * back. Returns 0 or the error.
 */
static int recorded(struct db *db, const struct partnership *p, int rc)
{
	if (rc >= 0)
		rc = ps_health_refresh_tx(db, p->id, clock_now());
	if (rc == 0)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int ps_meeting_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		   const struct partnership *p, const struct ps_meeting_in *in, json_t *errors)
{
	if (!policy_ps_record(acc))
		return ps_deny(acc);
	int64_t on = needed_day(in->held_on, "held_on", "The meeting date", errors);
	int64_t tod = in->held_at >= 0 ? in->held_at : 16 * 3600, at = 0;
	if (on && clock_uk_resolve(on + tod, &at) == CLOCK_UK_SKIPPED) {
		char day[32];
		clock_format_day(on, true, day, sizeof(day));
		json_object_set_new(errors, "held_at",
				    json_sprintf("There is no %02d:%02d on %s in UK time: the clocks go forward from 01:00 "
						 "to 02:00 that night. Choose a time before 01:00 or from 02:00.",
						 (int)(tod / 3600), (int)(tod / 60 % 60), day));
	}
	int64_t minutes = in->minutes ? in->minutes : 60;
	if (minutes < 1 || minutes > 1440)
		json_object_set_new(errors, "minutes", json_string("The length must be 1 to 1440 minutes."));
	const char *loc = text(a, in->location, "location", "The place", 200, false, errors);
	const char *att = text(a, in->attendees, "attendees", "Who came", 2000, false, errors);
	const char *notes = text(a, in->notes, "notes", "The notes", PS_NOTES_MAX, false, errors);
	const char *dec = text(a, in->decision, "decision", "The decision", 2000, false, errors);
	const char *act = text(a, in->action, "action", "The action", 500, false, errors);
	int64_t owner = owner_of(db, p, in->action_owner, "action_owner", errors);
	int64_t due = *act ? needed_day(in->action_due, "action_due", "The action's due date", errors) : 0;
	if (*act && due && on && due < on)
		json_object_set_new(errors, "action_due", json_string("The action cannot be due before the meeting."));
	if (json_object_size(errors))
		return ERR_INVALID;
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_RUN_MEETING_INSERT);
	if (!st || db_bind_int(st, 1, p->id) || db_bind_text(st, 2, ps_iso(a, at)) ||
	    db_bind_int(st, 3, minutes) || db_bind_text(st, 4, loc) || db_bind_text(st, 5, att) ||
	    db_bind_text(st, 6, notes) || db_bind_int(st, 7, u->id) || db_bind_text(st, 8, ps_iso(a, clock_now()))) {
		rc = ERR_DB;
		goto out;
	}
	if ((rc = db_step(st)) < 0)
		goto out;
	int64_t mid = db_last_id(db);
	rc = 0;
	if (*dec && (rc = insert_decision(db, a, p, mid, dec, on, in->votes, in->n_votes)))
		goto out;
	if (*act && (rc = insert_action(db, a, p, mid, act, owner, due)))
		goto out;
out:
	return recorded(db, p, rc);
}

int ps_action_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		  const struct ps_action_in *in, json_t *errors)
{
	if (!policy_ps_record(acc))
		return ps_deny(acc);
	const char *title = text(a, in->title, "title", "The action", 500, true, errors);
	int64_t owner = owner_of(db, p, in->owner_person_id, "owner_person_id", errors);
	int64_t due = needed_day(in->due_on, "due_on", "The due date", errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	int rc = db_begin(db);
	if (rc)
		return rc;
	return recorded(db, p, insert_action(db, a, p, 0, title, owner, due));
}

int ps_action_done(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		   int64_t id)
{
	if (!policy_ps_record(acc))
		return ps_deny(acc);
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_RUN_ACTION_DONE);
	if (!st || db_bind_text(st, 1, ps_iso(a, clock_now())) || db_bind_int(st, 2, p->id) || db_bind_int(st, 3, id))
		rc = ERR_DB;
	else if ((rc = db_step(st)) >= 0 && db_changes(db) != 1)
		rc = ERR_NOTFOUND;
	return recorded(db, p, rc);
}

int ps_decision_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		    const struct ps_decision_in *in, json_t *errors)
{
	if (!policy_ps_record(acc))
		return ps_deny(acc);
	const char *txt = text(a, in->text, "text", "The decision", 2000, true, errors);
	int64_t on = needed_day(in->decided_on, "decided_on", "The date", errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	int rc = db_begin(db);
	if (rc)
		return rc;
	return recorded(db, p, insert_decision(db, a, p, 0, txt, on, in->votes, in->n_votes));
}

int ps_time_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		const struct partnership *p, const struct ps_time_in *in, json_t *errors)
{
	if (!policy_ps_record(acc))
		return ps_deny(acc);
	int64_t on = needed_day(in->worked_on, "worked_on", "The date", errors);
	if (!in->has_hours)
		json_object_set_new(errors, "hours", json_string("Say how many hours were given."));
	else if (in->hours_hundredths <= 0)
		json_object_set_new(errors, "hours", json_string("The hours must be more than 0 (negative hours cannot be logged)."));
	else if (in->hours_hundredths > 1000 * 100)
		json_object_set_new(errors, "hours", json_string("Log at most 1000 hours at a time."));
	const char *note = text(a, in->note, "note", "The note", 500, false, errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	char d[16];
	clock_format_date(on, d, sizeof(d));
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_RUN_TIME_INSERT);
	if (!st || db_bind_int(st, 1, p->id) || db_bind_int(st, 2, u->school_urn) || db_bind_int(st, 3, u->id) ||
	    db_bind_text(st, 4, d) || db_bind_double(st, 5, (double)in->hours_hundredths / 100.0) ||
	    db_bind_text(st, 6, note) || db_bind_text(st, 7, ps_iso(a, clock_now())))
		rc = ERR_DB;
	else
		rc = db_step(st);
	return recorded(db, p, rc);
}

int ps_evidence_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		    const struct partnership *p, const struct ps_evidence_in *in, json_t *errors)
{
	if (!policy_ps_record(acc))
		return ps_deny(acc);
	int found = DB_DONE;
	if (in->measure_id > 0) {
		struct db_stmt *st = db_stmt(db, &Q_RUN_MEASURE_OF);
		if (!st || db_bind_int(st, 1, p->id) || db_bind_int(st, 2, in->measure_id))
			return ERR_DB;
		found = db_step(st);
		db_reset(st);
		if (found < 0)
			return found;
	}
	if (found != DB_ROW)
		json_object_set_new(errors, "measure_id", json_string("Choose one of the agreement's measures."));
	int64_t on = needed_day(in->measured_on, "measured_on", "The date", errors);
	if (!in->has_value || !isfinite(in->value) || fabs(in->value) > 1e12)
		json_object_set_new(errors, "value", json_string("The value must be a number."));
	const char *note = text(a, in->note, "note", "The note", 500, false, errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	char d[16];
	clock_format_date(on, d, sizeof(d));
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_RUN_EVIDENCE_INSERT);
	if (!st || db_bind_int(st, 1, in->measure_id) || db_bind_text(st, 2, d) || db_bind_double(st, 3, in->value) ||
	    db_bind_text(st, 4, note) || db_bind_int(st, 5, u->id) || db_bind_text(st, 6, ps_iso(a, clock_now())))
		rc = ERR_DB;
	else
		rc = db_step(st);
	return recorded(db, p, rc);
}

int ps_reflection_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		      const struct partnership *p, const struct ps_reflection_in *in, json_t *errors)
{
	if (!policy_ps_record(acc))
		return ps_deny(acc);
	const char *w = text(a, in->worked, "worked", "What worked", 4000, false, errors);
	const char *n = text(a, in->did_not_work, "did_not_work", "What did not work", 4000, false, errors);
	if (!*w && !*n && !json_object_size(errors))
		json_object_set_new(errors, "worked", json_string("Say what worked, what did not, or both."));
	if (json_object_size(errors))
		return ERR_INVALID;
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_RUN_REFLECTION_INSERT);
	if (!st || db_bind_int(st, 1, p->id) || db_bind_text(st, 2, w) || db_bind_text(st, 3, n) ||
	    db_bind_int(st, 4, u->id) || db_bind_text(st, 5, ps_iso(a, clock_now())))
		rc = ERR_DB;
	else
		rc = db_step(st);
	return recorded(db, p, rc);
}

/* Rows of q for the partnership as a new array (empty on error). */
static json_t *rows_of(struct db *db, const struct db_query *q, int64_t id)
{
	struct db_stmt *st = db_stmt(db, q);
	json_t *r = st && db_bind_int(st, 1, id) == 0 ? db_rows_json(st) : NULL;
	return r ? r : json_array();
}

/* Chart geometry, in the SVG's user units: a left margin for the baseline and target labels, a bottom one for dates. */
#define CHART_W 480.0
#define CHART_H 220.0
#define CHART_LEFT 96.0
#define CHART_RIGHT 24.0
#define CHART_TOP 22.0
#define CHART_BOTTOM 44.0

/* A number as people read it: "18", "21.5" (arena). */
static const char *num_text(struct arena *a, double v)
{
	return arena_printf(a, "%.10g", v);
}

/* "6 December 2026" for a stored day "YYYY-MM-DD" (arena), "" when it is not one. */
static const char *day_text(struct arena *a, const char *day)
{
	int64_t t = ps_parse_day(day);
	char out[48] = "";
	if (t)
		clock_format_day(t, true, out, sizeof(out));
	return arena_strdup(a, out);
}

/* o[label_key] = day_text(o[key]) for each object of list. */
static void day_labels(struct arena *a, json_t *list, const char *key, const char *label_key)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
		json_object_set_new(o, label_key, json_string(day_text(a, json_string_value(json_object_get(o, key)))));
}

/*
 * The numbers for a measure's chart: x by date between the first and last
 * day shown, y by value between the lowest and highest of the baseline,
 * target and values. {points: "x,y x,y", dots: [{x, y, value_y, date_y,
 * value, date}], baseline_y, baseline, target_y, target, has_line, desc}:
 * each value is labelled with its number above and its date below, the
 * baseline and target lines with theirs, and desc says it all in words.
 * Plain numbers and text: the template places them in attributes and text
 * (escaped like everything else).
 */
static json_t *chart(struct arena *a, json_t *values, json_t *measure)
{
	double lo = INFINITY, hi = -INFINITY;
	int64_t t0 = INT64_MAX, t1 = INT64_MIN;
	json_t *b = json_object_get(measure, "baseline"), *g = json_object_get(measure, "target");
	const char *unit = json_string_value(json_object_get(measure, "unit"));
	const char *sp = unit && *unit && strcmp(unit, "%") ? " " : "";
	if (!unit)
		unit = "";
	if (json_is_number(b)) {
		lo = fmin(lo, json_number_value(b));
		hi = fmax(hi, json_number_value(b));
	}
	if (json_is_number(g)) {
		lo = fmin(lo, json_number_value(g));
		hi = fmax(hi, json_number_value(g));
	}
	size_t i;
	json_t *v;
	json_array_foreach(values, i, v)
	{
		double x = json_number_value(json_object_get(v, "value"));
		int64_t t = ps_parse_day(json_string_value(json_object_get(v, "measured_on")));
		lo = fmin(lo, x);
		hi = fmax(hi, x);
		if (t < t0)
			t0 = t;
		if (t > t1)
			t1 = t;
	}
	if (!isfinite(lo) || !isfinite(hi))
		return json_pack("{s:s, s:[], s:b, s:s}", "points", "", "dots", "has_line", 0, "desc", "No values yet.");
	if (hi - lo < 1e-9) {
		hi += 1;
		lo -= 1;
	}
	double span = t1 > t0 ? (double)(t1 - t0) : 1.0;
	double plot_w = CHART_W - CHART_LEFT - CHART_RIGHT, plot_h = CHART_H - CHART_TOP - CHART_BOTTOM;
#define YOF(val) (CHART_TOP + plot_h - ((val) - lo) / (hi - lo) * plot_h)
	const char *pts = "", *desc = "";
	if (json_is_number(b))
		desc = arena_printf(a, "Baseline %s%s%s. ", num_text(a, json_number_value(b)), sp, unit);
	if (json_is_number(g))
		desc = arena_printf(a, "%sTarget %s%s%s. ", desc, num_text(a, json_number_value(g)), sp, unit);
	json_t *dots = json_array();
	json_array_foreach(values, i, v)
	{
		double x = json_number_value(json_object_get(v, "value"));
		const char *day = json_string_value(json_object_get(v, "measured_on"));
		int64_t t = ps_parse_day(day);
		double px = t1 > t0 ? CHART_LEFT + (double)(t - t0) / span * plot_w : CHART_LEFT + plot_w / 2;
		double py = YOF(x);
		pts = arena_printf(a, "%s%s%.1f,%.1f", pts, *pts ? " " : "", px, py);
		/* Dates alternate between two rows so that neighbours do not overlap. */
		double date_y = CHART_H - (i % 2 ? 6.0 : 22.0);
		json_array_append_new(dots, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "x", arena_printf(a, "%.1f", px),
						      "y", arena_printf(a, "%.1f", py), "value_y",
						      arena_printf(a, "%.1f", py - 8), "date_y",
						      arena_printf(a, "%.1f", date_y), "value", num_text(a, x), "date",
						      day_text(a, day)));
		desc = arena_printf(a, "%s%s%s%s%s on %s", desc, i ? "; " : "Values: ", num_text(a, x), sp, unit,
				    day_text(a, day));
	}
	if (json_array_size(values))
		desc = arena_printf(a, "%s.", desc);
	json_t *c = json_pack("{s:s, s:o, s:b, s:s, s:s, s:s}", "points", pts, "dots", dots, "has_line",
			      json_array_size(values) > 1, "desc", desc, "axis_x", arena_printf(a, "%.1f", CHART_LEFT),
			      "axis_y", arena_printf(a, "%.1f", CHART_TOP + plot_h));
	json_object_set_new(c, "right", json_string(arena_printf(a, "%.1f", CHART_W - CHART_RIGHT)));
	if (json_is_number(b)) {
		json_object_set_new(c, "baseline_y", json_string(arena_printf(a, "%.1f", YOF(json_number_value(b)))));
		json_object_set_new(c, "baseline_label_y", json_string(arena_printf(a, "%.1f", YOF(json_number_value(b)) + 4)));
		json_object_set_new(c, "baseline", json_string(num_text(a, json_number_value(b))));
	}
	if (json_is_number(g)) {
		json_object_set_new(c, "target_y", json_string(arena_printf(a, "%.1f", YOF(json_number_value(g)))));
		json_object_set_new(c, "target_label_y", json_string(arena_printf(a, "%.1f", YOF(json_number_value(g)) + 4)));
		json_object_set_new(c, "target", json_string(num_text(a, json_number_value(g))));
	}
#undef YOF
	return c;
}

int ps_running_json(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		    json_t **out)
{
	*out = NULL;
	if (!policy_ps_read(acc))
		return ps_deny(acc);
	json_t *j = json_object();
	json_t *meetings = rows_of(db, &Q_RUN_MEETINGS, p->id);
	const char *now_iso = ps_iso(a, clock_now());
	size_t i;
	json_t *r;
	json_array_foreach(meetings, i, r)
	{
		/* Stored in UTC; the day and time as the school's clock shows them, and whether it is still to come. */
		const char *at = json_string_value(json_object_get(r, "held_at"));
		int64_t t = ps_parse_time(at);
		if (!t)
			continue;
		char day[11], hhmm[6], label[48];
		clock_uk_day_time(t, day, hhmm);
		clock_format_uk(t, 1, label, sizeof(label));
		json_object_set_new(r, "day", json_string(day));
		json_object_set_new(r, "time", json_string(hhmm));
		json_object_set_new(r, "when", json_string(label));
		/* For people: "1 October 2025, 08:00 UK time" (the hour the clocks go back already names BST or GMT). */
		size_t n = strlen(label);
		bool zoned = n > 3 && (!strcmp(label + n - 3, "BST") || !strcmp(label + n - 3, "GMT"));
		json_object_set_new(r, "when_label", json_string(zoned ? label : arena_printf(a, "%s UK time", label)));
		json_object_set_new(r, "planned", json_boolean(strcmp(at, now_iso) > 0));
	}
	json_object_set_new(j, "meetings", meetings);
	json_t *actions = rows_of(db, &Q_RUN_ACTIONS, p->id);
	char today[16];
	clock_format_date(clock_now(), today, sizeof(today));
	json_array_foreach(actions, i, r)
	{
		const char *due = json_string_value(json_object_get(r, "due_on"));
		bool done = !json_is_null(json_object_get(r, "done_at"));
		json_object_set_new(r, "done", json_boolean(done));
		json_object_set_new(r, "overdue", json_boolean(!done && due && strcmp(due, today) < 0));
	}
	day_labels(a, actions, "due_on", "due");
	json_object_set_new(j, "actions", actions);
	json_t *decisions = rows_of(db, &Q_RUN_DECISIONS, p->id);
	day_labels(a, decisions, "decided_on", "decided");
	json_object_set_new(j, "decisions", decisions);
	/* Planned against given: each school's commitment a term, what it logged this term and in all. */
	int64_t term_start, term_end;
	health_term(clock_now(), &term_start, &term_end);
	char from[16];
	clock_format_date(term_start, from, sizeof(from));
	struct db_stmt *st = db_stmt(db, &Q_RUN_TIME);
	json_t *time = st && db_bind_int(st, 1, p->id) == 0 && db_bind_text(st, 2, from) == 0 &&
				       db_bind_text(st, 3, today) == 0
			       ? db_rows_json(st)
			       : NULL;
	json_object_set_new(j, "time", time ? time : json_array());
	json_object_set_new(j, "term_from", json_string(from));
	json_object_set_new(j, "term_from_label", json_string(day_text(a, from)));
	json_object_set_new(j, "time_log", rows_of(db, &Q_RUN_TIME_ROWS, p->id));
	/* Every measure's values from one query, in measure order, each measure's by day. */
	json_t *measures = rows_of(db, &Q_RUN_MEASURES, p->id);
	json_t *all = rows_of(db, &Q_RUN_VALUES, p->id);
	size_t k = 0, q;
	json_array_foreach(measures, i, r)
	{
		json_int_t id = json_integer_value(json_object_get(r, "id"));
		json_t *vals = json_array(), *v;
		while (k < json_array_size(all) &&
		       json_integer_value(json_object_get((v = json_array_get(all, k)), "measure_id")) <= id) {
			if (json_integer_value(json_object_get(v, "measure_id")) == id) {
				json_object_del(v, "measure_id");
				json_array_append(vals, v);
			}
			k++;
		}
		json_object_set_new(r, "chart", chart(a, vals, r));
		day_labels(a, vals, "measured_on", "measured");
		json_object_set_new(r, "values", vals);
		json_t *bl = json_object_get(r, "baseline"), *tg = json_object_get(r, "target");
		json_object_set_new(r, "baseline_on_label",
				    json_string(day_text(a, json_string_value(json_object_get(r, "baseline_on")))));
		json_object_set_new(r, "target_by_label",
				    json_string(day_text(a, json_string_value(json_object_get(r, "target_by")))));
		if (json_is_number(bl))
			json_object_set_new(r, "baseline_text", json_string(num_text(a, json_number_value(bl))));
		if (json_is_number(tg))
			json_object_set_new(r, "target_text", json_string(num_text(a, json_number_value(tg))));
		json_array_foreach(vals, q, v)
			json_object_set_new(v, "value_text", json_string(num_text(a, json_number_value(json_object_get(v, "value")))));
	}
	json_decref(all);
	json_object_set_new(j, "has_measures", json_boolean(json_array_size(measures) > 0));
	json_object_set_new(j, "evidence", measures);
	json_t *refl = rows_of(db, &Q_RUN_REFLECTIONS, p->id);
	json_array_foreach(refl, i, r)
	{
		char label[48];
		clock_format_uk(ps_parse_time(json_string_value(json_object_get(r, "created_at"))), 0, label, sizeof(label));
		json_object_set_new(r, "written_on", json_string(label));
	}
	json_object_set_new(j, "reflections", refl);
	json_object_set_new(j, "people", rows_of(db, &Q_RUN_PEOPLE, p->id));
	json_object_set_new(j, "schools", rows_of(db, &Q_RUN_SCHOOLS, p->id));
	*out = j;
	return 0;
}

int ps_review_json(struct db *db, const struct ps_access *acc, const struct partnership *p, json_t **out)
{
	*out = NULL;
	if (!policy_ps_read(acc))
		return ps_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_RUN_REVIEW);
	json_t *rows = st && db_bind_int(st, 1, p->id) == 0 ? db_rows_json(st) : NULL;
	if (!rows)
		return ERR_DB;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		/* Met: the latest value has reached the target, in whichever direction the target lies. */
		json_t *b = json_object_get(r, "baseline"), *t = json_object_get(r, "target"), *l = json_object_get(r, "latest");
		bool met = false;
		if (json_is_number(b) && json_is_number(t) && json_is_number(l))
			met = json_number_value(t) >= json_number_value(b) ? json_number_value(l) >= json_number_value(t)
									     : json_number_value(l) <= json_number_value(t);
		json_object_set_new(r, "met", json_boolean(met));
	}
	*out = rows;
	return 0;
}
