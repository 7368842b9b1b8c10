// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * migrate.c — the migrations runner. The schema lives in numbered files
 * sql/NNN_name.sql (three or more digits, ordered by number, not by name).
 * The table schema_version records which have been applied; db_migrate
 * applies every newer file, each in its own BEGIN IMMEDIATE … COMMIT together
 * with its schema_version row, so a migration is either wholly applied and
 * recorded or not at all. On the first failure it rolls that migration back,
 * stops, and reports the file and SQLite's message.
 *
 * Foreign keys: PRAGMA foreign_keys cannot change inside a transaction, and a
 * migration that rebuilds a table (create new, copy, drop old, rename — the
 * way SQLite changes a column) must not have the DROP cascade into child
 * tables. So, as SQLite's documentation recommends, each migration runs with
 * foreign keys off, is checked with PRAGMA foreign_key_check before it
 * commits (any violation fails it), and foreign keys are turned on again.
 *
 * PostgreSQL: its migrations are the files of the same numbers in
 * sql/postgres/ (the dialects differ too much in DDL for one file to serve
 * both). Each runs in a transaction as here — PostgreSQL's DDL is
 * transactional, so a file that fails half-way leaves nothing behind — under
 * db_begin's database-wide lock, so two app servers starting at once apply
 * each migration once. Foreign keys need no special care there: PostgreSQL
 * changes a column in place.
 *
 * db_check_catalogue (the end of this file) prepares every statement of the
 * catalogue against the migrated schema, for `tandem migrate`.
 *
 * Safety checks beyond the obvious: two files with one number are an error;
 * a file numbered at or below the database's version that was never applied
 * (a migration merged "in the past") is an error rather than silently
 * skipped; a file must not end the runner's transaction itself.
 */
#include "db/db.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "core/util.h"
#include "db/db_internal.h"

/* The largest migration file we read (a guard against reading the wrong file). */
#define MIGRATION_MAX_BYTES (16u << 20)

DB_QUERY(q_create_version_table,
	 "CREATE TABLE IF NOT EXISTS schema_version ("
	 " version INTEGER PRIMARY KEY,"
	 " name TEXT NOT NULL,"
	 " applied_at TEXT NOT NULL)");
DB_QUERY_PG(q_has_version_table,
	    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
	    "SELECT count(*) FROM pg_catalog.pg_tables"
	    " WHERE schemaname = current_schema() AND tablename = 'schema_version'");
DB_QUERY(q_max_version, "SELECT coalesce(max(version), 0) FROM schema_version");
DB_QUERY(q_is_applied, "SELECT 1 FROM schema_version WHERE version = ?");
DB_QUERY(q_record, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
/* SQLite only, so not in the catalogue that db_check_catalogue prepares on both stores. */
static const struct db_query q_fk_off = {"q_fk_off", "PRAGMA foreign_keys = OFF", NULL};
static const struct db_query q_fk_on = {"q_fk_on", "PRAGMA foreign_keys = ON", NULL};
static const struct db_query q_fk_check = {"q_fk_check", "PRAGMA foreign_key_check", NULL};

/* One migration file found in the folder. */
struct migration {
	int number; /* NNN from the file name, at least 1 */
	char *file; /* the file name, e.g. "003_networks.sql"; owned */
	char *path; /* folder and file name, for reading and messages; owned */
};

/* A list of migrations, sorted by number once scanned. */
struct migration_list {
	struct migration *items; /* owned, with each item's strings */
	size_t len;              /* items in use */
	size_t cap;              /* items allocated */
};

static void migration_list_free(struct migration_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].file);
		free(l->items[i].path);
	}
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

/*
 * Whether name is a migration file name, NNN_name.sql with three or more
 * digits and a non-empty name. Returns 1 and the number, 0 if it is some
 * other file, or -1 if the number does not fit in an int.
 */
