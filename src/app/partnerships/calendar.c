// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * calendar.c — the partnerships' part of a person's calendar feed (a
 * calendar_source, see app/calendar/calendar.h; app.c lists it).
 *
 * What it adds (policy_ps_calendar decides which partnerships): the
 * meetings of every partnership the person's school is a partner in, in any
 * state (a closed partnership's meetings are its history), from a year back
 * onward, oldest first; and the due days of the actions not yet done of
 * those that are not closed (nothing is due once a partnership has closed),
 * soonest first. The person's own actions say so in their summary. At most
 * PS_CAL_MEETINGS_MAX meetings and PS_CAL_DUES_MAX due dates of at most
 * PS_CAL_PARTNERSHIPS_MAX partnerships, the latest kept: a feed stays a size
 * calendar apps fetch every hour, and the pages hold the rest.
 */
#include <stdio.h>
#include <string.h>

#include "app/calendar/calendar.h"
#include "app/partnerships/partnerships.h"
#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "db/db.h"

/* Most meetings, due dates and partnerships one feed holds. */
#define PS_CAL_MEETINGS_MAX 300
#define PS_CAL_DUES_MAX 200
#define PS_CAL_PARTNERSHIPS_MAX 200

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

/*
 * Add the meetings of the partnerships in list, from since on, oldest first
 * (the query gives the latest PS_CAL_MEETINGS_MAX first).
 */
static int add_meetings(struct db *db, struct calendar_feed *f, const struct cal_ps *list, size_t n,
			const char *since)
{
	struct arena *a = f->a;
	struct db_stmt *st = db_stmt(db, &Q_CAL_MEETINGS);
	if (!st || db_bind_int(st, 1, f->u->school_urn) || db_bind_text(st, 2, since) ||
	    db_bind_int(st, 3, PS_CAL_MEETINGS_MAX))
		return ERR_DB;
	struct ical_event *ev = arena_calloc(a, PS_CAL_MEETINGS_MAX, sizeof(*ev));
	size_t k = 0;
	int rc;
	struct buf d = BUF_INIT;
	while ((rc = db_step(st)) == DB_ROW && k < PS_CAL_MEETINGS_MAX) {
		const struct cal_ps *ps = find_ps(list, n, db_col_int(st, 1));
		int64_t start = ps_parse_time(db_col_text(st, 2)), minutes = db_col_int(st, 3);
		if (!ps || start <= 0 || minutes < 1)
			continue;
		const char *location = col(st, 4), *attendees = col(st, 5), *notes = col(st, 6);
		const char *url = running_url(a, f->link_base, ps->id);
		buf_reset(&d);
		describe_ps(&d, ps);
		if (*attendees)
			buf_printf(&d, "\nAttendees: %s", attendees);
		if (*notes)
			buf_printf(&d, "\n\nNotes:\n%s", notes);
		if (url)
			buf_printf(&d, "\n\nDetails: %s", url);
		ev[k++] = (struct ical_event){
			.uid = arena_printf(a, "meeting-%lld@%s", (long long)db_col_int(st, 0), f->uid_domain),
			.title = arena_printf(a, "Partnership meeting: %s", ps->title),
			.start = start,
			.end = start + minutes * 60,
			.location = *location ? arena_strdup(a, location) : NULL,
			.description = arena_strdup(a, buf_str(&d)),
			.url = url,
			.stamp = ps_parse_time(db_col_text(st, 7)),
		};
	}
	buf_free(&d);
	db_reset(st);
	if (rc < 0)
		return rc;
	while (k > 0)
		calendar_add_event(f, &ev[--k]);
	return 0;
}

/*
 * Add the due days of the open actions of the partnerships in list, from
 * since on, soonest first (the query gives the latest PS_CAL_DUES_MAX first).
 */
static int add_dues(struct db *db, struct calendar_feed *f, const struct cal_ps *list, size_t n, const char *since)
{
	struct arena *a = f->a;
	const struct user *u = f->u;
	struct db_stmt *st = db_stmt(db, &Q_CAL_ACTIONS);
	if (!st || db_bind_int(st, 1, u->school_urn) || db_bind_text(st, 2, since) ||
	    db_bind_int(st, 3, PS_CAL_DUES_MAX))
		return ERR_DB;
	struct ical_due *due = arena_calloc(a, PS_CAL_DUES_MAX, sizeof(*due));
	size_t k = 0;
	int rc;
	struct buf d = BUF_INIT;
	while ((rc = db_step(st)) == DB_ROW && k < PS_CAL_DUES_MAX) {
		const struct cal_ps *ps = find_ps(list, n, db_col_int(st, 1));
		int64_t day = ps_parse_day(db_col_text(st, 3));
		if (!ps || day <= 0)
			continue;
		bool mine = !db_col_is_null(st, 4) && db_col_int(st, 4) == u->id;
		const char *owner = col(st, 5), *url = running_url(a, f->link_base, ps->id);
		buf_reset(&d);
		buf_printf(&d, "Owner: %s\n", mine ? "you" : *owner ? owner : "nobody yet");
		describe_ps(&d, ps);
		if (url)
			buf_printf(&d, "\n\nDetails: %s", url);
		due[k++] = (struct ical_due){
			.uid = arena_printf(a, "action-%lld@%s", (long long)db_col_int(st, 0), f->uid_domain),
			.title = arena_printf(a, "%s: %s (%s)", mine ? "Your action due" : "Action due", col(st, 2),
					      ps->title),
			.due = day,
			.description = arena_strdup(a, buf_str(&d)),
			.url = url,
			.stamp = ps_parse_time(db_col_text(st, 6)),
		};
	}
	buf_free(&d);
	db_reset(st);
	if (rc < 0)
		return rc;
	while (k > 0)
		calendar_add_due(f, &due[--k]);
	return 0;
}

int ps_calendar_add(struct db *db, struct calendar_feed *f)
{
	struct cal_ps *list;
	size_t n;
	int rc = load_partnerships(db, f->a, f->u, &list, &n);
	if (rc || n == 0)
		return rc;
	char since_time[32], since_day[16];
	clock_format_iso(f->since, since_time, sizeof(since_time));
	clock_format_date(f->since, since_day, sizeof(since_day));
	if ((rc = add_meetings(db, f, list, n, since_time)))
		return rc;
	return add_dues(db, f, list, n, since_day);
}

int ps_calendar_count(struct db *db, const struct user *u, int64_t *n)
{
	json_t *mine = ps_list_mine(db, u);
	*n = (int64_t)json_array_size(mine);
	json_decref(mine);
	return mine ? 0 : ERR_DB;
}
