// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db.h — the store, as feature code sees it. Backend-neutral: SQL text uses
 * `?` / `?N` placeholders and portable SQL. Two backends sit behind this one
 * API: SQLite (db_sqlite.c), the default, a file; and PostgreSQL on libpq
 * (db_pg.c), chosen when the database name is a `postgres://` or
 * `postgresql://` URL or libpq `key=value` words (db_is_postgres_name).
 *
 * Every query is a `struct db_query` declared once with DB_QUERY in the
 * feature's model file (the statement catalogue). A connection prepares each
 * query on first use and caches it. Parameters are always bound, never
 * formatted into SQL. SQLite and libpq are never included outside src/db/.
 *
 * Writing a statement for both stores:
 *  - Write portable SQL with `?` or `?N` placeholders. The PostgreSQL backend
 *    rewrites them to `$N` itself (`?` is one more than the highest number
 *    before it, as in SQLite); nobody writes a statement twice for that.
 *  - Where the dialects differ, declare the statement with DB_QUERY_PG(id,
 *    sqlite_text, pg_text): PostgreSQL runs pg_text (placeholders written the
 *    same way), SQLite the first text. Typical reasons: a parameter whose type
 *    PostgreSQL cannot infer (`? IS NULL` alone: write `CAST(? AS text) IS
 *    NULL`), SQLite's two-argument min()/max() (PostgreSQL: least/greatest),
 *    `COLLATE NOCASE` and case-insensitive LIKE (lower(), ILIKE), mixing text
 *    and integers in COALESCE or CASE, ROUND on a double (cast to numeric),
 *    FTS5 (PostgreSQL: tsvector), `IS` / `IS NOT` between values (IS [NOT]
 *    DISTINCT FROM), and INSERT OR IGNORE/REPLACE (ON CONFLICT works in both).
 *  - Column types as PostgreSQL reports them become db_col_* values and JSON
 *    as SQLite's would: integers (also numeric values without a fraction, so
 *    sum() of a bigint stays an integer), floating point, text; booleans are
 *    0 and 1.
 *  - Times are UTC text "YYYY-MM-DDTHH:MM:SSZ" in both stores (see
 *    sql/postgres/README.md for why), so comparisons of times stay text
 *    comparisons.
 *  - `tandem migrate` prepares every statement of the catalogue on the
 *    database it migrated (db_check_catalogue): a statement that does not
 *    prepare on one of the stores fails it (and the tests, which migrate both).
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
	const char *name;   /* for logs */
	const char *sql;    /* one statement, `?` placeholders numbered from 1 */
	const char *pg_sql; /* PostgreSQL's text when the dialects differ, else NULL */
};

/*
 * Declare a statement of the catalogue (text for both stores), or one with a
 * PostgreSQL-specific text. Each also records the statement's address in the
 * linker section tandem_db_catalogue, so db_check_catalogue can find them all.
 */
