// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * throttle.c — the arithmetic of slowing down and locking out, and its state
 * in the store (see throttle.h).
 */
#include "app/accounts/throttle.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/accounts/token.h"
#include "db/db.h"

const struct throttle_rule throttle_account = {"account", 2, 5, 900, 900, 60};
const struct throttle_rule throttle_ip = {"ip", 10, 30, 900, 900, 30};
const struct throttle_rule throttle_reset = {"reset", 3, 3, 3600, 3600, 0};

/* The wait required after f failures (f > free_failures): 1, 2, 4 … seconds, capped. */
static int64_t delay_for(const struct throttle_rule *r, int64_t f)
{
	int64_t over = f - r->free_failures; /* 1 for the first failure that costs a wait */
	int64_t d = 1;
	for (int64_t i = 1; i < over && d < r->max_delay; i++)
		d *= 2;
	return d > r->max_delay ? r->max_delay : d;
}

/* Whether the counting has started afresh at now (window over or lock over). */
static bool expired(const struct throttle_rule *r, const struct throttle_state *s, int64_t now)
{
	if (s->locked_until)
		return now >= s->locked_until;
	return s->failures == 0 || now - s->window_start >= r->window;
}

bool throttle_locked(const struct throttle_state *s, int64_t now)
{
	return s->locked_until && now < s->locked_until;
}

int64_t throttle_wait(const struct throttle_rule *r, const struct throttle_state *s, int64_t now)
{
	if (throttle_locked(s, now))
		return s->locked_until - now;
	if (expired(r, s, now) || s->failures <= r->free_failures || r->max_delay <= 0)
		return 0;
	int64_t at = s->last_failure + delay_for(r, s->failures);
	return at > now ? at - now : 0;
}

bool throttle_fail_step(const struct throttle_rule *r, struct throttle_state *s, int64_t now)
{
	if (expired(r, s, now)) {
		s->failures = 0;
		s->window_start = now;
		s->locked_until = 0;
	}
	if (throttle_locked(s, now))
		return false; /* already locked: the attempt was refused, nothing more to count */
	s->failures++;
	s->last_failure = now;
	if (s->failures >= r->lock_after) {
		s->locked_until = now + r->lock_for;
		return true;
	}
	return false;
}

DB_QUERY(Q_THROTTLE_GET, "SELECT failures, window_start, last_failure, locked_until FROM throttle "
			 "WHERE key = ?");
DB_QUERY(Q_THROTTLE_PUT, "INSERT INTO throttle (key, failures, window_start, last_failure, locked_until) "
			 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
			 "window_start = excluded.window_start, last_failure = excluded.last_failure, "
			 "locked_until = excluded.locked_until");
DB_QUERY(Q_THROTTLE_DEL, "DELETE FROM throttle WHERE key = ?");

/* The stored key: hex SHA-256 of "kind:value" with the value in lower case. */
static void key_of(const struct throttle_rule *r, const char *value, char hex[TOKEN_HASH_BUFSZ])
{
	char buf[600];
	int n = snprintf(buf, sizeof(buf), "%s:%s", r->kind, value ? value : "");
	if (n < 0)
		buf[0] = '\0';
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	token_hash(buf, hex);
}

static int load(struct db *db, const char *key, struct throttle_state *s)
{
	memset(s, 0, sizeof(*s));
	struct db_stmt *st = db_stmt(db, &Q_THROTTLE_GET);
	if (!st || db_bind_text(st, 1, key))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->failures = db_col_int(st, 0);
		s->window_start = db_col_int(st, 1);
		s->last_failure = db_col_int(st, 2);
		s->locked_until = db_col_int(st, 3);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int throttle_check(struct db *db, const struct throttle_rule *r, const char *value, int64_t now,
		   int64_t *wait, bool *locked)
{
	char key[TOKEN_HASH_BUFSZ];
	key_of(r, value, key);
	struct throttle_state s;
	*wait = 0;
	*locked = false;
	int rc = load(db, key, &s);
	if (rc)
		return rc;
	*wait = throttle_wait(r, &s, now);
	*locked = throttle_locked(&s, now);
	return 0;
}

int throttle_failure(struct db *db, const struct throttle_rule *r, const char *value, int64_t now,
		     bool *locked)
{
	char key[TOKEN_HASH_BUFSZ];
	key_of(r, value, key);
	struct throttle_state s;
	*locked = false;
	int rc = load(db, key, &s);
	if (rc)
		return rc;
	*locked = throttle_fail_step(r, &s, now);
	struct db_stmt *st = db_stmt(db, &Q_THROTTLE_PUT);
	if (!st || db_bind_text(st, 1, key) || db_bind_int(st, 2, s.failures) ||
	    db_bind_int(st, 3, s.window_start) || db_bind_int(st, 4, s.last_failure) ||
	    db_bind_int(st, 5, s.locked_until))
		return ERR_DB;
	rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int throttle_clear(struct db *db, const struct throttle_rule *r, const char *value)
{
	char key[TOKEN_HASH_BUFSZ];
	key_of(r, value, key);
	struct db_stmt *st = db_stmt(db, &Q_THROTTLE_DEL);
	if (!st || db_bind_text(st, 1, key))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}
