// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * throttle.h — slowing down and locking out guessing. Failures are counted
 * per key (an account's email, a client's address) within a window; after
 * `free_failures` each further attempt must wait a little longer (1 s, 2 s,
 * 4 s … up to max_delay), and at `lock_after` failures the key is locked for
 * `lock_for` seconds. A lock that has run out, or a window that has passed,
 * starts the count again.
 *
 * The arithmetic (throttle_wait, throttle_fail_step) is pure and tested with
 * a moved clock in tests/unit/test_accounts.c; the rest keeps the state in
 * the throttle table under a hash of the key, so no typed email address is
 * stored.
 */
#ifndef TANDEM_APP_ACCOUNTS_THROTTLE_H
#define TANDEM_APP_ACCOUNTS_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct db;

/* How one kind of key is throttled. */
struct throttle_rule {
	const char *kind;  /* "account", "ip", …: part of the stored key */
	int free_failures; /* failures allowed without any wait */
	int lock_after;    /* failures (within the window) that lock the key */
	int window;        /* seconds over which failures are counted */
	int lock_for;      /* seconds a lock lasts */
	int max_delay;     /* longest wait between attempts before the lock, seconds */
};

/* The state of one key. All times are Unix seconds (clock_now()). */
struct throttle_state {
	int64_t failures;     /* since window_start */
	int64_t window_start; /* first failure of the current window */
	int64_t last_failure; /* most recent failure */
	int64_t locked_until; /* 0, or the end of a lock */
};

/* Sign-in (and current-password) failures per account: 2 free, then 1 s and 2 s, locked 15 min at 5. */
extern const struct throttle_rule throttle_account;
/* Sign-in failures per client address: 10 free, then growing waits, locked 15 min at 30. */
extern const struct throttle_rule throttle_ip;
/* Password-reset emails per address: 3 an hour. */
extern const struct throttle_rule throttle_reset;

/* Seconds from now until the next attempt is allowed; 0 when it is allowed now. */
int64_t throttle_wait(const struct throttle_rule *r, const struct throttle_state *s, int64_t now);
/* Count one failure at now into s. True when this failure locks the key. */
bool throttle_fail_step(const struct throttle_rule *r, struct throttle_state *s, int64_t now);
/* True when s is locked at now (rather than only slowed down). */
bool throttle_locked(const struct throttle_state *s, int64_t now);

/*
 * The store side. value is the email (any case) or the address. throttle_check
 * sets *wait (0 when allowed) and *locked; throttle_failure counts a failure
 * and sets *locked when it locked the key; throttle_clear forgets the key.
 * Return 0 or ERR_DB.
 */
int throttle_check(struct db *db, const struct throttle_rule *r, const char *value, int64_t now,
		   int64_t *wait, bool *locked) WUR;
int throttle_failure(struct db *db, const struct throttle_rule *r, const char *value, int64_t now,
		     bool *locked) WUR;
int throttle_clear(struct db *db, const struct throttle_rule *r, const char *value) WUR;

#endif
