// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the schools pages and their JSON: the directory (/schools), a
 * school's profile (/schools/{urn}) and its similar schools
 * (/schools/{urn}/similar). Each handler builds one view model; the client
 * gets it as JSON or rendered by the templates in templates/schools/.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/accounts/accounts.h"
#include "app/app.h"
#include "app/partnerships/partnerships.h"
#include "app/schools/gias.h"
#include "app/schools/model.h"
#include "app/schools/schools.h"
#include "app/schools/search.h"
#include "app/schools/similar.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "db/db.h"

static const char *const status_choices[] = {"open", "closed", "all", NULL};
static const char *const phase_choices[] = {"nursery", "primary", "secondary", "all_through",
	"sixteen_plus", "special", "pru_ap", NULL};
static const char *const sort_choices[] = {"name", "distance", "pupils", "fsm", NULL};
static const char *const within_choices[] = {"any", "5", "10", "25", "50", "100", NULL};

/* Labels for the choices above, in the same order. */
static const char *const status_labels[] = {"Open", "Closed", "Open and closed"};
static const char *const phase_labels[] = {"Nursery", "Primary (and middle deemed primary)",
	"Secondary (and middle deemed secondary)", "All-through", "16 plus", "Special",
	"Pupil referral unit / alternative provision"};
static const char *const sort_labels[] = {"Name", "Distance", "Most pupils", "Highest % FSM"};

