// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * booking.c — places on sessions and the automatic, fair waiting list.
 * Every change runs in one transaction that takes the write lock first
 * (BEGIN IMMEDIATE on SQLite), so counting the places taken and taking one
 * is a single step: two hundred people booking the last thirty places at
 * once get exactly thirty, and the rest an ordered place in line (booking.id
 * is the order). The unique index booking_active stops a person holding two
 * places on one session whatever happens.
 *
 * When a place frees (a cancellation by anyone, a declined or lapsed offer,
 * a larger capacity), prog_offer_places offers it at once to the first in
 * line whose school is under the per-school limit, by email with an accept
 * and a decline link. The offer holds the place for the network's offer
 * time (48 hours unless it says otherwise), cut short so that it ends when
 * booking closes; an offer nobody answers passes on (prog_offers_expire, run
 * by the offers job and at every booking on the session).
 *
 * A course may be a series (course.series): booking the course books every
 * session, all or none, in one transaction; a session that is closed, full
 * or at its school's limit stops the whole booking with a message naming it.
 * The waiting list of a series: asked to (wait), the person takes the places
 * that are free and a place in line on each full session, and each of those
 * is offered to them as it frees, like anyone's; sessions they already hold
 * are left as they are. A single session of a series is not booked alone.
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <string.h>

#include "app/accounts/token.h"
#include "app/calendar/calendar.h"
#include "app/calendar/ical.h"
#include "app/mail/mail.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_PROG_PERSON, "SELECT email, name, school_urn, school_role FROM person WHERE id = ?");
DB_QUERY(Q_PROG_ACTIVE,
	 "SELECT id, status, urn FROM booking WHERE session_id = ? AND person_id = ? "
	 "AND status IN ('booked', 'waiting', 'offered')");
DB_QUERY(Q_PROG_TAKEN_NOW,
	 "SELECT COUNT(*), COALESCE(SUM(CASE WHEN urn = ?2 THEN 1 ELSE 0 END), 0) FROM booking "
	 "WHERE session_id = ?1 AND status IN ('booked', 'offered')");
DB_QUERY(Q_PROG_BOOKING_INSERT,
	 "INSERT INTO booking (session_id, person_id, urn, status, booked_by, created_at, updated_at) "
	 "VALUES (?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_PROG_BOOKING_END,
	 "UPDATE booking SET status = ?, offer_expires_at = NULL, updated_at = ? WHERE id = ? "
	 "AND status IN ('booked', 'waiting', 'offered')");
DB_QUERY(Q_PROG_NEXT_IN_LINE,
	 "SELECT b.id, b.person_id FROM booking b WHERE b.session_id = ?1 AND b.status = 'waiting' "
	 "AND (?2 = 0 OR (SELECT COUNT(*) FROM booking o WHERE o.session_id = b.session_id AND o.urn = b.urn "
	 "AND o.status IN ('booked', 'offered')) < ?2) ORDER BY b.id LIMIT 1");
DB_QUERY(Q_PROG_OFFER,
	 "UPDATE booking SET status = 'offered', offer_expires_at = ?, offer_token_hash = ?, updated_at = ? "
	 "WHERE id = ? AND status = 'waiting'");
DB_QUERY(Q_PROG_SESSION_CONTEXT,
	 "SELECT c.title, n.slug, COALESCE(ps.offer_hours, 48), sc.name, sc.town, s.online_url FROM course_session s "
	 "JOIN course c ON c.id = s.course_id JOIN network n ON n.id = c.network_id "
	 "LEFT JOIN programme_settings ps ON ps.network_id = n.id LEFT JOIN school sc ON sc.urn = s.venue_urn "
	 "WHERE s.id = ?");
DB_QUERY(Q_PROG_OFFER_BY_TOKEN,
	 "SELECT b.id, b.person_id, b.session_id, b.status, b.offer_expires_at, c.title, n.slug, s.starts_at, "
	 "s.ends_at FROM booking b JOIN course_session s ON s.id = b.session_id JOIN course c ON c.id = s.course_id "
	 "JOIN network n ON n.id = c.network_id WHERE b.offer_token_hash = ?");
DB_QUERY(Q_PROG_SESSION_BY_ID,
	 "SELECT s.id, s.course_id, s.starts_at, s.ends_at, s.booking_closes_at, s.venue_urn, s.online_url, "
	 "s.capacity, s.per_school_limit, s.cpd_hundredths, s.presenter_minutes FROM course_session s WHERE s.id = ?");
