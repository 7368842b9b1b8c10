// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * jobs.c — the periodic-job runner (see jobs.h). One thread a job that is
 * on; one lock and one condition variable (on the monotonic clock) shared by
 * all of them: a wake or a stop broadcasts, and each thread looks at its own
 * slot. The slots live from jobs_start to jobs_stop; jobs_wake finds a job's
 * slot under the lock, so it is safe from request threads at any time.
 */
#include "app/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

/* A job that is running. */
struct slot {
	const struct job *job; /* borrowed from the list given to jobs_start */
	int interval;          /* seconds between runs (> 0) */
	pthread_t thread;      /* its thread */
	bool kicked;           /* jobs_wake asked for a run (guarded by R.lock) */
	uint64_t runs;         /* finished runs (guarded by R.lock) */
	bool standing_by;      /* the last claim went to another server (its thread only) */
};

/* The runner's state; lock guards everything but stopping. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;          /* broadcast by jobs_wake and jobs_stop; monotonic clock */
	bool cond_ready;              /* wake is initialised (main thread only) */
	bool stop;                    /* jobs_stop has begun */
	atomic_bool stopping;         /* the same, readable without the lock */
	struct slot *slots;           /* the running jobs (heap), n of them */
	size_t n;
	struct db_pool *pool;         /* borrowed */
	const struct config *config;  /* borrowed */
	char server[128];             /* this server in the job_lease rows: host and process id */
} R = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The slot of job, or NULL when it is not running (lock held). */
static struct slot *slot_of(const struct job *job)
{
	for (size_t i = 0; i < R.n; i++)
		if (R.slots[i].job == job)
			return &R.slots[i];
	return NULL;
}

/*
 * Whether this server has job's run now: always for an every-server job;
 * else the store's claim (db_job_claim). A change between running and
 * standing by is logged once. A failed claim skips this run (logged).
 */
static bool claim(struct slot *s, struct db *db, int64_t now)
{
	const struct job *job = s->job;
	if (job->every_server)
		return true;
	bool mine = false;
	int rc = db_job_claim(db, job->name, now, s->interval, R.server, &mine);
	if (rc) {
		log_error("%s: cannot tell whether another app server has this run, so it is skipped: %s", job->name,
			  err_str(rc));
		return false;
	}
	if (mine && s->standing_by)
		log_info("%s: this app server runs the job now", job->name);
	else if (!mine && !s->standing_by)
		log_info("%s: another app server ran the job within the last %d s; this one stands by", job->name,
			 s->interval);
	s->standing_by = !mine;
	return mine;
}

static void *run_job(void *arg)
{
	struct slot *s = arg;
	const struct job *job = s->job;
	struct db *db = db_pool_get(R.pool);
	if (!db) {
		log_error("%s: the job has no database connection, so it does not run", job->name);
		return NULL;
	}
	pthread_mutex_lock(&R.lock);
	while (!R.stop) {
		s->kicked = false;
		pthread_mutex_unlock(&R.lock);
		int64_t now = clock_now();
		bool mine = claim(s, db, now);
		if (mine) {
			int rc = job->run(db, R.config, now);
			if (rc)
				log_error("%s: the run failed: %s", job->name, err_str(rc));
		}
		db_reset_all(db);
		if (mine && !job->every_server)
			db_job_done(db, job->name);
		pthread_mutex_lock(&R.lock);
		s->runs++;
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += s->interval;
		/* A wake during the run counts: the work it announced may have come too late for the run. */
		while (!R.stop && !s->kicked && pthread_cond_timedwait(&R.wake, &R.lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&R.lock);
	return NULL;
}

int jobs_start(struct db_pool *pool, const struct config *config, const struct job *const *jobs, char *err,
	       size_t errsz)
{
	int rc = 0;
	size_t count = 0;
	while (jobs[count])
		count++;
	if (!R.cond_ready) {
		pthread_condattr_t attr;
		if (pthread_condattr_init(&attr) || pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
		    pthread_cond_init(&R.wake, &attr)) {
			pthread_condattr_destroy(&attr);
			snprintf(err, errsz, "the background jobs could not be set up");
			return ERR_INTERNAL;
		}
		pthread_condattr_destroy(&attr);
		R.cond_ready = true;
	}
	R.pool = pool;
	R.config = config;
	char host[64];
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(R.server, sizeof(R.server), "%s:%ld", host, (long)getpid());
	R.stop = false;
	atomic_store(&R.stopping, false);
	struct slot *slots = xcalloc(count ? count : 1, sizeof(*slots));
	pthread_mutex_lock(&R.lock);
	R.slots = slots;
	R.n = 0;
	pthread_mutex_unlock(&R.lock);
	for (size_t i = 0; i < count; i++) {
		const struct job *job = jobs[i];
		int interval = job->min_interval;
		if (job->start && (rc = job->start(config, &interval, err, errsz)))
			goto fail;
		if (interval <= 0)
			continue; /* off with these settings; start said why */
		struct slot *s = &slots[R.n];
		*s = (struct slot){.job = job, .interval = interval};
		/* Published before the thread starts, so jobs_stop always joins what runs. */
		pthread_mutex_lock(&R.lock);
		R.n++;
		pthread_mutex_unlock(&R.lock);
		if (pthread_create(&s->thread, NULL, run_job, s)) {
			pthread_mutex_lock(&R.lock);
			R.n--;
			pthread_mutex_unlock(&R.lock);
			if (job->stop)
				job->stop();
			snprintf(err, errsz, "the background job '%s' could not start", job->name);
			rc = ERR_INTERNAL;
			goto fail;
		}
		log_info("%s: runs at start and every %d s", job->name, interval);
	}
	return 0;
fail:
	jobs_stop();
	return rc;
}

void jobs_stop(void)
{
	pthread_mutex_lock(&R.lock);
	struct slot *slots = R.slots;
	size_t n = R.n;
	R.stop = true;
	atomic_store(&R.stopping, true);
	if (R.cond_ready)
		pthread_cond_broadcast(&R.wake);
	pthread_mutex_unlock(&R.lock);
	for (size_t i = 0; i < n; i++)
		pthread_join(slots[i].thread, NULL);
	for (size_t i = 0; i < n; i++)
		if (slots[i].job->stop)
			slots[i].job->stop();
	pthread_mutex_lock(&R.lock);
	R.slots = NULL;
	R.n = 0;
	pthread_mutex_unlock(&R.lock);
	free(slots);
	if (R.cond_ready) {
		pthread_cond_destroy(&R.wake);
		R.cond_ready = false;
	}
}

void jobs_wake(const struct job *job)
{
	pthread_mutex_lock(&R.lock);
	struct slot *s = slot_of(job);
	if (s) {
		s->kicked = true;
		pthread_cond_broadcast(&R.wake);
	}
	pthread_mutex_unlock(&R.lock);
}

bool jobs_stopping(void)
{
	return atomic_load(&R.stopping);
}

uint64_t jobs_runs(const struct job *job)
{
	pthread_mutex_lock(&R.lock);
	struct slot *s = slot_of(job);
	uint64_t n = s ? s->runs : 0;
	pthread_mutex_unlock(&R.lock);
	return n;
}
