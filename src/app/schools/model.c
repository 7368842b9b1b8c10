// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — the schools model: a school's profile (key facts in plain
 * English, links to predecessors and successors), its similar schools with
 * the reasons (all of them, or only those in a given set, such as a lead's
 * networks), and the record of register imports, as JSON view models
 * shared by the pages, the JSON API and the CLI.
 */
#include "app/schools/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/directory.h"
#include "app/schools/schools.h"
#include "app/schools/similar.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/util.h"
#include "db/db.h"

#define SCHOOL_COLUMNS                                                                         \
	"urn, name, la_code, la_name, establishment_number, type_name, type_group_name, "        \
	"status_code, status_name, open_date, close_date, phase_name, phase_group, low_age, "     \
	"high_age, gender_name, religious_name, sixth_form_name, boarders_name, admissions_name, " \
	"capacity, pupils, fsm, fsm_pct, sen_stat, sen_support, trust_code, trust_name, "          \
	"federation_name, region_name, district_name, urban_rural_name, street, locality, "       \
	"address3, town, county, postcode, website, telephone, lat, lon, ofsted_rating, ofsted_date"

DB_QUERY(Q_SCHOOL_GET, "SELECT " SCHOOL_COLUMNS " FROM school WHERE urn = ?");
DB_QUERY(Q_SCHOOL_BRIEF,
	 "SELECT urn, name, town, la_name, phase_name, type_name, pupils, fsm_pct, status_name, "
	 "postcode FROM school WHERE urn = ?");
/* The same summary of several schools at once: ?1 is a JSON array of URNs (one round trip for a list). */
DB_QUERY_PG(Q_SCHOOL_BRIEFS,
	    "SELECT urn, name, town, la_name, phase_name, type_name, pupils, fsm_pct, status_name, "
	    "postcode FROM school WHERE urn IN (SELECT value FROM json_each(?))",
	    "SELECT urn, name, town, la_name, phase_name, type_name, pupils, fsm_pct, status_name, "
	    "postcode FROM school WHERE urn IN (SELECT CAST(json_array_elements_text(CAST(? AS json)) AS integer))");
DB_QUERY(Q_SCHOOL_LINKS,
	 "SELECT l.link_urn AS urn, COALESCE(s.name, l.link_name) AS name, l.link_type AS type, "
	 "l.link_date AS date, s.status_name AS status FROM school_link l "
	 "LEFT JOIN school s ON s.urn = l.link_urn WHERE l.urn = ? ORDER BY l.link_date, l.link_urn");
DB_QUERY(Q_IMPORT_RUNS,
	 "SELECT id, kind, file_name, snapshot_date, started_at, finished_at, rows_read, inserted, "
	 "updated, unchanged, closed, rejected, status, message FROM import_run ORDER BY id DESC LIMIT 50");
DB_QUERY(Q_IMPORT_RUN,
	 "SELECT id, kind, file_name, snapshot_date, started_at, finished_at, rows_read, inserted, "
	 "updated, unchanged, closed, rejected, ignored_columns, status, message FROM import_run WHERE id = ?");
DB_QUERY(Q_IMPORT_REJECTS, "SELECT line, column_name AS column, reason FROM import_reject "
			   "WHERE import_id = ? ORDER BY line LIMIT 1000");

/* Register names in plain English: which field, read with which wording. */
static const struct {
	const char *field;
	enum dir_wording w;
} plain_fields[] = {
	{"phase_name", DIR_WORDING_PHASE},
	{"type_name", DIR_WORDING_TYPE},
	{"type_group_name", DIR_WORDING_TYPE_GROUP},
	{"urban_rural_name", DIR_WORDING_URBAN_RURAL},
	{"region_name", DIR_WORDING_REGION},
	{"religious_name", DIR_WORDING_RELIGIOUS},
	{"gender_name", DIR_WORDING_GENDER},
};

