// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * feed.h — shared practice leaving Tandem (feed.c): the Atom feed of a
 * network's public practice, and the weekly opt-in email of new practice a
 * person may see (a job of `tandem serve`, app_jobs in app.c).
 */
#ifndef TANDEM_APP_PRACTICE_FEED_H
#define TANDEM_APP_PRACTICE_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/jobs.h"
#include "core/err.h"

struct buf;
struct db;

/* Write the feed model practice_feed gives as an Atom document into out, links under base_url, every value escaped. */
void practice_atom(const json_t *feed, const char *base_url, struct buf *out);
/* Whether person_id has switched the weekly email on: 0 or ERR_DB. */
int practice_digest_get(struct db *db, int64_t person_id, bool *on) WUR;
/* Switch person_id's weekly email on or off: 0 or ERR_DB. */
int practice_digest_set(struct db *db, int64_t person_id, bool on) WUR;
/*
 * Queue the weekly email for everyone who switched it on and is due at now
 * (never sent, or last looked for a week or more ago): the items posted
 * since then that practice_can_see lets them see, linked under base_url; no
 * email when there is none. *sent is how many were queued. One transaction.
 */
int practice_digest_run(struct db *db, const char *base_url, int64_t now, int *sent) WUR;

/* The weekly email job (interval TANDEM_DIGEST_INTERVAL, as the partnership digest). */
extern const struct job practice_digest_job;

#endif
