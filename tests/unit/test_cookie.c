// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_cookie.c — the Cookie header parser and the Set-Cookie writer
 * (src/http/cookie.c), and the Accept negotiation (negotiate.c), which is
 * header parsing of the same kind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/cookie.h"
#include "http/http.h"
#include "http/negotiate.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void cookies_are_read_by_name(void **state)
{
	struct cookie *c;
	assert_int_equal(cookie_parse(*state, "sid=abc123; theme=dark", &c), 2);
	assert_string_equal(cookie_find(c, "sid"), "abc123");
	assert_string_equal(cookie_find(c, "theme"), "dark");
	assert_null(cookie_find(c, "other"));
}

static void white_space_around_pairs_is_ignored(void **state)
{
	struct cookie *c;
	assert_int_equal(cookie_parse(*state, "  a=1 ;\tb=2  ;", &c), 2);
	assert_string_equal(cookie_find(c, "a"), "1");
	assert_string_equal(cookie_find(c, "b"), "2");
}

static void quoted_values_lose_their_quotes(void **state)
{
	struct cookie *c;
	assert_int_equal(cookie_parse(*state, "a=\"x y\"; b=\"ok\"", &c), 1);
	assert_null(cookie_find(c, "a")); /* a space is not a cookie-octet */
	assert_string_equal(cookie_find(c, "b"), "ok");
}

static void malformed_pairs_are_skipped_and_the_rest_kept(void **state)
{
	struct cookie *c;
	assert_int_equal(cookie_parse(*state, "novalue; bad name=1; =x; ok=1; c=\x01; d=\xc3\xa9", &c),
			 1);
	assert_string_equal(cookie_find(c, "ok"), "1");
}

static void an_empty_value_is_a_cookie(void **state)
{
	struct cookie *c;
	assert_int_equal(cookie_parse(*state, "empty=", &c), 1);
	assert_string_equal(cookie_find(c, "empty"), "");
}

static void the_first_of_duplicate_cookies_wins(void **state)
{
	struct cookie *c;
	assert_int_equal(cookie_parse(*state, "sid=new; sid=old", &c), 2);
	assert_string_equal(cookie_find(c, "sid"), "new");
}

static void a_missing_header_gives_no_cookies(void **state)
{
	struct cookie *c = (void *)1;
	assert_int_equal(cookie_parse(*state, NULL, &c), 0);
	assert_null(c);
	assert_int_equal(cookie_parse(*state, "", &c), 0);
}

static void at_most_cookie_max_cookies_are_read(void **state)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < COOKIE_MAX + 10; i++)
		buf_printf(&b, "c%d=v; ", i);
	struct cookie *c;
	assert_int_equal(cookie_parse(*state, buf_str(&b), &c), COOKIE_MAX);
	buf_free(&b);
}

static void set_cookie_has_path_max_age_and_flags(void **state)
{
	struct buf b = BUF_INIT;
	assert_int_equal(cookie_format(&b, "sid", "abc", 3600, COOKIE_HTTPONLY | COOKIE_LAX, false),
			 0);
	assert_string_equal(buf_str(&b), "sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
	buf_free(&b);
}

static void set_cookie_is_secure_over_https(void **state)
{
	struct buf b = BUF_INIT;
	assert_int_equal(cookie_format(&b, "sid", "abc", -1, COOKIE_HTTPONLY, true), 0);
	assert_string_equal(buf_str(&b), "sid=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
	buf_free(&b);
}

static void a_strict_cookie_with_max_age_zero_deletes(void **state)
{
	struct buf b = BUF_INIT;
	assert_int_equal(cookie_format(&b, "sid", "", 0, COOKIE_STRICT | COOKIE_SECURE, false), 0);
	assert_string_equal(buf_str(&b), "sid=; Path=/; Max-Age=0; SameSite=Strict; Secure");
	buf_free(&b);
}

static void set_cookie_refuses_header_injection(void **state)
{
	struct buf b = BUF_INIT;
	assert_int_equal(cookie_format(&b, "sid", "a\r\nSet-Cookie: x=1", 1, 0, false), ERR_INVALID);
	assert_int_equal(cookie_format(&b, "s id", "a", 1, 0, false), ERR_INVALID);
	assert_int_equal(cookie_format(&b, "sid", "a;b", 1, 0, false), ERR_INVALID);
	assert_int_equal(cookie_format(&b, "", "a", 1, 0, false), ERR_INVALID);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void json_is_chosen_when_preferred(void **state)
{
	assert_true(negotiate_wants_json("application/json"));
	assert_true(negotiate_wants_json("application/problem+json"));
	assert_true(negotiate_wants_json("application/json, text/html"));
	assert_true(negotiate_wants_json("text/html;q=0.5, application/json"));
	assert_true(negotiate_wants_json("application/json, */*;q=0.1"));
	assert_true(negotiate_wants_json("Application/JSON; charset=utf-8"));
}

static void html_is_chosen_otherwise(void **state)
{
	assert_false(negotiate_wants_json(NULL));
	assert_false(negotiate_wants_json(""));
	assert_false(negotiate_wants_json("*/*"));
	assert_false(negotiate_wants_json("text/html"));
	assert_false(negotiate_wants_json("text/html, application/json"));
	assert_false(negotiate_wants_json("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
	assert_false(negotiate_wants_json("application/json;q=0.5, */*"));
	assert_false(negotiate_wants_json("application/json;q=0"));
	assert_false(negotiate_wants_json("application/json;q=banana"));
	assert_false(negotiate_wants_json("application/*"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cookies_are_read_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(white_space_around_pairs_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(quoted_values_lose_their_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_pairs_are_skipped_and_the_rest_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(an_empty_value_is_a_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(the_first_of_duplicate_cookies_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(a_missing_header_gives_no_cookies, setup, teardown),
		cmocka_unit_test_setup_teardown(at_most_cookie_max_cookies_are_read, setup, teardown),
		cmocka_unit_test_setup_teardown(set_cookie_has_path_max_age_and_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(set_cookie_is_secure_over_https, setup, teardown),
		cmocka_unit_test_setup_teardown(a_strict_cookie_with_max_age_zero_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(set_cookie_refuses_header_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(json_is_chosen_when_preferred, setup, teardown),
		cmocka_unit_test_setup_teardown(html_is_chosen_otherwise, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
