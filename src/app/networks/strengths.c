// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * strengths.c — each member school's profile in a network: the strengths it
 * can offer (theme, a sentence, evidence of impact, a contact person) and the
 * needs it has (theme, a sentence, priority); and the search across the
 * network by theme and words ("who is strong in reading?"). Everyone in the
 * network reads them; only the school's lead (or an administrator) changes
 * them (policy_profile_edit).
 */
#include "app/networks/net.h"

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

#define STRENGTH_COLUMNS                                                                          \
	"t.id, t.urn, COALESCE(sc.name, 'URN ' || t.urn) AS school_name, sc.town, th.name AS theme, " \
	"t.summary, t.evidence, t.contact_id, p.name AS contact_name, p.email AS contact_email, "     \
	"t.created_at, t.updated_at FROM strength t JOIN network_theme th ON th.id = t.theme_id "     \
	"LEFT JOIN school sc ON sc.urn = t.urn LEFT JOIN person p ON p.id = t.contact_id "
#define NEED_COLUMNS                                                                              \
	"d.id, d.urn, COALESCE(sc.name, 'URN ' || d.urn) AS school_name, sc.town, th.name AS theme, " \
	"d.summary, d.priority, d.created_at, d.updated_at FROM need d "                               \
	"JOIN network_theme th ON th.id = d.theme_id LEFT JOIN school sc ON sc.urn = d.urn "
#define PRIORITY_ORDER "CASE d.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END"

DB_QUERY(Q_STRENGTHS_OF,
	 "SELECT " STRENGTH_COLUMNS "WHERE t.network_id = ? AND t.urn = ? ORDER BY th.position, t.id");
DB_QUERY(Q_NEEDS_OF, "SELECT " NEED_COLUMNS "WHERE d.network_id = ? AND d.urn = ? ORDER BY " PRIORITY_ORDER
		     ", th.position, d.id");
DB_QUERY(Q_STRENGTH_ONE, "SELECT " STRENGTH_COLUMNS "WHERE t.network_id = ? AND t.urn = ? AND t.id = ?");
DB_QUERY(Q_NEED_ONE, "SELECT " NEED_COLUMNS "WHERE d.network_id = ? AND d.urn = ? AND d.id = ?");
DB_QUERY(Q_STRENGTH_INSERT,
	 "INSERT INTO strength (network_id, urn, theme_id, summary, evidence, contact_id, created_by, "
	 "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
DB_QUERY(Q_STRENGTH_UPDATE,
	 "UPDATE strength SET theme_id = ?3, summary = ?4, evidence = ?5, contact_id = ?6, "
	 "updated_at = ?8 WHERE network_id = ?1 AND urn = ?2 AND id = ?7");
DB_QUERY(Q_NEED_INSERT,
	 "INSERT INTO need (network_id, urn, theme_id, summary, priority, created_by, created_at, "
	 "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
DB_QUERY(Q_NEED_UPDATE,
	 "UPDATE need SET theme_id = ?3, summary = ?4, priority = ?5, updated_at = ?7 "
	 "WHERE network_id = ?1 AND urn = ?2 AND id = ?6");
DB_QUERY(Q_STRENGTH_DELETE, "DELETE FROM strength WHERE network_id = ? AND urn = ? AND id = ?");
DB_QUERY(Q_NEED_DELETE, "DELETE FROM need WHERE network_id = ? AND urn = ? AND id = ?");
DB_QUERY(Q_CONTACT_OF_SCHOOL, "SELECT 1 FROM person WHERE id = ? AND school_urn = ? AND school_role <> 'none'");
/* ?2 theme (NULL: any), ?3 a LIKE pattern over the words (NULL: any). */
DB_QUERY_PG(Q_STRENGTH_SEARCH,
	    "SELECT " STRENGTH_COLUMNS "WHERE t.network_id = ?1 AND (?2 IS NULL OR lower(th.name) = lower(?2)) "
	    "AND (?3 IS NULL OR lower(t.summary) LIKE ?3 ESCAPE '!' OR lower(t.evidence) LIKE ?3 ESCAPE '!' "
	    "OR lower(th.name) LIKE ?3 ESCAPE '!') ORDER BY th.position, school_name, t.id",
	    "SELECT " STRENGTH_COLUMNS "WHERE t.network_id = ?1 AND (CAST(?2 AS text) IS NULL OR lower(th.name) = lower(?2)) "
	    "AND (CAST(?3 AS text) IS NULL OR lower(t.summary) LIKE ?3 ESCAPE '!' OR lower(t.evidence) LIKE ?3 ESCAPE '!' "
	    "OR lower(th.name) LIKE ?3 ESCAPE '!') ORDER BY th.position, school_name, t.id");
DB_QUERY_PG(Q_NEED_SEARCH,
	    "SELECT " NEED_COLUMNS "WHERE d.network_id = ?1 AND (?2 IS NULL OR lower(th.name) = lower(?2)) "
	    "AND (?3 IS NULL OR lower(d.summary) LIKE ?3 ESCAPE '!' OR lower(th.name) LIKE ?3 ESCAPE '!') "
	    "ORDER BY " PRIORITY_ORDER ", th.position, school_name, d.id",
	    "SELECT " NEED_COLUMNS "WHERE d.network_id = ?1 AND (CAST(?2 AS text) IS NULL OR lower(th.name) = lower(?2)) "
	    "AND (CAST(?3 AS text) IS NULL OR lower(d.summary) LIKE ?3 ESCAPE '!' OR lower(th.name) LIKE ?3 ESCAPE '!') "
	    "ORDER BY " PRIORITY_ORDER ", th.position, school_name, d.id");

int net_profile_check_edit(struct db *db, const struct net_access *acc, int64_t urn)
{
	bool member = net_has_school(db, acc->network_id, urn);
	if (policy_profile_edit(acc, urn, member))
		return 0;
	if (!policy_network_read(acc))
		return net_deny(acc);
	return member ? ERR_FORBIDDEN : ERR_NOTFOUND;
}

/* Rows of a query bound (network, urn[, id]). */
static json_t *rows_of(struct db *db, const struct db_query *q, int64_t network_id, int64_t urn, int64_t id)
{
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, urn) || (id && db_bind_int(st, 3, id)))
		return NULL;
	return db_rows_json(st);
}

