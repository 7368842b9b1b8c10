// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * markdown.h — one-page articles' Markdown, made safe: raw HTML is never
 * rendered, and every link and image destination must be relative or use
 * http, https or mailto (md4c's NOHTML flag does not stop `javascript:` or
 * `data:` links, so this filter does). Pure: no store, no HTTP; unit-tested
 * in tests/unit/test_practice_policy.c.
 */
#ifndef TANDEM_APP_PRACTICE_MARKDOWN_H
#define TANDEM_APP_PRACTICE_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Whether a link or image destination is allowed: relative, http:, https: or mailto:. */
bool practice_url_allowed(const char *url, size_t n);
/*
 * Check Markdown text md: 0, or -1 with *why a sentence for the author
 * (static) naming what to change: raw HTML, or a link or image whose
 * destination is not allowed.
 */
int practice_md_check(const char *md, const char **why);
/*
 * Render md as HTML into out (appended), after practice_md_check: 0, or -1
 * (nothing appended) when the text fails the check or cannot be parsed.
 */
int practice_md_html(const char *md, struct buf *out);

#endif
