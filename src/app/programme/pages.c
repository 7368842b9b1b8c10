// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the programme's pages and their JSON (one handler serves both):
 * the annual programme of a network (/networks/{slug}/programme, an
 * academic year from September to August, filtered by theme, audience,
 * format and term) and its iCalendar file, the form that creates a course, a course's page with
 * its sessions and facilitation team; what the programme's pages share
 * (pages.h); and the route table of the whole capability. Sessions,
 * booking and offers are in pages_sessions.c; registers, check-in and my
 * learning in pages_attendance.c; feedback, certificates and settings in
 * pages_feedback.c; TeachMeet presenters, the draw and the
 * speed-learning rotation in pages_teachmeet.c.
 *
 * Handlers decide nothing about permissions: they open the network for the
 * person asking, call the model, which asks policy.c, and turn its refusal
 * into a 404 or 403. State-changing routes are POSTs with the CSRF token
 * (checked by accounts_before) and end in a 303.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/calendar/calendar.h"
#include "app/programme/pages.h"
#include "app/programme/programme.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

#define FORM ROUTE_OWN_ERRORS

/* ---- shared by the page files ------------------------------------------ */

int prog_page_open(struct request *req, struct response *res, bool signed_in, struct prog_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	int rc = net_page_open(req, res, signed_in ? NET_NEED_USER : NET_NEED_SEE, &pg->n);
	if (rc)
		return rc;
	prog_access_from_net(&pg->n.acc, &pg->acc);
	if (!prog_policy_programme_see(&pg->acc))
		return page_fail(&pg->n.p, ERR_NOTFOUND, NULL);
	return 0;
}

int prog_page_open_course(struct request *req, struct response *res, bool signed_in, struct prog_page *pg)
{
	int rc = prog_page_open(req, res, signed_in, pg);
	if (rc)
		return rc;
	rc = prog_course_open(pg->n.p.db, pg->n.p.a, &pg->acc, req_path_int(req, "id"), &pg->course);
	return rc ? page_fail(&pg->n.p, rc, rc == ERR_NOTFOUND ? "There is no such course in this network's programme." : NULL)
		  : 0;
}

int prog_page_open_session(struct request *req, struct response *res, bool signed_in, struct prog_page *pg)
{
	int rc = prog_page_open(req, res, signed_in, pg);
	if (rc)
		return rc;
	rc = prog_session_open(pg->n.p.db, pg->n.p.a, &pg->acc, req_path_int(req, "id"), &pg->course, &pg->session);
	return rc ? page_fail(&pg->n.p, rc,
			      rc == ERR_NOTFOUND ? "There is no such session in this network's programme." : NULL)
		  : 0;
}

json_t *prog_page_model(const struct prog_page *pg, const char *title)
{
	json_t *m = json_pack("{s:s, s:o, s:b, s:b}", "title", title ? title : pg->n.net.name, "network",
			      net_json(&pg->n.net), "signed_in", pg->n.p.u != NULL, "member",
			      prog_policy_programme_read(&pg->acc));
	json_object_set_new(m, "programme_url", json_sprintf("/networks/%s/programme", pg->n.net.slug));
	json_object_set_new(m, "menu", net_nav_can(&pg->n.acc));
	return m;
}

const char *prog_page_base(const struct prog_page *pg)
{
	return page_site_url(&pg->n.p);
}

json_t *prog_venue_options(struct db *db, const struct prog_page *pg, int64_t selected)
{
	json_t *schools = prog_venues(db, &pg->acc);
	size_t i;
	json_t *r;
	json_array_foreach(schools, i, r)
		json_object_set_new_nocheck(r, "selected",
					    json_boolean(json_integer_value(json_object_get(r, "urn")) == selected));
	return schools;
}

/* ---- form options --------------------------------------------------------- */

/* The network's themes as [{name, selected}] (new array). */
static json_t *theme_options(struct db *db, int64_t network_id, const char *selected)
{
	json_t *names = net_theme_names(db, network_id), *out = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n)
		json_array_append_new(out, json_pack("{s:O, s:b}", "name", n,
						     "selected", selected && str_case_eq(json_string_value(n), selected)));
	json_decref(names);
	return out;
}

