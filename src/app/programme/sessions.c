// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * sessions.c — sessions of a course and the network's annual programme:
 * reading what people type (a day, start and end in UK time, a venue at a
 * member school or an online link, capacity, an optional per-school limit,
 * when booking closes, hours of CPD) into UTC instants, refusing what cannot
 * be (an end before the start, a time the clocks skip, capacity below the
 * places taken), and the models of the session page, a course's sessions and
 * the programme of an academic year (September to August) with its filters.
 * Every function asks policy.c first (see prog.h).
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

#define SESSION_COLUMNS                                                                             \
	"s.id, s.course_id, s.starts_at, s.ends_at, s.booking_closes_at, s.venue_urn, s.online_url, " \
	"s.capacity, s.per_school_limit, s.cpd_hundredths, s.presenter_minutes "
DB_QUERY(Q_PROG_SESSION,
	 "SELECT " SESSION_COLUMNS "FROM course_session s JOIN course c ON c.id = s.course_id "
	 "WHERE s.id = ? AND c.network_id = ?");
DB_QUERY(Q_PROG_SESSION_INSERT,
	 "INSERT INTO course_session (course_id, starts_at, ends_at, venue_urn, online_url, capacity, "
	 "per_school_limit, booking_closes_at, cpd_hundredths, created_at, updated_at, checkin_code, "
	 "presenter_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_PROG_SESSION_UPDATE,
	 "UPDATE course_session SET starts_at = ?, ends_at = ?, venue_urn = ?, online_url = ?, capacity = ?, "
	 "per_school_limit = ?, booking_closes_at = ?, cpd_hundredths = ?, updated_at = ?, presenter_minutes = ? "
	 "WHERE id = ?");
DB_QUERY(Q_PROG_TAKEN,
	 "SELECT COUNT(*) FROM booking WHERE session_id = ? AND status IN ('booked', 'offered')");
DB_QUERY(Q_PROG_SCHOOL_TAKEN_MAX,
	 "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM booking WHERE session_id = ? "
	 "AND status IN ('booked', 'offered') GROUP BY urn) AS per_school");
DB_QUERY(Q_PROG_IS_MEMBER_SCHOOL, "SELECT 1 FROM network_school WHERE network_id = ? AND urn = ?");
DB_QUERY(Q_PROG_COURSE_SESSIONS,
	 "SELECT " SESSION_COLUMNS ", sc.name AS venue_name, sc.town AS venue_town, "
	 "(SELECT COUNT(*) FROM booking b WHERE b.session_id = s.id AND b.status IN ('booked', 'offered')) AS taken, "
	 "(SELECT b.status FROM booking b WHERE b.session_id = s.id AND b.person_id = ?2 "
	 "AND b.status IN ('booked', 'waiting', 'offered')) AS mine "
	 "FROM course_session s LEFT JOIN school sc ON sc.urn = s.venue_urn WHERE s.course_id = ?1 "
	 "ORDER BY s.starts_at, s.id");
DB_QUERY(Q_PROG_VENUE,
	 "SELECT name, street, locality, address3, town, postcode FROM school WHERE urn = ?");
DB_QUERY(Q_PROG_SESSION_PEOPLE,
	 "SELECT b.id, b.person_id, p.name, b.urn, COALESCE(sc.name, 'URN ' || b.urn) AS school_name, b.status, "
	 "b.offer_expires_at, b.attendance, b.feedback_given FROM booking b JOIN person p ON p.id = b.person_id LEFT JOIN school sc ON sc.urn = b.urn "
	 "WHERE b.session_id = ? AND b.status IN ('booked', 'waiting', 'offered') ORDER BY b.id");
DB_QUERY(Q_PROG_MY_PLACE,
	 "SELECT b.status, b.offer_expires_at, b.attendance, b.feedback_given, "
	 "(SELECT COUNT(*) FROM booking w WHERE w.session_id = b.session_id AND w.status = 'waiting' AND w.id <= b.id) "
	 "AS position FROM booking b WHERE b.session_id = ?1 AND b.person_id = ?2 "
	 "AND b.status IN ('booked', 'waiting', 'offered')");
DB_QUERY(Q_PROG_COLLEAGUES,
	 "SELECT p.id, p.name FROM person p WHERE p.school_urn = ? AND p.school_role <> 'none' AND p.id <> ? "
	 "AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.session_id = ? AND b.person_id = p.id "
	 "AND b.status IN ('booked', 'waiting', 'offered')) ORDER BY p.name, p.id");
DB_QUERY(Q_PROG_SCHOOL_COLLEAGUES,
	 "SELECT p.id, p.name FROM person p WHERE p.school_urn = ? AND p.school_role <> 'none' AND p.id <> ? "
	 "ORDER BY p.name, p.id");
DB_QUERY(Q_PROG_PROGRAMME,
	 "SELECT c.id, c.title, t.name AS theme, c.format, c.outcomes, s.id AS session_id, s.starts_at, s.ends_at, "
	 "s.booking_closes_at, s.venue_urn, sc.name AS venue_name, sc.town AS venue_town, "
	 "CASE WHEN s.online_url IS NULL THEN 0 ELSE 1 END AS online, s.capacity, s.cpd_hundredths, "
	 "(SELECT COUNT(*) FROM booking b WHERE b.session_id = s.id AND b.status IN ('booked', 'offered')) AS taken "
	 "FROM course c JOIN network_theme t ON t.id = c.theme_id "
	 "LEFT JOIN course_session s ON s.course_id = c.id AND s.starts_at >= ?2 AND s.starts_at < ?3 "
	 "LEFT JOIN school sc ON sc.urn = s.venue_urn "
	 "WHERE c.network_id = ?1 AND (?4 = '' OR lower(t.name) = lower(?4)) AND (?5 = '' OR c.format = ?5) "
	 "AND (?6 = '' OR EXISTS (SELECT 1 FROM course_audience ca WHERE ca.course_id = c.id AND ca.audience = ?6)) "
	 "AND (s.id IS NOT NULL OR (?7 = 0 AND NOT EXISTS (SELECT 1 FROM course_session x WHERE x.course_id = c.id))) "
	 "ORDER BY t.position, t.name, c.title, c.id, s.starts_at, s.id");
