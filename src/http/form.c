// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * form.c — strict percent-decoding and the urlencoded form parser (see
 * form.h). It is the first code to touch untrusted bytes from the address
 * and from form bodies, so it rejects rather than repairs, and it is fuzzed
 * (tests/fuzz/fuzz_form.c).
 */
#include "http/form.h"

#include <string.h>

#include "core/arena.h"
#include "core/str.h"

/* The value of a hex digit, or -1. */
static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int fail(enum form_problem *why, enum form_problem p)
{
	if (why)
		*why = p;
	return ERR_INVALID;
}

int form_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out,
		size_t *outlen, enum form_problem *why)
{
	char *dst = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				return fail(why, FORM_BAD_ESCAPE);
			int hi = hex_value((unsigned char)s[i + 1]);
			int lo = hex_value((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return fail(why, FORM_BAD_ESCAPE);
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == 0)
			return fail(why, FORM_NUL);
		dst[j++] = (char)c;
	}
	dst[j] = '\0';
	if (!utf8_valid(dst, j))
		return fail(why, FORM_BAD_UTF8);
	*out = dst;
	if (outlen)
		*outlen = j;
	if (why)
		*why = FORM_OK;
	return 0;
}

int form_parse(struct arena *a, const char *s, size_t n, struct form_field **out,
	       enum form_problem *why)
{
	struct form_field *head = NULL, **tail = &head;
	size_t count = 0;
	size_t i = 0;
	*out = NULL;
	while (i < n) {
		const char *pair = s + i;
		const char *amp = memchr(pair, '&', n - i);
		size_t len = amp ? (size_t)(amp - pair) : n - i;
		i += len + 1; /* past the '&' (or past the end) */
		if (len == 0)
			continue;
		const char *eq = memchr(pair, '=', len);
		size_t name_len = eq ? (size_t)(eq - pair) : len;
		if (name_len == 0)
			continue;
		if (++count > FORM_MAX_FIELDS)
			return fail(why, FORM_TOO_MANY);
		char *name, *value;
		int rc = form_decode(a, pair, name_len, true, &name, NULL, why);
		if (rc < 0)
			return rc;
		if (eq)
			rc = form_decode(a, eq + 1, len - name_len - 1, true, &value, NULL, why);
		else
			value = arena_strdup(a, "");
		if (rc < 0)
			return rc;
		struct form_field *f = arena_alloc(a, sizeof(*f));
		f->name = name;
		f->value = value;
		f->next = NULL;
		*tail = f;
		tail = &f->next;
	}
	*out = head;
	if (why)
		*why = FORM_OK;
	return 0;
}

const char *form_get(const struct form_field *list, const char *name)
{
	for (const struct form_field *f = list; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f->value;
	return NULL;
}

const char *form_problem_str(enum form_problem p)
{
	static const char *const words[FORM_PROBLEM__MAX] = {
		[FORM_OK] = "no problem",
		[FORM_BAD_ESCAPE] = "malformed percent-encoding",
		[FORM_BAD_UTF8] = "text that is not valid UTF-8",
		[FORM_NUL] = "a NUL character",
		[FORM_TOO_MANY] = "too many fields",
	};
	if ((unsigned)p >= FORM_PROBLEM__MAX)
		return "a problem";
	return words[p];
}
