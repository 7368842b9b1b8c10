// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — shared practice's rules and all its SQL: the ideas of a
 * network, their reactions, widening to the network with the school lead's
 * approval, narrowing again, and the part of "download my data". Every idea
 * read goes through load_kind and practice_can_see (policy.c): a page of the
 * board walks the network's ideas newest first from its cursor and keeps the
 * first 30 the person may see, so the board, an idea's page, its JSON and the
 * moderation list cannot disagree.
 */
#include "app/practice/model.h"
#include "app/practice/practice.h"
#include "app/practice/casestudy.h"

#include <string.h>

#include "app/networks/net.h"
#include "app/practice/markdown.h"
#include "app/practice/search.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

#define IDEA_COLUMNS                                                                                      \
	"SELECT i.id, i.urn, COALESCE(i.author_id, 0), i.body, i.visibility, COALESCE(i.requested, ''), " \
	"i.created_at, t.name, COALESCE(p.name, 'A former member'), COALESCE(s.name, '') "                \
	"FROM practice_idea i JOIN network_theme t ON t.id = i.theme_id "                                 \
	"LEFT JOIN person p ON p.id = i.author_id LEFT JOIN school s ON s.urn = i.urn "

DB_QUERY(Q_IDEAS, IDEA_COLUMNS "WHERE i.network_id = ? ORDER BY i.created_at DESC, i.id DESC");
/* The board's older pages: the ideas posted before the one at (created_at, id), newest first. */
DB_QUERY(Q_IDEAS_OLDER, IDEA_COLUMNS "WHERE i.network_id = ? AND (i.created_at, i.id) < (?, ?) "
				     "ORDER BY i.created_at DESC, i.id DESC");
/* The board's newer pages: the ideas posted after the one at (created_at, id), oldest first. */
DB_QUERY(Q_IDEAS_NEWER, IDEA_COLUMNS "WHERE i.network_id = ? AND (i.created_at, i.id) > (?, ?) "
				     "ORDER BY i.created_at ASC, i.id ASC");
DB_QUERY(Q_IDEA, IDEA_COLUMNS "WHERE i.network_id = ? AND i.id = ?");
/* One idea of the network by the person at a school other than the one given (-1: any school). */
DB_QUERY(Q_AUTHORED_ELSEWHERE,
	 "SELECT 1 FROM practice_idea WHERE author_id = ? AND network_id = ? AND urn <> ? LIMIT 1");
/* The person's reactions to the ideas with ids in a range (a page of the board). */
DB_QUERY(Q_REACTIONS_MINE,
	 "SELECT idea_id, kind FROM practice_reaction WHERE person_id = ? AND idea_id BETWEEN ? AND ?");
/* The reaction counts of one idea (its page, or one idea on a page of the board). */
DB_QUERY(Q_REACTIONS_ONE,
	 "SELECT r.idea_id, r.kind, COUNT(*), SUM(CASE WHEN r.person_id = ? THEN 1 ELSE 0 END) "
	 "FROM practice_reaction r JOIN practice_idea i ON i.id = r.idea_id "
	 "WHERE i.network_id = ? AND r.idea_id = ? GROUP BY r.idea_id, r.kind");
DB_QUERY(Q_IDEA_ADD, "INSERT INTO practice_idea (network_id, urn, author_id, theme_id, body, visibility, created_at) "
		     "VALUES (?, ?, ?, ?, ?, 'school', ?)");
