// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_data_generation.c — unit tests of db_data_generation (changes.c) on
 * SQLite: the number grows when a write of this process that changed rows
 * commits (outside a transaction at once, inside one at its commit), and
 * when another process commits to the same file; reads, writes that change
 * nothing and rolled-back transactions leave it where it was. Each test
 * works in its own temporary folder under /tmp, removed afterwards.
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
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"

/* What every test gets. */
struct fixture {
	char dir[64];   /* the temporary folder */
	char path[128]; /* dir/gen.db */
	struct db *db;  /* open on path, table t created */
};

DB_QUERY(q_gen_create, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER UNIQUE)");
DB_QUERY(q_gen_insert, "INSERT INTO t (v) VALUES (?)");
DB_QUERY(q_gen_insert_or_ignore, "INSERT INTO t (v) VALUES (?) ON CONFLICT (v) DO NOTHING");
DB_QUERY(q_gen_insert_returning, "INSERT INTO t (v) VALUES (?) RETURNING id");
DB_QUERY(q_gen_update_none, "UPDATE t SET v = v + 1 WHERE v < 0");
DB_QUERY(q_gen_count, "SELECT COUNT(*) FROM t");

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	if (!scratch_dir(f->dir, sizeof(f->dir), "gen"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/gen.db", f->dir);
	if (db_open(&f->db, f->path, err, sizeof(err)) != 0 || db_exec(f->db, &q_gen_create) != 0) {
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

/* Insert v through q on db; the step's result. */
static int insert(struct db *db, const struct db_query *q, int64_t v)
{
	struct db_stmt *st = db_stmt(db, q);
	assert_non_null(st);
	assert_int_equal(db_bind_int(st, 1, v), 0);
	int rc = db_step(st);
	db_reset(st);
	return rc;
}

/* The generation once everything that happened before is counted (a first look counts as a change). */
static uint64_t settled(struct db *db)
{
	(void)db_data_generation(db);
	return db_data_generation(db);
}

static void nothing_happening_leaves_the_generation_where_it_was(void **state)
{
	struct fixture *f = *state;
	uint64_t g = settled(f->db);
	assert_int_equal(db_data_generation(f->db), g);
	assert_int_equal(db_data_generation(f->db), g);
}

static void a_read_leaves_the_generation_where_it_was(void **state)
{
	struct fixture *f = *state;
	uint64_t g = settled(f->db);
	struct db_stmt *st = db_stmt(f->db, &q_gen_count);
	assert_int_equal(db_step(st), DB_ROW);
	db_reset(st);
	assert_int_equal(db_data_generation(f->db), g);
}

static void a_write_outside_a_transaction_moves_the_generation_at_once(void **state)
{
	struct fixture *f = *state;
	uint64_t g = settled(f->db);
	assert_int_equal(insert(f->db, &q_gen_insert, 1), DB_DONE);
	assert_true(db_data_generation(f->db) > g);
}

static void a_write_that_changes_no_rows_leaves_the_generation_where_it_was(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(insert(f->db, &q_gen_insert, 1), DB_DONE);
	uint64_t g = settled(f->db);
	assert_int_equal(db_exec(f->db, &q_gen_update_none), 0);
	assert_int_equal(insert(f->db, &q_gen_insert_or_ignore, 1), DB_DONE);
	assert_int_equal(db_data_generation(f->db), g);
}

static void a_write_with_returning_moves_the_generation_once_it_has_ended(void **state)
{
	struct fixture *f = *state;
	uint64_t g = settled(f->db);
	struct db_stmt *st = db_stmt(f->db, &q_gen_insert_returning);
	assert_int_equal(db_bind_int(st, 1, 5), 0);
	assert_int_equal(db_step(st), DB_ROW);
	db_reset(st);
	assert_true(db_data_generation(f->db) > g);
}

static void a_write_in_a_transaction_moves_the_generation_only_at_its_commit(void **state)
{
	struct fixture *f = *state;
	uint64_t g = settled(f->db);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(insert(f->db, &q_gen_insert, 1), DB_DONE);
	assert_int_equal(insert(f->db, &q_gen_insert, 2), DB_DONE);
	assert_int_equal(db_data_generation(f->db), g);
	assert_int_equal(db_commit(f->db), 0);
	assert_true(db_data_generation(f->db) > g);
}

static void a_rolled_back_transaction_leaves_the_generation_where_it_was(void **state)
{
	struct fixture *f = *state;
	uint64_t g = settled(f->db);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(insert(f->db, &q_gen_insert, 1), DB_DONE);
	db_rollback(f->db);
	assert_int_equal(db_data_generation(f->db), g);
	/* Nor does the next transaction, which writes nothing, inherit the rolled-back write. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(db_data_generation(f->db), g);
}

static void a_commit_by_another_process_moves_the_generation(void **state)
{
	struct fixture *f = *state;
	uint64_t g = settled(f->db);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The child is another process (the CLI, say): its counter is not ours. */
		struct db *other = NULL;
		char err[256];
		int ok = db_open(&other, f->path, err, sizeof(err)) == 0 && insert(other, &q_gen_insert, 7) == DB_DONE;
		db_close(other);
		_exit(ok ? 0 : 1);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(db_data_generation(f->db) > g);
	uint64_t after = db_data_generation(f->db);
	assert_int_equal(db_data_generation(f->db), after);
}

static void a_commit_by_another_connection_of_this_process_moves_the_generation(void **state)
{
	struct fixture *f = *state;
	struct db *other = NULL;
	char err[256];
	assert_int_equal(db_open(&other, f->path, err, sizeof(err)), 0);
	uint64_t g = settled(f->db);
	(void)settled(other);
	assert_int_equal(insert(other, &q_gen_insert, 3), DB_DONE);
	assert_true(db_data_generation(f->db) > g);
	db_close(other);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(nothing_happening_leaves_the_generation_where_it_was),
		T(a_read_leaves_the_generation_where_it_was),
		T(a_write_outside_a_transaction_moves_the_generation_at_once),
		T(a_write_that_changes_no_rows_leaves_the_generation_where_it_was),
		T(a_write_with_returning_moves_the_generation_once_it_has_ended),
		T(a_write_in_a_transaction_moves_the_generation_only_at_its_commit),
		T(a_rolled_back_transaction_leaves_the_generation_where_it_was),
		T(a_commit_by_another_process_moves_the_generation),
		T(a_commit_by_another_connection_of_this_process_moves_the_generation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
