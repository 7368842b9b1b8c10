// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * school.c — each member school's own impact page (rep_school_report): what
 * the school gave and gained in each of five academic years, against its own
 * past only, never against another school; with its SQL. The report's shape
 * and its helpers are model.c's (rep.h).
 */
#include "app/reports/chart.h"
#include "app/reports/rep.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"

/* One school's year: ?4 the school. */
DB_QUERY(Q_REP_SCHOOL_NAME,
	 "SELECT COALESCE(sc.name, ''), COALESCE(sc.phase_name, ''), COALESCE(sc.la_name, '') FROM network_school ns "
	 "LEFT JOIN school sc ON sc.urn = ns.urn WHERE ns.network_id = ? AND ns.urn = ?");
DB_QUERY(Q_REP_SCHOOL_GAVE,
	 "SELECT COUNT(DISTINCT s.id), COUNT(DISTINCT f.person_id) FROM course_facilitator f JOIN course c ON "
	 "c.id = f.course_id JOIN course_session s ON s.course_id = c.id WHERE f.urn = ?4 AND c.network_id = ?1 AND "
	 "s.starts_at >= ?2 AND s.starts_at < ?3");
DB_QUERY(Q_REP_SCHOOL_TOOK,
	 "SELECT COUNT(*), COUNT(DISTINCT b.person_id), COALESCE(SUM(s.cpd_hundredths), 0) FROM booking b JOIN "
	 "course_session s ON s.id = b.session_id JOIN course c ON c.id = s.course_id WHERE b.urn = ?4 AND "
	 "c.network_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3 AND b.status = 'booked' AND "
	 "b.attendance IN ('present', 'late')");
DB_QUERY(Q_REP_SCHOOL_HOURS,
	 "SELECT COALESCE(SUM(t.hours), 0) FROM time_log t JOIN partnership p ON p.id = t.partnership_id WHERE "
	 "p.network_id = ?1 AND t.urn = ?4 AND t.worked_on >= ?2 AND t.worked_on < ?3");
DB_QUERY(Q_REP_SCHOOL_PARTNERSHIPS,
	 "SELECT COUNT(*) FROM partnership_school x JOIN partnership p ON p.id = x.partnership_id WHERE "
	 "x.urn = ?4 AND p.network_id = ?1 AND p.created_at < ?3 AND (p.closed_at IS NULL OR p.closed_at >= ?2)");
DB_QUERY(Q_REP_SCHOOL_SHARED,
	 "SELECT (SELECT COUNT(*) FROM practice_idea i WHERE i.network_id = ?1 AND i.urn = ?4 AND "
	 "i.visibility = 'network' AND i.created_at >= ?2 AND i.created_at < ?3) + (SELECT COUNT(*) FROM "
	 "practice_article r WHERE r.network_id = ?1 AND r.urn = ?4 AND r.visibility = 'network' AND "
	 "r.created_at >= ?2 AND r.created_at < ?3)");

/* Run one of a school's count queries (?4 the school) over the period into v. */
static int school_counts(struct db *db, const struct db_query *q, int64_t network_id, int64_t from, int64_t to,
			 int64_t urn, int64_t *v, int n)
{
	struct db_stmt *st = db_stmt(db, q);
	if (rep_bind_period(st, network_id, from, to) || db_bind_int(st, 4, urn))
		return ERR_DB;
	return rep_one_row(st, v, n);
}

