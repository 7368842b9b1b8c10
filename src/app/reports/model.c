// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — the impact reports' rules and all their SQL: the period a
 * report covers, the access facts (with the network's publishing switch),
 * the network's report (professional development, breadth, partnerships,
 * practice, the broker) and each school's own page, year by year.
 *
 * Two rules hold everywhere here, whoever asks: schools are listed by name,
 * never in the order of a measure; and a count of people under
 * REP_SUPPRESS_BELOW is written "fewer than 5". Who sees names at all is
 * policy.c's decision (rep_policy_network_view): aggregate viewers get no
 * school's name, partnership title or quotation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/programme/prog.h"
#include "app/reports/chart.h"
#include "app/reports/rep.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* ---- statements: ?1 network, ?2 from, ?3 to (UTC text; days where noted) ---- */

DB_QUERY(Q_REP_PUBLISHED, "SELECT published FROM impact_report WHERE network_id = ?");
DB_QUERY(Q_REP_PUBLISH,
	 "INSERT INTO impact_report (network_id, published, updated_by, updated_at) VALUES (?, ?, ?, ?) "
	 "ON CONFLICT (network_id) DO UPDATE SET published = excluded.published, updated_by = excluded.updated_by, "
	 "updated_at = excluded.updated_at");
DB_QUERY(Q_REP_PD_TOTALS,
	 "SELECT COUNT(DISTINCT b.person_id), COUNT(DISTINCT CASE WHEN p.school_role = 'governor' THEN b.person_id END), "
	 "COALESCE(SUM(s.cpd_hundredths), 0), COUNT(*) FROM booking b JOIN course_session s ON s.id = b.session_id "
	 "JOIN course c ON c.id = s.course_id LEFT JOIN person p ON p.id = b.person_id WHERE c.network_id = ?1 AND "
	 "s.starts_at >= ?2 AND s.starts_at < ?3 AND b.status = 'booked' AND b.attendance IN ('present', 'late')");
DB_QUERY(Q_REP_PD_SESSIONS,
	 "SELECT COUNT(*), COUNT(DISTINCT c.id) FROM course_session s JOIN course c ON c.id = s.course_id "
	 "WHERE c.network_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3");
DB_QUERY(Q_REP_PD_THEMES,
	 "SELECT t.name, COUNT(DISTINCT s.id), COUNT(DISTINCT CASE WHEN b.attendance IN ('present', 'late') THEN "
	 "b.person_id END), COALESCE(SUM(CASE WHEN b.attendance IN ('present', 'late') THEN s.cpd_hundredths ELSE 0 "
	 "END), 0) FROM course c JOIN network_theme t ON t.id = c.theme_id JOIN course_session s ON s.course_id = c.id "
	 "LEFT JOIN booking b ON b.session_id = s.id AND b.status = 'booked' WHERE c.network_id = ?1 AND "
	 "s.starts_at >= ?2 AND s.starts_at < ?3 GROUP BY t.id, t.name, t.position ORDER BY t.position, t.id");
DB_QUERY(Q_REP_PD_AUDIENCES,
	 "SELECT ca.audience, COUNT(DISTINCT s.id), COUNT(DISTINCT CASE WHEN b.attendance IN ('present', 'late') THEN "
	 "b.person_id END), COALESCE(SUM(CASE WHEN b.attendance IN ('present', 'late') THEN s.cpd_hundredths ELSE 0 "
	 "END), 0) FROM course c JOIN course_audience ca ON ca.course_id = c.id JOIN course_session s ON "
	 "s.course_id = c.id LEFT JOIN booking b ON b.session_id = s.id AND b.status = 'booked' WHERE "
	 "c.network_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3 GROUP BY ca.audience ORDER BY ca.audience");
DB_QUERY(Q_REP_PD_GIVERS,
	 "SELECT f.urn, COALESCE(sc.name, ''), COUNT(DISTINCT f.person_id), COUNT(DISTINCT s.id) FROM "
	 "course_facilitator f JOIN course c ON c.id = f.course_id JOIN course_session s ON s.course_id = c.id "
	 "LEFT JOIN school sc ON sc.urn = f.urn WHERE c.network_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3 "
	 "GROUP BY f.urn, sc.name");
DB_QUERY(Q_REP_PD_FACILITATORS,
	 "SELECT COUNT(DISTINCT f.person_id), COUNT(DISTINCT f.urn) FROM course_facilitator f JOIN course c ON "
	 "c.id = f.course_id JOIN course_session s ON s.course_id = c.id WHERE c.network_id = ?1 AND "
	 "s.starts_at >= ?2 AND s.starts_at < ?3");
DB_QUERY(Q_REP_FB_RESPONSES,
	 "SELECT COUNT(*) FROM feedback_response r JOIN course_session s ON s.id = r.session_id JOIN course c ON "
	 "c.id = s.course_id WHERE c.network_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3");
DB_QUERY(Q_REP_FB_ANSWERS,
	 "SELECT a.question, COUNT(a.scale), COALESCE(SUM(a.scale), 0), COUNT(CASE WHEN a.scale IS NULL AND "
	 "a.text <> '' THEN 1 END) FROM feedback_answer a JOIN feedback_response r ON r.id = a.response_id JOIN "
	 "course_session s ON s.id = r.session_id JOIN course c ON c.id = s.course_id WHERE c.network_id = ?1 AND "
	 "s.starts_at >= ?2 AND s.starts_at < ?3 GROUP BY a.question ORDER BY a.question");
DB_QUERY(Q_REP_FB_COMMENTS,
	 "SELECT a.question, a.text FROM feedback_answer a JOIN feedback_response r ON r.id = a.response_id JOIN "
	 "course_session s ON s.id = r.session_id JOIN course c ON c.id = s.course_id WHERE c.network_id = ?1 AND "
	 "s.starts_at >= ?2 AND s.starts_at < ?3 AND a.text IS NOT NULL AND a.text <> '' ORDER BY r.id DESC, "
	 "a.question LIMIT 60");
/* The member schools, by URN; then each school's part, one query a measure (merged in C by URN). */
DB_QUERY(Q_REP_SCHOOLS,
	 "SELECT ns.urn, COALESCE(sc.name, ''), COALESCE(sc.phase_name, ''), COALESCE(sc.la_name, '') FROM "
	 "network_school ns LEFT JOIN school sc ON sc.urn = ns.urn WHERE ns.network_id = ? ORDER BY ns.urn");
DB_QUERY(Q_REP_BY_SCHOOL_LED,
	 "SELECT f.urn, COUNT(DISTINCT s.id) FROM course_facilitator f JOIN course c ON c.id = f.course_id JOIN "
	 "course_session s ON s.course_id = c.id WHERE c.network_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3 "
	 "GROUP BY f.urn");
DB_QUERY(Q_REP_BY_SCHOOL_TOOK,
	 "SELECT b.urn, COUNT(*) FROM booking b JOIN course_session s ON s.id = b.session_id JOIN course c ON "
	 "c.id = s.course_id WHERE c.network_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3 AND "
	 "b.status = 'booked' AND b.attendance IN ('present', 'late') GROUP BY b.urn");
