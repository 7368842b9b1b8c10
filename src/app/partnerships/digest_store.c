// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * digest_store.c — the weekly digest from the store: who gets one (the lead
 * of each partner school of an active partnership, and its named keeper,
 * while they are still at one of its partner schools), what it says (each
 * of their active partnerships with its health now, the changes the sweep
 * recorded since their last digest — or in the last week when they never
 * had one — and the actions past their due day), and when (at most once a
 * week, health_digest_due, and only with news, digest.h). The text comes
 * from digest_compose; the message goes to the outbox and digest_sent
 * remembers when. ps_digest_run puts the sweep and the digest together for
 * `tandem digest` and the background thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/mail/mail.h"
#include "app/partnerships/digest.h"
#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

/* Everyone who may be owed a digest, with when they last had one. */
DB_QUERY(Q_DG_PEOPLE,
	 "SELECT per.id, per.email, per.name, per.school_urn, d.sent_at FROM person per "
	 "LEFT JOIN digest_sent d ON d.person_id = per.id WHERE per.school_urn IS NOT NULL AND EXISTS ("
	 "SELECT 1 FROM partnership p JOIN partnership_school ps ON ps.partnership_id = p.id "
	 "WHERE p.state = 'active' AND ps.urn = per.school_urn "
	 "AND (ps.lead_person_id = per.id OR p.keeper_person_id = per.id)) ORDER BY per.id");
/* The active partnerships person ?1 (of school ?2) leads a partner school of, or keeps going. */
DB_QUERY(Q_DG_PARTNERSHIPS,
	 "SELECT DISTINCT p.id, p.title FROM partnership p JOIN partnership_school ps ON ps.partnership_id = p.id "
	 "WHERE p.state = 'active' AND ps.urn = ?2 AND (ps.lead_person_id = ?1 OR p.keeper_person_id = ?1) "
	 "ORDER BY p.title, p.id");
DB_QUERY(Q_DG_CHANGES,
	 "SELECT from_status, to_status, reason, changed_at FROM health_change WHERE partnership_id = ? "
	 "AND changed_at > ? AND changed_at <= ? ORDER BY changed_at, id");
DB_QUERY(Q_DG_ACTIONS,
	 "SELECT a.title, per.name AS owner, a.due_on FROM action a LEFT JOIN person per ON per.id = a.owner_person_id "
	 "WHERE a.partnership_id = ? AND a.done_at IS NULL AND a.due_on < ? ORDER BY a.due_on, a.id");
DB_QUERY(Q_DG_SENT,
	 "INSERT INTO digest_sent (person_id, sent_at) VALUES (?, ?) "
	 "ON CONFLICT (person_id) DO UPDATE SET sent_at = excluded.sent_at");

/* Rows of q bound to (id, text a, text b) — b may be NULL for two parameters — as a new array; NULL on error. */
static json_t *rows3(struct db *db, const struct db_query *q, int64_t id, const char *a, const char *b)
{
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, id) || db_bind_text(st, 2, a) || (b && db_bind_text(st, 3, b)))
		return NULL;
	return db_rows_json(st);
}

/* A string column of a row, copied into the arena ("" when absent). */
static const char *str_of(struct arena *a, json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	return arena_strdup(a, s ? s : "");
}

/*
 * Fill dp with partnership id's health at now, its changes after `after`
 * (ISO text) up to now and its actions due before the day of now and not
 * done. Strings and arrays live in a. ERR_INVALID when its health cannot be
 * worked out (odd data), ERR_DB.
 */
static int load_partnership(struct db *db, struct arena *a, const char *base_url, int64_t id, const char *title,
			    const char *after, int64_t now, struct digest_partnership *dp)
{
	memset(dp, 0, sizeof(*dp));
	struct partnership p = {.id = id};
	struct health_result h;
	int rc = ps_health(db, &p, now, &h);
	if (rc)
		return rc;
	dp->title = arena_strdup(a, title);
	dp->url = arena_printf(a, "%s/partnerships/%lld/running", base_url, (long long)id);
	dp->status = h.status;
	dp->reason = arena_strdup(a, h.reason);

	char nows[32], today[16];
	clock_format_iso(now, nows, sizeof(nows));
	clock_format_date(now, today, sizeof(today));
	json_t *changes = rows3(db, &Q_DG_CHANGES, id, after, nows);
	json_t *actions = changes ? rows3(db, &Q_DG_ACTIONS, id, today, NULL) : NULL;
	if (!changes || !actions) {
		json_decref(changes);
		return ERR_DB;
	}
	struct digest_change *cs = arena_calloc(a, json_array_size(changes) + 1, sizeof(*cs));
	size_t i;
	json_t *row;
	json_array_foreach(changes, i, row)
	{
		struct digest_change *c = &cs[dp->n_changes];
		if (health_status_parse(json_string_value(json_object_get(row, "from_status")), &c->from) ||
		    health_status_parse(json_string_value(json_object_get(row, "to_status")), &c->to))
			continue;
		c->reason = str_of(a, row, "reason");
		c->changed_at = ps_parse_time(json_string_value(json_object_get(row, "changed_at")));
		dp->n_changes++;
	}
	struct digest_action *as = arena_calloc(a, json_array_size(actions) + 1, sizeof(*as));
	json_array_foreach(actions, i, row)
	{
		struct digest_action *x = &as[dp->n_actions++];
		x->title = str_of(a, row, "title");
		x->owner = str_of(a, row, "owner");
		x->due_on = ps_parse_day(json_string_value(json_object_get(row, "due_on")));
	}
	dp->changes = cs;
	dp->actions = as;
	json_decref(changes);
	json_decref(actions);
	return 0;
}

