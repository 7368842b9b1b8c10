// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * page.c — the page kit (page.h): opening a page for the person asking,
 * answering a model's refusal in words people understand, answering a
 * refused form with every typed value kept and a message by each field,
 * and the redirect after success. Every capability's handlers use it; no
 * capability keeps glue of its own.
 */
#include "app/page.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"

int page_open(struct request *req, struct response *res, enum page_need need, struct page *pg)
{
	memset(pg, 0, sizeof(*pg));
	pg->req = req;
	pg->res = res;
	pg->a = req_arena(req);
	int rc = 0;
	if (need == PAGE_ADMIN)
		rc = accounts_require_admin(req, res, &pg->u);
	else if (need == PAGE_SIGNED_IN)
		rc = accounts_require(req, res, &pg->u);
	else
		pg->u = accounts_user(req);
	if (rc)
		return rc;
	pg->db = app_db(req);
	if (!pg->db)
		return res_error(res, 503, "Tandem cannot reach its database just now. Try again in a minute.");
	return 0;
}

int page_fail(struct page *pg, int rc, const char *detail)
{
	switch (rc) {
	case ERR_NOTFOUND:
		return res_error(pg->res, 404, detail ? detail
						      : "There is nothing at this address, or it is private to the "
							"people it belongs to.");
	case ERR_FORBIDDEN:
		return res_error(pg->res, 403, detail ? detail : "You do not have permission to do this.");
	case ERR_UNAUTH: {
		const struct user *u;
		return accounts_require(pg->req, pg->res, &u) ? ERR_UNAUTH : res_error(pg->res, 403, detail);
	}
	case ERR_CONFLICT:
		return res_error(pg->res, 409, detail ? detail : "This clashes with what is already there.");
	case ERR_INVALID:
		return res_error(pg->res, 400, detail ? detail : "Some of the values given are not valid.");
	case ERR_DB:
		return res_error(pg->res, 503, "Tandem cannot reach its database just now. Try again in a minute.");
	default:
		return rc < 0 ? rc : res_error(pg->res, 500, "Something unexpected happened; it has been logged.");
	}
}

json_t *page_errors(const struct page *pg)
{
	json_t *e = req_errors(pg->req);
	return e ? json_deep_copy(e) : json_object();
}

json_t *page_values(const struct page *pg, const char *const *names)
{
	json_t *f = json_object();
	for (size_t i = 0; names[i]; i++) {
		const char *v = req_field(pg->req, names[i]);
		if (v)
			json_object_set_new(f, names[i], json_string(v));
	}
	return f;
}

int page_form_fail(struct page *pg, int rc, json_t *errors, const char *tmpl, json_t *model, const char *prefix)
{
	if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
		json_decref(errors);
		json_decref(model);
		return page_fail(pg, rc, NULL);
	}
	int status = rc == ERR_CONFLICT ? 409 : 400;
	return page_form_refuse(pg, status, errors, tmpl, model, prefix,
				status == 409 ? "This clashes with what is already there: see the message below."
					      : "Some of what you typed needs changing: see the messages below.");
}

int page_form_refuse(struct page *pg, int status, json_t *errors, const char *tmpl, json_t *model,
		     const char *prefix, const char *summary)
{
	const char *field;
	json_t *msg;
	if (!errors)
		errors = json_object();
	if (req_wants_json(pg->req) || !model) {
		json_object_foreach(errors, field, msg)
			res_field_error(pg->res, field, json_string_value(msg));
		json_decref(errors);
		json_decref(model);
		return res_error(pg->res, status, summary);
	}
	/* Every value the person typed comes back, unless the model set the form itself. */
	json_t *form = json_object_get(model, "form");
	if (!json_is_object(form)) {
		form = json_object();
		json_object_set_new(model, "form", form);
	}
	json_t *typed = req_form_values(pg->req);
	json_object_foreach(typed, field, msg)
		if (!json_object_get(form, field) && !strstr(field, "password")) /* a password is never echoed */
			json_object_set(form, field, msg);
	json_decref(typed);
	json_t *list = json_array();
	json_object_foreach(errors, field, msg)
		json_array_append_new(list, json_pack("{s:s, s:s+, s:O}", "field", field, "anchor", prefix ? prefix : "f-",
						      field, "message", msg));
	json_object_set_new(model, "has_field_errors", json_boolean(json_array_size(list) > 0));
	json_object_set_new(model, "errors", list);
	json_object_set_new(model, "field_errors", errors);
	json_object_set_new(model, "has_errors", json_true());
	if (!json_object_get(model, "error") && summary)
		json_object_set_new(model, "error", json_string(summary));
	res_view(pg->res, status, tmpl, model);
	return 0;
}

