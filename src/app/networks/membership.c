// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * membership.c — a school joins a network only with its consent. A
 * coordinator asks a school (a school_invitation); the school's lead on
 * Tandem accepts or declines. A school with nobody on Tandem is asked
 * through an invitation to the person who will be its first lead, and joins
 * when that person is confirmed as lead: at once when their address is at
 * the school's own email domain (from the register's website), otherwise
 * when an administrator approves the request (lead_request). Administrators
 * may also add a school directly. Every membership records how it was agreed
 * (network_school.consent); those made before this rule say 'before_rule'.
 *
 * Who may do each step is decided in policy.c; this file asks it first.
 */
#include "app/networks/net.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/mail/mail.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_MS_REGISTER, "SELECT name, status_code, close_date, website FROM school WHERE urn = ?");
DB_QUERY(Q_MS_MEMBER_ADD,
	 "INSERT INTO network_school (network_id, urn, added_by, added_at, consent, consent_by) "
	 "VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_MS_ASK,
	 "INSERT INTO school_invitation (network_id, urn, invited_by, created_at) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_MS_DECIDE,
	 "UPDATE school_invitation SET decided_at = ?, decided_by = ?, decision = ? "
	 "WHERE network_id = ? AND urn = ? AND decided_at IS NULL");
DB_QUERY(Q_MS_LEADS,
	 "SELECT email, name FROM person WHERE school_urn = ? AND school_role = 'lead' ORDER BY id");
DB_QUERY(Q_MS_ASKED_LIST,
	 "SELECT si.urn, COALESCE(sc.name, 'URN ' || si.urn) AS name, sc.town, si.created_at, p.name AS inviter, "
	 "(SELECT COUNT(*) FROM person l WHERE l.school_urn = si.urn AND l.school_role = 'lead') AS leads, "
	 "(SELECT COUNT(*) FROM invitation i WHERE i.network_id = si.network_id AND i.school_urn = si.urn "
	 "AND i.role = 'lead' AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?2) "
	 "AS lead_invitations "
	 "FROM school_invitation si LEFT JOIN school sc ON sc.urn = si.urn "
	 "LEFT JOIN person p ON p.id = si.invited_by "
	 "WHERE si.network_id = ?1 AND si.decided_at IS NULL ORDER BY si.created_at DESC, si.id DESC");
DB_QUERY(Q_MS_REQUEST,
	 "SELECT si.created_at, p.name AS inviter FROM school_invitation si "
	 "LEFT JOIN person p ON p.id = si.invited_by "
	 "WHERE si.network_id = ? AND si.urn = ? AND si.decided_at IS NULL");
DB_QUERY(Q_MS_COORDINATORS,
	 "SELECT p.name FROM network_role r JOIN person p ON p.id = r.person_id "
	 "WHERE r.network_id = ? AND r.role = 'coordinator' ORDER BY p.name, p.id");
DB_QUERY(Q_MS_COORDINATOR_EMAILS,
	 "SELECT p.email FROM network_role r JOIN person p ON p.id = r.person_id "
	 "WHERE r.network_id = ? AND r.role = 'coordinator' ORDER BY p.id");
DB_QUERY(Q_MS_ASKED_OF_SCHOOL,
	 "SELECT n.slug, n.name, n.description, si.created_at FROM school_invitation si "
	 "JOIN network n ON n.id = si.network_id WHERE si.urn = ? AND si.decided_at IS NULL "
	 "ORDER BY si.created_at, n.id");
DB_QUERY(Q_MS_REVOKE_LEAD_INVITES,
	 "UPDATE invitation SET revoked_at = ? WHERE network_id = ? AND school_urn = ? "
	 "AND authority = 'coordinator' AND accepted_at IS NULL AND revoked_at IS NULL");
DB_QUERY(Q_MS_NETWORK_NAME, "SELECT name, slug FROM network WHERE id = ?");

DB_QUERY(Q_LR_OPEN,
	 "SELECT lr.id, lr.person_id, p.name AS person, p.email, lr.urn, "
	 "COALESCE(sc.name, 'URN ' || lr.urn) AS school_name, sc.town, lr.email_domain, lr.school_domain, "
	 "n.name AS network_name, n.slug AS network_slug, inv.name AS inviter, lr.created_at "
	 "FROM lead_request lr JOIN person p ON p.id = lr.person_id LEFT JOIN school sc ON sc.urn = lr.urn "
	 "LEFT JOIN network n ON n.id = lr.network_id LEFT JOIN invitation i ON i.id = lr.invitation_id "
	 "LEFT JOIN person inv ON inv.id = i.invited_by WHERE lr.decided_at IS NULL "
	 "ORDER BY lr.created_at, lr.id");