DB_QUERY(Q_PROG_SERIES_SESSIONS,
	 "SELECT s.id, s.course_id, s.starts_at, s.ends_at, s.booking_closes_at, s.venue_urn, s.online_url, "
	 "s.capacity, s.per_school_limit, s.cpd_hundredths, s.presenter_minutes FROM course_session s "
	 "WHERE s.course_id = ? ORDER BY s.starts_at, s.id");
DB_QUERY(Q_PROG_LAPSED_SESSIONS,
	 "SELECT DISTINCT session_id FROM booking WHERE status = 'offered' AND offer_expires_at <= ? "
	 "ORDER BY session_id");
DB_QUERY(Q_PROG_EXPIRE,
	 "UPDATE booking SET status = 'expired', offer_expires_at = NULL, updated_at = ?2 WHERE session_id = ?1 "
	 "AND status = 'offered' AND offer_expires_at <= ?2");
DB_QUERY(Q_PROG_POSITION,
	 "SELECT COUNT(*) FROM booking w WHERE w.session_id = ?1 AND w.status = 'waiting' AND w.id <= "
	 "(SELECT id FROM booking m WHERE m.session_id = ?1 AND m.person_id = ?2 AND m.status = 'waiting')");

/* What emails about a session say: its course, network, where, how long offers hold. */
struct session_context {
	const char *title;  /* the course */
	const char *slug;   /* the network */
	int64_t offer_hours; /* how long an offer holds */
	const char *where;  /* "Weetwood Primary School, Leeds" or "Online" */
	const char *online; /* the joining link, or NULL */
};

/* A person as emails need them. */
struct person_facts {
	const char *email;     /* address */
	const char *name;      /* display name */
	int64_t urn;           /* their school, 0 when none */
	enum school_role role; /* their role there */
};

static int load_person(struct db *db, struct arena *a, int64_t id, struct person_facts *p)
{
	memset(p, 0, sizeof(*p));
	struct db_stmt *st = db_stmt(db, &Q_PROG_PERSON);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		p->email = arena_strdup(a, db_col_text(st, 0));
		p->name = arena_strdup(a, db_col_text(st, 1));
		p->urn = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		if (school_role_parse(db_col_text(st, 3), &p->role))
			p->role = SCHOOL_ROLE_NONE;
	}
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