DB_QUERY(Q_PROG_NET_FACILITATORS,
	 "SELECT f.course_id, p.name, COALESCE(sc.name, 'URN ' || f.urn) AS school_name, "
	 "CASE WHEN c.lead_id = p.id THEN 1 ELSE 0 END AS lead FROM course_facilitator f "
	 "JOIN course c ON c.id = f.course_id JOIN person p ON p.id = f.person_id "
	 "LEFT JOIN school sc ON sc.urn = f.urn WHERE c.network_id = ? ORDER BY f.course_id, lead DESC, p.name");
DB_QUERY(Q_PROG_NET_AUDIENCES,
	 "SELECT ca.course_id, ca.audience FROM course_audience ca JOIN course c ON c.id = ca.course_id "
	 "WHERE c.network_id = ? ORDER BY ca.course_id, ca.audience");
DB_QUERY(Q_PROG_VENUES,
	 "SELECT s.urn, COALESCE(sc.name, 'URN ' || s.urn) AS name FROM network_school s "
	 "LEFT JOIN school sc ON sc.urn = s.urn WHERE s.network_id = ? ORDER BY name, s.urn");
DB_QUERY(Q_PROG_MY_PLACES,
	 "SELECT b.session_id, b.status, c.title, s.starts_at, s.ends_at FROM booking b "
	 "JOIN course_session s ON s.id = b.session_id JOIN course c ON c.id = s.course_id "
	 "WHERE c.network_id = ?1 AND b.person_id = ?2 AND b.status IN ('booked', 'waiting', 'offered') "
	 "AND s.starts_at >= ?3 AND s.starts_at < ?4 ORDER BY s.starts_at, s.id");
DB_QUERY(Q_PROG_MY_BOOKINGS,
	 "SELECT b.session_id, b.status FROM booking b JOIN course_session s ON s.id = b.session_id "
	 "JOIN course c ON c.id = s.course_id WHERE c.network_id = ? AND b.person_id = ? "
	 "AND b.status IN ('booked', 'waiting', 'offered')");

/* Letters and digits nobody mistakes for each other on a screen (no I, O, 0, 1). */
static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

const char *prog_new_code(struct arena *a)
{
	char *code = arena_alloc(a, PROG_CODE_LEN + 1);
	for (int i = 0; i < PROG_CODE_LEN; i++)
		code[i] = code_alphabet[randombytes_uniform((uint32_t)(sizeof(code_alphabet) - 1))];
	code[PROG_CODE_LEN] = '\0';
	return code;
}

/* ---- times ------------------------------------------------------------- */

/* UK midnight of day as "local seconds" (as if UTC), or -1 when it is not a day. */
static int64_t local_day(const char *day)
{
	int64_t t;
	if (!day || clock_parse_day(day, &t, NULL))
		return -1;
	return t;
}

int prog_academic_year(int64_t t)
{
	char day[12];
	clock_uk_day_time(t, day, NULL);
	int y = (day[0] - '0') * 1000 + (day[1] - '0') * 100 + (day[2] - '0') * 10 + (day[3] - '0');
	int m = (day[5] - '0') * 10 + (day[6] - '0');
	return m >= 9 ? y : y - 1;
}

/* The instant of UK midnight starting the first of month in year. */
static int64_t uk_first(int year, int month)
{
	char day[16];
	snprintf(day, sizeof(day), "%04d-%02d-01", year, month);
	return clock_uk_to_utc(local_day(day));
}

void prog_year_bounds(int year, const char *term, int64_t *from, int64_t *to)
{
	if (str_eq(term, "autumn")) {
		*from = uk_first(year, 9);
		*to = uk_first(year + 1, 1);
	} else if (str_eq(term, "spring")) {
		*from = uk_first(year + 1, 1);
		*to = uk_first(year + 1, 4);
	} else if (str_eq(term, "summer")) {
		*from = uk_first(year + 1, 4);
		*to = uk_first(year + 1, 9);
	} else {
		*from = uk_first(year, 9);
		*to = uk_first(year + 1, 9);
	}
}

/*
 * The instant of UK wall time hhmm on day, into *out; errors[field] with a
 * message when the clocks skip it. 0 or ERR_INVALID.
 */
static int uk_instant(const char *day, const char *hhmm, const char *field, json_t *errors, int64_t *out)
{
	int64_t d = local_day(day), secs;
	if (d < 0 || !hhmm || clock_parse_hhmm(hhmm, &secs))
		return ERR_INVALID;
	if (clock_uk_resolve(d + secs, out) == CLOCK_UK_SKIPPED) {
		json_object_set_new(errors, field,
				    json_sprintf("%s does not happen on that day: the clocks go forward an hour at "
						 "01:00. Choose another time",
						 hhmm));
		return ERR_INVALID;
	}
	return 0;
}

/* ---- opening and saving sessions --------------------------------------- */

