// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_questions.c — the network's feedback questions, for coordinators and
 * the steering group (issue 13, item 7), HTML and JSON from one handler
 * each: the list (asked, in order, and retired), adding a question at the
 * end, rewording one or changing its kind or Guskey level on its own page,
 * moving one up or down, retiring one and bringing it back. The rules are in
 * questions.c.
 */
#include "app/app.h"
#include "app/programme/pages.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"

const struct param_spec prog_question_params[] = {
	PARAM(.name = "text", .type = PARAM_TEXT, .flags = PARAM_REQUIRED, .max = PROG_QUESTION_MAX,
	      .label = "Question"),
	PARAM(.name = "kind", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = prog_question_kinds,
	      .label = "Kind of answer"),
	PARAM(.name = "level", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = 5,
	      .label = "Guskey level"),
	PARAM_END,
};

static const char *const directions[] = {"up", "down", NULL};

const struct param_spec prog_question_move_params[] = {
	PARAM(.name = "direction", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = directions,
	      .label = "Direction"),
	PARAM_END,
};

/* The questions page's model (new), or NULL with *rc. */
static json_t *questions_model(struct prog_page *pg, int *rc)
{
	json_t *q = NULL;
	if ((*rc = prog_questions_json(pg->n.p.db, pg->n.p.a, &pg->acc, &q)))
		return NULL;
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "Feedback questions: %s", pg->n.net.name));
	json_object_update(m, q);
	json_decref(q);
	json_object_set_new(m, "form", json_pack("{s:s, s:i}", "kind", "scale", "level", 1));
	json_object_set_new(m, "has_retired", json_boolean(json_array_size(json_object_get(m, "retired")) > 0));
	json_object_set_new(m, "prefix", json_string("add-"));
	return m;
}

/* The edit page's model for question number (new), or NULL with *rc (ERR_NOTFOUND when there is none). */
static json_t *question_model(struct prog_page *pg, int64_t number, int *rc)
{
	json_t *m = questions_model(pg, rc);
	if (!m)
		return NULL;
	json_t *found = NULL, *q;
	size_t i;
	const char *const lists[] = {"questions", "retired"};
	for (size_t k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(m, lists[k]), i, q)
		{
			if (json_integer_value(json_object_get(q, "number")) == number)
				found = q;
		}
	}
	if (!found) {
		json_decref(m);
		*rc = ERR_NOTFOUND;
		return NULL;
	}
	json_object_set(m, "question", found);
	json_object_set_new(m, "title", json_string("Change a feedback question"));
	json_object_set_new(m, "prefix", json_string("q-"));
	json_object_set_new(m, "form",
			    json_pack("{s:O, s:O, s:O}", "text", json_object_get(found, "text"), "kind",
				      json_object_get(found, "kind"), "level", json_object_get(found, "level")));
	return m;
}

/* Mark the option of form.kind and form.level as chosen in m's "kinds" and "levels" (after a refusal too). */
static void choose(json_t *m, const char *kind, int64_t level)
{
	json_t *kinds = json_array();
	json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", "scale", "label", "A scale from 1 to 5",
					       "selected", str_eq(kind, "scale")));
	json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", "text", "label", "Free text", "selected",
					       str_eq(kind, "text")));
	json_object_set_new(m, "kinds", kinds);
	json_t *l;
	size_t i;
	json_array_foreach(json_object_get(m, "levels"), i, l)
		json_object_set_new(l, "selected", json_boolean(json_integer_value(json_object_get(l, "value")) == level));
}

/* Render m as tmpl with the form's options chosen from the form (or what was typed). */
static int show(struct prog_page *pg, json_t *m, const char *tmpl)
{
	json_t *form = json_object_get(m, "form");
	choose(m, json_string_value(json_object_get(form, "kind")), json_integer_value(json_object_get(form, "level")));
	res_view(pg->n.p.res, 200, tmpl, m);
	return 0;
}

/*
 * GET /networks/{slug}/programme/questions
 * The survey's questions in order, with their kind, Guskey level and how
 * many answers each has; the retired ones; the form to add one.
 */
int handle_prog_questions(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *m = questions_model(&pg, &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, NULL);
	return show(&pg, m, "programme/questions");
}

