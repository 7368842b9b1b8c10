// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * mail.h — outgoing email. Features queue a message in the store's outbox
 * (inside their own transaction if they like); a background job sends
 * queued messages over SMTP with libcurl when TANDEM_SMTP_URL is set,
 * retrying with back-off, so no request ever waits on a mail server. Without
 * SMTP configured messages stay in the outbox, which an administrator reads
 * at /admin/outbox (so the demo works offline).
 */
#ifndef TANDEM_APP_MAIL_MAIL_H
#define TANDEM_APP_MAIL_MAIL_H

#include <jansson.h>

#include "core/err.h"
#include "http/http.h"

struct db;
struct job;

/*
 * Queue a plain-text message to one address. Subject one line (≤ 200
 * characters); body UTF-8 text. Returns 0, ERR_INVALID (bad address or
 * subject) or ERR_DB.
 */
int mail_queue(struct db *db, const char *to, const char *subject, const char *body) WUR;

/* One file sent with a message (borrowed strings). */
struct mail_attachment {
	const char *name; /* file name, plain ASCII without quotes or slashes ("session.ics") */
	const char *type; /* MIME type with its parameters ("text/calendar; charset=utf-8; method=PUBLISH") */
	const char *data; /* its text, UTF-8 */
};
/*
 * mail_queue with one attachment (att may be NULL): the message goes as
 * multipart/mixed, the text first, then the file in base64. ERR_INVALID for
 * an attachment whose name or type could break the headers.
 */
int mail_queue_attached(struct db *db, const char *to, const char *subject, const char *body,
			const struct mail_attachment *att) WUR;

/* The messages to address `to` (any case), newest first, as a new JSON array (for "download my data"); NULL on a store error. */
json_t *mail_of_recipient(struct db *db, const char *to);
/* Delete every message to address `to` (an account being deleted). Returns 0 or ERR_DB. */
int mail_forget_recipient(struct db *db, const char *to) WUR;

/*
 * The sender, a job of `tandem serve` (sender.c; app_jobs lists it): on
 * when TANDEM_SMTP_URL is set, every second and whenever a message is queued.
 */
extern const struct job mail_sender_job;

/* Route table: /admin/outbox (administrators only). */
extern const struct route mail_routes[];

#endif
