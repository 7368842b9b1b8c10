// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * changes.c — telling every app server that data it keeps in memory has
 * changed (db_announce, db_change_generation in db.h), without feature code
 * knowing which store it has. A topic is a short name ("schools").
 *
 * Each process keeps one counter per topic (the generation). It grows
 * whenever the process hears that the topic may have changed; a cache
 * compares the generation it was built at with the current one and only
 * then asks the store what is there now. How a connection hears of changes:
 *  - PostgreSQL: every connection that asks LISTENs on the channel
 *    tandem_changed (again after a reconnection, which also counts as a
 *    change: a notification may have been missed); db_announce sends the
 *    topic with pg_notify inside the writer's transaction, so every other
 *    listening connection, on every server, gets it after the commit.
 *    Asking costs no round trip: libpq reads what has arrived on the socket.
 *  - SQLite: `PRAGMA data_version` moves when another connection (another
 *    thread or process on the same file) has committed anything; then every
 *    topic counts as changed, and the cache's own check (one indexed query)
 *    says whether it really did. No round trip either: the WAL index is
 *    shared memory.
 * The announcing connection itself: its commit (db_commit) moves the
 * generation of each topic it announced in that transaction.
 *
 * Besides the topics, one data generation (db_data_generation) moves with
 * any change at all: every commit of this process that changed rows
 * (dbi_wrote: db_sqlite.c counts SQLite's changed rows when a statement
 * ends, db_pg.c reads PostgreSQL's command tags), everything heard from
 * others as above (dbi_changed), and on PostgreSQL the server's write-ahead
 * log position moving (one round trip: it moves with any commit by anyone,
 * announced or not, such as another app server's). The position is read
 * before a result is computed, and a commit's log record is written a moment
 * before the commit becomes visible: a result computed in that moment can
 * miss a commit it never hears of again, which is why caches also expire.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "db/db_internal.h"

/* The topics this process has seen, and their generations. */
static struct {
	pthread_mutex_t lock;                     /* guards names and n */
	char names[DBI_TOPICS_MAX][32];           /* the topics, in the order first seen */
	atomic_uint_fast64_t gen[DBI_TOPICS_MAX]; /* each topic's generation (1 when first seen) */
	int n;                                    /* topics in names */
} T = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The data generation: grows with every change to any data this process makes or hears of. */
static atomic_uint_fast64_t data_gen = 1;

/* The index of topic in T (added if new); -1 when the table is full or the name too long (logged). */
static int topic_index(const char *topic)
{
	int i;
	pthread_mutex_lock(&T.lock);
	for (i = 0; i < T.n; i++)
		if (strcmp(T.names[i], topic) == 0)
			break;
	if (i == T.n) {
		if (T.n == DBI_TOPICS_MAX || strlen(topic) >= sizeof(T.names[0])) {
			i = -1;
		} else {
			memcpy(T.names[i], topic, strlen(topic) + 1);
			atomic_store(&T.gen[i], 1);
			T.n++;
		}
	}
	pthread_mutex_unlock(&T.lock);
	if (i < 0)
		log_error("db: the change topic '%s' cannot be kept (at most %d topics of under 32 bytes)", topic,
			  DBI_TOPICS_MAX);
	return i;
}

void dbi_changed(const char *topic)
{
	atomic_fetch_add(&data_gen, 1);
	if (!topic) {
		for (int i = 0; i < DBI_TOPICS_MAX; i++)
			atomic_fetch_add(&T.gen[i], 1);
		return;
	}
	int i = topic_index(topic);
	if (i >= 0)
		atomic_fetch_add(&T.gen[i], 1);
}

void dbi_commit_announced(struct db *db)
{
	for (int i = 0; i < DBI_TOPICS_MAX; i++)
		if (db->announced & (1u << i))
			atomic_fetch_add(&T.gen[i], 1);
	db->announced = 0;
	if (db->wrote)
		atomic_fetch_add(&data_gen, 1);
	db->wrote = false;
}

void dbi_wrote(struct db *db, bool in_tx)
{
	if (in_tx)
		db->wrote = true;
	else
		atomic_fetch_add(&data_gen, 1);
}

/*
 * Pass on what db has heard from others since it last looked: PostgreSQL's
 * notifications (or a reconnection), SQLite's data_version moving (then
 * every topic counts as changed).
 */
static void hear_changes(struct db *db)
{
	if (db->pg) {
		dbpg_poll_changes(db);
		return;
	}
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db->conn, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (v < 0 || v != db->data_version)
		dbi_changed(NULL);
	db->data_version = v;
}

int db_announce(struct db *db, const char *topic)
{
	int i = topic_index(topic);
	if (i < 0)
		return ERR_INVALID;
	db->announced |= 1u << i;
	return db->pg ? dbpg_notify(db, topic) : 0;
}

uint64_t db_change_generation(struct db *db, const char *topic)
{
	int i = topic_index(topic);
	if (i < 0)
		return 0; /* callers then check the store every time */
	hear_changes(db);
	return atomic_load(&T.gen[i]);
}

uint64_t db_data_generation(struct db *db)
{
	if (!db) {
		atomic_fetch_add(&data_gen, 1); /* no connection: nothing may be trusted */
		return atomic_load(&data_gen);
	}
	hear_changes(db);
	if (db->pg) {
		/* Writes on the server that nobody announced (another app server, a
		 * psql session): the write-ahead log has moved since we last looked. */
		int64_t pos = dbpg_wal_position(db);
		if (pos < 0 || pos != db->wal_position)
			atomic_fetch_add(&data_gen, 1);
		db->wal_position = pos;
	}
	return atomic_load(&data_gen);
}
