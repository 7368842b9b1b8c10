// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * admin.c — the deployment administrators' pages: an index of what they can
 * look at, and the audit log (newest first, paged). Only administrators
 * (person.is_admin) get past accounts_require_admin.
 */
#include <stdio.h>

#include "app/accounts/model.h"
#include "app/accounts/pages.h"
#include "app/app.h"
#include "app/page.h"
#include "core/arena.h"
#include "db/db.h"

/* GET /admin/audit parameters. */
const struct param_spec admin_audit_params[] = {
	PARAM(.name = "page", .type = PARAM_INT, .min = 1, .max = 1000000, .label = "Page"),
	PARAM(.name = "per_page", .type = PARAM_INT, .min = 10, .max = 200, .label = "Entries per page"),
	PARAM_END,
};

/*
 * GET /admin
 * Links to the administrators' pages.
 */
int handle_admin_index(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ADMIN, &pg);
	if (rc)
		return rc;
	json_t *m = json_pack("{s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "title", "Administration",
			      "pages", "href", "/admin/leads", "label", "School leads to confirm", "description",
			      "People invited to lead a school whose address is not at the school's own domain.",
			      "href", "/admin/audit", "label", "Audit log", "description",
			      "Sign-ins, failures, lock-outs, exports, deletions and other security events.",
			      "href", "/admin/outbox", "label", "Outbox", "description",
			      "Email Tandem has sent or is waiting to send, with any delivery errors.");
	res_view(res, 200, "admin/index", m);
	return 0;
}

/*
 * GET /admin/audit?page=N&per_page=M
 * The audit log, newest first: {entries, total, page, pages, prev_url, next_url}.
 */
int handle_admin_audit(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ADMIN, &pg);
	if (rc)
		return rc;
	struct db *db = pg.db;
	int64_t page = req_int(req, "page", 1), per = req_int(req, "per_page", 50);
	json_t *m = audit_page(db, (page - 1) * per, per);
	if (!m)
		return ERR_DB;
	int64_t total = json_integer_value(json_object_get(m, "total"));
	int64_t pages = total ? (total + per - 1) / per : 1;
	json_object_set_new(m, "title", json_string("Audit log"));
	json_object_set_new(m, "page", json_integer(page));
	json_object_set_new(m, "per_page", json_integer(per));
	json_object_set_new(m, "pages", json_integer(pages));
	if (page > 1)
		json_object_set_new(m, "prev_url", json_sprintf("/admin/audit?page=%lld&per_page=%lld",
								(long long)page - 1, (long long)per));
	if (page < pages)
		json_object_set_new(m, "next_url", json_sprintf("/admin/audit?page=%lld&per_page=%lld",
								(long long)page + 1, (long long)per));
	page_dates_for_people(m);
	res_view(res, 200, "admin/audit", m);
	return 0;
}
