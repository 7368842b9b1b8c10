// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * prog.h — the programme model, shared by the files of src/app/programme/:
 * the access facts of the person asking (built on the networks model's),
 * courses and their facilitation teams (model.c), sessions and the annual
 * programme (sessions.c), and bookings with the automatic waiting list and
 * its offers (booking.c). Every function asks policy.c before it reads or
 * changes anything and refuses with ERR_NOTFOUND (the person may not know
 * the thing exists) or ERR_FORBIDDEN (they may see it but not do this).
 *
 * Results are new jansson references (the caller decrefs); strings in the
 * structs live in the request arena. Functions that validate input add
 * {field: message} to an `errors` object and return ERR_INVALID (or
 * ERR_CONFLICT when what is asked clashes with what is there: full, closed,
 * already booked), changing nothing.
 */
#ifndef TANDEM_APP_PROGRAMME_PROG_H
#define TANDEM_APP_PROGRAMME_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/networks/net.h"
#include "app/programme/policy.h"
#include "core/err.h"

struct arena;
struct db;
struct db_stmt;

/* Limits on what people type, in characters or units. */
#define PROG_TITLE_MAX 120
#define PROG_OUTCOMES_MAX 2000
#define PROG_URL_MAX 500
#define PROG_CAPACITY_MAX 2000
#define PROG_CPD_MAX 10000 /* hundredths of an hour: 100 hours */
/* Characters of a session's check-in code. */
#define PROG_CODE_LEN 6
/* How long an offered place is held when the network has not said (hours). */
#define PROG_OFFER_HOURS 48

/* The formats of the programme, NULL-terminated, and how people read them. */
extern const char *const prog_formats[];
/* The audiences a course may be for, NULL-terminated. */
extern const char *const prog_audiences[];
/* "TeachMeet" for "teachmeet", and so on; the value itself when unknown. */
const char *prog_format_label(const char *format);
/* "Teaching assistants" for "teaching_assistants", and so on; the value itself when unknown. */
const char *prog_audience_label(const char *audience);

/* A course as loaded (strings in the arena). */
struct prog_course {
	int64_t id;          /* course.id */
	int64_t network_id;  /* its network */
	const char *title;   /* its title */
	int64_t theme_id;    /* network_theme.id */
	const char *theme;   /* the theme's name */
	const char *outcomes; /* what people will be able to do afterwards, may be "" */
	const char *format;  /* one of prog_formats */
	int64_t lead_id;     /* the course lead, 0 when none */
	bool series;         /* booked as a series: booking the course books every session */
};

/* A session as loaded. */
struct prog_session {
	int64_t id;               /* course_session.id */
	int64_t course_id;        /* its course */
	int64_t starts, ends;     /* instants (UTC seconds) */
	int64_t closes;           /* booking closes at this instant */
	int64_t venue_urn;        /* the member school it is at, 0 when online */
	const char *online_url;   /* the joining link, NULL when at a school */
	int64_t capacity;         /* places */
	int64_t per_school_limit; /* at most this many places a school, 0 for no limit */
	int64_t cpd_hundredths;   /* hours of CPD it counts for, in hundredths */
	int64_t presenter_minutes; /* minutes of presenting it holds, 0: its length */
};

/* What is typed into the course form (strings borrowed). */
struct prog_course_in {
	const char *title;               /* required */
	const char *theme;               /* a theme of the network, by name */
	const char *const *audiences;    /* values of prog_audiences */
	size_t n_audiences;              /* at least one */
	const char *outcomes;            /* may be NULL */
	const char *format;              /* one of prog_formats */
	int64_t lead_id;                 /* a person of a member school, 0 for none */
	bool series;                     /* booked as a series (every session at once) */
};

/* What is typed into the session form (strings borrowed; day and times as the parameter table reads them). */
struct prog_session_in {
	const char *day;          /* "YYYY-MM-DD" */
	const char *start, *end;  /* "HH:MM", UK time */
	int64_t venue_urn;        /* a member school, 0 when online */
	const char *online_url;   /* https:// link, NULL or "" when at a school */
	int64_t capacity;         /* at least 1 */
	int64_t per_school_limit; /* 0 for none */
	const char *closes_day;   /* booking closes on this day ("YYYY-MM-DD"), NULL: at the start */
	const char *closes_time;  /* at this time ("HH:MM"), NULL: 23:59 of closes_day, or the start */
	int64_t cpd_hundredths;   /* hours of CPD in hundredths */
	int64_t presenter_minutes; /* TeachMeets and learning lunches: minutes of presenting, 0: the whole session */
};

/* The annual programme's filters (NULL for none). */
struct prog_filter {
	int year;              /* the academic year that starts in September of this year */
	const char *theme;     /* theme name */
	const char *audience;  /* one of prog_audiences */
	const char *format;    /* one of prog_formats */
	const char *term;      /* "autumn", "spring", "summer" */
};

/* ---- model.c: access, courses, facilitation teams ----------------------- */

/* The programme facts of a person from the networks model's facts (no course yet). */
void prog_access_from_net(const struct net_access *n, struct prog_access *out);
/*
 * Load course id of acc's network and add the course facts (facilitator,
 * course lead) to acc. ERR_NOTFOUND when there is no such course in the
 * network or acc may not see the programme.
 */
int prog_course_open(struct db *db, struct arena *a, struct prog_access *acc, int64_t id,
		     struct prog_course *out) WUR;
/* Create a course (coordinators and steering). *id gets its number. ERR_INVALID with errors. */
int prog_course_create(struct db *db, struct arena *a, const struct prog_access *acc,
		       const struct prog_course_in *in, json_t *errors, int64_t *id) WUR;
/* Change a course's details (coordinators, steering, the course lead). ERR_INVALID with errors. */
int prog_course_update(struct db *db, struct arena *a, const struct prog_access *acc,
		       const struct prog_course *c, const struct prog_course_in *in, json_t *errors) WUR;
/* Add person_id (of a member school) to the facilitation team. ERR_INVALID with errors, ERR_CONFLICT when there. */
int prog_facilitator_add(struct db *db, struct arena *a, const struct prog_access *acc,
			 const struct prog_course *c, int64_t person_id, json_t *errors) WUR;
/* Take person_id off the team (not the course lead). ERR_NOTFOUND, ERR_CONFLICT for the lead. */
int prog_facilitator_remove(struct db *db, const struct prog_access *acc, const struct prog_course *c,
			    int64_t person_id) WUR;
/* The team: [{id, name, urn, school_name, lead}] by name (new array; names only when acc may read). */
json_t *prog_facilitators(struct db *db, const struct prog_access *acc, int64_t course_id);
/* The people of member schools, for choosing facilitators and leads: [{id, name, school_name}] (new array). */
json_t *prog_people_choice(struct db *db, const struct prog_access *acc);
/* The course as JSON {id, url, title, theme, outcomes, format, format_label, audiences[...]} (new). */
json_t *prog_course_json(struct db *db, const struct network *net, const struct prog_course *c);
/* The network's hours an offer holds a place (PROG_OFFER_HOURS when not set). */
int64_t prog_offer_hours(struct db *db, int64_t network_id);

/* Trim s and check it is 1..max characters (or 0..max when optional); errors[field] when not. */
const char *prog_clean(struct arena *a, const char *s, size_t max, bool required, const char *field,
		       const char *label, json_t *errors);
/* Run a bound statement to its end and reset it: 0 or the error (ERR_CONFLICT for a constraint). */
int prog_run(struct db_stmt *st) WUR;
/* Commit when rc is 0, else roll back; the result. */
int prog_finish(struct db *db, int rc) WUR;
/* t as stored: "YYYY-MM-DDTHH:MM:SSZ" (arena). */
const char *prog_iso(struct arena *a, int64_t t);
/* t for people in UK time: "6 December 2026, 16:00 UK time" (arena). */
const char *prog_when(struct arena *a, int64_t t);
/* A session's time for people: "Tuesday 6 October 2026, 16:00 to 17:30 UK time" (arena). */
const char *prog_span(struct arena *a, int64_t starts, int64_t ends);
/* Hours in hundredths for people: "1.5", "2" (arena). */
const char *prog_hours(struct arena *a, int64_t hundredths);

/* ---- sessions.c: sessions and the annual programme -------------------- */

/*
 * Load session id of acc's network, its course, and the course facts into
 * acc. ERR_NOTFOUND when there is none or acc may not see the programme.
 */
int prog_session_open(struct db *db, struct arena *a, struct prog_access *acc, int64_t id,
		      struct prog_course *c, struct prog_session *out) WUR;
/*
 * Add a session to course c (id 0) or change session id: facilitators,
 * coordinators and steering. Capacity below the places taken is refused;
 * raising it offers the freed places to the waiting list at once (base_url
 * for the emails' links). *new_id may be NULL. ERR_INVALID or ERR_CONFLICT with errors.
 */
int prog_session_save(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		      const struct prog_course *c, int64_t id, const struct prog_session_in *in,
		      const char *base_url, int64_t now, json_t *errors, int64_t *new_id) WUR;
/* The session's form values as typed in the form (new object) for editing. */
json_t *prog_session_form(struct arena *a, const struct prog_session *s);
/*
 * The sessions of course c: [{id, url, when, venue, places_left, capacity,
 * full, mine}] (new array), with what acc may see.
 */
json_t *prog_course_sessions(struct db *db, struct arena *a, const struct prog_access *acc,
			     const struct network *net, const struct prog_course *c, int64_t now);
/*
 * The session page's model: times, venue with its address (or whether it is
 * online and, for those who may, the link), places, the person's own
 * booking or place in line, and the list of people booked and waiting as
 * acc may see it (names or counts). New object in *out.
 */
int prog_session_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		      const struct prog_course *c, const struct prog_session *s, int64_t now, json_t **out) WUR;
/*
 * The same model for someone who sees every name (prog_policy_attendees_all;
 * ERR_FORBIDDEN for anyone else) on the HTML page, whose lists of people
 * booked and waiting are kept rendered apart: with no lists in it, the
 * places counted from counts (booked, offered, waiting) and the person's own
 * place read alone. New object in *out.
 */
