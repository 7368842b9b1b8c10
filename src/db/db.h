// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db.h — the store, as feature code sees it. Backend-neutral: SQL text uses
 * `?` placeholders and portable SQL; the SQLite backend lives in
 * db_sqlite.c, and a PostgreSQL backend can be added behind the same API.
 *
 * Every query is a `struct db_query` declared once with DB_QUERY in the
 * feature's model file (the statement catalogue). A connection prepares each
 * query on first use and caches it. Parameters are always bound, never
 * formatted into SQL. SQLite is never included outside src/db/.
 *
 * Threads: a struct db is one connection and belongs to one thread. A
 * db_pool hands each thread its own connection (opened on first use).
 */
#ifndef TANDEM_DB_DB_H
#define TANDEM_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct db;
struct db_pool;
struct db_stmt;

/* One entry in the statement catalogue. */
struct db_query {
	const char *name; /* for logs */
	const char *sql;  /* one statement, `?` placeholders numbered from 1 */
};
#define DB_QUERY(id, text) static const struct db_query id = {#id, text}

/* Results of db_step. */
#define DB_ROW 1
#define DB_DONE 0

/*
 * Open a connection: WAL, foreign_keys=ON, busy_timeout 5 s, creating the
 * file (and its folder) if needed. Returns 0 or ERR_DB with a message in err.
 */
int db_open(struct db **out, const char *path, char *err, size_t errsz) WUR;
/* Finalize cached statements and close. NULL is a no-op. */
void db_close(struct db *db);
/* The last error message of this connection. */
const char *db_errmsg(struct db *db);

/* A pool of per-thread connections to one file. */
int db_pool_open(struct db_pool **out, const char *path, char *err, size_t errsz) WUR;
/* This thread's connection, opened on first use; NULL (logged) if it cannot open. */
struct db *db_pool_get(struct db_pool *pool);
/* Close every connection (call after all worker threads have stopped). */
void db_pool_close(struct db_pool *pool);

/*
 * Apply the numbered migrations NNN_name.sql in sql_dir that are newer than
 * schema_version, each in its own transaction, recording each in
 * schema_version. *applied (may be NULL) gets how many ran. On failure the
 * failing migration is rolled back and err names the file and the error.
 */
int db_migrate(struct db *db, const char *sql_dir, int *applied, char *err, size_t errsz) WUR;
/* The highest applied migration number (0 for a new database). */
int db_schema_version(struct db *db, int *version) WUR;

/*
 * The prepared statement for q on this connection, reset and with bindings
 * cleared. NULL (logged) if the SQL does not prepare — a programming error.
 * The statement is only valid until the next db_stmt() for the same query.
 */
struct db_stmt *db_stmt(struct db *db, const struct db_query *q);
/* Bind parameter idx (from 1). Return 0 or ERR_DB. */
int db_bind_int(struct db_stmt *st, int idx, int64_t v) WUR;
int db_bind_double(struct db_stmt *st, int idx, double v) WUR;
/* Text is copied; NULL binds SQL NULL. */
int db_bind_text(struct db_stmt *st, int idx, const char *s) WUR;
int db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t n) WUR;
int db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n) WUR;
int db_bind_null(struct db_stmt *st, int idx) WUR;
/*
 * Run one step: DB_ROW, DB_DONE, or a negative error — ERR_CONFLICT for a
 * constraint violation (UNIQUE, FOREIGN KEY, CHECK), ERR_BUSY when locked,
 * ERR_DB otherwise (logged with the query name).
 */
int db_step(struct db_stmt *st) WUR;
/* Release the statement's locks and bindings early (db_stmt does it too). */
void db_reset(struct db_stmt *st);
/*
 * Bring the connection back to idle: reset every statement still mid-way and
 * roll back a transaction left open (logged: that is a caller's bug). A
 * SELECT stepped to DB_ROW but not reset keeps a read transaction open, and
 * until it ends every other query on the connection sees the database as it
 * was then — so call this when a unit of work (a request) ends. NULL is a
 * no-op.
 */
void db_reset_all(struct db *db);

/* Columns of the current row, from 0. Text is valid until the next step/reset. */
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int i);
bool db_col_is_null(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i); /* NULL for SQL NULL */
const void *db_col_blob(struct db_stmt *st, int i, size_t *len);
/* The current row as a new JSON object {column: int | real | string | null}. */
json_t *db_row_json(struct db_stmt *st);
/* Step to the end, collecting every row as db_row_json into a new array. NULL on error. */
json_t *db_rows_json(struct db_stmt *st);

/* Run a statement with no parameters to completion. */
int db_exec(struct db *db, const struct db_query *q) WUR;
/* Rowid of the last insert, rows changed by the last statement. */
int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

/*
 * Transactions: BEGIN IMMEDIATE (a write lock at once; ERR_BUSY after the
 * busy timeout), COMMIT, ROLLBACK. They do not nest: db_begin inside a
 * transaction fails with ERR_DB. If db_commit fails the transaction is still
 * open: call db_rollback. db_rollback is safe when none is open.
 */
int db_begin(struct db *db) WUR;
int db_commit(struct db *db) WUR;
void db_rollback(struct db *db);
/*
 * Tune this connection for one large write transaction (an import): on gives
 * it a large page cache (up to 256 MiB), off restores the default. Returns 0
 * or ERR_DB.
 */
int db_bulk_mode(struct db *db, bool on) WUR;
/* Whether a transaction is open on this connection. */
bool db_in_transaction(struct db *db);

#endif
