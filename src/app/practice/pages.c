// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — shared practice's pages, each one URL in HTML and JSON: a
 * network's ideas board, 30 at a time (this week's first; ?urn= for one
 * school's staffroom), one idea, posting, reacting, asking to widen an idea to the
 * network, the lead's approval and the author's narrowing, one-page
 * articles in safe Markdown, and the leads'
 * moderation list. No SQL: the model (model.c) does the work and asks the
 * policy.
 */
#include "app/practice/practice.h"

#include <stdint.h>
#include <string.h>

#include "app/app.h"
#include "app/keep.h"
#include "app/networks/pages.h"
#include "app/page.h"
#include "app/practice/model.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "db/db.h"
#include "view/tmpl.h"

/* Open the page and the network: 0, or the answer already set (rc returned by the handler). */
static int open_network(struct request *req, struct response *res, struct page *pg, struct practice_ctx *c)
{
	int rc = page_open(req, res, PAGE_SIGNED_IN, pg);
	if (rc)
		return rc;
	if ((rc = practice_open(pg->db, pg->a, pg->u, req_path_str(req, "slug"), c)))
		return page_fail(pg, rc, NULL);
	return 0;
}

/* The board's model with its title, or NULL (the refusal already answered: *rc is what to return). */
static json_t *board_model(struct page *pg, const struct practice_ctx *c, const struct practice_board_at *at,
			   int *rc)
{
	json_t *m = NULL;
	*rc = practice_board(pg->db, pg->a, c, at, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, *rc == ERR_INVALID ? "That page of ideas does not exist (the idea it starts "
							      "from is not one you can see on this board): start "
							      "again from the newest ideas."
							    : NULL);
		return NULL;
	}
	const char *school = json_string_value(json_object_get(m, "school"));
	json_object_set_new(m, "title", school && *school ? json_sprintf("Ideas from %s", school)
							   : json_sprintf("Ideas: %s", c->name));
	return m;
}

/*
 * A page of the board as HTML is kept (keep.h) for BOARD_KEEP_TTL_US at
 * most, and only while nothing has changed since (db_data_generation: any
 * write by this process, any commit heard from another process or server),
 * so a new idea or reaction shows on the next page at once on the server
 * that took it. What is kept is the page's model with its ideas rendered
 * (practice/_board_ideas) in place of the ideas themselves: reading 30
 * ideas, their counts and rendering them is most of what the page costs
 * (bench/RESULTS.md, "Shared practice").
 *
 * One kept page serves everyone with the same view: the same school and
 * role in it, administrator or not, member school or not, coordinator or
 * not, and the same partner schools (the facts practice_can_see decides
 * on). Nothing personal is in it: the ideas are chosen with
 * practice_access.scope_only (no one's authorship counts), each reaction
 * is rendered both as "you said this" and as its button (tmpl_pick chooses
 * per request from the person's own reactions), and the buttons submit
 * the page's one reaction form, rendered afresh with the person's CSRF
 * token. A person who wrote an idea of the network at another school than
 * their own now sees it as its author: their page is their own (the key
 * then names them).
 */
#define BOARD_KEEP_TTL_US 5000000
/* Board pages asked for lately, one per view, page and week. */
static struct keep board_kept = KEEP_INIT("ideas board pages", 128, BOARD_KEEP_TTL_US);

void practice_shutdown(void)
{
	keep_clear(&board_kept);
}

/* tmpl_pick's chooser: "you said this" for the reactions ("ID-kind") in mine (a JSON object). */
static bool pick_mine(void *mine, const char *tag, size_t len)
{
	char key[64];
	if (len >= sizeof(key))
		return false;
	memcpy(key, tag, len);
	key[len] = '\0';
	return json_object_get(mine, key) != NULL;
}

/*
 * The kept page of the board for the view of c and at, or built, rendered
 * and kept now; NULL with *rc as board_model. own: the page is the
 * person's alone (see above).
 */
