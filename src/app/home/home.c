// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * home.c — the front page and /healthz. Signed in, the front page is the
 * person's home: their school and networks, what is waiting for them now
 * (introductions to answer, agreements to complete, actions due,
 * partnerships needing attention, networks asking their school to join) and
 * what is new in their networks. For visitors it is a plain introduction to
 * Tandem. /healthz says whether this process and its database are well, for
 * load balancers and monitors.
 * The accessibility statement is here too.
 */
#include <jansson.h>

#include "app/app.h"
#include "app/home/home.h"
#include "app/page.h"
#include "core/config.h"

/*
 * GET /
 * The person's home when signed in ({me, networks, waiting, whats_new}),
 * otherwise the introduction to Tandem. No parameters.
 */
static int handle_home_index(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	if (!pg.u) {
		res_view(res, 200, "home/index", json_pack("{s:s}", "title", "Schools learning from each other"));
		return 0;
	}
	json_t *m = home_for(pg.db, pg.a, pg.u);
	json_object_set_new(m, "title", json_string("Your home"));
	json_object_set_new(m, "me", json_pack("{s:s, s:s?, s:s, s:b}", "name", pg.u->name ? pg.u->name : "",
					       "school_name", pg.u->school_name, "role",
					       school_role_name(pg.u->role), "is_admin", pg.u->is_admin));
	json_object_set_new(m, "is_lead", json_boolean(pg.u->role == SCHOOL_ROLE_LEAD));
	res_view(res, 200, "home/mine", m);
	return 0;
}

/*
 * GET /accessibility
 * The accessibility statement, in the form of the UK public sector's model
 * statement. No parameters. The contact for reporting a problem is
 * TANDEM_CONTACT_EMAIL when the operator set it.
 */
static int handle_home_accessibility(struct request *req, struct response *res)
{
	const struct app *app = req_app(req);
	const char *contact = app && app->config ? app->config->contact_email : NULL;
	json_t *model = json_pack("{s:s}", "title", "Accessibility statement");
	if (contact && *contact)
		json_object_set_new(model, "contact_email", json_string(contact));
	res_view(res, 200, "home/accessibility", model);
	return 0;
}

/*
 * GET /healthz
 * Always JSON: {status, version, database}. 503 when the database does not answer.
 */
static int handle_home_healthz(struct request *req, struct response *res)
{
	bool ok = home_store_ok(app_db(req));
	json_t *body = json_pack("{s:s, s:s, s:s}", "status", ok ? "ok" : "unavailable", "version",
				 TANDEM_VERSION, "database", ok ? "ok" : "unavailable");
	res_header(res, "Cache-Control", "no-store");
	res_json(res, ok ? 200 : 503, body);
	return 0;
}

const struct route home_routes[] = {
	{HTTP_GET, "/", handle_home_index, NULL, 0, 0},
	{HTTP_GET, "/healthz", handle_home_healthz, NULL, 0, 0},
	{HTTP_GET, "/accessibility", handle_home_accessibility, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
