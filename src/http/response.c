// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * response.c — everything about answering: the res_* builders feature code
 * calls, the one place an error becomes an HTTP status and a body (problem
 * JSON or the "error" template, with a built-in page as a last resort), the
 * security headers every response carries, and turning a struct response
 * into a libmicrohttpd response.
 *
 * Bodies are built when a res_* function is called (so a failing render can
 * still become a 500) and copied into MHD when the response is queued.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "http/internal.h"

/* Headers on every response we make, unless the handler set its own. */
static const char *const security_headers[][2] = {
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	 "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "DENY"},
};

/* Headers a handler may not set: MHD owns them. */
static const char *const reserved_headers[] = {
	"Content-Length", "Transfer-Encoding", "Connection", "Date", "Keep-Alive", "Upgrade",
};

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: break;
	}
	if (status >= 200 && status < 300)
		return "OK";
	if (status >= 300 && status < 400)
		return "Redirect";
	if (status >= 400 && status < 500)
		return "Bad Request";
	return "Internal Server Error";
}

int http_status_for(int err)
{
	switch (err) {
	case ERR_OK: return 200;
	case ERR_INVALID: return 400;
	case ERR_NOTFOUND: return 404;
	case ERR_FORBIDDEN: return 403;
	case ERR_UNAUTH: return 401;
	case ERR_CONFLICT: return 409;
	case ERR_TOOBIG: return 413;
	case ERR_TOOMANY: return 429;
	case ERR_BUSY: return 503;
	default: return err > 0 ? 200 : 500;
	}
}

/* The error code matching an error status (res_error's return value). */
static int err_for_status(int status)
{
	switch (status) {
	case 401: return ERR_UNAUTH;
	case 403: return ERR_FORBIDDEN;
	case 404: return ERR_NOTFOUND;
	case 409: return ERR_CONFLICT;
	case 413: return ERR_TOOBIG;
	case 429: return ERR_TOOMANY;
	case 503: return ERR_BUSY;
	default: return status < 500 ? ERR_INVALID : ERR_INTERNAL;
	}
}

/* What to tell a person when the code gave no detail. */
static const char *default_detail(int status)
{
	switch (status) {
	case 400: return "The request was not valid.";
	case 401: return "You need to sign in to do this.";
	case 403: return "You do not have permission to do this.";
	case 404: return "There is nothing at this address.";
	case 405: return "This address does not accept that method.";
	case 409: return "This clashes with the current state of things. Reload and try again.";
	case 413: return "The request is too large.";
	case 415: return "The request body is in a format this address does not accept.";
	case 429: return "Too many requests. Wait a moment, then try again.";
	case 503: return "The service is busy. Try again shortly.";
	default: return status >= 500 ? NULL : "The request could not be handled.";
	}
}

void response_init(struct request *req)
{
	struct response *res = &req->res;
	memset(res, 0, sizeof(*res));
	res->req = req;
	res->tail = &res->headers;
}

static void free_ptr(void *p)
{
	free(p);
}

static void decref(void *p)
{
	json_decref(p);
}

/* Take a malloc'd body (freed with the arena). */
static void set_body(struct response *res, int status, const char *type, char *data, size_t len)
{
	if (data)
		arena_defer(res->req->arena, free_ptr, data);
	res->set = true;
	res->status = status;
	res->content_type = type;
	res->body = data;
	res->len = len;
	res->dynamic = true;
	res->negotiated = false;
}

static void html_escape(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s); break;
		}
	}
}

/* The last-resort error page, when there is no render hook or it failed. */
static void builtin_error_page(struct buf *b, int status, const char *title, const char *detail,
			       json_t *errors, const char *id)
{
	buf_printf(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		      "<title>%d ", status);
	html_escape(b, title);
	buf_puts(b, "</title></head>\n<body><h1>");
	html_escape(b, title);
	buf_puts(b, "</h1>\n<p>");
	html_escape(b, detail);
	buf_puts(b, "</p>\n");
	if (errors && json_object_size(errors)) {
		const char *field;
		json_t *msg;
		buf_puts(b, "<ul>\n");
		json_object_foreach(errors, field, msg) {
			buf_puts(b, "<li><strong>");
			html_escape(b, field);
			buf_puts(b, "</strong>: ");
			html_escape(b, json_string_value(msg));
			buf_puts(b, "</li>\n");
		}
		buf_puts(b, "</ul>\n");
	}
	buf_puts(b, "<p>Reference: ");
	html_escape(b, id);
	buf_puts(b, "</p></body></html>\n");
}

