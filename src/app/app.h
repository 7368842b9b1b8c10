// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * app.h — the application object every feature handler reaches through
 * req_app(): configuration, the per-thread database pool and the compiled
 * templates; plus the glue the HTTP server calls (rendering inside the
 * layout) and the list of every feature's route table.
 */
#ifndef TANDEM_APP_APP_H
#define TANDEM_APP_APP_H

#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "http/http.h"

struct buf;
struct config;
struct db;
struct db_pool;
struct job;
struct tmpl_set;

struct app {
	const struct config *config; /* borrowed from main */
	struct db_pool *db;          /* per-thread connections */
	struct tmpl_set *tmpl;       /* every template, compiled at start */
	int64_t started;             /* clock_now() at start */
};

/*
 * Open the database (running pending migrations) and compile every template.
 * Returns 0, or an error with a message a person can act on in err.
 */
int app_open(struct app *app, const struct config *config, char *err, size_t errsz) WUR;
void app_close(struct app *app);
/* This thread's database connection for the request; NULL (logged) if it cannot open. */
struct db *app_db(struct request *req);
/* The http_hooks.render hook: the page model plus site-wide data, rendered by name. */
int app_render(struct request *req, const char *tmpl, json_t *model, struct buf *out) WUR;
/* The hooks to give http_server_start. */
struct http_hooks app_hooks(struct app *app);
/* Every feature's background job (jobs.h), NULL-terminated. */
extern const struct job *const app_jobs[];
/* Every feature's route table, NULL-terminated. */
extern const struct route *const app_routes[];

/* Feature route tables (one per src/app/<feature>/). */
extern const struct route home_routes[];

#endif
