// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * outbox.h — the outbox table as the mail sender job and the outbox page use
 * it (outbox.c), and the back-off schedule. Internal to src/app/mail/.
 */
#ifndef TANDEM_APP_MAIL_OUTBOX_H
#define TANDEM_APP_MAIL_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct db;

/* Attempts before a message is given up as failed. */
#define MAIL_MAX_ATTEMPTS 6

/* A message due for sending (malloc'd strings; outbox_due_free). */
struct outbox_item {
	int64_t id;        /* outbox.id */
	char *to;          /* recipient */
	char *subject;     /* one line */
	char *body;        /* plain text */
	char *message_id;  /* left part of Message-ID */
	int attempts;      /* attempts made before this one */
	char *attachment_name; /* the attachment's file name, NULL when there is none */
	char *attachment_type; /* its MIME type, NULL when there is none */
	char *attachment;      /* its text, NULL when there is none */
};

/*
 * Up to max messages due at now (queued, next_attempt_at reached), oldest
 * first, into *items (malloc'd array). Returns the count, or a negative error.
 */
int outbox_due(struct db *db, int64_t now, int max, struct outbox_item **items);
void outbox_due_free(struct outbox_item *items, int n);
/* How long a claimed message is left to its sender before another may try it. */
#define OUTBOX_CLAIM_SECONDS 600

/*
 * Claim a due message for this sender before sending it: moves its
 * next_attempt_at OUTBOX_CLAIM_SECONDS on, only if it is still queued and
 * due. One atomic UPDATE, so with several app servers (and several senders)
 * on one database exactly one of them gets 1 for a message and sends it; a
 * sender that dies while sending leaves it to be tried again after the
 * claim runs out. Returns 1 (ours: send it), 0 (another sender has it), or
 * a negative error.
 */
int outbox_claim(struct db *db, int64_t id, int64_t now) WUR;
/* Mark a message sent at now (its body is blanked). */
int outbox_mark_sent(struct db *db, int64_t id, int64_t now) WUR;
/*
 * Record a failed attempt (attempts made so far, counting this one): queued
 * again after the back-off, or failed for good when permanent or after
 * MAIL_MAX_ATTEMPTS. error is kept as last_error.
 */
int outbox_mark_failed(struct db *db, int64_t id, int attempts, bool permanent, const char *error,
		       int64_t now) WUR;
/* Seconds to wait after the n-th failed attempt (1 min, 5 min, 30 min, 2 h, 6 h …). */
int64_t outbox_backoff(int n);
/* One page of the outbox, newest first, optionally of one status: {messages, total}. NULL on error. */
json_t *outbox_page(struct db *db, const char *status, int64_t offset, int64_t limit);

#endif