/* Remember that person id had a digest at `at`. */
static int mark_sent(struct db *db, int64_t id, const char *at)
{
	struct db_stmt *st = db_stmt(db, &Q_DG_SENT);
	if (!st || db_bind_int(st, 1, id) || db_bind_text(st, 2, at))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

/* One person's digest: composed, queued and recorded when due and with news. */
static int digest_person(struct db *db, const char *base_url, int64_t now, bool dry_run, json_t *person,
			 struct ps_digest_report *rep)
{
	int64_t id = json_integer_value(json_object_get(person, "id"));
	int64_t urn = json_integer_value(json_object_get(person, "school_urn"));
	const char *email = json_string_value(json_object_get(person, "email"));
	const char *sent = json_string_value(json_object_get(person, "sent_at"));
	int64_t last = ps_parse_time(sent);
	if (!email || !health_digest_due(last, now))
		return 0;
	char after[32], at[32];
	clock_format_iso(last > 0 ? last : now - HEALTH_DIGEST_INTERVAL, after, sizeof(after));
	clock_format_iso(now, at, sizeof(at));

	struct db_stmt *st = db_stmt(db, &Q_DG_PARTNERSHIPS);
	json_t *ps = st && db_bind_int(st, 1, id) == 0 && db_bind_int(st, 2, urn) == 0 ? db_rows_json(st) : NULL;
	if (!ps)
		return ERR_DB;
	struct arena *a = arena_new();
	struct buf body = BUF_INIT;
	int rc = 0;
	struct digest d = {.name = str_of(a, person, "name")};
	struct digest_partnership *dps = arena_calloc(a, json_array_size(ps) + 1, sizeof(*dps));
	size_t i;
	json_t *row;
	json_array_foreach(ps, i, row)
	{
		int64_t pid = json_integer_value(json_object_get(row, "id"));
		const char *title = json_string_value(json_object_get(row, "title"));
		rc = load_partnership(db, a, base_url, pid, title, after, now, &dps[d.n_partnerships]);
		if (rc == ERR_INVALID) { /* odd data: the sweep has logged it; tell of the others */
			rc = 0;
			continue;
		}
		if (rc)
			goto out;
		d.n_partnerships++;
	}
	d.partnerships = dps;
	if (!digest_has_news(&d))
		goto out;
	digest_compose(&d, now, &body);
	if (!dry_run) {
		rc = mail_queue(db, email, DIGEST_SUBJECT, buf_str(&body));
		if (rc == ERR_INVALID) {
			log_warn("partnerships: the digest for person %lld was refused by the outbox "
				 "(address or text)", (long long)id);
			rc = 0;
			goto out;
		}
		if (rc || (rc = mark_sent(db, id, at)))
			goto out;
	}
	rep->digests++;
	json_array_append_new(rep->messages, json_pack("{s:s, s:s, s:s, s:s, s:I}", "to", email, "name", d.name,
						       "subject", DIGEST_SUBJECT, "body", buf_str(&body),
						       "partnerships", (json_int_t)d.n_partnerships));
out:
	buf_free(&body);
	arena_free(a);
	json_decref(ps);
	return rc;
}

int ps_digest_send_tx(struct db *db, const char *base_url, int64_t now, bool dry_run, struct ps_digest_report *rep)
{
	struct db_stmt *st = db_stmt(db, &Q_DG_PEOPLE);
	json_t *people = st ? db_rows_json(st) : NULL;
	if (!people)
		return ERR_DB;
	/* Links are the base URL plus a path: no trailing slash. */
	size_t n = base_url ? strlen(base_url) : 0;
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	char *base = xstrndup(base_url ? base_url : "", n);
	int rc = 0;
	size_t i;
	json_t *person;
	json_array_foreach(people, i, person)
	{
		if ((rc = digest_person(db, base, now, dry_run, person, rep)))
			break;
	}
	free(base);
	json_decref(people);
	return rc;
}

int ps_digest_run(struct db *db, const char *base_url, int64_t now, bool dry_run, struct ps_digest_report *rep)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	if ((rc = ps_health_sweep_tx(db, now, rep)))
		goto out;
	if (!dry_run) {
		if ((rc = db_commit(db)) || (rc = db_begin(db)))
			goto out;
	}
	if ((rc = ps_digest_send_tx(db, base_url, now, dry_run, rep)))
		goto out;
	if (!dry_run)
		rc = db_commit(db);
out:
	/* A dry run always ends here with its transaction open: roll it back. */
	if (rc || dry_run)
		db_rollback(db);
	return rc;
}
