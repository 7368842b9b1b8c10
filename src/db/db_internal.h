// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db_internal.h — what the files of the store share with each other and with
 * nobody else: the layout of a connection and of a cached statement (one
 * layout for both backends: a connection is SQLite when conn is set and
 * PostgreSQL when pg is set), the helper that turns an SQLite result code
 * into an enum err, and the PostgreSQL backend's entry points (db_pg.c),
 * which db_sqlite.c calls when a connection is PostgreSQL's. Only files in
 * src/db/ include this header (it pulls in sqlite3.h and libpq-fe.h);
 * feature code sees nothing but db.h.
 */
#ifndef TANDEM_DB_DB_INTERNAL_H
#define TANDEM_DB_DB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "core/err.h"
#include "db/db.h"

struct dbpg_stmt;
struct dbpg_conn;

/* One prepared statement in a connection's cache. */
struct db_stmt {
	const struct db_query *query; /* the catalogue entry: cache key, and its name for logs */
	sqlite3_stmt *stmt;           /* SQLite: prepared once (SQLITE_PREPARE_PERSISTENT); owned */
	struct dbpg_stmt *pg;         /* PostgreSQL: name, bindings and result; owned */
	struct db *db;                /* the connection the statement belongs to */
};

/* One connection, used by one thread at a time. */
struct db {
	sqlite3 *conn;          /* SQLite: the handle; owned, closed by db_close */
	struct dbpg_conn *pg;   /* PostgreSQL: the connection and its state; owned */
	char *path;             /* the name given to db_open, password hidden, for messages; owned */
	struct db_stmt **slots; /* statement cache: open addressing on the query pointer, NULL = free */
	size_t nslots;          /* size of slots, a power of two */
	size_t nused;           /* occupied slots, kept at most half of nslots */
	unsigned announced;     /* topics db_announce'd in the open transaction (bit i: topic i, changes.c) */
	int64_t data_version;   /* SQLite: PRAGMA data_version when changes were last looked for */
	bool wrote;             /* rows changed in the open transaction: the data generation moves at its commit */
	int64_t total_changes;  /* SQLite: sqlite3_total_changes64 when this connection's writes were last counted */
	int64_t wal_position;   /* PostgreSQL: dbpg_wal_position when changes were last looked for */
};

/* Change topics a process can keep (changes.c). */
#define DBI_TOPICS_MAX 16
/* This process heard that topic (NULL: every topic) may have changed: move its generation on. */
void dbi_changed(const char *topic);
/*
 * db's transaction committed: move on the generation of each topic it
 * announced, and the data generation if it changed rows (dbi_wrote).
 */
void dbi_commit_announced(struct db *db);
/*
 * A statement on db changed rows: in_tx, inside a transaction (the data
 * generation moves when it commits, nothing if it rolls back), else at once
 * (the change is already committed).
 */
void dbi_wrote(struct db *db, bool in_tx);
/* SQLite: count the rows db's statements changed since last asked (dbi_wrote); after a statement ends. */
void dbi_sqlite_count_writes(struct db *db);

/*
 * Map an SQLite result code (after a failed step or statement) to an enum
 * err and log it once with the query name: constraint violations become
 * ERR_CONFLICT (logged at debug level, they are often expected), busy/locked
 * ERR_BUSY (warn), anything else ERR_DB (error).
 */
int dbi_error(struct db *db, int rc, const char *query_name);

/* db_open, where lazy lets a PostgreSQL connection start without the server (pool.c). */
int dbi_open(struct db **out, const char *path, bool lazy, char *err, size_t errsz);

/* Drop q's prepared statement from db's cache, if it has one (copy.c's statements). */
void dbi_stmt_forget(struct db *db, const struct db_query *q);
/* The type of column i (db_pg.c). */
enum db_type dbpg_col_type(struct db_stmt *st, int i);

/* Format a message into err (which may be NULL or errsz 0: then nothing is written). */
void dbi_set_err(char *err, size_t errsz, const char *fmt, ...) FMT(3, 4);

