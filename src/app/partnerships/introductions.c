// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * introductions.c — asking to be introduced to another member school (by
 * its lead, or brokered by a coordinator between two member schools), the
 * other school's lead accepting or declining with a reason, and the email
 * both sides get. An accepted introduction opens a partnership in the
 * forming state with both schools as partners, ready for its agreement.
 * While an introduction between two schools waits for an answer neither
 * asks the other again; a lead asking for their own school says why; a
 * school nobody leads on Tandem cannot be asked (nobody could answer), and
 * the new-introduction page says how to invite its first lead instead.
 */
#include <stdio.h>
#include <string.h>

#include "app/networks/net.h"
#include "app/partnerships/partnerships.h"
#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_INTRO_INSERT,
	 "INSERT INTO introduction (network_id, from_urn, to_urn, message, requested_by, brokered, created_at) "
	 "VALUES (?, ?, ?, ?, ?, ?, ?)");
/* Any pending introduction between two schools, in any network: asking twice is refused. */
DB_QUERY(Q_INTRO_PENDING,
	 "SELECT id, from_urn, created_at FROM introduction WHERE state = 'pending' AND "
	 "((from_urn = ?1 AND to_urn = ?2) OR (from_urn = ?2 AND to_urn = ?1)) ORDER BY id LIMIT 1");
DB_QUERY(Q_INTRO_ASKED,
	 "SELECT to_urn, id, created_at FROM introduction WHERE from_urn = ? AND state = 'pending' ORDER BY id");
DB_QUERY(Q_PERSON_NAME, "SELECT name FROM person WHERE id = ?");
DB_QUERY(Q_INTRO_GET,
	 "SELECT i.id, i.network_id, n.slug, n.name, i.from_urn, i.to_urn, i.message, i.brokered, i.state, "
	 "i.reason, i.partnership_id, i.created_at, i.requested_by FROM introduction i "
	 "JOIN network n ON n.id = i.network_id WHERE i.id = ?");
DB_QUERY(Q_INTRO_MINE,
	 "SELECT i.id, i.state, i.from_urn, i.to_urn, i.created_at, i.brokered, n.name AS network_name, "
	 "(SELECT name FROM school WHERE urn = i.from_urn) AS from_name, "
	 "(SELECT name FROM school WHERE urn = i.to_urn) AS to_name, i.partnership_id, "
	 "(i.to_urn = ?1 AND i.state = 'pending') AS awaiting_you, "
	 "(i.from_urn = ?1 AND i.state = 'pending') AS asked_by_you, p.name AS asked_by, i.message "
	 "FROM introduction i JOIN network n ON n.id = i.network_id LEFT JOIN person p ON p.id = i.requested_by "
	 "WHERE i.from_urn = ?1 OR i.to_urn = ?1 OR i.network_id IN "
	 "(SELECT network_id FROM network_role WHERE person_id = ?2 AND role = 'coordinator') "
	 "ORDER BY i.id DESC LIMIT 200");
DB_QUERY(Q_INTRO_ANSWER,
	 "UPDATE introduction SET state = ?, reason = ?, answered_by = ?, answered_at = ?, partnership_id = ? "
	 "WHERE id = ? AND state = 'pending'");
DB_QUERY(Q_PS_INSERT,
	 "INSERT INTO partnership (network_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_PS_SCHOOL_INSERT,
	 "INSERT INTO partnership_school (partnership_id, urn, lead_person_id) VALUES (?, ?, ?)");
DB_QUERY(Q_FIRST_LEAD, "SELECT id FROM person WHERE school_urn = ? AND school_role = 'lead' ORDER BY id LIMIT 1");
DB_QUERY(Q_HAS_LEAD, "SELECT 1 FROM person WHERE school_urn = ? AND school_role = 'lead' LIMIT 1");
DB_QUERY(Q_PEERS,
	 "SELECT b.urn, MIN(n.name) FROM network_school a JOIN network_school b ON b.network_id = a.network_id "
	 "AND b.urn <> a.urn JOIN network n ON n.id = a.network_id WHERE a.urn = ? GROUP BY b.urn");
