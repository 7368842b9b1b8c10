// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * util.h — allocation helpers that abort on out-of-memory (for use outside
 * requests: start-up, long-lived objects) and die() for fatal start-up errors.
 */
#ifndef TANDEM_CORE_UTIL_H
#define TANDEM_CORE_UTIL_H

#include <stddef.h>
#include "core/err.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* malloc/calloc/realloc/strdup that abort the process when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Print "tandem: <message>" to stderr and exit(1). Only at start-up. */
__attribute__((noreturn)) void die(const char *fmt, ...) FMT(1, 2);

/*
 * Read a whole file into a malloc'd NUL-terminated buffer (caller frees).
 * Returns 0, ERR_IO (errno kept) or ERR_TOOBIG when larger than max bytes.
 */
int file_read_all(const char *path, size_t max, char **out, size_t *len) WUR;

#endif