static int load_context(struct db *db, struct arena *a, int64_t session_id, struct session_context *c)
{
	memset(c, 0, sizeof(*c));
	struct db_stmt *st = db_stmt(db, &Q_PROG_SESSION_CONTEXT);
	if (!st || db_bind_int(st, 1, session_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		c->title = arena_strdup(a, db_col_text(st, 0));
		c->slug = arena_strdup(a, db_col_text(st, 1));
		c->offer_hours = db_col_int(st, 2);
		if (!db_col_is_null(st, 3))
			c->where = db_col_text(st, 4) ? arena_printf(a, "%s, %s", db_col_text(st, 3), db_col_text(st, 4))
						      : arena_strdup(a, db_col_text(st, 3));
		else
			c->where = "Online";
		c->online = db_col_is_null(st, 5) ? NULL : arena_strdup(a, db_col_text(st, 5));
	}
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

/* The session page's address. */
static const char *session_url(struct arena *a, const char *base_url, const struct session_context *c, int64_t id)
{
	return arena_printf(a, "%s/networks/%s/programme/sessions/%lld", base_url ? base_url : "", c->slug,
			    (long long)id);
}

/* What the attendee's calendar gets: the course's title, where, and the session's page. */
static void session_event(struct arena *a, const char *domain, const struct session_context *c,
			  const struct prog_session *s, const char *url, struct ical_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	/* The same UID as the personal calendar feed's, so a calendar holding both shows it once. */
	ev->uid = arena_printf(a, "session-%lld-attend@%s", (long long)s->id, domain);
	ev->title = c->title;
	ev->start = s->starts;
	ev->end = s->ends;
	ev->location = c->where;
	ev->description = arena_printf(a, "Your place on %s.%s%s\nIf you cannot come, cancel on the session's page: %s",
				       c->title, c->online ? "\nJoining link: " : "", c->online ? c->online : "", url);
	ev->url = strncmp(url, "http", 4) == 0 ? url : NULL;
}

/*
 * Queue msg (subject, body) to who with the sessions' events as an .ics
 * attachment (METHOD:PUBLISH), or without one when there are none.
 */
static int mail_with_ics(struct db *db, struct arena *a, const char *to, const char *subject, const char *body,
			 const struct ical_event *events, size_t n, int64_t now)
{
	if (n == 0)
		return mail_queue(db, to, subject, body);
	struct ical_calendar cal = {.method = "PUBLISH", .stamp = now > 0 ? now : 1, .events = events, .n_events = n};
	struct buf ics = BUF_INIT;
	int rc = ical_write(&ics, &cal);
	if (rc == 0) {
		struct mail_attachment att = {.name = n == 1 ? "session.ics" : "sessions.ics",
					      .type = "text/calendar; charset=utf-8; method=PUBLISH",
					      .data = buf_str(&ics)};
		rc = mail_queue_attached(db, to, subject, body, &att);
	} else {
		rc = mail_queue(db, to, subject, body); /* an event the writer refuses: the text still goes */
	}
	buf_free(&ics);
	return rc;
}

/* Queue the confirmation of a place (or a place in line) to the attendee, and a copy to a lead who booked it. */
static int mail_booked(struct db *db, struct arena *a, const struct prog_session *s, const struct person_facts *who,
		       const struct person_facts *lead, bool waiting, int64_t position, const char *base_url)
{
	struct session_context c;
	int rc = load_context(db, a, s->id, &c);
	if (rc)
		return rc;
	const char *when = prog_span(a, s->starts, s->ends);
	const char *url = session_url(a, base_url, &c, s->id);
	const char *lead_name = lead ? lead->name : "";
	const char *subject, *body;
	if (waiting) {
		subject = arena_printf(a, "Waiting list: %s", c.title);
		body = arena_printf(a,
				    "Hello %s,\n\n%s%s on the waiting list for %s (%s): number %lld in line. If a "
				    "place frees, it is offered to you at once by email and held for you for a "
				    "while.\n\nLeave the list at any time: %s\n",
				    who->name, lead ? lead_name : "You are", lead ? ", your school's lead, put you" : "",
				    c.title, when, (long long)position, url);
	} else {
		subject = arena_printf(a, "Your place: %s", c.title);
		body = arena_printf(a,
				    "Hello %s,\n\n%s%s a place on %s.\n\nWhen: %s\nWhere: %s%s%s\n\nIf you "
				    "cannot come, cancel so that someone else can have the place: %s\n",
				    who->name, lead ? lead_name : "You have", lead ? ", your school's lead, booked you" : "",
				    c.title, when, c.where, c.online ? "\nJoining link: " : "", c.online ? c.online : "",
				    url);
	}
	struct ical_event ev;
	if (!waiting)
		session_event(a, calendar_uid_domain(a, base_url), &c, s, url, &ev);
	rc = mail_with_ics(db, a, who->email, subject, body, &ev, waiting ? 0 : 1, clock_now());
	if (rc == 0 && lead)
		rc = mail_queue(db, lead->email, arena_printf(a, "Copy: %s", subject),
				arena_printf(a, "This is a copy of the email sent to %s.\n\n%s", who->name, body));
	return rc;
}

/* Expire the lapsed offers of session s and pass their places on, inside the caller's transaction. */
static int expire_session(struct db *db, struct arena *a, const struct prog_session *s, const char *base_url,
			  int64_t now, int *passed)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_EXPIRE);
	if (!st || db_bind_int(st, 1, s->id) || db_bind_text(st, 2, prog_iso(a, now)))
		return ERR_DB;
	int rc = prog_run(st);
	if (rc)
		return rc;
	int n = db_changes(db);
	if (passed)
		*passed += n;
	return n > 0 ? prog_offer_places(db, a, s, base_url, now, NULL) : 0;
}

