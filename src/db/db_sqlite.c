// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db_sqlite.c — the SQLite backend of the store: opening and configuring a
 * connection, the per-connection statement cache, binding parameters,
 * stepping, reading columns and transactions. It is also where db.h's
 * functions choose the backend: on a PostgreSQL connection (db->pg set) each
 * hands over to its dbpg_ counterpart in db_pg.c, which shares the statement
 * cache. JSON rows are in db_json.c, migrations in migrate.c, the per-thread
 * pool in pool.c.
 *
 * Every statement comes from the catalogue (a struct db_query declared with
 * DB_QUERY) and is prepared once per connection with
 * SQLITE_PREPARE_PERSISTENT, then reused: the cache is an open-addressing
 * table keyed by the address of the catalogue entry, so a lookup is a pointer
 * hash and no SQL text is compared. SQLite re-prepares a cached statement by
 * itself when the schema changes.
 */
#include "db/db.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "core/geo.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db_internal.h"

/* Initial size of the statement cache (a power of two). */
#define DB_CACHE_INITIAL 64

/* SQLite's own statements: not in the catalogue (PostgreSQL has its own, in db_pg.c). */
static const struct db_query q_begin = {"q_begin", "BEGIN IMMEDIATE", NULL};
static const struct db_query q_commit = {"q_commit", "COMMIT", NULL};
static const struct db_query q_rollback = {"q_rollback", "ROLLBACK", NULL};

void dbi_set_err(char *err, size_t errsz, const char *fmt, ...)
{
	if (!err || errsz == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

int dbi_error(struct db *db, int rc, const char *query_name)
{
	const char *msg = db ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc);
	const char *name = query_name ? query_name : "?";

	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		log_debug("db: %s: %s", name, msg);
		return ERR_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		log_warn("db: %s: %s", name, msg);
		return ERR_BUSY;
	default:
		log_error("db: %s: %s", name, msg);
		return ERR_DB;
	}
}

/*
 * Create every missing folder above the file in path, like `mkdir -p
 * $(dirname path)`. Returns 0 or ERR_IO with a message in err.
 */
static int make_parent_dirs(const char *path, char *err, size_t errsz)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;

	if (!slash || slash == dir)
		goto out;
	*slash = '\0';
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			dbi_set_err(err, errsz, "cannot create folder %s: %s", dir, strerror(errno));
			rc = ERR_IO;
			goto out;
		}
		if (c == '\0')
			break;
		*p = c;
	}
out:
	free(dir);
	return rc;
}

/*
 * Run one set-up statement (a PRAGMA) to completion. If value is not NULL it
 * gets a copy of the first column of the first row (caller frees; NULL when
 * there was no row). Returns an SQLite result code.
 */
static int run_setup(sqlite3 *conn, const char *sql, char **value)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(conn, sql, -1, &s, NULL);

	if (value)
		*value = NULL;
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		if (value && !*value && t)
			*value = xstrdup((const char *)t);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * SQL function km(lat1, lon1, lat2, lon2): great-circle distance in km, NULL
 * when any argument is NULL. Deterministic and innocuous, so it may be used
 * anywhere; PostgreSQL would get the same function in plpgsql.
 */
static void sql_km(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double v[4];
	for (int i = 0; i < 4; i++) {
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
			sqlite3_result_null(ctx);
			return;
		}
		v[i] = sqlite3_value_double(argv[i]);
	}
	sqlite3_result_double(ctx, geo_km(v[0], v[1], v[2], v[3]));
}

/*
 * Apply the connection settings every Tandem connection has. Returns an
 * SQLite result code; the message is in sqlite3_errmsg(conn).
 */
