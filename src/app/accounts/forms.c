// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * forms.c — helpers the accounts pages share: answering a form that cannot
 * be accepted (the form again with an error summary linked to its fields,
 * or a problem JSON), the 429 of throttling, safe redirect targets and the
 * site's address for links in emails.
 */
#include <stdio.h>
#include <string.h>

#include "app/accounts/pages.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"

json_t *form_model(const char *title)
{
	return json_pack("{s:s}", "title", title);
}

json_t *form_param_errors(struct request *req)
{
	json_t *e = req_errors(req);
	return e ? json_deep_copy(e) : json_object();
}

int form_fail(struct request *req, struct response *res, int status, const char *tmpl, json_t *model,
	      json_t *errors, const char *summary)
{
	const char *field;
	json_t *msg;
	if (req_wants_json(req)) {
		json_object_foreach(errors, field, msg)
			res_field_error(res, field, json_string_value(msg));
		json_decref(model);
		json_decref(errors);
		(void)res_error(res, status, summary);
		return 0;
	}
	json_t *list = json_array();
	json_object_foreach(errors, field, msg)
		json_array_append_new(list, json_pack("{s:s, s:O}", "field", field, "message", msg));
	json_object_set_new(model, "has_field_errors", json_boolean(json_array_size(list) > 0));
	json_object_set_new(model, "errors", list);
	json_object_set_new(model, "field_errors", errors ? errors : json_object());
	json_object_set_new(model, "error", json_string(summary));
	res_view(res, status, tmpl, model);
	return 0;
}

bool form_safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return false;
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x21 || *p == 0x7f || *p == '\\')
			return false;
	return true;
}

/* True when host (a Host header) names this machine: 127.x, localhost or [::1], with any port. */
static bool local_host(const char *host)
{
	if (!host)
		return false;
	for (const char *p = host; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]", *p))
			return false;
	return str_starts_with(host, "127.") || str_eq(host, "localhost") ||
	       str_starts_with(host, "localhost:") || str_starts_with(host, "[::1]");
}

const char *form_site_url(struct request *req)
{
	const struct app *app = req_app(req);
	const struct config *cfg = app->config;
	struct arena *a = req_arena(req);
	if (cfg->base_url && *cfg->base_url) {
		char *u = arena_strdup(a, cfg->base_url);
		size_t n = strlen(u);
		while (n && u[n - 1] == '/')
			u[--n] = '\0';
		return u;
	}
	const char *host = req_header(req, "Host");
	if (local_host(host))
		return arena_printf(a, "http://%s", host);
	log_warn("%s TANDEM_BASE_URL is not set: links in emails use the listening address", req_id(req));
	bool v6 = strchr(cfg->listen_addr, ':') != NULL;
	return arena_printf(a, "http://%s%s%s:%d", v6 ? "[" : "", cfg->listen_addr, v6 ? "]" : "", cfg->port);
}

/* "15 minutes", "1 second", … for a wait in seconds. */
static const char *wait_words(struct arena *a, int64_t s)
{
	if (s < 60)
		return arena_printf(a, "%lld second%s", (long long)s, s == 1 ? "" : "s");
	int64_t m = (s + 59) / 60;
	return arena_printf(a, "%lld minute%s", (long long)m, m == 1 ? "" : "s");
}

int form_too_many(struct request *req, struct response *res, const char *tmpl, json_t *model, int64_t wait,
		  bool locked, bool for_ip)
{
	struct arena *a = req_arena(req);
	if (wait < 1)
		wait = 1;
	res_header(res, "Retry-After", arena_printf(a, "%lld", (long long)wait));
	char at[32];
	clock_format_iso(clock_now() + wait, at, sizeof(at));
	/* "2025-05-02T14:32:05Z" → "14:32 UTC" */
	const char *clock_time = arena_printf(a, "%.5s UTC", at + 11);
	const char *msg;
	if (locked && for_ip)
		msg = arena_printf(a, "There have been too many failed sign-ins from your network, so signing in "
				      "from it is paused. Try again in %s (after %s).",
				   wait_words(a, wait), clock_time);
	else if (locked)
		msg = arena_printf(a, "This account is locked for a while after too many failed sign-ins. Try "
				      "again in %s (after %s), or reset your password.",
				   wait_words(a, wait), clock_time);
	else
		msg = arena_printf(a, "Too many failed attempts in a row. Wait %s, then try again.",
				   wait_words(a, wait));
	json_object_set_new(model, "retry_after", json_integer(wait));
	return form_fail(req, res, 429, tmpl, model, NULL, msg);
}
