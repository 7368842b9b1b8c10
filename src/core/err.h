// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * err.h — the error codes every layer returns, and the small macros that go
 * with them. Functions return 0 on success or a negative enum err; one
 * central place (http/response.c) turns an error into an HTTP status.
 */
#ifndef TANDEM_CORE_ERR_H
#define TANDEM_CORE_ERR_H

#include <stdbool.h>

/* Mark a function whose result must be checked. */
#define WUR __attribute__((warn_unused_result))
/* printf-style argument checking: FMT(format index, first vararg index). */
#define FMT(a, b) __attribute__((format(printf, a, b)))

/*
 * Defensive checks that must never fail. In a debug build they assert; in a
 * release build they evaluate to the condition so the caller can recover.
 */
#ifdef NDEBUG
#define ALWAYS(x) (x)
#define NEVER(x) (x)
#else
#include <assert.h>
#define ALWAYS(x) ((x) ? 1 : (assert(0 && #x), 0))
#define NEVER(x) ((x) ? (assert(!(#x)), 1) : 0)
#endif

/* Error codes: 0 is success, every error is negative. */
enum err {
	ERR_OK = 0,
	ERR_NOMEM = -1,      /* out of memory */
	ERR_INVALID = -2,    /* bad input: a 400 */
	ERR_NOTFOUND = -3,   /* no such thing: a 404 */
	ERR_IO = -4,         /* file or socket error */
	ERR_DB = -5,         /* the store failed */
	ERR_TOOBIG = -6,     /* over a size limit: a 413 */
	ERR_CONFLICT = -7,   /* already exists / state conflict: a 409 */
	ERR_FORBIDDEN = -8,  /* not allowed: a 403 */
	ERR_UNAUTH = -9,     /* must sign in: a 401 */
	ERR_BUSY = -10,      /* try again later: a 503 */
	ERR_PARSE = -11,     /* malformed data */
	ERR_INTERNAL = -12,  /* a bug: a 500 */
	ERR_TOOMANY = -13,   /* rate limited: a 429 */
	ERR__MIN = -14
};

/* A short English description of an error code; never NULL. */
const char *err_str(int e);

#endif
