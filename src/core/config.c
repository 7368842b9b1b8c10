// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * config.c — defaults and environment for struct config. The share folder
 * defaults to the source tree the binary was built from (TANDEM_SOURCE_DIR,
 * set by meson), else the current directory, so both `make demo` and an
 * installed binary with TANDEM_SHARE find their templates.
 */
#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/str.h"
#include "core/util.h"

#ifndef TANDEM_SOURCE_DIR
#define TANDEM_SOURCE_DIR "."
#endif

void config_set_str(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int config_set_listen(struct config *c, const char *value)
{
	int64_t port;
	const char *colon = strrchr(value, ':');
	const char *port_s = colon ? colon + 1 : value;
	if (str_to_int64(port_s, &port) || port < 0 || port > 65535)
		return ERR_INVALID;
	if (colon && colon != value) {
		char *host = xstrndup(value, (size_t)(colon - value));
		/* Accept [::1]:8080 as well as 127.0.0.1:8080. */
		if (host[0] == '[' && host[strlen(host) - 1] == ']') {
			memmove(host, host + 1, strlen(host) - 2);
			host[strlen(host) - 2] = '\0';
		}
		free(c->listen_addr);
		c->listen_addr = host;
	}
	c->port = (int)port;
	return 0;
}

int config_load(struct config *c, char *err, size_t errsz)
{
	memset(c, 0, sizeof(*c));
	c->db_path = xstrdup("var/tandem.db");
	c->listen_addr = xstrdup("127.0.0.1");
	c->port = 8080;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = cores > 0 ? (int)cores : 2;
	c->share_dir = xstrdup(is_dir(TANDEM_SOURCE_DIR "/templates") ? TANDEM_SOURCE_DIR : ".");
	c->base_url = xstrdup("");
	c->max_body = 1024 * 1024;
	c->shutdown_grace = 10;
	c->max_uploads = 2;
	c->log_level = xstrdup("info");
	c->smtp_url = xstrdup("");
	c->smtp_from = xstrdup("tandem@localhost");
	c->smtp_user = xstrdup("");
	c->smtp_password = xstrdup("");
	c->contact_email = xstrdup("");
	c->session_idle = 8 * 3600;
	c->session_max = 30 * 86400;
	c->digest_interval = 3600;

	const char *v;
	int64_t n;
	if ((v = getenv("TANDEM_DB")) && *v)
		config_set_str(&c->db_path, v);
	if ((v = getenv("TANDEM_LISTEN")) && *v && config_set_listen(c, v)) {
		snprintf(err, errsz, "TANDEM_LISTEN must be HOST:PORT, got '%s'", v);
		return ERR_INVALID;
	}
	if ((v = getenv("TANDEM_THREADS")) && *v) {
		if (str_to_int64(v, &n) || n < 1 || n > 256) {
			snprintf(err, errsz, "TANDEM_THREADS must be a number from 1 to 256, got '%s'", v);
			return ERR_INVALID;
		}
		c->threads = (int)n;
	}
	if ((v = getenv("TANDEM_SHARE")) && *v)
		config_set_str(&c->share_dir, v);
	if ((v = getenv("TANDEM_BASE_URL")) && *v) {
		config_set_str(&c->base_url, v);
		c->https = str_starts_with(v, "https://");
	}
	if ((v = getenv("TANDEM_MAX_UPLOADS")) && *v) {
		if (str_to_int64(v, &n) || n < 1 || n > 64) {
			snprintf(err, errsz, "TANDEM_MAX_UPLOADS must be a number from 1 to 64, got '%s'", v);
			return ERR_INVALID;
		}
		c->max_uploads = (int)n;
	}
	if ((v = getenv("TANDEM_SHUTDOWN_GRACE")) && *v) {
		if (str_to_int64(v, &n) || n < 0 || n > 3600) {
			snprintf(err, errsz, "TANDEM_SHUTDOWN_GRACE must be seconds from 0 to 3600, got '%s'", v);
			return ERR_INVALID;
		}
		c->shutdown_grace = (int)n;
	}
	if ((v = getenv("TANDEM_SMTP_URL")) && *v) {
		if (!str_starts_with(v, "smtp://") && !str_starts_with(v, "smtps://")) {
			snprintf(err, errsz, "TANDEM_SMTP_URL must start with smtp:// or smtps://, got '%s'", v);
			return ERR_INVALID;
		}
		config_set_str(&c->smtp_url, v);
	}
	if ((v = getenv("TANDEM_SMTP_FROM")) && *v)
		config_set_str(&c->smtp_from, v);
	if ((v = getenv("TANDEM_SMTP_USER")))
		config_set_str(&c->smtp_user, v);
	if ((v = getenv("TANDEM_SMTP_PASSWORD")))
		config_set_str(&c->smtp_password, v);
	if ((v = getenv("TANDEM_CONTACT_EMAIL")) && *v) {
		if (!strchr(v, '@') || strpbrk(v, " <>\"") || strlen(v) > 254) {
			snprintf(err, errsz, "TANDEM_CONTACT_EMAIL must be an email address, got '%s'", v);
			return ERR_INVALID;
		}
		config_set_str(&c->contact_email, v);
	}
	if ((v = getenv("TANDEM_SESSION_IDLE")) && *v) {
		if (str_to_int64(v, &n) || n < 60 || n > 365 * 86400) {
			snprintf(err, errsz, "TANDEM_SESSION_IDLE must be seconds from 60 to 31536000, got '%s'", v);
			return ERR_INVALID;
		}
		c->session_idle = (int)n;
	}
	if ((v = getenv("TANDEM_SESSION_MAX")) && *v) {
		if (str_to_int64(v, &n) || n < 60 || n > 365 * 86400) {
			snprintf(err, errsz, "TANDEM_SESSION_MAX must be seconds from 60 to 31536000, got '%s'", v);
			return ERR_INVALID;
		}
		c->session_max = (int)n;
	}
	if ((v = getenv("TANDEM_DIGEST_INTERVAL")) && *v) {
		if (str_to_int64(v, &n) || n < 0 || n > 7 * 86400) {
			snprintf(err, errsz, "TANDEM_DIGEST_INTERVAL must be seconds from 0 (never) to 604800, got '%s'", v);
			return ERR_INVALID;
		}
		c->digest_interval = (int)n;
	}
	if ((v = getenv("TANDEM_LOG_LEVEL")) && *v) {
		enum log_level level;
		if (log_level_parse(v, &level)) {
			snprintf(err, errsz, "TANDEM_LOG_LEVEL must be debug, info, warn or error, got '%s'", v);
			return ERR_INVALID;
		}
		config_set_str(&c->log_level, v);
	}
	return 0;
}

char *config_share_path(const struct config *c, const char *rel)
{
	size_t n = strlen(c->share_dir) + strlen(rel) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", c->share_dir, rel);
	return p;
}

void config_free(struct config *c)
{
	free(c->db_path);
	free(c->listen_addr);
	free(c->share_dir);
	free(c->base_url);
	free(c->log_level);
	free(c->smtp_url);
	free(c->smtp_from);
	free(c->contact_email);
	free(c->smtp_user);
	free(c->smtp_password);
	memset(c, 0, sizeof(*c));
}
