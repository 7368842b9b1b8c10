// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * practice.h — shared practice as the rest of Tandem sees it: the route
 * table (the ideas board of a network and its schools, an idea, reactions,
 * widening with the lead's approval; pages.c) and the part of "download my
 * data" (model.c).
 */
#ifndef TANDEM_APP_PRACTICE_PRACTICE_H
#define TANDEM_APP_PRACTICE_PRACTICE_H

#include <stdint.h>

#include <jansson.h>

#include "http/http.h"

struct db;

/* Route table for /networks/{slug}/ideas…. */
extern const struct route practice_routes[];

/* Route table for search, public items and publishing (pages_search.c). */
extern const struct route practice_search_routes[];

/* Rebuild shared practice's search index from its documents (after copy-db): 0 or ERR_DB. */
int practice_search_rebuild_index(struct db *db);

/* The person's ideas and reactions for "download my data" (new reference). */
json_t *practice_export_person(struct db *db, int64_t person_id);

#endif
