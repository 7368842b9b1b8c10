// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * lease.c — periodic jobs that run on one app server at a time, once per
 * interval, however many servers share the database (db_job_claim,
 * db_job_done in db.h).
 *
 * Store-neutral part, the lease: a row of job_lease per job (migration 019)
 * holds when it last ran and when it is due again. A server claims a run
 * with one upsert that moves due_at on by the interval only when the run is
 * due; the statement changed a row exactly when this server got the run.
 * SQLite serialises the statement between processes on one file, and
 * PostgreSQL's ON CONFLICT DO UPDATE locks the row and re-checks the WHERE
 * against the committed row, so of two servers asking at once one gets the
 * run and the other sees it is not due. So a job runs at most once per
 * interval across servers, and at least once as long as one server runs.
 *
 * A lease taken more than LEASE_SKEW seconds "in the future" of this
 * server's clock means the clock went back (or a test moved it): the run is
 * claimed then rather than waiting for the old due time. Clocks of servers
 * kept by NTP differ by far less than that.
 *
 * PostgreSQL in addition: the run is also guarded by a session-level
 * advisory lock per job (pg_try_advisory_lock, db_pg.c), so a run that
 * lasts longer than its interval never overlaps the next server's run; the
 * lock goes with the connection if the server dies. On SQLite a run longer
 * than its interval could overlap another process's next run; the jobs'
 * own transactions still serialise their writes there, and every job
 * decides what is due from the data (a digest is never queued twice).
 */
#include <stdio.h>

#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/db_internal.h"

/* Seconds a lease may lie ahead of this server's clock before it counts as the clock having gone back. */
#define LEASE_SKEW 30

DB_QUERY(q_lease_claim,
	 "INSERT INTO job_lease (job, ran_at, due_at, runs, server) VALUES (?1, ?2, ?3, 1, ?4) "
	 "ON CONFLICT (job) DO UPDATE SET ran_at = excluded.ran_at, due_at = excluded.due_at, "
	 "runs = job_lease.runs + 1, server = excluded.server "
	 "WHERE job_lease.due_at <= excluded.ran_at OR job_lease.ran_at > ?5");

/* The advisory lock's second key for job: FNV-1a of its name, as a 32-bit signed value. */
static int32_t lock_key(const char *job)
{
	uint32_t h = 2166136261u;
	for (const char *p = job; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return (int32_t)(h & 0x7fffffffu);
}

int db_job_claim(struct db *db, const char *job, int64_t now, int interval, const char *server,
		 bool *claimed)
{
	*claimed = false;
	bool locked = false;
	int rc = 0;
	if (db->pg) {
		if ((rc = dbpg_try_lock(db, lock_key(job), &locked)) != 0 || !locked)
			return rc;
	}
	char ran[32], due[32], ahead[32];
	clock_format_iso(now, ran, sizeof(ran));
	clock_format_iso(now + (interval > 0 ? interval : 1), due, sizeof(due));
	clock_format_iso(now + LEASE_SKEW, ahead, sizeof(ahead));
	struct db_stmt *st = db_stmt(db, &q_lease_claim);
	if (!st) {
		rc = ERR_DB;
		goto done;
	}
	if ((rc = db_bind_text(st, 1, job)) || (rc = db_bind_text(st, 2, ran)) || (rc = db_bind_text(st, 3, due)) ||
	    (rc = db_bind_text(st, 4, server)) || (rc = db_bind_text(st, 5, ahead)))
		goto done;
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_DONE) {
		rc = 0;
		*claimed = db_changes(db) == 1;
	}
done:
	if (locked && !*claimed)
		dbpg_unlock(db, lock_key(job));
	return rc < 0 ? rc : 0;
}

void db_job_done(struct db *db, const char *job)
{
	if (db->pg)
		dbpg_unlock(db, lock_key(job));
}
