// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_feedback.c — after a session, HTML and JSON from one handler each:
 * the feedback survey for people who attended and its results (per
 * session and per course, for facilitators and coordinators, shown from 3
 * answers up), certificates of attendance as PDF (one's own, or a whole
 * session's for facilitators), the public check of a certificate's code
 * (/certificates/{code}), and the network's programme settings (how long an
 * offer holds, named or anonymous feedback, days before reminders).
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/programme/pages.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/*
 * The survey's fields: the default questions by their words, the network's
 * own by their numbers ("q_12"). Every one is read as text, whatever the
 * question's kind now, and the model checks a scale's 1 to 5.
 */
const struct param_spec prog_feedback_params[] = {
	PARAM(.name = "q_useful", .type = PARAM_TEXT, .max = PROG_OUTCOMES_MAX, .label = "How useful"),
	PARAM(.name = "q_learnt", .type = PARAM_TEXT, .max = PROG_OUTCOMES_MAX, .label = "What you learnt"),
	PARAM(.name = "q_try", .type = PARAM_TEXT, .max = PROG_OUTCOMES_MAX, .label = "What you will try"),
	PARAM(.name = "q_confidence", .type = PARAM_TEXT, .max = PROG_OUTCOMES_MAX, .label = "How confident"),
	PARAM(.name = "q_support", .type = PARAM_TEXT, .max = PROG_OUTCOMES_MAX, .label = "Support you need"),
	PARAM(.name = "q_{number}", .type = PARAM_TEXT, .max = PROG_OUTCOMES_MAX, .label = "Your answer"),
	PARAM_END,
};

/* A 1-5 answer typed as text ("4", " 4 "), or 0 when it is anything else. */
static int64_t scale_of(struct arena *a, const char *s)
{
	const char *t = s ? str_trim(a, s) : "";
	return strlen(t) == 1 && t[0] >= '1' && t[0] <= '5' ? t[0] - '0' : 0;
}

/* The feedback page's model (new), or NULL with *rc. */
static json_t *feedback_model(struct prog_page *pg, int *rc)
{
	json_t *f = NULL;
	if ((*rc = prog_feedback_form(pg->n.p.db, pg->n.p.a, &pg->acc, &pg->session, clock_now(), &f)))
		return NULL;
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "Feedback: %s", pg->course.title));
	json_object_update(m, f);
	json_decref(f);
	json_object_set_new(m, "course", prog_course_json(pg->n.p.db, &pg->n.net, &pg->course));
	json_object_set_new(m, "when", json_string(prog_span(pg->n.p.a, pg->session.starts, pg->session.ends)));
	json_object_set_new(m, "session_url", json_sprintf("/networks/%s/programme/sessions/%lld", pg->n.net.slug,
							   (long long)pg->session.id));
	return m;
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/feedback
 * The survey, for a person marked present once the session has ended (the
 * page says why not otherwise), and whether feedback is named or anonymous.
 */
int handle_prog_feedback(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *m = feedback_model(&pg, &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, NULL);
	res_view(res, 200, "programme/feedback", m);
	return 0;
}

/*
 * POST /networks/{slug}/programme/sessions/{id}/feedback
 * Answer the survey once: q_<key> for each question asked (q_useful and
 * q_confidence 1 to 5, q_learnt, q_try, q_support text, unless the network
 * changed them; its own questions q_<number>). 303 to the session; 409 for someone not marked
 * present, a second answer, before the end or after the survey closed.
 */
int handle_prog_feedback_submit(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_question *qs = NULL;
	size_t n = 0;
	if (!json_object_size(errors) &&
	    (rc = prog_questions_load(pg.n.p.db, pg.n.p.a, pg.acc.network_id, false, &qs, &n))) {
		json_decref(errors);
		return page_fail(&pg.n.p, rc, NULL);
	}
	struct prog_answer *answers = arena_calloc(pg.n.p.a, n ? n : 1, sizeof(*answers));
	for (size_t i = 0; i < n; i++) {
		const char *v = req_str(req, arena_printf(pg.n.p.a, "q_%s", qs[i].key));
		if (qs[i].scale)
			answers[i].scale = scale_of(pg.n.p.a, v);
		else
			answers[i].text = v;
	}
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_feedback_submit(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.session, qs, answers, n,
							     clock_now(), errors);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? feedback_model(&pg, &mrc) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/feedback", m, "feedback-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld?thanks=1", pg.n.net.slug,
			     (long long)pg.session.id);
}