int prog_session_json_kept(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
			   const struct prog_course *c, const struct prog_session *s, int64_t now,
			   const int64_t *counts, json_t **out) WUR;
/*
 * The annual programme of acc's network for the filter: {year, year_label,
 * themes: [{name, courses: [...with sessions]}], count}. New object in *out.
 */
int prog_programme_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
			const struct prog_filter *f, int64_t now, json_t **out) WUR;
/*
 * acc's person's places on the programme of the filter's year: [{url,
 * course, when, status}] by date (new array; empty for nobody signed in).
 */
json_t *prog_programme_mine(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
			    const struct prog_filter *f);

/* The network's member schools a session may be at: [{urn, name}] by name (new array; members only). */
json_t *prog_venues(struct db *db, const struct prog_access *acc);

/* ---- listing.c: the programme's listing, rendered, kept in memory ------ */

/* Something in the programme changed here: listings kept so far are not used again. */
void prog_listing_changed(void);
/* The generation now: read it before building a listing, and give it to prog_listing_put. */
uint64_t prog_listing_generation(void);
/* The kept listing for key, fresh (no change seen since, under two seconds old), as a new JSON string; NULL when none. */
json_t *prog_listing_get(const char *key);
/* Keep html (len bytes) as key's listing, built in generation gen (dropped if something changed since). */
void prog_listing_put(const char *key, const char *html, size_t len, uint64_t gen);
/* How many figures a kept part holds beside its markup. */
#define PROG_KEPT_NUMS 4
/*
 * The kept part for key (a listing or a session's people), fresh, as a new
 * JSON string, with its figures copied to nums (PROG_KEPT_NUMS of them; may
 * be NULL); NULL when none.
 */
