// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * http.h — what feature code sees of HTTP: route tables with declared,
 * validated parameters; a request with typed accessors; a response that is
 * either a view (model + template, negotiated to JSON or HTML), an error
 * (problem JSON or an error page), a redirect or raw bytes; and the server.
 *
 * Feature code includes this header only; libmicrohttpd stays inside
 * src/http/. The server never renders HTML itself: it calls the render hook
 * the application gives it (see struct http_hooks), so http does not depend
 * on view.
 */
#ifndef TANDEM_HTTP_HTTP_H
#define TANDEM_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct arena;
struct buf;
struct request;
struct response;

enum http_method {
	HTTP_GET,
	HTTP_HEAD, /* served by GET routes, body dropped */
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_METHOD__MAX
};

/* Types a declared parameter can have. */
enum param_type {
	PARAM_STRING,  /* one line: no control characters; length in characters */
	PARAM_TEXT,    /* multi-line text: newlines and tabs allowed */
	PARAM_INT,     /* whole number within [min, max] */
	PARAM_NUMBER,  /* decimal number within [min, max] */
	PARAM_BOOL,    /* "1"/"0", "true"/"false", "on"/"off", "yes"/"no"; JSON true/false */
	PARAM_ENUM,    /* one of choices */
	PARAM_DATE,    /* a real calendar date: "2026-12-06", "6/12/2026", "6 Dec 2026",
	                * "6 December 2026"; read as "2026-12-06" */
	PARAM_EMAIL,   /* a plausible address: one @, no spaces, at most 254 characters */
	PARAM_TIME,    /* a time of day, 00:00 to 23:59: "16:00", "4pm", "16.00", "9:30am";
	                * read as "HH:MM" */
	PARAM_DECIMAL, /* a number with at most 2 decimal places within [min, max]:
	                * "1500", "1,500", "£500", "1.5"; read as "1500", "1.5" */
	PARAM_HOURS,   /* a duration in hours as PARAM_DECIMAL, also "1h30", "90 min",
	                * "1 hour 30 minutes"; read as a decimal ("1.5") */
	PARAM_TYPE__MAX
};

#define PARAM_REQUIRED 0x1u  /* absent or empty is an error */
#define PARAM_MULTI 0x2u     /* may repeat (a=1&a=2, or a JSON array) */
#define PARAM_ABOVE_MIN 0x4u /* INT/NUMBER/DECIMAL/HOURS: must be more than min, not equal */

/*
 * One declared query (GET/HEAD) or body (other methods) parameter. Every
 * value is checked to be valid UTF-8 first. A parameter the route does not
 * declare is ignored, but no field, declared or not, may be given twice
 * unless it is PARAM_MULTI (a 400 naming it, on every route). An empty
 * value counts as absent. A JSON body may give a number as a JSON number,
 * a PARAM_BOOL as true/false and a PARAM_MULTI as an array.
 *
 * A name with one "{word}" in it is a name pattern: "hours_{urn}" declares
 * every field "hours_<number>" ("hours_107897"), each checked against the
 * spec on its own (PARAM_REQUIRED: each one given must have a value); read
 * them with req_each. The number is written in digits without leading zeros.
 *
 * Write tables with PARAM(...) and end them with PARAM_END, e.g.
 *   PARAM(.name = "urn", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "URN"),
 * Positional initialisers ({name, type, flags, min, max, choices, label}) work too.
 */
struct param_spec {
	const char *name;           /* field name or name pattern; NULL ends a table */
	enum param_type type;       /* what a value must be */
	unsigned flags;             /* PARAM_REQUIRED, PARAM_MULTI, PARAM_ABOVE_MIN */
	int64_t min, max;           /* INT/NUMBER/DECIMAL/HOURS: inclusive range (min
	                             * exclusive with PARAM_ABOVE_MIN), used when min < max;
	                             * STRING/TEXT: length limits in characters, max 0
	                             * meaning 200 for STRING and 20000 for TEXT */
	const char *const *choices; /* ENUM: NULL-terminated allowed values */
	const char *label;          /* human name for messages; defaults to name */
};

/* One entry of a parameter table, by designated initialisers (see struct param_spec). */
#define PARAM(...) {__VA_ARGS__}
/* The entry that ends a parameter table. */
#define PARAM_END {.name = NULL}

typedef int (*http_handler)(struct request *req, struct response *res);

#define ROUTE_RAW_BODY 0x1u   /* the handler reads the body itself (uploads): no parsing */
#define ROUTE_OWN_ERRORS 0x2u /* invalid params reach the handler (req_errors) instead of an automatic 400 */
#define ROUTE_NO_CSRF 0x4u    /* state-changing route exempt from the CSRF hook (documented per route) */
#define ROUTE_SECRET_PATH 0x8u /* the path holds a secret token: the access log shows the pattern */

