// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * invitations.c — how people join: a coordinator invites a member school's
 * lead, a lead invites colleagues. An invitation is a single-use link with a
 * week's expiry. The link carries 32 random bytes (base64url); the store
 * keeps only their BLAKE2b hash, so a copy of the database cannot be used to
 * accept anyone's invitation. Accepting creates the account (accounts.h) and
 * spends the link in one transaction, so a link works exactly once.
 */
#include "app/networks/net.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/mail/mail.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

#define TOKEN_BYTES 32
/* base64url without padding of TOKEN_BYTES. */
#define TOKEN_CHARS 43

DB_QUERY(Q_INV_INSERT,
	 "INSERT INTO invitation (token_hash, email, network_id, school_urn, role, invited_by, "
	 "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_INV_REPLACE,
	 "UPDATE invitation SET revoked_at = ? WHERE network_id = ? AND email = ? "
	 "AND accepted_at IS NULL AND revoked_at IS NULL");
DB_QUERY(Q_INV_PENDING,
	 "SELECT i.id, i.email, i.school_urn AS urn, COALESCE(sc.name, 'URN ' || i.school_urn) AS "
	 "school_name, i.role, i.created_at, i.expires_at, p.name AS inviter FROM invitation i "
	 "LEFT JOIN school sc ON sc.urn = i.school_urn LEFT JOIN person p ON p.id = i.invited_by "
	 "WHERE i.network_id = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL "
	 "AND i.expires_at > ? ORDER BY i.created_at DESC, i.id DESC");
DB_QUERY(Q_INV_BY_ID,
	 "SELECT school_urn, accepted_at FROM invitation WHERE id = ? AND network_id = ? "
	 "AND revoked_at IS NULL");
DB_QUERY(Q_INV_REVOKE, "UPDATE invitation SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL");
DB_QUERY(Q_INV_BY_HASH,
	 "SELECT i.id, i.email, i.network_id, n.slug, n.name, i.school_urn, "
	 "COALESCE(sc.name, 'URN ' || i.school_urn), i.role, p.name, i.expires_at, i.accepted_at, "
	 "i.revoked_at FROM invitation i JOIN network n ON n.id = i.network_id "
	 "LEFT JOIN school sc ON sc.urn = i.school_urn LEFT JOIN person p ON p.id = i.invited_by "
	 "WHERE i.token_hash = ?");
DB_QUERY(Q_INV_SPEND,
	 "UPDATE invitation SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL "
	 "AND revoked_at IS NULL AND expires_at > ?");
DB_QUERY(Q_INV_ACCEPTED_BY, "UPDATE invitation SET accepted_by = ? WHERE id = ?");

/* Hex BLAKE2b-256 of the token text (arena). */
static const char *token_hash(struct arena *a, const char *token)
{
	unsigned char h[32];
	char hex[65];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return arena_strdup(a, hex);
}

