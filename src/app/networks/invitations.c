// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * invitations.c — how people join a school or a network role. A school's
 * lead invites colleagues (any role); an administrator invites anyone; a
 * coordinator invites only the first lead of a school that has nobody on
 * Tandem (policy.c). Coordinators invite people to the steering group and
 * to coordinate. An invitation is a single-use link with a week's expiry.
 * The link carries 32 random bytes (base64url); the store keeps only their
 * BLAKE2b hash, so a copy of the database cannot be used to accept anyone's
 * invitation.
 *
 * Whether an address has an account is never revealed to the sender: the
 * invitation is sent either way. Following the link, a new person chooses a
 * password; an existing one signs in and accepts. Accepting spends the link
 * and grants the role in one transaction, so a link works exactly once. A
 * first lead invited by a coordinator becomes lead at once only when their
 * address is at the school's own email domain (the register's website);
 * otherwise their request waits for an administrator (membership.c).
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
	 "INSERT INTO invitation (token_hash, email, network_id, school_urn, role, authority, invited_by, "
	 "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_INV_REPLACE,
	 "UPDATE invitation SET revoked_at = ? WHERE network_id = ? AND email = ? AND COALESCE(school_urn, 0) = ? "
	 "AND accepted_at IS NULL AND revoked_at IS NULL");
DB_QUERY(Q_INV_PENDING,
	 "SELECT i.id, i.email, i.school_urn AS urn, COALESCE(sc.name, 'URN ' || i.school_urn) AS "
	 "school_name, i.role, i.authority, i.created_at, i.expires_at, p.name AS inviter FROM invitation i "
	 "LEFT JOIN school sc ON sc.urn = i.school_urn LEFT JOIN person p ON p.id = i.invited_by "
	 "WHERE i.network_id = ? AND i.school_urn IS NOT NULL AND i.accepted_at IS NULL AND i.revoked_at IS NULL "
	 "AND i.expires_at > ? ORDER BY i.created_at DESC, i.id DESC");
DB_QUERY(Q_INV_BY_ID,
	 "SELECT school_urn, accepted_at FROM invitation WHERE id = ? AND network_id = ? "
	 "AND school_urn IS NOT NULL AND revoked_at IS NULL");
DB_QUERY(Q_INV_REVOKE, "UPDATE invitation SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL");
DB_QUERY(Q_INV_BY_HASH,
	 "SELECT i.id, i.email, i.network_id, n.slug, n.name, i.school_urn, "
	 "COALESCE(sc.name, 'URN ' || i.school_urn), i.role, i.authority, p.name, i.expires_at, i.accepted_at, "
	 "i.revoked_at, (SELECT COUNT(*) FROM person e WHERE e.email = i.email) FROM invitation i "
	 "JOIN network n ON n.id = i.network_id "
	 "LEFT JOIN school sc ON sc.urn = i.school_urn LEFT JOIN person p ON p.id = i.invited_by "
	 "WHERE i.token_hash = ?");
DB_QUERY(Q_INV_INVITER_STILL,
	 "SELECT p.is_admin, p.school_urn, p.school_role FROM invitation i JOIN person p ON p.id = i.invited_by "
	 "WHERE i.id = ?");
DB_QUERY(Q_INV_SPEND,
	 "UPDATE invitation SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL "
	 "AND revoked_at IS NULL AND expires_at > ?");
