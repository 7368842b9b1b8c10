// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * person.c — people: creating them (with the password policy), finding
 * them, their school and role, the "download my data" export and deleting
 * an account; plus accounts_init, which loads what the rest needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/accounts/model.h"
#include "app/accounts/throttle.h"
#include "app/mail/mail.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "core/util.h"
#include "db/db.h"

static const struct config *the_config;

int accounts_init(const struct config *config, char *err, size_t errsz)
{
	if (token_init()) {
		snprintf(err, errsz, "libsodium could not be initialised");
		return ERR_INTERNAL;
	}
	the_config = config;
	char *path = config_share_path(config, "data/common-passwords.txt");
	int rc = password_list_load(path, err, errsz);
	free(path);
	return rc;
}

void accounts_shutdown(void)
{
	password_list_free();
	the_config = NULL;
}

const struct config *accounts_config(void)
{
	return the_config;
}

static const char *const role_names[SCHOOL_ROLE__MAX] = {
	[SCHOOL_ROLE_NONE] = "none",
	[SCHOOL_ROLE_STAFF] = "staff",
	[SCHOOL_ROLE_GOVERNOR] = "governor",
	[SCHOOL_ROLE_LEAD] = "lead",
};

const char *school_role_name(enum school_role r)
{
	return (int)r >= 0 && r < SCHOOL_ROLE__MAX ? role_names[r] : "none";
}

int school_role_parse(const char *s, enum school_role *out)
{
	for (int r = 0; r < SCHOOL_ROLE__MAX; r++) {
		if (str_eq(s, role_names[r])) {
			*out = (enum school_role)r;
			return 0;
		}
	}
	return ERR_INVALID;
}

DB_QUERY(Q_PERSON_INSERT,
	 "INSERT INTO person (email, name, password_hash, school_urn, school_role, is_admin, created_at, "
	 "updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_PERSON_BY_EMAIL, "SELECT id, email, name, password_hash FROM person WHERE email = ?");
DB_QUERY(Q_PERSON_BY_ID, "SELECT id, email, name, password_hash FROM person WHERE id = ?");
DB_QUERY(Q_PERSON_USER, "SELECT " PERSON_USER_COLUMNS " FROM person p "
			"LEFT JOIN school sc ON sc.urn = p.school_urn WHERE p.id = ?");
DB_QUERY(Q_PERSON_SET_PASSWORD, "UPDATE person SET password_hash = ?, password_changed_at = ?, "
				"updated_at = ? WHERE id = ?");
DB_QUERY(Q_PERSON_SIGNED_IN, "UPDATE person SET last_sign_in_at = ? WHERE id = ?");
DB_QUERY(Q_PERSON_SET_SCHOOL, "UPDATE person SET school_urn = ?, school_role = ?, updated_at = ? "
			      "WHERE id = ?");
DB_QUERY(Q_PERSON_JSON,
	 "SELECT p.id, p.email, p.name, p.school_urn, sc.name AS school_name, p.school_role AS role, "
	 "p.is_admin, p.created_at, p.updated_at, p.password_changed_at, p.last_sign_in_at "
	 "FROM person p LEFT JOIN school sc ON sc.urn = p.school_urn WHERE p.id = ?");
DB_QUERY(Q_PERSON_DELETE, "DELETE FROM person WHERE id = ?");
DB_QUERY(Q_AUDIT_FORGET_IP, "UPDATE audit_log SET ip = NULL WHERE actor_id = ?1 OR subject_id = ?1");
DB_QUERY(Q_SCHOOL_EXISTS, "SELECT 1 FROM school WHERE urn = ?");
DB_QUERY(Q_EXPORT_SESSIONS, "SELECT created_at, last_seen_at, idle_expires_at, expires_at FROM session "
			    "WHERE person_id = ? ORDER BY id");
DB_QUERY(Q_EXPORT_RESETS, "SELECT created_at, expires_at, used_at FROM password_reset "
			  "WHERE person_id = ? ORDER BY id");

void person_fill_user(struct db_stmt *st, int col, struct arena *a, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, col);
	u->email = arena_strdup(a, db_col_text(st, col + 1));
	u->name = arena_strdup(a, db_col_text(st, col + 2));
	u->school_urn = db_col_is_null(st, col + 3) ? 0 : db_col_int(st, col + 3);
	u->school_name = arena_strdup(a, db_col_text(st, col + 4));
	if (school_role_parse(db_col_text(st, col + 5), &u->role))
		u->role = SCHOOL_ROLE_NONE;
	u->is_admin = db_col_int(st, col + 6) != 0;
}

/* A plausible address: one @, something either side, a dot in the domain, no spaces or controls. */
static bool email_plausible(const char *e)
{
	size_t n = strlen(e);
	if (n < 3 || n > 254 || !utf8_valid(e, n))
		return false;
	const char *at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@') || !at[1] || !strchr(at + 1, '.'))
		return false;
	for (const unsigned char *p = (const unsigned char *)e; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == ',')
			return false;
	return at[strlen(at) - 1] != '.';
}

