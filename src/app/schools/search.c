// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * search.c — the directory: schools by name words (full-text, prefix
 * matching, accents and case ignored), postcode or outcode, town or LA, with
 * filters, sorting and pagination; and "near a postcode" within N km,
 * located from the register's own postcodes (the exact postcode when a school
 * has it, else the centre of the schools in its sector or outcode).
 *
 * One fixed statement serves every combination: each filter is written as
 * `(?n IS NULL OR …)` and left NULL when not asked for.
 */
#include "app/schools/search.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "db/db.h"

/*
 * Parameters: 1 fts query, 2 status, 3 phase_group, 4 type_group_code,
 * 5 la_code, 6 region_code, 7 religious_code, 8 gender_code, 9 trust_code,
 * 10 pupils_min, 11 pupils_max, 12 fsm_min, 13 fsm_max, 14 urban_rural_code,
 * 15 postcode key or outcode, 16 town, 17 lat, 18 lon, 19 within km, 23 the
 * outcode of a full postcode in 15; the page queries add 20 sort, 21 limit,
 * 22 offset.
 *
 * Two shapes: with name words the query is driven by the full-text index
 * (a few thousand rows at most, each fetched by URN); without, it scans the
 * table. Each shape has a count and a page statement.
 */
#define SEARCH_FILTERS                                                                          \
	" AND (?2 = 'all' OR (?2 = 'open' AND s.status_code IN ('1', '3')) OR "                    \
	"(?2 = 'closed' AND s.status_code = '2')) AND (?3 IS NULL OR s.phase_group = ?3) "          \
	"AND (?4 IS NULL OR s.type_group_code = ?4) AND (?5 IS NULL OR s.la_code = ?5) "            \
	"AND (?6 IS NULL OR s.region_code = ?6) AND (?7 IS NULL OR s.religious_code = ?7) "        \
	"AND (?8 IS NULL OR s.gender_code = ?8) AND (?9 IS NULL OR s.trust_code = ?9) "             \
	"AND (?10 IS NULL OR s.pupils >= ?10) AND (?11 IS NULL OR s.pupils <= ?11) "                 \
	"AND (?12 IS NULL OR s.fsm_pct >= ?12) AND (?13 IS NULL OR s.fsm_pct <= ?13) "               \
	"AND (?14 IS NULL OR s.urban_rural_code = ?14) "                                            \
	"AND (?15 IS NULL OR s.outcode = ?15 OR (s.outcode = ?23 AND s.postcode_key = ?15)) "        \
	"AND (?16 IS NULL OR s.town = ?16 COLLATE NOCASE) "                                         \
	"AND (?17 IS NULL OR (s.lat BETWEEN ?17 - ?19 / 111.0 AND ?17 + ?19 / 111.0 "               \
	"AND km(s.lat, s.lon, ?17, ?18) <= ?19))"
#define SEARCH_FROM_ALL " FROM school s WHERE ?1 IS NULL"
#define SEARCH_FROM_FTS " FROM school_fts f JOIN school s ON s.urn = f.rowid WHERE school_fts MATCH ?1"
#define SEARCH_COLUMNS                                                                          \
	"SELECT s.urn, s.name, s.town, s.postcode, s.la_name, s.phase_name, s.phase_group, "      \
	"s.type_name, s.status_name, s.status_code, s.pupils, s.fsm_pct, CASE WHEN ?17 IS NULL "  \
	"THEN NULL ELSE round(km(s.lat, s.lon, ?17, ?18), 1) END AS km"
#define SEARCH_ORDER                                                                            \
	" ORDER BY CASE WHEN ?20 = 'distance' THEN km(s.lat, s.lon, ?17, ?18) END, "               \
	"CASE WHEN ?20 = 'pupils' THEN -s.pupils WHEN ?20 = 'fsm' THEN -s.fsm_pct END, "           \
	"s.name COLLATE NOCASE, s.urn LIMIT ?21 OFFSET ?22"

/*
 * PostgreSQL's texts: every parameter typed where it first appears (it
 * cannot infer `?n IS NULL`), round() on numeric, lower() for NOCASE, and
 * the name words against the school_fts tsvector: the FTS5 query `"st"*
 * "mar"*` becomes the tsquery `st:* & mar:*`, accents removed as in the index.
 */
