// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_attachments.c — attaching a resource to an item and downloading
 * it. The upload is multipart/form-data read by the handler (a raw-body
 * route): an anonymous sender is refused before a byte of it is read (the
 * gate), the form's csrf part is checked before anything is stored. No SQL:
 * attachments.c does the work and asks the policy.
 */
#include "app/practice/practice.h"

#include <string.h>

#include "app/page.h"
#include "app/practice/attachments.h"
#include "app/practice/model.h"
#include "core/arena.h"

/* The most bytes an upload's body may hold: the file and the form around it. */
#define UPLOAD_BODY_MAX (PRACTICE_FILE_MAX + 256u * 1024u)

/*
 * POST /networks/{slug}/practice/{kind}/{id}/attachments
 * (multipart/form-data: csrf, file). The item's author attaches a PDF,
 * Word, PowerPoint, Excel, PNG or JPEG file of up to 10 MB, checked by its
 * content: 400 with a message for anything else, 403 for anyone but the
 * author, 404 for an item they may not see. 303 to the item's page.
 */
static int handle_practice_attach(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct multipart_part *parts;
	size_t n;
	const char *detail;
	rc = req_multipart(req, &parts, &n, &detail);
	if (rc == ERR_INVALID)
		return res_error(res, 400, detail);
	if (rc)
		return page_fail(&pg, rc, NULL);
	const struct multipart_part *csrf = multipart_find(parts, n, "csrf");
	if ((rc = accounts_check_csrf(req, res, csrf ? csrf->value : NULL)))
		return rc;
	struct practice_ctx c;
	if ((rc = practice_open(pg.db, pg.a, pg.u, req_path_str(req, "slug"), &c)))
		return page_fail(&pg, rc, NULL);
	int64_t network_id = c.network_id;
	practice_close(&c);
	const struct multipart_part *file = multipart_find(parts, n, "file");
	const char *kind = req_path_str(req, "kind");
	int64_t id = req_path_int(req, "id"), attachment = 0;
	json_t *errors = json_object();
	rc = practice_attach(pg.db, pg.a, pg.u, network_id, kind, id, file ? file->path : NULL, file ? file->size : 0,
			     file ? file->filename : NULL, errors, &attachment);
	if (rc == ERR_INVALID) {
		const char *why = json_string_value(json_object_get(errors, "file"));
		res_field_error(res, "file", why);
		json_decref(errors);
		return res_error(res, 400, "The file was not attached.");
	}
	json_decref(errors);
	if (rc == ERR_FORBIDDEN)
		return page_fail(&pg, rc, "Only the author of an item attaches resources to it.");
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/practice/%s/%lld", kind, (long long)id);
}

/* Refuse an anonymous upload before its body is read. */
static int gate_signed_in(struct request *req, struct response *res)
{
	if (accounts_user(req))
		return 0;
	return res_error(res, 401, "Sign in first; nothing was uploaded.");
}

/*
 * GET /practice/attachments/{id}
 * Download an attachment (Content-Disposition: attachment) for anyone who
 * may see its item; 404 for everyone else, as if it did not exist.
 */
static int handle_practice_download(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	struct practice_download d;
	if ((rc = practice_download(pg.db, pg.a, pg.u, req_path_int(req, "id"), &d)))
		return page_fail(&pg, rc, NULL);
	res_header(res, "Content-Disposition", arena_printf(pg.a, "attachment; filename=\"%s\"", d.filename));
	res_header(res, "X-Content-Type-Options", "nosniff");
	res_body(res, 200, d.mime, d.data ? (const void *)d.data : "", d.size);
	return 0;
}

const struct route practice_attachment_routes[] = {
	/* Multipart upload: gated before the body (practice_attachment_gates); the CSRF token is a form
	 * part, checked by the handler. */
	{HTTP_POST, "/networks/{slug}/practice/{kind}/{id:int}/attachments", handle_practice_attach, NULL,
	 ROUTE_RAW_BODY | ROUTE_NO_CSRF, UPLOAD_BODY_MAX},
	{HTTP_GET, "/practice/attachments/{id:int}", handle_practice_download, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};

const struct route_gate practice_attachment_gates[] = {
	{HTTP_POST, "/networks/{slug}/practice/{kind}/{id:int}/attachments", gate_signed_in},
	{HTTP_GET, NULL, NULL},
};
