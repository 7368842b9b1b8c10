// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * outbox.c — queueing mail and the outbox table: what is due, marking sent
 * or failed with back-off, the page of messages for administrators, and the
 * messages of one recipient (for "download my data" and deleting an
 * account).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/jobs.h"
#include "app/mail/mail.h"
#include "app/mail/outbox.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "core/util.h"
#include "db/db.h"

/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define ISO_BUFSZ 24

DB_QUERY(Q_OUTBOX_INSERT, "INSERT INTO outbox (to_addr, subject, body, message_id, next_attempt_at, "
			  "created_at, attachment_name, attachment_type, attachment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_OUTBOX_DUE, "SELECT id, to_addr, subject, body, message_id, attempts, attachment_name, "
		       "attachment_type, attachment FROM outbox "
		       "WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?");
/* Take a due message for one sender: whoever changes the row sends it (see outbox_claim). */
DB_QUERY(Q_OUTBOX_CLAIM, "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND status = 'queued' "
			 "AND next_attempt_at <= ?");
DB_QUERY(Q_OUTBOX_SENT, "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
			"body = '', attachment = NULL, last_error = NULL WHERE id = ?");
DB_QUERY(Q_OUTBOX_RETRY, "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?");
DB_QUERY(Q_OUTBOX_FAILED, "UPDATE outbox SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?");
DB_QUERY_PG(Q_OUTBOX_COUNT, "SELECT count(*) FROM outbox WHERE ?1 IS NULL OR status = ?1",
	    "SELECT count(*) FROM outbox WHERE CAST(?1 AS text) IS NULL OR status = ?1");
DB_QUERY_PG(Q_OUTBOX_PAGE, "SELECT id, to_addr, subject, body, message_id, status, attempts, next_attempt_at, "
			"last_error, created_at, sent_at FROM outbox WHERE ?1 IS NULL OR status = ?1 "
			"ORDER BY id DESC LIMIT ?2 OFFSET ?3",
	    "SELECT id, to_addr, subject, body, message_id, status, attempts, next_attempt_at, "
	    "last_error, created_at, sent_at FROM outbox WHERE CAST(?1 AS text) IS NULL OR status = ?1 "
	    "ORDER BY id DESC LIMIT ?2 OFFSET ?3");
DB_QUERY_PG(Q_OUTBOX_OF, "SELECT id, to_addr, subject, body, status, created_at, sent_at FROM outbox "
		      "WHERE to_addr = ? COLLATE NOCASE ORDER BY id DESC",
	    "SELECT id, to_addr, subject, body, status, created_at, sent_at FROM outbox "
	    "WHERE lower(to_addr) = lower(?) ORDER BY id DESC");
DB_QUERY_PG(Q_OUTBOX_FORGET, "DELETE FROM outbox WHERE to_addr = ? COLLATE NOCASE",
	    "DELETE FROM outbox WHERE lower(to_addr) = lower(?)");

/* A recipient we can put in an envelope and a To header. */
static bool address_ok(const char *to)
{
	size_t n = to ? strlen(to) : 0;
	if (n < 3 || n > 254 || !utf8_valid(to, n))
		return false;
	const char *at = strchr(to, '@');
	if (!at || at == to || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)to; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	return true;
}

/* An attachment's name or type that cannot break out of its header: printable ASCII, no quotes or slashes in the name. */
static bool header_safe(const char *s, bool name)
{
	if (!s || !*s || strlen(s) > 200)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p > 0x7e || (name && strchr("\"\\/;", *p)))
			return false;
	return true;
}

int mail_queue(struct db *db, const char *to, const char *subject, const char *body)
{
	return mail_queue_attached(db, to, subject, body, NULL);
}

int mail_queue_attached(struct db *db, const char *to, const char *subject, const char *body,
			const struct mail_attachment *att)
{
	if (!address_ok(to) || !subject || !*subject || !body)
		return ERR_INVALID;
	if (att && (!header_safe(att->name, true) || !header_safe(att->type, false) || !att->data ||
		    !utf8_valid(att->data, strlen(att->data))))
		return ERR_INVALID;
	size_t sn = strlen(subject);
	if (!utf8_valid(subject, sn) || utf8_len(subject, sn) > 200 || !utf8_valid(body, strlen(body)))
		return ERR_INVALID;
	for (const unsigned char *p = (const unsigned char *)subject; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return ERR_INVALID;
	if (sodium_init() < 0)
		return ERR_INTERNAL;
	unsigned char raw[16];
	char mid[33], now[ISO_BUFSZ];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(mid, sizeof(mid), raw, sizeof(raw));
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_OUTBOX_INSERT);
	if (!st || db_bind_text(st, 1, to) || db_bind_text(st, 2, subject) || db_bind_text(st, 3, body) ||
	    db_bind_text(st, 4, mid) || db_bind_text(st, 5, now) || db_bind_text(st, 6, now) ||
	    (att ? db_bind_text(st, 7, att->name) || db_bind_text(st, 8, att->type) || db_bind_text(st, 9, att->data)
		 : db_bind_null(st, 7) || db_bind_null(st, 8) || db_bind_null(st, 9)))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	jobs_wake(&mail_sender_job); /* the sender, when it runs, sends it now */
	return 0;
}