static int parse_file_name(const char *name, int *number)
{
	size_t digits = strspn(name, "0123456789");
	size_t len = strlen(name);

	if (digits < 3 || name[digits] != '_' || !str_ends_with(name, ".sql") ||
	    len < digits + 1 + 1 + 4)
		return 0;
	long long n = 0;
	for (size_t i = 0; i < digits; i++) {
		n = n * 10 + (name[i] - '0');
		if (n > INT_MAX)
			return -1;
	}
	*number = (int)n;
	return 1;
}

static int by_number(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

/* Join a folder and a file name with one slash. The caller frees. */
static char *join_path(const char *dir, const char *file)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(dir);
	buf_puts(&b, dir);
	if (n == 0 || dir[n - 1] != '/')
		buf_putc(&b, '/');
	buf_puts(&b, file);
	return buf_detach(&b, NULL);
}

/*
 * Find the migration files in dir, sorted by number. Returns 0, or ERR_IO
 * (folder unreadable) / ERR_INVALID (bad or duplicate numbers) with a
 * message in err.
 */
static int scan(const char *dir, struct migration_list *out, char *err, size_t errsz)
{
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		dbi_set_err(err, errsz, "cannot read migrations folder %s: %s", dir,
			    strerror(errno));
		return ERR_IO;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		int number = 0;
		int match = parse_file_name(e->d_name, &number);
		char *path = join_path(dir, e->d_name);

		if (match == 0) {
			if (e->d_name[0] != '.' && str_ends_with(e->d_name, ".sql"))
				log_warn("db: ignoring %s: migrations are named NNN_name.sql", path);
			free(path);
			continue;
		}
		if (match < 0 || number == 0) {
			dbi_set_err(err, errsz, "%s: migration numbers run from 001 to %d", path,
				    INT_MAX);
			free(path);
			rc = ERR_INVALID;
			goto out;
		}
		struct stat sb;
		if (stat(path, &sb) != 0) {
			dbi_set_err(err, errsz, "cannot read %s: %s", path, strerror(errno));
			free(path);
			rc = ERR_IO;
			goto out;
		}
		if (!S_ISREG(sb.st_mode)) {
			log_warn("db: ignoring %s: not a regular file", path);
			free(path);
			continue;
		}
		if (out->len == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 16;
			out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
		}
		out->items[out->len++] =
			(struct migration){number, xstrdup(e->d_name), path};
	}

	if (out->len > 1)
		qsort(out->items, out->len, sizeof(*out->items), by_number);
	for (size_t i = 1; i < out->len; i++) {
		if (out->items[i].number == out->items[i - 1].number) {
			dbi_set_err(err, errsz, "%s and %s have the same number %d",
				    out->items[i - 1].path, out->items[i].path,
				    out->items[i].number);
			rc = ERR_INVALID;
			goto out;
		}
	}
out:
	closedir(d);
	return rc;
}

int db_schema_version(struct db *db, int *version)
{
	struct db_stmt *st;
	int rc;

	*version = 0;
	st = db_stmt(db, &q_has_version_table);
	rc = db_step(st);
	if (rc < 0)
		return rc;
	bool exists = rc == DB_ROW && db_col_int(st, 0) > 0;
	db_reset(st);
	if (!exists)
		return 0;

	st = db_stmt(db, &q_max_version);
	rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_ROW)
		*version = (int)db_col_int(st, 0);
	db_reset(st);
	return 0;
}

/* Whether migration number is recorded in schema_version: 1, 0, or a negative error. */
static int is_applied(struct db *db, int number)
{
	struct db_stmt *st = db_stmt(db, &q_is_applied);
	int rc = db_bind_int(st, 1, number);
	if (rc == 0)
		rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW;
}

/*
 * Inside the open transaction: fail if the migration left rows that break a
 * foreign key. Returns 0, or an error with a message in err.
 */