/* A display name: 1 to 100 characters of valid UTF-8, no control characters. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || !utf8_valid(s, n))
		return false;
	size_t chars = utf8_len(s, n);
	if (chars > 100)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return false;
	return true;
}

int school_exists(struct db *db, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_SCHOOL_EXISTS);
	if (!st || db_bind_int(st, 1, urn))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW;
}

int accounts_create(struct db *db, const char *email_in, const char *name_in, const char *password,
		    int64_t school_urn, enum school_role role, bool is_admin, int64_t *id, char *msg,
		    size_t msgsz)
{
	struct arena *a = arena_new();
	int rc = ERR_INVALID;
	const char *email = str_lower(a, str_trim(a, email_in ? email_in : ""));
	const char *name = str_trim(a, name_in ? name_in : "");
	*id = 0;
	if (!email_plausible(email)) {
		snprintf(msg, msgsz, "Give an email address such as name@school.org.uk");
		goto out;
	}
	if (!name_ok(name)) {
		snprintf(msg, msgsz, "Give a name of 1 to 100 characters, without line breaks");
		goto out;
	}
	const char *weak = password_weakness(password, email, name);
	if (weak) {
		snprintf(msg, msgsz, "%s", weak);
		goto out;
	}
	if ((int)role < 0 || role >= SCHOOL_ROLE__MAX) {
		snprintf(msg, msgsz, "Unknown school role");
		goto out;
	}
	if (school_urn > 0 && role == SCHOOL_ROLE_NONE) {
		snprintf(msg, msgsz, "Give the person's role in the school: lead, staff or governor");
		goto out;
	}
	if (school_urn <= 0 && role != SCHOOL_ROLE_NONE) {
		snprintf(msg, msgsz, "A school role needs a school (its URN)");
		goto out;
	}
	if (school_urn > 0) {
		int ex = school_exists(db, school_urn);
		if (ex < 0) {
			rc = ex;
			snprintf(msg, msgsz, "The store could not be read");
			goto out;
		}
		if (!ex) {
			snprintf(msg, msgsz, "There is no school with URN %lld in the register",
				 (long long)school_urn);
			goto out;
		}
	}
	int64_t existing;
	rc = accounts_find_by_email(db, email, &existing);
	if (rc == 0) {
		rc = ERR_CONFLICT;
		snprintf(msg, msgsz, "An account with the email address %s already exists", email);
		goto out;
	}
	if (rc != ERR_NOTFOUND) {
		snprintf(msg, msgsz, "The store could not be read");
		goto out;
	}
	char hash[PASSWORD_HASH_BUFSZ];
	rc = password_hash(password, hash);
	if (rc) {
		snprintf(msg, msgsz, "The password could not be hashed: the server is short of memory");
		goto out;
	}
	char now[ISO_BUFSZ];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_PERSON_INSERT);
	rc = ERR_DB;
	if (!st || db_bind_text(st, 1, email) || db_bind_text(st, 2, name) || db_bind_text(st, 3, hash) ||
	    (school_urn > 0 ? db_bind_int(st, 4, school_urn) : db_bind_null(st, 4)) ||
	    db_bind_text(st, 5, school_role_name(role)) || db_bind_int(st, 6, is_admin) ||
	    db_bind_text(st, 7, now) || db_bind_text(st, 8, now) || db_bind_text(st, 9, now))
		goto out;
	rc = db_step(st);
	if (rc == ERR_CONFLICT) {
		snprintf(msg, msgsz, "An account with the email address %s already exists", email);
		goto out;
	}
	if (rc < 0) {
		snprintf(msg, msgsz, "The account could not be stored");
		goto out;
	}
	*id = db_last_id(db);
	rc = 0;
	msg[0] = '\0';
out:
	arena_free(a);
	return rc;
}

static int login_row(struct db *db, struct arena *a, const struct db_query *q, const char *email,
		     int64_t id, struct person_login *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(db, q);
	if (!st || (email ? db_bind_text(st, 1, email) : db_bind_int(st, 1, id)))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->email = arena_strdup(a, db_col_text(st, 1));
		out->name = arena_strdup(a, db_col_text(st, 2));
		out->hash = arena_strdup(a, db_col_text(st, 3));
	}
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

int person_login_find(struct db *db, struct arena *a, const char *email, struct person_login *out)
{
	return login_row(db, a, &Q_PERSON_BY_EMAIL, email ? email : "", 0, out);
}

int person_login_get(struct db *db, struct arena *a, int64_t id, struct person_login *out)
{
	return login_row(db, a, &Q_PERSON_BY_ID, NULL, id, out);
}

int accounts_find_by_email(struct db *db, const char *email, int64_t *id)
{
	struct arena *a = arena_new();
	struct person_login p;
	int rc = person_login_find(db, a, email, &p);
	*id = rc == 0 ? p.id : 0;
	arena_free(a);
	return rc;
}

int person_user(struct db *db, struct arena *a, int64_t id, struct user *u)
{
	struct db_stmt *st = db_stmt(db, &Q_PERSON_USER);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		person_fill_user(st, 0, a, u);
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

int person_set_password(struct db *db, int64_t id, const char *hash)
{
	char now[ISO_BUFSZ];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_PERSON_SET_PASSWORD);
	if (!st || db_bind_text(st, 1, hash) || db_bind_text(st, 2, now) || db_bind_text(st, 3, now) ||
	    db_bind_int(st, 4, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) ? 0 : ERR_NOTFOUND;
}

int person_change_password(struct db *db, int64_t id, const char *hash, int64_t keep_session, int *sessions_ended,
			   int *tokens_revoked)
{
	*sessions_ended = *tokens_revoked = 0;
	int rc = db_begin(db);
	if (rc)
		return rc;
	if ((rc = person_set_password(db, id, hash)) || (rc = session_delete_all(db, id, keep_session, sessions_ended)) ||
	    (rc = apitoken_revoke_all(db, id, tokens_revoked)) || (rc = db_commit(db))) {
		db_rollback(db);
		*sessions_ended = *tokens_revoked = 0;
	}
	return rc;
}

int person_signed_in(struct db *db, int64_t id)
{
	char now[ISO_BUFSZ];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_PERSON_SIGNED_IN);
	if (!st || db_bind_text(st, 1, now) || db_bind_int(st, 2, id))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int accounts_set_school_role(struct db *db, int64_t person_id, int64_t school_urn, enum school_role role)
{
	if ((int)role < 0 || role >= SCHOOL_ROLE__MAX || (school_urn > 0) != (role != SCHOOL_ROLE_NONE))
		return ERR_INVALID;
	char now[ISO_BUFSZ];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_PERSON_SET_SCHOOL);
	if (!st || (school_urn > 0 ? db_bind_int(st, 1, school_urn) : db_bind_null(st, 1)) ||
	    db_bind_text(st, 2, school_role_name(role)) || db_bind_text(st, 3, now) ||
	    db_bind_int(st, 4, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) ? 0 : ERR_NOTFOUND;
}

json_t *person_json(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &Q_PERSON_JSON);
	if (!st || db_bind_int(st, 1, id))
		return NULL;
	json_t *row = NULL;
	if (db_step(st) == DB_ROW) {
		row = db_row_json(st);
		json_object_set_new(row, "is_admin",
				    json_boolean(json_integer_value(json_object_get(row, "is_admin"))));
	}
	db_reset(st);
	return row;
}

/* The rows of a per-person query as an array (an empty one on error, logged by the store). */
static json_t *rows_of(struct db *db, const struct db_query *q, int64_t person_id)
{
	struct db_stmt *st = db_stmt(db, q);
	json_t *rows = st && db_bind_int(st, 1, person_id) == 0 ? db_rows_json(st) : NULL;
	return rows ? rows : json_array();
}

