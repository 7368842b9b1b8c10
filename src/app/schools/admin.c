// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * admin.c — the register import in the browser, for administrators: a page
 * listing past imports with an upload form, the upload itself (the same
 * one-transaction import as `tandem import-gias`), and each run's report
 * with the rows that were rejected.
 */
#include <stdio.h>
#include <string.h>

#include "app/accounts/accounts.h"
#include "app/app.h"
#include "app/page.h"
#include "app/schools/model.h"
#include "app/schools/schools.h"
#include "core/arena.h"

#define UPLOAD_MAX (256u * 1024 * 1024) /* the national file is about 60 MB unpacked */

/*
 * GET /admin/imports
 * Administrators: the last 50 imports and the upload form.
 */
static int handle_imports_index(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ADMIN, &pg);
	if (rc)
		return rc;
	struct db *db = pg.db;
	json_t *runs;
	if ((rc = schools_import_runs(db, &runs)))
		return page_fail(&pg, rc, NULL);
	page_dates_for_people(runs);
	res_view(res, 200, "schools/imports",
		 json_pack("{s:s, s:o}", "title", "Import the register of schools", "runs", runs));
	return 0;
}

/* The uploaded file's name for the page and the run record: its last part (browsers on some
 * systems send a whole path), or "upload.csv" when it has none. */
static const char *upload_name(const char *filename)
{
	const char *name = filename ? filename : "";
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			name = p + 1;
	return *name ? name : "upload.csv";
}

/*
 * POST /admin/imports   (multipart/form-data: csrf, kind = schools | links, file)
 * Gated: anyone else is refused before the upload is read (accounts_gate_admin).
 * Administrators: import an uploaded GIAS extract or links file, then show
 * its report (303 to /admin/imports/{id}). A file that cannot be imported
 * leaves the data as it was and is reported as a failed run.
 */
static int handle_imports_create(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ADMIN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct multipart_part *parts;
	size_t n;
	const char *detail;
	rc = req_multipart(req, &parts, &n, &detail);
	if (rc == ERR_INVALID)
		return res_error(res, 400, detail);
	if (rc)
		return rc;
	const struct multipart_part *csrf = multipart_find(parts, n, "csrf");
	rc = accounts_check_csrf(req, res, csrf ? csrf->value : NULL);
	if (rc)
		return rc;
	const struct multipart_part *kind = multipart_find(parts, n, "kind");
	const struct multipart_part *file = multipart_find(parts, n, "file");
	bool links = kind && kind->value && strcmp(kind->value, "links") == 0;
	if (kind && kind->value && !links && strcmp(kind->value, "schools") != 0) {
		res_field_error(res, "kind", "Choose the register of schools or the links file");
		return res_error(res, 400, "Unknown kind of file.");
	}
	if (!file || !file->path || file->size == 0) {
		res_field_error(res, "file", "Choose the file to import");
		return res_error(res, 400, "No file was uploaded.");
	}
	struct db *db = pg.db;
	struct import_report rep;
	char err[1024];
	const char *name = upload_name(file->filename);
	rc = links ? schools_import_links(db, file->path, name, NULL, NULL, &rep, err, sizeof(err))
		   : schools_import_gias(db, file->path, name, NULL, NULL, &rep, err, sizeof(err));
	audit_record(db, u, req_client_ip(req), links ? "import_links" : "import_schools",
		     json_pack("{s:s, s:b, s:I, s:I}", "file", name, "ok", rc == 0, "rows",
			       (json_int_t)rep.read, "rejected", (json_int_t)rep.rejected));
	import_report_free(&rep);
	if (rc) {
		/* The failed run is recorded; show the reason now. */
		return res_error(res, 422, arena_printf(req_arena(req), "The file was not imported and "
							 "nothing was changed: %s", err));
	}
	res_redirect(res, 303, arena_printf(req_arena(req), "/admin/imports/%lld", (long long)rep.run_id));
	return 0;
}

/*
 * GET /admin/imports/{id:int}
 * Administrators: one import's report — counts, ignored columns and the
 * rows that were rejected (line, column, reason).
 */
static int handle_imports_show(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ADMIN, &pg);
	if (rc)
		return rc;
	struct db *db = pg.db;
	json_t *run;
	rc = schools_import_run(db, req_path_int(req, "id"), &run);
	if (rc == ERR_NOTFOUND)
		return res_error(res, 404, "There is no import with that number.");
	if (rc)
		return rc;
	page_dates_for_people(run);
	res_view(res, 200, "schools/import",
		 json_pack("{s:s, s:o}", "title", "Import report", "run", run));
	return 0;
}

/* The upload is refused before a byte of it is read unless an administrator sends it from this site. */
const struct route_gate schools_admin_gates[] = {
	{HTTP_POST, "/admin/imports", accounts_gate_admin},
	{HTTP_GET, NULL, NULL},
};

const struct route schools_admin_routes[] = {
	{HTTP_GET, "/admin/imports", handle_imports_index, NULL, 0, 0},
	/* Multipart upload: gated before the body (schools_admin_gates); the CSRF token is a
	 * form part, checked by the handler. */
	{HTTP_POST, "/admin/imports", handle_imports_create, NULL, ROUTE_RAW_BODY | ROUTE_NO_CSRF, UPLOAD_MAX},
	{HTTP_GET, "/admin/imports/{id:int}", handle_imports_show, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
