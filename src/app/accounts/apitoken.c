// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * apitoken.c — personal API tokens: a JSON client sends
 * `Authorization: Bearer tdm_…` instead of a session cookie (and then needs
 * no CSRF token: a browser never adds that header by itself). The secret is
 * shown once when made; the store keeps its SHA-256 and its first
 * characters, so the person can tell their tokens apart. Revoking deletes it.
 */
#include <stdio.h>
#include <string.h>

#include "app/accounts/model.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"

DB_QUERY(Q_TOKEN_COUNT, "SELECT count(*) FROM api_token WHERE person_id = ?");
DB_QUERY(Q_TOKEN_INSERT, "INSERT INTO api_token (person_id, name, token_hash, prefix, created_at) "
			 "VALUES (?, ?, ?, ?, ?)");
DB_QUERY(Q_TOKEN_ROW, "SELECT id, name, prefix, created_at, last_used_at FROM api_token WHERE id = ?");
DB_QUERY(Q_TOKEN_FIND, "SELECT t.id, t.last_used_at, " PERSON_USER_COLUMNS " FROM api_token t "
		       "JOIN person p ON p.id = t.person_id LEFT JOIN school sc ON sc.urn = p.school_urn "
		       "WHERE t.token_hash = ?");
DB_QUERY(Q_TOKEN_USED, "UPDATE api_token SET last_used_at = ? WHERE id = ?");
DB_QUERY(Q_TOKEN_NAME, "SELECT name FROM api_token WHERE id = ? AND person_id = ?");
DB_QUERY(Q_TOKEN_DELETE, "DELETE FROM api_token WHERE id = ? AND person_id = ?");
DB_QUERY(Q_TOKEN_DELETE_ALL, "DELETE FROM api_token WHERE person_id = ?");
DB_QUERY(Q_TOKEN_LIST, "SELECT id, name, prefix, created_at, last_used_at FROM api_token "
		       "WHERE person_id = ? ORDER BY id DESC");

int apitoken_create(struct db *db, int64_t person_id, const char *name,
		    char secret[sizeof(TOKEN_API_PREFIX) + TOKEN_BUFSZ], json_t **row)
{
	*row = NULL;
	struct db_stmt *st = db_stmt(db, &Q_TOKEN_COUNT);
	if (!st || db_bind_int(st, 1, person_id))
		return ERR_DB;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (n >= APITOKEN_MAX)
		return ERR_CONFLICT;
	char token[TOKEN_BUFSZ], hash[TOKEN_HASH_BUFSZ], now[ISO_BUFSZ], prefix[16];
	token_new(token);
	snprintf(secret, sizeof(TOKEN_API_PREFIX) + TOKEN_BUFSZ, "%s%s", TOKEN_API_PREFIX, token);
	token_hash(secret, hash);
	snprintf(prefix, sizeof(prefix), "%.8s", secret);
	clock_format_iso(clock_now(), now, sizeof(now));
	st = db_stmt(db, &Q_TOKEN_INSERT);
	if (!st || db_bind_int(st, 1, person_id) || db_bind_text(st, 2, name) || db_bind_text(st, 3, hash) ||
	    db_bind_text(st, 4, prefix) || db_bind_text(st, 5, now))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	int64_t id = db_last_id(db);
	st = db_stmt(db, &Q_TOKEN_ROW);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	if (db_step(st) == DB_ROW)
		*row = db_row_json(st);
	db_reset(st);
	return *row ? 0 : ERR_DB;
}

int apitoken_find(struct db *db, struct arena *a, const char *secret, struct user *u)
{
	if (!token_well_formed(secret, TOKEN_API_PREFIX))
		return ERR_NOTFOUND;
	char hash[TOKEN_HASH_BUFSZ], now[ISO_BUFSZ];
	token_hash(secret, hash);
	int64_t t = clock_now();
	clock_format_iso(t, now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_TOKEN_FIND);
	if (!st || db_bind_text(st, 1, hash))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	int64_t id = db_col_int(st, 0);
	/* Note the use at most once a minute. */
	char stale[ISO_BUFSZ];
	clock_format_iso(t - 60, stale, sizeof(stale));
	const char *last = db_col_text(st, 1);
	bool touch = !last || strcmp(last, stale) <= 0;
	person_fill_user(st, 2, a, u);
	u->session_id = 0;
	u->csrf_token = NULL;
	db_reset(st);
	if (touch) {
		st = db_stmt(db, &Q_TOKEN_USED);
		if (st && db_bind_text(st, 1, now) == 0 && db_bind_int(st, 2, id) == 0 && db_step(st) < 0)
			log_warn("api token %lld: the time of use could not be noted", (long long)id);
	}
	return 0;
}

int apitoken_revoke(struct db *db, struct arena *a, int64_t person_id, int64_t id, const char **name)
{
	*name = NULL;
	struct db_stmt *st = db_stmt(db, &Q_TOKEN_NAME);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*name = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	st = db_stmt(db, &Q_TOKEN_DELETE);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, person_id))
		return ERR_DB;
	rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) ? 0 : ERR_NOTFOUND;
}

int apitoken_revoke_all(struct db *db, int64_t person_id, int *revoked)
{
	if (revoked)
		*revoked = 0;
	struct db_stmt *st = db_stmt(db, &Q_TOKEN_DELETE_ALL);
	if (!st || db_bind_int(st, 1, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (revoked)
		*revoked = (int)db_changes(db);
	return 0;
}

json_t *apitoken_list(struct db *db, int64_t person_id)
{
	struct db_stmt *st = db_stmt(db, &Q_TOKEN_LIST);
	json_t *rows = st && db_bind_int(st, 1, person_id) == 0 ? db_rows_json(st) : NULL;
	return rows ? rows : json_array();
}
