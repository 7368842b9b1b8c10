// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * index.c — keeps the similar-schools index and the directory index in
 * memory. Each is built from the store on first use and rebuilt when a
 * newer schools import has finished (whichever app server ran it): an
 * import announces the topic "schools" (db_announce), and each call here
 * compares the store's change generation for it (db_change_generation: no
 * round trip; PostgreSQL LISTEN/NOTIFY, SQLite's data_version) with the one
 * the index was checked at. Only when it moved does it ask the store for the
 * latest run id (one indexed query) and swap in a fresh index if that
 * changed. Queries in flight keep their own reference to the old one.
 * schools_register_run gives other caches of register data (the profile
 * cache, profile_cache.c) the same cheap check.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/directory.h"
#include "app/schools/gias.h"
#include "app/schools/schools.h"
#include "app/schools/similar.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

DB_QUERY(Q_LATEST_RUN,
	 "SELECT COALESCE(MAX(id), 0) FROM import_run WHERE kind = 'schools' AND status = 'done'");
DB_QUERY(Q_INDEX_ROWS,
	 "SELECT urn, phase_group, status_code, type_group_code, pupils, fsm_pct, sen_stat, lat, lon, "
	 "region_code, urban_rural_code, religious_code, gender_code, sixth_form_code, low_age, "
	 "high_age, type_code FROM school WHERE phase_group <> 'none'");
/* Columns 11.. are the facets in enum dir_facet order, code then name. */
DB_QUERY(Q_DIRECTORY_ROWS,
	 "SELECT urn, name, town, postcode, status_code, status_name, phase_group, phase_name, "
	 "type_code, type_name, trust_code, la_code, la_name, region_code, region_name, "
	 "type_group_code, type_group_name, religious_code, religious_name, gender_code, gender_name, "
	 "urban_rural_code, urban_rural_name, pupils, fsm_pct, lat, lon FROM school");

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;
static struct similar_index *index_current; /* guarded by index_lock */
static int64_t index_run = -1;              /* the import run it was built from */
static uint64_t index_gen;                  /* the change generation it was last checked at */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t run_known = -1; /* guarded by run_lock: the latest import run when last asked */
static uint64_t run_gen;       /* the change generation run_known was asked at */
static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dir_index *dir_current; /* guarded by dir_lock */
static int64_t dir_run = -1;          /* the import run it was built from */
static uint64_t dir_gen;              /* the change generation it was last checked at */

/* The topic an import announces (import.c) and the indexes listen for. */
#define SCHOOLS_TOPIC "schools"

/* The id of the latest finished schools import (0: none, or the store did not answer). */
static int64_t latest_run(struct db *db)
{
	int64_t run = 0;
	struct db_stmt *st = db_stmt(db, &Q_LATEST_RUN);
	if (st && db_step(st) == DB_ROW)
		run = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return run;
}

/* A categorical code as a small non-zero integer (0 means unknown). */
static int code_int(const char *code)
{
	if (!code || !*code)
		return 0;
	unsigned h = 2166136261u;
	for (const char *p = code; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return (int)(h % 2000000000u) + 1;
}

static int col_int_or(struct db_stmt *st, int i, int unknown)
{
	return db_col_is_null(st, i) ? unknown : (int)db_col_int(st, i);
}

static struct similar_index *index_build(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &Q_INDEX_ROWS);
	if (!st)
		return NULL;
	size_t n = 0, cap = 4096;
	struct similar_school *rows = xmalloc(cap * sizeof(*rows));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap *= 2;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		struct similar_school *s = &rows[n];
		memset(s, 0, sizeof(*s));
		enum gias_phase_group g;
		if (gias_phase_group_parse(db_col_text(st, 1), &g))
			continue;
		const char *status = db_col_text(st, 2);
		const char *tg = db_col_text(st, 3);
		s->urn = (int)db_col_int(st, 0);
		s->group = (enum similar_group)g; /* the two enums share their order */
		s->open = status && (strcmp(status, "1") == 0 || strcmp(status, "3") == 0);
		/* The "Special schools" type group also holds type 10, other
		 * independent special schools: those are independent schools. */
		const char *type = db_col_text(st, 16);
		bool indep_special = type && atoi(type) == 10;
		s->state_funded = gias_is_state_funded(tg) && !indep_special;
		s->independent = gias_is_independent(tg) || indep_special;
		s->pupils = col_int_or(st, 4, -1);
		s->fsm_pct = db_col_is_null(st, 5) ? NAN : db_col_double(st, 5);
		s->ehc_plans = col_int_or(st, 6, -1);
		s->has_location = !db_col_is_null(st, 7) && !db_col_is_null(st, 8);
		s->lat = s->has_location ? db_col_double(st, 7) : 0;
		s->lon = s->has_location ? db_col_double(st, 8) : 0;
		s->region = code_int(db_col_text(st, 9));
		s->urban_rural = code_int(db_col_text(st, 10));
		s->type_group = code_int(tg);
		s->religion = code_int(db_col_text(st, 11));
		s->gender = code_int(db_col_text(st, 12));
		s->sixth_form = code_int(db_col_text(st, 13));
		s->age_low = col_int_or(st, 14, -1);
		s->age_high = col_int_or(st, 15, -1);
		n++;
	}
	db_reset(st);
	struct similar_index *ix = NULL;
	if (rc < 0 || similar_index_build(rows, n, &ix)) {
		log_error("cannot build the similar-schools index from %zu schools", n);
		ix = NULL;
	}
	free(rows);
	return ix;
}