/* Replace the register's wording of the fields above with plain English (null when it says nothing). */
static void plain_words(json_t *s)
{
	for (size_t i = 0; i < ARRAY_LEN(plain_fields); i++) {
		const char *raw = json_string_value(json_object_get(s, plain_fields[i].field));
		if (!raw)
			continue;
		char buf[160];
		const char *p = dir_plain(plain_fields[i].w, raw, buf, sizeof(buf));
		if (p != raw)
			json_object_set_new(s, plain_fields[i].field, p ? json_string(p) : json_null());
	}
}

static bool is_open(const char *status_code)
{
	return status_code && (strcmp(status_code, "1") == 0 || strcmp(status_code, "3") == 0);
}

int schools_profile(struct db *db, int64_t urn, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_SCHOOL_GET);
	if (!st || db_bind_int(st, 1, urn))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	json_t *s = db_row_json(st);
	db_reset(st);
	plain_words(s);

	const char *status = json_string_value(json_object_get(s, "status_code"));
	json_object_set_new(s, "open", json_boolean(is_open(status)));
	/* Plain-language facts. */
	json_int_t pupils = json_integer_value(json_object_get(s, "pupils"));
	json_t *lo = json_object_get(s, "low_age"), *hi = json_object_get(s, "high_age");
	if (json_is_integer(lo) && json_is_integer(hi))
		json_object_set_new(s, "ages", json_sprintf("%lld to %lld", (long long)json_integer_value(lo),
							   (long long)json_integer_value(hi)));
	if (json_is_integer(json_object_get(s, "sen_stat")) && pupils > 0) {
		double ehc = 100.0 * (double)json_integer_value(json_object_get(s, "sen_stat")) / (double)pupils;
		json_object_set_new(s, "ehc_pct", json_real(round(ehc * 10) / 10));
	}
	json_t *lat = json_object_get(s, "lat"), *lon = json_object_get(s, "lon");
	if (json_is_number(lat) && json_is_number(lon))
		json_object_set_new(s, "map_url",
				    json_sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=15/%.5f/%.5f",
						 json_number_value(lat), json_number_value(lon),
						 json_number_value(lat), json_number_value(lon)));
	const char *web = json_string_value(json_object_get(s, "website"));
	if (web && *web)
		json_object_set_new(s, "website_url",
				    strncmp(web, "http://", 7) == 0 || strncmp(web, "https://", 8) == 0
					    ? json_string(web)
					    : json_sprintf("https://%s", web));
	struct buf addr = BUF_INIT;
	const char *parts[] = {"street", "locality", "address3", "town", "county", "postcode"};
	for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
		const char *p = json_string_value(json_object_get(s, parts[i]));
		if (p && *p) {
			if (addr.len)
				buf_puts(&addr, ", ");
			buf_puts(&addr, p);
		}
	}
	json_object_set_new(s, "address", json_string(buf_str(&addr)));
	buf_free(&addr);

	/* Predecessors and successors. */
	st = db_stmt(db, &Q_SCHOOL_LINKS);
	json_t *links = st && !db_bind_int(st, 1, urn) ? db_rows_json(st) : NULL;
	json_t *pred = json_array(), *succ = json_array();
	size_t i;
	json_t *l;
	json_array_foreach(links, i, l)
	{
		const char *type = json_string_value(json_object_get(l, "type"));
		json_array_append(type && strncmp(type, "Successor", 9) == 0 ? succ : pred, l);
	}
	json_decref(links);
	json_object_set_new(s, "predecessors", pred);
	json_object_set_new(s, "successors", succ);
	*out = s;
	return 0;
}

/* A short summary of a school by URN, or NULL. */
static json_t *brief(struct db *db, int urn)
{
	struct db_stmt *st = db_stmt(db, &Q_SCHOOL_BRIEF);
	if (!st || db_bind_int(st, 1, urn) || db_step(st) != DB_ROW)
		return NULL;
	json_t *j = db_row_json(st);
	db_reset(st);
	plain_words(j);
	return j;
}

