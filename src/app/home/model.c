// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — what the home page and /healthz read from the store: whether the
 * database answers, and, for a signed-in person, their networks and what
 * each capability has waiting for them (gathered from the capabilities'
 * own models: networks and partnerships).
 */
#include "app/home/home.h"

#include "app/networks/net.h"
#include "app/partnerships/partnerships.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"

DB_QUERY(Q_HOME_STORE_OK, "SELECT COUNT(*) FROM schema_version");

bool home_store_ok(struct db *db)
{
	if (!db)
		return false;
	struct db_stmt *st = db_stmt(db, &Q_HOME_STORE_OK);
	bool ok = st && db_step(st) == DB_ROW;
	if (st)
		db_reset(st);
	return ok;
}

json_t *home_for(struct db *db, struct arena *a, const struct user *u)
{
	struct net_access none;
	net_access_none(u, &none);
	json_t *networks = net_list_mine(db, &none);
	/* What's new in each of the person's networks (a few items each). */
	size_t i;
	json_t *n;
	json_t *news = json_array();
	json_array_foreach(networks, i, n)
	{
		struct network net;
		struct net_access acc;
		const char *slug = json_string_value(json_object_get(n, "slug"));
		json_t *items = NULL;
		if (i < 5 && net_open(db, a, u, slug, &net, &acc) == 0 && net_whats_new(db, &acc, 4, &items) == 0 &&
		    json_array_size(items) > 0)
			json_array_append_new(news, json_pack("{s:s, s:s, s:o}", "slug", net.slug, "name", net.name,
							      "items", items));
		else
			json_decref(items);
	}
	json_t *waiting = partnerships_waiting(db, u, clock_now());
	json_t *asked = u->role == SCHOOL_ROLE_LEAD ? net_asked_of_school(db, u->school_urn) : json_array();
	json_object_set_new(waiting, "networks_asking", asked);
	json_object_set_new(waiting, "lead_requests", net_lead_requests_of(db, u->id));
	if (u->is_admin) {
		json_t *leads = NULL;
		if (net_lead_requests(db, &none, &leads) == 0)
			json_object_set_new(waiting, "leads_to_confirm", json_integer((json_int_t)json_array_size(leads)));
		json_decref(leads);
	}
	size_t count = 0;
	const char *key;
	json_t *v;
	json_object_foreach(waiting, key, v)
		count += json_is_array(v) ? json_array_size(v) : (size_t)(json_integer_value(v) > 0);
	return json_pack("{s:o, s:o, s:o, s:b, s:b}", "networks", networks, "whats_new", news, "waiting", waiting,
			 "nothing_waiting", count == 0, "has_networks", json_array_size(networks) > 0);
}