DB_QUERY(Q_LR_MINE,
	 "SELECT COALESCE(sc.name, 'URN ' || lr.urn) AS school_name, lr.created_at FROM lead_request lr "
	 "LEFT JOIN school sc ON sc.urn = lr.urn WHERE lr.person_id = ? AND lr.decided_at IS NULL "
	 "ORDER BY lr.created_at, lr.id");
DB_QUERY(Q_LR_ONE,
	 "SELECT lr.person_id, lr.urn, lr.network_id, lr.decided_at, p.school_urn, p.email, "
	 "COALESCE(sc.name, 'URN ' || lr.urn) FROM lead_request lr JOIN person p ON p.id = lr.person_id "
	 "LEFT JOIN school sc ON sc.urn = lr.urn WHERE lr.id = ?");
DB_QUERY(Q_LR_DECIDE,
	 "UPDATE lead_request SET decided_at = ?, decided_by = ?, decision = ? WHERE id = ? AND decided_at IS NULL");

/* ---- helpers ----------------------------------------------------------- */

/* "6 December 2026" for a stored UTC stamp into o[label_key] (nothing when unreadable). */
static void date_label(json_t *o, const char *iso_key, const char *label_key)
{
	int64_t t;
	if (clock_parse_iso(json_string_value(json_object_get(o, iso_key)), &t))
		return;
	char label[48];
	clock_format_uk(t, 0, label, sizeof(label));
	json_object_set_new(o, label_key, json_string(label));
}

static void date_labels(json_t *rows, const char *iso_key, const char *label_key)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		date_label(r, iso_key, label_key);
}

/* A school as the register has it (strings in the arena). */
struct register_school {
	const char *name;    /* its name */
	bool closed;         /* status "Closed" */
	const char *closed_on; /* its close date, may be NULL */
	const char *website; /* as given, may be NULL */
};

/* Look urn up in the register: 0, ERR_NOTFOUND, or a store error. */
static int register_find(struct db *db, struct arena *a, int64_t urn, struct register_school *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(db, &Q_MS_REGISTER);
	if (!st || db_bind_int(st, 1, urn))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	out->name = arena_strdup(a, db_col_text(st, 0));
	out->closed = str_eq(db_col_text(st, 1), "2");
	out->closed_on = db_col_is_null(st, 2) ? NULL : arena_strdup(a, db_col_text(st, 2));
	out->website = db_col_is_null(st, 3) ? NULL : arena_strdup(a, db_col_text(st, 3));
	db_reset(st);
	return 0;
}

static int insert_member(struct db *db, struct arena *a, int64_t network_id, int64_t urn, int64_t by,
			 const char *consent)
{
	struct db_stmt *st = db_stmt(db, &Q_MS_MEMBER_ADD);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, urn) ||
	    (by > 0 ? db_bind_int(st, 3, by) : db_bind_null(st, 3)) ||
	    db_bind_text(st, 4, net_now_iso(a, clock_now())) || db_bind_text(st, 5, consent) ||
	    (by > 0 ? db_bind_int(st, 6, by) : db_bind_null(st, 6)))
		return ERR_DB;
	return net_run(st);
}

/* Close the open request of (network, urn) with decision; *changed says whether there was one. */
static int decide_request(struct db *db, struct arena *a, int64_t network_id, int64_t urn, int64_t by,
			  const char *decision, bool *changed)
{
	struct db_stmt *st = db_stmt(db, &Q_MS_DECIDE);
	if (!st || db_bind_text(st, 1, net_now_iso(a, clock_now())) ||
	    (by > 0 ? db_bind_int(st, 2, by) : db_bind_null(st, 2)) || db_bind_text(st, 3, decision) ||
	    db_bind_int(st, 4, network_id) || db_bind_int(st, 5, urn))
		return ERR_DB;
	int rc = net_run(st);
	if (changed)
		*changed = rc == 0 && db_changes(db) > 0;
	return rc;
}

