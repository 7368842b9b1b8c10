// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.h — who may do what in a network: one function per action, each a
 * pure decision over the facts in struct net_access (no store, no HTTP), so
 * the whole table is unit-tested in tests/unit/test_net_policy.c. Every
 * function denies unless a rule allows. See the table at the top of
 * policy.c.
 */
#ifndef TANDEM_APP_NETWORKS_POLICY_H
#define TANDEM_APP_NETWORKS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/accounts/accounts.h"

/*
 * The facts a decision needs about the person asking and the network asked
 * about. Filled by net_access_load (model.c) from the signed-in user and the
 * store; zeroed means an anonymous visitor and no network.
 */
struct net_access {
	int64_t person_id;      /* person.id, 0 when nobody is signed in */
	int64_t school_urn;     /* the person's school, 0 when none */
	enum school_role role;  /* the person's role in that school */
	bool is_admin;          /* deployment administrator */
	int64_t network_id;     /* the network, 0 when none (creating one) */
	bool network_public;    /* the network shows its name and description to outsiders */
	bool school_member;     /* the person's school is a member school of the network (it agreed) */
	bool school_invited;    /* the network has asked the person's school to join, not yet answered */
	bool coordinator;       /* the person coordinates the network */
	bool steering;          /* the person is on the network's steering group */
};

/* A person someone wants to act on (change role, remove). */
struct net_person {
	int64_t person_id;     /* person.id */
	int64_t school_urn;    /* their school, 0 when none */
	enum school_role role; /* their role in it */
	bool school_member;    /* their school is a member school of the network */
};

/* What the policy needs to know about a school someone invites people to. */
struct net_school_facts {
	int64_t urn;   /* the school */
	bool member;   /* it is a member of the network (it agreed, or joined before consent was asked) */
	bool invited;  /* the network has asked it to join; no answer yet */
	bool has_lead; /* someone on Tandem is its lead */
};

/* Create a network (and become its first coordinator). */
bool policy_network_create(const struct net_access *a);
/* See that the network exists: its name and description. */
bool policy_network_see(const struct net_access *a);
/* Read everything the network holds: schools, people, strengths, needs, what's new. */
bool policy_network_read(const struct net_access *a);
/* Change the name, description, region and public flag. */
bool policy_network_edit(const struct net_access *a);
/* Change the list of themes. */
bool policy_themes_edit(const struct net_access *a);
/* Ask schools to join, withdraw the request, and remove member schools. */
bool policy_schools_manage(const struct net_access *a);
/* Make a school a member without asking it (administrators only). */
bool policy_school_add_direct(const struct net_access *a);
/* Accept or decline the network's request that the person's own school join. */
bool policy_membership_answer(const struct net_access *a);
/* Add and remove coordinators and steering group members. */
bool policy_steering_manage(const struct net_access *a);
/*
 * Invite someone to school s with role: the school's own lead (any role),
 * an administrator, or a coordinator asking a member or invited school that
 * has no lead on Tandem for its first lead.
 */
bool policy_invite(const struct net_access *a, const struct net_school_facts *s, enum school_role role);
/* See the pending invitations of school s (and withdraw them). */
bool policy_invitations_manage(const struct net_access *a, const struct net_school_facts *s);
/* See the email address of a person at school urn with role (everyone's own, leads', or a lead's colleagues'). */
bool policy_person_email(const struct net_access *a, int64_t person_id, int64_t urn, enum school_role role);
/* Approve or refuse someone waiting to become a school's first lead (administrators). */
bool policy_lead_request_decide(const struct net_access *a);
/* Give person t the school role new_role (in their own school). */
bool policy_person_set_role(const struct net_access *a, const struct net_person *t, enum school_role new_role);
/* Remove person t from their school. */
bool policy_person_remove(const struct net_access *a, const struct net_person *t);
/* Add, change and delete the strengths and needs of school urn in the network. */
bool policy_profile_edit(const struct net_access *a, int64_t urn, bool school_is_member);

#endif
