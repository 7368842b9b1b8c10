// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * rep.h — what the impact reports' files share: the period a report covers,
 * the model's functions (model.c: the access facts, the network's report,
 * a school's own page, the publishing switch) and the exports (export.c:
 * a table as CSV, the whole report as an XLSX workbook).
 *
 * A report is JSON: {period, view, empty, headline: [{label, value}],
 * sections: [{key, title, intro, figures, tables, quotes}]} where each table
 * is {key, title, columns: [..], heads: [{label}], rows: [{cells: [{label,
 * value}]}], charts: [{svg_html}]} with every value a string and each chart
 * drawing the table's numbers. Pages render it, JSON clients get it as it is,
 * and the exports write its tables: one shape for all three.
 */
#ifndef TANDEM_APP_REPORTS_REP_H
#define TANDEM_APP_REPORTS_REP_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/networks/net.h"
#include "app/reports/policy.h"
#include "core/err.h"

struct arena;
struct buf;
struct db;

/* The longest period a report covers, in years. */
#define REP_MAX_YEARS 10
/* The longest list a page shows in full (longer ones are in the CSV and XLSX). */
#define REP_PAGE_ROWS 100
/* Counts of people below this are shown as "fewer than 5". */
#define REP_SUPPRESS_BELOW 5

/* The period a report covers: [from, to) in UTC, an academic year or days typed. */
struct rep_period {
	int64_t from;      /* the first instant */
	int64_t to;        /* the instant after the last */
	int year;          /* the academic year (2026 = 2026/27), 0 for days typed */
	const char *label; /* for people: "2026/27" or "1 September 2026 to 31 March 2027" (arena) */
};

/* The period of academic year (September to August, UK time); label in arena a. */
void rep_period_year(struct arena *a, int year, struct rep_period *out);
/*
 * The period from day from_day to day to_day inclusive ("YYYY-MM-DD", UK
 * time). ERR_INVALID with errors {from|to: message} when the end is before
 * the start or the period is longer than REP_MAX_YEARS years.
 */
int rep_period_days(struct arena *a, const char *from_day, const char *to_day, json_t *errors,
		    struct rep_period *out) WUR;
/* The academic year (September to August) that t falls in: 2026 for 6 December 2026. */
int rep_academic_year(int64_t t);

/* A count of people as shown: the number, or "fewer than 5" for 1-4 (arena). */
const char *rep_people_count(struct arena *a, int64_t n);

/* The access facts of a network's page (n) plus whether its report is published. 0 or ERR_DB. */
int rep_access_load(struct db *db, const struct net_access *n, struct rep_access *out) WUR;
/*
 * The network's impact report for period p as acc may see it (full or
 * aggregates). A list longer than REP_PAGE_ROWS (the partnerships) is left
 * to the exports unless whole: its table then has no rows and a note saying
 * where to find them. ERR_NOTFOUND / ERR_FORBIDDEN when acc may not see it
 * (as net_deny decides), ERR_DB. New object in *out.
 */
int rep_network_report(struct db *db, struct arena *a, const struct rep_access *acc, const struct network *net,
		       const struct rep_period *p, int64_t now, bool whole, json_t **out) WUR;
/*
 * School urn's own page: what it gave and gained in each of the five
 * academic years up to year, against its own past only. ERR_NOTFOUND when
 * urn is not a member school, ERR_FORBIDDEN when acc may not see it.
 */
int rep_school_report(struct db *db, struct arena *a, const struct rep_access *acc, const struct network *net,
		      int64_t urn, int year, int64_t now, json_t **out) WUR;
/* Publish (on) or withdraw the network's annual report; person is who did it. ERR_FORBIDDEN, ERR_DB. */
int rep_publish_set(struct db *db, const struct rep_access *acc, bool on, int64_t now) WUR;

/* The table key names in report (NULL when there is none). */
const json_t *rep_table_find(const json_t *report, const char *key);
/* Append table t (rep.h's shape) to out as CSV (RFC 4180, CRLF; cells that could be formulas quoted with '). */
void rep_table_csv(const json_t *t, struct buf *out);
/* The whole report as an XLSX workbook, a sheet per table, into out. 0 or ERR_IO. */
int rep_report_xlsx(struct arena *a, const json_t *report, const char *title, struct buf *out) WUR;

/* ---- model.c's helpers, shared with school.c ------------------------------ */

struct db_stmt;

/* Hours for people: "12.5", "3" (arena). */
const char *rep_hours_text(struct arena *a, double hours);
/* A count (not of people) as text (arena). */
const char *rep_num(struct arena *a, int64_t n);
/* A new table {key, title, columns, rows: [], charts: [], note: null} with the NULL-ended column names. */
json_t *rep_table_new(const char *key, const char *title, const char *const *cols);
/* Add a row of n text cells to table t, each {label: its column, value}. */
void rep_table_row(json_t *t, const char *const *cells, size_t n);
/* A new section {key, title, intro, figures: [], tables: [], quotes: []}. */
json_t *rep_section_new(const char *key, const char *title, const char *intro);
/* Add table t (taking it) to section s, with empty, width and heads for the template. */
void rep_add_table(json_t *s, json_t *t);
/* Add the chart in b (freed) to table t: the page draws it beside the table's numbers. */
void rep_add_chart(json_t *t, struct buf *b);
/* Bind ?1 network, ?2 from and ?3 to (UTC text) on st. 0 or ERR_DB (also for a NULL st). */
int rep_bind_period(struct db_stmt *st, int64_t network_id, int64_t from, int64_t to);
/* The UK day of t as "YYYY-MM-DD" into out (>= 11 bytes). */
void rep_uk_day(int64_t t, char *out);
/* Step st for one row of n integers into v (zeros when there is no row) and reset it. 0 or the error. */
int rep_one_row(struct db_stmt *st, int64_t *v, int n);
/* The refusal for acc: ERR_NOTFOUND when the network is hidden from it, else ERR_FORBIDDEN or ERR_UNAUTH. */
int rep_deny(const struct rep_access *acc);

#endif
