// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_router.c — route patterns and matching (src/http/router.c):
 * literals, typed captures, the rest of the path, precedence, 405 with the
 * allowed methods, HEAD on GET routes, trailing slashes, bad paths, and the
 * pattern the log shows for a path holding a secret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/router.h"

static int h_any(struct request *req, struct response *res)
{
	(void)req;
	(void)res;
	return 0;
}

/* Distinct handlers so tests can tell which route matched. */
static int h_index(struct request *q, struct response *s) { return h_any(q, s); }
static int h_list(struct request *q, struct response *s) { return h_any(q, s); }
static int h_new(struct request *q, struct response *s) { return h_any(q, s); }
static int h_show(struct request *q, struct response *s) { return h_any(q, s); }
static int h_create(struct request *q, struct response *s) { return h_any(q, s); }
static int h_slug(struct request *q, struct response *s) { return h_any(q, s); }
static int h_files(struct request *q, struct response *s) { return h_any(q, s); }
static int h_first(struct request *q, struct response *s) { return h_any(q, s); }
static int h_second(struct request *q, struct response *s) { return h_any(q, s); }
static int h_pair(struct request *q, struct response *s) { return h_any(q, s); }
static int h_reset(struct request *q, struct response *s) { return h_any(q, s); }

static const struct route app_routes[] = {
	{HTTP_GET, "/", h_index, NULL, 0, 0},
	{HTTP_GET, "/schools/{urn:int}", h_show, NULL, 0, 0},
	{HTTP_GET, "/schools", h_list, NULL, 0, 0},
	{HTTP_POST, "/schools", h_create, NULL, 0, 0},
	{HTTP_GET, "/schools/new", h_new, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}", h_slug, NULL, 0, 0},
	{HTTP_GET, "/files/{path*}", h_files, NULL, 0, 0},
	{HTTP_GET, "/tie/{a}", h_first, NULL, 0, 0},
	{HTTP_GET, "/tie/{b}", h_second, NULL, 0, 0},
	{HTTP_PUT, "/n/{net}/s/{urn:int}", h_pair, NULL, 0, 0},
	{HTTP_GET, "/reset/{token}", h_reset, NULL, ROUTE_SECRET_PATH, 0},
	{HTTP_GET, NULL, NULL, NULL, 0, 0},
};

struct fixture {
	struct arena *a;
	struct router *r;
};

static int setup(void **state)
{
	static struct fixture f;
	const struct route *const tables[] = {app_routes, NULL};
	char err[200];
	f.a = arena_new();
	if (router_new(&f.r, tables, err, sizeof(err)) < 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	router_free(f->r);
	arena_free(f->a);
	return 0;
}

static enum router_result match(void **state, enum http_method m, const char *path,
				struct router_match *out)
{
	struct fixture *f = *state;
	return router_match(f->r, f->a, m, path, out);
}

static void the_root_matches_only_slash(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_index);
}

static void a_literal_path_matches_its_route(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/schools", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_list);
	assert_int_equal(m.ncaptures, 0);
}

static void an_int_capture_gives_its_number(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/schools/100000", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_show);
	assert_int_equal(m.ncaptures, 1);
	assert_string_equal(m.captures[0].name, "urn");
	assert_string_equal(m.captures[0].value, "100000");
	assert_int_equal(m.captures[0].num, 100000);
}

static void a_literal_beats_a_capture_whatever_the_order(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/schools/new", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_new);
}

static void a_non_numeric_int_capture_is_a_bad_capture(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/schools/abc", &m), ROUTER_BAD_CAPTURE);
	assert_string_equal(m.message, "'abc' is not a valid urn: it must be a whole number");
}

static void signs_and_huge_numbers_are_not_whole_numbers_here(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/schools/-1", &m), ROUTER_BAD_CAPTURE);
	assert_int_equal(match(state, HTTP_GET, "/schools/+1", &m), ROUTER_BAD_CAPTURE);
	assert_int_equal(match(state, HTTP_GET, "/schools/1.5", &m), ROUTER_BAD_CAPTURE);
	assert_int_equal(match(state, HTTP_GET, "/schools/99999999999999999999", &m),
			 ROUTER_BAD_CAPTURE);
	assert_int_equal(match(state, HTTP_GET, "/schools/9223372036854775808", &m),
			 ROUTER_BAD_CAPTURE);
	assert_int_equal(match(state, HTTP_GET, "/schools/9223372036854775807", &m), ROUTER_FOUND);
	assert_int_equal(m.captures[0].num, INT64_MAX);
}

