// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * learning.c — a person's learning record across every network they are in
 * (/me/learning): places to come, waiting-list places with their position,
 * open offers, sessions attended (marked present or late, and ended) with
 * the hours of CPD this academic year and in all, and the sessions they
 * delivered as a facilitator ("delivered by": giving is valued as much as
 * taking); as JSON and as CSV. A person reads only their own record, so
 * there is no policy question beyond being signed in.
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_PROG_LEARNING,
	 "SELECT b.status, b.attendance, b.offer_expires_at, s.id, s.starts_at, s.ends_at, s.cpd_hundredths, "
	 "c.title, n.slug, n.name, "
	 "(SELECT COUNT(*) FROM booking w WHERE w.session_id = b.session_id AND w.status = 'waiting' "
	 "AND w.id <= b.id) AS position "
	 "FROM booking b JOIN course_session s ON s.id = b.session_id JOIN course c ON c.id = s.course_id "
	 "JOIN network n ON n.id = c.network_id WHERE b.person_id = ? "
	 "AND b.status IN ('booked', 'waiting', 'offered') ORDER BY s.starts_at, s.id");
DB_QUERY(Q_PROG_DELIVERED,
	 "SELECT s.id, s.starts_at, s.ends_at, s.cpd_hundredths, c.title, n.slug, n.name, "
	 "(SELECT COUNT(*) FROM booking b WHERE b.session_id = s.id AND b.status = 'booked' "
	 "AND b.attendance IN ('present', 'late')) AS attended "
	 "FROM course_facilitator f JOIN course c ON c.id = f.course_id JOIN course_session s ON s.course_id = c.id "
	 "JOIN network n ON n.id = c.network_id WHERE f.person_id = ? AND s.ends_at <= ? "
	 "ORDER BY s.starts_at DESC, s.id DESC");

/* One row of a person's record, for the JSON and the CSV alike. */
static json_t *row_json(struct arena *a, const char *slug, const char *network, int64_t sid, const char *title,
			int64_t starts, int64_t ends, int64_t cpd)
{
	json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "session_id", (json_int_t)sid, "course", title,
			      "network", network, "when", prog_span(a, starts, ends), "starts_at", prog_iso(a, starts),
			      "cpd_hours", prog_hours(a, cpd), "cpd_hundredths", (json_int_t)cpd);
	json_object_set_new(r, "url", json_sprintf("/networks/%s/programme/sessions/%lld", slug, (long long)sid));
	return r;
}

int prog_learning_json(struct db *db, struct arena *a, int64_t person_id, int64_t now, json_t **out)
{
	*out = NULL;
	if (person_id <= 0)
		return ERR_UNAUTH;
	int year = prog_academic_year(now);
	int64_t from, to;
	prog_year_bounds(year, NULL, &from, &to);
	json_t *upcoming = json_array(), *waiting = json_array(), *offers = json_array(), *attended = json_array(),
	       *delivered = json_array();
	int64_t hours_year = 0, hours_all = 0;
	struct db_stmt *st = db_stmt(db, &Q_PROG_LEARNING);
	int rc = !st || db_bind_int(st, 1, person_id) ? ERR_DB : 0;
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		int64_t starts, ends, exp = 0;
		if (clock_parse_iso(db_col_text(st, 4), &starts) || clock_parse_iso(db_col_text(st, 5), &ends))
			continue;
		const char *status = db_col_text(st, 0), *att = db_col_text(st, 1);
		int64_t cpd = db_col_int(st, 6);
		json_t *r = row_json(a, db_col_text(st, 8), db_col_text(st, 9), db_col_int(st, 3), db_col_text(st, 7),
				     starts, ends, cpd);
		if (str_eq(status, "waiting")) {
			json_object_set_new(r, "position", json_integer(db_col_int(st, 10)));
			json_array_append_new(waiting, r);
		} else if (str_eq(status, "offered")) {
			if (clock_parse_iso(db_col_text(st, 2), &exp) == 0)
				json_object_set_new(r, "offer_until", json_string(prog_when(a, exp)));
			json_array_append_new(offers, r);
		} else if (ends > now) {
			json_array_append_new(upcoming, r);
		} else if (str_eq(att, "present") || str_eq(att, "late")) {
			json_object_set_new(r, "attendance", json_string(att));
			json_array_append_new(attended, r);
			hours_all += cpd;
			if (starts >= from && starts < to)
				hours_year += cpd;
		} else {
			json_decref(r);
		}
	}
	if (st)
		db_reset(st);
	if (rc == 0) {
		st = db_stmt(db, &Q_PROG_DELIVERED);
		rc = !st || db_bind_int(st, 1, person_id) || db_bind_text(st, 2, prog_iso(a, now)) ? ERR_DB : 0;
		while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
			rc = 0;
			int64_t starts, ends;
			if (clock_parse_iso(db_col_text(st, 1), &starts) || clock_parse_iso(db_col_text(st, 2), &ends))
				continue;
			json_t *r = row_json(a, db_col_text(st, 5), db_col_text(st, 6), db_col_int(st, 0),
					     db_col_text(st, 4), starts, ends, db_col_int(st, 3));
			json_object_set_new(r, "attended", json_integer(db_col_int(st, 7)));
			json_array_append_new(delivered, r);
		}
		if (st)
			db_reset(st);
	}
	if (rc < 0) {
		json_decref(upcoming);
		json_decref(waiting);
		json_decref(offers);
		json_decref(attended);
		json_decref(delivered);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s}", "upcoming", upcoming, "waiting", waiting, "offers",
			 offers, "attended", attended, "delivered", delivered, "hours_this_year",
			 prog_hours(a, hours_year), "hours_total", prog_hours(a, hours_all), "year_label",
			 arena_printf(a, "%d/%02d", year, (year + 1) % 100));
	return 0;
}

int prog_learning_csv(struct db *db, struct arena *a, int64_t person_id, int64_t now, struct buf *out)
{
	json_t *m = NULL;
	int rc = prog_learning_json(db, a, person_id, now, &m);
	if (rc)
		return rc;
	const char *head[] = {"What", "Course", "Network", "When", "Starts (UTC)", "CPD hours", "Detail"};
	prog_csv_row(out, head, 7);
	static const char *const parts[] = {"attended", "delivered", "upcoming", "waiting", "offers"};
	static const char *const what[] = {"Attended", "Delivered", "Booked", "Waiting list", "Offered a place"};
	for (size_t p = 0; p < 5; p++) {
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(m, parts[p]), i, r)
		{
			const char *detail = "";
			if (json_object_get(r, "attendance"))
				detail = json_string_value(json_object_get(r, "attendance"));
			else if (json_object_get(r, "position"))
				detail = arena_printf(a, "number %lld in line",
						      (long long)json_integer_value(json_object_get(r, "position")));
			else if (json_object_get(r, "attended"))
				detail = arena_printf(a, "%lld attended",
						      (long long)json_integer_value(json_object_get(r, "attended")));
			else if (json_object_get(r, "offer_until"))
				detail = arena_printf(a, "held until %s", json_string_value(json_object_get(r, "offer_until")));
			const char *row[] = {what[p],
					     json_string_value(json_object_get(r, "course")),
					     json_string_value(json_object_get(r, "network")),
					     json_string_value(json_object_get(r, "when")),
					     json_string_value(json_object_get(r, "starts_at")),
					     p == 0 ? json_string_value(json_object_get(r, "cpd_hours")) : "",
					     detail};
			prog_csv_row(out, row, 7);
		}
	}
	json_decref(m);
	return 0;
}
