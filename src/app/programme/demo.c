// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * demo.c — the programme's part of `tandem demo` (networks/demo.c calls
 * it): the Aire Valley network's programme for the current academic year,
 * with courses on several themes run by staff of different member schools,
 * a session that is full with a waiting list, a TeachMeet with presenters
 * signed up, and a session last week with its register taken (its
 * attendees' survey and certificates are there to try). Courses, teams, sessions to
 * come and bookings go through the model, acting as the demo administrator
 * and as each demo person, so the demo exercises the real rules; a session
 * in the past cannot be booked through them, so it and its register are
 * written here. Running it again changes nothing: it does nothing when the
 * network has courses already.
 */
#include <stdio.h>
#include <string.h>

#include "app/programme/programme.h"
#include "app/programme/prog.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/util.h"
#include "db/db.h"

DB_QUERY(Q_DEMO_PROG_COURSES, "SELECT COUNT(*) FROM course WHERE network_id = ?");
DB_QUERY(Q_DEMO_PROG_PERSON, "SELECT id, school_urn, school_role FROM person WHERE email = ?");
DB_QUERY(Q_DEMO_PROG_PAST,
	 "INSERT INTO course_session (course_id, starts_at, ends_at, venue_urn, capacity, per_school_limit, "
	 "booking_closes_at, cpd_hundredths, checkin_code, reminded_at, facilitators_reminded_at, created_at, "
	 "updated_at) VALUES (?1, ?2, ?3, ?4, 20, 0, ?2, 150, ?5, ?2, ?2, ?2, ?2)");
DB_QUERY(Q_DEMO_PROG_ATTENDED,
	 "INSERT INTO booking (session_id, person_id, urn, status, booked_by, attendance, attendance_at, created_at, "
	 "updated_at) VALUES (?1, ?2, ?3, 'booked', ?2, ?4, ?5, ?5, ?5)");

/* A demo person as the programme's policy sees them in the network. */
static int demo_access(struct db *db, const struct network *net, const char *email, struct prog_access *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(db, &Q_DEMO_PROG_PERSON);
	if (!st || db_bind_text(st, 1, email))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->person_id = db_col_int(st, 0);
		out->school_urn = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		if (school_role_parse(db_col_text(st, 2), &out->role))
			out->role = SCHOOL_ROLE_NONE;
	}
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	out->network_id = net->id;
	out->network_public = net->is_public;
	out->school_member = out->school_urn > 0 && net_has_school(db, net->id, out->school_urn);
	return 0;
}

/* The UK day n days from now, as "YYYY-MM-DD" (arena). */
static const char *day_from_now(struct arena *a, int64_t now, int n)
{
	char day[12];
	clock_uk_day_time(now + (int64_t)n * 86400, day, NULL);
	return arena_strdup(a, day);
}

/* A course with its team; *id gets its number. */
static int demo_course(struct db *db, struct arena *a, const struct prog_access *admin, const char *title,
		       const char *theme, const char *audience, const char *format, const char *outcomes,
		       int64_t lead, int64_t also, int64_t *id)
{
	const char *aud[] = {audience};
	struct prog_course_in in = {.title = title, .theme = theme, .audiences = aud, .n_audiences = 1,
				    .outcomes = outcomes, .format = format, .lead_id = lead};
	json_t *errors = json_object();
	int rc = prog_course_create(db, a, admin, &in, errors, id);
	if (rc == 0 && also) {
		struct prog_access acc = *admin;
		struct prog_course c;
		if ((rc = prog_course_open(db, a, &acc, *id, &c)) == 0)
			rc = prog_facilitator_add(db, a, &acc, &c, also, errors);
	}
	if (rc)
		fprintf(stderr, "tandem demo: the course \"%s\" left out: %s\n", title,
			json_object_size(errors) ? json_string_value(json_object_iter_value(json_object_iter(errors)))
						 : err_str(rc));
	json_decref(errors);
	return rc;
}

