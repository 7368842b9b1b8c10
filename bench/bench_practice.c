// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * bench_practice.c — times shared practice's search in-process (issue 14:
 * "with 50,000 items across 300 schools, a search ≤ 5 ms p99"). It builds a
 * fresh store (migrated from SQL_DIR) with one network of 300 member
 * schools and 50,000 ideas and articles written through practice_index_put
 * (a third seen by their school only, a third by the network, a third
 * public), then runs typical searches as a member of staff of one school
 * and as a visitor who is not signed in, many times each, through
 * practice_search (the query, the visibility check of every match and the
 * JSON of the first page), reporting p50 / p99 / max of the wall clock
 * and p50 / p99 of the thread's CPU time (the machine is shared: the wall
 * clock also counts the time other programs had the core). A store that
 * already holds the items is used again as it is.
 * usage: bench_practice DB SQL_DIR [ITEMS [CASE]]   (prints a Markdown table; bench/run records it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/practice/search.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "db/db.h"

#define RUNS 200
#define SCHOOLS 300

DB_QUERY(Q_B_NETWORK, "INSERT INTO network (slug, name, created_at, updated_at) VALUES ('bench', 'Bench network', ?1, ?1)");
DB_QUERY(Q_B_MEMBER, "INSERT INTO network_school (network_id, urn, added_at) VALUES (?, ?, ?)");
DB_QUERY(Q_B_COUNT, "SELECT count(*) FROM practice_doc");
DB_QUERY(Q_B_PUBLIC, "INSERT INTO practice_public (kind, item_id, network_id, published_at) VALUES (?, ?, ?, ?)");

/* Say what failed and the store's message; the exit status. */
static int fail(struct db *db, const char *what)
{
	fprintf(stderr, "bench_practice: %s failed: %s\n", what, db_errmsg(db));
	return 1;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Words the items are written in: a few common ones and many rarer ones. */
static const char *const common[] = {"reading", "phonics", "oracy", "writing", "maths", "behaviour", "feedback",
				     "questioning", "vocabulary", "science", "assessment", "pupils", "lesson",
				     "class", "week", "tried", "worked", "partner", "talk", "homework"};
#define NCOMMON (sizeof(common) / sizeof(common[0]))

/* A pseudo-random number (deterministic, so every run builds the same store). */
static uint32_t next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

/* The calling thread's CPU time in microseconds. */
static int64_t cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Write item i's text: 30 to 70 words, a common word one time in four, else a rare one. */
static void text_of(uint32_t *seed, struct buf *b)
{
	buf_reset(b);
	int words = 30 + (int)(next(seed) % 40);
	for (int w = 0; w < words; w++) {
		uint32_t r = next(seed);
		if (r % 4 == 0)
			buf_printf(b, "%s%s", w ? " " : "", common[(r / 4) % NCOMMON]);
		else
			buf_printf(b, "%sw%05u", w ? " " : "", (unsigned)(r % 20000));
	}
}

/* One search to time. */
struct bench_case {
	const char *what; /* the row's label */
	struct practice_search_query q; /* the search */
	bool anonymous;   /* as a visitor who is not signed in */
};

/* Write the network, its schools and the given number of items into the store: 0, or 1 on failure. */
static int build_store(struct db *db, int items)
{
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	if (db_begin(db))
		return fail(db, "begin");
	struct db_stmt *st = db_stmt(db, &Q_B_NETWORK);
	if (!st || db_bind_text(st, 1, now) || db_step(st) < 0)
		return fail(db, "the network");
	db_reset(st);
	int64_t net = db_last_id(db);
	for (int s = 0; s < SCHOOLS; s++) {
		st = db_stmt(db, &Q_B_MEMBER);
		if (!st || db_bind_int(st, 1, net) || db_bind_int(st, 2, 100000 + s) || db_bind_text(st, 3, now) ||
		    db_step(st) < 0)
			return fail(db, "a member school");
		db_reset(st);
	}
	struct buf text;
	buf_init(&text);
	uint32_t seed = 42;
	for (int i = 1; i <= items; i++) {
		text_of(&seed, &text);
		bool article = i % 3 == 0;
		char when[32];
		clock_format_iso(clock_now() - (int64_t)(items - i) * 600, when, sizeof(when));
		struct practice_doc_in d = {.kind = article ? "article" : "idea", .item_id = i, .network_id = net,
					    .urn = 100000 + i % SCHOOLS, .themes = common[i % 5],
					    .title = article ? "A one-page article" : "", .body = buf_str(&text),
					    .created_at = when};
		if (practice_index_put(db, &d))
			return fail(db, "practice_index_put");
		int vis = (i / 2) % 3; /* 0 the school only, 1 the network, 2 public */
		if (vis > 0 && practice_index_vis(db, d.kind, i, "network", NULL))
			return fail(db, "practice_index_vis");
		if (vis == 2) {
			st = db_stmt(db, &Q_B_PUBLIC);
			if (!st || db_bind_text(st, 1, d.kind) || db_bind_int(st, 2, i) || db_bind_int(st, 3, net) ||
			    db_bind_text(st, 4, now) || db_step(st) < 0)
				return fail(db, "publishing");
			db_reset(st);
		}
	}
	buf_free(&text);
	if (db_commit(db))
		return fail(db, "commit");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DB SQL_DIR [ITEMS [CASE]]\n", argv[0]);
		return 2;
	}
	int items = argc > 3 ? atoi(argv[3]) : 50000;
	int only = argc > 4 ? atoi(argv[4]) : 0; /* one case (1 …), to profile it */
	struct db *db;
	char err[512];
	int applied = 0;
	if (db_open(&db, argv[1], err, sizeof(err)) || db_migrate(db, argv[2], &applied, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	int64_t t0 = clock_mono_us();
	struct db_stmt *st = db_stmt(db, &Q_B_COUNT);
	bool built = st && db_step(st) == DB_ROW && db_col_int(st, 0) >= items;
	if (st)
		db_reset(st);
	if (!built) {
		if (build_store(db, items))
			return 1;
		printf("Store: %d items across %d schools, built in %.1f s.\n\n", items, SCHOOLS,
		       (double)(clock_mono_us() - t0) / 1e6);
	}

	/* No such person is needed: the check reads only these facts. */
	struct user staff = {.id = 1, .name = "Bench", .school_urn = 100007, .role = SCHOOL_ROLE_STAFF};
	const struct bench_case cases[] = {
		{"one rare word: `q=w01234`", {.text = "w01234"}, false},
		{"one common word: `q=phonics` (a quarter of all items)", {.text = "phonics"}, false},
		{"a prefix: `q=phon`", {.text = "phon"}, false},
		{"two words: `q=reading oracy`", {.text = "reading oracy"}, false},
		{"common word and filters: `q=maths&kind=article&theme=reading`",
		 {.text = "maths", .kind = "article", .theme = "reading"}, false},
		{"no words, one school: `urn=100007`", {.urn = 100007}, false},
		{"signed out, common word: `q=phonics`", {.text = "phonics"}, true},
	};
	printf("| search | seen | p50 | p99 | max | CPU p50 | CPU p99 |\n|---|---:|---:|---:|---:|---:|---:|\n");
	int64_t lat[RUNS], cpu[RUNS];
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		if (only > 0 && c + 1 != (size_t)only)
			continue;
		json_int_t total = 0;
		for (int r = 0; r < RUNS; r++) {
			struct arena *a = arena_new();
			json_t *errors = json_object(), *out = NULL;
			int64_t s = clock_mono_us(), s_cpu = cpu_us();
			struct practice_search_query q = cases[c].q;
			q.page = 1;
			int rc = practice_search(db, a, cases[c].anonymous ? NULL : &staff, &q, errors, &out);
			lat[r] = clock_mono_us() - s;
			cpu[r] = cpu_us() - s_cpu;
			if (rc) {
				fprintf(stderr, "search failed: %d\n", rc);
				return 1;
			}
			total = json_integer_value(json_object_get(out, "total"));
			json_decref(out);
			json_decref(errors);
			arena_free(a);
		}
		qsort(lat, RUNS, sizeof(lat[0]), cmp_i64);
		qsort(cpu, RUNS, sizeof(cpu[0]), cmp_i64);
		printf("| %s | %lld | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n", cases[c].what,
		       (long long)total, (double)lat[RUNS / 2] / 1000.0, (double)lat[RUNS * 99 / 100] / 1000.0,
		       (double)lat[RUNS - 1] / 1000.0, (double)cpu[RUNS / 2] / 1000.0,
		       (double)cpu[RUNS * 99 / 100] / 1000.0);
	}
	db_close(db);
	return 0;
}
