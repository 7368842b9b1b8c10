// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_tried.c — the pages of "we tried this", each one URL in HTML and
 * JSON: saying one is trying an idea, article or case study of another
 * school; where a piece of practice travelled (its schools, their outcomes
 * and a map); the person's own tries with, for coordinators, how many
 * weeks pass before Tandem asks how it went; and the "how did it go" form
 * the email links to. No SQL: tried.c does the work and asks the policy.
 */
#include "app/practice/casestudy.h"

#include "app/page.h"
#include "core/arena.h"

/* Open the page (signed in) and the network: 0, or the answer already set. */
static int open_network(struct request *req, struct response *res, struct page *pg, struct practice_ctx *c)
{
	int rc = page_open(req, res, PAGE_SIGNED_IN, pg);
	if (rc)
		return rc;
	if ((rc = practice_open(pg->db, pg->a, pg->u, req_path_str(req, "slug"), c)))
		return page_fail(pg, rc, NULL);
	return 0;
}

/*
 * POST /networks/{slug}/{ideas|articles|cases}/{id}/tried
 * The person says they are trying the item: someone of another member
 * school who sees it. 400 on their own school's item, 409 the second time,
 * each with a message. 303 to the item.
 */
static int tried_add(struct request *req, struct response *res, const char *segment)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id");
	json_t *errors = json_object();
	rc = practice_tried_add(pg.db, pg.a, &c, practice_tried_kind(segment), id, errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		const char *why = arena_strdup(pg.a, json_string_value(json_object_get(errors, "tried")));
		json_decref(errors);
		return page_fail(&pg, rc, why);
	}
	json_decref(errors);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/%s/%lld", slug, segment, (long long)id);
}

/* POST /networks/{slug}/ideas/{id}/tried: see tried_add. */
static int handle_tried_idea(struct request *req, struct response *res)
{
	return tried_add(req, res, "ideas");
}

/* POST /networks/{slug}/articles/{id}/tried: see tried_add. */
static int handle_tried_article(struct request *req, struct response *res)
{
	return tried_add(req, res, "articles");
}

/* POST /networks/{slug}/cases/{id}/tried: see tried_add. */
static int handle_tried_case(struct request *req, struct response *res)
{
	return tried_add(req, res, "cases");
}

/*
 * GET /networks/{slug}/{ideas|articles|cases}/{id}/travelled
 * Where the item travelled: the schools trying it and how it went, counts,
 * and a map of the schools (SVG with a title and description, and a table
 * of the same data). Anyone who sees the item; 404 for everyone else.
 */
static int travelled(struct request *req, struct response *res, const char *segment)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = NULL;
	rc = practice_travelled(pg.db, pg.a, &c, practice_tried_kind(segment), req_path_int(req, "id"), &m);
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	json_object_set_new(m, "title", json_sprintf("Where it travelled: %s",
						     json_string_value(json_object_get(json_object_get(m, "item"), "title"))));
	res_view(res, 200, "practice/case_travelled", m);
	return 0;
}

/* GET /networks/{slug}/ideas/{id}/travelled: see travelled. */
static int handle_travelled_idea(struct request *req, struct response *res)
{
	return travelled(req, res, "ideas");
}

/* GET /networks/{slug}/articles/{id}/travelled: see travelled. */
static int handle_travelled_article(struct request *req, struct response *res)
{
	return travelled(req, res, "articles");
}

/* GET /networks/{slug}/cases/{id}/travelled: see travelled. */
static int handle_travelled_case(struct request *req, struct response *res)
{
	return travelled(req, res, "cases");
}

/* The list's model with its title, or NULL (the refusal already answered). */
static json_t *list_model(struct page *pg, const struct practice_ctx *c, int *rc)
{
	json_t *m = NULL;
	*rc = practice_tried_list(pg->db, pg->a, c, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_sprintf("What I am trying: %s", c->name));
	return m;
}

/*
 * GET /networks/{slug}/tried
 * The person's tries in the network, newest first, with how each went;
 * for coordinators, the weeks after which people are asked.
 */
static int handle_tried_list(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = list_model(&pg, &c, &rc);
	practice_close(&c);
	if (!m)
		return rc;
	res_view(res, 200, "practice/case_tried_list", m);
	return 0;
}

/* POST /networks/{slug}/tried/settings parameters. */
static const struct param_spec weeks_params[] = {
	PARAM(.name = "weeks", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = 26,
	      .label = "Weeks before asking"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/tried/settings
 * A coordinator sets how many weeks (`weeks`, 1-26) after someone starts
 * trying something Tandem asks them how it went. 303 to /tried.
 */
static int handle_tried_settings(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	rc = json_object_size(errors) ? ERR_INVALID : practice_tried_set_weeks(pg.db, &c, req_int(req, "weeks", 0), errors);
	if (rc == ERR_INVALID) {
		int mrc;
		json_t *m = list_model(&pg, &c, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(&pg, rc, errors, "practice/case_tried_list", m, "tried-");
	}
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/tried", slug);
}

/* The "how did it go" model with its title, or NULL (the refusal already answered). */
static json_t *answer_model(struct page *pg, const struct practice_ctx *c, int64_t tid, int *rc)
{
	json_t *m = NULL;
	*rc = practice_tried_get(pg->db, pg->a, c, tid, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_string("How did it go?"));
	return m;
}

/*
 * GET /networks/{slug}/tried/{tid}
 * The person's try: what it is and, until answered, the form to say how it
 * went. 404 for anyone else's.
 */
static int handle_tried_show(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = answer_model(&pg, &c, req_path_int(req, "tid"), &rc);
	practice_close(&c);
	if (!m)
		return rc;
	res_view(res, 200, "practice/case_tried", m);
	return 0;
}

/* The outcomes. */
static const char *const outcome_choices[] = {"worked", "partly", "not", NULL};

/* POST /networks/{slug}/tried/{tid} parameters. */
static const struct param_spec answer_params[] = {
	PARAM(.name = "outcome", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = outcome_choices,
	      .label = "How it went"),
	PARAM(.name = "note", .type = PARAM_TEXT, .max = PRACTICE_TRIED_NOTE_MAX, .label = "A note for the author"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/tried/{tid}
 * Say how it went: `outcome` (worked, partly, not) and a `note` (up to
 * 2,000 characters). Once; 409 after. 303 to the try.
 */
static int handle_tried_answer(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t tid = req_path_int(req, "tid");
	json_t *errors = page_errors(&pg);
	rc = json_object_size(errors) ? ERR_INVALID
				      : practice_tried_answer(pg.db, pg.a, &c, tid, req_str(req, "outcome"),
							      req_str(req, "note"), errors);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		int mrc;
		json_t *m = answer_model(&pg, &c, tid, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(&pg, rc, errors, "practice/case_tried", m, "tried-");
	}
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/tried/%lld", slug, (long long)tid);
}

#define FORM ROUTE_OWN_ERRORS

const struct route practice_tried_routes[] = {
	{HTTP_POST, "/networks/{slug}/ideas/{id:int}/tried", handle_tried_idea, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/articles/{id:int}/tried", handle_tried_article, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/cases/{id:int}/tried", handle_tried_case, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/ideas/{id:int}/travelled", handle_travelled_idea, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/articles/{id:int}/travelled", handle_travelled_article, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/cases/{id:int}/travelled", handle_travelled_case, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/tried", handle_tried_list, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/tried/settings", handle_tried_settings, weeks_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/tried/{tid:int}", handle_tried_show, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/tried/{tid:int}", handle_tried_answer, answer_params, FORM, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