DB_QUERY(Q_OFFER,
	 "SELECT n.slug, n.name FROM network n JOIN network_school a ON a.network_id = n.id AND a.urn = ? "
	 "JOIN network_school b ON b.network_id = n.id AND b.urn = ? ORDER BY n.name");

/* Whether school urn has a lead on Tandem (someone who could answer an introduction). */
static bool has_lead(struct db *db, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_HAS_LEAD);
	bool yes = st && db_bind_int(st, 1, urn) == 0 && db_step(st) == DB_ROW;
	if (st)
		db_reset(st);
	return yes;
}

/* "6 December 2026" for a stored time (arena), "" when it does not parse. */
static const char *day_label(struct arena *a, const char *iso)
{
	int64_t t = ps_parse_time(iso);
	char day[48] = "";
	if (t)
		clock_format_day(t, true, day, sizeof(day));
	return arena_strdup(a, day);
}

/*
 * Refuse a second introduction between from_urn and to_urn while one is
 * waiting for an answer, whichever school asked: errors["to"] says who
 * asked whom and when. 0 when none waits, ERR_CONFLICT, or a store error.
 */
static int refuse_twice(struct db *db, struct arena *a, const struct ps_access *acc, int64_t from_urn,
			int64_t to_urn, json_t *errors)
{
	struct db_stmt *st = db_stmt(db, &Q_INTRO_PENDING);
	if (!st || db_bind_int(st, 1, from_urn) || db_bind_int(st, 2, to_urn))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : 0;
	}
	int64_t asker = db_col_int(st, 1);
	const char *on = day_label(a, db_col_text(st, 2));
	db_reset(st);
	const char *to_name = ps_school_name(db, a, to_urn), *from_name = ps_school_name(db, a, from_urn);
	const char *msg;
	if (asker == from_urn && acc->school_urn == from_urn)
		msg = arena_printf(a, "You asked %s on %s and the introduction is waiting for them to answer, "
				      "so it was not asked again.", to_name, on);
	else if (acc->school_urn == from_urn)
		msg = arena_printf(a, "%s asked to be introduced to your school on %s: answer their introduction "
				      "(under Introductions) instead.", to_name, on);
	else
		msg = arena_printf(a, "An introduction between %s and %s, asked on %s, is already waiting for an "
				      "answer.", from_name, to_name, on);
	json_object_set_new(errors, "to", json_string(msg));
	return ERR_CONFLICT;
}

