// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the private calendar feed in the browser and the API: the
 * page where a signed-in person makes, replaces and turns off their feed's
 * link, and the feed itself, which calendar apps fetch without a session
 * (the secret in the link is the key). See calendar.h for how the feed is
 * built from what each capability adds.
 *
 * Routes: the feed is /calendar/TOKEN.ics. The router matches whole
 * segments only ("{token}.ics" is not a pattern it compiles), so the route
 * captures the segment and calendar_token_of requires and strips the
 * ".ics" that calendar apps like to see. The feed route is
 * ROUTE_SECRET_PATH: the access log shows "/calendar/{feed}", never the
 * link. An unknown, malformed or turned-off link is the same plain 404.
 *
 * Making a link answers 201 with the page showing the link, not a 303:
 * only the link's hash is kept, so the answer to the POST is the one place
 * it can be shown (as with API tokens). Turning it off ends in a 303.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/accounts/accounts.h"
#include "app/accounts/token.h"
#include "app/calendar/calendar.h"
#include "app/page.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"

/*
 * The public base URL (TANDEM_BASE_URL) for the feed's links back to the
 * pages, "" when unset: unlike page_site_url it never guesses from the
 * request, since a calendar app keeps the links long after.
 */
static const char *base_url(struct request *req)
{
	struct app *app = req_app(req);
	const char *b = app && app->config ? app->config->base_url : NULL;
	return b ? b : "";
}

/*
 * The page's model for u: {title, calendar{active, created_at, created_on},
 * has_school, has_links}, and for each source of the feed its count and
 * whether it has any ("partnerships": 2, "has_partnerships": true), so the
 * page can say why the feed is empty. has_links: the feed can link back to
 * the pages, TANDEM_BASE_URL being set.
 */
static int calendar_model(const struct page *pg, json_t **out)
{
	struct arena *a = pg->a;
	struct db *db = pg->db;
	const struct user *u = pg->u;
	*out = NULL;
	const char *created_at = NULL;
	int rc = calendar_get(db, a, u->id, &created_at);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	json_t *m = json_pack("{s:s, s:{s:b, s:s?}, s:b, s:b}", "title", "Your calendar feed", "calendar", "active",
			      created_at != NULL, "created_at", created_at, "has_school", u->school_urn > 0, "has_links",
			      calendar_link_base(a, base_url(pg->req)) != NULL);
	if (!m)
		return ERR_INTERNAL;
	for (const struct calendar_source *s = calendar_sources; s->name; s++) {
		int64_t n = 0;
		if (s->count && (rc = s->count(db, u, &n))) {
			json_decref(m);
			return rc;
		}
		json_object_set_new(m, s->name, json_integer(n));
		json_object_set_new(m, arena_printf(a, "has_%s", s->name), json_boolean(n > 0));
	}
	int64_t t;
	if (created_at && clock_parse_iso(created_at, &t) == 0) {
		char on[48];
		clock_format_uk(t, 1, on, sizeof(on));
		json_object_set_new(json_object_get(m, "calendar"), "created_on", json_string(on));
	}
	*out = m;
	return 0;
}

static const struct param_spec show_params[] = {
	PARAM(.name = "off", .type = PARAM_BOOL, .label = "Turned off"),
	PARAM_END,
};

/*
 * GET /calendar[?off=1]
 * The person's calendar feed: what it is and how to subscribe, whether they
 * have a link and since when, and the forms to make a (new) link and to turn
 * it off. off=1 (after turning it off) says that it is off.
 */
static int handle_calendar_show(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = calendar_model(&pg, &m)))
		return page_fail(&pg, rc, NULL);
	if (req_bool(req, "off"))
		json_object_set_new(m, "turned_off", json_true());
	res_view(res, 200, "calendar/index", m);
	return 0;
}

/*
 * POST /calendar (csrf)
 * Make a new private link for the person's feed, replacing the old one
 * (which stops working at once). 201 with the page (or JSON) holding the
 * link as new_link{url, webcal_url}: the only time it is shown.
 */
static int handle_calendar_create(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	char token[TOKEN_BUFSZ];
	if ((rc = calendar_create(pg.db, pg.u->id, token)))
		return page_fail(&pg, rc, NULL);
	audit_record(pg.db, pg.u, accounts_client_address(req), "calendar_link_created", NULL);
	json_t *m;
	if ((rc = calendar_model(&pg, &m)))
		return page_fail(&pg, rc, NULL);
	const char *webcal;
	const char *url = calendar_feed_url(pg.a, base_url(req), req_header(req, "Host"), token, &webcal);
	json_object_set_new(m, "new_link", json_pack("{s:s, s:s?}", "url", url, "webcal_url", webcal));
	res_view(res, 201, "calendar/index", m);
	return 0;
}

/*
 * POST /calendar/revoke (csrf)
 * Turn the person's feed off: its link answers 404 from now on. 303 to
 * /calendar?off=1 (also when there was no link).
 */
static int handle_calendar_revoke(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	bool revoked;
	if ((rc = calendar_revoke(pg.db, pg.u->id, &revoked)))
		return page_fail(&pg, rc, NULL);
	if (revoked)
		audit_record(pg.db, pg.u, accounts_client_address(req), "calendar_link_revoked", NULL);
	return page_redirect(&pg, "/calendar?off=1");
}

/*
 * GET /calendar/{feed}   feed = TOKEN.ics
 * The feed itself, as text/calendar, for calendar apps: no session, the
 * token is the key. 404, the same for every bad link.
 */
static int handle_calendar_feed(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	const char *token = calendar_token_of(pg.a, req_path_str(req, "feed"));
	struct user owner;
	rc = token ? calendar_find(pg.db, pg.a, token, &owner) : ERR_NOTFOUND;
	if (rc == ERR_NOTFOUND)
		return res_error(res, 404, NULL);
	if (rc)
		return page_fail(&pg, rc, NULL);
	struct buf out = BUF_INIT;
	rc = calendar_build(pg.db, pg.a, &owner, base_url(req), clock_now(), &out);
	if (rc) {
		buf_free(&out);
		return res_error(res, 500, "the calendar feed could not be built");
	}
	res_body(res, 200, "text/calendar; charset=utf-8", out.data ? out.data : "", out.len);
	buf_free(&out);
	/* Personal and revocable: no cache anywhere may keep it. */
	res_header(res, "Cache-Control", "private, no-store");
	res_header(res, "X-Robots-Tag", "noindex, nofollow");
	res_header(res, "Content-Disposition", "inline; filename=\"tandem-partnerships.ics\"");
	return 0;
}

/* The routes of this file (app.c lists the table). */
const struct route calendar_routes[] = {
	{HTTP_GET, "/calendar", handle_calendar_show, show_params, 0, 0},
	{HTTP_POST, "/calendar", handle_calendar_create, NULL, 0, 0},
	{HTTP_POST, "/calendar/revoke", handle_calendar_revoke, NULL, 0, 0},
	{HTTP_GET, "/calendar/{feed}", handle_calendar_feed, NULL, ROUTE_SECRET_PATH, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
