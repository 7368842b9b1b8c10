// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — the networks model: loading a network with the access facts of
 * the person asking, creating and editing networks, member schools,
 * coordinators and the steering group, themes, the people of member schools
 * (their roles, removing them) and the "what's new" list. Every function
 * asks policy.c before it reads or writes (see net.h for the contract).
 */
#include "app/networks/net.h"
#include "app/networks/networks.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

const char *const net_default_themes[] = {
	"SEND", "governance", "behaviour", "curriculum", "reading", "maths", "attendance",
	"wellbeing", "assessment", "leadership", "early years", "transition", "disadvantage", "EAL",
	NULL,
};

/*
 * A network by its slug, with what the person asking (?3, 0 for nobody) and
 * their school (?2, 0 for none) are to it: member school, school asked to
 * join, coordinator, steering group (one round trip for net_open).
 */
DB_QUERY(Q_NET_OPEN,
	 "SELECT n.id, n.slug, n.name, n.description, n.region, n.is_public, "
	 "EXISTS (SELECT 1 FROM network_school s WHERE s.network_id = n.id AND s.urn = ?2), "
	 "EXISTS (SELECT 1 FROM school_invitation i WHERE i.network_id = n.id AND i.urn = ?2 "
	 "AND i.decided_at IS NULL), "
	 "EXISTS (SELECT 1 FROM network_role r WHERE r.network_id = n.id AND r.person_id = ?3 "
	 "AND r.role = 'coordinator'), "
	 "EXISTS (SELECT 1 FROM network_role r WHERE r.network_id = n.id AND r.person_id = ?3 "
	 "AND r.role = 'steering') "
	 "FROM network n WHERE n.slug = ?1");
DB_QUERY(Q_NET_SLUG_TAKEN, "SELECT 1 FROM network WHERE slug = ?");
DB_QUERY(Q_NET_HAS_SCHOOL, "SELECT 1 FROM network_school WHERE network_id = ? AND urn = ?");
DB_QUERY(Q_NET_INSERT,
	 "INSERT INTO network (slug, name, description, region, is_public, created_by, created_at, "
	 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_NET_UPDATE,
	 "UPDATE network SET name = ?, description = ?, region = ?, is_public = ?, updated_at = ? "
	 "WHERE id = ?");
DB_QUERY(Q_NET_LIST_MINE,
	 "SELECT n.slug, n.name, n.description, n.region, n.is_public, "
	 "(SELECT COUNT(*) FROM network_school s WHERE s.network_id = n.id) AS schools, "
	 "(SELECT COUNT(*) FROM network_role r WHERE r.network_id = n.id AND r.person_id = ?2 "
	 "AND r.role = 'coordinator') AS coordinator "
	 "FROM network n WHERE ?3 = 1 "
	 "OR n.id IN (SELECT network_id FROM network_school WHERE urn = ?1) "
	 "OR n.id IN (SELECT network_id FROM network_role WHERE person_id = ?2) "
	 "ORDER BY n.name, n.id");
DB_QUERY(Q_NET_LIST_PUBLIC,
	 "SELECT slug, name, description FROM network WHERE is_public = 1 ORDER BY name, id");

DB_QUERY(Q_NET_SCHOOL_ASKED,
	 "SELECT 1 FROM school_invitation WHERE network_id = ? AND urn = ? AND decided_at IS NULL");
DB_QUERY(Q_NET_SCHOOL_HAS_LEAD, "SELECT 1 FROM person WHERE school_urn = ? AND school_role = 'lead' LIMIT 1");
DB_QUERY(Q_NET_SCHOOL_REMOVE, "DELETE FROM network_school WHERE network_id = ? AND urn = ?");
DB_QUERY(Q_NET_SCHOOL_REVOKE_INVITES,
	 "UPDATE invitation SET revoked_at = ? WHERE network_id = ? AND school_urn = ? "
	 "AND accepted_at IS NULL AND revoked_at IS NULL");
#define MEMBER_COLUMNS                                                                           \
	"s.urn, COALESCE(sc.name, 'URN ' || s.urn) AS name, sc.town, sc.postcode, sc.la_name, "     \
	"sc.phase_name, sc.type_name, sc.pupils, sc.status_name, sc.lat, sc.lon, s.added_at, "      \
	"s.consent, "                                                                               \
	"(SELECT COUNT(*) FROM person p WHERE p.school_urn = s.urn) AS people, "                    \
	"(SELECT COUNT(*) FROM strength t WHERE t.network_id = s.network_id AND t.urn = s.urn) "    \
	"AS strengths, "                                                                           \
	"(SELECT COUNT(*) FROM need d WHERE d.network_id = s.network_id AND d.urn = s.urn) AS needs " \
	"FROM network_school s LEFT JOIN school sc ON sc.urn = s.urn "