json_t *prog_kept_get(const char *key, int64_t *nums);
/* Keep html (len bytes) and nums (PROG_KEPT_NUMS figures, or NULL) as key's part, built in generation gen. */
void prog_kept_put(const char *key, const char *html, size_t len, const int64_t *nums, uint64_t gen);
/* Free every kept listing (at shutdown). */
void prog_listing_release(void);

/* A new check-in code of PROG_CODE_LEN unambiguous letters and digits (libsodium randomness; arena). */
const char *prog_new_code(struct arena *a);
/* The academic year (September to August) that t falls in: 2026 for 6 December 2026 and 1 March 2027. */
int prog_academic_year(int64_t t);
/* The instants [*from, *to) of year's term ("autumn", "spring", "summer"; NULL: the whole year). */
void prog_year_bounds(int year, const char *term, int64_t *from, int64_t *to);

/* ---- booking.c: bookings, the waiting list, offers --------------------- */

/* What a booking request did. */
enum prog_booked {
	PROG_BOOKED,  /* a place */
	PROG_WAITING, /* a place in the waiting list */
};

/*
 * Book session s for person_id (0: acc's person; else a colleague of acc's
 * school, which only its lead may do). With wait, a full session (or a
 * school at its limit) puts them in the waiting list instead; without it
 * that is ERR_CONFLICT with a message. One transaction (BEGIN IMMEDIATE):
 * two people can never take the same last place. Emails the attendee (and
 * the lead who booked for them a copy). ERR_INVALID / ERR_CONFLICT with
 * errors; ERR_FORBIDDEN.
 */