/* [{value, label, selected}] of a NULL-terminated list, selected when in chosen (new array). */
static json_t *options(const char *const *values, const char *(*label)(const char *), json_t *chosen)
{
	json_t *out = json_array();
	for (size_t i = 0; values[i]; i++) {
		bool on = false;
		size_t j;
		json_t *c;
		if (json_is_string(chosen))
			on = str_eq(json_string_value(chosen), values[i]);
		else
			json_array_foreach(chosen, j, c)
				on = on || str_eq(json_string_value(c), values[i]);
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", values[i], "label", label(values[i]),
						     "selected", on));
	}
	return out;
}

/* The course form's option lists into m, with form's values selected. */
static void course_form_options(struct db *db, const struct prog_page *pg, json_t *m, json_t *form)
{
	json_object_set_new(m, "theme_options",
			    theme_options(db, pg->acc.network_id, json_string_value(json_object_get(form, "theme"))));
	json_object_set_new(m, "format_options", options(prog_formats, prog_format_label, json_object_get(form, "format")));
	json_object_set_new(m, "audience_options",
			    options(prog_audiences, prog_audience_label, json_object_get(form, "audience")));
	json_t *people = prog_people_choice(db, &pg->acc);
	json_int_t lead = json_integer_value(json_object_get(form, "lead_id"));
	const char *lead_text = json_string_value(json_object_get(form, "lead_id"));
	if (lead_text)
		lead = strtoll(lead_text, NULL, 10);
	size_t i;
	json_t *p;
	json_array_foreach(people, i, p)
		json_object_set_new(p, "selected", json_boolean(json_integer_value(json_object_get(p, "id")) == lead));
	json_object_set_new(m, "people", people);
}

/* ---- the annual programme ----------------------------------------------------- */

static const char *const term_choices[] = {"autumn", "spring", "summer", NULL};
static const char *term_label(const char *t)
{
	return str_eq(t, "autumn") ? "Autumn term (September to December)"
	       : str_eq(t, "spring") ? "Spring term (January to March)"
				     : "Summer term (April to August)";
}

/* GET /networks/{slug}/programme parameters. */
static const struct param_spec programme_params[] = {
	PARAM(.name = "year", .type = PARAM_INT, .min = 2000, .max = 2100, .label = "Academic year"),
	PARAM(.name = "theme", .type = PARAM_STRING, .max = NET_THEME_MAX, .label = "Theme"),
	PARAM(.name = "audience", .type = PARAM_ENUM, .choices = prog_audiences, .label = "Audience"),
	PARAM(.name = "format", .type = PARAM_ENUM, .choices = prog_formats, .label = "Format"),
	PARAM(.name = "term", .type = PARAM_ENUM, .choices = term_choices, .label = "Term"),
	PARAM(.name = "created", .type = PARAM_BOOL, .label = "Created"),
	PARAM(.name = "booked", .type = PARAM_INT, .min = 0, .max = 1000, .label = "Places booked"),
	PARAM(.name = "waiting", .type = PARAM_INT, .min = 0, .max = 1000, .label = "Places in line"),
	PARAM_END,
};

/* GET /networks/{slug}/programme.ics parameters. */
static const struct param_spec programme_ics_params[] = {
	PARAM(.name = "year", .type = PARAM_INT, .min = 2000, .max = 2100, .label = "Academic year"),
	PARAM_END,
};

/* The programme page's model for pg and the request's filters (new), or NULL with *rc. */
/*
 * The programme's listing for the filter f as HTML (a new JSON string), from
 * the kept listings (listing.c) or built, rendered and kept now; NULL with *rc.
 */