static int check_foreign_keys(struct db *db, const struct migration *m, char *err, size_t errsz)
{
	if (db_is_postgres(db))
		return 0; /* PostgreSQL checks every foreign key as rows change */
	struct db_stmt *st = db_stmt(db, &q_fk_check);
	int rc = db_step(st);

	if (rc == DB_ROW) {
		const char *table = db_col_text(st, 0);
		dbi_set_err(err, errsz, "%s: leaves rows in %s that break a foreign key", m->path,
			    table ? table : "?");
		rc = ERR_CONFLICT;
	} else if (rc < 0) {
		dbi_set_err(err, errsz, "%s: %s", m->path, db_errmsg(db));
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Record m in schema_version (inside the open transaction). */
static int record(struct db *db, const struct migration *m)
{
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));

	struct db_stmt *st = db_stmt(db, &q_record);
	int rc = db_bind_int(st, 1, m->number);
	if (rc == 0)
		rc = db_bind_text(st, 2, m->file);
	if (rc == 0)
		rc = db_bind_text(st, 3, now);
	if (rc == 0)
		rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/*
 * Apply one migration in its own transaction. *ran tells whether it was
 * applied (false when another process applied it meanwhile). Returns 0 or an
 * error with a message naming the file in err; on error nothing of it stays.
 */
static int apply(struct db *db, const struct migration *m, bool *ran, char *err, size_t errsz)
{
	char *sql = NULL;
	char *msg = NULL;
	int rc;

	*ran = false;
	rc = file_read_all(m->path, MIGRATION_MAX_BYTES, &sql, NULL);
	if (rc) {
		dbi_set_err(err, errsz, "cannot read %s: %s", m->path,
			    rc == ERR_TOOBIG ? "file too large" : strerror(errno));
		return rc;
	}

	/* Must happen outside a transaction, where it is a no-op. See the top of the file. */
	rc = db_is_postgres(db) ? 0 : db_exec(db, &q_fk_off);
	if (rc == 0)
		rc = db_begin(db);
	if (rc) {
		dbi_set_err(err, errsz, "%s: cannot start: %s", m->path, db_errmsg(db));
		goto out;
	}
	/* Another process may have applied it since we looked. */
	rc = is_applied(db, m->number);
	if (rc != 0) {
		if (rc < 0)
			dbi_set_err(err, errsz, "%s: %s", m->path, db_errmsg(db));
		else
			rc = 0;
		goto out;
	}

	/*
	 * The one place Tandem runs SQL that is not a prepared statement from
	 * the catalogue: a migration is a fixed file shipped with the program,
	 * never user input, and holds many statements, which only
	 * sqlite3_exec runs.
	 */
	if (db_is_postgres(db)) {
		char perr[768];
		rc = dbpg_exec_script(db, sql, perr, sizeof(perr));
		if (rc) {
			dbi_set_err(err, errsz, "%s: %s", m->path, perr);
			goto out;
		}
	} else if ((rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg)) != SQLITE_OK) {
		dbi_set_err(err, errsz, "%s: %s", m->path, msg ? msg : sqlite3_errstr(rc));
		rc = ERR_DB;
		goto out;
	}
	if (!db_in_transaction(db)) {
		dbi_set_err(err, errsz, "%s: ends the transaction itself (no BEGIN/COMMIT in migrations)",
			    m->path);
		rc = ERR_INVALID;
		goto out;
	}
	rc = check_foreign_keys(db, m, err, errsz);
	if (rc)
		goto out;
	rc = record(db, m);
	if (rc == 0)
		rc = db_commit(db);
	if (rc) {
		dbi_set_err(err, errsz, "%s: cannot record it: %s", m->path, db_errmsg(db));
		goto out;
	}
	*ran = true;
out:
	db_rollback(db); /* a no-op after the commit */
	if (!db_is_postgres(db) && db_exec(db, &q_fk_on) != 0 && rc == 0) {
		dbi_set_err(err, errsz, "cannot turn foreign keys back on: %s", db_errmsg(db));
		rc = ERR_DB;
	}
	sqlite3_free(msg);
	free(sql);
	return rc;
}

/*
 * PostgreSQL: every migration in sql_dir must have its PostgreSQL version of
 * the same number in pg_dir (and no more), or a schema would silently lack
 * it. Returns 0, or ERR_INVALID (or a scan error) with a message in err.
 */