int prog_offer_places(struct db *db, struct arena *a, const struct prog_session *s, const char *base_url,
		      int64_t now, int *offered)
{
	if (offered)
		*offered = 0;
	if (now >= s->closes || now >= s->starts)
		return 0; /* booking has closed: nobody can take a place now */
	struct session_context c;
	int rc = load_context(db, a, s->id, &c);
	if (rc)
		return rc;
	int64_t until = now + c.offer_hours * 3600;
	if (until > s->closes)
		until = s->closes; /* the offer ends when booking closes */
	/* At most one offer a free place, so the loop ends after capacity rounds at most. */
	for (int64_t round = 0; round < s->capacity; round++) {
		struct db_stmt *st = db_stmt(db, &Q_PROG_TAKEN_NOW);
		if (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, 0))
			return ERR_DB;
		rc = db_step(st);
		int64_t taken = rc == DB_ROW ? db_col_int(st, 0) : 0;
		db_reset(st);
		if (rc < 0)
			return rc;
		if (taken >= s->capacity)
			break;
		st = db_stmt(db, &Q_PROG_NEXT_IN_LINE);
		if (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, s->per_school_limit))
			return ERR_DB;
		rc = db_step(st);
		int64_t bid = rc == DB_ROW ? db_col_int(st, 0) : 0, pid = rc == DB_ROW ? db_col_int(st, 1) : 0;
		db_reset(st);
		if (rc < 0)
			return rc;
		if (!bid)
			break; /* nobody in line, or nobody whose school is under its limit */
		char token[TOKEN_BUFSZ], hash[TOKEN_HASH_BUFSZ];
		token_new(token);
		token_hash(token, hash);
		st = db_stmt(db, &Q_PROG_OFFER);
		if (!st || db_bind_text(st, 1, prog_iso(a, until)) || db_bind_text(st, 2, hash) ||
		    db_bind_text(st, 3, prog_iso(a, now)) || db_bind_int(st, 4, bid))
			return ERR_DB;
		if ((rc = prog_run(st)))
			return rc;
		struct person_facts p;
		if ((rc = load_person(db, a, pid, &p)))
			return rc;
		const char *base = base_url ? base_url : "";
		const char *body = arena_printf(
			a,
			"Hello %s,\n\nA place has come free on %s (%s, %s) and you are first in line, so it is "
			"yours if you want it. We are holding it for you until %s.\n\nAccept the place: "
			"%s/offers/%s?answer=accept\nDecline it: %s/offers/%s?answer=decline\n\nIf you do not "
			"answer by then, the place goes to the next person in line.\n",
			p.name, c.title, prog_span(a, s->starts, s->ends), c.where, prog_when(a, until), base, token,
			base, token);
		if ((rc = mail_queue(db, p.email, arena_printf(a, "A place for you: %s", c.title), body)))
			return rc;
		if (offered)
			(*offered)++;
	}
	return 0;
}

