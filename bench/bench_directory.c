// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * bench_directory.c — times the schools directory in-process on a real
 * database (run `tandem import-gias` on the national file first): building
 * the in-memory index from the store, then each of a set of typical
 * searches run many times through search_in (the index query and the JSON
 * rows a page gets), reporting p50 / p99 / max.
 * usage: bench_directory DB   (prints a Markdown table; bench/run records it)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/directory.h"
#include "app/schools/schools.h"
#include "app/schools/search.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"

#define RUNS 300

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* One search to time: what a person typed, as the page turns it into a query. */
struct bench_case {
	const char *what;    /* the row's label */
	const char *text;    /* name words, or NULL */
	const char *la;      /* LA code, or NULL */
	const char *phase;   /* phase group, or NULL */
	const char *near;    /* postcode to place, or NULL */
	const char *sort;    /* order, or NULL */
	const char *status;  /* status, or NULL (open) */
	int suggest;         /* also ask for spellings */
};

static const struct bench_case cases[] = {
	{"name: `q=lawnswood`", "lawnswood", NULL, NULL, NULL, NULL, NULL, 0},
	{"name: `q=st marys` (many)", "st marys", NULL, NULL, NULL, NULL, NULL, 0},
	{"filtered: `q=primary&la=383`", "primary", "383", NULL, NULL, NULL, NULL, 0},
	{"filtered: `la=383&phase=primary`", NULL, "383", "primary", NULL, NULL, NULL, 0},
	{"near: `q=LS16 5NW` (5 km, nearest first)", NULL, NULL, NULL, "LS165NW", "distance", NULL, 0},
	{"everything, open and closed, by name", NULL, NULL, NULL, NULL, NULL, "all", 0},
	{"everything, open and closed, most pupils first", NULL, NULL, NULL, NULL, "pupils", "all", 0},
	{"typo: `q=lawnswod` with suggestions", "lawnswod", NULL, NULL, NULL, NULL, NULL, 1},
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DB\n", argv[0]);
		return 2;
	}
	struct db *db;
	char err[512];
	if (db_open(&db, argv[1], err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	int64_t t0 = clock_mono_us();
	struct dir_index *ix = schools_directory(db);
	int64_t build_us = clock_mono_us() - t0;
	if (!ix || !dir_count(ix)) {
		fprintf(stderr, "no directory: import the register first\n");
		return 1;
	}
	printf("| search | results | p50 | p99 | max |\n|---|---:|---:|---:|---:|\n");
	int64_t lat[RUNS];
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct bench_case *k = &cases[c];
		int64_t total = 0;
		for (int r = 0; r < RUNS; r++) {
			struct arena *a = arena_new();
			int64_t s = clock_mono_us();
			struct search_query q = {.fts = k->text, .la = k->la, .phase = k->phase, .sort = k->sort,
						 .status = k->status, .pupils_min = -1, .pupils_max = -1,
						 .fsm_min = NAN, .fsm_max = NAN, .page = 1, .per_page = 25};
			if (k->near) {
				struct search_place p;
				if (search_locate(ix, a, k->near, &p)) {
					fprintf(stderr, "cannot place %s\n", k->near);
					return 1;
				}
				q.near = true;
				q.lat = p.lat;
				q.lon = p.lon;
				q.within_km = 5;
				q.schools_only = true;
			}
			json_t *rows;
			if (search_in(ix, a, &q, &rows, &total)) {
				fprintf(stderr, "search failed: %s\n", k->what);
				return 1;
			}
			if (k->suggest) {
				const char *alt[3];
				if (search_suggest(ix, a, &q, alt, 3) == 0) {
					fprintf(stderr, "no suggestion for %s\n", k->what);
					return 1;
				}
			}
			json_decref(rows);
			lat[r] = clock_mono_us() - s;
			arena_free(a);
		}
		qsort(lat, RUNS, sizeof(lat[0]), cmp_i64);
		printf("| %s | %lld | %lld µs | %lld µs | %lld µs |\n", k->what, (long long)total,
		       (long long)lat[RUNS / 2], (long long)lat[RUNS * 99 / 100], (long long)lat[RUNS - 1]);
	}
	printf("\nindex: %zu establishments, built from the store in %lld ms\n", dir_count(ix),
	       (long long)(build_us / 1000));
	dir_unref(ix);
	schools_index_release();
	db_close(db);
	return 0;
}
