// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * tried.c — "we tried this" (issue 14, item 7): its rules and all its SQL.
 * A member of another school records that they are trying an idea, an
 * article or a case study (never their own school's, and once); after the
 * network's number of weeks (PRACTICE_TRIED_WEEKS unless a coordinator set
 * another) the job below emails them a link to say how it went (worked,
 * partly, did not work, with a note). Where a piece of practice travelled
 * is its schools and their outcomes, with a map of the schools' locations
 * from the register: the points are placed here (British National Grid
 * eastings and northings, or latitude and longitude brought to the same
 * scale) and drawn as SVG by the template, with a table of the same data.
 * Every item is read through practice_can_see (policy.c) first.
 */
#include "app/practice/casestudy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/jobs.h"
#include "app/mail/mail.h"
#include "app/networks/net.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

#define ITEM_FACTS "SELECT urn, COALESCE(author_id, 0), visibility, COALESCE(requested, ''), "
DB_QUERY(Q_TRIED_IDEA, ITEM_FACTS "body, 0 FROM practice_idea WHERE network_id = ? AND id = ?");
DB_QUERY(Q_TRIED_ARTICLE, ITEM_FACTS "title, 0 FROM practice_article WHERE network_id = ? AND id = ?");
DB_QUERY(Q_TRIED_CASE, ITEM_FACTS "title, draft FROM practice_case WHERE network_id = ? AND id = ?");
DB_QUERY(Q_TRIED_ADD, "INSERT INTO practice_tried (network_id, kind, item_id, person_id, urn, started_at, ask_at) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_TRIED_MINE, "SELECT ask_at FROM practice_tried WHERE kind = ? AND item_id = ? AND person_id = ?");
DB_QUERY(Q_TRIED_WEEKS, "SELECT weeks FROM practice_tried_settings WHERE network_id = ?");
DB_QUERY(Q_TRIED_SET_WEEKS, "INSERT INTO practice_tried_settings (network_id, weeks) VALUES (?, ?) "
			    "ON CONFLICT (network_id) DO UPDATE SET weeks = excluded.weeks");
DB_QUERY(Q_TRIED_TRAVELLED,
	 "SELECT t.urn, COALESCE(s.name, ''), s.easting, s.northing, s.lat, s.lon, COALESCE(t.outcome, ''), t.note, "
	 "t.started_at, COALESCE(t.answered_at, '') FROM practice_tried t LEFT JOIN school s ON s.urn = t.urn "
	 "WHERE t.network_id = ? AND t.kind = ? AND t.item_id = ? ORDER BY t.started_at, t.id");
DB_QUERY(Q_TRIED_ORIGIN, "SELECT urn, name, easting, northing, lat, lon FROM school WHERE urn = ?");
#define TRIED_ONE                                                                                          \
	"SELECT t.id, t.kind, t.item_id, COALESCE(t.outcome, ''), t.note, t.started_at, t.ask_at, "        \
	"COALESCE(i.body, ar.title, c.title, ''), COALESCE(s.name, '') FROM practice_tried t "              \
	"LEFT JOIN practice_idea i ON t.kind = 'idea' AND i.id = t.item_id "                               \
	"LEFT JOIN practice_article ar ON t.kind = 'article' AND ar.id = t.item_id "                       \
	"LEFT JOIN practice_case c ON t.kind = 'case' AND c.id = t.item_id "                               \
	"LEFT JOIN school s ON s.urn = COALESCE(i.urn, ar.urn, c.urn) "
DB_QUERY(Q_TRIED_ONE, TRIED_ONE "WHERE t.id = ? AND t.network_id = ? AND t.person_id = ?");
DB_QUERY(Q_TRIED_LIST, TRIED_ONE "WHERE t.network_id = ? AND t.person_id = ? ORDER BY t.started_at DESC, t.id DESC");
DB_QUERY(Q_TRIED_ANSWER, "UPDATE practice_tried SET outcome = ?, note = ?, answered_at = ? "
			 "WHERE id = ? AND person_id = ? AND answered_at IS NULL");
DB_QUERY(Q_TRIED_DUE,
	 "SELECT t.id, p.email, p.name, n.slug, t.kind, COALESCE(i.body, ar.title, c.title, '') AS title, "
	 "t.started_at FROM practice_tried t JOIN person p ON p.id = t.person_id JOIN network n ON n.id = t.network_id "
	 "LEFT JOIN practice_idea i ON t.kind = 'idea' AND i.id = t.item_id "
	 "LEFT JOIN practice_article ar ON t.kind = 'article' AND ar.id = t.item_id "
	 "LEFT JOIN practice_case c ON t.kind = 'case' AND c.id = t.item_id "
	 "WHERE t.asked_at IS NULL AND t.answered_at IS NULL AND t.ask_at <= ? ORDER BY t.id LIMIT 200");
DB_QUERY(Q_TRIED_ASKED, "UPDATE practice_tried SET asked_at = ? WHERE id = ? AND asked_at IS NULL");
DB_QUERY(Q_TRIED_EXPORT,
	 "SELECT t.id, n.slug AS network, t.kind, t.item_id, t.started_at, t.outcome, t.note, t.answered_at "
	 "FROM practice_tried t JOIN network n ON n.id = t.network_id WHERE t.person_id = ? ORDER BY t.id");

/* The outcomes, what they are called, and the kinds with their URL segments. */
static const char *const outcomes[] = {"worked", "partly", "not"};
static const char *const outcome_labels[] = {"It worked", "It partly worked", "It did not work"};
#define OUTCOMES 3
static const char *const kinds[][2] = {{"idea", "ideas"}, {"article", "articles"}, {"case", "cases"}};
#define KINDS 3

/* The map's size in SVG units, and the margin around the points. */
#define MAP_W 600
#define MAP_H 400
#define MAP_PAD 30

const char *practice_tried_kind(const char *segment)
{
	for (int k = 0; segment && k < KINDS; k++)
		if (strcmp(segment, kinds[k][1]) == 0)
			return kinds[k][0];
	return NULL;
}

/* The URL segment of stored kind ("ideas" …). */
static const char *segment_of(const char *kind)
{
	for (int k = 0; kind && k < KINDS; k++)
		if (strcmp(kind, kinds[k][0]) == 0)
			return kinds[k][1];
	return "ideas";
}

/* The colour of outcome o's circle on the map (grey while still trying). */
static const char *outcome_colour(const char *o)
{
	static const char *const colours[] = {"#1a7f37", "#b7791f", "#c0392b"};
	for (int k = 0; o && k < OUTCOMES; k++)
		if (strcmp(o, outcomes[k]) == 0)
			return colours[k];
	return "#6b7280";
}

/* The label of outcome o, or "Still trying" when none. */
static const char *outcome_label(const char *o)
{
	for (int k = 0; o && k < OUTCOMES; k++)
		if (strcmp(o, outcomes[k]) == 0)
			return outcome_labels[k];
	return "Still trying";
}

/* An item's facts and title as loaded. */
struct tried_item {
	struct practice_item item; /* for policy.c */
	const char *title;         /* the idea's text, or the title (arena) */
	bool draft;                /* a draft case study */
};

/* Load item id of kind: ERR_NOTFOUND when there is none, it is unknown, or the person may not see it. */
static int load_item(struct db *db, struct arena *a, const struct practice_ctx *c, const char *kind, int64_t id,
		     struct tried_item *t)
{
	memset(t, 0, sizeof(*t));
	const struct db_query *q = !kind                          ? NULL
				   : strcmp(kind, "idea") == 0    ? &Q_TRIED_IDEA
				   : strcmp(kind, "article") == 0 ? &Q_TRIED_ARTICLE
				   : strcmp(kind, "case") == 0    ? &Q_TRIED_CASE
								  : NULL;
	if (!q)
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		t->draft = db_col_int(st, 5) != 0;
		t->item = practice_item_of(db_col_int(st, 1), db_col_int(st, 0), db_col_text(st, 2), db_col_text(st, 3),
					   false, t->draft);
		t->title = arena_strdup(a, db_col_text(st, 4));
	}
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	return practice_can_see(&c->acc, &t->item) ? 0 : ERR_NOTFOUND;
}