/* Queue one email to each address in the first column of st's rows. */
static int mail_each(struct db *db, struct db_stmt *st, const char *subject, const char *body)
{
	if (!st)
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	int rc = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *to = json_string_value(json_object_get(r, "email"));
		if (to && rc == 0)
			rc = mail_queue(db, to, subject, body);
	}
	json_decref(rows);
	return rc;
}

/* ---- asking a school ----------------------------------------------------- */

/* Email the leads of urn that the network asks their school to join. */
static int mail_leads_asked(struct db *db, struct arena *a, const struct net_join_request *rq, const char *school)
{
	struct buf body = BUF_INIT;
	buf_printf(&body,
		   "Hello,\n\n"
		   "%s, a coordinator of %s on Tandem, asks %s to join the network.\n\n"
		   "As the school's lead on Tandem you decide. Read what joining means and accept or decline here:\n"
		   "%s/networks/%s/membership\n\n"
		   "If the school joins, the network's coordinators and member schools see the school's name, the "
		   "names and roles of its people on Tandem and its leads' email addresses, and you can share "
		   "what the school can offer and what it needs. Only the school's own leads ever change who "
		   "works there. Nothing changes until you accept.\n\n"
		   "Tandem — schools that collaborate instead of compete\n",
		   rq->actor && rq->actor->name ? rq->actor->name : "Someone", rq->net->name, school,
		   rq->base_url ? rq->base_url : "", rq->net->slug);
	const char *subject = arena_printf(a, "%s asks %s to join", rq->net->name, school);
	struct db_stmt *st = db_stmt(db, &Q_MS_LEADS);
	int rc = !st || db_bind_int(st, 1, rq->urn) ? ERR_DB : mail_each(db, st, subject, buf_str(&body));
	buf_free(&body);
	return rc;
}

int net_school_add(struct db *db, struct arena *a, const struct net_access *acc, const struct net_join_request *rq,
		   json_t *errors, enum net_join *how)
{
	*how = NET_JOIN_MEMBER;
	if (!policy_schools_manage(acc))
		return net_deny(acc);
	int64_t urn = rq->urn;
	struct register_school sc;
	int rc = register_find(db, a, urn, &sc);
	if (rc == ERR_NOTFOUND) {
		json_object_set_new(errors, "urn",
				    json_sprintf("There is no school with URN %lld in the register", (long long)urn));
		return ERR_INVALID;
	}
	if (rc)
		return rc;
	if (sc.closed) {
		json_object_set_new(errors, "urn",
				    json_sprintf("%s (URN %lld) is closed%s%s: add the school that replaced it", sc.name,
						 (long long)urn, sc.closed_on ? " since " : "", sc.closed_on ? sc.closed_on : ""));
		return ERR_INVALID;
	}
	if (net_has_school(db, acc->network_id, urn)) {
		json_object_set_new(errors, "urn", json_sprintf("%s is already a member", sc.name));
		return ERR_CONFLICT;
	}
	bool asked = net_school_asked(db, acc->network_id, urn);
	if (policy_school_add_direct(acc)) {
		if ((rc = db_begin(db)))
			return rc;
		rc = insert_member(db, a, acc->network_id, urn, acc->person_id, "admin");
		if (rc == 0 && asked)
			rc = decide_request(db, a, acc->network_id, urn, acc->person_id, "accepted", NULL);
		if (rc == 0)
			audit_record(db, rq->actor, rq->ip, "network_school_added",
				     json_pack("{s:I, s:I, s:s}", "network", (json_int_t)acc->network_id, "school",
					       (json_int_t)urn, "consent", "admin"));
		*how = NET_JOIN_MEMBER;
		return net_finish(db, rc);
	}
	if (asked) {
		json_object_set_new(errors, "urn",
				    json_sprintf("%s has already been asked to join: it appears under \"Asked to join\" "
						 "until its lead answers",
						 sc.name));
		return ERR_CONFLICT;
	}
	bool has_lead = net_school_has_lead(db, urn);
	const char *email = NULL;
	if (!has_lead) {
		email = rq->first_lead_email ? str_lower(a, str_trim(a, rq->first_lead_email)) : NULL;
		if (!email || !*email) {
			json_object_set_new(errors, "email",
					    json_sprintf("Nobody leads %s on Tandem yet: give the email address of the "
							 "person who will be its first lead. The school joins when they accept.",
							 sc.name));
			return ERR_INVALID;
		}
		if (!strchr(email, '@') || strlen(email) > 254) {
			json_object_set_new(errors, "email", json_string("Enter an email address, like head@school.org.uk"));
			return ERR_INVALID;
		}
	}
	if ((rc = db_begin(db)))
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_MS_ASK);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, urn) ||
	    db_bind_int(st, 3, acc->person_id) || db_bind_text(st, 4, net_now_iso(a, clock_now())))
		rc = ERR_DB;
	else
		rc = net_run(st);
	if (rc == ERR_CONFLICT) {
		json_object_set_new(errors, "urn", json_sprintf("%s has already been asked to join", sc.name));
	} else if (rc == 0 && has_lead) {
		rc = mail_leads_asked(db, a, rq, sc.name);
		*how = NET_JOIN_ASKED;
	} else if (rc == 0) {
		struct net_invitation_new inv = {
			.email = email, .net = rq->net, .urn = urn, .school_name = sc.name, .role = "lead",
			.authority = "coordinator", .school_domain = net_site_domain(a, sc.website),
			.actor = rq->actor, .base_url = rq->base_url};
		int64_t id = 0;
		rc = net_invitation_insert(db, a, &inv, &id);
		*how = NET_JOIN_FIRST_LEAD;
	}
	if (rc == 0)
		audit_record(db, rq->actor, rq->ip, "network_school_asked",
			     json_pack("{s:I, s:I, s:s}", "network", (json_int_t)acc->network_id, "school",
				       (json_int_t)urn, "through", has_lead ? "its leads" : "a first lead"));
	return net_finish(db, rc);
}