/* Fill s from a row of SESSION_COLUMNS (from column 0). */
static void read_session(struct db_stmt *st, struct arena *a, struct prog_session *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->course_id = db_col_int(st, 1);
	if (clock_parse_iso(db_col_text(st, 2), &s->starts) || clock_parse_iso(db_col_text(st, 3), &s->ends) ||
	    clock_parse_iso(db_col_text(st, 4), &s->closes))
		s->starts = s->ends = s->closes = 0;
	s->venue_urn = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	s->online_url = db_col_is_null(st, 6) ? NULL : arena_strdup(a, db_col_text(st, 6));
	s->capacity = db_col_int(st, 7);
	s->per_school_limit = db_col_int(st, 8);
	s->cpd_hundredths = db_col_int(st, 9);
	s->presenter_minutes = db_col_int(st, 10);
}

int prog_session_open(struct db *db, struct arena *a, struct prog_access *acc, int64_t id, struct prog_course *c,
		      struct prog_session *out)
{
	memset(out, 0, sizeof(*out));
	if (!prog_policy_programme_see(acc) || id <= 0)
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_PROG_SESSION);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, acc->network_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	read_session(st, a, out);
	db_reset(st);
	return prog_course_open(db, a, acc, out->course_id, c);
}

/* A single count from a query bound with one id. */
static int count_of(struct db *db, const struct db_query *q, int64_t id, int64_t *n)
{
	*n = 0;
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*n = db_col_int(st, 0);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Read the session form into s (times, venue, places), adding errors. */
static int check_session(struct db *db, const struct prog_access *acc, const struct prog_session_in *in,
			 int64_t now, struct prog_session *s, json_t *errors)
{
	memset(s, 0, sizeof(*s));
	if (!in->day)
		json_object_set_new(errors, "day", json_string("Enter the day of the session"));
	if (!in->start)
		json_object_set_new(errors, "start", json_string("Enter the time it starts (UK time)"));
	if (!in->end)
		json_object_set_new(errors, "end", json_string("Enter the time it ends (UK time)"));
	bool times = in->day && in->start && in->end && uk_instant(in->day, in->start, "start", errors, &s->starts) == 0 &&
		     uk_instant(in->day, in->end, "end", errors, &s->ends) == 0;
	if (times && s->ends <= s->starts)
		json_object_set_new(errors, "end", json_sprintf("The session must end after it starts (%s)", in->start));
	if (times && s->starts <= now)
		json_object_set_new(errors, "day", json_string("The session must start in the future"));
	s->closes = s->starts;
	if (times && in->closes_day) {
		const char *hhmm = in->closes_time ? in->closes_time : "23:59";
		if (uk_instant(in->closes_day, hhmm, "closes_time", errors, &s->closes) == 0 && s->closes > s->starts)
			json_object_set_new(errors, "closes_day",
					    json_string("Booking must close before the session starts"));
	} else if (in->closes_time && !in->closes_day) {
		json_object_set_new(errors, "closes_day", json_string("Enter the day booking closes as well as the time"));
	}

	const char *url = in->online_url && *in->online_url ? in->online_url : NULL;
	if (in->venue_urn > 0 && url)
		json_object_set_new(errors, "online_url",
				    json_string("A session is either at a school or online: leave the link empty, or "
						"choose no school"));
	else if (in->venue_urn <= 0 && !url)
		json_object_set_new(errors, "venue_urn",
				    json_string("Choose the member school where it happens, or give the online link"));
	if (url && (!(str_starts_with(url, "https://") || str_starts_with(url, "http://")) || strchr(url, ' ') ||
		    strlen(url) > PROG_URL_MAX))
		json_object_set_new(errors, "online_url",
				    json_string("The online link must be a web address starting https://"));
	if (in->venue_urn > 0) {
		struct db_stmt *st = db_stmt(db, &Q_PROG_IS_MEMBER_SCHOOL);
		if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, in->venue_urn))
			return ERR_DB;
		int rc = db_step(st);
		db_reset(st);
		if (rc < 0)
			return rc;
		if (rc != DB_ROW)
			json_object_set_new(errors, "venue_urn",
					    json_string("The venue must be one of the network's member schools"));
	}
	if (in->capacity < 1 || in->capacity > PROG_CAPACITY_MAX)
		json_object_set_new(errors, "capacity",
				    json_sprintf("Capacity must be a whole number of places from 1 to %d",
						 PROG_CAPACITY_MAX));
	if (in->per_school_limit < 0 || (in->capacity >= 1 && in->per_school_limit > in->capacity))
		json_object_set_new(errors, "per_school_limit",
				    json_string("The places a school may take cannot be more than the capacity"));
	if (in->cpd_hundredths < 0 || in->cpd_hundredths > PROG_CPD_MAX)
		json_object_set_new(errors, "cpd_hours", json_string("Hours of CPD must be from 0 to 100"));
	s->venue_urn = in->venue_urn > 0 ? in->venue_urn : 0;
	s->online_url = url;
	s->capacity = in->capacity;
	s->per_school_limit = in->per_school_limit;
	s->cpd_hundredths = in->cpd_hundredths;
	s->presenter_minutes = in->presenter_minutes;
	if (times && s->ends > s->starts && in->presenter_minutes > (s->ends - s->starts) / 60)
		json_object_set_new(errors, "presenter_minutes",
				    json_sprintf("The presenting time cannot be longer than the session (%lld minutes)",
						 (long long)((s->ends - s->starts) / 60)));
	return json_object_size(errors) ? ERR_INVALID : 0;
}

