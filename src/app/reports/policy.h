// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.h — who may see which impact report: one function per decision,
 * each a pure function over the facts in struct rep_access (no store, no
 * HTTP), unit-tested cell by cell in tests/unit/test_reports_policy.c. Every
 * function denies unless a rule allows. The table is at the top of policy.c.
 */
#ifndef TANDEM_APP_REPORTS_POLICY_H
#define TANDEM_APP_REPORTS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/accounts/accounts.h"

/*
 * The facts a decision needs about the person asking and the network.
 * Filled by rep_access_load (model.c); zeroed means an anonymous visitor
 * and no network.
 */
struct rep_access {
	int64_t person_id;     /* person.id, 0 when nobody is signed in */
	int64_t school_urn;    /* the person's school, 0 when none */
	enum school_role role; /* the person's role in that school */
	bool is_admin;         /* deployment administrator */
	int64_t network_id;    /* the network, 0 when none */
	bool network_public;   /* the network shows itself to outsiders */
	bool published;        /* the coordinators published its annual report (aggregates) */
	bool school_member;    /* the person's school is a member school of the network */
	bool coordinator;      /* the person coordinates the network */
	bool steering;         /* the person is on the network's steering group */
};

/* How much of the network's report a person sees. */
enum rep_view {
	REP_VIEW_NONE,      /* nothing: 404 or 403 */
	REP_VIEW_AGGREGATE, /* the figures, with no school's or person's name and no quotations */
	REP_VIEW_FULL,      /* everything: schools by name, partnerships, comments */
};

/* How much of the network's impact report a may see. */
enum rep_view rep_policy_network_view(const struct rep_access *a);
/* See school urn's own impact page (urn a member school: the caller checks). */
bool rep_policy_school_see(const struct rep_access *a, int64_t urn);
/* Publish the annual report (aggregates) to everyone, or withdraw it. */
bool rep_policy_publish(const struct rep_access *a);

#endif
