// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * sweep.c — partnership health over time. The sweep works out every open
 * partnership's health at one moment (health.c through ps_health) and
 * records each change of status, with its reason, in health_change; the
 * partnership keeps its latest status in partnership.health_status, which
 * only this file writes: the sweep, and ps_health_refresh_tx when something
 * is recorded on the running page, so the status people see and the
 * coordinators' lists follow at once (sql/006's comment on that column,
 * "last status the digest reported", predates the sweep; migrations that
 * have landed are not edited). The
 * partnership page reads the history back, and the attention page says
 * since when a partnership has had its status. The weekly digest
 * (digest_store.c) tells people about the changes.
 */
#include <stdio.h>
#include <string.h>

#include "app/partnerships/ps.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

/* Open partnerships, and closed ones whose health the sweep has not yet seen end. */
DB_QUERY(Q_SW_LIST,
	 "SELECT id, title, state, health_status FROM partnership "
	 "WHERE state <> 'closed' OR health_status <> 'not_active' ORDER BY id");
DB_QUERY(Q_SW_CHANGE,
	 "INSERT INTO health_change (partnership_id, from_status, to_status, reason, changed_at) "
	 "VALUES (?, ?, ?, ?, ?)");
DB_QUERY(Q_SW_STATUS, "UPDATE partnership SET health_status = ? WHERE id = ?");
DB_QUERY(Q_SW_ONE, "SELECT id, title, state, health_status FROM partnership WHERE id = ?");
DB_QUERY(Q_SW_HISTORY,
	 "SELECT from_status, to_status, reason, changed_at FROM health_change WHERE partnership_id = ? "
	 "ORDER BY changed_at DESC, id DESC LIMIT ?");

void ps_digest_report_init(struct ps_digest_report *r)
{
	memset(r, 0, sizeof(*r));
	r->changed = json_array();
	r->messages = json_array();
}

void ps_digest_report_free(struct ps_digest_report *r)
{
	json_decref(r->changed);
	json_decref(r->messages);
	memset(r, 0, sizeof(*r));
}

/* Record one change of partnership id from → to (in the caller's transaction). */
static int record_change(struct db *db, int64_t id, enum health_status from, const struct health_result *h,
			 const char *at)
{
	struct db_stmt *st = db_stmt(db, &Q_SW_CHANGE);
	if (!st || db_bind_int(st, 1, id) || db_bind_text(st, 2, health_status_key(from)) ||
	    db_bind_text(st, 3, health_status_key(h->status)) || db_bind_text(st, 4, h->reason) ||
	    db_bind_text(st, 5, at))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	st = db_stmt(db, &Q_SW_STATUS);
	if (!st || db_bind_text(st, 1, health_status_key(h->status)) || db_bind_int(st, 2, id))
		return ERR_DB;
	rc = db_step(st);
	return rc < 0 ? rc : 0;
}

/*
 * Work out the health of the partnership of row {id, title, state,
 * health_status} at now (ISO text at) and record a change of status (in the
 * caller's transaction), adding it to rep when rep is not NULL. Odd data
 * that gives no health is logged and skipped (0).
 */
static int refresh_one(struct db *db, json_t *row, int64_t now, const char *at, struct ps_digest_report *rep)
{
	struct partnership p = {.id = json_integer_value(json_object_get(row, "id"))};
	const char *stored = json_string_value(json_object_get(row, "health_status"));
	enum health_status from = HEALTH_NOT_ACTIVE;
	bool known = health_status_parse(stored, &from) == 0;
	if (!known)
		log_warn("partnerships: partnership %lld had an unknown health status; "
			 "counting it as not active", (long long)p.id);
	struct health_result h;
	int rc = ps_health(db, &p, now, &h);
	if (rc == ERR_INVALID) {
		/* Odd data in one partnership must not stop the others' sweep. */
		log_warn("partnerships: the health of partnership %lld cannot be worked out", (long long)p.id);
		return 0;
	}
	if (rc)
		return rc;
	if (rep)
		rep->checked++;
	if (known && h.status == from)
		return 0;
	if (h.status == from) {
		/* An unknown stored value: put it right without recording a change. */
		struct db_stmt *st = db_stmt(db, &Q_SW_STATUS);
		if (!st || db_bind_text(st, 1, health_status_key(h.status)) || db_bind_int(st, 2, p.id))
			return ERR_DB;
		rc = db_step(st);
		return rc < 0 ? rc : 0;
	}
	/* Closing is the reason a partnership stops being active: say so rather than the general rule. */
	if (h.status == HEALTH_NOT_ACTIVE && str_eq(json_string_value(json_object_get(row, "state")), "closed"))
		snprintf(h.reason, sizeof(h.reason), "The partnership was closed.");
	if ((rc = record_change(db, p.id, from, &h, at)))
		return rc;
	if (!rep)
		return 0;
	rep->changes++;
	json_t *c = json_pack("{s:I, s:O, s:s, s:s, s:s}", "partnership_id", (json_int_t)p.id, "title",
			      json_object_get(row, "title"), "from", health_status_key(from), "to",
			      health_status_key(h.status), "reason", h.reason);
	json_array_append_new(rep->changed, c);
	return 0;
}