int prog_session_save(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		      const struct prog_course *c, int64_t id, const struct prog_session_in *in,
		      const char *base_url, int64_t now, json_t *errors, int64_t *new_id)
{
	(void)net;
	if (new_id)
		*new_id = 0;
	if (!prog_policy_session_edit(acc))
		return ERR_FORBIDDEN;
	struct prog_session s;
	int rc = check_session(db, acc, in, now, &s, errors);
	if (rc)
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	const char *stamp = prog_iso(a, now);
	struct db_stmt *st;
	if (id > 0) {
		int64_t taken = 0, school_max = 0;
		rc = count_of(db, &Q_PROG_TAKEN, id, &taken);
		if (rc == 0)
			rc = count_of(db, &Q_PROG_SCHOOL_TAKEN_MAX, id, &school_max);
		if (rc == 0 && taken > s.capacity) {
			json_object_set_new(errors, "capacity",
					    json_sprintf("%lld places are taken, so the capacity cannot be lower than %lld. "
							 "Cancel bookings first if the room is smaller.",
							 (long long)taken, (long long)taken));
			rc = ERR_CONFLICT;
		}
		if (rc == 0 && s.per_school_limit > 0 && school_max > s.per_school_limit) {
			json_object_set_new(errors, "per_school_limit",
					    json_sprintf("One school already has %lld places, so the limit cannot be lower "
							 "than %lld",
							 (long long)school_max, (long long)school_max));
			rc = ERR_CONFLICT;
		}
		st = db_stmt(db, &Q_PROG_SESSION_UPDATE);
		if (rc == 0 && (!st || db_bind_text(st, 1, prog_iso(a, s.starts)) ||
				db_bind_text(st, 2, prog_iso(a, s.ends)) ||
				(s.venue_urn ? db_bind_int(st, 3, s.venue_urn) : db_bind_null(st, 3)) ||
				db_bind_text(st, 4, s.online_url) || db_bind_int(st, 5, s.capacity) ||
				db_bind_int(st, 6, s.per_school_limit) || db_bind_text(st, 7, prog_iso(a, s.closes)) ||
				db_bind_int(st, 8, s.cpd_hundredths) || db_bind_text(st, 9, stamp) ||
				db_bind_int(st, 10, s.presenter_minutes) || db_bind_int(st, 11, id)))
			rc = ERR_DB;
		else if (rc == 0)
			rc = prog_run(st);
		s.id = id;
		s.course_id = c->id;
		/* A larger capacity or a looser limit frees places: offer them at once. */
		if (rc == 0)
			rc = prog_offer_places(db, a, &s, base_url, now, NULL);
	} else {
		st = db_stmt(db, &Q_PROG_SESSION_INSERT);
		if (!st || db_bind_int(st, 1, c->id) || db_bind_text(st, 2, prog_iso(a, s.starts)) ||
		    db_bind_text(st, 3, prog_iso(a, s.ends)) ||
		    (s.venue_urn ? db_bind_int(st, 4, s.venue_urn) : db_bind_null(st, 4)) ||
		    db_bind_text(st, 5, s.online_url) || db_bind_int(st, 6, s.capacity) ||
		    db_bind_int(st, 7, s.per_school_limit) || db_bind_text(st, 8, prog_iso(a, s.closes)) ||
		    db_bind_int(st, 9, s.cpd_hundredths) || db_bind_text(st, 10, stamp) || db_bind_text(st, 11, stamp) ||
		    db_bind_text(st, 12, prog_new_code(a)) || db_bind_int(st, 13, s.presenter_minutes))
			rc = ERR_DB;
		else
			rc = prog_run(st);
		id = rc == 0 ? db_last_id(db) : 0;
	}
	rc = prog_finish(db, rc);
	if (rc == 0 && new_id)
		*new_id = id;
	return rc;
}

json_t *prog_session_form(struct arena *a, const struct prog_session *s)
{
	char day[12], start[8], end[8], cday[12], ctime[8];
	clock_uk_day_time(s->starts, day, start);
	clock_uk_day_time(s->ends, NULL, end);
	clock_uk_day_time(s->closes, cday, ctime);
	json_t *f = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "day", day, "start", start, "end", end,
			      "capacity", (json_int_t)s->capacity, "per_school_limit", (json_int_t)s->per_school_limit,
			      "closes_day", cday, "closes_time", ctime, "cpd_hours", prog_hours(a, s->cpd_hundredths));
	if (s->venue_urn)
		json_object_set_new(f, "venue_urn", json_integer(s->venue_urn));
	if (s->online_url)
		json_object_set_new(f, "online_url", json_string(s->online_url));
	if (s->presenter_minutes)
		json_object_set_new(f, "presenter_minutes", json_integer(s->presenter_minutes));
	return f;
}

/* ---- models ------------------------------------------------------------ */

/* "3 places left", "1 place left", "Full". */
static const char *places_text(struct arena *a, int64_t left)
{
	if (left <= 0)
		return "Full";
	return arena_printf(a, "%lld place%s left", (long long)left, left == 1 ? "" : "s");
}