#define SEARCH_FILTERS_PG                                                                       \
	" AND (?2 = 'all' OR (?2 = 'open' AND s.status_code IN ('1', '3')) OR "                    \
	"(?2 = 'closed' AND s.status_code = '2')) AND (CAST(?3 AS text) IS NULL OR s.phase_group = ?3) " \
	"AND (CAST(?4 AS text) IS NULL OR s.type_group_code = ?4) "                                \
	"AND (CAST(?5 AS text) IS NULL OR s.la_code = ?5) "                                        \
	"AND (CAST(?6 AS text) IS NULL OR s.region_code = ?6) "                                    \
	"AND (CAST(?7 AS text) IS NULL OR s.religious_code = ?7) "                                 \
	"AND (CAST(?8 AS text) IS NULL OR s.gender_code = ?8) "                                    \
	"AND (CAST(?9 AS text) IS NULL OR s.trust_code = ?9) "                                     \
	"AND (CAST(?10 AS bigint) IS NULL OR s.pupils >= ?10) "                                    \
	"AND (CAST(?11 AS bigint) IS NULL OR s.pupils <= ?11) "                                    \
	"AND (CAST(?12 AS float8) IS NULL OR s.fsm_pct >= ?12) "                                   \
	"AND (CAST(?13 AS float8) IS NULL OR s.fsm_pct <= ?13) "                                   \
	"AND (CAST(?14 AS text) IS NULL OR s.urban_rural_code = ?14) "                             \
	"AND (CAST(?15 AS text) IS NULL OR s.outcode = ?15 OR "                                    \
	"(s.outcode = CAST(?23 AS text) AND s.postcode_key = ?15)) "                                \
	"AND (CAST(?16 AS text) IS NULL OR lower(s.town) = lower(?16)) "                           \
	"AND (CAST(?17 AS float8) IS NULL OR (s.lat BETWEEN ?17 - CAST(?19 AS float8) / 111.0 "    \
	"AND ?17 + ?19 / 111.0 AND km(s.lat, s.lon, ?17, CAST(?18 AS float8)) <= ?19))"
#define SEARCH_FROM_ALL_PG " FROM school s WHERE CAST(?1 AS text) IS NULL"
#define SEARCH_FROM_FTS_PG                                                                      \
	" FROM school_fts f JOIN school s ON s.urn = f.urn WHERE f.words @@ to_tsquery('simple', " \
	"replace(regexp_replace(unaccent(CAST(?1 AS text)), '\"([^\"]+)\"\\*', '\\1:*', 'g'), ' ', ' & '))"
#define SEARCH_COLUMNS_PG                                                                       \
	"SELECT s.urn, s.name, s.town, s.postcode, s.la_name, s.phase_name, s.phase_group, "      \
	"s.type_name, s.status_name, s.status_code, s.pupils, s.fsm_pct, CASE WHEN CAST(?17 AS float8) IS NULL " \
	"THEN NULL ELSE round(CAST(km(s.lat, s.lon, ?17, CAST(?18 AS float8)) AS numeric), 1) END AS km"
#define SEARCH_ORDER_PG                                                                         \
	" ORDER BY CASE WHEN CAST(?20 AS text) = 'distance' THEN km(s.lat, s.lon, ?17, ?18) END, " \
	"CASE WHEN ?20 = 'pupils' THEN -s.pupils WHEN ?20 = 'fsm' THEN -s.fsm_pct END, "           \
	"lower(s.name), s.urn LIMIT ?21 OFFSET ?22"

DB_QUERY_PG(Q_SEARCH_ALL, SEARCH_COLUMNS SEARCH_FROM_ALL SEARCH_FILTERS SEARCH_ORDER,
	    SEARCH_COLUMNS_PG SEARCH_FROM_ALL_PG SEARCH_FILTERS_PG SEARCH_ORDER_PG);
DB_QUERY_PG(Q_SEARCH_FTS, SEARCH_COLUMNS SEARCH_FROM_FTS SEARCH_FILTERS SEARCH_ORDER,
	    SEARCH_COLUMNS_PG SEARCH_FROM_FTS_PG SEARCH_FILTERS_PG SEARCH_ORDER_PG);
