// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * server.c — the libmicrohttpd glue: starting and stopping the daemon, and
 * the life of one request from its first callback to the request-completed
 * callback (checks on the address and headers, static files, routing,
 * receiving the body, parameters, the before hook, the handler, the access
 * log line).
 *
 * libmicrohttpd calls the access handler several times per request: once
 * when the headers are in (we set the request up and may answer at once),
 * once per piece of body, and once more when the body is complete (we run
 * the handler). All per-request memory is in one arena, freed in the
 * request-completed callback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "core/util.h"
#include "http/internal.h"
#include "http/negotiate.h"
#include "http/static.h"

/* Per-connection memory MHD may use for headers and buffers. Large enough
 * that an over-long URL (up to several times HTTP_MAX_URI) or header block
 * reaches our own checks and gets a proper 414/431 page; beyond that MHD
 * answers 414/431 itself. */
#define HTTP_CONN_MEMORY (64u * 1024)
/* Bytes past a body limit we read (and drop) to be able to answer 413. */
#define HTTP_MAX_DISCARD (16u * 1024 * 1024)
/* Seconds an idle connection is kept. */
#define HTTP_CONN_TIMEOUT 30u

/* Per-connection state (MHD's "socket context"). */
struct conn_ctx {
	char *uri; /* the latest request target exactly as received (malloc), or NULL */
};

/* ---- MHD callbacks that are not the access handler -------------------- */

/* Route MHD's own diagnostics into our log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(msg, sizeof(msg), fmt, ap);
#pragma GCC diagnostic pop
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("libmicrohttpd: %s", msg);
}

/*
 * Identity unescaping: MHD would otherwise percent-decode the path and the
 * query leniently before we see them. We decode strictly ourselves.
 */
static size_t unescape_identity(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/*
 * Connection start/close: keeps a small per-connection record so the URI
 * logger below has somewhere to put the raw request target. (Returning an
 * object from the URI logger instead would leak it for requests MHD rejects
 * before calling us: MHD only calls the completion callback for requests
 * the access handler has seen.)
 */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	(void)c;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = xcalloc(1, sizeof(struct conn_ctx));
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		struct conn_ctx *cc = *socket_context;
		if (cc) {
			free(cc->uri);
			free(cc);
		}
		*socket_context = NULL;
	}
}

/*
 * MHD's URI logger is the one place that sees the full request target
 * (path and query) before MHD splits it up; we keep a copy so the query
 * string can be parsed by our own strict form parser.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_ctx *cc = ci ? ci->socket_context : NULL;
	if (cc) {
		free(cc->uri);
		cc->uri = xstrdup(uri);
	}
	return NULL;
}

/* A copy of s safe for one log line: printable ASCII, at most max bytes. */
static const char *loggable(struct arena *a, const char *s, size_t max)
{
	if (!s)
		return "-";
	size_t n = strlen(s);
	if (n > max)
		n = max;
	char *out = arena_strndup(a, s, n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] <= 0x20 || (unsigned char)out[i] >= 0x7F)
			out[i] = '?';
	return out;
}

/* The request is over (answered, or the connection died): log it and free it. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct http_server *srv = cls;
	struct request *req = *con_cls;
	if (!req)
		return;
	*con_cls = NULL;
	long long us = (long long)(clock_mono_us() - req->t0);
	/* A route whose path carries a secret (an invitation or reset token) is
	 * logged by its pattern, so the log never holds a usable link; so is a
	 * 405 or 308 for such a path (no route chosen, but the router saw it fit). */
	const char *path = req->raw_path;
	if (req->route && (req->route->flags & ROUTE_SECRET_PATH))
		path = req->route->pattern;
	else if (!req->route && req->match.log_pattern)
		path = req->match.log_pattern;
	log_info("%s %s %s %d %lldus%s", req->id, loggable(req->arena, req->method_str, 16),
		 loggable(req->arena, path, 512), req->status, us,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed early)");
	if (req->upload_slot)
		atomic_fetch_sub(&srv->uploads, 1);
	arena_free(req->arena);
	atomic_fetch_sub(&srv->inflight, 1);
}

/* ---- One request ------------------------------------------------------ */

