// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * router.c — compiles route patterns into segment lists and matches a
 * request's method and path against them (see router.h for the rules).
 *
 * Route tables are small (tens of routes), so matching is a linear scan that
 * keeps the most specific candidate; that keeps the precedence rules plain
 * to read and deterministic.
 */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/util.h"
#include "http/form.h"

/* Kinds of pattern segment. */
enum seg_kind {
	SEG_LITERAL, /* matches its text exactly */
	SEG_STR,     /* {name}: any one non-empty segment */
	SEG_INT,     /* {name:int}: digits only, fits int64 */
	SEG_REST,    /* {name*}: one or more remaining segments */
};

/* One compiled pattern segment. */
struct seg {
	enum seg_kind kind;
	char *text; /* LITERAL: the text; captures: the name. Owned (malloc). */
};

/* One compiled route. */
struct croute {
	const struct route *route; /* borrowed from the application's table */
	struct seg *segs;          /* owned array of nsegs */
	size_t nsegs;
};

/* The compiled tables. */
struct router {
	struct croute *routes; /* owned array, in table order */
	size_t n;
};

static const char *const method_names[HTTP_METHOD__MAX] = {
	[HTTP_GET] = "GET",	  [HTTP_HEAD] = "HEAD",	    [HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT",	  [HTTP_PATCH] = "PATCH",   [HTTP_DELETE] = "DELETE",
};

int http_method_parse(const char *token)
{
	for (int i = 0; i < HTTP_METHOD__MAX; i++)
		if (str_eq(token, method_names[i]))
			return i;
	return -1;
}

const char *http_method_name(enum http_method m)
{
	if ((unsigned)m >= HTTP_METHOD__MAX)
		return "?";
	return method_names[m];
}

void router_allow_str(unsigned allow, struct buf *out)
{
	bool first = true;
	for (int i = 0; i < HTTP_METHOD__MAX; i++) {
		if (!(allow & (1u << i)))
			continue;
		buf_printf(out, "%s%s", first ? "" : ", ", method_names[i]);
		first = false;
	}
}

/* Precedence of a segment kind: higher is more specific. */
static int seg_rank(enum seg_kind k)
{
	switch (k) {
	case SEG_LITERAL:
		return 3;
	case SEG_INT:
		return 2;
	case SEG_STR:
		return 1;
	case SEG_REST:
		return 0;
	}
	return 0;
}

static bool is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static void free_croute(struct croute *cr)
{
	for (size_t i = 0; i < cr->nsegs; i++)
		free(cr->segs[i].text);
	free(cr->segs);
}

/* Compile one pattern into cr. Returns 0 or ERR_INVALID with a reason in err. */
static int compile(struct croute *cr, const struct route *rt, char *err, size_t errsz)
{
	const char *p = rt->pattern;
	cr->route = rt;
	cr->segs = NULL;
	cr->nsegs = 0;
	if ((unsigned)rt->method >= HTTP_METHOD__MAX) {
		snprintf(err, errsz, "route %s: unknown method %d", p, (int)rt->method);
		return ERR_INVALID;
	}
	if (!rt->handler) {
		snprintf(err, errsz, "route %s: no handler", p);
		return ERR_INVALID;
	}
	if (p[0] != '/') {
		snprintf(err, errsz, "route %s: a pattern must start with '/'", p);
		return ERR_INVALID;
	}
	if (strcmp(p, "/") == 0)
		return 0;
	size_t n = 1;
	for (const char *q = p + 1; *q; q++)
		n += *q == '/';
	cr->segs = xcalloc(n, sizeof(*cr->segs));
	size_t ncap = 0;
	const char *s = p + 1;
	for (size_t i = 0; i < n; i++) {
		const char *end = strchr(s, '/');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		struct seg *sg = &cr->segs[cr->nsegs];
		if (len == 0) {
			snprintf(err, errsz, "route %s: empty segment", p);
			return ERR_INVALID;
		}
		if (s[0] == '{') {
			if (s[len - 1] != '}' || len < 3) {
				snprintf(err, errsz, "route %s: a capture must look like {name}", p);
				return ERR_INVALID;
			}
			const char *name = s + 1;
			size_t name_len = len - 2;
			sg->kind = SEG_STR;
			if (name_len > 4 && memcmp(name + name_len - 4, ":int", 4) == 0) {
				sg->kind = SEG_INT;
				name_len -= 4;
			} else if (name_len > 1 && name[name_len - 1] == '*') {
				sg->kind = SEG_REST;
				name_len -= 1;
				if (i != n - 1) {
					snprintf(err, errsz, "route %s: {%.*s*} must be the last segment", p,
						 (int)name_len, name);
					return ERR_INVALID;
				}
			}
			for (size_t k = 0; k < name_len; k++) {
				if (!is_name_char(name[k], k == 0)) {
					snprintf(err, errsz, "route %s: bad capture name '%.*s'", p,
						 (int)name_len, name);
					return ERR_INVALID;
				}
			}
			for (size_t k = 0; k < cr->nsegs; k++) {
				if (cr->segs[k].kind != SEG_LITERAL &&
				    strlen(cr->segs[k].text) == name_len &&
				    memcmp(cr->segs[k].text, name, name_len) == 0) {
					snprintf(err, errsz, "route %s: capture '%.*s' appears twice", p,
						 (int)name_len, name);
					return ERR_INVALID;
				}
			}
			if (++ncap > ROUTER_MAX_CAPTURES) {
				snprintf(err, errsz, "route %s: more than %d captures", p,
					 ROUTER_MAX_CAPTURES);
				return ERR_INVALID;
			}
			sg->text = xstrndup(name, name_len);
		} else {
			if (memchr(s, '{', len) || memchr(s, '}', len) || memchr(s, '%', len)) {
				snprintf(err, errsz, "route %s: braces or '%%' inside a literal segment",
					 p);
				return ERR_INVALID;
			}
			sg->kind = SEG_LITERAL;
			sg->text = xstrndup(s, len);
		}
		cr->nsegs++;
		s += len + 1;
	}
	return 0;
}

int router_new(struct router **out, const struct route *const *tables, char *err, size_t errsz)
{
	size_t total = 0;
	*out = NULL;
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct route *rt = tables[t]; rt->pattern; rt++)
			total++;
	struct router *r = xcalloc(1, sizeof(*r));
	r->routes = xcalloc(total ? total : 1, sizeof(*r->routes));
	for (size_t t = 0; tables && tables[t]; t++) {
		for (const struct route *rt = tables[t]; rt->pattern; rt++) {
			int rc = compile(&r->routes[r->n], rt, err, errsz);
			r->n++; /* counted even on failure so router_free frees it */
			if (rc < 0) {
				router_free(r);
				return rc;
			}
		}
	}
	*out = r;
	return 0;
}

