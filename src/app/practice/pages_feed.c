// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_feed.c — the pages of shared practice leaving Tandem: a network's
 * Atom feed of its public practice (no sign-in: only public items, each
 * through the visibility check as an anonymous reader), and the switch for
 * the weekly email of new practice. No SQL: feed.c and search.c do the work.
 */
#include "app/practice/practice.h"

#include "app/page.h"
#include "app/practice/feed.h"
#include "app/practice/search.h"
#include "core/buf.h"

/*
 * GET /networks/{slug}/practice.atom
 * The network's public ideas, articles and questions, newest published
 * first (up to 50), as an Atom feed for feed readers. Anyone. 404 when
 * there is no such network.
 */
static int handle_practice_atom(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	json_t *feed = NULL;
	if ((rc = practice_feed(pg.db, pg.a, req_path_str(req, "slug"), &feed)))
		return page_fail(&pg, rc, NULL);
	struct buf out;
	buf_init(&out);
	practice_atom(feed, page_site_url(&pg), &out);
	json_decref(feed);
	res_body(res, 200, "application/atom+xml; charset=utf-8", buf_str(&out), out.len);
	buf_free(&out);
	return 0;
}

/* The switch's model (new reference). */
static json_t *digest_model(bool on, bool saved)
{
	return json_pack("{ss sb sb}", "title", "Weekly email of new practice", "on", on, "saved", saved);
}

/*
 * GET /practice/digest
 * Whether the person gets the weekly email of new practice they may see,
 * with the switch. Signed in.
 */
static int handle_practice_digest(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	bool on = false;
	if ((rc = practice_digest_get(pg.db, pg.u->id, &on)))
		return page_fail(&pg, rc, NULL);
	res_view(res, 200, "practice/digest", digest_model(on, req_bool(req, "saved")));
	return 0;
}

/* POST /practice/digest and GET's parameters. */
static const struct param_spec digest_params[] = {
	PARAM(.name = "on", .type = PARAM_BOOL, .flags = PARAM_REQUIRED, .label = "Weekly email"),
	PARAM_END,
};
static const struct param_spec digest_get_params[] = {
	PARAM(.name = "saved", .type = PARAM_BOOL, .label = "Saved"),
	PARAM_END,
};

/*
 * POST /practice/digest
 * Switch the weekly email on (`on` true) or off. Signed in. 303 back.
 */
static int handle_practice_digest_set(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	if ((rc = practice_digest_set(pg.db, pg.u->id, req_bool(req, "on"))))
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/practice/digest?saved=1");
}

const struct route practice_feed_routes[] = {
	{HTTP_GET, "/networks/{slug}/practice.atom", handle_practice_atom, NULL, 0, 0},
	{HTTP_GET, "/practice/digest", handle_practice_digest, digest_get_params, 0, 0},
	{HTTP_POST, "/practice/digest", handle_practice_digest_set, digest_params, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