int64_t practice_tried_weeks(struct db *db, int64_t network_id)
{
	int64_t weeks = PRACTICE_TRIED_WEEKS;
	struct db_stmt *st = db_stmt(db, &Q_TRIED_WEEKS);
	if (st && db_bind_int(st, 1, network_id) == 0 && db_step(st) == DB_ROW)
		weeks = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return weeks;
}

/* The day people read for stored time iso ("3 January 2027"), or "" (arena). */
static const char *day_of(struct arena *a, const char *iso)
{
	int64_t t;
	char day[40] = "";
	if (iso && clock_parse_iso(iso, &t) == 0)
		clock_format_day(t, true, day, sizeof(day));
	return arena_strdup(a, day);
}

int practice_tried_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *kind, int64_t id,
		       json_t *errors)
{
	struct tried_item t;
	int rc = load_item(db, a, c, kind, id, &t);
	if (rc)
		return rc;
	if (t.item.urn == c->acc.school_urn) {
		json_object_set_new(errors, "tried", json_string("This is your own school's practice: \"We tried this\" "
								 "is for practice that travels to other schools."));
		return ERR_INVALID;
	}
	if (t.draft) {
		json_object_set_new(errors, "tried", json_string("This case study is still a draft: wait until its author "
								 "has finished it."));
		return ERR_INVALID;
	}
	if (!practice_can_try(&c->acc, &t.item))
		return ERR_FORBIDDEN;
	int64_t now = clock_now();
	int64_t ask = now + practice_tried_weeks(db, c->network_id) * 7 * 86400;
	struct db_stmt *st = db_stmt(db, &Q_TRIED_ADD);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_text(st, 2, kind) || db_bind_int(st, 3, id) ||
	    db_bind_int(st, 4, c->acc.person_id) || db_bind_int(st, 5, c->acc.school_urn) ||
	    db_bind_text(st, 6, net_now_iso(a, now)) || db_bind_text(st, 7, net_now_iso(a, ask)))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc == ERR_CONFLICT) {
		const char *when = "";
		st = db_stmt(db, &Q_TRIED_MINE);
		if (st && db_bind_text(st, 1, kind) == 0 && db_bind_int(st, 2, id) == 0 &&
		    db_bind_int(st, 3, c->acc.person_id) == 0 && db_step(st) == DB_ROW)
			when = day_of(a, db_col_text(st, 0));
		if (st)
			db_reset(st);
		json_object_set_new(errors, "tried",
				    json_sprintf("You have already said you are trying this: Tandem will ask you how it "
						 "went%s%s.", *when ? " on " : "", when));
		return ERR_CONFLICT;
	}
	return rc < 0 ? rc : 0;
}