int net_schools_asked(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	if (!policy_schools_manage(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_MS_ASKED_LIST);
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	json_t *rows = NULL;
	if (st && !db_bind_int(st, 1, acc->network_id) && !db_bind_text(st, 2, now))
		rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	date_labels(rows, "created_at", "asked_on");
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		bool has_lead = json_integer_value(json_object_get(r, "leads")) > 0;
		json_object_set_new(r, "has_lead", json_boolean(has_lead));
		json_object_set_new(r, "waiting_for",
				    json_string(has_lead ? "its lead to accept"
					       : json_integer_value(json_object_get(r, "lead_invitations")) > 0
						       ? "its first lead to accept the invitation"
						       : "a first lead: invite one from the People page"));
	}
	*out = rows;
	return 0;
}

int net_school_ask_withdraw(struct db *db, struct arena *a, const struct net_access *acc, const struct user *actor,
			    const char *ip, int64_t urn)
{
	if (!policy_schools_manage(acc))
		return net_deny(acc);
	int rc = db_begin(db);
	if (rc)
		return rc;
	bool changed = false;
	rc = decide_request(db, a, acc->network_id, urn, acc->person_id, "withdrawn", &changed);
	if (rc == 0 && !changed)
		rc = ERR_NOTFOUND;
	if (rc == 0) {
		/* The first-lead invitations that came with the request go too. */
		struct db_stmt *st = db_stmt(db, &Q_MS_REVOKE_LEAD_INVITES);
		rc = !st || db_bind_text(st, 1, net_now_iso(a, clock_now())) || db_bind_int(st, 2, acc->network_id) ||
				     db_bind_int(st, 3, urn)
			     ? ERR_DB
			     : net_run(st);
	}
	if (rc == 0)
		audit_record(db, actor, ip, "network_school_ask_withdrawn",
			     json_pack("{s:I, s:I}", "network", (json_int_t)acc->network_id, "school", (json_int_t)urn));
	return net_finish(db, rc);
}

/* ---- the school's answer --------------------------------------------------- */

int net_membership_request(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	if (!policy_membership_answer(acc))
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_MS_REQUEST);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, acc->school_urn))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	json_t *m = db_row_json(st);
	db_reset(st);
	date_label(m, "created_at", "asked_on");
	json_t *names = json_array();
	st = db_stmt(db, &Q_MS_COORDINATORS);
	if (st && !db_bind_int(st, 1, acc->network_id)) {
		while (db_step(st) == DB_ROW)
			json_array_append_new(names, json_string(db_col_text(st, 0)));
		db_reset(st);
	}
	json_object_set_new(m, "coordinators", names);
	*out = m;
	return 0;
}