static struct request *request_begin(struct http_server *srv, struct MHD_Connection *conn,
				     const char *url, const char *method)
{
	struct arena *a = arena_new();
	struct request *req = arena_zalloc(a, sizeof(*req));
	req->arena = a;
	req->srv = srv;
	req->conn = conn;
	req->t0 = clock_mono_us();
	req->body_fd = -1;
	unsigned long long n = (unsigned long long)atomic_fetch_add(&srv->next_id, 1) + 1;
	snprintf(req->id, sizeof(req->id), "%s-%llx", srv->id_prefix, n);
	atomic_fetch_add(&srv->inflight, 1);
	req->method_str = method;
	req->method = http_method_parse(method);

	/*
	 * Take the raw target the URI logger kept for this connection. It must
	 * start with MHD's own (identity-unescaped) path; anything else would
	 * mean a stale copy, so fall back to the path alone.
	 */
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_ctx *cc = ci ? ci->socket_context : NULL;
	if (cc && cc->uri && strncmp(cc->uri, url, strlen(url)) == 0) {
		req->raw_uri = arena_strdup(a, cc->uri);
	} else {
		log_warn("%s no raw request target from MHD; the query string is ignored", req->id);
		req->raw_uri = arena_strdup(a, url);
	}
	if (cc) {
		free(cc->uri);
		cc->uri = NULL;
	}
	const char *q = strchr(req->raw_uri, '?');
	req->raw_path = q ? arena_strndup(a, req->raw_uri, (size_t)(q - req->raw_uri))
			  : req->raw_uri;
	req->raw_query = q ? q + 1 : NULL;
	req->path = req->raw_path;
	req->wants_json = negotiate_wants_json(req_header(req, "Accept"));
	response_init(req);
	return req;
}

/* Add up the header bytes (MHD iterator). */
static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind;
	size_t *total = cls;
	*total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Serve GET/HEAD /static/<path> from memory. */
static enum MHD_Result serve_static(struct request *req)
{
	const struct static_file *f = static_find(req->srv->statics, req->path + strlen("/static/"));
	if (!f)
		return response_fail(req, 404, NULL);
	bool fresh = static_etag_matches(req_header(req, "If-None-Match"), f->etag);
	static char empty[1];
	/* PERSISTENT: the file stays in memory until the daemon has stopped. */
	struct MHD_Response *r = fresh ? MHD_create_response_from_buffer(0, empty,
									 MHD_RESPMEM_PERSISTENT)
				       : MHD_create_response_from_buffer(f->len, f->data,
									 MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	if (!fresh)
		(void)MHD_add_response_header(r, "Content-Type", f->type);
	(void)MHD_add_response_header(r, "ETag", f->etag);
	(void)MHD_add_response_header(r, "Cache-Control", "public, max-age=3600");
	response_add_security_headers(r, NULL);
	int status = fresh ? 304 : 200;
	enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	if (ok == MHD_YES) {
		req->queued = true;
		req->status = status;
	}
	return ok;
}

/* A method token short and plain enough to quote back. */
static bool quotable_token(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return false;
	return true;
}

/*
 * An upload (a ROUTE_RAW_BODY body) takes one of the server's max_uploads
 * slots until the request completes, so that a few large bodies cannot
 * fill the disk or hold every worker: past the bound, a 503 that says when
 * to try again, before anything is read.
 */
static enum MHD_Result take_upload_slot(struct request *req)
{
	struct http_server *srv = req->srv;
	if (!(req->route->flags & ROUTE_RAW_BODY) || !req->has_body)
		return MHD_YES;
	if (atomic_fetch_add(&srv->uploads, 1) >= srv->max_uploads) {
		atomic_fetch_sub(&srv->uploads, 1);
		log_warn("%s refused an upload: %d already being received", req->id, srv->max_uploads);
		res_header(&req->res, "Retry-After", "30");
		return response_fail(req, 503,
				     arena_printf(req->arena,
						  "The server is already receiving as many uploads as it takes at "
						  "once (%d). Nothing was changed: try again in a minute.",
						  srv->max_uploads));
	}
	req->upload_slot = true;
	return MHD_YES;
}

/*
 * First callback: the headers are in, no body yet. Answer at once when the
 * request cannot succeed (so a large body is never read), else route it and
 * prepare to receive the body.
 */
static enum MHD_Result request_first(struct request *req)
{
	struct http_server *srv = req->srv;
	if (strlen(req->raw_uri) > HTTP_MAX_URI)
		return response_fail(req, 414,
				     "The address is too long: at most 8192 characters are allowed.");
	size_t header_bytes = 0;
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_header, &header_bytes);
	if (header_bytes > HTTP_MAX_HEADERS)
		return response_fail(req, 431, "The request headers are too large.");
	if (req->method < 0) {
		const char *m = req->method_str;
		return response_fail(
			req, 501,
			quotable_token(m)
				? arena_printf(req->arena,
					       "The method %s is not supported here. Use GET, HEAD, "
					       "POST, PUT, PATCH or DELETE.",
					       m)
				: "That method is not supported here. Use GET, HEAD, POST, PUT, "
				  "PATCH or DELETE.");
	}
	const char *msg = NULL;
	char *path = router_decode_path(req->arena, req->raw_path, &msg);
	if (!path)
		return response_fail(req, 400, msg);
	req->path = path;
	if (req->raw_query) {
		enum form_problem why;
		if (form_parse(req->arena, req->raw_query, strlen(req->raw_query), &req->query,
			       &why) < 0)
			return response_fail(req, 400,
					     arena_printf(req->arena, "The address contains %s.",
							  form_problem_str(why)));
	}
	if ((req->method == HTTP_GET || req->method == HTTP_HEAD) &&
	    str_starts_with(req->raw_path, "/static/"))
		return serve_static(req);