/* A session to come of course id, n days from now, 16:00 to 17:30 at urn; *sid gets its number. */
static int demo_session(struct db *db, struct arena *a, const struct prog_access *admin, const struct network *net,
			int64_t course_id, int n, int64_t urn, int64_t capacity, int64_t now, int64_t *sid)
{
	struct prog_access acc = *admin;
	struct prog_course c;
	int rc = prog_course_open(db, a, &acc, course_id, &c);
	if (rc)
		return rc;
	struct prog_session_in in = {.day = day_from_now(a, now, n), .start = "16:00", .end = "17:30",
				     .venue_urn = urn, .capacity = capacity, .cpd_hundredths = 150};
	json_t *errors = json_object();
	rc = prog_session_save(db, a, &acc, net, &c, 0, &in, "", now, errors, sid);
	json_decref(errors);
	return rc;
}

/* person (by email) signs up to present at TeachMeet session sid. */
static int demo_present(struct db *db, struct arena *a, const struct network *net, const char *email, int64_t sid,
			const char *title, const char *kind, int64_t now)
{
	struct prog_access acc;
	int rc = demo_access(db, net, email, &acc);
	struct prog_course c;
	struct prog_session s;
	if (rc == 0)
		rc = prog_session_open(db, a, &acc, sid, &c, &s);
	json_t *errors = json_object();
	if (rc == 0)
		rc = prog_teachmeet_signup(db, a, &acc, &c, &s, title, kind, now, errors);
	json_decref(errors);
	return rc;
}

/* person (by email) books session sid, or joins its waiting list. */
static int demo_book(struct db *db, struct arena *a, const struct network *net, const char *email, int64_t sid,
		     int64_t now)
{
	struct prog_access acc;
	int rc = demo_access(db, net, email, &acc);
	struct prog_course c;
	struct prog_session s;
	if (rc == 0)
		rc = prog_session_open(db, a, &acc, sid, &c, &s);
	json_t *errors = json_object();
	enum prog_booked how;
	if (rc == 0)
		rc = prog_book(db, a, &acc, net, &c, &s, 0, true, "", now, errors, &how);
	json_decref(errors);
	return rc;
}

/* A session a week ago of course id at urn, with its register taken (present, late, absent); its survey is open. */
static int demo_past(struct db *db, struct arena *a, const struct network *net, int64_t course_id, int64_t urn,
		     int64_t now)
{
	char day[12];
	clock_uk_day_time(now - 7 * 86400, day, NULL);
	int64_t d, starts;
	if (clock_parse_day(day, &d, NULL))
		return ERR_INTERNAL;
	clock_uk_resolve(d + 16 * 3600, &starts);
	const char *s = prog_iso(a, starts);
	struct db_stmt *st = db_stmt(db, &Q_DEMO_PROG_PAST);
	if (!st || db_bind_int(st, 1, course_id) || db_bind_text(st, 2, s) ||
	    db_bind_text(st, 3, prog_iso(a, starts + 90 * 60)) || db_bind_int(st, 4, urn) ||
	    db_bind_text(st, 5, prog_new_code(a)))
		return ERR_DB;
	int rc = prog_run(st);
	int64_t sid = db_last_id(db);
	static const char *const who[] = {"lead.weetwood@tandem.example", "governor.weetwood@tandem.example",
					  "lead.adel@tandem.example"};
	static const char *const mark[] = {"present", "late", "absent"};
	for (size_t i = 0; rc == 0 && i < ARRAY_LEN(who); i++) {
		struct prog_access acc;
		if ((rc = demo_access(db, net, who[i], &acc)))
			break;
		st = db_stmt(db, &Q_DEMO_PROG_ATTENDED);
		if (!st || db_bind_int(st, 1, sid) || db_bind_int(st, 2, acc.person_id) ||
		    db_bind_int(st, 3, acc.school_urn) || db_bind_text(st, 4, mark[i]) ||
		    db_bind_text(st, 5, prog_iso(a, starts)))
			return ERR_DB;
		rc = prog_run(st);
	}
	return rc;
}

