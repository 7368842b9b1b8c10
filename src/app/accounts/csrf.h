// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * csrf.h — where a state-changing request came from. Browsers tell us: the
 * Origin header (or failing that the Referer) names the page's site, and
 * Sec-Fetch-Site says whether it was the same site. A request passes when
 * neither points elsewhere; the per-session or double-submit token (auth.c)
 * is checked as well. Pure functions, unit-tested in
 * tests/unit/test_accounts.c.
 */
#ifndef TANDEM_APP_ACCOUNTS_CSRF_H
#define TANDEM_APP_ACCOUNTS_CSRF_H

#include <stdbool.h>
#include <stddef.h>

/* What to tell a person whose form failed the checks. */
#define CSRF_MESSAGE "This form has expired or came from another site. Reload the page and try again."

/*
 * The origin ("scheme://host[:port]", lower case, default port dropped) of
 * url into out. Returns false when url has no scheme and host (or out is too
 * small).
 */
bool csrf_origin_of(const char *url, char *out, size_t size);

/*
 * Whether a state-changing request may go on. origin, referer and
 * fetch_site are its Origin, Referer and Sec-Fetch-Site headers (NULL when
 * absent); host its Host header; base_url TANDEM_BASE_URL ("" or NULL when
 * unset); https whether the site is served over https.
 *
 * Refused: Sec-Fetch-Site "cross-site"; an Origin of "null"; an Origin (or,
 * without one, a Referer) whose origin differs from base_url's when that is
 * set, else from the Host's. A request with neither header (not a browser)
 * passes here and relies on the token.
 */
bool csrf_origin_ok(const char *origin, const char *referer, const char *fetch_site, const char *host,
		    const char *base_url, bool https);

#endif
