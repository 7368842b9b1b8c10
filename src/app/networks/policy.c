// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.c — every permission decision about networks, in one place. The
 * model functions (model.c, invitations.c, strengths.c) call these before
 * they read or change anything, so a handler cannot forget a check; pages
 * call them only to decide which buttons to show. Each function denies
 * unless one of its rules allows: a struct net_access left zeroed (nobody
 * signed in, no network) is refused everything but seeing a public network.
 *
 * Who may do what (per network; "member" = a person whose school is a member
 * school of the network, with a school role; a school is a member only when
 * it agreed, see below):
 *
 *   action                         admin coord. steering lead        staff/gov. outsider  anonymous
 *   create a network               yes   yes    yes      yes         yes        yes       no
 *   see name and description       yes   yes    yes      yes         yes        if public if public
 *                                                                               or asked³
 *   read schools, people,          yes   yes    yes      yes         yes        no        no
 *     strengths, needs, what's new
 *   edit details, public flag      yes   yes    no       no          no         no        no
 *   edit themes                    yes   yes    no       no          no         no        no
 *   ask a school to join, withdraw yes   yes    no       no          no         no        no
 *     the request, remove a member
 *   make a school a member without yes   no     no       no          no         no        no
 *     asking it
 *   accept or decline the request  no    no     no       no          no         asked³    no
 *     for one's own school
 *   add/remove coordinators and    yes   yes    no       no          no         no        no
 *     steering group (by invitation)
 *   invite to a member school      yes   first  no       own school  no         no        no
 *     (as lead, staff or governor)       lead⁴
 *   see/withdraw its invitations   yes   first  no       own school  no         no        no
 *                                        lead⁴
 *   change a person's school role  yes   no     no       own school¹ no         no        no
 *   remove a person from a school  yes   no     no       own school¹ no         no        no
 *   see a person's email           yes   leads  leads    leads, own  leads      no        no
 *                                                        school's
 *   edit a school's strengths      yes   no²    no       own school  no         no        no
 *     and needs
 *   approve a would-be first lead  yes   no     no       no          no         no        no
 *
 * ¹ Never oneself (a lead cannot demote or remove themselves by accident and
 *   leave the school without a lead; another lead or an administrator can).
 *   A school's people are the school's: its leads manage them, in every
 *   network alike. Coordinators never set or change anyone's school role —
 *   otherwise starting a network would be a way to take a school over.
 * ² The strengths and needs are the school's own account of itself: a
 *   coordinator edits them only as the lead of their own school.
 * ³ The lead of a school the network has asked to join sees the network's
 *   name and description (to decide) and may accept or decline; nothing more
 *   until the school is a member.
 * ⁴ A coordinator may invite only a first lead, and only for a member or
 *   asked school that has no lead on Tandem; the invitation makes them lead
 *   only if their address is at the school's own email domain, otherwise an
 *   administrator decides (invitations.c).
 *
 * Anyone signed in may create a network (self-organised partnerships) and
 * becomes its first coordinator. Staff and governors read their networks but
 * change nothing (read-only by decision: their school's lead speaks for the
 * school). The steering group reads the network even when their own school is
 * not a member; its say is in meetings, not in extra permissions here.
 * Outsiders see a private network as not existing at all (404); a public one
 * shows them its name and description, nothing else.
 */
#include "app/networks/policy.h"

/* Signed in at all. */
static bool signed_in(const struct net_access *a)
{
	return a && a->person_id > 0;
}

/* Signed in and asking about a network. */
static bool in_context(const struct net_access *a)
{
	return signed_in(a) && a->network_id > 0;
}

/* The person's school is a member of the network and they have a role there. */
static bool school_member(const struct net_access *a)
{
	return a->school_member && a->school_urn > 0 && a->role > SCHOOL_ROLE_NONE &&
	       a->role < SCHOOL_ROLE__MAX;
}

/* A lead of a member school, and that school is urn. */
static bool lead_of(const struct net_access *a, int64_t urn)
{
	return school_member(a) && a->role == SCHOOL_ROLE_LEAD && a->school_urn == urn && urn > 0;
}