DB_QUERY(Q_NET_SCHOOLS, "SELECT " MEMBER_COLUMNS "WHERE s.network_id = ? ORDER BY name, s.urn");
DB_QUERY(Q_NET_SCHOOL_ONE, "SELECT " MEMBER_COLUMNS "WHERE s.network_id = ? AND s.urn = ?");

DB_QUERY(Q_NET_ROLES,
	 "SELECT r.role, p.id, p.name, sc.name AS school_name FROM network_role r "
	 "JOIN person p ON p.id = r.person_id LEFT JOIN school sc ON sc.urn = p.school_urn "
	 "WHERE r.network_id = ? ORDER BY r.role, p.name, p.id");
DB_QUERY(Q_NET_ROLE_ADD, "INSERT INTO network_role (network_id, person_id, role, added_at) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_NET_ROLE_REMOVE, "DELETE FROM network_role WHERE network_id = ? AND person_id = ? AND role = ?");
DB_QUERY(Q_NET_COORDINATORS, "SELECT COUNT(*) FROM network_role WHERE network_id = ? AND role = 'coordinator'");

DB_QUERY(Q_NET_THEMES, "SELECT id, name FROM network_theme WHERE network_id = ? ORDER BY position, id");
DB_QUERY(Q_NET_THEME_FIND, "SELECT id, name FROM network_theme WHERE network_id = ? AND lower(name) = lower(?)");
DB_QUERY(Q_NET_THEME_INSERT, "INSERT INTO network_theme (network_id, name, position) VALUES (?, ?, ?)");
DB_QUERY(Q_NET_THEME_UPDATE, "UPDATE network_theme SET name = ?, position = ? WHERE id = ?");
DB_QUERY(Q_NET_THEME_DELETE, "DELETE FROM network_theme WHERE id = ?");
DB_QUERY(Q_NET_THEME_USED,
	 "SELECT (SELECT COUNT(*) FROM strength WHERE theme_id = ?1) + "
	 "(SELECT COUNT(*) FROM need WHERE theme_id = ?1) + (SELECT COUNT(*) FROM course WHERE theme_id = ?1)");

DB_QUERY(Q_NET_PEOPLE,
	 "SELECT p.school_urn AS urn, p.id, p.name, p.email, p.school_role AS role FROM person p "
	 "JOIN network_school s ON s.urn = p.school_urn AND s.network_id = ? "
	 "WHERE p.school_role <> 'none' ORDER BY p.school_urn, p.name, p.id");
DB_QUERY(Q_NET_SCHOOL_PEOPLE,
	 "SELECT p.id, p.name, p.email, p.school_role AS role FROM person p WHERE p.school_urn = ? "
	 "AND p.school_role <> 'none' ORDER BY CASE p.school_role WHEN 'lead' THEN 0 ELSE 1 END, p.name, p.id");
DB_QUERY(Q_PERSON_FACTS, "SELECT id, school_urn, school_role, name FROM person WHERE id = ?");
DB_QUERY(Q_PERSON_UNCONTACT, "UPDATE strength SET contact_id = NULL WHERE contact_id = ?");

DB_QUERY(Q_NET_WHATS_NEW,
	 "SELECT at, kind, urn, school_name, detail FROM ("
	 "SELECT s.added_at AS at, 'school' AS kind, s.urn AS urn, sc.name AS school_name, "
	 "NULL AS detail FROM network_school s LEFT JOIN school sc ON sc.urn = s.urn "
	 "WHERE s.network_id = ?1 "
	 "UNION ALL SELECT t.created_at, 'strength', t.urn, sc.name, th.name FROM strength t "
	 "JOIN network_theme th ON th.id = t.theme_id LEFT JOIN school sc ON sc.urn = t.urn "
	 "WHERE t.network_id = ?1 "
	 "UNION ALL SELECT d.created_at, 'need', d.urn, sc.name, th.name FROM need d "
	 "JOIN network_theme th ON th.id = d.theme_id LEFT JOIN school sc ON sc.urn = d.urn "
	 "WHERE d.network_id = ?1 "
	 "UNION ALL SELECT i.accepted_at, 'person', i.school_urn, sc.name, p.name FROM invitation i "
	 "JOIN person p ON p.id = i.accepted_by LEFT JOIN school sc ON sc.urn = i.school_urn "
	 "WHERE i.network_id = ?1 AND i.accepted_at IS NOT NULL AND i.school_urn IS NOT NULL "
	 "AND p.school_urn = i.school_urn"
	 ") AS events ORDER BY at DESC, kind LIMIT ?2");

/* ---- helpers ----------------------------------------------------------- */

const char *net_now_iso(struct arena *a, int64_t t)
{
	char buf[32];
	clock_format_iso(t, buf, sizeof(buf));
	return arena_strdup(a, buf);
}

const char *net_clean_text(struct arena *a, const char *s, size_t max, bool required, const char *field,
			   const char *label, json_t *errors)
{
	const char *t = s ? str_trim(a, s) : "";
	if (!utf8_valid(t, strlen(t))) {
		json_object_set_new(errors, field, json_sprintf("The %s must be text", label));
		return NULL;
	}
	size_t n = utf8_len(t, strlen(t));
	if (required && n == 0) {
		json_object_set_new(errors, field, json_sprintf("Enter the %s", label));
		return NULL;
	}
	if (n > max) {
		json_object_set_new(errors, field,
				    json_sprintf("The %s must be %zu characters or fewer (it has %zu)", label, max, n));
		return NULL;
	}
	return t;
}

/* Run a prepared statement to completion; 0 or the error. */
static int run(struct db_stmt *st)
{
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

/* A single integer from a one-row query, or dflt. */
static int64_t scalar(struct db_stmt *st, int64_t dflt)
{
	int64_t v = dflt;
	if (st && db_step(st) == DB_ROW)
		v = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return v;
}

/* Commit, or roll back and pass the error on. */
static int finish(struct db *db, int rc)
{
	if (rc == 0 && (rc = db_commit(db)) == 0)
		return 0;
	db_rollback(db);
	return rc;
}

int net_run(struct db_stmt *st)
{
	return run(st);
}

int net_finish(struct db *db, int rc)
{
	return finish(db, rc);
}

/* Add map_url ("https://www.openstreetmap.org/?mlat=…") to rows with lat/lon, and added_on (the date). */
static void add_map_urls(json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *added = json_string_value(json_object_get(r, "added_at"));
		int64_t t;
		if (added && clock_parse_iso(added, &t) == 0) {
			char day[48];
			clock_format_uk(t, 0, day, sizeof(day));
			json_object_set_new(r, "added_on", json_string(day));
		}
		json_t *lat = json_object_get(r, "lat"), *lon = json_object_get(r, "lon");
		if (json_is_number(lat) && json_is_number(lon))
			json_object_set_new(r, "map_url",
					    json_sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=16/%.5f/%.5f",
							 json_number_value(lat), json_number_value(lon),
							 json_number_value(lat), json_number_value(lon)));
	}
}

