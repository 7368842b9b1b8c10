// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * form.h — strict percent-decoding and the application/x-www-form-urlencoded
 * parser, used for request bodies and for query strings alike.
 *
 * Strict means: every '%' is followed by exactly two hex digits, the decoded
 * bytes are well-formed UTF-8 (no overlong forms, no surrogates) and contain
 * no NUL. Anything else is rejected rather than guessed at, so the rest of
 * the server only ever sees clean UTF-8 text. Internal to src/http/ (and the
 * unit and fuzz tests); feature code never includes it.
 */
#ifndef TANDEM_HTTP_FORM_H
#define TANDEM_HTTP_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct arena;

/* Most fields one form or query string may hold (more is a 400). */
#define FORM_MAX_FIELDS 10000

/* Why decoding failed; form_problem_str() words it for a message. */
enum form_problem {
	FORM_OK,
	FORM_BAD_ESCAPE, /* '%' not followed by two hex digits */
	FORM_BAD_UTF8,   /* decoded bytes are not well-formed UTF-8 */
	FORM_NUL,        /* a NUL byte, raw or as %00 */
	FORM_TOO_MANY,   /* more than FORM_MAX_FIELDS fields */
	FORM_PROBLEM__MAX
};

/* One name=value pair, in input order. */
struct form_field {
	const char *name;        /* decoded, NUL-terminated UTF-8, never empty; in the arena */
	const char *value;       /* decoded, NUL-terminated UTF-8 ("" for "a" or "a="); in the arena */
	struct form_field *next; /* the next pair in input order, or NULL */
};

/*
 * Percent-decode s[0..n) into a new NUL-terminated arena string (*out, its
 * length in *outlen, which may be NULL). With plus_is_space, '+' decodes to a
 * space (form and query syntax); in paths it stays '+'. Returns 0, or
 * ERR_INVALID with the reason in *why (may be NULL); *out is then unset.
 */
int form_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out,
		size_t *outlen, enum form_problem *why) WUR;

/*
 * Parse urlencoded data s[0..n) (need not be NUL-terminated) into a list of
 * fields allocated in the arena (*out, NULL when there are none). Pairs are
 * split on '&'; empty pairs and pairs with an empty name are skipped; a pair
 * without '=' has the value "". Duplicate names are kept, in order. Returns 0,
 * or ERR_INVALID with the reason in *why (may be NULL).
 */
int form_parse(struct arena *a, const char *s, size_t n, struct form_field **out,
	       enum form_problem *why) WUR;

/* The first value of name in the list, or NULL. */
const char *form_get(const struct form_field *list, const char *name);

/* A few words for a problem ("malformed percent-encoding"); never NULL. */
const char *form_problem_str(enum form_problem p);

#endif
