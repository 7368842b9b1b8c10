// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_search.c — the pages of shared practice's search and its public
 * step, each one URL in HTML and JSON: the search over everything the
 * viewer may see (no sign-in needed: anonymous visitors find public items),
 * an item's public page, and a coordinator's list of the network's items to
 * publish, with publish and take back; and a school's scrapbook of a term,
 * made to print. No SQL: search.c does the work and
 * asks the policy.
 */
#include "app/practice/practice.h"

#include "app/page.h"
#include "app/practice/model.h"
#include "app/practice/scrapbook.h"
#include "app/practice/search.h"
#include "core/clock.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"

/* The kinds and phases a search filters on, with their labels. */
static const char *const kind_choices[] = {"idea", "article", "question", "case", NULL};
static const char *const kind_labels[] = {"Ideas", "Articles", "Questions", "Case studies"};
static const char *const phase_choices[] = {"nursery", "primary", "secondary", "all_through", "sixteen_plus",
					    "special", "pru_ap", NULL};
static const char *const phase_labels[] = {"Nursery", "Primary", "Secondary", "All-through", "16 plus",
					   "Special", "Pupil referral unit, alternative provision"};

/* GET /practice/search parameters. */
static const struct param_spec search_params[] = {
	PARAM(.name = "q", .type = PARAM_STRING, .max = PRACTICE_SEARCH_MAX, .label = "Search for"),
	PARAM(.name = "kind", .type = PARAM_ENUM, .choices = kind_choices, .label = "Kind"),
	PARAM(.name = "theme", .type = PARAM_STRING, .max = 60, .label = "Theme"),
	PARAM(.name = "phase", .type = PARAM_ENUM, .choices = phase_choices, .label = "Phase"),
	PARAM(.name = "urn", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "School (URN)"),
	PARAM(.name = "from", .type = PARAM_DATE, .label = "From"),
	PARAM(.name = "to", .type = PARAM_DATE, .label = "To"),
	PARAM(.name = "page", .type = PARAM_INT, .min = 1, .max = 10000, .label = "Page"),
	PARAM_END,
};

/* [{value, label, selected}] for a select (new reference). */
static json_t *options(const char *const *values, const char *const *labels, const char *chosen)
{
	json_t *out = json_array();
	for (int i = 0; values[i]; i++)
		json_array_append_new(out, json_pack("{ss ss sb}", "value", values[i], "label", labels[i], "selected",
						     str_eq(values[i], chosen)));
	return out;
}

/* The search page's model around the form (new reference): the choices and the typed values. */
static json_t *search_form(struct request *req)
{
	json_t *m = json_pack("{ss so so}", "title", "Search shared practice", "kinds",
			      options(kind_choices, kind_labels, req_str(req, "kind")), "phases",
			      options(phase_choices, phase_labels, req_str(req, "phase")));
	static const char *const names[] = {"q", "theme", "urn", "from", "to"};
	json_t *form = json_object();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = req_str(req, names[i]);
		json_object_set_new(form, names[i], json_string(v ? v : ""));
	}
	json_object_set_new(m, "form", form);
	return m;
}

