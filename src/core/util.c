// SPDX-License-Identifier: AGPL-3.0-or-later
/* util.c — abort-on-OOM allocation, die(), whole-file reads. */
#include "core/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("tandem: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void die(const char *fmt, ...)
{
	va_list ap;
	fputs("tandem: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

int file_read_all(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	*out = NULL;
	if (len)
		*len = 0;
	if (!f)
		return ERR_IO;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			data = xrealloc(data, cap + 1);
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (n > max) {
			rc = ERR_TOOBIG;
			goto out;
		}
		if (got == 0) {
			if (ferror(f))
				rc = ERR_IO;
			break;
		}
	}
out:
	fclose(f);
	if (rc) {
		free(data);
		return rc;
	}
	data[n] = '\0';
	*out = data;
	if (len)
		*len = n;
	return 0;
}