static json_t *programme_listing(struct prog_page *pg, const struct prog_filter *f, int64_t now, int *rc)
{
	struct arena *a = pg->n.p.a;
	bool read = prog_policy_programme_read(&pg->acc);
	const char *key = arena_printf(a, "%lld|%s|%d|%s|%s|%s|%s|%d", (long long)pg->n.net.id, pg->n.net.slug, f->year,
				       f->theme ? f->theme : "", f->audience ? f->audience : "",
				       f->format ? f->format : "", f->term ? f->term : "", read);
	json_t *html = prog_listing_get(key);
	if (html)
		return html;
	uint64_t gen = prog_listing_generation();
	json_t *prog = NULL;
	if ((*rc = prog_programme_json(pg->n.p.db, a, &pg->acc, &pg->n.net, f, now, &prog)))
		return NULL;
	json_t *m = json_pack("{s:o, s:b}", "programme", prog, "filtered", f->theme || f->audience || f->format || f->term);
	struct buf out = BUF_INIT;
	*rc = app_render(pg->n.p.req, "programme/_listing", m, &out);
	json_decref(m);
	if (*rc == 0) {
		prog_listing_put(key, out.data ? out.data : "", out.len, gen);
		html = json_stringn_nocheck(out.data ? out.data : "", out.len);
	}
	buf_free(&out);
	return html;
}

static json_t *programme_model(struct prog_page *pg, int *rc)
{
	struct request *req = pg->n.p.req;
	int64_t now = clock_now();
	struct prog_filter f = {
		.year = (int)req_int(req, "year", prog_academic_year(now)),
		.theme = req_str(req, "theme"),
		.audience = req_str(req, "audience"),
		.format = req_str(req, "format"),
		.term = req_str(req, "term"),
	};
	json_t *prog = NULL, *listing = NULL;
	if (!prog_policy_programme_see(&pg->acc)) {
		*rc = ERR_NOTFOUND;
		return NULL;
	}
	if (req_wants_json(req)) {
		/* JSON clients get the whole model, their own places marked on the sessions. */
		if ((*rc = prog_programme_json(pg->n.p.db, pg->n.p.a, &pg->acc, &pg->n.net, &f, now, &prog)))
			return NULL;
	} else if (!(listing = programme_listing(pg, &f, now, rc))) {
		return NULL;
	}
	const char *year_label = arena_printf(pg->n.p.a, "%d/%02d", f.year, (f.year + 1) % 100);
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "Programme %s: %s", year_label, pg->n.net.name));
	if (!prog)
		prog = json_pack("{s:i, s:s}", "year", f.year, "year_label", year_label);
	json_object_set_new(m, "programme", prog);
	if (listing) {
		json_object_set_new(m, "listing_html", listing);
		json_t *mine = prog_programme_mine(pg->n.p.db, pg->n.p.a, &pg->acc, &pg->n.net, &f);
		json_object_set_new(m, "has_my_places", json_boolean(json_array_size(mine) > 0));
		json_object_set_new(m, "my_places", mine);
	}
	json_t *chosen = json_pack("{s:s?, s:s?, s:s?, s:s?}", "theme", f.theme, "audience", f.audience, "format",
				   f.format, "term", f.term);
	json_object_set_new(m, "filter", chosen);
	json_object_set_new(m, "filtered", json_boolean(f.theme || f.audience || f.format || f.term));
	json_object_set_new(m, "filter_themes", theme_options(pg->n.p.db, pg->acc.network_id, f.theme));
	json_object_set_new(m, "filter_audiences", options(prog_audiences, prog_audience_label,
							   json_object_get(chosen, "audience")));
	json_object_set_new(m, "filter_formats", options(prog_formats, prog_format_label, json_object_get(chosen, "format")));
	json_object_set_new(m, "filter_terms", options(term_choices, term_label, json_object_get(chosen, "term")));
	json_object_set_new(m, "previous_year", json_sprintf("/networks/%s/programme?year=%d", pg->n.net.slug, f.year - 1));
	json_object_set_new(m, "next_year", json_sprintf("/networks/%s/programme?year=%d", pg->n.net.slug, f.year + 1));
	json_object_set_new(m, "previous_label", json_sprintf("%d/%02d", f.year - 1, f.year % 100));
	json_object_set_new(m, "next_label", json_sprintf("%d/%02d", f.year + 1, (f.year + 2) % 100));
	json_object_set_new(m, "can", json_pack("{s:b}", "create", prog_policy_course_create(&pg->acc)));
	return m;
}

/* The new-course page's model with form's values (new; takes form). */
static json_t *course_new_model(struct prog_page *pg, json_t *form)
{
	json_t *m = prog_page_model(pg, arena_printf(pg->n.p.a, "Add a course: %s", pg->n.net.name));
	course_form_options(pg->n.p.db, pg, m, form);
	json_object_set_new(m, "form", form);
	return m;
}