DB_QUERY(Q_INV_ACCEPTED_BY, "UPDATE invitation SET accepted_by = ? WHERE id = ?");
DB_QUERY(Q_INV_ROLE_ADD,
	 "INSERT INTO network_role (network_id, person_id, role, added_at) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_INV_SCHOOL_WEBSITE, "SELECT website FROM school WHERE urn = ?");
DB_QUERY(Q_INV_LEAD_REQUEST,
	 "INSERT INTO lead_request (person_id, urn, network_id, invitation_id, email_domain, school_domain, "
	 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");

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

const char *net_role_phrase(const char *role)
{
	if (str_eq(role, "lead"))
		return "a school lead";
	if (str_eq(role, "staff"))
		return "a member of staff";
	if (str_eq(role, "governor"))
		return "a governor";
	if (str_eq(role, "coordinator"))
		return "a coordinator";
	if (str_eq(role, "steering"))
		return "a member of the steering group";
	return "a member";
}

/* "13 December 2026, 19:52 UK time" for a Unix time (arena). */
static const char *uk_text(struct arena *a, int64_t t)
{
	char s[48];
	clock_format_uk(t, 1, s, sizeof(s));
	return arena_printf(a, "%s UK time", s);
}

/* A checked, lower-case email address, or NULL with an error on field "email". */
static const char *clean_email(struct arena *a, const char *email, json_t *errors)
{
	const char *addr = email ? str_lower(a, str_trim(a, email)) : NULL;
	const char *at = addr ? strchr(addr, '@') : NULL;
	if (!addr || !*addr || !at || at == addr || !at[1] || strchr(at + 1, '@') || strlen(addr) > 254) {
		json_object_set_new(errors, "email", json_string("Enter an email address, like name@school.org.uk"));
		return NULL;
	}
	return addr;
}

int net_invitation_insert(struct db *db, struct arena *a, const struct net_invitation_new *in, int64_t *id)
{
	*id = 0;
	int64_t now = clock_now();
	const char *now_iso = net_now_iso(a, now);
	const char *expires = net_now_iso(a, now + NET_INVITATION_TTL);
	const char *token = token_new(a);
	/* Sending again replaces the earlier link for the same school or network role. */
	struct db_stmt *st = db_stmt(db, &Q_INV_REPLACE);
	int rc;
	if (!st || db_bind_text(st, 1, now_iso) || db_bind_int(st, 2, in->net->id) || db_bind_text(st, 3, in->email) ||
	    db_bind_int(st, 4, in->urn > 0 ? in->urn : 0))
		return ERR_DB;
	if ((rc = net_run(st)))
		return rc;
	st = db_stmt(db, &Q_INV_INSERT);
	if (!st || db_bind_text(st, 1, token_hash(a, token)) || db_bind_text(st, 2, in->email) ||
	    db_bind_int(st, 3, in->net->id) || (in->urn > 0 ? db_bind_int(st, 4, in->urn) : db_bind_null(st, 4)) ||
	    db_bind_text(st, 5, in->role) || db_bind_text(st, 6, in->authority) ||
	    (in->actor ? db_bind_int(st, 7, in->actor->id) : db_bind_null(st, 7)) || db_bind_text(st, 8, now_iso) ||
	    db_bind_text(st, 9, expires))
		return ERR_DB;
	if ((rc = net_run(st)))
		return rc;
	*id = db_last_id(db);

	const char *who = in->actor && in->actor->name ? in->actor->name : "Someone";
	struct buf body = BUF_INIT;
	buf_printf(&body, "Hello,\n\n");
	if (in->urn <= 0)
		buf_printf(&body, "%s has invited you to join %s on Tandem as %s.\n\n", who, in->net->name,
			   net_role_phrase(in->role));
	else if (str_eq(in->authority, "coordinator"))
		buf_printf(&body,
			   "%s, a coordinator of %s on Tandem, has asked %s to join the network, and invites you "
			   "to be the school's first lead on Tandem: the person who speaks for the school there and "
			   "decides whether it joins.\n\n"
			   "%s\n\n",
			   who, in->net->name, in->school_name,
			   in->school_domain && *in->school_domain
				   ? arena_printf(a,
						  "If your email address is at the school's own domain (%s), you become its "
						  "lead when you accept. Otherwise a Tandem administrator checks with you first.",
						  in->school_domain)
				   : "The register gives no website for the school, so a Tandem administrator checks "
				     "with you before you become its lead.");
	else
		buf_printf(&body, "%s has invited you to join %s in %s on Tandem, as %s.\n\n", who, in->school_name,
			   in->net->name, net_role_phrase(in->role));
	buf_printf(&body,
		   "Open this link to accept. If you already have a Tandem account, you sign in with it; if not, "
		   "you choose a password:\n"
		   "%s/invitations/%s\n\n"
		   "The link works once and expires on %s. If you were not expecting this email, you can ignore "
		   "it.\n\n"
		   "Tandem — schools that collaborate instead of compete\n",
		   in->base_url ? in->base_url : "", token, uk_text(a, now + NET_INVITATION_TTL));
	const char *subject = in->urn > 0 ? arena_printf(a, "You are invited to %s on Tandem", in->school_name)
					  : arena_printf(a, "You are invited to %s on Tandem", in->net->name);
	rc = mail_queue(db, in->email, subject, buf_str(&body));
	buf_free(&body);
	return rc;
}

int net_invite(struct db *db, struct arena *a, const struct net_access *acc, const struct network *net,
	       const struct user *actor, const char *ip, const char *base_url, const char *email,
	       int64_t urn, enum school_role role, json_t *errors)
{
	struct net_school_facts f;
	net_school_facts_load(db, acc->network_id, urn, &f);
	if (!policy_invite(acc, &f, role)) {
		if (!policy_network_read(acc))
			return net_deny(acc);
		if (!f.member && !f.invited) {
			json_object_set_new(errors, "urn", json_string("Choose one of the network's member schools"));
			return ERR_INVALID;
		}
		if (acc->coordinator && !acc->is_admin && f.has_lead)
			json_object_set_new(errors, "urn",
					    json_string("That school has a lead on Tandem: its lead invites its people"));
		else if (acc->coordinator && !acc->is_admin && role != SCHOOL_ROLE_LEAD)
			json_object_set_new(errors, "role",
					    json_string("A coordinator invites only a school's first lead; the lead "
							"then invites colleagues"));
		else
			return ERR_FORBIDDEN;
		return ERR_INVALID;
	}
	const char *addr = clean_email(a, email, errors);
	if (!addr)
		return ERR_INVALID;
	const char *school = NULL, *website = NULL;
	struct db_stmt *st = db_stmt(db, &Q_INV_SCHOOL_WEBSITE);
	if (st && !db_bind_int(st, 1, urn) && db_step(st) == DB_ROW)
		website = db_col_is_null(st, 0) ? NULL : arena_strdup(a, db_col_text(st, 0));
	if (st)
		db_reset(st);
	json_t *one = NULL;
	if (f.member && net_school(db, acc, urn, &one) == 0)
		school = arena_strdup(a, json_string_value(json_object_get(one, "name")));
	json_decref(one);
	if (!school)
		school = arena_printf(a, "URN %lld", (long long)urn);
	const char *authority = acc->is_admin ? "admin" : (acc->role == SCHOOL_ROLE_LEAD && acc->school_urn == urn)
								 ? "lead"
								 : "coordinator";
	struct net_invitation_new in = {.email = addr, .net = net, .urn = urn, .school_name = school,
					.role = school_role_name(role), .authority = authority,
					.school_domain = net_site_domain(a, website), .actor = actor, .base_url = base_url};
	int rc = db_begin(db);
	if (rc)
		return rc;
	int64_t id = 0;
	rc = net_invitation_insert(db, a, &in, &id);
	if (rc == 0)
		audit_record(db, actor, ip, "invitation_sent",
			     json_pack("{s:I, s:I, s:s, s:I, s:s}", "invitation", (json_int_t)id, "school",
				       (json_int_t)urn, "role", school_role_name(role), "network",
				       (json_int_t)acc->network_id, "authority", authority));
	return net_finish(db, rc);
}

int net_role_invite(struct db *db, struct arena *a, const struct net_access *acc, const struct network *net,
		    const struct user *actor, const char *ip, const char *base_url, const char *email,
		    const char *role, json_t *errors)
{
	if (!policy_steering_manage(acc))
		return net_deny(acc);
	if (!str_eq(role, "coordinator") && !str_eq(role, "steering")) {
		json_object_set_new(errors, "role", json_string("Choose coordinator or steering group"));
		return ERR_INVALID;
	}
	const char *addr = clean_email(a, email, errors);
	if (!addr)
		return ERR_INVALID;
	struct net_invitation_new in = {.email = addr, .net = net, .role = role, .authority = "lead",
					.actor = actor, .base_url = base_url};
	int rc = db_begin(db);
	if (rc)
		return rc;
	int64_t id = 0;
	rc = net_invitation_insert(db, a, &in, &id);
	if (rc == 0)
		audit_record(db, actor, ip, "invitation_sent",
			     json_pack("{s:I, s:s, s:I}", "invitation", (json_int_t)id, "role", role, "network",
				       (json_int_t)acc->network_id));
	return net_finish(db, rc);
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
	/* Only those the person may manage: their school's for a lead, first leads' for a coordinator. */
	json_t *mine = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		int64_t urn = json_integer_value(json_object_get(r, "urn"));
		const char *exp = json_string_value(json_object_get(r, "expires_at"));
		int64_t t;
		if (exp && clock_parse_iso(exp, &t) == 0) {
			char day[48];
			clock_format_uk(t, 1, day, sizeof(day));
			json_object_set_new(r, "expires_on", json_sprintf("%s UK time", day));
		}
		struct net_school_facts f;
		net_school_facts_load(db, acc->network_id, urn, &f);
		if (policy_invitations_manage(acc, &f))
			json_array_append(mine, r);
	}
	json_decref(rows);
	*out = mine;
	return 0;
}

int net_invitation_revoke(struct db *db, const struct net_access *acc, int64_t id)
{
	if (!policy_network_read(acc) && !policy_schools_manage(acc))
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
	struct net_school_facts f;
	net_school_facts_load(db, acc->network_id, urn, &f);
	if (!policy_invitations_manage(acc, &f))
		return ERR_FORBIDDEN;
	if (used)
		return ERR_CONFLICT;
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	st = db_stmt(db, &Q_INV_REVOKE);
	if (!st || db_bind_text(st, 1, now) || db_bind_int(st, 2, id))
		return ERR_DB;
	return net_run(st);
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
	out->school_urn = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	out->school_name = out->school_urn ? arena_strdup(a, db_col_text(st, 6)) : NULL;
	out->role = arena_strdup(a, db_col_text(st, 7));
	out->authority = arena_strdup(a, db_col_text(st, 8));
	out->inviter_name = arena_strdup(a, db_col_text(st, 9));
	out->expires_at = arena_strdup(a, db_col_text(st, 10));
	bool accepted = !db_col_is_null(st, 11), revoked = !db_col_is_null(st, 12);
	out->has_account = db_col_int(st, 13) > 0;
	db_reset(st);
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	if (accepted)
		out->state = "accepted";
	else if (revoked)
		out->state = "revoked";
	else if (strcmp(out->expires_at, now) <= 0)
		out->state = "expired";
	else
		out->state = "pending";
	int64_t exp;
	out->expires_text = clock_parse_iso(out->expires_at, &exp) == 0 ? uk_text(a, exp) : out->expires_at;
	return 0;
}

/* Whether whoever sent invitation id may still give school roles at urn (a lead there, or an administrator). */
static bool inviter_still_entitled(struct db *db, int64_t id, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_INV_INVITER_STILL);
	if (!st || db_bind_int(st, 1, id))
		return false;
	bool yes = false;
	if (db_step(st) == DB_ROW)
		yes = db_col_int(st, 0) == 1 ||
		      (!db_col_is_null(st, 1) && db_col_int(st, 1) == urn && str_eq(db_col_text(st, 2), "lead"));
	db_reset(st);
	return yes;
}

