// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_sessions.c — a session's page and what people do there, HTML and
 * JSON from one handler each: the session with its venue and address (or
 * online, the link only for people with a place), places left, the person's
 * own place or position in line, who is booked as they may see it (names
 * or counts); changing the session (capacity below the places taken is
 * refused; more places are offered to the waiting list at once); booking
 * oneself or, for a school's lead, a colleague; joining and leaving the
 * waiting list; cancelling up to the start; and the offer links of the
 * waiting list's emails (/offers/{token}). For facilitators and
 * coordinators, who see every name, the page's lists of people are kept
 * rendered in memory (listing.c), the rest built for each request.
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

const struct param_spec prog_session_params[] = {
	PARAM(.name = "day", .type = PARAM_DATE, .flags = PARAM_REQUIRED, .label = "Day"),
	PARAM(.name = "start", .type = PARAM_TIME, .flags = PARAM_REQUIRED, .label = "Start"),
	PARAM(.name = "end", .type = PARAM_TIME, .flags = PARAM_REQUIRED, .label = "End"),
	PARAM(.name = "venue_urn", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "Venue"),
	PARAM(.name = "online_url", .type = PARAM_STRING, .max = PROG_URL_MAX, .label = "Online link"),
	PARAM(.name = "capacity", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = PROG_CAPACITY_MAX,
	      .label = "Capacity"),
	PARAM(.name = "per_school_limit", .type = PARAM_INT, .min = 0, .max = PROG_CAPACITY_MAX,
	      .label = "Places a school may take"),
	PARAM(.name = "closes_day", .type = PARAM_DATE, .label = "Day booking closes"),
	PARAM(.name = "closes_time", .type = PARAM_TIME, .label = "Time booking closes"),
	PARAM(.name = "cpd_hours", .type = PARAM_HOURS, .min = 0, .max = 100, .label = "Hours of CPD"),
	PARAM(.name = "presenter_minutes", .type = PARAM_INT, .min = 0, .max = 1440, .label = "Minutes of presenting"),
	PARAM_END,
};

void prog_session_in_read(struct request *req, struct prog_session_in *in)
{
	memset(in, 0, sizeof(*in));
	in->day = req_str(req, "day");
	in->start = req_str(req, "start");
	in->end = req_str(req, "end");
	in->venue_urn = req_int(req, "venue_urn", 0);
	in->online_url = req_str(req, "online_url");
	in->capacity = req_int(req, "capacity", 0);
	in->per_school_limit = req_int(req, "per_school_limit", 0);
	in->closes_day = req_str(req, "closes_day");
	in->closes_time = req_str(req, "closes_time");
	in->cpd_hundredths = req_hundredths(req, "cpd_hours", 0);
	in->presenter_minutes = req_int(req, "presenter_minutes", 0);
}

/*
 * The session's model for someone who sees every name, on the HTML page:
 * the lists of people booked and waiting as markup (people_html) kept in
 * memory (listing.c, under its rules: a change here drops it at once),
 * which is the same for everyone who may see them all, or built, rendered
 * and kept now. New object in *out.
 */
static int session_model_kept(struct prog_page *pg, int64_t now, json_t **out)
{
	struct db *db = pg->n.p.db;
	struct arena *a = pg->n.p.a;
	/* Until the start every place may be cancelled from the list; after it none. */
	const char *key = arena_printf(a, "session|%lld|%d", (long long)pg->session.id, now < pg->session.starts);
	int64_t nums[PROG_KEPT_NUMS] = {0};
	json_t *html = prog_kept_get(key, nums);
	if (html) {
		int rc = prog_session_json_kept(db, a, &pg->acc, &pg->n.net, &pg->course, &pg->session, now, nums, out);
		if (rc)
			json_decref(html);
		else
			json_object_set_new(*out, "people_html", html);
		return rc;
	}
	uint64_t gen = prog_listing_generation();
	int rc = prog_session_json(db, a, &pg->acc, &pg->n.net, &pg->course, &pg->session, now, out);
	if (rc)
		return rc;
	struct buf part = BUF_INIT;
	if (app_render(pg->n.p.req, "programme/_session_people", *out, &part) == 0) {
		json_t *sj = json_object_get(*out, "session");
		nums[0] = json_integer_value(json_object_get(sj, "booked"));
		nums[1] = json_integer_value(json_object_get(sj, "offered"));
		nums[2] = json_integer_value(json_object_get(sj, "waiting"));
		prog_kept_put(key, part.data ? part.data : "", part.len, nums, gen);
		json_object_set_new(*out, "people_html", json_stringn_nocheck(part.data ? part.data : "", part.len));
	}
	buf_free(&part);
	return 0;
}

/*
 * The edit form's fields of the session as they stand (the same for every
 * editor: the session's values and the member schools to choose from),
 * rendered, from the kept part (listing.c's rules) or rendered and kept now;
 * a new JSON string, or NULL (the page then renders them itself).
 */