/*
 * The PostgreSQL backend (db_pg.c). Each function is the PostgreSQL side of
 * the db.h function of the same name after the prefix; db_sqlite.c calls it
 * when db->pg is set. dbpg_open connects to conninfo (a postgres:// URL or
 * libpq key=value words); with lazy, a server that does not answer still
 * gives a connection, which connects again on its next use.
 */
int dbpg_open(struct db **out, const char *conninfo, bool lazy, char *err, size_t errsz);
void dbpg_close(struct db *db);
const char *dbpg_errmsg(struct db *db);
struct dbpg_stmt *dbpg_prepare(struct db *db, const struct db_query *q);
void dbpg_stmt_free(struct dbpg_stmt *ps);
void dbpg_stmt_reset(struct db_stmt *st, bool clear_bindings);
bool dbpg_stmt_busy(struct db_stmt *st);
int dbpg_bind(struct db_stmt *st, int idx, const char *v, size_t n, bool binary);
int dbpg_step(struct db_stmt *st);
int64_t dbpg_last_id(struct db *db);
int dbpg_changes(struct db *db);
int dbpg_col_count(struct db_stmt *st);
const char *dbpg_col_name(struct db_stmt *st, int i);
bool dbpg_col_is_null(struct db_stmt *st, int i);
int64_t dbpg_col_int(struct db_stmt *st, int i);
double dbpg_col_double(struct db_stmt *st, int i);
const char *dbpg_col_text(struct db_stmt *st, int i);
const void *dbpg_col_blob(struct db_stmt *st, int i, size_t *len);
json_t *dbpg_col_json(struct db_stmt *st, int i);
int dbpg_begin(struct db *db);
int dbpg_commit(struct db *db);
void dbpg_rollback(struct db *db);
bool dbpg_in_transaction(struct db *db);
void dbpg_bulk_mode(struct db *db, bool on);
/*
 * Take the session-level advisory lock (jobs, key) if nobody holds it:
 * *got says whether it was taken. Returns 0 or an error (lease.c).
 */
int dbpg_try_lock(struct db *db, int32_t key, bool *got);
/* Give back a lock dbpg_try_lock took (a no-op when the connection has gone, and the lock with it). */
void dbpg_unlock(struct db *db, int32_t key);
/* Send topic on the changes channel (pg_notify; delivered when the transaction commits). */
int dbpg_notify(struct db *db, const char *topic);
/*
 * Listen on the changes channel if this connection does not yet (then every
 * topic counts as changed) and pass each notification that has arrived to
 * dbi_changed. No round trip once listening.
 */
void dbpg_poll_changes(struct db *db);
/*
 * Where the server's write-ahead log is now (pg_current_wal_insert_lsn, one
 * round trip): it moves with every commit on the server, by anyone, so an
 * unchanged position means nothing was committed since (db_data_generation).
 * -1 when it cannot be read.
 */
int64_t dbpg_wal_position(struct db *db);
/* Run SQL holding several statements (a migration file) on the connection. */
int dbpg_exec_script(struct db *db, const char *sql, char *err, size_t errsz);

/*
 * The SQL text of q for PostgreSQL: its PostgreSQL variant when it has one,
 * else the portable text, with every `?` / `?N` placeholder outside string
 * literals, quoted identifiers and comments rewritten to `$N` (`?` numbers
 * one more than the highest placeholder before it, as SQLite does). Returns
 * a new string (caller frees) and sets *nparams to the highest number used.
 * used (may be NULL) gets used[n] = 1 for each number n < nused that appears
 * and 0 for the others.
 */
char *dbi_pg_sql(const char *sql, int *nparams, unsigned char *used, size_t nused);

/* A JSON string of s[0..n), invalid UTF-8 bytes replaced by U+FFFD (db_json.c). */
json_t *dbi_json_string(const char *s, size_t n);

#endif
