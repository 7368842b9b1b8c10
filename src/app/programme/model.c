// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — the programme model's first part: the access facts of the
 * person asking (on top of the networks model's), courses with their
 * audiences, the facilitation team (people of member schools, each shown
 * with their school), the network's programme settings, and the helpers the
 * other model files share (text, times and hours for people). Every
 * function asks policy.c before it reads or writes (see prog.h).
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

const char *const prog_formats[] = {"course", "twilight", "teachmeet", "speed_learning", "learning_lunch",
				    "conference", NULL};
static const char *const format_labels[] = {"Course", "Twilight", "TeachMeet", "Speed learning",
					    "Learning lunch", "Conference", NULL};
const char *const prog_audiences[] = {"teachers", "teaching_assistants", "support_staff", "leaders", "sencos",
				      "governors", "ects", NULL};
static const char *const audience_labels[] = {"Teachers", "Teaching assistants", "Support staff", "Leaders",
					      "SENCOs", "Governors", "Early-career teachers", NULL};

DB_QUERY(Q_PROG_COURSE,
	 "SELECT c.id, c.network_id, c.title, c.theme_id, t.name, c.outcomes, c.format, c.lead_id, c.series "
	 "FROM course c JOIN network_theme t ON t.id = c.theme_id WHERE c.id = ? AND c.network_id = ?");
DB_QUERY(Q_PROG_IS_FACILITATOR, "SELECT 1 FROM course_facilitator WHERE course_id = ? AND person_id = ?");
DB_QUERY(Q_PROG_COURSE_INSERT,
	 "INSERT INTO course (network_id, title, theme_id, outcomes, format, lead_id, created_by, created_at, "
	 "updated_at, series) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_PROG_COURSE_UPDATE,
	 "UPDATE course SET title = ?, theme_id = ?, outcomes = ?, format = ?, lead_id = ?, updated_at = ?, "
	 "series = ? WHERE id = ?");
DB_QUERY(Q_PROG_AUDIENCE_CLEAR, "DELETE FROM course_audience WHERE course_id = ?");
DB_QUERY(Q_PROG_AUDIENCE_ADD, "INSERT INTO course_audience (course_id, audience) VALUES (?, ?)");
DB_QUERY(Q_PROG_AUDIENCES, "SELECT audience FROM course_audience WHERE course_id = ? ORDER BY audience");
DB_QUERY(Q_PROG_MEMBER_PERSON,
	 "SELECT p.school_urn FROM person p JOIN network_school s ON s.urn = p.school_urn AND s.network_id = ? "
	 "WHERE p.id = ? AND p.school_role <> 'none'");
DB_QUERY(Q_PROG_FACILITATOR_ADD,
	 "INSERT INTO course_facilitator (course_id, person_id, urn, added_at) VALUES (?, ?, ?, ?) "
	 "ON CONFLICT (course_id, person_id) DO NOTHING");
DB_QUERY(Q_PROG_FACILITATOR_REMOVE, "DELETE FROM course_facilitator WHERE course_id = ? AND person_id = ?");
DB_QUERY(Q_PROG_FACILITATORS,
	 "SELECT p.id, p.name, f.urn, COALESCE(sc.name, 'URN ' || f.urn) AS school_name, "
	 "CASE WHEN c.lead_id = p.id THEN 1 ELSE 0 END AS lead "
	 "FROM course_facilitator f JOIN person p ON p.id = f.person_id JOIN course c ON c.id = f.course_id "
	 "LEFT JOIN school sc ON sc.urn = f.urn WHERE f.course_id = ? ORDER BY lead DESC, p.name, p.id");
DB_QUERY(Q_PROG_PEOPLE_CHOICE,
	 "SELECT p.id, p.name, COALESCE(sc.name, 'URN ' || p.school_urn) AS school_name FROM person p "
	 "JOIN network_school s ON s.urn = p.school_urn AND s.network_id = ? "
	 "LEFT JOIN school sc ON sc.urn = p.school_urn WHERE p.school_role <> 'none' "
	 "ORDER BY p.name, p.id");
DB_QUERY(Q_PROG_OFFER_HOURS, "SELECT offer_hours FROM programme_settings WHERE network_id = ?");
DB_QUERY(Q_PROG_SETTINGS,
	 "SELECT COALESCE(ps.offer_hours, 48), COALESCE(ps.feedback_anonymous, 0), COALESCE(ps.reminder_days, 2) "
	 "FROM network n LEFT JOIN programme_settings ps ON ps.network_id = n.id WHERE n.id = ?");
DB_QUERY(Q_PROG_SETTINGS_SAVE,
	 "INSERT INTO programme_settings (network_id, offer_hours, feedback_anonymous, reminder_days) "
	 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (network_id) DO UPDATE SET offer_hours = ?2, "
	 "feedback_anonymous = ?3, reminder_days = ?4");

/* ---- helpers ----------------------------------------------------------- */

/* The index of s in a NULL-terminated list, or -1. */
static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (str_eq(list[i], s))
			return i;
	return -1;
}