/* Answer the results of a session (session_id) or a course (course_id). */
static int results(struct prog_page *pg, int64_t session_id, int64_t course_id, const char *title)
{
	json_t *r = NULL;
	int rc = prog_feedback_results(pg->n.p.db, pg->n.p.a, &pg->acc, session_id, course_id, &r);
	if (rc)
		return page_fail(&pg->n.p, rc, NULL);
	json_t *m = prog_page_model(pg, title);
	json_object_set_new(m, "results", r);
	json_object_set_new(m, "course", prog_course_json(pg->n.p.db, &pg->n.net, &pg->course));
	if (session_id)
		json_object_set_new(m, "when", json_string(prog_span(pg->n.p.a, pg->session.starts, pg->session.ends)));
	res_view(pg->n.p.res, 200, "programme/feedback_results", m);
	return 0;
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/feedback/results
 * The session's feedback (facilitators and coordinators): averages and
 * counts of the 1-5 questions and the comments, from 3 answers up.
 */
int handle_prog_feedback_results(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	return results(&pg, pg.session.id, 0, arena_printf(pg.n.p.a, "Feedback: %s", pg.course.title));
}

/*
 * GET /networks/{slug}/programme/courses/{id}/feedback
 * The feedback of all the course's sessions together (facilitators and coordinators).
 */
int handle_prog_course_feedback(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_course(req, res, true, &pg);
	if (rc)
		return rc;
	return results(&pg, 0, pg.course.id, arena_printf(pg.n.p.a, "Feedback: %s", pg.course.title));
}

const struct param_spec prog_certificate_params[] = {
	PARAM(.name = "person_id", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Person"),
	PARAM_END,
};

/* Answer a PDF of certificates for person_id (0: everyone marked present). */
static int certificates(struct request *req, struct response *res, int64_t person_id, bool all)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	int64_t whom = all ? 0 : person_id ? person_id : pg.acc.person_id;
	json_t *errors = json_object();
	struct buf pdf = BUF_INIT;
	rc = prog_certificates(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, &pg.course, &pg.session, whom,
			       prog_page_base(&pg), &pdf, errors);
	if (rc) {
		buf_free(&pdf);
		const char *why = json_string_value(json_object_get(errors, "certificate"));
		rc = page_fail(&pg.n.p, rc, why ? arena_strdup(pg.n.p.a, why) : NULL);
		json_decref(errors);
		return rc;
	}
	json_decref(errors);
	res_header(res, "Content-Disposition",
		   arena_printf(pg.n.p.a, "inline; filename=\"certificate%s-%lld.pdf\"", all ? "s" : "",
				(long long)pg.session.id));
	res_body(res, 200, "application/pdf", pdf.data, pdf.len);
	buf_free(&pdf);
	return 0;
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/certificate.pdf?person_id=
 * One's own certificate of attendance (a facilitator or coordinator may ask
 * for anyone's with person_id); only for a place marked present: 409 otherwise.
 */
int handle_prog_certificate(struct request *req, struct response *res)
{
	return certificates(req, res, req_int(req, "person_id", 0), false);
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/certificates.pdf
 * Everyone's certificates as one PDF, a page each (facilitators and coordinators).
 */
int handle_prog_certificates(struct request *req, struct response *res)
{
	return certificates(req, res, 0, true);
}

/*
 * GET /certificates/{code}
 * Public: whether a certificate with this code is genuine, and whose it is
 * (name, course, network, day, hours). 404 with a sentence when it is not.
 */
int handle_certificate_check(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	json_t *m = NULL;
	if ((rc = prog_certificate_check(pg.db, pg.a, req_path_str(req, "code"), &m)))
		return page_fail(&pg, rc,
				 rc == ERR_NOTFOUND ? "No certificate has this code: it is mistyped, or the certificate "
						      "is not genuine."
						    : NULL);
	json_object_set_new(m, "title", json_string("Certificate check"));
	res_view(res, 200, "programme/certificate_check", m);
	return 0;
}

const struct param_spec prog_settings_params[] = {
	PARAM(.name = "offer_hours", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = 336,
	      .label = "Hours an offer holds a place"),
	PARAM(.name = "feedback_anonymous", .type = PARAM_BOOL, .label = "Anonymous feedback"),
	PARAM(.name = "reminder_days", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 0, .max = 14,
	      .label = "Days before a session the reminder goes"),
	PARAM_END,
};

/* The settings page's model (new), or NULL with *rc. */
static json_t *settings_model(struct prog_page *pg, int *rc)
{
	json_t *s = NULL;
	if ((*rc = prog_settings_json(pg->n.p.db, &pg->acc, &s)))
		return NULL;
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "Programme settings: %s", pg->n.net.name));
	json_object_set_new(m, "form", s);
	return m;
}

/* GET /networks/{slug}/programme/settings — the programme's settings (coordinators). */
int handle_prog_settings(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *m = settings_model(&pg, &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, NULL);
	res_view(res, 200, "programme/settings", m);
	return 0;
}

/*
 * POST /networks/{slug}/programme/settings
 * offer_hours (1-336), feedback_anonymous, reminder_days (0-14): coordinators. 303 back.
 */
int handle_prog_settings_save(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_settings in = {.offer_hours = req_int(req, "offer_hours", 0),
				   .feedback_anonymous = req_bool(req, "feedback_anonymous"),
				   .reminder_days = req_int(req, "reminder_days", -1)};
	rc = json_object_size(errors) ? ERR_INVALID : prog_settings_save(pg.n.p.db, &pg.acc, &in);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID ? settings_model(&pg, &mrc) : NULL;
		if (m)
			json_object_del(m, "form");
		return page_form_fail(&pg.n.p, rc, errors, "programme/settings", m, "settings-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/settings", pg.n.net.slug);
}
