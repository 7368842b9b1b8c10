// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db_pg.c — the PostgreSQL backend of the store, on libpq. db.h's functions
 * in db_sqlite.c hand over to the dbpg_ functions here when a connection is
 * PostgreSQL's; the statement cache (keyed by the catalogue entry) is shared.
 *
 * Statements: a catalogue entry's PostgreSQL text (or its portable text) has
 * its `?` placeholders rewritten to `$N` (pg_sql.c) and is prepared once per
 * connection under a name of its own (s1, s2, …). Parameters go as text (a
 * blob as binary) and PostgreSQL infers their types from the statement.
 * A step runs the statement on the first call and keeps the whole result;
 * later steps walk its rows. Results are in text form and read back as
 * SQLite's types would be (db_col_*, dbpg_col_json).
 *
 * Behaving as SQLite does, so feature code does not see which store it has:
 *  - A failed write inside a transaction does not spoil the transaction:
 *    each INSERT, UPDATE or DELETE inside one runs under a savepoint that is
 *    rolled back if it fails (PostgreSQL would otherwise refuse every later
 *    statement until ROLLBACK). Not in bulk mode (db_bulk_mode: an import,
 *    which abandons the whole transaction on any failure), where the extra
 *    round trip per row would double the time.
 *  - In bulk mode the writes of the transaction that return no rows are
 *    pipelined (libpq pipeline mode): each is sent without waiting for its
 *    answer, and the answers are read together (every DBPG_PIPELINE_MAX
 *    statements, and before anything else uses the connection: a read, the
 *    commit, db_changes, db_last_id). So an import costs about one round
 *    trip per thousand rows instead of one per row. A failure is reported
 *    by the call that reads it (at the latest the commit), and spoils the
 *    transaction, as any failure in bulk mode does.
 *  - db_begin takes a database-wide advisory lock for the transaction, like
 *    SQLite's BEGIN IMMEDIATE: write transactions run one at a time across
 *    every app server, waiting up to the 5 s lock timeout (then ERR_BUSY).
 *  - db_last_id is lastval(): the identity value the last INSERT drew.
 *
 * Faults: when the server goes away, the failing step returns ERR_BUSY (a
 * 503); the next use of the connection tries to connect again, and on success
 * prepares its statements again (their epoch is older than the connection's).
 * So an app server rides out a database restart without restarting itself.
 */
#include "db/db.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db_internal.h"

/* PostgreSQL type OIDs (pg_type.h, stable since forever). */
enum {
	PG_BOOL = 16,
	PG_BYTEA = 17,
	PG_INT8 = 20,
	PG_INT2 = 21,
	PG_INT4 = 23,
	PG_TEXT = 25,
	PG_OID = 26,
	PG_FLOAT4 = 700,
	PG_FLOAT8 = 701,
	PG_NUMERIC = 1700,
};

/* Placeholder numbers up to this are checked for gaps (a statement has far fewer). */
#define DBPG_MAX_TYPED 256

/* Bulk writes sent ahead before their answers are read. */
#define DBPG_PIPELINE_MAX 1000

/* The advisory lock key db_begin takes: "tandem" in ASCII, one lock for the database. */
#define DBPG_WRITE_LOCK "116097110100101109"

/* One PostgreSQL connection's state. */
struct dbpg_conn {
	PGconn *conn;         /* libpq's connection; owned, PQfinish'ed by dbpg_close */
	unsigned epoch;       /* bumped at each (re)connection: statements of older epochs are re-prepared */
	unsigned next_name;   /* the number in the next statement name */
	int changes;          /* rows changed by the last INSERT, UPDATE or DELETE */
	bool lastval_pending; /* an INSERT added rows since last_id was read */
	int64_t last_id;      /* the last lastval() read */
	bool savepoint;       /* the step savepoint is open in the current transaction */
	bool bulk;            /* db_bulk_mode: no savepoints (a failure aborts the whole job) */
	bool tx_open;         /* db_begin succeeded and neither commit nor rollback came yet */
	bool tx_lost;         /* the connection dropped inside that transaction: refuse until rollback */
	unsigned listen_epoch; /* the epoch in which LISTEN tandem_changed was sent; 0 = never */
	bool pipeline;        /* in libpq pipeline mode, with piped statements sent and not yet read */
	int piped;            /* how many */
	const char *piped_names[DBPG_PIPELINE_MAX]; /* their query names (static), for messages */
	char msg[512];        /* the last error message, one line */
};

/* One prepared statement's PostgreSQL side. */
struct dbpg_stmt {
	char name[16];        /* s1, s2, … unique in the connection */
	char *sql;            /* the text sent to PostgreSQL, `$N` placeholders; owned */
	int nparams;          /* highest placeholder number */
	char **values;        /* nparams bound values (NULL = SQL NULL); each owned */
	int *lengths;         /* their lengths (used for binary values) */
	int *formats;         /* 0 text, 1 binary */
	Oid *types;           /* parameter types for PQprepare (0 = infer); NULL = infer all; owned */
	unsigned epoch;       /* connection epoch it was prepared in; 0 = not yet */
	bool is_write;        /* INSERT, UPDATE, DELETE: gets a savepoint in a transaction */
	bool returns_rows;    /* a write with RETURNING: never pipelined */
	bool piped;           /* sent in the pipeline since the last reset: its step is done */
	PGresult *res;        /* the result once run; owned */
	int row;              /* current row, -1 before the first step */
	unsigned char *blob;  /* the last db_col_blob value, unescaped; owned */
};

/* Keep the first line of a libpq message in pg->msg. */
static void set_msg(struct dbpg_conn *pg, const char *m)
{
	if (!m || !*m)
		m = "unknown error";
	/* libpq starts many messages with "connection to server … failed: " then the reason. */
	snprintf(pg->msg, sizeof(pg->msg), "%s", m);
	size_t n = strlen(pg->msg);
	while (n > 0 && (pg->msg[n - 1] == '\n' || pg->msg[n - 1] == ' '))
		pg->msg[--n] = '\0';
	for (char *p = pg->msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

/* Notices (e.g. "extension already exists") go to the debug log, not to stderr. */
static void notice(void *arg, const char *message)
{
	(void)arg;
	log_debug("db: postgres: %.*s", (int)strcspn(message, "\n"), message);
}

/* Session settings every connection has. Returns 0 or ERR_DB. */
static int configure(struct dbpg_conn *pg)
{
	PQsetNoticeProcessor(pg->conn, notice, NULL);
	PGresult *r = PQexec(pg->conn, "SET TIME ZONE 'UTC'; SET lock_timeout = '5s'; "
				       "SET client_min_messages = warning");
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : ERR_DB;
	if (rc)
		set_msg(pg, PQresultErrorMessage(r));
	PQclear(r);
	pg->epoch++;
	pg->savepoint = false;
	pg->lastval_pending = false;
	pg->pipeline = false;
	pg->piped = 0;
	return rc;
}

int dbpg_open(struct db **out, const char *conninfo, bool lazy, char *err, size_t errsz)
{
	char shown[512];
	db_display_name(conninfo, shown, sizeof(shown));

	/* Defaults first: the name's own settings, expanded from "dbname", override them. */
	const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *const values[] = {"5", "tandem", conninfo, NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (!conn) {
		dbi_set_err(err, errsz, "cannot connect to the PostgreSQL database %s: out of memory",
			    shown);
		return ERR_DB;
	}
	struct dbpg_conn *pg = xcalloc(1, sizeof(*pg));
	pg->conn = conn;
	if (PQstatus(conn) == CONNECTION_OK) {
		if (configure(pg) != 0) {
			dbi_set_err(err, errsz, "cannot set up the PostgreSQL database %s: %s", shown,
				    pg->msg);
			PQfinish(conn);
			free(pg);
			return ERR_DB;
		}
	} else {
		set_msg(pg, PQerrorMessage(conn));
		if (!lazy) {
			dbi_set_err(err, errsz, "cannot connect to the PostgreSQL database %s: %s",
				    shown, pg->msg);
			PQfinish(conn);
			free(pg);
			return ERR_DB;
		}
		log_warn("db: cannot connect to %s yet: %s", shown, pg->msg);
	}

	struct db *db = xcalloc(1, sizeof(*db));
	db->pg = pg;
	db->path = xstrdup(shown);
	db->nslots = 64;
	db->slots = xcalloc(db->nslots, sizeof(*db->slots));
	*out = db;
	return 0;
}

void dbpg_close(struct db *db)
{
	PQfinish(db->pg->conn);
	free(db->pg);
	db->pg = NULL;
}

const char *dbpg_errmsg(struct db *db)
{
	return db->pg->msg[0] ? db->pg->msg : "no error";
}

/*
 * Make sure the connection is up, connecting again if it dropped. Returns 0,
 * or ERR_BUSY (logged once per attempt) when the server cannot be reached.
 */
static int ensure_connected(struct db *db)
{
	struct dbpg_conn *pg = db->pg;
	if (PQstatus(pg->conn) == CONNECTION_OK)
		return 0;
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		set_msg(pg, PQerrorMessage(pg->conn));
		log_warn("db: %s is unavailable: %s", db->path, pg->msg);
		return ERR_BUSY;
	}
	if (configure(pg) != 0) {
		log_error("db: %s: %s", db->path, pg->msg);
		return ERR_BUSY;
	}
	log_info("db: connected to %s again", db->path);
	/* The transaction died with the old connection: nothing more may run
	 * as if it were still open (it would be committed one statement at a
	 * time) until the caller rolls back. */
	if (pg->tx_open)
		pg->tx_lost = true;
	return 0;
}

/* Whether sql starts (after spaces and parentheses) with INSERT, UPDATE or DELETE. */
static bool starts_with_write(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
		sql++;
	return strncasecmp(sql, "INSERT", 6) == 0 || strncasecmp(sql, "UPDATE", 6) == 0 ||
	       strncasecmp(sql, "DELETE", 6) == 0;
}

/*
 * Map a failed result to an enum err, logging it once as dbi_error does for
 * SQLite: integrity violations (class 23) ERR_CONFLICT at debug level; lock
 * timeouts, serialization failures, deadlocks and a lost connection ERR_BUSY;
 * anything else ERR_DB.
 */
static int result_error(struct db *db, PGresult *r, const char *name)
{
	struct dbpg_conn *pg = db->pg;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	set_msg(pg, r ? PQresultErrorMessage(r) : PQerrorMessage(pg->conn));
	if (!name)
		name = "?";
	if (PQstatus(pg->conn) != CONNECTION_OK || !state || strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "57P", 3) == 0) {
		log_warn("db: %s: the database is unavailable: %s", name, pg->msg);
		return ERR_BUSY;
	}
	if (strncmp(state, "23", 2) == 0) {
		log_debug("db: %s: %s", name, pg->msg);
		return ERR_CONFLICT;
	}
	if (strcmp(state, "55P03") == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0) {
		log_warn("db: %s: %s", name, pg->msg);
		return ERR_BUSY;
	}
	log_error("db: %s: %s", name, pg->msg);
	return ERR_DB;
}

/*
 * Read the answers of every piped statement and leave pipeline mode, so the
 * connection can be used one statement at a time again. Returns 0, or the
 * first failure (logged with its query's name; the transaction is then
 * aborted). A no-op outside pipeline mode.
 */
static int pipeline_flush(struct db *db)
{
	struct dbpg_conn *pg = db->pg;
	if (!pg->pipeline)
		return 0;
	int rc = 0, done = 0, ends = 0;
	if (PQpipelineSync(pg->conn) != 1) {
		set_msg(pg, PQerrorMessage(pg->conn));
		log_warn("db: %s: the batch of writes could not be sent: %s", db->path, pg->msg);
		rc = ERR_BUSY;
	}
	while (rc != ERR_BUSY) {
		PGresult *r = PQgetResult(pg->conn);
		if (!r) {
			/* One statement's answers are complete (or the connection went). */
			if (PQstatus(pg->conn) != CONNECTION_OK || ++ends > pg->piped + 2) {
				if (!rc)
					rc = result_error(db, NULL, "batch");
				break;
			}
			continue;
		}
		ExecStatusType st = PQresultStatus(r);
		const char *name = done < pg->piped ? pg->piped_names[done] : "batch";
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			pg->changes = atoi(PQcmdTuples(r));
			if (pg->changes > 0) /* piped writes: for db_data_generation, as execute's */
				dbi_wrote(db, pg->tx_open);
			done++;
		} else if (st == PGRES_PIPELINE_ABORTED) {
			done++; /* skipped after an earlier failure, which rc has */
		} else {
			if (!rc)
				rc = result_error(db, r, name);
			done++;
		}
		PQclear(r);
	}
	if (PQstatus(pg->conn) == CONNECTION_OK)
		(void)PQexitPipelineMode(pg->conn);
	pg->pipeline = false;
	pg->piped = 0;
	return rc;
}

/* Prepare ps on the connection now. Returns 0, ERR_BUSY (no server) or ERR_DB (bad SQL, logged). */
static int prepare_now(struct db *db, struct dbpg_stmt *ps, const char *name)
{
	int frc = pipeline_flush(db);
	if (frc)
		return frc;
	PGresult *r = PQprepare(db->pg->conn, ps->name, ps->sql, ps->nparams, ps->types);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		if (PQstatus(db->pg->conn) != CONNECTION_OK) {
			rc = result_error(db, r, name);
		} else {
			set_msg(db->pg, PQresultErrorMessage(r));
			log_error("db: query %s does not prepare on PostgreSQL: %s", name,
				  db->pg->msg);
			rc = ERR_DB;
		}
	} else {
		ps->epoch = db->pg->epoch;
	}
	PQclear(r);
	return rc;
}

