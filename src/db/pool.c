// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pool.c — per-thread connections to one database (an SQLite file or a
 * PostgreSQL server; the same rules suit both, as a libpq connection too must
 * not be used by two threads at once). An SQLite
 * connection (opened SQLITE_OPEN_NOMUTEX) must only be used by one thread at
 * a time, so rather than lend connections out and take them back, the pool
 * gives each thread its own, opened on that thread's first db_pool_get and
 * kept until db_pool_close. A thread-local pointer makes the common case (the
 * same thread asking again) a comparison; a list under a mutex remembers every
 * connection so db_pool_close can close them all.
 *
 * Lifetime: the pool must outlive every thread that uses it — create it
 * before starting the workers, and close it only after they have all been
 * joined. Connections of threads that exit stay open until then (a new thread
 * that the system gives the same thread id inherits the idle connection, which
 * is safe), so the pool suits a fixed set of worker threads, not a thread per
 * request.
 */
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db_internal.h"

/* One thread's connection. */
struct db_pool_conn {
	pthread_t owner;           /* the thread the connection belongs to */
	struct db *db;             /* owned; closed by db_pool_close */
	struct db_pool_conn *next; /* the next connection of the pool */
};

/* A database file and the connections the threads have opened to it. */
struct db_pool {
	uint64_t id;                /* unique in the process, never reused (see tl_pool_id) */
	char *path;                 /* the database file; owned */
	pthread_mutex_t lock;       /* guards conns */
	struct db_pool_conn *conns; /* every connection opened, newest first; owned */
};

/*
 * The calling thread's last answer: its connection in the pool with id
 * tl_pool_id. Pools are told apart by id, not address, so a new pool that
 * happens to reuse a closed pool's memory cannot be handed a closed connection.
 */
static _Thread_local uint64_t tl_pool_id;
static _Thread_local struct db *tl_db;
static atomic_uint_fast64_t pool_next_id = 1;

/* Add db as the calling thread's connection. Caller holds pool->lock. */
static void pool_add(struct db_pool *pool, struct db *db)
{
	struct db_pool_conn *c = xmalloc(sizeof(*c));
	c->owner = pthread_self();
	c->db = db;
	c->next = pool->conns;
	pool->conns = c;
}

int db_pool_open(struct db_pool **out, const char *path, char *err, size_t errsz)
{
	struct db *db = NULL;

	*out = NULL;
	int rc = db_open(&db, path, err, errsz);
	if (rc)
		return rc;

	struct db_pool *pool = xcalloc(1, sizeof(*pool));
	pool->id = atomic_fetch_add(&pool_next_id, 1);
	pool->path = xstrdup(path);
	pthread_mutex_init(&pool->lock, NULL);
	pool_add(pool, db);
	tl_pool_id = pool->id;
	tl_db = db;
	*out = pool;
	return 0;
}

struct db *db_pool_get(struct db_pool *pool)
{
	if (!pool) {
		log_error("db: db_pool_get without a pool");
		return NULL;
	}
	if (tl_pool_id == pool->id)
		return tl_db;

	pthread_t self = pthread_self();
	struct db *db = NULL;
	pthread_mutex_lock(&pool->lock);
	for (struct db_pool_conn *c = pool->conns; c; c = c->next) {
		if (pthread_equal(c->owner, self)) {
			db = c->db;
			break;
		}
	}
	if (!db) {
		char err[512];
		/* Lazy: a PostgreSQL server that is down now gives a connection that
		 * answers ERR_BUSY (a 503) until the server is back. */
		if (dbi_open(&db, pool->path, true, err, sizeof(err)) == 0)
			pool_add(pool, db);
		else
			log_error("db: %s", err);
	}
	pthread_mutex_unlock(&pool->lock);

	if (db) {
		tl_pool_id = pool->id;
		tl_db = db;
	}
	return db;
}

void db_pool_close(struct db_pool *pool)
{
	if (!pool)
		return;
	for (struct db_pool_conn *c = pool->conns, *next; c; c = next) {
		next = c->next;
		db_close(c->db);
		free(c);
	}
	if (tl_pool_id == pool->id) {
		tl_pool_id = 0;
		tl_db = NULL;
	}
	pthread_mutex_destroy(&pool->lock);
	free(pool->path);
	free(pool);
}
