// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the impact reports' pages and their JSON (one handler serves
 * both): the network's impact page for an academic year or a period of
 * days, its tables as CSV and the whole report as XLSX, the switch that
 * publishes the annual report, and each member school's own impact page;
 * and the route table.
 *
 * Handlers decide nothing about permissions: they open the network for the
 * person asking, call the model, which asks policy.c, and turn its refusal
 * into a 404, a 403 or a sign-in. A period that cannot be reported on (the
 * end before the start, longer than ten years) is a 400 on the same page,
 * with the message next to the field.
 */
#include <string.h>

#include "app/app.h"
#include "app/keep.h"
#include "app/networks/pages.h"
#include "app/reports/rep.h"
#include "app/reports/reports.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

#define FORM ROUTE_OWN_ERRORS

/* One impact page's context: the network page's and the report's access facts. */
struct rep_page {
	struct net_page n;     /* the page kit and the network (networks/pages.h) */
	struct rep_access acc; /* what the person may see of the reports */
};

/* Open the network of {slug} for anyone (published reports are public) and load the report's access facts. */
static int rep_page_open(struct request *req, struct response *res, bool signed_in, struct rep_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	int rc = net_page_open(req, res, signed_in ? NET_NEED_USER : NET_NEED_SEE, &pg->n);
	if (rc)
		return rc;
	if ((rc = rep_access_load(pg->n.p.db, &pg->n.acc, &pg->acc)))
		return page_fail(&pg->n.p, rc, NULL);
	return 0;
}

/*
 * The terms of an academic year, by calendar months (schools' own dates
 * differ by a week or two, and Easter moves): autumn September to December,
 * spring January to March, summer April to August.
 */
static const char *const term_choices[] = {"autumn", "spring", "summer", NULL};
static const struct {
	const char *name;  /* "Autumn term" */
	int first_month;   /* its first month, 1-12 */
	int last_month;    /* its last month */
	int year_offset;   /* 0 in the year the academic year starts, 1 in the next */
} terms[] = {
	{"Autumn term", 9, 12, 0},
	{"Spring term", 1, 3, 1},
	{"Summer term", 4, 8, 1},
};

/* GET /networks/{slug}/impact parameters (also of its CSV and XLSX). */
static const struct param_spec impact_params[] = {
	PARAM(.name = "year", .type = PARAM_INT, .min = 2000, .max = 2100, .label = "Academic year"),
	PARAM(.name = "term", .type = PARAM_ENUM, .choices = term_choices, .label = "Term"),
	PARAM(.name = "from", .type = PARAM_DATE, .label = "First day"),
	PARAM(.name = "to", .type = PARAM_DATE, .label = "Last day"),
	PARAM(.name = "table", .type = PARAM_STRING, .min = 1, .max = 40, .label = "Table"),
	PARAM(.name = "published", .type = PARAM_BOOL, .label = "Published"),
	PARAM_END,
};

/* The period the request asks for into *p; errors gets what is wrong with it. 0 or ERR_INVALID. */
static int read_period(struct rep_page *pg, json_t *errors, struct rep_period *p)
{
	struct request *req = pg->n.p.req;
	if (json_object_size(errors))
		return ERR_INVALID;
	const char *from = req_str(req, "from"), *to = req_str(req, "to");
	if ((from && *from) || (to && *to)) {
		if (!from || !*from || !to || !*to) {
			json_object_set_new(errors, from && *from ? "to" : "from",
					    json_string("Give both the first and the last day of the period, or choose "
							"an academic year."));
			return ERR_INVALID;
		}
		return rep_period_days(pg->n.p.a, from, to, errors, p);
	}
	int year = (int)req_int(req, "year", rep_academic_year(clock_now()));
	const char *term = req_str(req, "term");
	for (size_t i = 0; term && i < sizeof(terms) / sizeof(terms[0]); i++) {
		if (strcmp(term, term_choices[i]) != 0)
			continue;
		int y = year + terms[i].year_offset;
		const char *first = arena_printf(pg->n.p.a, "%04d-%02d-01", y, terms[i].first_month);
		const char *last = arena_printf(pg->n.p.a, "%04d-%02d-%02d", y, terms[i].last_month,
						clock_days_in_month(y, terms[i].last_month));
		int rc = rep_period_days(pg->n.p.a, first, last, errors, p);
		if (!rc)
			p->label = arena_printf(pg->n.p.a, "%s %d/%02d", terms[i].name, year, (year + 1) % 100);
		return rc;
	}
	rep_period_year(pg->n.p.a, year, p);
	return 0;
}

