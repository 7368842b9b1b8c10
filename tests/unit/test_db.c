// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_db.c — unit tests of the store through db.h only (as feature code
 * sees it): opening, PRAGMAs, binding and reading every type, error mapping,
 * the statement cache, JSON rows, transactions and the per-thread pool. Each
 * test works in its own temporary folder under /tmp, removed afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scratch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"

/* --- fixture: a fresh database in a temporary folder --------------------- */

/* What every test gets. */
struct fixture {
	char dir[64];   /* the temporary folder */
	char path[128]; /* dir/sub/test.db */
	struct db *db;  /* open on path */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (!scratch_dir(f->dir, sizeof(f->dir), "db"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/sub/test.db", f->dir);
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

DB_QUERY(q_create_t, "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB)");
DB_QUERY(q_insert_t, "INSERT INTO t (i, r, s, b) VALUES (?, ?, ?, ?)");
DB_QUERY(q_select_t, "SELECT id, i, r, s, b FROM t ORDER BY id");
DB_QUERY(q_count_t, "SELECT count(*) AS n FROM t");

/* Create table t in the fixture's database. */
static void create_t(struct fixture *f)
{
	assert_int_equal(db_exec(f->db, &q_create_t), 0);
}

/* Insert one row with an integer and a text (the other columns NULL). */
static void insert_t(struct fixture *f, int64_t i, const char *s)
{
	struct db_stmt *st = db_stmt(f->db, &q_insert_t);
	assert_non_null(st);
	assert_int_equal(db_bind_int(st, 1, i), 0);
	assert_int_equal(db_bind_text(st, 3, s), 0);
	assert_int_equal(db_step(st), DB_DONE);
}

static int64_t count_t(struct fixture *f)
{
	struct db_stmt *st = db_stmt(f->db, &q_count_t);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/* --- opening ------------------------------------------------------------ */

static void open_creates_the_file_and_its_folder(void **state)
{
	struct fixture *f = *state;
	struct stat sb;
	assert_int_equal(stat(f->path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
}

static void open_creates_several_missing_folders(void **state)
{
	struct fixture *f = *state;
	char path[256], err[256];
	struct db *db = NULL;
	struct stat sb;

	snprintf(path, sizeof(path), "%s/a/b/c/x.db", f->dir);
	assert_int_equal(db_open(&db, path, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &sb), 0);
	db_close(db);
}

static void open_of_a_folder_fails_with_a_clear_message(void **state)
{
	struct fixture *f = *state;
	char err[256] = "", expect[256];
	struct db *db = (struct db *)1;

	assert_int_equal(db_open(&db, f->dir, err, sizeof(err)), ERR_DB);
	assert_null(db);
	snprintf(expect, sizeof(expect), "cannot open database %s: unable to open database file",
		 f->dir);
	assert_string_equal(err, expect);
}

static void open_below_a_file_fails_with_a_clear_message(void **state)
{
	struct fixture *f = *state;
	char path[256], err[256] = "";
	struct db *db = NULL;

	/* f->path is a file, so f->path/x.db cannot exist. */
	snprintf(path, sizeof(path), "%s/x.db", f->path);
	assert_int_equal(db_open(&db, path, err, sizeof(err)), ERR_DB);
	assert_null(db);
	assert_non_null(strstr(err, "cannot open database"));
	assert_non_null(strstr(err, path));
}

static void open_of_a_file_that_is_not_a_database_fails(void **state)
{
	struct fixture *f = *state;
	char path[256], err[256] = "";
	struct db *db = NULL;

	snprintf(path, sizeof(path), "%s/junk.db", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 64; i++)
		fputs("this is not an SQLite database, just text. ", fp);
	fclose(fp);
	assert_int_equal(db_open(&db, path, err, sizeof(err)), ERR_DB);
	assert_null(db);
	assert_non_null(strstr(err, "file is not a database"));
}

DB_QUERY(q_journal_mode, "PRAGMA journal_mode");
DB_QUERY(q_foreign_keys, "PRAGMA foreign_keys");
DB_QUERY(q_synchronous, "PRAGMA synchronous");
DB_QUERY(q_busy_timeout, "PRAGMA busy_timeout");

static void journal_mode_is_wal(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_journal_mode);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "wal");
}

static void foreign_keys_are_on(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_foreign_keys);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
}

static void synchronous_is_normal_and_busy_timeout_is_five_seconds(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_synchronous);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1); /* NORMAL */
	st = db_stmt(f->db, &q_busy_timeout);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 5000);
}

