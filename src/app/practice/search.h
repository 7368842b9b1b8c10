// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * search.h — shared practice's search index and the public step of its
 * visibility (search.c): every item is copied into practice_doc, with its
 * text, its filters and its visibility facts, through practice_index_put
 * when it is written and practice_index_vis when its visibility changes
 * (ideas and articles in model.c; case studies and questions call the same
 * two functions). The search reads that index, applies the filters in SQL
 * and then the one visibility check (practice_can_see) to every result, so
 * nothing the viewer may not see is counted, listed or quoted.
 *
 * A network coordinator publishes an item the network sees: anyone may then
 * read it without signing in (its public page, search, the network's Atom
 * feed). Narrowing it to its school withdraws that.
 */
#ifndef TANDEM_APP_PRACTICE_SEARCH_H
#define TANDEM_APP_PRACTICE_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "app/practice/policy.h"
#include "core/err.h"

struct arena;
struct db;

/* Results on one page of the search. */
#define PRACTICE_SEARCH_PAGE 20
/* The longest search text, in characters, and the most words used from it. */
#define PRACTICE_SEARCH_MAX 200
#define PRACTICE_SEARCH_WORDS 8
/* A search counts visible results up to this many (then says "more"), past the page asked for. */
#define PRACTICE_SEARCH_COUNT 200

/* One item as the index holds it (strings borrowed from the caller). */
struct practice_doc_in {
	const char *kind;     /* "idea", "article" (case studies: "case", questions: "question") */
	int64_t item_id;      /* the item's id in its own table */
	int64_t network_id;   /* network.id */
	int64_t urn;          /* the author's school */
	int64_t author_id;    /* person.id of the author */
	const char *themes;   /* theme names, one a line */
	const char *title;    /* "" when the kind has none */
	const char *body;     /* the text searched and quoted */
	const char *created_at; /* UTC text */
};

/* Add item d to the index, or replace what it held of it: 0 or ERR_DB. */
int practice_index_put(struct db *db, const struct practice_doc_in *d) WUR;
/*
 * Record that item (kind, item_id) is now seen as vis ("school" or
 * "network") with requested ("network" or NULL) waiting; back to "school"
 * also withdraws its publication. 0 or ERR_DB.
 */
int practice_index_vis(struct db *db, const char *kind, int64_t item_id, const char *vis, const char *requested) WUR;

/* A search as the page asks it (strings in the request arena; "" or NULL: no filter). */
struct practice_search_query {
	const char *text;  /* words, each matched as a prefix, all required */
	const char *kind;  /* "idea", "article" */
	const char *theme; /* a theme name */
	const char *phase; /* a phase group of the register: "primary", "secondary", … */
	int64_t urn;       /* one school */
	const char *from;  /* "YYYY-MM-DD", first day */
	const char *to;    /* "YYYY-MM-DD", last day */
	int page;          /* 1 … */
};

/*
 * The facts the visibility check needs about u (NULL: nobody signed in) in
 * network network_id: school membership, coordination and the partner
 * schools read from the store (partner_urns in the arena). 0 or ERR_DB.
 */
int practice_viewer_access(struct db *db, struct arena *a, const struct user *u, int64_t network_id,
			   struct practice_access *out) WUR;
/*
 * Fill acc's partner schools: those in a partnership of network_id with
 * school urn that is forming or active (arena; none for urn 0). 0 or ERR_DB.
 */
int practice_partners_in(struct db *db, struct arena *a, int64_t urn, int64_t network_id,
			 struct practice_access *acc) WUR;

/* The viewer's facts in every network at once, for lists over several networks (opaque). */
struct practice_viewer;
/* Load u's networks (NULL: anonymous) into *out (arena): 0 or ERR_DB. */
int practice_viewer_open(struct db *db, struct arena *a, const struct user *u, struct practice_viewer **out) WUR;
/* The viewer's facts in network_id. */
struct practice_access practice_viewer_in(const struct practice_viewer *v, int64_t network_id);

/*
 * Search for u (NULL: anonymous): {results[{kind, title, url, network,
 * school, themes[], posted, snippet[{text, mark}], visibility}], total,
 * page, pages, more}, newest first (index order); only what
 * practice_can_see allows; total stops at PRACTICE_SEARCH_COUNT (more: true).
 * ERR_INVALID with errors (from after to; no words in the text).
 */
int practice_search(struct db *db, struct arena *a, const struct user *u, const struct practice_search_query *q,
		    json_t *errors, json_t **out) WUR;

/* The facts of item (kind, item_id) for the check, and its network: 0 or ERR_NOTFOUND. */
int practice_item_facts(struct db *db, struct arena *a, const char *kind, int64_t item_id, int64_t *network_id,
			struct practice_item *item) WUR;

/*
 * One item as its public page shows it, for u (NULL: anonymous):
 * {item{kind, title, body_html | text, school, network, themes, posted}};
 * ERR_NOTFOUND when there is none or the check refuses.
 */
int practice_public_item(struct db *db, struct arena *a, const struct user *u, const char *kind, int64_t item_id,
			 json_t **out) WUR;

/*
 * The network's items for its coordinators: {published[], ready[]} (ready:
 * seen by the network, not yet public). ERR_FORBIDDEN for anyone else.
 */
int practice_publishing(struct db *db, struct arena *a, const struct user *u, int64_t network_id, json_t **out) WUR;
/*
 * A coordinator of network_id publishes item (kind, item_id): ERR_NOTFOUND
 * when it is not the network's, ERR_FORBIDDEN when they may not (not a
 * coordinator, their own item, not yet seen by the network), ERR_CONFLICT
 * when it is public already.
 */
int practice_publish(struct db *db, struct arena *a, const struct user *u, int64_t network_id, const char *kind,
		     int64_t item_id) WUR;
/* A coordinator (or the author) takes item (kind, item_id) back from the public. */
int practice_unpublish(struct db *db, struct arena *a, const struct user *u, int64_t network_id, const char *kind,
		       int64_t item_id) WUR;

/* One item of a list (the digest): its network and facts for the check, and its JSON as the search gives it. */
struct practice_listed {
	int64_t network_id;        /* network.id */
	struct practice_item item; /* the facts for practice_can_see */
	const char *created_at;    /* UTC text (arena) */
	json_t *json;              /* {kind, title, summary, network_item_url, public_url, …} (owned: practice_list_free) */
};
/*
 * The items of every network posted at or after since (UTC text), newest
 * first, at most max, NOT yet checked: the caller asks practice_can_see for
 * each reader. *out is an arena array of *n. 0 or ERR_DB.
 */
int practice_list_since(struct db *db, struct arena *a, const char *since, int max, struct practice_listed **out,
			size_t *n) WUR;
/* Release the JSON of a list from practice_list_since. */
void practice_list_free(struct practice_listed *l, size_t n);
/*
 * The network at slug's public items for its Atom feed, newest published
 * first (at most 50), each through the visibility check as an anonymous
 * reader: {slug, name, updated, entries[{…, summary, published_at}]}.
 * ERR_NOTFOUND when there is no such network.
 */
int practice_feed(struct db *db, struct arena *a, const char *slug, json_t **out) WUR;

/* Split text into at most PRACTICE_SEARCH_WORDS words of letters and digits (arena); the count. */
int practice_search_words(struct arena *a, const char *text, const char **words);
/* Turn a snippet with \x01 … \x02 around matched words into [{text, mark}] (new reference). */
json_t *practice_snippet_parts(const char *s);

#endif