/* The query string that names period p: "year=2026" or "from=…&to=…" (arena). */
static const char *period_query(struct rep_page *pg, const struct rep_period *p)
{
	const char *term = req_str(pg->n.p.req, "term");
	if (!p->year && term && *term && !(req_str(pg->n.p.req, "from") && *req_str(pg->n.p.req, "from")))
		return arena_printf(pg->n.p.a, "year=%lld&term=%s",
				    (long long)req_int(pg->n.p.req, "year", rep_academic_year(clock_now())), term);
	if (p->year)
		return arena_printf(pg->n.p.a, "year=%d", p->year);
	return arena_printf(pg->n.p.a, "from=%s&to=%s", req_str(pg->n.p.req, "from"), req_str(pg->n.p.req, "to"));
}

/* The page model around a report (NULL: the form only, after a refused period). New reference. */
static json_t *impact_model(struct rep_page *pg, json_t *report, const struct rep_period *p)
{
	const char *slug = pg->n.net.slug;
	int year = p && p->year ? p->year : rep_academic_year(clock_now());
	json_t *m = net_page_model(&pg->n, arena_printf(pg->n.p.a, "Impact %s: %s", p ? p->label : "",
							pg->n.net.name));
	json_object_set_new(m, "impact_url", json_sprintf("/networks/%s/impact", slug));
	json_object_set_new(m, "previous_year", json_sprintf("/networks/%s/impact?year=%d", slug, year - 1));
	json_object_set_new(m, "next_year", json_sprintf("/networks/%s/impact?year=%d", slug, year + 1));
	json_object_set_new(m, "previous_label", json_sprintf("%d/%02d", year - 1, year % 100));
	json_object_set_new(m, "next_label", json_sprintf("%d/%02d", year + 1, (year + 2) % 100));
	json_object_set_new(m, "year", json_integer(year));
	json_t *term_links = json_array();
	for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++)
		json_array_append_new(term_links, json_pack("{s:s, s:s+}", "label", terms[i].name, "url",
							    arena_printf(pg->n.p.a, "/networks/%s/impact?year=%d&term=",
									 slug, year),
							    term_choices[i]));
	json_object_set_new(m, "terms", term_links);
	json_object_set_new(m, "can_publish", json_boolean(rep_policy_publish(&pg->acc)));
	json_object_set_new(m, "published", json_boolean(pg->acc.published));
	json_object_set_new(m, "network_public", json_boolean(pg->acc.network_public));
	json_object_set_new(m, "signed_in", json_boolean(pg->n.p.u != NULL));
	if (pg->acc.school_urn > 0 && pg->acc.school_member && rep_policy_school_see(&pg->acc, pg->acc.school_urn))
		json_object_set_new(m, "own_school_url", json_sprintf("/networks/%s/schools/%lld/impact", slug,
								      (long long)pg->acc.school_urn));
	json_object_set_new(m, "form", json_pack("{s:s?, s:s?}", "from", req_str(pg->n.p.req, "from"), "to",
						 req_str(pg->n.p.req, "to")));
	if (report && p) {
		json_object_set_new(m, "xlsx_url", json_sprintf("/networks/%s/impact.xlsx?%s", slug, period_query(pg, p)));
		json_object_set_new(m, "report", report);
	}
	return m;
}

/*
 * Reports computed here are kept (keep.h) for REP_KEEP_TTL_US at most, and
 * only while nothing has changed since (db_data_generation: any write by
 * this process, any commit heard from another process or server): a write
 * shows on the next page at once, and a report is never more than this old
 * (the period's end is clipped to now, which moves on by itself).
 */
#define REP_KEEP_TTL_US 5000000
/* Reports (page, JSON, exports) of the periods and viewers asked for lately. */
static struct keep rep_kept = KEEP_INIT("impact reports", 32, REP_KEEP_TTL_US);

void reports_shutdown(void)
{
	keep_clear(&rep_kept);
}

/* Give each table of report its CSV link for the period asked for. */
static void add_csv_urls(struct rep_page *pg, const struct rep_period *p, json_t *report)
{
	const char *qs = period_query(pg, p);
	size_t i, j;
	json_t *s, *t;
	json_array_foreach(json_object_get(report, "sections"), i, s)
		json_array_foreach(json_object_get(s, "tables"), j, t)
			json_object_set_new(t, "csv_url", json_sprintf("/networks/%s/impact.csv?table=%s&%s", pg->n.net.slug,
								   json_string_value(json_object_get(t, "key")), qs));
}