int prog_book(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
	      const struct prog_course *c, const struct prog_session *s, int64_t person_id, bool wait,
	      const char *base_url, int64_t now, json_t *errors, enum prog_booked *how) WUR;
/*
 * The colleagues a school's lead may book on a series: the people of the
 * lead's school but the lead, as [{id, name, selected}] with chosen's
 * selected (new array; empty for anyone else, or on a store error).
 */
json_t *prog_series_colleagues(struct db *db, const struct prog_access *acc, int64_t chosen);
/* What booking a series did, session by session. */
struct prog_series_booked {
	int places;  /* sessions with a place now */
	int waiting; /* sessions with a place in line now */
	int held;    /* sessions the person already held (a place, an offer or a place in line) */
};
/*
 * Book every session of series c for person_id (0: acc's person; else a
 * colleague of the lead's school), all or none, in one transaction: a
 * session whose booking has closed, or that is full or at the school's
 * limit, refuses the whole (ERR_CONFLICT with errors["session"] naming it).
 * With wait, full sessions give a place in line instead (offered as places
 * free). Sessions the person already holds are kept as they are. One email
 * lists every session (a copy to the lead who booked).
 */
int prog_book_series(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		     int64_t person_id, bool wait, const char *base_url, int64_t now, json_t *errors,
		     struct prog_series_booked *out) WUR;
/*
 * Cancel person_id's booking (or offer, or place in line) on session s: the
 * person, their school's lead, a facilitator or a coordinator, up to the
 * start. A freed place is offered at once to the first in line who fits the
 * per-school limit. ERR_NOTFOUND when they hold nothing; ERR_CONFLICT with
 * errors once the session has started.
 */
int prog_cancel(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		const struct prog_course *c, const struct prog_session *s, int64_t person_id,
		const char *base_url, int64_t now, json_t *errors) WUR;
/*
 * Offer freed places of session s to the waiting list, inside the caller's
 * transaction: while a place is free, the first person in line whose school
 * is under the per-school limit gets it, held until the network's offer
 * time has passed or booking closes, whichever is first, with an email
 * carrying accept and decline links. *offered (may be NULL) gets how many.
 */
int prog_offer_places(struct db *db, struct arena *a, const struct prog_session *s, const char *base_url,
		      int64_t now, int *offered) WUR;