DB_QUERY(Q_REP_BY_SCHOOL_PS,
	 "SELECT x.urn, COUNT(*) FROM partnership_school x JOIN partnership p ON p.id = x.partnership_id WHERE "
	 "p.network_id = ?1 AND p.created_at < ?3 AND (p.closed_at IS NULL OR p.closed_at >= ?2) GROUP BY x.urn");
DB_QUERY(Q_REP_BY_SCHOOL_SHARED,
	 "SELECT i.urn, COUNT(*) FROM practice_idea i WHERE i.network_id = ?1 AND i.visibility = 'network' AND "
	 "i.created_at >= ?2 AND i.created_at < ?3 GROUP BY i.urn UNION ALL SELECT r.urn, COUNT(*) FROM "
	 "practice_article r WHERE r.network_id = ?1 AND r.visibility = 'network' AND r.created_at >= ?2 AND "
	 "r.created_at < ?3 GROUP BY r.urn");
/* Partnerships alive in the period, with hours committed a term and hours given (?4, ?5: days). */
DB_QUERY(Q_REP_PS_LIST,
	 "SELECT p.id, p.title, p.type, p.state, p.health_status, "
	 "COALESCE((SELECT SUM(x.hours_per_term) FROM partnership_school x WHERE x.partnership_id = p.id), 0), "
	 "COALESCE((SELECT SUM(t.hours) FROM time_log t WHERE t.partnership_id = p.id AND t.worked_on >= ?4 AND "
	 "t.worked_on < ?5), 0) FROM partnership p WHERE p.network_id = ?1 AND p.created_at < ?3 AND "
	 "(p.closed_at IS NULL OR p.closed_at >= ?2)");
DB_QUERY(Q_REP_PS_CHANGES,
	 "SELECT h.to_status, COUNT(*) FROM health_change h JOIN partnership p ON p.id = h.partnership_id WHERE "
	 "p.network_id = ?1 AND h.changed_at >= ?2 AND h.changed_at < ?3 GROUP BY h.to_status ORDER BY h.to_status");
DB_QUERY(Q_REP_MEASURES,
	 "SELECT p.title, m.name, m.unit, m.pupil_group, m.baseline, m.target, "
	 "(SELECT e.value FROM evidence_value e WHERE e.measure_id = m.id AND e.measured_on < ?3 "
	 "ORDER BY e.measured_on DESC, e.id DESC LIMIT 1) FROM partnership_measure m JOIN partnership p ON "
	 "p.id = m.partnership_id WHERE p.network_id = ?1 AND p.created_at < ?3 AND "
	 "(p.closed_at IS NULL OR p.closed_at >= ?2) ORDER BY p.title, m.id");
DB_QUERY(Q_REP_REFLECTIONS,
	 "SELECT r.did_not_work FROM reflection r JOIN partnership p ON p.id = r.partnership_id WHERE "
	 "p.network_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3 AND r.did_not_work <> '' "
	 "ORDER BY r.created_at DESC, r.id DESC LIMIT 10");
/* Practice: one count per line of the section (practice_rows below). */
DB_QUERY(Q_REP_PR_IDEAS,
	 "SELECT COUNT(*) FROM practice_idea WHERE network_id = ?1 AND visibility = 'network' AND created_at >= ?2 "
	 "AND created_at < ?3");
DB_QUERY(Q_REP_PR_ARTICLES,
	 "SELECT COUNT(*) FROM practice_article WHERE network_id = ?1 AND visibility = 'network' AND "
	 "created_at >= ?2 AND created_at < ?3");
/*
 * The reactions to ideas in one pass ("I will try this", "we tried this", ideas
 * taken up by another school), driven by the reactions' time index: the period
 * holds a small part of all reactions, whereas a network's ideas are all of its
 * years (CROSS JOIN keeps SQLite's join in that order; it is an inner join).
 */
DB_QUERY(Q_REP_PR_REACTIONS,
	 "SELECT COUNT(CASE WHEN r.kind = 'try' THEN 1 END), COUNT(CASE WHEN r.kind = 'tried' THEN 1 END), "
	 "COUNT(DISTINCT CASE WHEN r.kind IN ('try', 'tried') AND p.school_urn <> i.urn THEN i.id END) FROM "
	 "practice_reaction r CROSS JOIN practice_idea i LEFT JOIN person p ON p.id = r.person_id WHERE "
	 "i.id = r.idea_id AND i.network_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3");
DB_QUERY(Q_REP_PR_CASES,
	 "SELECT COUNT(*) FROM practice_case WHERE network_id = ?1 AND visibility = 'network' AND draft = 0 AND "
	 "created_at >= ?2 AND created_at < ?3");
DB_QUERY(Q_REP_PR_TRYING,
	 "SELECT COUNT(*) FROM practice_tried WHERE network_id = ?1 AND started_at >= ?2 AND started_at < ?3");
DB_QUERY(Q_REP_PR_WORKED,
	 "SELECT COUNT(*) FROM practice_tried WHERE network_id = ?1 AND outcome IN ('worked', 'partly') AND "
	 "answered_at >= ?2 AND answered_at < ?3");
DB_QUERY(Q_REP_PR_NOT,
	 "SELECT COUNT(*) FROM practice_tried WHERE network_id = ?1 AND outcome = 'not' AND answered_at >= ?2 AND "
	 "answered_at < ?3");
DB_QUERY(Q_REP_BROKER,
	 "SELECT COUNT(*), COUNT(CASE WHEN bp.state = 'accepted' THEN 1 END), COUNT(CASE WHEN bp.state = 'accepted' "
	 "AND i.partnership_id IS NOT NULL THEN 1 END) FROM broker_proposal bp LEFT JOIN introduction i ON "
	 "i.id = bp.introduction_id WHERE bp.network_id = ?1 AND bp.created_at >= ?2 AND bp.created_at < ?3");
DB_QUERY(Q_REP_INTROS,
	 "SELECT COUNT(*), COUNT(CASE WHEN state = 'accepted' THEN 1 END), COUNT(CASE WHEN partnership_id IS NOT "
	 "NULL THEN 1 END) FROM introduction WHERE network_id = ?1 AND created_at >= ?2 AND created_at < ?3");
/* ---- periods and counts ------------------------------------------------- */

int rep_academic_year(int64_t t)
{
	return prog_academic_year(t);
}

void rep_period_year(struct arena *a, int year, struct rep_period *out)
{
	prog_year_bounds(year, NULL, &out->from, &out->to);
	out->year = year;
	out->label = arena_printf(a, "%d/%02d", year, (year + 1) % 100);
}