static json_t *kept_board_page(struct page *pg, const struct practice_ctx *c, const struct practice_board_at *at,
			       bool own, int *rc)
{
	const struct practice_access *acc = &c->acc;
	struct buf key = BUF_INIT;
	buf_printf(&key, "%lld|%s|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%d|%d|%d|%d|", (long long)c->network_id, c->slug,
		   (long long)at->urn, (long long)at->before, (long long)at->after,
		   (long long)(at->before > 0 || at->after > 0 ? at->from : 1),
		   (long long)(clock_now() / 86400 + 3) / 7, (long long)(own ? acc->person_id : 0),
		   (long long)acc->school_urn, (int)acc->role, acc->is_admin, acc->school_member, acc->coordinator);
	for (size_t k = 0; k < acc->n_partners; k++)
		buf_printf(&key, "%lld,", (long long)acc->partner_urns[k]);
	uint64_t gen = db_data_generation(pg->db); /* before reading: a change while we do shows next time */
	json_t *m = keep_get_json(&board_kept, buf_str(&key), gen);
	if (!m) {
		struct practice_ctx view = *c;
		view.acc.scope_only = !own;
		if ((m = board_model(pg, &view, at, rc))) {
			/* The page's ideas run from lo to hi: the person's own reactions are read in that range. */
			int64_t lo = INT64_MAX, hi = 0;
			const char *parts[] = {"ideas_this_week", "ideas_earlier"};
			for (size_t p = 0; p < 2; p++) {
				size_t i;
				json_t *o;
				json_array_foreach(json_object_get(m, parts[p]), i, o)
				{
					int64_t id = json_integer_value(json_object_get(o, "id"));
					lo = id < lo ? id : lo;
					hi = id > hi ? id : hi;
				}
			}
			json_object_set_new(m, "pick", json_true());
			struct buf html = BUF_INIT;
			if ((*rc = app_render(pg->req, "practice/_board_ideas", m, &html)) == 0) {
				json_object_del(m, "ideas_this_week");
				json_object_del(m, "ideas_earlier");
				json_object_del(m, "pick");
				json_object_set_new(m, "ideas_html",
						    json_stringn_nocheck(html.data ? html.data : "", html.len));
				json_object_set_new(m, "ids_lo", json_integer(lo));
				json_object_set_new(m, "ids_hi", json_integer(hi));
				keep_put_json(&board_kept, buf_str(&key), gen, m);
			} else {
				json_decref(m);
				m = NULL;
				*rc = page_fail(pg, *rc, NULL);
			}
			buf_free(&html);
		}
	}
	buf_free(&key);
	return m;
}

/*
 * The board's model for HTML: the kept page for the person's view (above),
 * with each reaction chosen for the person from their own reactions; NULL
 * with *rc as board_model.
 */
