// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * buf.h — a growable byte buffer on the heap, always NUL-terminated after
 * its contents. Used to build response bodies, rendered templates and SQL
 * results. Growth aborts on out-of-memory (see util.h).
 */
#ifndef TANDEM_CORE_BUF_H
#define TANDEM_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include "core/err.h"

struct buf {
	char *data; /* contents plus a NUL; NULL until the first append */
	size_t len; /* bytes of contents, excluding the NUL */
	size_t cap; /* bytes allocated */
};

#define BUF_INIT {NULL, 0, 0}

void buf_init(struct buf *b);
/* Free the contents; the buffer is empty and reusable afterwards. */
void buf_free(struct buf *b);
/* Forget the contents but keep the memory. */
void buf_reset(struct buf *b);
/* Make room for n more bytes. */
void buf_reserve(struct buf *b, size_t n);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) FMT(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) FMT(2, 0);
/* Append s percent-encoded for a URL query value (unreserved characters kept, space as %20). */
void buf_put_urlencoded(struct buf *b, const char *s);
/* The contents as a C string ("" when empty). Owned by the buffer. */
const char *buf_str(const struct buf *b);
/* Hand the malloc'd contents to the caller (never NULL) and empty the buffer. */
char *buf_detach(struct buf *b, size_t *len);

#endif
