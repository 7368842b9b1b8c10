// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * home.h — the home page's model (model.c): the store's health for
 * /healthz, and a signed-in person's home — their networks, what is waiting
 * for them across the capabilities, and what is new in their networks.
 */
#ifndef TANDEM_APP_HOME_HOME_H
#define TANDEM_APP_HOME_HOME_H

#include <stdbool.h>

#include <jansson.h>

#include "app/accounts/accounts.h"

struct arena;
struct db;

/* Whether the database answers a query (false for NULL). */
bool home_store_ok(struct db *db);
/*
 * u's home: {networks, has_networks, whats_new: [{slug, name, items}],
 * waiting: {introductions_to_answer, introductions_asked, forming,
 * actions_due, attention, networks_asking, lead_requests[,
 * leads_to_confirm]}, nothing_waiting}. New reference.
 */
json_t *home_for(struct db *db, struct arena *a, const struct user *u);

#endif