DB_QUERY(q_double_quoted, "SELECT \"not a string\"");

static void double_quotes_are_identifiers_not_strings(void **state)
{
	struct fixture *f = *state;
	assert_null(db_stmt(f->db, &q_double_quoted));
}

/* --- binding and reading ------------------------------------------------ */

DB_QUERY(q_echo, "SELECT ? AS v, typeof(?1) AS type");

static void integers_round_trip_including_the_extremes(void **state)
{
	struct fixture *f = *state;
	const int64_t values[] = {0, 1, -1, INT64_MAX, INT64_MIN};
	for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
		struct db_stmt *st = db_stmt(f->db, &q_echo);
		assert_int_equal(db_bind_int(st, 1, values[k]), 0);
		assert_int_equal(db_step(st), DB_ROW);
		assert_true(db_col_int(st, 0) == values[k]);
		assert_string_equal(db_col_text(st, 1), "integer");
	}
}

static void doubles_round_trip(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_double(st, 1, -1234.5625), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_double(st, 0) == -1234.5625);
	assert_string_equal(db_col_text(st, 1), "real");
}

static void text_round_trips_as_utf8(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_text(st, 1, "Ysgol Gymraeg — café ✓"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "Ysgol Gymraeg — café ✓");
	assert_string_equal(db_col_text(st, 1), "text");
}

static void textn_binds_only_the_first_n_bytes(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_textn(st, 1, "abcdef", 3), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "abc");
}

static void bound_text_is_copied(void **state)
{
	struct fixture *f = *state;
	char s[] = "original";
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_text(st, 1, s), 0);
	memcpy(s, "changed!", 8);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "original");
}

static void blobs_round_trip_including_zero_bytes(void **state)
{
	struct fixture *f = *state;
	const unsigned char data[] = {0, 1, 2, 0, 255};
	size_t len = 99;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_blob(st, 1, data, sizeof(data)), 0);
	assert_int_equal(db_step(st), DB_ROW);
	const void *p = db_col_blob(st, 0, &len);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(p, data, sizeof(data));
	assert_string_equal(db_col_text(st, 1), "blob");
}

static void an_empty_blob_is_not_null(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_blob(st, 1, "", 0), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 1), "blob");
}

static void null_binds_and_reads_as_null(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_null(st, 1), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_is_null(st, 0));
	assert_null(db_col_text(st, 0));
	assert_int_equal(db_col_int(st, 0), 0);
	assert_string_equal(db_col_text(st, 1), "null");
}

static void null_text_pointer_binds_sql_null(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_text(st, 1, NULL), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_is_null(st, 0));
	assert_string_equal(db_col_text(st, 1), "null");
}

static void columns_have_their_names_and_count(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_int(st, 1, 1), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_count(st), 2);
	assert_string_equal(db_col_name(st, 0), "v");
	assert_string_equal(db_col_name(st, 1), "type");
}

static void rows_come_back_in_order_then_done(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	insert_t(f, 10, "a");
	insert_t(f, 20, "b");
	struct db_stmt *st = db_stmt(f->db, &q_select_t);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 1), 10);
	assert_string_equal(db_col_text(st, 3), "a");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 1), 20);
	assert_int_equal(db_step(st), DB_DONE);
}