int ps_intro_create(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		    const char *base_url, int64_t network_id, int64_t from_urn, const int64_t *to, size_t n,
		    const char *message, json_t *errors)
{
	if (!u)
		return ERR_FORBIDDEN;
	bool from_member = net_has_school(db, network_id, from_urn);
	if (n == 0) {
		json_object_set_new(errors, "to", json_string("Choose at least one school to be introduced to."));
		return ERR_INVALID;
	}
	if (n > PS_TO_MAX) {
		json_object_set_new(errors, "to", json_sprintf("Ask at most %d schools at once.", PS_TO_MAX));
		return ERR_INVALID;
	}
	for (size_t i = 0; i < n; i++) {
		bool to_member = net_has_school(db, network_id, to[i]);
		if (policy_intro_request(acc, from_urn, from_member, to[i], to_member))
			continue;
		/* Whose fault: a school not in the network is a bad value; anything else is not allowed. */
		if (from_member && to[i] != from_urn && !to_member) {
			json_object_set_new(errors, "to",
					    json_sprintf("URN %lld is not a member school of this network.", (long long)to[i]));
			return ERR_INVALID;
		}
		if (to[i] == from_urn && (acc->coordinator || acc->school_urn == from_urn)) {
			json_object_set_new(errors, "to", json_string("A school cannot be introduced to itself."));
			return ERR_INVALID;
		}
		return ERR_FORBIDDEN;
	}
	bool brokered = !(acc->school_urn == from_urn && acc->role == SCHOOL_ROLE_LEAD);
	const char *msg = message ? str_trim(a, message) : "";
	if (utf8_len(msg, strlen(msg)) > PS_MESSAGE_MAX) {
		json_object_set_new(errors, "message",
				    json_sprintf("Keep the message to %d characters.", PS_MESSAGE_MAX));
		return ERR_INVALID;
	}
	/* The school asked reads the message first: a lead asking for their own school says why. */
	if (!brokered && !*msg) {
		json_object_set_new(errors, "message",
				    json_string("Say why you would like to work together: the message is the first "
						"thing the other school's lead reads."));
		return ERR_INVALID;
	}
	for (size_t i = 0; i < n; i++)
		if (!has_lead(db, to[i])) {
			json_object_set_new(errors, "to",
					    json_sprintf("Nobody leads %s on Tandem yet, so nobody there could answer. "
							 "Invite its lead by email first.", ps_school_name(db, a, to[i])));
			return ERR_INVALID;
		}
	int rc = db_begin(db);
	if (rc)
		return rc;
	const char *now = ps_iso(a, clock_now());
	for (size_t i = 0; i < n; i++) {
		if ((rc = refuse_twice(db, a, acc, from_urn, to[i], errors)))
			goto out;
		struct db_stmt *st = db_stmt(db, &Q_INTRO_INSERT);
		if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, from_urn) || db_bind_int(st, 3, to[i]) ||
		    db_bind_text(st, 4, msg) || db_bind_int(st, 5, u->id) || db_bind_int(st, 6, brokered) ||
		    db_bind_text(st, 7, now)) {
			rc = ERR_DB;
			goto out;
		}
		if ((rc = db_step(st)) < 0)
			goto out;
		int64_t id = db_last_id(db);
		const char *from_name = ps_school_name(db, a, from_urn), *to_name = ps_school_name(db, a, to[i]);
		const char *body = arena_printf(
			a,
			"%s has asked for %s to be introduced to %s, with a view to working together.\n\n%s%s%s"
			"Accept or decline (with a reason if you like) here:\n%s/introductions/%lld\n",
			u->name, from_name, to_name, *msg ? "Their message:\n\n" : "", msg, *msg ? "\n\n" : "",
			base_url ? base_url : "", (long long)id);
		ps_mail_leads(db, to[i], arena_printf(a, "Introduction: %s would like to work with you", from_name), body);
		if (brokered)
			ps_mail_leads(db, from_urn, arena_printf(a, "Introduction to %s", to_name), body);
	}
	rc = db_commit(db);
out:
	if (rc)
		db_rollback(db);
	return rc;
}

json_t *ps_intro_list(struct db *db, const struct user *u)
{
	if (!u)
		return json_array();
	struct db_stmt *st = db_stmt(db, &Q_INTRO_MINE);
	if (!st || db_bind_int(st, 1, u->school_urn > 0 ? u->school_urn : -1) || db_bind_int(st, 2, u->id))
		return json_array();
	json_t *rows = db_rows_json(st);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		json_object_set_new(r, "url", json_sprintf("/introductions/%lld",
							   (long long)json_integer_value(json_object_get(r, "id"))));
		json_object_set_new(r, "awaiting_you",
				    json_boolean(json_integer_value(json_object_get(r, "awaiting_you")) &&
						 u->role == SCHOOL_ROLE_LEAD));
		json_object_set_new(r, "asked_by_you",
				    json_boolean(json_integer_value(json_object_get(r, "asked_by_you")) != 0));
		json_object_set_new(r, "is_pending", json_boolean(str_eq(json_string_value(json_object_get(r, "state")),
									 "pending")));
		ps_add_date_label(r, "created_at", "asked_on", false);
	}
	return rows ? rows : json_array();
}

/* The facts of one introduction. */
struct intro {
	int64_t id, network_id, from_urn, to_urn, partnership_id, requested_by;
	const char *slug, *network_name, *message, *state, *reason, *created_at;
	bool brokered;
};