/* ---- opening a network ------------------------------------------------- */

void net_access_none(const struct user *u, struct net_access *acc)
{
	memset(acc, 0, sizeof(*acc));
	if (!u)
		return;
	acc->person_id = u->id;
	acc->school_urn = u->role == SCHOOL_ROLE_NONE ? 0 : u->school_urn;
	acc->role = acc->school_urn ? u->role : SCHOOL_ROLE_NONE;
	acc->is_admin = u->is_admin;
}

bool net_has_school(struct db *db, int64_t network_id, int64_t urn)
{
	if (network_id <= 0 || urn <= 0)
		return false;
	struct db_stmt *st = db_stmt(db, &Q_NET_HAS_SCHOOL);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, urn))
		return false;
	bool yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
}

/* Whether the one-integer query st (bound by the caller) has a row; false on error. */
static bool exists(struct db_stmt *st)
{
	if (!st)
		return false;
	bool yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
}

bool net_school_asked(struct db *db, int64_t network_id, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_NET_SCHOOL_ASKED);
	if (network_id <= 0 || urn <= 0 || !st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, urn))
		return false;
	return exists(st);
}

bool net_school_has_lead(struct db *db, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_NET_SCHOOL_HAS_LEAD);
	if (urn <= 0 || !st || db_bind_int(st, 1, urn))
		return false;
	return exists(st);
}

void net_school_facts_load(struct db *db, int64_t network_id, int64_t urn, struct net_school_facts *out)
{
	memset(out, 0, sizeof(*out));
	out->urn = urn;
	out->member = net_has_school(db, network_id, urn);
	out->invited = !out->member && net_school_asked(db, network_id, urn);
	out->has_lead = net_school_has_lead(db, urn);
}

int net_open(struct db *db, struct arena *a, const struct user *u, const char *slug, struct network *net,
	     struct net_access *acc)
{
	memset(net, 0, sizeof(*net));
	net_access_none(u, acc);
	if (!slug || !*slug || strlen(slug) > NET_SLUG_MAX)
		return ERR_NOTFOUND;
	bool person = acc->person_id > 0, school = person && acc->school_urn > 0;
	struct db_stmt *st = db_stmt(db, &Q_NET_OPEN);
	if (!st || db_bind_text(st, 1, slug) || db_bind_int(st, 2, school ? acc->school_urn : 0) ||
	    db_bind_int(st, 3, person ? acc->person_id : 0))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	net->id = db_col_int(st, 0);
	net->slug = arena_strdup(a, db_col_text(st, 1));
	net->name = arena_strdup(a, db_col_text(st, 2));
	net->description = arena_strdup(a, db_col_text(st, 3));
	net->region = arena_strdup(a, db_col_text(st, 4));
	net->is_public = db_col_int(st, 5) != 0;
	acc->network_id = net->id;
	acc->network_public = net->is_public;
	if (person) {
		acc->school_member = school && db_col_int(st, 6) != 0;
		acc->school_invited = school && !acc->school_member && db_col_int(st, 7) != 0;
		acc->coordinator = db_col_int(st, 8) != 0;
		acc->steering = db_col_int(st, 9) != 0;
	}
	db_reset(st);
	return policy_network_see(acc) ? 0 : ERR_NOTFOUND;
}