static void last_id_and_changes_report_the_last_write(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	insert_t(f, 1, "a");
	insert_t(f, 2, "b");
	assert_int_equal(db_last_id(f->db), 2);
	assert_int_equal(db_changes(f->db), 1);
}

static void an_sql_looking_string_is_stored_as_text(void **state)
{
	struct fixture *f = *state;
	const char *evil = "'); DROP TABLE t; --";
	create_t(f);
	insert_t(f, 1, evil);
	struct db_stmt *st = db_stmt(f->db, &q_select_t);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 3), evil);
	db_reset(st);
	assert_int_equal(count_t(f), 1);
}

/* --- errors ------------------------------------------------------------- */

DB_QUERY(q_create_u, "CREATE TABLE u (email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0))");
DB_QUERY(q_insert_u, "INSERT INTO u (email, age) VALUES (?, ?)");

/* Insert into u and return db_step's result. */
static int insert_u(struct fixture *f, const char *email, int64_t age)
{
	struct db_stmt *st = db_stmt(f->db, &q_insert_u);
	assert_int_equal(db_bind_text(st, 1, email), 0);
	assert_int_equal(db_bind_int(st, 2, age), 0);
	return db_step(st);
}

static void a_unique_violation_gives_conflict(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, &q_create_u), 0);
	assert_int_equal(insert_u(f, "a@example.org", 1), DB_DONE);
	assert_int_equal(insert_u(f, "a@example.org", 2), ERR_CONFLICT);
}

static void a_check_violation_gives_conflict(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, &q_create_u), 0);
	assert_int_equal(insert_u(f, "a@example.org", -1), ERR_CONFLICT);
}

static void a_not_null_violation_gives_conflict(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, &q_create_u), 0);
	assert_int_equal(insert_u(f, NULL, 1), ERR_CONFLICT);
}

DB_QUERY(q_create_parent, "CREATE TABLE parent (id INTEGER PRIMARY KEY)");
DB_QUERY(q_create_child,
	 "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))");
DB_QUERY(q_insert_child, "INSERT INTO child (parent_id) VALUES (?)");

static void a_foreign_key_violation_gives_conflict(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, &q_create_parent), 0);
	assert_int_equal(db_exec(f->db, &q_create_child), 0);
	struct db_stmt *st = db_stmt(f->db, &q_insert_child);
	assert_int_equal(db_bind_int(st, 1, 42), 0);
	assert_int_equal(db_step(st), ERR_CONFLICT);
}

DB_QUERY(q_bad_sql, "SELEKT * FROM nowhere");
DB_QUERY(q_no_table, "SELECT * FROM no_such_table");

static void bad_sql_gives_a_null_statement_that_every_call_survives(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_bad_sql);
	assert_null(st);
	assert_int_equal(db_bind_int(st, 1, 1), ERR_DB);
	assert_int_equal(db_bind_double(st, 1, 1.0), ERR_DB);
	assert_int_equal(db_bind_text(st, 1, "x"), ERR_DB);
	assert_int_equal(db_bind_textn(st, 1, "x", 1), ERR_DB);
	assert_int_equal(db_bind_blob(st, 1, "x", 1), ERR_DB);
	assert_int_equal(db_bind_null(st, 1), ERR_DB);
	assert_int_equal(db_step(st), ERR_DB);
	db_reset(st);
	assert_int_equal(db_col_count(st), 0);
	assert_null(db_col_name(st, 0));
	assert_true(db_col_is_null(st, 0));
	assert_int_equal(db_col_int(st, 0), 0);
	assert_true(db_col_double(st, 0) == 0.0);
	assert_null(db_col_text(st, 0));
	size_t len = 7;
	assert_null(db_col_blob(st, 0, &len));
	assert_int_equal(len, 0);
	assert_null(db_row_json(st));
	assert_null(db_rows_json(st));
	assert_int_equal(db_exec(f->db, &q_bad_sql), ERR_DB);
	assert_non_null(strstr(db_errmsg(f->db), "syntax error"));
}