void dbpg_stmt_free(struct dbpg_stmt *ps)
{
	if (!ps)
		return;
	PQclear(ps->res);
	for (int i = 0; i < ps->nparams; i++)
		free(ps->values[i]);
	free(ps->values);
	free(ps->lengths);
	free(ps->formats);
	free(ps->types);
	PQfreemem(ps->blob);
	free(ps->sql);
	free(ps);
}

struct dbpg_stmt *dbpg_prepare(struct db *db, const struct db_query *q)
{
	const char *name = q->name ? q->name : "?";
	struct dbpg_stmt *ps = xcalloc(1, sizeof(*ps));
	unsigned char used[DBPG_MAX_TYPED];
	ps->sql = dbi_pg_sql(q->pg_sql ? q->pg_sql : q->sql, &ps->nparams, used, sizeof(used));
	snprintf(ps->name, sizeof(ps->name), "s%u", ++db->pg->next_name);
	ps->is_write = starts_with_write(ps->sql);
	ps->returns_rows = strstr(ps->sql, "RETURNING") || strstr(ps->sql, "returning");
	ps->row = -1;
	/* A number the statement skips (?23 without ?20) has no type to infer: say text. */
	for (int n = 1; n <= ps->nparams && n < DBPG_MAX_TYPED; n++) {
		if (!used[n]) {
			if (!ps->types)
				ps->types = xcalloc((size_t)ps->nparams, sizeof(*ps->types));
			ps->types[n - 1] = PG_TEXT;
		}
	}
	if (ps->nparams > 0) {
		ps->values = xcalloc((size_t)ps->nparams, sizeof(*ps->values));
		ps->lengths = xcalloc((size_t)ps->nparams, sizeof(*ps->lengths));
		ps->formats = xcalloc((size_t)ps->nparams, sizeof(*ps->formats));
	}
	/* Without a server it is prepared at its first step (which then fails with ERR_BUSY). */
	if (ensure_connected(db) == 0 && prepare_now(db, ps, name) == ERR_DB) {
		dbpg_stmt_free(ps);
		return NULL;
	}
	return ps;
}