/* An offer as its link shows it (strings in the arena). */
struct prog_offer {
	int64_t booking_id;      /* booking.id */
	int64_t person_id;       /* whom it is for */
	int64_t session_id;      /* the session */
	const char *status;      /* the booking's status now ("offered" while it is open) */
	int64_t expires;         /* when the offer ends, 0 once it is no longer open */
	const char *course;      /* the course's title */
	const char *network_slug; /* the network's slug */
	int64_t starts, ends;    /* the session's times */
};
/* The offer behind a link's token. ERR_NOTFOUND for an unknown token. */
int prog_offer_find(struct db *db, struct arena *a, const char *token, struct prog_offer *out) WUR;
/*
 * Accept (or decline) the offer behind token as person_id. ERR_NOTFOUND
 * (unknown token), ERR_FORBIDDEN (someone else's offer), ERR_CONFLICT with
 * errors (already answered, expired, session started). Declining passes the
 * place to the next in line.
 */
int prog_offer_answer(struct db *db, struct arena *a, int64_t person_id, const char *token, bool accept,
		      const char *base_url, int64_t now, json_t *errors) WUR;
/*
 * Pass on every offer that has run out at now: the place goes to the next
 * person in line (the offers job, and each booking on the session). *passed
 * (may be NULL) gets how many expired.
 */
int prog_offers_expire(struct db *db, struct arena *a, const char *base_url, int64_t now, int *passed) WUR;
/* Person id's waiting-list position on session id (1 is next), 0 when not waiting. */
int64_t prog_waiting_position(struct db *db, int64_t session_id, int64_t person_id);

/* ---- attendance.c: the register and self check-in ------------------- */

struct buf;

/* One mark of the register. */
struct prog_mark {
	int64_t person_id; /* who */
	const char *value; /* "present", "late" or "absent" */
};
/*
 * The register of session s (facilitators and coordinators): {register:
 * [{person_id, name, school_name, attendance, checked_in}], checkin_code,
 * present, late, absent, booked, open}. New object in *out.
 */
int prog_register_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		       int64_t now, json_t **out) WUR;
/*
 * Record marks of the register, all or none: from an hour before the start
 * (ERR_CONFLICT before then), each for a person with a place (ERR_INVALID).
 */
int prog_register_save(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		       const struct prog_mark *marks, size_t n, int64_t now, json_t *errors) WUR;
/*
 * acc's person checks in to session s with its code: present, or late ten
 * minutes after the start. ERR_CONFLICT (no place, too early, ended) or
 * ERR_INVALID (wrong code) with errors["code"]. Checking in twice is a no-op.
 */
int prog_checkin(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		 const char *code, int64_t now, json_t *errors) WUR;
/* The register of session s of course c as CSV (a header row, then one row a place) appended to out. */
int prog_register_csv(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		      const struct prog_session *s, struct buf *out) WUR;
/* The register as an XLSX workbook (one sheet: the course, the session, then a row a place) appended to out. */
int prog_register_xlsx(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		       const struct prog_session *s, struct buf *out) WUR;
/* Append one CSV row of n fields (RFC 4180; formulas made inert) to b. */
void prog_csv_row(struct buf *b, const char *const *fields, size_t n);

/* ---- reminders.c ------------------------------------------------------ */

/*
 * Queue the reminders due at now, in one transaction: attendees the
 * network's number of days before a session, facilitators on the day.
 * *sent gets how many emails. 0 or the store's error.
 */
int prog_reminders_run(struct db *db, struct arena *a, const char *base_url, int64_t now, int *sent) WUR;

/* ---- feedback.c: the survey after a session --------------------------- */

/* Days the survey stays open after a session ends. */
#define PROG_FEEDBACK_DAYS 14

/* The most questions a survey asks, and the most characters of one. */
#define PROG_QUESTIONS_MAX 12
#define PROG_QUESTION_MAX 300