/*
 * The network's report for period p as this person may see it (whole: every
 * row, for the exports; html: for the page, its sections already rendered
 * as sections_html in place of sections), from the kept reports or computed
 * and kept now. The key holds everything the report depends on: the
 * network, the period as asked for, how much the person may see (the whole
 * report, or the aggregates a lead or the public sees: never one for the
 * other), whole and html. 0 with a new *report, or the model's error.
 */
static int kept_report(struct rep_page *pg, const struct rep_period *p, bool whole, bool html, json_t **report)
{
	struct arena *a = pg->n.p.a;
	enum rep_view view = rep_policy_network_view(&pg->acc);
	const char *key = arena_printf(a, "%lld|%s|%lld|%lld|%d|%s|%s|%s|%d|%d", (long long)pg->n.net.id, pg->n.net.slug,
				       (long long)p->from, (long long)p->to, p->year, p->label, period_query(pg, p),
				       view == REP_VIEW_FULL ? "full" : view == REP_VIEW_AGGREGATE ? "aggregate" : "none",
				       whole, html);
	uint64_t gen = db_data_generation(pg->n.p.db); /* before computing: a change while we do shows next time */
	if ((*report = keep_get_json(&rep_kept, key, gen)))
		return 0;
	int rc = rep_network_report(pg->n.p.db, a, &pg->acc, &pg->n.net, p, clock_now(), whole, report);
	if (rc)
		return rc;
	add_csv_urls(pg, p, *report);
	if (html) {
		struct buf out = BUF_INIT;
		rc = app_render(pg->n.p.req, "reports/_sections", *report, &out);
		if (rc) {
			buf_free(&out);
			json_decref(*report);
			*report = NULL;
			return rc;
		}
		json_object_del(*report, "sections");
		/* Rendered from UTF-8 templates and UTF-8 data: no need to check it again. */
		json_object_set_new(*report, "sections_html", json_stringn_nocheck(out.data ? out.data : "", out.len));
		buf_free(&out);
	}
	keep_put_json(&rep_kept, key, gen, *report);
	return 0;
}

/*
 * The report for the request's period into *report (whole: every row of long
 * lists, for the exports), or a refusal answered. 0 when *report is set.
 */
static int load_report(struct rep_page *pg, struct rep_period *p, bool whole, json_t **report)
{
	*report = NULL;
	memset(p, 0, sizeof(*p));
	int rc;
	/* Who may not see the report at all learns nothing from a wrong period: the model refuses first. */
	if (rep_policy_network_view(&pg->acc) == REP_VIEW_NONE) {
		rc = rep_network_report(pg->n.p.db, pg->n.p.a, &pg->acc, &pg->n.net, p, clock_now(), whole, report);
		page_fail(&pg->n.p, rc ? rc : ERR_FORBIDDEN, NULL);
		return -1;
	}
	json_t *errors = page_errors(&pg->n.p);
	if ((rc = read_period(pg, errors, p))) {
		page_form_fail(&pg->n.p, rc, errors, "reports/network", impact_model(pg, NULL, NULL), "period-");
		return -1;
	}
	json_decref(errors);
	rc = kept_report(pg, p, whole, !whole && !req_wants_json(pg->n.p.req), report);
	if (rc) {
		page_fail(&pg->n.p, rc, NULL);
		return -1;
	}
	return 0;
}

/*
 * GET /networks/{slug}/impact
 * The network's impact report for an academic year (year, 2026 = 2026/27;
 * the current one by default) or the days from and to: in full for the
 * people who run the network, aggregates for member schools' leads and,
 * once published, for everyone when the network is public.
 */
static int handle_rep_impact(struct request *req, struct response *res)
{
	struct rep_page pg;
	int rc = rep_page_open(req, res, false, &pg);
	if (rc)
		return rc;
	struct rep_period p;
	json_t *report;
	if (load_report(&pg, &p, false, &report))
		return 0;
	res_view(res, 200, "reports/network", impact_model(&pg, report, &p));
	return 0;
}

/*
 * GET /networks/{slug}/impact.csv
 * One table of the report (table, as the page names it) for the same
 * period parameters, as CSV.
 */
static int handle_rep_impact_csv(struct request *req, struct response *res)
{
	struct rep_page pg;
	int rc = rep_page_open(req, res, false, &pg);
	if (rc)
		return rc;
	struct rep_period p;
	json_t *report;
	if (load_report(&pg, &p, true, &report))
		return 0;
	const char *key = req_str(req, "table");
	const json_t *t = key ? rep_table_find(report, key) : NULL;
	if (!t) {
		json_decref(report);
		return res_error(res, 404, key ? "There is no such table in this report: use a CSV link on the impact page."
						: "Say which table: use a CSV link on the impact page.");
	}
	struct buf out = BUF_INIT;
	rep_table_csv(t, &out);
	res_header(res, "Content-Disposition",
		   arena_printf(pg.n.p.a, "attachment; filename=\"impact-%s-%s.csv\"", pg.n.net.slug, key));
	res_body(res, 200, "text/csv; charset=utf-8", out.data, out.len);
	buf_free(&out);
	json_decref(report);
	return 0;
}