int rep_period_days(struct arena *a, const char *from_day, const char *to_day, json_t *errors,
		    struct rep_period *out)
{
	int64_t f, t;
	if (clock_parse_day(from_day, &f, NULL) || clock_parse_day(to_day, &t, NULL)) {
		json_object_set_new(errors, "from", json_string("Give both the first and the last day of the period."));
		return ERR_INVALID;
	}
	if (t < f) {
		json_object_set_new(errors, "to", json_string("The last day of the period must not be before its "
							      "first day: swap them, or choose another last day."));
		return ERR_INVALID;
	}
	/* At most REP_MAX_YEARS years: the last day is before the same date REP_MAX_YEARS years on (29 February: 1 March). */
	int64_t limit;
	int y = atoi(from_day);
	const char *later = arena_printf(a, "%04d%s", y + REP_MAX_YEARS, from_day + 4);
	if (clock_parse_day(later, &limit, NULL))
		limit = clock_parse_day(arena_printf(a, "%04d-03-01", y + REP_MAX_YEARS), &limit, NULL) ? f : limit;
	if (t >= limit) {
		json_object_set_new(errors, "to", json_string("A report covers at most 10 years: choose a shorter "
							      "period."));
		return ERR_INVALID;
	}
	out->from = clock_uk_to_utc(f);
	out->to = clock_uk_to_utc(t + 86400);
	out->year = 0;
	char d1[40], d2[40];
	clock_format_day(f, true, d1, sizeof(d1));
	clock_format_day(t, true, d2, sizeof(d2));
	out->label = arena_printf(a, "%s to %s", d1, d2);
	return 0;
}

const char *rep_people_count(struct arena *a, int64_t n)
{
	if (n > 0 && n < REP_SUPPRESS_BELOW)
		return "fewer than 5";
	return arena_printf(a, "%lld", (long long)n);
}

/* Hours from hundredths of an hour, for people: "12.5", "3". */
const char *rep_hours_text(struct arena *a, double hours)
{
	double r = round(hours * 10) / 10;
	if (fabs(r - round(r)) < 1e-9)
		return arena_printf(a, "%.0f", r);
	return arena_printf(a, "%.1f", r);
}

/* A count (not of people) as text. */
const char *rep_num(struct arena *a, int64_t n)
{
	return arena_printf(a, "%lld", (long long)n);
}

/* n of total as a whole percentage ("0%" when total is 0). */
static const char *pct(struct arena *a, int64_t n, int64_t total)
{
	return arena_printf(a, "%lld%%", total > 0 ? (long long)llround(100.0 * (double)n / (double)total) : 0LL);
}

/* ---- the report's JSON shape (rep.h) ------------------------------------- */

/* A new table {key, title, columns, rows: []} with the NULL-ended column names. */
json_t *rep_table_new(const char *key, const char *title, const char *const *cols)
{
	json_t *c = json_array();
	for (size_t i = 0; cols[i]; i++)
		json_array_append_new(c, json_string(cols[i]));
	return json_pack("{s:s, s:s, s:o, s:[], s:[], s:n}", "key", key, "title", title, "columns", c, "rows", "charts",
			 "note");
}

/* Add a row of n text cells to table t, each {label: its column, value}. */
void rep_table_row(json_t *t, const char *const *cells, size_t n)
{
	json_t *r = json_array(), *cols = json_object_get(t, "columns");
	for (size_t i = 0; i < n; i++)
		json_array_append_new(r, json_pack("{s:O, s:s}", "label", json_array_get(cols, i), "value",
						   cells[i] ? cells[i] : ""));
	json_array_append_new(json_object_get(t, "rows"), json_pack("{s:o}", "cells", r));
}

/* A new section {key, title, intro, figures: [], charts: [], tables: [], quotes: []}. */
json_t *rep_section_new(const char *key, const char *title, const char *intro)
{
	return json_pack("{s:s, s:s, s:s, s:[], s:[], s:[]}", "key", key, "title", title, "intro", intro,
			 "figures", "tables", "quotes");
}

/* Add a headline figure {label, value} to section s. */
static void figure(json_t *s, const char *label, const char *value)
{
	json_array_append_new(json_object_get(s, "figures"), json_pack("{s:s, s:s}", "label", label, "value", value));
}

/* Add table t (taking it) to section s, marking it empty when it has no rows. */
void rep_add_table(json_t *s, json_t *t)
{
	json_object_set_new(t, "empty", json_boolean(json_array_size(json_object_get(t, "rows")) == 0));
	json_object_set_new(t, "width", json_integer((json_int_t)json_array_size(json_object_get(t, "columns"))));
	json_t *heads = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(t, "columns"), i, c)
		json_array_append_new(heads, json_pack("{s:O}", "label", c));
	json_object_set_new(t, "heads", heads);
	json_array_append_new(json_object_get(s, "tables"), t);
}

/* Mark each section with has_figures, for the template. */
static void finish_sections(json_t *sections)
{
	size_t i;
	json_t *s;
	json_array_foreach(sections, i, s)
		json_object_set_new(s, "has_figures", json_boolean(json_array_size(json_object_get(s, "figures")) > 0));
}

/* Add the chart in b (freed) to table t: the page draws it beside the table's numbers. */
void rep_add_chart(json_t *t, struct buf *b)
{
	json_array_append_new(json_object_get(t, "charts"), json_pack("{s:s}", "svg_html", buf_str(b)));
	buf_free(b);
}

/* Bind the period: ?1 network, ?2 from, ?3 to as UTC text. */
int rep_bind_period(struct db_stmt *st, int64_t network_id, int64_t from, int64_t to)
{
	char f[32], t[32];
	clock_format_iso(from, f, sizeof(f));
	clock_format_iso(to, t, sizeof(t));
	return !st || db_bind_int(st, 1, network_id) || db_bind_text(st, 2, f) || db_bind_text(st, 3, t) ? ERR_DB : 0;
}

/* The UK day of t as "YYYY-MM-DD" into out (>= 11 bytes). */
void rep_uk_day(int64_t t, char *out)
{
	clock_uk_day_time(t, out, NULL);
}