DB_QUERY(Q_REACT, "INSERT INTO practice_reaction (idea_id, person_id, kind, created_at) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_SET_VIS, "UPDATE practice_idea SET visibility = ?, requested = NULLIF(?, '') WHERE id = ? AND network_id = ?");
#define ARTICLE_COLUMNS                                                                                   \
	"SELECT i.id, i.urn, COALESCE(i.author_id, 0), i.title, i.visibility, COALESCE(i.requested, ''), " \
	"i.created_at, t.name, COALESCE(p.name, 'A former member'), COALESCE(s.name, ''), i.body "        \
	"FROM practice_article i JOIN network_theme t ON t.id = i.theme_id "                              \
	"LEFT JOIN person p ON p.id = i.author_id LEFT JOIN school s ON s.urn = i.urn "

DB_QUERY(Q_ARTICLES, ARTICLE_COLUMNS "WHERE i.network_id = ? ORDER BY i.created_at DESC, i.id DESC");
DB_QUERY(Q_ARTICLE, ARTICLE_COLUMNS "WHERE i.network_id = ? AND i.id = ?");
DB_QUERY(Q_ARTICLE_ADD,
	 "INSERT INTO practice_article (network_id, urn, author_id, theme_id, title, body, visibility, created_at) "
	 "VALUES (?, ?, ?, ?, ?, ?, 'school', ?)");
DB_QUERY(Q_ARTICLE_SET_VIS,
	 "UPDATE practice_article SET visibility = ?, requested = NULLIF(?, '') WHERE id = ? AND network_id = ?");
DB_QUERY(Q_EXPORT_ARTICLES,
	 "SELECT i.id, n.slug AS network, t.name AS theme, i.title, i.body, i.visibility, i.created_at "
	 "FROM practice_article i JOIN network n ON n.id = i.network_id JOIN network_theme t ON t.id = i.theme_id "
	 "WHERE i.author_id = ? ORDER BY i.id");
DB_QUERY(Q_EXPORT_IDEAS,
	 "SELECT i.id, n.slug AS network, t.name AS theme, i.body, i.visibility, i.created_at "
	 "FROM practice_idea i JOIN network n ON n.id = i.network_id JOIN network_theme t ON t.id = i.theme_id "
	 "WHERE i.author_id = ? ORDER BY i.id");
DB_QUERY(Q_EXPORT_REACTIONS, "SELECT idea_id, kind, created_at FROM practice_reaction WHERE person_id = ? "
			     "ORDER BY idea_id, kind");

/* The reactions people can give, their labels and the past tense shown once given. */
static const char *const kinds[] = {"try", "tried", "thanks"};
static const char *const kind_labels[] = {"I'll try this", "Tried it", "Thanks"};
#define KINDS 3

/* One idea as read, its facts for the policy and its JSON. */
struct idea_row {
	int64_t id;                /* practice_idea.id */
	struct practice_item item; /* the facts for policy.c */
	json_t *json;              /* {id, text, theme, author, school, visibility, …} (owned) */
	const char *created_at;    /* UTC text (arena) */
};

int practice_open(struct db *db, struct arena *a, const struct user *u, const char *slug, struct practice_ctx *c)
{
	memset(c, 0, sizeof(*c));
	struct network net;
	struct net_access na;
	int rc = net_open(db, a, u, slug, &net, &na);
	if (rc)
		return rc;
	if (!policy_network_read(&na))
		return net_deny(&na);
	c->network_id = net.id;
	c->slug = net.slug;
	c->name = net.name;
	c->network = net_json(&net);
	c->nacc = na;
	c->acc = (struct practice_access){.person_id = na.person_id, .school_urn = na.school_urn, .role = na.role,
					  .is_admin = na.is_admin, .school_member = na.school_member,
					  .coordinator = na.coordinator};
	if ((rc = practice_partners_in(db, a, c->acc.school_urn, net.id, &c->acc)))
		practice_close(c);
	return rc;
}

int practice_widen_refusal(const struct practice_access *a, const struct practice_item *i, enum practice_vis to)
{
	if (!i || i->author_id <= 0 || i->author_id != a->person_id)
		return ERR_FORBIDDEN;
	if (practice_widening_asked(i) || to <= i->vis)
		return ERR_CONFLICT;
	return ERR_INVALID;
}

/* What each level is called where a person chooses it, and who sees it. */
static const char *const vis_labels[PRACTICE_VIS__MAX] = {"its school only", "its school and its partner schools",
							   "the whole network", "everyone"};

void practice_vis_json(json_t *o, const struct practice_access *a, const struct practice_item *i)
{
	enum practice_vis v = i->vis < PRACTICE_VIS__MAX ? i->vis : PRACTICE_VIS_SCHOOL;
	json_object_set_new(o, "visibility", json_string(practice_vis_name(v)));
	json_object_set_new(o, "visibility_label", json_string(vis_labels[v]));
	json_object_set_new(o, "is_school_only", json_boolean(v == PRACTICE_VIS_SCHOOL));
	json_object_set_new(o, "is_partnership", json_boolean(v == PRACTICE_VIS_PARTNERSHIP));
	json_object_set_new(o, "is_public", json_boolean(v == PRACTICE_VIS_PUBLIC));
	if (practice_widening_asked(i) && i->requested < PRACTICE_VIS__MAX) {
		json_object_set_new(o, "requested", json_string(practice_vis_name(i->requested)));
		json_object_set_new(o, "requested_label", json_string(i->requested == PRACTICE_VIS_PARTNERSHIP
									    ? "the partner schools"
									    : "the network"));
	}
	bool partnership = practice_can_request_widening(a, i, PRACTICE_VIS_PARTNERSHIP);
	bool network = practice_can_request_widening(a, i, PRACTICE_VIS_NETWORK);
	json_object_set_new(o, "can_widen_partnership", json_boolean(partnership));
	json_object_set_new(o, "can_widen_network", json_boolean(network));
	json_object_set_new(o, "can_narrow_school", json_boolean(practice_can_narrow(a, i, PRACTICE_VIS_SCHOOL)));
	json_object_set_new(o, "can_narrow_partnership",
			    json_boolean(practice_can_narrow(a, i, PRACTICE_VIS_PARTNERSHIP)));
}

const char *practice_change_refusal(int rc)
{
	if (rc == ERR_CONFLICT)
		return "You have already asked for this to be shared more widely, or it is shared that widely "
		       "already: wait for your lead's answer, or narrow it first to ask again.";
	return "Nothing was changed. A draft case study must be finished first (check it, say what did not work and "
	       "save it); sharing with partner schools needs a partnership of your school in this network that is "
	       "forming or active.";
}

enum practice_vis practice_vis_param(const char *s, enum practice_vis dflt)
{
	enum practice_vis v = dflt;
	return s && *s && practice_vis_parse(s, &v) == 0 ? v : dflt;
}

void practice_close(struct practice_ctx *c)
{
	json_decref(c->network);
	c->network = NULL;
}

/* Read the row st is on (an idea or an article, kind) into r (JSON with the person's possible actions). */
static void row_read_kind(struct db_stmt *st, struct arena *a, const struct practice_ctx *c, enum practice_kind kind,
			  struct idea_row *r)
{
	r->id = db_col_int(st, 0);
	r->item = practice_item_of(db_col_int(st, 2), db_col_int(st, 1), db_col_text(st, 4), db_col_text(st, 5), false,
				   false);
	enum practice_vis vis = r->item.vis;
	r->created_at = arena_strdup(a, db_col_text(st, 6));
	int64_t t = 0;
	char day[40] = "";
	if (clock_parse_iso(r->created_at, &t) == 0)
		clock_format_day(t, true, day, sizeof(day));
	r->json = json_pack("{sI sI ss ss ss ss ss ss ss sb sb sb sb sb sb}", "id", (json_int_t)r->id, "urn",
			    (json_int_t)r->item.urn, kind == PRACTICE_IDEA ? "text" : "title", db_col_text(st, 3), "theme", db_col_text(st, 7), "author",
			    db_col_text(st, 8), "school", db_col_text(st, 9), "visibility", practice_vis_name(vis),
			    "posted", day, "posted_at", r->created_at, "widening_requested",
			    practice_widening_asked(&r->item), "is_network", vis == PRACTICE_VIS_NETWORK, "can_react",
			    practice_can_react(&c->acc, &r->item), "can_widen",
			    practice_can_request_widening(&c->acc, &r->item, PRACTICE_VIS_NETWORK), "can_narrow",
			    practice_can_narrow(&c->acc, &r->item, PRACTICE_VIS_SCHOOL), "can_decide",
			    practice_can_decide_widening(&c->acc, &r->item));
	practice_vis_json(r->json, &c->acc, &r->item);
	json_object_set_new(r->json, "url", json_sprintf("/networks/%s/%s/%lld", c->slug, kind == PRACTICE_IDEA ? "ideas" : "articles", (long long)r->id));
	json_object_set_new(r->json, "kind", json_string(kind == PRACTICE_IDEA ? "idea" : "article"));
	json_object_set_new(r->json, "can_try", json_boolean(practice_can_try(&c->acc, &r->item)));
}

/* Read the idea row st is on into r. */
static void row_read(struct db_stmt *st, struct arena *a, const struct practice_ctx *c, struct idea_row *r)
{
	row_read_kind(st, a, c, PRACTICE_IDEA, r);
}

/* The reaction counts of one idea, as {id: {kind: [count, mine]}} (new reference). */
static int reactions(struct db *db, const struct practice_ctx *c, int64_t idea, json_t **out)
{
	*out = json_object();
	struct db_stmt *st = db_stmt(db, &Q_REACTIONS_ONE);
	if (!st || db_bind_int(st, 1, c->acc.person_id) || db_bind_int(st, 2, c->network_id) ||
	    db_bind_int(st, 3, idea))
		return ERR_DB;
	int rc;
	char key[32];
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
		json_t *per = json_object_get(*out, key);
		if (!per) {
			per = json_object();
			json_object_set_new(*out, key, per);
		}
		json_object_set_new(per, db_col_text(st, 1),
				    json_pack("[II]", (json_int_t)db_col_int(st, 2), (json_int_t)db_col_int(st, 3)));
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Add the reaction buttons and counts of idea r from all (reactions()). */
static void add_reactions(struct idea_row *r, json_t *all)
{
	char key[32];
	snprintf(key, sizeof(key), "%lld", (long long)r->id);
	json_t *per = json_object_get(all, key);
	json_t *list = json_array();
	for (int k = 0; k < KINDS; k++) {
		json_t *v = json_object_get(per, kinds[k]);
		json_int_t n = json_integer_value(json_array_get(v, 0));
		json_array_append_new(list, json_pack("{ss ss sI sb}", "kind", kinds[k], "label", kind_labels[k],
						      "count", n, "mine", json_integer_value(json_array_get(v, 1)) > 0));
	}
	json_object_set_new(r->json, "reactions", list);
}

/*
 * Load item id (kind) of the network: 0, ERR_NOTFOUND when there is none or
 * the person may not see it. Every read of one item comes through here.
 */
static int load_kind(struct db *db, struct arena *a, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		     struct idea_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_stmt(db, kind == PRACTICE_IDEA ? &Q_IDEA : &Q_ARTICLE);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	row_read_kind(st, a, c, kind, r);
	if (kind == PRACTICE_ARTICLE)
		json_object_set_new(r->json, "body", json_string(db_col_text(st, 10)));
	db_reset(st);
	if (!practice_can_see(&c->acc, &r->item)) {
		json_decref(r->json);
		r->json = NULL;
		return ERR_NOTFOUND;
	}
	return 0;
}

/* Load idea id: see load_kind. */
static int load_item(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, struct idea_row *r)
{
	return load_kind(db, a, c, PRACTICE_IDEA, id, r);
}

/* Monday 00:00 UTC of the week t falls in, as stored text. */
static const char *week_start(struct arena *a, int64_t t)
{
	int64_t days = t / 86400;
	int64_t since_monday = (days + 3) % 7; /* 1 January 1970 was a Thursday */
	return net_now_iso(a, (days - since_monday) * 86400);
}

/* The board's link to the page of ideas at cursor (before or after idea id), numbered from `from`. */
static json_t *board_link(const struct practice_ctx *c, int64_t urn, const char *cursor, int64_t id, int64_t from)
{
	char school[40] = "";
	if (urn > 0)
		snprintf(school, sizeof(school), "urn=%lld&", (long long)urn);
	if (!cursor)
		return urn > 0 ? json_sprintf("/networks/%s/ideas?urn=%lld", c->slug, (long long)urn)
			       : json_sprintf("/networks/%s/ideas", c->slug);
	return json_sprintf("/networks/%s/ideas?%s%s=%lld&from=%lld", c->slug, school, cursor, (long long)id,
			    (long long)from);
}

/*
 * Walk the ideas st gives (its cursor bound) and keep in page, in the order
 * read, the first PRACTICE_BOARD_PAGE the person may see (of school urn when
 * urn > 0), with their reaction counts: only those ideas' JSON and counts are
 * built. *more: whether one more visible idea follows.
 */
static int board_walk(struct db *db, struct arena *a, const struct practice_ctx *c, struct db_stmt *st, int64_t urn,
		      json_t *page, bool *more)
{
	*more = false;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct practice_item item = practice_item_of(db_col_int(st, 2), db_col_int(st, 1), db_col_text(st, 4),
							     db_col_text(st, 5), false, false);
		if (!practice_can_see(&c->acc, &item) || (urn > 0 && item.urn != urn))
			continue;
		if (json_array_size(page) == PRACTICE_BOARD_PAGE) {
			*more = true;
			break;
		}
		struct idea_row r;
		row_read(st, a, c, &r);
		json_array_append_new(page, r.json);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < json_array_size(page); k++) {
		json_t *o = json_array_get(page, k);
		struct idea_row r = {.id = json_integer_value(json_object_get(o, "id")), .json = o};
		json_t *counts = NULL;
		rc = reactions(db, c, r.id, &counts);
		if (!rc)
			add_reactions(&r, counts);
		json_decref(counts);
		if (rc)
			return rc;
	}
	return 0;
}

/* Walk the board from the top (at NULL) or from idea at in direction q: see board_walk. */
static int board_read(struct db *db, struct arena *a, const struct practice_ctx *c, const struct db_query *q,
		      const struct idea_row *at, int64_t urn, json_t *page, bool *more)
{
	struct db_stmt *st = db_stmt(db, q);
	if (!st || db_bind_int(st, 1, c->network_id) ||
	    (at && (db_bind_text(st, 2, at->created_at) || db_bind_int(st, 3, at->id))))
		return ERR_DB;
	return board_walk(db, a, c, st, urn, page, more);
}

int practice_board(struct db *db, struct arena *a, const struct practice_ctx *c, const struct practice_board_at *at,
		   json_t **out)
{
	*out = NULL;
	int64_t urn = at->urn, from = at->from > 0 ? at->from : 1;
	int64_t cursor = at->before > 0 ? at->before : at->after;
	struct idea_row edge = {0};
	int rc = 0;
	if (cursor > 0) {
		/* The cursor is an idea the person sees on this board; any other is a page that does not exist. */
		rc = load_item(db, a, c, cursor, &edge);
		json_decref(edge.json);
		edge.json = NULL;
		if (rc == ERR_NOTFOUND || (!rc && urn > 0 && edge.item.urn != urn))
			return ERR_INVALID;
		if (rc)
			return rc;
	}
	json_t *page = json_array();
	bool more = false, newer = false, older = false;
	if (at->after > 0) {
		rc = board_read(db, a, c, &Q_IDEAS_NEWER, &edge, urn, page, &more);
		if (!rc && !more) {
			/* Nothing newer than this page: it is the first page, full as a person expects. */
			json_array_clear(page);
			from = 1;
			rc = board_read(db, a, c, &Q_IDEAS, NULL, urn, page, &older);
		} else if (!rc) {
			json_t *rev = json_array();
			for (size_t k = json_array_size(page); k-- > 0;)
				json_array_append(rev, json_array_get(page, k));
			json_decref(page);
			page = rev;
			newer = older = true;
			from = from > PRACTICE_BOARD_PAGE ? from : PRACTICE_BOARD_PAGE + 1;
			from -= PRACTICE_BOARD_PAGE;
		}
	} else {
		rc = board_read(db, a, c, cursor > 0 ? &Q_IDEAS_OLDER : &Q_IDEAS, cursor > 0 ? &edge : NULL, urn, page,
				&older);
		newer = cursor > 0;
		if (!newer)
			from = 1;
	}
	if (rc) {
		json_decref(page);
		return rc;
	}
	const char *monday = week_start(a, clock_now());
	json_t *week = json_array(), *earlier = json_array();
	const char *school = NULL;
	size_t n = json_array_size(page);
	for (size_t k = 0; k < n; k++) {
		json_t *o = json_array_get(page, k);
		if (urn > 0 && !school)
			school = arena_strdup(a, json_string_value(json_object_get(o, "school")));
		const char *posted = json_string_value(json_object_get(o, "posted_at"));
		json_array_append(posted && strcmp(posted, monday) >= 0 ? week : earlier, o);
	}
	int64_t first = n ? json_integer_value(json_object_get(json_array_get(page, 0), "id")) : 0;
	int64_t last = n ? json_integer_value(json_object_get(json_array_get(page, n - 1), "id")) : 0;
	json_decref(page);
	json_t *themes = net_theme_names(db, c->network_id);
	*out = json_pack("{sO so so so sb sb sI sb}", "network", c->network, "ideas_this_week", week, "ideas_earlier",
			 earlier, "themes", themes, "can_post", practice_can_post(&c->acc), "can_moderate",
			 practice_can_moderate(&c->acc, c->acc.school_urn), "urn", (json_int_t)urn, "empty",
			 n == 0 && !newer);
	json_object_set_new(*out, "max", json_integer(PRACTICE_IDEA_MAX));
	json_object_set_new(*out, "has_earlier", json_boolean(json_array_size(earlier) > 0));
	json_object_set_new(*out, "staffroom", json_boolean(urn > 0));
	json_object_set_new(*out, "first_page", json_boolean(!newer));
	json_object_set_new(*out, "show_week", json_boolean(!newer || json_array_size(week) > 0));
	json_object_set_new(*out, "page_size", json_integer(PRACTICE_BOARD_PAGE));
	json_object_set_new(*out, "from", json_integer(n ? from : 0));
	json_object_set_new(*out, "to", json_integer(n ? from + (int64_t)n - 1 : 0));
	json_object_set_new(*out, "shown", json_integer((json_int_t)n));
	json_object_set_new(*out, "has_older", json_boolean(older));
	json_object_set_new(*out, "has_newer", json_boolean(newer));
	/* The total is known on the last page only: counting every idea the person sees would read them all. */
	if (!older)
		json_object_set_new(*out, "total", json_integer(n ? from + (int64_t)n - 1 : 0));
	json_object_set_new(*out, "next", older ? board_link(c, urn, "before", last, from + (int64_t)n) : json_null());
	json_object_set_new(*out, "before", older ? json_integer(last) : json_null());
	json_object_set_new(*out, "prev", newer ? board_link(c, urn, "after", first, from) : json_null());
	json_object_set_new(*out, "after", newer ? json_integer(first) : json_null());
	json_object_set_new(*out, "newest", board_link(c, urn, NULL, 0, 1));
	if (urn > 0)
		json_object_set_new(*out, "school", json_string(school ? school : ""));
	return 0;
}

int practice_authored_elsewhere(struct db *db, const struct practice_ctx *c, bool *out)
{
	*out = false;
	if (c->acc.person_id <= 0)
		return 0;
	/* Colleagues see their own school's ideas: an idea written there adds nothing as its author. */
	int64_t own = c->acc.school_urn > 0 && c->acc.role != SCHOOL_ROLE_NONE ? c->acc.school_urn : -1;
	struct db_stmt *st = db_stmt(db, &Q_AUTHORED_ELSEWHERE);
	if (!st || db_bind_int(st, 1, c->acc.person_id) || db_bind_int(st, 2, c->network_id) ||
	    db_bind_int(st, 3, own))
		return ERR_DB;
	int rc = db_step(st);
	*out = rc == DB_ROW;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int practice_reactions_mine(struct db *db, const struct practice_ctx *c, int64_t lo, int64_t hi, json_t **out)
{
	*out = json_object();
	if (c->acc.person_id <= 0 || lo > hi)
		return 0;
	struct db_stmt *st = db_stmt(db, &Q_REACTIONS_MINE);
	if (!st || db_bind_int(st, 1, c->acc.person_id) || db_bind_int(st, 2, lo) || db_bind_int(st, 3, hi))
		return ERR_DB;
	int rc;
	char key[64];
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(key, sizeof(key), "%lld-%s", (long long)db_col_int(st, 0), db_col_text(st, 1));
		json_object_set_new(*out, key, json_true());
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int practice_idea(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out)
{
	*out = NULL;
	struct idea_row r;
	int rc = load_item(db, a, c, id, &r);
	if (rc)
		return rc;
	json_t *all = NULL;
	if ((rc = reactions(db, c, id, &all))) {
		json_decref(all);
		json_decref(r.json);
		return rc;
	}
	add_reactions(&r, all);
	json_decref(all);
	*out = json_pack("{sO so}", "network", c->network, "idea", r.json);
	return 0;
}

int practice_idea_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *theme,
		      const char *text, json_t *errors, int64_t *id)
{
	if (!practice_can_post(&c->acc))
		return ERR_FORBIDDEN;
	size_t n = text ? strlen(text) : 0;
	if (n == 0)
		json_object_set_new(errors, "text", json_string("Write your idea."));
	else if (utf8_len(text, n) > PRACTICE_IDEA_MAX)
		json_object_set_new(errors, "text", json_sprintf("Shorten your idea to %d characters or fewer.",
								 PRACTICE_IDEA_MAX));
	else if (practice_text_has_upn(text))
		json_object_set_new(errors, "text",
				    json_string("Remove the Unique Pupil Number (a letter and 12 digits): Tandem "
						"holds no pupil's personal data."));
	int64_t theme_id = 0;
	int rc = theme && *theme ? net_theme_find(db, c->network_id, theme, &theme_id) : ERR_NOTFOUND;
	if (rc == ERR_NOTFOUND)
		json_object_set_new(errors, "theme", json_string("Choose one of the network's themes."));
	else if (rc)
		return rc;
	if (json_object_size(errors))
		return ERR_INVALID;
	const char *now = net_now_iso(a, clock_now());
	struct db_stmt *st = db_stmt(db, &Q_IDEA_ADD);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->acc.school_urn) ||
	    db_bind_int(st, 3, c->acc.person_id) || db_bind_int(st, 4, theme_id) || db_bind_text(st, 5, text) ||
	    db_bind_text(st, 6, now))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	*id = db_last_id(db);
	return practice_index_put(db, &(struct practice_doc_in){.kind = "idea", .item_id = *id,
								 .network_id = c->network_id, .urn = c->acc.school_urn,
								 .author_id = c->acc.person_id, .themes = theme,
								 .title = "", .body = text, .created_at = now});
}