int net_deny(const struct net_access *acc)
{
	return policy_network_see(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
}

json_t *net_json(const struct network *net)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s+}", "slug", net->slug, "name", net->name,
			 "description", net->description ? net->description : "", "region",
			 net->region ? net->region : "", "is_public", net->is_public, "url", "/networks/",
			 net->slug);
}

/* ---- creating and editing ---------------------------------------------- */

/* A URL segment from a name: lower-case ASCII letters and digits joined by single hyphens. */
static void slug_base(const char *name, char *out, size_t size)
{
	size_t n = 0;
	bool hyphen = false;
	for (const unsigned char *p = (const unsigned char *)name; *p && n + 1 < size; p++) {
		if (isalnum(*p) && *p < 0x80) {
			if (hyphen && n > 0 && n + 2 < size)
				out[n++] = '-';
			hyphen = false;
			out[n++] = (char)tolower(*p);
		} else {
			hyphen = true;
		}
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, size, "network");
}

/* A slug not yet taken: base, base-2, base-3, … (inside the caller's transaction). */
static int unique_slug(struct db *db, struct arena *a, const char *name, const char **out)
{
	char base[NET_SLUG_MAX - 4];
	slug_base(name, base, sizeof(base));
	for (int i = 1; i < 1000; i++) {
		const char *s = i == 1 ? arena_strdup(a, base) : arena_printf(a, "%s-%d", base, i);
		struct db_stmt *st = db_stmt(db, &Q_NET_SLUG_TAKEN);
		if (!st || db_bind_text(st, 1, s))
			return ERR_DB;
		int rc = db_step(st);
		db_reset(st);
		if (rc < 0)
			return rc;
		if (rc == DB_DONE) {
			*out = s;
			return 0;
		}
	}
	return ERR_CONFLICT;
}

/* Validate the details of a network into *name etc. */
static int check_details(struct arena *a, const char **name, const char **description, const char **region,
			 json_t *errors)
{
	*name = net_clean_text(a, *name, NET_NAME_MAX, true, "name", "name of the network", errors);
	*description = net_clean_text(a, *description, NET_DESCRIPTION_MAX, false, "description",
				      "description", errors);
	*region = net_clean_text(a, *region, NET_REGION_MAX, false, "region", "region", errors);
	return json_object_size(errors) ? ERR_INVALID : 0;
}

static int insert_theme(struct db *db, int64_t network_id, const char *name, int position)
{
	struct db_stmt *st = db_stmt(db, &Q_NET_THEME_INSERT);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_text(st, 2, name) || db_bind_int(st, 3, position))
		return ERR_DB;
	return run(st);
}

static int insert_role(struct db *db, struct arena *a, int64_t network_id, int64_t person_id, const char *role)
{
	struct db_stmt *st = db_stmt(db, &Q_NET_ROLE_ADD);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, person_id) || db_bind_text(st, 3, role) ||
	    db_bind_text(st, 4, net_now_iso(a, clock_now())))
		return ERR_DB;
	return run(st);
}

int net_create(struct db *db, struct arena *a, const struct net_access *acc, const char *name,
	       const char *description, const char *region, bool is_public, json_t *errors,
	       const char **slug)
{
	*slug = NULL;
	if (!policy_network_create(acc))
		return acc->person_id > 0 ? ERR_FORBIDDEN : ERR_UNAUTH;
	int rc = check_details(a, &name, &description, &region, errors);
	if (rc)
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	const char *now = net_now_iso(a, clock_now());
	const char *s = NULL;
	rc = unique_slug(db, a, name, &s);
	int64_t id = 0;
	if (rc == 0) {
		struct db_stmt *st = db_stmt(db, &Q_NET_INSERT);
		if (!st || db_bind_text(st, 1, s) || db_bind_text(st, 2, name) || db_bind_text(st, 3, description) ||
		    db_bind_text(st, 4, region) || db_bind_int(st, 5, is_public) ||
		    db_bind_int(st, 6, acc->person_id) || db_bind_text(st, 7, now) || db_bind_text(st, 8, now))
			rc = ERR_DB;
		else
			rc = run(st);
		id = db_last_id(db);
	}
	for (int i = 0; rc == 0 && net_default_themes[i]; i++)
		rc = insert_theme(db, id, net_default_themes[i], i + 1);
	if (rc == 0)
		rc = insert_role(db, a, id, acc->person_id, "coordinator");
	if ((rc = finish(db, rc)))
		return rc;
	*slug = s;
	return 0;
}