static int configure(sqlite3 *conn, const char *path)
{
	/*
	 * Portable, hardened SQL: a double-quoted "word" is always an
	 * identifier (as in PostgreSQL), never a string literal; the schema
	 * cannot be corrupted through writable_schema and friends; functions
	 * with side effects cannot run from views and triggers.
	 */
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);

	sqlite3_create_function(conn, "km", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				NULL, sql_km, NULL, NULL);

	static const char *const pragmas[] = {
		"PRAGMA busy_timeout = 5000", /* wait up to 5 s for another writer */
		"PRAGMA foreign_keys = ON",
		"PRAGMA synchronous = NORMAL",
	};
	int rc = run_setup(conn, pragmas[0], NULL);
	if (rc != SQLITE_OK)
		return rc;

	char *mode = NULL;
	rc = run_setup(conn, "PRAGMA journal_mode = WAL", &mode);
	if (rc != SQLITE_OK)
		return rc;
	if (!mode || (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0))
		log_warn("db: %s: journal_mode is %s, not wal", path, mode ? mode : "unknown");
	free(mode);

	for (size_t i = 1; i < ARRAY_LEN(pragmas); i++) {
		rc = run_setup(conn, pragmas[i], NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

int dbi_open(struct db **out, const char *path, bool lazy, char *err, size_t errsz)
{
	sqlite3 *conn = NULL;
	int rc;

	*out = NULL;
	if (!path || !*path) {
		dbi_set_err(err, errsz, "cannot open database: no file name");
		return ERR_DB;
	}
	if (db_is_postgres_name(path))
		return dbpg_open(out, path, lazy, err, errsz);
	if (strcmp(path, ":memory:") != 0) {
		rc = make_parent_dirs(path, err, errsz);
		if (rc)
			return ERR_DB;
	}
	rc = sqlite3_open_v2(path, &conn,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = configure(conn, path);
	if (rc != SQLITE_OK) {
		dbi_set_err(err, errsz, "cannot open database %s: %s", path,
			    conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
		sqlite3_close(conn);
		return ERR_DB;
	}

	struct db *db = xcalloc(1, sizeof(*db));
	db->conn = conn;
	db->path = xstrdup(path);
	db->nslots = DB_CACHE_INITIAL;
	db->slots = xcalloc(db->nslots, sizeof(*db->slots));
	*out = db;
	return 0;
}

int db_open(struct db **out, const char *path, char *err, size_t errsz)
{
	return dbi_open(out, path, false, err, errsz);
}

bool db_is_postgres(struct db *db)
{
	return db && db->pg;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nslots; i++) {
		struct db_stmt *st = db->slots[i];
		if (st) {
			sqlite3_finalize(st->stmt);
			dbpg_stmt_free(st->pg);
			free(st);
		}
	}
	free(db->slots);
	if (db->pg) {
		dbpg_close(db);
		free(db->path);
		free(db);
		return;
	}
	/* Every statement was ours and is finalized, so this cannot be busy. */
	if (sqlite3_close(db->conn) != SQLITE_OK) {
		log_error("db: closing %s: %s", db->path, sqlite3_errmsg(db->conn));
		sqlite3_close_v2(db->conn);
	}
	free(db->path);
	free(db);
}

const char *db_errmsg(struct db *db)
{
	if (db && db->pg)
		return dbpg_errmsg(db);
	return db ? sqlite3_errmsg(db->conn) : "no database connection";
}

/* --- the statement cache ------------------------------------------------ */

/* Home slot of a query in a table of mask + 1 slots (Fibonacci hashing). */
static size_t cache_home(const struct db_query *q, size_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)q * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 32) & mask;
}

/* The slot holding q, or the free slot where it belongs. */
static size_t cache_find(const struct db *db, const struct db_query *q)
{
	size_t mask = db->nslots - 1;
	size_t i = cache_home(q, mask);
	while (db->slots[i] && db->slots[i]->query != q)
		i = (i + 1) & mask;
	return i;
}

/* Double the table; entries keep their addresses, only the slots move. */
static void cache_grow(struct db *db)
{
	struct db_stmt **old = db->slots;
	size_t nold = db->nslots;

	db->nslots = nold * 2;
	db->slots = xcalloc(db->nslots, sizeof(*db->slots));
	for (size_t i = 0; i < nold; i++) {
		if (old[i])
			db->slots[cache_find(db, old[i]->query)] = old[i];
	}
	free(old);
}

/* True when the SQL after the first statement holds another statement (or garbage). */
static bool has_more_sql(sqlite3 *conn, const char *tail)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(conn, tail, -1, &s, NULL);
	bool more = rc != SQLITE_OK || s != NULL;
	sqlite3_finalize(s);
	return more;
}

