// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * csrf.c — checking a request's Origin, Referer and Sec-Fetch-Site against
 * the site's own origin (see csrf.h).
 */
#include "app/accounts/csrf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"

bool csrf_origin_of(const char *url, char *out, size_t size)
{
	if (!url)
		return false;
	const char *sep = strstr(url, "://");
	if (!sep || sep == url)
		return false;
	size_t scheme_len = (size_t)(sep - url);
	const char *auth = sep + 3;
	size_t auth_len = strcspn(auth, "/?#");
	if (auth_len == 0 || memchr(auth, '@', auth_len))
		return false; /* no host, or credentials in the URL: not a browser's origin */
	char scheme[16];
	if (scheme_len >= sizeof(scheme))
		return false;
	for (size_t i = 0; i < scheme_len; i++)
		scheme[i] = (char)tolower((unsigned char)url[i]);
	scheme[scheme_len] = '\0';
	/* Drop the scheme's default port: browsers never send it. */
	size_t host_len = auth_len;
	const char *colon = NULL;
	for (size_t i = auth_len; i > 0; i--) {
		if (auth[i - 1] == ':') {
			colon = auth + i - 1;
			break;
		}
		if (auth[i - 1] == ']')
			break;
	}
	if (colon) {
		const char *port = colon + 1;
		size_t port_len = auth_len - (size_t)(port - auth);
		if ((str_eq(scheme, "http") && port_len == 2 && strncmp(port, "80", 2) == 0) ||
		    (str_eq(scheme, "https") && port_len == 3 && strncmp(port, "443", 3) == 0))
			host_len = (size_t)(colon - auth);
	}
	int n = snprintf(out, size, "%s://%.*s", scheme, (int)host_len, auth);
	if (n < 0 || (size_t)n >= size)
		return false;
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return true;
}

bool csrf_origin_ok(const char *origin, const char *referer, const char *fetch_site, const char *host,
		    const char *base_url, bool https)
{
	if (fetch_site && str_case_eq(fetch_site, "cross-site"))
		return false;
	if (!origin && !referer)
		return true;
	char expected[512];
	if (base_url && *base_url) {
		if (!csrf_origin_of(base_url, expected, sizeof(expected)))
			return false;
	} else {
		if (!host || !*host)
			return false;
		char url[512];
		int n = snprintf(url, sizeof(url), "%s://%s", https ? "https" : "http", host);
		if (n < 0 || (size_t)n >= sizeof(url) || !csrf_origin_of(url, expected, sizeof(expected)))
			return false;
	}
	char got[512];
	if (origin) {
		if (str_eq(origin, "null") || !csrf_origin_of(origin, got, sizeof(got)))
			return false;
	} else if (!csrf_origin_of(referer, got, sizeof(got))) {
		return false;
	}
	return str_eq(got, expected);
}
