// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * calendar.h — a person's private calendar feed of partnership meetings and
 * action due dates (issue 5): the secret link (make, replace, turn off,
 * look up), and the feed itself, built from the store and written by the
 * iCalendar writer (ical.h).
 *
 * The link is /calendar/TOKEN.ics, TOKEN being 256 random bits
 * (accounts/token.h). Only its SHA-256 is stored (calendar_token, one row a
 * person), so the full link can be shown once, when it is made; making a new
 * one replaces the old, which stops working at once. The feed is worked out
 * afresh at every fetch from the person's current school and role, so it
 * follows them when they move school and empties when they leave one.
 *
 * What the feed holds (policy_ps_calendar decides which partnerships): the
 * meetings of every partnership the person's school is a partner in, in any
 * state (a closed partnership's meetings are its history), from a year back
 * onward; and the due days of the actions not yet done of those that are
 * not closed (nothing is due once a partnership has closed). The person's
 * own actions say so in their summary. At most PS_CAL_MEETINGS_MAX meetings
 * and PS_CAL_DUES_MAX due dates, the latest kept.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_CALENDAR_H
#define TANDEM_APP_PARTNERSHIPS_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct arena;
struct buf;
struct db;
struct user;

/* How far back the feed reaches, in days. */
#define PS_CAL_PAST_DAYS 365
/* Most meetings, due dates and partnerships one feed holds. */
#define PS_CAL_MEETINGS_MAX 300
#define PS_CAL_DUES_MAX 200
#define PS_CAL_PARTNERSHIPS_MAX 200
/* The end of the feed's path segment: TOKEN.ics. */
#define PS_CAL_SUFFIX ".ics"

/*
 * Make a new feed token for person_id, replacing any old one (whose link
 * stops working). The token is written to token (TOKEN_BUFSZ bytes, see
 * accounts/token.h); only its hash is stored. Returns 0 or ERR_DB.
 */
int ps_calendar_create(struct db *db, int64_t person_id, char *token) WUR;
/* Turn off person_id's feed. *revoked tells whether there was one. 0 or ERR_DB. */
int ps_calendar_revoke(struct db *db, int64_t person_id, bool *revoked) WUR;
/*
 * Whether person_id has a feed: 0 with *created_at (arena, when the link
 * was made, "YYYY-MM-DDTHH:MM:SSZ"), ERR_NOTFOUND when not, or ERR_DB.
 */
int ps_calendar_get(struct db *db, struct arena *a, int64_t person_id, const char **created_at) WUR;
/*
 * The owner of a feed token: fills u (id, name, school, role, is_admin;
 * strings in a; no email, session or CSRF token). ERR_NOTFOUND for a malformed, unknown or
 * revoked token alike; ERR_DB.
 */
int ps_calendar_find(struct db *db, struct arena *a, const char *token, struct user *u) WUR;
/*
 * Append u's feed at time now to out as iCalendar text. Links in it start
 * with base_url (TANDEM_BASE_URL; none when empty or unusable), and UIDs end
 * with its host ("meeting-42@tandem.example.org"). A person without a
 * school, or whose school has no partnerships, gets a valid empty calendar.
 * Returns 0, ERR_DB, or ERR_INVALID when the writer refused what the store
 * held (text that is not UTF-8); out is unchanged on error.
 */
int ps_calendar_build(struct db *db, struct arena *a, const struct user *u, const char *base_url, int64_t now,
		      struct buf *out) WUR;

/* ---- pure helpers (tests/unit/test_calendar.c) ---------------------------- */

/* The token in a feed path segment "TOKEN.ics" (arena), or NULL when the segment is not one. */
const char *ps_calendar_token_of(struct arena *a, const char *segment);
/* The host of base_url for UIDs, lower case without port ("tandem.example.org"), or "tandem" (arena). */
const char *ps_calendar_uid_domain(struct arena *a, const char *base_url);
/*
 * base_url without trailing slashes when it is an absolute http(s) URL that
 * an iCalendar URL property may hold (printable ASCII, no spaces), else NULL
 * (arena).
 */
const char *ps_calendar_link_base(struct arena *a, const char *base_url);
/*
 * The feed's address to show the person: base_url when set (trailing
 * slashes dropped), else http:// and the Host the browser used when it looks
 * like a host name, else a path from the root; then /calendar/TOKEN.ics
 * (arena). *webcal gets the same with webcal:// (which opens a calendar app
 * to subscribe), or NULL when the address is not absolute.
 */
const char *ps_calendar_feed_url(struct arena *a, const char *base_url, const char *host, const char *token,
				 const char **webcal);

#endif