/* Run a statement that returns one row of integers into v[0..n). 0 or ERR_DB. */
int rep_one_row(struct db_stmt *st, int64_t *v, int n)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		for (int i = 0; i < n; i++)
			v[i] = db_col_int(st, i);
		rc = 0;
	} else if (rc == DB_DONE) {
		memset(v, 0, sizeof(*v) * (size_t)n);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Run a count query of the period into v. */
static int period_counts(struct db *db, const struct db_query *q, int64_t network_id, int64_t from, int64_t to,
			 int64_t *v, int n)
{
	struct db_stmt *st = db_stmt(db, q);
	if (rep_bind_period(st, network_id, from, to))
		return ERR_DB;
	return rep_one_row(st, v, n);
}

/* ---- access --------------------------------------------------------------- */

int rep_access_load(struct db *db, const struct net_access *n, struct rep_access *out)
{
	memset(out, 0, sizeof(*out));
	out->person_id = n->person_id;
	out->school_urn = n->school_urn;
	out->role = n->role;
	out->is_admin = n->is_admin;
	out->network_id = n->network_id;
	out->network_public = n->network_public;
	out->school_member = n->school_member;
	out->coordinator = n->coordinator;
	out->steering = n->steering;
	struct db_stmt *st = db_stmt(db, &Q_REP_PUBLISHED);
	if (!st || db_bind_int(st, 1, n->network_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		out->published = db_col_int(st, 0) != 0;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The refusal for acc: hidden networks are not found, others forbidden. */
int rep_deny(const struct rep_access *acc)
{
	if (!acc->network_public && !acc->school_member && !acc->coordinator && !acc->steering && !acc->is_admin)
		return ERR_NOTFOUND;
	return acc->person_id ? ERR_FORBIDDEN : ERR_UNAUTH;
}

int rep_publish_set(struct db *db, const struct rep_access *acc, bool on, int64_t now)
{
	if (!rep_policy_publish(acc))
		return rep_deny(acc);
	char at[32];
	clock_format_iso(now, at, sizeof(at));
	struct db_stmt *st = db_stmt(db, &Q_REP_PUBLISH);
	if (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, on ? 1 : 0) ||
	    db_bind_int(st, 3, acc->person_id) || db_bind_text(st, 4, at))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- the sections --------------------------------------------------------- */

/* One report being built: what every section needs. */
struct build {
	struct db *db;       /* the store */
	struct arena *a;     /* the request arena */
	int64_t network;     /* network.id */
	int64_t from, to;    /* the period, to clipped to now */
	bool full;           /* names and quotations may appear */
	bool whole;          /* every row of long lists (exports), not only a page's worth */
	json_t *headline;    /* [{label, value}] at the top of the report */
	int64_t activity;    /* anything at all happened in the period */
};

/* Add a headline figure. */
static void headline(struct build *b, const char *label, const char *value)
{
	json_array_append_new(b->headline, json_pack("{s:s, s:s}", "label", label, "value", value));
}

/* Professional development: people trained, sessions, hours, themes, audiences, givers, feedback. */
static int section_pd(struct build *b, json_t *sections)
{
	struct arena *a = b->a;
	int64_t tot[4], ses[2], fac[2], resp[1];
	int rc = period_counts(b->db, &Q_REP_PD_TOTALS, b->network, b->from, b->to, tot, 4);
	if (!rc)
		rc = period_counts(b->db, &Q_REP_PD_SESSIONS, b->network, b->from, b->to, ses, 2);
	if (!rc)
		rc = period_counts(b->db, &Q_REP_PD_FACILITATORS, b->network, b->from, b->to, fac, 2);
	if (!rc)
		rc = period_counts(b->db, &Q_REP_FB_RESPONSES, b->network, b->from, b->to, resp, 1);
	if (rc)
		return rc;
	b->activity += tot[0] + ses[0];
	json_t *s = rep_section_new("development", "Professional development",
				"Courses and events run by staff of member schools for staff and governors of member "
				"schools. People are counted once however many sessions they came to; hours are hours "
				"of CPD, added up over everyone who came.");
	const char *people = rep_people_count(a, tot[0]);
	figure(s, "Staff and governors trained", people);
	figure(s, "of whom governors", rep_people_count(a, tot[1]));
	figure(s, "Sessions delivered", rep_num(a, ses[0]));
	figure(s, "Hours of CPD", rep_hours_text(a, (double)tot[2] / 100));
	figure(s, "Staff who led sessions", rep_people_count(a, fac[0]));
	figure(s, "Schools whose staff led sessions", rep_num(a, fac[1]));
	headline(b, "Staff and governors trained", people);
	headline(b, "Sessions delivered", rep_num(a, ses[0]));
	headline(b, "Hours of CPD", rep_hours_text(a, (double)tot[2] / 100));

	/* By theme and by audience, in the network's own order. */
	static const char *const tcols[] = {"Theme", "Sessions", "People trained", "Hours of CPD", NULL};
	static const char *const acols[] = {"Audience", "Sessions", "People trained", "Hours of CPD", NULL};
	const struct db_query *qs[2] = {&Q_REP_PD_THEMES, &Q_REP_PD_AUDIENCES};
	for (int k = 0; k < 2 && rc == 0; k++) {
		json_t *t = k == 0 ? rep_table_new("themes", "By theme", tcols) : rep_table_new("audiences", "By audience", acols);
		struct chart_bar *bars = NULL;
		size_t nb = 0, cap = 0;
		struct db_stmt *st = db_stmt(b->db, qs[k]);
		rc = rep_bind_period(st, b->network, b->from, b->to);
		while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
			rc = 0;
			const char *name = db_col_text(st, 0);
			if (k == 1)
				name = prog_audience_label(name);
			const char *cells[] = {name, rep_num(a, db_col_int(st, 1)), rep_people_count(a, db_col_int(st, 2)),
					       rep_hours_text(a, (double)db_col_int(st, 3) / 100)};
			rep_table_row(t, cells, 4);
			bars = arena_grow(a, bars, nb, &cap, sizeof(*bars));
			bars[nb++] = (struct chart_bar){arena_strdup(a, name), (double)db_col_int(st, 1)};
		}
		db_reset(st);
		if (rc < 0) {
			json_decref(t);
			break;
		}
		rc = 0;
		struct buf cb = BUF_INIT;
		chart_bars(&cb, k == 0 ? "chart-themes" : "chart-audiences",
			   k == 0 ? "Sessions delivered by theme" : "Sessions delivered by audience",
			   "One bar for each with sessions in the period; the table beside it has the same numbers.", bars,
			   nb);
		rep_add_chart(t, &cb);
		rep_add_table(s, t);
	}
	if (rc)
		goto fail;

	/* Giving: whose staff led sessions, by school name (full view only). */
	if (b->full) {
		static const char *const gcols[] = {"School", "Staff who led sessions", "Sessions", NULL};
		json_t *t = rep_table_new("giving", "Delivered by staff of", gcols);
		json_t *rows = json_array();
		struct db_stmt *st = db_stmt(b->db, &Q_REP_PD_GIVERS);
		rc = rep_bind_period(st, b->network, b->from, b->to);
		while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
			rc = 0;
			json_array_append_new(rows, json_pack("{s:s, s:I, s:I}", "name", db_col_text(st, 1), "people",
							      (json_int_t)db_col_int(st, 2), "sessions",
							      (json_int_t)db_col_int(st, 3)));
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
		/* By name: never by a measure. */
		size_t n = json_array_size(rows);
		const char **names = arena_calloc(a, n ? n : 1, sizeof(*names));
		size_t *order = arena_calloc(a, n ? n : 1, sizeof(*order));
		for (size_t i = 0; i < n; i++) {
			names[i] = json_string_value(json_object_get(json_array_get(rows, i), "name"));
			order[i] = i;
		}
		for (size_t i = 1; i < n; i++) /* insertion sort by name: a few dozen schools */
			for (size_t j = i; j > 0 && strcmp(names[order[j - 1]], names[order[j]]) > 0; j--) {
				size_t x = order[j];
				order[j] = order[j - 1];
				order[j - 1] = x;
			}
		for (size_t i = 0; i < n; i++) {
			json_t *r = json_array_get(rows, order[i]);
			const char *cells[] = {names[order[i]],
					       rep_people_count(a, json_integer_value(json_object_get(r, "people"))),
					       rep_num(a, json_integer_value(json_object_get(r, "sessions")))};
			rep_table_row(t, cells, 3);
		}
		json_decref(rows);
		rep_add_table(s, t);
		if (rc)
			goto fail;
	}

	/* Feedback by Guskey's levels. */
	static const char *const fcols[] = {"Level", "What we asked", "Answers", "Result", NULL};
	json_t *ft = rep_table_new("feedback", "Feedback by Guskey's levels", fcols);
	/* The network's questions, retired ones too (their answers still count), each answer
	 * counted against its question's number; a row per question, by Guskey's level. */
	struct prog_question *questions;
	size_t nq;
	if ((rc = prog_questions_load(b->db, a, b->network, true, &questions, &nq))) {
		json_decref(ft);
		goto fail;
	}
	int64_t *cnt = arena_calloc(a, nq + 1, sizeof *cnt), *sum = arena_calloc(a, nq + 1, sizeof *sum),
		*texts = arena_calloc(a, nq + 1, sizeof *texts);
	struct db_stmt *st = db_stmt(b->db, &Q_REP_FB_ANSWERS);
	rc = rep_bind_period(st, b->network, b->from, b->to);
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		int64_t number = db_col_int(st, 0);
		for (size_t q = 0; q < nq; q++)
			if (questions[q].number == number) {
				cnt[q] = db_col_int(st, 1);
				sum[q] = db_col_int(st, 2);
				texts[q] = db_col_int(st, 3);
			}
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(ft);
		goto fail;
	}
	rc = 0;
	bool enough = resp[0] >= REP_SUPPRESS_BELOW;
	for (int level = 1; level <= 5; level++)
		for (size_t q = 0; q < nq; q++) {
			if (questions[q].level != level || (questions[q].retired && !cnt[q] && !texts[q]))
				continue;
			const char *result;
			const char *answers = rep_people_count(a, questions[q].scale ? cnt[q] : texts[q]);
			if (!enough)
				result = "not shown: fewer than 5 answers";
			else if (questions[q].scale)
				result = cnt[q] ? arena_printf(a, "%.1f of 5", (double)sum[q] / (double)cnt[q]) : "no answers";
			else
				result = arena_printf(a, "%s answers in words", answers);
			const char *cells[] = {prog_question_level_label(level), questions[q].text, answers, result};
			rep_table_row(ft, cells, 4);
		}
	const char *level5[] = {"5. Pupil outcomes", "the measures partners chose for groups of pupils", "",
				"see Partnerships"};
	rep_table_row(ft, level5, 4);
	rep_add_table(s, ft);
	figure(s, "Feedback forms returned", rep_people_count(a, resp[0]));
	/* A few comments, for the people who run the network, when there are enough answers. */
	if (b->full && enough) {
		int *per = arena_calloc(a, nq + 1, sizeof *per);
		st = db_stmt(b->db, &Q_REP_FB_COMMENTS);
		rc = rep_bind_period(st, b->network, b->from, b->to);
		while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
			rc = 0;
			int64_t number = db_col_int(st, 0);
			size_t q = 0;
			while (q < nq && questions[q].number != number)
				q++;
			if (q == nq || per[q] >= 2)
				continue;
			per[q]++;
			int level = questions[q].level;
			const char *lead = level == 2 ? "Learnt: " : level == 4 ? "Will try: " : level == 3 ? "Support needed: " : "";
			json_array_append_new(json_object_get(s, "quotes"),
					      json_sprintf("%s%s", lead, db_col_text(st, 1)));
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	json_object_set_new(s, "has_quotes", json_boolean(json_array_size(json_object_get(s, "quotes")) > 0));
	json_array_append_new(sections, s);
	return rc;
fail:
	json_decref(s);
	return rc ? rc : ERR_DB;
}

/* One member school's part in the period. */
struct school_row {
	int64_t urn;       /* the school */
	const char *name;  /* its name (the register's) */
	const char *phase; /* its phase, "" when unknown */
	const char *la;    /* its local authority, "" when unknown */
	int64_t led;       /* sessions its staff led */
	int64_t took;      /* places its staff took */
	int64_t ps;        /* partnerships it was in */
	int64_t shared;    /* ideas and articles it shared */
};

/* Order school rows by URN (for finding them). */
static int by_urn(const void *x, const void *y)
{
	const struct school_row *p = x, *q = y;
	return p->urn < q->urn ? -1 : p->urn > q->urn;
}

/* Order school rows by name. */
static int by_name(const void *x, const void *y)
{
	const struct school_row *p = x, *q = y;
	return strcmp(p->name, q->name);
}

/* Add to group table t a row per distinct key (phase or local authority), in key order. */
static void group_rows(struct arena *a, json_t *t, struct school_row *r, size_t n, bool phase)
{
	const char **keys = arena_calloc(a, n ? n : 1, sizeof(*keys));
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		const char *k = phase ? r[i].phase : r[i].la;
		if (!*k)
			k = "Not recorded";
		size_t j = 0;
		while (j < nk && strcmp(keys[j], k))
			j++;
		if (j == nk)
			keys[nk++] = k;
	}
	for (size_t i = 1; i < nk; i++)
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *x = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = x;
		}
	for (size_t g = 0; g < nk; g++) {
		int64_t members = 0, part = 0, both = 0;
		for (size_t i = 0; i < n; i++) {
			const char *k = phase ? r[i].phase : r[i].la;
			if (strcmp(*k ? k : "Not recorded", keys[g]))
				continue;
			bool gave = r[i].led + r[i].shared > 0, got = r[i].took > 0;
			members++;
			part += gave || got || r[i].ps > 0;
			both += gave && got;
		}
		const char *cells[] = {keys[g], rep_num(a, members), rep_num(a, part), pct(a, part, members), rep_num(a, both),
				       pct(a, both, members)};
		rep_table_row(t, cells, 6);
	}
}

/* Breadth: how many member schools took part, gave and received, by phase and area; give/take by school. */
static int section_breadth(struct build *b, json_t *sections)
{
	struct arena *a = b->a;
	struct school_row *r = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_stmt(b->db, &Q_REP_SCHOOLS);
	int rc = !st || db_bind_int(st, 1, b->network) ? ERR_DB : 0;
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		r = arena_grow(a, r, n, &cap, sizeof(*r));
		r[n++] = (struct school_row){db_col_int(st, 0), arena_strdup(a, db_col_text(st, 1)),
					     arena_strdup(a, db_col_text(st, 2)), arena_strdup(a, db_col_text(st, 3)), 0, 0,
					     0, 0};
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	/* Each measure by school, added to the school's row (rows are in URN order). */
	const struct db_query *qs[4] = {&Q_REP_BY_SCHOOL_LED, &Q_REP_BY_SCHOOL_TOOK, &Q_REP_BY_SCHOOL_PS,
					&Q_REP_BY_SCHOOL_SHARED};
	rc = 0;
	for (int k = 0; k < 4 && rc == 0; k++) {
		st = db_stmt(b->db, qs[k]);
		rc = rep_bind_period(st, b->network, b->from, b->to);
		while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
			rc = 0;
			struct school_row key = {.urn = db_col_int(st, 0)};
			struct school_row *hit = n ? bsearch(&key, r, n, sizeof(*r), by_urn) : NULL;
			if (!hit)
				continue; /* a school that has left the network */
			int64_t v = db_col_int(st, 1);
			*(k == 0 ? &hit->led : k == 1 ? &hit->took : k == 2 ? &hit->ps : &hit->shared) += v;
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc)
		return rc;
	if (n)
		qsort(r, n, sizeof(*r), by_name);
	int64_t part = 0, both = 0;
	for (size_t i = 0; i < n; i++) {
		bool gave = r[i].led + r[i].shared > 0, got = r[i].took > 0;
		part += gave || got || r[i].ps > 0;
		both += gave && got;
	}
	json_t *s = rep_section_new("breadth", "Breadth",
				"How many member schools took part, and how many both gave (led sessions, shared ideas "
				"and articles) and received (their staff came to sessions). Schools are listed by name; "
				"the chart shows each school's own balance of giving and receiving, not an order.");
	figure(s, "Member schools", rep_num(a, (int64_t)n));
	figure(s, "Took part", arena_printf(a, "%lld (%s)", (long long)part, pct(a, part, (int64_t)n)));
	figure(s, "Both gave and received", arena_printf(a, "%lld (%s)", (long long)both, pct(a, both, (int64_t)n)));
	headline(b, "Member schools that took part", pct(a, part, (int64_t)n));
	headline(b, "Schools that both gave and received", rep_num(a, both));
	static const char *const pcols[] = {"Phase", "Member schools", "Took part", "Share", "Gave and received", "Share",
					    NULL};
	static const char *const lcols[] = {"Local authority", "Member schools", "Took part", "Share",
					    "Gave and received", "Share", NULL};
	json_t *pt = rep_table_new("phases", "By phase", pcols), *lt = rep_table_new("areas", "By local authority", lcols);
	group_rows(a, pt, r, n, true);
	group_rows(a, lt, r, n, false);
	rep_add_table(s, pt);
	rep_add_table(s, lt);
	if (b->full) {
		static const char *const scols[] = {"School", "Phase", "Local authority", "Sessions its staff led",
						    "Places its staff took", "Partnerships", "Ideas and articles shared",
						    NULL};
		json_t *t = rep_table_new("schools", "Each school's giving and receiving (by name)", scols);
		struct chart_point *pts = arena_calloc(a, n ? n : 1, sizeof(*pts));
		for (size_t i = 0; i < n; i++) {
			const char *cells[] = {r[i].name, r[i].phase, r[i].la, rep_num(a, r[i].led), rep_num(a, r[i].took),
					       rep_num(a, r[i].ps), rep_num(a, r[i].shared)};
			rep_table_row(t, cells, 7);
			pts[i] = (struct chart_point){r[i].name, (double)r[i].took, (double)(r[i].led + r[i].shared)};
		}
		struct buf cb = BUF_INIT;
		chart_scatter(&cb, "chart-givetake", "Giving and receiving, school by school",
			      "Each point is a member school: across, places its staff took; up, sessions it led plus "
			      "ideas and articles it shared. The table beside it has the same numbers, by name.",
			      "Places its staff took (received)", "Sessions led and practice shared (gave)", pts, n);
		rep_add_chart(t, &cb);
		rep_add_table(s, t);
	}
	json_array_append_new(sections, s);
	return 0;
}

/* Words for a partnership's type, state and health. */
static const char *ps_type_label(const char *t)
{
	return str_eq(t, "one_way") ? "One-way" : str_eq(t, "mutual") ? "Two-way" : str_eq(t, "co_creation") ? "Co-creation" : "Not yet agreed";
}
static const char *health_label(const char *h)
{
	return str_eq(h, "on_track") ? "On track" : str_eq(h, "overdue") ? "Overdue" : str_eq(h, "fading") ? "Fading" : str_eq(h, "at_risk") ? "At risk" : "Not active yet";
}

/* One partnership's line of the list. */
struct ps_row {
	const char *title;    /* its title, the sort key */
	const char *cells[6]; /* the table's cells */
};

/* Order partnership rows by title. */
static int by_title(const void *x, const void *y)
{
	const struct ps_row *p = x, *q = y;
	return strcmp(p->title, q->title);
}

/* Partnerships: type by state, health, hours committed and given, measures, what did not work. */
static int section_partnerships(struct build *b, json_t *sections, const struct rep_period *p)
{
	struct arena *a = b->a;
	static const char *const types[] = {"one_way", "mutual", "co_creation", "unset"};
	static const char *const states[] = {"forming", "active", "closed"};
	static const char *const healths[] = {"on_track", "overdue", "fading", "at_risk", "not_active"};
	int64_t grid[4][3] = {{0}}, health[5] = {0};
	double committed = 0, given = 0;
	int64_t total = 0;
	char d1[16], d2[16];
	rep_uk_day(p->from, d1); /* time is logged by the day: the whole period's days */
	rep_uk_day(p->to, d2);
	static const char *const lcols[] = {"Partnership", "Type", "State", "Health", "Hours committed a term",
					    "Hours given in the period", NULL};
	json_t *list = rep_table_new("partnership_list", "Partnerships (by title)", lcols);
	struct db_stmt *st = db_stmt(b->db, &Q_REP_PS_LIST);
	int rc = rep_bind_period(st, b->network, b->from, b->to);
	if (!rc && (db_bind_text(st, 4, d1) || db_bind_text(st, 5, d2)))
		rc = ERR_DB;
	struct ps_row *rows = NULL;
	size_t n = 0, cap = 0;
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		const char *type = db_col_text(st, 2), *state = db_col_text(st, 3), *h = db_col_text(st, 4);
		int ti = 3, si = 0;
		for (int i = 0; i < 4; i++)
			if (str_eq(type, types[i]))
				ti = i;
		for (int i = 0; i < 3; i++)
			if (str_eq(state, states[i]))
				si = i;
		grid[ti][si]++;
		if (si != 2)
			for (int i = 0; i < 5; i++)
				health[i] += str_eq(h, healths[i]);
		total++;
		committed += (double)db_col_int(st, 5);
		given += db_col_double(st, 6);
		rows = arena_grow(a, rows, n, &cap, sizeof(*rows));
		rows[n].title = arena_strdup(a, db_col_text(st, 1));
		rows[n].cells[0] = rows[n].title;
		rows[n].cells[1] = ps_type_label(type);
		rows[n].cells[2] = str_eq(state, "forming") ? "Forming" : str_eq(state, "active") ? "Active" : "Closed";
		rows[n].cells[3] = si == 2 ? "Closed" : health_label(h);
		rows[n].cells[4] = rep_num(a, db_col_int(st, 5));
		rows[n].cells[5] = rep_hours_text(a, db_col_double(st, 6));
		n++;
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	rc = 0;
	if (n) /* by title: never by a measure */
		qsort(rows, n, sizeof(*rows), by_title);
	bool listed = b->whole || n <= REP_PAGE_ROWS;
	for (size_t i = 0; listed && i < n; i++)
		rep_table_row(list, rows[i].cells, 6);
	b->activity += total;
	/* Terms in the period: hours are committed a term, three terms a year. */
	double terms = round((double)(p->to - p->from) / (365.25 * 86400 / 3));
	if (terms < 1)
		terms = 1;
	json_t *s = rep_section_new("partnerships", "Partnerships",
				"Partnerships between member schools that were running at some point in the period: "
				"their type, state and health now, the time partners committed and gave, and the "
				"measures the partners chose for groups of pupils, from baseline to the latest value "
				"against their target. Published evaluations of school partnerships have found effects on "
				"attainment hard to show; these are the partners' own measures, not proof of cause.");
	figure(s, "Partnerships", rep_num(a, total));
	figure(s, "Hours committed", rep_hours_text(a, committed * terms));
	figure(s, "Hours given", rep_hours_text(a, given));
	headline(b, "Partnerships running", rep_num(a, total));
	static const char *const tcols[] = {"Type", "Forming", "Active", "Closed", "All", NULL};
	json_t *tt = rep_table_new("partnership_types", "By type and state", tcols);
	struct chart_bar bars[4];
	for (int i = 0; i < 4; i++) {
		int64_t all = grid[i][0] + grid[i][1] + grid[i][2];
		const char *cells[] = {ps_type_label(types[i]), rep_num(a, grid[i][0]), rep_num(a, grid[i][1]),
				       rep_num(a, grid[i][2]), rep_num(a, all)};
		rep_table_row(tt, cells, 5);
		bars[i] = (struct chart_bar){ps_type_label(types[i]), (double)all};
	}
	struct buf cb = BUF_INIT;
	chart_bars(&cb, "chart-types", "Partnerships by type", "One bar a type; the table beside it has the numbers.",
		   total ? bars : NULL, total ? 4 : 0);
	rep_add_chart(tt, &cb);
	rep_add_table(s, tt);
	static const char *const hcols[] = {"Health now", "Partnerships", "Changes to it in the period", NULL};
	json_t *ht = rep_table_new("health", "Health", hcols);
	int64_t changes[5] = {0};
	st = db_stmt(b->db, &Q_REP_PS_CHANGES);
	rc = rep_bind_period(st, b->network, b->from, b->to);
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		for (int i = 0; i < 5; i++)
			if (str_eq(db_col_text(st, 0), healths[i]))
				changes[i] = db_col_int(st, 1);
	}
	db_reset(st);
	rc = rc < 0 ? rc : 0;
	for (int i = 0; i < 5; i++) {
		const char *cells[] = {health_label(healths[i]), rep_num(a, health[i]), rep_num(a, changes[i])};
		rep_table_row(ht, cells, 3);
	}
	rep_add_table(s, ht);
	static const char *const ccols[] = {"What", "Hours", NULL};
	json_t *ct = rep_table_new("hours", "Hours committed and given", ccols);
	const char *r1[] = {arena_printf(a, "Committed (a term's hours for %g term%s)", terms, terms == 1 ? "" : "s"),
			    rep_hours_text(a, committed * terms)};
	const char *r2[] = {"Given", rep_hours_text(a, given)};
	rep_table_row(ct, r1, 2);
	rep_table_row(ct, r2, 2);
	rep_add_table(s, ct);
	if (b->full) {
		rep_add_table(s, list);
		if (!listed) { /* a long list is for the spreadsheet, not the page */
			json_object_set_new(list, "empty", json_false());
			json_object_set_new(list, "note", json_sprintf("%zu partnerships: the list by title is in the "
								       "spreadsheet (XLSX) and in this table's CSV.", n));
		}
	} else {
		json_decref(list);
	}
	if (rc)
		goto fail;

	/* Measures: small multiples and the same numbers in a table. */
	static const char *const mcols[] = {"Partnership", "Measure", "Pupils", "Baseline", "Latest", "Target", NULL};
	/* No partnership's title for aggregate readers. */
	json_t *mt = rep_table_new("measures", "Measures the partners chose", b->full ? mcols : mcols + 1);
	struct chart_measure *ms = NULL;
	size_t nm = 0, mcap = 0;
	int64_t toward = 0;
	st = db_stmt(b->db, &Q_REP_MEASURES);
	rc = rep_bind_period(st, b->network, b->from, b->to);
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		struct chart_measure m = {
			.label = arena_strdup(a, db_col_text(st, 1)),
			.baseline = db_col_double(st, 4),
			.target = db_col_double(st, 5),
			.latest = db_col_double(st, 6),
			.has_baseline = !db_col_is_null(st, 4),
			.has_target = !db_col_is_null(st, 5),
			.has_latest = !db_col_is_null(st, 6),
		};
		if (m.has_baseline && m.has_latest && m.has_target &&
		    fabs(m.target - m.latest) < fabs(m.target - m.baseline))
			toward++;
		if (!b->whole && nm == REP_PAGE_ROWS) /* one more than a page shows: only the count is needed now */
			json_array_clear(json_object_get(mt, "rows"));
		if (b->whole || nm < REP_PAGE_ROWS) {
			const char *unit = db_col_text(st, 2);
			const char *cells[] = {b->full ? db_col_text(st, 0) : "", m.label, db_col_text(st, 3),
					       m.has_baseline ? arena_printf(a, "%g %s", m.baseline, unit) : "not set",
					       m.has_latest ? arena_printf(a, "%g %s", m.latest, unit) : "none yet",
					       m.has_target ? arena_printf(a, "%g %s", m.target, unit) : "not set"};
			rep_table_row(mt, b->full ? cells : cells + 1, b->full ? 6 : 5);
			ms = arena_grow(a, ms, nm, &mcap, sizeof(*ms));
			ms[nm] = m;
		}
		nm++;
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(mt);
		goto fail;
	}
	rc = 0;
	figure(s, "Measures moving toward their target", arena_printf(a, "%lld of %zu", (long long)toward, nm));
	if (b->whole || nm <= REP_PAGE_ROWS) {
		struct buf mb = BUF_INIT;
		chart_multiples(&mb, "chart-measures", "Measures: baseline, latest and target",
				"One small chart a measure, each on its own scale; the table beside it has the same "
				"numbers.",
				ms, nm);
		rep_add_chart(mt, &mb);
		rep_add_table(s, mt);
	} else { /* too many for a page: the spreadsheet has them (and the rows were cleared above) */
		rep_add_table(s, mt);
		json_object_set_new(mt, "empty", json_false());
		json_object_set_new(mt, "note", json_sprintf("%zu measures: each with its baseline, latest value and "
							     "target is in the spreadsheet (XLSX) and in this table's CSV.",
							     nm));
	}
	/* What did not work, in the partners' words. */
	if (b->full) {
		st = db_stmt(b->db, &Q_REP_REFLECTIONS);
		rc = rep_bind_period(st, b->network, b->from, b->to);
		while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
			rc = 0;
			json_array_append_new(json_object_get(s, "quotes"),
					      json_sprintf("Did not work: %s", db_col_text(st, 0)));
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	json_object_set_new(s, "has_quotes", json_boolean(json_array_size(json_object_get(s, "quotes")) > 0));
	json_array_append_new(sections, s);
	return rc;
fail:
	json_decref(s);
	return rc ? rc : ERR_DB;
}

