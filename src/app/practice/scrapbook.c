// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * scrapbook.c — a school's Good Ideas Scrapbook for one term: the one-page
 * articles its staff wrote in that term, in every network the school
 * belongs to, oldest first, each rendered from its Markdown and passed
 * through the one visibility check with the viewer's facts in the article's
 * network (a visitor who is not signed in sees only public articles). The
 * page prints one article an A4 page (static/css/tandem.css, @media print).
 *
 * Terms follow the English school year by calendar months: autumn is
 * September to December, spring January to March, summer April to August.
 * A term is written "autumn-2026", "spring-2027", "summer-2027".
 */
#include "app/practice/scrapbook.h"

#include <stdio.h>
#include <string.h>

#include "app/practice/markdown.h"
#include "app/practice/search.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_SCHOOL_NAME, "SELECT name FROM school WHERE urn = ?");
DB_QUERY(Q_SCRAPBOOK,
	 "SELECT a.id, a.network_id, COALESCE(a.author_id, 0), a.visibility, COALESCE(a.requested, ''), "
	 "CASE WHEN p.item_id IS NULL THEN 0 ELSE 1 END, a.title, a.body, a.created_at, t.name, "
	 "COALESCE(pe.name, 'A former member'), n.name, n.slug "
	 "FROM practice_article a JOIN network_theme t ON t.id = a.theme_id JOIN network n ON n.id = a.network_id "
	 "LEFT JOIN person pe ON pe.id = a.author_id "
	 "LEFT JOIN practice_public p ON p.kind = 'article' AND p.item_id = a.id "
	 "WHERE a.urn = ? AND a.created_at >= ? AND a.created_at < ? ORDER BY a.created_at, a.id");

/* The terms, their names and their first months. */
static const char *const term_names[PRACTICE_TERM__MAX] = {"spring", "summer", "autumn"};
static const char *const term_labels[PRACTICE_TERM__MAX] = {"Spring", "Summer", "Autumn"};
static const int term_first_month[PRACTICE_TERM__MAX + 1] = {1, 4, 9, 13};

int practice_term_parse(const char *s, struct practice_term *out)
{
	memset(out, 0, sizeof(*out));
	if (!s)
		return ERR_INVALID;
	const char *dash = strchr(s, '-');
	if (!dash || strlen(dash + 1) != 4)
		return ERR_INVALID;
	int year = 0;
	for (const char *p = dash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return ERR_INVALID;
		year = year * 10 + (*p - '0');
	}
	if (year < 2000 || year > 2100)
		return ERR_INVALID;
	for (int t = 0; t < PRACTICE_TERM__MAX; t++) {
		if (strlen(term_names[t]) == (size_t)(dash - s) && strncmp(s, term_names[t], (size_t)(dash - s)) == 0) {
			out->term = (enum practice_term_name)t;
			out->year = year;
			return 0;
		}
	}
	return ERR_INVALID;
}

struct practice_term practice_term_of(int64_t t)
{
	char iso[32];
	clock_format_iso(t, iso, sizeof(iso));
	int year = 0, month = 0;
	if (sscanf(iso, "%4d-%2d", &year, &month) != 2)
		return (struct practice_term){.term = PRACTICE_TERM_AUTUMN, .year = 2000};
	int k = 0;
	while (k + 1 < PRACTICE_TERM__MAX && month >= term_first_month[k + 1])
		k++;
	return (struct practice_term){.term = (enum practice_term_name)k, .year = year};
}

struct practice_term practice_term_step(struct practice_term t, int by)
{
	int k = (int)t.term + by, year = t.year;
	while (k < 0) {
		k += PRACTICE_TERM__MAX;
		year--;
	}
	while (k >= PRACTICE_TERM__MAX) {
		k -= PRACTICE_TERM__MAX;
		year++;
	}
	return (struct practice_term){.term = (enum practice_term_name)k, .year = year};
}

void practice_term_range(struct practice_term t, char from[32], char to[32])
{
	snprintf(from, 32, "%04d-%02d-01T00:00:00Z", t.year, term_first_month[t.term]);
	int end = term_first_month[t.term + 1];
	snprintf(to, 32, "%04d-%02d-01T00:00:00Z", end == 13 ? t.year + 1 : t.year, end == 13 ? 1 : end);
}

const char *practice_term_key(struct arena *a, struct practice_term t)
{
	return arena_printf(a, "%s-%d", term_names[t.term], t.year);
}

const char *practice_term_label(struct arena *a, struct practice_term t)
{
	return arena_printf(a, "%s term %d", term_labels[t.term], t.year);
}

int practice_scrapbook(struct db *db, struct arena *a, const struct user *u, int64_t urn, struct practice_term term,
		       json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_SCHOOL_NAME);
	if (!st || db_bind_int(st, 1, urn))
		return ERR_DB;
	int rc = db_step(st);
	const char *school = rc == DB_ROW ? arena_strdup(a, db_col_text(st, 0)) : NULL;
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	struct practice_viewer *v = NULL;
	if ((rc = practice_viewer_open(db, a, u, &v)))
		return rc;
	char from[32], to[32];
	practice_term_range(term, from, to);
	st = db_stmt(db, &Q_SCRAPBOOK);
	if (!st || db_bind_int(st, 1, urn) || db_bind_text(st, 2, from) || db_bind_text(st, 3, to))
		return ERR_DB;
	json_t *articles = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		struct practice_item item = practice_item_of(db_col_int(st, 2), urn, db_col_text(st, 3), db_col_text(st, 4),
							     db_col_int(st, 5) != 0, false);
		enum practice_vis vis = item.vis;
		struct practice_access acc = practice_viewer_in(v, db_col_int(st, 1));
		if (!practice_can_see(&acc, &item))
			continue;
		struct buf html;
		buf_init(&html);
		if (practice_md_html(db_col_text(st, 7), &html))
			buf_puts(&html, "<p>This article cannot be shown: its author needs to change a link or remove "
					"HTML.</p>");
		int64_t t = 0;
		char day[40] = "";
		if (clock_parse_iso(db_col_text(st, 8), &t) == 0)
			clock_format_day(t, true, day, sizeof(day));
		json_array_append_new(articles,
				      json_pack("{sI ss ss ss ss ss ss ss}", "id", (json_int_t)db_col_int(st, 0), "title",
						db_col_text(st, 6), "body_html", buf_str(&html), "posted", day, "theme",
						db_col_text(st, 9), "author", db_col_text(st, 10), "network",
						db_col_text(st, 11), "visibility", practice_vis_name(vis)));
		buf_free(&html);
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(articles);
		return rc;
	}
	struct practice_term prev = practice_term_step(term, -1), next = practice_term_step(term, 1);
	*out = json_pack("{sI ss ss ss so sb ss ss ss ss}", "urn", (json_int_t)urn, "school", school, "term",
			 practice_term_key(a, term), "term_label", practice_term_label(a, term), "articles", articles,
			 "empty", json_array_size(articles) == 0, "prev_term", practice_term_key(a, prev), "prev_label",
			 practice_term_label(a, prev), "next_term", practice_term_key(a, next), "next_label",
			 practice_term_label(a, next));
	return 0;
}
