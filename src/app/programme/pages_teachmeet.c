// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_teachmeet.c — presenters at a TeachMeet or a learning lunch, HTML
 * and JSON from one handler each: the sign-ups with the minutes used and
 * left (and a warning when they exceed the time), signing up with a title
 * and a slot, withdrawing, and the draw: a large-print page showing the
 * presenter drawn last and the running order, and the button that draws the
 * next at random; and the speed-learning rotation (table cards and
 * personal schedules).
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/programme/pages.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

static const char *const kind_choices[] = {"nano", "micro", "soapbox", "input", NULL};

const struct param_spec prog_teachmeet_params[] = {
	PARAM(.name = "title", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = PROG_TITLE_MAX, .label = "Title"),
	PARAM(.name = "kind", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = kind_choices, .label = "Slot"),
	PARAM_END,
};

/* The TeachMeet page's model (new), or NULL with *rc. */
static json_t *teachmeet_model(struct prog_page *pg, int *rc)
{
	json_t *t = NULL;
	if ((*rc = prog_teachmeet_json(pg->n.p.db, pg->n.p.a, &pg->acc, &pg->course, &pg->session, clock_now(), &t)))
		return NULL;
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "Presenters: %s", pg->course.title));
	json_object_update(m, t);
	json_decref(t);
	json_object_set_new(m, "course", prog_course_json(pg->n.p.db, &pg->n.net, &pg->course));
	json_object_set_new(m, "when", json_string(prog_span(pg->n.p.a, pg->session.starts, pg->session.ends)));
	json_object_set_new(m, "session_url", json_sprintf("/networks/%s/programme/sessions/%lld", pg->n.net.slug,
							   (long long)pg->session.id));
	return m;
}

/* Answer the TeachMeet page (tmpl: the sign-ups, or the large-print draw). */
static int show(struct request *req, struct response *res, const char *tmpl, bool signed_in)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, signed_in, &pg);
	if (rc)
		return rc;
	json_t *m = teachmeet_model(&pg, &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, rc == ERR_NOTFOUND ? "Only TeachMeets and learning lunches have presenters." : NULL);
	res_view(res, 200, tmpl, m);
	return 0;
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/teachmeet
 * The presenters: sign-ups waiting to be drawn, the running order so far,
 * minutes used and left, and the sign-up form.
 */
int handle_prog_teachmeet(struct request *req, struct response *res)
{
	return show(req, res, "programme/teachmeet", false);
}

/*
 * GET /networks/{slug}/programme/sessions/{id}/teachmeet/draw
 * The large-print draw page for the screen at the event (facilitators and
 * coordinators draw; the page shows everyone the presenter drawn last).
 */
int handle_prog_teachmeet_screen(struct request *req, struct response *res)
{
	return show(req, res, "programme/teachmeet_draw", true);
}

/*
 * POST /networks/{slug}/programme/sessions/{id}/teachmeet
 * Sign up to present: title, kind (nano, micro, soapbox at a TeachMeet;
 * input at a learning lunch). 409 when it does not fit the time left. 303 back.
 */
int handle_prog_teachmeet_signup(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_teachmeet_signup(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course, &pg.session,
							      req_str(req, "title"), req_str(req, "kind"), clock_now(), errors);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? teachmeet_model(&pg, &mrc) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/teachmeet", m, "slot-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld/teachmeet", pg.n.net.slug,
			     (long long)pg.session.id);
}

/*
 * POST /networks/{slug}/programme/sessions/{id}/teachmeet/{slot}/withdraw
 * Withdraw a sign-up not yet drawn: one's own, or any for the organisers. 303 back.
 */
int handle_prog_teachmeet_withdraw(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	rc = prog_teachmeet_withdraw(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.session, req_path_int(req, "slot"), clock_now());
	if (rc)
		return page_fail(&pg.n.p, rc, rc == ERR_CONFLICT ? "This presenter has been drawn already." : NULL);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld/teachmeet", pg.n.net.slug,
			     (long long)pg.session.id);
}

/*
 * POST /networks/{slug}/programme/sessions/{id}/teachmeet/draw
 * Draw the next presenter at random from those not yet drawn (facilitators
 * and coordinators). 409 when everyone has been drawn. 303 to the draw page.
 */
int handle_prog_teachmeet_draw(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = json_object();
	rc = prog_teachmeet_draw(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course, &pg.session, clock_now(), errors);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_CONFLICT ? teachmeet_model(&pg, &mrc) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/teachmeet_draw", m, "draw-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld/teachmeet/draw", pg.n.net.slug,
			     (long long)pg.session.id);
}

const struct param_spec prog_rotation_params[] = {
	PARAM(.name = "rounds", .type = PARAM_INT, .min = 1, .max = 20, .label = "Rounds"),
	PARAM_END,
};

/*
 * GET /networks/{slug}/programme/sessions/{id}/rotation?rounds=3
 * A speed-learning session's rotation: the facilitators host the tables,
 * the people with a place move round. Organisers get every table card and
 * schedule (printable); an attendee gets their own schedule. 400 with the
 * reason when it cannot be planned (more hosts than attendees, too many
 * rounds).
 */
int handle_prog_rotation(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	int rounds = (int)req_int(req, "rounds", 3);
	json_t *errors = page_errors(&pg.n.p), *plan = NULL;
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_rotation_json(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course, &pg.session, rounds,
							   &plan, errors);
	json_t *m = prog_page_model(&pg, arena_printf(pg.n.p.a, "Rotation: %s", pg.course.title));
	json_object_set_new(m, "course", prog_course_json(pg.n.p.db, &pg.n.net, &pg.course));
	json_object_set_new(m, "when", json_string(prog_span(pg.n.p.a, pg.session.starts, pg.session.ends)));
	json_object_set_new(m, "session_url", json_sprintf("/networks/%s/programme/sessions/%lld", pg.n.net.slug,
							   (long long)pg.session.id));
	json_object_set_new(m, "form", json_pack("{s:i}", "rounds", rounds));
	if (rc) {
		if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
			json_decref(m);
			json_decref(errors);
			return page_fail(&pg.n.p, rc, rc == ERR_NOTFOUND ? "Only speed-learning sessions have a rotation." : NULL);
		}
		return page_form_fail(&pg.n.p, ERR_INVALID, errors, "programme/rotation", m, "rotation-");
	}
	json_decref(errors);
	json_object_set_new(m, "plan", plan);
	res_view(res, 200, "programme/rotation", m);
	return 0;
}
