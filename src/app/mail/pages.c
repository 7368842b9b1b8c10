// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — /admin/outbox: the email Tandem has queued, sent or given up
 * on, newest first, with the last delivery error. Administrators only. It
 * is also how a deployment without SMTP (the demo) reads its mail.
 */
#include <stdio.h>

#include "app/accounts/accounts.h"
#include "app/app.h"
#include "app/page.h"
#include "app/mail/mail.h"
#include "app/mail/outbox.h"
#include "core/config.h"
#include "db/db.h"

static const char *const status_choices[] = {"queued", "sent", "failed", NULL};

/* GET /admin/outbox parameters. */
static const struct param_spec outbox_params[] = {
	PARAM(.name = "status", .type = PARAM_ENUM, .choices = status_choices, .label = "Status"),
	PARAM(.name = "page", .type = PARAM_INT, .min = 1, .max = 1000000, .label = "Page"),
	PARAM(.name = "per_page", .type = PARAM_INT, .min = 10, .max = 200, .label = "Messages per page"),
	PARAM_END,
};

/*
 * GET /admin/outbox?status=queued|sent|failed&page=N&per_page=M
 * The outbox, newest first: {messages, total, page, pages, smtp_configured,
 * prev_url, next_url}.
 */
static int handle_outbox(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ADMIN, &pg);
	if (rc)
		return rc;
	struct db *db = pg.db;
	const struct app *app = req_app(req);
	const char *status = req_str(req, "status");
	int64_t page = req_int(req, "page", 1), per = req_int(req, "per_page", 50);
	json_t *m = outbox_page(db, status, (page - 1) * per, per);
	if (!m)
		return ERR_DB;
	int64_t total = json_integer_value(json_object_get(m, "total"));
	int64_t pages = total ? (total + per - 1) / per : 1;
	json_object_set_new(m, "title", json_string("Outbox"));
	json_object_set_new(m, "page", json_integer(page));
	json_object_set_new(m, "per_page", json_integer(per));
	json_object_set_new(m, "pages", json_integer(pages));
	json_object_set_new(m, "status", status ? json_string(status) : json_null());
	json_object_set_new(m, "smtp_configured",
			    json_boolean(app->config->smtp_url && *app->config->smtp_url));
	const char *filter = status ? status : "";
	if (page > 1)
		json_object_set_new(m, "prev_url", json_sprintf("/admin/outbox?page=%lld&per_page=%lld%s%s",
								(long long)page - 1, (long long)per,
								*filter ? "&status=" : "", filter));
	if (page < pages)
		json_object_set_new(m, "next_url", json_sprintf("/admin/outbox?page=%lld&per_page=%lld%s%s",
								(long long)page + 1, (long long)per,
								*filter ? "&status=" : "", filter));
	page_dates_for_people(m);
	res_view(res, 200, "admin/outbox", m);
	return 0;
}

const struct route mail_routes[] = {
	{HTTP_GET, "/admin/outbox", handle_outbox, outbox_params, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