/* Prepare q for the cache, or log why not and return NULL. */
static sqlite3_stmt *prepare(struct db *db, const struct db_query *q)
{
	sqlite3_stmt *s = NULL;
	const char *tail = NULL;
	const char *name = q->name ? q->name : "?";
	int rc = sqlite3_prepare_v3(db->conn, q->sql, -1, SQLITE_PREPARE_PERSISTENT, &s, &tail);

	if (rc != SQLITE_OK) {
		log_error("db: query %s does not prepare: %s", name, sqlite3_errmsg(db->conn));
		sqlite3_finalize(s);
		return NULL;
	}
	if (!s) {
		log_error("db: query %s holds no statement", name);
		return NULL;
	}
	if (tail && *tail && has_more_sql(db->conn, tail)) {
		log_error("db: query %s holds more than one statement", name);
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

struct db_stmt *db_stmt(struct db *db, const struct db_query *q)
{
	if (!db || !q || !q->sql) {
		log_error("db: db_stmt(%s) without a connection or SQL",
			  q && q->name ? q->name : "?");
		return NULL;
	}
	size_t i = cache_find(db, q);
	struct db_stmt *st = db->slots[i];
	if (st) {
		db_reset(st);
		return st;
	}

	sqlite3_stmt *s = NULL;
	struct dbpg_stmt *ps = NULL;
	if (db->pg)
		ps = dbpg_prepare(db, q);
	else
		s = prepare(db, q);
	if (!s && !ps)
		return NULL;
	st = xmalloc(sizeof(*st));
	st->query = q;
	st->stmt = s;
	st->pg = ps;
	st->db = db;
	if ((db->nused + 1) * 2 > db->nslots) {
		cache_grow(db);
		i = cache_find(db, q);
	}
	db->slots[i] = st;
	db->nused++;
	return st;
}

void dbi_stmt_forget(struct db *db, const struct db_query *q)
{
	if (!db)
		return;
	size_t mask = db->nslots - 1;
	size_t i = cache_find(db, q);
	struct db_stmt *st = db->slots[i];
	if (!st)
		return;
	sqlite3_finalize(st->stmt);
	dbpg_stmt_free(st->pg); /* its server-side statement goes with the connection */
	free(st);
	db->slots[i] = NULL;
	db->nused--;
	/* Linear probing: move later entries of the run back so lookups still find them. */
	for (size_t j = (i + 1) & mask; db->slots[j]; j = (j + 1) & mask) {
		struct db_stmt *e = db->slots[j];
		db->slots[j] = NULL;
		db->slots[cache_find(db, e->query)] = e;
	}
}

void db_reset_all(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nslots; i++) {
		struct db_stmt *st = db->slots[i];
		if (st && st->pg && dbpg_stmt_busy(st))
			dbpg_stmt_reset(st, false);
		else if (st && st->stmt && sqlite3_stmt_busy(st->stmt))
			sqlite3_reset(st->stmt);
	}
	if (!db->pg)
		dbi_sqlite_count_writes(db);
	if (db_in_transaction(db)) {
		log_warn("db: %s: a transaction was left open; rolling it back", db->path);
		db_rollback(db);
	}
}

/* --- binding ------------------------------------------------------------ */

/* Turn a bind's result code into 0 or ERR_DB, logging failures. */
static int bind_result(struct db_stmt *st, int idx, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	log_error("db: %s: cannot bind parameter %d: %s", st->query->name, idx,
		  sqlite3_errstr(rc));
	return ERR_DB;
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	if (!st)
		return ERR_DB;
	if (st->pg) {
		char t[24];
		int n = snprintf(t, sizeof(t), "%lld", (long long)v);
		return dbpg_bind(st, idx, t, (size_t)n, false);
	}
	return bind_result(st, idx, sqlite3_bind_int64(st->stmt, idx, v));
}

int db_bind_double(struct db_stmt *st, int idx, double v)
{
	if (!st)
		return ERR_DB;
	if (st->pg) {
		char t[40];
		/* %.17g reads back as the same double; NaN and infinities PostgreSQL spells out. */
		int n = isnan(v)   ? snprintf(t, sizeof(t), "NaN")
			: isinf(v) ? snprintf(t, sizeof(t), "%sInfinity", v < 0 ? "-" : "")
				   : snprintf(t, sizeof(t), "%.17g", v);
		return dbpg_bind(st, idx, t, (size_t)n, false);
	}
	return bind_result(st, idx, sqlite3_bind_double(st->stmt, idx, v));
}

int db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	return db_bind_textn(st, idx, s, s ? strlen(s) : 0);
}