int rep_school_report(struct db *db, struct arena *a, const struct rep_access *acc, const struct network *net,
		      int64_t urn, int year, int64_t now, json_t **out)
{
	*out = NULL;
	if (rep_policy_network_view(acc) == REP_VIEW_NONE && !rep_policy_school_see(acc, urn))
		return rep_deny(acc);
	struct db_stmt *st = db_stmt(db, &Q_REP_SCHOOL_NAME);
	if (!st || db_bind_int(st, 1, net->id) || db_bind_int(st, 2, urn))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	const char *name = arena_strdup(a, db_col_text(st, 0)), *phase = arena_strdup(a, db_col_text(st, 1)),
		   *la = arena_strdup(a, db_col_text(st, 2));
	db_reset(st);
	if (!rep_policy_school_see(acc, urn))
		return ERR_FORBIDDEN;
	static const char *const cols[] = {"Year", "Sessions its staff led", "Staff who led sessions",
					   "Places its staff took", "Staff and governors trained", "Hours of CPD received",
					   "Partnerships", "Hours given to partnerships", "Ideas and articles shared", NULL};
	json_t *t = rep_table_new("school_years", "Year by year", cols);
	struct chart_bar gave[5], got[5];
	int64_t any = 0;
	for (int k = 0; k < 5 && rc >= 0; k++) {
		int y = year - 4 + k;
		struct rep_period p;
		rep_period_year(a, y, &p);
		int64_t to = p.to < now ? p.to : now, from = p.from;
		if (to < from)
			to = from;
		int64_t g[2] = {0}, tk[3] = {0}, ps = 0, sh = 0;
		double hours = 0;
		char d1[16], d2[16];
		rep_uk_day(from, d1);
		rep_uk_day(to, d2);
		rc = school_counts(db, &Q_REP_SCHOOL_GAVE, net->id, from, to, urn, g, 2);
		if (!rc)
			rc = school_counts(db, &Q_REP_SCHOOL_TOOK, net->id, from, to, urn, tk, 3);
		if (!rc)
			rc = school_counts(db, &Q_REP_SCHOOL_PARTNERSHIPS, net->id, from, to, urn, &ps, 1);
		if (!rc)
			rc = school_counts(db, &Q_REP_SCHOOL_SHARED, net->id, from, to, urn, &sh, 1);
		st = rc ? NULL : db_stmt(db, &Q_REP_SCHOOL_HOURS);
		if (rc || !st || db_bind_int(st, 1, net->id) || db_bind_text(st, 2, d1) || db_bind_text(st, 3, d2) ||
		    db_bind_int(st, 4, urn))
			rc = ERR_DB;
		else if ((rc = db_step(st)) == DB_ROW || rc == DB_DONE) {
			hours = rc == DB_ROW ? db_col_double(st, 0) : 0;
			rc = 0;
		}
		if (st)
			db_reset(st);
		const char *cells[] = {p.label, rep_num(a, g[0]), rep_people_count(a, g[1]), rep_num(a, tk[0]),
				       rep_people_count(a, tk[1]), rep_hours_text(a, (double)tk[2] / 100), rep_num(a, ps),
				       rep_hours_text(a, hours), rep_num(a, sh)};
		rep_table_row(t, cells, 9);
		any += g[0] + tk[0] + ps + sh;
		gave[k] = (struct chart_bar){p.label, (double)(g[0] + sh)};
		got[k] = (struct chart_bar){p.label, (double)tk[0]};
	}
	if (rc < 0) {
		json_decref(t);
		return rc;
	}
	json_t *s = rep_section_new("school", "Over time",
				"What the school gave and gained in each academic year, against its own past only.");
	struct buf cb = BUF_INIT;
	chart_bars(&cb, "chart-gave", "What the school gave, year by year",
		   "Sessions its staff led plus ideas and articles it shared, one bar an academic year.", gave, 5);
	rep_add_chart(t, &cb);
	chart_bars(&cb, "chart-gained", "What the school gained, year by year",
		   "Places its staff took on the network's sessions, one bar an academic year.", got, 5);
	rep_add_chart(t, &cb);
	rep_add_table(s, t);
	struct rep_period p;
	rep_period_year(a, year, &p);
	json_object_set_new(s, "has_figures", json_false());
	*out = json_pack("{s:{s:I, s:s, s:s, s:s}, s:{s:s, s:i}, s:b, s:[o]}", "school", "urn", (json_int_t)urn, "name",
			 name, "phase", phase, "la", la, "period", "label", p.label, "year", year, "empty", any == 0,
			 "sections", s);
	return 0;
}