int net_update(struct db *db, struct arena *a, const struct net_access *acc, const char *name,
	       const char *description, const char *region, bool is_public, json_t *errors)
{
	if (!policy_network_edit(acc))
		return net_deny(acc);
	int rc = check_details(a, &name, &description, &region, errors);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_NET_UPDATE);
	if (!st || db_bind_text(st, 1, name) || db_bind_text(st, 2, description) || db_bind_text(st, 3, region) ||
	    db_bind_int(st, 4, is_public) || db_bind_text(st, 5, net_now_iso(a, clock_now())) ||
	    db_bind_int(st, 6, acc->network_id))
		return ERR_DB;
	return run(st);
}

json_t *net_list_mine(struct db *db, const struct net_access *acc)
{
	if (acc->person_id <= 0)
		return json_array();
	struct db_stmt *st = db_stmt(db, &Q_NET_LIST_MINE);
	if (!st || db_bind_int(st, 1, acc->school_urn > 0 ? acc->school_urn : -1) ||
	    db_bind_int(st, 2, acc->person_id) || db_bind_int(st, 3, acc->is_admin ? 1 : 0))
		return json_array();
	json_t *rows = db_rows_json(st);
	return rows ? rows : json_array();
}

json_t *net_list_public(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &Q_NET_LIST_PUBLIC);
	json_t *rows = st ? db_rows_json(st) : NULL;
	return rows ? rows : json_array();
}

/* ---- member schools ---------------------------------------------------- */

int net_schools(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_NET_SCHOOLS);
	if (!st || db_bind_int(st, 1, acc->network_id))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	add_map_urls(rows);
	*out = rows;
	return 0;
}

int net_school(struct db *db, const struct net_access *acc, int64_t urn, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_NET_SCHOOL_ONE);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, urn))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	json_t *row = db_row_json(st);
	db_reset(st);
	json_t *one = json_pack("[o]", row);
	add_map_urls(one);
	*out = json_incref(json_array_get(one, 0));
	json_decref(one);
	return 0;
}

int net_school_remove(struct db *db, const struct net_access *acc, int64_t urn)
{
	if (!policy_schools_manage(acc))
		return net_deny(acc);
	if (!net_has_school(db, acc->network_id, urn))
		return ERR_NOTFOUND;
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	int rc = db_begin(db);
	if (rc == 0) {
		struct db_stmt *st = db_stmt(db, &Q_NET_SCHOOL_REVOKE_INVITES);
		if (!st || db_bind_text(st, 1, now) || db_bind_int(st, 2, acc->network_id) ||
		    db_bind_int(st, 3, urn))
			rc = ERR_DB;
		else
			rc = run(st);
		if (rc == 0) {
			st = db_stmt(db, &Q_NET_SCHOOL_REMOVE);
			rc = !st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, urn) ? ERR_DB : run(st);
		}
		rc = finish(db, rc);
	}
	return rc;
}

/* ---- coordinators and steering group ------------------------------------ */

int net_roles(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_NET_ROLES);
	if (!st || db_bind_int(st, 1, acc->network_id))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	json_t *coord = json_array(), *steer = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *role = json_string_value(json_object_get(r, "role"));
		json_array_append(str_eq(role, "coordinator") ? coord : steer, r);
	}
	json_decref(rows);
	*out = json_pack("{s:o, s:o}", "coordinators", coord, "steering", steer);
	return 0;
}

int net_role_remove(struct db *db, const struct net_access *acc, int64_t person_id, const char *role)
{
	if (!policy_steering_manage(acc))
		return net_deny(acc);
	if (!str_eq(role, "coordinator") && !str_eq(role, "steering"))
		return ERR_INVALID;
	int rc = db_begin(db);
	if (rc)
		return rc;
	if (str_eq(role, "coordinator")) {
		struct db_stmt *st = db_stmt(db, &Q_NET_COORDINATORS);
		if (st && !db_bind_int(st, 1, acc->network_id) && scalar(st, 0) <= 1)
			rc = ERR_CONFLICT; /* a network always keeps one coordinator */
	}
	if (rc == 0) {
		struct db_stmt *st = db_stmt(db, &Q_NET_ROLE_REMOVE);
		if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, person_id) ||
		    db_bind_text(st, 3, role))
			rc = ERR_DB;
		else if ((rc = run(st)) == 0 && db_changes(db) == 0)
			rc = ERR_NOTFOUND;
	}
	return finish(db, rc);
}