static json_t *session_form_kept(struct prog_page *pg)
{
	const char *key = arena_printf(pg->n.p.a, "session-form|%lld", (long long)pg->session.id);
	json_t *html = prog_kept_get(key, NULL);
	if (html)
		return html;
	uint64_t gen = prog_listing_generation();
	json_t *m = json_object();
	json_object_set_new(m, "session_form", prog_session_form(pg->n.p.a, &pg->session));
	json_object_set_new(m, "venues", prog_venue_options(pg->n.p.db, pg, pg->session.venue_urn));
	struct buf part = BUF_INIT;
	if (app_render(pg->n.p.req, "programme/_session_form", m, &part) == 0) {
		prog_kept_put(key, part.data ? part.data : "", part.len, NULL, gen);
		html = json_stringn_nocheck(part.data ? part.data : "", part.len);
	}
	buf_free(&part);
	json_decref(m);
	return html;
}

/*
 * The session page's model (new), or NULL with *rc. With fresh (the page
 * itself, not a refused form shown again), the HTML page's edit form may
 * come from the kept part.
 */
static json_t *session_model_as(struct prog_page *pg, bool fresh, int *rc)
{
	json_t *sm = NULL;
	struct db *db = pg->n.p.db;
	int64_t now = clock_now();
	if (!req_wants_json(pg->n.p.req) && prog_policy_attendees_all(&pg->acc))
		*rc = session_model_kept(pg, now, &sm);
	else
		*rc = prog_session_json(db, pg->n.p.a, &pg->acc, &pg->n.net, &pg->course, &pg->session, now, &sm);
	if (*rc)
		return NULL;
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "%s: %s", pg->course.title,
						     prog_span(pg->n.p.a, pg->session.starts, pg->session.ends)));
	json_object_update(m, sm);
	json_decref(sm);
	if (prog_policy_session_edit(&pg->acc)) {
		json_t *form = fresh && !req_wants_json(pg->n.p.req) ? session_form_kept(pg) : NULL;
		if (form) {
			json_object_set_new(m, "session_form_html", form);
		} else {
			json_object_set_new(m, "session_form", prog_session_form(pg->n.p.a, &pg->session));
			json_object_set_new(m, "venues", prog_venue_options(db, pg, pg->session.venue_urn));
		}
	}
	return m;
}

/* The session page's model (new) for a refused form shown again, or NULL with *rc. */
static json_t *session_model(struct prog_page *pg, int *rc)
{
	return session_model_as(pg, false, rc);
}

/*
 * GET /networks/{slug}/programme/sessions/{id}
 * A session: when (UK time), where (a member school with its address from
 * the register, or online), places left, hours of CPD, the person's own
 * place or position in line, the people booked and waiting as the person
 * may see them, and the buttons they may use.
 */
int handle_prog_session(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, false, &pg);
	if (rc)
		return rc;
	json_t *m = session_model_as(&pg, true, &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, NULL);
	res_view(res, 200, "programme/session", m);
	return 0;
}

/*
 * POST /networks/{slug}/programme/sessions/{id}
 * Change a session (the session form's fields): facilitators, coordinators
 * and the steering group. A capacity below the places taken is refused
 * (409); a larger one offers the new places to the waiting list at once.
 * 303 to the session.
 */
int handle_prog_session_update(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_session_in in;
	prog_session_in_read(req, &in);
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_session_save(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, &pg.course,
							  pg.session.id, &in, prog_page_base(&pg), clock_now(), errors, NULL);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? session_model(&pg, &mrc) : NULL;
		if (m)
			json_object_set_new(m, "session_form", req_form_values(req));
		return page_form_fail(&pg.n.p, rc, errors, "programme/session", m, "session-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld", pg.n.net.slug, (long long)pg.session.id);
}

