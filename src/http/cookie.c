// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * cookie.c — the Cookie header parser and the Set-Cookie writer (see
 * cookie.h). Cookie values are never percent-decoded: the application
 * stores tokens that are already plain cookie-octets.
 */
#include "http/cookie.h"

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/http.h"

/* RFC 7230 tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 6265 cookie-octet: visible ASCII except '"', ',', ';' and '\'. */
static bool is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
	       (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

static bool name_valid(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_tchar((unsigned char)s[i]))
			return false;
	return true;
}

static bool value_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_cookie_octet((unsigned char)s[i]))
			return false;
	return true;
}

bool cookie_name_valid(const char *name)
{
	return name && name_valid(name, strlen(name));
}

bool cookie_value_valid(const char *value)
{
	return value && value_valid(value, strlen(value));
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

size_t cookie_parse(struct arena *a, const char *header, struct cookie **out)
{
	struct cookie *head = NULL, **tail = &head;
	size_t count = 0;
	const char *p = header;
	*out = NULL;
	if (!p)
		return 0;
	while (*p && count < COOKIE_MAX) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;
		p = end ? end + 1 : p + len;
		/* Trim optional white space around the pair. */
		while (len && is_ows(*s)) {
			s++;
			len--;
		}
		while (len && is_ows(s[len - 1]))
			len--;
		const char *eq = memchr(s, '=', len);
		if (!eq)
			continue;
		size_t name_len = (size_t)(eq - s);
		const char *v = eq + 1;
		size_t value_len = len - name_len - 1;
		if (value_len >= 2 && v[0] == '"' && v[value_len - 1] == '"') {
			v++;
			value_len -= 2;
		}
		if (!name_valid(s, name_len) || !value_valid(v, value_len))
			continue;
		struct cookie *c = arena_alloc(a, sizeof(*c));
		c->name = arena_strndup(a, s, name_len);
		c->value = arena_strndup(a, v, value_len);
		c->next = NULL;
		*tail = c;
		tail = &c->next;
		count++;
	}
	*out = head;
	return count;
}

const char *cookie_find(const struct cookie *list, const char *name)
{
	for (const struct cookie *c = list; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c->value;
	return NULL;
}

int cookie_format(struct buf *out, const char *name, const char *value, long max_age,
		  unsigned flags, bool https)
{
	if (!cookie_name_valid(name) || !cookie_value_valid(value))
		return ERR_INVALID;
	buf_printf(out, "%s=%s; Path=/", name, value);
	if (max_age >= 0)
		buf_printf(out, "; Max-Age=%ld", max_age);
	if (flags & COOKIE_HTTPONLY)
		buf_puts(out, "; HttpOnly");
	buf_puts(out, (flags & COOKIE_STRICT) ? "; SameSite=Strict" : "; SameSite=Lax");
	if ((flags & COOKIE_SECURE) || https)
		buf_puts(out, "; Secure");
	return 0;
}