int outbox_due(struct db *db, int64_t now, int max, struct outbox_item **items)
{
	*items = NULL;
	char t[ISO_BUFSZ];
	clock_format_iso(now, t, sizeof(t));
	struct db_stmt *st = db_stmt(db, &Q_OUTBOX_DUE);
	if (!st || db_bind_text(st, 1, t) || db_bind_int(st, 2, max))
		return ERR_DB;
	struct outbox_item *list = xcalloc((size_t)max, sizeof(*list));
	int n = 0, rc = 0;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		struct outbox_item *it = &list[n++];
		it->id = db_col_int(st, 0);
		it->to = xstrdup(db_col_text(st, 1));
		it->subject = xstrdup(db_col_text(st, 2));
		it->body = xstrdup(db_col_text(st, 3));
		it->message_id = xstrdup(db_col_text(st, 4));
		it->attempts = (int)db_col_int(st, 5);
		if (!db_col_is_null(st, 8)) {
			it->attachment_name = xstrdup(db_col_text(st, 6));
			it->attachment_type = xstrdup(db_col_text(st, 7));
			it->attachment = xstrdup(db_col_text(st, 8));
		}
	}
	db_reset(st);
	if (n == 0) {
		free(list);
		return rc < 0 ? rc : 0;
	}
	*items = list;
	return n;
}

void outbox_due_free(struct outbox_item *items, int n)
{
	for (int i = 0; i < n; i++) {
		free(items[i].to);
		free(items[i].subject);
		free(items[i].body);
		free(items[i].message_id);
		free(items[i].attachment_name);
		free(items[i].attachment_type);
		free(items[i].attachment);
	}
	free(items);
}

int outbox_claim(struct db *db, int64_t id, int64_t now)
{
	char t[ISO_BUFSZ], until[ISO_BUFSZ];
	clock_format_iso(now, t, sizeof(t));
	clock_format_iso(now + OUTBOX_CLAIM_SECONDS, until, sizeof(until));
	struct db_stmt *st = db_stmt(db, &Q_OUTBOX_CLAIM);
	if (!st || db_bind_text(st, 1, until) || db_bind_int(st, 2, id) || db_bind_text(st, 3, t))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) == 1;
}

int outbox_mark_sent(struct db *db, int64_t id, int64_t now)
{
	char t[ISO_BUFSZ];
	clock_format_iso(now, t, sizeof(t));
	struct db_stmt *st = db_stmt(db, &Q_OUTBOX_SENT);
	if (!st || db_bind_text(st, 1, t) || db_bind_int(st, 2, id))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

int64_t outbox_backoff(int n)
{
	static const int64_t steps[] = {60, 300, 1800, 7200, 21600};
	if (n < 1)
		n = 1;
	size_t i = (size_t)n - 1;
	return i < sizeof(steps) / sizeof(steps[0]) ? steps[i] : 86400;
}

int outbox_mark_failed(struct db *db, int64_t id, int attempts, bool permanent, const char *error, int64_t now)
{
	struct db_stmt *st;
	if (permanent || attempts >= MAIL_MAX_ATTEMPTS) {
		st = db_stmt(db, &Q_OUTBOX_FAILED);
		if (!st || db_bind_int(st, 1, attempts) || db_bind_text(st, 2, error) || db_bind_int(st, 3, id))
			return ERR_DB;
	} else {
		char t[ISO_BUFSZ];
		clock_format_iso(now + outbox_backoff(attempts), t, sizeof(t));
		st = db_stmt(db, &Q_OUTBOX_RETRY);
		if (!st || db_bind_int(st, 1, attempts) || db_bind_text(st, 2, t) || db_bind_text(st, 3, error) ||
		    db_bind_int(st, 4, id))
			return ERR_DB;
	}
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

json_t *outbox_page(struct db *db, const char *status, int64_t offset, int64_t limit)
{
	struct db_stmt *st = db_stmt(db, &Q_OUTBOX_COUNT);
	if (!st || db_bind_text(st, 1, status) || db_step(st) != DB_ROW)
		return NULL;
	int64_t total = db_col_int(st, 0);
	db_reset(st);
	st = db_stmt(db, &Q_OUTBOX_PAGE);
	if (!st || db_bind_text(st, 1, status) || db_bind_int(st, 2, limit) || db_bind_int(st, 3, offset))
		return NULL;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return NULL;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		const char *s = json_string_value(json_object_get(row, "status"));
		json_object_set_new(row, "is_queued", json_boolean(str_eq(s, "queued")));
		json_object_set_new(row, "is_sent", json_boolean(str_eq(s, "sent")));
		json_object_set_new(row, "is_failed", json_boolean(str_eq(s, "failed")));
		json_object_set_new(row, "attempts_one", json_boolean(json_integer_value(json_object_get(row, "attempts")) == 1));
	}
	return json_pack("{s:o, s:I}", "messages", rows, "total", (json_int_t)total);
}

json_t *mail_of_recipient(struct db *db, const char *to)
{
	struct db_stmt *st = db_stmt(db, &Q_OUTBOX_OF);
	if (!st || db_bind_text(st, 1, to ? to : ""))
		return NULL;
	return db_rows_json(st);
}

int mail_forget_recipient(struct db *db, const char *to)
{
	struct db_stmt *st = db_stmt(db, &Q_OUTBOX_FORGET);
	if (!st || db_bind_text(st, 1, to ? to : ""))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}