/* A point on the map, in metres east and north. */
struct spot {
	bool known; /* the register has a location */
	double x;   /* easting, metres */
	double y;   /* northing, metres */
};

/*
 * The location of the row st is on, with easting, northing, lat, lon at
 * col: the easting and northing when given, else latitude and longitude
 * brought roughly onto the same grid (near enough to draw England).
 */
static struct spot spot_at(struct db_stmt *st, int col)
{
	struct spot s = {false, 0, 0};
	if (!db_col_is_null(st, col) && !db_col_is_null(st, col + 1)) {
		s = (struct spot){true, db_col_double(st, col), db_col_double(st, col + 1)};
	} else if (!db_col_is_null(st, col + 2) && !db_col_is_null(st, col + 3)) {
		double lat = db_col_double(st, col + 2), lon = db_col_double(st, col + 3);
		s = (struct spot){true, 400000.0 + (lon + 2.0) * 111320.0 * cos(lat * 3.14159265358979 / 180.0),
				  (lat - 49.0) * 110574.0 - 100000.0};
	}
	return s;
}

/* Place the spots (n of them) on the map: each known one's x, y in SVG units into json points[i]. */
static void place(const struct spot *sp, size_t n, json_t *points)
{
	double minx = 0, maxx = 0, miny = 0, maxy = 0;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!sp[i].known)
			continue;
		if (!any) {
			minx = maxx = sp[i].x;
			miny = maxy = sp[i].y;
			any = true;
		}
		minx = fmin(minx, sp[i].x);
		maxx = fmax(maxx, sp[i].x);
		miny = fmin(miny, sp[i].y);
		maxy = fmax(maxy, sp[i].y);
	}
	double span = fmax(fmax(maxx - minx, maxy - miny), 1000.0); /* at least a kilometre across */
	double scale = fmin((MAP_W - 2 * MAP_PAD) / span, (MAP_H - 2 * MAP_PAD) / span);
	double cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(points, i);
		if (!sp[i].known)
			continue;
		json_object_set_new(p, "x", json_integer((json_int_t)lround(MAP_W / 2.0 + (sp[i].x - cx) * scale)));
		json_object_set_new(p, "y", json_integer((json_int_t)lround(MAP_H / 2.0 - (sp[i].y - cy) * scale)));
		json_object_set_new(p, "on_map", json_true());
	}
}