/* The heading of an error page, for people rather than for HTTP ("Conflict" says nothing to a headteacher). */
static const char *error_heading(int status)
{
	switch (status) {
	case 400: return "Some of what was sent needs changing";
	case 401: return "This page needs you to sign in";
	case 403: return "You do not have permission to do this";
	case 404: return "There is nothing at this address";
	case 405: return "That cannot be done at this address";
	case 409: return "This clashes with what is already there";
	case 410: return "This link no longer works";
	case 413: return "That is too large to send";
	case 414: return "That address is too long";
	case 415: return "Tandem cannot read what was sent";
	case 422: return "This cannot be done";
	case 429: return "Too many tries in a short time";
	case 431: return "The request was too large";
	case 503: return "Tandem is not available just now";
	default: return status >= 500 ? "Something went wrong on our side" : "Something is not right";
	}
}

int res_error(struct response *res, int status, const char *detail)
{
	struct request *req = res->req;
	if (status < 400 || status > 599)
		status = 500;
	const char *title = http_reason(status);
	if (status == 500) {
		/* Never show internals: log them with the id, show only the id. */
		log_error("%s 500: %s", req->id, detail ? detail : "(no detail)");
		detail = arena_printf(req->arena,
				      "Something went wrong on our side. If it keeps happening, "
				      "tell the site's administrators and quote reference %s.",
				      req->id);
	} else if (!detail || !utf8_valid(detail, strlen(detail))) {
		detail = default_detail(status);
		if (!detail)
			detail = arena_printf(req->arena, "The request could not be handled "
							  "(reference %s).", req->id);
	}
	json_t *errors = res->field_errors && json_object_size(res->field_errors)
				 ? res->field_errors
				 : NULL;
	if (req->wants_json) {
		json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title",
				      title, "status", status, "detail", detail, "request_id",
				      req->id);
		if (p && errors)
			json_object_set(p, "errors", errors);
		char *s = p ? json_dumps(p, JSON_COMPACT) : NULL;
		json_decref(p);
		if (!s) {
			s = strdup("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
				   "\"status\":500}");
			status = 500;
		}
		set_body(res, status, "application/problem+json", s, s ? strlen(s) : 0);
	} else {
		struct buf b = BUF_INIT;
		int rc = -1;
		if (req->srv->hooks.render) {
			json_t *list = json_array();
			if (errors) {
				const char *field;
				json_t *msg;
				json_object_foreach(errors, field, msg)
					json_array_append_new(list, json_pack("{s:s, s:O}", "field",
									      field, "message", msg));
			}
			json_t *model = json_pack("{s:i, s:s, s:s, s:o, s:s}", "status", status,
						  "title", error_heading(status), "detail", detail, "errors", list,
						  "request_id", req->id);
			if (model) {
				rc = req->srv->hooks.render(req, "error", model, &b);
				json_decref(model);
			}
			if (rc < 0)
				log_error("%s rendering the error page failed (%d)", req->id, rc);
		}
		if (rc < 0) {
			buf_reset(&b);
			builtin_error_page(&b, status, error_heading(status), detail, errors, req->id);
		}
		size_t len;
		char *s = buf_detach(&b, &len);
		set_body(res, status, "text/html; charset=utf-8", s, len);
	}
	res->negotiated = true;
	return err_for_status(status);
}

void res_field_error(struct response *res, const char *field, const char *message)
{
	if (!field || !message || !utf8_valid(field, strlen(field)) ||
	    !utf8_valid(message, strlen(message)))
		return;
	if (!res->field_errors) {
		res->field_errors = json_object();
		arena_defer(res->req->arena, decref, res->field_errors);
	}
	json_object_set_new(res->field_errors, field, json_string(message));
}

void res_view(struct response *res, int status, const char *tmpl, json_t *model)
{
	struct request *req = res->req;
	if (!model) {
		res_error(res, 500, "res_view without a model");
		return;
	}
	if (req->wants_json) {
		char *s = json_dumps(model, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
		json_decref(model);
		if (!s) {
			res_error(res, 500, "res_view: the model could not be encoded");
			return;
		}
		set_body(res, status, "application/json; charset=utf-8", s, strlen(s));
	} else {
		if (!req->srv->hooks.render) {
			json_decref(model);
			res_error(res, 500, "res_view: no render hook");
			return;
		}
		struct buf b = BUF_INIT;
		int rc = req->srv->hooks.render(req, tmpl, model, &b);
		json_decref(model);
		if (rc < 0) {
			buf_free(&b);
			res_error(res, 500, arena_printf(req->arena, "rendering template '%s' failed (%s)",
							 tmpl ? tmpl : "(null)", err_str(rc)));
			return;
		}
		size_t len;
		char *s = buf_detach(&b, &len);
		set_body(res, status, "text/html; charset=utf-8", s, len);
	}
	res->negotiated = true;
}

void res_json(struct response *res, int status, json_t *body)
{
	char *s = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12)) : NULL;
	json_decref(body);
	if (!s) {
		res_error(res, 500, "res_json: nothing to encode");
		return;
	}
	set_body(res, status, "application/json; charset=utf-8", s, strlen(s));
}

