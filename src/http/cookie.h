// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * cookie.h — reading the Cookie request header and writing Set-Cookie
 * response headers (RFC 6265). Parsing is lenient about the header's shape
 * (a malformed pair is skipped, the rest still read) but strict about what a
 * name and a value may contain. Internal to src/http/ and its tests.
 */
#ifndef TANDEM_HTTP_COOKIE_H
#define TANDEM_HTTP_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct arena;
struct buf;

/* Most cookies read from one header; the rest are ignored. */
#define COOKIE_MAX 64

/* One cookie sent by the client. */
struct cookie {
	const char *name;   /* an RFC 7230 token; in the arena */
	const char *value;  /* cookie-octets, surrounding double quotes removed; in the arena */
	struct cookie *next; /* the next cookie in header order, or NULL */
};

/*
 * Parse a Cookie header ("a=1; b=2") into a list in the arena (*out, NULL
 * when none). Pairs with an invalid name or value are skipped. Never fails;
 * returns the number of cookies read.
 */
size_t cookie_parse(struct arena *a, const char *header, struct cookie **out);

/* The value of the first cookie called name, or NULL. */
const char *cookie_find(const struct cookie *list, const char *name);

/* True when name is a valid cookie name (a non-empty token). */
bool cookie_name_valid(const char *name);
/* True when value is valid cookie-octets (may be empty). */
bool cookie_value_valid(const char *value);

/*
 * Append a Set-Cookie header value to out:
 * "name=value; Path=/; Max-Age=N; HttpOnly; SameSite=Lax; Secure".
 * max_age < 0 leaves out Max-Age (a session cookie); 0 deletes the cookie.
 * flags are the COOKIE_* bits of http.h; SameSite is Strict with
 * COOKIE_STRICT and Lax otherwise; Secure is added with COOKIE_SECURE or
 * when https is true. Returns 0, or ERR_INVALID (nothing appended) when the
 * name or value is not valid.
 */
int cookie_format(struct buf *out, const char *name, const char *value, long max_age,
		  unsigned flags, bool https) WUR;

#endif