/* Administrator or coordinator of this network. */
static bool runs_network(const struct net_access *a)
{
	return in_context(a) && (a->is_admin || a->coordinator);
}

/* A role someone can be given in a school (not "none"). */
static bool assignable(enum school_role r)
{
	return r == SCHOOL_ROLE_LEAD || r == SCHOOL_ROLE_STAFF || r == SCHOOL_ROLE_GOVERNOR;
}

bool policy_network_create(const struct net_access *a)
{
	return signed_in(a);
}

bool policy_network_see(const struct net_access *a)
{
	if (!a || a->network_id <= 0)
		return false;
	if (a->network_public)
		return true;
	return policy_network_read(a) || policy_membership_answer(a);
}

bool policy_network_read(const struct net_access *a)
{
	if (!in_context(a))
		return false;
	return a->is_admin || a->coordinator || a->steering || school_member(a);
}

bool policy_network_edit(const struct net_access *a)
{
	return runs_network(a);
}

bool policy_themes_edit(const struct net_access *a)
{
	return runs_network(a);
}

bool policy_schools_manage(const struct net_access *a)
{
	return runs_network(a);
}

bool policy_steering_manage(const struct net_access *a)
{
	return runs_network(a);
}

bool policy_school_add_direct(const struct net_access *a)
{
	return in_context(a) && a->is_admin;
}

bool policy_membership_answer(const struct net_access *a)
{
	return in_context(a) && a->school_invited && !a->school_member && a->school_urn > 0 &&
	       a->role == SCHOOL_ROLE_LEAD;
}

/* The school is in the network's circle: a member, or asked to join. */
static bool school_in_circle(const struct net_school_facts *s)
{
	return s && s->urn > 0 && (s->member || s->invited);
}

bool policy_invite(const struct net_access *a, const struct net_school_facts *s, enum school_role role)
{
	if (!in_context(a) || !school_in_circle(s) || !assignable(role))
		return false;
	if (a->is_admin)
		return true;
	if (s->member && lead_of(a, s->urn))
		return true;
	return a->coordinator && role == SCHOOL_ROLE_LEAD && !s->has_lead;
}

bool policy_invitations_manage(const struct net_access *a, const struct net_school_facts *s)
{
	if (!in_context(a) || !school_in_circle(s))
		return false;
	if (a->is_admin)
		return true;
	if (s->member && lead_of(a, s->urn))
		return true;
	return a->coordinator && !s->has_lead;
}

/* The common part of changing and removing a person: the school's own lead, or an administrator. */
static bool may_manage_person(const struct net_access *a, const struct net_person *t)
{
	if (!in_context(a) || !t || t->person_id <= 0 || !t->school_member || t->school_urn <= 0 ||
	    !assignable(t->role))
		return false;
	if (a->is_admin)
		return true;
	if (t->person_id == a->person_id)
		return false;
	return lead_of(a, t->school_urn);
}

bool policy_person_set_role(const struct net_access *a, const struct net_person *t, enum school_role new_role)
{
	return assignable(new_role) && may_manage_person(a, t);
}

bool policy_person_remove(const struct net_access *a, const struct net_person *t)
{
	return may_manage_person(a, t);
}

bool policy_person_email(const struct net_access *a, int64_t person_id, int64_t urn, enum school_role role)
{
	if (!signed_in(a))
		return false;
	if (person_id == a->person_id)
		return true;
	if (!in_context(a))
		return false;
	if (a->is_admin)
		return true;
	if (!policy_network_read(a))
		return false;
	return role == SCHOOL_ROLE_LEAD || lead_of(a, urn);
}

bool policy_lead_request_decide(const struct net_access *a)
{
	return signed_in(a) && a->is_admin;
}

bool policy_profile_edit(const struct net_access *a, int64_t urn, bool school_is_member)
{
	if (!in_context(a) || !school_is_member || urn <= 0)
		return false;
	return a->is_admin || lead_of(a, urn);
}