/* Find person_id's active row on the session: 0 with *id (0 when none), *status and *urn. */
static int active_row(struct db *db, struct arena *a, int64_t session_id, int64_t person_id, int64_t *id,
		      const char **status, int64_t *urn)
{
	*id = 0;
	*status = NULL;
	*urn = 0;
	struct db_stmt *st = db_stmt(db, &Q_PROG_ACTIVE);
	if (!st || db_bind_int(st, 1, session_id) || db_bind_int(st, 2, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*status = arena_strdup(a, db_col_text(st, 1));
		*urn = db_col_int(st, 2);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int64_t prog_waiting_position(struct db *db, int64_t session_id, int64_t person_id)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_POSITION);
	int64_t n = 0;
	if (!st || db_bind_int(st, 1, session_id) || db_bind_int(st, 2, person_id))
		return 0;
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/* Who is booked: acc's person, or a colleague the lead books. Fills *who and *lead_booking. */
static int booking_target(struct db *db, struct arena *a, const struct prog_access *acc, int64_t person_id,
			  struct person_facts *who, bool *lead_booking, json_t *errors)
{
	*lead_booking = false;
	if (person_id <= 0 || person_id == acc->person_id) {
		if (!prog_policy_book_self(acc))
			return ERR_FORBIDDEN;
		int rc = load_person(db, a, acc->person_id, who);
		who->urn = acc->school_urn;
		return rc;
	}
	if (!prog_policy_book_colleague(acc, acc->school_urn))
		return ERR_FORBIDDEN;
	int rc = load_person(db, a, person_id, who);
	if (rc == ERR_NOTFOUND || (rc == 0 && (who->urn != acc->school_urn || who->role == SCHOOL_ROLE_NONE))) {
		json_object_set_new(errors, "person_id",
				    json_string("You can book places only for colleagues at your own school"));
		return ERR_INVALID;
	}
	*lead_booking = true;
	return rc;
}

/* What take() did with one session. */
enum taken {
	TAKEN_PLACE,   /* a place */
	TAKEN_WAITING, /* a place in line */
	TAKEN_HELD,    /* nothing: they already held a place, an offer or a place in line (series only) */
};

/*
 * Inside the caller's transaction: give target (who, of school who->urn) a
 * place on s, or a place in line when it is full and wait allows. For a
 * series (series true), a session the person already holds is left as it
 * is (TAKEN_HELD) rather than refused. ERR_CONFLICT with errors["session"].
 */
static int take(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		int64_t target, const struct person_facts *who, bool by_lead, bool wait, bool series,
		const char *base_url, int64_t now, json_t *errors, enum taken *out)
{
	*out = TAKEN_PLACE;
	/* Lapsed offers go to the people already in line before anyone new is counted. */
	int rc = expire_session(db, a, s, base_url, now, NULL);
	int64_t id = 0, urn = 0;
	const char *status = NULL;
	if (rc == 0)
		rc = active_row(db, a, s->id, target, &id, &status, &urn);
	if (rc == 0 && id && series) {
		*out = TAKEN_HELD;
		return 0;
	}
	if (rc == 0 && id) {
		const char *whom = by_lead ? who->name : "You";
		if (str_eq(status, "waiting"))
			json_object_set_new(errors, "session",
					    json_sprintf("%s %s already on the waiting list (number %lld in line)", whom,
							 by_lead ? "is" : "are",
							 (long long)prog_waiting_position(db, s->id, target)));
		else if (str_eq(status, "offered"))
			json_object_set_new(errors, "session",
					    json_sprintf("%s already %s a place offered: accept it from the email",
							 whom, by_lead ? "has" : "have"));
		else
			json_object_set_new(errors, "session",
					    json_sprintf("%s already %s a place on this session", whom,
							 by_lead ? "has" : "have"));
		rc = ERR_CONFLICT;
	}
	int64_t taken = 0, school_taken = 0;
	if (rc == 0) {
		struct db_stmt *st = db_stmt(db, &Q_PROG_TAKEN_NOW);
		if (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, who->urn))
			rc = ERR_DB;
		else if ((rc = db_step(st)) == DB_ROW) {
			taken = db_col_int(st, 0);
			school_taken = db_col_int(st, 1);
			rc = 0;
		}
		if (st)
			db_reset(st);
		if (rc > 0)
			rc = 0;
	}
	bool full = taken >= s->capacity;
	bool school_full = s->per_school_limit > 0 && school_taken >= s->per_school_limit;
	bool waiting = full || school_full;
	if (rc == 0 && waiting && !wait) {
		if (full)
			json_object_set_new(errors, "session",
					    json_sprintf("This session is full: all %lld places are taken. Join the "
							 "waiting list and a place that frees is offered to you at once.",
							 (long long)s->capacity));
		else
			json_object_set_new(errors, "session",
					    json_sprintf("Your school already has %lld place%s on this session, the most "
							 "one school may take. Join the waiting list to be offered a place "
							 "if one frees.",
							 (long long)s->per_school_limit, s->per_school_limit == 1 ? "" : "s"));
		rc = ERR_CONFLICT;
	}
	if (rc == 0) {
		struct db_stmt *st = db_stmt(db, &Q_PROG_BOOKING_INSERT);
		const char *stamp = prog_iso(a, now);
		if (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, target) || db_bind_int(st, 3, who->urn) ||
		    db_bind_text(st, 4, waiting ? "waiting" : "booked") || db_bind_int(st, 5, acc->person_id) ||
		    db_bind_text(st, 6, stamp) || db_bind_text(st, 7, stamp))
			rc = ERR_DB;
		else
			rc = prog_run(st);
		if (rc == ERR_CONFLICT)
			json_object_set_new(errors, "session", json_string("This person already has a place on this session"));
	}
	if (rc == 0)
		*out = waiting ? TAKEN_WAITING : TAKEN_PLACE;
	return rc;
}

int prog_book(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
	      const struct prog_course *c, const struct prog_session *s, int64_t person_id, bool wait,
	      const char *base_url, int64_t now, json_t *errors, enum prog_booked *how)
{
	(void)net;
	*how = PROG_BOOKED;
	if (!prog_policy_programme_see(acc))
		return ERR_NOTFOUND;
	struct person_facts who, lead;
	bool by_lead;
	int rc = booking_target(db, a, acc, person_id, &who, &by_lead, errors);
	if (rc)
		return rc;
	int64_t target = by_lead ? person_id : acc->person_id;
	if (c->series) {
		json_object_set_new(errors, "session",
				    json_string("This session is one of a series, which is booked as a whole: book the "
						"course, and you have a place on every session"));
		return ERR_CONFLICT;
	}
	if (now >= s->closes) {
		json_object_set_new(errors, "session",
				    json_sprintf("Booking for this session closed on %s", prog_when(a, s->closes)));
		return ERR_CONFLICT;
	}
	if (by_lead && (rc = load_person(db, a, acc->person_id, &lead)))
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	enum taken got;
	rc = take(db, a, acc, s, target, &who, by_lead, wait, false, base_url, now, errors, &got);
	bool waiting = got == TAKEN_WAITING;
	if (rc == 0)
		rc = mail_booked(db, a, s, &who, by_lead ? &lead : NULL, waiting,
				 waiting ? prog_waiting_position(db, s->id, target) : 0, base_url);
	rc = prog_finish(db, rc);
	if (rc == 0)
		*how = waiting ? PROG_WAITING : PROG_BOOKED;
	return rc;
}

