// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * internal.h — the shapes behind http.h's opaque types (server, request,
 * response) and the functions the files of src/http/ share: server.c (the
 * libmicrohttpd glue and request lifecycle), request.c (the req_*
 * accessors), body.c (receiving and parsing bodies), response.c (the res_*
 * builders and sending). Never included outside src/http/.
 */
#ifndef TANDEM_HTTP_INTERNAL_H
#define TANDEM_HTTP_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/cookie.h"
#include "http/form.h"
#include "http/http.h"
#include "http/params.h"
#include "http/router.h"

struct static_files;

/* Longest request target (path and query) we accept: longer is a 414. */
#define HTTP_MAX_URI 8192
/* Most bytes of request headers we accept: more is a 431. */
#define HTTP_MAX_HEADERS (16u * 1024)
/* Default body limit when neither the route nor the options give one. */
#define HTTP_DEFAULT_MAX_BODY (1024u * 1024)

/* The running server. */
struct http_server {
	struct MHD_Daemon *daemon;      /* owned; stopped in http_server_stop */
	struct router *router;          /* owned */
	struct static_files *statics;   /* owned; may hold no files */
	struct http_hooks hooks;        /* copy of the application's hooks */
	char *addr;                     /* owned copy of opts->addr */
	size_t max_body;                /* default body limit in bytes */
	int shutdown_grace;             /* seconds */
	bool https;                     /* cookies get Secure */
	int port;                       /* the port actually bound */
	char id_prefix[8];              /* random per-process hex prefix of request ids */
	atomic_uint_fast64_t next_id;   /* request counter for ids */
	atomic_int inflight;            /* requests begun and not yet completed */
	const struct route **gated;     /* owned: the route each gate is for, parallel to gate_fns */
	http_handler *gate_fns;         /* owned: the gates (hooks.gates flattened) */
	size_t ngates;                  /* entries in gated and gate_fns */
	int max_uploads;                /* ROUTE_RAW_BODY bodies received at once */
	atomic_int uploads;             /* ROUTE_RAW_BODY bodies being received now */
};

/* One extra response header (arena). */
struct header {
	const char *name;    /* header name as given */
	const char *value;   /* header value, no CR/LF */
	struct header *next; /* next header, in the order added */
};

/* What the handler (or the server) has said to send. */
struct response {
	struct request *req;     /* the request this answers */
	bool set;                /* a status and body have been chosen */
	int status;              /* HTTP status */
	const char *content_type; /* Content-Type or NULL (arena or literal) */
	const char *body;        /* body bytes (arena or literal); may be NULL when len is 0 */
	size_t len;              /* bytes of body */
	bool negotiated;         /* body depends on Accept: add Vary: Accept */
	bool dynamic;            /* add Cache-Control: no-store unless set */
	struct header *headers;  /* extra headers (arena), in order */
	struct header **tail;    /* where the next header goes */
	json_t *field_errors;    /* {field: message} from res_field_error, or NULL; arena-released */
};

/* One request, from its first callback to the request-completed callback. */
struct request {
	struct http_server *srv;      /* the server (borrowed) */
	struct MHD_Connection *conn;  /* the connection (borrowed; valid until completion) */
	struct arena *arena;          /* everything below that is allocated lives here */
	char id[32];                  /* request id, "<prefix>-<counter hex>" */
	int64_t t0;                   /* clock_mono_us() at the start, for the access log */
	const char *method_str;       /* the method token as received (MHD's memory) */
	int method;                   /* enum http_method, or -1 for any other token */
	const char *raw_uri;          /* request target as received (arena) */
	const char *raw_path;         /* the part before '?' (arena) */
	const char *raw_query;        /* the part after '?', or NULL (arena) */
	const char *path;             /* raw_path strictly decoded, or raw_path if it is not valid */
	bool wants_json;              /* Accept prefers JSON */
	struct router_match match;    /* the routing outcome */
	const struct route *route;    /* the matched route, or NULL */
	struct form_field *query;     /* decoded query fields */
	struct form_field *form;      /* decoded urlencoded body fields */
	json_t *json;                 /* parsed JSON body object, or NULL; arena-released */
	struct params params;         /* validated declared parameters */
	struct cookie *cookies;       /* parsed Cookie header (after cookies_parsed) */
	bool cookies_parsed;          /* cookies has been filled */
	const char *client_ip;        /* cached text address, or NULL */
	void *user;                   /* req_set_user slot */

	/* Body reception (body.c). */
	size_t max_body;              /* limit for this request */
	size_t received;              /* bytes of body seen so far */
	bool has_body;                /* Content-Length > 0 or chunked */
	bool too_big;                 /* received passed max_body: answer 413 */
	bool body_failed;             /* writing the upload file failed: answer 500 */
	char *body;                   /* accumulated body (arena), NUL-terminated */
	size_t body_cap;              /* bytes allocated for body */
	int body_fd;                  /* ROUTE_RAW_BODY upload file, or -1 */
	char *body_path;              /* its path (arena), or NULL */
	bool upload_slot;             /* holds one of srv->max_uploads until completion */

	bool queued;                  /* a response has been queued with MHD */
	int status;                   /* the status queued (0 if none), for the access log */
	struct response res;          /* the response being built */
};

/* Build a request's response into an MHD response and queue it (response.c). */
enum MHD_Result response_queue(struct request *req);
/* Set up req->res (response.c). */
void response_init(struct request *req);
/* Answer with an error of status and detail (may be NULL), negotiated (response.c). */
enum MHD_Result response_fail(struct request *req, int status, const char *detail);
/* Add the security headers every response carries (response.c). */
void response_add_security_headers(struct MHD_Response *r, const struct response *res);

/* Receive a piece of body (body.c). Never fails: problems are flagged on req. */
void body_append(struct request *req, const char *data, size_t n);
/*
 * Check a request's body headers before reading (body.c): Content-Length
 * against the limit (413), and that a body a route would parse is a form or
 * JSON (415 otherwise, on every route without ROUTE_RAW_BODY). Returns 0, or an HTTP status with *detail set for the error.
 */
int body_precheck(struct request *req, const char **detail);
/*
 * After the upload: parse the body by Content-Type into req->form or
 * req->json (body.c). Returns 0, or an HTTP status with *detail set.
 */
int body_parse(struct request *req, const char **detail);

#endif