DB_QUERY_PG(Q_COUNT_ALL, "SELECT COUNT(*)" SEARCH_FROM_ALL SEARCH_FILTERS,
	    "SELECT COUNT(*)" SEARCH_FROM_ALL_PG SEARCH_FILTERS_PG);
DB_QUERY_PG(Q_COUNT_FTS, "SELECT COUNT(*)" SEARCH_FROM_FTS SEARCH_FILTERS,
	    "SELECT COUNT(*)" SEARCH_FROM_FTS_PG SEARCH_FILTERS_PG);
/* Each look-up names the outcode too, so all three use its index. */
DB_QUERY(Q_LOCATE_EXACT, "SELECT AVG(lat), AVG(lon), COUNT(*) FROM school WHERE outcode = ?1 "
			 "AND postcode_key = ?2 AND lat IS NOT NULL");
DB_QUERY(Q_LOCATE_SECTOR, "SELECT AVG(lat), AVG(lon), COUNT(*) FROM school WHERE outcode = ?1 "
			  "AND sector = ?2 AND lat IS NOT NULL");
DB_QUERY_PG(Q_LOCATE_OUTCODE, "SELECT AVG(lat), AVG(lon), COUNT(*) FROM school WHERE outcode = ?1 "
			   "AND ?2 IS ?2 AND lat IS NOT NULL",
	    "SELECT AVG(lat), AVG(lon), COUNT(*) FROM school WHERE outcode = ?1 "
	    "AND CAST(?2 AS text) IS NOT DISTINCT FROM ?2 AND lat IS NOT NULL");

int search_fts_query(struct arena *a, const char *text, const char **out)
{
	/* Words of letters and digits (any script), each a quoted prefix term. */
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)text;
	int words = 0;
	while (*p) {
		while (*p && !(isalnum(*p) || *p >= 0x80))
			p++;
		const unsigned char *start = p;
		while (*p && (isalnum(*p) || *p >= 0x80))
			p++;
		if (p > start) {
			if (words++)
				buf_putc(&b, ' ');
			buf_putc(&b, '"');
			buf_append(&b, start, (size_t)(p - start));
			buf_puts(&b, "\"*");
		}
	}
	*out = words ? arena_strdup(a, buf_str(&b)) : NULL;
	buf_free(&b);
	return words ? 0 : ERR_INVALID;
}

void search_postcode_key(const char *in, char key[16])
{
	size_t n = 0;
	for (const char *p = in; p && *p && n < 15; p++)
		if (!isspace((unsigned char)*p))
			key[n++] = (char)toupper((unsigned char)*p);
	key[n] = '\0';
}

bool search_postcode_valid(const char *key)
{
	size_t n = strlen(key);
	if (n < 2 || n > 7 || !isalpha((unsigned char)key[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)key[i]))
			return false;
	return true;
}

static int locate_by(struct db *db, const struct db_query *q, const char *outcode, const char *key,
		     double *lat, double *lon, int *count)
{
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_text(st, 1, outcode) || db_bind_text(st, 2, key))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	*count = (int)db_col_int(st, 2);
	if (*count > 0) {
		*lat = db_col_double(st, 0);
		*lon = db_col_double(st, 1);
	}
	db_reset(st);
	return 0;
}