void dbpg_stmt_reset(struct db_stmt *st, bool clear_bindings)
{
	struct dbpg_stmt *ps = st->pg;
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = -1;
	ps->piped = false;
	PQfreemem(ps->blob);
	ps->blob = NULL;
	if (clear_bindings) {
		for (int i = 0; i < ps->nparams; i++) {
			free(ps->values[i]);
			ps->values[i] = NULL;
			ps->formats[i] = 0;
			ps->lengths[i] = 0;
		}
	}
}

bool dbpg_stmt_busy(struct db_stmt *st)
{
	return st->pg->res != NULL;
}

int dbpg_bind(struct db_stmt *st, int idx, const char *v, size_t n, bool binary)
{
	struct dbpg_stmt *ps = st->pg;
	if (idx < 1 || idx > ps->nparams) {
		log_error("db: %s: cannot bind parameter %d: the statement has %d", st->query->name,
			  idx, ps->nparams);
		return ERR_DB;
	}
	free(ps->values[idx - 1]);
	ps->values[idx - 1] = NULL;
	ps->formats[idx - 1] = binary ? 1 : 0;
	ps->lengths[idx - 1] = (int)n;
	if (v) {
		char *copy = xmalloc(n + 1);
		memcpy(copy, v, n);
		copy[n] = '\0';
		ps->values[idx - 1] = copy;
	}
	return 0;
}