/* One question of a network's survey (questions.c). */
struct prog_question {
	int64_t number;   /* what answers point at (feedback_answer.question): 0-4 the defaults, from 10 the network's own */
	const char *key;  /* the form field is "q_" + key: the default's word ("useful"), or the number ("12") */
	bool scale;       /* a 1-5 scale (else free text) */
	int level;        /* the Guskey level it evaluates, 1-5 */
	const char *text; /* the question */
	bool retired;     /* no longer asked; its answers are kept and shown */
};
/* The default questions (Guskey's levels), numbers 0 to 4, ending with {.key = NULL}. */
extern const struct prog_question prog_default_questions[];
/* The kinds of question, "scale" and "text", NULL-terminated. */
extern const char *const prog_question_kinds[];
/* "1. Reactions: what people thought of it" for level 1, and so on; "" out of range. */
const char *prog_question_level_label(int64_t level);
/*
 * The network's questions in survey order (the defaults when it has not
 * changed them), the retired ones too when retired_too: an arena array in
 * *out, its length in *n. 0 or the store's error.
 */
int prog_questions_load(struct db *db, struct arena *a, int64_t network_id, bool retired_too,
			struct prog_question **out, size_t *n) WUR;
/*
 * The questions page for coordinators and the steering group: {questions
 * (asked, in order, each {number, key, kind, scale, level, level_label, text,
 * answers, first, last, only}), retired, levels, most, full}. New object in *out.
 */
int prog_questions_json(struct db *db, struct arena *a, const struct prog_access *acc, json_t **out) WUR;
/* What is typed into the question form (strings borrowed). */
struct prog_question_in {
	const char *text; /* the question, 3-300 characters */
	const char *kind; /* "scale" or "text" */
	int64_t level;    /* Guskey's level, 1-5 */
};
/* Add a question at the end of the survey. ERR_INVALID / ERR_CONFLICT (already 12) with errors. */
int prog_question_add(struct db *db, struct arena *a, const struct prog_access *acc,
		      const struct prog_question_in *in, int64_t now, json_t *errors) WUR;
/* Reword question number, or change its level or kind (not the kind of one people have answered). */
int prog_question_edit(struct db *db, struct arena *a, const struct prog_access *acc, int64_t number,
		       const struct prog_question_in *in, int64_t now, json_t *errors) WUR;
/* Retire question number (never the last one asked), or bring it back (retire false). ERR_CONFLICT with errors. */
int prog_question_retire(struct db *db, struct arena *a, const struct prog_access *acc, int64_t number, bool retire,
			 int64_t now, json_t *errors) WUR;
/* Move question number one place up or down the survey (nothing when it is already first or last). */
int prog_question_move(struct db *db, struct arena *a, const struct prog_access *acc, int64_t number, bool up,
		       int64_t now, json_t *errors) WUR;
/* One answer, in the order of the questions asked. */
struct prog_answer {
	int64_t scale;    /* 1-5 for a scale question, 0 when none was given */
	const char *text; /* free text, may be NULL */
};
/*
 * The survey for acc's person on session s: {questions, attended, given,
 * open, ended, opens_when, closes_when, anonymous}. New object in *out.
 */
int prog_feedback_form(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		       int64_t now, json_t **out) WUR;
/*
 * Record acc's person's answers to the n questions qs asks (one per
 * attendee, marked present or late, between the end and PROG_FEEDBACK_DAYS
 * after; anonymous when the network says so). Scale questions need 1-5. ERR_CONFLICT or ERR_INVALID with errors.
 */
int prog_feedback_submit(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
			 const struct prog_question *qs, const struct prog_answer *answers, size_t n, int64_t now,
			 json_t *errors) WUR;
/*
 * Results of a session (session_id) or all a course's sessions (course_id),
 * for facilitators and coordinators: {answers, shown, minimum, questions:
 * [{key, text, scale, level_label, retired, average, counts, comments}]}, empty
 * under 3 answers; retired questions show when they have answers.
 */
int prog_feedback_results(struct db *db, struct arena *a, const struct prog_access *acc, int64_t session_id,
			  int64_t course_id, json_t **out) WUR;
/* Email the survey's link to the attendees of sessions that have ended, once a session (the job). */
int prog_feedback_invite(struct db *db, struct arena *a, const char *base_url, int64_t now, int *sent) WUR;

/* ---- certificate.c: certificates of attendance ----------------------- */

