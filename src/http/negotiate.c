// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * negotiate.c — Accept header parsing for the JSON-or-HTML choice (see
 * negotiate.h). Only the two representations we produce matter, so the
 * parser reads each media range and its q parameter and ignores the rest.
 */
#include "http/negotiate.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A q-value "0", "0.5", "1.000" in thousandths, or -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
	if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.')
		return -1;
	int scale = 100;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
		scale /= 10;
	}
	return q > 1000 ? -1 : q;
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Compare s[0..n) with a lower-case literal, ignoring ASCII case. */
static bool token_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

bool negotiate_wants_json(const char *accept)
{
	/* Best q and first position of a range naming JSON, and of one covering HTML. */
	int json_q = -1, html_q = -1, html_wild_q = -1;
	int json_pos = -1, html_pos = -1, html_wild_pos = -1;
	if (!accept)
		return false;
	const char *p = accept;
	for (int pos = 0; *p; pos++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *item = p;
		p = end ? end + 1 : p + len;
		/* The media range is up to the first ';'. */
		const char *semi = memchr(item, ';', len);
		size_t rlen = semi ? (size_t)(semi - item) : len;
		const char *r = item;
		while (rlen && is_ows(*r)) {
			r++;
			rlen--;
		}
		while (rlen && is_ows(r[rlen - 1]))
			rlen--;
		int q = 1000;
		/* Parameters: find q=. */
		while (semi) {
			const char *prm = semi + 1;
			size_t left = len - (size_t)(prm - item);
			semi = memchr(prm, ';', left);
			size_t plen = semi ? (size_t)(semi - prm) : left;
			while (plen && is_ows(*prm)) {
				prm++;
				plen--;
			}
			while (plen && is_ows(prm[plen - 1]))
				plen--;
			if (plen >= 2 && (prm[0] == 'q' || prm[0] == 'Q') && prm[1] == '=') {
				q = parse_q(prm + 2, plen - 2);
				if (q < 0)
					q = 0; /* a malformed q counts as "not acceptable" */
			}
		}
		if (token_is(r, rlen, "application/json") ||
		    token_is(r, rlen, "application/problem+json")) {
			if (q > json_q)
				json_q = q;
			if (json_pos < 0 && q > 0)
				json_pos = pos;
		} else if (token_is(r, rlen, "text/html")) {
			if (q > html_q)
				html_q = q;
			if (html_pos < 0 && q > 0)
				html_pos = pos;
		} else if (token_is(r, rlen, "*/*") || token_is(r, rlen, "text/*")) {
			if (q > html_wild_q)
				html_wild_q = q;
			if (html_wild_pos < 0 && q > 0)
				html_wild_pos = pos;
		}
	}
	if (json_q <= 0)
		return false;
	/* An explicit text/html decides for HTML over any wildcard. */
	if (html_q < 0) {
		html_q = html_wild_q;
		html_pos = html_wild_pos;
	}
	if (html_q < 0 || json_q > html_q)
		return true;
	if (json_q < html_q)
		return false;
	return html_pos < 0 || json_pos < html_pos;
}