	switch (router_match(srv->router, req->arena, (enum http_method)req->method,
			     req->raw_path, &req->match)) {
	case ROUTER_FOUND:
		req->route = req->match.route;
		break;
	case ROUTER_NOT_FOUND:
		return response_fail(req, 404, NULL);
	case ROUTER_BAD_METHOD: {
		struct buf allow = BUF_INIT;
		router_allow_str(req->match.allow, &allow);
		res_header(&req->res, "Allow", buf_str(&allow));
		const char *detail = arena_printf(req->arena,
						  "This address does not accept %s requests. It "
						  "accepts: %s.",
						  req->method_str, buf_str(&allow));
		buf_free(&allow);
		return response_fail(req, 405, detail);
	}
	case ROUTER_BAD_CAPTURE:
	case ROUTER_BAD_PATH:
		return response_fail(req, 400, req->match.message);
	case ROUTER_REDIRECT: {
		const char *loc = req->raw_query ? arena_printf(req->arena, "%s?%s",
								req->match.location, req->raw_query)
						 : req->match.location;
		res_redirect(&req->res, 308, loc);
		return response_queue(req);
	}
	}

	/* The route's gate, before any of the body is read (who may upload at all). */
	for (size_t i = 0; i < srv->ngates; i++) {
		if (srv->gated[i] != req->route)
			continue;
		int rc = srv->gate_fns[i](req, &req->res);
		if (rc < 0) {
			if (!req->res.set)
				(void)res_error(&req->res, http_status_for(rc), NULL);
			return response_queue(req);
		}
	}
	const char *detail = NULL;
	int status = body_precheck(req, &detail);
	if (status)
		return response_fail(req, status, detail);
	return take_upload_slot(req);
}

/* Last callback: the body is complete. Parse, validate, run hooks and handler. */
static enum MHD_Result request_finish(struct request *req)
{
	struct http_server *srv = req->srv;
	struct response *res = &req->res;
	const struct route *rt = req->route;
	const char *detail = NULL;
	int status = body_parse(req, &detail);
	if (status)
		return response_fail(req, status, detail);

	bool from_query = req->method == HTTP_GET || req->method == HTTP_HEAD;
	params_validate(req->arena, rt->params, from_query ? req->query : req->form,
			from_query ? NULL : req->json, &req->params);

