// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * jobs.h — the periodic-job runner of `tandem serve`: the one place that
 * owns background threads. A capability describes a job (struct job: a
 * name, how it starts, what one run does, how it ends) and lists it in
 * app_jobs (app.c); the runner gives each job that is on its own thread and
 * database connection from the pool, runs it at start and then every
 * interval seconds (or sooner when woken with jobs_wake), hands each run the
 * time from the clock module, logs what failed, and on shutdown wakes every
 * thread, lets a run in progress finish, and joins them.
 *
 * Several app servers on one database (or several processes on one SQLite
 * file): a job runs on one server at a time and at most once per interval
 * across them all. Before each run the runner claims it from the store
 * (db_job_claim: a lease row per job, and on PostgreSQL an advisory lock
 * held for the run); a server that does not get the claim skips the run and
 * asks again an interval later. A job whose every run must happen on every
 * server (the mail sender, which claims each message itself) says so with
 * every_server.
 *
 * Waiting uses the monotonic clock, so moving the wall clock (or the test
 * offset of clock_now) neither wakes a job early nor holds it back. The
 * mail sender (every second, woken when a message is queued) and the
 * partnership health sweep with the weekly digest (every
 * TANDEM_DIGEST_INTERVAL seconds) are jobs; reminders will be.
 */
#ifndef TANDEM_APP_JOBS_H
#define TANDEM_APP_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct config;
struct db;
struct db_pool;

/* A periodic job. Defined (const, static storage) by the capability that owns it. */
struct job {
	/* Short name for the log ("mail", "partnership health"). */
	const char *name;
	/*
	 * Called once by jobs_start on the main thread: set *interval to the
	 * seconds between runs (> 0), or to 0 when the job is off with these
	 * settings (start logs why). Returns 0, or a negative error with a
	 * message in err, which stops the server from starting. NULL: always
	 * on, every min_interval seconds.
	 */
	int (*start)(const struct config *config, int *interval, char *err, size_t errsz);
	/*
	 * One run on the job's own connection, at clock_now() == now. Returns 0
	 * or a negative error, which the runner logs with the job's name (run
	 * logs the detail itself). The runner resets the connection afterwards.
	 * A long run should look at jobs_stopping() between pieces of work.
	 */
	int (*run)(struct db *db, const struct config *config, int64_t now);
	/* Called by jobs_stop after the job's thread has ended (may be NULL). */
	void (*stop)(void);
	/* The interval when start is NULL, in seconds. */
	int min_interval;
	/* Run on every app server each time, unclaimed (the job shares out its own work safely). */
	bool every_server;
};

/*
 * Start every job of the NULL-terminated list that is on, each on its own
 * thread with a connection from pool. config and pool are borrowed until
 * jobs_stop. Returns 0, or a negative error with a message in err (then
 * the jobs already started have been stopped again).
 */
int jobs_start(struct db_pool *pool, const struct config *config, const struct job *const *jobs, char *err,
	       size_t errsz) WUR;
/*
 * Stop every running job: wake them, let runs in progress finish, join the
 * threads, then call each job's stop. A no-op when nothing runs.
 */
void jobs_stop(void);
/* Run job soon (work is waiting for it). Safe from any thread, and a no-op when it is not running. */
void jobs_wake(const struct job *job);
/* True once jobs_stop has begun: a long run should give up its remaining work. Any thread. */
bool jobs_stopping(void);
/* How many runs of job have finished since it started (for tests and the log). Any thread. */
uint64_t jobs_runs(const struct job *job);

#endif
