// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.h — shared practice's model for pages.c: opening a network with the
 * facts about the person asking, the board of ideas, one idea, posting,
 * reacting, widening with the lead's approval and narrowing again, and the
 * leads' moderation list. Every read and write asks policy.c first; an idea
 * the person may not see is ERR_NOTFOUND, as if it did not exist.
 *
 * Results are new jansson references (the caller decrefs); strings live in
 * the request arena. Functions that validate input add {field: message} to
 * an `errors` object and return ERR_INVALID (or ERR_CONFLICT).
 */
#ifndef TANDEM_APP_PRACTICE_MODEL_H
#define TANDEM_APP_PRACTICE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "app/networks/policy.h"
#include "app/practice/policy.h"
#include "core/err.h"

struct arena;
struct db;

/* The longest idea, in characters. */
#define PRACTICE_IDEA_MAX 500

/* The longest article title and body, in characters (the body fits on one A4 page). */
#define PRACTICE_TITLE_MAX 120
#define PRACTICE_ARTICLE_MAX 5000

/* What a visibility change is about. */
enum practice_kind {
	PRACTICE_IDEA,    /* an idea of the week */
	PRACTICE_ARTICLE, /* a one-page article */
};

/* A network opened for shared practice (strings in the arena). */
struct practice_ctx {
	int64_t network_id;         /* network.id */
	const char *slug;           /* its URL segment */
	const char *name;           /* its name */
	json_t *network;            /* net_json of it (owned by the context; practice_close) */
	struct practice_access acc; /* the person's facts */
	struct net_access nacc;     /* the person's place in the network as its own pages see it (their menu) */
};

/* Open the network at slug for u: ERR_NOTFOUND when there is none or u may not read it. */
int practice_open(struct db *db, struct arena *a, const struct user *u, const char *slug,
		  struct practice_ctx *c) WUR;
/* Release what practice_open holds. */
void practice_close(struct practice_ctx *c);

/* How many ideas a page of the board shows. */
#define PRACTICE_BOARD_PAGE 30

/* Which page of the board: the first (before and after 0), or next to one idea. */
struct practice_board_at {
	int64_t urn;    /* > 0: one school's ideas only (its staffroom) */
	int64_t before; /* > 0: the ideas posted before this idea (older ones) */
	int64_t after;  /* > 0: the ideas posted after this idea (newer ones) */
	int64_t from;   /* the position of the page's first idea, for "31–60" (the links carry it) */
};

/*
 * A page of the board: {network, ideas_this_week[], ideas_earlier[],
 * themes[], can_post, school?, from, to, shown, total? (on the last page),
 * has_older, has_newer, next, before, prev, after, newest, empty} — the
 * next PRACTICE_BOARD_PAGE ideas the person may see, newest first (this
 * week's first on the first page), with their reaction counts and what the
 * person has said. next and prev are the links to the older and newer
 * pages (null when none). ERR_INVALID when the idea before or after is not
 * one the person sees on this board.
 */
int practice_board(struct db *db, struct arena *a, const struct practice_ctx *c, const struct practice_board_at *at,
		   json_t **out) WUR;
/*
 * Whether the person wrote an idea of this network at a school other than
 * their own now (or has no school): they see it as its author, so a board
 * page kept for everyone with their view is not theirs (pages.c). 0 or ERR_DB.
 */
int practice_authored_elsewhere(struct db *db, const struct practice_ctx *c, bool *out) WUR;
/*
 * The person's reactions to the ideas with ids lo..hi, as {"ID-kind": true}
 * (new reference, empty for nobody signed in). 0 or ERR_DB.
 */
int practice_reactions_mine(struct db *db, const struct practice_ctx *c, int64_t lo, int64_t hi, json_t **out) WUR;
/* One idea as the board shows it, with what the person may do: ERR_NOTFOUND when they may not see it. */
int practice_idea(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out) WUR;
/*
 * Post an idea (text up to PRACTICE_IDEA_MAX characters, theme a theme of
 * the network's): 0 with *id, ERR_INVALID with errors (no such theme, a
 * Unique Pupil Number), ERR_FORBIDDEN when the person may not post.
 */
int practice_idea_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *theme,
		      const char *text, json_t *errors, int64_t *id) WUR;
/* React to idea id with kind ("try", "tried", "thanks"): ERR_CONFLICT with errors when already said. */
int practice_react(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, const char *kind,
		   json_t *errors) WUR;
/*
 * The author asks for item id (kind) to be seen at level to (partnership
 * or network; it waits for a lead of the school): the refusals are those
 * of practice_widen_refusal.
 */
int practice_widen(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		   enum practice_vis to) WUR;
/* A lead approves (approve: the level asked for) or refuses (it stays where it is) the widening of item id (kind). */
int practice_decide(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		    bool approve) WUR;
/*
 * The author narrows item id (kind) to level to (school or partnership),
 * withdrawing any request; ERR_CONFLICT when it is not wider than that.
 */
int practice_narrow(struct db *db, const struct practice_ctx *c, enum practice_kind kind, int64_t id,
		    enum practice_vis to) WUR;
/*
 * Why a could not ask for item i to be seen at level to:
 * ERR_FORBIDDEN (not the author), ERR_CONFLICT (a widening is waiting, or
 * it is that wide already), ERR_INVALID (a draft, or the partner schools
 * when the school has no open partnership in the network).
 */
int practice_widen_refusal(const struct practice_access *a, const struct practice_item *i, enum practice_vis to);
/*
 * Add to an item's JSON what pages say about its visibility: visibility,
 * visibility_label ("its school only", "its school and its partner
 * schools", …), is_school_only, is_partnership, is_public, requested and
 * requested_label ("the partner schools", "the network") while a widening
 * waits, and the person's choices: can_widen_partnership,
 * can_widen_network, can_narrow_school, can_narrow_partnership.
 */
void practice_vis_json(json_t *o, const struct practice_access *a, const struct practice_item *i);
/* What to tell the person when a widening or narrowing is refused with rc (ERR_CONFLICT or ERR_INVALID). */
const char *practice_change_refusal(int rc);
/* A level from a form ("school", "partnership", "network"), or dflt when absent. */
enum practice_vis practice_vis_param(const char *s, enum practice_vis dflt);
/* Every article the person may see, newest first: {network, articles[], themes[], can_post, max, title_max}. */
int practice_articles(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out) WUR;
/* One article with body_html (the Markdown rendered safely): ERR_NOTFOUND when the person may not see it. */
int practice_article(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out) WUR;
/*
 * Write an article (title up to PRACTICE_TITLE_MAX characters, body in
 * Markdown up to PRACTICE_ARTICLE_MAX, theme one of the network's): 0 with
 * *id, ERR_INVALID with errors (raw HTML, a link or image that is not
 * relative, http, https or mailto, a Unique Pupil Number, no such theme).
 */
int practice_article_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *theme,
			 const char *title, const char *body, json_t *errors, int64_t *id) WUR;
/* The lead's moderation list (ideas and articles) for their school: {network, waiting[]}; ERR_FORBIDDEN for others. */
int practice_moderation(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out) WUR;

#endif