int db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t n)
{
	if (!st)
		return ERR_DB;
	if (!s)
		return db_bind_null(st, idx);
	if (st->pg)
		return dbpg_bind(st, idx, s, n, false);
	return bind_result(st, idx,
			   sqlite3_bind_text64(st->stmt, idx, s, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	if (!st)
		return ERR_DB;
	if (!p)
		return db_bind_null(st, idx);
	if (st->pg)
		return dbpg_bind(st, idx, p, n, true);
	/* A non-NULL pointer with n == 0 binds an empty blob, not NULL. */
	return bind_result(st, idx, sqlite3_bind_blob64(st->stmt, idx, p, n, SQLITE_TRANSIENT));
}

int db_bind_null(struct db_stmt *st, int idx)
{
	if (!st)
		return ERR_DB;
	if (st->pg)
		return dbpg_bind(st, idx, NULL, 0, false);
	return bind_result(st, idx, sqlite3_bind_null(st->stmt, idx));
}

/* --- stepping ----------------------------------------------------------- */

int db_step(struct db_stmt *st)
{
	if (!st)
		return ERR_DB;
	if (st->pg)
		return dbpg_step(st);
	int rc = sqlite3_step(st->stmt);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	dbi_sqlite_count_writes(st->db); /* the statement has ended: what it changed is done */
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return dbi_error(st->db, rc, st->query->name);
}

void dbi_sqlite_count_writes(struct db *db)
{
	/*
	 * Rows changed by INSERT, UPDATE and DELETE on this connection (triggers'
	 * too), whatever statement did it; only read once a statement has ended,
	 * so that outside a transaction the change is committed before anyone
	 * sees the generation move.
	 */
	int64_t n = sqlite3_total_changes64(db->conn);
	if (n != db->total_changes) {
		db->total_changes = n;
		dbi_wrote(db, !sqlite3_get_autocommit(db->conn));
	}
}

void db_reset(struct db_stmt *st)
{
	if (!st)
		return;
	if (st->pg) {
		dbpg_stmt_reset(st, true);
		return;
	}
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
	dbi_sqlite_count_writes(st->db);
}

int db_exec(struct db *db, const struct db_query *q)
{
	struct db_stmt *st = db_stmt(db, q);
	int rc;

	if (!st)
		return ERR_DB;
	while ((rc = db_step(st)) == DB_ROW)
		;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int64_t db_last_id(struct db *db)
{
	if (db && db->pg)
		return dbpg_last_id(db);
	return db ? sqlite3_last_insert_rowid(db->conn) : 0;
}

int db_changes(struct db *db)
{
	if (db && db->pg)
		return dbpg_changes(db);
	return db ? sqlite3_changes(db->conn) : 0;
}

/* --- columns ------------------------------------------------------------ */

int db_col_count(struct db_stmt *st)
{
	if (st && st->pg)
		return dbpg_col_count(st);
	return st ? sqlite3_column_count(st->stmt) : 0;
}

const char *db_col_name(struct db_stmt *st, int i)
{
	if (st && st->pg)
		return dbpg_col_name(st, i);
	return st ? sqlite3_column_name(st->stmt, i) : NULL;
}

bool db_col_is_null(struct db_stmt *st, int i)
{
	if (st && st->pg)
		return dbpg_col_is_null(st, i);
	return !st || sqlite3_column_type(st->stmt, i) == SQLITE_NULL;
}

int64_t db_col_int(struct db_stmt *st, int i)
{
	if (st && st->pg)
		return dbpg_col_int(st, i);
	return st ? sqlite3_column_int64(st->stmt, i) : 0;
}

double db_col_double(struct db_stmt *st, int i)
{
	if (st && st->pg)
		return dbpg_col_double(st, i);
	return st ? sqlite3_column_double(st->stmt, i) : 0.0;
}

const char *db_col_text(struct db_stmt *st, int i)
{
	if (st && st->pg)
		return dbpg_col_text(st, i);
	return st ? (const char *)sqlite3_column_text(st->stmt, i) : NULL;
}

const void *db_col_blob(struct db_stmt *st, int i, size_t *len)
{
	if (!st) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (st->pg)
		return dbpg_col_blob(st, i, len);
	/* The pointer first, then its size: that order is what SQLite requires. */
	const void *p = sqlite3_column_blob(st->stmt, i);
	if (len)
		*len = (size_t)sqlite3_column_bytes(st->stmt, i);
	return p;
}

enum db_type db_col_type(struct db_stmt *st, int i)
{
	if (!st)
		return DB_TYPE_NULL;
	if (st->pg)
		return dbpg_col_type(st, i);
	switch (sqlite3_column_type(st->stmt, i)) {
	case SQLITE_INTEGER:
		return DB_TYPE_INTEGER;
	case SQLITE_FLOAT:
		return DB_TYPE_FLOAT;
	case SQLITE_TEXT:
		return DB_TYPE_TEXT;
	case SQLITE_BLOB:
		return DB_TYPE_BLOB;
	default:
		return DB_TYPE_NULL;
	}
}

/* --- transactions ------------------------------------------------------- */

int db_begin(struct db *db)
{
	if (db && db->pg)
		return dbpg_begin(db);
	return db_exec(db, &q_begin);
}

int db_commit(struct db *db)
{
	int rc = db && db->pg ? dbpg_commit(db) : db_exec(db, &q_commit);
	if (rc == 0)
		dbi_commit_announced(db);
	return rc;
}

int db_bulk_mode(struct db *db, bool on)
{
	/*
	 * A large page cache keeps a big transaction's dirty pages in memory
	 * instead of spilling them to the WAL again and again; off restores
	 * SQLite's default (about 2 MB).
	 */
	if (!db)
		return ERR_DB;
	if (db->pg) {
		dbpg_bulk_mode(db, on);
		return 0;
	}
	int rc = run_setup(db->conn, on ? "PRAGMA cache_size = -262144" : "PRAGMA cache_size = -2000",
			   NULL);
	return rc == SQLITE_OK ? 0 : ERR_DB;
}

void db_rollback(struct db *db)
{
	if (db)
		db->announced = 0;
	if (db && db->pg) {
		dbpg_rollback(db);
		db->wrote = false;
		return;
	}
	/* Autocommit mode means no transaction is open: nothing to undo. */
	if (!db || sqlite3_get_autocommit(db->conn)) {
		if (db)
			db->wrote = false;
		return;
	}
	int rc = db_exec(db, &q_rollback);
	(void)rc; /* db_step has logged it; nothing more a caller could do */
	db->wrote = false; /* what the transaction changed is undone: no change to count */
}

bool db_in_transaction(struct db *db)
{
	if (db && db->pg)
		return dbpg_in_transaction(db);
	return db && !sqlite3_get_autocommit(db->conn);
}
