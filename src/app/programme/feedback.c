// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * feedback.c — feedback on a session, only from the people who attended:
 * after it ends, attendees marked present (or late) get one email with a
 * link to a short survey whose questions follow Guskey's levels of
 * evaluating professional development (reactions: how useful; learning:
 * what I learnt; use: what I will try and how confident I am; organisational
 * support: what I need back at school), open for PROG_FEEDBACK_DAYS days;
 * each network may change its questions (questions.c).
 * Each network chooses named or anonymous feedback: anonymous answers are
 * stored with no link to the person, and the booking only records that
 * feedback was given, so one answer per attendee is still enforced.
 * Results, per session and per course, are for facilitators and
 * coordinators, and only from 3 answers up, to protect anonymity.
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <string.h>

#include "app/mail/mail.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* Fewer answers than this and results are not shown. */
#define FEEDBACK_MIN 3

DB_QUERY(Q_FB_PLACE,
	 "SELECT b.id, b.attendance, b.feedback_given FROM booking b WHERE b.session_id = ? AND b.person_id = ? "
	 "AND b.status = 'booked'");
DB_QUERY(Q_FB_ANONYMOUS,
	 "SELECT COALESCE(ps.feedback_anonymous, 0) FROM network n LEFT JOIN programme_settings ps "
	 "ON ps.network_id = n.id WHERE n.id = ?");
DB_QUERY(Q_FB_MARK_GIVEN,
	 "UPDATE booking SET feedback_given = 1 WHERE id = ? AND feedback_given = 0");
DB_QUERY(Q_FB_RESPONSE,
	 "INSERT INTO feedback_response (session_id, person_id, submitted_at) VALUES (?, ?, ?)");
DB_QUERY(Q_FB_ANSWER,
	 "INSERT INTO feedback_answer (response_id, question, scale, text) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_FB_ANSWERS,
	 "SELECT r.id, p.name, a.question, a.scale, a.text FROM feedback_response r "
	 "JOIN course_session s ON s.id = r.session_id LEFT JOIN person p ON p.id = r.person_id "
	 "JOIN feedback_answer a ON a.response_id = r.id "
	 "WHERE (?1 > 0 AND r.session_id = ?1) OR (?2 > 0 AND s.course_id = ?2) ORDER BY r.id, a.question");
DB_QUERY(Q_FB_COUNT,
	 "SELECT COUNT(*) FROM feedback_response r JOIN course_session s ON s.id = r.session_id "
	 "WHERE (?1 > 0 AND r.session_id = ?1) OR (?2 > 0 AND s.course_id = ?2)");
DB_QUERY(Q_FB_DUE,
	 "SELECT s.id, s.starts_at, s.ends_at, c.title, n.slug, p.email, p.name FROM course_session s "
	 "JOIN course c ON c.id = s.course_id JOIN network n ON n.id = c.network_id "
	 "JOIN booking b ON b.session_id = s.id AND b.status = 'booked' AND b.attendance IN ('present', 'late') "
	 "JOIN person p ON p.id = b.person_id "
	 "WHERE s.feedback_sent_at IS NULL AND s.ends_at <= ?1 AND s.ends_at > ?2 ORDER BY s.id, p.id");
DB_QUERY(Q_FB_SENT, "UPDATE course_session SET feedback_sent_at = ? WHERE id = ?");

