// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * audit.c — the audit log of security-relevant events: who (actor), about
 * whom (subject), from which address, what, and a small JSON detail without
 * personal data. Writing never fails the caller (a failure is logged).
 * People are shown by name while they exist and as "deleted person #N"
 * afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/accounts/model.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"

DB_QUERY(Q_AUDIT_INSERT, "INSERT INTO audit_log (at, event, actor_id, subject_id, ip, detail) "
			 "VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_AUDIT_COUNT, "SELECT count(*) FROM audit_log");
DB_QUERY(Q_AUDIT_PAGE,
	 "SELECT a.id, a.at, a.event, a.actor_id, pa.name, pa.email, a.subject_id, ps.name, ps.email, "
	 "a.ip, a.detail FROM audit_log a LEFT JOIN person pa ON pa.id = a.actor_id "
	 "LEFT JOIN person ps ON ps.id = a.subject_id ORDER BY a.id DESC LIMIT ? OFFSET ?");
DB_QUERY(Q_AUDIT_OF_PERSON,
	 "SELECT a.id, a.at, a.event, a.actor_id, pa.name, pa.email, a.subject_id, ps.name, ps.email, "
	 "a.ip, a.detail FROM audit_log a LEFT JOIN person pa ON pa.id = a.actor_id "
	 "LEFT JOIN person ps ON ps.id = a.subject_id WHERE a.actor_id = ?1 OR a.subject_id = ?1 "
	 "ORDER BY a.id DESC LIMIT 5000");

void audit_record_about(struct db *db, const struct user *actor, int64_t subject_id, const char *ip,
			const char *event, json_t *detail)
{
	char now[ISO_BUFSZ];
	clock_format_iso(clock_now(), now, sizeof(now));
	char *text = json_is_object(detail) ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(detail);
	struct db_stmt *st = db && event ? db_stmt(db, &Q_AUDIT_INSERT) : NULL;
	int rc = ERR_DB;
	if (st && db_bind_text(st, 1, now) == 0 && db_bind_text(st, 2, event) == 0 &&
	    (actor ? db_bind_int(st, 3, actor->id) : db_bind_null(st, 3)) == 0 &&
	    (subject_id > 0 ? db_bind_int(st, 4, subject_id) : db_bind_null(st, 4)) == 0 &&
	    db_bind_text(st, 5, ip) == 0 && db_bind_text(st, 6, text ? text : "{}") == 0)
		rc = db_step(st);
	if (rc < 0)
		log_error("audit: could not record %s (actor %lld): %s", event ? event : "(null)",
			  actor ? (long long)actor->id : 0LL, db ? db_errmsg(db) : "no database");
	free(text);
}

void audit_record(struct db *db, const struct user *actor, const char *ip, const char *event, json_t *detail)
{
	audit_record_about(db, actor, 0, ip, event, detail);
}

/* {id, label} for a person column pair, or null for nobody. */
static json_t *who(struct db_stmt *st, int col)
{
	if (db_col_is_null(st, col))
		return json_null();
	int64_t id = db_col_int(st, col);
	const char *name = db_col_text(st, col + 1);
	const char *email = db_col_text(st, col + 2);
	json_t *label = name ? json_sprintf("%s <%s>", name, email ? email : "")
			     : json_sprintf("deleted person #%lld", (long long)id);
	return json_pack("{s:I, s:o, s:b}", "id", (json_int_t)id, "label", label, "deleted", name == NULL);
}

/* One log row as JSON, with detail parsed and a one-line text of it for the page. */
static json_t *entry(struct db_stmt *st)
{
	json_t *detail = json_loads(db_col_text(st, 10) ? db_col_text(st, 10) : "{}", 0, NULL);
	if (!json_is_object(detail)) {
		json_decref(detail);
		detail = json_object();
	}
	struct buf b = BUF_INIT;
	const char *k;
	json_t *v;
	json_object_foreach(detail, k, v) {
		char *vs = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		buf_printf(&b, "%s%s: %s", b.len ? ", " : "", k,
			   json_is_string(v) ? json_string_value(v) : vs ? vs : "");
		free(vs);
	}
	json_t *e = json_pack("{s:I, s:s, s:s, s:o, s:o, s:s?, s:o, s:s}", "id",
			      (json_int_t)db_col_int(st, 0), "at", db_col_text(st, 1), "event",
			      db_col_text(st, 2), "actor", who(st, 3), "subject", who(st, 6), "ip",
			      db_col_text(st, 9), "detail", detail, "detail_text", buf_str(&b));
	buf_free(&b);
	return e;
}

json_t *audit_page(struct db *db, int64_t offset, int64_t limit)
{
	struct db_stmt *st = db_stmt(db, &Q_AUDIT_COUNT);
	if (!st || db_step(st) != DB_ROW)
		return NULL;
	int64_t total = db_col_int(st, 0);
	db_reset(st);
	st = db_stmt(db, &Q_AUDIT_PAGE);
	if (!st || db_bind_int(st, 1, limit) || db_bind_int(st, 2, offset))
		return NULL;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(list, entry(st));
	if (rc < 0) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:o, s:I}", "entries", list, "total", (json_int_t)total);
}

json_t *audit_of_person(struct db *db, int64_t person_id)
{
	struct db_stmt *st = db_stmt(db, &Q_AUDIT_OF_PERSON);
	json_t *list = json_array();
	if (!st || db_bind_int(st, 1, person_id))
		return list;
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, entry(st));
	db_reset(st);
	return list;
}