json_t *prog_course_sessions(struct db *db, struct arena *a, const struct prog_access *acc,
			     const struct network *net, const struct prog_course *c, int64_t now)
{
	json_t *list = json_array();
	struct db_stmt *st = db_stmt(db, &Q_PROG_COURSE_SESSIONS);
	if (!prog_policy_programme_see(acc) || !st || db_bind_int(st, 1, c->id) ||
	    db_bind_int(st, 2, acc->person_id))
		return list;
	while (db_step(st) == DB_ROW) {
		struct prog_session s;
		read_session(st, a, &s);
		int64_t taken = db_col_int(st, 13);
		int64_t left = s.capacity - taken;
		json_t *r = json_pack("{s:I, s:s, s:s, s:b, s:I, s:I, s:s, s:b, s:b, s:s}", "id", (json_int_t)s.id,
				      "when", prog_span(a, s.starts, s.ends), "starts_at", prog_iso(a, s.starts), "online",
				      s.online_url != NULL, "capacity", (json_int_t)s.capacity, "places_left",
				      (json_int_t)(left > 0 ? left : 0), "places_text", places_text(a, left), "full",
				      left <= 0, "past", s.starts <= now, "cpd_hours", prog_hours(a, s.cpd_hundredths));
		json_object_set_new(r, "url", json_sprintf("/networks/%s/programme/sessions/%lld", net->slug,
							   (long long)s.id));
		if (!db_col_is_null(st, 11))
			json_object_set_new(r, "venue", json_sprintf("%s%s%s", db_col_text(st, 11),
								      db_col_text(st, 12) ? ", " : "",
								      db_col_text(st, 12) ? db_col_text(st, 12) : ""));
		else
			json_object_set_new(r, "venue", json_string("Online"));
		if (!db_col_is_null(st, 14))
			json_object_set_new(r, "mine", json_string(db_col_text(st, 14)));
		json_array_append_new(list, r);
	}
	db_reset(st);
	return list;
}

/* The venue of a session as {urn, name, address} (new), from the register. */
static json_t *venue_json(struct db *db, int64_t urn)
{
	json_t *v = json_pack("{s:I, s:s, s:s}", "urn", (json_int_t)urn, "name", "", "address", "");
	struct db_stmt *st = db_stmt(db, &Q_PROG_VENUE);
	if (!st || db_bind_int(st, 1, urn))
		return v;
	if (db_step(st) == DB_ROW) {
		json_object_set_new(v, "name", json_string(db_col_text(st, 0)));
		char addr[512];
		size_t n = 0;
		addr[0] = '\0';
		for (int i = 1; i <= 5; i++) {
			const char *part = db_col_text(st, i);
			if (!part || !*part)
				continue;
			int w = snprintf(addr + n, sizeof(addr) - n, "%s%s", n ? ", " : "", part);
			if (w < 0 || (size_t)w >= sizeof(addr) - n)
				break;
			n += (size_t)w;
		}
		json_object_set_new(v, "address", json_string(addr));
	}
	db_reset(st);
	return v;
}

/* What the places on a session come to, for the parts of its page that depend on them. */
struct session_people {
	int64_t booked;  /* places booked */
	int64_t offered; /* places offered to someone in line and held for them */
	int64_t waiting; /* people in line */
	json_t *mine;    /* the person's own place or place in line (new), NULL when none */
	json_t *people;  /* those booked whose names the person may see (new), NULL when not listed here */
	json_t *line;    /* those waiting whose names the person may see (new), NULL when not listed here */
	json_t *schools; /* places by school (new), NULL when not listed here */
};

/* The person's own row of Q_PROG_SESSION_PEOPLE / Q_PROG_MY_PLACE (columns from col) as mine (new). */
static json_t *mine_json(struct db_stmt *st, struct arena *a, int col, int64_t position)
{
	const char *status = db_col_text(st, col);
	json_t *mine = json_pack("{s:s, s:I, s:s?, s:b}", "status", status, "position", (json_int_t)position,
				 "attendance", db_col_text(st, col + 2), "feedback_given", db_col_int(st, col + 3) != 0);
	if (str_eq(status, "offered")) {
		int64_t exp = 0;
		if (clock_parse_iso(db_col_text(st, col + 1), &exp) == 0)
			json_object_set_new(mine, "offer_until", json_string(prog_when(a, exp)));
	}
	return mine;
}

/* Who holds places on s, in order, into sp: the counts, and names only for those the policy allows. */
static int people_scan(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		       int64_t now, struct session_people *sp)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_SESSION_PEOPLE);
	if (!st || db_bind_int(st, 1, s->id))
		return ERR_DB;
	int64_t position = 0;
	json_t *by_school = json_object();
	sp->people = json_array();
	sp->line = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t pid = db_col_int(st, 1), urn = db_col_int(st, 3);
		const char *status = db_col_text(st, 5);
		bool is_waiting = str_eq(status, "waiting");
		if (is_waiting)
			position++;
		else if (str_eq(status, "offered"))
			sp->offered++;
		else
			sp->booked++;
		if (is_waiting)
			sp->waiting++;
		else {
			const char *school = db_col_text(st, 4);
			json_int_t n = json_integer_value(json_object_get(by_school, school));
			json_object_set_new(by_school, school, json_integer(n + 1));
		}
		if (pid == acc->person_id)
			sp->mine = mine_json(st, a, 5, is_waiting ? position : 0);
		if (prog_policy_attendee_name(acc, pid, urn)) {
			json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:b}", "person_id", (json_int_t)pid, "name",
					      db_col_text(st, 2), "school_name", db_col_text(st, 4), "status", status,
					      "can_cancel", prog_policy_booking_cancel(acc, pid, urn) && now < s->starts);
			if (is_waiting) {
				json_object_set_new(p, "position", json_integer(position));
				json_array_append_new(sp->line, p);
			} else {
				json_array_append_new(sp->people, p);
			}
		}
	}
	db_reset(st);
	sp->schools = json_array();
	if (rc >= 0 && prog_policy_programme_read(acc)) {
		const char *k;
		json_t *v;
		json_object_foreach(by_school, k, v)
			json_array_append_new(sp->schools, json_pack("{s:s, s:O}", "school_name", k, "places", v));
	}
	json_decref(by_school);
	return rc < 0 ? rc : 0;
}