/* GET /schools parameters. */
static const struct param_spec directory_params[] = {
	{"q", PARAM_STRING, 0, 0, 100, NULL, "Name"},
	{"postcode", PARAM_STRING, 0, 0, 10, NULL, "Postcode or outcode"},
	{"town", PARAM_STRING, 0, 0, 60, NULL, "Town"},
	{"la", PARAM_STRING, 0, 0, 3, NULL, "Local authority"},
	{"near", PARAM_STRING, 0, 0, 10, NULL, "Near postcode"},
	{"km", PARAM_INT, 0, 1, 200, NULL, "Distance in km"},
	{"status", PARAM_ENUM, 0, 0, 0, status_choices, "Status"},
	{"phase", PARAM_ENUM, 0, 0, 0, phase_choices, "Phase"},
	{"type_group", PARAM_STRING, 0, 0, 3, NULL, "Type of school"},
	{"region", PARAM_STRING, 0, 0, 2, NULL, "Region"},
	{"religious", PARAM_STRING, 0, 0, 3, NULL, "Religious character"},
	{"gender", PARAM_STRING, 0, 0, 2, NULL, "Gender"},
	{"trust", PARAM_STRING, 0, 0, 10, NULL, "Trust"},
	{"urban_rural", PARAM_STRING, 0, 0, 3, NULL, "Urban or rural"},
	{"pupils_min", PARAM_INT, 0, 0, 10000, NULL, "Fewest pupils"},
	{"pupils_max", PARAM_INT, 0, 0, 10000, NULL, "Most pupils"},
	{"fsm_min", PARAM_NUMBER, 0, 0, 100, NULL, "Lowest % FSM"},
	{"fsm_max", PARAM_NUMBER, 0, 0, 100, NULL, "Highest % FSM"},
	{"sort", PARAM_ENUM, 0, 0, 0, sort_choices, "Sort by"},
	{"page", PARAM_INT, 0, 1, 100000, NULL, "Page"},
	{"per_page", PARAM_INT, 0, 10, 100, NULL, "Results per page"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

/* GET /schools/{urn}/similar parameters. */
static const struct param_spec similar_params[] = {
	{"k", PARAM_INT, 0, 1, SIMILAR_K_MAX, NULL, "Number of schools"},
	{"within", PARAM_ENUM, 0, 0, 0, within_choices, "Within"},
	{"w_pupils", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for pupils"},
	{"w_fsm", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for % FSM"},
	{"w_ehc", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for % EHC plans"},
	{"w_km", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for distance"},
	{"w_urban_rural", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for urban/rural"},
	{"w_type_group", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for type (academy or maintained)"},
	{"w_religion", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for religious character"},
	{"w_gender", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for gender"},
	{"w_sixth_form", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for sixth form"},
	{"w_age_range", PARAM_NUMBER, 0, 0, 10, NULL, "Weight for age range"},
	{"same_region", PARAM_BOOL, 0, 0, 0, NULL, "Same region first"},
	{"independent", PARAM_BOOL, 0, 0, 0, NULL, "Include independent schools"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

/* The weight parameters in enum similar_char order. */
static const char *const weight_params[SIMILAR_CHAR__MAX] = {
	[SIMILAR_CHAR_PUPILS] = "w_pupils", [SIMILAR_CHAR_FSM] = "w_fsm",
	[SIMILAR_CHAR_EHC] = "w_ehc", [SIMILAR_CHAR_KM] = "w_km",
	[SIMILAR_CHAR_URBAN_RURAL] = "w_urban_rural", [SIMILAR_CHAR_TYPE_GROUP] = "w_type_group",
	[SIMILAR_CHAR_RELIGION] = "w_religion", [SIMILAR_CHAR_GENDER] = "w_gender",
	[SIMILAR_CHAR_SIXTH_FORM] = "w_sixth_form", [SIMILAR_CHAR_AGE_RANGE] = "w_age_range",
};
static const char *const weight_labels[SIMILAR_CHAR__MAX] = {
	"Number of pupils", "% free school meals", "% pupils with an EHC plan", "Distance",
	"Urban or rural", "Academy or maintained", "Religious character", "Gender (boys, girls, mixed)",
	"Sixth form", "Age range",
};

/* [{value, label, selected}] from parallel arrays. */
static json_t *choice_list(const char *const *values, const char *const *labels, const char *selected)
{
	json_t *list = json_array();
	for (size_t i = 0; values[i]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
						      labels[i], "selected", str_eq(values[i], selected)));
	return list;
}

/* ---- facets: distinct codes and names for the filter lists, per import --- */

DB_QUERY(Q_FACET_LA, "SELECT DISTINCT la_code AS value, la_name AS label FROM school "
		     "WHERE la_code IS NOT NULL AND la_name IS NOT NULL ORDER BY la_name");
DB_QUERY(Q_FACET_REGION, "SELECT DISTINCT region_code AS value, region_name AS label FROM school "
			 "WHERE region_code IS NOT NULL ORDER BY region_name");
DB_QUERY(Q_FACET_TYPE_GROUP, "SELECT DISTINCT type_group_code AS value, type_group_name AS label "
			     "FROM school WHERE type_group_code IS NOT NULL ORDER BY type_group_name");
DB_QUERY(Q_FACET_RELIGIOUS, "SELECT DISTINCT religious_code AS value, religious_name AS label "
			    "FROM school WHERE religious_code IS NOT NULL ORDER BY religious_name");
DB_QUERY(Q_FACET_GENDER, "SELECT DISTINCT gender_code AS value, gender_name AS label FROM school "
			 "WHERE gender_code IS NOT NULL ORDER BY gender_name");
DB_QUERY(Q_FACET_URBAN, "SELECT DISTINCT urban_rural_code AS value, urban_rural_name AS label "
			"FROM school WHERE urban_rural_code IS NOT NULL ORDER BY urban_rural_name");
DB_QUERY(Q_LATEST_IMPORT, "SELECT COALESCE(MAX(id), 0) FROM import_run WHERE status = 'done'");

static pthread_mutex_t facets_lock = PTHREAD_MUTEX_INITIALIZER;
static char *facets_cache;      /* serialised JSON, guarded by facets_lock */
static int64_t facets_run = -1; /* the import it describes */

/* The filter lists (a new object). Cached as text: jansson values are per thread. */
static json_t *facets(struct db *db)
{
	int64_t run = 0;
	struct db_stmt *st = db_stmt(db, &Q_LATEST_IMPORT);
	if (st && db_step(st) == DB_ROW)
		run = db_col_int(st, 0);
	pthread_mutex_lock(&facets_lock);
	if (!facets_cache || run != facets_run) {
		static const struct {
			const char *key;
			const struct db_query *q;
		} lists[] = {{"la", &Q_FACET_LA}, {"region", &Q_FACET_REGION},
			     {"type_group", &Q_FACET_TYPE_GROUP}, {"religious", &Q_FACET_RELIGIOUS},
			     {"gender", &Q_FACET_GENDER}, {"urban_rural", &Q_FACET_URBAN}};
		json_t *f = json_object();
		for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
			struct db_stmt *q = db_stmt(db, lists[i].q);
			json_t *rows = q ? db_rows_json(q) : NULL;
			json_object_set_new(f, lists[i].key, rows ? rows : json_array());
		}
		free(facets_cache);
		facets_cache = json_dumps(f, JSON_COMPACT);
		facets_run = run;
		json_decref(f);
	}
	json_t *copy = json_loads(facets_cache, 0, NULL);
	pthread_mutex_unlock(&facets_lock);
	return copy ? copy : json_object();
}

/* Mark the item whose value equals selected in each facet list. */
static void facets_select(json_t *f, const char *key, const char *selected)
{
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(f, key), i, item)
		json_object_set_new(item, "selected",
				    json_boolean(selected && str_eq(json_string_value(json_object_get(item, "value")),
								    selected)));
}

/* The current query string without `page`, for pagination links. */
static char *query_without_page(struct request *req)
{
	struct buf b = BUF_INIT;
	for (const struct param_spec *p = directory_params; p->name; p++) {
		if (str_eq(p->name, "page") || !req_has(req, p->name))
			continue;
		const char *v = req_field(req, p->name);
		if (!v)
			continue;
		buf_putc(&b, '&');
		buf_puts(&b, p->name);
		buf_putc(&b, '=');
		buf_put_urlencoded(&b, v);
	}
	char *s = arena_strdup(req_arena(req), buf_str(&b));
	buf_free(&b);
	return s;
}

/*
 * GET /schools
 * The directory. Parameters: directory_params above. With `near` (a postcode
 * or outcode) only schools within `km` (default 5) of it, nearest first.
 */
static int handle_schools_index(struct request *req, struct response *res)
{
	struct db *db = app_db(req);
	if (!db)
		return ERR_DB;
	struct arena *a = req_arena(req);
	struct search_query q = {
		.status = req_str(req, "status"),
		.phase = req_str(req, "phase"),
		.type_group = req_str(req, "type_group"),
		.la = req_str(req, "la"),
		.region = req_str(req, "region"),
		.religious = req_str(req, "religious"),
		.gender = req_str(req, "gender"),
		.trust = req_str(req, "trust"),
		.urban_rural = req_str(req, "urban_rural"),
		.town = req_str(req, "town"),
		.pupils_min = req_int(req, "pupils_min", -1),
		.pupils_max = req_int(req, "pupils_max", -1),
		.fsm_min = req_num(req, "fsm_min", NAN),
		.fsm_max = req_num(req, "fsm_max", NAN),
		.sort = req_str(req, "sort"),
		.page = req_int(req, "page", 1),
		.per_page = req_int(req, "per_page", 25),
	};
	if (q.pupils_min >= 0 && q.pupils_max >= 0 && q.pupils_min > q.pupils_max) {
		res_field_error(res, "pupils_min", "Fewest pupils must not be more than most pupils");
		return res_error(res, 400, "The pupil range is the wrong way round.");
	}
	if (!isnan(q.fsm_min) && !isnan(q.fsm_max) && q.fsm_min > q.fsm_max) {
		res_field_error(res, "fsm_min", "Lowest % FSM must not be more than highest % FSM");
		return res_error(res, 400, "The % FSM range is the wrong way round.");
	}
	const char *text = req_str(req, "q");
	if (text && search_fts_query(a, text, &q.fts)) {
		res_field_error(res, "q", "Type at least one letter or number of the school's name");
		return res_error(res, 400, "The search has no letters or numbers to look for.");
	}
	char pkey[16];
	const char *pc = req_str(req, "postcode");
	if (pc) {
		search_postcode_key(pc, pkey);
		if (!search_postcode_valid(pkey)) {
			res_field_error(res, "postcode", "Give a postcode such as LS6 2AB or an outcode such as LS6");
			return res_error(res, 400, "That is not a postcode.");
		}
		q.postcode_key = pkey;
	}
	json_t *place = NULL;
	const char *near = req_str(req, "near");
	if (near) {
		struct search_place p;
		int rc = search_locate(db, a, near, &p);
		if (rc == ERR_INVALID) {
			res_field_error(res, "near", "Give a postcode such as LS6 2AB or an outcode such as LS6");
			return res_error(res, 400, "That is not a postcode.");
		}
		if (rc == ERR_NOTFOUND)
			return res_error(res, 404, "No school in the register has that postcode or one in the same "
						   "district, so Tandem cannot place it. Try the outcode (the first half).");
		if (rc)
			return rc;
		q.near = true;
		q.lat = p.lat;
		q.lon = p.lon;
		q.within_km = (double)req_int(req, "km", 5);
		if (!q.sort)
			q.sort = "distance";
		place = json_pack("{s:s, s:s, s:f, s:f, s:f}", "postcode", near, "how", p.how, "lat", p.lat,
				  "lon", p.lon, "km", q.within_km);
	} else if (str_eq(q.sort, "distance")) {
		q.sort = "name"; /* distance needs a place to measure from */
	}

	json_t *rows;
	int64_t total;
	int rc = search_run(db, &q, &rows, &total);
	if (rc)
		return rc;
	int64_t pages = total ? (total + q.per_page - 1) / q.per_page : 1;
	json_t *model = json_object();
	json_object_set_new(model, "title", json_string("Find a school"));
	json_object_set_new(model, "results", rows);
	json_object_set_new(model, "total", json_integer(total));
	json_object_set_new(model, "page", json_integer(q.page));
	json_object_set_new(model, "per_page", json_integer(q.per_page));
	json_object_set_new(model, "pages", json_integer(pages));
	json_object_set_new(model, "place", place ? place : json_null());
	char *rest = query_without_page(req);
	if (q.page > 1)
		json_object_set_new(model, "prev_url", json_sprintf("/schools?page=%lld%s", (long long)q.page - 1, rest));
	if (q.page < pages)
		json_object_set_new(model, "next_url", json_sprintf("/schools?page=%lld%s", (long long)q.page + 1, rest));
	json_object_set_new(model, "first", json_integer(total ? (q.page - 1) * q.per_page + 1 : 0));
	json_object_set_new(model, "last", json_integer((q.page - 1) * q.per_page + (int64_t)json_array_size(rows)));

	/* What was asked, to fill the form again. */
	json_t *query = json_object();
	for (const struct param_spec *p = directory_params; p->name; p++)
		if (req_has(req, p->name))
			json_object_set_new(query, p->name, json_string(req_field(req, p->name)));
	json_object_set_new(model, "query", query);
	json_object_set_new(model, "searched", json_boolean(json_object_size(query) > 0));
	if (!req_wants_json(req)) {
		json_t *f = facets(db);
		facets_select(f, "la", q.la);
		facets_select(f, "region", q.region);
		facets_select(f, "type_group", q.type_group);
		facets_select(f, "religious", q.religious);
		facets_select(f, "gender", q.gender);
		facets_select(f, "urban_rural", q.urban_rural);
		json_object_set_new(f, "status", choice_list(status_choices, status_labels, q.status ? q.status : "open"));
		json_object_set_new(f, "phase", choice_list(phase_choices, phase_labels, q.phase));
		json_object_set_new(f, "sort", choice_list(sort_choices, sort_labels, q.sort ? q.sort : "name"));
		json_object_set_new(model, "facets", f);
	}
	res_view(res, 200, "schools/index", model);
	return 0;
}

/*
 * GET /schools/{urn}
 * A school's profile, with its predecessors/successors and its five most
 * similar schools.
 */
static int handle_schools_show(struct request *req, struct response *res)
{
	struct db *db = app_db(req);
	if (!db)
		return ERR_DB;
	int64_t urn = req_path_int(req, "urn");
	json_t *s;
	int rc = schools_profile(db, urn, &s);
	if (rc == ERR_NOTFOUND)
		return res_error(res, 404, arena_printf(req_arena(req),
							 "There is no school with URN %lld in the register.",
							 (long long)urn));
	if (rc)
		return rc;
	json_t *model = json_pack("{s:O, s:s}", "school", s, "title", json_string_value(json_object_get(s, "name")));
	json_decref(s);
	struct similar_options opt;
	similar_options_default(&opt);
	opt.k = 5;
	json_t *sim;
	const char *reason;
	if (schools_similar(db, urn, &opt, &sim, &reason) == 0) {
		json_object_set(model, "similar", json_object_get(sim, "results"));
		json_decref(sim);
	} else {
		json_object_set_new(model, "similar_reason", json_string(reason ? reason : ""));
	}
	/* A signed-in school lead in a network with this school may ask for an introduction. */
	json_t *offers = partnerships_intro_offer(db, accounts_user(req), urn);
	json_object_set_new(model, "can_introduce", json_boolean(json_array_size(offers) > 0));
	json_object_set_new(model, "introduce_networks", offers);
	res_view(res, 200, "schools/show", model);
	return 0;
}

/*
 * GET /schools/{urn}/similar
 * The schools with the most in common with this one, explained. Parameters:
 * similar_params above (k, within, weights, same_region, independent).
 */
static int handle_schools_similar(struct request *req, struct response *res)
{
	struct db *db = app_db(req);
	if (!db)
		return ERR_DB;
	int64_t urn = req_path_int(req, "urn");
	struct similar_options opt;
	similar_options_default(&opt);
	opt.k = (int)req_int(req, "k", SIMILAR_K_DEFAULT);
	const char *within = req_str(req, "within");
	opt.within_km = within && !str_eq(within, "any") ? atof(within) : 0;
	for (int c = 0; c < SIMILAR_CHAR__MAX; c++)
		opt.weight[c] = req_num(req, weight_params[c], opt.weight[c]);
	opt.same_region_first = req_bool(req, "same_region");
	opt.include_independent = req_bool(req, "independent");
	const char *reason = NULL;
	if (similar_options_check(&opt, &reason)) {
		res_field_error(res, "w_pupils", reason ? reason : "Give at least one characteristic a weight above 0");
		return res_error(res, 400, "These options cannot be compared.");
	}
	json_t *model;
	int rc = schools_similar(db, urn, &opt, &model, &reason);
	if (rc == ERR_NOTFOUND)
		return res_error(res, 404, arena_printf(req_arena(req),
							 "There is no school with URN %lld in the register.",
							 (long long)urn));
	if (rc == ERR_INVALID)
		return res_error(res, 422, reason ? reason : "This school has no comparison group.");
	if (rc)
		return rc;
	json_object_set_new(model, "title", json_sprintf("Schools like %s",
		json_string_value(json_object_get(json_object_get(model, "school"), "name"))));
	if (!req_wants_json(req)) {
		json_t *weights = json_array();
		for (int c = 0; c < SIMILAR_CHAR__MAX; c++)
			json_array_append_new(weights, json_pack("{s:s, s:s, s:f}", "name", weight_params[c],
								 "label", weight_labels[c], "value", opt.weight[c]));
		json_object_set_new(model, "weight_inputs", weights);
		json_t *w = json_array();
		for (size_t i = 0; within_choices[i]; i++)
			json_array_append_new(w, json_pack("{s:s, s:s, s:b}", "value", within_choices[i], "label",
							   str_eq(within_choices[i], "any") ? "any distance"
							   : arena_printf(req_arena(req), "%s km", within_choices[i]),
							   "selected", str_eq(within_choices[i], within ? within : "any")));
		json_object_set_new(model, "within_choices", w);
	}
	/* A school lead sees which schools share a network with theirs, and may ask them for introductions. */
	json_t *peers = partnerships_peers(db, accounts_user(req));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(model, "results"), i, r)
	{
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(r, "urn")));
		json_t *net = json_object_get(peers, key);
		if (net)
			json_object_set_new(r, "peer_network", json_incref(net));
	}
	json_object_set_new(model, "can_ask_introductions", json_boolean(json_object_size(peers) > 0));
	json_decref(peers);
	res_view(res, 200, "schools/similar", model);
	return 0;
}

const struct route schools_routes[] = {
	{HTTP_GET, "/schools", handle_schools_index, directory_params, 0, 0},
	{HTTP_GET, "/schools/{urn:int}", handle_schools_show, NULL, 0, 0},
	{HTTP_GET, "/schools/{urn:int}/similar", handle_schools_similar, similar_params, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