#define DB_QUERY(id, text) DB_QUERY_PG(id, text, NULL)
#define DB_QUERY_PG(id, text, pg_text)                                                     \
	static const struct db_query id = {#id, text, pg_text};                            \
	static const struct db_query *const id##_in_catalogue                              \
		__attribute__((used, section("tandem_db_catalogue"))) = &id

/* Results of db_step. */
#define DB_ROW 1
#define DB_DONE 0

/*
 * Whether name selects PostgreSQL: it starts with postgres:// or
 * postgresql://, or with a libpq keyword and `=` (`host=/run/postgresql
 * dbname=tandem`). Anything else is an SQLite file name.
 */
bool db_is_postgres_name(const char *name);
/*
 * name as it may be shown or logged: a password in a URL or in key=value
 * words is replaced by `***`. Writes into out (always terminated).
 */
void db_display_name(const char *name, char *out, size_t outsz);

/*
 * Open a connection. SQLite: WAL, foreign_keys=ON, busy_timeout 5 s,
 * creating the file (and its folder) if needed. PostgreSQL: connect (5 s
 * connect timeout unless the name sets one), session time zone UTC, lock
 * timeout 5 s. Returns 0 or ERR_DB with a message in err that names the
 * database (never its password) and says why.
 */
int db_open(struct db **out, const char *path, char *err, size_t errsz) WUR;
/* Whether db is a PostgreSQL connection. */
bool db_is_postgres(struct db *db);
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
 * Apply the numbered migrations NNN_name.sql in sql_dir (SQLite) or in
 * sql_dir/postgres (PostgreSQL) that are newer than schema_version, each in
 * its own transaction, recording each in schema_version. *applied (may be
 * NULL) gets how many ran. On failure the failing migration is rolled back
 * and err names the file and the error.
 */
int db_migrate(struct db *db, const char *sql_dir, int *applied, char *err, size_t errsz) WUR;
/* The highest applied migration number (0 for a new database). */
int db_schema_version(struct db *db, int *version) WUR;
/*
 * Prepare every statement of the catalogue (every DB_QUERY linked into the
 * program) on db. Returns how many do not prepare (each logged with its name
 * and the store's message); err gets the first one's name and message.
 */
int db_check_catalogue(struct db *db, char *err, size_t errsz);

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
 * constraint violation (UNIQUE, FOREIGN KEY, CHECK), ERR_BUSY when locked or
 * (PostgreSQL) when the server cannot be reached, ERR_DB otherwise (logged
 * with the query name). A failed statement inside a transaction leaves the
 * transaction usable on both stores (PostgreSQL: the backend wraps each
 * write in a savepoint), as SQLite does.
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

/* The type of column i's value in the current row (SQLite: the value's own type). */
enum db_type { DB_TYPE_NULL, DB_TYPE_INTEGER, DB_TYPE_FLOAT, DB_TYPE_TEXT, DB_TYPE_BLOB };
enum db_type db_col_type(struct db_stmt *st, int i);

/* Run a statement with no parameters to completion. */
int db_exec(struct db *db, const struct db_query *q) WUR;
/*
 * Rowid of the last insert (PostgreSQL: the identity value the last INSERT
 * drew, lastval()), rows changed by the last INSERT, UPDATE or DELETE.
 */
int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

/*
 * Transactions: BEGIN IMMEDIATE (a write lock at once; ERR_BUSY after the
 * busy timeout), COMMIT, ROLLBACK. On PostgreSQL db_begin takes the same
 * database-wide write lock (a transaction-level advisory lock, 5 s lock
 * timeout), so write transactions are serialised across every app server
 * exactly as SQLite serialises writers, and code written for one keeps its
 * guarantees on the other. They do not nest: db_begin inside a
 * transaction fails with ERR_DB. If db_commit fails the transaction is still
 * open: call db_rollback. db_rollback is safe when none is open.
 */
int db_begin(struct db *db) WUR;
int db_commit(struct db *db) WUR;
void db_rollback(struct db *db);
/*
 * Tune this connection for one large write transaction (an import): on gives
 * it a large page cache (up to 256 MiB), off restores the default. On
 * PostgreSQL, on drops the savepoint around each write, so in bulk mode a
 * failed statement spoils the transaction: the caller must roll back (an
 * import abandons everything on any failure anyway). Returns 0 or ERR_DB.
 */
int db_bulk_mode(struct db *db, bool on) WUR;
/* Whether a transaction is open on this connection. */
bool db_in_transaction(struct db *db);

/*
 * Periodic jobs on several app servers (lease.c): claim the run of job that
 * is due at now, for interval seconds. *claimed is true when this server got
 * the run: nobody ran job in the last interval (by the job_lease row) and,
 * on PostgreSQL, no other server is running it now (an advisory lock this
 * connection then holds until db_job_done). false: leave the run to the
 * server that has it. server names this one in the row (host and process).
 * Outside a transaction. Returns 0 or an error (then *claimed is false).
 */
int db_job_claim(struct db *db, const char *job, int64_t now, int interval, const char *server,
		 bool *claimed) WUR;
/* After a claimed run: give back what db_job_claim took for it (the lock). */
void db_job_done(struct db *db, const char *job);

/*
 * Data an app server keeps in memory (the similar-schools index) and that
 * any server may change (an import), by topic, a short name (changes.c).
 * db_announce: inside the transaction that changes topic's data; every
 * process hears of it once the transaction commits (PostgreSQL:
 * LISTEN/NOTIFY; SQLite: the file's data_version). Returns 0 or an error.
 * db_change_generation: a number, per process, that grows when this process
 * has heard that topic may have changed since; compare it with the one a
 * cache was built at. Cheap (no round trip to the store). 0 means the topic
 * cannot be tracked: check the store every time. A change is heard as soon
 * as it commits on the announcing connection, and on the others at their
 * next call after it has arrived.
 */
int db_announce(struct db *db, const char *topic) WUR;
uint64_t db_change_generation(struct db *db, const char *topic);

/*
 * The data generation (changes.c): one number, per process, that grows
 * whenever any data may have changed, without anyone announcing anything —
 * for results computed from many tables and kept in memory (a report).
 * It moves when a write by this process commits (a statement that changed
 * rows, at its transaction's commit or at once outside one; a rollback
 * moves nothing) and whenever this process hears of a change from others:
 * SQLite's data_version moved on db (another process such as the CLI, or
 * another connection of this one); on PostgreSQL any notification
 * (db_announce), a reconnection, or the server's write-ahead log position
 * moving (any commit by anyone: another app server, psql). Read it (with
 * db, this thread's connection, outside a transaction) BEFORE reading what
 * is kept, and keep a result with the generation read before it was
 * computed. Cost: SQLite, no round trip (shared memory); PostgreSQL, one
 * small round trip. A commit on PostgreSQL whose log record is written just
 * before the position is read but that becomes visible just after can go
 * unnoticed: a cache must also expire by age.
 */
uint64_t db_data_generation(struct db *db);

/*
 * Copy every row of from into to (either store to either store, e.g. SQLite
 * to PostgreSQL), both migrated to the same schema version, to holding no
 * data yet (rows migrations add, such as meta's, are replaced). Copies the
 * ordinary tables both have except schema_version — search indexes exist on
 * one store only and are not copied: rebuild them on to afterwards. Parents
 * before children, identity sequences moved past the copied ids, each
 * table's row count compared. One transaction on to (nothing is left of a
 * failed copy); from is read inside db_begin (its writers wait). *tables and
 * *rows get what was copied. Returns 0, or an error with a message in err.
 */
int db_copy(struct db *from, struct db *to, int *tables, int64_t *rows, char *err, size_t errsz) WUR;

#endif
