// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * session.c — browser sessions in the store. The cookie carries a 256-bit
 * random token; the session table holds only its SHA-256. A session ends
 * when unused for TANDEM_SESSION_IDLE seconds (each use moves that on, at
 * most once a minute so reading pages does not mean writing the store) and
 * TANDEM_SESSION_MAX seconds after sign-in in any case. Time is clock_now(),
 * so tests move it.
 */
#include <string.h>

#include "app/accounts/model.h"
#include "core/clock.h"
#include "core/config.h"
#include "db/db.h"

DB_QUERY(Q_SESSION_INSERT, "INSERT INTO session (token_hash, person_id, created_at, last_seen_at, "
			   "idle_expires_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_SESSION_FIND, "SELECT se.id, se.last_seen_at, " PERSON_USER_COLUMNS " FROM session se "
			 "JOIN person p ON p.id = se.person_id LEFT JOIN school sc ON sc.urn = p.school_urn "
			 "WHERE se.token_hash = ? AND se.idle_expires_at > ?2 AND se.expires_at > ?2");
DB_QUERY_PG(Q_SESSION_TOUCH, "UPDATE session SET last_seen_at = ?1, idle_expires_at = min(?2, expires_at) "
			  "WHERE id = ?3",
	    "UPDATE session SET last_seen_at = ?1, idle_expires_at = least(?2, expires_at) "
	    "WHERE id = ?3");
DB_QUERY(Q_SESSION_DELETE, "DELETE FROM session WHERE id = ?");
DB_QUERY(Q_SESSION_DELETE_ALL, "DELETE FROM session WHERE person_id = ? AND id != ?");
DB_QUERY(Q_SESSION_PURGE, "DELETE FROM session WHERE person_id = ? AND (idle_expires_at <= ?2 OR "
			  "expires_at <= ?2)");
DB_QUERY(Q_SESSION_COUNT, "SELECT count(*) FROM session WHERE person_id = ? AND idle_expires_at > ?2 "
			  "AND expires_at > ?2");

/* Idle and absolute lifetimes from the config (defaults when accounts_init was not called). */
static void lifetimes(int64_t *idle, int64_t *max)
{
	const struct config *c = accounts_config();
	*idle = c ? c->session_idle : 8 * 3600;
	*max = c ? c->session_max : 30 * 86400;
}

int session_create(struct db *db, int64_t person_id, char token[TOKEN_BUFSZ], int64_t *id)
{
	int64_t idle, max, now = clock_now();
	lifetimes(&idle, &max);
	char hash[TOKEN_HASH_BUFSZ], t_now[ISO_BUFSZ], t_idle[ISO_BUFSZ], t_max[ISO_BUFSZ];
	token_new(token);
	token_hash(token, hash);
	clock_format_iso(now, t_now, sizeof(t_now));
	clock_format_iso(now + (idle < max ? idle : max), t_idle, sizeof(t_idle));
	clock_format_iso(now + max, t_max, sizeof(t_max));
	/* Sweep this person's ended sessions while we are here. */
	struct db_stmt *st = db_stmt(db, &Q_SESSION_PURGE);
	if (!st || db_bind_int(st, 1, person_id) || db_bind_text(st, 2, t_now) || db_step(st) < 0)
		return ERR_DB;
	st = db_stmt(db, &Q_SESSION_INSERT);
	if (!st || db_bind_text(st, 1, hash) || db_bind_int(st, 2, person_id) ||
	    db_bind_text(st, 3, t_now) || db_bind_text(st, 4, t_now) || db_bind_text(st, 5, t_idle) ||
	    db_bind_text(st, 6, t_max))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	*id = db_last_id(db);
	return 0;
}

int session_find(struct db *db, struct arena *a, const char *token, struct user *u)
{
	if (!token_well_formed(token, NULL))
		return ERR_NOTFOUND;
	int64_t idle, max, now = clock_now();
	lifetimes(&idle, &max);
	char hash[TOKEN_HASH_BUFSZ], t_now[ISO_BUFSZ];
	token_hash(token, hash);
	clock_format_iso(now, t_now, sizeof(t_now));
	struct db_stmt *st = db_stmt(db, &Q_SESSION_FIND);
	if (!st || db_bind_text(st, 1, hash) || db_bind_text(st, 2, t_now))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	int64_t sid = db_col_int(st, 0);
	/* Move the idle expiry on when the last use is older than a minute (or a quarter of the idle time). */
	int64_t every = idle / 4 < 60 ? idle / 4 : 60;
	char t_stale[ISO_BUFSZ];
	clock_format_iso(now - every, t_stale, sizeof(t_stale));
	bool stale = strcmp(db_col_text(st, 1), t_stale) <= 0;
	person_fill_user(st, 2, a, u);
	u->session_id = sid;
	db_reset(st);
	if (stale) {
		char t_idle[ISO_BUFSZ];
		clock_format_iso(now + idle, t_idle, sizeof(t_idle));
		st = db_stmt(db, &Q_SESSION_TOUCH);
		if (!st || db_bind_text(st, 1, t_now) || db_bind_text(st, 2, t_idle) || db_bind_int(st, 3, sid))
			return ERR_DB;
		rc = db_step(st);
		if (rc < 0 && rc != ERR_BUSY)
			return rc;
	}
	return 0;
}

int session_delete(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &Q_SESSION_DELETE);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int session_delete_all(struct db *db, int64_t person_id, int64_t keep, int *ended)
{
	struct db_stmt *st = db_stmt(db, &Q_SESSION_DELETE_ALL);
	if (!st || db_bind_int(st, 1, person_id) || db_bind_int(st, 2, keep))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (ended)
		*ended = db_changes(db);
	return 0;
}

int64_t session_count(struct db *db, int64_t person_id)
{
	char t_now[ISO_BUFSZ];
	clock_format_iso(clock_now(), t_now, sizeof(t_now));
	struct db_stmt *st = db_stmt(db, &Q_SESSION_COUNT);
	if (!st || db_bind_int(st, 1, person_id) || db_bind_text(st, 2, t_now))
		return 0;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return n;
}