/* The search's address with page p (arena). */
static const char *page_url(struct page *pg, int p)
{
	static const char *const names[] = {"q", "kind", "theme", "phase", "urn", "from", "to"};
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "/practice/search?");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = req_str(pg->req, names[i]);
		if (!v || !*v)
			continue;
		buf_printf(&b, "%s=", names[i]);
		buf_put_urlencoded(&b, v);
		buf_putc(&b, '&');
	}
	buf_printf(&b, "page=%d", p);
	const char *out = arena_strdup(pg->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/*
 * GET /practice/search[?q=&kind=&theme=&phase=&urn=&from=&to=&page=]
 * Everything the viewer may see (anyone: signed out, only public items),
 * newest first, 20 a page, each with its matched words marked; `q` words
 * are matched as prefixes, all required, accents and case ignored; the
 * filters narrow by kind (idea, article), theme name, the school's phase,
 * the school (URN) and the day posted (from, to, both included).
 */
static int handle_practice_search(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	struct practice_search_query q = {
		.text = req_str(req, "q"), .kind = req_str(req, "kind"), .theme = req_str(req, "theme"),
		.phase = req_str(req, "phase"), .urn = req_int(req, "urn", 0), .from = req_str(req, "from"),
		.to = req_str(req, "to"), .page = (int)req_int(req, "page", 1)};
	json_t *found = NULL;
	rc = json_object_size(errors) ? ERR_INVALID : practice_search(pg.db, pg.a, pg.u, &q, errors, &found);
	if (rc == ERR_INVALID)
		return page_form_fail(&pg, rc, errors, "practice/search", search_form(req), "search-");
	json_decref(errors);
	if (rc)
		return page_fail(&pg, rc, NULL);
	json_t *m = search_form(req);
	json_object_update(m, found);
	json_decref(found);
	int page = (int)json_integer_value(json_object_get(m, "page"));
	int pages = (int)json_integer_value(json_object_get(m, "pages"));
	if (page > 1)
		json_object_set_new(m, "prev_url", json_string(page_url(&pg, page - 1)));
	if (page < pages)
		json_object_set_new(m, "next_url", json_string(page_url(&pg, page + 1)));
	json_object_set_new(m, "searched", json_boolean(req_str(req, "q") || req_str(req, "kind") ||
							 req_str(req, "theme") || req_str(req, "phase") ||
							 req_str(req, "urn") || req_str(req, "from") || req_str(req, "to")));
	json_object_set_new(m, "signed_out", json_boolean(pg.u == NULL));
	res_view(res, 200, "practice/search", m);
	return 0;
}

/*
 * GET /practice/{kind}/{id}
 * An item (kind idea or article) on a page of its own, for anyone the
 * visibility check lets see it: a public item needs no sign-in. 404 for
 * everyone else, as if it did not exist.
 */
static int handle_practice_public_item(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	json_t *m = NULL;
	rc = practice_public_item(pg.db, pg.a, pg.u, req_path_str(req, "kind"), req_path_int(req, "id"), &m);
	if (rc)
		return page_fail(&pg, rc, NULL);
	json_object_set(m, "title", json_object_get(json_object_get(m, "item"), "title"));
	res_view(res, 200, "practice/public_item", m);
	return 0;
}

/*
 * GET /networks/{slug}/practice/publishing
 * A coordinator's list: the network's items already public, and those the
 * network sees that could be published, each with its button. 403 for
 * everyone else who may read the network.
 */
static int handle_practice_publishing(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct practice_ctx c;
	if ((rc = practice_open(pg.db, pg.a, pg.u, req_path_str(req, "slug"), &c)))
		return page_fail(&pg, rc, NULL);
	json_t *m = NULL;
	rc = practice_publishing(pg.db, pg.a, pg.u, c.network_id, &m);
	if (rc) {
		practice_close(&c);
		return page_fail(&pg, rc, NULL);
	}
	json_object_set(m, "network", c.network);
	json_object_set_new(m, "title", json_sprintf("Publishing: %s", c.name));
	practice_close(&c);
	res_view(res, 200, "practice/publishing", m);
	return 0;
}

/* Publish (publish true) or take back item {kind}/{id} of network {slug}; 303 to the publishing list. */
static int publish_change(struct request *req, struct response *res, bool publish)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct practice_ctx c;
	if ((rc = practice_open(pg.db, pg.a, pg.u, req_path_str(req, "slug"), &c)))
		return page_fail(&pg, rc, NULL);
	const char *kind = req_path_str(req, "kind");
	int64_t id = req_path_int(req, "id");
	rc = publish ? practice_publish(pg.db, pg.a, pg.u, c.network_id, kind, id)
		     : practice_unpublish(pg.db, pg.a, pg.u, c.network_id, kind, id);
	const char *slug = c.slug;
	bool coordinator = c.acc.coordinator;
	practice_close(&c);
	if (rc == ERR_CONFLICT)
		return page_fail(&pg, rc, publish ? "This item is public already." : "This item is not public.");
	if (rc == ERR_FORBIDDEN)
		return page_fail(&pg, rc, publish ? "Only a coordinator of the network can publish an item, once the "
						    "network sees it, and never their own."
						  : "Only the author or a coordinator of the network can take an item "
						    "back from the public.");
	if (rc)
		return page_fail(&pg, rc, NULL);
	if (!coordinator)
		return page_redirect(&pg, "/practice/%s/%lld", kind, (long long)id);
	return page_redirect(&pg, "/networks/%s/practice/publishing", slug);
}

/*
 * POST /networks/{slug}/practice/{kind}/{id}/publish
 * A coordinator makes an item the network sees public (never their own):
 * 403 otherwise, 409 when it is public already.
 */
static int handle_practice_publish(struct request *req, struct response *res)
{
	return publish_change(req, res, true);
}

/*
 * POST /networks/{slug}/practice/{kind}/{id}/unpublish
 * A coordinator or the author takes a public item back to the network.
 */
static int handle_practice_unpublish(struct request *req, struct response *res)
{
	return publish_change(req, res, false);
}

/* GET /schools/{urn}/scrapbook parameters. */
static const struct param_spec scrapbook_params[] = {
	PARAM(.name = "term", .type = PARAM_STRING, .max = 20, .label = "Term"),
	PARAM_END,
};

/*
 * GET /schools/{urn}/scrapbook[?term=autumn-2026]
 * The school's Good Ideas Scrapbook for a term (default: the current
 * one): its one-page articles the viewer may see, oldest first, printing
 * one an A4 page with the school's name and the term on each. Anyone (a
 * visitor who is not signed in sees the public articles). 400 for a term
 * that is not "autumn-", "spring-" or "summer-" and a year; 404 for a
 * school the register does not have.
 */
static int handle_practice_scrapbook(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	const char *key = req_str(req, "term");
	struct practice_term term = practice_term_of(clock_now());
	if (key && *key && practice_term_parse(key, &term))
		return page_fail(&pg, ERR_INVALID, "Choose a term as autumn-2026, spring-2027 or summer-2027.");
	json_t *m = NULL;
	if ((rc = practice_scrapbook(pg.db, pg.a, pg.u, req_path_int(req, "urn"), term, &m)))
		return page_fail(&pg, rc, NULL);
	json_object_set_new(m, "title", json_sprintf("%s: Good Ideas Scrapbook, %s",
						     json_string_value(json_object_get(m, "school")),
						     json_string_value(json_object_get(m, "term_label"))));
	res_view(res, 200, "practice/scrapbook", m);
	return 0;
}

const struct route practice_search_routes[] = {
	{HTTP_GET, "/schools/{urn:int}/scrapbook", handle_practice_scrapbook, scrapbook_params, 0, 0},
	{HTTP_GET, "/practice/search", handle_practice_search, search_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_GET, "/practice/{kind}/{id:int}", handle_practice_public_item, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/practice/publishing", handle_practice_publishing, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/practice/{kind}/{id:int}/publish", handle_practice_publish, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/practice/{kind}/{id:int}/unpublish", handle_practice_unpublish, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