	if (srv->hooks.before) {
		int rc = srv->hooks.before(req, res);
		if (rc < 0) {
			if (!res->set)
				(void)res_error(res, http_status_for(rc), NULL);
			return response_queue(req);
		}
	}
	if (req->params.repeated) {
		/* Never the handler's to decide, whatever the route: which copy would count? */
		res_field_error(res, req->params.repeated,
				json_string_value(json_object_get(req->params.errors,
								  req->params.repeated)));
		const char *name = req->params.repeated;
		return response_fail(req, 400,
				     strlen(name) <= 64
					     ? arena_printf(req->arena,
							    "The field %s was given more than once; "
							    "send it once.",
							    name)
					     : "A field was given more than once; send each once.");
	}
	if (req->params.errors && !(rt->flags & ROUTE_OWN_ERRORS)) {
		const char *field;
		json_t *msg;
		json_object_foreach(req->params.errors, field, msg)
			res_field_error(res, field, json_string_value(msg));
		return response_fail(req, 400, "Some of the values given are not valid.");
	}
	int rc = rt->handler(req, res);
	if (rc < 0 && !res->set) {
		/* The friendly default detail for 4xx; the error's name only reaches the log. */
		int st = http_status_for(rc);
		(void)res_error(res, st,
				st == 500 ? arena_printf(req->arena, "%s %s: %s", req->method_str,
							 rt->pattern, err_str(rc))
					  : NULL);
	}
	if (!res->set)
		(void)res_error(res, 500, arena_printf(req->arena, "the handler for %s %s set no "
								   "response",
						       req->method_str, rt->pattern));
	return response_queue(req);
}

/* The access handler MHD calls for every request (see the top of the file). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct request *req = *con_cls;
	if (!req) {
		req = request_begin(cls, conn, url, method);
		*con_cls = req;
		return request_first(req);
	}
	if (*upload_data_size) {
		/*
		 * Consume every piece (telling MHD so), even once over the limit:
		 * MHD 0.9.75 refuses a response queued in the middle of an upload,
		 * so the 413 waits for the end of the body. A client that keeps
		 * sending far past the limit is cut off instead (MHD_NO closes
		 * the connection).
		 */
		if (!req->queued)
			body_append(req, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (req->too_big && req->received - req->max_body > HTTP_MAX_DISCARD) {
			log_warn("%s body far over the limit: closing the connection", req->id);
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (req->queued)
		return MHD_YES;
	return request_finish(req);
}

/* ---- Server lifecycle ------------------------------------------------- */

static void make_id_prefix(struct http_server *srv)
{
	unsigned char r[3];
	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		unsigned v = (unsigned)time(NULL) ^ (unsigned)getpid() << 8;
		r[0] = (unsigned char)v;
		r[1] = (unsigned char)(v >> 8);
		r[2] = (unsigned char)(v >> 16);
	}
	snprintf(srv->id_prefix, sizeof(srv->id_prefix), "%02x%02x%02x", r[0], r[1], r[2]);
}

/* Find the route of each of the application's gates (srv->hooks.gates). 0 or ERR_INVALID naming the gate. */
static int gates_resolve(struct http_server *srv, const struct route *const *tables, char *err, size_t errsz)
{
	size_t n = 0;
	for (size_t g = 0; srv->hooks.gates && srv->hooks.gates[g]; g++)
		for (const struct route_gate *e = srv->hooks.gates[g]; e->pattern; e++)
			n++;
	if (!n)
		return 0;
	srv->gated = xcalloc(n, sizeof(*srv->gated));
	srv->gate_fns = xcalloc(n, sizeof(*srv->gate_fns));
	for (size_t g = 0; srv->hooks.gates[g]; g++) {
		for (const struct route_gate *e = srv->hooks.gates[g]; e->pattern; e++) {
			const struct route *found = NULL;
			for (size_t t = 0; tables && tables[t] && !found; t++)
				for (const struct route *r = tables[t]; r->pattern && !found; r++)
					if (r->method == e->method && strcmp(r->pattern, e->pattern) == 0)
						found = r;
			if (!found || !e->gate) {
				snprintf(err, errsz, "gate for %s %s: %s", http_method_name(e->method), e->pattern,
					 found ? "no check given" : "there is no such route");
				return ERR_INVALID;
			}
			srv->gated[srv->ngates] = found;
			srv->gate_fns[srv->ngates++] = e->gate;
		}
	}
	return 0;
}

static void server_free(struct http_server *srv)
{
	free(srv->gated);
	free(srv->gate_fns);
	router_free(srv->router);
	static_free(srv->statics);
	free(srv->addr);
	free(srv);
}

