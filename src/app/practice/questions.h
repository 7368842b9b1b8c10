// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * questions.h — "Thinking Thursday" (questions.c): a member of staff asks a
 * question of their school or their network, others who see it answer, and
 * the asker marks the answers that helped. Who sees a question is decided by
 * the one visibility check (practice_can_see), its audience standing for the
 * visibility: 'school' as a school-only item, 'network' as a network item.
 * A question someone may not see is ERR_NOTFOUND, as if it did not exist.
 *
 * Results are new jansson references; strings live in the request arena.
 * Functions that validate input add {field: message} to errors and return
 * ERR_INVALID (or ERR_CONFLICT).
 */
#ifndef TANDEM_APP_PRACTICE_QUESTIONS_H
#define TANDEM_APP_PRACTICE_QUESTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/practice/model.h"

/* The longest question, its details and an answer, in characters. */
#define PRACTICE_QUESTION_MAX 200
#define PRACTICE_DETAILS_MAX 2000
#define PRACTICE_ANSWER_MAX 2000

/* The questions the person may see, newest first: {network, questions[], can_ask, max…}. */
int practice_questions(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out) WUR;
/* One question with its answers and what the person may do: ERR_NOTFOUND when they may not see it. */
int practice_question(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out) WUR;
/*
 * Ask a question (up to PRACTICE_QUESTION_MAX characters, details up to
 * PRACTICE_DETAILS_MAX, audience "school" or "network"): 0 with *id;
 * ERR_INVALID with errors; ERR_FORBIDDEN when the person may not post.
 */
int practice_question_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *question,
			  const char *details, const char *audience, json_t *errors, int64_t *id) WUR;
/* Answer question id (text up to PRACTICE_ANSWER_MAX characters): ERR_INVALID with errors, ERR_NOTFOUND unseen. */
int practice_answer_add(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, const char *text,
			json_t *errors) WUR;
/*
 * The asker marks answer answer_id of question id helpful: ERR_FORBIDDEN
 * for anyone else or for their own answer, ERR_CONFLICT when marked
 * already, ERR_NOTFOUND when there is no such answer or question in sight.
 */
int practice_answer_helpful(struct db *db, const struct practice_ctx *c, int64_t id, int64_t answer_id) WUR;

#endif