/*
 * GET /networks/{slug}/impact.xlsx
 * The whole report for the period as an XLSX workbook, a sheet per table.
 */
static int handle_rep_impact_xlsx(struct request *req, struct response *res)
{
	struct rep_page pg;
	int rc = rep_page_open(req, res, false, &pg);
	if (rc)
		return rc;
	struct rep_period p;
	json_t *report;
	if (load_report(&pg, &p, true, &report))
		return 0;
	struct buf out = BUF_INIT;
	rc = rep_report_xlsx(pg.n.p.a, report,
			     arena_printf(pg.n.p.a, "%s: impact %s", pg.n.net.name, p.label), &out);
	json_decref(report);
	if (rc) {
		buf_free(&out);
		return page_fail(&pg.n.p, rc, NULL);
	}
	res_header(res, "Content-Disposition",
		   arena_printf(pg.n.p.a, "attachment; filename=\"impact-%s-%s.xlsx\"", pg.n.net.slug,
				p.year ? arena_printf(pg.n.p.a, "%d", p.year) : "period"));
	res_body(res, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.data, out.len);
	buf_free(&out);
	return 0;
}

/*
 * POST /networks/{slug}/impact/publish
 * Publish the annual report's aggregates to everyone (published=1) or
 * withdraw it (coordinators). Only a public network's report is shown to
 * outsiders. 303 to the impact page.
 */
static int handle_rep_publish(struct request *req, struct response *res)
{
	struct rep_page pg;
	int rc = rep_page_open(req, res, true, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg.n.p);
	if (json_object_size(errors))
		return page_form_fail(&pg.n.p, ERR_INVALID, errors, NULL, NULL, "");
	json_decref(errors);
	if ((rc = rep_publish_set(pg.n.p.db, &pg.acc, req_bool(req, "published"), clock_now())))
		return page_fail(&pg.n.p, rc, NULL);
	return page_redirect(&pg.n.p, "/networks/%s/impact", pg.n.net.slug);
}

/* GET /networks/{slug}/schools/{urn}/impact parameters. */
static const struct param_spec school_params[] = {
	PARAM(.name = "year", .type = PARAM_INT, .min = 2004, .max = 2100, .label = "Academic year"),
	PARAM_END,
};

/*
 * GET /networks/{slug}/schools/{urn}/impact
 * What member school urn gave and gained in the five academic years up to
 * year (the current one by default), against its own past only: its leads
 * and the people who run the network.
 */
static int handle_rep_school(struct request *req, struct response *res)
{
	struct rep_page pg;
	int rc = rep_page_open(req, res, false, &pg);
	if (rc)
		return rc;
	int year = (int)req_int(req, "year", rep_academic_year(clock_now()));
	json_t *report = NULL;
	rc = rep_school_report(pg.n.p.db, pg.n.p.a, &pg.acc, &pg.n.net, req_path_int(req, "urn"), year, clock_now(),
			       &report);
	if (rc)
		return page_fail(&pg.n.p, rc,
				 rc == ERR_NOTFOUND ? "This school is not a member of this network." : NULL);
	json_t *m = net_page_model(&pg.n, arena_printf(pg.n.p.a, "Impact of %s",
						       json_string_value(json_object_get(
							       json_object_get(report, "school"), "name"))));
	json_object_set_new(m, "report", report);
	json_object_set_new(m, "impact_url", json_sprintf("/networks/%s/impact", pg.n.net.slug));
	json_object_set_new(m, "previous_year", json_sprintf("/networks/%s/schools/%lld/impact?year=%d", pg.n.net.slug,
							     (long long)req_path_int(req, "urn"), year - 1));
	json_object_set_new(m, "next_year", json_sprintf("/networks/%s/schools/%lld/impact?year=%d", pg.n.net.slug,
							 (long long)req_path_int(req, "urn"), year + 1));
	res_view(res, 200, "reports/school", m);
	return 0;
}

const struct route reports_routes[] = {
	{HTTP_GET, "/networks/{slug}/impact", handle_rep_impact, impact_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/impact.csv", handle_rep_impact_csv, impact_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/impact.xlsx", handle_rep_impact_xlsx, impact_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/impact/publish", handle_rep_publish, impact_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/schools/{urn:int}/impact", handle_rep_school, school_params, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
