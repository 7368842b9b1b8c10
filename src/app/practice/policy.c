// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.c — every decision about shared practice, in one place. The model
 * (model.c) loads the facts and asks these functions before it reads or
 * changes anything; pages ask them only to decide which buttons to show.
 *
 * Who may do what with an item in a network ("staff" and "lead" are people
 * of a member school; "colleague" is someone of the item's school;
 * "partner" is someone of a school in a partnership of this network with
 * the item's school that is forming or active — a closed partnership no
 * longer counts, so its schools stop seeing partnership items):
 *
 *   action                      admin coord. lead       staff      governor   outsider anon.
 *   see a school-only item      yes   no¹    colleague  colleague  colleague  no       no
 *   see a partnership item      yes   no¹    colleague or partner (staff, lead, governor)  no  no
 *   see a network item          yes   yes    yes        yes        yes        no       no
 *   see a draft case study      its author only (not colleagues, not leads, not admins)
 *   post an idea                no    no¹    yes        yes        no         no       no
 *   react (once per kind)       if they see it (signed in)
 *   ask to widen                the author, while nothing is asked already and not a draft:
 *                               to "our partner schools" (only when the school has a partner)
 *                               or to the network (from school or partnership: partnership is
 *                               an optional step, school → network still works)
 *   approve / refuse widening   no    no     own school, never own item   no  no       no
 *   see the moderation list     no    no     own school no         no         no       no
 *   narrow                      the author, at any time, to any lower level (admins too)
 *   edit a case study           the author only
 *   "we tried this"             staff/lead/governor of another member school who sees it
 *   see a public item           everyone, signed in or not
 *   publish (network → public)  no    own network, never own item  no  no    no       no
 *   take back from the public   the author, the network's coordinators, admins
 *   ask a question              as posting an idea; its audience is its visibility
 *   answer a question           anyone signed in who sees it
 *   mark an answer helpful      the person who asked, never for their own answer
 *   attach a resource           the item's author; downloads as seeing the item
 *
 * ¹ A coordinator acts here as the member of staff they are at their own
 *   school: coordinating gives no view into a school's staffroom, nor
 *   into what it shares with its partners.
 *
 * Each widening needs approval because sharing beyond the staffroom speaks
 * for the school: to the partner schools or the network, a lead of the
 * school; from the network to the public, a coordinator. A lead cannot
 * approve their own item (a second lead or an administrator's narrowing is
 * the check on that). A draft case study (made in one click from a closed
 * partnership) holds the partnership's reflections before its author has
 * checked them, so nobody else sees it — not even the school's leads: the
 * author finishes it, and then it is a school-only case study like any other.
 */
#include "app/practice/policy.h"

#include <ctype.h>
#include <string.h>

static const char *const vis_names[PRACTICE_VIS__MAX] = {"school", "partnership", "network", "public"};

const char *practice_vis_name(enum practice_vis v)
{
	return v < PRACTICE_VIS__MAX ? vis_names[v] : "school";
}

int practice_vis_parse(const char *s, enum practice_vis *out)
{
	/* Only what an item's row stores: "public" is derived from practice_public (search.c). */
	for (int v = 0; s && v < PRACTICE_VIS_PUBLIC; v++) {
		if (strcmp(s, vis_names[v]) == 0) {
			*out = (enum practice_vis)v;
			return 0;
		}
	}
	return -1;
}

struct practice_item practice_item_of(int64_t author_id, int64_t urn, const char *visibility, const char *requested,
				      bool published, bool draft)
{
	struct practice_item i = {.author_id = author_id, .urn = urn, .vis = PRACTICE_VIS_SCHOOL, .draft = draft};
	if (practice_vis_parse(visibility, &i.vis))
		i.vis = PRACTICE_VIS_SCHOOL;
	enum practice_vis asked = PRACTICE_VIS_SCHOOL;
	i.requested = practice_vis_parse(requested, &asked) == 0 && asked > i.vis ? asked : i.vis;
	if (i.vis == PRACTICE_VIS_NETWORK && published)
		i.vis = i.requested = PRACTICE_VIS_PUBLIC;
	return i;
}

bool practice_widening_asked(const struct practice_item *i)
{
	return i && i->requested > i->vis;
}

/* Signed in at all. */
static bool signed_in(const struct practice_access *a)
{
	return a && a->person_id > 0;
}

/* A person of school urn with a role there. */
static bool colleague(const struct practice_access *a, int64_t urn)
{
	return signed_in(a) && urn > 0 && a->school_urn == urn && a->role != SCHOOL_ROLE_NONE;
}