int http_server_start(struct http_server **out, const struct http_server_opts *opts,
		      const struct route *const *tables, const struct http_hooks *hooks,
		      char *err, size_t errsz)
{
	*out = NULL;
	if (!opts || !opts->addr || opts->port < 0 || opts->port > 65535) {
		snprintf(err, errsz, "http: a listen address and a port 0-65535 are needed");
		return ERR_INVALID;
	}
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	int rc = router_new(&srv->router, tables, err, errsz);
	if (rc < 0)
		goto fail;
	for (size_t t = 0; tables && tables[t]; t++) {
		for (const struct route *r = tables[t]; r->pattern; r++) {
			char why[200];
			if (params_check_specs(r->params, why, sizeof(why)) < 0) {
				snprintf(err, errsz, "route %s: %s", r->pattern, why);
				rc = ERR_INVALID;
				goto fail;
			}
		}
	}
	rc = static_load(&srv->statics, opts->static_dir, err, errsz);
	if (rc < 0)
		goto fail;
	if (hooks)
		srv->hooks = *hooks;
	rc = gates_resolve(srv, tables, err, errsz);
	if (rc < 0)
		goto fail;
	srv->max_uploads = opts->max_uploads > 0 ? opts->max_uploads : 2;
	srv->addr = xstrdup(opts->addr);
	srv->max_body = opts->max_body ? opts->max_body : HTTP_DEFAULT_MAX_BODY;
	srv->shutdown_grace = opts->shutdown_grace;
	srv->https = opts->https;
	make_id_prefix(srv);

	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, opts->addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)opts->port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, opts->addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)opts->port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errsz, "http: '%s' is not an IPv4 or IPv6 address", opts->addr);
		rc = ERR_INVALID;
		goto fail;
	}
	/*
	 * Internal polling threads with epoll; a pool of opts->threads workers
	 * (each with its own event loop) when more than one is asked for. ITC
	 * is required for MHD_quiesce_daemon in http_server_stop.
	 */
	struct MHD_OptionItem options[] = {
		{MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL},
		{MHD_OPTION_SOCK_ADDR, 0, sa},
		{MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)HTTP_CONN_MEMORY, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)HTTP_CONN_TIMEOUT, NULL},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
		{MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv},
		{MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, srv},
		{MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape_identity, srv},
		{opts->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
		 (intptr_t)(opts->threads > 1 ? opts->threads : 0), NULL},
		{MHD_OPTION_END, 0, NULL},
	};
	errno = 0;
	srv->daemon = MHD_start_daemon(flags, (uint16_t)opts->port, NULL, NULL, on_request, srv,
				       MHD_OPTION_ARRAY, options, MHD_OPTION_END);
	if (!srv->daemon) {
		snprintf(err, errsz, "http: cannot listen on %s port %d%s%s", opts->addr, opts->port,
			 errno ? ": " : "", errno ? strerror(errno) : "");
		rc = ERR_IO;
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : 0;
	if (!srv->port) {
		/* Older behaviour: ask the listening socket itself. */
		di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_LISTEN_FD);
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		if (di && getsockname(di->listen_fd, (struct sockaddr *)&ss, &len) == 0)
			srv->port = ntohs(ss.ss_family == AF_INET6
						  ? ((struct sockaddr_in6 *)&ss)->sin6_port
						  : ((struct sockaddr_in *)&ss)->sin_port);
	}
	log_info("http: listening on %s port %d", opts->addr, srv->port);
	*out = srv;
	return 0;
fail:
	server_free(srv);
	return rc;
}

int http_server_port(const struct http_server *srv)
{
	return srv ? srv->port : 0;
}

void http_server_stop(struct http_server *srv)
{
	if (!srv)
		return;
	/* Stop accepting; the listening socket becomes ours to close after the stop. */
	MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
	int64_t deadline = clock_mono_us() + (int64_t)srv->shutdown_grace * 1000000;
	while (atomic_load(&srv->inflight) > 0 && clock_mono_us() < deadline) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	int left = atomic_load(&srv->inflight);
	if (left > 0)
		log_warn("http: stopping with %d request(s) still in flight", left);
	/* Closes every connection; completion callbacks free what is left. */
	MHD_stop_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	log_info("http: stopped");
	server_free(srv);
}
