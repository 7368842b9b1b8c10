// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.h — the broker's model, shared by pages.c and cli.c: opening a
 * network with the access facts of the person asking, loading the facts the
 * engine needs, running and storing proposals, the coordinator's review
 * (accept, reject, swap a partner) and a school's capacity. Each function
 * asks policy.c first (ERR_NOTFOUND when the person may not know the network
 * exists, ERR_FORBIDDEN when they may see it but not do this).
 *
 * Results are new jansson references (the caller decrefs); strings live in
 * the request arena. Functions that validate input add {field: message} to
 * an `errors` object and return ERR_INVALID (or ERR_CONFLICT).
 */
#ifndef TANDEM_APP_BROKER_MODEL_H
#define TANDEM_APP_BROKER_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "app/broker/policy.h"
#include "app/networks/policy.h"
#include "core/err.h"

struct arena;
struct db;

/* A network opened for the broker (strings in the arena). */
struct broker_ctx {
	int64_t network_id;        /* network.id */
	const char *slug;          /* its URL segment */
	const char *name;          /* its name */
	struct broker_access acc;  /* the person's facts */
	struct net_access nacc;    /* the person's place in the network as its own pages see it (their menu) */
	int year;                  /* the academic year now: 2026 is 2026-27 */
};

/* The academic year (its first calendar year) that Unix time t falls in: from 1 September. */
int broker_year_of(int64_t t);

/*
 * Open the network at slug for u (NULL: anonymous; or a command-line run:
 * see broker_open_cli). ERR_NOTFOUND when there is no such network or u may
 * not know it exists.
 */
int broker_open(struct db *db, struct arena *a, const struct user *u, const char *slug, struct broker_ctx *c) WUR;
/* The same for `tandem broker`: the operator at the machine acts as a coordinator. */
int broker_open_cli(struct db *db, struct arena *a, const char *slug, struct broker_ctx *c) WUR;

/*
 * What the network lacks before the broker can run, as sentences saying what
 * to add (new array; empty when it can run): fewer than two member schools,
 * no strengths, no needs.
 */
json_t *broker_missing(struct db *db, const struct broker_ctx *c);

/*
 * A run computed now, without storing it: {proposals [{a{urn,name,gain},
 * b{…}, reciprocal, score, explanation[]}], left_out, groups, lone_themes,
 * fairness}. Policy: review. ERR_INVALID with *missing (new array) when the
 * network lacks what the broker needs.
 */
int broker_compute(struct db *db, struct arena *a, const struct broker_ctx *c, json_t **out) WUR;
/*
 * Run the broker and store its proposals in place of those not yet decided
 * (accepted and rejected ones stay). Policy: run. ERR_INVALID when the
 * network lacks what the broker needs (broker_missing says what).
 */
int broker_run_store(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u) WUR;
/*
 * The review page's model: {network, year_label, can_run, can_decide,
 * missing[], run, proposals[], schools[], left_out[], groups[], fairness}.
 * Policy: review.
 */
int broker_review(struct db *db, struct arena *a, const struct broker_ctx *c, json_t **out) WUR;

/*
 * Accept proposal id: both schools must still be members with capacity left
 * (else ERR_CONFLICT with errors["proposal"] saying which); sends a
 * brokered introduction to both leads through the partnerships'
 * introductions. Policy: decide.
 */
int broker_accept(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u,
		  const char *base_url, int64_t id, json_t *errors) WUR;
/* Reject proposal id (never proposed again this year). ERR_CONFLICT when already decided. */
int broker_reject(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u, int64_t id) WUR;
/*
 * Swap a partner: proposal id keeps school keep and pairs it with partner
 * instead, scored and explained again. ERR_INVALID with errors (not a
 * member, the same school, a pair never proposed); ERR_CONFLICT (decided).
 */
int broker_swap(struct db *db, struct arena *a, const struct broker_ctx *c, int64_t id, int64_t keep,
		int64_t partner, json_t *errors) WUR;

/*
 * `tandem demo`: run the broker once on the network at slug, as its
 * coordinator coordinator_id, so the demo shows proposals; nothing when it
 * has a run already. 0, ERR_NOTFOUND, ERR_INVALID (nothing to match), ERR_DB.
 */
int broker_demo(struct db *db, struct arena *a, const char *slug, int64_t coordinator_id) WUR;

/* School urn's capacity form: {urn, name, capacity, themes[{name, off}]}. Policy: capacity_see. */
int broker_capacity_get(struct db *db, struct arena *a, const struct broker_ctx *c, int64_t urn, json_t **out) WUR;
/*
 * Set school urn's capacity this year (0..20) and the themes (names, n of
 * them) it is not looking for. ERR_INVALID with errors. Policy: capacity_set.
 */
int broker_capacity_set(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u,
			int64_t urn, int64_t capacity, const char *const *off, size_t n_off, json_t *errors) WUR;

#endif