/* The place of person on session: *id (0 when none), whether they attended, whether they answered. */
static int place(struct db *db, int64_t session_id, int64_t person_id, int64_t *id, bool *attended, bool *given)
{
	*id = 0;
	*attended = *given = false;
	struct db_stmt *st = db_stmt(db, &Q_FB_PLACE);
	if (!st || db_bind_int(st, 1, session_id) || db_bind_int(st, 2, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		const char *att = db_col_text(st, 1);
		*attended = str_eq(att, "present") || str_eq(att, "late");
		*given = db_col_int(st, 2) != 0;
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether the network keeps feedback anonymous. */
static bool anonymous(struct db *db, int64_t network_id)
{
	struct db_stmt *st = db_stmt(db, &Q_FB_ANONYMOUS);
	bool yes = false;
	if (st && db_bind_int(st, 1, network_id) == 0 && db_step(st) == DB_ROW)
		yes = db_col_int(st, 0) != 0;
	if (st)
		db_reset(st);
	return yes;
}

int prog_feedback_form(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		       int64_t now, json_t **out)
{
	*out = NULL;
	if (!prog_policy_programme_read(acc))
		return ERR_NOTFOUND;
	int64_t id;
	bool attended, given;
	int rc = place(db, s->id, acc->person_id, &id, &attended, &given);
	if (rc)
		return rc;
	struct prog_question *list;
	size_t n;
	if ((rc = prog_questions_load(db, a, acc->network_id, false, &list, &n)))
		return rc;
	json_t *qs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(qs, json_pack("{s:s, s:s+, s:b, s:s, s:[iiiii]}", "key", list[i].key, "field", "q_",
						    list[i].key, "scale", list[i].scale, "text", list[i].text, "choices", 1,
						    2, 3, 4, 5));
	int64_t closes = s->ends + (int64_t)PROG_FEEDBACK_DAYS * 86400;
	*out = json_pack("{s:o, s:b, s:b, s:b, s:b, s:s, s:s, s:b}", "questions", qs, "attended", attended, "given", given,
			 "open", now >= s->ends && now < closes, "ended", now >= s->ends, "opens_when", prog_when(a, s->ends),
			 "closes_when", prog_when(a, closes), "anonymous", anonymous(db, acc->network_id));
	return 0;
}

int prog_feedback_submit(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
			 const struct prog_question *qs, const struct prog_answer *answers, size_t n, int64_t now,
			 json_t *errors)
{
	if (!prog_policy_programme_read(acc))
		return ERR_NOTFOUND;
	int64_t id;
	bool attended, given;
	int rc = place(db, s->id, acc->person_id, &id, &attended, &given);
	if (rc)
		return rc;
	int64_t closes = s->ends + (int64_t)PROG_FEEDBACK_DAYS * 86400;
	if (!attended)
		json_object_set_new(errors, "feedback",
				    json_string("Feedback is only from people marked present on the register, and you "
						"are not: ask the facilitator if that is a mistake"));
	else if (given)
		json_object_set_new(errors, "feedback", json_string("You have already given feedback on this session: "
								    "thank you"));
	else if (now < s->ends)
		json_object_set_new(errors, "feedback",
				    json_sprintf("Feedback opens when the session ends, at %s", prog_when(a, s->ends)));
	else if (now >= closes)
		json_object_set_new(errors, "feedback",
				    json_sprintf("Feedback on this session closed on %s", prog_when(a, closes)));
	if (json_object_size(errors))
		return ERR_CONFLICT;
	for (size_t i = 0; i < n; i++) {
		const struct prog_question *q = &qs[i];
		const char *field = arena_printf(a, "q_%s", q->key);
		if (q->scale && (answers[i].scale < 1 || answers[i].scale > 5))
			json_object_set_new(errors, field, json_string("Choose a number from 1 to 5"));
		if (!q->scale && answers[i].text && utf8_len(answers[i].text, strlen(answers[i].text)) > PROG_OUTCOMES_MAX)
			json_object_set_new(errors, field, json_sprintf("Write %d characters or fewer", PROG_OUTCOMES_MAX));
	}
	if (json_object_size(errors))
		return ERR_INVALID;
	bool anon = anonymous(db, acc->network_id);
	if ((rc = db_begin(db)))
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_FB_MARK_GIVEN);
	if (!st || db_bind_int(st, 1, id))
		rc = ERR_DB;
	else if ((rc = prog_run(st)) == 0 && db_changes(db) == 0) {
		json_object_set_new(errors, "feedback", json_string("You have already given feedback on this session"));
		rc = ERR_CONFLICT;
	}
	/* Anonymous: no person on the response, and the time only to the day, so it cannot be matched up. */
	const char *when = prog_iso(a, anon ? now - now % 86400 : now);
	st = db_stmt(db, &Q_FB_RESPONSE);
	if (rc == 0 && (!st || db_bind_int(st, 1, s->id) ||
			(anon ? db_bind_null(st, 2) : db_bind_int(st, 2, acc->person_id)) || db_bind_text(st, 3, when)))
		rc = ERR_DB;
	else if (rc == 0)
		rc = prog_run(st);
	int64_t rid = rc == 0 ? db_last_id(db) : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct prog_question *q = &qs[i];
		const char *text = answers[i].text ? str_trim(a, answers[i].text) : "";
		if (!q->scale && !*text)
			continue;
		st = db_stmt(db, &Q_FB_ANSWER);
		if (!st || db_bind_int(st, 1, rid) || db_bind_int(st, 2, q->number) ||
		    (q->scale ? db_bind_int(st, 3, answers[i].scale) : db_bind_null(st, 3)) ||
		    (q->scale ? db_bind_null(st, 4) : db_bind_text(st, 4, text)))
			rc = ERR_DB;
		else
			rc = prog_run(st);
	}
	return prog_finish(db, rc);
}

int prog_feedback_results(struct db *db, struct arena *a, const struct prog_access *acc, int64_t session_id,
			  int64_t course_id, json_t **out)
{
	*out = NULL;
	if (!prog_policy_register(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_FB_COUNT);
	if (!st || db_bind_int(st, 1, session_id) || db_bind_int(st, 2, course_id))
		return ERR_DB;
	int rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc < 0)
		return rc;
	struct prog_question *pq;
	size_t nq;
	if ((rc = prog_questions_load(db, a, acc->network_id, true, &pq, &nq)))
		return rc;
	json_t *qs = json_array();
	int64_t *sum = arena_calloc(a, nq, sizeof(*sum)), *cnt = arena_calloc(a, nq, sizeof(*cnt));
	int64_t(*dist)[5] = arena_calloc(a, nq, sizeof(*dist));
	json_t **comments = arena_calloc(a, nq, sizeof(*comments));
	for (size_t i = 0; i < nq; i++)
		comments[i] = json_array();
	if (n >= FEEDBACK_MIN) {
		st = db_stmt(db, &Q_FB_ANSWERS);
		if (!st || db_bind_int(st, 1, session_id) || db_bind_int(st, 2, course_id))
			rc = ERR_DB;
		while (rc >= 0 && st && (rc = db_step(st)) == DB_ROW) {
			int64_t number = db_col_int(st, 2);
			size_t q = 0;
			while (q < nq && pq[q].number != number)
				q++;
			if (q == nq)
				continue;
			if (pq[q].scale && !db_col_is_null(st, 3)) {
				int64_t v = db_col_int(st, 3);
				if (v >= 1 && v <= 5) {
					sum[q] += v;
					cnt[q]++;
					dist[q][v - 1]++;
				}
			} else if (db_col_text(st, 4)) {
				json_array_append_new(comments[q], json_pack("{s:s, s:s?}", "text", db_col_text(st, 4), "name",
									     db_col_text(st, 1)));
			}
		}
		if (st)
			db_reset(st);
	}
	for (size_t i = 0; i < nq; i++) {
		if (pq[i].retired && !cnt[i] && !json_array_size(comments[i])) {
			json_decref(comments[i]);
			continue; /* retired before anyone here answered it */
		}
		json_t *q = json_pack("{s:s, s:s, s:b, s:s, s:b}", "key", pq[i].key, "text", pq[i].text, "scale",
				      pq[i].scale, "level_label", prog_question_level_label(pq[i].level), "retired",
				      pq[i].retired);
		if (pq[i].scale && cnt[i]) {
			json_object_set_new(q, "average", json_string(arena_printf(a, "%.1f", (double)sum[i] / (double)cnt[i])));
			json_object_set_new(q, "counts", json_pack("[IIIII]", (json_int_t)dist[i][0], (json_int_t)dist[i][1],
								   (json_int_t)dist[i][2], (json_int_t)dist[i][3],
								   (json_int_t)dist[i][4]));
		}
		json_object_set_new(q, "comments", comments[i]);
		json_array_append_new(qs, q);
	}
	if (rc < 0) {
		json_decref(qs);
		return rc;
	}
	bool shown = n >= FEEDBACK_MIN;
	*out = json_pack("{s:I, s:b, s:b, s:i, s:o}", "answers", (json_int_t)n, "answers_one", n == 1, "shown", shown,
			 "minimum", FEEDBACK_MIN, "questions", shown ? qs : json_array());
	if (!shown)
		json_decref(qs);
	return 0;
}

int prog_feedback_invite(struct db *db, struct arena *a, const char *base_url, int64_t now, int *sent)
{
	*sent = 0;
	struct db_stmt *st = db_stmt(db, &Q_FB_DUE);
	if (!st || db_bind_text(st, 1, prog_iso(a, now)) ||
	    db_bind_text(st, 2, prog_iso(a, now - (int64_t)PROG_FEEDBACK_DAYS * 86400)))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	int rc = db_begin(db);
	int64_t last = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (rc)
			break;
		int64_t sid = json_integer_value(json_object_get(r, "id")), starts, ends;
		if (clock_parse_iso(json_string_value(json_object_get(r, "starts_at")), &starts) ||
		    clock_parse_iso(json_string_value(json_object_get(r, "ends_at")), &ends))
			continue;
		const char *title = json_string_value(json_object_get(r, "title"));
		const char *body = arena_printf(
			a,
			"Hello %s,\n\nThank you for coming to %s (%s). A few short questions help the colleagues who "
			"ran it, and the network, make the next one better:\n%s/networks/%s/programme/sessions/%lld/"
			"feedback\n\nThe survey is open until %s. Your certificate of attendance is on the session's "
			"page.\n",
			json_string_value(json_object_get(r, "name")), title, prog_span(a, starts, ends),
			base_url ? base_url : "", json_string_value(json_object_get(r, "slug")), (long long)sid,
			prog_when(a, ends + (int64_t)PROG_FEEDBACK_DAYS * 86400));
		if ((rc = mail_queue(db, json_string_value(json_object_get(r, "email")),
				     arena_printf(a, "Your feedback: %s", title), body)))
			break;
		(*sent)++;
		if (sid != last) {
			st = db_stmt(db, &Q_FB_SENT);
			if (!st || db_bind_text(st, 1, prog_iso(a, now)) || db_bind_int(st, 2, sid))
				rc = ERR_DB;
			else
				rc = prog_run(st);
		}
		last = sid;
	}
	json_decref(rows);
	return prog_finish(db, rc);
}
