// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_jobs.c — the periodic-job runner (src/app/jobs.c): a job runs at
 * start on its own connection with the clock's time, runs again when woken,
 * stays off when its settings say so, is stopped (and its stop called) by
 * jobs_stop, and a job that cannot start stops the ones already running.
 * Intervals are an hour, so every run seen here was asked for: the tests
 * wait for runs on a condition variable, never for time to pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scratch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/jobs.h"
#include "core/clock.h"
#include "core/config.h"
#include "db/db.h"

/* What the test jobs saw; lock guards it. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t ran;
	int runs;           /* runs of the counting job */
	int64_t last_now;   /* the now its last run was given */
	bool had_db;        /* every run had a connection */
	bool stopped;       /* its stop was called */
	bool stopping_seen; /* jobs_stopping() was true when stop was called */
	int off_runs;       /* runs of the job that is off */
	bool off_stopped;   /* the stop of the job that is off was called */
} S = {.lock = PTHREAD_MUTEX_INITIALIZER, .ran = PTHREAD_COND_INITIALIZER};

static int count_run(struct db *db, const struct config *config, int64_t now)
{
	(void)config;
	pthread_mutex_lock(&S.lock);
	S.runs++;
	S.last_now = now;
	S.had_db = S.had_db && db != NULL;
	pthread_cond_broadcast(&S.ran);
	pthread_mutex_unlock(&S.lock);
	return 0;
}

static void count_stop(void)
{
	pthread_mutex_lock(&S.lock);
	S.stopped = true;
	S.stopping_seen = jobs_stopping();
	pthread_mutex_unlock(&S.lock);
}

/* Every job here runs on every server: the runner's scheduling is under test, not the claim (test_lease.c). */
static const struct job counting = {
	.name = "counting", .run = count_run, .stop = count_stop, .min_interval = 3600, .every_server = true};

static int off_start(const struct config *config, int *interval, char *err, size_t errsz)
{
	(void)config, (void)err, (void)errsz;
	*interval = 0;
	return 0;
}

static int off_run(struct db *db, const struct config *config, int64_t now)
{
	(void)db, (void)config, (void)now;
	pthread_mutex_lock(&S.lock);
	S.off_runs++;
	pthread_mutex_unlock(&S.lock);
	return 0;
}

static void off_stop(void)
{
	S.off_stopped = true;
}

static const struct job off = {
	.name = "off", .start = off_start, .run = off_run, .stop = off_stop, .every_server = true};

static int broken_start(const struct config *config, int *interval, char *err, size_t errsz)
{
	(void)config, (void)interval;
	snprintf(err, errsz, "the broken job cannot start");
	return ERR_INVALID;
}

static const struct job broken = {.name = "broken", .start = broken_start, .run = off_run, .every_server = true};

/* Wait until the counting job has run at least n times. */
static void wait_runs(int n)
{
	pthread_mutex_lock(&S.lock);
	while (S.runs < n)
		pthread_cond_wait(&S.ran, &S.lock);
	pthread_mutex_unlock(&S.lock);
}

struct fixture {
	char dir[64];
	char path[96];
	struct db_pool *pool;
	struct config config;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	if (!scratch_dir(f->dir, sizeof(f->dir), "jobs"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/jobs.db", f->dir);
	if (db_pool_open(&f->pool, f->path, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	pthread_mutex_lock(&S.lock);
	S.runs = 0;
	S.last_now = 0;
	S.had_db = true;
	S.stopped = S.stopping_seen = S.off_stopped = false;
	S.off_runs = 0;
	pthread_mutex_unlock(&S.lock);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_pool_close(f->pool);
	scratch_remove(f->dir);
	free(f);
	return 0;
}

static void a_job_runs_at_start_with_a_connection_and_the_clocks_time(void **state)
{
	struct fixture *f = *state;
	const struct job *const jobs[] = {&counting, NULL};
	char err[256];
	clock_set_offset(86400 * 100);
	int64_t before = clock_now();
	assert_int_equal(jobs_start(f->pool, &f->config, jobs, err, sizeof(err)), 0);
	wait_runs(1);
	jobs_stop();
	clock_set_offset(0);
	assert_true(S.had_db);
	assert_true(S.last_now >= before);
}

static void waking_a_job_runs_it_again_before_its_interval(void **state)
{
	struct fixture *f = *state;
	const struct job *const jobs[] = {&counting, NULL};
	char err[256];
	assert_int_equal(jobs_start(f->pool, &f->config, jobs, err, sizeof(err)), 0);
	wait_runs(1);
	jobs_wake(&counting);
	wait_runs(2);
	jobs_wake(&counting);
	wait_runs(3);
	assert_true(jobs_runs(&counting) >= 2);
	jobs_stop();
	assert_int_equal(S.runs, 3);
}

static void a_job_its_settings_turn_off_never_runs_and_waking_it_does_nothing(void **state)
{
	struct fixture *f = *state;
	const struct job *const jobs[] = {&off, &counting, NULL};
	char err[256];
	assert_int_equal(jobs_start(f->pool, &f->config, jobs, err, sizeof(err)), 0);
	jobs_wake(&off);
	wait_runs(1);
	assert_int_equal(jobs_runs(&off), 0);
	jobs_stop();
	assert_int_equal(S.off_runs, 0);
	assert_false(S.off_stopped);
}

static void stopping_ends_the_thread_then_calls_the_jobs_stop(void **state)
{
	struct fixture *f = *state;
	const struct job *const jobs[] = {&counting, NULL};
	char err[256];
	assert_int_equal(jobs_start(f->pool, &f->config, jobs, err, sizeof(err)), 0);
	wait_runs(1);
	assert_false(jobs_stopping());
	jobs_stop();
	assert_true(S.stopped);
	assert_true(S.stopping_seen);
	assert_int_equal(jobs_runs(&counting), 0); /* no longer running */
	jobs_wake(&counting);                       /* harmless once stopped */
	jobs_stop();                                /* and so is stopping twice */
}

static void a_job_that_cannot_start_stops_the_ones_already_running(void **state)
{
	struct fixture *f = *state;
	const struct job *const jobs[] = {&counting, &broken, NULL};
	char err[256] = "";
	assert_int_equal(jobs_start(f->pool, &f->config, jobs, err, sizeof(err)), ERR_INVALID);
	assert_string_equal(err, "the broken job cannot start");
	assert_true(S.stopped);
	assert_int_equal(jobs_runs(&counting), 0);
}

static void a_job_can_be_started_again_after_a_stop(void **state)
{
	struct fixture *f = *state;
	const struct job *const jobs[] = {&counting, NULL};
	char err[256];
	assert_int_equal(jobs_start(f->pool, &f->config, jobs, err, sizeof(err)), 0);
	wait_runs(1);
	jobs_stop();
	assert_int_equal(jobs_start(f->pool, &f->config, jobs, err, sizeof(err)), 0);
	assert_false(jobs_stopping());
	wait_runs(2);
	jobs_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_job_runs_at_start_with_a_connection_and_the_clocks_time, setup,
						teardown),
		cmocka_unit_test_setup_teardown(waking_a_job_runs_it_again_before_its_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(a_job_its_settings_turn_off_never_runs_and_waking_it_does_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(stopping_ends_the_thread_then_calls_the_jobs_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(a_job_that_cannot_start_stops_the_ones_already_running, setup, teardown),
		cmocka_unit_test_setup_teardown(a_job_can_be_started_again_after_a_stop, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
