// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * body.c — receiving request bodies. libmicrohttpd hands the body over in
 * pieces across several callbacks, so the pieces are appended (to the
 * request arena, or to a temporary file for ROUTE_RAW_BODY uploads) and
 * only parsed once the upload is complete: urlencoded forms with form.c,
 * JSON with jansson; any other body is refused with a 415 that names the
 * two accepted types. Limits are enforced twice: on the declared
 * Content-Length before reading anything, and on the bytes actually
 * received (chunked uploads declare no length).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "http/internal.h"

/* Kinds of body we parse. */
enum body_type { BODY_NONE, BODY_FORM, BODY_JSON, BODY_OTHER };

/* Classify a Content-Type header by its media type (parameters ignored). */
static enum body_type body_type_of(const char *ct)
{
	if (!ct)
		return BODY_NONE;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	size_t n = strcspn(ct, "; \t");
	if (n == 33 && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0)
		return BODY_FORM;
	if (n == 16 && strncasecmp(ct, "application/json", n) == 0)
		return BODY_JSON;
	return BODY_OTHER;
}

/* "1 MiB", "512 KiB" or "100 bytes" for messages. */
static const char *size_words(struct arena *a, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		return arena_printf(a, "%zu MiB", n / (1024 * 1024));
	if (n >= 1024 && n % 1024 == 0)
		return arena_printf(a, "%zu KiB", n / 1024);
	return arena_printf(a, "%zu bytes", n);
}

/*
 * 415 for a body we cannot read (text/plain, multipart, no Content-Type):
 * say which types are accepted and what came instead, with Accept-Post.
 */
static int unsupported_type(struct request *req, const char *ct, const char **detail)
{
	static const char accepted[] = "application/x-www-form-urlencoded, application/json";
	const char *sent = "did not say what it sent (no Content-Type header)";
	if (ct) {
		while (*ct == ' ' || *ct == '\t')
			ct++;
		size_t n = strcspn(ct, "; \t");
		bool plain = n > 0 && n <= 100;
		for (size_t i = 0; plain && i < n; i++)
			plain = (ct[i] >= 'a' && ct[i] <= 'z') || (ct[i] >= 'A' && ct[i] <= 'Z') ||
				(ct[i] >= '0' && ct[i] <= '9') || strchr("/+-.", ct[i]);
		sent = plain ? arena_printf(req->arena, "sent %.*s", (int)n, ct)
			     : "sent a type it did not name clearly";
	}
	res_header(&req->res, req->method == HTTP_PATCH ? "Accept-Patch" : "Accept-Post", accepted);
	*detail = arena_printf(req->arena,
			       "Send the data as a form (application/x-www-form-urlencoded) or as "
			       "JSON (application/json); this request %s.",
			       sent);
	return 415;
}

static bool method_has_no_body(const struct request *req)
{
	return req->method == HTTP_GET || req->method == HTTP_HEAD;
}

int body_precheck(struct request *req, const char **detail)
{
	const struct route *rt = req->route;
	req->max_body = rt && rt->max_body ? rt->max_body : req->srv->max_body;
	const char *cl = req_header(req, "Content-Length");
	const char *te = req_header(req, "Transfer-Encoding");
	if (cl) {
		int64_t v;
		bool digits = *cl && strspn(cl, "0123456789") == strlen(cl);
		if (!digits || str_to_int64(cl, &v) < 0) {
			*detail = "The Content-Length header is not a whole number.";
			return 400;
		}
		if ((uint64_t)v > req->max_body) {
			*detail = arena_printf(req->arena,
					       "The request body is too large: the limit here is %s.",
					       size_words(req->arena, req->max_body));
			return 413;
		}
		req->has_body = v > 0;
		if (v > 0 && !method_has_no_body(req) && !(rt && (rt->flags & ROUTE_RAW_BODY))) {
			/* Known length: one allocation, no copying as pieces arrive. */
			req->body = arena_alloc(req->arena, (size_t)v + 1);
			req->body_cap = (size_t)v + 1;
		}
	}
	if (te && str_case_eq(te, "chunked"))
		req->has_body = true;
	if (rt && !(rt->flags & ROUTE_RAW_BODY) && !method_has_no_body(req) && req->has_body) {
		const char *ct = req_header(req, "Content-Type");
		enum body_type t = body_type_of(ct);
		if (t != BODY_FORM && t != BODY_JSON)
			return unsupported_type(req, ct, detail);
	}
	return 0;
}