const char *prog_format_label(const char *format)
{
	int i = index_of(prog_formats, format);
	return i >= 0 ? format_labels[i] : format;
}

const char *prog_audience_label(const char *audience)
{
	int i = index_of(prog_audiences, audience);
	return i >= 0 ? audience_labels[i] : audience;
}

const char *prog_clean(struct arena *a, const char *s, size_t max, bool required, const char *field,
		       const char *label, json_t *errors)
{
	const char *t = s ? str_trim(a, s) : "";
	size_t n = utf8_len(t, strlen(t));
	if (required && n == 0) {
		json_object_set_new(errors, field, json_sprintf("Enter the %s", label));
		return NULL;
	}
	if (n > max) {
		json_object_set_new(errors, field,
				    json_sprintf("The %s must be %zu characters or fewer (it has %zu)", label, max, n));
		return NULL;
	}
	return t;
}

int prog_run(struct db_stmt *st)
{
	prog_listing_changed(); /* a change (or an attempt at one): the kept listings go */
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

int prog_finish(struct db *db, int rc)
{
	prog_listing_changed();
	if (rc == 0 && (rc = db_commit(db)) == 0)
		return 0;
	db_rollback(db);
	return rc;
}

const char *prog_iso(struct arena *a, int64_t t)
{
	char buf[32];
	clock_format_iso(t, buf, sizeof(buf));
	return arena_strdup(a, buf);
}

const char *prog_when(struct arena *a, int64_t t)
{
	char buf[64];
	clock_format_uk(t, 1, buf, sizeof(buf));
	return arena_printf(a, "%s UK time", buf);
}

const char *prog_span(struct arena *a, int64_t starts, int64_t ends)
{
	static const char *const days[] = {"Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday",
					   "Wednesday"};
	char start[64], end_hhmm[8], sday[12], eday[12];
	clock_format_uk(starts, 1, start, sizeof(start));
	clock_uk_day_time(starts, sday, NULL);
	clock_uk_day_time(ends, eday, end_hhmm);
	int64_t local = starts + clock_uk_offset(starts);
	int64_t dn = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	const char *weekday = days[((dn % 7) + 7) % 7];
	if (!str_eq(sday, eday)) {
		char end[64];
		clock_format_uk(ends, 1, end, sizeof(end));
		return arena_printf(a, "%s %s to %s UK time", weekday, start, end);
	}
	return arena_printf(a, "%s %s to %s UK time", weekday, start, end_hhmm);
}

const char *prog_hours(struct arena *a, int64_t hundredths)
{
	if (hundredths % 100 == 0)
		return arena_printf(a, "%lld", (long long)(hundredths / 100));
	if (hundredths % 10 == 0)
		return arena_printf(a, "%lld.%lld", (long long)(hundredths / 100), (long long)(hundredths % 100 / 10));
	return arena_printf(a, "%lld.%02lld", (long long)(hundredths / 100), (long long)(hundredths % 100));
}

/* ---- access and courses ------------------------------------------------ */

void prog_access_from_net(const struct net_access *n, struct prog_access *out)
{
	memset(out, 0, sizeof(*out));
	out->person_id = n->person_id;
	out->school_urn = n->school_urn;
	out->role = n->role;
	out->is_admin = n->is_admin;
	out->network_id = n->network_id;
	out->network_public = n->network_public;
	out->school_member = n->school_member;
	out->coordinator = n->coordinator;
	out->steering = n->steering;
}

int prog_course_open(struct db *db, struct arena *a, struct prog_access *acc, int64_t id, struct prog_course *out)
{
	memset(out, 0, sizeof(*out));
	acc->course_id = 0;
	acc->facilitator = acc->course_lead = false;
	if (!prog_policy_programme_see(acc) || id <= 0)
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_PROG_COURSE);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, acc->network_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	out->id = db_col_int(st, 0);
	out->network_id = db_col_int(st, 1);
	out->title = arena_strdup(a, db_col_text(st, 2));
	out->theme_id = db_col_int(st, 3);
	out->theme = arena_strdup(a, db_col_text(st, 4));
	out->outcomes = arena_strdup(a, db_col_text(st, 5) ? db_col_text(st, 5) : "");
	out->format = arena_strdup(a, db_col_text(st, 6));
	out->lead_id = db_col_is_null(st, 7) ? 0 : db_col_int(st, 7);
	out->series = db_col_int(st, 8) != 0;
	db_reset(st);
	acc->course_id = out->id;
	if (acc->person_id > 0) {
		acc->course_lead = out->lead_id == acc->person_id;
		st = db_stmt(db, &Q_PROG_IS_FACILITATOR);
		if (!st || db_bind_int(st, 1, out->id) || db_bind_int(st, 2, acc->person_id))
			return ERR_DB;
		rc = db_step(st);
		db_reset(st);
		if (rc < 0)
			return rc;
		acc->facilitator = rc == DB_ROW;
	}
	return 0;
}

