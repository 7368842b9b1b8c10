// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * reset.c — password-reset links: a random token in an emailed link, its
 * SHA-256 in the store, valid for RESET_LIFETIME seconds and only once.
 * Completing a reset sets the new password, spends every other link of the
 * person, ends all their sessions and revokes their API tokens, in one
 * transaction.
 */
#include <string.h>

#include "app/accounts/model.h"
#include "core/clock.h"
#include "db/db.h"

DB_QUERY(Q_RESET_INSERT, "INSERT INTO password_reset (person_id, token_hash, created_at, expires_at) "
			 "VALUES (?, ?, ?, ?)");
DB_QUERY(Q_RESET_FIND, "SELECT id, person_id FROM password_reset WHERE token_hash = ? AND used_at IS NULL "
		       "AND expires_at > ?");
DB_QUERY(Q_RESET_SPEND, "UPDATE password_reset SET used_at = ? WHERE id = ? AND used_at IS NULL");
DB_QUERY(Q_RESET_SPEND_OTHERS, "UPDATE password_reset SET used_at = ? WHERE person_id = ? AND used_at IS NULL");
DB_QUERY(Q_RESET_SESSIONS, "DELETE FROM session WHERE person_id = ?");

int reset_create(struct db *db, int64_t person_id, char token[TOKEN_BUFSZ])
{
	char hash[TOKEN_HASH_BUFSZ], now[ISO_BUFSZ], until[ISO_BUFSZ];
	int64_t t = clock_now();
	token_new(token);
	token_hash(token, hash);
	clock_format_iso(t, now, sizeof(now));
	clock_format_iso(t + RESET_LIFETIME, until, sizeof(until));
	struct db_stmt *st = db_stmt(db, &Q_RESET_INSERT);
	if (!st || db_bind_int(st, 1, person_id) || db_bind_text(st, 2, hash) || db_bind_text(st, 3, now) ||
	    db_bind_text(st, 4, until))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int reset_find(struct db *db, const char *token, int64_t *id, int64_t *person_id)
{
	*id = *person_id = 0;
	if (!token_well_formed(token, NULL))
		return ERR_NOTFOUND;
	char hash[TOKEN_HASH_BUFSZ], now[ISO_BUFSZ];
	token_hash(token, hash);
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_RESET_FIND);
	if (!st || db_bind_text(st, 1, hash) || db_bind_text(st, 2, now))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*person_id = db_col_int(st, 1);
	}
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

int reset_complete(struct db *db, int64_t id, int64_t person_id, const char *hash)
{
	char now[ISO_BUFSZ];
	clock_format_iso(clock_now(), now, sizeof(now));
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_RESET_SPEND);
	rc = ERR_DB;
	if (!st || db_bind_text(st, 1, now) || db_bind_int(st, 2, id) || db_step(st) < 0)
		goto fail;
	if (db_changes(db) != 1) {
		rc = ERR_NOTFOUND; /* spent by a request that got here first */
		goto fail;
	}
	if ((rc = person_set_password(db, person_id, hash)))
		goto fail;
	rc = ERR_DB;
	st = db_stmt(db, &Q_RESET_SPEND_OTHERS);
	if (!st || db_bind_text(st, 1, now) || db_bind_int(st, 2, person_id) || db_step(st) < 0)
		goto fail;
	st = db_stmt(db, &Q_RESET_SESSIONS);
	if (!st || db_bind_int(st, 1, person_id) || db_step(st) < 0)
		goto fail;
	if ((rc = apitoken_revoke_all(db, person_id, NULL)))
		goto fail;
	if ((rc = db_commit(db)))
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return rc;
}