/* The person's own place or place in line on s (sp->mine), read alone. */
static int my_place(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		    struct session_people *sp)
{
	if (acc->person_id <= 0)
		return 0;
	struct db_stmt *st = db_stmt(db, &Q_PROG_MY_PLACE);
	if (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, acc->person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		sp->mine = mine_json(st, a, 0, str_eq(db_col_text(st, 0), "waiting") ? db_col_int(st, 4) : 0);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The session page's model from sp (whose values it takes), as prog_session_json describes it. */
static json_t *session_assemble(struct db *db, struct arena *a, const struct prog_access *acc,
				const struct network *net, const struct prog_course *c, const struct prog_session *s,
				int64_t now, struct session_people *sp)
{
	json_t *sj = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:s}", "id", (json_int_t)s->id, "when",
			       prog_span(a, s->starts, s->ends), "starts_at", prog_iso(a, s->starts), "ends_at",
			       prog_iso(a, s->ends), "closes_when", prog_when(a, s->closes), "booking_open",
			       now < s->closes, "started", now >= s->starts, "capacity", (json_int_t)s->capacity,
			       "per_school_limit", (json_int_t)s->per_school_limit, "cpd_hours",
			       prog_hours(a, s->cpd_hundredths));
	json_object_set_new(sj, "url", json_sprintf("/networks/%s/programme/sessions/%lld", net->slug, (long long)s->id));
	json_object_set_new(sj, "online", json_boolean(s->online_url != NULL));
	json_object_set_new(sj, "presenters", json_boolean(str_eq(c->format, "teachmeet") ||
							   str_eq(c->format, "learning_lunch")));
	if (s->venue_urn)
		json_object_set_new(sj, "venue", venue_json(db, s->venue_urn));
	int64_t left = s->capacity - sp->booked - sp->offered;
	json_object_set_new(sj, "booked", json_integer(sp->booked));
	json_object_set_new(sj, "offered", json_integer(sp->offered));
	json_object_set_new(sj, "waiting", json_integer(sp->waiting));
	json_object_set_new(sj, "places_left", json_integer(left > 0 ? left : 0));
	json_object_set_new(sj, "places_text", json_string(places_text(a, left)));
	json_object_set_new(sj, "full", json_boolean(left <= 0));
	json_t *mine = sp->mine;
	bool has_place = mine && str_eq(json_string_value(json_object_get(mine, "status")), "booked");
	if (s->online_url && prog_policy_online_link(acc, has_place))
		json_object_set_new(sj, "online_url", json_string(s->online_url));

	json_t *m = json_pack("{s:o, s:o}", "session", sj, "course", prog_course_json(db, net, c));
	if (sp->people) {
		bool cancel_listed = false;
		size_t i;
		json_t *p;
		json_array_foreach(sp->people, i, p)
			cancel_listed = cancel_listed || json_is_true(json_object_get(p, "can_cancel"));
		json_object_set_new(m, "facilitators", prog_facilitators(db, acc, c->id));
		json_object_set_new(m, "has_attendees", json_boolean(json_array_size(sp->people) > 0));
		json_object_set_new(m, "has_waiting_list", json_boolean(json_array_size(sp->line) > 0));
		json_object_set_new(m, "has_places_by_school", json_boolean(json_array_size(sp->schools) > 0));
		json_object_set_new(m, "attendees", sp->people);
		json_object_set_new(m, "waiting_list", sp->line);
		json_object_set_new(m, "places_by_school", sp->schools);
		json_object_set_new(m, "cancel_listed", json_boolean(cancel_listed));
	} else {
		/* The lists are kept rendered (prog_policy_attendees_all: every place may be cancelled until the start). */
		json_object_set_new(m, "cancel_listed", json_boolean(now < s->starts && sp->booked + sp->offered > 0));
	}
	if (mine)
		json_object_set_new(m, "mine", mine);
	bool can_book = prog_policy_book_self(acc) && !mine && now < s->closes;
	const char *att = mine ? json_string_value(json_object_get(mine, "attendance")) : NULL;
	bool attended = has_place && (str_eq(att, "present") || str_eq(att, "late"));
	json_t *can = json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "certificate", attended, "feedback",
				attended && now >= s->ends && !json_is_true(json_object_get(mine, "feedback_given")) &&
					now < s->ends + (int64_t)PROG_FEEDBACK_DAYS * 86400,
				"edit", prog_policy_session_edit(acc), "book",
				can_book && left > 0, "wait", can_book && left <= 0, "book_colleague",
				prog_policy_book_colleague(acc, acc->school_urn) && now < s->closes, "register",
				prog_policy_register(acc), "cancel_own", mine && now < s->starts, "checkin",
				has_place && now >= s->starts - 30 * 60 && now < s->ends);
	json_object_set_new(m, "can", can);
	if (prog_policy_book_colleague(acc, acc->school_urn) && now < s->closes) {
		struct db_stmt *st = db_stmt(db, &Q_PROG_COLLEAGUES);
		if (st && db_bind_int(st, 1, acc->school_urn) == 0 && db_bind_int(st, 2, acc->person_id) == 0 &&
		    db_bind_int(st, 3, s->id) == 0) {
			json_t *rows = db_rows_json(st);
			json_object_set_new(m, "colleagues", rows ? rows : json_array());
		}
	}
	return m;
}

int prog_session_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		      const struct prog_course *c, const struct prog_session *s, int64_t now, json_t **out)
{
	*out = NULL;
	if (!prog_policy_programme_see(acc))
		return ERR_NOTFOUND;
	struct session_people sp = {0};
	int rc = people_scan(db, a, acc, s, now, &sp);
	if (rc) {
		json_decref(sp.people);
		json_decref(sp.line);
		json_decref(sp.schools);
		json_decref(sp.mine);
		return rc;
	}
	*out = session_assemble(db, a, acc, net, c, s, now, &sp);
	return 0;
}

