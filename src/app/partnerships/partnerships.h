// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * partnerships.h — the partnerships capability as the rest of Tandem sees
 * it: the route tables (introductions, partnerships and their agreement,
 * running them; see pages*.c), their part of the calendar feed, the offer of an
 * introduction that a school's profile shows a signed-in school lead, and
 * the health sweep with the weekly digest, as a job of `tandem serve`
 * and as `tandem digest`.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_PARTNERSHIPS_H
#define TANDEM_APP_PARTNERSHIPS_PARTNERSHIPS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "http/http.h"

struct calendar_feed;
struct cli;
struct config;
struct db;
struct job;
struct user;

/* Route table for /introductions/… and /partnerships/…. */
extern const struct route partnerships_routes[];
/* Route table for running a partnership, closing it and /networks/{slug}/attention (pages_running.c). */
extern const struct route ps_running_routes[];
/*
 * The partnerships' part of a calendar feed (calendar.c; a calendar_source
 * that app.c lists): add f->u's partnership meetings and the due days of
 * open actions to f. Returns 0 or ERR_DB.
 */
int ps_calendar_add(struct db *db, struct calendar_feed *f) WUR;
/* The number of partnerships of u's school, for the calendar page (0 when none): 0 or ERR_DB. */
int ps_calendar_count(struct db *db, const struct user *u, int64_t *n) WUR;

/*
 * For a school's profile or the similar-schools list: the networks in which
 * u (a school lead) may ask to be introduced to school urn, [{slug, name}]
 * (new array; empty when none).
 */
json_t *partnerships_intro_offer(struct db *db, const struct user *u, int64_t urn);

/*
 * For the similar-schools list: the schools that share a network with u's
 * school when u is a school lead, {"URN": "network name"} (new object;
 * empty for anyone else), so the list can mark who may be asked.
 */
json_t *partnerships_peers(struct db *db, const struct user *u);

/*
 * For the similar-schools list: the schools u's school (u a school lead)
 * has asked to be introduced to and that have not answered yet,
 * {"URN": {url, asked_on}} (new object; empty for anyone else), so the list
 * says "Asked" and links to the introduction instead of offering to ask again.
 */
json_t *partnerships_asked(struct db *db, const struct user *u);

/*
 * The health sweep and the weekly digests as a job of `tandem serve`
 * (digest_job.c; app_jobs lists it): at start and every
 * config->digest_interval seconds, off when that is 0.
 */
extern const struct job partnerships_digest_job;
/*
 * A person's part of "download my data" (an accounts_export_parts entry,
 * export.c): introductions, signatures, meetings, actions, time, evidence
 * and reflections they wrote or that name them. New reference, NULL on a
 * store error.
 */
json_t *partnerships_export_person(struct db *db, int64_t person_id);

/*
 * What in partnerships waits for u at now (waiting.c): {introductions_to_answer,
 * introductions_asked, forming, actions_due, attention}, each a short list,
 * with has_introductions_to_answer and has_introductions_asked
 * (empty for nobody). New reference; lists are empty on a store error.
 */
json_t *partnerships_waiting(struct db *db, const struct user *u, int64_t now);

/* `tandem digest [--dry-run]`: the sweep and the digests once, saying what was done (cli.c). */
int partnerships_cli_digest(struct cli *cli);

#endif
