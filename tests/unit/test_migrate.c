// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_migrate.c — unit tests of the migrations runner through db.h only.
 * Each test writes its own NNN_name.sql files into a temporary folder under
 * /tmp, migrates a fresh database beside them, and removes it all afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db.h"

/* What every test gets. */
struct fixture {
	char dir[64];   /* the temporary folder */
	char sql[96];   /* dir/sql, where the migration files go */
	char path[96];  /* dir/var/test.db */
	struct db *db;  /* open on path */
	char err[512];  /* db_migrate's message */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (!scratch_dir(f->dir, sizeof(f->dir), "migrate"))
		return -1;
	snprintf(f->sql, sizeof(f->sql), "%s/sql", f->dir);
	snprintf(f->path, sizeof(f->path), "%s/var/test.db", f->dir);
	if (mkdir(f->sql, 0700) != 0)
		return -1;
	if (db_open(&f->db, f->path, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	scratch_remove(f->dir);
	free(f);
	return 0;
}

/* Write a file into the fixture's sql folder. */
static void write_sql(struct fixture *f, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", f->sql, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Run db_migrate; return its result, *applied in *n. */
static int migrate(struct fixture *f, int *n)
{
	f->err[0] = '\0';
	return db_migrate(f->db, f->sql, n, f->err, sizeof(f->err));
}

static int version(struct fixture *f)
{
	int v = -1;
	assert_int_equal(db_schema_version(f->db, &v), 0);
	return v;
}

DB_QUERY(q_table_exists,
	 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");

static bool table_exists(struct fixture *f, const char *name)
{
	struct db_stmt *st = db_stmt(f->db, &q_table_exists);
	assert_int_equal(db_bind_text(st, 1, name), 0);
	assert_int_equal(db_step(st), DB_ROW);
	bool yes = db_col_int(st, 0) > 0;
	db_reset(st);
	return yes;
}

DB_QUERY(q_versions, "SELECT version, name, applied_at FROM schema_version ORDER BY version");

/* The three files most tests start from. */
static void write_first_three(struct fixture *f)
{
	write_sql(f, "001_schools.sql",
		  "CREATE TABLE school (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
		  "-- a comment\n");
	write_sql(f, "002_networks.sql",
		  "CREATE TABLE network (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
		  "CREATE TABLE member (network_id INTEGER NOT NULL REFERENCES network (id),\n"
		  "                     school_id INTEGER NOT NULL REFERENCES school (id));\n");
	write_sql(f, "003_seed.sql", "INSERT INTO network (name) VALUES ('North');\n");
}

static void a_new_database_has_version_zero(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(version(f), 0);
}

static void a_new_database_gets_every_migration_applied_and_recorded(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_first_three(f);
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(version(f), 3);
	assert_true(table_exists(f, "school"));
	assert_true(table_exists(f, "member"));

	json_t *rows = db_rows_json(db_stmt(f->db, &q_versions));
	assert_non_null(rows);
	assert_int_equal(json_array_size(rows), 3);
	json_t *third = json_array_get(rows, 2);
	assert_int_equal(json_integer_value(json_object_get(third, "version")), 3);
	assert_string_equal(json_string_value(json_object_get(third, "name")), "003_seed.sql");
	const char *at = json_string_value(json_object_get(third, "applied_at"));
	assert_non_null(at);
	assert_int_equal(strlen(at), 20); /* YYYY-MM-DDTHH:MM:SSZ */
	json_decref(rows);
}

static void running_again_applies_none(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_first_three(f);
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(version(f), 3);
}

static void applied_may_be_null(void **state)
{
	struct fixture *f = *state;
	write_first_three(f);
	assert_int_equal(migrate(f, NULL), 0);
	assert_int_equal(version(f), 3);
}

static void a_newer_file_added_later_is_applied_alone(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_first_three(f);
	assert_int_equal(migrate(f, &n), 0);
	write_sql(f, "004_courses.sql", "CREATE TABLE course (id INTEGER PRIMARY KEY);\n");
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(version(f), 4);
	assert_true(table_exists(f, "course"));
}

static void a_failing_migration_is_rolled_back_and_names_the_file(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_first_three(f);
	write_sql(f, "004_half.sql",
		  "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n"
		  "FOO BAR;\n");
	write_sql(f, "005_never.sql", "CREATE TABLE never (id INTEGER PRIMARY KEY);\n");
	assert_int_equal(migrate(f, &n), ERR_DB);
	assert_int_equal(n, 3);
	assert_int_equal(version(f), 3);
	assert_false(table_exists(f, "half_done"));
	assert_false(table_exists(f, "never"));
	assert_false(db_in_transaction(f->db));

	char expect[256];
	snprintf(expect, sizeof(expect), "%s/004_half.sql: near \"FOO\": syntax error", f->sql);
	assert_string_equal(f->err, expect);
}

static void a_fixed_migration_then_applies(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_sql(f, "001_bad.sql", "CREATE TABLE x (id INTEGER PRIMARY KEY);\nNOPE;\n");
	assert_int_equal(migrate(f, &n), ERR_DB);
	write_sql(f, "001_bad.sql", "CREATE TABLE x (id INTEGER PRIMARY KEY);\n");
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 1);
	assert_true(table_exists(f, "x"));
}

static void duplicate_numbers_are_an_error(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_sql(f, "001_a.sql", "CREATE TABLE a (id INTEGER);\n");
	write_sql(f, "002_b.sql", "CREATE TABLE b (id INTEGER);\n");
	write_sql(f, "0002_c.sql", "CREATE TABLE c (id INTEGER);\n");
	assert_int_equal(migrate(f, &n), ERR_INVALID);
	assert_int_equal(n, 0);
	assert_non_null(strstr(f->err, "the same number 2"));
	assert_false(table_exists(f, "a"));
}

static void files_not_named_nnn_name_sql_are_ignored(void **state)
{
	struct fixture *f = *state;
	char sub[160];
	int n = -1;

	write_sql(f, "001_real.sql", "CREATE TABLE real_one (id INTEGER);\n");
	write_sql(f, "README.md", "not SQL at all\n");
	write_sql(f, "02_short.sql", "CREATE TABLE short_number (id INTEGER);\n");
	write_sql(f, "003_backup.sql.bak", "CREATE TABLE backup (id INTEGER);\n");
	write_sql(f, "004nounderscore.sql", "CREATE TABLE nounderscore (id INTEGER);\n");
	write_sql(f, "005_.sql", "CREATE TABLE noname (id INTEGER);\n");
	write_sql(f, ".006_hidden.sql", "CREATE TABLE hidden (id INTEGER);\n");
	snprintf(sub, sizeof(sub), "%s/007_folder.sql", f->sql);
	assert_int_equal(mkdir(sub, 0700), 0);

	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(version(f), 1);
	assert_true(table_exists(f, "real_one"));
	assert_false(table_exists(f, "short_number"));
	assert_false(table_exists(f, "backup"));
	assert_false(table_exists(f, "nounderscore"));
	assert_false(table_exists(f, "noname"));
	assert_false(table_exists(f, "hidden"));
}

static void files_are_ordered_by_number_not_by_name(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	/* By name "1000_" sorts before "999_"; it needs 999's table. */
	write_sql(f, "999_first.sql", "CREATE TABLE first (id INTEGER PRIMARY KEY);\n");
	write_sql(f, "1000_second.sql", "INSERT INTO first (id) VALUES (1);\n");
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(version(f), 1000);
}

static void a_missing_folder_is_a_clear_error(void **state)
{
	struct fixture *f = *state;
	char missing[160], expect[256];
	int n = -1;

	snprintf(missing, sizeof(missing), "%s/nowhere", f->dir);
	assert_int_equal(db_migrate(f->db, missing, &n, f->err, sizeof(f->err)), ERR_IO);
	assert_int_equal(n, 0);
	snprintf(expect, sizeof(expect),
		 "cannot read migrations folder %s: No such file or directory", missing);
	assert_string_equal(f->err, expect);
}

static void an_empty_folder_applies_nothing(void **state)
{
	struct fixture *f = *state;
	int n = -1;
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(version(f), 0);
}

static void an_older_file_never_applied_is_an_error(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_sql(f, "001_a.sql", "CREATE TABLE a (id INTEGER);\n");
	write_sql(f, "003_c.sql", "CREATE TABLE c (id INTEGER);\n");
	assert_int_equal(migrate(f, &n), 0);
	write_sql(f, "002_b.sql", "CREATE TABLE b (id INTEGER);\n");
	assert_int_equal(migrate(f, &n), ERR_INVALID);
	assert_non_null(strstr(f->err, "002_b.sql was never applied"));
	assert_false(table_exists(f, "b"));
}

static void number_zero_is_an_error(void **state)
{
	struct fixture *f = *state;
	int n = -1;
	write_sql(f, "000_zero.sql", "CREATE TABLE zero (id INTEGER);\n");
	assert_int_equal(migrate(f, &n), ERR_INVALID);
	assert_non_null(strstr(f->err, "000_zero.sql"));
}

DB_QUERY(q_children, "SELECT count(*) FROM child");

static void a_migration_may_rebuild_a_parent_table_without_cascading(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_sql(f, "001_tables.sql",
		  "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
		  "CREATE TABLE child (id INTEGER PRIMARY KEY,\n"
		  "  parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);\n"
		  "INSERT INTO parent (id, name) VALUES (1, 'p');\n"
		  "INSERT INTO child (parent_id) VALUES (1);\n");
	write_sql(f, "002_rebuild.sql",
		  "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
		  "INSERT INTO parent_new (id, name) SELECT id, coalesce(name, '') FROM parent;\n"
		  "DROP TABLE parent;\n"
		  "ALTER TABLE parent_new RENAME TO parent;\n");
	assert_int_equal(migrate(f, &n), 0);
	assert_int_equal(n, 2);
	struct db_stmt *st = db_stmt(f->db, &q_children);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);
}

DB_QUERY(q_foreign_keys, "PRAGMA foreign_keys");

static void foreign_keys_are_on_after_migrating(void **state)
{
	struct fixture *f = *state;
	write_first_three(f);
	assert_int_equal(migrate(f, NULL), 0);
	struct db_stmt *st = db_stmt(f->db, &q_foreign_keys);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);
}

static void a_migration_leaving_broken_foreign_keys_is_rolled_back(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_first_three(f);
	write_sql(f, "004_orphan.sql",
		  "CREATE TABLE orphan_marker (id INTEGER);\n"
		  "INSERT INTO member (network_id, school_id) VALUES (1, 999);\n");
	assert_int_equal(migrate(f, &n), ERR_CONFLICT);
	assert_int_equal(n, 3);
	assert_int_equal(version(f), 3);
	assert_false(table_exists(f, "orphan_marker"));
	assert_non_null(strstr(f->err, "004_orphan.sql: leaves rows in member"));
}

static void a_migration_that_commits_by_itself_is_refused(void **state)
{
	struct fixture *f = *state;
	int n = -1;

	write_sql(f, "001_commit.sql", "CREATE TABLE early (id INTEGER);\nCOMMIT;\n");
	assert_int_equal(migrate(f, &n), ERR_INVALID);
	assert_int_equal(n, 0);
	assert_int_equal(version(f), 0);
	assert_non_null(strstr(f->err, "001_commit.sql: ends the transaction"));
}

static void migrate_inside_a_transaction_is_refused(void **state)
{
	struct fixture *f = *state;
	write_first_three(f);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(migrate(f, NULL), ERR_INVALID);
	db_rollback(f->db);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_new_database_has_version_zero),
		T(a_new_database_gets_every_migration_applied_and_recorded),
		T(running_again_applies_none),
		T(applied_may_be_null),
		T(a_newer_file_added_later_is_applied_alone),
		T(a_failing_migration_is_rolled_back_and_names_the_file),
		T(a_fixed_migration_then_applies),
		T(duplicate_numbers_are_an_error),
		T(files_not_named_nnn_name_sql_are_ignored),
		T(files_are_ordered_by_number_not_by_name),
		T(a_missing_folder_is_a_clear_error),
		T(an_empty_folder_applies_nothing),
		T(an_older_file_never_applied_is_an_error),
		T(number_zero_is_an_error),
		T(a_migration_may_rebuild_a_parent_table_without_cascading),
		T(foreign_keys_are_on_after_migrating),
		T(a_migration_leaving_broken_foreign_keys_is_rolled_back),
		T(a_migration_that_commits_by_itself_is_refused),
		T(migrate_inside_a_transaction_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