/* Run a statement that is not in the catalogue (transaction control). Returns 0 or an error. */
static int run_simple(struct db *db, const char *sql, const char *name)
{
	int frc = pipeline_flush(db);
	if (frc)
		return frc;
	PGresult *r = PQexec(db->pg->conn, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? 0 : result_error(db, r, name);
	PQclear(r);
	return rc;
}

/* Run ps on the server and keep its result. Returns 0 or an error. */
static int execute(struct db_stmt *st)
{
	struct db *db = st->db;
	struct dbpg_conn *pg = db->pg;
	struct dbpg_stmt *ps = st->pg;
	const char *name = st->query->name;

	int rc = ensure_connected(db);
	if (rc)
		return rc;
	if (pg->tx_lost) {
		set_msg(pg, "the connection was lost inside a transaction; roll it back");
		log_warn("db: %s: %s", name, pg->msg);
		return ERR_BUSY;
	}
	if (ps->epoch != pg->epoch) {
		rc = prepare_now(db, ps, name);
		if (rc)
			return rc;
	}
	if (ps->is_write && !ps->returns_rows && pg->bulk && pg->tx_open &&
	    (pg->pipeline || PQenterPipelineMode(pg->conn) == 1)) {
		pg->pipeline = true;
		if (PQsendQueryPrepared(pg->conn, ps->name, ps->nparams, (const char *const *)ps->values, ps->lengths,
					ps->formats, 0) != 1) {
			set_msg(pg, PQerrorMessage(pg->conn));
			log_warn("db: %s: %s", name, pg->msg);
			(void)pipeline_flush(db);
			return ERR_BUSY;
		}
		pg->piped_names[pg->piped++] = name;
		if (strncasecmp(ps->sql, "INSERT", 6) == 0)
			pg->lastval_pending = true;
		ps->piped = true;
		return pg->piped >= DBPG_PIPELINE_MAX ? pipeline_flush(db) : 0;
	}
	if ((rc = pipeline_flush(db)) != 0)
		return rc;
	bool sp = ps->is_write && !pg->bulk && PQtransactionStatus(pg->conn) == PQTRANS_INTRANS;
	if (sp) {
		rc = run_simple(db, pg->savepoint ? "RELEASE SAVEPOINT tandem_step; SAVEPOINT tandem_step"
						  : "SAVEPOINT tandem_step",
				name);
		if (rc)
			return rc;
		pg->savepoint = true;
	}
	PGresult *r = PQexecPrepared(pg->conn, ps->name, ps->nparams,
				     (const char *const *)ps->values, ps->lengths, ps->formats, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && !sp && !pg->tx_open &&
	    PQstatus(pg->conn) != CONNECTION_OK) {
		/* The server went away since this connection was last used (a restart):
		 * outside a transaction nothing was done, so connect again and run the
		 * statement once more rather than fail this request too. */
		PQclear(r);
		r = NULL;
		if ((rc = ensure_connected(db)) == 0 && (rc = prepare_now(db, ps, name)) == 0) {
			r = PQexecPrepared(pg->conn, ps->name, ps->nparams, (const char *const *)ps->values,
					   ps->lengths, ps->formats, 0);
			s = PQresultStatus(r);
		} else {
			return rc;
		}
	}
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		rc = result_error(db, r, name);
		PQclear(r);
		if (sp && PQstatus(pg->conn) == CONNECTION_OK) {
			PGresult *u = PQexec(pg->conn, "ROLLBACK TO SAVEPOINT tandem_step");
			PQclear(u);
		}
		return rc;
	}
	const char *cmd = PQcmdStatus(r);
	if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
	    strncmp(cmd, "DELETE", 6) == 0 || strncmp(cmd, "MERGE", 5) == 0) {
		pg->changes = atoi(PQcmdTuples(r));
		if (strncmp(cmd, "INSERT", 6) == 0 && pg->changes > 0)
			pg->lastval_pending = true;
		if (pg->changes > 0) /* for db_data_generation: now, or at the commit */
			dbi_wrote(db, dbpg_in_transaction(db));
	}
	ps->res = r;
	ps->row = -1;
	return 0;
}