/*
 * The practice section's lines: a label and a count over the period (column
 * col of query q). A new kind of shared practice adds a line here (and its
 * DB_QUERY above); lines of one query are next to each other, and it runs once.
 */
static const struct {
	const char *label;          /* what is counted */
	const struct db_query *q;   /* SELECT COUNT(*), … ?1 network, ?2 from, ?3 to */
	int col;                    /* which of its counts, from 0 */
	int ncols;                  /* how many counts it has */
} practice_rows[] = {
	{"Ideas shared with the network", &Q_REP_PR_IDEAS, 0, 1},
	{"Articles shared with the network", &Q_REP_PR_ARTICLES, 0, 1},
	{"\"I will try this\" on an idea", &Q_REP_PR_REACTIONS, 0, 3},
	{"\"We tried this\" on an idea", &Q_REP_PR_REACTIONS, 1, 3},
	{"Ideas taken up by another school (practice that travelled)", &Q_REP_PR_REACTIONS, 2, 3},
	{"Case studies shared with the network", &Q_REP_PR_CASES, 0, 1},
	{"Ideas, articles and case studies another school started trying (\"we tried this\")", &Q_REP_PR_TRYING, 0, 1},
	{"Tries reported as having worked, or partly", &Q_REP_PR_WORKED, 0, 1},
	{"Tries reported as not having worked", &Q_REP_PR_NOT, 0, 1},
};