int practice_travelled(struct db *db, struct arena *a, const struct practice_ctx *c, const char *kind, int64_t id,
		       json_t **out)
{
	*out = NULL;
	struct tried_item t;
	int rc = load_item(db, a, c, kind, id, &t);
	if (rc)
		return rc;
	size_t cap = 64, n = 0;
	struct spot *sp = arena_calloc(a, cap, sizeof(*sp));
	json_t *points = json_array(), *schools = json_array();
	/* The origin first: the item's own school. */
	struct db_stmt *st = db_stmt(db, &Q_TRIED_ORIGIN);
	if (!st || db_bind_int(st, 1, t.item.urn))
		rc = ERR_DB;
	else if ((rc = db_step(st)) == DB_ROW) {
		sp[n++] = spot_at(st, 2);
		json_array_append_new(points, json_pack("{ss sb ss}", "name", db_col_text(st, 1), "origin", 1, "outcome",
							"origin"));
		rc = 0;
	}
	if (st)
		db_reset(st);
	int64_t counts[OUTCOMES + 1] = {0};
	st = rc < 0 ? NULL : db_stmt(db, &Q_TRIED_TRAVELLED);
	if (rc >= 0 && (!st || db_bind_int(st, 1, c->network_id) || db_bind_text(st, 2, kind) || db_bind_int(st, 3, id)))
		rc = ERR_DB;
	while (rc >= 0 && (rc = db_step(st)) == DB_ROW) {
		const char *o = db_col_text(st, 6);
		int k = 0;
		while (k < OUTCOMES && strcmp(o, outcomes[k]) != 0)
			k++;
		counts[k]++;
		json_array_append_new(schools, json_pack("{sI ss ss ss ss ss ss}", "urn", (json_int_t)db_col_int(st, 0),
							 "name", db_col_text(st, 1), "outcome", *o ? o : "trying",
							 "outcome_label", outcome_label(o), "note", db_col_text(st, 7),
							 "started", day_of(a, db_col_text(st, 8)), "answered",
							 day_of(a, db_col_text(st, 9))));
		if (n < cap) {
			sp[n++] = spot_at(st, 2);
			json_array_append_new(points, json_pack("{ss sb ss ss ss}", "name", db_col_text(st, 1), "origin", 0,
								"outcome", *o ? o : "trying", "outcome_label",
								outcome_label(o), "colour", outcome_colour(o)));
		}
	}
	if (st)
		db_reset(st);
	if (rc < 0) {
		json_decref(points);
		json_decref(schools);
		return rc;
	}
	place(sp, n, points);
	json_t *on_map = json_array(), *p;
	size_t i;
	json_array_foreach(points, i, p) if (json_is_true(json_object_get(p, "on_map"))) json_array_append(on_map, p);
	json_decref(points);
	json_t *item = json_pack("{ss ss sI}", "kind", kind, "title", t.title, "id", (json_int_t)id);
	json_object_set_new(item, "url", json_sprintf("/networks/%s/%s/%lld", c->slug, segment_of(kind), (long long)id));
	*out = json_pack("{sO so so s{sI sI sI sI sI} s{si si so} sb}", "network", c->network, "item", item, "schools",
			 schools, "counts", "schools", (json_int_t)json_array_size(schools), "worked", (json_int_t)counts[0],
			 "partly", (json_int_t)counts[1], "not", (json_int_t)counts[2], "trying", (json_int_t)counts[3],
			 "map", "width", MAP_W, "height", MAP_H, "points", on_map, "empty", json_array_size(schools) == 0);
	json_object_set_new(*out, "has_map", json_boolean(json_array_size(json_object_get(json_object_get(*out, "map"),
											   "points")) > 0));
	return 0;
}

