// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_tmpl.c — libFuzzer target for the template engine. The input is
 * compiled as a template (under two names, so it can include itself as a
 * partial or a parent), next to a few fixed partials and a parent with
 * blocks, and rendered against a small JSON context with nested objects,
 * lists and every scalar type. It must never crash, leak or trip a
 * sanitizer, whatever the input; parse errors are fine. replay.c runs the
 * saved corpus (tests/fuzz/corpus/tmpl/) as a unit test in every build.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "view/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_json[] =
	"{\"title\": \"<b>T&'\\\"</b>\", \"n\": 3, \"zero\": 0, \"pi\": 3.14159, \"big\": 1e300,"
	" \"yes\": true, \"no\": false, \"nothing\": null, \"empty\": \"\", \"none\": [],"
	" \"body_html\": \"<p>x</p>\","
	" \"user\": {\"name\": \"Ann\", \"tags\": [\"a\", \"b\"], \"boss\": {\"name\": \"Bo\"}},"
	" \"items\": [{\"name\": \"one\", \"n\": 1, \"kids\": [{\"name\": \"k\"}]},"
	"            {\"name\": \"two\", \"n\": 2.5, \"kids\": []}, 7, \"s\", [1, [2]], null]}";

/* Fixed templates the input may call: a partial, a recursive one, a parent. */
static const struct {
	const char *name;
	const char *src;
} fixed[] = {
	{"p", "[{{name}}]\n  {{#kids}}{{>p}}{{/kids}}\n"},
	{"layout", "<h1>{{$title}}{{title}}{{/title}}</h1>\n  {{$body}}\n  default\n  {{/body}}\n"},
	{"deep", "{{<layout}}{{$body}}{{>fuzz}}{{/body}}{{/layout}}"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	json_t *ctx = json_loads(context_json, 0, NULL);

	/* Keep pathological inputs fast: a render stops after this much work. */
	tmpl_set_limits(set, 20000, 1 << 18);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (tmpl_set_add(set, fixed[i].name, fixed[i].src, strlen(fixed[i].src), err,
				 sizeof(err)))
			abort(); /* the fixed templates are valid */

	if (tmpl_set_add(set, "fuzz", (const char *)data, size, err, sizeof(err)) == 0 &&
	    tmpl_set_add(set, "main", (const char *)data, size, err, sizeof(err)) == 0) {
		(void)!tmpl_render(set, "main", ctx, &out);
		buf_reset(&out);
		(void)!tmpl_render(set, "deep", ctx, &out);
	}

	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
	return 0;
}
