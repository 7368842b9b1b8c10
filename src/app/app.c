// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * app.c — the application object: opens the store and runs migrations,
 * compiles the templates (a broken template stops start-up with its file and
 * line), and renders pages inside the site layout for the HTTP server.
 */
#include "app/app.h"
#include "app/accounts/accounts.h"
#include "app/broker/broker.h"
#include "app/calendar/calendar.h"
#include "app/jobs.h"
#include "app/mail/mail.h"
#include "app/networks/networks.h"
#include "app/partnerships/partnerships.h"
#include "app/programme/programme.h"
#include "app/practice/feed.h"
#include "app/practice/practice.h"
#include "app/reports/reports.h"
#include "app/practice/casestudy.h"
#include "app/schools/schools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "view/tmpl.h"

/* The parts other features add to a person's "download my data" (accounts.h). */
const struct accounts_export_part accounts_export_parts[] = {
	{"networks", networks_export_person},
	{"partnerships", partnerships_export_person},
	{"programme", programme_export_person},
	{"practice", practice_export_person},
	{"practice_cases", practice_case_export_person},
	{"practice_questions", practice_questions_export},
	{NULL, NULL},
};

/* The parts each capability adds to a person's calendar feed (calendar.h). */
const struct calendar_source calendar_sources[] = {
	{"partnerships", ps_calendar_add, ps_calendar_count},
	{"programme", prog_calendar_add, prog_calendar_count},
	{NULL, NULL, NULL},
};

/* The background jobs of `tandem serve` (jobs.h), each on its own thread when its settings turn it on. */
const struct job *const app_jobs[] = {
	&mail_sender_job,
	&partnerships_digest_job,
	&programme_offers_job,
	&practice_tried_job,
	&practice_digest_job,
	NULL,
};

const struct route *const app_routes[] = {
	home_routes,
	schools_routes,
	schools_admin_routes,
	accounts_routes,
	mail_routes,
	networks_routes,
	partnerships_routes,
	ps_running_routes,
	calendar_routes,
	broker_routes,
	programme_routes,
	practice_routes,
	reports_routes,
	practice_case_routes,
	practice_tried_routes,
	practice_search_routes,
	practice_question_routes,
	practice_feed_routes,
	practice_attachment_routes,
	NULL,
};

/* Checks that run before a route's body is read (uploads). */
static const struct route_gate *const app_gates[] = {
	schools_admin_gates,
	practice_attachment_gates,
	NULL,
};

int app_open(struct app *app, const struct config *config, char *err, size_t errsz)
{
	memset(app, 0, sizeof(*app));
	app->config = config;
	app->started = clock_now();

	char *tdir = config_share_path(config, "templates");
	app->tmpl = tmpl_set_new();
	char terr[512];
	int rc = tmpl_set_load_dir(app->tmpl, tdir, terr, sizeof(terr));
	free(tdir);
	if (rc) {
		snprintf(err, errsz, "a template is broken, so the server will not start: %s", terr);
		goto fail;
	}

	char aerr[512];
	rc = accounts_init(config, aerr, sizeof(aerr));
	if (rc) {
		snprintf(err, errsz, "%s", aerr);
		goto fail;
	}

	char derr[512];
	rc = db_pool_open(&app->db, config->db_path, derr, sizeof(derr));
	if (rc) {
		snprintf(err, errsz, "%s", derr);
		goto fail;
	}
	struct db *db = db_pool_get(app->db);
	if (!db) {
		char shown[512];
		db_display_name(config->db_path, shown, sizeof(shown));
		snprintf(err, errsz, "cannot open the database %s", shown);
		rc = ERR_DB;
		goto fail;
	}
	char *sqldir = config_share_path(config, "sql");
	int applied = 0;
	rc = db_migrate(db, sqldir, &applied, derr, sizeof(derr));
	free(sqldir);
	if (rc) {
		snprintf(err, errsz, "database migration failed: %s", derr);
		goto fail;
	}
	if (applied)
		log_info("applied %d database migration%s", applied, applied == 1 ? "" : "s");
	return 0;
fail:
	app_close(app);
	return rc ? rc : ERR_INTERNAL;
}

void app_close(struct app *app)
{
	schools_index_release();
	programme_shutdown();
	reports_shutdown();
	networks_shutdown();
	practice_shutdown();
	if (app->db)
		db_pool_close(app->db);
	if (app->tmpl)
		tmpl_set_free(app->tmpl);
	app->db = NULL;
	app->tmpl = NULL;
	accounts_shutdown();
}

static void reset_connection(void *db)
{
	db_reset_all(db);
}

struct db *app_db(struct request *req)
{
	struct app *app = req_app(req);
	struct db *db = db_pool_get(app->db);
	/* When the request ends, release any statement a handler left half-read
	 * (it would pin an old snapshot) and roll back a forgotten transaction. */
	if (db)
		arena_defer(req_arena(req), reset_connection, db);
	return db;
}

int app_render(struct request *req, const char *tmpl, json_t *model, struct buf *out)
{
	struct app *app = req_app(req);
	if (!tmpl_exists(app->tmpl, tmpl)) {
		log_error("%s: no template named %s", req_id(req), tmpl);
		return ERR_NOTFOUND;
	}
	/* The page sees its own model plus `site` (name, version, request id). */
	json_t *ctx = json_is_object(model) ? json_copy(model) : json_object();
	json_t *site = json_pack("{s:s, s:s, s:s}", "name", "Tandem", "version", TANDEM_VERSION,
				 "request_id", req_id(req));
	accounts_page_context(req, site); /* site.user and site.csrf: pages only, never JSON */
	json_object_set_new(ctx, "site", site);
	int rc = tmpl_render(app->tmpl, tmpl, ctx, out);
	json_decref(ctx);
	return rc;
}

struct http_hooks app_hooks(struct app *app)
{
	struct http_hooks h = {
		.before = accounts_before,
		.render = app_render,
		.ctx = app,
		.gates = app_gates,
	};
	return h;
}