int prog_session_json_kept(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
			   const struct prog_course *c, const struct prog_session *s, int64_t now,
			   const int64_t *counts, json_t **out)
{
	*out = NULL;
	if (!prog_policy_attendees_all(acc))
		return ERR_FORBIDDEN;
	struct session_people sp = {.booked = counts[0], .offered = counts[1], .waiting = counts[2]};
	int rc = my_place(db, a, acc, s, &sp);
	if (rc)
		return rc;
	*out = session_assemble(db, a, acc, net, c, s, now, &sp);
	return 0;
}

json_t *prog_series_colleagues(struct db *db, const struct prog_access *acc, int64_t chosen)
{
	json_t *list = json_array();
	if (!prog_policy_book_colleague(acc, acc->school_urn))
		return list;
	struct db_stmt *st = db_stmt(db, &Q_PROG_SCHOOL_COLLEAGUES);
	if (!st || db_bind_int(st, 1, acc->school_urn) || db_bind_int(st, 2, acc->person_id))
		return list;
	while (db_step(st) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		json_array_append_new(list, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "name", db_col_text(st, 1),
						      "selected", id == chosen));
	}
	db_reset(st);
	return list;
}

/* Find or make the array under key in obj. */
static json_t *array_at(json_t *obj, const char *key)
{
	json_t *arr = json_object_get(obj, key);
	if (!arr) {
		arr = json_array();
		json_object_set_new(obj, key, arr);
	}
	return arr;
}

int prog_programme_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
			const struct prog_filter *f, int64_t now, json_t **out)
{
	*out = NULL;
	if (!prog_policy_programme_see(acc))
		return ERR_NOTFOUND;
	bool read = prog_policy_programme_read(acc);
	int64_t from, to;
	prog_year_bounds(f->year, f->term, &from, &to);

	/* Facilitators (members only), audiences and the person's own bookings: fetched once each. */
	json_t *team = json_object(), *aud = json_object(), *mine = json_object();
	struct db_stmt *st;
	if (read && (st = db_stmt(db, &Q_PROG_NET_FACILITATORS)) && db_bind_int(st, 1, acc->network_id) == 0) {
		while (db_step(st) == DB_ROW) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
			json_array_append_new(array_at(team, key),
					      json_pack("{s:s, s:s, s:b}", "name", db_col_text(st, 1), "school_name",
							db_col_text(st, 2), "lead", db_col_int(st, 3) != 0));
		}
		db_reset(st);
	}
	if ((st = db_stmt(db, &Q_PROG_NET_AUDIENCES)) && db_bind_int(st, 1, acc->network_id) == 0) {
		while (db_step(st) == DB_ROW) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
			json_array_append_new(array_at(aud, key), json_string(prog_audience_label(db_col_text(st, 1))));
		}
		db_reset(st);
	}
	if (acc->person_id > 0 && (st = db_stmt(db, &Q_PROG_MY_BOOKINGS)) && db_bind_int(st, 1, acc->network_id) == 0 &&
	    db_bind_int(st, 2, acc->person_id) == 0) {
		while (db_step(st) == DB_ROW) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
			json_object_set_new(mine, key, json_string(db_col_text(st, 1)));
		}
		db_reset(st);
	}

	st = db_stmt(db, &Q_PROG_PROGRAMME);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_text(st, 2, prog_iso(a, from)) ||
	    db_bind_text(st, 3, prog_iso(a, to)) || db_bind_text(st, 4, f->theme ? f->theme : "") ||
	    db_bind_text(st, 5, f->format ? f->format : "") || db_bind_text(st, 6, f->audience ? f->audience : "") ||
	    db_bind_int(st, 7, f->term ? 1 : 0)) {
		json_decref(team);
		json_decref(aud);
		json_decref(mine);
		return ERR_DB;
	}
	json_t *themes = json_array(), *theme = NULL, *course = NULL;
	int64_t last_course = 0, courses = 0, sessions = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *tname = db_col_text(st, 2);
		if (!theme || !str_eq(json_string_value(json_object_get(theme, "name")), tname)) {
			theme = json_pack("{s:s, s:[]}", "name", tname, "courses");
			json_array_append_new(themes, theme);
		}
		int64_t cid = db_col_int(st, 0);
		if (cid != last_course) {
			char key[24];
			snprintf(key, sizeof(key), "%lld", (long long)cid);
			json_t *t = json_object_get(team, key), *au = json_object_get(aud, key);
			course = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:[]}", "id", (json_int_t)cid, "title",
					   db_col_text(st, 1), "format", db_col_text(st, 3), "format_label",
					   prog_format_label(db_col_text(st, 3)), "outcomes",
					   db_col_text(st, 4) ? db_col_text(st, 4) : "", "facilitators",
					   t ? json_incref(t) : json_array(), "audience", au ? json_incref(au) : json_array(),
					   "has_facilitators",
					   json_array_size(t) > 0, "sessions");
			json_object_set_new(course, "url", json_sprintf("/networks/%s/programme/courses/%lld", net->slug,
									(long long)cid));
			json_array_append_new(json_object_get(theme, "courses"), course);
			last_course = cid;
			courses++;
		}
		if (db_col_is_null(st, 5))
			continue;
		int64_t sid = db_col_int(st, 5), starts = 0, ends = 0;
		if (clock_parse_iso(db_col_text(st, 6), &starts) || clock_parse_iso(db_col_text(st, 7), &ends))
			continue;
		int64_t left = db_col_int(st, 13) - db_col_int(st, 15);
		json_t *sj = json_pack("{s:I, s:s, s:s, s:b, s:I, s:s, s:b, s:b, s:s}", "id", (json_int_t)sid, "when",
				       prog_span(a, starts, ends), "starts_at", db_col_text(st, 6), "online",
				       db_col_int(st, 12) != 0, "places_left", (json_int_t)(left > 0 ? left : 0),
				       "places_text", places_text(a, left), "full", left <= 0, "past", starts <= now,
				       "cpd_hours", prog_hours(a, db_col_int(st, 14)));
		json_object_set_new(sj, "url", json_sprintf("/networks/%s/programme/sessions/%lld", net->slug,
							    (long long)sid));
		json_object_set_new(sj, "ends_at", json_string(db_col_text(st, 7)));
		if (!db_col_is_null(st, 10))
			json_object_set_new(sj, "venue", json_sprintf("%s%s%s", db_col_text(st, 10),
								      db_col_text(st, 11) ? ", " : "",
								      db_col_text(st, 11) ? db_col_text(st, 11) : ""));
		else
			json_object_set_new(sj, "venue", json_string("Online"));
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)sid);
		json_t *my = json_object_get(mine, key);
		if (my)
			json_object_set(sj, "mine", my);
		json_array_append_new(json_object_get(course, "sessions"), sj);
		json_object_set_new(course, "has_sessions", json_true());
		sessions++;
	}
	db_reset(st);
	json_decref(team);
	json_decref(aud);
	json_decref(mine);
	if (rc < 0) {
		json_decref(themes);
		return rc;
	}
	*out = json_pack("{s:i, s:s, s:o, s:I, s:I, s:b}", "year", f->year, "year_label",
			 arena_printf(a, "%d/%02d", f->year, (f->year + 1) % 100), "themes", themes, "courses",
			 (json_int_t)courses, "sessions", (json_int_t)sessions, "empty", courses == 0);
	return 0;
}