/* ---- themes ------------------------------------------------------------- */

int net_themes(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_NET_THEMES);
	if (!st || db_bind_int(st, 1, acc->network_id))
		return ERR_DB;
	*out = db_rows_json(st);
	return *out ? 0 : ERR_DB;
}

json_t *net_theme_names(struct db *db, int64_t network_id)
{
	json_t *names = json_array();
	struct db_stmt *st = db_stmt(db, &Q_NET_THEMES);
	if (!st || db_bind_int(st, 1, network_id))
		return names;
	while (db_step(st) == DB_ROW)
		json_array_append_new(names, json_string(db_col_text(st, 1)));
	db_reset(st);
	return names;
}

int net_theme_find(struct db *db, int64_t network_id, const char *name, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, &Q_NET_THEME_FIND);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_text(st, 2, name))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_NOTFOUND;
}

/* Split lines into trimmed, non-empty, case-insensitively distinct theme names. */
static int parse_themes(struct arena *a, const char *lines, json_t *names, json_t *errors)
{
	const char *p = lines ? lines : "";
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *line = str_trim(a, arena_strndup(a, p, n));
		p += n + (e ? 1 : 0);
		/* Tabs and carriage returns inside a line become spaces. */
		for (char *c = line; *c; c++)
			if (*c == '\t' || *c == '\r')
				*c = ' ';
		line = str_trim(a, line);
		if (!*line)
			continue;
		if (utf8_len(line, strlen(line)) > NET_THEME_MAX) {
			json_object_set_new(errors, "themes",
					    json_sprintf("A theme must be %d characters or fewer: \"%s\" is longer",
							 NET_THEME_MAX, line));
			return ERR_INVALID;
		}
		bool seen = false;
		size_t i;
		json_t *v;
		json_array_foreach(names, i, v)
			if (str_eq(str_lower(a, json_string_value(v)), str_lower(a, line)))
				seen = true;
		if (!seen)
			json_array_append_new(names, json_string(line));
	}
	if (json_array_size(names) == 0) {
		json_object_set_new(errors, "themes", json_string("Give at least one theme"));
		return ERR_INVALID;
	}
	if (json_array_size(names) > NET_THEMES_MAX) {
		json_object_set_new(errors, "themes", json_sprintf("A network has at most %d themes", NET_THEMES_MAX));
		return ERR_INVALID;
	}
	return 0;
}

int net_themes_set(struct db *db, struct arena *a, const struct net_access *acc, const char *lines,
		   json_t *errors)
{
	if (!policy_themes_edit(acc))
		return net_deny(acc);
	json_t *names = json_array();
	int rc = parse_themes(a, lines, names, errors);
	if (rc) {
		json_decref(names);
		return rc;
	}
	if ((rc = db_begin(db))) {
		json_decref(names);
		return rc;
	}
	/* The current themes: keep those named again (any case), drop the rest if unused. */
	json_t *old = NULL;
	struct db_stmt *st = db_stmt(db, &Q_NET_THEMES);
	if (!st || db_bind_int(st, 1, acc->network_id) || !(old = db_rows_json(st)))
		rc = ERR_DB;
	struct buf in_use = BUF_INIT;
	size_t i, j;
	json_t *o, *n;
	json_array_foreach(old, i, o)
	{
		if (rc)
			break;
		const char *oname = json_string_value(json_object_get(o, "name"));
		int64_t oid = json_integer_value(json_object_get(o, "id"));
		bool kept = false;
		json_array_foreach(names, j, n)
			if (str_eq(str_lower(a, oname), str_lower(a, json_string_value(n))))
				kept = true;
		if (kept)
			continue;
		st = db_stmt(db, &Q_NET_THEME_USED);
		if (!st || db_bind_int(st, 1, oid)) {
			rc = ERR_DB;
			break;
		}
		if (scalar(st, 1) > 0) {
			buf_printf(&in_use, "%s\"%s\"", in_use.len ? ", " : "", oname);
			continue;
		}
		st = db_stmt(db, &Q_NET_THEME_DELETE);
		rc = !st || db_bind_int(st, 1, oid) ? ERR_DB : run(st);
	}
	if (rc == 0 && in_use.len) {
		json_object_set_new(errors, "themes",
				    json_sprintf("Strengths, needs or courses still use %s: keep %s, or change those first",
						 buf_str(&in_use), strchr(buf_str(&in_use), ',') ? "them" : "it"));
		rc = ERR_INVALID;
	}
	buf_free(&in_use);
	/* Then every named theme, in the order given. */
	json_array_foreach(names, j, n)
	{
		if (rc)
			break;
		const char *name = json_string_value(n);
		int64_t id = 0;
		json_array_foreach(old, i, o)
			if (str_eq(str_lower(a, json_string_value(json_object_get(o, "name"))), str_lower(a, name)))
				id = json_integer_value(json_object_get(o, "id"));
		if (id) {
			st = db_stmt(db, &Q_NET_THEME_UPDATE);
			rc = !st || db_bind_text(st, 1, name) || db_bind_int(st, 2, (int64_t)j + 1) || db_bind_int(st, 3, id)
				     ? ERR_DB
				     : run(st);
		} else {
			rc = insert_theme(db, acc->network_id, name, (int)j + 1);
		}
	}
	json_decref(old);
	json_decref(names);
	return finish(db, rc);
}