/*
 * Certificates of session s as a PDF appended to out: person_id's (their
 * own, or anyone's for facilitators and coordinators), or everyone's marked
 * present when person_id is 0 (facilitators and coordinators). Only places
 * marked present or late: ERR_CONFLICT with errors["certificate"] otherwise.
 * base_url is for the verification link printed on each.
 */
int prog_certificates(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		      const struct prog_course *c, const struct prog_session *s, int64_t person_id,
		      const char *base_url, struct buf *out, json_t *errors) WUR;
/* The certificate with this code, publicly: {genuine, code, name, course, network, day, cpd_hours}; ERR_NOTFOUND. */
int prog_certificate_check(struct db *db, struct arena *a, const char *code, json_t **out) WUR;

/* ---- model.c: the network's programme settings ----------------------- */

/* A network's programme settings. */
struct prog_settings {
	int64_t offer_hours;     /* how long an offer holds a place (1-336) */
	bool feedback_anonymous; /* feedback is stored with no link to the person */
	int64_t reminder_days;   /* days before a session the reminder goes (0-14) */
};
/* The settings as {offer_hours, feedback_anonymous, reminder_days} (coordinators). New object in *out. */
int prog_settings_json(struct db *db, const struct prog_access *acc, json_t **out) WUR;
/* Save the settings (coordinators). */
int prog_settings_save(struct db *db, const struct prog_access *acc, const struct prog_settings *in) WUR;

/* ---- teachmeet.c: presenters and the draw ---------------------------- */

/*
 * The presenters of session s of course c (a TeachMeet or learning lunch,
 * else ERR_NOTFOUND): {slots (not yet drawn), running_order, current,
 * minutes_cap, minutes_used, minutes_left, over, to_draw, can_sign_up,
 * can_draw, kinds}; names for members only. New object in *out.
 */
int prog_teachmeet_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
			const struct prog_session *s, int64_t now, json_t **out) WUR;
/* Sign acc's person up to present (title, kind). ERR_INVALID / ERR_CONFLICT (no time left, twice) with errors. */
int prog_teachmeet_signup(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
			  const struct prog_session *s, const char *title, const char *kind, int64_t now,
			  json_t *errors) WUR;
/* Withdraw slot (one's own, or any for the organisers) before it is drawn. ERR_NOTFOUND, ERR_CONFLICT. */
int prog_teachmeet_withdraw(struct db *db, struct arena *a, const struct prog_access *acc,
			    const struct prog_session *s, int64_t slot, int64_t now) WUR;
/* Draw the next presenter at random from those not yet drawn (organisers). ERR_CONFLICT when none is left. */
int prog_teachmeet_draw(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
			const struct prog_session *s, int64_t now, json_t *errors) WUR;

/* ---- speed.c: speed learning ------------------------------------------ */

/*
 * The rotation of speed-learning session s of course c for rounds rounds
 * (rotation.c; the course's facilitators host, the booked people move):
 * {rounds, hosts, attendees, tables: [{table, host, rounds: [{round,
 * people}]}], schedules: [{person, rounds: [{round, table, host}]}]}; all of
 * it for organisers, one's own schedule for an attendee (ERR_FORBIDDEN for
 * others). ERR_INVALID / ERR_CONFLICT with errors["rounds"] saying why it
 * cannot be planned; ERR_NOTFOUND for another format.
 */
int prog_rotation_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		       const struct prog_session *s, int rounds, json_t **out, json_t *errors) WUR;

/* ---- learning.c: a person's learning record --------------------------- */

/*
 * person_id's learning: bookings to come, waiting-list places and offers,
 * sessions attended (present or late, ended) with hours of CPD this academic
 * year and in all, and sessions they delivered as a facilitator. New object in *out.
 */
int prog_learning_json(struct db *db, struct arena *a, int64_t person_id, int64_t now, json_t **out) WUR;
/* The same as CSV (one row a session) appended to out. */
int prog_learning_csv(struct db *db, struct arena *a, int64_t person_id, int64_t now, struct buf *out) WUR;

#endif