int programme_demo(struct db *db, struct arena *a, const struct network *net, const struct net_access *admin_net)
{
	struct db_stmt *st = db_stmt(db, &Q_DEMO_PROG_COURSES);
	if (!st || db_bind_int(st, 1, net->id))
		return ERR_DB;
	int rc = db_step(st);
	int64_t have = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc < 0)
		return rc;
	if (have)
		return 0;
	int64_t now = clock_now();
	struct prog_access admin;
	prog_access_from_net(admin_net, &admin);
	struct prog_access sam, leah, ade, lee;
	if ((rc = demo_access(db, net, "staff.weetwood@tandem.example", &sam)) ||
	    (rc = demo_access(db, net, "lead.lawnswood@tandem.example", &leah)) ||
	    (rc = demo_access(db, net, "lead.adel@tandem.example", &ade)) ||
	    (rc = demo_access(db, net, "lead.weetwood@tandem.example", &lee)))
		return rc;
	int64_t phonics, behaviour, teachmeet, governance, sid;
	if ((rc = demo_course(db, a, &admin, "Phonics that sticks", "reading", "teachers", "course",
			      "Teach a systematic phonics lesson that every child in the room can follow, and spot "
			      "the children who need catch-up the same day.",
			      sam.person_id, ade.person_id, &phonics)) ||
	    (rc = demo_course(db, a, &admin, "Behaviour: routines that last", "behaviour", "teachers", "twilight",
			      "Set up and keep three whole-class routines from the first week of term.",
			      leah.person_id, lee.person_id, &behaviour)) ||
	    (rc = demo_course(db, a, &admin, "TeachMeet Aire Valley", "curriculum", "teachers", "teachmeet",
			      "Take away one idea from a colleague at another school to try next week.", lee.person_id,
			      0, &teachmeet)) ||
	    (rc = demo_course(db, a, &admin, "Governors: asking good questions", "governance", "governors",
			      "learning_lunch", "Ask the questions about SEND that help leaders, not burden them.",
			      ade.person_id, 0, &governance)))
		return rc;
	/* Sessions to come: phonics twice, a full behaviour twilight with a waiting list, the TeachMeet. */
	if ((rc = demo_session(db, a, &admin, net, phonics, 14, 107897, 24, now, &sid)) ||
	    (rc = demo_book(db, a, net, "governor.weetwood@tandem.example", sid, now)) ||
	    (rc = demo_session(db, a, &admin, net, phonics, 42, 107892, 24, now, &sid)) ||
	    (rc = demo_session(db, a, &admin, net, behaviour, 10, 108055, 2, now, &sid)) ||
	    (rc = demo_book(db, a, net, "lead.weetwood@tandem.example", sid, now)) ||
	    (rc = demo_book(db, a, net, "lead.adel@tandem.example", sid, now)) ||
	    (rc = demo_book(db, a, net, "staff.weetwood@tandem.example", sid, now)) ||
	    (rc = demo_book(db, a, net, "governor.weetwood@tandem.example", sid, now)) ||
	    (rc = demo_session(db, a, &admin, net, teachmeet, 21, 108055, 80, now, &sid)) ||
	    (rc = demo_present(db, a, net, "staff.weetwood@tandem.example", sid, "Retrieval practice in two minutes",
			       "nano", now)) ||
	    (rc = demo_present(db, a, net, "lead.adel@tandem.example", sid, "What our Year 6 taught us about feedback",
			       "micro", now)) ||
	    (rc = demo_present(db, a, net, "lead.lawnswood@tandem.example", sid, "Oracy across the curriculum",
			       "soapbox", now)) ||
	    (rc = demo_session(db, a, &admin, net, governance, 28, 107892, 15, now, &sid)) ||
	    (rc = db_begin(db)))
		return rc;
	rc = demo_past(db, a, net, phonics, 107897, now);
	if ((rc = prog_finish(db, rc)))
		return rc;
	printf("Demo programme: 4 courses, 6 sessions (one full with a waiting list, a TeachMeet with 3 presenters, one "
	       "last week with its register and its survey open)\n"
	       "  at /networks/%s/programme\n",
	       net->slug);
	return 0;
}