/* ---- people ------------------------------------------------------------- */

/*
 * Drop the email of each person in rows ({id, email, role[, urn]}) that acc
 * may not see: a coordinator sees names and roles, and the emails of leads
 * only; a lead also sees their own school's colleagues'.
 */
static void hide_emails(const struct net_access *acc, json_t *rows, int64_t urn)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		enum school_role role = SCHOOL_ROLE_NONE;
		if (school_role_parse(json_string_value(json_object_get(r, "role")), &role))
			role = SCHOOL_ROLE_NONE;
		int64_t at = urn > 0 ? urn : json_integer_value(json_object_get(r, "urn"));
		if (!policy_person_email(acc, json_integer_value(json_object_get(r, "id")), at, role))
			json_object_del(r, "email");
	}
}

int net_school_people(struct db *db, const struct net_access *acc, int64_t urn, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	if (!net_has_school(db, acc->network_id, urn))
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_NET_SCHOOL_PEOPLE);
	if (!st || db_bind_int(st, 1, urn))
		return ERR_DB;
	*out = db_rows_json(st);
	if (!*out)
		return ERR_DB;
	hide_emails(acc, *out, urn);
	return 0;
}

int net_people(struct db *db, const struct net_access *acc, json_t **out)
{
	*out = NULL;
	json_t *schools;
	int rc = net_schools(db, acc, &schools);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_NET_PEOPLE);
	json_t *people = st && !db_bind_int(st, 1, acc->network_id) ? db_rows_json(st) : NULL;
	if (!people) {
		json_decref(schools);
		return ERR_DB;
	}
	hide_emails(acc, people, 0);
	size_t i, j;
	json_t *s, *p;
	json_array_foreach(schools, i, s)
	{
		json_int_t urn = json_integer_value(json_object_get(s, "urn"));
		json_t *list = json_array();
		json_array_foreach(people, j, p)
			if (json_integer_value(json_object_get(p, "urn")) == urn)
				json_array_append(list, p);
		json_object_set_new(s, "people", list);
		json_object_set_new(s, "people_count", json_integer((json_int_t)json_array_size(list)));
	}
	json_decref(people);
	*out = schools;
	return 0;
}

