// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_questions.c — the pages of "Thinking Thursday", each one URL in
 * HTML and JSON: a network's questions with the form to ask one, a question
 * with its answers and the form to answer, and the asker's "this helped".
 * No SQL: questions.c does the work and asks the policy.
 */
#include "app/practice/practice.h"

#include "app/networks/pages.h"
#include "app/page.h"
#include "app/practice/model.h"
#include "app/practice/questions.h"

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

/* The list's model with its title, or NULL (the refusal answered: *rc is what to return). */
static json_t *list_model(struct page *pg, const struct practice_ctx *c, int *rc)
{
	json_t *m = NULL;
	if ((*rc = practice_questions(pg->db, pg->a, c, &m))) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_sprintf("Thinking Thursday: %s", c->name));
	json_object_set_new(m, "menu", net_nav_can(&c->nacc));
	return m;
}

/*
 * GET /networks/{slug}/questions
 * The questions the person may see, newest first, with their answer
 * counts, and the form to ask one (staff and leads of member schools).
 */
static int handle_practice_questions(struct request *req, struct response *res)
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
	res_view(res, 200, "practice/questions", m);
	return 0;
}

/* Whom a question is asked of. */
static const char *const audience_choices[] = {"school", "network", NULL};

/* POST /networks/{slug}/questions parameters. */
static const struct param_spec question_params[] = {
	PARAM(.name = "question", .type = PARAM_STRING, .max = PRACTICE_QUESTION_MAX, .label = "Your question"),
	PARAM(.name = "details", .type = PARAM_TEXT, .max = PRACTICE_DETAILS_MAX, .label = "Details"),
	PARAM(.name = "audience", .type = PARAM_ENUM, .choices = audience_choices, .label = "Ask"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/questions
 * Ask a question (`question`, up to 200 characters; `details`, up to 2,000;
 * `audience`, school or network). Staff and leads of member schools. 303 to
 * the question.
 */
static int handle_practice_question_add(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	int64_t id = 0;
	rc = json_object_size(errors) ? ERR_INVALID
				      : practice_question_add(pg.db, pg.a, &c, req_str(req, "question"),
							      req_str(req, "details"), req_str(req, "audience"), errors, &id);
	if (rc == ERR_INVALID) {
		int mrc;
		json_t *m = list_model(&pg, &c, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(&pg, rc, errors, "practice/questions", m, "question-");
	}
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/questions/%lld", slug, (long long)id);
}

/* The question's model with its title, or NULL (the refusal answered: *rc is what to return). */
static json_t *question_model(struct page *pg, const struct practice_ctx *c, int64_t id, int *rc)
{
	json_t *m = NULL;
	if ((*rc = practice_question(pg->db, pg->a, c, id, &m))) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set(m, "title", json_object_get(json_object_get(m, "question"), "question"));
	return m;
}

/*
 * GET /networks/{slug}/questions/{id}
 * A question, its answers (those the asker found helpful marked) and the
 * form to answer. 404 for anyone its audience excludes.
 */
static int handle_practice_question(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = question_model(&pg, &c, req_path_int(req, "id"), &rc);
	practice_close(&c);
	if (!m)
		return rc;
	res_view(res, 200, "practice/question", m);
	return 0;
}

/* POST /networks/{slug}/questions/{id}/answers parameters. */
static const struct param_spec answer_params[] = {
	PARAM(.name = "text", .type = PARAM_TEXT, .max = PRACTICE_ANSWER_MAX, .label = "Your answer"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/questions/{id}/answers
 * Answer a question (`text`, up to 2,000 characters): anyone signed in who
 * sees it. 303 to the question.
 */
static int handle_practice_answer_add(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id");
	json_t *errors = page_errors(&pg);
	rc = json_object_size(errors) ? ERR_INVALID
				      : practice_answer_add(pg.db, pg.a, &c, id, req_str(req, "text"), errors);
	if (rc == ERR_INVALID) {
		int mrc;
		json_t *m = question_model(&pg, &c, id, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(&pg, rc, errors, "practice/question", m, "answer-");
	}
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/questions/%lld", slug, (long long)id);
}

/*
 * POST /networks/{slug}/questions/{id}/answers/{answer}/helpful
 * The asker marks an answer helpful (not their own): 403 for anyone else,
 * 409 when it is marked already. 303 to the question.
 */
static int handle_practice_answer_helpful(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id");
	rc = practice_answer_helpful(pg.db, &c, id, req_path_int(req, "answer"));
	const char *slug = c.slug;
	practice_close(&c);
	if (rc == ERR_FORBIDDEN)
		return page_fail(&pg, rc, "Only the person who asked can mark an answer helpful, and not their own answer.");
	if (rc == ERR_CONFLICT)
		return page_fail(&pg, rc, "You have already marked this answer helpful.");
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/questions/%lld", slug, (long long)id);
}

const struct route practice_question_routes[] = {
	{HTTP_GET, "/networks/{slug}/questions", handle_practice_questions, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/questions", handle_practice_question_add, question_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_GET, "/networks/{slug}/questions/{id:int}", handle_practice_question, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/questions/{id:int}/answers", handle_practice_answer_add, answer_params,
	 ROUTE_OWN_ERRORS, 0},
	{HTTP_POST, "/networks/{slug}/questions/{id:int}/answers/{answer:int}/helpful", handle_practice_answer_helpful,
	 NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
