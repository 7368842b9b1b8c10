// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_form.c — libFuzzer target for the parsers that read untrusted bytes
 * first: the urlencoded form/query parser and strict percent-decoding
 * (src/http/form.c), the Cookie header parser (cookie.c) and the Accept
 * header negotiation (negotiate.c). Whatever the input, they must not
 * crash, leak or trip a sanitizer, and what they return must hold their
 * promises: every decoded name and value is NUL-free, valid UTF-8. replay.c
 * runs the saved corpus (tests/fuzz/corpus/form/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/cookie.h"
#include "http/form.h"
#include "http/negotiate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Crash loudly (the fuzzer records the input) when a promise is broken. */
static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	const char *s = (const char *)data;

	struct form_field *fields;
	enum form_problem why;
	if (form_parse(a, s, size, &fields, &why) == 0) {
		check(why == FORM_OK);
		for (const struct form_field *f = fields; f; f = f->next) {
			check(f->name[0] != '\0');
			check(utf8_valid(f->name, strlen(f->name)));
			check(utf8_valid(f->value, strlen(f->value)));
			check(form_get(fields, f->name) != NULL);
		}
	} else {
		check(why != FORM_OK && why < FORM_PROBLEM__MAX);
	}

	char *out;
	size_t outlen;
	if (form_decode(a, s, size, false, &out, &outlen, &why) == 0) {
		check(outlen <= size && strlen(out) == outlen);
		check(utf8_valid(out, outlen));
	}

	/* The header parsers take C strings: use the input up to its first NUL. */
	char *text = arena_strndup(a, s, size);
	struct cookie *cookies;
	size_t n = cookie_parse(a, text, &cookies);
	check(n <= COOKIE_MAX);
	for (const struct cookie *c = cookies; c; c = c->next) {
		check(cookie_name_valid(c->name));
		check(cookie_value_valid(c->value));
		n--;
	}
	check(n == 0);
	(void)negotiate_wants_json(text);

	arena_free(a);
	return 0;
}