void router_free(struct router *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free_croute(&r->routes[i]);
	free(r->routes);
	free(r);
}

char *router_decode_path(struct arena *a, const char *raw_path, const char **message)
{
	char *out;
	enum form_problem why;
	if (form_decode(a, raw_path, strlen(raw_path), false, &out, NULL, &why) == 0)
		return out;
	switch (why) {
	case FORM_NUL:
		*message = "The address contains a NUL character (%00).";
		break;
	case FORM_BAD_UTF8:
		*message = "The address is not valid UTF-8 once percent-decoded.";
		break;
	default:
		*message = "The address contains malformed percent-encoding.";
		break;
	}
	return NULL;
}

/* True when s is all digits (at most 19) and fits int64; the value in *v. */
static bool parse_uint(const char *s, int64_t *v)
{
	size_t n = strlen(s);
	if (n == 0 || n > 19)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return str_to_int64(s, v) == 0;
}

/* How a route's shape fits a path. */
enum fit { FIT_NONE, FIT_OK, FIT_BAD_INT };

/* Does cr fit the decoded segments? On FIT_BAD_INT, *bad is the first bad segment. */
static enum fit route_fits(const struct croute *cr, char *const *segs, size_t n, size_t *bad)
{
	enum fit result = FIT_OK;
	size_t i;
	for (i = 0; i < cr->nsegs; i++) {
		const struct seg *sg = &cr->segs[i];
		int64_t v;
		if (sg->kind == SEG_REST)
			return i < n ? result : FIT_NONE;
		if (i >= n)
			return FIT_NONE;
		switch (sg->kind) {
		case SEG_LITERAL:
			if (strcmp(sg->text, segs[i]) != 0)
				return FIT_NONE;
			break;
		case SEG_STR:
			if (!segs[i][0])
				return FIT_NONE;
			break;
		case SEG_INT:
			if (!segs[i][0])
				return FIT_NONE;
			if (result == FIT_OK && !parse_uint(segs[i], &v)) {
				result = FIT_BAD_INT;
				*bad = i;
			}
			break;
		case SEG_REST:
			break;
		}
	}
	return i == n ? result : FIT_NONE;
}

/* True when a is more specific than b (see router.h). */
static bool more_specific(const struct croute *a, const struct croute *b)
{
	size_t n = a->nsegs < b->nsegs ? a->nsegs : b->nsegs;
	for (size_t i = 0; i < n; i++) {
		int ra = seg_rank(a->segs[i].kind), rb = seg_rank(b->segs[i].kind);
		if (ra != rb)
			return ra > rb;
	}
	return a->nsegs > b->nsegs;
}