json_t *prog_programme_mine(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
			    const struct prog_filter *f)
{
	json_t *list = json_array();
	if (acc->person_id <= 0 || !prog_policy_programme_see(acc))
		return list;
	int64_t from, to;
	prog_year_bounds(f->year, f->term, &from, &to);
	struct db_stmt *st = db_stmt(db, &Q_PROG_MY_PLACES);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, acc->person_id) ||
	    db_bind_text(st, 3, prog_iso(a, from)) || db_bind_text(st, 4, prog_iso(a, to)))
		return list;
	while (db_step(st) == DB_ROW) {
		int64_t starts, ends;
		if (clock_parse_iso(db_col_text(st, 3), &starts) || clock_parse_iso(db_col_text(st, 4), &ends))
			continue;
		json_t *p = json_pack("{s:s, s:s, s:s}", "course", db_col_text(st, 2), "when", prog_span(a, starts, ends),
				      "status", db_col_text(st, 1));
		json_object_set_new(p, "url", json_sprintf("/networks/%s/programme/sessions/%lld", net->slug,
							   (long long)db_col_int(st, 0)));
		json_array_append_new(list, p);
	}
	db_reset(st);
	return list;
}

/* Kept venue lists: "urn" US "name" RS for each school (US, RS: the ASCII unit and record separators). */
#define VENUE_US '\x1f'
#define VENUE_RS '\x1e'

/* The venue list kept as text (prog_venues), back as [{urn, name}] (new array; the text was checked UTF-8 when kept). */
static json_t *venues_from_text(const char *p, const char *end)
{
	json_t *rows = json_array();
	while (p < end) {
		const char *us = memchr(p, VENUE_US, (size_t)(end - p));
		const char *rs = us ? memchr(us, VENUE_RS, (size_t)(end - us)) : NULL;
		if (!rs)
			break;
		json_t *r = json_object();
		json_object_set_new_nocheck(r, "urn", json_integer(strtoll(p, NULL, 10)));
		json_object_set_new_nocheck(r, "name", json_stringn_nocheck(us + 1, (size_t)(rs - us - 1)));
		json_array_append_new(rows, r);
		p = rs + 1;
	}
	return rows;
}

json_t *prog_venues(struct db *db, const struct prog_access *acc)
{
	if (!prog_policy_programme_read(acc))
		return json_array();
	/* The same for every member: kept in memory under listing.c's rules (a change here drops it). */
	char key[48];
	snprintf(key, sizeof(key), "venues|%lld", (long long)acc->network_id);
	json_t *kept = prog_kept_get(key, NULL);
	if (kept) {
		const char *text = json_string_value(kept);
		json_t *rows = venues_from_text(text, text + json_string_length(kept));
		json_decref(kept);
		return rows;
	}
	uint64_t gen = prog_listing_generation();
	struct db_stmt *st = db_stmt(db, &Q_PROG_VENUES);
	if (!st || db_bind_int(st, 1, acc->network_id))
		return json_array();
	json_t *rows = json_array();
	struct buf text = BUF_INIT;
	bool keep = true;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t urn = db_col_int(st, 0);
		const char *name = db_col_text(st, 1);
		json_t *r = json_pack("{s:I, s:s}", "urn", (json_int_t)urn, "name", name);
		/* Kept only when every name is UTF-8 without a separator (the register has no control characters). */
		keep = keep && r && !strchr(name, VENUE_US) && !strchr(name, VENUE_RS);
		json_array_append_new(rows, r);
		buf_printf(&text, "%lld%c%s%c", (long long)urn, VENUE_US, name, VENUE_RS);
	}
	db_reset(st);
	if (rc >= 0 && keep)
		prog_kept_put(key, text.data ? text.data : "", text.len, NULL, gen);
	buf_free(&text);
	return rows;
}