/*
 * A route. Patterns are literal segments and typed captures: "/schools/{urn:int}",
 * "/static/{path*}" (rest of the path), "/networks/{slug}" (one segment).
 * Tables end with an entry whose pattern is NULL.
 */
struct route {
	enum http_method method;
	const char *pattern;
	http_handler handler;
	const struct param_spec *params; /* NULL or a table ending in {NULL} */
	unsigned flags;                  /* ROUTE_* */
	size_t max_body;                 /* bytes; 0 means the server default (1 MiB) */
};

/*
 * A gate: the application's check for one route (method and pattern exactly
 * as in its route table) that runs when the request's headers are in and
 * before any of its body is read, so that a person who may not use a route
 * taking large uploads is refused at once (401, 403) rather than after the
 * upload. It sees the path, the query, the headers and the cookies (no
 * parameters, no body). Return 0 to let the body come, or a negative error
 * having set an error on res (or not, for the generic message). Tables end
 * with an entry whose pattern is NULL; a gate for no route stops start-up.
 */
struct route_gate {
	enum http_method method; /* the route's method */
	const char *pattern;     /* the route's pattern */
	http_handler gate;       /* the check */
};

/*
 * Hooks the application gives the server. All optional.
 * before: runs after routing and parameter validation and before the handler
 *   (sign-in, CSRF). Return 0 to continue, or a negative error having set an
 *   error on res (or not, for the generic message).
 * render: render template tmpl with model to HTML into out. The server calls
 *   it for views and for error pages (tmpl "error", model {status, title,
 *   detail, errors}). Return 0 or a negative error.
 * ctx: stored in every request (req_app).
 * gates: checks that run before a route's body is read (struct route_gate).
 */
struct http_hooks {
	int (*before)(struct request *req, struct response *res);
	int (*render)(struct request *req, const char *tmpl, json_t *model, struct buf *out);
	void *ctx;
	const struct route_gate *const *gates; /* NULL or a NULL-terminated list of gate tables */
};

/* ---- Request ---------------------------------------------------------- */

/* The request's arena: freed after the response has been sent. */
struct arena *req_arena(const struct request *req);
enum http_method req_method(const struct request *req);
/* The decoded path, e.g. "/schools/100000". */
const char *req_path(const struct request *req);
/* A short unique id for logs and error pages. */
const char *req_id(const struct request *req);
/* The hooks' ctx (the application). */
void *req_app(const struct request *req);
/* A per-request slot for the application (the signed-in user, say). */
void *req_user(const struct request *req);
void req_set_user(struct request *req, void *user);
/* True when the response will be JSON (Accept prefers application/json). */
bool req_wants_json(const struct request *req);
/* A request header (case-insensitive name) or NULL. */
const char *req_header(const struct request *req, const char *name);
/* A cookie value or NULL. */
const char *req_cookie(const struct request *req, const char *name);
/* The client's address as text. */
const char *req_client_ip(const struct request *req);
/* Path captures: the decoded text, and the value of an {x:int} capture. */
const char *req_path_str(const struct request *req, const char *name);
int64_t req_path_int(const struct request *req, const char *name);
/* Validated parameters. A value that was absent or invalid reads as absent. */
bool req_has(const struct request *req, const char *name);
const char *req_str(const struct request *req, const char *name);
int64_t req_int(const struct request *req, const char *name, int64_t dflt);
double req_num(const struct request *req, const char *name, double dflt);
bool req_bool(const struct request *req, const char *name);
/* All values of a PARAM_MULTI parameter (arena array); returns the count. */
size_t req_multi(const struct request *req, const char *name, const char *const **values);
/*
 * PARAM_DECIMAL and PARAM_HOURS (and PARAM_INT) values exactly, in
 * hundredths: "1,500.25" is 150025 (pence for an amount of pounds), "1h30" 150.
 */
int64_t req_hundredths(const struct request *req, const char *name, int64_t dflt);
/*
 * The fields a name pattern ("hours_{urn}") matched, in ascending order of
 * their number: the i-th field's name (for req_has, req_str, req_num …) with
 * its number in *key (may be NULL), or NULL past the last. Every matched
 * field given is listed, with a value or empty:
 *   for (size_t i = 0; (f = req_each(req, "hours_{urn}", i, &urn)); i++) ...
 */
const char *req_each(const struct request *req, const char *pattern, size_t i, int64_t *key);
/*
 * What was submitted for every declared parameter, valid or not, as typed:
 * {name: "text"} or, for a field given several times, {name: ["a", "b"]};
 * fields matched by name patterns under their own names; JSON numbers and
 * booleans as text. For refilling a refused form. A new reference (the
 * caller owns it); an empty object when nothing was given.
 */
