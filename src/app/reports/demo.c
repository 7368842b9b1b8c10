// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * demo.c — the impact reports' part of `tandem demo --history` (networks/
 * demo.c calls it after the programme's part; `make demo` asks for it, the
 * plain demo the tests build on stays as it was): enough of a year behind the demo network
 * that every chart of its impact page has something to show. Sessions of
 * the demo courses in the weeks before today and a year before, attended by
 * the demo people of member schools, with their (anonymous) feedback; two
 * partnerships between schools that have no demo accounts (one running,
 * with a measure, its evidence, time given and a reflection; one closed);
 * ideas shared with the network and colleagues in other schools trying
 * them. These rows are history (dates in the past), which the models do
 * not let anyone write, so they are written here. Running it again changes
 * nothing: it does nothing once its running partnership exists.
 */
#include <stdio.h>
#include <string.h>

#include "app/reports/reports.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/util.h"
#include "db/db.h"

/* The marker: the running partnership's title. */
#define DEMO_TITLE "Reasoning together: Iveson and Ireland Wood"
#define IVESON 107886
#define IRELAND_WOOD 107896
#define COOKRIDGE 107894
#define BRUDENELL 107885

DB_QUERY(Q_RD_DONE, "SELECT COUNT(*) FROM partnership WHERE network_id = ? AND title = ?");
DB_QUERY(Q_RD_PERSON, "SELECT id, school_urn FROM person WHERE email = ?");
DB_QUERY(Q_RD_COURSES, "SELECT id FROM course WHERE network_id = ? ORDER BY id");
DB_QUERY(Q_RD_SESSION,
	 "INSERT INTO course_session (course_id, starts_at, ends_at, venue_urn, capacity, per_school_limit, "
	 "booking_closes_at, cpd_hundredths, checkin_code, reminded_at, facilitators_reminded_at, feedback_sent_at, "
	 "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 30, 0, ?2, 150, 'IMPACT', ?2, ?2, ?3, ?2, ?2)");
DB_QUERY(Q_RD_BOOKING,
	 "INSERT INTO booking (session_id, person_id, urn, status, booked_by, attendance, attendance_at, "
	 "feedback_given, created_at, updated_at) VALUES (?1, ?2, ?3, 'booked', ?2, 'present', ?4, 1, ?4, ?4)");
DB_QUERY(Q_RD_RESPONSE, "INSERT INTO feedback_response (session_id, person_id, submitted_at) VALUES (?, NULL, ?)");
DB_QUERY(Q_RD_ANSWER, "INSERT INTO feedback_answer (response_id, question, scale, text) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_RD_PARTNERSHIP,
	 "INSERT INTO partnership (network_id, title, state, type, challenge, outcomes, starts_on, ends_on, "
	 "created_at, updated_at, activated_at, closed_at, health_status, closing_reflection) VALUES (?1, ?2, ?3, ?4, "
	 "?5, ?6, ?7, ?8, ?9, ?9, ?9, ?10, ?11, ?12)");
DB_QUERY(Q_RD_PSCHOOL,
	 "INSERT INTO partnership_school (partnership_id, urn, hours_per_term, in_objectives) VALUES (?, ?, ?, 'yes')");
DB_QUERY(Q_RD_MEASURE,
	 "INSERT INTO partnership_measure (partnership_id, name, unit, pupil_group, baseline, target, method, "
	 "measured_when, baseline_on, target_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_RD_EVIDENCE,
	 "INSERT INTO evidence_value (measure_id, measured_on, value, note, created_at) VALUES (?, ?, ?, '', ?)");
DB_QUERY(Q_RD_TIME,
	 "INSERT INTO time_log (partnership_id, urn, worked_on, hours, note, created_at) VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_RD_REFLECTION,
	 "INSERT INTO reflection (partnership_id, worked, did_not_work, created_at) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_RD_IDEA,
	 "INSERT INTO practice_idea (network_id, urn, author_id, theme_id, body, visibility, created_at) VALUES "
	 "(?1, ?2, ?3, (SELECT id FROM network_theme WHERE network_id = ?1 AND name = ?4), ?5, 'network', ?6)");
DB_QUERY(Q_RD_REACTION, "INSERT INTO practice_reaction (idea_id, person_id, kind, created_at) VALUES (?, ?, ?, ?)");

/* The demo people of member schools who come to sessions. */
static const char *const attendees[] = {"lead.weetwood@tandem.example", "lead.lawnswood@tandem.example",
					"lead.adel@tandem.example", "staff.weetwood@tandem.example",
					"governor.weetwood@tandem.example"};