int ps_health_sweep_tx(struct db *db, int64_t now, struct ps_digest_report *rep)
{
	/* Read the list first: the loop updates the rows it names. */
	struct db_stmt *st = db_stmt(db, &Q_SW_LIST);
	json_t *rows = st ? db_rows_json(st) : NULL;
	if (!rows)
		return ERR_DB;
	char at[32];
	clock_format_iso(now, at, sizeof(at));
	int rc = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
		if ((rc = refresh_one(db, row, now, at, rep)))
			break;
	json_decref(rows);
	return rc;
}

int ps_health_refresh_tx(struct db *db, int64_t partnership_id, int64_t now)
{
	struct db_stmt *st = db_stmt(db, &Q_SW_ONE);
	if (!st || db_bind_int(st, 1, partnership_id))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	char at[32];
	clock_format_iso(now, at, sizeof(at));
	json_t *row = json_array_get(rows, 0);
	enum health_status stored = HEALTH_NOT_ACTIVE;
	int rc = ERR_NOTFOUND;
	if (row)
		rc = health_status_parse(json_string_value(json_object_get(row, "health_status")), &stored) ||
				     stored == HEALTH_NOT_ACTIVE
			     ? 0 /* becoming active is the sweep's to notice and report */
			     : refresh_one(db, row, now, at, NULL);
	json_decref(rows);
	return rc;
}

/* "15 January 2027" for an ISO time, or "" when it does not parse. */
static json_t *day_of(const char *iso)
{
	int64_t t = ps_parse_time(iso);
	char day[48] = "";
	if (t)
		clock_format_day(t, true, day, sizeof(day));
	return json_string(day);
}

json_t *ps_health_history(struct db *db, int64_t partnership_id, int limit)
{
	struct db_stmt *st = db_stmt(db, &Q_SW_HISTORY);
	json_t *rows = st && db_bind_int(st, 1, partnership_id) == 0 && db_bind_int(st, 2, limit) == 0
			       ? db_rows_json(st)
			       : NULL;
	if (!rows)
		return json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		enum health_status from = HEALTH_NOT_ACTIVE, to = HEALTH_NOT_ACTIVE;
		if (health_status_parse(json_string_value(json_object_get(row, "from_status")), &from) ||
		    health_status_parse(json_string_value(json_object_get(row, "to_status")), &to))
			log_warn("partnerships: a health change of partnership %lld has an unknown status",
				 (long long)partnership_id);
		json_object_set_new(row, "from", json_string(health_status_key(from)));
		json_object_set_new(row, "from_label", json_string(health_status_label(from)));
		json_object_set_new(row, "to", json_string(health_status_key(to)));
		json_object_set_new(row, "to_label", json_string(health_status_label(to)));
		json_object_set_new(row, "changed_on", day_of(json_string_value(json_object_get(row, "changed_at"))));
		json_object_del(row, "from_status");
		json_object_del(row, "to_status");
	}
	return rows;
}

void ps_health_set_since(json_t *hj, const char *last_to, const char *last_at, int64_t now)
{
	const char *now_status = json_string_value(json_object_get(hj, "status"));
	int64_t t = ps_parse_time(last_at);
	if (!last_to || !now_status || !str_eq(last_to, now_status) || t <= 0 || t > now)
		return;
	json_object_set_new(hj, "since", day_of(last_at));
	json_object_set_new(hj, "since_at", json_string(last_at));
}