json_t *req_form_values(const struct request *req);
/* With ROUTE_OWN_ERRORS: {field: message} for invalid fields, or NULL when all valid. Borrowed. */
json_t *req_errors(const struct request *req);
/* With ROUTE_RAW_BODY: path of a temporary file holding the body (deleted after the request). */
const char *req_body_file(const struct request *req, size_t *len);
/*
 * Any field of the query (GET/HEAD) or of the form body, declared or not:
 * decoded and known to be UTF-8, but not validated; or a string, number or
 * boolean member of a JSON body, as text ({"hours": 6} reads "6"). NULL when
 * absent. For hooks that need an undeclared field (the
 * CSRF token); handlers should declare their parameters instead.
 */
const char *req_field(const struct request *req, const char *name);
/* The matched route's ROUTE_* flags (the before hook checks ROUTE_NO_CSRF); 0 before routing. */
unsigned req_route_flags(const struct request *req);

/* One part of a multipart/form-data upload (all strings in the request arena). */
struct multipart_part {
	const char *name;     /* the form field's name */
	const char *filename; /* the file's name as the browser sent it, NULL for a text field */
	const char *value;    /* a text field's value (UTF-8, at most 64 KiB), NULL for a file */
	const char *path;     /* a file's contents, in a temporary file deleted after the request */
	size_t size;          /* bytes of the value or file */
};

/*
 * Parse a ROUTE_RAW_BODY request's multipart/form-data body. Returns 0 with
 * the parts, or ERR_INVALID with a sentence for the person in *detail (not
 * multipart, empty, cut short, …) or ERR_IO.
 */
int req_multipart(struct request *req, struct multipart_part **parts, size_t *count,
		  const char **detail) WUR;
/* The part with that field name, or NULL. */
const struct multipart_part *multipart_find(const struct multipart_part *parts, size_t n,
					    const char *name);

/* ---- Response --------------------------------------------------------- */

/* A view: model as JSON or template as HTML, by the Accept header. Takes the model reference. */
void res_view(struct response *res, int status, const char *tmpl, json_t *model);
/* Always JSON, whatever was asked. Takes the reference. */
void res_json(struct response *res, int status, json_t *body);
/*
 * An error: application/problem+json {type, title, status, detail, errors?}
 * or the "error" template. title defaults from the status. Returns the
 * negative error matching the status so handlers can `return res_error(...)`.
 */
int res_error(struct response *res, int status, const char *detail);
/* Add a field error for a 400 (shown with the next res_error(res, 400, ...)). */
void res_field_error(struct response *res, const char *field, const char *message);
/* 303 See Other (or another 3xx) to location. */
void res_redirect(struct response *res, int status, const char *location);
/* Raw bytes (copied). */
void res_body(struct response *res, int status, const char *content_type, const void *data, size_t len);
/* An extra header (copied). */
void res_header(struct response *res, const char *name, const char *value);
#define COOKIE_HTTPONLY 0x1u
#define COOKIE_SECURE 0x2u   /* also added automatically when the server runs over https */
#define COOKIE_LAX 0x4u
#define COOKIE_STRICT 0x8u
/* Set-Cookie with Path=/; max_age < 0 for a session cookie, 0 to delete. */
void res_cookie(struct response *res, const char *name, const char *value, long max_age, unsigned flags);

/* The HTTP status for an error code (ERR_NOTFOUND → 404 …). */
int http_status_for(int err);
/* The standard reason phrase ("Not Found"). */
const char *http_reason(int status);

/* ---- Server ----------------------------------------------------------- */

struct http_server;

struct http_server_opts {
	const char *addr;       /* listen address, e.g. "127.0.0.1" or "::1" */
	int port;               /* 0 picks a free port (see http_server_port) */
	int threads;            /* worker threads */
	size_t max_body;        /* default body limit in bytes */
	const char *static_dir; /* files served under /static/, loaded at start */
	int shutdown_grace;     /* seconds in-flight requests get at shutdown */
	bool https;             /* cookies get Secure */
	int max_uploads;        /* ROUTE_RAW_BODY bodies received at once; more get a 503 (0: 2) */
};

/*
 * Start serving. tables is a NULL-terminated list of route tables. Returns 0
 * or an error with a message in err (bad pattern, port in use, …).
 */
int http_server_start(struct http_server **out, const struct http_server_opts *opts,
		      const struct route *const *tables, const struct http_hooks *hooks,
		      char *err, size_t errsz) WUR;
/* The port actually bound. */
int http_server_port(const struct http_server *srv);
/* Stop accepting, let in-flight requests finish (bounded by shutdown_grace), free. */
void http_server_stop(struct http_server *srv);

#endif