/* The person wrote the item. */
static bool author(const struct practice_access *a, const struct practice_item *i)
{
	return signed_in(a) && !a->scope_only && i && i->author_id > 0 && i->author_id == a->person_id;
}

/* A person of a member school in an open partnership with school urn. */
static bool partner(const struct practice_access *a, int64_t urn)
{
	if (!signed_in(a) || urn <= 0 || !a->school_member || a->school_urn <= 0 || a->role == SCHOOL_ROLE_NONE)
		return false;
	for (size_t k = 0; a->partner_urns && k < a->n_partners; k++)
		if (a->partner_urns[k] == urn)
			return true;
	return false;
}

bool practice_can_see(const struct practice_access *a, const struct practice_item *i)
{
	if (!i)
		return false;
	if (i->draft)
		return author(a, i);
	if (i->vis == PRACTICE_VIS_PUBLIC)
		return true;
	if (!signed_in(a))
		return false;
	if (a->is_admin || author(a, i) || colleague(a, i->urn))
		return true;
	if (i->vis == PRACTICE_VIS_PARTNERSHIP)
		return partner(a, i->urn);
	if (i->vis == PRACTICE_VIS_NETWORK)
		return a->coordinator || (a->school_member && a->role != SCHOOL_ROLE_NONE);
	return false;
}

bool practice_can_post(const struct practice_access *a)
{
	return signed_in(a) && a->school_member && a->school_urn > 0 &&
	       (a->role == SCHOOL_ROLE_STAFF || a->role == SCHOOL_ROLE_LEAD);
}

bool practice_can_react(const struct practice_access *a, const struct practice_item *i)
{
	return practice_can_see(a, i);
}

bool practice_can_request_widening(const struct practice_access *a, const struct practice_item *i, enum practice_vis to)
{
	if (!author(a, i) || i->draft || practice_widening_asked(i) || to <= i->vis)
		return false;
	if (to == PRACTICE_VIS_NETWORK)
		return true;
	return to == PRACTICE_VIS_PARTNERSHIP && colleague(a, i->urn) && a->partner_urns && a->n_partners > 0;
}

bool practice_can_decide_widening(const struct practice_access *a, const struct practice_item *i)
{
	return i && !i->draft && practice_widening_asked(i) && i->requested <= PRACTICE_VIS_NETWORK &&
	       practice_can_moderate(a, i->urn) && !author(a, i);
}

bool practice_can_moderate(const struct practice_access *a, int64_t urn)
{
	return colleague(a, urn) && a->role == SCHOOL_ROLE_LEAD;
}

bool practice_can_narrow(const struct practice_access *a, const struct practice_item *i, enum practice_vis to)
{
	if (!i || !(author(a, i) || (signed_in(a) && a->is_admin)) || to > PRACTICE_VIS_PARTNERSHIP)
		return false;
	return to < i->vis || (to == i->vis && practice_widening_asked(i));
}

bool practice_can_edit(const struct practice_access *a, const struct practice_item *i)
{
	return author(a, i);
}

bool practice_can_answer(const struct practice_access *a, const struct practice_item *i)
{
	return signed_in(a) && practice_can_see(a, i);
}

bool practice_can_mark_helpful(const struct practice_access *a, const struct practice_item *i)
{
	return author(a, i);
}

bool practice_can_attach(const struct practice_access *a, const struct practice_item *i)
{
	return author(a, i);
}

bool practice_can_try(const struct practice_access *a, const struct practice_item *i)
{
	return practice_can_see(a, i) && !i->draft && a->school_member && a->school_urn > 0 &&
	       a->role != SCHOOL_ROLE_NONE && i->urn != a->school_urn;
}

bool practice_can_publish(const struct practice_access *a, const struct practice_item *i)
{
	return signed_in(a) && i && !i->draft && i->vis == PRACTICE_VIS_NETWORK && a->coordinator && !author(a, i);
}

bool practice_can_unpublish(const struct practice_access *a, const struct practice_item *i)
{
	return signed_in(a) && i && i->vis == PRACTICE_VIS_PUBLIC && (a->coordinator || a->is_admin || author(a, i));
}

bool practice_text_has_upn(const char *text)
{
	if (!text)
		return false;
	size_t n = strlen(text);
	for (size_t k = 0; k + 13 <= n; k++) {
		unsigned char c = (unsigned char)text[k];
		if (!isalpha(c) || (k > 0 && isalnum((unsigned char)text[k - 1])))
			continue;
		size_t d = 0;
		while (d < 12 && isdigit((unsigned char)text[k + 1 + d]))
			d++;
		if (d == 12 && !isalnum((unsigned char)text[k + 13]))
			return true;
	}
	return false;
}