int net_membership_answer(struct db *db, struct arena *a, const struct net_access *acc, const struct user *actor,
			  const char *ip, bool accept)
{
	if (!policy_membership_answer(acc))
		return acc->school_member ? ERR_CONFLICT : net_deny(acc);
	int rc = db_begin(db);
	if (rc)
		return rc;
	bool changed = false;
	rc = decide_request(db, a, acc->network_id, acc->school_urn, acc->person_id, accept ? "accepted" : "declined",
			    &changed);
	if (rc == 0 && !changed)
		rc = ERR_NOTFOUND;
	if (rc == 0 && accept)
		rc = insert_member(db, a, acc->network_id, acc->school_urn, acc->person_id, "lead");
	if (rc == 0 && !accept) {
		struct db_stmt *st = db_stmt(db, &Q_MS_REVOKE_LEAD_INVITES);
		rc = !st || db_bind_text(st, 1, net_now_iso(a, clock_now())) || db_bind_int(st, 2, acc->network_id) ||
				     db_bind_int(st, 3, acc->school_urn)
			     ? ERR_DB
			     : net_run(st);
	}
	if (rc == 0) {
		/* Tell the coordinators. */
		struct db_stmt *st = db_stmt(db, &Q_MS_NETWORK_NAME);
		const char *network = NULL;
		if (st && !db_bind_int(st, 1, acc->network_id) && db_step(st) == DB_ROW)
			network = arena_strdup(a, db_col_text(st, 0));
		if (st)
			db_reset(st);
		struct register_school sc;
		const char *school = register_find(db, a, acc->school_urn, &sc) == 0 ? sc.name : "A school";
		const char *subject = arena_printf(a, "%s %s %s", school, accept ? "has joined" : "declined to join",
						   network ? network : "the network");
		const char *body = arena_printf(a,
						"Hello,\n\n%s, the lead of %s on Tandem, has %s the request to join %s.\n\n"
						"Tandem — schools that collaborate instead of compete\n",
						actor && actor->name ? actor->name : "The lead", school,
						accept ? "accepted" : "declined", network ? network : "the network");
		st = db_stmt(db, &Q_MS_COORDINATOR_EMAILS);
		rc = !st || db_bind_int(st, 1, acc->network_id) ? ERR_DB : mail_each(db, st, subject, body);
	}
	if (rc == 0)
		audit_record(db, actor, ip, accept ? "network_membership_accepted" : "network_membership_declined",
			     json_pack("{s:I, s:I}", "network", (json_int_t)acc->network_id, "school",
				       (json_int_t)acc->school_urn));
	return net_finish(db, rc);
}

json_t *net_asked_of_school(struct db *db, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_MS_ASKED_OF_SCHOOL);
	json_t *rows = urn > 0 && st && !db_bind_int(st, 1, urn) ? db_rows_json(st) : NULL;
	if (!rows)
		return json_array();
	date_labels(rows, "created_at", "asked_on");
	return rows;
}

int net_membership_first_lead(struct db *db, struct arena *a, int64_t network_id, int64_t urn, int64_t person_id)
{
	if (network_id <= 0 || net_has_school(db, network_id, urn))
		return 0;
	bool changed = false;
	int rc = decide_request(db, a, network_id, urn, person_id, "accepted", &changed);
	if (rc == 0 && changed)
		rc = insert_member(db, a, network_id, urn, person_id, "first_lead");
	return rc;
}

/* ---- would-be first leads ------------------------------------------------- */

int net_lead_requests(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	if (!policy_lead_request_decide(acc))
		return acc->person_id > 0 ? ERR_FORBIDDEN : ERR_UNAUTH;
	struct db_stmt *st = db_stmt(db, &Q_LR_OPEN);
	json_t *rows = st ? db_rows_json(st) : NULL;
	if (!rows)
		return ERR_DB;
	date_labels(rows, "created_at", "asked_on");
	*out = rows;
	return 0;
}

json_t *net_lead_requests_of(struct db *db, int64_t person_id)
{
	struct db_stmt *st = db_stmt(db, &Q_LR_MINE);
	json_t *rows = person_id > 0 && st && !db_bind_int(st, 1, person_id) ? db_rows_json(st) : NULL;
	if (!rows)
		return json_array();
	date_labels(rows, "created_at", "asked_on");
	return rows;
}

