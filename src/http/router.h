// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * router.h — turns the application's route tables into a router and finds
 * the route for a method and a raw (still percent-encoded) path.
 *
 * Matching is segment by segment on the strictly decoded path. A literal
 * segment beats a capture, an {x:int} capture beats a plain {x}, and a plain
 * capture beats {x*}, compared from the left; among equals the route listed
 * first wins. Internal to src/http/ and its tests.
 */
#ifndef TANDEM_HTTP_ROUTER_H
#define TANDEM_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "http/http.h"

struct arena;
struct buf;

/* Most captures one pattern may declare. */
#define ROUTER_MAX_CAPTURES 8

/* What router_match found. */
enum router_result {
	ROUTER_FOUND,       /* m->route and m->captures are set */
	ROUTER_NOT_FOUND,   /* no pattern matches the path: a 404 */
	ROUTER_BAD_METHOD,  /* the path is known, not with this method: a 405, m->allow set */
	ROUTER_BAD_CAPTURE, /* the path fits but an {x:int} capture is not a number: a 400, m->message */
	ROUTER_REDIRECT,    /* "/x/" for a known "/x": a 308 to m->location */
	ROUTER_BAD_PATH,    /* the path is malformed (encoding, no leading '/'): a 400, m->message */
};

/* One captured path segment (or the rest of the path, for {x*}). */
struct router_capture {
	const char *name;  /* the capture's name in the pattern; owned by the router */
	const char *value; /* the decoded text; in the request arena */
	int64_t num;       /* the value of an {x:int} capture, else 0 */
};

/* The outcome of a match; strings live in the arena passed to router_match. */
struct router_match {
	const struct route *route;   /* ROUTER_FOUND: the route (borrowed from the table) */
	struct router_capture captures[ROUTER_MAX_CAPTURES]; /* ROUTER_FOUND: in pattern order */
	size_t ncaptures;            /* entries used in captures */
	unsigned allow;              /* ROUTER_BAD_METHOD: bit (1u << method) per allowed method */
	const char *message;         /* ROUTER_BAD_CAPTURE / ROUTER_BAD_PATH: words for a person */
	const char *location;        /* ROUTER_REDIRECT: the raw path without trailing slashes */
	const char *log_pattern;     /* any result: the pattern of a ROUTE_SECRET_PATH route the path
	                              * fits (whatever the method or trailing slashes), for the access
	                              * log to show instead of a path holding a secret; else NULL */
};

struct router;

/*
 * Compile a NULL-terminated list of route tables (each ending with a NULL
 * pattern). The tables must outlive the router. Returns 0, or ERR_INVALID
 * with the bad pattern and the reason in err.
 */
int router_new(struct router **out, const struct route *const *tables, char *err,
	       size_t errsz) WUR;
void router_free(struct router *r);

/*
 * Find the route for method and raw_path (the path part of the request
 * target, no query). Fills *m, allocating in a; returns what was found.
 */
enum router_result router_match(const struct router *r, struct arena *a, enum http_method method,
				const char *raw_path, struct router_match *m);

/* The method enum for an HTTP method token, or -1 when it is not one we serve. */
int http_method_parse(const char *token);
/* The token for a method ("GET"); "?" when out of range. */
const char *http_method_name(enum http_method m);
/* Append an Allow header value for a method mask ("GET, HEAD, POST"). */
void router_allow_str(unsigned allow, struct buf *out);

/*
 * Percent-decode a raw path strictly ('+' stays '+'). Returns the decoded
 * path in the arena, or NULL with a message for a person in *message.
 */
char *router_decode_path(struct arena *a, const char *raw_path, const char **message);

#endif