/* What attendees wrote, by the survey's questions (programme/feedback.c). */
static const char *const learnt[] = {"How to check every child has the sound, not just the confident ones.",
				     "A routine for the first five minutes that I can start tomorrow.",
				     "Questions to ask about provision that leaders find useful.",
				     "That retrieval can take two minutes, not twenty.", "Why consistency matters more than novelty."};
static const char *const try_text[] = {"Daily catch-up for the three children I spotted.", "The entry routine with Year 4.",
				       "Asking for pupil voice at our next meeting.", "Two-minute quizzes on Fridays.",
				       "The same routine across our phase."};
static const char *const support[] = {"Time with my phase leader to plan.", "A visit to see it in another school.",
				      "", "Cover for a follow-up twilight.", ""};

/* UTC text of t into out (>= 21 bytes). */
static void iso(int64_t t, char *out)
{
	clock_format_iso(t, out, 32);
}

/* Step a write statement: 0 or the error. */
static int run(struct db_stmt *st)
{
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* A past session of course on the day `days` before now, attended by the demo people, with feedback. */
static int past_session(struct db *db, int64_t course, int64_t venue, int64_t now, int days, int n, const int64_t *pid,
			const int64_t *urn)
{
	int64_t day = now - now % 86400 - (int64_t)days * 86400;
	char starts[32], ends[32], after[32];
	iso(day + 15 * 3600 + 30 * 60, starts);
	iso(day + 17 * 3600, ends);
	iso(day + 18 * 3600, after);
	struct db_stmt *st = db_stmt(db, &Q_RD_SESSION);
	if (!st || db_bind_int(st, 1, course) || db_bind_text(st, 2, starts) || db_bind_text(st, 3, ends) ||
	    db_bind_int(st, 4, venue))
		return ERR_DB;
	int rc = run(st);
	int64_t sid = db_last_id(db);
	for (int i = 0; rc == 0 && i < n; i++) {
		st = db_stmt(db, &Q_RD_BOOKING);
		if (!st || db_bind_int(st, 1, sid) || db_bind_int(st, 2, pid[i]) || db_bind_int(st, 3, urn[i]) ||
		    db_bind_text(st, 4, after))
			return ERR_DB;
		if ((rc = run(st)))
			break;
		st = db_stmt(db, &Q_RD_RESPONSE);
		if (!st || db_bind_int(st, 1, sid) || db_bind_text(st, 2, after))
			return ERR_DB;
		if ((rc = run(st)))
			break;
		int64_t resp = db_last_id(db);
		int k = (days + i) % 5;
		const int64_t scale[2] = {3 + (days + i) % 3, 3 + (days + 2 * i) % 3};
		const char *texts[5] = {NULL, learnt[k], try_text[k], NULL, support[k]};
		for (int q = 0; rc == 0 && q < 5; q++) {
			bool is_scale = q == 0 || q == 3;
			if (!is_scale && !*texts[q])
				continue;
			st = db_stmt(db, &Q_RD_ANSWER);
			if (!st || db_bind_int(st, 1, resp) || db_bind_int(st, 2, q) ||
			    (is_scale ? db_bind_int(st, 3, scale[q == 3]) : db_bind_null(st, 3)) ||
			    (is_scale ? db_bind_null(st, 4) : db_bind_text(st, 4, texts[q])))
				return ERR_DB;
			rc = run(st);
		}
	}
	return rc;
}

/* A partnership between schools x and y with its schools; *id gets it. */
static int partnership(struct db *db, int64_t network, const char *title, const char *state, const char *type,
		       const char *challenge, int64_t created, int64_t closed, const char *health, int64_t x, int64_t y,
		       int64_t *id)
{
	char at[32], off[32], start[16], end[16];
	iso(created, at);
	iso(closed, off);
	clock_uk_day_time(created, start, NULL);
	clock_uk_day_time(created + 300 * 86400, end, NULL);
	struct db_stmt *st = db_stmt(db, &Q_RD_PARTNERSHIP);
	if (!st || db_bind_int(st, 1, network) || db_bind_text(st, 2, title) || db_bind_text(st, 3, state) ||
	    db_bind_text(st, 4, type) || db_bind_text(st, 5, challenge) ||
	    db_bind_text(st, 6, "Pupils who explain their thinking; staff who plan together.") ||
	    db_bind_text(st, 7, start) || db_bind_text(st, 8, end) || db_bind_text(st, 9, at) ||
	    (closed ? db_bind_text(st, 10, off) : db_bind_null(st, 10)) || db_bind_text(st, 11, health) ||
	    db_bind_text(st, 12, closed ? "We learnt a lot about each other's phonics; the timing never suited both." : ""))
		return ERR_DB;
	int rc = run(st);
	*id = db_last_id(db);
	const int64_t urns[2] = {x, y};
	for (int i = 0; rc == 0 && i < 2; i++) {
		st = db_stmt(db, &Q_RD_PSCHOOL);
		if (!st || db_bind_int(st, 1, *id) || db_bind_int(st, 2, urns[i]) || db_bind_int(st, 3, 10 + 5 * i))
			return ERR_DB;
		rc = run(st);
	}
	return rc;
}

/* The running partnership's measures, evidence, time and reflection. */
static int partnership_life(struct db *db, int64_t pid, int64_t now)
{
	static const struct {
		const char *name, *unit, *group;
		double baseline, target, values[3];
	} ms[] = {
		{"Year 5 reasoning at greater depth", "%", "Year 5 pupils", 14, 25, {15, 18, 21}},
		{"Pupils who explain a method aloud", "%", "Year 4 pupils", 40, 60, {42, 47, 52}},
		{"Reading fluency (words a minute)", "wpm", "Year 3 pupils", 72, 90, {74, 79, 83}},
	};
	char at[32], day[16], base[16], by[16];
	iso(now, at);
	clock_uk_day_time(now - 120 * 86400, base, NULL);
	clock_uk_day_time(now + 200 * 86400, by, NULL);
	int rc = 0;
	for (size_t m = 0; rc == 0 && m < ARRAY_LEN(ms); m++) {
		struct db_stmt *st = db_stmt(db, &Q_RD_MEASURE);
		if (!st || db_bind_int(st, 1, pid) || db_bind_text(st, 2, ms[m].name) || db_bind_text(st, 3, ms[m].unit) ||
		    db_bind_text(st, 4, ms[m].group) || db_bind_double(st, 5, ms[m].baseline) ||
		    db_bind_double(st, 6, ms[m].target) || db_bind_text(st, 7, "Termly assessment, the same in both schools") ||
		    db_bind_text(st, 8, "Each half term") || db_bind_text(st, 9, base) || db_bind_text(st, 10, by))
			return ERR_DB;
		if ((rc = run(st)))
			break;
		int64_t mid = db_last_id(db);
		for (int k = 0; rc == 0 && k < 3; k++) {
			clock_uk_day_time(now - (int64_t)(90 - 40 * k) * 86400, day, NULL);
			st = db_stmt(db, &Q_RD_EVIDENCE);
			if (!st || db_bind_int(st, 1, mid) || db_bind_text(st, 2, day) ||
			    db_bind_double(st, 3, ms[m].values[k]) || db_bind_text(st, 4, at))
				return ERR_DB;
			rc = run(st);
		}
	}
	static const int64_t urns[2] = {IVESON, IRELAND_WOOD};
	for (int k = 0; rc == 0 && k < 8; k++) {
		clock_uk_day_time(now - (int64_t)(3 + 5 * k) * 86400, day, NULL);
		struct db_stmt *st = db_stmt(db, &Q_RD_TIME);
		if (!st || db_bind_int(st, 1, pid) || db_bind_int(st, 2, urns[k % 2]) || db_bind_text(st, 3, day) ||
		    db_bind_double(st, 4, 1.5 + (k % 3)) || db_bind_text(st, 5, "Joint planning and lesson visits") ||
		    db_bind_text(st, 6, at))
			return ERR_DB;
		rc = run(st);
	}
	if (rc == 0) {
		struct db_stmt *st = db_stmt(db, &Q_RD_REFLECTION);
		if (!st || db_bind_int(st, 1, pid) || db_bind_text(st, 2, "Visiting each other's lessons in pairs") ||
		    db_bind_text(st, 3, "Meeting straight after school on Fridays: people were too tired to plan well") ||
		    db_bind_text(st, 4, at))
			return ERR_DB;
		rc = run(st);
	}
	return rc;
}

/* Ideas from Weetwood and Adel, tried in other schools. */
static int practice(struct db *db, int64_t network, int64_t now, const int64_t *pid, const int64_t *urn)
{
	static const struct {
		int author;             /* index into attendees */
		const char *theme, *body;
		int tried_by[2];        /* indexes into attendees, -1 for none */
	} ideas[] = {
		{3, "reading", "Two-minute retrieval quizzes at the start of every reading lesson: five questions, "
			       "answers swapped with a partner.", {1, 2}},
		{2, "behaviour", "A silent entry routine: the task is on the board before the children come in.", {0, -1}},
		{0, "reading", "Reading buddies across Year 6 and Year 2 on Friday afternoons.", {2, -1}},
	};
	char at[32];
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ARRAY_LEN(ideas); i++) {
		iso(now - (int64_t)(25 - 7 * (int)i) * 86400, at);
		struct db_stmt *st = db_stmt(db, &Q_RD_IDEA);
		int au = ideas[i].author;
		if (!st || db_bind_int(st, 1, network) || db_bind_int(st, 2, urn[au]) || db_bind_int(st, 3, pid[au]) ||
		    db_bind_text(st, 4, ideas[i].theme) || db_bind_text(st, 5, ideas[i].body) || db_bind_text(st, 6, at))
			return ERR_DB;
		if ((rc = run(st)))
			break;
		int64_t idea = db_last_id(db);
		for (int k = 0; rc == 0 && k < 2; k++) {
			int who = ideas[i].tried_by[k];
			if (who < 0)
				continue;
			iso(now - (int64_t)(10 - 3 * (int)i - k) * 86400, at);
			st = db_stmt(db, &Q_RD_REACTION);
			if (!st || db_bind_int(st, 1, idea) || db_bind_int(st, 2, pid[who]) ||
			    db_bind_text(st, 3, k == 0 ? "tried" : "try") || db_bind_text(st, 4, at))
				return ERR_DB;
			rc = run(st);
		}
	}
	return rc;
}

