// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_router.c — libFuzzer target for the request target as the server
 * reads it (server.c's request_first): the strict path decoder
 * (router_decode_path), the query string (form_parse) and router matching
 * (router_match) against the application's real route tables. The first
 * byte of the input picks the method; the rest, up to a NUL, is the request
 * target ("/path?query"). Nothing may crash, leak or trip a sanitizer, and
 * each outcome must keep router.h's promises: a found route fits the
 * method and its captures are non-empty UTF-8 ({x:int} ones all digits); a
 * redirect drops only trailing slashes and never leads to "//host"; every
 * message for a person is UTF-8. replay.c runs the saved corpus
 * (tests/fuzz/corpus/router/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "http/form.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Crash loudly (the fuzzer records the input) when a promise is broken. */
static void check(int ok)
{
	if (!ok)
		abort();
}

static struct router *router;

static void router_done(void)
{
	router_free(router);
}

/* The application's router, compiled once. */
static const struct router *the_router(void)
{
	if (!router) {
		char err[256];
		if (router_new(&router, app_routes, err, sizeof(err)) < 0) {
			fprintf(stderr, "fuzz_router: %s\n", err);
			abort();
		}
		atexit(router_done);
	}
	return router;
}

static bool utf8_text(const char *s)
{
	return s && utf8_valid(s, strlen(s));
}

/* True when the pattern declares name as an {name:int} capture. */
static bool int_capture(const char *pattern, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{'))
		if (strncmp(p + 1, name, n) == 0 && strncmp(p + 1 + n, ":int}", 5) == 0)
			return true;
	return false;
}

static void check_match(enum router_result r, enum http_method method, const char *raw_path,
			const struct router_match *m)
{
	switch (r) {
	case ROUTER_FOUND:
		check(m->route != NULL && m->ncaptures <= ROUTER_MAX_CAPTURES);
		check(m->route->method == method ||
		      (method == HTTP_HEAD && m->route->method == HTTP_GET));
		for (size_t i = 0; i < m->ncaptures; i++) {
			const struct router_capture *c = &m->captures[i];
			check(c->name && c->value[0] != '\0' && utf8_text(c->value));
			if (int_capture(m->route->pattern, c->name)) {
				check(strspn(c->value, "0123456789") == strlen(c->value));
				check(c->num >= 0);
			}
		}
		break;
	case ROUTER_REDIRECT: {
		size_t n = strlen(m->location);
		check(n > 0 && n < strlen(raw_path) && strncmp(m->location, raw_path, n) == 0);
		check(strspn(raw_path + n, "/") == strlen(raw_path + n));
		check(m->location[0] == '/' && m->location[1] != '/' && m->location[1] != '\\');
		break;
	}
	case ROUTER_BAD_METHOD: {
		check(m->allow != 0 && (m->allow >> HTTP_METHOD__MAX) == 0);
		struct buf b = BUF_INIT;
		router_allow_str(m->allow, &b);
		check(buf_str(&b)[0] != '\0');
		buf_free(&b);
		break;
	}
	case ROUTER_BAD_CAPTURE:
	case ROUTER_BAD_PATH:
		check(utf8_text(m->message));
		break;
	case ROUTER_NOT_FOUND:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const struct router *rt = the_router();
	struct arena *a = arena_new();
	enum http_method method = (enum http_method)(data[0] % HTTP_METHOD__MAX);
	char *target = arena_strndup(a, (const char *)data + 1, size - 1);

	/* The method token as the server reads it. */
	int parsed = http_method_parse(target);
	check(parsed == -1 || strcmp(http_method_name((enum http_method)parsed), target) == 0);

	/* Split as the server does: path, then the query after the first '?'. */
	char *q = strchr(target, '?');
	const char *query = NULL;
	if (q) {
		*q = '\0';
		query = q + 1;
	}
	const char *msg = NULL;
	char *path = router_decode_path(a, target, &msg);
	if (path)
		check(strlen(path) <= strlen(target) && utf8_text(path));
	else
		check(utf8_text(msg));
	if (query) {
		struct form_field *fields;
		enum form_problem why;
		if (form_parse(a, query, strlen(query), &fields, &why) < 0)
			check(utf8_text(form_problem_str(why)));
	}

	struct router_match m;
	enum router_result r = router_match(rt, a, method, target, &m);
	if (target[0] != '/')
		check(r == ROUTER_BAD_PATH);
	check_match(r, method, target, &m);
	check(m.log_pattern == NULL || m.log_pattern[0] == '/');

	arena_free(a);
	return 0;
}