/* A new random token (arena). */
static const char *token_new(struct arena *a)
{
	unsigned char raw[TOKEN_BYTES];
	char text[sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(text, sizeof(text), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return arena_strdup(a, text);
}

/* Shaped like a token: TOKEN_CHARS of A–Z a–z 0–9 - _. */
static bool token_plausible(const char *t)
{
	if (!t || strlen(t) != TOKEN_CHARS)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

/* "the lead", "a member of staff", "a governor". */
static const char *role_phrase(enum school_role r)
{
	switch (r) {
	case SCHOOL_ROLE_LEAD: return "a school lead";
	case SCHOOL_ROLE_STAFF: return "a member of staff";
	case SCHOOL_ROLE_GOVERNOR: return "a governor";
	default: return "a member";
	}
}

int net_invite(struct db *db, struct arena *a, const struct net_access *acc, const struct network *net,
	       const struct user *actor, const char *ip, const char *base_url, const char *email,
	       int64_t urn, enum school_role role, json_t *errors)
{
	bool member = net_has_school(db, acc->network_id, urn);
	if (!policy_invite(acc, urn, member, role)) {
		if (!member && policy_invite(acc, urn, true, role)) {
			json_object_set_new(errors, "urn", json_string("Choose one of the network's member schools"));
			return ERR_INVALID;
		}
		return policy_network_read(acc) ? ERR_FORBIDDEN : net_deny(acc);
	}
	const char *addr = email ? str_lower(a, str_trim(a, email)) : NULL;
	if (!addr || !*addr || !strchr(addr, '@') || strlen(addr) > 254) {
		json_object_set_new(errors, "email", json_string("Enter an email address, like name@school.org.uk"));
		return ERR_INVALID;
	}
	int64_t existing = 0;
	int rc = accounts_find_by_email(db, addr, &existing);
	if (rc == 0) {
		json_object_set_new(errors, "email",
				    json_string("Someone with this email already has an account: a coordinator or "
						"their school's lead can change their role instead"));
		return ERR_CONFLICT;
	}
	if (rc != ERR_NOTFOUND)
		return rc;

	int64_t now = clock_now();
	const char *now_iso = net_now_iso(a, now);
	const char *expires = net_now_iso(a, now + NET_INVITATION_TTL);
	const char *token = token_new(a);
	const char *school = NULL;
	json_t *schools = NULL;
	if (net_school(db, acc, urn, &schools) == 0)
		school = arena_strdup(a, json_string_value(json_object_get(schools, "name")));
	json_decref(schools);
	if (!school)
		school = arena_printf(a, "URN %lld", (long long)urn);

	if ((rc = db_begin(db)))
		return rc;
	/* Sending again replaces the earlier link. */
	struct db_stmt *st = db_stmt(db, &Q_INV_REPLACE);
	if (!st || db_bind_text(st, 1, now_iso) || db_bind_int(st, 2, acc->network_id) || db_bind_text(st, 3, addr))
		rc = ERR_DB;
	else if ((rc = db_step(st)) > 0)
		rc = 0;
	if (rc == 0) {
		st = db_stmt(db, &Q_INV_INSERT);
		if (!st || db_bind_text(st, 1, token_hash(a, token)) || db_bind_text(st, 2, addr) ||
		    db_bind_int(st, 3, acc->network_id) || db_bind_int(st, 4, urn) ||
		    db_bind_text(st, 5, school_role_name(role)) || db_bind_int(st, 6, acc->person_id) ||
		    db_bind_text(st, 7, now_iso) || db_bind_text(st, 8, expires))
			rc = ERR_DB;
		else if ((rc = db_step(st)) > 0)
			rc = 0;
	}
	int64_t inv_id = db_last_id(db);
	if (rc == 0) {
		struct buf body = BUF_INIT;
		buf_printf(&body,
			   "Hello,\n\n"
			   "%s has invited you to join %s in %s on Tandem, as %s.\n\n"
			   "Accept the invitation and choose your password here:\n"
			   "%s/invitations/%s\n\n"
			   "The link works once and expires on %.10s at %.5s UTC. If you were not "
			   "expecting this email, you can ignore it.\n\n"
			   "Tandem — schools that collaborate instead of compete\n",
			   actor && actor->name ? actor->name : "Someone", school, net->name, role_phrase(role),
			   base_url ? base_url : "", token, expires, expires + 11);
		const char *subject = arena_printf(a, "You are invited to %s on Tandem", net->name);
		rc = mail_queue(db, addr, subject, buf_str(&body));
		buf_free(&body);
	}
	if (rc == 0)
		audit_record(db, actor, ip, "invitation_sent",
			     json_pack("{s:I, s:I, s:s, s:I}", "invitation", (json_int_t)inv_id, "school",
				       (json_int_t)urn, "role", school_role_name(role), "network",
				       (json_int_t)acc->network_id));
	if (rc == 0 && (rc = db_commit(db)) == 0)
		return 0;
	db_rollback(db);
	return rc;
}

int net_invitations(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_INV_PENDING);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_text(st, 2, now))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	/* Only those the person may manage: all for coordinators, their school's for a lead. */
	json_t *mine = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		int64_t urn = json_integer_value(json_object_get(r, "urn"));
		const char *exp = json_string_value(json_object_get(r, "expires_at"));
		if (exp && strlen(exp) >= 10)
			json_object_set_new(r, "expires_on", json_stringn(exp, 10));
		if (policy_invitations_manage(acc, urn, net_has_school(db, acc->network_id, urn)))
			json_array_append(mine, r);
	}
	json_decref(rows);
	*out = mine;
	return 0;
}

