// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * reminders.c — the programme's reminders, sent by the programme job
 * (jobs.c): to everyone with a place, an email the network's number of days
 * before (2 unless it says otherwise) with where the session is, or its
 * joining link; and to the facilitators, on the day (within twelve hours of
 * the start), one with the register's link. Each session is reminded once:
 * the time it went is kept on the session, in the same transaction as the
 * emails are queued.
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <string.h>

#include "app/mail/mail.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* The latest a network may remind (days), and how long before the start facilitators hear. */
#define REMIND_MAX_DAYS 14
#define FACILITATORS_BEFORE (12 * 3600)

/* Sessions due a reminder, with their people: one join, read once. */
DB_QUERY(Q_PROG_REMIND_ATTENDEES,
	 "SELECT s.id, s.starts_at, s.ends_at, COALESCE(ps.reminder_days, 2) AS remind_days, c.title, n.slug, "
	 "sc.name AS venue, sc.town, s.online_url, p.email, p.name AS person_name FROM course_session s JOIN course c ON c.id = s.course_id "
	 "JOIN network n ON n.id = c.network_id LEFT JOIN programme_settings ps ON ps.network_id = n.id "
	 "LEFT JOIN school sc ON sc.urn = s.venue_urn "
	 "JOIN booking b ON b.session_id = s.id AND b.status = 'booked' JOIN person p ON p.id = b.person_id "
	 "WHERE s.reminded_at IS NULL AND s.starts_at > ?1 AND s.starts_at <= ?2 ORDER BY s.id, p.id");
DB_QUERY(Q_PROG_REMIND_FACILITATORS,
	 "SELECT s.id, s.starts_at, s.ends_at, c.title, n.slug, p.email, p.name FROM course_session s "
	 "JOIN course c ON c.id = s.course_id JOIN network n ON n.id = c.network_id "
	 "JOIN course_facilitator f ON f.course_id = c.id JOIN person p ON p.id = f.person_id "
	 "WHERE s.facilitators_reminded_at IS NULL AND s.starts_at > ?1 AND s.starts_at <= ?2 ORDER BY s.id, p.id");
DB_QUERY(Q_PROG_REMINDED, "UPDATE course_session SET reminded_at = ? WHERE id = ?");
DB_QUERY(Q_PROG_FAC_REMINDED, "UPDATE course_session SET facilitators_reminded_at = ? WHERE id = ?");

/* Mark session id reminded (q sets which column). */
static int set_reminded(struct db *db, const struct db_query *q, const char *stamp, int64_t id)
{
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_text(st, 1, stamp) || db_bind_int(st, 2, id))
		return ERR_DB;
	return prog_run(st);
}

/* The attendees' reminders due at now; *sent counts the emails. Inside the caller's transaction. */
static int remind_attendees(struct db *db, struct arena *a, const char *base, int64_t now, int *sent)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_REMIND_ATTENDEES);
	if (!st || db_bind_text(st, 1, prog_iso(a, now)) ||
	    db_bind_text(st, 2, prog_iso(a, now + (int64_t)REMIND_MAX_DAYS * 86400)))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	int rc = 0;
	int64_t last = 0;
	const char *stamp = prog_iso(a, now);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		int64_t sid = json_integer_value(json_object_get(r, "id")), starts, ends;
		if (clock_parse_iso(json_string_value(json_object_get(r, "starts_at")), &starts) ||
		    clock_parse_iso(json_string_value(json_object_get(r, "ends_at")), &ends))
			continue;
		int64_t remind_days = json_integer_value(json_object_get(r, "remind_days"));
		if (starts - now > remind_days * 86400)
			continue; /* not yet, for this network */
		const char *venue = json_string_value(json_object_get(r, "venue"));
		const char *town = json_string_value(json_object_get(r, "town"));
		const char *online = json_string_value(json_object_get(r, "online_url"));
		const char *title = json_string_value(json_object_get(r, "title"));
		const char *where = venue ? arena_printf(a, "%s%s%s", venue, town ? ", " : "", town ? town : "")
					  : arena_printf(a, "online: %s", online ? online : "");
		const char *body = arena_printf(
			a,
			"Hello %s,\n\nA reminder of your place on %s.\n\nWhen: %s\nWhere: %s\n\nIf you cannot come "
			"now, give the place up so that someone on the waiting list can have it: "
			"%s/networks/%s/programme/sessions/%lld\n",
			json_string_value(json_object_get(r, "person_name")),
			title, prog_span(a, starts, ends), where, base, json_string_value(json_object_get(r, "slug")),
			(long long)sid);
		if ((rc = mail_queue(db, json_string_value(json_object_get(r, "email")),
				     arena_printf(a, "Reminder: %s", title), body)))
			break;
		(*sent)++;
		if (sid != last && (rc = set_reminded(db, &Q_PROG_REMINDED, stamp, sid)))
			break;
		last = sid;
	}
	json_decref(rows);
	return rc;
}

/* The facilitators' register reminders due at now. Inside the caller's transaction. */
static int remind_facilitators(struct db *db, struct arena *a, const char *base, int64_t now, int *sent)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_REMIND_FACILITATORS);
	if (!st || db_bind_text(st, 1, prog_iso(a, now)) || db_bind_text(st, 2, prog_iso(a, now + FACILITATORS_BEFORE)))
		return ERR_DB;
	int rc;
	int64_t last = 0;
	const char *stamp = prog_iso(a, now);
	json_t *done = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t sid = db_col_int(st, 0), starts, ends;
		if (clock_parse_iso(db_col_text(st, 1), &starts) || clock_parse_iso(db_col_text(st, 2), &ends))
			continue;
		const char *body = arena_printf(
			a,
			"Hello %s,\n\nYou facilitate %s today (%s). The register, with the code attendees use "
			"to check themselves in, is at %s/networks/%s/programme/sessions/%lld/register\n",
			db_col_text(st, 6), db_col_text(st, 3), prog_span(a, starts, ends), base, db_col_text(st, 4),
			(long long)sid);
		if ((rc = mail_queue(db, db_col_text(st, 5), arena_printf(a, "Today: %s", db_col_text(st, 3)), body)))
			break;
		(*sent)++;
		if (sid != last)
			json_array_append_new(done, json_integer(sid));
		last = sid;
	}
	db_reset(st);
	size_t i;
	json_t *id;
	json_array_foreach(done, i, id)
		if (rc >= 0 && (rc = set_reminded(db, &Q_PROG_FAC_REMINDED, stamp, json_integer_value(id))))
			break;
	json_decref(done);
	return rc < 0 ? rc : 0;
}

int prog_reminders_run(struct db *db, struct arena *a, const char *base_url, int64_t now, int *sent)
{
	*sent = 0;
	const char *base = base_url ? base_url : "";
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = remind_attendees(db, a, base, now, sent);
	if (rc == 0)
		rc = remind_facilitators(db, a, base, now, sent);
	return prog_finish(db, rc);
}