int dbpg_step(struct db_stmt *st)
{
	struct dbpg_stmt *ps = st->pg;
	if (ps->piped)
		return DB_DONE;
	if (!ps->res) {
		int rc = execute(st);
		if (rc)
			return rc;
		if (ps->piped)
			return DB_DONE;
	}
	if (ps->row + 1 < PQntuples(ps->res)) {
		ps->row++;
		PQfreemem(ps->blob);
		ps->blob = NULL;
		return DB_ROW;
	}
	ps->row = PQntuples(ps->res);
	return DB_DONE;
}

int64_t dbpg_last_id(struct db *db)
{
	struct dbpg_conn *pg = db->pg;
	if (pipeline_flush(db) != 0 || !pg->lastval_pending)
		return pg->last_id;
	PGresult *r = PQexec(pg->conn, "SELECT lastval()");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		pg->last_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		pg->lastval_pending = false;
	} else {
		(void)result_error(db, r, "lastval");
	}
	PQclear(r);
	return pg->last_id;
}

int dbpg_changes(struct db *db)
{
	if (pipeline_flush(db) != 0)
		return 0;
	return db->pg->changes;
}

/* --- columns ------------------------------------------------------------ */

/* Whether st is on a row and i is one of its columns. */
static bool on_row(struct db_stmt *st, int i)
{
	struct dbpg_stmt *ps = st->pg;
	return ps->res && ps->row >= 0 && ps->row < PQntuples(ps->res) && i >= 0 &&
	       i < PQnfields(ps->res);
}

