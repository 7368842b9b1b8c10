// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.h — who may do what with introductions and partnerships: one pure
 * function per action over the facts in struct ps_access (no store, no
 * HTTP), unit-tested in tests/unit/test_ps_policy.c. Every function denies
 * unless a rule allows. The table is at the top of policy.c.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_POLICY_H
#define TANDEM_APP_PARTNERSHIPS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/accounts/accounts.h"

/*
 * The facts a decision needs about the person asking and the partnership
 * (or introduction, or network) asked about. Filled by ps_access_load
 * (model.c); zeroed means an anonymous visitor.
 */
struct ps_access {
	int64_t person_id;     /* person.id, 0 when nobody is signed in */
	int64_t school_urn;    /* the person's school, 0 when none */
	enum school_role role; /* the person's role in that school */
	bool is_admin;         /* deployment administrator */
	int64_t network_id;    /* the network asked about, 0 when none */
	bool school_member;    /* the person's school is a member school of that network */
	bool coordinator;      /* the person coordinates that network */
	bool partner;          /* the person's school is a partner school of the partnership */
	bool closed;           /* the partnership is closed (read-only evidence) */
};

/* Read everything a partnership holds (agreement, meetings, time, evidence …). */
bool policy_ps_read(const struct ps_access *a);
/*
 * Read the agreement (everyone at a partner school: staff and governors
 * read it without changing or signing it; administrators), not coordinators.
 */
bool policy_ps_agreement_read(const struct ps_access *a);
/* See a partnership's summary and health (coordinators' "needs attention"). */
bool policy_ps_summary(const struct ps_access *a);
/* Change the agreement (any partner school's lead, until it is closed). */
bool policy_ps_agreement_edit(const struct ps_access *a);
/* Sign the agreement for the person's own school (its lead; agreement_can_sign decides the rest). */
bool policy_ps_sign(const struct ps_access *a);
/* Record meetings, actions, decisions, time, evidence and reflections (leads and staff of partner schools). */
bool policy_ps_record(const struct ps_access *a);
/* Review and close the partnership (a partner school's lead). */
bool policy_ps_close(const struct ps_access *a);
/*
 * Ask for an introduction from school from_urn to school to_urn in the
 * network: the lead of from_urn, or (brokering) a coordinator. Both schools
 * must be members (from_member, to_member) and different.
 */
bool policy_intro_request(const struct ps_access *a, int64_t from_urn, bool from_member, int64_t to_urn,
			  bool to_member);
/* Read an introduction between from_urn and to_urn (people of either school, coordinators). */
bool policy_intro_read(const struct ps_access *a, int64_t from_urn, int64_t to_urn);
/* Accept or decline an introduction to to_urn (that school's lead). */
bool policy_intro_answer(const struct ps_access *a, int64_t to_urn);
/* See the network's "needs attention" list (coordinators). */
bool policy_ps_attention(const struct ps_access *a);
/*
 * Have the partnership's meetings and due dates in the person's private
 * calendar feed (everyone at a partner school, closed partnerships too).
 */
bool policy_ps_calendar(const struct ps_access *a);

#endif