static void a_missing_table_gives_a_null_statement(void **state)
{
	struct fixture *f = *state;
	assert_null(db_stmt(f->db, &q_no_table));
	assert_non_null(strstr(db_errmsg(f->db), "no such table"));
}

DB_QUERY(q_two_statements, "SELECT 1; SELECT 2");
DB_QUERY(q_trailing_comment, "SELECT 1; -- just a comment\n");

static void a_query_with_two_statements_is_refused(void **state)
{
	struct fixture *f = *state;
	assert_null(db_stmt(f->db, &q_two_statements));
}

static void a_trailing_semicolon_and_comment_are_accepted(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_trailing_comment);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
}

static void binding_a_parameter_out_of_range_fails(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_int(st, 3, 1), ERR_DB);
	assert_int_equal(db_bind_int(st, 0, 1), ERR_DB);
}

DB_QUERY(q_begin_deferred, "BEGIN");
DB_QUERY(q_select_all_t, "SELECT i FROM t");

static void a_write_blocked_by_another_connection_gives_busy(void **state)
{
	struct fixture *f = *state;
	struct db *other = NULL;
	char err[256];

	create_t(f);
	assert_int_equal(db_open(&other, f->path, err, sizeof(err)), 0);
	/* f->db reads inside a deferred transaction, then other takes the write lock. */
	assert_int_equal(db_exec(f->db, &q_begin_deferred), 0);
	struct db_stmt *st = db_stmt(f->db, &q_select_all_t);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_begin(other), 0);
	/* Upgrading a read transaction cannot wait (it could deadlock): busy at once. */
	st = db_stmt(f->db, &q_insert_t);
	assert_int_equal(db_bind_int(st, 1, 1), 0);
	assert_int_equal(db_step(st), ERR_BUSY);
	db_rollback(f->db);
	db_rollback(other);
	db_close(other);
}

/* --- the statement cache ------------------------------------------------ */

static void the_cache_returns_the_same_statement_reset_with_bindings_cleared(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	insert_t(f, 1, "one");
	insert_t(f, 2, "two");

	struct db_stmt *first = db_stmt(f->db, &q_select_t);
	assert_int_equal(db_step(first), DB_ROW);
	assert_int_equal(db_step(first), DB_ROW);
	assert_int_equal(db_col_int(first, 1), 2);

	struct db_stmt *again = db_stmt(f->db, &q_select_t);
	assert_ptr_equal(first, again);
	assert_int_equal(db_step(again), DB_ROW);
	assert_int_equal(db_col_int(again, 1), 1);

	struct db_stmt *echo = db_stmt(f->db, &q_echo);
	assert_int_equal(db_bind_text(echo, 1, "bound"), 0);
	echo = db_stmt(f->db, &q_echo);
	assert_int_equal(db_step(echo), DB_ROW);
	assert_true(db_col_is_null(echo, 0));
}

/* Many catalogue entries, to make the cache grow. */
#define Q(n) DB_QUERY(q_many_##n, "SELECT " #n);
Q(0) Q(1) Q(2) Q(3) Q(4) Q(5) Q(6) Q(7) Q(8) Q(9) Q(10) Q(11) Q(12) Q(13) Q(14) Q(15)
Q(16) Q(17) Q(18) Q(19) Q(20) Q(21) Q(22) Q(23) Q(24) Q(25) Q(26) Q(27) Q(28) Q(29)
Q(30) Q(31) Q(32) Q(33) Q(34) Q(35) Q(36) Q(37) Q(38) Q(39)
#undef Q
#define Q(n) &q_many_##n,
static const struct db_query *const many[] = {
	Q(0) Q(1) Q(2) Q(3) Q(4) Q(5) Q(6) Q(7) Q(8) Q(9) Q(10) Q(11) Q(12) Q(13) Q(14) Q(15)
	Q(16) Q(17) Q(18) Q(19) Q(20) Q(21) Q(22) Q(23) Q(24) Q(25) Q(26) Q(27) Q(28) Q(29)
	Q(30) Q(31) Q(32) Q(33) Q(34) Q(35) Q(36) Q(37) Q(38) Q(39)
};
#undef Q