/* The school of person_id when they are a person of a member school of the network; 0 when not. */
static int member_school(struct db *db, int64_t network_id, int64_t person_id, int64_t *urn)
{
	*urn = 0;
	struct db_stmt *st = db_stmt(db, &Q_PROG_MEMBER_PERSON);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*urn = db_col_int(st, 0);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Check the course form, adding errors; *theme_id and *lead_urn for a valid form. */
static int check_course(struct db *db, struct arena *a, const struct prog_access *acc,
			struct prog_course_in *in, int64_t *theme_id, int64_t *lead_urn, json_t *errors)
{
	in->title = prog_clean(a, in->title, PROG_TITLE_MAX, true, "title", "title", errors);
	in->outcomes = prog_clean(a, in->outcomes, PROG_OUTCOMES_MAX, false, "outcomes",
				  "what people will be able to do afterwards", errors);
	*theme_id = 0;
	if (!in->theme || !*in->theme)
		json_object_set_new(errors, "theme", json_string("Choose the course's theme"));
	else if (net_theme_find(db, acc->network_id, in->theme, theme_id))
		json_object_set_new(errors, "theme",
				    json_sprintf("\"%s\" is not one of the network's themes: choose one from the list",
						 in->theme));
	if (index_of(prog_formats, in->format) < 0)
		json_object_set_new(errors, "format", json_string("Choose the format: course, twilight, TeachMeet, "
								  "speed learning, learning lunch or conference"));
	if (in->n_audiences == 0)
		json_object_set_new(errors, "audience", json_string("Choose who the course is for (one or more)"));
	for (size_t i = 0; i < in->n_audiences; i++)
		if (index_of(prog_audiences, in->audiences[i]) < 0) {
			json_object_set_new(errors, "audience",
					    json_sprintf("\"%s\" is not an audience Tandem knows", in->audiences[i]));
			break;
		}
	*lead_urn = 0;
	if (in->lead_id > 0) {
		int rc = member_school(db, acc->network_id, in->lead_id, lead_urn);
		if (rc)
			return rc;
		if (!*lead_urn)
			json_object_set_new(errors, "lead_id",
					    json_string("The course lead must be a person of a member school"));
	}
	return json_object_size(errors) ? ERR_INVALID : 0;
}

/* Replace the course's audiences, inside the caller's transaction. */
static int set_audiences(struct db *db, int64_t course_id, const struct prog_course_in *in)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_AUDIENCE_CLEAR);
	if (!st || db_bind_int(st, 1, course_id))
		return ERR_DB;
	int rc = prog_run(st);
	for (size_t i = 0; rc == 0 && i < in->n_audiences; i++) {
		bool repeat = false;
		for (size_t j = 0; j < i; j++)
			repeat = repeat || str_eq(in->audiences[i], in->audiences[j]);
		if (repeat)
			continue;
		st = db_stmt(db, &Q_PROG_AUDIENCE_ADD);
		if (!st || db_bind_int(st, 1, course_id) || db_bind_text(st, 2, in->audiences[i]))
			return ERR_DB;
		rc = prog_run(st);
	}
	return rc;
}

