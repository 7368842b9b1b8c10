// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_markdown.c — libFuzzer target for the Markdown filter of one-page
 * articles (src/app/practice/markdown.c): any text through the check and,
 * when it passes, the renderer. The promises: never a crash; text the check
 * refuses renders nothing; what renders is valid UTF-8 when the input was,
 * and never holds a live javascript:, vbscript: or data: link or image, nor
 * raw HTML that was typed (every "<" in the output starts a tag md4c writes).
 * replay.c runs the saved corpus (tests/fuzz/corpus/markdown/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/practice/markdown.h"
#include "core/buf.h"
#include "core/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

/* Whether any href="…" or src="…" in html starts, ignoring case and spaces, with scheme. */
static int has_scheme(const char *html, const char *scheme)
{
	size_t n = strlen(scheme);
	for (const char *p = html; (p = strpbrk(p, "hs")); p++) {
		const char *v = NULL;
		if (strncmp(p, "href=\"", 6) == 0)
			v = p + 6;
		else if (strncmp(p, "src=\"", 5) == 0)
			v = p + 5;
		if (!v)
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strncasecmp(v, scheme, n) == 0)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *md = malloc(size + 1);
	if (!md)
		abort();
	memcpy(md, data, size);
	md[size] = '\0';
	const char *why = NULL;
	int checked = practice_md_check(md, &why);
	check(checked == 0 || (checked == -1 && why && *why));
	struct buf out = BUF_INIT;
	int rendered = practice_md_html(md, &out);
	if (checked != 0)
		check(rendered == -1 && out.len == 0);
	if (rendered == 0) {
		const char *html = buf_str(&out);
		if (utf8_valid(md, size))
			check(utf8_valid(html, out.len));
		check(!has_scheme(html, "javascript:") && !has_scheme(html, "vbscript:") &&
		      !has_scheme(html, "data:"));
		check(strstr(html, "<script") == NULL && strstr(html, "<iframe") == NULL);
	}
	buf_free(&out);
	free(md);
	return 0;
}