static void statements_keep_their_identity_as_the_cache_grows(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *seen[sizeof(many) / sizeof(many[0])];
	size_t n = sizeof(many) / sizeof(many[0]);

	for (size_t i = 0; i < n; i++) {
		seen[i] = db_stmt(f->db, many[i]);
		assert_non_null(seen[i]);
	}
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st = db_stmt(f->db, many[i]);
		assert_ptr_equal(st, seen[i]);
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_int(st, 0), (int64_t)i);
	}
}

static void reset_all_lets_the_connection_see_other_writes(void **state)
{
	struct fixture *f = *state;
	struct db *other = NULL;
	char err[256];

	create_t(f);
	insert_t(f, 1, "a");
	insert_t(f, 2, "b");
	assert_int_equal(db_open(&other, f->path, err, sizeof(err)), 0);

	/* A SELECT left mid-way pins f->db to the database as it was. */
	struct db_stmt *st = db_stmt(f->db, &q_select_t);
	assert_int_equal(db_step(st), DB_ROW);
	st = db_stmt(other, &q_insert_t);
	assert_int_equal(db_bind_int(st, 1, 3), 0);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(count_t(f), 2);

	db_reset_all(f->db);
	assert_int_equal(count_t(f), 3);
	db_close(other);
}

static void reset_all_rolls_back_a_transaction_left_open(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	assert_int_equal(db_begin(f->db), 0);
	insert_t(f, 1, "a");
	db_reset_all(f->db);
	assert_false(db_in_transaction(f->db));
	assert_int_equal(count_t(f), 0);
}

/* --- JSON rows ---------------------------------------------------------- */

DB_QUERY(q_json_types, "SELECT 42 AS i, 2.5 AS r, 'text' AS s, NULL AS n, x'0001' AS b");

static void row_json_maps_each_type(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_json_types);
	assert_int_equal(db_step(st), DB_ROW);
	json_t *row = db_row_json(st);
	assert_non_null(row);
	assert_true(json_is_object(row));
	assert_int_equal(json_object_size(row), 5);
	assert_true(json_is_integer(json_object_get(row, "i")));
	assert_int_equal(json_integer_value(json_object_get(row, "i")), 42);
	assert_true(json_is_real(json_object_get(row, "r")));
	assert_true(json_real_value(json_object_get(row, "r")) == 2.5);
	assert_string_equal(json_string_value(json_object_get(row, "s")), "text");
	assert_true(json_is_null(json_object_get(row, "n")));
	assert_true(json_is_null(json_object_get(row, "b")));
	json_decref(row);
}

static void row_json_replaces_invalid_utf8(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st = db_stmt(f->db, &q_echo);
	/* Latin-1 é, a lone continuation byte, an overlong '/', a truncated sequence. */
	assert_int_equal(db_bind_text(st, 1, "caf\xe9 \x80 \xc0\xaf ok \xe2\x82"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	json_t *row = db_row_json(st);
	assert_non_null(row);
	assert_string_equal(json_string_value(json_object_get(row, "v")),
			    "caf\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok "
			    "\xEF\xBF\xBD\xEF\xBF\xBD");
	json_decref(row);
}

static void rows_json_collects_every_row_into_an_array(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	insert_t(f, 10, "a");
	insert_t(f, 20, NULL);
	json_t *rows = db_rows_json(db_stmt(f->db, &q_select_t));
	assert_non_null(rows);
	assert_true(json_is_array(rows));
	assert_int_equal(json_array_size(rows), 2);
	json_t *second = json_array_get(rows, 1);
	assert_int_equal(json_integer_value(json_object_get(second, "i")), 20);
	assert_true(json_is_null(json_object_get(second, "s")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "s")), "a");
	json_decref(rows);
}

static void rows_json_of_no_rows_is_an_empty_array(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	json_t *rows = db_rows_json(db_stmt(f->db, &q_select_t));
	assert_non_null(rows);
	assert_true(json_is_array(rows));
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void rows_json_of_a_failing_statement_is_null(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, &q_create_u), 0);
	struct db_stmt *st = db_stmt(f->db, &q_insert_u);
	assert_int_equal(db_bind_text(st, 1, "a@example.org"), 0);
	assert_int_equal(db_bind_int(st, 2, -5), 0);
	assert_null(db_rows_json(st));
}

