// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_multipart.c — libFuzzer target for multipart/form-data uploads
 * (src/http/multipart.c). The input's first line (up to the first '\n') is
 * the Content-Type header, so the boundary parameter is fuzzed too; the
 * rest is the body, parsed in memory as req_multipart parses the mapped
 * upload file. Nothing may crash, leak or trip a sanitizer, and what the
 * parser accepts must keep its promises: at most 64 parts, each named; a
 * text part is NUL-free UTF-8 of the size given; a file part is a
 * temporary file of exactly that size, removed when the arena is freed.
 * replay.c runs the saved corpus (tests/fuzz/corpus/multipart/) as a unit
 * test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Crash loudly (the fuzzer records the input) when a promise is broken. */
static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t clen = nl ? (size_t)(nl - s) : size;
	const char *ctype = arena_strndup(a, s, clen); /* a header: up to its first NUL */
	const char *body = nl ? nl + 1 : s + size;
	size_t blen = size - (size_t)(body - s);

	struct multipart_part *parts;
	size_t n;
	const char *detail;
	char *paths[64];
	size_t npaths = 0;
	int rc = multipart_parse(a, ctype, body, blen, &parts, &n, &detail);
	if (rc == 0) {
		check(n <= 64 && (n == 0 || parts));
		for (size_t i = 0; i < n; i++) {
			const struct multipart_part *p = &parts[i];
			check(p->name != NULL);
			check(p->size <= blen);
			check(multipart_find(parts, n, p->name) != NULL);
			if (p->filename) {
				struct stat st;
				check(p->path && p->value == NULL);
				check(stat(p->path, &st) == 0 && (size_t)st.st_size == p->size);
				paths[npaths++] = strdup(p->path);
			} else {
				check(p->value && p->path == NULL);
				check(strlen(p->value) == p->size && utf8_valid(p->value, p->size));
			}
		}
	} else {
		check(rc == ERR_INVALID || rc == ERR_IO);
		check(rc != ERR_INVALID || (detail && *detail));
	}
	arena_free(a);

	/* The temporary files went with the arena. */
	for (size_t i = 0; i < npaths; i++) {
		check(access(paths[i], F_OK) != 0);
		free(paths[i]);
	}
	return 0;
}
