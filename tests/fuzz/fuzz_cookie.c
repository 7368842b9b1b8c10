// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_cookie.c — libFuzzer target for the Cookie header parser and the
 * Set-Cookie writer (src/http/cookie.c). The input (up to its first NUL,
 * as a header arrives) is parsed; every cookie read must have a valid name
 * and value and be found again by name, and writing it back with
 * cookie_format and parsing the "name=value" part of that must give the
 * same cookie. The input is also offered to cookie_format as a name and as
 * a value, which must refuse it unless it is valid. Nothing may crash, leak
 * or trip a sanitizer. replay.c runs the saved corpus
 * (tests/fuzz/corpus/cookie/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/cookie.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Crash loudly (the fuzzer records the input) when a promise is broken. */
static void check(int ok)
{
	if (!ok)
		abort();
}

/* Write c with cookie_format and read the pair back. */
static void round_trip(struct arena *a, const struct cookie *c)
{
	struct buf b = BUF_INIT;
	check(cookie_format(&b, c->name, c->value, 3600, COOKIE_HTTPONLY | COOKIE_STRICT, true) ==
	      0);
	const char *set = buf_str(&b);
	const char *semi = strchr(set, ';');
	check(semi != NULL);
	char *pair = arena_strndup(a, set, (size_t)(semi - set));
	buf_free(&b);
	struct cookie *back;
	check(cookie_parse(a, pair, &back) == 1);
	check(strcmp(back->name, c->name) == 0);
	check(strcmp(back->value, c->value) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	const char *header = arena_strndup(a, (const char *)data, size);

	struct cookie *cookies;
	size_t n = cookie_parse(a, header, &cookies);
	check(n <= COOKIE_MAX);
	check((n == 0) == (cookies == NULL));
	for (const struct cookie *c = cookies; c; c = c->next) {
		check(cookie_name_valid(c->name));
		check(cookie_value_valid(c->value));
		check(strstr(header, c->name) != NULL);
		const char *found = cookie_find(cookies, c->name);
		check(found != NULL && cookie_value_valid(found));
		round_trip(a, c);
		n--;
	}
	check(n == 0);

	struct buf b = BUF_INIT;
	int rc = cookie_format(&b, header, "v", -1, 0, false);
	check((rc == 0) == cookie_name_valid(header));
	buf_reset(&b);
	rc = cookie_format(&b, "n", header, 0, COOKIE_SECURE, false);
	check((rc == 0) == cookie_value_valid(header));
	buf_free(&b);

	arena_free(a);
	return 0;
}