/* Refuse a question form: the page again with what was typed and the options chosen as typed. */
static int refuse(struct prog_page *pg, struct request *req, int rc, json_t *errors, json_t *m, const char *tmpl,
		  const char *prefix)
{
	if (m) {
		json_object_del(m, "form");
		choose(m, req_str(req, "kind"), req_int(req, "level", 0));
	}
	return page_form_fail(&pg->n.p, rc, errors, tmpl, m, prefix);
}

/*
 * POST /networks/{slug}/programme/questions
 * Add a question at the end: text (3-300 characters), kind (scale, text),
 * level (1-5). 303 to the list; 409 when the survey already asks 12.
 */
int handle_prog_question_add(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_question_in in = {
		.text = req_str(req, "text"), .kind = req_str(req, "kind"), .level = req_int(req, "level", 0)};
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_question_add(pg.n.p.db, pg.n.p.a, &pg.acc, &in, clock_now(), errors);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? questions_model(&pg, &mrc) : NULL;
		return refuse(&pg, req, rc, errors, m, "programme/questions", "add-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/questions", pg.n.net.slug);
}

/*
 * GET /networks/{slug}/programme/questions/{number}
 * One question's form: its text, kind (fixed once people have answered it) and level.
 */
int handle_prog_question(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *m = question_model(&pg, req_path_int(req, "number"), &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, NULL);
	return show(&pg, m, "programme/question");
}

/*
 * POST /networks/{slug}/programme/questions/{number}
 * Change a question: text, kind, level as when adding. 303 to the list;
 * 409 for a new kind on a question people have answered.
 */
int handle_prog_question_edit(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	int64_t number = req_path_int(req, "number");
	json_t *errors = page_errors(&pg.n.p);
	struct prog_question_in in = {
		.text = req_str(req, "text"), .kind = req_str(req, "kind"), .level = req_int(req, "level", 0)};
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_question_edit(pg.n.p.db, pg.n.p.a, &pg.acc, number, &in, clock_now(), errors);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? question_model(&pg, number, &mrc) : NULL;
		if (!m && (rc == ERR_INVALID || rc == ERR_CONFLICT)) {
			json_decref(errors);
			return page_fail(&pg.n.p, mrc, NULL);
		}
		return refuse(&pg, req, rc, errors, m, "programme/question", "q-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/questions", pg.n.net.slug);
}

/* Answer a change that has no form of its own: 303 to the list, or the refusal's message. */
static int done(struct prog_page *pg, int rc, json_t *errors)
{
	if (rc) {
		const char *why = json_string_value(json_object_get(errors, "question"));
		rc = page_fail(&pg->n.p, rc, why ? arena_strdup(pg->n.p.a, why) : NULL);
		json_decref(errors);
		return rc;
	}
	json_decref(errors);
	return page_redirect(&pg->n.p, "/networks/%s/programme/questions", pg->n.net.slug);
}

/*
 * POST /networks/{slug}/programme/questions/{number}/move
 * direction (up, down): move the question one place in the survey. 303 to the list.
 */
int handle_prog_question_move(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = json_object();
	rc = prog_question_move(pg.n.p.db, pg.n.p.a, &pg.acc, req_path_int(req, "number"),
				str_eq(req_str(req, "direction"), "up"), clock_now(), errors);
	return done(&pg, rc, errors);
}

/*
 * POST /networks/{slug}/programme/questions/{number}/retire
 * Stop asking the question (its answers stay, and show in the results);
 * 409 for the survey's only question. 303 to the list.
 */
int handle_prog_question_retire(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = json_object();
	rc = prog_question_retire(pg.n.p.db, pg.n.p.a, &pg.acc, req_path_int(req, "number"), true, clock_now(),
				  errors);
	return done(&pg, rc, errors);
}

/*
 * POST /networks/{slug}/programme/questions/{number}/restore
 * Ask a retired question again, at its old place; 409 when 12 are asked. 303 to the list.
 */
int handle_prog_question_restore(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = json_object();
	rc = prog_question_retire(pg.n.p.db, pg.n.p.a, &pg.acc, req_path_int(req, "number"), false, clock_now(),
				  errors);
	return done(&pg, rc, errors);
}