bool page_safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return false;
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x21 || *p == 0x7f || *p == '\\')
			return false;
	return true;
}

int page_redirect(struct page *pg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *loc = arena_vprintf(pg->a, fmt, ap);
	va_end(ap);
	res_redirect(pg->res, 303, loc);
	return 0;
}

/* True when host (a Host header) names this machine: 127.x, localhost or [::1], with any port. */
static bool local_host(const char *host)
{
	if (!host)
		return false;
	for (const char *p = host; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]", *p))
			return false;
	return str_starts_with(host, "127.") || str_eq(host, "localhost") || str_starts_with(host, "localhost:") ||
	       str_starts_with(host, "[::1]");
}

const char *page_site_url(const struct page *pg)
{
	const struct app *app = req_app(pg->req);
	const struct config *cfg = app->config;
	if (cfg->base_url && *cfg->base_url) {
		char *u = arena_strdup(pg->a, cfg->base_url);
		size_t n = strlen(u);
		while (n && u[n - 1] == '/')
			u[--n] = '\0';
		return u;
	}
	const char *host = req_header(pg->req, "Host");
	if (local_host(host))
		return arena_printf(pg->a, "http://%s", host);
	log_warn("%s TANDEM_BASE_URL is not set: links in emails use the listening address", req_id(pg->req));
	bool v6 = strchr(cfg->listen_addr, ':') != NULL;
	return arena_printf(pg->a, "http://%s%s%s:%d", v6 ? "[" : "", cfg->listen_addr, v6 ? "]" : "", cfg->port);
}

/* Whether key names a moment ("at", or ending in "_at") or a day (ending in "_date"). */
static bool moment_key(const char *key)
{
	size_t n = strlen(key);
	return strcmp(key, "at") == 0 || (n > 3 && strcmp(key + n - 3, "_at") == 0);
}

static bool day_key(const char *key)
{
	size_t n = strlen(key);
	return n > 5 && strcmp(key + n - 5, "_date") == 0;
}

void page_dates_for_people(json_t *model)
{
	if (json_is_array(model)) {
		size_t i;
		json_t *v;
		json_array_foreach(model, i, v)
			page_dates_for_people(v);
		return;
	}
	if (!json_is_object(model))
		return;
	/* Collect first: an object is not changed while it is walked. */
	json_t *add = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(model, key, v) {
		int64_t t;
		char why[CLOCK_WHY_SIZE], when[64], name[128];
		const char *text = json_string_value(v);
		if (text && moment_key(key) && clock_parse_iso(text, &t) == 0) {
			clock_format_uk(t, 1, when, sizeof when);
			snprintf(name, sizeof name, "%s_text", key);
			json_object_set_new(add, name, json_sprintf("%s UK time", when));
		} else if (text && day_key(key) && strlen(text) == 10 && clock_parse_day(text, &t, why) == 0) {
			clock_format_day(t, true, when, sizeof when);
			snprintf(name, sizeof name, "%s_text", key);
			json_object_set_new(add, name, json_string(when));
		} else {
			page_dates_for_people(v);
		}
	}
	json_object_update(model, add);
	json_decref(add);
}