int net_lead_request_decide(struct db *db, struct arena *a, const struct net_access *acc, const struct user *actor,
			    const char *ip, const char *base_url, int64_t id, bool approve)
{
	if (!policy_lead_request_decide(acc))
		return acc->person_id > 0 ? ERR_FORBIDDEN : ERR_UNAUTH;
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_LR_ONE);
	int64_t person = 0, urn = 0, network_id = 0, current = 0;
	bool decided = false;
	const char *email = NULL, *school = NULL;
	if (!st || db_bind_int(st, 1, id)) {
		rc = ERR_DB;
	} else if ((rc = db_step(st)) == DB_ROW) {
		person = db_col_int(st, 0);
		urn = db_col_int(st, 1);
		network_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		decided = !db_col_is_null(st, 3);
		current = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
		email = arena_strdup(a, db_col_text(st, 5));
		school = arena_strdup(a, db_col_text(st, 6));
		db_reset(st);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = ERR_NOTFOUND;
	}
	if (rc == 0 && (decided || (approve && current > 0 && current != urn)))
		rc = ERR_CONFLICT;
	if (rc == 0) {
		st = db_stmt(db, &Q_LR_DECIDE);
		if (!st || db_bind_text(st, 1, net_now_iso(a, clock_now())) || db_bind_int(st, 2, acc->person_id) ||
		    db_bind_text(st, 3, approve ? "approved" : "refused") || db_bind_int(st, 4, id))
			rc = ERR_DB;
		else if ((rc = net_run(st)) == 0 && db_changes(db) != 1)
			rc = ERR_CONFLICT;
	}
	if (rc == 0 && approve)
		rc = accounts_set_school_role(db, person, urn, SCHOOL_ROLE_LEAD);
	if (rc == 0 && approve)
		rc = net_membership_first_lead(db, a, network_id, urn, person);
	if (rc == 0 && email) {
		const char *subject = approve ? arena_printf(a, "You are the lead of %s on Tandem", school)
					      : arena_printf(a, "Your request to lead %s on Tandem", school);
		const char *body =
			approve ? arena_printf(a,
					       "Hello,\n\nA Tandem administrator has confirmed you as the lead of %s. "
					       "Sign in to see your school's networks:\n%s/networks\n\n"
					       "Tandem — schools that collaborate instead of compete\n",
					       school, base_url ? base_url : "")
				: arena_printf(a,
					       "Hello,\n\nA Tandem administrator could not confirm you as the lead of %s, "
					       "because your email address is not at the school's own domain and they "
					       "could not check it another way. If you do lead the school, ask the network "
					       "to invite you at your school address.\n\n"
					       "Tandem — schools that collaborate instead of compete\n",
					       school);
		rc = mail_queue(db, email, subject, body);
	}
	if (rc == 0)
		audit_record_about(db, actor, person, ip, approve ? "lead_request_approved" : "lead_request_refused",
				   json_pack("{s:I, s:I}", "request", (json_int_t)id, "school", (json_int_t)urn));
	return net_finish(db, rc);
}

/* ---- email domains --------------------------------------------------------- */

const char *net_site_domain(struct arena *a, const char *website)
{
	if (!website)
		return "";
	const char *p = str_trim(a, website);
	const char *scheme = strstr(p, "://");
	if (scheme)
		p = scheme + 3;
	size_t n = strcspn(p, "/:?#@ ");
	char *host = str_lower(a, arena_strndup(a, p, n));
	while (n > 0 && host[n - 1] == '.')
		host[--n] = '\0';
	if (strncmp(host, "www.", 4) == 0)
		host += 4;
	/* A host needs a dot and only letters, digits, hyphens and dots. */
	if (!strchr(host, '.'))
		return "";
	for (const char *c = host; *c; c++)
		if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '.'))
			return "";
	return host;
}

bool net_email_at_domain(const char *email, const char *domain)
{
	if (!email || !domain || !*domain)
		return false;
	const char *at = strrchr(email, '@');
	if (!at || !at[1])
		return false;
	const char *host = at + 1;
	size_t hn = strlen(host), dn = strlen(domain);
	if (hn == dn)
		return strcasecmp(host, domain) == 0;
	return hn > dn && host[hn - dn - 1] == '.' && strcasecmp(host + hn - dn, domain) == 0;
}