int practice_react(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, const char *kind,
		   json_t *errors)
{
	struct idea_row r;
	int rc = load_item(db, a, c, id, &r);
	if (rc)
		return rc;
	json_decref(r.json);
	if (!practice_can_react(&c->acc, &r.item))
		return ERR_NOTFOUND;
	int k = 0;
	while (k < KINDS && !(kind && strcmp(kind, kinds[k]) == 0))
		k++;
	if (k == KINDS) {
		json_object_set_new(errors, "kind", json_string("Choose \"I'll try this\", \"Tried it\" or \"Thanks\"."));
		return ERR_INVALID;
	}
	struct db_stmt *st = db_stmt(db, &Q_REACT);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, c->acc.person_id) || db_bind_text(st, 3, kinds[k]) ||
	    db_bind_text(st, 4, net_now_iso(a, clock_now())))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc == ERR_CONFLICT) {
		json_object_set_new(errors, "kind",
				    json_sprintf("You have already said \"%s\" to this idea: once is enough.",
						 kind_labels[k]));
		return ERR_CONFLICT;
	}
	return rc < 0 ? rc : 0;
}

/* Store the visibility vis and the level requested (vis itself: none) of item id (kind). */
static int set_vis(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		   enum practice_vis vis, enum practice_vis asked)
{
	const char *requested = asked > vis ? practice_vis_name(asked) : NULL;
	struct db_stmt *st = db_stmt(db, kind == PRACTICE_IDEA ? &Q_SET_VIS : &Q_ARTICLE_SET_VIS);
	if (!st || db_bind_text(st, 1, practice_vis_name(vis)) || db_bind_text(st, 2, requested ? requested : "") ||
	    db_bind_int(st, 3, id) || db_bind_int(st, 4, c->network_id))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	return practice_index_vis(db, kind == PRACTICE_IDEA ? "idea" : "article", id, practice_vis_name(vis), requested);
}