/* Fill s from a row of Q_PROG_SESSION_BY_ID's columns. */
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

/* The sessions of course id in order (arena array in *out, *n of them). */
static int series_sessions(struct db *db, struct arena *a, int64_t course_id, struct prog_session **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, &Q_PROG_SERIES_SESSIONS);
	if (!st || db_bind_int(st, 1, course_id))
		return ERR_DB;
	size_t cap = 8;
	struct prog_session *v = arena_calloc(a, cap, sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct prog_session *w = arena_calloc(a, cap * 2, sizeof(*w));
			memcpy(w, v, cap * sizeof(*v));
			v = w;
			cap *= 2;
		}
		read_session(st, a, &v[(*n)++]);
	}
	db_reset(st);
	*out = v;
	return rc < 0 ? rc : 0;
}

/* Queue the confirmation of a series: each session with a place or a place in line (got[i]). */
static int mail_series(struct db *db, struct arena *a, const struct prog_course *c, const struct prog_session *v,
		       const enum taken *got, size_t n, const struct person_facts *who, const struct person_facts *lead,
		       int64_t target, const char *base_url)
{
	struct buf list = BUF_INIT;
	struct session_context ctx;
	struct ical_event *events = arena_calloc(a, n ? n : 1, sizeof(*events));
	size_t k = 0;
	const char *domain = calendar_uid_domain(a, base_url);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if ((rc = load_context(db, a, v[i].id, &ctx)))
			break;
		if (got[i] == TAKEN_PLACE)
			session_event(a, domain, &ctx, &v[i], session_url(a, base_url, &ctx, v[i].id), &events[k++]);
		const char *what = got[i] == TAKEN_WAITING
					   ? arena_printf(a, "waiting list, number %lld in line",
							  (long long)prog_waiting_position(db, v[i].id, target))
				   : got[i] == TAKEN_HELD ? "as you had it already"
							  : "a place";
		buf_printf(&list, "- %s, %s (%s)\n  %s\n", prog_span(a, v[i].starts, v[i].ends), ctx.where, what,
			   session_url(a, base_url, &ctx, v[i].id));
	}
	if (rc == 0) {
		const char *subject = arena_printf(a, "Your places: %s (every session)", c->title);
		const char *body = arena_printf(
			a,
			"Hello %s,\n\n%s%s the series %s: every session, listed below.\n\n%s\nIf you cannot "
			"come to one, cancel it on its page so that someone else can have the place.\n",
			who->name, lead ? lead->name : "You have", lead ? ", your school's lead, booked you on" : " booked",
			c->title, list.data ? list.data : "");
		rc = mail_with_ics(db, a, who->email, subject, body, events, k, clock_now());
		if (rc == 0 && lead)
			rc = mail_queue(db, lead->email, arena_printf(a, "Copy: %s", subject),
					arena_printf(a, "This is a copy of the email sent to %s.\n\n%s", who->name, body));
	}
	buf_free(&list);
	return rc;
}