/* --- transactions ------------------------------------------------------- */

static void a_committed_transaction_keeps_its_writes(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	assert_int_equal(db_begin(f->db), 0);
	assert_true(db_in_transaction(f->db));
	insert_t(f, 1, "a");
	insert_t(f, 2, "b");
	assert_int_equal(db_commit(f->db), 0);
	assert_false(db_in_transaction(f->db));
	assert_int_equal(count_t(f), 2);
}

static void a_rolled_back_transaction_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	insert_t(f, 1, "kept");
	assert_int_equal(db_begin(f->db), 0);
	insert_t(f, 2, "undone");
	db_rollback(f->db);
	assert_false(db_in_transaction(f->db));
	assert_int_equal(count_t(f), 1);
}

static void rollback_without_a_transaction_is_harmless(void **state)
{
	struct fixture *f = *state;
	create_t(f);
	insert_t(f, 1, "a");
	db_rollback(f->db);
	db_rollback(f->db);
	db_rollback(NULL);
	assert_int_equal(count_t(f), 1);
}

static void begin_inside_a_transaction_fails(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_begin(f->db), ERR_DB);
	db_rollback(f->db);
	assert_false(db_in_transaction(f->db));
}

static void commit_without_a_transaction_fails(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_commit(f->db), ERR_DB);
}

/* --- the pool ----------------------------------------------------------- */

/* What a worker thread reports back. */
struct worker {
	struct db_pool *pool; /* the pool to ask */
	struct db *first;     /* its first answer */
	struct db *second;    /* its second answer */
	int64_t count;        /* rows of t it could see through its connection */
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	w->first = db_pool_get(w->pool);
	w->second = db_pool_get(w->pool);
	struct db_stmt *st = db_stmt(w->first, &q_count_t);
	w->count = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_reset(st);
	return NULL;
}

static void a_pool_gives_each_thread_its_own_connection(void **state)
{
	struct fixture *f = *state;
	struct db_pool *pool = NULL;
	char err[256];

	create_t(f);
	insert_t(f, 1, "a");
	assert_int_equal(db_pool_open(&pool, f->path, err, sizeof(err)), 0);
	struct worker a = {pool, NULL, NULL, 0}, b = {pool, NULL, NULL, 0};
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, worker_main, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, worker_main, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);

	assert_non_null(a.first);
	assert_non_null(b.first);
	assert_ptr_not_equal(a.first, b.first);
	assert_ptr_not_equal(a.first, db_pool_get(pool));
	assert_ptr_not_equal(b.first, db_pool_get(pool));
	assert_int_equal(a.count, 1);
	assert_int_equal(b.count, 1);
	db_pool_close(pool);
}

static void a_pool_gives_the_same_thread_the_same_connection(void **state)
{
	struct fixture *f = *state;
	struct db_pool *pool = NULL;
	char err[256];

	create_t(f);
	assert_int_equal(db_pool_open(&pool, f->path, err, sizeof(err)), 0);
	struct db *db = db_pool_get(pool);
	assert_non_null(db);
	assert_ptr_equal(db_pool_get(pool), db);

	struct worker w = {pool, NULL, NULL, 0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, worker_main, &w), 0);
	pthread_join(t, NULL);
	assert_ptr_equal(w.first, w.second);
	db_pool_close(pool);
}