/*
 * GET /networks/{slug}/programme/courses/new
 * The form that adds a course (coordinators and the steering group): its
 * own page, so that the programme page does not carry the list of every
 * person who could lead a course.
 */
static int handle_prog_course_new(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	if (!prog_policy_course_create(&pg.acc))
		return page_fail(&pg.n.p, ERR_FORBIDDEN, "Only the network's coordinators and steering group add courses.");
	res_view(res, 200, "programme/course_new", course_new_model(&pg, json_object()));
	return 0;
}

/*
 * GET /networks/{slug}/programme?year=&theme=&audience=&format=&term=
 * The annual programme: every course by theme with its sessions, dates,
 * venues, places left, and (for members) facilitators and their schools;
 * the academic year from September (year=2026 is 2026/27; the current one
 * by default); coordinators and the steering group see a link to add a
 * course. Outsiders see a public network's programme without
 * anyone's name, and a private one not at all.
 */
static int handle_prog_programme(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, false, &pg);
	if (rc)
		return rc;
	json_t *m = programme_model(&pg, &rc);
	if (!m)
		return page_fail(&pg.n.p, rc, NULL);
	json_object_set_new(m, "created", json_boolean(req_bool(req, "created")));
	res_view(res, 200, "programme/index", m);
	return 0;
}

/*
 * GET /networks/{slug}/programme.ics?year=2026
 * The whole programme of an academic year as an iCalendar file (every
 * session of every course, no one's name), for anyone who may see the
 * programme: calendar apps can subscribe to a public network's.
 */
static int handle_prog_programme_ics(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, false, &pg);
	if (rc)
		return rc;
	int64_t now = clock_now();
	struct prog_filter f = {.year = (int)req_int(req, "year", prog_academic_year(now))};
	json_t *prog = NULL;
	if ((rc = prog_programme_json(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, &f, now, &prog)))
		return page_fail(&pg.n.p, rc, NULL);
	const char *base = prog_page_base(&pg), *domain = calendar_uid_domain(pg.n.p.a, base);
	const char *links = calendar_link_base(pg.n.p.a, base);
	size_t n = (size_t)json_integer_value(json_object_get(prog, "sessions")), k = 0;
	struct ical_event *ev = arena_calloc(pg.n.p.a, n ? n : 1, sizeof(*ev));
	size_t i, j, l;
	json_t *theme, *course, *s;
	json_array_foreach(json_object_get(prog, "themes"), i, theme)
		json_array_foreach(json_object_get(theme, "courses"), j, course)
			json_array_foreach(json_object_get(course, "sessions"), l, s)
	{
		int64_t start, end;
		if (k >= n || clock_parse_iso(json_string_value(json_object_get(s, "starts_at")), &start) ||
		    clock_parse_iso(json_string_value(json_object_get(s, "ends_at")), &end))
			continue;
		const char *url = links ? arena_printf(pg.n.p.a, "%s%s", links, json_string_value(json_object_get(s, "url")))
					: NULL;
		ev[k++] = (struct ical_event){
			.uid = arena_printf(pg.n.p.a, "programme-session-%lld@%s",
					    (long long)json_integer_value(json_object_get(s, "id")), domain),
			.title = arena_strdup(pg.n.p.a, json_string_value(json_object_get(course, "title"))),
			.start = start,
			.end = end,
			.location = arena_strdup(pg.n.p.a, json_string_value(json_object_get(s, "venue"))),
			.description = arena_printf(pg.n.p.a, "%s · %s · %s%s%s", json_string_value(json_object_get(theme, "name")),
						    json_string_value(json_object_get(course, "format_label")),
						    json_string_value(json_object_get(s, "places_text")), url ? "\n\nBook: " : "",
						    url ? url : ""),
			.url = url,
		};
	}
	struct ical_calendar cal = {
		.name = arena_printf(pg.n.p.a, "%s programme %s", pg.n.net.name,
				     json_string_value(json_object_get(prog, "year_label"))),
		.stamp = now,
		.events = ev,
		.n_events = k,
	};
	struct buf out = BUF_INIT;
	rc = ical_write(&out, &cal);
	json_decref(prog);
	if (rc) {
		buf_free(&out);
		return page_fail(&pg.n.p, rc, NULL);
	}
	res_header(res, "Content-Disposition",
		   arena_printf(pg.n.p.a, "inline; filename=\"programme-%d.ics\"", f.year));
	res_body(res, 200, "text/calendar; charset=utf-8", out.data, out.len);
	buf_free(&out);
	return 0;
}