int net_profile(struct db *db, const struct net_access *acc, int64_t urn, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	if (!net_has_school(db, acc->network_id, urn))
		return ERR_NOTFOUND;
	json_t *s = rows_of(db, &Q_STRENGTHS_OF, acc->network_id, urn, 0);
	json_t *n = rows_of(db, &Q_NEEDS_OF, acc->network_id, urn, 0);
	if (!s || !n) {
		json_decref(s);
		json_decref(n);
		return ERR_DB;
	}
	*out = json_pack("{s:o, s:o}", "strengths", s, "needs", n);
	return 0;
}

int net_item_get(struct db *db, const struct net_access *acc, int64_t urn, bool is_need, int64_t id,
		 json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	json_t *rows = rows_of(db, is_need ? &Q_NEED_ONE : &Q_STRENGTH_ONE, acc->network_id, urn, id);
	if (!rows)
		return ERR_DB;
	if (json_array_size(rows) != 1) {
		json_decref(rows);
		return ERR_NOTFOUND;
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

/* Check a strength's or need's fields; fills *theme_id. */
static int check_item(struct db *db, struct arena *a, const struct net_access *acc, int64_t urn, bool is_need,
		      struct net_item *in, int64_t *theme_id, json_t *errors)
{
	const char *theme = in->theme ? str_trim(a, in->theme) : NULL;
	if (!theme || !*theme || net_theme_find(db, acc->network_id, theme, theme_id))
		json_object_set_new(errors, "theme", json_string("Choose one of the network's themes"));
	in->summary = net_clean_text(a, in->summary, NET_SENTENCE_MAX, true, "summary",
				     is_need ? "need, in a sentence" : "strength, in a sentence", errors);
	if (is_need) {
		const char *p = in->priority ? in->priority : "medium";
		if (!str_eq(p, "high") && !str_eq(p, "medium") && !str_eq(p, "low"))
			json_object_set_new(errors, "priority", json_string("Choose high, medium or low"));
		in->priority = p;
	} else {
		in->evidence = net_clean_text(a, in->evidence, NET_EVIDENCE_MAX, false, "evidence",
					      "evidence of impact", errors);
		if (in->contact_id > 0) {
			struct db_stmt *st = db_stmt(db, &Q_CONTACT_OF_SCHOOL);
			bool ok = st && !db_bind_int(st, 1, in->contact_id) && !db_bind_int(st, 2, urn) &&
				  db_step(st) == DB_ROW;
			if (st)
				db_reset(st);
			if (!ok)
				json_object_set_new(errors, "contact_id",
						    json_string("Choose a contact from the school's people"));
		}
	}
	return json_object_size(errors) ? ERR_INVALID : 0;
}

int net_item_save(struct db *db, struct arena *a, const struct net_access *acc, int64_t urn, bool is_need,
		  int64_t id, const struct net_item *given, json_t *errors, int64_t *new_id)
{
	int rc = net_profile_check_edit(db, acc, urn);
	if (rc)
		return rc;
	struct net_item in = *given;
	int64_t theme_id = 0;
	if ((rc = check_item(db, a, acc, urn, is_need, &in, &theme_id, errors)))
		return rc;
	const char *now = net_now_iso(a, clock_now());
	struct db_stmt *st;
	if (is_need) {
		st = db_stmt(db, id ? &Q_NEED_UPDATE : &Q_NEED_INSERT);
		if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, urn) || db_bind_int(st, 3, theme_id) ||
		    db_bind_text(st, 4, in.summary) || db_bind_text(st, 5, in.priority) ||
		    db_bind_int(st, 6, id ? id : acc->person_id) || db_bind_text(st, 7, now))
			return ERR_DB;
	} else {
		st = db_stmt(db, id ? &Q_STRENGTH_UPDATE : &Q_STRENGTH_INSERT);
		if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, urn) || db_bind_int(st, 3, theme_id) ||
		    db_bind_text(st, 4, in.summary) || db_bind_text(st, 5, in.evidence ? in.evidence : "") ||
		    (in.contact_id > 0 ? db_bind_int(st, 6, in.contact_id) : db_bind_null(st, 6)) ||
		    db_bind_int(st, 7, id ? id : acc->person_id) || db_bind_text(st, 8, now))
			return ERR_DB;
	}
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (id && db_changes(db) == 0)
		return ERR_NOTFOUND;
	if (new_id)
		*new_id = id ? id : db_last_id(db);
	return 0;
}

