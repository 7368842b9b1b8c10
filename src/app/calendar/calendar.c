// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * calendar.c — the private calendar feed (see calendar.h): its token in the
 * store (calendar_token keeps only the SHA-256, looked up through its UNIQUE
 * index), the owner of a token, and the feed: each registered source adds
 * its events to a growing list, handed then to the iCalendar writer
 * (ical.c). Also the small pure helpers the pages need for the feed's
 * address, unit-tested in tests/unit/test_calendar.c.
 */
#include "app/calendar/calendar.h"

#include <stdio.h>
#include <string.h>

#include "app/accounts/accounts.h"
#include "app/accounts/token.h"
#include "app/calendar/ical.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_CAL_UPSERT,
	 "INSERT INTO calendar_token (person_id, token_hash, created_at) VALUES (?, ?, ?) "
	 "ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at");
DB_QUERY(Q_CAL_DELETE, "DELETE FROM calendar_token WHERE person_id = ?");
DB_QUERY(Q_CAL_GET, "SELECT created_at FROM calendar_token WHERE person_id = ?");
DB_QUERY(Q_CAL_FIND,
	 "SELECT p.id, p.name, p.school_urn, p.school_role, p.is_admin FROM calendar_token c "
	 "JOIN person p ON p.id = c.person_id WHERE c.token_hash = ?");
/* ---- the token ------------------------------------------------------------ */

