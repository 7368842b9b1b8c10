// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * waiting.c — what in partnerships is waiting for a person, for their home
 * page: introductions their school has been asked for (leads answer them)
 * and those it asked that have no answer yet, partnerships of their school
 * still forming (the agreement to complete and sign), actions they own that
 * are overdue or due within two weeks, and, for coordinators, partnerships
 * in their networks whose health needs attention. Each list is short and
 * ordered by what is most urgent.
 */
#include "app/partnerships/partnerships.h"
#include "app/accounts/accounts.h"

#include <string.h>

#include "core/clock.h"
#include "db/db.h"

DB_QUERY(Q_W_TO_ANSWER,
	 "SELECT i.id, n.slug AS network, n.name AS network_name, "
	 "COALESCE(s.name, 'URN ' || i.from_urn) AS school_name, p.name AS asked_by, i.message, i.created_at "
	 "FROM introduction i JOIN network n ON n.id = i.network_id LEFT JOIN school s ON s.urn = i.from_urn "
	 "LEFT JOIN person p ON p.id = i.requested_by WHERE i.to_urn = ? AND i.state = 'pending' "
	 "ORDER BY i.created_at, i.id LIMIT 20");
DB_QUERY(Q_W_ASKED,
	 "SELECT i.id, n.name AS network_name, COALESCE(s.name, 'URN ' || i.to_urn) AS school_name, i.created_at "
	 "FROM introduction i JOIN network n ON n.id = i.network_id LEFT JOIN school s ON s.urn = i.to_urn "
	 "WHERE i.from_urn = ? AND i.state = 'pending' ORDER BY i.created_at, i.id LIMIT 20");
DB_QUERY(Q_W_FORMING,
	 "SELECT p.id, p.title, p.created_at, ps.signed_at FROM partnership p "
	 "JOIN partnership_school ps ON ps.partnership_id = p.id AND ps.urn = ? "
	 "WHERE p.state = 'forming' ORDER BY p.created_at, p.id LIMIT 20");
DB_QUERY(Q_W_ACTIONS,
	 "SELECT a.id, a.title, a.due_on, p.id AS partnership_id, p.title AS partnership FROM action a "
	 "JOIN partnership p ON p.id = a.partnership_id WHERE a.owner_person_id = ? AND a.done_at IS NULL "
	 "AND p.state <> 'closed' AND a.due_on <= ? ORDER BY a.due_on, a.id LIMIT 20");
DB_QUERY(Q_W_ATTENTION,
	 "SELECT p.id, p.title, p.health_status, n.slug AS network, n.name AS network_name FROM partnership p "
	 "JOIN network n ON n.id = p.network_id JOIN network_role r ON r.network_id = n.id "
	 "AND r.person_id = ? AND r.role = 'coordinator' WHERE p.state = 'active' "
	 "AND p.health_status IN ('overdue', 'fading', 'at_risk') ORDER BY n.name, p.id LIMIT 50");

/* Rows of st bound to one integer (and optionally a text), or an empty array. */
static json_t *rows(struct db *db, const struct db_query *q, int64_t v, const char *text)
{
	struct db_stmt *st = db_stmt(db, q);
	json_t *r = NULL;
	if (st && !db_bind_int(st, 1, v) && (!text || !db_bind_text(st, 2, text)))
		r = db_rows_json(st);
	return r ? r : json_array();
}

/* o[label_key] = "6 December 2026" for the stored time or day at o[key]. */
static void label(json_t *list, const char *key, const char *label_key)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		const char *s = json_string_value(json_object_get(o, key));
		int64_t t;
		if (!s || (clock_parse_iso(s, &t) && clock_parse_day(s, &t, NULL)))
			continue;
		char text[48];
		clock_format_uk(t, 0, text, sizeof(text));
		json_object_set_new(o, label_key, json_string(text));
	}
}

json_t *partnerships_waiting(struct db *db, const struct user *u, int64_t now)
{
	json_t *out = json_object();
	if (!u)
		return out;
	bool lead = u->school_urn > 0 && u->role == SCHOOL_ROLE_LEAD;
	bool in_school = u->school_urn > 0 && u->role != SCHOOL_ROLE_NONE;
	json_t *to_answer = lead ? rows(db, &Q_W_TO_ANSWER, u->school_urn, NULL) : json_array();
	json_t *asked = lead ? rows(db, &Q_W_ASKED, u->school_urn, NULL) : json_array();
	json_t *forming = in_school ? rows(db, &Q_W_FORMING, u->school_urn, NULL) : json_array();
	char soon[16];
	clock_format_date(now + 14 * 86400, soon, sizeof(soon));
	json_t *actions = rows(db, &Q_W_ACTIONS, u->id, soon);
	json_t *attention = rows(db, &Q_W_ATTENTION, u->id, NULL);
	label(to_answer, "created_at", "asked_on");
	label(asked, "created_at", "asked_on");
	char today[16];
	clock_format_date(now, today, sizeof(today));
	size_t i;
	json_t *a;
	json_array_foreach(actions, i, a)
	{
		const char *due = json_string_value(json_object_get(a, "due_on"));
		json_object_set_new(a, "overdue", json_boolean(due && strcmp(due, today) < 0));
	}
	label(actions, "due_on", "due");
	json_array_foreach(forming, i, a)
		json_object_set_new(a, "signed", json_boolean(json_is_string(json_object_get(a, "signed_at"))));
	json_object_set_new(out, "has_introductions_to_answer", json_boolean(json_array_size(to_answer) > 0));
	json_object_set_new(out, "has_introductions_asked", json_boolean(json_array_size(asked) > 0));
	json_object_set_new(out, "introductions_to_answer", to_answer);
	json_object_set_new(out, "introductions_asked", asked);
	json_object_set_new(out, "forming", forming);
	json_object_set_new(out, "actions_due", actions);
	json_object_set_new(out, "attention", attention);
	return out;
}