/* A header value we can send: no control characters but tab. */
static bool value_ok(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
			return false;
	return true;
}

static bool name_ok(const char *n)
{
	if (!*n)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("!#$%&'*+-.^_`|~", *p)))
			return false;
	return true;
}

/* True when the handler has set header name. */
static bool has_header(const struct response *res, const char *name)
{
	for (const struct header *h = res->headers; h; h = h->next)
		if (str_case_eq(h->name, name))
			return true;
	return false;
}

void res_header(struct response *res, const char *name, const char *value)
{
	struct request *req = res->req;
	if (!name || !value || !name_ok(name) || !value_ok(value)) {
		log_error("%s res_header: refused a malformed header %s", req->id,
			  name && name_ok(name) ? name : "(bad name)");
		return;
	}
	for (size_t i = 0; i < sizeof(reserved_headers) / sizeof(reserved_headers[0]); i++) {
		if (str_case_eq(name, reserved_headers[i])) {
			log_error("%s res_header: %s is set by the server", req->id, name);
			return;
		}
	}
	struct header *h = arena_alloc(req->arena, sizeof(*h));
	h->name = arena_strdup(req->arena, name);
	h->value = arena_strdup(req->arena, value);
	h->next = NULL;
	*res->tail = h;
	res->tail = &h->next;
}

void res_redirect(struct response *res, int status, const char *location)
{
	if (status < 300 || status > 399 || status == 304)
		status = 303;
	if (!location || !*location || !value_ok(location)) {
		res_error(res, 500, "res_redirect: bad location");
		return;
	}
	res_header(res, "Location", location);
	set_body(res, status, NULL, NULL, 0);
}

void res_body(struct response *res, int status, const char *content_type, const void *data,
	      size_t len)
{
	char *copy = malloc(len ? len : 1);
	if (!copy) {
		res_error(res, 500, "res_body: out of memory");
		return;
	}
	if (len)
		memcpy(copy, data, len);
	set_body(res, status,
		 content_type && value_ok(content_type)
			 ? arena_strdup(res->req->arena, content_type)
			 : "application/octet-stream",
		 copy, len);
}

void res_cookie(struct response *res, const char *name, const char *value, long max_age,
		unsigned flags)
{
	struct buf b = BUF_INIT;
	if (cookie_format(&b, name, value ? value : "", max_age, flags, res->req->srv->https) < 0)
		log_error("%s res_cookie: refused an invalid cookie name or value", res->req->id);
	else
		res_header(res, "Set-Cookie", buf_str(&b));
	buf_free(&b);
}

void response_add_security_headers(struct MHD_Response *r, const struct response *res)
{
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		if (!res || !has_header(res, security_headers[i][0]))
			(void)MHD_add_response_header(r, security_headers[i][0],
						      security_headers[i][1]);
}

enum MHD_Result response_queue(struct request *req)
{
	struct response *res = &req->res;
	static char empty[1];
	if (!res->set)
		res_error(res, 500, "no response was set");
	/* MUST_COPY: the arena holding the body is freed in the completion callback. */
	struct MHD_Response *r = MHD_create_response_from_buffer(
		res->len, res->len ? (void *)res->body : empty, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	for (const struct header *h = res->headers; h; h = h->next)
		(void)MHD_add_response_header(r, h->name, h->value);
	if (res->content_type && !has_header(res, "Content-Type"))
		(void)MHD_add_response_header(r, "Content-Type", res->content_type);
	response_add_security_headers(r, res);
	if (res->dynamic && !has_header(res, "Cache-Control"))
		(void)MHD_add_response_header(r, "Cache-Control", "no-store");
	if (res->negotiated && !has_header(res, "Vary"))
		(void)MHD_add_response_header(r, "Vary", "Accept");
	(void)MHD_add_response_header(r, "X-Request-Id", req->id);
	enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	if (ok == MHD_YES) {
		req->queued = true;
		req->status = res->status;
	}
	return ok;
}

enum MHD_Result response_fail(struct request *req, int status, const char *detail)
{
	(void)res_error(&req->res, status, detail);
	return response_queue(req);
}
