// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.c — every permission decision about the broker, in one place. The
 * model (model.c) calls these before it reads or changes anything, so a
 * handler cannot forget a check; pages call them only to decide which forms
 * to show. Each function denies unless one of its rules allows.
 *
 *   action (per network)               admin coord. lead (own   staff/gov. other  anonymous
 *                                                   school)
 *   see the review                     yes   yes    no          no         no      no
 *   run the broker                     no    yes    no          no         no      no
 *   accept, reject, swap a partner     no    yes    no          no         no      no
 *   see a school's capacity, themes    yes   yes    yes         no         no      no
 *   set a school's capacity, themes    yes   no     yes         no         no      no
 *
 * Running and deciding are the coordinator's: accepting sends brokered
 * introductions, which the introductions policy allows coordinators only
 * (src/app/partnerships/policy.c), so an administrator looks but does not
 * broker unless they coordinate the network. A school's capacity is its
 * own lead's say (how much the school can take on this year); a
 * coordinator sees it but does not set it. Leads see their own school's
 * capacity, not the review: no school is shown next to others, so nobody
 * reads a ranking into it.
 */
#include "app/broker/policy.h"

/* Signed in and asking about a network. */
static bool in_context(const struct broker_access *a)
{
	return a && a->person_id > 0 && a->network_id > 0;
}

/* The lead of member school urn. */
static bool lead_of(const struct broker_access *a, int64_t urn)
{
	return in_context(a) && urn > 0 && a->school_member && a->school_urn == urn && a->role == SCHOOL_ROLE_LEAD;
}

bool policy_broker_review(const struct broker_access *a)
{
	return in_context(a) && (a->is_admin || a->coordinator);
}

bool policy_broker_run(const struct broker_access *a)
{
	return in_context(a) && a->coordinator;
}

bool policy_broker_decide(const struct broker_access *a)
{
	return in_context(a) && a->coordinator;
}

bool policy_broker_capacity_see(const struct broker_access *a, int64_t urn)
{
	if (!in_context(a) || urn <= 0)
		return false;
	return a->is_admin || a->coordinator || lead_of(a, urn);
}

bool policy_broker_capacity_set(const struct broker_access *a, int64_t urn)
{
	if (!in_context(a) || urn <= 0)
		return false;
	return a->is_admin || lead_of(a, urn);
}
