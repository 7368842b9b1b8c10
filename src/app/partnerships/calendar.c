// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * calendar.c — the private calendar feed (see calendar.h): its token in the
 * store (calendar_token keeps only the SHA-256, looked up through its UNIQUE
 * index), the owner of a token, and the feed built from the meetings and
 * actions of the partnerships policy_ps_calendar lets into it, handed to
 * the iCalendar writer (ical.c). Also the small pure helpers the pages need
 * for the feed's address, unit-tested in tests/unit/test_calendar.c.
 */
#include "app/partnerships/calendar.h"

#include <stdio.h>
#include <string.h>

#include "app/accounts/token.h"
#include "app/partnerships/ical.h"
#include "app/partnerships/ps.h"
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
DB_QUERY(Q_CAL_PARTNERSHIPS,
	 "SELECT partnership_id FROM partnership_school WHERE urn = ? ORDER BY partnership_id DESC LIMIT ?");
/* The latest meetings from `since` on (the caller keeps those of partnerships policy allows). */
DB_QUERY(Q_CAL_MEETINGS,
	 "SELECT m.id, m.partnership_id, m.held_at, m.minutes, m.location, m.attendees, m.notes, m.created_at "
	 "FROM meeting m JOIN partnership_school ps ON ps.partnership_id = m.partnership_id "
	 "WHERE ps.urn = ? AND m.held_at >= ? ORDER BY m.held_at DESC, m.id DESC LIMIT ?");
/* Actions not done, due from `since` on, of partnerships that are not closed. */
DB_QUERY(Q_CAL_ACTIONS,
	 "SELECT a.id, a.partnership_id, a.title, a.due_on, a.owner_person_id, o.name, a.created_at "
	 "FROM action a JOIN partnership_school ps ON ps.partnership_id = a.partnership_id "
	 "JOIN partnership p ON p.id = a.partnership_id LEFT JOIN person o ON o.id = a.owner_person_id "
	 "WHERE ps.urn = ? AND a.done_at IS NULL AND p.state <> 'closed' AND a.due_on >= ? "
	 "ORDER BY a.due_on DESC, a.id DESC LIMIT ?");

/* ---- the token ------------------------------------------------------------ */

int ps_calendar_create(struct db *db, int64_t person_id, char *token)
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

int ps_calendar_revoke(struct db *db, int64_t person_id, bool *revoked)
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

int ps_calendar_get(struct db *db, struct arena *a, int64_t person_id, const char **created_at)
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

int ps_calendar_find(struct db *db, struct arena *a, const char *token, struct user *u)
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

/* A partnership whose events go in the feed. */
struct cal_ps {
	int64_t id;          /* partnership.id */
	const char *title;   /* its title (arena) */
	const char *network; /* its network's name (arena) */
	bool closed;         /* it has closed: its meetings are history */
};

/* The partnerships of u's school that policy lets into u's feed (arena array in *out). */
static int load_partnerships(struct db *db, struct arena *a, const struct user *u, struct cal_ps **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (u->school_urn <= 0)
		return 0;
	struct db_stmt *st = db_stmt(db, &Q_CAL_PARTNERSHIPS);
	if (!st || db_bind_int(st, 1, u->school_urn) || db_bind_int(st, 2, PS_CAL_PARTNERSHIPS_MAX))
		return ERR_DB;
	int64_t *ids = arena_calloc(a, PS_CAL_PARTNERSHIPS_MAX, sizeof(*ids));
	size_t nids = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && nids < PS_CAL_PARTNERSHIPS_MAX)
		ids[nids++] = db_col_int(st, 0);
	db_reset(st);
	if (rc < 0)
		return rc;
	struct cal_ps *list = arena_calloc(a, nids ? nids : 1, sizeof(*list));
	for (size_t i = 0; i < nids; i++) {
		struct partnership p;
		struct ps_access acc;
		rc = ps_open(db, a, u, ids[i], &p, &acc);
		if (rc == ERR_NOTFOUND)
			continue;
		if (rc)
			return rc;
		if (!policy_ps_calendar(&acc))
			continue;
		list[*n] = (struct cal_ps){p.id, p.title, p.network_name, acc.closed};
		(*n)++;
	}
	*out = list;
	return 0;
}