/* Load introduction id and u's access to its network. */
static int intro_load(struct db *db, struct arena *a, const struct user *u, int64_t id, struct intro *in,
		      struct ps_access *acc)
{
	memset(in, 0, sizeof(*in));
	struct db_stmt *st = db_stmt(db, &Q_INTRO_GET);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	in->id = db_col_int(st, 0);
	in->network_id = db_col_int(st, 1);
	in->slug = arena_strdup(a, db_col_text(st, 2));
	in->network_name = arena_strdup(a, db_col_text(st, 3));
	in->from_urn = db_col_int(st, 4);
	in->to_urn = db_col_int(st, 5);
	in->message = arena_strdup(a, db_col_text(st, 6));
	in->brokered = db_col_int(st, 7) != 0;
	in->state = arena_strdup(a, db_col_text(st, 8));
	in->reason = arena_strdup(a, db_col_text(st, 9));
	in->partnership_id = db_col_is_null(st, 10) ? 0 : db_col_int(st, 10);
	in->created_at = arena_strdup(a, db_col_text(st, 11));
	in->requested_by = db_col_is_null(st, 12) ? 0 : db_col_int(st, 12);
	db_reset(st);
	if ((rc = ps_access_network(db, u, in->network_id, acc)))
		return rc;
	return policy_intro_read(acc, in->from_urn, in->to_urn) ? 0 : ERR_NOTFOUND;
}

int ps_intro_get(struct db *db, struct arena *a, const struct user *u, int64_t id, json_t **out)
{
	*out = NULL;
	struct intro in;
	struct ps_access acc;
	int rc = intro_load(db, a, u, id, &in, &acc);
	if (rc)
		return rc;
	json_t *j = json_pack("{s:I, s:{s:s, s:s, s:s+}, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, s:s, s:b, s:s, s:b, "
			      "s:b, s:b, s:b}",
			      "id", (json_int_t)in.id, "network", "slug", in.slug, "name", in.network_name, "url",
			      "/networks/", in.slug, "from", "urn", (json_int_t)in.from_urn, "name",
			      ps_school_name(db, a, in.from_urn), "to", "urn", (json_int_t)in.to_urn, "name",
			      ps_school_name(db, a, in.to_urn), "state", in.state, "message", in.message, "reason",
			      in.reason, "brokered", in.brokered, "created_at", in.created_at, "can_answer",
			      str_eq(in.state, "pending") && policy_intro_answer(&acc, in.to_urn), "is_pending",
			      str_eq(in.state, "pending"), "is_accepted", str_eq(in.state, "accepted"), "is_declined",
			      str_eq(in.state, "declined"));
	if (in.partnership_id)
		json_object_set_new(j, "partnership_url", json_sprintf("/partnerships/%lld", (long long)in.partnership_id));
	ps_add_date_label(j, "created_at", "asked_on", false);
	/* Who asked, by name, and for the school that asked: what it is waiting for. */
	struct db_stmt *st = in.requested_by ? db_stmt(db, &Q_PERSON_NAME) : NULL;
	if (st && db_bind_int(st, 1, in.requested_by) == 0 && db_step(st) == DB_ROW)
		json_object_set_new(j, "asked_by", json_string(db_col_text(st, 0) ? db_col_text(st, 0) : ""));
	if (st)
		db_reset(st);
	json_object_set_new(j, "asked_by_you", json_boolean(u && acc.school_urn == in.from_urn));
	json_object_set_new(j, "waiting_for_them",
			    json_boolean(str_eq(in.state, "pending") && acc.school_urn == in.from_urn));
	*out = j;
	return 0;
}

/* The person to name as lead of school urn in a new partnership (0: none yet). */
static int64_t first_lead(struct db *db, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_FIRST_LEAD);
	int64_t id = 0;
	if (st && db_bind_int(st, 1, urn) == 0 && db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return id;
}