int prog_book_series(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		     int64_t person_id, bool wait, const char *base_url, int64_t now, json_t *errors,
		     struct prog_series_booked *out)
{
	memset(out, 0, sizeof(*out));
	if (!prog_policy_programme_see(acc))
		return ERR_NOTFOUND;
	struct person_facts who, lead;
	bool by_lead;
	int rc = booking_target(db, a, acc, person_id, &who, &by_lead, errors);
	if (rc)
		return rc;
	int64_t target = by_lead ? person_id : acc->person_id;
	if (!c->series) {
		json_object_set_new(errors, "session",
				    json_string("This course's sessions are booked one at a time: choose a session"));
		return ERR_CONFLICT;
	}
	if (by_lead && (rc = load_person(db, a, acc->person_id, &lead)))
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	struct prog_session *v;
	size_t n;
	rc = series_sessions(db, a, c->id, &v, &n);
	if (rc == 0 && n == 0) {
		json_object_set_new(errors, "session", json_string("This series has no sessions yet, so there is nothing "
								   "to book"));
		rc = ERR_CONFLICT;
	}
	/* All or none: the first session that cannot be booked stops it, and nothing is kept. */
	enum taken *got = arena_calloc(a, n ? n : 1, sizeof(*got));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *when = prog_span(a, v[i].starts, v[i].ends);
		if (now >= v[i].closes) {
			json_object_set_new(errors, "session",
					    json_sprintf("Booking for the session on %s closed on %s, so the series can "
							 "no longer be booked as a whole. Nothing was booked.",
							 when, prog_when(a, v[i].closes)));
			rc = ERR_CONFLICT;
			break;
		}
		json_t *one = json_object();
		rc = take(db, a, acc, &v[i], target, &who, by_lead, wait, true, base_url, now, one, &got[i]);
		const char *why = json_string_value(json_object_get(one, "session"));
		if (rc == ERR_CONFLICT && why)
			json_object_set_new(errors, "session",
					    json_sprintf("The session on %s: %s Nothing was booked.", when, why));
		json_decref(one);
		if (rc == 0) {
			out->places += got[i] == TAKEN_PLACE;
			out->waiting += got[i] == TAKEN_WAITING;
			out->held += got[i] == TAKEN_HELD;
		}
	}
	if (rc == 0 && out->held == (int)n) {
		json_object_set_new(errors, "session",
				    json_string(by_lead ? "They already have a place, an offer or a place in line on "
							  "every session of this series"
							: "You already have a place, an offer or a place in line on every "
							  "session of this series"));
		rc = ERR_CONFLICT;
	}
	if (rc == 0)
		rc = mail_series(db, a, c, v, got, n, &who, by_lead ? &lead : NULL, target, base_url);
	return prog_finish(db, rc);
}

int prog_cancel(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		const struct prog_course *c, const struct prog_session *s, int64_t person_id, const char *base_url,
		int64_t now, json_t *errors)
{
	(void)net;
	(void)c;
	if (!prog_policy_programme_see(acc))
		return ERR_NOTFOUND;
	int64_t target = person_id > 0 ? person_id : acc->person_id;
	if (target <= 0)
		return ERR_UNAUTH;
	int rc = db_begin(db);
	if (rc)
		return rc;
	int64_t id = 0, urn = 0;
	const char *status = NULL;
	rc = active_row(db, a, s->id, target, &id, &status, &urn);
	if (rc == 0 && !id)
		rc = ERR_NOTFOUND;
	else if (rc == 0 && !prog_policy_booking_cancel(acc, target, urn))
		rc = prog_policy_attendee_name(acc, target, urn) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	else if (rc == 0 && now >= s->starts) {
		json_object_set_new(errors, "session",
				    json_string("The session has started: places can be given up only before it starts"));
		rc = ERR_CONFLICT;
	}
	if (rc == 0) {
		struct db_stmt *st = db_stmt(db, &Q_PROG_BOOKING_END);
		if (!st || db_bind_text(st, 1, str_eq(status, "waiting") ? "left" : "cancelled") ||
		    db_bind_text(st, 2, prog_iso(a, now)) || db_bind_int(st, 3, id))
			rc = ERR_DB;
		else
			rc = prog_run(st);
	}
	/* A freed place goes to the first in line at once. */
	if (rc == 0 && !str_eq(status, "waiting"))
		rc = prog_offer_places(db, a, s, base_url, now, NULL);
	if (rc == 0 && target != acc->person_id) {
		struct person_facts who;
		struct session_context ctx;
		if ((rc = load_person(db, a, target, &who)) == 0 && (rc = load_context(db, a, s->id, &ctx)) == 0)
			rc = mail_queue(db, who.email, arena_printf(a, "Place cancelled: %s", ctx.title),
					arena_printf(a,
						     "Hello %s,\n\nYour %s on %s (%s) has been cancelled by someone "
						     "who runs it or leads your school. If this is a surprise, ask them.\n",
						     who.name, str_eq(status, "waiting") ? "place on the waiting list" : "place",
						     ctx.title, prog_span(a, s->starts, s->ends)));
	}
	return prog_finish(db, rc);
}

/* Fill o from a Q_PROG_OFFER_BY_TOKEN row. */
static void read_offer(struct db_stmt *st, struct arena *a, struct prog_offer *o)
{
	memset(o, 0, sizeof(*o));
	o->booking_id = db_col_int(st, 0);
	o->person_id = db_col_int(st, 1);
	o->session_id = db_col_int(st, 2);
	o->status = arena_strdup(a, db_col_text(st, 3));
	if (db_col_is_null(st, 4) || clock_parse_iso(db_col_text(st, 4), &o->expires))
		o->expires = 0;
	o->course = arena_strdup(a, db_col_text(st, 5));
	o->network_slug = arena_strdup(a, db_col_text(st, 6));
	if (clock_parse_iso(db_col_text(st, 7), &o->starts) || clock_parse_iso(db_col_text(st, 8), &o->ends))
		o->starts = o->ends = 0;
}

