// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * sender.c — the mail sender, a job of `tandem serve` (app/jobs.h) when
 * TANDEM_SMTP_URL is set: it runs every second and as soon as a message is
 * queued (outbox.c wakes it), sends what is due over SMTP with libcurl, and
 * marks each message sent, or queued again after a back-off, or failed. The
 * runner gives it its own thread and database connection. Requests never
 * wait on it.
 *
 * libcurl: the envelope (MAIL FROM, RCPT TO) from the settings and the
 * message; the message text (message.c) through a read callback; user and
 * password when set; smtps:// is TLS from the start, smtp:// upgrades with
 * STARTTLS when the server offers it (and insists on it when a password is
 * set, so it is never sent in the clear); connect timeout 10 s, whole
 * transfer 60 s; a transfer in progress is abandoned when the server stops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "app/jobs.h"
#include "app/mail/mail.h"
#include "app/mail/message.h"
#include "app/mail/outbox.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

/* Messages handled per wake-up. */
#define BATCH 20

/* The message text as curl reads it. */
struct upload {
	const char *data; /* the whole message (borrowed) */
	size_t len;       /* its length */
	size_t pos;       /* how much curl has read so far */
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct upload *u = userdata;
	size_t room = size * nmemb, left = u->len - u->pos;
	size_t n = left < room ? left : room;
	memcpy(ptr, u->data + u->pos, n);
	u->pos += n;
	return n;
}

static int progress_cb(void *p, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)p, (void)dt, (void)dn, (void)ut, (void)un;
	return jobs_stopping() ? 1 : 0;
}

/* SMTP replies that will not change on a retry: bad or unknown recipient, message refused. */
static bool permanent_reply(long code)
{
	return code == 501 || code == 550 || code == 551 || code == 553 || code == 554;
}

/*
 * Send one message. Returns 0, or a negative error with a message in err
 * and *permanent set when retrying cannot help.
 */
static int send_one(const struct config *cfg, const struct outbox_item *it, char *err, size_t errsz,
		    bool *permanent)
{
	*permanent = false;
	char from[320], envelope_from[330], rcpt[300];
	if (!mail_address_of(cfg->smtp_from, from, sizeof(from))) {
		snprintf(err, errsz, "TANDEM_SMTP_FROM is not an address: %s", cfg->smtp_from);
		return ERR_INVALID;
	}
	snprintf(envelope_from, sizeof(envelope_from), "<%s>", from);
	snprintf(rcpt, sizeof(rcpt), "<%s>", it->to);
	struct mail_message m = {
		.from = cfg->smtp_from, .to = it->to, .subject = it->subject, .body = it->body,
		.message_id = it->message_id, .date = clock_now(), .attachment_name = it->attachment_name,
		.attachment_type = it->attachment_type, .attachment = it->attachment,
	};
	struct buf text = BUF_INIT;
	mail_build(&text, &m);
	struct upload up = {text.data, text.len, 0};

	CURL *c = curl_easy_init();
	if (!c) {
		buf_free(&text);
		snprintf(err, errsz, "libcurl could not start");
		return ERR_INTERNAL;
	}
	char ebuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *to = curl_slist_append(NULL, rcpt);
	bool has_password = cfg->smtp_password && *cfg->smtp_password;
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, envelope_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (cfg->smtp_user && *cfg->smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password ? cfg->smtp_password : "");
	}
	if (str_starts_with(cfg->smtp_url, "smtp://"))
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)(has_password ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	CURLcode rc = curl_easy_perform(c);
	long reply = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
	curl_slist_free_all(to);
	curl_easy_cleanup(c);
	buf_free(&text);
	if (rc == CURLE_OK)
		return 0;
	if (reply)
		snprintf(err, errsz, "%s (SMTP reply %ld)", *ebuf ? ebuf : curl_easy_strerror(rc), reply);
	else
		snprintf(err, errsz, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
	*permanent = permanent_reply(reply);
	return ERR_IO;
}

/* The job's run: send what is due now, at most BATCH messages (the next run takes the rest). */
static int send_due(struct db *db, const struct config *cfg, int64_t now)
{
	struct outbox_item *items;
	int n = outbox_due(db, now, BATCH, &items);
	if (n <= 0)
		return n;
	for (int i = 0; i < n && !jobs_stopping(); i++) {
		char err[512];
		bool permanent;
		/* Another app server's sender may have taken it since outbox_due. */
		if (outbox_claim(db, items[i].id, clock_now()) != 1)
			continue;
		int rc = send_one(cfg, &items[i], err, sizeof(err), &permanent);
		int64_t at = clock_now();
		if (rc == 0) {
			if (outbox_mark_sent(db, items[i].id, at))
				log_error("mail: message %lld was sent but could not be marked sent", (long long)items[i].id);
			else
				log_info("mail: sent message %lld", (long long)items[i].id);
			continue;
		}
		int attempts = items[i].attempts + 1;
		bool give_up = permanent || attempts >= MAIL_MAX_ATTEMPTS;
		log_warn("mail: message %lld, attempt %d: %s%s", (long long)items[i].id, attempts, err,
			 give_up ? " (giving up)" : "");
		if (outbox_mark_failed(db, items[i].id, attempts, permanent, err, at))
			log_error("mail: could not record the failure of message %lld", (long long)items[i].id);
	}
	outbox_due_free(items, n);
	return 0;
}

/* On when TANDEM_SMTP_URL is set: every second, and libcurl initialised. */
static int sender_start(const struct config *config, int *interval, char *err, size_t errsz)
{
	*interval = 0;
	if (!config->smtp_url || !*config->smtp_url) {
		log_info("mail: TANDEM_SMTP_URL is not set, so email stays in the outbox (/admin/outbox)");
		return 0;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errsz, "libcurl could not be initialised, so email cannot be sent");
		return ERR_INTERNAL;
	}
	*interval = 1; /* the runner logs that it runs */
	return 0;
}

static void sender_stop(void)
{
	curl_global_cleanup();
}

const struct job mail_sender_job = {
	.name = "mail",
	.start = sender_start,
	.run = send_due,
	.stop = sender_stop,
	.every_server = true, /* every server sends; outbox_claim (a conditional UPDATE) shares the messages out */
};
