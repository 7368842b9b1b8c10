// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * config.h — the settings of a tandem process. Defaults, then environment
 * variables (TANDEM_*), then command-line options (applied by main.c), each
 * overriding the one before. Strings are owned by the config (config_free).
 */
#ifndef TANDEM_CORE_CONFIG_H
#define TANDEM_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

struct config {
	char *db_path;       /* TANDEM_DB: database file (default var/tandem.db) */
	char *listen_addr;   /* TANDEM_LISTEN host part (default 127.0.0.1) */
	int port;            /* TANDEM_LISTEN port part (default 8080; 0 = any free port) */
	int threads;         /* TANDEM_THREADS: HTTP worker threads (default: number of cores) */
	char *share_dir;     /* TANDEM_SHARE: folder holding templates/, static/, sql/ */
	char *base_url;      /* TANDEM_BASE_URL: public URL, e.g. https://tandem.example.org */
	bool https;          /* true when base_url is https: cookies get Secure */
	size_t max_body;     /* request body limit in bytes (1 MiB) */
	int shutdown_grace;  /* TANDEM_SHUTDOWN_GRACE: seconds to finish in-flight requests (10) */
	int max_uploads;     /* TANDEM_MAX_UPLOADS: large uploads received at once (2); more get a 503 */
	char *log_level;     /* TANDEM_LOG_LEVEL: debug, info, warn, error */
	char *smtp_url;      /* TANDEM_SMTP_URL: smtp://host:25 or smtps://host:465; "" = outbox only */
	char *smtp_from;     /* TANDEM_SMTP_FROM: sender address (default tandem@localhost) */
	char *smtp_user;     /* TANDEM_SMTP_USER: SMTP user name, "" for none */
	char *smtp_password; /* TANDEM_SMTP_PASSWORD */
	int session_idle;    /* TANDEM_SESSION_IDLE: seconds a session lives unused (default 8 hours) */
	int session_max;     /* TANDEM_SESSION_MAX: seconds a session lives at most (default 30 days) */
	char *contact_email; /* TANDEM_CONTACT_EMAIL: where people report a problem with this service,
				shown on /accessibility ("" = the page says to ask the administrator) */
	int digest_interval; /* TANDEM_DIGEST_INTERVAL: seconds between health sweeps and digest runs
				in `tandem serve` (default 3600; 0 = never) */
};

/* Fill c with defaults, then apply the environment. Returns 0 or ERR_INVALID
 * with a message in err (size errsz) naming the bad variable. */
int config_load(struct config *c, char *err, size_t errsz) WUR;
/* Parse "HOST:PORT", ":PORT" or "PORT" into c->listen_addr / c->port. */
int config_set_listen(struct config *c, const char *value) WUR;
/* Replace a string setting (frees the old value). */
void config_set_str(char **field, const char *value);
/* Path of a file under share_dir (malloc'd; caller frees). */
char *config_share_path(const struct config *c, const char *rel);
void config_free(struct config *c);

#endif