static void two_pools_in_one_thread_give_different_connections(void **state)
{
	struct fixture *f = *state;
	struct db_pool *p1 = NULL, *p2 = NULL;
	char err[256];

	assert_int_equal(db_pool_open(&p1, f->path, err, sizeof(err)), 0);
	assert_int_equal(db_pool_open(&p2, f->path, err, sizeof(err)), 0);
	struct db *d1 = db_pool_get(p1), *d2 = db_pool_get(p2);
	assert_ptr_not_equal(d1, d2);
	assert_ptr_equal(db_pool_get(p1), d1);
	assert_ptr_equal(db_pool_get(p2), d2);
	db_pool_close(p1);
	db_pool_close(p2);
}

static void a_pool_on_a_bad_path_fails_to_open(void **state)
{
	struct fixture *f = *state;
	struct db_pool *pool = (struct db_pool *)1;
	char err[256] = "";

	assert_int_equal(db_pool_open(&pool, f->dir, err, sizeof(err)), ERR_DB);
	assert_null(pool);
	assert_non_null(strstr(err, "cannot open database"));
	assert_null(db_pool_get(NULL));
	db_pool_close(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_creates_the_file_and_its_folder),
		T(open_creates_several_missing_folders),
		T(open_of_a_folder_fails_with_a_clear_message),
		T(open_below_a_file_fails_with_a_clear_message),
		T(open_of_a_file_that_is_not_a_database_fails),
		T(journal_mode_is_wal),
		T(foreign_keys_are_on),
		T(synchronous_is_normal_and_busy_timeout_is_five_seconds),
		T(double_quotes_are_identifiers_not_strings),
		T(integers_round_trip_including_the_extremes),
		T(doubles_round_trip),
		T(text_round_trips_as_utf8),
		T(textn_binds_only_the_first_n_bytes),
		T(bound_text_is_copied),
		T(blobs_round_trip_including_zero_bytes),
		T(an_empty_blob_is_not_null),
		T(null_binds_and_reads_as_null),
		T(null_text_pointer_binds_sql_null),
		T(columns_have_their_names_and_count),
		T(rows_come_back_in_order_then_done),
		T(last_id_and_changes_report_the_last_write),
		T(an_sql_looking_string_is_stored_as_text),
		T(a_unique_violation_gives_conflict),
		T(a_check_violation_gives_conflict),
		T(a_not_null_violation_gives_conflict),
		T(a_foreign_key_violation_gives_conflict),
		T(bad_sql_gives_a_null_statement_that_every_call_survives),
		T(a_missing_table_gives_a_null_statement),
		T(a_query_with_two_statements_is_refused),
		T(a_trailing_semicolon_and_comment_are_accepted),
		T(binding_a_parameter_out_of_range_fails),
		T(a_write_blocked_by_another_connection_gives_busy),
		T(the_cache_returns_the_same_statement_reset_with_bindings_cleared),
		T(statements_keep_their_identity_as_the_cache_grows),
		T(reset_all_lets_the_connection_see_other_writes),
		T(reset_all_rolls_back_a_transaction_left_open),
		T(row_json_maps_each_type),
		T(row_json_replaces_invalid_utf8),
		T(rows_json_collects_every_row_into_an_array),
		T(rows_json_of_no_rows_is_an_empty_array),
		T(rows_json_of_a_failing_statement_is_null),
		T(a_committed_transaction_keeps_its_writes),
		T(a_rolled_back_transaction_leaves_nothing),
		T(rollback_without_a_transaction_is_harmless),
		T(begin_inside_a_transaction_fails),
		T(commit_without_a_transaction_fails),
		T(a_pool_gives_each_thread_its_own_connection),
		T(a_pool_gives_the_same_thread_the_same_connection),
		T(two_pools_in_one_thread_give_different_connections),
		T(a_pool_on_a_bad_path_fails_to_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