int search_locate(struct db *db, struct arena *a, const char *postcode, struct search_place *out)
{
	char key[16];
	search_postcode_key(postcode, key);
	memset(out, 0, sizeof(*out));
	if (!search_postcode_valid(key))
		return ERR_INVALID;
	int n = 0, rc;
	size_t len = strlen(key);
	char outcode[16];
	snprintf(outcode, sizeof(outcode), "%.*s", (int)(len >= 5 ? len - 3 : len), key);
	/* A full postcode (5–7 characters) first exactly, then by sector; always by outcode last. */
	if (len >= 5) {
		rc = locate_by(db, &Q_LOCATE_EXACT, outcode, key, &out->lat, &out->lon, &n);
		if (rc)
			return rc;
		if (n) {
			out->how = arena_printf(a, "at %.*s %s, the postcode of %d school%s in the register",
						(int)(len - 3), key, key + len - 3, n, n == 1 ? "" : "s");
			out->precision = "postcode";
			return 0;
		}
		char sector[16];
		snprintf(sector, sizeof(sector), "%.*s %c", (int)(len - 3), key, key[len - 3]);
		rc = locate_by(db, &Q_LOCATE_SECTOR, outcode, sector, &out->lat, &out->lon, &n);
		if (rc)
			return rc;
		if (n) {
			out->how = arena_printf(a, "at the centre of the %d school%s in postcode sector %s "
						   "(no school has the exact postcode)", n, n == 1 ? "" : "s", sector);
			out->precision = "sector";
			return 0;
		}
	}
	rc = locate_by(db, &Q_LOCATE_OUTCODE, outcode, outcode, &out->lat, &out->lon, &n);
	if (rc)
		return rc;
	if (n) {
		out->how = arena_printf(a, "at the centre of the %d school%s in postcode district %s", n,
					n == 1 ? "" : "s", outcode);
		out->precision = "outcode";
		return 0;
	}
	return ERR_NOTFOUND;
}

static int bind_opt_text(struct db_stmt *st, int i, const char *s)
{
	return db_bind_text(st, i, s && *s ? s : NULL);
}

static int bind_all(struct db_stmt *st, const struct search_query *q, bool paging)
{
	int rc = 0;
	rc |= bind_opt_text(st, 1, q->fts);
	rc |= db_bind_text(st, 2, q->status ? q->status : "open");
	rc |= bind_opt_text(st, 3, q->phase);
	rc |= bind_opt_text(st, 4, q->type_group);
	rc |= bind_opt_text(st, 5, q->la);
	rc |= bind_opt_text(st, 6, q->region);
	rc |= bind_opt_text(st, 7, q->religious);
	rc |= bind_opt_text(st, 8, q->gender);
	rc |= bind_opt_text(st, 9, q->trust);
	rc |= q->pupils_min >= 0 ? db_bind_int(st, 10, q->pupils_min) : db_bind_null(st, 10);
	rc |= q->pupils_max >= 0 ? db_bind_int(st, 11, q->pupils_max) : db_bind_null(st, 11);
	rc |= !isnan(q->fsm_min) ? db_bind_double(st, 12, q->fsm_min) : db_bind_null(st, 12);
	rc |= !isnan(q->fsm_max) ? db_bind_double(st, 13, q->fsm_max) : db_bind_null(st, 13);
	rc |= bind_opt_text(st, 14, q->urban_rural);
	rc |= bind_opt_text(st, 15, q->postcode_key);
	/* ?23: the outcode of a full postcode, so its look-up uses the outcode index. */
	char outcode[16] = "";
	size_t plen = q->postcode_key ? strlen(q->postcode_key) : 0;
	if (plen >= 5)
		snprintf(outcode, sizeof(outcode), "%.*s", (int)(plen - 3), q->postcode_key);
	rc |= bind_opt_text(st, 23, outcode);
	rc |= bind_opt_text(st, 16, q->town);
	if (q->near) {
		rc |= db_bind_double(st, 17, q->lat);
		rc |= db_bind_double(st, 18, q->lon);
		rc |= db_bind_double(st, 19, q->within_km);
	} else {
		rc |= db_bind_null(st, 17) | db_bind_null(st, 18) | db_bind_null(st, 19);
	}
	if (paging) {
		rc |= db_bind_text(st, 20, q->sort ? q->sort : "name");
		rc |= db_bind_int(st, 21, q->per_page);
		rc |= db_bind_int(st, 22, (q->page - 1) * q->per_page);
	}
	return rc ? ERR_DB : 0;
}

int search_run(struct db *db, const struct search_query *q, json_t **results, int64_t *total)
{
	*results = NULL;
	bool fts = q->fts != NULL;
	struct db_stmt *st = db_stmt(db, fts ? &Q_COUNT_FTS : &Q_COUNT_ALL);
	if (!st || bind_all(st, q, false))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	*total = db_col_int(st, 0);
	db_reset(st);
	st = db_stmt(db, fts ? &Q_SEARCH_FTS : &Q_SEARCH_ALL);
	if (!st || bind_all(st, q, true))
		return ERR_DB;
	*results = db_rows_json(st);
	return *results ? 0 : ERR_DB;
}