/* Practice: what was shared and taken up. */
static int section_practice(struct build *b, json_t *sections)
{
	static const char *const cols[] = {"What", "How many", NULL};
	json_t *t = rep_table_new("practice", "Practice shared", cols);
	json_t *s = rep_section_new("practice", "Practice",
				"Ideas, articles and case studies shared across the network, how often colleagues in other "
				"schools took them up, and what they said when asked how it went.");
	struct chart_bar bars[sizeof(practice_rows) / sizeof(practice_rows[0])];
	size_t n = sizeof(practice_rows) / sizeof(practice_rows[0]);
	int rc = 0;
	const struct db_query *ran = NULL; /* the query counts holds */
	int64_t counts[3] = {0};
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (practice_rows[i].q != ran) {
			ran = practice_rows[i].q;
			rc = period_counts(b->db, ran, b->network, b->from, b->to, counts, practice_rows[i].ncols);
		}
		int64_t v = counts[practice_rows[i].col];
		const char *cells[] = {practice_rows[i].label, rep_num(b->a, v)};
		rep_table_row(t, cells, 2);
		bars[i] = (struct chart_bar){practice_rows[i].label, (double)v};
		b->activity += v;
		if (i == 0)
			headline(b, "Ideas shared", rep_num(b->a, v));
	}
	struct buf cb = BUF_INIT;
	chart_bars(&cb, "chart-practice", "Practice shared and taken up",
		   "One bar a line of the table beside it, with the same numbers.", bars, n);
	rep_add_chart(t, &cb);
	rep_add_table(s, t);
	json_array_append_new(sections, s);
	return rc;
}