/* The entry of partnership id in list, or NULL when policy kept it out of the feed. */
static const struct cal_ps *find_ps(const struct cal_ps *list, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id == id)
			return &list[i];
	return NULL;
}

/* A column's text, or "" for NULL. */
static const char *col(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return s ? s : "";
}

/* The running page of partnership id, or NULL without a usable base URL. */
static const char *running_url(struct arena *a, const char *link_base, int64_t id)
{
	return link_base ? arena_printf(a, "%s/partnerships/%lld/running", link_base, (long long)id) : NULL;
}

/* "Partnership: Title (Network)", and ", now closed" when it has closed. */
static void describe_ps(struct buf *b, const struct cal_ps *ps)
{
	buf_printf(b, "Partnership: %s (%s)%s", ps->title, ps->network, ps->closed ? ", now closed" : "");
}

/* The meetings of the partnerships in list, from since on (arena array, oldest first). */
static int load_meetings(struct db *db, struct arena *a, const struct user *u, const struct cal_ps *list, size_t n,
			 const char *since, const char *link_base, const char *domain, struct ical_event **out,
			 size_t *count)
{
	*out = arena_calloc(a, PS_CAL_MEETINGS_MAX, sizeof(**out));
	*count = 0;
	struct db_stmt *st = db_stmt(db, &Q_CAL_MEETINGS);
	if (!st || db_bind_int(st, 1, u->school_urn) || db_bind_text(st, 2, since) ||
	    db_bind_int(st, 3, PS_CAL_MEETINGS_MAX))
		return ERR_DB;
	struct ical_event *ev = *out;
	size_t k = 0;
	int rc;
	struct buf d = BUF_INIT;
	while ((rc = db_step(st)) == DB_ROW && k < PS_CAL_MEETINGS_MAX) {
		const struct cal_ps *ps = find_ps(list, n, db_col_int(st, 1));
		int64_t start = ps_parse_time(db_col_text(st, 2)), minutes = db_col_int(st, 3);
		if (!ps || start <= 0 || minutes < 1)
			continue;
		const char *location = col(st, 4), *attendees = col(st, 5), *notes = col(st, 6);
		const char *url = running_url(a, link_base, ps->id);
		buf_reset(&d);
		describe_ps(&d, ps);
		if (*attendees)
			buf_printf(&d, "\nAttendees: %s", attendees);
		if (*notes)
			buf_printf(&d, "\n\nNotes:\n%s", notes);
		if (url)
			buf_printf(&d, "\n\nDetails: %s", url);
		/* Filled from the end: the query gives the latest first, the feed lists oldest first. */
		ev[PS_CAL_MEETINGS_MAX - 1 - k] = (struct ical_event){
			.uid = arena_printf(a, "meeting-%lld@%s", (long long)db_col_int(st, 0), domain),
			.title = arena_printf(a, "Partnership meeting: %s", ps->title),
			.start = start,
			.end = start + minutes * 60,
			.location = *location ? arena_strdup(a, location) : NULL,
			.description = arena_strdup(a, buf_str(&d)),
			.url = url,
			.stamp = ps_parse_time(db_col_text(st, 7)),
		};
		k++;
	}
	buf_free(&d);
	db_reset(st);
	if (rc < 0)
		return rc;
	*out = ev + (PS_CAL_MEETINGS_MAX - k);
	*count = k;
	return 0;
}