int calendar_create(struct db *db, int64_t person_id, char *token)
{
	char hash[TOKEN_HASH_BUFSZ], now[32];
	token_new(token);
	token_hash(token, hash);
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_CAL_UPSERT);
	if (!st || db_bind_int(st, 1, person_id) || db_bind_text(st, 2, hash) || db_bind_text(st, 3, now))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int calendar_revoke(struct db *db, int64_t person_id, bool *revoked)
{
	*revoked = false;
	struct db_stmt *st = db_stmt(db, &Q_CAL_DELETE);
	if (!st || db_bind_int(st, 1, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	*revoked = db_changes(db) > 0;
	return 0;
}

int calendar_get(struct db *db, struct arena *a, int64_t person_id, const char **created_at)
{
	*created_at = NULL;
	struct db_stmt *st = db_stmt(db, &Q_CAL_GET);
	if (!st || db_bind_int(st, 1, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*created_at = arena_strdup(a, db_col_text(st, 0) ? db_col_text(st, 0) : "");
	db_reset(st);
	if (rc < 0)
		return rc;
	return *created_at ? 0 : ERR_NOTFOUND;
}

int calendar_find(struct db *db, struct arena *a, const char *token, struct user *u)
{
	memset(u, 0, sizeof(*u));
	if (!token_well_formed(token, NULL))
		return ERR_NOTFOUND;
	char hash[TOKEN_HASH_BUFSZ];
	token_hash(token, hash);
	struct db_stmt *st = db_stmt(db, &Q_CAL_FIND);
	if (!st || db_bind_text(st, 1, hash))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	u->id = db_col_int(st, 0);
	u->name = arena_strdup(a, db_col_text(st, 1) ? db_col_text(st, 1) : "");
	u->school_urn = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
	enum school_role role = SCHOOL_ROLE_NONE;
	if (school_role_parse(db_col_text(st, 3), &role))
		role = SCHOOL_ROLE_NONE; /* the table's CHECK makes this unreachable */
	u->role = role;
	u->is_admin = db_col_int(st, 4) != 0;
	db_reset(st);
	return 0;
}

/* ---- the feed ------------------------------------------------------------- */

void calendar_add_event(struct calendar_feed *f, const struct ical_event *e)
{
	f->events = arena_grow(f->a, f->events, f->n_events, &f->cap_events, sizeof(*f->events));
	f->events[f->n_events++] = *e;
}

void calendar_add_due(struct calendar_feed *f, const struct ical_due *d)
{
	f->dues = arena_grow(f->a, f->dues, f->n_dues, &f->cap_dues, sizeof(*f->dues));
	f->dues[f->n_dues++] = *d;
}

int calendar_build(struct db *db, struct arena *a, const struct user *u, const char *base_url, int64_t now,
		   struct buf *out)
{
	struct calendar_feed f = {
		.a = a,
		.u = u,
		.now = now,
		.since = now - (int64_t)CALENDAR_PAST_DAYS * 86400,
		.link_base = calendar_link_base(a, base_url),
		.uid_domain = calendar_uid_domain(a, base_url),
	};
	for (const struct calendar_source *s = calendar_sources; s->name; s++) {
		int rc = s->add(db, &f);
		if (rc) {
			log_error("calendar: the %s of person %lld could not be read (%s)", s->name, (long long)u->id,
				  err_str(rc));
			return rc;
		}
	}
	/* The name calendar apps show for the subscription. */
	struct ical_calendar cal = {
		.name = "Tandem partnerships",
		.stamp = now,
		.events = f.events,
		.n_events = f.n_events,
		.dues = f.dues,
		.n_dues = f.n_dues,
	};
	int rc = ical_write(out, &cal);
	if (rc)
		log_error("calendar: the feed of person %lld could not be written (%s)", (long long)u->id, err_str(rc));
	return rc;
}

/* ---- pure helpers --------------------------------------------------------- */

const char *calendar_token_of(struct arena *a, const char *segment)
{
	if (!segment || !str_ends_with(segment, CALENDAR_SUFFIX))
		return NULL;
	const char *token = arena_strndup(a, segment, strlen(segment) - strlen(CALENDAR_SUFFIX));
	return token_well_formed(token, NULL) ? token : NULL;
}

/* The scheme-less rest of an http(s) URL, or NULL. */
static const char *after_scheme(const char *url)
{
	if (!url)
		return NULL;
	if (str_starts_with(url, "https://"))
		return url + 8;
	if (str_starts_with(url, "http://"))
		return url + 7;
	return NULL;
}

const char *calendar_uid_domain(struct arena *a, const char *base_url)
{
	const char *rest = after_scheme(base_url);
	if (!rest)
		return "tandem";
	size_t n = strcspn(rest, "/?#:");
	if (n == 0 || memchr(rest, '@', n))
		return "tandem";
	char *host = str_lower(a, arena_strndup(a, rest, n));
	for (const char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return "tandem";
	return host;
}

/* Printable ASCII without spaces: what an iCalendar URI value may hold as it is. */
static bool uri_chars_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* s without trailing slashes (arena). */
static char *strip_slashes(struct arena *a, const char *s)
{
	char *c = arena_strdup(a, s);
	size_t n = strlen(c);
	while (n && c[n - 1] == '/')
		c[--n] = '\0';
	return c;
}

const char *calendar_link_base(struct arena *a, const char *base_url)
{
	const char *rest = after_scheme(base_url);
	if (!rest || !*rest || *rest == '/' || !uri_chars_ok(base_url))
		return NULL;
	return strip_slashes(a, base_url);
}

/* A Host header we are willing to put in a link: letters, digits, '-', '.', ':', '[' and ']'. */
static bool host_ok(const char *h)
{
	if (!h || !*h || strlen(h) > 255)
		return false;
	for (; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') || (*h >= '0' && *h <= '9') || *h == '-' ||
		      *h == '.' || *h == ':' || *h == '[' || *h == ']'))
			return false;
	return true;
}

const char *calendar_feed_url(struct arena *a, const char *base_url, const char *host, const char *token,
				 const char **webcal)
{
	const char *site = "";
	*webcal = NULL;
	if (base_url && *base_url)
		site = strip_slashes(a, base_url);
	else if (host_ok(host))
		site = arena_printf(a, "http://%s", host);
	const char *url = arena_printf(a, "%s/calendar/%s%s", site, token, CALENDAR_SUFFIX);
	const char *rest = after_scheme(url);
	if (rest)
		*webcal = arena_printf(a, "webcal://%s", rest);
	return url;
}