/* A copy of s short enough to quote in a message, cut on a character boundary. */
static const char *quotable(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	if (n <= 40)
		return s;
	size_t cut = 40;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return arena_printf(a, "%.*s…", (int)cut, s);
}

static bool method_fits(enum http_method want, enum http_method have)
{
	return want == have || (want == HTTP_HEAD && have == HTTP_GET);
}

enum router_result router_match(const struct router *r, struct arena *a, enum http_method method,
				const char *raw_path, struct router_match *m)
{
	memset(m, 0, sizeof(*m));
	if (raw_path[0] != '/') {
		m->message = "The address must be a path starting with /.";
		return ROUTER_BAD_PATH;
	}
	size_t len = strlen(raw_path), plen = len;
	while (plen > 1 && raw_path[plen - 1] == '/')
		plen--;
	bool trailing = plen != len;

	/* Split into segments and decode each one, so "%2F" stays inside its segment. */
	size_t n = 0;
	if (plen > 1) {
		n = 1;
		for (size_t i = 1; i < plen; i++)
			n += raw_path[i] == '/';
	}
	char **segs = arena_calloc(a, n ? n : 1, sizeof(*segs));
	const char *s = raw_path + 1;
	for (size_t i = 0; i < n; i++) {
		const char *end = memchr(s, '/', (size_t)(raw_path + plen - s));
		size_t sl = end ? (size_t)(end - s) : (size_t)(raw_path + plen - s);
		char *raw = arena_strndup(a, s, sl);
		segs[i] = router_decode_path(a, raw, &m->message);
		if (!segs[i])
			return ROUTER_BAD_PATH;
		s += sl + 1;
	}

	const struct croute *best = NULL, *best_bad = NULL;
	size_t bad_seg = 0;
	bool fits_trailing = false;
	for (size_t k = 0; k < r->n; k++) {
		const struct croute *cr = &r->routes[k];
		size_t bad = 0;
		enum fit fit = route_fits(cr, segs, n, &bad);
		if (fit == FIT_NONE)
			continue;
		/* Seen before the method and the trailing slashes count: a 405 or a 308 for
		 * "/password-reset/TOKEN/" must not put the token in the log either. */
		if (cr->route->flags & ROUTE_SECRET_PATH)
			m->log_pattern = cr->route->pattern;
		if (trailing) {
			fits_trailing = true;
			continue;
		}
		m->allow |= 1u << cr->route->method;
		if (!method_fits(method, cr->route->method))
			continue;
		if (fit == FIT_OK) {
			if (!best || more_specific(cr, best))
				best = cr;
		} else if (!best_bad || more_specific(cr, best_bad)) {
			best_bad = cr;
			bad_seg = bad;
		}
	}
	if (trailing) {
		/* Never "//host" or "/\host": browsers read those as another site. */
		if (!fits_trailing || raw_path[1] == '/' || raw_path[1] == '\\')
			return ROUTER_NOT_FOUND;
		m->location = arena_strndup(a, raw_path, plen);
		return ROUTER_REDIRECT;
	}
	if (best) {
		m->route = best->route;
		for (size_t i = 0; i < best->nsegs; i++) {
			const struct seg *sg = &best->segs[i];
			if (sg->kind == SEG_LITERAL)
				continue;
			struct router_capture *c = &m->captures[m->ncaptures++];
			c->name = sg->text;
			if (sg->kind == SEG_REST) {
				struct buf b = BUF_INIT;
				for (size_t j = i; j < n; j++)
					buf_printf(&b, "%s%s", j > i ? "/" : "", segs[j]);
				c->value = arena_strdup(a, buf_str(&b));
				buf_free(&b);
			} else {
				c->value = segs[i];
			}
			if (sg->kind == SEG_INT && !parse_uint(segs[i], &c->num))
				c->num = 0; /* unreachable: FIT_OK checked it */
		}
		return ROUTER_FOUND;
	}
	if (best_bad) {
		m->message = arena_printf(a, "'%s' is not a valid %s: it must be a whole number",
					  quotable(a, segs[bad_seg]), best_bad->segs[bad_seg].text);
		return ROUTER_BAD_CAPTURE;
	}
	if (m->allow) {
		if (m->allow & (1u << HTTP_GET))
			m->allow |= 1u << HTTP_HEAD;
		return ROUTER_BAD_METHOD;
	}
	return ROUTER_NOT_FOUND;
}
