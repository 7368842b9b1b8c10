// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * negotiate.h — picks the representation of a response from the Accept
 * header: JSON or HTML. One URL serves both (DESIGN.md §3), so this is the
 * only place that decides. Internal to src/http/ and its tests.
 */
#ifndef TANDEM_HTTP_NEGOTIATE_H
#define TANDEM_HTTP_NEGOTIATE_H

#include <stdbool.h>

/*
 * True when the Accept header prefers JSON: application/json or
 * application/problem+json has a higher q-value than text/html (or than
 * the wildcard that would cover text/html), or the same q-value and comes
 * first. A missing header, a bare wildcard (star/star) and anything
 * unparseable mean HTML.
 */
bool negotiate_wants_json(const char *accept);

#endif
