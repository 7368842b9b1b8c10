// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_attendance.c — the register of a session and a person's learning,
 * HTML and JSON from one handler each: the facilitator's register (present,
 * late, absent for each place, with the code attendees check themselves in
 * with, printable as a sign-in sheet), its CSV export, self check-in with
 * the code, and /me/learning with its CSV export.
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

static const char *const mark_choices[] = {"present", "late", "absent", NULL};

const struct param_spec prog_register_params[] = {
	PARAM(.name = "mark_{person}", .type = PARAM_ENUM, .choices = mark_choices, .label = "Attendance"),
	PARAM_END,
};

const struct param_spec prog_checkin_params[] = {
	PARAM(.name = "code", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = 20, .label = "Code"),
	PARAM_END,
};

/* The register page's model (new), or NULL with *rc. */
static json_t *register_model(struct prog_page *pg, int *rc)
{
	json_t *reg = NULL;
	if ((*rc = prog_register_json(pg->n.p.db, pg->n.p.a, &pg->acc, &pg->session, clock_now(), &reg)))
		return NULL;
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "Register: %s", pg->course.title));
	json_object_update(m, reg);
	json_decref(reg);
	json_object_set_new(m, "course", prog_course_json(pg->n.p.db, &pg->n.net, &pg->course));
	json_object_set_new(m, "when", json_string(prog_span(pg->n.p.a, pg->session.starts, pg->session.ends)));
	json_object_set_new(m, "session_url", json_sprintf("/networks/%s/programme/sessions/%lld", pg->n.net.slug,
							   (long long)pg->session.id));
	return m;
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/register
 * The register (facilitators and coordinators): each booked person with
 * their school and mark, the check-in code to show on the screen, and the
 * counts; printable as a sign-in sheet.
 */
int handle_prog_register(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *m = register_model(&pg, &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, NULL);
	res_view(res, 200, "programme/register", m);
	return 0;
}

/*
 * POST /networks/{slug}/programme/sessions/{id}/register
 * Take the register: mark_{person}=present|late|absent for each person
 * marked (others are left as they were), from an hour before the start.
 * 303 back to the register.
 */
int handle_prog_register_save(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	size_t n = 0;
	while (req_each(req, "mark_{person}", n, NULL))
		n++;
	struct prog_mark *marks = arena_calloc(pg.n.p.a, n ? n : 1, sizeof(*marks));
	size_t k = 0;
	const char *field;
	int64_t person;
	for (size_t i = 0; (field = req_each(req, "mark_{person}", i, &person)); i++)
		if (req_has(req, field))
			marks[k++] = (struct prog_mark){person, req_str(req, field)};
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_register_save(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.session, marks, k, clock_now(),
							   errors);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? register_model(&pg, &mrc) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/register", m, "register-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld/register", pg.n.net.slug,
			     (long long)pg.session.id);
}

/* Answer the register as a file: CSV, or XLSX when xlsx. */
static int register_file(struct request *req, struct response *res, bool xlsx)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	struct buf out = BUF_INIT;
	rc = xlsx ? prog_register_xlsx(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course, &pg.session, &out)
		  : prog_register_csv(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course, &pg.session, &out);
	if (rc) {
		buf_free(&out);
		return page_fail(&pg.n.p, rc, NULL);
	}
	char day[12];
	clock_uk_day_time(pg.session.starts, day, NULL);
	res_header(res, "Content-Disposition",
		   arena_printf(pg.n.p.a, "attachment; filename=\"register-%lld-%s.%s\"", (long long)pg.session.id, day,
				xlsx ? "xlsx" : "csv"));
	res_body(res, 200,
		 xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
		 out.data, out.len);
	buf_free(&out);
	return 0;
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/register.csv
 * The register as CSV (facilitators and coordinators).
 */
int handle_prog_register_csv(struct request *req, struct response *res)
{
	return register_file(req, res, false);
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/register.xlsx
 * The register as an XLSX workbook (facilitators and coordinators).
 */
int handle_prog_register_xlsx(struct request *req, struct response *res)
{
	return register_file(req, res, true);
}

/*
 * POST /networks/{slug}/programme/sessions/{id}/checkin
 * Check oneself in with the code on the screen (code): from half an hour
 * before the start until the end, for a person with a place. 303 to the session.
 */
int handle_prog_checkin(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_checkin(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.session, req_str(req, "code"),
						     clock_now(), errors);
	if (rc) {
		json_t *m = NULL;
		if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
			json_t *sm = NULL;
			if (prog_session_json(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, &pg.course, &pg.session, clock_now(),
					      &sm) == 0) {
				m = prog_page_model(&pg, pg.course.title);
				json_object_update(m, sm);
				json_decref(sm);
			}
		}
		return page_form_fail(&pg.n.p, rc, errors, "programme/session", m, "checkin-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld", pg.n.net.slug, (long long)pg.session.id);
}

/*
 * GET /me/learning
 * My learning: places to come, waiting-list places and offers, sessions
 * attended with hours of CPD this year and in all, sessions I delivered.
 */
int handle_prog_learning(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	json_t *m = NULL;
	if ((rc = prog_learning_json(pg.db, pg.a, pg.u->id, clock_now(), &m)))
		return page_fail(&pg, rc, NULL);
	json_object_set_new(m, "title", json_string("My learning"));
	res_view(res, 200, "programme/learning", m);
	return 0;
}

/*
 * GET /me/learning.csv
 * My learning as CSV: one row a session attended, delivered, booked, waited for or offered.
 */
int handle_prog_learning_csv(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct buf out = BUF_INIT;
	if ((rc = prog_learning_csv(pg.db, pg.a, pg.u->id, clock_now(), &out))) {
		buf_free(&out);
		return page_fail(&pg, rc, NULL);
	}
	res_header(res, "Content-Disposition", "attachment; filename=\"my-learning.csv\"");
	res_body(res, 200, "text/csv; charset=utf-8", out.data, out.len);
	buf_free(&out);
	return 0;
}