int dbpg_col_count(struct db_stmt *st)
{
	return st->pg->res ? PQnfields(st->pg->res) : 0;
}

const char *dbpg_col_name(struct db_stmt *st, int i)
{
	struct dbpg_stmt *ps = st->pg;
	if (!ps->res || i < 0 || i >= PQnfields(ps->res))
		return NULL;
	return PQfname(ps->res, i);
}

bool dbpg_col_is_null(struct db_stmt *st, int i)
{
	return !on_row(st, i) || PQgetisnull(st->pg->res, st->pg->row, i);
}

const char *dbpg_col_text(struct db_stmt *st, int i)
{
	if (dbpg_col_is_null(st, i))
		return NULL;
	return PQgetvalue(st->pg->res, st->pg->row, i);
}

int64_t dbpg_col_int(struct db_stmt *st, int i)
{
	const char *v = dbpg_col_text(st, i);
	if (!v)
		return 0;
	if (PQftype(st->pg->res, i) == PG_BOOL)
		return v[0] == 't';
	char *end = NULL;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (end && (*end == '.' || *end == 'e' || *end == 'E' || errno == ERANGE))
		return (int64_t)strtod(v, NULL);
	return n;
}

double dbpg_col_double(struct db_stmt *st, int i)
{
	const char *v = dbpg_col_text(st, i);
	if (!v)
		return 0.0;
	if (PQftype(st->pg->res, i) == PG_BOOL)
		return v[0] == 't';
	return strtod(v, NULL);
}

const void *dbpg_col_blob(struct db_stmt *st, int i, size_t *len)
{
	struct dbpg_stmt *ps = st->pg;
	const char *v = dbpg_col_text(st, i);
	if (len)
		*len = 0;
	if (!v)
		return NULL;
	if (PQftype(ps->res, i) != PG_BYTEA) {
		if (len)
			*len = (size_t)PQgetlength(ps->res, ps->row, i);
		return v;
	}
	PQfreemem(ps->blob);
	size_t n = 0;
	ps->blob = PQunescapeBytea((const unsigned char *)v, &n);
	if (len)
		*len = ps->blob ? n : 0;
	return ps->blob;
}