const struct param_spec prog_book_params[] = {
	PARAM(.name = "person_id", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Colleague"),
	PARAM(.name = "wait", .type = PARAM_BOOL, .label = "Join the waiting list"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/programme/sessions/{id}/book
 * Book a place: for oneself, or (a school's lead) for person_id, a
 * colleague of their own school. With wait=1 a full session (or a school at
 * its limit) puts the person on the waiting list instead of refusing. 303
 * to the session (?booked=1 or ?waiting=N); 409 with a message when it is
 * full, closed or already booked.
 */
int handle_prog_book(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	enum prog_booked how = PROG_BOOKED;
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_book(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, &pg.course, &pg.session,
						  req_int(req, "person_id", 0), req_bool(req, "wait"), prog_page_base(&pg),
						  clock_now(), errors, &how);
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? session_model(&pg, &mrc) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/session", m, "book-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld", pg.n.net.slug, (long long)pg.session.id);
}

const struct param_spec prog_cancel_params[] = {
	PARAM(.name = "person_id", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Person"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/programme/sessions/{id}/cancel
 * Give up a place (or a place in line): one's own, or person_id's for a
 * facilitator, a coordinator or the person's school lead; up to the start.
 * The place is offered to the first in line at once. 303 to the session.
 */
int handle_prog_cancel(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_session(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_cancel(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, &pg.course, &pg.session,
						    req_int(req, "person_id", 0), prog_page_base(&pg), clock_now(), errors);
	if (rc == ERR_NOTFOUND) {
		json_decref(errors);
		return page_fail(&pg.n.p, rc, "There is no place or waiting-list place to cancel on this session.");
	}
	if (rc) {
		int mrc;
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? session_model(&pg, &mrc) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/session", m, "cancel-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld", pg.n.net.slug, (long long)pg.session.id);
}

/*
 * POST /networks/{slug}/programme/sessions/{id}/leave
 * Leave the waiting list (or give up an offered place) in one click. 303 to the session.
 */
int handle_prog_leave(struct request *req, struct response *res)
{
	return handle_prog_cancel(req, res);
}

static const char *const answer_choices[] = {"accept", "decline", NULL};

const struct param_spec prog_offer_params[] = {
	PARAM(.name = "answer", .type = PARAM_ENUM, .choices = answer_choices, .label = "Answer"),
	PARAM_END,
};

const struct param_spec prog_offer_answer_params[] = {
	PARAM(.name = "answer", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = answer_choices,
	      .label = "Answer"),
	PARAM_END,
};

/* The offer page's model (new). */
static json_t *offer_model(struct page *p, const struct prog_offer *o, const char *token)
{
	int64_t now = clock_now();
	bool open = str_eq(o->status, "offered") && o->expires > now;
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s?}", "title", "A place for you", "course", o->course,
			      "when", prog_span(p->a, o->starts, o->ends), "status", o->status, "open", open, "token",
			      token, "until", o->expires ? prog_when(p->a, o->expires) : NULL);
	json_object_set_new(m, "session_url", json_sprintf("/networks/%s/programme/sessions/%lld", o->network_slug,
							   (long long)o->session_id));
	json_object_set_new(m, "choice", json_string(req_str(p->req, "answer") ? req_str(p->req, "answer") : ""));
	json_object_set_new(m, "accept_chosen", json_boolean(str_eq(req_str(p->req, "answer"), "accept")));
	json_object_set_new(m, "decline_chosen", json_boolean(str_eq(req_str(p->req, "answer"), "decline")));
	return m;
}

/*
 * GET /offers/{token}?answer=accept|decline
 * The link in a waiting-list offer: what is offered, until when, and the
 * buttons to accept or decline (the one the email's link named first). The
 * person it is for must be signed in; anyone else gets a 403.
 */
int handle_prog_offer(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const char *token = req_path_str(req, "token");
	struct prog_offer o;
	if ((rc = prog_offer_find(pg.db, pg.a, token, &o)))
		return page_fail(&pg, rc, rc == ERR_NOTFOUND ? "This offer link is not known: check it was copied whole." : NULL);
	if (o.person_id != pg.u->id)
		return page_fail(&pg, ERR_FORBIDDEN, "This offer is for someone else: sign in as the person it was sent to.");
	res_view(res, 200, "programme/offer", offer_model(&pg, &o, token));
	return 0;
}

/*
 * POST /offers/{token}
 * Answer an offer: answer=accept takes the place, decline passes it to the
 * next in line. 303 to the session; 409 when the offer was already answered
 * or ran out; 403 for someone else's offer.
 */
int handle_prog_offer_answer(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const char *token = req_path_str(req, "token");
	struct prog_offer o;
	if ((rc = prog_offer_find(pg.db, pg.a, token, &o)))
		return page_fail(&pg, rc, rc == ERR_NOTFOUND ? "This offer link is not known: check it was copied whole." : NULL);
	if (o.person_id != pg.u->id)
		return page_fail(&pg, ERR_FORBIDDEN, "This offer is for someone else: sign in as the person it was sent to.");
	json_t *errors = page_errors(&pg);
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_offer_answer(pg.db, pg.a, pg.u->id, token, str_eq(req_str(req, "answer"), "accept"),
							  page_site_url(&pg), clock_now(), errors);
	if (rc) {
		if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
			struct prog_offer again;
			if (prog_offer_find(pg.db, pg.a, token, &again) == 0)
				o = again;
		}
		return page_form_fail(&pg, rc, errors, "programme/offer",
				      rc == ERR_INVALID || rc == ERR_CONFLICT ? offer_model(&pg, &o, token) : NULL, "offer-");
	}
	json_decref(errors);
	return page_redirect(&pg, "/networks/%s/programme/sessions/%lld", o.network_slug, (long long)o.session_id);
}