/* The school's email domain from the register ("" when none), arena. */
static const char *school_domain(struct db *db, struct arena *a, int64_t urn)
{
	const char *website = NULL;
	struct db_stmt *st = db_stmt(db, &Q_INV_SCHOOL_WEBSITE);
	if (st && !db_bind_int(st, 1, urn) && db_step(st) == DB_ROW && !db_col_is_null(st, 0))
		website = arena_strdup(a, db_col_text(st, 0));
	if (st)
		db_reset(st);
	return net_site_domain(a, website);
}

/* Grant what the invitation gives to person (inside the transaction); res says what happened. */
static int grant(struct db *db, struct arena *a, const struct net_invitation *inv, int64_t person,
		 struct net_acceptance *res)
{
	if (inv->school_urn <= 0) {
		res->outcome = NET_ACCEPTED_NETWORK;
		struct db_stmt *st = db_stmt(db, &Q_INV_ROLE_ADD);
		if (!st || db_bind_int(st, 1, inv->network_id) || db_bind_int(st, 2, person) ||
		    db_bind_text(st, 3, inv->role) || db_bind_text(st, 4, net_now_iso(a, clock_now())))
			return ERR_DB;
		int rc = net_run(st);
		return rc == ERR_CONFLICT ? 0 : rc; /* they had the role already */
	}
	enum school_role role;
	if (school_role_parse(inv->role, &role) || role == SCHOOL_ROLE_NONE)
		return ERR_INVALID;
	res->outcome = NET_ACCEPTED_SCHOOL;
	if (str_eq(inv->authority, "coordinator")) {
		/* A first lead: at once only at the school's own domain and while it has no lead. */
		const char *domain = school_domain(db, a, inv->school_urn);
		if (role == SCHOOL_ROLE_LEAD && !net_school_has_lead(db, inv->school_urn) &&
		    net_email_at_domain(inv->email, domain)) {
			int rc = accounts_set_school_role(db, person, inv->school_urn, SCHOOL_ROLE_LEAD);
			if (rc == 0)
				rc = net_membership_first_lead(db, a, inv->network_id, inv->school_urn, person);
			res->domain = domain;
			return rc;
		}
		res->outcome = NET_ACCEPTED_WAITING;
		const char *at = strrchr(inv->email, '@');
		struct db_stmt *st = db_stmt(db, &Q_INV_LEAD_REQUEST);
		if (!st || db_bind_int(st, 1, person) || db_bind_int(st, 2, inv->school_urn) ||
		    db_bind_int(st, 3, inv->network_id) || db_bind_int(st, 4, inv->id) ||
		    db_bind_text(st, 5, at ? at + 1 : "") || db_bind_text(st, 6, domain) ||
		    db_bind_text(st, 7, net_now_iso(a, clock_now())))
			return ERR_DB;
		return net_run(st);
	}
	/* From the school's lead or an administrator, who must still be entitled to give it. */
	if (!inviter_still_entitled(db, inv->id, inv->school_urn))
		return ERR_CONFLICT;
	return accounts_set_school_role(db, person, inv->school_urn, role);
}

