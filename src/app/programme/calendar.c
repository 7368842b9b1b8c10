// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * calendar.c — the programme's part of a person's calendar feed (a
 * calendar_source, see app/calendar/calendar.h; app.c lists it), and the
 * programme's part of "download all your data" (an accounts_export_parts
 * entry).
 *
 * The feed holds the sessions the person has a place on and the sessions of
 * the courses they facilitate, from a year back onward, at most
 * PROG_CAL_MAX of them (the latest kept): the pages hold the rest.
 */
#include <stdio.h>
#include <string.h>

#include "app/calendar/calendar.h"
#include "app/programme/programme.h"
#include "app/programme/prog.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"

/* Most sessions one feed holds. */
#define PROG_CAL_MAX 300

#define CAL_SESSIONS                                                                                 \
	"SELECT s.id, s.starts_at, s.ends_at, c.title, n.slug, sc.name AS venue, s.online_url, "          \
	"'attend' AS part, s.updated_at FROM booking b JOIN course_session s ON s.id = b.session_id "    \
	"JOIN course c ON c.id = s.course_id JOIN network n ON n.id = c.network_id "                     \
	"LEFT JOIN school sc ON sc.urn = s.venue_urn "                                                   \
	"WHERE b.person_id = ?1 AND b.status = 'booked' AND s.starts_at >= ?2 "                          \
	"UNION ALL SELECT s.id, s.starts_at, s.ends_at, c.title, n.slug, sc.name, s.online_url, "        \
	"'deliver', s.updated_at FROM course_facilitator f JOIN course c ON c.id = f.course_id "         \
	"JOIN course_session s ON s.course_id = c.id JOIN network n ON n.id = c.network_id "             \
	"LEFT JOIN school sc ON sc.urn = s.venue_urn WHERE f.person_id = ?1 AND s.starts_at >= ?2 "
DB_QUERY(Q_PROG_CAL, CAL_SESSIONS "ORDER BY 2 DESC, 1 DESC LIMIT ?3");
DB_QUERY(Q_PROG_CAL_COUNT, "SELECT COUNT(*) FROM (" CAL_SESSIONS ") AS sessions");

DB_QUERY(Q_PROG_EXPORT_BOOKINGS,
	 "SELECT c.title AS course, n.name AS network, s.starts_at, s.ends_at, b.status, b.attendance, "
	 "b.checked_in, b.created_at, b.updated_at FROM booking b JOIN course_session s ON s.id = b.session_id "
	 "JOIN course c ON c.id = s.course_id JOIN network n ON n.id = c.network_id WHERE b.person_id = ? "
	 "ORDER BY b.id");
DB_QUERY(Q_PROG_EXPORT_TEAMS,
	 "SELECT c.title AS course, n.name AS network, f.added_at, "
	 "CASE WHEN c.lead_id = f.person_id THEN 1 ELSE 0 END AS course_lead FROM course_facilitator f "
	 "JOIN course c ON c.id = f.course_id JOIN network n ON n.id = c.network_id WHERE f.person_id = ? "
	 "ORDER BY c.id");
DB_QUERY(Q_PROG_EXPORT_COURSES,
	 "SELECT c.title, n.name AS network, c.created_at FROM course c JOIN network n ON n.id = c.network_id "
	 "WHERE c.created_by = ? ORDER BY c.id");

int prog_calendar_add(struct db *db, struct calendar_feed *f)
{
	struct arena *a = f->a;
	struct db_stmt *st = db_stmt(db, &Q_PROG_CAL);
	if (!st || db_bind_int(st, 1, f->u->id) || db_bind_text(st, 2, prog_iso(a, f->since)) ||
	    db_bind_int(st, 3, PROG_CAL_MAX))
		return ERR_DB;
	struct ical_event *ev = arena_calloc(a, PROG_CAL_MAX, sizeof(*ev));
	size_t k = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && k < PROG_CAL_MAX) {
		int64_t start, end, stamp = 0;
		if (clock_parse_iso(db_col_text(st, 1), &start) || clock_parse_iso(db_col_text(st, 2), &end))
			continue;
		if (clock_parse_iso(db_col_text(st, 8), &stamp))
			stamp = 0;
		bool deliver = db_col_text(st, 7)[0] == 'd';
		int64_t sid = db_col_int(st, 0);
		const char *url = f->link_base ? arena_printf(a, "%s/networks/%s/programme/sessions/%lld", f->link_base,
							      db_col_text(st, 4), (long long)sid)
					       : NULL;
		const char *venue = db_col_text(st, 5) ? arena_strdup(a, db_col_text(st, 5)) : "Online";
		ev[k++] = (struct ical_event){
			.uid = arena_printf(a, "session-%lld-%s@%s", (long long)sid, deliver ? "deliver" : "attend",
					    f->uid_domain),
			.title = arena_printf(a, "%s%s", deliver ? "You facilitate: " : "", db_col_text(st, 3)),
			.start = start,
			.end = end,
			.location = venue,
			.description = arena_printf(a, "%s%s%s", deliver ? "Take the register on the session's page."
									 : "Your place on this session.",
						    url ? "\n\nDetails: " : "", url ? url : ""),
			.url = url,
			.stamp = stamp,
		};
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	while (k > 0)
		calendar_add_event(f, &ev[--k]);
	return 0;
}

int prog_calendar_count(struct db *db, const struct user *u, int64_t *n)
{
	*n = 0;
	char since[32];
	clock_format_iso(clock_now() - (int64_t)CALENDAR_PAST_DAYS * 86400, since, sizeof(since));
	struct db_stmt *st = db_stmt(db, &Q_PROG_CAL_COUNT);
	if (!st || db_bind_int(st, 1, u->id) || db_bind_text(st, 2, since))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_col_int(st, 0);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The rows of a query bound with person_id, as a new array (empty on a store error). */
static json_t *rows_of(struct db *db, const struct db_query *q, int64_t person_id)
{
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, person_id))
		return NULL;
	return db_rows_json(st);
}

json_t *programme_export_person(struct db *db, int64_t person_id)
{
	json_t *bookings = rows_of(db, &Q_PROG_EXPORT_BOOKINGS, person_id);
	json_t *teams = rows_of(db, &Q_PROG_EXPORT_TEAMS, person_id);
	json_t *courses = rows_of(db, &Q_PROG_EXPORT_COURSES, person_id);
	if (!bookings || !teams || !courses) {
		json_decref(bookings);
		json_decref(teams);
		json_decref(courses);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o}", "bookings", bookings, "facilitation_teams", teams, "courses_created",
			 courses);
}