int ps_intro_answer(struct db *db, struct arena *a, const struct user *u, const char *base_url, int64_t id,
		    bool accept, const char *reason, int64_t *partnership_id)
{
	*partnership_id = 0;
	struct intro in;
	struct ps_access acc;
	int rc = intro_load(db, a, u, id, &in, &acc);
	if (rc)
		return rc;
	if (!policy_intro_answer(&acc, in.to_urn))
		return ERR_FORBIDDEN;
	if (!str_eq(in.state, "pending"))
		return ERR_CONFLICT;
	if ((rc = db_begin(db)))
		return rc;
	const char *now = ps_iso(a, clock_now());
	const char *from_name = ps_school_name(db, a, in.from_urn), *to_name = ps_school_name(db, a, in.to_urn);
	int64_t pid = 0;
	struct db_stmt *st;
	if (accept) {
		st = db_stmt(db, &Q_PS_INSERT);
		const char *title = arena_printf(a, "%s and %s", from_name, to_name);
		if (!st || db_bind_int(st, 1, in.network_id) || db_bind_text(st, 2, title) || db_bind_text(st, 3, now) ||
		    db_bind_text(st, 4, now)) {
			rc = ERR_DB;
			goto out;
		}
		if ((rc = db_step(st)) < 0)
			goto out;
		pid = db_last_id(db);
		int64_t urns[2] = {in.from_urn, in.to_urn};
		int64_t leads[2] = {first_lead(db, in.from_urn), u->id};
		if (!in.brokered && in.requested_by)
			leads[0] = in.requested_by;
		for (int i = 0; i < 2; i++) {
			st = db_stmt(db, &Q_PS_SCHOOL_INSERT);
			if (!st || db_bind_int(st, 1, pid) || db_bind_int(st, 2, urns[i]) ||
			    (leads[i] ? db_bind_int(st, 3, leads[i]) : db_bind_null(st, 3))) {
				rc = ERR_DB;
				goto out;
			}
			if ((rc = db_step(st)) < 0)
				goto out;
		}
	}
	st = db_stmt(db, &Q_INTRO_ANSWER);
	if (!st || db_bind_text(st, 1, accept ? "accepted" : "declined") ||
	    db_bind_text(st, 2, !accept && reason ? reason : "") || db_bind_int(st, 3, u->id) ||
	    db_bind_text(st, 4, now) || (pid ? db_bind_int(st, 5, pid) : db_bind_null(st, 5)) || db_bind_int(st, 6, id)) {
		rc = ERR_DB;
		goto out;
	}
	if ((rc = db_step(st)) < 0)
		goto out;
	if (db_changes(db) != 1) {
		rc = ERR_CONFLICT;
		goto out;
	}
	const char *subject, *body;
	if (accept) {
		subject = arena_printf(a, "Introduction accepted: %s and %s", from_name, to_name);
		body = arena_printf(a,
				    "%s has accepted the introduction between %s and %s.\n\nYour partnership is forming. "
				    "Fill in the agreement together here:\n%s/partnerships/%lld/agreement\n",
				    u->name, from_name, to_name, base_url ? base_url : "", (long long)pid);
	} else {
		subject = arena_printf(a, "Introduction declined: %s and %s", from_name, to_name);
		body = arena_printf(a, "%s has declined the introduction between %s and %s.\n%s%s\n", u->name, from_name,
				    to_name, reason && *reason ? "\nTheir reason:\n\n" : "", reason ? reason : "");
	}
	ps_mail_leads(db, in.from_urn, subject, body);
	ps_mail_leads(db, in.to_urn, subject, body);
	rc = db_commit(db);
out:
	if (rc)
		db_rollback(db);
	else
		*partnership_id = pid;
	return rc;
}

json_t *partnerships_intro_offer(struct db *db, const struct user *u, int64_t urn)
{
	json_t *out = json_array();
	if (!u || u->role != SCHOOL_ROLE_LEAD || u->school_urn <= 0 || u->school_urn == urn)
		return out;
	struct db_stmt *st = db_stmt(db, &Q_OFFER);
	if (!st || db_bind_int(st, 1, u->school_urn) || db_bind_int(st, 2, urn))
		return out;
	json_decref(out);
	out = db_rows_json(st);
	return out ? out : json_array();
}

