// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * request.c — the req_* accessors of http.h: what a handler may read of a
 * request. Everything returned lives in the request's arena or in
 * libmicrohttpd's connection memory, both valid until the request completes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/internal.h"

struct arena *req_arena(const struct request *req)
{
	return req->arena;
}

enum http_method req_method(const struct request *req)
{
	return req->method < 0 ? HTTP_METHOD__MAX : (enum http_method)req->method;
}

const char *req_path(const struct request *req)
{
	return req->path;
}

const char *req_id(const struct request *req)
{
	return req->id;
}

void *req_app(const struct request *req)
{
	return req->srv->hooks.ctx;
}

void *req_user(const struct request *req)
{
	return req->user;
}

void req_set_user(struct request *req, void *user)
{
	req->user = user;
}

bool req_wants_json(const struct request *req)
{
	return req->wants_json;
}

const char *req_header(const struct request *req, const char *name)
{
	/* MHD compares header names case-insensitively. */
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const struct request *req, const char *name)
{
	struct request *r = (struct request *)req; /* lazily filled cache */
	if (!r->cookies_parsed) {
		(void)cookie_parse(r->arena, req_header(req, "Cookie"), &r->cookies);
		r->cookies_parsed = true;
	}
	return cookie_find(r->cookies, name);
}

const char *req_client_ip(const struct request *req)
{
	struct request *r = (struct request *)req; /* lazily filled cache */
	if (r->client_ip)
		return r->client_ip;
	char text[INET6_ADDRSTRLEN] = "unknown";
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  text, sizeof(text));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
				  sizeof(text));
	}
	r->client_ip = arena_strdup(r->arena, text);
	return r->client_ip;
}

static const struct router_capture *capture(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->match.ncaptures; i++)
		if (strcmp(req->match.captures[i].name, name) == 0)
			return &req->match.captures[i];
	return NULL;
}

const char *req_path_str(const struct request *req, const char *name)
{
	const struct router_capture *c = capture(req, name);
	return c ? c->value : NULL;
}

int64_t req_path_int(const struct request *req, const char *name)
{
	const struct router_capture *c = capture(req, name);
	return c ? c->num : 0;
}

bool req_has(const struct request *req, const char *name)
{
	const struct param_value *v = params_find(&req->params, name);
	return v && v->present;
}

const char *req_str(const struct request *req, const char *name)
{
	const struct param_value *v = params_find(&req->params, name);
	return v && v->present ? v->values[0] : NULL;
}

int64_t req_int(const struct request *req, const char *name, int64_t dflt)
{
	const struct param_value *v = params_find(&req->params, name);
	if (!v || !v->present)
		return dflt;
	if (v->spec->type == PARAM_INT)
		return v->i;
	int64_t out;
	return str_to_int64(v->values[0], &out) == 0 ? out : dflt;
}

double req_num(const struct request *req, const char *name, double dflt)
{
	const struct param_value *v = params_find(&req->params, name);
	if (!v || !v->present)
		return dflt;
	if (v->spec->type == PARAM_INT || v->spec->type == PARAM_NUMBER ||
	    v->spec->type == PARAM_DECIMAL || v->spec->type == PARAM_HOURS)
		return v->d;
	double out;
	return str_to_double(v->values[0], &out) == 0 ? out : dflt;
}

bool req_bool(const struct request *req, const char *name)
{
	const struct param_value *v = params_find(&req->params, name);
	return v && v->present && v->spec->type == PARAM_BOOL && v->b;
}

int64_t req_hundredths(const struct request *req, const char *name, int64_t dflt)
{
	const struct param_value *v = params_find(&req->params, name);
	if (!v || !v->present)
		return dflt;
	if (v->spec->type == PARAM_DECIMAL || v->spec->type == PARAM_HOURS)
		return v->i;
	if (v->spec->type == PARAM_INT && v->i <= INT64_MAX / 100 && v->i >= INT64_MIN / 100)
		return v->i * 100;
	return dflt;
}

const char *req_each(const struct request *req, const char *pattern, size_t i, int64_t *key)
{
	const struct param_value *sv = NULL;
	for (size_t k = 0; k < req->params.n && !sv; k++)
		if (strcmp(req->params.v[k].spec->name, pattern) == 0)
			sv = &req->params.v[k];
	if (!sv || i >= sv->count)
		return NULL;
	const struct param_value *m = &req->params.m[sv->first + i];
	if (key)
		*key = m->key;
	return m->name;
}

/* Add one field's raw values to the object. */
static void put_raw(json_t *out, const struct param_value *v)
{
	if (v->nraw == 0)
		return;
	if (v->nraw == 1 && !(v->spec->flags & PARAM_MULTI)) {
		json_object_set_new(out, v->name, json_string(v->raw[0]));
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < v->nraw; i++)
		json_array_append_new(list, json_string(v->raw[i]));
	json_object_set_new(out, v->name, list);
}

json_t *req_form_values(const struct request *req)
{
	json_t *out = json_object();
	for (size_t i = 0; i < req->params.n; i++)
		put_raw(out, &req->params.v[i]);
	for (size_t i = 0; i < req->params.nm; i++)
		put_raw(out, &req->params.m[i]);
	return out;
}

size_t req_multi(const struct request *req, const char *name, const char *const **values)
{
	const struct param_value *v = params_find(&req->params, name);
	if (!v || !v->present) {
		*values = NULL;
		return 0;
	}
	*values = v->values;
	return v->n;
}

json_t *req_errors(const struct request *req)
{
	return req->params.errors;
}

const char *req_body_file(const struct request *req, size_t *len)
{
	if (len)
		*len = req->body_path ? req->received : 0;
	return req->body_path;
}

const char *req_field(const struct request *req, const char *name)
{
	if (req->method == HTTP_GET || req->method == HTTP_HEAD)
		return form_get(req->query, name);
	if (req->json) {
		json_t *v = json_object_get(req->json, name);
		size_t len;
		return v ? param_json_text(req->arena, v, &len) : NULL;
	}
	return form_get(req->form, name);
}

unsigned req_route_flags(const struct request *req)
{
	return req->route ? req->route->flags : 0;
}