static void fmt_num(char *out, size_t n, double v, bool pct)
{
	if (isnan(v))
		snprintf(out, n, "unknown");
	else if (pct)
		snprintf(out, n, "%.1f%%", v);
	else
		snprintf(out, n, "%.0f", v);
}

/* "212 pupils vs 230 · FSM 24.1% vs 27.0% · EHC plans 1.2% vs 0.9% · 3.2 km away". */
static json_t *explain(const struct similar_result *r, json_t **chars)
{
	static const char *const labels[SIMILAR_CHAR__MAX] = {
		[SIMILAR_CHAR_PUPILS] = "pupils", [SIMILAR_CHAR_FSM] = "FSM",
		[SIMILAR_CHAR_EHC] = "EHC plans", [SIMILAR_CHAR_KM] = "distance",
		[SIMILAR_CHAR_URBAN_RURAL] = "urban/rural", [SIMILAR_CHAR_TYPE_GROUP] = "type",
		[SIMILAR_CHAR_RELIGION] = "religious character", [SIMILAR_CHAR_GENDER] = "gender",
		[SIMILAR_CHAR_SIXTH_FORM] = "sixth form", [SIMILAR_CHAR_AGE_RANGE] = "age range",
	};
	struct buf b = BUF_INIT;
	*chars = json_array();
	for (int c = 0; c < SIMILAR_CHAR__MAX; c++) {
		const struct similar_cmp *m = &r->cmp[c];
		bool numeric = c == SIMILAR_CHAR_PUPILS || c == SIMILAR_CHAR_FSM || c == SIMILAR_CHAR_EHC;
		char self[32], other[32], piece[128];
		piece[0] = '\0';
		if (numeric) {
			bool pct = c != SIMILAR_CHAR_PUPILS;
			fmt_num(self, sizeof(self), m->self, pct);
			fmt_num(other, sizeof(other), m->other, pct);
			if (c == SIMILAR_CHAR_PUPILS)
				snprintf(piece, sizeof(piece), "%s pupils vs %s", self, other);
			else
				snprintf(piece, sizeof(piece), "%s %s vs %s", labels[c], self, other);
		} else if (c == SIMILAR_CHAR_KM) {
			if (!isnan(m->other))
				snprintf(piece, sizeof(piece), "%.1f km away", m->other);
		} else if (c == SIMILAR_CHAR_AGE_RANGE) {
			if (m->weight > 0)
				snprintf(piece, sizeof(piece), "ages %.0f–%.0f vs %.0f–%.0f", m->self, m->self_high,
					 m->other, m->other_high);
		} else if (m->weight > 0) {
			snprintf(piece, sizeof(piece), "%s %s", m->t == 0 ? "same" : "different", labels[c]);
		}
		bool filled = m->self_missing || m->other_missing;
		if (numeric && m->self_missing && m->other_missing)
			piece[0] = '\0'; /* neither school has a figure: nothing to say */
		if (piece[0]) {
			if (b.len)
				buf_puts(&b, " · ");
			buf_puts(&b, piece);
			if (filled && numeric)
				buf_printf(&b, " (%s not recorded: the group median is used)",
					   m->self_missing ? "this school's figure" : "its figure");
		}
		if (numeric || m->weight > 0 || c == SIMILAR_CHAR_KM) {
			json_t *j = json_pack("{s:s, s:f, s:b, s:b}", "characteristic", labels[c], "weight",
					      m->weight, "self_missing", m->self_missing, "other_missing",
					      m->other_missing);
			json_object_set_new(j, "self", isnan(m->self) ? json_null() : json_real(m->self));
			json_object_set_new(j, "other", isnan(m->other) ? json_null() : json_real(m->other));
			if (filled && !isnan(m->median))
				json_object_set_new(j, "median", json_real(m->median));
			json_array_append_new(*chars, j);
		}
	}
	json_t *s = json_string(buf_str(&b));
	buf_free(&b);
	return s;
}

