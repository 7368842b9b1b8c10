// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * home.c — the front page (what Tandem is, where to go next), the
 * accessibility statement, and /healthz (is this process and its database
 * well: for load balancers and monitors).
 */
#include <jansson.h>

#include "app/app.h"
#include "core/config.h"
#include "db/db.h"

DB_QUERY(Q_HEALTH, "SELECT COUNT(*) FROM schema_version");

/*
 * GET /
 * The front page. No parameters.
 */
static int handle_home_index(struct request *req, struct response *res)
{
	json_t *model = json_pack("{s:s}", "title", "Schools learning from each other");
	res_view(res, 200, "home/index", model);
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
	struct db *db = app_db(req);
	int ok = 0;
	if (db) {
		struct db_stmt *st = db_stmt(db, &Q_HEALTH);
		ok = st && db_step(st) == DB_ROW;
		if (st)
			db_reset(st);
	}
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