int net_person_load(struct db *db, const struct net_access *acc, int64_t person_id, struct net_person *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(db, &Q_PERSON_FACTS);
	if (!st || db_bind_int(st, 1, person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	out->person_id = db_col_int(st, 0);
	out->school_urn = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
	enum school_role r = SCHOOL_ROLE_NONE;
	if (school_role_parse(db_col_text(st, 2), &r))
		r = SCHOOL_ROLE_NONE;
	out->role = r;
	db_reset(st);
	out->school_member = out->school_urn > 0 && net_has_school(db, acc->network_id, out->school_urn);
	return 0;
}

/* Load person_id for acting on: ERR_NOTFOUND unless they are in a member school the actor can see. */
static int load_target(struct db *db, const struct net_access *acc, int64_t person_id, struct net_person *t)
{
	if (!policy_network_read(acc))
		return net_deny(acc);
	int rc = net_person_load(db, acc, person_id, t);
	if (rc)
		return rc;
	return t->school_member ? 0 : ERR_NOTFOUND;
}

int net_person_set_role(struct db *db, const struct net_access *acc, const struct user *actor, const char *ip,
			int64_t person_id, enum school_role role)
{
	struct net_person t;
	int rc = load_target(db, acc, person_id, &t);
	if (rc)
		return rc;
	if (!policy_person_set_role(acc, &t, role))
		return ERR_FORBIDDEN;
	if (t.role == role)
		return 0;
	rc = accounts_set_school_role(db, person_id, t.school_urn, role);
	if (rc == 0)
		audit_record_about(db, actor, person_id, ip, "role_changed",
				   json_pack("{s:I, s:s, s:s, s:I}", "school", (json_int_t)t.school_urn, "from",
					     school_role_name(t.role), "to", school_role_name(role), "network",
					     (json_int_t)acc->network_id));
	return rc;
}

int net_person_remove(struct db *db, const struct net_access *acc, const struct user *actor, const char *ip,
		      int64_t person_id)
{
	struct net_person t;
	int rc = load_target(db, acc, person_id, &t);
	if (rc)
		return rc;
	if (!policy_person_remove(acc, &t))
		return ERR_FORBIDDEN;
	struct db_stmt *st = db_stmt(db, &Q_PERSON_UNCONTACT);
	if (!st || db_bind_int(st, 1, person_id) || (rc = run(st)))
		return rc ? rc : ERR_DB;
	rc = accounts_set_school_role(db, person_id, 0, SCHOOL_ROLE_NONE);
	if (rc == 0)
		audit_record_about(db, actor, person_id, ip, "person_removed",
				   json_pack("{s:I, s:s, s:I}", "school", (json_int_t)t.school_urn, "role",
					     school_role_name(t.role), "network", (json_int_t)acc->network_id));
	return rc;
}

/* ---- a person's data ------------------------------------------------------- */

DB_QUERY(Q_EXPORT_ROLES,
	 "SELECT n.slug AS network, r.role, r.added_at FROM network_role r JOIN network n ON n.id = r.network_id "
	 "WHERE r.person_id = ? ORDER BY r.added_at, n.slug");
DB_QUERY(Q_EXPORT_CREATED,
	 "SELECT slug AS network, name, created_at FROM network WHERE created_by = ? ORDER BY created_at, id");
DB_QUERY(Q_EXPORT_STRENGTHS,
	 "SELECT n.slug AS network, t.urn, th.name AS theme, t.summary, t.evidence, "
	 "CASE WHEN t.contact_id = ?1 THEN 1 ELSE 0 END AS contact, t.created_at, t.updated_at FROM strength t "
	 "JOIN network n ON n.id = t.network_id JOIN network_theme th ON th.id = t.theme_id "
	 "WHERE t.created_by = ?1 OR t.contact_id = ?1 ORDER BY t.created_at, t.id");
DB_QUERY(Q_EXPORT_NEEDS,
	 "SELECT n.slug AS network, d.urn, th.name AS theme, d.summary, d.priority, d.created_at, d.updated_at "
	 "FROM need d JOIN network n ON n.id = d.network_id JOIN network_theme th ON th.id = d.theme_id "
	 "WHERE d.created_by = ? ORDER BY d.created_at, d.id");
DB_QUERY(Q_EXPORT_INVITATIONS,
	 "SELECT n.slug AS network, i.school_urn, i.role, CASE WHEN i.invited_by = ?1 THEN 'sent' ELSE "
	 "'accepted' END AS direction, i.created_at, i.expires_at, i.accepted_at, i.revoked_at FROM invitation i "
	 "JOIN network n ON n.id = i.network_id WHERE i.invited_by = ?1 OR i.accepted_by = ?1 "
	 "ORDER BY i.created_at, i.id");

json_t *networks_export_person(struct db *db, int64_t person_id)
{
	static const struct {
		const char *key;
		const struct db_query *q;
	} parts[] = {{"network_roles", &Q_EXPORT_ROLES}, {"networks_created", &Q_EXPORT_CREATED},
		     {"strengths", &Q_EXPORT_STRENGTHS}, {"needs", &Q_EXPORT_NEEDS},
		     {"invitations", &Q_EXPORT_INVITATIONS}};
	json_t *out = json_object();
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		struct db_stmt *st = db_stmt(db, parts[i].q);
		json_t *rows = st && !db_bind_int(st, 1, person_id) ? db_rows_json(st) : NULL;
		if (!rows) {
			json_decref(out);
			return NULL;
		}
		json_object_set_new(out, parts[i].key, rows);
	}
	return out;
}

/* ---- what's new ---------------------------------------------------------- */

int net_whats_new(struct db *db, const struct net_access *acc, int limit, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_NET_WHATS_NEW);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, limit))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *kind = json_string_value(json_object_get(r, "kind"));
		const char *school = json_string_value(json_object_get(r, "school_name"));
		const char *detail = json_string_value(json_object_get(r, "detail"));
		const char *at = json_string_value(json_object_get(r, "at"));
		if (!school)
			school = "A school";
		json_t *text;
		if (str_eq(kind, "school"))
			text = json_sprintf("%s joined the network", school);
		else if (str_eq(kind, "strength"))
			text = json_sprintf("%s offers a strength in %s", school, detail ? detail : "a theme");
		else if (str_eq(kind, "need"))
			text = json_sprintf("%s asks for help with %s", school, detail ? detail : "a theme");
		else
			text = json_sprintf("%s joined Tandem at %s", detail ? detail : "Someone", school);
		json_object_set_new(r, "text", text);
		int64_t t;
		if (at && clock_parse_iso(at, &t) == 0) {
			char day[48];
			clock_format_uk(t, 0, day, sizeof(day));
			json_object_set_new(r, "date", json_string(day));
		}
	}
	*out = rows;
	return 0;
}