/* Put person_id (at school urn) on the team, inside the caller's transaction; a no-op when there. */
static int add_facilitator(struct db *db, struct arena *a, int64_t course_id, int64_t person_id, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_FACILITATOR_ADD);
	if (!st || db_bind_int(st, 1, course_id) || db_bind_int(st, 2, person_id) || db_bind_int(st, 3, urn) ||
	    db_bind_text(st, 4, prog_iso(a, clock_now())))
		return ERR_DB;
	return prog_run(st);
}

int prog_course_create(struct db *db, struct arena *a, const struct prog_access *acc,
		       const struct prog_course_in *in_, json_t *errors, int64_t *id)
{
	*id = 0;
	if (!prog_policy_course_create(acc))
		return prog_policy_programme_see(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct prog_course_in in = *in_;
	int64_t theme_id, lead_urn;
	int rc = check_course(db, a, acc, &in, &theme_id, &lead_urn, errors);
	if (rc)
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	const char *now = prog_iso(a, clock_now());
	struct db_stmt *st = db_stmt(db, &Q_PROG_COURSE_INSERT);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_text(st, 2, in.title) ||
	    db_bind_int(st, 3, theme_id) || db_bind_text(st, 4, in.outcomes ? in.outcomes : "") ||
	    db_bind_text(st, 5, in.format) ||
	    (in.lead_id > 0 ? db_bind_int(st, 6, in.lead_id) : db_bind_null(st, 6)) ||
	    db_bind_int(st, 7, acc->person_id) || db_bind_text(st, 8, now) || db_bind_text(st, 9, now) ||
	    db_bind_int(st, 10, in.series))
		rc = ERR_DB;
	else
		rc = prog_run(st);
	int64_t cid = rc == 0 ? db_last_id(db) : 0;
	if (rc == 0)
		rc = set_audiences(db, cid, &in);
	if (rc == 0 && in.lead_id > 0)
		rc = add_facilitator(db, a, cid, in.lead_id, lead_urn);
	if ((rc = prog_finish(db, rc)) == 0)
		*id = cid;
	return rc;
}

int prog_course_update(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		       const struct prog_course_in *in_, json_t *errors)
{
	if (!prog_policy_course_edit(acc))
		return ERR_FORBIDDEN;
	struct prog_course_in in = *in_;
	int64_t theme_id, lead_urn;
	int rc = check_course(db, a, acc, &in, &theme_id, &lead_urn, errors);
	if (rc)
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_PROG_COURSE_UPDATE);
	if (!st || db_bind_text(st, 1, in.title) || db_bind_int(st, 2, theme_id) ||
	    db_bind_text(st, 3, in.outcomes ? in.outcomes : "") || db_bind_text(st, 4, in.format) ||
	    (in.lead_id > 0 ? db_bind_int(st, 5, in.lead_id) : db_bind_null(st, 5)) ||
	    db_bind_text(st, 6, prog_iso(a, clock_now())) || db_bind_int(st, 7, in.series) ||
	    db_bind_int(st, 8, c->id))
		rc = ERR_DB;
	else
		rc = prog_run(st);
	if (rc == 0)
		rc = set_audiences(db, c->id, &in);
	if (rc == 0 && in.lead_id > 0)
		rc = add_facilitator(db, a, c->id, in.lead_id, lead_urn);
	return prog_finish(db, rc);
}

int prog_facilitator_add(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
			 int64_t person_id, json_t *errors)
{
	if (!prog_policy_course_edit(acc))
		return ERR_FORBIDDEN;
	int64_t urn = 0;
	int rc = person_id > 0 ? member_school(db, acc->network_id, person_id, &urn) : 0;
	if (rc)
		return rc;
	if (!urn) {
		json_object_set_new(errors, "person_id",
				    json_string("A facilitator must be a person of one of the network's member schools"));
		return ERR_INVALID;
	}
	struct db_stmt *st = db_stmt(db, &Q_PROG_IS_FACILITATOR);
	if (!st || db_bind_int(st, 1, c->id) || db_bind_int(st, 2, person_id))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (rc == DB_ROW) {
		json_object_set_new(errors, "person_id", json_string("This person is already on the team"));
		return ERR_CONFLICT;
	}
	return add_facilitator(db, a, c->id, person_id, urn);
}