int net_invitation_accept(struct db *db, struct arena *a, const char *token, const struct user *u,
			  const char *name, const char *password, const char *ip, struct net_invitation *out,
			  struct net_acceptance *res, json_t *errors)
{
	memset(res, 0, sizeof(*res));
	int rc = net_invitation_find(db, a, token, out);
	if (rc)
		return rc;
	if (!str_eq(out->state, "pending"))
		return ERR_CONFLICT;
	int64_t existing = 0;
	rc = accounts_find_by_email(db, out->email, &existing);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	if (existing > 0) {
		/* Someone with an account accepts by signing in as themselves. */
		if (!u)
			return ERR_UNAUTH;
		if (u->id != existing)
			return ERR_FORBIDDEN;
	} else {
		name = net_clean_text(a, name, NET_NAME_MAX, true, "name", "your name", errors);
		if (!password || !*password)
			json_object_set_new(errors, "password", json_string("Choose a password"));
		if (json_object_size(errors))
			return ERR_INVALID;
	}

	if ((rc = db_begin(db)))
		return rc;
	/* Spend the link first: of two tabs accepting at once, one wins. */
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_INV_SPEND);
	if (!st || db_bind_text(st, 1, now) || (existing > 0 ? db_bind_int(st, 2, existing) : db_bind_null(st, 2)) ||
	    db_bind_int(st, 3, out->id) || db_bind_text(st, 4, now))
		rc = ERR_DB;
	else if ((rc = db_step(st)) >= 0)
		rc = db_changes(db) == 1 ? 0 : ERR_CONFLICT;
	if (st)
		db_reset(st);
	if (rc == ERR_CONFLICT)
		out->state = "accepted";
	int64_t person = existing;
	char msg[256] = "";
	if (rc == 0 && existing == 0) {
		rc = accounts_create(db, out->email, name, password, 0, SCHOOL_ROLE_NONE, false, &person, msg,
				     sizeof(msg));
		if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
			json_object_set_new(errors, rc == ERR_CONFLICT ? "email" : "password",
					    json_string(*msg ? msg : "That cannot be used"));
			rc = ERR_INVALID;
		}
		if (rc == 0) {
			/* Record who accepted it. */
			st = db_stmt(db, &Q_INV_ACCEPTED_BY);
			rc = !st || db_bind_int(st, 1, person) || db_bind_int(st, 2, out->id) ? ERR_DB : net_run(st);
		}
	}
	if (rc == 0)
		rc = grant(db, a, out, person, res);
	if (rc == ERR_CONFLICT && !str_eq(out->state, "accepted"))
		out->state = "revoked"; /* the lead who sent it no longer leads the school */
	if (rc == 0)
		audit_record_about(db, NULL, person, ip, "invitation_accepted",
				   json_pack("{s:I, s:I, s:s, s:I, s:s}", "invitation", (json_int_t)out->id, "school",
					     (json_int_t)out->school_urn, "role", out->role, "network",
					     (json_int_t)out->network_id, "outcome",
					     res->outcome == NET_ACCEPTED_WAITING ? "waiting for an administrator"
										  : "granted"));
	if (rc == 0 && (rc = db_commit(db)) == 0) {
		out->state = "accepted";
		res->person_id = person;
		return 0;
	}
	db_rollback(db);
	return rc;
}