int net_invitation_revoke(struct db *db, const struct net_access *acc, int64_t id)
{
	if (!policy_network_read(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_INV_BY_ID);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, acc->network_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	int64_t urn = db_col_int(st, 0);
	bool used = !db_col_is_null(st, 1);
	db_reset(st);
	if (!policy_invitations_manage(acc, urn, net_has_school(db, acc->network_id, urn)))
		return ERR_FORBIDDEN;
	if (used)
		return ERR_CONFLICT;
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	st = db_stmt(db, &Q_INV_REVOKE);
	if (!st || db_bind_text(st, 1, now) || db_bind_int(st, 2, id))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int net_invitation_find(struct db *db, struct arena *a, const char *token, struct net_invitation *out)
{
	memset(out, 0, sizeof(*out));
	if (!token_plausible(token))
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_INV_BY_HASH);
	if (!st || db_bind_text(st, 1, token_hash(a, token)))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	out->id = db_col_int(st, 0);
	out->email = arena_strdup(a, db_col_text(st, 1));
	out->network_id = db_col_int(st, 2);
	out->network_slug = arena_strdup(a, db_col_text(st, 3));
	out->network_name = arena_strdup(a, db_col_text(st, 4));
	out->school_urn = db_col_int(st, 5);
	out->school_name = arena_strdup(a, db_col_text(st, 6));
	enum school_role r = SCHOOL_ROLE_NONE;
	if (school_role_parse(db_col_text(st, 7), &r))
		r = SCHOOL_ROLE_NONE;
	out->role = r;
	out->inviter_name = arena_strdup(a, db_col_text(st, 8));
	out->expires_at = arena_strdup(a, db_col_text(st, 9));
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	if (!db_col_is_null(st, 10))
		out->state = "accepted";
	else if (!db_col_is_null(st, 11))
		out->state = "revoked";
	else if (strcmp(out->expires_at, now) <= 0)
		out->state = "expired";
	else
		out->state = "pending";
	db_reset(st);
	return 0;
}

int net_invitation_accept(struct db *db, struct arena *a, const char *token, const char *name,
			  const char *password, const char *ip, struct net_invitation *out,
			  int64_t *person_id, json_t *errors)
{
	*person_id = 0;
	int rc = net_invitation_find(db, a, token, out);
	if (rc)
		return rc;
	if (!str_eq(out->state, "pending"))
		return ERR_CONFLICT;
	name = net_clean_text(a, name, NET_NAME_MAX, true, "name", "your name", errors);
	if (!password || !*password)
		json_object_set_new(errors, "password", json_string("Choose a password"));
	if (json_object_size(errors))
		return ERR_INVALID;

	if ((rc = db_begin(db)))
		return rc;
	/* Spend the link first: of two tabs accepting at once, one wins. */
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_INV_SPEND);
	if (!st || db_bind_text(st, 1, now) || db_bind_null(st, 2) || db_bind_int(st, 3, out->id) ||
	    db_bind_text(st, 4, now))
		rc = ERR_DB;
	else if ((rc = db_step(st)) >= 0)
		rc = db_changes(db) == 1 ? 0 : ERR_CONFLICT;
	if (rc == ERR_CONFLICT)
		out->state = "accepted";
	char msg[256] = "";
	if (rc == 0) {
		rc = accounts_create(db, out->email, name, password, out->school_urn, out->role, false, person_id,
				     msg, sizeof(msg));
		if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
			json_object_set_new(errors, rc == ERR_CONFLICT ? "email" : "password",
					    json_string(*msg ? msg : "That cannot be used"));
			rc = ERR_INVALID;
		}
	}
	if (rc == 0) {
		/* Record who accepted it. */
		st = db_stmt(db, &Q_INV_ACCEPTED_BY);
		if (!st || db_bind_int(st, 1, *person_id) || db_bind_int(st, 2, out->id))
			rc = ERR_DB;
		else if ((rc = db_step(st)) > 0)
			rc = 0;
	}
	if (rc == 0)
		audit_record_about(db, NULL, *person_id, ip, "invitation_accepted",
				   json_pack("{s:I, s:I, s:s, s:I}", "invitation", (json_int_t)out->id, "school",
					     (json_int_t)out->school_urn, "role", school_role_name(out->role), "network",
					     (json_int_t)out->network_id));
	if (rc == 0 && (rc = db_commit(db)) == 0) {
		out->state = "accepted";
		return 0;
	}
	db_rollback(db);
	*person_id = 0;
	return rc;
}
