// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the schools pages and their JSON: the directory (/schools), a
 * school's profile (/schools/{urn}) and its similar schools
 * (/schools/{urn}/similar). Each handler builds one view model; the client
 * gets it as JSON or rendered by the templates in templates/schools/.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/accounts/accounts.h"
#include "app/app.h"
#include "app/page.h"
#include "app/partnerships/partnerships.h"
#include "app/schools/gias.h"
#include "app/schools/directory.h"
#include "app/schools/model.h"
#include "app/schools/schools.h"
#include "app/schools/search.h"
#include "app/schools/similar.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/util.h"
#include "view/tmpl.h"

static const char *const status_choices[] = {"open", "closed", "all", NULL};
static const char *const phase_choices[] = {"nursery", "primary", "secondary", "all_through",
	"sixteen_plus", "special", "pru_ap", NULL};
static const char *const sort_choices[] = {"name", "distance", "pupils", "fsm", NULL};
static const char *const within_choices[] = {"any", "5", "10", "25", "50", "100", NULL};

/* Labels for the choices above, in the same order. */
static const char *const status_labels[] = {"Open", "Closed", "Open and closed"};
static const char *const phase_labels[] = {"Nursery", "Primary", "Secondary", "All-through",
	"16 plus (sixth form or college)", "Special", "Pupil referral unit or alternative provision"};
static const char *const sort_labels[] = {"Name (A to Z)", "Distance (nearest first)", "Most pupils",
	"Highest % free school meals"};

/* GET /schools parameters. */
static const struct param_spec directory_params[] = {
	PARAM(.name = "q", .type = PARAM_STRING, .min = 0, .max = 100, .label = "Name, town or postcode"),
	PARAM(.name = "postcode", .type = PARAM_STRING, .min = 0, .max = 10, .label = "Postcode or outcode"),
	PARAM(.name = "town", .type = PARAM_STRING, .min = 0, .max = 60, .label = "Town"),
	PARAM(.name = "la", .type = PARAM_STRING, .min = 0, .max = 3, .label = "Local authority"),
	PARAM(.name = "near", .type = PARAM_STRING, .min = 0, .max = 10, .label = "Near postcode"),
	PARAM(.name = "km", .type = PARAM_INT, .min = 1, .max = 200, .label = "Distance in km"),
	PARAM(.name = "all", .type = PARAM_BOOL, .label = "Include independent schools, colleges and universities"),
	PARAM(.name = "status", .type = PARAM_ENUM, .choices = status_choices, .label = "Status"),
	PARAM(.name = "phase", .type = PARAM_ENUM, .choices = phase_choices, .label = "Phase"),
	PARAM(.name = "type_group", .type = PARAM_STRING, .min = 0, .max = 3, .label = "Type of school"),
	PARAM(.name = "region", .type = PARAM_STRING, .min = 0, .max = 2, .label = "Region"),
	PARAM(.name = "religious", .type = PARAM_STRING, .min = 0, .max = 3, .label = "Religious character"),
	PARAM(.name = "gender", .type = PARAM_STRING, .min = 0, .max = 2, .label = "Gender"),
	PARAM(.name = "trust", .type = PARAM_STRING, .min = 0, .max = 10, .label = "Trust"),
	PARAM(.name = "urban_rural", .type = PARAM_STRING, .min = 0, .max = 3, .label = "Urban or rural"),
	PARAM(.name = "pupils_min", .type = PARAM_INT, .min = 0, .max = 10000, .label = "Fewest pupils"),
	PARAM(.name = "pupils_max", .type = PARAM_INT, .min = 0, .max = 10000, .label = "Most pupils"),
	PARAM(.name = "fsm_min", .type = PARAM_NUMBER, .min = 0, .max = 100, .label = "Lowest % FSM"),
	PARAM(.name = "fsm_max", .type = PARAM_NUMBER, .min = 0, .max = 100, .label = "Highest % FSM"),
	PARAM(.name = "sort", .type = PARAM_ENUM, .choices = sort_choices, .label = "Sort by"),
	PARAM(.name = "page", .type = PARAM_INT, .min = 1, .max = 100000, .label = "Page"),
	PARAM(.name = "per_page", .type = PARAM_INT, .min = 10, .max = 100, .label = "Results per page"),
	PARAM_END,
};

