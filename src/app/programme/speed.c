// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * speed.c — speed learning: the course's facilitators host the tables, the
 * people with a place move between them, and rotation.c plans the rounds.
 * The plan is worked out afresh from who is booked (the seed is the
 * session's number, so the same people give the same plan every time the
 * page is printed): table cards for the hosts and a schedule for each
 * attendee. Organisers see every table and schedule; an attendee sees
 * their own schedule.
 */
#include "app/programme/prog.h"
#include "app/programme/rotation.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_SPEED_HOSTS,
	 "SELECT p.id, p.name, f.urn, COALESCE(sc.name, 'URN ' || f.urn) FROM course_facilitator f "
	 "JOIN person p ON p.id = f.person_id LEFT JOIN school sc ON sc.urn = f.urn WHERE f.course_id = ? "
	 "ORDER BY p.name, p.id");
DB_QUERY(Q_SPEED_PEOPLE,
	 "SELECT p.id, p.name, b.urn, COALESCE(sc.name, 'URN ' || b.urn) FROM booking b "
	 "JOIN person p ON p.id = b.person_id LEFT JOIN school sc ON sc.urn = b.urn WHERE b.session_id = ? "
	 "AND b.status = 'booked' ORDER BY p.name, p.id");

/* Read (id, name, urn, school) rows into people and names (arena arrays of at most max). */
static int load(struct db *db, struct arena *a, const struct db_query *q, int64_t id, size_t max,
		struct rot_person **people, json_t **names, size_t *n)
{
	*n = 0;
	*people = arena_calloc(a, max, sizeof(**people));
	*names = json_array();
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n < max)
			(*people)[*n] = (struct rot_person){db_col_int(st, 0), db_col_int(st, 2)};
		json_array_append_new(*names, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "name",
							db_col_text(st, 1), "school_name", db_col_text(st, 3)));
		(*n)++;
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int prog_rotation_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		       const struct prog_session *s, int rounds, json_t **out, json_t *errors)
{
	*out = NULL;
	if (!prog_policy_programme_read(acc) || !str_eq(c->format, "speed_learning"))
		return ERR_NOTFOUND;
	struct rot_person *hosts = NULL, *att = NULL;
	json_t *hn = NULL, *an = NULL;
	size_t nh = 0, na = 0;
	int rc = load(db, a, &Q_SPEED_HOSTS, c->id, ROTATION_MAX_HOSTS + 1, &hosts, &hn, &nh);
	if (rc == 0)
		rc = load(db, a, &Q_SPEED_PEOPLE, s->id, ROTATION_MAX_PEOPLE + 1, &att, &an, &na);
	bool organiser = prog_policy_register(acc);
	int64_t me = -1;
	for (size_t i = 0; rc == 0 && i < na && i <= ROTATION_MAX_PEOPLE; i++)
		if (att[i].id == acc->person_id)
			me = (int64_t)i;
	if (rc == 0 && !organiser && me < 0)
		rc = ERR_FORBIDDEN;
	int *table = NULL;
	char why[300];
	if (rc == 0) {
		if (nh > ROTATION_MAX_HOSTS || na > ROTATION_MAX_PEOPLE) {
			snprintf(why, sizeof(why), "A plan takes at most %d hosts and %d attendees", ROTATION_MAX_HOSTS,
				 ROTATION_MAX_PEOPLE);
			rc = ERR_INVALID;
		} else {
			table = arena_calloc(a, na ? na * (size_t)(rounds > 0 ? rounds : 1) : 1, sizeof(int));
			rc = rotation_plan(hosts, nh, att, na, rounds, (uint64_t)s->id, table, why, sizeof(why));
		}
		if (rc == ERR_INVALID || rc == ERR_CONFLICT)
			json_object_set_new(errors, "rounds", json_string(why));
	}
	if (rc) {
		json_decref(hn);
		json_decref(an);
		return rc;
	}
	/* Table cards: each host's visitors round by round; schedules: each attendee's tables. */
	json_t *cards = json_array(), *schedules = json_array();
	for (size_t t = 0; t < nh; t++) {
		json_t *rs = json_array();
		for (int r = 0; r < rounds; r++) {
			json_t *who = json_array();
			for (size_t i = 0; i < na; i++)
				if (table[i * (size_t)rounds + (size_t)r] == (int)t)
					json_array_append(who, json_array_get(an, i));
			json_array_append_new(rs, json_pack("{s:i, s:o}", "round", r + 1, "people", who));
		}
		json_array_append_new(cards, json_pack("{s:i, s:O, s:o}", "table", (int)t + 1, "host",
						       json_array_get(hn, t), "rounds", rs));
	}
	for (size_t i = 0; i < na; i++) {
		if (!organiser && (int64_t)i != me)
			continue;
		json_t *rs = json_array();
		for (int r = 0; r < rounds; r++) {
			int t = table[i * (size_t)rounds + (size_t)r];
			json_array_append_new(rs, json_pack("{s:i, s:i, s:O}", "round", r + 1, "table", t + 1, "host",
							    json_array_get(hn, (size_t)t)));
		}
		json_array_append_new(schedules, json_pack("{s:O, s:o}", "person", json_array_get(an, i), "rounds", rs));
	}
	*out = json_pack("{s:i, s:I, s:I, s:o, s:o}", "rounds", rounds, "hosts", (json_int_t)nh, "attendees",
			 (json_int_t)na, "tables", organiser ? cards : json_array(), "schedules", schedules);
	if (!organiser)
		json_decref(cards);
	json_decref(hn);
	json_decref(an);
	return 0;
}
