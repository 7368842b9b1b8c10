// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.h — the accounts store, for the files of src/app/accounts/: people
 * (person.c), browser sessions (session.c), personal API tokens
 * (apitoken.c), password-reset links (reset.c) and the audit log (audit.c).
 * Handlers call these and never write SQL. Strings handed out live in the
 * arena given; JSON values are new references for the caller.
 */
#ifndef TANDEM_APP_ACCOUNTS_MODEL_H
#define TANDEM_APP_ACCOUNTS_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "app/accounts/password.h"
#include "app/accounts/token.h"
#include "core/err.h"

struct arena;
struct config;
struct db;

/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define ISO_BUFSZ 24

/* The settings the accounts code needs outside a request (set by accounts_init). */
const struct config *accounts_config(void);

/* ---- people (person.c) ------------------------------------------------- */

/* A person's row for signing in. */
struct person_login {
	int64_t id;          /* person.id */
	const char *email;   /* in the arena */
	const char *name;    /* in the arena */
	const char *hash;    /* the encoded password hash, in the arena */
};

/*
 * The columns every query that loads a signed-in person selects, in this
 * order, from person p LEFT JOIN school sc: see PERSON_USER_COLUMNS.
 * person_fill_user reads them from column col on into u (strings in a).
 */
#define PERSON_USER_COLUMNS "p.id, p.email, p.name, p.school_urn, sc.name, p.school_role, p.is_admin"
struct db_stmt;
void person_fill_user(struct db_stmt *st, int col, struct arena *a, struct user *u);

/* The person with this email (any case): 0, ERR_NOTFOUND or ERR_DB. */
int person_login_find(struct db *db, struct arena *a, const char *email, struct person_login *out) WUR;
/* The same by id. */
int person_login_get(struct db *db, struct arena *a, int64_t id, struct person_login *out) WUR;
/* Fill u (strings in a) for person id: 0, ERR_NOTFOUND or ERR_DB. */
int person_user(struct db *db, struct arena *a, int64_t id, struct user *u) WUR;
/* Store a new password hash (and password_changed_at). */
int person_set_password(struct db *db, int64_t id, const char *hash) WUR;
/*
 * A password change, in one transaction: store the new hash, end every
 * session of the person but keep_session (0 for none) and revoke every API
 * token, counting both into *sessions_ended and *tokens_revoked.
 */
int person_change_password(struct db *db, int64_t id, const char *hash, int64_t keep_session, int *sessions_ended,
			   int *tokens_revoked) WUR;
/* Record a successful sign-in time. */
int person_signed_in(struct db *db, int64_t id) WUR;
/* The person as JSON for the account page {id, email, name, school_urn, school_name, role, is_admin, created_at, last_sign_in_at}. */
json_t *person_json(struct db *db, int64_t id);
/*
 * "Download my data": everything stored about person id (new object), or
 * NULL on a store error. Password hashes and token hashes are left out.
 */
json_t *person_export(struct db *db, int64_t id);
/*
 * Delete person id and what belongs to them (sessions, tokens, reset links,
 * mail to them, their throttle state); blank the addresses of audit entries
 * about them. Runs in its own transaction. 0, ERR_NOTFOUND or ERR_DB.
 */
int person_delete(struct db *db, int64_t id, const char *email) WUR;
/* Whether a school with this URN is in the register (1), not (0), or a negative error. */
int school_exists(struct db *db, int64_t urn);

/* ---- sessions (session.c) ----------------------------------------------- */

/*
 * Start a session for person_id: a new token into token (for the cookie),
 * the row's id into *id. Idle and absolute lifetimes from the config.
 */
int session_create(struct db *db, int64_t person_id, char token[TOKEN_BUFSZ], int64_t *id) WUR;
/*
 * The live session whose cookie holds token: fills u (strings in a) and
 * moves its idle expiry on (at most once every minute). ERR_NOTFOUND when
 * there is none (unknown, ended or expired).
 */
int session_find(struct db *db, struct arena *a, const char *token, struct user *u) WUR;
/* End one session. */
int session_delete(struct db *db, int64_t id) WUR;
/* End every session of person_id except keep (0 for none). *ended gets how many (may be NULL). */
int session_delete_all(struct db *db, int64_t person_id, int64_t keep, int *ended) WUR;
/* How many live sessions person_id has. */
int64_t session_count(struct db *db, int64_t person_id);

/* ---- personal API tokens (apitoken.c) ------------------------------------ */

/* Longest token label. */
#define APITOKEN_NAME_MAX 60
/* Most tokens one person may hold. */
#define APITOKEN_MAX 20

/*
 * Make a token called name for person_id: the secret ("tdm_…") into
 * secret, shown once; the new row as JSON into *row. ERR_CONFLICT when the
 * person already has APITOKEN_MAX tokens.
 */
int apitoken_create(struct db *db, int64_t person_id, const char *name,
		    char secret[sizeof(TOKEN_API_PREFIX) + TOKEN_BUFSZ], json_t **row) WUR;
/* The person a Bearer secret belongs to: fills u; ERR_NOTFOUND when no such token. */
int apitoken_find(struct db *db, struct arena *a, const char *secret, struct user *u) WUR;
/* Revoke (delete) token id of person_id: 0 with its name in *name (arena), ERR_NOTFOUND. */
int apitoken_revoke(struct db *db, struct arena *a, int64_t person_id, int64_t id, const char **name) WUR;
/*
 * Revoke every token of person_id (a password change or reset: a token
 * made with the old password must not outlive it). *revoked gets how many
 * (may be NULL).
 */
int apitoken_revoke_all(struct db *db, int64_t person_id, int *revoked) WUR;
/* The person's tokens [{id, name, prefix, created_at, last_used_at}], newest first. */
json_t *apitoken_list(struct db *db, int64_t person_id);

/* ---- password reset (reset.c) -------------------------------------------- */

/* How long a reset link works, seconds. */
#define RESET_LIFETIME 3600

/* A new reset link for person_id: its token into token. */
int reset_create(struct db *db, int64_t person_id, char token[TOKEN_BUFSZ]) WUR;
/* The unused, unexpired link with this token: 0 with its id and person, or ERR_NOTFOUND. */
int reset_find(struct db *db, const char *token, int64_t *id, int64_t *person_id) WUR;
/*
 * Spend link id and set the person's new password hash, ending their other
 * links, every session and every API token, in one transaction. ERR_NOTFOUND when the link
 * was spent meanwhile.
 */
int reset_complete(struct db *db, int64_t id, int64_t person_id, const char *hash) WUR;

/* ---- audit log (audit.c) -------------------------------------------------- */

/* One page of the log, newest first: {entries: [...], total}. */
json_t *audit_page(struct db *db, int64_t offset, int64_t limit);
/* Entries by or about person_id, newest first (for the export). */
json_t *audit_of_person(struct db *db, int64_t person_id);

#endif
