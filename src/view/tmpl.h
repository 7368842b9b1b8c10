// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * tmpl.h — Mustache templates over jansson values: escaped interpolation,
 * sections, inverted sections, comments, partials, set delimiters and
 * template inheritance (parents and blocks), per the Mustache spec.
 *
 * A tmpl_set holds compiled templates by name; partials and parents are
 * looked up by name in the same set. Compiled sets are immutable, so one set
 * can render on many threads at once (each with its own json_t values).
 *
 * Raw output ({{{x}}}, {{&x}}) exists for the spec; the project's own
 * templates use it only for keys ending in "_html", which hold markup made by
 * a safe filter (tests/unit/test_tmpl_lint.c enforces this).
 */
#ifndef TANDEM_VIEW_TMPL_H
#define TANDEM_VIEW_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

struct buf;
struct tmpl_set;

/* An empty set. Never NULL. */
struct tmpl_set *tmpl_set_new(void);
/* Free the set and every template in it. NULL is a no-op. */
void tmpl_set_free(struct tmpl_set *set);
/*
 * Compile source as template name and add it (replacing one of that name).
 * Returns 0 or ERR_PARSE with "name:line: message" in err (unclosed section,
 * mismatched close tag, bad delimiters, …).
 */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *source, size_t len,
		 char *err, size_t errsz) WUR;
/*
 * Compile every *.mustache file below dir; a file's name is its path
 * relative to dir without the extension ("layout", "home/index").
 * Returns 0, ERR_IO or ERR_PARSE with the file, line and problem in err.
 * Names starting with '.' are skipped. On error the set keeps the files
 * loaded before it.
 */
int tmpl_set_load_dir(struct tmpl_set *set, const char *dir, char *err, size_t errsz) WUR;
/* True when the set holds a template called name. */
bool tmpl_exists(const struct tmpl_set *set, const char *name);
/*
 * Render template name with ctx into out (appending). Missing partials render
 * as empty, as the spec requires. Returns 0 or ERR_NOTFOUND for an unknown
 * template name.
 *
 * Partials, parents and block overrides nest at most TMPL_MAX_DEPTH
 * deep; deeper ones render as empty and rendering goes on. A render that
 * exceeds the set's limits (see tmpl_set_limits: runaway recursion or
 * output) stops and returns ERR_TOOBIG; out then holds partial output.
 * Sections skip false, null, 0, "" and []; objects and other values are
 * truthy. Integers print as integers, reals in the shortest form that reads
 * back to the same double; true and false print as "true" and "false",
 * null, objects and arrays as nothing.
 */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx, struct buf *out) WUR;
/* Append s[0..n) with & < > " ' escaped as HTML entities. */
void html_escape(struct buf *out, const char *s, size_t n);

/*
 * Markup rendered once for many readers and kept (app/keep.h) may differ
 * from one reader to another in a few places (a button, or "you said
 * this"). Its template writes both versions of each such place between
 * markers: "<!--pick:TAG-->" A "<!--or-->" B "<!--end-->", TAG naming the
 * place. Escaped text never holds a marker (it has no '<'), so only the
 * template's are read. Append html[0..n) to out with each place as A when
 * pick(arg, tag, taglen) is true, else as B. A marker left open copies the
 * rest as it is.
 */
void tmpl_pick(struct buf *out, const char *html, size_t n, bool (*pick)(void *arg, const char *tag, size_t taglen),
	       void *arg);

/* Deepest nesting of partials, parents and block overrides in one render. */
#define TMPL_MAX_DEPTH 64
/* Default limits of one render: template nodes visited, bytes of output. */
#define TMPL_MAX_STEPS_DEFAULT ((size_t)10 * 1000 * 1000)
#define TMPL_MAX_OUTPUT_DEFAULT ((size_t)64 << 20)

/*
 * Set the limits of each render from this set: at most max_steps template
 * nodes visited (each section iteration counts too) and max_output bytes
 * appended. 0 means the default. Call before the set is shared.
 */
void tmpl_set_limits(struct tmpl_set *set, size_t max_steps, size_t max_output);
/*
 * Call fn(arg, key, line) for every raw interpolation ({{{key}}}, {{&key}})
 * in template name, in source order, including those in blocks and in
 * parents' arguments (for tests/unit/test_tmpl_lint.c). key is the tag's
 * name as written ("a.b_html", "."). Returns 0 or ERR_NOTFOUND.
 */
int tmpl_walk_raw(const struct tmpl_set *set, const char *name,
		  void (*fn)(void *arg, const char *key, unsigned line), void *arg) WUR;

#endif
