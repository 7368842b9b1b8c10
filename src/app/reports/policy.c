// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.c — every permission decision about the impact reports, in one
 * place. The model (model.c) asks these before it reads anything; pages ask
 * them only to decide what to show. Each function denies unless one of its
 * rules allows: a struct rep_access left zeroed is refused everything.
 *
 * Who sees what (per network; "lead" = the lead of a member school):
 *
 *   report                         admin coord. steering lead        staff/gov. outsider     anonymous
 *   the network's report, in full  yes   yes    yes      no          no         no           no
 *     (schools by name, comments)
 *   the network's figures only     yes   yes    yes      yes         no         if published if published
 *     (aggregates, no names)                                                    and public   and public
 *   a school's own page            yes   yes    yes      own school  no         no           no
 *   publish the annual report      yes   yes    no       no          no         no           no
 *
 * A report never ranks schools, and counts of people under 5 are shown as
 * "fewer than 5" to everyone (model.c): the policy decides only who sees
 * which page and whether names appear on it.
 */
#include "app/reports/policy.h"

/* Signed in and asking about a network. */
static bool in_context(const struct rep_access *a)
{
	return a && a->person_id > 0 && a->network_id > 0;
}

/* The person runs the network: administrator, coordinator or steering group. */
static bool runs(const struct rep_access *a)
{
	return in_context(a) && (a->is_admin || a->coordinator || a->steering);
}

/* A lead of a member school. */
static bool member_lead(const struct rep_access *a)
{
	return in_context(a) && a->school_member && a->school_urn > 0 && a->role == SCHOOL_ROLE_LEAD;
}

enum rep_view rep_policy_network_view(const struct rep_access *a)
{
	if (!a || a->network_id <= 0)
		return REP_VIEW_NONE;
	if (runs(a))
		return REP_VIEW_FULL;
	if (member_lead(a))
		return REP_VIEW_AGGREGATE;
	if (a->network_public && a->published)
		return REP_VIEW_AGGREGATE;
	return REP_VIEW_NONE;
}

bool rep_policy_school_see(const struct rep_access *a, int64_t urn)
{
	if (urn <= 0)
		return false;
	return runs(a) || (member_lead(a) && a->school_urn == urn);
}

bool rep_policy_publish(const struct rep_access *a)
{
	return in_context(a) && (a->is_admin || a->coordinator);
}
