// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * bench_similar.c — times the similar-schools finder in-process on a real
 * database (run `tandem import-gias` on the national file first):
 *   1. one query (k = 30, default method) for every open school in the
 *      pool, reporting p50 / p99 / max per phase group;
 *   2. families for every open school with k = 50, on 1 and 2 threads.
 * usage: bench_similar DB   (prints a Markdown table; bench/run records it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/schools.h"
#include "app/schools/similar.h"
#include "core/clock.h"
#include "core/util.h"
#include "db/db.h"

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

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
	struct similar_index *ix = schools_index(db);
	int64_t build_us = clock_mono_us() - t0;
	if (!ix) {
		fprintf(stderr, "no index: import the register first\n");
		return 1;
	}
	size_t n = similar_index_count(ix);
	struct similar_options opt;
	similar_options_default(&opt);
	struct similar_result *res = xmalloc(SIMILAR_K_MAX * sizeof(*res));

	/* Per group: every open school in the pool. */
	int64_t *lat[SIMILAR_GROUP__MAX];
	size_t cnt[SIMILAR_GROUP__MAX] = {0};
	for (int g = 0; g < SIMILAR_GROUP__MAX; g++)
		lat[g] = xmalloc(n * sizeof(int64_t));
	struct similar_families *fam;
	/* The list of pool members comes from a families run with k = 1 (cheap). */
	opt.k = 1;
	if (similar_families(ix, &opt, 1, &fam)) {
		fprintf(stderr, "families failed\n");
		return 1;
	}
	opt.k = SIMILAR_K_DEFAULT;
	for (size_t i = 0; i < fam->n; i++) {
		const struct similar_school *s = similar_index_school(ix, fam->urn[i]);
		struct similar_meta meta;
		int64_t a = clock_mono_us();
		int rc = similar_query(ix, fam->urn[i], &opt, res, SIMILAR_K_MAX, &meta);
		int64_t us = clock_mono_us() - a;
		if (rc == 0)
			lat[s->group][cnt[s->group]++] = us;
	}
	size_t pool = fam->n;
	similar_families_free(fam);

	printf("| phase group | schools | p50 | p99 | max |\n|---|---:|---:|---:|---:|\n");
	for (int g = 1; g < SIMILAR_GROUP__MAX; g++) {
		if (!cnt[g])
			continue;
		qsort(lat[g], cnt[g], sizeof(int64_t), cmp_i64);
		printf("| %s | %zu | %lld µs | %lld µs | %lld µs |\n", similar_group_name((enum similar_group)g),
		       cnt[g], (long long)lat[g][cnt[g] / 2], (long long)lat[g][cnt[g] * 99 / 100],
		       (long long)lat[g][cnt[g] - 1]);
	}
	for (int g = 0; g < SIMILAR_GROUP__MAX; g++)
		free(lat[g]);

	opt.k = 50;
	for (int threads = 1; threads <= 2; threads++) {
		int64_t a = clock_mono_us();
		if (similar_families(ix, &opt, threads, &fam))
			return 1;
		int64_t us = clock_mono_us() - a;
		printf("\nfamilies k=50, %d thread%s: %zu schools in %.2f s\n", threads, threads == 1 ? "" : "s",
		       fam->n, (double)us / 1e6);
		similar_families_free(fam);
	}
	printf("\nindex: %zu schools (%zu in the state-funded pools), built from the store in %.0f ms\n", n,
	       pool, (double)build_us / 1e3);
	free(res);
	similar_index_unref(ix);
	schools_index_release();
	db_close(db);
	return 0;
}