json_t *dbpg_col_json(struct db_stmt *st, int i)
{
	const char *v = dbpg_col_text(st, i);
	if (!v)
		return json_null();
	switch (PQftype(st->pg->res, i)) {
	case PG_INT2:
	case PG_INT4:
	case PG_INT8:
	case PG_OID:
	case PG_BOOL:
		return json_integer((json_int_t)dbpg_col_int(st, i));
	case PG_NUMERIC:
		/* sum() of a bigint is numeric: without a fraction it is an integer, as in SQLite. */
		if (!strpbrk(v, ".eEN")) {
			errno = 0;
			long long n = strtoll(v, NULL, 10);
			if (errno != ERANGE)
				return json_integer((json_int_t)n);
		}
		/* fall through */
	case PG_FLOAT4:
	case PG_FLOAT8: {
		double d = strtod(v, NULL);
		return isfinite(d) ? json_real(d) : json_null();
	}
	case PG_BYTEA:
		return json_null();
	default:
		return dbi_json_string(v, (size_t)PQgetlength(st->pg->res, st->pg->row, i));
	}
}

enum db_type dbpg_col_type(struct db_stmt *st, int i)
{
	if (dbpg_col_is_null(st, i))
		return DB_TYPE_NULL;
	switch (PQftype(st->pg->res, i)) {
	case PG_INT2:
	case PG_INT4:
	case PG_INT8:
	case PG_OID:
	case PG_BOOL:
		return DB_TYPE_INTEGER;
	case PG_NUMERIC:
		return strpbrk(dbpg_col_text(st, i), ".eEN") ? DB_TYPE_FLOAT : DB_TYPE_INTEGER;
	case PG_FLOAT4:
	case PG_FLOAT8:
		return DB_TYPE_FLOAT;
	case PG_BYTEA:
		return DB_TYPE_BLOB;
	default:
		return DB_TYPE_TEXT;
	}
}

/* --- transactions ------------------------------------------------------- */

int dbpg_begin(struct db *db)
{
	int rc = ensure_connected(db);
	if (rc)
		return rc;
	if (dbpg_in_transaction(db)) {
		set_msg(db->pg, "a transaction is already open");
		log_error("db: db_begin: %s", db->pg->msg);
		return ERR_DB;
	}
	db->pg->savepoint = false;
	rc = run_simple(db, "BEGIN; SELECT pg_advisory_xact_lock(" DBPG_WRITE_LOCK ")", "begin");
	if (rc && PQtransactionStatus(db->pg->conn) != PQTRANS_IDLE)
		dbpg_rollback(db);
	db->pg->tx_open = rc == 0;
	return rc;
}

int dbpg_commit(struct db *db)
{
	struct dbpg_conn *pg = db->pg;
	(void)pipeline_flush(db); /* a failure in it shows as the failed transaction below */
	if (pg->tx_lost) {
		set_msg(pg, "the connection was lost inside the transaction, which did not commit");
		log_warn("db: commit: %s", pg->msg);
		dbpg_rollback(db);
		return ERR_BUSY;
	}
	if (PQtransactionStatus(pg->conn) == PQTRANS_INERROR) {
		set_msg(pg, "the transaction failed earlier and was rolled back");
		log_error("db: commit: %s", pg->msg);
		dbpg_rollback(db);
		return ERR_DB;
	}
	int rc = run_simple(db, "COMMIT", "commit");
	pg->savepoint = false;
	pg->tx_open = false;
	return rc;
}

void dbpg_rollback(struct db *db)
{
	struct dbpg_conn *pg = db->pg;
	(void)pipeline_flush(db); /* what failed in it is rolled back with the rest */
	pg->savepoint = false;
	pg->tx_open = false;
	pg->tx_lost = false;
	if (PQstatus(pg->conn) != CONNECTION_OK ||
	    PQtransactionStatus(pg->conn) == PQTRANS_IDLE)
		return;
	PGresult *r = PQexec(pg->conn, "ROLLBACK");
	PQclear(r);
}

bool dbpg_in_transaction(struct db *db)
{
	if (db->pg->tx_lost)
		return true; /* until the caller rolls back what it thinks is open */
	PGTransactionStatusType t = PQtransactionStatus(db->pg->conn);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

void dbpg_bulk_mode(struct db *db, bool on)
{
	if (!on)
		(void)pipeline_flush(db); /* the commit or rollback that follows reports it */
	db->pg->bulk = on;
}

int dbpg_exec_script(struct db *db, const char *sql, char *err, size_t errsz)
{
	int frc = pipeline_flush(db);
	if (frc) {
		dbi_set_err(err, errsz, "%s", db->pg->msg);
		return frc;
	}
	PGresult *r = PQexec(db->pg->conn, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		rc = result_error(db, r, "migration");
		const char *pos = r ? PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) : NULL;
		if (pos) {
			/* The line of the failing statement helps whoever wrote the file. */
			long chars = strtol(pos, NULL, 10); /* characters, not bytes */
			int line = 1;
			for (const char *k = sql; *k && chars > 1; k++) {
				if (((unsigned char)*k & 0xC0) != 0x80)
					chars--;
				if (*k == '\n')
					line++;
			}
			dbi_set_err(err, errsz, "line %d: %s", line, db->pg->msg);
		} else {
			dbi_set_err(err, errsz, "%s", db->pg->msg);
		}
		if (rc == 0)
			rc = ERR_DB;
	}
	PQclear(r);
	return rc;
}