/* The course form's fields (POST /networks/{slug}/programme/courses and a course's edit). */
static const struct param_spec course_params[] = {
	PARAM(.name = "title", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = PROG_TITLE_MAX, .label = "Title"),
	PARAM(.name = "theme", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = NET_THEME_MAX, .label = "Theme"),
	PARAM(.name = "audience", .type = PARAM_ENUM, .flags = PARAM_REQUIRED | PARAM_MULTI, .choices = prog_audiences,
	      .label = "Audience"),
	PARAM(.name = "outcomes", .type = PARAM_TEXT, .max = PROG_OUTCOMES_MAX, .label = "Outcomes"),
	PARAM(.name = "format", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = prog_formats, .label = "Format"),
	PARAM(.name = "lead_id", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Course lead"),
	PARAM(.name = "series", .type = PARAM_BOOL, .label = "Booked as a series"),
	PARAM_END,
};

/* Read the course form. */
static void course_in(struct request *req, struct prog_course_in *in)
{
	memset(in, 0, sizeof(*in));
	in->title = req_str(req, "title");
	in->theme = req_str(req, "theme");
	const char *const *aud = NULL;
	in->n_audiences = req_multi(req, "audience", &aud);
	in->audiences = aud;
	in->outcomes = req_str(req, "outcomes");
	in->format = req_str(req, "format");
	in->lead_id = req_int(req, "lead_id", 0);
	in->series = req_bool(req, "series");
}

/* The course form as typed (audience as an array), for a refused form. */
static json_t *course_form_typed(struct request *req)
{
	json_t *f = req_form_values(req);
	json_t *aud = json_object_get(f, "audience");
	if (json_is_string(aud))
		json_object_set_new(f, "audience", json_pack("[O]", aud));
	return f;
}

/*
 * POST /networks/{slug}/programme/courses
 * Create a course: title, theme (one of the network's), audience (one or
 * more), outcomes, format, lead_id (a person of a member school, who joins
 * the facilitation team). Coordinators and the steering group. 303 to the course.
 */
static int handle_prog_course_create(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_course_in in;
	course_in(req, &in);
	int64_t id = 0;
	rc = json_object_size(errors) ? ERR_INVALID : prog_course_create(pg.n.p.db, pg.n.p.a, &pg.acc, &in, errors, &id);
	if (rc)
		return page_form_fail(&pg.n.p, rc, errors, "programme/course_new",
				      rc == ERR_INVALID ? course_new_model(&pg, course_form_typed(req)) : NULL, "course-");
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/courses/%lld?created=1", pg.n.net.slug, (long long)id);
}

/* GET /networks/{slug}/programme/courses/{id} parameters. */
static const struct param_spec course_page_params[] = {
	PARAM(.name = "created", .type = PARAM_BOOL, .label = "Created"),
	PARAM(.name = "booked", .type = PARAM_INT, .min = 0, .max = 1000, .label = "Places booked"),
	PARAM(.name = "waiting", .type = PARAM_INT, .min = 0, .max = 1000, .label = "Places in line"),
	PARAM(.name = "for", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Colleague booked"),
	PARAM_END,
};

/* The course page's model (new), with colleague chosen in the lead's series form. */
static json_t *course_model_for(struct prog_page *pg, int64_t chosen)
{
	struct db *db = pg->n.p.db;
	int64_t now = clock_now();
	json_t *m = prog_page_model(pg, pg->course.title);
	json_t *course = prog_course_json(db, &pg->n.net, &pg->course);
	json_t *team = prog_facilitators(db, &pg->acc, pg->course.id);
	json_t *sessions = prog_course_sessions(db, pg->n.p.a, &pg->acc, &pg->n.net, &pg->course, now);
	bool edit = prog_policy_course_edit(&pg->acc), sess = prog_policy_session_edit(&pg->acc);
	json_object_set_new(m, "has_facilitators", json_boolean(json_array_size(team) > 0));
	json_object_set_new(m, "has_sessions", json_boolean(json_array_size(sessions) > 0));
	size_t i;
	json_t *f;
	json_array_foreach(team, i, f)
		json_object_set_new(f, "can_remove", json_boolean(edit && json_integer_value(json_object_get(f, "lead")) == 0));
	json_object_set_new(m, "facilitators", team);
	json_object_set_new(m, "sessions", sessions);
	bool book_series = pg->course.series && json_array_size(sessions) > 0 && prog_policy_book_self(&pg->acc);
	/* A school's lead books colleagues on the whole series while a session is still to come. */
	bool to_come = false;
	json_array_foreach(sessions, i, f)
		to_come = to_come || !json_is_true(json_object_get(f, "past"));
	json_t *colleagues = pg->course.series && to_come ? prog_series_colleagues(db, &pg->acc, chosen) : json_array();
	bool book_colleague = json_array_size(colleagues) > 0;
	json_object_set_new(m, "can", json_pack("{s:b, s:b, s:b, s:b}", "edit", edit, "sessions", sess, "book_series",
						book_series, "book_colleague_series", book_colleague));
	if (book_colleague)
		json_object_set_new(m, "colleagues", colleagues);
	else
		json_decref(colleagues);
	if (edit) {
		json_t *form = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "title", json_object_get(course, "title"),
					 "theme", json_object_get(course, "theme"), "outcomes",
					 json_object_get(course, "outcomes"), "format", json_object_get(course, "format"),
					 "audience", json_object_get(course, "audience"), "series",
					 json_object_get(course, "series"));
		if (pg->course.lead_id)
			json_object_set_new(form, "lead_id", json_integer(pg->course.lead_id));
		course_form_options(db, pg, m, form);
		json_object_set_new(m, "form", form);
	}
	if (sess) {
		json_object_set_new(m, "venues", prog_venue_options(db, pg, 0));
		json_object_set_new(m, "session_form", json_pack("{s:I, s:s}", "capacity", (json_int_t)30, "cpd_hours", "1.5"));
	}
	json_object_set_new(m, "course", course);
	return m;
}

/* The course page's model (new). */
static json_t *course_model(struct prog_page *pg)
{
	return course_model_for(pg, 0);
}

/*
 * GET /networks/{slug}/programme/courses/{id}
 * A course: its theme, audience, outcomes, format, facilitation team with
 * their schools (members only), and its sessions with places left; the
 * forms to change it, its team and add sessions for those who may.
 */
static int handle_prog_course(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_course(req, res, false, &pg);
	if (rc)
		return rc;
	json_t *m = course_model(&pg);
	json_object_set_new(m, "created", json_boolean(req_bool(req, "created")));
	if (req_has(req, "booked")) {
		int64_t places = req_int(req, "booked", 0), waiting = req_int(req, "waiting", 0);
		json_t *done = json_pack("{s:I, s:b, s:I, s:b}", "places", (json_int_t)places, "places_one", places == 1,
					 "waiting", (json_int_t)waiting, "waiting_one", waiting == 1);
		/* Booked for a colleague: their name, when they are one of the lead's colleagues. */
		int64_t whom = req_int(req, "for", 0);
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(m, "colleagues"), i, c)
			if (whom && json_integer_value(json_object_get(c, "id")) == whom)
				json_object_set(done, "colleague", json_object_get(c, "name"));
		json_object_set_new(m, "series_booked", done);
	}
	res_view(res, 200, "programme/course", m);
	return 0;
}