static int check_pairs(const char *sql_dir, const char *pg_dir, char *err, size_t errsz)
{
	struct migration_list a = {NULL, 0, 0}, b = {NULL, 0, 0};
	int rc = scan(sql_dir, &a, err, errsz);
	if (rc == 0)
		rc = scan(pg_dir, &b, err, errsz);
	for (size_t i = 0, j = 0; rc == 0 && (i < a.len || j < b.len);) {
		if (j == b.len || (i < a.len && a.items[i].number < b.items[j].number)) {
			dbi_set_err(err, errsz,
				    "%s has no PostgreSQL version: write %s/%s (sql/postgres/README.md says how)",
				    a.items[i].path, pg_dir, a.items[i].file);
			rc = ERR_INVALID;
		} else if (i == a.len || b.items[j].number < a.items[i].number) {
			dbi_set_err(err, errsz, "%s has no SQLite migration of the same number in %s",
				    b.items[j].path, sql_dir);
			rc = ERR_INVALID;
		} else {
			i++, j++;
		}
	}
	migration_list_free(&a);
	migration_list_free(&b);
	return rc;
}

int db_migrate(struct db *db, const char *sql_dir, int *applied, char *err, size_t errsz)
{
	struct migration_list list = {NULL, 0, 0};
	char *pg_dir = NULL;
	int current = 0;
	int rc;

	if (applied)
		*applied = 0;
	if (!db || !sql_dir) {
		dbi_set_err(err, errsz, "db_migrate: no database or folder");
		return ERR_INVALID;
	}
	if (db_in_transaction(db)) {
		dbi_set_err(err, errsz, "db_migrate: called inside a transaction");
		return ERR_INVALID;
	}
	pg_dir = db_is_postgres(db) ? join_path(sql_dir, "postgres") : NULL;
	if (pg_dir) {
		rc = check_pairs(sql_dir, pg_dir, err, errsz);
		if (rc)
			goto out;
		sql_dir = pg_dir;
	}
	rc = scan(sql_dir, &list, err, errsz);
	if (rc)
		goto out;
	rc = db_exec(db, &q_create_version_table);
	if (rc == 0)
		rc = db_schema_version(db, &current);
	if (rc) {
		dbi_set_err(err, errsz, "cannot read schema_version: %s", db_errmsg(db));
		goto out;
	}

	for (size_t i = 0; i < list.len; i++) {
		const struct migration *m = &list.items[i];
		if (m->number <= current) {
			rc = is_applied(db, m->number);
			if (rc < 0) {
				dbi_set_err(err, errsz, "%s: %s", m->path, db_errmsg(db));
				goto out;
			}
			if (rc == 0) {
				dbi_set_err(err, errsz,
					    "%s was never applied but the database is already at version %d: renumber it",
					    m->path, current);
				rc = ERR_INVALID;
				goto out;
			}
			rc = 0;
			continue;
		}
		bool ran = false;
		rc = apply(db, m, &ran, err, errsz);
		if (rc)
			goto out;
		if (ran) {
			log_info("db: applied %s", m->path);
			if (applied)
				(*applied)++;
		}
	}
	if (list.len > 0 && current > list.items[list.len - 1].number)
		log_warn("db: the database is at version %d, newer than the newest file in %s",
			 current, sql_dir);
out:
	migration_list_free(&list);
	free(pg_dir);
	return rc;
}

/*
 * The catalogue: every DB_QUERY's address, gathered by the linker into the
 * section tandem_db_catalogue (db.h), which the linker brackets with these
 * two symbols. Weak, so a program without a single DB_QUERY still links.
 */
extern const struct db_query *const __start_tandem_db_catalogue[] __attribute__((weak));
extern const struct db_query *const __stop_tandem_db_catalogue[] __attribute__((weak));

int db_check_catalogue(struct db *db, char *err, size_t errsz)
{
	int bad = 0;
	const struct db_query *const *q = __start_tandem_db_catalogue;

	dbi_set_err(err, errsz, "every statement prepares");
	for (; q && q < __stop_tandem_db_catalogue; q++) {
		if (db_stmt(db, *q))
			continue;
		if (bad++ == 0)
			dbi_set_err(err, errsz, "statement %s does not prepare: %s", (*q)->name,
				    db_errmsg(db));
	}
	return bad;
}