/* The try as JSON from the row st is on (TRIED_ONE's columns). */
static json_t *tried_json(struct db_stmt *st, struct arena *a, const struct practice_ctx *c)
{
	const char *o = db_col_text(st, 3);
	json_t *choices = json_array();
	for (int k = 0; k < OUTCOMES; k++)
		json_array_append_new(choices, json_pack("{ss ss sb}", "value", outcomes[k], "label", outcome_labels[k],
							 "checked", strcmp(o, outcomes[k]) == 0));
	json_t *j = json_pack("{sI ss sI ss ss ss ss ss ss ss sb so}", "id", (json_int_t)db_col_int(st, 0), "kind",
			      db_col_text(st, 1), "item_id", (json_int_t)db_col_int(st, 2), "outcome", o, "outcome_label",
			      outcome_label(o), "note", db_col_text(st, 4), "started", day_of(a, db_col_text(st, 5)),
			      "ask_on", day_of(a, db_col_text(st, 6)), "item_title", db_col_text(st, 7), "item_school",
			      db_col_text(st, 8), "answered", *o != 0, "outcome_choices", choices);
	json_object_set_new(j, "item_url", json_sprintf("/networks/%s/%s/%lld", c->slug, segment_of(db_col_text(st, 1)),
							(long long)db_col_int(st, 2)));
	json_object_set_new(j, "url", json_sprintf("/networks/%s/tried/%lld", c->slug, (long long)db_col_int(st, 0)));
	return j;
}

int practice_tried_get(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t tid, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_TRIED_ONE);
	if (!st || db_bind_int(st, 1, tid) || db_bind_int(st, 2, c->network_id) || db_bind_int(st, 3, c->acc.person_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = json_pack("{sO so sI}", "network", c->network, "tried", tried_json(st, a, c), "note_max",
				 (json_int_t)PRACTICE_TRIED_NOTE_MAX);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_NOTFOUND;
}

int practice_tried_list(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_TRIED_LIST);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->acc.person_id))
		return ERR_DB;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(list, tried_json(st, a, c));
	db_reset(st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{sO so sb sI sb}", "network", c->network, "tries", list, "empty", json_array_size(list) == 0,
			 "weeks", (json_int_t)practice_tried_weeks(db, c->network_id), "can_set_weeks",
			 c->acc.coordinator || c->acc.is_admin);
	return 0;
}

int practice_tried_answer(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t tid,
			  const char *outcome, const char *note, json_t *errors)
{
	json_t *cur = NULL;
	int rc = practice_tried_get(db, a, c, tid, &cur);
	if (rc)
		return rc;
	bool answered = json_is_true(json_object_get(json_object_get(cur, "tried"), "answered"));
	json_decref(cur);
	if (answered) {
		json_object_set_new(errors, "outcome", json_string("You have already said how it went: thank you."));
		return ERR_CONFLICT;
	}
	int k = 0;
	while (k < OUTCOMES && !(outcome && strcmp(outcome, outcomes[k]) == 0))
		k++;
	if (k == OUTCOMES)
		json_object_set_new(errors, "outcome",
				    json_string("Choose \"It worked\", \"It partly worked\" or \"It did not work\"."));
	size_t n = note ? strlen(note) : 0;
	if (n && utf8_len(note, n) > PRACTICE_TRIED_NOTE_MAX)
		json_object_set_new(errors, "note", json_sprintf("Shorten the note to %d characters or fewer.",
								 PRACTICE_TRIED_NOTE_MAX));
	else if (practice_text_has_upn(note))
		json_object_set_new(errors, "note", json_string("Remove the Unique Pupil Number (a letter and 12 digits): "
								"Tandem holds no pupil's personal data."));
	if (json_object_size(errors))
		return ERR_INVALID;
	struct db_stmt *st = db_stmt(db, &Q_TRIED_ANSWER);
	if (!st || db_bind_text(st, 1, outcomes[k]) || db_bind_text(st, 2, note ? note : "") ||
	    db_bind_text(st, 3, net_now_iso(a, clock_now())) || db_bind_int(st, 4, tid) ||
	    db_bind_int(st, 5, c->acc.person_id))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc >= 0 && db_changes(db) == 0) {
		json_object_set_new(errors, "outcome", json_string("You have already said how it went: thank you."));
		return ERR_CONFLICT;
	}
	return rc < 0 ? rc : 0;
}