/* Load item id (kind) for a change: its facts, or the refusal (ERR_NOTFOUND when unseen). */
static int load_facts(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		      struct practice_item *item)
{
	struct arena *a = arena_new();
	struct idea_row r;
	int rc = load_kind(db, a, c, kind, id, &r);
	if (!rc) {
		*item = r.item;
		json_decref(r.json);
	}
	arena_free(a);
	return rc;
}

int practice_widen(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		   enum practice_vis to)
{
	struct practice_item item;
	int rc = load_facts(db, c, kind, id, &item);
	if (rc)
		return rc;
	if (!practice_can_request_widening(&c->acc, &item, to))
		return practice_widen_refusal(&c->acc, &item, to);
	return set_vis(db, c, kind, id, item.vis, to);
}

int practice_decide(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id, bool approve)
{
	struct practice_item item;
	int rc = load_facts(db, c, kind, id, &item);
	if (rc)
		return rc;
	if (!practice_can_decide_widening(&c->acc, &item))
		return ERR_FORBIDDEN;
	enum practice_vis vis = approve ? item.requested : item.vis;
	return set_vis(db, c, kind, id, vis, vis);
}

int practice_narrow(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		    enum practice_vis to)
{
	struct practice_item item;
	int rc = load_facts(db, c, kind, id, &item);
	if (rc)
		return rc;
	if (!practice_can_narrow(&c->acc, &item, to))
		return item.author_id == c->acc.person_id && to >= item.vis ? ERR_CONFLICT : ERR_FORBIDDEN;
	return set_vis(db, c, kind, id, to, to);
}