int prog_facilitator_remove(struct db *db, const struct prog_access *acc, const struct prog_course *c,
			    int64_t person_id)
{
	if (!prog_policy_course_edit(acc))
		return ERR_FORBIDDEN;
	if (person_id == c->lead_id)
		return ERR_CONFLICT;
	struct db_stmt *st = db_stmt(db, &Q_PROG_FACILITATOR_REMOVE);
	if (!st || db_bind_int(st, 1, c->id) || db_bind_int(st, 2, person_id))
		return ERR_DB;
	int rc = prog_run(st);
	if (rc)
		return rc;
	return db_changes(db) ? 0 : ERR_NOTFOUND;
}

json_t *prog_facilitators(struct db *db, const struct prog_access *acc, int64_t course_id)
{
	if (!prog_policy_programme_read(acc))
		return json_array();
	struct db_stmt *st = db_stmt(db, &Q_PROG_FACILITATORS);
	if (!st || db_bind_int(st, 1, course_id))
		return json_array();
	json_t *rows = db_rows_json(st);
	return rows ? rows : json_array();
}

json_t *prog_people_choice(struct db *db, const struct prog_access *acc)
{
	if (!prog_policy_course_edit(acc) && !prog_policy_course_create(acc))
		return json_array();
	struct db_stmt *st = db_stmt(db, &Q_PROG_PEOPLE_CHOICE);
	if (!st || db_bind_int(st, 1, acc->network_id))
		return json_array();
	json_t *rows = db_rows_json(st);
	return rows ? rows : json_array();
}

json_t *prog_course_json(struct db *db, const struct network *net, const struct prog_course *c)
{
	json_t *aud = json_array(), *codes = json_array();
	struct db_stmt *st = db_stmt(db, &Q_PROG_AUDIENCES);
	if (st && db_bind_int(st, 1, c->id) == 0) {
		while (db_step(st) == DB_ROW) {
			const char *v = db_col_text(st, 0);
			json_array_append_new(codes, json_string(v));
			json_array_append_new(aud, json_string(prog_audience_label(v)));
		}
		db_reset(st);
	}
	json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "id", (json_int_t)c->id, "title",
			      c->title, "theme", c->theme, "outcomes", c->outcomes, "format", c->format, "format_label",
			      prog_format_label(c->format), "audience", codes, "audience_labels", aud, "lead_id",
			      (json_int_t)c->lead_id);
	json_object_set_new(m, "url", json_sprintf("/networks/%s/programme/courses/%lld", net->slug, (long long)c->id));
	json_object_set_new(m, "series", json_boolean(c->series));
	return m;
}

int64_t prog_offer_hours(struct db *db, int64_t network_id)
{
	int64_t h = PROG_OFFER_HOURS;
	struct db_stmt *st = db_stmt(db, &Q_PROG_OFFER_HOURS);
	if (st && db_bind_int(st, 1, network_id) == 0 && db_step(st) == DB_ROW)
		h = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return h;
}

int prog_settings_json(struct db *db, const struct prog_access *acc, json_t **out)
{
	*out = NULL;
	if (!prog_policy_settings_edit(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_PROG_SETTINGS);
	if (!st || db_bind_int(st, 1, acc->network_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = json_pack("{s:I, s:b, s:I}", "offer_hours", (json_int_t)db_col_int(st, 0), "feedback_anonymous",
				 db_col_int(st, 1) != 0, "reminder_days", (json_int_t)db_col_int(st, 2));
	db_reset(st);
	return rc < 0 ? rc : *out ? 0 : ERR_NOTFOUND;
}

int prog_settings_save(struct db *db, const struct prog_access *acc, const struct prog_settings *in)
{
	if (!prog_policy_settings_edit(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	if (in->offer_hours < 1 || in->offer_hours > 336 || in->reminder_days < 0 || in->reminder_days > 14)
		return ERR_INVALID;
	struct db_stmt *st = db_stmt(db, &Q_PROG_SETTINGS_SAVE);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, in->offer_hours) ||
	    db_bind_int(st, 3, in->feedback_anonymous) || db_bind_int(st, 4, in->reminder_days))
		return ERR_DB;
	return prog_run(st);
}
