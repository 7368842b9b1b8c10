// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.h — who may do what with the broker: one pure function per action
 * over the facts in struct broker_access (no store, no HTTP), unit-tested
 * cell by cell in tests/unit/test_broker_policy.c. Every function denies
 * unless a rule allows. The table is at the top of policy.c.
 */
#ifndef TANDEM_APP_BROKER_POLICY_H
#define TANDEM_APP_BROKER_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/accounts/accounts.h"

/*
 * The facts a decision needs about the person asking and the network asked
 * about. Filled by broker_open (model.c); zeroed means an anonymous visitor.
 */
struct broker_access {
	int64_t person_id;     /* person.id, 0 when nobody is signed in */
	int64_t school_urn;    /* the person's school, 0 when none */
	enum school_role role; /* the person's role in that school */
	bool is_admin;         /* deployment administrator */
	int64_t network_id;    /* the network, 0 when none */
	bool school_member;    /* the person's school is a member school of the network */
	bool coordinator;      /* the person coordinates the network */
};

/* See the broker's review: proposals, gains and contributions, what was left out. */
bool policy_broker_review(const struct broker_access *a);
/* Run the broker (replacing the proposals not yet decided). */
bool policy_broker_run(const struct broker_access *a);
/* Accept, reject or swap a partner of a proposal (accepting sends introductions). */
bool policy_broker_decide(const struct broker_access *a);
/* See school urn's capacity this year and the themes it is not looking for. */
bool policy_broker_capacity_see(const struct broker_access *a, int64_t urn);
/* Set school urn's capacity and the themes it is not looking for. */
bool policy_broker_capacity_set(const struct broker_access *a, int64_t urn);

#endif