/* Append to out the items (kind) of the network that pass keep (the visibility check first). */
static int collect(struct db *db, struct arena *a, const struct practice_ctx *c, enum practice_kind kind,
		   bool (*keep)(const struct practice_access *, const struct practice_item *), json_t *out)
{
	struct db_stmt *st = db_stmt(db, kind == PRACTICE_IDEA ? &Q_IDEAS : &Q_ARTICLES);
	if (!st || db_bind_int(st, 1, c->network_id))
		return ERR_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct idea_row r;
		row_read_kind(st, a, c, kind, &r);
		if (practice_can_see(&c->acc, &r.item) && (!keep || keep(&c->acc, &r.item)))
			json_array_append_new(out, r.json);
		else
			json_decref(r.json);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int practice_moderation(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out)
{
	*out = NULL;
	if (!practice_can_moderate(&c->acc, c->acc.school_urn))
		return ERR_FORBIDDEN;
	json_t *waiting = json_array();
	int rc = collect(db, a, c, PRACTICE_IDEA, practice_can_decide_widening, waiting);
	if (!rc)
		rc = collect(db, a, c, PRACTICE_ARTICLE, practice_can_decide_widening, waiting);
	if (!rc)
		rc = practice_case_waiting(db, a, c, waiting);
	if (rc) {
		json_decref(waiting);
		return rc;
	}
	*out = json_pack("{sO so sb}", "network", c->network, "waiting", waiting, "empty", json_array_size(waiting) == 0);
	return 0;
}

int practice_articles(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out)
{
	*out = NULL;
	json_t *list = json_array();
	int rc = collect(db, a, c, PRACTICE_ARTICLE, NULL, list);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{sO so so sb sb sI sI}", "network", c->network, "articles", list, "themes",
			 net_theme_names(db, c->network_id), "can_post", practice_can_post(&c->acc), "empty",
			 json_array_size(list) == 0, "max", (json_int_t)PRACTICE_ARTICLE_MAX, "title_max",
			 (json_int_t)PRACTICE_TITLE_MAX);
	return 0;
}

