// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pg_sql.c — the text work the PostgreSQL backend needs, kept apart from
 * libpq so it can be tested on its own: telling a PostgreSQL connection
 * string from an SQLite file name, hiding a password before a name is shown,
 * and rewriting the catalogue's `?` / `?N` placeholders to PostgreSQL's `$N`.
 *
 * The rewrite is a small scanner, not a parser: it copies string literals
 * ('…', with '' inside), quoted identifiers ("…"), dollar-quoted strings
 * ($tag$…$tag$) and comments (-- to the end of the line, nested / * … * /)
 * unchanged, and rewrites a `?` outside them. `?N` keeps its number; a bare
 * `?` takes one more than the highest number seen before it — SQLite's rule,
 * so a statement numbers its parameters the same on both stores.
 */
#include "db/db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/db_internal.h"

/* The libpq connection keywords a key=value name may start with. */
static const char *const pg_keywords[] = {
	"host",     "hostaddr", "port",    "dbname",   "user",           "password",
	"passfile", "service",  "sslmode", "options",  "connect_timeout", "application_name",
};

bool db_is_postgres_name(const char *name)
{
	if (!name)
		return false;
	if (strncmp(name, "postgres://", 11) == 0 || strncmp(name, "postgresql://", 13) == 0)
		return true;
	while (isspace((unsigned char)*name))
		name++;
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz_");
	if (n == 0)
		return false;
	const char *p = name + n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return false;
	for (size_t i = 0; i < ARRAY_LEN(pg_keywords); i++) {
		if (strlen(pg_keywords[i]) == n && strncmp(name, pg_keywords[i], n) == 0)
			return true;
	}
	return false;
}

/* Append s[0..n) to b. */
static void put_n(struct buf *b, const char *s, size_t n)
{
	buf_append(b, s, n);
}

void db_display_name(const char *name, char *out, size_t outsz)
{
	struct buf b = BUF_INIT;

	if (!outsz)
		return;
	if (!name)
		name = "";
	if (strncmp(name, "postgres://", 11) == 0 || strncmp(name, "postgresql://", 13) == 0) {
		/* scheme://user:password@host… — the password is between the first ':' after
		 * the scheme and the last '@' before the path. */
		const char *auth = strstr(name, "://") + 3;
		const char *end = auth + strcspn(auth, "/?");
		const char *at = NULL;
		for (const char *p = auth; p < end; p++)
			if (*p == '@')
				at = p;
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon) {
			put_n(&b, name, (size_t)(colon + 1 - name));
			buf_puts(&b, "***");
			buf_puts(&b, at);
		} else {
			buf_puts(&b, name);
		}
		/* ?password=… in the query part */
		char *s = buf_detach(&b, NULL);
		char *q = strchr(s, '?');
		if (q && strstr(q, "password=")) {
			struct buf c = BUF_INIT;
			put_n(&c, s, (size_t)(q - s));
			for (char *p = q; *p;) {
				size_t seg = strcspn(p + 1, "&");
				if (strncmp(p + 1, "password=", 9) == 0) {
					put_n(&c, p, 10);
					buf_puts(&c, "***");
				} else {
					put_n(&c, p, seg + 1);
				}
				p += seg + 1;
			}
			free(s);
			s = buf_detach(&c, NULL);
		}
		snprintf(out, outsz, "%s", s);
		free(s);
		return;
	}
	if (!db_is_postgres_name(name)) {
		snprintf(out, outsz, "%s", name);
		return;
	}
	/* key=value words: value is a word or a '…' string with \' and \\ escapes. */
	const char *p = name;
	while (*p) {
		const char *start = p;
		while (*p && !isspace((unsigned char)*p) && *p != '=')
			p++;
		size_t klen = (size_t)(p - start);
		bool secret = klen == 8 && strncmp(start, "password", 8) == 0;
		while (*p == ' ' || *p == '\t')
			p++;
		put_n(&b, start, (size_t)(p - start));
		if (*p != '=')
			break;
		put_n(&b, "=", 1);
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *v = p;
		if (*p == '\'') {
			p++;
			while (*p && *p != '\'') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p)
				p++;
		} else {
			while (*p && !isspace((unsigned char)*p))
				p++;
		}
		if (secret)
			buf_puts(&b, "***");
		else
			put_n(&b, v, (size_t)(p - v));
		const char *ws = p;
		while (isspace((unsigned char)*p))
			p++;
		put_n(&b, ws, (size_t)(p - ws));
	}
	char *s = buf_detach(&b, NULL);
	snprintf(out, outsz, "%s", s ? s : "");
	free(s);
}

/* Length of the dollar-quote tag at s ("$$" or "$tag$"), or 0 if s does not start one. */
static size_t dollar_tag(const char *s)
{
	size_t i = 1;
	if (s[0] != '$')
		return 0;
	if (isdigit((unsigned char)s[1]))
		return 0; /* $1 is a parameter, not a tag */
	while (isalnum((unsigned char)s[i]) || s[i] == '_')
		i++;
	return s[i] == '$' ? i + 1 : 0;
}

char *dbi_pg_sql(const char *sql, int *nparams, unsigned char *used, size_t nused)
{
	struct buf b = BUF_INIT;
	int highest = 0;
	const char *p = sql;

	if (used)
		memset(used, 0, nused);

	while (*p) {
		const char *start = p;
		size_t tag;
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			while (*p) {
				if (*p == q && p[1] == q) {
					p += 2;
				} else if (*p == q) {
					p++;
					break;
				} else {
					p++;
				}
			}
			put_n(&b, start, (size_t)(p - start));
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			put_n(&b, start, (size_t)(p - start));
		} else if (p[0] == '/' && p[1] == '*') {
			int depth = 1;
			p += 2;
			while (*p && depth > 0) {
				if (p[0] == '/' && p[1] == '*') {
					depth++;
					p += 2;
				} else if (p[0] == '*' && p[1] == '/') {
					depth--;
					p += 2;
				} else {
					p++;
				}
			}
			put_n(&b, start, (size_t)(p - start));
		} else if ((tag = dollar_tag(p)) > 0) {
			const char *end = NULL;
			for (const char *s = p + tag; *s; s++) {
				if (strncmp(s, p, tag) == 0) {
					end = s + tag;
					break;
				}
			}
			p = end ? end : p + strlen(p);
			put_n(&b, start, (size_t)(p - start));
		} else if (*p == '?') {
			p++;
			int n = 0;
			if (isdigit((unsigned char)*p)) {
				while (isdigit((unsigned char)*p) && n < 100000)
					n = n * 10 + (*p++ - '0');
			} else {
				n = highest + 1;
			}
			if (n > highest)
				highest = n;
			if (used && (size_t)n < nused)
				used[n] = 1;
			char num[16];
			int len = snprintf(num, sizeof(num), "$%d", n);
			put_n(&b, num, (size_t)len);
		} else {
			p++;
			put_n(&b, start, 1);
		}
	}
	if (nparams)
		*nparams = highest;
	char *out = buf_detach(&b, NULL);
	return out ? out : xstrdup("");
}
