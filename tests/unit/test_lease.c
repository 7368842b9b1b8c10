// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_lease.c — unit tests of db_job_claim (src/db/lease.c): the claim
 * that lets a periodic job run on one app server at a time and once per
 * interval. Two connections to one migrated SQLite file stand for two
 * servers; each test has its own file under /tmp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db.h"

#define T0 1790000000 /* some instant in 2026 */

/* Two servers on one database. */
struct fixture {
	char dir[64];  /* the temporary folder */
	char path[96]; /* dir/test.db */
	struct db *a;  /* the first server's connection */
	struct db *b;  /* the second's */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[512], sql[1024];
	const char *src = getenv("TANDEM_SOURCE_DIR");
	snprintf(sql, sizeof(sql), "%s/sql", src ? src : ".");
	if (!scratch_dir(f->dir, sizeof(f->dir), "lease"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
	if (db_open(&f->a, f->path, err, sizeof(err)) || db_migrate(f->a, sql, NULL, err, sizeof(err)) ||
	    db_open(&f->b, f->path, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->a);
	db_close(f->b);
	scratch_remove(f->dir);
	free(f);
	return 0;
}

/* Claim job on db at t for an hour; whether it was granted. */
static bool claim(struct db *db, const char *job, int64_t t)
{
	bool mine = true;
	assert_int_equal(db_job_claim(db, job, t, 3600, "test:1", &mine), 0);
	db_job_done(db, job);
	return mine;
}

static void the_first_claim_of_a_job_is_granted(void **state)
{
	struct fixture *f = *state;
	assert_true(claim(f->a, "digest", T0));
}

static void a_second_server_asking_within_the_interval_is_refused(void **state)
{
	struct fixture *f = *state;
	assert_true(claim(f->a, "digest", T0));
	assert_false(claim(f->b, "digest", T0 + 5));
	assert_false(claim(f->a, "digest", T0 + 3599));
}

static void the_next_interval_goes_to_whichever_server_asks_first(void **state)
{
	struct fixture *f = *state;
	assert_true(claim(f->a, "digest", T0));
	assert_true(claim(f->b, "digest", T0 + 3600));
	assert_false(claim(f->a, "digest", T0 + 3601));
}

static void jobs_are_claimed_independently_of_each_other(void **state)
{
	struct fixture *f = *state;
	assert_true(claim(f->a, "digest", T0));
	assert_true(claim(f->b, "reminders", T0 + 1));
}

static void a_lease_far_ahead_of_the_clock_counts_as_the_clock_having_gone_back(void **state)
{
	struct fixture *f = *state;
	assert_true(claim(f->a, "digest", T0 + 86400));
	assert_true(claim(f->b, "digest", T0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_first_claim_of_a_job_is_granted, setup, teardown),
		cmocka_unit_test_setup_teardown(a_second_server_asking_within_the_interval_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(the_next_interval_goes_to_whichever_server_asks_first, setup, teardown),
		cmocka_unit_test_setup_teardown(jobs_are_claimed_independently_of_each_other, setup, teardown),
		cmocka_unit_test_setup_teardown(a_lease_far_ahead_of_the_clock_counts_as_the_clock_having_gone_back,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