/*
 * The summaries of the n results in one statement: a new object keyed by URN
 * ("107897": {...}); a school the store does not hold is missing from it.
 */
static json_t *briefs(struct db *db, const struct similar_result *res, int n)
{
	json_t *urns = json_array(), *by_urn = json_object();
	for (int i = 0; i < n; i++)
		json_array_append_new(urns, json_integer(res[i].urn));
	char *list = json_dumps(urns, JSON_COMPACT);
	json_decref(urns);
	struct db_stmt *st = list ? db_stmt(db, &Q_SCHOOL_BRIEFS) : NULL;
	if (st && !db_bind_text(st, 1, list)) {
		while (db_step(st) == DB_ROW) {
			json_t *j = db_row_json(st);
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(j, "urn")));
			plain_words(j);
			json_object_set_new(by_urn, key, j);
		}
		db_reset(st);
	}
	free(list);
	return by_urn;
}

/* The JSON of one result, from its summary in by_urn (briefs). */
static json_t *result_json(json_t *by_urn, const struct similar_result *r, int rank)
{
	char key[24];
	snprintf(key, sizeof key, "%d", r->urn);
	json_t *row = json_object_get(by_urn, key);
	row = row ? json_incref(row) : json_pack("{s:i}", "urn", r->urn);
	json_t *chars;
	json_object_set_new(row, "rank", json_integer(rank));
	json_object_set_new(row, "score", json_real(r->score));
	json_object_set_new(row, "distance", json_real(r->distance));
	json_object_set_new(row, "same_region", json_boolean(r->same_region));
	json_object_set_new(row, "explanation", explain(r, &chars));
	json_object_set_new(row, "characteristics", chars);
	if (!isnan(r->cmp[SIMILAR_CHAR_KM].other))
		json_object_set_new(row, "km", json_real(round(r->cmp[SIMILAR_CHAR_KM].other * 10) / 10));
	return row;
}

static int result_cmp(const void *pa, const void *pb)
{
	const struct similar_result *a = pa, *b = pb;
	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return (a->urn > b->urn) - (a->urn < b->urn);
}

/* Same region first, then as result_cmp. */
static int region_cmp(const void *pa, const void *pb)
{
	const struct similar_result *a = pa, *b = pb;
	if (a->same_region != b->same_region)
		return a->same_region ? -1 : 1;
	return result_cmp(pa, pb);
}

/*
 * The schools of only[] (n of them) that can be compared with urn, as
 * similar_query would rank them: nearest first, within opt->within_km, at
 * most opt->k. Writes them to res (room for n) and fills meta's counts.
 */
static int similar_among(const struct similar_index *ix, int urn, const struct similar_options *opt,
			 const int *only, size_t n, struct similar_result *res, struct similar_meta *meta,
			 int *not_compared)
{
	/* The school's own pool and group, and the reason when it has none. */
	struct similar_result probe[1];
	struct similar_options one = *opt;
	one.k = 1;
	int rc = similar_query(ix, urn, &one, probe, 1, meta);
	if (rc)
		return rc;
	int found = 0;
	*not_compared = 0;
	meta->outside_radius = 0;
	for (size_t i = 0; i < n; i++) {
		if (only[i] == urn)
			continue;
		struct similar_result r;
		if (similar_explain(ix, urn, only[i], opt, &r, NULL)) {
			(*not_compared)++;
			continue;
		}
		double km = r.cmp[SIMILAR_CHAR_KM].other;
		if (opt->within_km > 0 && !(km <= opt->within_km)) {
			meta->outside_radius++;
			continue;
		}
		res[found++] = r;
	}
	if (found)
		qsort(res, (size_t)found, sizeof(*res), opt->same_region_first ? region_cmp : result_cmp);
	meta->compared = found;
	meta->no_location = 0;
	meta->n = found < opt->k ? found : opt->k;
	return 0;
}

