// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * search.c — the directory as pages ask it: schools by name and town words,
 * postcode or outcode, town or LA, with filters, sorting and pagination;
 * and "near a postcode" within N km, located from the register's own
 * postcodes (the exact postcode when a school has it, else the centre of
 * the schools in its sector or district). Answered from the in-memory
 * directory index, kept by index.c, with no SQL per query; this file turns
 * a page's query into the index's and its rows into JSON.
 */
#include "app/schools/search.h"

#include <math.h>
#include <string.h>

#include "app/schools/directory.h"
#include "app/schools/gias.h"
#include "app/schools/schools.h"
#include "core/arena.h"
#include "core/str.h"

int search_fts_query(struct arena *a, const char *text, const char **out)
{
	*out = text && dir_has_words(text) ? arena_strdup(a, text) : NULL;
	return *out ? 0 : ERR_INVALID;
}

void search_postcode_key(const char *in, char key[16])
{
	dir_postcode_key(in, key);
}

bool search_postcode_valid(const char *key)
{
	return dir_is_postcode(key) || dir_is_outcode(key);
}

int search_locate(const struct dir_index *ix, struct arena *a, const char *postcode, struct search_place *out)
{
	char key[16];
	dir_postcode_key(postcode, key);
	memset(out, 0, sizeof(*out));
	struct dir_place p;
	int rc = dir_locate(ix, key, &p);
	if (rc)
		return rc;
	out->lat = p.lat;
	out->lon = p.lon;
	int n = p.schools;
	const char *s = n == 1 ? "" : "s";
	switch (p.precision) {
	case DIR_AT_POSTCODE:
		out->precision = "postcode";
		out->how = arena_printf(a, "at %s %s, the postcode of %d school%s in the register", p.outcode,
					key + strlen(p.outcode), n, s);
		break;
	case DIR_AT_SECTOR:
		out->precision = "sector";
		out->how = arena_printf(a, "at the centre of the %d school%s in postcode sector %s "
					   "(no school has the exact postcode)", n, s, p.sector);
		break;
	case DIR_AT_OUTCODE:
		out->precision = "outcode";
		out->how = arena_printf(a, "at the centre of the %d school%s in postcode district %s", n, s,
					p.outcode);
		break;
	}
	return 0;
}

static void to_dir(const struct search_query *q, struct dir_query *d)
{
	memset(d, 0, sizeof(*d));
	d->text = q->fts;
	d->status = str_eq(q->status, "closed") ? DIR_CLOSED : str_eq(q->status, "all") ? DIR_ALL : DIR_OPEN;
	enum gias_phase_group g;
	d->group = q->phase && gias_phase_group_parse(q->phase, &g) == 0 ? (int)g : -1;
	d->facet[DIR_FACET_LA] = q->la && *q->la ? q->la : NULL;
	d->facet[DIR_FACET_REGION] = q->region && *q->region ? q->region : NULL;
	d->facet[DIR_FACET_TYPE_GROUP] = q->type_group && *q->type_group ? q->type_group : NULL;
	d->facet[DIR_FACET_RELIGIOUS] = q->religious && *q->religious ? q->religious : NULL;
	d->facet[DIR_FACET_GENDER] = q->gender && *q->gender ? q->gender : NULL;
	d->facet[DIR_FACET_URBAN_RURAL] = q->urban_rural && *q->urban_rural ? q->urban_rural : NULL;
	d->trust = q->trust && *q->trust ? q->trust : NULL;
	d->pupils_min = q->pupils_min;
	d->pupils_max = q->pupils_max;
	d->fsm_min = q->fsm_min;
	d->fsm_max = q->fsm_max;
	d->postcode = q->postcode_key && *q->postcode_key ? q->postcode_key : NULL;
	d->town = q->town && *q->town ? q->town : NULL;
	d->near = q->near;
	d->lat = q->lat;
	d->lon = q->lon;
	d->within_km = q->within_km;
	d->schools_only = q->schools_only;
	d->sort = str_eq(q->sort, "distance") ? DIR_SORT_DISTANCE
		  : str_eq(q->sort, "pupils") ? DIR_SORT_PUPILS
		  : str_eq(q->sort, "fsm")    ? DIR_SORT_FSM
					      : DIR_SORT_NAME;
	int64_t page = q->page > 0 ? q->page : 1;
	d->limit = q->per_page > 0 ? q->per_page : 25;
	d->offset = (page - 1) * d->limit;
}

/* The index's strings come from the store, which holds UTF-8 only: no need to check them again. */
static json_t *str_or_null(const char *s)
{
	return s ? json_string_nocheck(s) : json_null();
}

/* One result row, with the columns the directory has always answered. */
static json_t *row_json(const struct dir_hit *h)
{
	const struct dir_entry *e = h->e;
	json_t *r = json_object();
	/* Keys are literals: the _nocheck setters skip validating them. */
	json_object_set_new_nocheck(r, "urn", json_integer(e->urn));
	json_object_set_new_nocheck(r, "name", json_string_nocheck(e->name));
	json_object_set_new_nocheck(r, "town", str_or_null(e->town));
	json_object_set_new_nocheck(r, "postcode", str_or_null(e->postcode));
	json_object_set_new_nocheck(r, "la_name", str_or_null(e->la_name));
	json_object_set_new_nocheck(r, "phase_name", str_or_null(e->phase_name));
	json_object_set_new_nocheck(r, "phase_group", json_string_nocheck(e->phase_group));
	json_object_set_new_nocheck(r, "type_name", str_or_null(e->type_name));
	json_object_set_new_nocheck(r, "status_name", str_or_null(e->status_name));
	json_object_set_new_nocheck(r, "status_code", str_or_null(e->status_code));
	json_object_set_new_nocheck(r, "pupils", e->pupils >= 0 ? json_integer(e->pupils) : json_null());
	json_object_set_new_nocheck(r, "fsm_pct", isnan(e->fsm_pct) ? json_null() : json_real(e->fsm_pct));
	json_object_set_new_nocheck(r, "km", isnan(h->km) ? json_null() : json_real(round(h->km * 10) / 10));
	return r;
}

int search_in(const struct dir_index *ix, struct arena *a, const struct search_query *q, json_t **results,
	      int64_t *total)
{
	*results = NULL;
	*total = 0;
	struct dir_query d;
	to_dir(q, &d);
	struct dir_result r;
	int rc = dir_query(ix, &d, a, &r);
	if (rc)
		return rc;
	json_t *rows = json_array();
	for (size_t i = 0; i < r.n; i++)
		json_array_append_new(rows, row_json(&r.hits[i]));
	*results = rows;
	*total = r.total;
	return 0;
}

int search_run(struct db *db, const struct search_query *q, json_t **results, int64_t *total)
{
	*results = NULL;
	struct dir_index *ix = schools_directory(db);
	if (!ix)
		return ERR_DB;
	struct arena *a = arena_new();
	int rc = search_in(ix, a, q, results, total);
	arena_free(a);
	dir_unref(ix);
	return rc;
}

size_t search_suggest(const struct dir_index *ix, struct arena *a, const struct search_query *q,
		      const char **out, size_t max)
{
	struct dir_query d;
	to_dir(q, &d);
	return dir_suggest(ix, &d, a, out, max);
}