struct similar_index *schools_index(struct db *db)
{
	/* Read before the run id: a change after this moves the generation again. */
	uint64_t gen = db_change_generation(db, SCHOOLS_TOPIC);
	pthread_mutex_lock(&index_lock);
	int64_t run = index_current && gen && gen == index_gen ? index_run : latest_run(db);
	if (!index_current || run != index_run) {
		/* Built under the lock so concurrent first requests build once. */
		struct similar_index *fresh = index_build(db);
		if (fresh) {
			if (index_current)
				similar_index_unref(index_current);
			index_current = fresh;
			index_run = run;
			log_info("similar-schools index built: %zu schools (import run %lld)",
				 similar_index_count(fresh), (long long)run);
		}
	}
	if (index_current && run == index_run)
		index_gen = gen;
	struct similar_index *ix = index_current ? similar_index_ref(index_current) : NULL;
	pthread_mutex_unlock(&index_lock);
	return ix;
}

static const char *text_or_null(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return s ? arena_strdup(a, s) : NULL;
}

static struct dir_index *directory_build(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &Q_DIRECTORY_ROWS);
	if (!st)
		return NULL;
	struct arena *a = arena_new();
	size_t n = 0, cap = 4096;
	struct dir_school *rows = xmalloc(cap * sizeof(*rows));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap *= 2;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		struct dir_school *r = &rows[n++];
		memset(r, 0, sizeof(*r));
		r->urn = (int)db_col_int(st, 0);
		r->name = text_or_null(a, st, 1);
		r->town = text_or_null(a, st, 2);
		r->postcode = text_or_null(a, st, 3);
		r->status_code = text_or_null(a, st, 4);
		r->status_name = text_or_null(a, st, 5);
		r->phase_group = text_or_null(a, st, 6);
		r->phase_name = text_or_null(a, st, 7);
		r->type_code = text_or_null(a, st, 8);
		r->type_name = text_or_null(a, st, 9);
		r->trust_code = text_or_null(a, st, 10);
		for (int f = 0; f < DIR_FACET__MAX; f++) {
			r->code[f] = text_or_null(a, st, 11 + 2 * f);
			r->label[f] = text_or_null(a, st, 12 + 2 * f);
		}
		r->pupils = col_int_or(st, 23, -1);
		r->fsm_pct = db_col_is_null(st, 24) ? NAN : db_col_double(st, 24);
		r->has_location = !db_col_is_null(st, 25) && !db_col_is_null(st, 26);
		r->lat = r->has_location ? db_col_double(st, 25) : 0;
		r->lon = r->has_location ? db_col_double(st, 26) : 0;
	}
	db_reset(st);
	struct dir_index *ix = NULL;
	if (rc < 0 || dir_build(rows, n, &ix)) {
		log_error("cannot build the directory index from %zu schools", n);
		ix = NULL;
	}
	free(rows);
	arena_free(a);
	return ix;
}

int64_t schools_register_run(struct db *db)
{
	uint64_t gen = db_change_generation(db, SCHOOLS_TOPIC);
	pthread_mutex_lock(&run_lock);
	int64_t run = run_known;
	if (run < 0 || !gen || gen != run_gen) {
		run = latest_run(db);
		run_known = run;
		run_gen = gen;
	}
	pthread_mutex_unlock(&run_lock);
	return run;
}

struct dir_index *schools_directory(struct db *db)
{
	uint64_t gen = db_change_generation(db, SCHOOLS_TOPIC);
	pthread_mutex_lock(&dir_lock);
	int64_t run = dir_current && gen && gen == dir_gen ? dir_run : latest_run(db);
	if (!dir_current || run != dir_run) {
		struct dir_index *fresh = directory_build(db);
		if (fresh) {
			dir_unref(dir_current);
			dir_current = fresh;
			dir_run = run;
			log_info("directory index built: %zu establishments (import run %lld)", dir_count(fresh),
				 (long long)run);
		}
	}
	if (dir_current && run == dir_run)
		dir_gen = gen;
	struct dir_index *ix = dir_ref(dir_current);
	pthread_mutex_unlock(&dir_lock);
	return ix;
}

void schools_index_release(void)
{
	pthread_mutex_lock(&index_lock);
	if (index_current)
		similar_index_unref(index_current);
	index_current = NULL;
	index_run = -1;
	index_gen = 0;
	pthread_mutex_unlock(&index_lock);
	schools_pages_release();
	schools_profile_cache_release();
	pthread_mutex_lock(&run_lock);
	run_known = -1;
	run_gen = 0;
	pthread_mutex_unlock(&run_lock);
	pthread_mutex_lock(&dir_lock);
	dir_unref(dir_current);
	dir_current = NULL;
	dir_run = -1;
	dir_gen = 0;
	pthread_mutex_unlock(&dir_lock);
}