static json_t *kept_board(struct page *pg, const struct practice_ctx *c, const struct practice_board_at *at, int *rc)
{
	bool own = false;
	if ((*rc = practice_authored_elsewhere(pg->db, c, &own))) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_t *m = kept_board_page(pg, c, at, own, rc), *mine = NULL;
	if (!m)
		return NULL;
	if ((*rc = practice_reactions_mine(pg->db, c, json_integer_value(json_object_get(m, "ids_lo")),
					   json_integer_value(json_object_get(m, "ids_hi")), &mine))) {
		json_decref(m);
		json_decref(mine);
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	const char *html = json_string_value(json_object_get(m, "ideas_html"));
	struct buf out = BUF_INIT;
	tmpl_pick(&out, html ? html : "", html ? json_string_length(json_object_get(m, "ideas_html")) : 0, pick_mine,
		  mine);
	json_object_set_new(m, "ideas_html", json_stringn_nocheck(out.data ? out.data : "", out.len));
	json_object_del(m, "ids_lo");
	json_object_del(m, "ids_hi");
	buf_free(&out);
	json_decref(mine);
	return m;
}

/* GET /networks/{slug}/ideas parameters. */
static const struct param_spec board_params[] = {
	PARAM(.name = "urn", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "School"),
	PARAM(.name = "before", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Older ideas"),
	PARAM(.name = "after", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 2, .label = "Newer ideas"),
	PARAM(.name = "from", .type = PARAM_INT, .min = 1, .max = INT64_MAX / 4, .label = "Position"),
	PARAM_END,
};

/*
 * GET /networks/{slug}/ideas[?urn=N][&before=ID|&after=ID][&from=N]
 * The ideas board, a page of 30 at a time: the newest ideas the person may
 * see, this week's first, with reaction counts; `before` (`after`) the
 * idea the older (newer) page follows, as the page's next (prev) link
 * gives it; `urn` keeps one school's ideas (its staffroom). 400 for both
 * cursors at once, or one that is not an idea the person sees on this
 * board. People of the network's member schools, coordinators,
 * administrators.
 */
static int handle_practice_board(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	if (req_has(req, "before") && req_has(req, "after")) {
		practice_close(&c);
		return page_fail(&pg, ERR_INVALID, "Ask for older ideas (before) or newer ideas (after), not both.");
	}
	struct practice_board_at at = {.urn = req_int(req, "urn", 0), .before = req_int(req, "before", 0),
				       .after = req_int(req, "after", 0), .from = req_int(req, "from", 1)};
	json_t *m = req_wants_json(req) ? board_model(&pg, &c, &at, &rc) : kept_board(&pg, &c, &at, &rc);
	if (m)
		json_object_set_new(m, "menu", net_nav_can(&c.nacc)); /* never kept: the menu is the person's */
	practice_close(&c);
	if (!m)
		return rc;
	res_view(res, 200, "practice/board", m);
	return 0;
}

/* The reaction choices. */
static const char *const kind_choices[] = {"try", "tried", "thanks", NULL};

/* POST /networks/{slug}/ideas parameters. */
static const struct param_spec idea_params[] = {
	PARAM(.name = "text", .type = PARAM_TEXT, .flags = PARAM_REQUIRED, .max = PRACTICE_IDEA_MAX, .label = "Your idea"),
	PARAM(.name = "theme", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = 40, .label = "Theme"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/ideas
 * Post an idea (`text`, up to 500 characters, no pupil's personal data;
 * `theme`, one of the network's themes), seen first by the author's
 * colleagues. Staff and leads of member schools. 303 to the idea.
 */
static int handle_practice_idea_add(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	int64_t id = 0;
	rc = json_object_size(errors) ? ERR_INVALID
				      : practice_idea_add(pg.db, pg.a, &c, req_str(req, "theme"), req_str(req, "text"),
							  errors, &id);
	if (rc == ERR_INVALID) {
		int mrc;
		json_t *m = board_model(&pg, &c, &(struct practice_board_at){0}, &mrc);
		if (m)
			json_object_set_new(m, "menu", net_nav_can(&c.nacc));
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(&pg, rc, errors, "practice/board", m, "idea-");
	}
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/ideas/%lld", slug, (long long)id);
}

/* The idea's model with its title, or NULL (the refusal already answered: *rc is what to return). */
static json_t *idea_model(struct page *pg, const struct practice_ctx *c, int64_t id, int *rc)
{
	json_t *m = NULL;
	*rc = practice_idea(pg->db, pg->a, c, id, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_sprintf("An idea about %s", json_string_value(json_object_get(
									       json_object_get(m, "idea"), "theme"))));
	return m;
}

/*
 * GET /networks/{slug}/ideas/{id}
 * One idea, its reactions and what the person may do with it. 404 for
 * anyone its visibility excludes, as if it did not exist.
 */
static int handle_practice_idea(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = idea_model(&pg, &c, req_path_int(req, "id"), &rc);
	practice_close(&c);
	if (!m)
		return rc;
	res_view(res, 200, "practice/idea", m);
	return 0;
}

/* POST …/react parameters. */
static const struct param_spec react_params[] = {
	PARAM(.name = "kind", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = kind_choices, .label = "Reaction"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/ideas/{id}/react
 * Say "I'll try this" (`kind` try), "Tried it" (tried) or "Thanks"
 * (thanks): once each per person; 409 the second time. Anyone who sees the
 * idea. 303 to the idea.
 */
static int handle_practice_react(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id");
	json_t *errors = page_errors(&pg);
	rc = json_object_size(errors) ? ERR_INVALID : practice_react(pg.db, pg.a, &c, id, req_str(req, "kind"), errors);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		int mrc;
		json_t *m = idea_model(&pg, &c, id, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(&pg, rc, errors, "practice/idea", m, "r-");
	}
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/ideas/%lld", slug, (long long)id);
}

/* What a visibility change answers: 303 to back (an arena path), or the refusal. */
static int changed(struct page *pg, struct practice_ctx *c, int rc, const char *back)
{
	practice_close(c);
	if (rc == ERR_CONFLICT || rc == ERR_INVALID)
		return page_fail(pg, rc, practice_change_refusal(rc));
	if (rc)
		return page_fail(pg, rc, NULL);
	return page_redirect(pg, "%s", back);
}

/* The URL segment of kind's items. */
static const char *segment(enum practice_kind kind)
{
	return kind == PRACTICE_IDEA ? "ideas" : "articles";
}

/* widen, narrow, approve or refuse item {id} of kind: what the handlers share. */
enum change { CHANGE_WIDEN, CHANGE_NARROW, CHANGE_APPROVE, CHANGE_REFUSE };

/* Make change to item {id} of kind and answer: 303 to the item (the moderation list after a lead's decision). */
static int change_vis(struct request *req, struct response *res, enum practice_kind kind, enum change what)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id");
	switch (what) {
	case CHANGE_WIDEN:
		rc = practice_widen(pg.db, &c, kind, id, practice_vis_param(req_str(req, "to"), PRACTICE_VIS_NETWORK));
		break;
	case CHANGE_NARROW:
		rc = practice_narrow(pg.db, &c, kind, id, practice_vis_param(req_str(req, "to"), PRACTICE_VIS_SCHOOL));
		break;
	case CHANGE_APPROVE: rc = practice_decide(pg.db, &c, kind, id, true); break;
	case CHANGE_REFUSE: rc = practice_decide(pg.db, &c, kind, id, false); break;
	}
	const char *back = what == CHANGE_APPROVE || what == CHANGE_REFUSE
				   ? arena_printf(pg.a, "/networks/%s/ideas/moderation", c.slug)
				   : arena_printf(pg.a, "/networks/%s/%s/%lld", c.slug, segment(kind), (long long)id);
	return changed(&pg, &c, rc, back);
}

/* POST …/widen parameters: how wide (the network when absent). */
static const char *const widen_choices[] = {"partnership", "network", NULL};
static const struct param_spec widen_params[] = {
	PARAM(.name = "to", .type = PARAM_ENUM, .choices = widen_choices, .label = "Share with"),
	PARAM_END,
};

/* POST …/narrow parameters: how narrow (the school when absent). */
static const char *const narrow_choices[] = {"school", "partnership", NULL};
static const struct param_spec narrow_params[] = {
	PARAM(.name = "to", .type = PARAM_ENUM, .choices = narrow_choices, .label = "Keep it with"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/ideas/{id}/widen and /networks/{slug}/articles/{id}/widen
 * The author asks for the item to be seen by the partner schools (`to`
 * partnership: schools in a forming or active partnership with theirs) or
 * by the whole network (`to` network, the default; from the school or the
 * partner schools); it stays where it is until a lead of the school
 * approves. 409 when a request is waiting or it is that wide already; 400
 * for the partner schools when the school has none. 303 to the item.
 */
static int handle_practice_idea_widen(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_IDEA, CHANGE_WIDEN);
}

/* POST /networks/{slug}/articles/{id}/widen: see handle_practice_idea_widen. */
static int handle_practice_article_widen(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_ARTICLE, CHANGE_WIDEN);
}

/*
 * POST /networks/{slug}/ideas/{id}/narrow and /networks/{slug}/articles/{id}/narrow
 * The author takes the item back to the school (`to` school, the default)
 * or to the partner schools (`to` partnership) and withdraws a request
 * still waiting; 409 when it is not wider than that. 303 to the item.
 */
static int handle_practice_idea_narrow(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_IDEA, CHANGE_NARROW);
}

/* POST /networks/{slug}/articles/{id}/narrow: see handle_practice_idea_narrow. */
static int handle_practice_article_narrow(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_ARTICLE, CHANGE_NARROW);
}

/*
 * POST /networks/{slug}/ideas/{id}/approve (…/refuse), and the same under articles
 * A lead of the item's school approves or refuses sharing it with the
 * network; never their own item. 303 to the moderation list.
 */
static int handle_practice_idea_approve(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_IDEA, CHANGE_APPROVE);
}

/* POST /networks/{slug}/ideas/{id}/refuse: see handle_practice_idea_approve. */
static int handle_practice_idea_refuse(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_IDEA, CHANGE_REFUSE);
}

/* POST /networks/{slug}/articles/{id}/approve: see handle_practice_idea_approve. */
static int handle_practice_article_approve(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_ARTICLE, CHANGE_APPROVE);
}

/* POST /networks/{slug}/articles/{id}/refuse: see handle_practice_idea_approve. */
static int handle_practice_article_refuse(struct request *req, struct response *res)
{
	return change_vis(req, res, PRACTICE_ARTICLE, CHANGE_REFUSE);
}

/* The articles' model with its title, or NULL (the refusal already answered: *rc is what to return). */
static json_t *articles_model(struct page *pg, const struct practice_ctx *c, int *rc)
{
	json_t *m = NULL;
	*rc = practice_articles(pg->db, pg->a, c, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_sprintf("Good Ideas Scrapbook: %s", c->name));
	json_object_set_new(m, "menu", net_nav_can(&c->nacc));
	return m;
}

/*
 * GET /networks/{slug}/articles
 * The one-page articles the person may see, newest first, and the form to
 * write one (staff and leads of member schools).
 */
static int handle_practice_articles(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = articles_model(&pg, &c, &rc);
	practice_close(&c);
	if (!m)
		return rc;
	res_view(res, 200, "practice/articles", m);
	return 0;
}

/* POST /networks/{slug}/articles parameters. */
static const struct param_spec article_params[] = {
	PARAM(.name = "title", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = PRACTICE_TITLE_MAX, .label = "Title"),
	PARAM(.name = "body", .type = PARAM_TEXT, .flags = PARAM_REQUIRED, .max = PRACTICE_ARTICLE_MAX, .label = "The article"),
	PARAM(.name = "theme", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = 40, .label = "Theme"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/articles
 * Write a one-page article: `title` (up to 120 characters), `body` in
 * Markdown (up to 5,000 characters; no HTML; links only relative, http,
 * https or mailto), `theme`. Staff and leads of member schools. 303 to it.
 */
static int handle_practice_article_add(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	int64_t id = 0;
	rc = json_object_size(errors) ? ERR_INVALID
				      : practice_article_add(pg.db, pg.a, &c, req_str(req, "theme"), req_str(req, "title"),
							     req_str(req, "body"), errors, &id);
	if (rc == ERR_INVALID) {
		int mrc;
		json_t *m = articles_model(&pg, &c, &mrc);
		practice_close(&c);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(&pg, rc, errors, "practice/articles", m, "article-");
	}
	json_decref(errors);
	const char *slug = c.slug;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/articles/%lld", slug, (long long)id);
}

/*
 * GET /networks/{slug}/articles/{id}
 * One article, its Markdown rendered (body_html) and what the person may
 * do with it. 404 for anyone its visibility excludes.
 */
static int handle_practice_article(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = NULL;
	rc = practice_article(pg.db, pg.a, &c, req_path_int(req, "id"), &m);
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	json_object_set_new(m, "title", json_string(json_string_value(json_object_get(json_object_get(m, "article"),
										     "title"))));
	res_view(res, 200, "practice/article", m);
	return 0;
}

/*
 * GET /networks/{slug}/ideas/moderation
 * A lead's list of their school's ideas waiting to be shared with the
 * network, each with approve and refuse. Leads of member schools.
 */
static int handle_practice_moderation(struct request *req, struct response *res)
{
	struct page pg;
	struct practice_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = NULL;
	rc = practice_moderation(pg.db, pg.a, &c, &m);
	const char *name = c.name;
	practice_close(&c);
	if (rc)
		return page_fail(&pg, rc, NULL);
	json_object_set_new(m, "title", json_sprintf("Ideas waiting to be shared: %s", name));
	res_view(res, 200, "practice/moderation", m);
	return 0;
}

#define FORM ROUTE_OWN_ERRORS

const struct route practice_routes[] = {
	{HTTP_GET, "/networks/{slug}/ideas", handle_practice_board, board_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/ideas", handle_practice_idea_add, idea_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/ideas/moderation", handle_practice_moderation, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/ideas/{id:int}", handle_practice_idea, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/ideas/{id:int}/react", handle_practice_react, react_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/ideas/{id:int}/widen", handle_practice_idea_widen, widen_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/ideas/{id:int}/narrow", handle_practice_idea_narrow, narrow_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/ideas/{id:int}/approve", handle_practice_idea_approve, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/ideas/{id:int}/refuse", handle_practice_idea_refuse, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/articles", handle_practice_articles, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/articles", handle_practice_article_add, article_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/articles/{id:int}", handle_practice_article, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/articles/{id:int}/widen", handle_practice_article_widen, widen_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/articles/{id:int}/narrow", handle_practice_article_narrow, narrow_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/articles/{id:int}/approve", handle_practice_article_approve, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/articles/{id:int}/refuse", handle_practice_article_refuse, NULL, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
