// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.h — who may see and do what with shared practice: pure decisions
 * over the facts in struct practice_access (the person asking, in one
 * network) and struct practice_item (the idea asked about), unit-tested in
 * tests/unit/test_practice_policy.c. practice_can_see is the one visibility
 * check every read path goes through (the boards, an item's page and its
 * JSON, search, the feed and the weekly email, attachments, the scrapbook,
 * "what's new", "where it travelled", the moderation list). Every function
 * denies unless a rule allows.
 * Also the pure text rule that refuses a Unique Pupil Number.
 */
#ifndef TANDEM_APP_PRACTICE_POLICY_H
#define TANDEM_APP_PRACTICE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/accounts/accounts.h"

/*
 * How far an item travels, each level wider than the one before (the
 * order matters: a widening goes up, a narrowing down).
 */
enum practice_vis {
	PRACTICE_VIS_SCHOOL,      /* the author's school only */
	PRACTICE_VIS_PARTNERSHIP, /* and the schools in an open partnership with it (approved by the school's lead) */
	PRACTICE_VIS_NETWORK,     /* every member school of the network (approved by the school's lead) */
	PRACTICE_VIS_PUBLIC,      /* anyone, signed in or not (published by a network coordinator; search.c) */
	PRACTICE_VIS__MAX
};

/* The facts about the person asking, in one network; zeroed means anonymous. */
struct practice_access {
	int64_t person_id;     /* person.id, 0 when nobody is signed in */
	int64_t school_urn;    /* the person's school, 0 when none */
	enum school_role role; /* the person's role in that school */
	bool is_admin;         /* deployment administrator */
	bool school_member;    /* the person's school is a member school of the network */
	bool coordinator;      /* the person coordinates the network */
	/*
	 * The schools in a partnership of this network with the person's
	 * school that is forming or active (a closed one no longer counts),
	 * filled once per request by the model; NULL with n_partners 0 for none.
	 */
	const int64_t *partner_urns;
	size_t n_partners; /* how many partner_urns holds */
	/*
	 * Decide for everyone with these facts, not for this person: being an
	 * item's author counts for nothing (a board page kept for every
	 * colleague with the same view; pages.c). Its caller must know the
	 * person sees nothing more as an author (practice_authored_elsewhere).
	 */
	bool scope_only;
};

/* The facts about one item (an idea, article, case study or question). */
struct practice_item {
	int64_t author_id;           /* who posted it, 0 when their account is gone */
	int64_t urn;                 /* the author's school when they posted it */
	enum practice_vis vis;       /* who sees it now */
	enum practice_vis requested; /* the wider level the author asked for, not yet answered; vis itself when none */
	bool draft;                  /* a case study made from a partnership, not yet checked by its author */
};

/*
 * "school", "partnership", "network", "public"; and back from what an
 * item's row stores, "school", "partnership" or "network" (0, or -1 for
 * anything else).
 */
const char *practice_vis_name(enum practice_vis v);
int practice_vis_parse(const char *s, enum practice_vis *out);
/*
 * The facts of an item from what its row stores: its visibility and
 * request columns ("" or NULL for no request), whether practice_public
 * holds it (a network item published), whether it is a draft.
 */
struct practice_item practice_item_of(int64_t author_id, int64_t urn, const char *visibility, const char *requested,
				      bool published, bool draft);
/* Whether the author of item i asked for a wider level that no lead has answered yet. */
bool practice_widening_asked(const struct practice_item *i);

/* The one visibility check: may a see item i (every page, JSON, search, feed, email, download)? */
bool practice_can_see(const struct practice_access *a, const struct practice_item *i);
/* Post an idea to the network's board: a member of staff (staff or lead) of a member school. */
bool practice_can_post(const struct practice_access *a);
/* React to item i ("I'll try this", "Tried it", "Thanks"): anyone signed in who sees it. */
bool practice_can_react(const struct practice_access *a, const struct practice_item *i);
/*
 * Ask for item i to be seen at level to (partnership or network, wider
 * than it is now; a level may be skipped): its author, not for a draft,
 * while nothing is asked already; the partner schools only when the
 * author is of the item's school and that school has a partner.
 */
bool practice_can_request_widening(const struct practice_access *a, const struct practice_item *i, enum practice_vis to);
/* Approve or refuse the widening of item i asked for: a lead of the item's school, never for their own item. */
bool practice_can_decide_widening(const struct practice_access *a, const struct practice_item *i);
/* See the moderation list of the school urn: its leads. */
bool practice_can_moderate(const struct practice_access *a, int64_t urn);
/*
 * Narrow item i to level to (school or partnership, below where it is;
 * or to where it is, withdrawing a request): its author (admins too), at
 * any time. A public item goes back to the network by practice_can_unpublish.
 */
bool practice_can_narrow(const struct practice_access *a, const struct practice_item *i, enum practice_vis to);
/* Answer question i: anyone signed in who sees it. */
bool practice_can_answer(const struct practice_access *a, const struct practice_item *i);
/* Mark an answer to question i helpful: the person who asked it. */
bool practice_can_mark_helpful(const struct practice_access *a, const struct practice_item *i);
/* Attach a resource to item i: its author. */
bool practice_can_attach(const struct practice_access *a, const struct practice_item *i);
/* Publish item i (seen by the network, not a partnership only) to everyone: a coordinator of its network, never for their own item. */
bool practice_can_publish(const struct practice_access *a, const struct practice_item *i);
/* Take public item i back to the network: a coordinator of its network or its author (admins too). */
bool practice_can_unpublish(const struct practice_access *a, const struct practice_item *i);

/* Change item i (a case study's text): its author only. */
bool practice_can_edit(const struct practice_access *a, const struct practice_item *i);
/*
 * Say "we tried this" of item i: someone who sees it, of a member school
 * that is not the item's school (one's own school's practice has not
 * travelled).
 */
bool practice_can_try(const struct practice_access *a, const struct practice_item *i);

/*
 * Whether text holds something shaped like a Unique Pupil Number: a letter
 * followed by exactly 12 digits, not inside a longer run of letters or
 * digits.
 */
bool practice_text_has_upn(const char *text);

#endif