int net_item_delete(struct db *db, const struct net_access *acc, int64_t urn, bool is_need, int64_t id)
{
	int rc = net_profile_check_edit(db, acc, urn);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, is_need ? &Q_NEED_DELETE : &Q_STRENGTH_DELETE);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, urn) || db_bind_int(st, 3, id))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	return db_changes(db) ? 0 : ERR_NOTFOUND;
}

/* "%words%" in lower case with LIKE's wildcards escaped by '!' (arena); NULL for no words. */
static const char *like_pattern(struct arena *a, const char *q)
{
	const char *t = q ? str_trim(a, q) : NULL;
	if (!t || !*t)
		return NULL;
	struct buf b = BUF_INIT;
	buf_putc(&b, '%');
	for (const char *p = str_lower(a, t); *p; p++) {
		if (*p == '%' || *p == '_' || *p == '!')
			buf_putc(&b, '!');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '%');
	const char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

int net_item_search(struct db *db, struct arena *a, const struct net_access *acc, bool is_need,
		    const char *theme, const char *q, json_t **out)
{
	*out = NULL;
	if (!policy_network_read(acc))
		return net_deny(acc);
	struct db_stmt *st = db_stmt(db, is_need ? &Q_NEED_SEARCH : &Q_STRENGTH_SEARCH);
	const char *pattern = like_pattern(a, q);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_text(st, 2, theme && *theme ? theme : NULL) ||
	    db_bind_text(st, 3, pattern))
		return ERR_DB;
	*out = db_rows_json(st);
	return *out ? 0 : ERR_DB;
}