/* GET /schools/{urn}/similar parameters. */
static const struct param_spec similar_params[] = {
	PARAM(.name = "k", .type = PARAM_INT, .min = 1, .max = SIMILAR_K_MAX, .label = "Number of schools"),
	PARAM(.name = "within", .type = PARAM_ENUM, .choices = within_choices, .label = "Within"),
	PARAM(.name = "w_pupils", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for pupils"),
	PARAM(.name = "w_fsm", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for % FSM"),
	PARAM(.name = "w_ehc", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for % EHC plans"),
	PARAM(.name = "w_km", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for distance"),
	PARAM(.name = "w_urban_rural", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for urban/rural"),
	PARAM(.name = "w_type_group", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for type (academy or maintained)"),
	PARAM(.name = "w_religion", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for religious character"),
	PARAM(.name = "w_gender", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for gender"),
	PARAM(.name = "w_sixth_form", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for sixth form"),
	PARAM(.name = "w_age_range", .type = PARAM_NUMBER, .min = 0, .max = 10, .label = "Weight for age range"),
	PARAM(.name = "same_region", .type = PARAM_BOOL, .label = "Same region first"),
	PARAM(.name = "independent", .type = PARAM_BOOL, .label = "Include independent schools"),
	PARAM(.name = "mine", .type = PARAM_BOOL, .label = "Only schools in my networks"),
	PARAM_END,
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

/* The directory's filter lists, each a parameter with its list and the message for a code not in it. */
static const struct {
	const char *param;       /* query parameter */
	enum dir_facet facet;    /* the list */
	const char *message;     /* for a value not in the list */
} facet_params[] = {
	{"la", DIR_FACET_LA, "Choose a local authority from the list"},
	{"region", DIR_FACET_REGION, "Choose a region from the list"},
	{"type_group", DIR_FACET_TYPE_GROUP, "Choose a type of school from the list"},
	{"religious", DIR_FACET_RELIGIOUS, "Choose a religious character from the list"},
	{"gender", DIR_FACET_GENDER, "Choose boys, girls or mixed from the list"},
	{"urban_rural", DIR_FACET_URBAN_RURAL, "Choose urban or rural from the list"},
};

/*
 * The filter lists as <option> markup, made once per directory index with
 * html_escape (a list has up to 150 local authorities: building and
 * rendering them as JSON for every request cost more than the search).
 * Immutable once made; shared between threads by reference count.
 */
struct facet_markup {
	atomic_int refs;                 /* references; the last unref frees */
	struct dir_index *ix;            /* the index it was made from (a reference) */
	char *html[DIR_FACET__MAX];      /* every option of each list */
	size_t *at[DIR_FACET__MAX];      /* where each choice's "<option" starts in html */
	size_t n[DIR_FACET__MAX];        /* choices in each list */
};

static pthread_mutex_t markup_lock = PTHREAD_MUTEX_INITIALIZER;
static struct facet_markup *markup_current; /* guarded by markup_lock */

static void markup_unref(struct facet_markup *m)
{
	if (!m || atomic_fetch_sub(&m->refs, 1) != 1)
		return;
	for (int f = 0; f < DIR_FACET__MAX; f++) {
		free(m->html[f]);
		free(m->at[f]);
	}
	dir_unref(m->ix);
	free(m);
}

static struct facet_markup *markup_make(struct dir_index *ix)
{
	struct facet_markup *m = xcalloc(1, sizeof(*m));
	atomic_init(&m->refs, 1);
	m->ix = dir_ref(ix);
	for (int f = 0; f < DIR_FACET__MAX; f++) {
		size_t n;
		const struct dir_choice *c = dir_facet_choices(ix, (enum dir_facet)f, &n);
		struct buf b = BUF_INIT;
		m->at[f] = xmalloc((n + 1) * sizeof(size_t));
		m->n[f] = n;
		for (size_t j = 0; j < n; j++) {
			m->at[f][j] = b.len;
			buf_puts(&b, "<option value=\"");
			html_escape(&b, c[j].code, strlen(c[j].code));
			buf_puts(&b, "\">");
			html_escape(&b, c[j].label, strlen(c[j].label));
			buf_puts(&b, "</option>");
		}
		m->at[f][n] = b.len;
		m->html[f] = buf_detach(&b, NULL);
	}
	return m;
}

/* The markup for ix (a reference), made when the index changed. */
static struct facet_markup *markup_for(struct dir_index *ix)
{
	pthread_mutex_lock(&markup_lock);
	if (!markup_current || markup_current->ix != ix) {
		markup_unref(markup_current);
		markup_current = markup_make(ix);
	}
	struct facet_markup *m = markup_current;
	atomic_fetch_add(&m->refs, 1);
	pthread_mutex_unlock(&markup_lock);
	return m;
}

void schools_pages_release(void)
{
	pthread_mutex_lock(&markup_lock);
	markup_unref(markup_current);
	markup_current = NULL;
	pthread_mutex_unlock(&markup_lock);
}

/* The filter lists of the directory as option markup, {la_html, …}, the chosen values selected (a new object). */
static json_t *facets(struct dir_index *ix, struct request *req)
{
	struct facet_markup *m = markup_for(ix);
	json_t *f = json_object();
	for (size_t i = 0; i < ARRAY_LEN(facet_params); i++) {
		enum dir_facet fc = facet_params[i].facet;
		size_t n;
		const struct dir_choice *c = dir_facet_choices(ix, fc, &n);
		/* Codes that share a label share a choice (religious "00" and "99" both read "None"). */
		int id = dir_facet_id(ix, fc, req_str(req, facet_params[i].param));
		size_t sel = SIZE_MAX;
		for (size_t j = 0; id > 0 && j < n && sel == SIZE_MAX; j++)
			if (c[j].id == id)
				sel = j;
		const char *html = m->html[fc];
		char key[32];
		snprintf(key, sizeof(key), "%s_html", facet_params[i].param);
		/* The markup is made of the index's UTF-8 and ASCII tags: no need to check it again. */
		if (sel == SIZE_MAX) {
			json_object_set_new(f, key, json_string_nocheck(html));
			continue;
		}
		size_t cut = m->at[fc][sel] + strlen("<option");
		struct buf b = BUF_INIT;
		buf_append(&b, html, cut);
		buf_puts(&b, " selected");
		buf_puts(&b, html + cut);
		json_object_set_new(f, key, json_stringn_nocheck(buf_str(&b), b.len));
		buf_free(&b);
	}
	markup_unref(m);
	return f;
}

/* The current query string without the named parameters (NULL-terminated), each as &name=value. */
static char *query_without(struct request *req, const char *const *skip)
{
	struct buf b = BUF_INIT;
	for (const struct param_spec *p = directory_params; p->name; p++) {
		bool skipped = false;
		for (size_t i = 0; skip[i]; i++)
			skipped = skipped || str_eq(p->name, skip[i]);
		const char *v = skipped ? NULL : req_field(req, p->name);
		if (!v || !*v)
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

/* What the main box holds when it is (or ends with) a postcode or a known outcode. */
struct typed_postcode {
	char key[16];     /* the postcode's key, "" when none */
	const char *rest; /* the words before it (arena), NULL when none */
};

/*
 * A full postcode anywhere at the end of the text ("LS16 5NW", "ls165nw",
 * "Lawnswood LS16 5NW"), or an outcode the register knows ("LS16", "HG1",
 * "quarry mount LS6"). A name word shaped like an outcode that no school's
 * postcode has stays a name word.
 */
static void split_postcode(const struct dir_index *ix, struct arena *a, const char *text,
			   struct typed_postcode *out)
{
	memset(out, 0, sizeof(*out));
	char *t = str_trim(a, text);
	/* Try the last two words together, then the last word, then the whole text. */
	const char *cuts[3] = {NULL, NULL, t};
	char *sp = strrchr(t, ' ');
	if (sp) {
		cuts[1] = sp + 1;
		char *before = sp;
		while (before > t && before[-1] == ' ')
			before--;
		char *sp2 = before;
		while (sp2 > t && sp2[-1] != ' ')
			sp2--;
		cuts[0] = sp2;
	}
	for (int i = 0; i < 3; i++) {
		if (!cuts[i])
			continue;
		char key[16];
		if (strlen(cuts[i]) > 12)
			continue;
		dir_postcode_key(cuts[i], key);
		bool full = dir_is_postcode(key);
		if (!full && !(dir_is_outcode(key) && dir_has_outcode(ix, key)))
			continue;
		snprintf(out->key, sizeof(out->key), "%s", key);
		size_t keep = (size_t)(cuts[i] - t);
		while (keep > 0 && t[keep - 1] == ' ')
			keep--;
		out->rest = keep ? arena_strndup(a, t, keep) : NULL;
		return;
	}
}

static void unref_directory(void *ix)
{
	dir_unref(ix);
}

/*
 * Answer a directory request that cannot be searched: JSON gets problem+json
 * (400 with the fields, or 404 for a postcode nobody can place); a browser
 * gets the directory page again with the typed values, a summary and each
 * message next to its field.
 */
static int directory_fail(struct page *pg, struct dir_index *ix, json_t *errors, int status, const char *detail)
{
	struct request *req = pg->req;
	json_t *model = json_pack("{s:s, s:b, s:b, s:s}", "title", "Find a school", "searched", 1, "failed", 1,
				  "detail", detail);
	json_t *query = json_object();
	for (const struct param_spec *p = directory_params; p->name; p++) {
		const char *v = req_field(req, p->name);
		if (v)
			json_object_set_new(query, p->name, json_string(v));
	}
	json_object_set_new(model, "query", query);
	json_t *f = facets(ix, req);
	json_object_set_new(f, "status", choice_list(status_choices, status_labels, req_str(req, "status") ? req_str(req, "status") : "open"));
	json_object_set_new(f, "phase", choice_list(phase_choices, phase_labels, req_str(req, "phase")));
	json_object_set_new(f, "sort", choice_list(sort_choices, sort_labels, req_str(req, "sort")));
	json_object_set_new(model, "facets", f);
	/* The ids of the directory's fields are their names: no prefix. */
	return page_form_refuse(pg, status, errors, "schools/index", model, "", detail);
}

/* True when s is one or more digits. */
static bool all_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * GET /schools
 * The directory. Parameters: directory_params above. The main box `q` takes
 * name and town words, a postcode or outcode (schools near it), or both
 * ("Lawnswood LS16"). With `near` (a postcode or outcode) only schools
 * within `km` (default 5), nearest first unless `sort` says otherwise, and
 * only state-funded schools unless `all`. A value that cannot be used comes
 * back on the page with a message next to its field.
 */
static int handle_schools_index(struct request *req, struct response *res)
{
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	struct arena *a = req_arena(req);
	struct dir_index *ix = schools_directory(db);
	if (!ix)
		return ERR_DB;
	arena_defer(a, unref_directory, ix);
	json_t *errors = json_object();
	json_t *given = req_errors(req);
	if (given)
		json_object_update(errors, given);

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
	if (q.pupils_min >= 0 && q.pupils_max >= 0 && q.pupils_min > q.pupils_max)
		json_object_set_new(errors, "pupils_min", json_string("Fewest pupils must not be more than most pupils"));
	if (!isnan(q.fsm_min) && !isnan(q.fsm_max) && q.fsm_min > q.fsm_max)
		json_object_set_new(errors, "fsm_min", json_string("Lowest % FSM must not be more than highest % FSM"));
	if (dir_count(ix) > 0)
		for (size_t i = 0; i < ARRAY_LEN(facet_params); i++) {
			const char *v = req_str(req, facet_params[i].param);
			if (v && !dir_facet_known(ix, facet_params[i].facet, v))
				json_object_set_new(errors, facet_params[i].param, json_string(facet_params[i].message));
		}
	if (q.trust && !all_digits(q.trust))
		json_object_set_new(errors, "trust", json_string("A trust code is a number, as on a school's page"));

	/* The main box: name and town words, a postcode, or both. */
	const char *text = req_str(req, "q");
	const char *near = req_str(req, "near");
	char typed_key[16] = "";
	if (text) {
		struct typed_postcode tp;
		split_postcode(ix, a, text, &tp);
		if (*tp.key) {
			snprintf(typed_key, sizeof(typed_key), "%s", tp.key);
			text = tp.rest;
		}
		if (text && search_fts_query(a, text, &q.fts))
			json_object_set_new(errors, "q", json_string("Type at least one letter or number of a school's "
								     "name, a town or a postcode"));
	}
	char pkey[16];
	const char *pc = req_str(req, "postcode");
	if (pc) {
		search_postcode_key(pc, pkey);
		if (!search_postcode_valid(pkey))
			json_object_set_new(errors, "postcode", json_string("Give a postcode such as LS6 2AB or an "
									    "outcode such as LS6"));
		else
			q.postcode_key = pkey;
	}
	/* A postcode in the main box is "near" it, unless near is given too: then it narrows the list. */
	const char *place_from = near;
	if (*typed_key) {
		if (near || q.fts) {
			if (!q.postcode_key)
				q.postcode_key = typed_key;
		} else {
			place_from = typed_key;
		}
	}
	if (json_object_size(errors))
		return directory_fail(&pg, ix, errors, 400, "Some of the values given cannot be searched.");

	json_t *place = NULL;
	if (place_from) {
		struct search_place p;
		int rc = search_locate(ix, a, place_from, &p);
		if (rc == ERR_INVALID) {
			json_object_set_new(errors, "near", json_string("Give a postcode such as LS6 2AB or an outcode "
									"such as LS6"));
			return directory_fail(&pg, ix, errors, 400, "That is not a postcode.");
		}
		if (rc == ERR_NOTFOUND) {
			const char *msg = "No school in the register has that postcode or one in the same district, "
					  "so Tandem cannot place it. Try the outcode (the first half).";
			json_object_set_new(errors, place_from == near ? "near" : "q", json_string(msg));
			return directory_fail(&pg, ix, errors, 404, msg);
		}
		if (rc) {
			json_decref(errors);
			return rc;
		}
		q.near = true;
		q.lat = p.lat;
		q.lon = p.lon;
		q.within_km = (double)req_int(req, "km", 5);
		q.schools_only = !req_bool(req, "all") && !q.type_group;
		if (!q.sort)
			q.sort = "distance";
		char shown[16];
		search_postcode_key(place_from, shown);
		size_t sl = strlen(shown);
		const char *label = dir_is_postcode(shown) ? arena_printf(a, "%.*s %s", (int)(sl - 3), shown, shown + sl - 3)
							   : arena_strdup(a, shown);
		place = json_pack("{s:s, s:s, s:f, s:f, s:f, s:b}", "postcode", label, "how", p.how, "lat", p.lat,
				  "lon", p.lon, "km", q.within_km, "schools_only", q.schools_only);
		if (q.schools_only)
			json_object_set_new(place, "all_url", json_sprintf("/schools?all=1%s",
									    query_without(req, (const char *const[]){"all", "page", NULL})));
	} else if (str_eq(q.sort, "distance")) {
		q.sort = "name"; /* distance needs a place to measure from */
	}
	json_decref(errors);

	json_t *rows;
	int64_t total;
	int rc = search_in(ix, a, &q, &rows, &total);
	if (rc)
		return rc;
	if (!req_wants_json(req)) {
		/* Figures as the page shows them, one decimal (a distance of 0.0 km is shown too). */
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r)
		{
			json_t *fsm = json_object_get(r, "fsm_pct"), *km = json_object_get(r, "km");
			if (json_is_number(fsm))
				json_object_set_new(r, "fsm_text", json_sprintf("%.1f%%", json_number_value(fsm)));
			if (json_is_number(km))
				json_object_set_new(r, "km_text", json_sprintf("%.1f km", json_number_value(km)));
		}
	}
	int64_t pages = total ? (total + q.per_page - 1) / q.per_page : 1;
	json_t *model = json_object();
	json_object_set_new(model, "title", json_string("Find a school"));
	json_object_set_new(model, "results", rows);
	json_object_set_new(model, "total", json_integer(total));
	json_object_set_new(model, "one", json_boolean(total == 1));
	json_object_set_new(model, "page", json_integer(q.page));
	json_object_set_new(model, "per_page", json_integer(q.per_page));
	json_object_set_new(model, "pages", json_integer(pages));
	json_object_set_new(model, "place", place ? place : json_null());
	json_object_set_new(model, "sort", json_string(q.sort ? q.sort : "name"));
	char *rest = query_without(req, (const char *const[]){"page", NULL});
	if (q.page > 1)
		json_object_set_new(model, "prev_url", json_sprintf("/schools?page=%lld%s", (long long)q.page - 1, rest));
	if (q.page < pages)
		json_object_set_new(model, "next_url", json_sprintf("/schools?page=%lld%s", (long long)q.page + 1, rest));
	json_object_set_new(model, "first", json_integer(total ? (q.page - 1) * q.per_page + 1 : 0));
	json_object_set_new(model, "last", json_integer((q.page - 1) * q.per_page + (int64_t)json_array_size(rows)));
	/* A typo: the nearest spellings that find something, as links. */
	json_t *suggestions = json_array();
	if (total == 0 && q.fts) {
		const char *alt[3];
		size_t n = search_suggest(ix, a, &q, alt, ARRAY_LEN(alt));
		char *others = query_without(req, (const char *const[]){"q", "page", NULL});
		for (size_t i = 0; i < n; i++) {
			/* Keep a postcode typed after the name. */
			const char *full = *typed_key ? arena_printf(a, "%s %s", alt[i], typed_key) : alt[i];
			struct buf b = BUF_INIT;
			buf_puts(&b, "/schools?q=");
			buf_put_urlencoded(&b, full);
			buf_puts(&b, others);
			const char *sep = i + 2 == n ? " or " : i + 1 < n ? ", " : "";
			json_array_append_new(suggestions, json_pack("{s:s, s:s, s:s}", "text", full, "url", buf_str(&b),
								     "sep", sep));
			buf_free(&b);
		}
	}
	json_object_set_new(model, "has_suggestions", json_boolean(json_array_size(suggestions) > 0));
	json_object_set_new(model, "suggestions", suggestions);

	/* What was asked, to fill the form again. */
	json_t *query = json_object();
	for (const struct param_spec *p = directory_params; p->name; p++)
		if (req_has(req, p->name))
			json_object_set_new(query, p->name, json_string(req_field(req, p->name)));
	json_object_set_new(model, "query", query);
	json_object_set_new(model, "searched", json_boolean(json_object_size(query) > 0));
	if (!req_wants_json(req)) {
		json_t *f = facets(ix, req);
		json_object_set_new(f, "status", choice_list(status_choices, status_labels, q.status ? q.status : "open"));
		json_object_set_new(f, "phase", choice_list(phase_choices, phase_labels, q.phase));
		json_object_set_new(f, "sort", choice_list(sort_choices, sort_labels, req_str(req, "sort")));
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
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	int64_t urn = req_path_int(req, "urn");
	json_t *s, *similar;
	const char *reason;
	int rc = schools_profile_page(db, urn, &s, &similar, &reason);
	if (rc == ERR_NOTFOUND)
		return res_error(res, 404, arena_printf(req_arena(req),
							 "There is no school with URN %lld in the register.",
							 (long long)urn));
	if (rc)
		return rc;
	json_t *model = json_pack("{s:O, s:s}", "school", s, "title", json_string_value(json_object_get(s, "name")));
	json_decref(s);
	if (similar)
		json_object_set_new(model, "similar", similar);
	else
		json_object_set_new(model, "similar_reason", json_string(reason ? reason : ""));
	/* A signed-in school lead in a network with this school may ask for an introduction. */
	json_t *offers = partnerships_intro_offer(db, accounts_user(req), urn);
	/* A school asked already is not asked again: the page links to that introduction. */
	json_t *asked = partnerships_asked(db, accounts_user(req));
	char key[32];
	snprintf(key, sizeof(key), "%lld", (long long)urn);
	json_t *this_asked = json_object_get(asked, key);
	if (this_asked)
		json_object_set(model, "introduction_asked", this_asked);
	json_decref(asked);
	json_object_set_new(model, "can_introduce", json_boolean(json_array_size(offers) > 0 && !this_asked));
	json_object_set_new(model, "introduce_networks", offers);
	res_view(res, 200, "schools/show", model);
	return 0;
}

/*
 * The page for a school the finder cannot compare (a closed school, a type
 * or phase it does not compare, …): JSON gets 422 problem+json with the
 * reason; a browser gets a page that names the school, says why, and
 * offers what it can instead (the schools near it, its profile).
 */
static int similar_none(struct request *req, struct response *res, struct db *db, int64_t urn,
			const char *reason)
{
	if (!reason)
		reason = "This school has no comparison group.";
	json_t *s;
	if (req_wants_json(req) || schools_profile(db, urn, &s))
		return res_error(res, 422, reason);
	const char *name = json_string_value(json_object_get(s, "name"));
	json_t *model = json_pack("{s:s+, s:s, s:o}", "title", "No similar schools for ", name ? name : "this school",
				  "reason", reason, "school", s);
	res_view(res, 422, "schools/similar_none", model);
	return 0;
}

static void decref(void *j)
{
	json_decref(j);
}

/* The URNs of the peers object {"URN": network} (arena array); returns how many. */
static size_t peer_urns(struct arena *a, json_t *peers, int **out)
{
	size_t n = json_object_size(peers), i = 0;
	int *urns = arena_alloc(a, (n ? n : 1) * sizeof(*urns));
	const char *key;
	json_t *v;
	json_object_foreach(peers, key, v)
		urns[i++] = atoi(key);
	*out = urns;
	return i;
}

/* The query string of this similar-schools page without `mine`, each as &name=value. */
static char *similar_query_without_mine(struct request *req)
{
	struct buf b = BUF_INIT;
	for (const struct param_spec *p = similar_params; p->name; p++) {
		const char *v = str_eq(p->name, "mine") ? NULL : req_field(req, p->name);
		if (!v || !*v)
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
 * For the box above the list: every school of the comparison group that
 * shares a network with the lead's (peers {"URN": network}), most in common
 * first, however far down the full list it comes, so the partner a lead can
 * ask is one step away: [{urn, name, score, network, rank (on the page,
 * when listed), asked}] (new array; empty when none or on error).
 */
static json_t *network_schools(struct db *db, struct arena *a, int64_t urn, const struct similar_options *opt,
			       json_t *peers, json_t *asked, json_t *listed)
{
	json_t *out = json_array();
	int *only = NULL;
	size_t n = peer_urns(a, peers, &only);
	if (!n)
		return out;
	struct similar_options o = *opt;
	o.k = n > SIMILAR_K_MAX ? SIMILAR_K_MAX : (int)n;
	json_t *m = NULL;
	const char *reason = NULL;
	if (schools_similar_among(db, urn, &o, only, n, &m, &reason))
		return out;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(m, "results"), i, r)
	{
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(r, "urn")));
		json_t *item = json_pack("{s:O, s:O, s:O, s:O}", "urn", json_object_get(r, "urn"), "name",
					 json_object_get(r, "name"), "score", json_object_get(r, "score"), "network",
					 json_object_get(peers, key));
		if (json_object_get(listed, key))
			json_object_set(item, "rank", json_object_get(listed, key));
		if (json_object_get(asked, key))
			json_object_set(item, "asked", json_object_get(asked, key));
		json_array_append_new(out, item);
	}
	json_decref(m);
	return out;
}

/*
 * GET /schools/{urn}/similar
 * The schools with the most in common with this one, explained. Parameters:
 * similar_params above (k, within, weights, same_region, independent, and
 * mine: a school lead sees only the schools in their networks).
 */
static int handle_schools_similar(struct request *req, struct response *res)
{
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	struct arena *a = req_arena(req);
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
	/* A school lead sees which schools share a network with theirs, and may list only those. */
	json_t *peers = partnerships_peers(db, accounts_user(req));
	arena_defer(a, decref, peers);
	json_t *asked = partnerships_asked(db, accounts_user(req));
	arena_defer(a, decref, asked);
	bool mine = req_bool(req, "mine") && json_object_size(peers) > 0;
	int *only = NULL;
	size_t n_only = mine ? peer_urns(a, peers, &only) : 0;
	json_t *model;
	int rc = schools_similar_among(db, urn, &opt, mine ? only : NULL, n_only, &model, &reason);
	if (rc == ERR_NOTFOUND)
		return res_error(res, 404, arena_printf(a, "There is no school with URN %lld in the register.",
							 (long long)urn));
	if (rc == ERR_INVALID)
		return similar_none(req, res, db, urn, reason);
	if (rc)
		return rc;
	json_object_set_new(model, "title", json_sprintf("Schools like %s",
		json_string_value(json_object_get(json_object_get(model, "school"), "name"))));
	bool adjusted = false;
	for (const struct param_spec *p = similar_params; p->name; p++)
		adjusted = adjusted || (!str_eq(p->name, "mine") && req_has(req, p->name));
	json_object_set_new(model, "adjusted", json_boolean(adjusted));
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
							   : arena_printf(a, "%s km", within_choices[i]),
							   "selected", str_eq(within_choices[i], within ? within : "any")));
		json_object_set_new(model, "within_choices", w);
	}
	/* Mark the listed schools that share a network with the lead's, and those already asked. */
	size_t i;
	json_t *r;
	json_t *listed = json_object(); /* {"URN": rank} of the schools on the page */
	json_array_foreach(json_object_get(model, "results"), i, r)
	{
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(r, "urn")));
		json_object_set(listed, key, json_object_get(r, "rank"));
		json_t *net = json_object_get(peers, key);
		if (!net)
			continue;
		json_object_set_new(r, "peer_network", json_incref(net));
		if (json_object_get(asked, key))
			json_object_set(r, "asked", json_object_get(asked, key));
	}
	json_t *in_networks = mine ? json_array() : network_schools(db, a, urn, &opt, peers, asked, listed);
	json_decref(listed);
	json_object_set_new(model, "in_networks", in_networks);
	json_object_set_new(model, "can_ask_introductions", json_boolean(json_object_size(peers) > 0));
	json_object_set_new(model, "can_filter_mine", json_boolean(json_object_size(peers) > 0));
	json_object_set_new(model, "mine", json_boolean(mine));
	const char *rest = similar_query_without_mine(req);
	json_object_set_new(model, "mine_url", json_sprintf("/schools/%lld/similar?mine=1%s", (long long)urn, rest));
	json_object_set_new(model, "all_url", json_sprintf("/schools/%lld/similar%s%s", (long long)urn,
							   *rest ? "?" : "", *rest ? rest + 1 : ""));
	res_view(res, 200, "schools/similar", model);
	return 0;
}

const struct route schools_routes[] = {
	{HTTP_GET, "/schools", handle_schools_index, directory_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_GET, "/schools/{urn:int}", handle_schools_show, NULL, 0, 0},
	{HTTP_GET, "/schools/{urn:int}/similar", handle_schools_similar, similar_params, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