int prog_offer_find(struct db *db, struct arena *a, const char *token, struct prog_offer *out)
{
	memset(out, 0, sizeof(*out));
	if (!token || !token_well_formed(token, NULL))
		return ERR_NOTFOUND;
	char hash[TOKEN_HASH_BUFSZ];
	token_hash(token, hash);
	struct db_stmt *st = db_stmt(db, &Q_PROG_OFFER_BY_TOKEN);
	if (!st || db_bind_text(st, 1, hash))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_offer(st, a, out);
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

/* Load session id (no policy: the caller holds an offer for it or runs a job). */
static int session_by_id(struct db *db, struct arena *a, int64_t id, struct prog_session *s)
{
	memset(s, 0, sizeof(*s));
	struct db_stmt *st = db_stmt(db, &Q_PROG_SESSION_BY_ID);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_session(st, a, s);
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

int prog_offer_answer(struct db *db, struct arena *a, int64_t person_id, const char *token, bool accept,
		      const char *base_url, int64_t now, json_t *errors)
{
	struct prog_offer o;
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = prog_offer_find(db, a, token, &o);
	if (rc == 0 && o.person_id != person_id)
		rc = ERR_FORBIDDEN;
	struct prog_session s;
	if (rc == 0)
		rc = session_by_id(db, a, o.session_id, &s);
	bool lapsed = false;
	if (rc == 0 && !str_eq(o.status, "offered")) {
		json_object_set_new(errors, "offer",
				    json_string(str_eq(o.status, "expired")
							? "This offer ran out before it was answered, and the place went to "
							  "the next person in line. You can join the waiting list again."
							: "This offer has already been answered: the link works once."));
		rc = ERR_CONFLICT;
	} else if (rc == 0 && (o.expires <= now || now >= s.closes)) {
		/* Lapsed, and the job has not passed it on yet: do it now, and say so. */
		rc = expire_session(db, a, &s, base_url, now, NULL);
		lapsed = true;
	}
	if (rc == 0 && !lapsed) {
		struct db_stmt *st = db_stmt(db, &Q_PROG_BOOKING_END);
		if (!st || db_bind_text(st, 1, accept ? "booked" : "declined") || db_bind_text(st, 2, prog_iso(a, now)) ||
		    db_bind_int(st, 3, o.booking_id))
			rc = ERR_DB;
		else
			rc = prog_run(st);
		if (rc == 0 && !accept)
			rc = prog_offer_places(db, a, &s, base_url, now, NULL);
		struct person_facts who;
		if (rc == 0 && accept && (rc = load_person(db, a, person_id, &who)) == 0)
			rc = mail_booked(db, a, &s, &who, NULL, false, 0, base_url);
	}
	rc = prog_finish(db, rc);
	if (rc == 0 && lapsed) {
		json_object_set_new(errors, "offer",
				    json_sprintf("This offer ended on %s, before it was answered, and the place went "
						 "to the next person in line. You can join the waiting list again.",
						 prog_when(a, o.expires < s.closes ? o.expires : s.closes)));
		return ERR_CONFLICT;
	}
	return rc;
}

int prog_offers_expire(struct db *db, struct arena *a, const char *base_url, int64_t now, int *passed)
{
	if (passed)
		*passed = 0;
	/* The sessions with lapsed offers, fetched once; then one short transaction each. */
	struct db_stmt *st = db_stmt(db, &Q_PROG_LAPSED_SESSIONS);
	if (!st || db_bind_text(st, 1, prog_iso(a, now)))
		return ERR_DB;
	json_t *ids = db_rows_json(st);
	if (!ids)
		return ERR_DB;
	int rc = 0;
	size_t i;
	json_t *row;
	json_array_foreach(ids, i, row)
	{
		struct prog_session s;
		int64_t sid = json_integer_value(json_object_get(row, "session_id"));
		if ((rc = db_begin(db)))
			break;
		rc = session_by_id(db, a, sid, &s);
		if (rc == 0)
			rc = expire_session(db, a, &s, base_url, now, passed);
		if ((rc = prog_finish(db, rc)))
			break;
	}
	json_decref(ids);
	return rc;
}