json_t *partnerships_peers(struct db *db, const struct user *u)
{
	json_t *out = json_object();
	if (!u || u->role != SCHOOL_ROLE_LEAD || u->school_urn <= 0)
		return out;
	struct db_stmt *st = db_stmt(db, &Q_PEERS);
	if (!st || db_bind_int(st, 1, u->school_urn))
		return out;
	while (db_step(st) == DB_ROW) {
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
		json_object_set_new(out, key, json_string(db_col_text(st, 1) ? db_col_text(st, 1) : ""));
	}
	db_reset(st);
	return out;
}

json_t *partnerships_asked(struct db *db, const struct user *u)
{
	json_t *out = json_object();
	if (!u || u->role != SCHOOL_ROLE_LEAD || u->school_urn <= 0)
		return out;
	struct db_stmt *st = db_stmt(db, &Q_INTRO_ASKED);
	if (!st || db_bind_int(st, 1, u->school_urn))
		return out;
	while (db_step(st) == DB_ROW) {
		char key[32], day[48] = "";
		snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
		int64_t t = ps_parse_time(db_col_text(st, 2));
		if (t)
			clock_format_day(t, true, day, sizeof(day));
		json_t *o = json_pack("{s:s}", "asked_on", day);
		json_object_set_new(o, "url", json_sprintf("/introductions/%lld", (long long)db_col_int(st, 1)));
		json_object_set_new(out, key, o);
	}
	db_reset(st);
	return out;
}

void ps_intro_new_facts(struct db *db, struct arena *a, const struct user *u, json_t *m)
{
	json_t *asked = partnerships_asked(db, u);
	json_t *coord = json_object_get(m, "coordinated");
	size_t i, askable = 0;
	json_t *s;
	json_array_foreach(json_object_get(m, "to"), i, s)
	{
		int64_t urn = json_integer_value(json_object_get(s, "urn"));
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)urn);
		json_t *mine = json_object_get(asked, key);
		if (mine) {
			json_object_set(s, "asked", mine);
			continue;
		}
		if (has_lead(db, urn)) {
			askable++;
			continue;
		}
		/* Nobody to answer: the ways to invite its first lead by email. */
		json_t *invite = json_array();
		size_t k;
		json_t *n;
		json_array_foreach(coord, k, n)
			json_array_append_new(invite, json_pack("{s:O, s:s}", "name", json_object_get(n, "name"), "url",
								arena_printf(a, "/networks/%s/schools?q=%lld#school-urn",
									     json_string_value(json_object_get(n, "slug")),
									     (long long)urn)));
		json_object_set_new(s, "nobody", json_true());
		json_object_set_new(s, "has_invite", json_boolean(json_array_size(invite) > 0));
		json_object_set_new(s, "invite", invite);
	}
	json_decref(asked);
	json_object_set_new(m, "askable", json_integer((json_int_t)askable));
	if (!askable && json_array_size(json_object_get(m, "to"))) {
		json_object_set_new(m, "has_offers", json_false());
		json_object_set_new(m, "nothing_to_ask", json_true());
	}
}

void ps_intro_mark_typed(json_t *m, const char *network, int64_t from, int64_t to)
{
	size_t i, k;
	json_t *o, *s;
	json_array_foreach(json_object_get(m, "offers"), i, o)
		if (network && str_eq(json_string_value(json_object_get(o, "slug")), network))
			json_object_set_new(o, "selected", json_true());
	json_array_foreach(json_object_get(m, "coordinated"), i, o)
	{
		if (network && str_eq(json_string_value(json_object_get(o, "slug")), network))
			json_object_set_new(o, "selected", json_true());
		json_array_foreach(json_object_get(o, "schools"), k, s)
		{
			int64_t urn = json_integer_value(json_object_get(s, "urn"));
			if (from && urn == from)
				json_object_set_new(s, "selected_from", json_true());
			if (to && urn == to)
				json_object_set_new(s, "selected_to", json_true());
		}
	}
}