static void a_long_bad_capture_is_shortened_in_the_message(void **state)
{
	struct router_match m;
	char path[300] = "/schools/";
	memset(path + 9, 'x', 200);
	path[209] = '\0';
	assert_int_equal(match(state, HTTP_GET, path, &m), ROUTER_BAD_CAPTURE);
	assert_true(strlen(m.message) < 120);
}

static void a_string_capture_is_decoded(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/networks/north%20west%2Fcoast", &m), ROUTER_FOUND);
	assert_string_equal(m.captures[0].name, "slug");
	assert_string_equal(m.captures[0].value, "north west/coast");
}

static void a_rest_capture_takes_the_remaining_segments(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/files/css/site.css", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_files);
	assert_string_equal(m.captures[0].value, "css/site.css");
}

static void a_rest_capture_needs_at_least_one_segment(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/files", &m), ROUTER_NOT_FOUND);
}

static void the_first_route_wins_a_tie(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/tie/x", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_first);
}

static void several_captures_come_in_pattern_order(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_PUT, "/n/east/s/42", &m), ROUTER_FOUND);
	assert_int_equal(m.ncaptures, 2);
	assert_string_equal(m.captures[0].value, "east");
	assert_int_equal(m.captures[1].num, 42);
}

static void an_unknown_path_is_not_found(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/nowhere", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(state, HTTP_GET, "/schools/1/extra", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(state, HTTP_GET, "/Schools", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(state, HTTP_GET, "/networks//", &m), ROUTER_NOT_FOUND);
}

static void a_known_path_with_another_method_lists_the_allowed_ones(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_DELETE, "/schools", &m), ROUTER_BAD_METHOD);
	struct buf b = BUF_INIT;
	router_allow_str(m.allow, &b);
	assert_string_equal(buf_str(&b), "GET, HEAD, POST");
	buf_free(&b);
}

static void head_is_served_by_get_routes(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_HEAD, "/schools/7", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_show);
}

static void a_trailing_slash_redirects_to_the_known_path(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/schools/", &m), ROUTER_REDIRECT);
	assert_string_equal(m.location, "/schools");
	assert_int_equal(match(state, HTTP_POST, "/schools/12//", &m), ROUTER_REDIRECT);
	assert_string_equal(m.location, "/schools/12");
}

static void a_secret_path_gives_its_pattern_for_the_log_whatever_the_answer(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/reset/s3cret", &m), ROUTER_FOUND);
	assert_string_equal(m.log_pattern, "/reset/{token}");
	assert_int_equal(match(state, HTTP_POST, "/reset/s3cret", &m), ROUTER_BAD_METHOD);
	assert_string_equal(m.log_pattern, "/reset/{token}");
	assert_int_equal(match(state, HTTP_GET, "/reset/s3cret/", &m), ROUTER_REDIRECT);
	assert_string_equal(m.location, "/reset/s3cret");
	assert_string_equal(m.log_pattern, "/reset/{token}");
	assert_int_equal(match(state, HTTP_GET, "/schools/12", &m), ROUTER_FOUND);
	assert_null(m.log_pattern);
	assert_int_equal(match(state, HTTP_DELETE, "/schools", &m), ROUTER_BAD_METHOD);
	assert_null(m.log_pattern);
	assert_int_equal(match(state, HTTP_GET, "/schools/", &m), ROUTER_REDIRECT);
	assert_null(m.log_pattern);
}

static void a_trailing_slash_on_an_unknown_path_is_not_found(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/nowhere/", &m), ROUTER_NOT_FOUND);
}

static void a_redirect_never_leads_to_another_host(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "//files/evil.example/", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(state, HTTP_GET, "//", &m), ROUTER_NOT_FOUND);
}

static void malformed_percent_encoding_is_a_bad_path(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/networks/%zz", &m), ROUTER_BAD_PATH);
	assert_string_equal(m.message, "The address contains malformed percent-encoding.");
	assert_int_equal(match(state, HTTP_GET, "/networks/%", &m), ROUTER_BAD_PATH);
	assert_int_equal(match(state, HTTP_GET, "/networks/%4", &m), ROUTER_BAD_PATH);
}