int practice_tried_set_weeks(struct db *db, const struct practice_ctx *c, int64_t weeks, json_t *errors)
{
	if (!(c->acc.coordinator || c->acc.is_admin))
		return ERR_FORBIDDEN;
	if (weeks < 1 || weeks > 26) {
		json_object_set_new(errors, "weeks", json_string("Choose from 1 to 26 weeks."));
		return ERR_INVALID;
	}
	struct db_stmt *st = db_stmt(db, &Q_TRIED_SET_WEEKS);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, weeks))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int practice_tried_ask(struct db *db, struct arena *a, const char *base_url, int64_t now, int *sent)
{
	*sent = 0;
	struct db_stmt *st = db_stmt(db, &Q_TRIED_DUE);
	if (!st || db_bind_text(st, 1, net_now_iso(a, now)))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	int rc = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (jobs_stopping())
			break;
		int64_t tid = json_integer_value(json_object_get(r, "id"));
		const char *title = json_string_value(json_object_get(r, "title"));
		const char *what = strcmp(json_string_value(json_object_get(r, "kind")), "idea") == 0 ? "the idea" :
				   strcmp(json_string_value(json_object_get(r, "kind")), "article") == 0 ? "the article" :
													  "the case study";
		const char *body = arena_printf(
			a,
			"Hello %s,\n\nOn %s you said you were trying %s \"%s\". How did it go? Tell its author in a "
			"minute (it worked, it partly worked, or it did not work, with a note): what did not work is as "
			"useful to them as what did.\n\n%s/networks/%s/tried/%lld\n",
			json_string_value(json_object_get(r, "name")), day_of(a, json_string_value(json_object_get(r, "started_at"))),
			what, title, base_url ? base_url : "", json_string_value(json_object_get(r, "slug")), (long long)tid);
		if ((rc = db_begin(db)))
			break;
		rc = mail_queue(db, json_string_value(json_object_get(r, "email")), "How did it go? We tried this", body);
		st = rc ? NULL : db_stmt(db, &Q_TRIED_ASKED);
		if (!rc && (!st || db_bind_text(st, 1, net_now_iso(a, now)) || db_bind_int(st, 2, tid)))
			rc = ERR_DB;
		if (!rc) {
			rc = db_step(st);
			db_reset(st);
			rc = rc < 0 ? rc : 0;
		}
		if (!rc)
			rc = db_commit(db);
		if (rc) {
			db_rollback(db);
			break;
		}
		(*sent)++;
	}
	json_decref(rows);
	return rc;
}

json_t *practice_tried_export(struct db *db, int64_t person_id)
{
	struct db_stmt *st = db_stmt(db, &Q_TRIED_EXPORT);
	if (!st || db_bind_int(st, 1, person_id))
		return json_array();
	json_t *rows = db_rows_json(st);
	return rows ? rows : json_array();
}

/* One pass of the job: queue the "how did it go" emails that are due. */
static int tried_run(struct db *db, const struct config *config, int64_t now)
{
	struct arena *a = arena_new();
	int sent = 0;
	int rc = practice_tried_ask(db, a, config->base_url, now, &sent);
	if (rc == 0 && sent)
		log_info("practice: asked %d %s how trying it went", sent, sent == 1 ? "person" : "people");
	arena_free(a);
	return rc;
}

const struct job practice_tried_job = {
	.name = "practice: we tried this",
	.run = tried_run,
	.min_interval = 600,
};