/* The broker and introductions: proposed, accepted, becoming partnerships. */
static int section_broker(struct build *b, json_t *sections)
{
	int64_t bp[3], in[3];
	int rc = period_counts(b->db, &Q_REP_BROKER, b->network, b->from, b->to, bp, 3);
	if (!rc)
		rc = period_counts(b->db, &Q_REP_INTROS, b->network, b->from, b->to, in, 3);
	if (rc)
		return rc;
	b->activity += bp[0] + in[0];
	static const char *const cols[] = {"How", "Proposed or asked", "Accepted", "Became partnerships", NULL};
	json_t *t = rep_table_new("introductions", "Introductions", cols);
	const char *r1[] = {"The broker's proposals", rep_num(b->a, bp[0]), rep_num(b->a, bp[1]), rep_num(b->a, bp[2])};
	const char *r2[] = {"Introductions asked for", rep_num(b->a, in[0]), rep_num(b->a, in[1]), rep_num(b->a, in[2])};
	rep_table_row(t, r1, 4);
	rep_table_row(t, r2, 4);
	json_t *s = rep_section_new("broker", "Introductions",
				"Introductions the broker proposed and schools asked for, how many were accepted and how "
				"many became partnerships.");
	rep_add_table(s, t);
	json_array_append_new(sections, s);
	return 0;
}