/* --- advisory locks of periodic jobs (lease.c) ------------------------- */

/* The first key of the jobs' advisory locks: "jobs" in ASCII; the second is the job's. */
#define DBPG_JOBS_LOCK "1785684595"

int dbpg_try_lock(struct db *db, int32_t key, bool *got)
{
	*got = false;
	int rc = pipeline_flush(db);
	if (!rc)
		rc = ensure_connected(db);
	if (rc)
		return rc;
	char k[16];
	snprintf(k, sizeof(k), "%ld", (long)key);
	const char *const params[] = {k};
	PGresult *r = PQexecParams(db->pg->conn, "SELECT pg_try_advisory_lock(" DBPG_JOBS_LOCK ", $1::int4)", 1,
				   NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		*got = PQgetvalue(r, 0, 0)[0] == 't';
	else
		rc = result_error(db, r, "job lock");
	PQclear(r);
	return rc;
}

void dbpg_unlock(struct db *db, int32_t key)
{
	(void)pipeline_flush(db);
	if (PQstatus(db->pg->conn) != CONNECTION_OK)
		return; /* the lock went with the connection */
	char k[16];
	snprintf(k, sizeof(k), "%ld", (long)key);
	const char *const params[] = {k};
	PGresult *r = PQexecParams(db->pg->conn, "SELECT pg_advisory_unlock(" DBPG_JOBS_LOCK ", $1::int4)", 1,
				   NULL, params, NULL, NULL, 0);
	PQclear(r);
}

/* --- changes other servers should hear of (changes.c) ------------------- */

int dbpg_notify(struct db *db, const char *topic)
{
	int rc = pipeline_flush(db);
	if (!rc)
		rc = ensure_connected(db);
	if (rc)
		return rc;
	const char *const params[] = {topic};
	PGresult *r = PQexecParams(db->pg->conn, "SELECT pg_notify('tandem_changed', $1)", 1, NULL, params, NULL,
				   NULL, 0);
	rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : result_error(db, r, "notify");
	PQclear(r);
	return rc;
}

void dbpg_poll_changes(struct db *db)
{
	struct dbpg_conn *pg = db->pg;
	if (pipeline_flush(db) != 0 || PQstatus(pg->conn) != CONNECTION_OK) {
		dbi_changed(NULL); /* the next statement connects again; until then, assume the worst */
		return;
	}
	if (pg->listen_epoch != pg->epoch) {
		/* Inside a transaction LISTEN would only start at the commit: ask again later. */
		if (!dbpg_in_transaction(db) && run_simple(db, "LISTEN tandem_changed", "listen") == 0)
			pg->listen_epoch = pg->epoch;
		dbi_changed(NULL); /* whatever was announced before now was not heard */
		return;
	}
	if (!PQconsumeInput(pg->conn)) {
		dbi_changed(NULL);
		return;
	}
	PGnotify *n;
	while ((n = PQnotifies(pg->conn)) != NULL) {
		dbi_changed(n->extra);
		PQfreemem(n);
	}
}

int64_t dbpg_wal_position(struct db *db)
{
	struct dbpg_conn *pg = db->pg;
	if (pipeline_flush(db) != 0 || ensure_connected(db) != 0)
		return -1;
	PGresult *r = PQexec(pg->conn, "SELECT pg_current_wal_insert_lsn()::text");
	int64_t pos = -1;
	unsigned hi, lo;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    sscanf(PQgetvalue(r, 0, 0), "%X/%X", &hi, &lo) == 2)
		pos = (int64_t)(((uint64_t)hi << 32 | lo) & INT64_MAX);
	PQclear(r);
	return pos;
}
