// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * digest_worker.c — the health thread of `tandem serve`: at start and then
 * every TANDEM_DIGEST_INTERVAL seconds (default an hour; 0 turns it off)
 * it runs the health sweep and queues the weekly digests that are due
 * (ps_digest_run), on its own database connection from the pool. The
 * digest itself decides who is due, so running it often never sends
 * twice in a week. It waits on a monotonic clock, so changing the wall
 * clock neither wakes it early nor holds it back, and stops promptly when
 * asked (SIGTERM): a run in progress finishes its transaction first.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "app/partnerships/partnerships.h"
#include "app/partnerships/ps.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"

/* The thread's state; lock guards stop. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;          /* signalled by partnerships_digest_worker_stop */
	pthread_t thread;
	bool running;                 /* the thread exists (main thread only) */
	bool stop;                    /* asked to stop */
	struct db_pool *pool;         /* borrowed */
	const struct config *config;  /* borrowed */
} D = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* One sweep and digest run, logged. */
static void run_once(struct db *db)
{
	struct ps_digest_report rep;
	ps_digest_report_init(&rep);
	int rc = ps_digest_run(db, D.config->base_url, clock_now(), false, &rep);
	if (rc)
		log_error("partnerships: the health sweep and digest failed: %s (nothing of the failed step was kept)",
			  err_str(rc));
	else if (rep.changes || rep.digests)
		log_info("partnerships: %d checked, %d health change%s, %d digest%s queued", rep.checked, rep.changes,
			 rep.changes == 1 ? "" : "s", rep.digests, rep.digests == 1 ? "" : "s");
	ps_digest_report_free(&rep);
	db_reset_all(db);
}

static void *run(void *arg)
{
	(void)arg;
	struct db *db = db_pool_get(D.pool);
	if (!db) {
		log_error("partnerships: the health thread has no database connection; run `tandem digest` from cron");
		return NULL;
	}
	pthread_mutex_lock(&D.lock);
	while (!D.stop) {
		pthread_mutex_unlock(&D.lock);
		run_once(db);
		pthread_mutex_lock(&D.lock);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += D.config->digest_interval;
		while (!D.stop && pthread_cond_timedwait(&D.wake, &D.lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&D.lock);
	return NULL;
}

int partnerships_digest_worker_start(struct db_pool *pool, const struct config *config, char *err, size_t errsz)
{
	if (config->digest_interval <= 0) {
		log_info("partnerships: TANDEM_DIGEST_INTERVAL is 0, so health is not swept and no digest is sent "
			 "(run `tandem digest` instead)");
		return 0;
	}
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) || pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
	    pthread_cond_init(&D.wake, &attr)) {
		pthread_condattr_destroy(&attr);
		snprintf(err, errsz, "the partnership health thread could not be set up");
		return ERR_INTERNAL;
	}
	pthread_condattr_destroy(&attr);
	D.pool = pool;
	D.config = config;
	D.stop = false;
	if (pthread_create(&D.thread, NULL, run, NULL)) {
		pthread_cond_destroy(&D.wake);
		snprintf(err, errsz, "the partnership health thread could not start");
		return ERR_INTERNAL;
	}
	D.running = true;
	log_info("partnerships: health sweep and weekly digest every %d s (TANDEM_DIGEST_INTERVAL)",
		 config->digest_interval);
	return 0;
}

void partnerships_digest_worker_stop(void)
{
	if (!D.running)
		return;
	pthread_mutex_lock(&D.lock);
	D.stop = true;
	pthread_cond_signal(&D.wake);
	pthread_mutex_unlock(&D.lock);
	pthread_join(D.thread, NULL);
	pthread_cond_destroy(&D.wake);
	D.running = false;
}
