// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_pg_sql.c — unit tests of the PostgreSQL backend's text work
 * (src/db/pg_sql.c): which database names select PostgreSQL, hiding
 * passwords in names, and rewriting `?` / `?N` placeholders to `$N`. No
 * server needed; the backend itself is tested against a real PostgreSQL by
 * the HTTP suite's PostgreSQL pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_internal.h"

/* dbi_pg_sql's text for sql, checked against want, with its highest number. */
static void expect_sql(const char *sql, const char *want, int want_n)
{
	int n = -1;
	char *got = dbi_pg_sql(sql, &n, NULL, 0);
	assert_string_equal(got, want);
	assert_int_equal(n, want_n);
	free(got);
}

static void bare_placeholders_are_numbered_in_order(void **state)
{
	(void)state;
	expect_sql("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2", 2);
}

static void numbered_placeholders_keep_their_numbers_and_may_repeat(void **state)
{
	(void)state;
	expect_sql("WHERE x = ?1 OR y = ?1 AND z < ?2", "WHERE x = $1 OR y = $1 AND z < $2", 2);
}

static void a_bare_placeholder_follows_the_highest_number_before_it(void **state)
{
	(void)state;
	/* SQLite's rule: ? after ?3 is ?4, even when ?1 and ?2 came after. */
	expect_sql("? ?3 ? ?1", "$1 $3 $4 $1", 4);
}

static void question_marks_in_strings_identifiers_and_comments_stay(void **state)
{
	(void)state;
	expect_sql("SELECT '?', 'it''s ?', \"a?\" -- why?\n, ? /* ? /* ? */ ? */ FROM t",
		   "SELECT '?', 'it''s ?', \"a?\" -- why?\n, $1 /* ? /* ? */ ? */ FROM t", 1);
	expect_sql("SELECT $$ ? $$, $x$ ? $x$, ?", "SELECT $$ ? $$, $x$ ? $x$, $1", 1);
}

static void a_statement_without_placeholders_is_unchanged(void **state)
{
	(void)state;
	expect_sql("SELECT count(*) FROM school", "SELECT count(*) FROM school", 0);
	expect_sql("", "", 0);
}

static void numbers_left_out_are_reported_as_unused(void **state)
{
	(void)state;
	unsigned char used[8];
	int n = 0;
	char *got = dbi_pg_sql("?1 ?2 ?5", &n, used, sizeof(used));
	assert_int_equal(n, 5);
	assert_true(used[1] && used[2] && used[5]);
	assert_false(used[3] || used[4] || used[6]);
	free(got);
}

static void postgres_urls_and_libpq_keywords_select_postgres(void **state)
{
	(void)state;
	assert_true(db_is_postgres_name("postgres://u@db.example/tandem"));
	assert_true(db_is_postgres_name("postgresql:///tandem?host=/run/postgresql"));
	assert_true(db_is_postgres_name("host=/run/postgresql dbname=tandem"));
	assert_true(db_is_postgres_name("dbname = tandem"));
}

static void file_names_select_sqlite(void **state)
{
	(void)state;
	assert_false(db_is_postgres_name("var/tandem.db"));
	assert_false(db_is_postgres_name("/srv/postgres/tandem.db"));
	assert_false(db_is_postgres_name("weird=name.db"));
	assert_false(db_is_postgres_name(":memory:"));
	assert_false(db_is_postgres_name(""));
	assert_false(db_is_postgres_name(NULL));
}

/* db_display_name of name, checked against want. */
static void expect_shown(const char *name, const char *want)
{
	char out[256];
	db_display_name(name, out, sizeof(out));
	assert_string_equal(out, want);
}

static void passwords_are_hidden_wherever_a_name_carries_one(void **state)
{
	(void)state;
	expect_shown("postgres://app:s3cret@db.example:5432/tandem",
		     "postgres://app:***@db.example:5432/tandem");
	expect_shown("postgresql://app@db.example/tandem?sslmode=require&password=s3cret",
		     "postgresql://app@db.example/tandem?sslmode=require&password=***");
	expect_shown("host=db.example password=s3cret dbname=tandem",
		     "host=db.example password=*** dbname=tandem");
	expect_shown("host=db password='it\\'s secret' user=app", "host=db password=*** user=app");
	expect_shown("postgres://app@db.example/tandem", "postgres://app@db.example/tandem");
	expect_shown("var/tandem.db", "var/tandem.db");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bare_placeholders_are_numbered_in_order),
		cmocka_unit_test(numbered_placeholders_keep_their_numbers_and_may_repeat),
		cmocka_unit_test(a_bare_placeholder_follows_the_highest_number_before_it),
		cmocka_unit_test(question_marks_in_strings_identifiers_and_comments_stay),
		cmocka_unit_test(a_statement_without_placeholders_is_unchanged),
		cmocka_unit_test(numbers_left_out_are_reported_as_unused),
		cmocka_unit_test(postgres_urls_and_libpq_keywords_select_postgres),
		cmocka_unit_test(file_names_select_sqlite),
		cmocka_unit_test(passwords_are_hidden_wherever_a_name_carries_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