int reports_demo(struct db *db, int64_t network_id)
{
	struct db_stmt *st = db_stmt(db, &Q_RD_DONE);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_text(st, 2, DEMO_TITLE))
		return ERR_DB;
	int rc = db_step(st);
	int64_t have = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc < 0)
		return rc;
	if (have)
		return 0;
	int64_t pid[ARRAY_LEN(attendees)], urn[ARRAY_LEN(attendees)], course[4] = {0};
	for (size_t i = 0; i < ARRAY_LEN(attendees); i++) {
		st = db_stmt(db, &Q_RD_PERSON);
		if (!st || db_bind_text(st, 1, attendees[i]))
			return ERR_DB;
		rc = db_step(st);
		pid[i] = rc == DB_ROW ? db_col_int(st, 0) : 0;
		urn[i] = rc == DB_ROW ? db_col_int(st, 1) : 0;
		db_reset(st);
		if (!pid[i])
			return rc < 0 ? rc : ERR_NOTFOUND;
	}
	st = db_stmt(db, &Q_RD_COURSES);
	if (!st || db_bind_int(st, 1, network_id))
		return ERR_DB;
	size_t nc = 0;
	while (nc < 4 && (rc = db_step(st)) == DB_ROW)
		course[nc++] = db_col_int(st, 0);
	db_reset(st);
	if (rc < 0 || nc < 4)
		return rc < 0 ? rc : ERR_NOTFOUND;
	int64_t now = clock_now();
	if ((rc = db_begin(db)))
		return rc;
	/* This year: six sessions in the weeks before today; last year: four. */
	static const struct {
		int course, days, venue_of; /* venue_of: index into attendees whose school hosts it */
	} sessions[] = {{0, 3, 3}, {1, 6, 1}, {2, 10, 2}, {3, 13, 2}, {0, 17, 0}, {1, 20, 1},
			{0, 368, 3}, {1, 380, 1}, {2, 395, 2}, {3, 410, 2}};
	for (size_t i = 0; rc == 0 && i < ARRAY_LEN(sessions); i++)
		rc = past_session(db, course[sessions[i].course], urn[sessions[i].venue_of], now, sessions[i].days,
				  i % 2 ? 5 : 4, pid, urn);
	int64_t running = 0, closed = 0;
	if (rc == 0)
		rc = partnership(db, network_id, DEMO_TITLE, "active", "co_creation",
				 "Reasoning in upper Key Stage 2 maths, planned together.", now - 150 * 86400, 0, "on_track",
				 IVESON, IRELAND_WOOD, &running);
	if (rc == 0)
		rc = partnership_life(db, running, now);
	if (rc == 0)
		rc = partnership(db, network_id, "Phonics visits: Cookridge and Brudenell", "closed", "one_way",
				 "Early reading: Brudenell learns from Cookridge's phonics teaching.", now - 330 * 86400,
				 now - 12 * 86400, "not_active", COOKRIDGE, BRUDENELL, &closed);
	if (rc == 0)
		rc = practice(db, network_id, now, pid, urn);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db))) {
		db_rollback(db);
		return rc;
	}
	printf("Demo impact: 10 past sessions with feedback, 2 partnerships with measures, 3 ideas tried in other "
	       "schools\n");
	return 0;
}