static void nul_and_invalid_utf8_are_bad_paths(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "/networks/a%00b", &m), ROUTER_BAD_PATH);
	assert_int_equal(match(state, HTTP_GET, "/networks/%C0%AF", &m), ROUTER_BAD_PATH);
	assert_int_equal(match(state, HTTP_GET, "/networks/%FF", &m), ROUTER_BAD_PATH);
}

static void a_path_must_start_with_a_slash(void **state)
{
	struct router_match m;
	assert_int_equal(match(state, HTTP_GET, "schools", &m), ROUTER_BAD_PATH);
	assert_int_equal(match(state, HTTP_GET, "*", &m), ROUTER_BAD_PATH);
}

static void method_tokens_parse_exactly(void **state)
{
	(void)state;
	assert_int_equal(http_method_parse("GET"), HTTP_GET);
	assert_int_equal(http_method_parse("DELETE"), HTTP_DELETE);
	assert_int_equal(http_method_parse("get"), -1);
	assert_int_equal(http_method_parse("BREW"), -1);
	assert_int_equal(http_method_parse("OPTIONS"), -1);
	assert_string_equal(http_method_name(HTTP_PATCH), "PATCH");
}

/* Compile a one-route table with pattern; returns router_new's result. */
static int compile_one(const char *pattern)
{
	const struct route t[] = {
		{HTTP_GET, pattern, h_any, NULL, 0, 0},
		{HTTP_GET, NULL, NULL, NULL, 0, 0},
	};
	const struct route *const tables[] = {t, NULL};
	struct router *r = NULL;
	char err[200];
	int rc = router_new(&r, tables, err, sizeof(err));
	router_free(r);
	return rc;
}

static void bad_patterns_are_refused_at_start(void **state)
{
	(void)state;
	assert_int_equal(compile_one("/ok/{id:int}/{rest*}"), 0);
	assert_int_equal(compile_one("no-slash"), ERR_INVALID);
	assert_int_equal(compile_one("/a//b"), ERR_INVALID);
	assert_int_equal(compile_one("/{x*}/after"), ERR_INVALID);
	assert_int_equal(compile_one("/{x}/{x}"), ERR_INVALID);
	assert_int_equal(compile_one("/{}"), ERR_INVALID);
	assert_int_equal(compile_one("/{x:float}"), ERR_INVALID);
	assert_int_equal(compile_one("/a{b}"), ERR_INVALID);
	assert_int_equal(compile_one("/{unclosed"), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_root_matches_only_slash),
		cmocka_unit_test(a_literal_path_matches_its_route),
		cmocka_unit_test(an_int_capture_gives_its_number),
		cmocka_unit_test(a_literal_beats_a_capture_whatever_the_order),
		cmocka_unit_test(a_non_numeric_int_capture_is_a_bad_capture),
		cmocka_unit_test(signs_and_huge_numbers_are_not_whole_numbers_here),
		cmocka_unit_test(a_long_bad_capture_is_shortened_in_the_message),
		cmocka_unit_test(a_string_capture_is_decoded),
		cmocka_unit_test(a_rest_capture_takes_the_remaining_segments),
		cmocka_unit_test(a_rest_capture_needs_at_least_one_segment),
		cmocka_unit_test(the_first_route_wins_a_tie),
		cmocka_unit_test(several_captures_come_in_pattern_order),
		cmocka_unit_test(an_unknown_path_is_not_found),
		cmocka_unit_test(a_known_path_with_another_method_lists_the_allowed_ones),
		cmocka_unit_test(head_is_served_by_get_routes),
		cmocka_unit_test(a_trailing_slash_redirects_to_the_known_path),
		cmocka_unit_test(a_secret_path_gives_its_pattern_for_the_log_whatever_the_answer),
		cmocka_unit_test(a_trailing_slash_on_an_unknown_path_is_not_found),
		cmocka_unit_test(a_redirect_never_leads_to_another_host),
		cmocka_unit_test(malformed_percent_encoding_is_a_bad_path),
		cmocka_unit_test(nul_and_invalid_utf8_are_bad_paths),
		cmocka_unit_test(a_path_must_start_with_a_slash),
		cmocka_unit_test(method_tokens_parse_exactly),
		cmocka_unit_test(bad_patterns_are_refused_at_start),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