int schools_similar_among(struct db *db, int64_t urn, const struct similar_options *opt, const int *only,
			  size_t n, json_t **out, const char **reason)
{
	*out = NULL;
	*reason = NULL;
	json_t *me = brief(db, (int)urn);
	if (!me)
		return ERR_NOTFOUND;
	struct similar_index *ix = schools_index(db);
	if (!ix) {
		json_decref(me);
		return ERR_DB;
	}
	struct similar_result fixed[SIMILAR_K_MAX];
	struct similar_result *res = fixed;
	size_t cap = only ? n : SIMILAR_K_MAX;
	if (cap > SIMILAR_K_MAX)
		res = xmalloc(cap * sizeof(*res));
	struct similar_meta meta;
	int not_compared = 0;
	int rc = only ? similar_among(ix, (int)urn, opt, only, n, res, &meta, &not_compared)
		      : similar_query(ix, (int)urn, opt, res, SIMILAR_K_MAX, &meta);
	if (rc == ERR_NOTFOUND) {
		/* In the register but not in the index: a phase or type Tandem does not compare. */
		rc = ERR_INVALID;
		meta.reason = "This school has no comparison group: the similar-schools finder compares "
			      "schools within a phase of education (nursery, primary, secondary, all-through, "
			      "16 plus, special, pupil referral unit), and the register gives this "
			      "establishment a type or phase it does not compare.";
	}
	if (rc) {
		*reason = meta.reason;
		similar_index_unref(ix);
		json_decref(me);
		if (res != fixed)
			free(res);
		return rc;
	}
	json_t *results = json_array(), *by_urn = briefs(db, res, meta.n);
	for (int i = 0; i < meta.n; i++)
		json_array_append_new(results, result_json(by_urn, &res[i], i + 1));
	json_decref(by_urn);
	if (res != fixed)
		free(res);
	json_t *weights = json_object();
	for (int c = 0; c < SIMILAR_CHAR__MAX; c++)
		if (opt->weight[c] > 0)
			json_object_set_new(weights, similar_char_name((enum similar_char)c), json_real(opt->weight[c]));
	*out = json_pack("{s:o, s:o, s:{s:i, s:f, s:b, s:b, s:o}, s:{s:s, s:i, s:i, s:i, s:i}}",
			 "school", me, "results", results, "options", "k", opt->k, "within_km",
			 opt->within_km, "same_region_first", opt->same_region_first,
			 "include_independent", opt->include_independent, "weights", weights, "meta",
			 "group", similar_group_name(meta.group), "pool_size", meta.pool_size, "compared",
			 meta.compared, "no_location", meta.no_location, "outside_radius",
			 meta.outside_radius);
	if (only)
		json_object_set_new(json_object_get(*out, "meta"), "not_compared", json_integer(not_compared));
	similar_index_unref(ix);
	return 0;
}

int schools_similar(struct db *db, int64_t urn, const struct similar_options *opt, json_t **out,
		    const char **reason)
{
	return schools_similar_among(db, urn, opt, NULL, 0, out, reason);
}

int schools_import_runs(struct db *db, json_t **out)
{
	struct db_stmt *st = db_stmt(db, &Q_IMPORT_RUNS);
	*out = st ? db_rows_json(st) : NULL;
	return *out ? 0 : ERR_DB;
}

int schools_import_run(struct db *db, int64_t id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_IMPORT_RUN);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	json_t *run = db_row_json(st);
	db_reset(st);
	st = db_stmt(db, &Q_IMPORT_REJECTS);
	json_t *rejects = st && !db_bind_int(st, 1, id) ? db_rows_json(st) : NULL;
	json_object_set_new(run, "rejects", rejects ? rejects : json_array());
	json_object_set_new(run, "done", json_boolean(str_eq(json_string_value(json_object_get(run, "status")), "done")));
	*out = run;
	return 0;
}