/* Close and delete a ROUTE_RAW_BODY upload file (arena cleanup). */
static void upload_cleanup(void *p)
{
	struct request *req = p;
	if (req->body_fd >= 0)
		close(req->body_fd);
	req->body_fd = -1;
	if (req->body_path)
		unlink(req->body_path);
}

static bool upload_open(struct request *req)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path = arena_printf(req->arena, "%s/tandem-upload-XXXXXX", dir);
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		log_error("%s cannot create an upload file in %s: %s", req->id, dir,
			  strerror(errno));
		return false;
	}
	req->body_fd = fd;
	req->body_path = path;
	arena_defer(req->arena, upload_cleanup, req);
	return true;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

void body_append(struct request *req, const char *data, size_t n)
{
	size_t before = req->received;
	if (n > SIZE_MAX - before)
		req->too_big = true;
	else
		req->received = before + n;
	if (req->too_big || req->body_failed)
		return;
	if (req->received > req->max_body) {
		req->too_big = true;
		return;
	}
	if (method_has_no_body(req))
		return; /* counted for the limit, never kept */
	if (req->route && (req->route->flags & ROUTE_RAW_BODY)) {
		if (req->body_path == NULL && !upload_open(req)) {
			req->body_failed = true;
			return;
		}
		if (!write_all(req->body_fd, data, n)) {
			log_error("%s writing the upload file failed: %s", req->id, strerror(errno));
			req->body_failed = true;
		}
		return;
	}
	if (req->received + 1 > req->body_cap) {
		/* Unknown length (chunked): grow by doubling, bounded by max_body. */
		size_t cap = req->body_cap ? req->body_cap : 4096;
		while (cap < req->received + 1)
			cap *= 2;
		if (cap > req->max_body + 1)
			cap = req->max_body + 1;
		char *grown = arena_alloc(req->arena, cap);
		if (before)
			memcpy(grown, req->body, before);
		req->body = grown;
		req->body_cap = cap;
	}
	memcpy(req->body + before, data, n);
	req->body[req->received] = '\0';
}

static void decref(void *p)
{
	json_decref(p);
}

int body_parse(struct request *req, const char **detail)
{
	if (req->too_big) {
		*detail = arena_printf(req->arena, "The request body is too large: the limit here is %s.",
				       size_words(req->arena, req->max_body));
		return 413;
	}
	if (req->body_failed) {
		*detail = "the upload could not be stored";
		return 500;
	}
	if (req->body_fd >= 0) {
		close(req->body_fd); /* complete: the handler reads it by path */
		req->body_fd = -1;
	}
	const struct route *rt = req->route;
	if ((rt->flags & ROUTE_RAW_BODY) || method_has_no_body(req) || req->received == 0)
		return 0;
	enum body_type t = body_type_of(req_header(req, "Content-Type"));
	if (t == BODY_FORM) {
		enum form_problem why;
		if (form_parse(req->arena, req->body, req->received, &req->form, &why) < 0) {
			*detail = arena_printf(req->arena, "The form data contains %s.",
					       form_problem_str(why));
			return 400;
		}
	} else if (t == BODY_JSON) {
		json_error_t e;
		json_t *v = json_loadb(req->body, req->received, JSON_REJECT_DUPLICATES, &e);
		if (!v) {
			*detail = arena_printf(req->arena,
					       "The request body is not valid JSON (line %d, column %d).",
					       e.line, e.column);
			return 400;
		}
		if (!json_is_object(v)) {
			json_decref(v);
			*detail = "The JSON body must be an object, like {\"name\": \"value\"}.";
			return 400;
		}
		req->json = v;
		arena_defer(req->arena, decref, v);
	} else {
		return unsupported_type(req, req_header(req, "Content-Type"), detail);
	}
	return 0;
}