/*
 * POST /networks/{slug}/programme/courses/{id}
 * Change the course (the course form's fields): coordinators, the steering
 * group and the course lead. 303 to the course.
 */
static int handle_prog_course_update(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_course(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_course_in in;
	course_in(req, &in);
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_course_update(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course, &in, errors);
	if (rc) {
		json_t *m = rc == ERR_INVALID ? course_model(&pg) : NULL;
		if (m) {
			json_t *form = course_form_typed(req);
			course_form_options(pg.n.p.db, &pg, m, form);
			json_object_set_new(m, "form", form);
		}
		return page_form_fail(&pg.n.p, rc, errors, "programme/course", m, "course-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/courses/%lld", pg.n.net.slug, (long long)pg.course.id);
}

/* POST /networks/{slug}/programme/courses/{id}/book parameters. */
static const struct param_spec series_params[] = {
	PARAM(.name = "person_id", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Colleague"),
	PARAM(.name = "wait", .type = PARAM_BOOL, .label = "Join the waiting list where a session is full"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/programme/courses/{id}/book
 * Book every session of a series, all or none: for oneself, or (a school's
 * lead) for person_id, a colleague; with wait, a place in line on the full
 * sessions. 303 to the course; 409 naming the session that is closed or full.
 */
static int handle_prog_series_book(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_course(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_series_booked got;
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_book_series(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course, req_int(req, "person_id", 0),
							 req_bool(req, "wait"), prog_page_base(&pg), clock_now(), errors, &got);
	int64_t whom = req_int(req, "person_id", 0);
	bool colleague = whom > 0 && whom != pg.acc.person_id;
	if (rc && colleague && !req_wants_json(req)) {
		/* The lead's colleague form: every refusal by its one field, the colleague still chosen. */
		const char *why = json_string_value(json_object_get(errors, "session"));
		if (!why)
			why = json_string_value(json_object_get(errors, "person_id"));
		if (why) {
			json_t *by_field = json_pack("{s:s}", "colleague", why);
			json_decref(errors);
			errors = by_field;
		}
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? course_model_for(&pg, whom) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/course", m, "series-");
	}
	if (rc) {
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? course_model(&pg) : NULL;
		return page_form_fail(&pg.n.p, rc, errors, "programme/course", m, "series-");
	}
	json_decref(errors);
	if (colleague)
		return page_redirect(&pg.n.p, "/networks/%s/programme/courses/%lld?booked=%d&waiting=%d&for=%lld",
				     pg.n.net.slug, (long long)pg.course.id, got.places, got.waiting, (long long)whom);
	return page_redirect(&pg.n.p, "/networks/%s/programme/courses/%lld?booked=%d&waiting=%d", pg.n.net.slug,
			     (long long)pg.course.id, got.places, got.waiting);
}

/* POST /networks/{slug}/programme/courses/{id}/facilitators parameters. */
static const struct param_spec team_params[] = {
	PARAM(.name = "person_id", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = INT64_MAX / 2,
	      .label = "Person"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/programme/courses/{id}/facilitators
 * Add person_id (a person of a member school) to the facilitation team. 303 to the course.
 */
static int handle_prog_team_add(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_course(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_facilitator_add(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.course,
							     req_int(req, "person_id", 0), errors);
	if (rc)
		return page_form_fail(&pg.n.p, rc, errors, "programme/course",
				      rc == ERR_INVALID || rc == ERR_CONFLICT ? course_model(&pg) : NULL, "team-");
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/courses/%lld", pg.n.net.slug, (long long)pg.course.id);
}

/*
 * POST /networks/{slug}/programme/courses/{id}/facilitators/{person}/remove
 * Take a person off the team (not the course lead: choose another lead first). 303 to the course.
 */
static int handle_prog_team_remove(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_course(req, res, true, &pg);
	if (rc)
		return rc;
	rc = prog_facilitator_remove(pg.n.p.db, &pg.acc, &pg.course, req_path_int(req, "person"));
	if (rc)
		return page_fail(&pg.n.p, rc,
				 rc == ERR_CONFLICT ? "The course lead stays on the team: choose another lead first." : NULL);
	return page_redirect(&pg.n.p, "/networks/%s/programme/courses/%lld", pg.n.net.slug, (long long)pg.course.id);
}

/*
 * POST /networks/{slug}/programme/courses/{id}/sessions
 * Add a session (the session form's fields; see pages_sessions.c):
 * facilitators, coordinators and the steering group. 303 to the session.
 */
static int handle_prog_session_create(struct request *req, struct response *res)
{
	struct prog_page pg;
	int rc = prog_page_open_course(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	struct prog_session_in in;
	prog_session_in_read(req, &in);
	int64_t id = 0;
	rc = json_object_size(errors) ? ERR_INVALID
				      : prog_session_save(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, &pg.course, 0, &in,
							  prog_page_base(&pg), clock_now(), errors, &id);
	if (rc) {
		json_t *m = rc == ERR_INVALID ? course_model(&pg) : NULL;
		if (m) {
			json_t *typed = req_form_values(req);
			json_object_set_new(m, "session_form", typed);
			json_object_set_new(m, "venues", prog_venue_options(pg.n.p.db, &pg, req_int(req, "venue_urn", 0)));
		}
		return page_form_fail(&pg.n.p, rc, errors, "programme/course", m, "session-");
	}
	json_decref(errors);
	return page_redirect(&pg.n.p, "/networks/%s/programme/sessions/%lld", pg.n.net.slug, (long long)id);
}

const struct route programme_routes[] = {
	{HTTP_GET, "/networks/{slug}/programme", handle_prog_programme, programme_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme.ics", handle_prog_programme_ics, programme_ics_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/courses/new", handle_prog_course_new, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/courses", handle_prog_course_create, course_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/programme/courses/{id:int}", handle_prog_course, course_page_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/courses/{id:int}", handle_prog_course_update, course_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/programme/courses/{id:int}/book", handle_prog_series_book, series_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/programme/courses/{id:int}/facilitators", handle_prog_team_add, team_params, FORM,
	 0},
	{HTTP_POST, "/networks/{slug}/programme/courses/{id:int}/facilitators/{person:int}/remove",
	 handle_prog_team_remove, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/courses/{id:int}/sessions", handle_prog_session_create,
	 prog_session_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}", handle_prog_session, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}", handle_prog_session_update, prog_session_params,
	 FORM, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/book", handle_prog_book, prog_book_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/cancel", handle_prog_cancel, prog_cancel_params,
	 FORM, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/leave", handle_prog_leave, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/register", handle_prog_register, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/register", handle_prog_register_save,
	 prog_register_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/register.csv", handle_prog_register_csv, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/register.xlsx", handle_prog_register_xlsx, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/checkin", handle_prog_checkin, prog_checkin_params,
	 FORM, 0},
	{HTTP_GET, "/me/learning", handle_prog_learning, NULL, 0, 0},
	{HTTP_GET, "/me/learning.csv", handle_prog_learning_csv, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/feedback", handle_prog_feedback, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/feedback", handle_prog_feedback_submit,
	 prog_feedback_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/feedback/results", handle_prog_feedback_results, NULL,
	 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/courses/{id:int}/feedback", handle_prog_course_feedback, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/certificate.pdf", handle_prog_certificate,
	 prog_certificate_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/certificates.pdf", handle_prog_certificates, NULL, 0,
	 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/teachmeet", handle_prog_teachmeet, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/teachmeet", handle_prog_teachmeet_signup,
	 prog_teachmeet_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/teachmeet/{slot:int}/withdraw",
	 handle_prog_teachmeet_withdraw, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/teachmeet/draw", handle_prog_teachmeet_screen, NULL, 0,
	 0},
	{HTTP_POST, "/networks/{slug}/programme/sessions/{id:int}/teachmeet/draw", handle_prog_teachmeet_draw, NULL, 0,
	 0},
	{HTTP_GET, "/networks/{slug}/programme/sessions/{id:int}/rotation", handle_prog_rotation, prog_rotation_params,
	 0, 0},
	{HTTP_GET, "/certificates/{code}", handle_certificate_check, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/programme/settings", handle_prog_settings, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/settings", handle_prog_settings_save, prog_settings_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/programme/questions", handle_prog_questions, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/questions", handle_prog_question_add, prog_question_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/programme/questions/{number:int}", handle_prog_question, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/questions/{number:int}", handle_prog_question_edit,
	 prog_question_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/programme/questions/{number:int}/move", handle_prog_question_move,
	 prog_question_move_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/programme/questions/{number:int}/retire", handle_prog_question_retire, NULL, 0,
	 0},
	{HTTP_POST, "/networks/{slug}/programme/questions/{number:int}/restore", handle_prog_question_restore, NULL, 0,
	 0},
	{HTTP_GET, "/offers/{token}", handle_prog_offer, prog_offer_params, ROUTE_SECRET_PATH, 0},
	{HTTP_POST, "/offers/{token}", handle_prog_offer_answer, prog_offer_answer_params, FORM | ROUTE_SECRET_PATH, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
