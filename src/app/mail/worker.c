// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * worker.c — the sender thread: wakes when a message is queued (and every
 * second in any case), sends what is due over SMTP with libcurl, and marks
 * each message sent, or queued again after a back-off, or failed. It has its
 * own database connection from the pool. Requests never wait on it.
 *
 * libcurl: the envelope (MAIL FROM, RCPT TO) from the settings and the
 * message; the message text (message.c) through a read callback; user and
 * password when set; smtps:// is TLS from the start, smtp:// upgrades with
 * STARTTLS when the server offers it (and insists on it when a password is
 * set, so it is never sent in the clear); connect timeout 10 s, whole
 * transfer 60 s; a transfer in progress is abandoned when the server stops.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

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

/* The sender's state; lock guards stop and kicked. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running;                /* the thread exists (main thread only) */
	bool stop;                   /* asked to stop */
	bool kicked;                 /* a message was queued since the last look */
	atomic_bool stopping;        /* read by curl's progress callback */
	struct db_pool *pool;        /* borrowed */
	const struct config *config; /* borrowed */
} W = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

void mail_worker_wake(void)
{
	pthread_mutex_lock(&W.lock);
	W.kicked = true;
	pthread_cond_signal(&W.wake);
	pthread_mutex_unlock(&W.lock);
}

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
	return atomic_load(&W.stopping) ? 1 : 0;
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
static int send_one(const struct outbox_item *it, char *err, size_t errsz, bool *permanent)
{
	const struct config *cfg = W.config;
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
		.message_id = it->message_id, .date = clock_now(),
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

/* Send what is due now. */
static void send_due(struct db *db)
{
	struct outbox_item *items;
	int n = outbox_due(db, clock_now(), BATCH, &items);
	if (n <= 0)
		return;
	for (int i = 0; i < n && !atomic_load(&W.stopping); i++) {
		char err[512];
		bool permanent;
		/* Another app server's sender may have taken it since outbox_due. */
		if (outbox_claim(db, items[i].id, clock_now()) != 1)
			continue;
		int rc = send_one(&items[i], err, sizeof(err), &permanent);
		int64_t now = clock_now();
		if (rc == 0) {
			if (outbox_mark_sent(db, items[i].id, now))
				log_error("mail: message %lld was sent but could not be marked sent", (long long)items[i].id);
			else
				log_info("mail: sent message %lld", (long long)items[i].id);
			continue;
		}
		int attempts = items[i].attempts + 1;
		bool give_up = permanent || attempts >= MAIL_MAX_ATTEMPTS;
		log_warn("mail: message %lld, attempt %d: %s%s", (long long)items[i].id, attempts, err,
			 give_up ? " (giving up)" : "");
		if (outbox_mark_failed(db, items[i].id, attempts, permanent, err, now))
			log_error("mail: could not record the failure of message %lld", (long long)items[i].id);
	}
	outbox_due_free(items, n);
}

static void *run(void *arg)
{
	(void)arg;
	struct db *db = db_pool_get(W.pool);
	if (!db) {
		log_error("mail: the sender has no database connection; mail stays in the outbox");
		return NULL;
	}
	pthread_mutex_lock(&W.lock);
	while (!W.stop) {
		W.kicked = false;
		pthread_mutex_unlock(&W.lock);
		send_due(db);
		db_reset_all(db);
		pthread_mutex_lock(&W.lock);
		if (W.stop || W.kicked)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&W.wake, &W.lock, &until);
	}
	pthread_mutex_unlock(&W.lock);
	return NULL;
}

int mail_worker_start(struct db_pool *pool, const struct config *config, char *err, size_t errsz)
{
	if (!config->smtp_url || !*config->smtp_url) {
		log_info("mail: TANDEM_SMTP_URL is not set, so email stays in the outbox (/admin/outbox)");
		return 0;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errsz, "libcurl could not be initialised, so email cannot be sent");
		return ERR_INTERNAL;
	}
	W.pool = pool;
	W.config = config;
	W.stop = false;
	atomic_store(&W.stopping, false);
	if (pthread_create(&W.thread, NULL, run, NULL)) {
		curl_global_cleanup();
		snprintf(err, errsz, "the mail sender thread could not start");
		return ERR_INTERNAL;
	}
	W.running = true;
	log_info("mail: the sender is running (TANDEM_SMTP_URL)");
	return 0;
}

void mail_worker_stop(void)
{
	if (!W.running)
		return;
	pthread_mutex_lock(&W.lock);
	W.stop = true;
	atomic_store(&W.stopping, true);
	pthread_cond_signal(&W.wake);
	pthread_mutex_unlock(&W.lock);
	pthread_join(W.thread, NULL);
	W.running = false;
	curl_global_cleanup();
}