/* The due days of the open actions of the partnerships in list (arena array, soonest first). */
static int load_dues(struct db *db, struct arena *a, const struct user *u, const struct cal_ps *list, size_t n,
		     const char *since, const char *link_base, const char *domain, struct ical_due **out, size_t *count)
{
	*out = arena_calloc(a, PS_CAL_DUES_MAX, sizeof(**out));
	*count = 0;
	struct db_stmt *st = db_stmt(db, &Q_CAL_ACTIONS);
	if (!st || db_bind_int(st, 1, u->school_urn) || db_bind_text(st, 2, since) ||
	    db_bind_int(st, 3, PS_CAL_DUES_MAX))
		return ERR_DB;
	struct ical_due *due = *out;
	size_t k = 0;
	int rc;
	struct buf d = BUF_INIT;
	while ((rc = db_step(st)) == DB_ROW && k < PS_CAL_DUES_MAX) {
		const struct cal_ps *ps = find_ps(list, n, db_col_int(st, 1));
		int64_t day = ps_parse_day(db_col_text(st, 3));
		if (!ps || day <= 0)
			continue;
		bool mine = !db_col_is_null(st, 4) && db_col_int(st, 4) == u->id;
		const char *owner = col(st, 5), *url = running_url(a, link_base, ps->id);
		buf_reset(&d);
		buf_printf(&d, "Owner: %s\n", mine ? "you" : *owner ? owner : "nobody yet");
		describe_ps(&d, ps);
		if (url)
			buf_printf(&d, "\n\nDetails: %s", url);
		due[PS_CAL_DUES_MAX - 1 - k] = (struct ical_due){
			.uid = arena_printf(a, "action-%lld@%s", (long long)db_col_int(st, 0), domain),
			.title = arena_printf(a, "%s: %s (%s)", mine ? "Your action due" : "Action due", col(st, 2),
					      ps->title),
			.due = day,
			.description = arena_strdup(a, buf_str(&d)),
			.url = url,
			.stamp = ps_parse_time(db_col_text(st, 6)),
		};
		k++;
	}
	buf_free(&d);
	db_reset(st);
	if (rc < 0)
		return rc;
	*out = due + (PS_CAL_DUES_MAX - k);
	*count = k;
	return 0;
}

int ps_calendar_build(struct db *db, struct arena *a, const struct user *u, const char *base_url, int64_t now,
		      struct buf *out)
{
	struct ical_calendar cal = {.name = "Tandem partnerships", .stamp = now};
	struct cal_ps *list;
	size_t n;
	int rc = load_partnerships(db, a, u, &list, &n);
	if (rc)
		return rc;
	if (n > 0) {
		const char *link_base = ps_calendar_link_base(a, base_url), *domain = ps_calendar_uid_domain(a, base_url);
		char since_time[32], since_day[16];
		clock_format_iso(now - (int64_t)PS_CAL_PAST_DAYS * 86400, since_time, sizeof(since_time));
		clock_format_date(now - (int64_t)PS_CAL_PAST_DAYS * 86400, since_day, sizeof(since_day));
		struct ical_event *events;
		struct ical_due *dues;
		if ((rc = load_meetings(db, a, u, list, n, since_time, link_base, domain, &events, &cal.n_events)))
			return rc;
		if ((rc = load_dues(db, a, u, list, n, since_day, link_base, domain, &dues, &cal.n_dues)))
			return rc;
		cal.events = events;
		cal.dues = dues;
	}
	rc = ical_write(out, &cal);
	if (rc)
		log_error("calendar: the feed of person %lld could not be written (%s)", (long long)u->id, err_str(rc));
	return rc;
}

/* ---- pure helpers --------------------------------------------------------- */

const char *ps_calendar_token_of(struct arena *a, const char *segment)
{
	if (!segment || !str_ends_with(segment, PS_CAL_SUFFIX))
		return NULL;
	const char *token = arena_strndup(a, segment, strlen(segment) - strlen(PS_CAL_SUFFIX));
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

const char *ps_calendar_uid_domain(struct arena *a, const char *base_url)
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

const char *ps_calendar_link_base(struct arena *a, const char *base_url)
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

const char *ps_calendar_feed_url(struct arena *a, const char *base_url, const char *host, const char *token,
				 const char **webcal)
{
	const char *site = "";
	*webcal = NULL;
	if (base_url && *base_url)
		site = strip_slashes(a, base_url);
	else if (host_ok(host))
		site = arena_printf(a, "http://%s", host);
	const char *url = arena_printf(a, "%s/calendar/%s%s", site, token, PS_CAL_SUFFIX);
	const char *rest = after_scheme(url);
	if (rest)
		*webcal = arena_printf(a, "webcal://%s", rest);
	return url;
}
