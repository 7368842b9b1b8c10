// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * arena.h — a region allocator for everything that lives no longer than one
 * request (or one command). Allocations are freed all at once by arena_free,
 * which first runs the deferred cleanups in reverse order of registration.
 *
 * Built with -DARENA_DEBUG (the sanitizer build), every allocation is its own
 * malloc so AddressSanitizer sees overruns and use-after-free precisely.
 * Allocation never fails: out of memory aborts, as the request could not
 * continue anyway.
 */
#ifndef TANDEM_CORE_ARENA_H
#define TANDEM_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include "core/err.h"

struct arena;

/* Create an empty arena. Never NULL. Free with arena_free. */
struct arena *arena_new(void);
/* Run the deferred cleanups (last registered first) and free everything. NULL is a no-op. */
void arena_free(struct arena *a);
/* n bytes aligned for any type, uninitialised. Lives until arena_free. */
void *arena_alloc(struct arena *a, size_t n);
/* n zeroed bytes. */
void *arena_zalloc(struct arena *a, size_t n);
/* count * size zeroed bytes, aborting on overflow. */
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Copies of strings and memory in the arena (NUL-terminated). NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);
/*
 * Room for one more item of size bytes in an arena array that holds n of
 * *cap: items itself when there is room, else a copy with twice the room (at
 * least 8), *cap updated. For lists filled in a loop, so none drops items:
 *   xs = arena_grow(a, xs, n, &cap, sizeof(*xs)); xs[n++] = x;
 */
void *arena_grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size);
/* A formatted string in the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) FMT(2, 3);
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) FMT(2, 0);
/* Call fn(arg) when the arena is freed (for example json_decref, sqlite reset). */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);
/* Bytes handed out so far (for tests and logging). */
size_t arena_used(const struct arena *a);

#endif
