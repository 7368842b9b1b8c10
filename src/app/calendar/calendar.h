// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * calendar.h — a person's private calendar feed, which any capability adds
 * its events to: the secret link (make, replace, turn off, look up), the
 * registration point for the capabilities' events, and the feed built from
 * them and written by the iCalendar writer (ical.h).
 *
 * The link is /calendar/TOKEN.ics, TOKEN being 256 random bits
 * (accounts/token.h). Only its SHA-256 is stored (calendar_token, one row a
 * person), so the full link can be shown once, when it is made; making a new
 * one replaces the old, which stops working at once. The feed is worked out
 * afresh at every fetch from the person's current school and role, so it
 * follows them when they move school and empties when they leave one.
 *
 * What the feed holds is up to the capabilities: each lists a struct
 * calendar_source in calendar_sources (app.c), whose add function puts the
 * person's events into the feed with calendar_add_event and
 * calendar_add_due (partnerships: meetings and the due days of open
 * actions; see partnerships/calendar.c). The feed lists them in the order
 * the sources are listed and each adds them. A source bounds what it adds
 * (and says so) so that a feed stays a size a calendar app will fetch.
 */
#ifndef TANDEM_APP_CALENDAR_CALENDAR_H
#define TANDEM_APP_CALENDAR_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/calendar/ical.h"
#include "core/err.h"
#include "http/http.h"

struct arena;
struct buf;
struct db;
struct user;

/* The end of the feed's path segment: TOKEN.ics. */
#define CALENDAR_SUFFIX ".ics"
/* How far back sources reach, in days (a year of history). */
#define CALENDAR_PAST_DAYS 365

/* A feed being built: what sources read, and the events they have added. */
struct calendar_feed {
	struct arena *a;         /* the request arena: event strings must live at least this long */
	const struct user *u;    /* whose feed it is (id, school, role; no email) */
	int64_t now;             /* the time of the fetch */
	int64_t since;           /* now less CALENDAR_PAST_DAYS: older events stay out */
	const char *link_base;   /* base of links back to the pages ("https://host"), or NULL: no links */
	const char *uid_domain;  /* what every UID ends with after '@' ("tandem.example.org") */
	struct ical_event *events; /* added so far (arena), n_events of them in room for cap_events */
	size_t n_events, cap_events;
	struct ical_due *dues;   /* added so far (arena), n_dues of them in room for cap_dues */
	size_t n_dues, cap_dues;
};

/* Add a timed event to the feed (the struct is copied; its strings are borrowed and must live in f->a). */
void calendar_add_event(struct calendar_feed *f, const struct ical_event *e);
/* Add a due date to the feed, as calendar_add_event. */
void calendar_add_due(struct calendar_feed *f, const struct ical_due *d);

/* A capability's part of the feed. */
struct calendar_source {
	/* Its name, also the model keys of the feed's page: "partnerships" (a count) and "has_partnerships". */
	const char *name;
	/* Add f->u's events to f. Returns 0 or a negative error (ERR_DB), which fails the whole feed. */
	int (*add)(struct db *db, struct calendar_feed *f);
	/* How many things of this capability feed u's calendar (the page says when there are none): 0 or ERR_DB. */
	int (*count)(struct db *db, const struct user *u, int64_t *n);
};

/* Every capability's part of the feed, ending with {NULL} (app.c). */
extern const struct calendar_source calendar_sources[];

/*
 * Make a new feed token for person_id, replacing any old one (whose link
 * stops working). The token is written to token (TOKEN_BUFSZ bytes, see
 * accounts/token.h); only its hash is stored. Returns 0 or ERR_DB.
 */
int calendar_create(struct db *db, int64_t person_id, char *token) WUR;
/* Turn off person_id's feed. *revoked tells whether there was one. 0 or ERR_DB. */
int calendar_revoke(struct db *db, int64_t person_id, bool *revoked) WUR;
/*
 * Whether person_id has a feed: 0 with *created_at (arena, when the link
 * was made, "YYYY-MM-DDTHH:MM:SSZ"), ERR_NOTFOUND when not, or ERR_DB.
 */
int calendar_get(struct db *db, struct arena *a, int64_t person_id, const char **created_at) WUR;
/*
 * The owner of a feed token: fills u (id, name, school, role, is_admin;
 * strings in a; no email, session or CSRF token). ERR_NOTFOUND for a
 * malformed, unknown or revoked token alike; ERR_DB.
 */
int calendar_find(struct db *db, struct arena *a, const char *token, struct user *u) WUR;
/*
 * Append u's feed at time now to out as iCalendar text: every source's
 * events. Links in it start with base_url (TANDEM_BASE_URL; none when empty
 * or unusable), and UIDs end with its host ("meeting-42@tandem.example.org").
 * A person no source has anything for gets a valid empty calendar. Returns
 * 0, ERR_DB, or ERR_INVALID when the writer refused what the store held
 * (text that is not UTF-8); out is unchanged on error.
 */
int calendar_build(struct db *db, struct arena *a, const struct user *u, const char *base_url, int64_t now,
		   struct buf *out) WUR;

/* Route table: /calendar (the feed's page) and /calendar/TOKEN.ics (the feed; pages.c). */
extern const struct route calendar_routes[];

/* ---- pure helpers (tests/unit/test_calendar.c) ---------------------------- */

/* The token in a feed path segment "TOKEN.ics" (arena), or NULL when the segment is not one. */
const char *calendar_token_of(struct arena *a, const char *segment);
/* The host of base_url for UIDs, lower case without port ("tandem.example.org"), or "tandem" (arena). */
const char *calendar_uid_domain(struct arena *a, const char *base_url);
/*
 * base_url without trailing slashes when it is an absolute http(s) URL that
 * an iCalendar URL property may hold (printable ASCII, no spaces), else NULL
 * (arena).
 */
const char *calendar_link_base(struct arena *a, const char *base_url);
/*
 * The feed's address to show the person: base_url when set (trailing
 * slashes dropped), else http:// and the Host the browser used when it looks
 * like a host name, else a path from the root; then /calendar/TOKEN.ics
 * (arena). *webcal gets the same with webcal:// (which opens a calendar app
 * to subscribe), or NULL when the address is not absolute.
 */
const char *calendar_feed_url(struct arena *a, const char *base_url, const char *host, const char *token,
			      const char **webcal);

#endif