int practice_article(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out)
{
	*out = NULL;
	struct idea_row r;
	int rc = load_kind(db, a, c, PRACTICE_ARTICLE, id, &r);
	if (rc)
		return rc;
	struct buf html;
	buf_init(&html);
	if (practice_md_html(json_string_value(json_object_get(r.json, "body")), &html))
		buf_puts(&html, "<p>This article cannot be shown: its author needs to change a link or remove HTML.</p>");
	json_object_set_new(r.json, "body_html", json_string(buf_str(&html)));
	buf_free(&html);
	*out = json_pack("{sO so}", "network", c->network, "article", r.json);
	return 0;
}

int practice_article_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *theme,
			 const char *title, const char *body, json_t *errors, int64_t *id)
{
	if (!practice_can_post(&c->acc))
		return ERR_FORBIDDEN;
	size_t tn = title ? strlen(title) : 0, bn = body ? strlen(body) : 0;
	if (tn == 0)
		json_object_set_new(errors, "title", json_string("Give the article a title."));
	else if (utf8_len(title, tn) > PRACTICE_TITLE_MAX)
		json_object_set_new(errors, "title", json_sprintf("Shorten the title to %d characters or fewer.",
								  PRACTICE_TITLE_MAX));
	else if (practice_text_has_upn(title))
		json_object_set_new(errors, "title", json_string("Remove the Unique Pupil Number (a letter and 12 "
								 "digits): Tandem holds no pupil's personal data."));
	const char *why = NULL;
	if (bn == 0)
		json_object_set_new(errors, "body", json_string("Write the article."));
	else if (utf8_len(body, bn) > PRACTICE_ARTICLE_MAX)
		json_object_set_new(errors, "body", json_sprintf("Shorten the article to %d characters or fewer: it "
								 "fits on one page.", PRACTICE_ARTICLE_MAX));
	else if (practice_text_has_upn(body))
		json_object_set_new(errors, "body", json_string("Remove the Unique Pupil Number (a letter and 12 "
								"digits): Tandem holds no pupil's personal data."));
	else if (practice_md_check(body, &why))
		json_object_set_new(errors, "body", json_string(why));
	int64_t theme_id = 0;
	int rc = theme && *theme ? net_theme_find(db, c->network_id, theme, &theme_id) : ERR_NOTFOUND;
	if (rc == ERR_NOTFOUND)
		json_object_set_new(errors, "theme", json_string("Choose one of the network's themes."));
	else if (rc)
		return rc;
	if (json_object_size(errors))
		return ERR_INVALID;
	const char *now = net_now_iso(a, clock_now());
	struct db_stmt *st = db_stmt(db, &Q_ARTICLE_ADD);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->acc.school_urn) ||
	    db_bind_int(st, 3, c->acc.person_id) || db_bind_int(st, 4, theme_id) || db_bind_text(st, 5, title) ||
	    db_bind_text(st, 6, body) || db_bind_text(st, 7, now))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	*id = db_last_id(db);
	return practice_index_put(db, &(struct practice_doc_in){.kind = "article", .item_id = *id,
								 .network_id = c->network_id, .urn = c->acc.school_urn,
								 .author_id = c->acc.person_id, .themes = theme,
								 .title = title, .body = body, .created_at = now});
}

json_t *practice_export_person(struct db *db, int64_t person_id)
{
	json_t *out = json_object();
	struct db_stmt *st = db_stmt(db, &Q_EXPORT_IDEAS);
	if (st && db_bind_int(st, 1, person_id) == 0)
		json_object_set_new(out, "ideas", db_rows_json(st));
	st = db_stmt(db, &Q_EXPORT_ARTICLES);
	if (st && db_bind_int(st, 1, person_id) == 0)
		json_object_set_new(out, "articles", db_rows_json(st));
	st = db_stmt(db, &Q_EXPORT_REACTIONS);
	if (st && db_bind_int(st, 1, person_id) == 0)
		json_object_set_new(out, "reactions", db_rows_json(st));
	return out;
}
