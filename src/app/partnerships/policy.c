// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.c — every permission decision about introductions and
 * partnerships, in one place. The model (model.c, introductions.c,
 * agreement_store.c) calls these before it reads or changes anything, so a
 * handler cannot forget a check; pages call them only to decide which forms
 * to show. Each function denies unless one of its rules allows.
 *
 *   action                          admin coord.  partner lead partner staff/gov. other
 *   read the whole partnership      yes   no      yes          yes              no
 *   read the agreement              yes   no      yes          yes (no buttons) no
 *   see its summary and health      yes   yes     yes          yes              no
 *   change the agreement            no    no      yes          no               no
 *   sign (for own school)           no    no      yes          no               no
 *   record meetings, time, …        no    no      yes          staff only       no
 *   review and close                no    no      yes          no               no
 *   ask for an introduction         no    broker  own school   no               no
 *   read an introduction            yes   yes     either side  either side      no
 *   accept or decline one           no    no      school asked no               no
 *   "needs attention" list          yes   yes     no           no               no
 *   in their calendar feed          no    no      yes          yes              no
 *
 * Coordinators see how partnerships are doing, never what partners wrote:
 * the agreement, notes and evidence are the partner schools' own. A closed
 * partnership stays readable as evidence and changes no more. A calendar
 * feed holds the partnerships of the person's own school only: an
 * administrator reads any partnership on its page, but their feed is not
 * filled with everyone's meetings.
 */
#include "app/partnerships/policy.h"

/* Signed in with a school role. */
static bool in_school(const struct ps_access *a)
{
	return a && a->person_id > 0 && a->school_urn > 0 && a->role > SCHOOL_ROLE_NONE &&
	       a->role < SCHOOL_ROLE__MAX;
}

/* Someone from a partner school. */
static bool partner(const struct ps_access *a)
{
	return in_school(a) && a->partner;
}

/* The lead of a partner school. */
static bool partner_lead(const struct ps_access *a)
{
	return partner(a) && a->role == SCHOOL_ROLE_LEAD;
}

/* A coordinator of the network in question (or an administrator). */
static bool runs_network(const struct ps_access *a)
{
	return a && a->person_id > 0 && a->network_id > 0 && (a->is_admin || a->coordinator);
}

bool policy_ps_read(const struct ps_access *a)
{
	return partner(a) || (a && a->person_id > 0 && a->is_admin);
}

bool policy_ps_agreement_read(const struct ps_access *a)
{
	/* Everyone at a partner school reads what their school signs up to; only leads change or sign it. */
	return policy_ps_read(a);
}

bool policy_ps_summary(const struct ps_access *a)
{
	return policy_ps_read(a) || runs_network(a);
}

bool policy_ps_agreement_edit(const struct ps_access *a)
{
	return partner_lead(a) && !a->closed;
}

bool policy_ps_sign(const struct ps_access *a)
{
	return partner_lead(a) && !a->closed;
}

bool policy_ps_record(const struct ps_access *a)
{
	return partner(a) && !a->closed && (a->role == SCHOOL_ROLE_LEAD || a->role == SCHOOL_ROLE_STAFF);
}

bool policy_ps_close(const struct ps_access *a)
{
	return partner_lead(a) && !a->closed;
}

bool policy_intro_request(const struct ps_access *a, int64_t from_urn, bool from_member, int64_t to_urn,
			  bool to_member)
{
	if (!a || a->network_id <= 0 || from_urn <= 0 || to_urn <= 0 || from_urn == to_urn || !from_member ||
	    !to_member)
		return false;
	if (a->person_id > 0 && a->coordinator)
		return true;
	return in_school(a) && a->school_member && a->role == SCHOOL_ROLE_LEAD && a->school_urn == from_urn;
}

bool policy_intro_read(const struct ps_access *a, int64_t from_urn, int64_t to_urn)
{
	if (runs_network(a))
		return true;
	return in_school(a) && (a->school_urn == from_urn || a->school_urn == to_urn);
}

bool policy_intro_answer(const struct ps_access *a, int64_t to_urn)
{
	return in_school(a) && a->role == SCHOOL_ROLE_LEAD && a->school_urn == to_urn && to_urn > 0;
}

bool policy_ps_attention(const struct ps_access *a)
{
	return runs_network(a);
}

bool policy_ps_calendar(const struct ps_access *a)
{
	return partner(a);
}
