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
struct user;

/* Route table for /networks/{slug}/ideas…. */
extern const struct route practice_routes[];
/* Forget the board pages kept in memory (at shutdown, so leak checkers stay quiet). */
void practice_shutdown(void);

/* Route table for search, public items and publishing (pages_search.c). */
extern const struct route practice_search_routes[];

/* Route table for the Atom feed and the weekly email's switch (pages_feed.c). */
extern const struct route practice_feed_routes[];

/* Route table for attachments, and the gate that refuses anonymous uploads before their body (pages_attachments.c). */
extern const struct route practice_attachment_routes[];
extern const struct route_gate practice_attachment_gates[];

/* Route table for questions, "Thinking Thursday" (pages_questions.c). */
extern const struct route practice_question_routes[];

/*
 * The network's current question for u (NULL: anonymous): the newest asked
 * of the network in the last seven days that u may see, as {question, url,
 * author, school, answers, …} (new reference), or NULL.
 */
json_t *practice_current_question(struct db *db, const struct user *u, int64_t network_id, const char *slug);
/* The person's questions and answers for "download my data" (new reference). */
json_t *practice_questions_export(struct db *db, int64_t person_id);

/* Rebuild shared practice's search index from its documents (after copy-db): 0 or ERR_DB. */
int practice_search_rebuild_index(struct db *db);

/* The person's ideas and reactions for "download my data" (new reference). */
json_t *practice_export_person(struct db *db, int64_t person_id);

#endif