json_t *person_export(struct db *db, int64_t id)
{
	json_t *person = person_json(db, id);
	if (!person)
		return NULL;
	char now[ISO_BUFSZ];
	clock_format_iso(clock_now(), now, sizeof(now));
	const char *email = json_string_value(json_object_get(person, "email"));
	json_t *mail = mail_of_recipient(db, email);
	json_t *out = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
		"about", "Everything Tandem stores about you. Your password is kept only as an "
			 "Argon2id hash, and sessions, API tokens and reset links only as SHA-256 "
			 "hashes: none of those hashes are included.",
		"exported_at", now, "person", person, "password", "set (stored as an Argon2id hash)",
		"sessions", rows_of(db, &Q_EXPORT_SESSIONS, id),
		"api_tokens", apitoken_list(db, id),
		"password_resets", rows_of(db, &Q_EXPORT_RESETS, id),
		"audit_log", audit_of_person(db, id),
		"mail", mail ? mail : json_array());
	for (const struct accounts_export_part *p = accounts_export_parts; p && p->key; p++) {
		json_t *part = p->fn(db, id);
		if (part)
			json_object_set_new(out, p->key, part);
	}
	return out;
}

int person_delete(struct db *db, int64_t id, const char *email)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_AUDIT_FORGET_IP);
	rc = ERR_DB;
	if (!st || db_bind_int(st, 1, id) || db_step(st) < 0)
		goto fail;
	if ((rc = mail_forget_recipient(db, email)) || (rc = throttle_clear(db, &throttle_account, email)) ||
	    (rc = throttle_clear(db, &throttle_reset, email)))
		goto fail;
	st = db_stmt(db, &Q_PERSON_DELETE);
	rc = ERR_DB;
	if (!st || db_bind_int(st, 1, id) || db_step(st) < 0)
		goto fail;
	if (!db_changes(db)) {
		rc = ERR_NOTFOUND;
		goto fail;
	}
	rc = db_commit(db);
	if (rc)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return rc;
}