int rep_network_report(struct db *db, struct arena *a, const struct rep_access *acc, const struct network *net,
		       const struct rep_period *p, int64_t now, bool whole, json_t **out)
{
	*out = NULL;
	enum rep_view view = rep_policy_network_view(acc);
	if (view == REP_VIEW_NONE)
		return rep_deny(acc);
	/* Up to now, this second included: what was written a moment ago (times are whole seconds) counts. */
	struct build b = {.db = db, .a = a, .network = net->id, .from = p->from, .to = p->to < now + 1 ? p->to : now + 1,
			  .full = view == REP_VIEW_FULL, .whole = whole, .headline = json_array()};
	if (b.to < b.from)
		b.to = b.from;
	json_t *sections = json_array();
	int rc = section_pd(&b, sections);
	if (!rc)
		rc = section_breadth(&b, sections);
	if (!rc)
		rc = section_partnerships(&b, sections, p);
	if (!rc)
		rc = section_practice(&b, sections);
	if (!rc)
		rc = section_broker(&b, sections);
	if (rc) {
		json_decref(sections);
		json_decref(b.headline);
		return rc < 0 ? rc : ERR_DB;
	}
	finish_sections(sections);
	char d1[40], d2[40];
	clock_format_day(p->from + clock_uk_offset(p->from), true, d1, sizeof(d1));
	clock_format_day(p->to - 1 + clock_uk_offset(p->to - 1), true, d2, sizeof(d2));
	*out = json_pack("{s:{s:s, s:s, s:s, s:i}, s:s, s:b, s:b, s:o, s:o}", "period", "label", p->label, "first_day",
			 d1, "last_day", d2, "year", p->year, "view", view == REP_VIEW_FULL ? "full" : "aggregate",
			 "full", view == REP_VIEW_FULL, "empty", b.activity == 0, "headline", b.headline, "sections",
			 sections);
	return 0;
}
