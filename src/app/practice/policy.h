// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.h — who may see and do what with shared practice: pure decisions
 * over the facts in struct practice_access (the person asking, in one
 * network) and struct practice_item (the idea asked about), unit-tested in
 * tests/unit/test_practice_policy.c. practice_can_see is the one visibility
 * check every read path goes through (the board, an idea's page and its
 * JSON, the moderation list). Every function denies unless a rule allows.
 * Also the pure text rule that refuses a Unique Pupil Number.
 */
#ifndef TANDEM_APP_PRACTICE_POLICY_H
#define TANDEM_APP_PRACTICE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/accounts/accounts.h"

/* How far an item travels: the author's colleagues, or the whole network. */
enum practice_vis {
	PRACTICE_VIS_SCHOOL,  /* the author's school only */
	PRACTICE_VIS_NETWORK, /* every member school of the network (approved by the school's lead) */
	PRACTICE_VIS_PUBLIC,  /* anyone, signed in or not (published by a network coordinator; search.c) */
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
};

/* The facts about one item (an idea). */
struct practice_item {
	int64_t author_id;           /* who posted it, 0 when their account is gone */
	int64_t urn;                 /* the author's school when they posted it */
	enum practice_vis vis;       /* who sees it now */
	bool widening_requested;     /* the author asked for the network; the lead has not answered */
};

/* "school", "network", "public"; and back from what an item's row stores, "school" or "network" (0, or -1 for anything else). */
const char *practice_vis_name(enum practice_vis v);
int practice_vis_parse(const char *s, enum practice_vis *out);

/* The one visibility check: may a see item i (board, page, JSON, moderation list)? */
bool practice_can_see(const struct practice_access *a, const struct practice_item *i);
/* Post an idea to the network's board: a member of staff (staff or lead) of a member school. */
bool practice_can_post(const struct practice_access *a);
/* React to item i ("I'll try this", "Tried it", "Thanks"): anyone signed in who sees it. */
bool practice_can_react(const struct practice_access *a, const struct practice_item *i);
/* Ask for item i to be seen by the whole network: its author, while it is school-only and not asked already. */
bool practice_can_request_widening(const struct practice_access *a, const struct practice_item *i);
/* Approve or refuse the widening of item i: a lead of the item's school, never for their own item. */
bool practice_can_decide_widening(const struct practice_access *a, const struct practice_item *i);
/* See the moderation list of the school urn: its leads. */
bool practice_can_moderate(const struct practice_access *a, int64_t urn);
/* Narrow item i back to the school (or withdraw a request): its author, at any time. */
bool practice_can_narrow(const struct practice_access *a, const struct practice_item *i);
/* Answer question i: anyone signed in who sees it. */
bool practice_can_answer(const struct practice_access *a, const struct practice_item *i);
/* Mark an answer to question i helpful: the person who asked it. */
bool practice_can_mark_helpful(const struct practice_access *a, const struct practice_item *i);
/* Attach a resource to item i: its author. */
bool practice_can_attach(const struct practice_access *a, const struct practice_item *i);
/* Publish item i (seen by the network) to everyone: a coordinator of its network, never for their own item. */
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
