// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * arena.c — region allocator with a defer list. Blocks grow geometrically;
 * a request larger than a block gets a block of its own. With ARENA_DEBUG
 * every allocation is a separate malloc kept on a list.
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define ARENA_ALIGN 16
#define ARENA_FIRST_BLOCK 4096
#define ARENA_MAX_BLOCK (1u << 20)

/* One chunk of memory; allocations are carved from data[used..size). */
struct arena_block {
	struct arena_block *next; /* older block */
	size_t size;              /* bytes in data */
	size_t used;              /* bytes handed out */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

/* A deferred cleanup. Stored inside the arena itself. */
struct arena_defer {
	struct arena_defer *next; /* registered earlier */
	void (*fn)(void *);
	void *arg;
};

struct arena {
	struct arena_block *head;   /* newest block (allocations come from here) */
	struct arena_defer *defers; /* newest first, so run order is LIFO */
	size_t next_size;           /* size of the next block to allocate */
	size_t used;                /* total bytes handed out */
};

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));
	a->next_size = ARENA_FIRST_BLOCK;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	/* Defers live in arena memory: walk them before freeing blocks. */
	for (struct arena_defer *d = a->defers; d; d = d->next)
		d->fn(d->arg);
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

static struct arena_block *block_new(size_t size)
{
	struct arena_block *b = xmalloc(sizeof(*b) + size);
	b->size = size;
	b->used = 0;
	b->next = NULL;
	return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN) {
		fputs("tandem: arena allocation overflow\n", stderr);
		abort();
	}
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	a->used += n;
#ifdef ARENA_DEBUG
	struct arena_block *b = block_new(need);
	b->used = need;
	b->next = a->head;
	a->head = b;
	return b->data;
#else
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t size = a->next_size;
		if (need > size / 4) {
			/* A big allocation gets a block to itself, kept behind the head
			 * so the current block stays in use for small ones. */
			struct arena_block *big = block_new(need);
			big->used = need;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				a->head = big;
			}
			return big->data;
		}
		b = block_new(size);
		b->next = a->head;
		a->head = b;
		if (a->next_size < ARENA_MAX_BLOCK)
			a->next_size *= 2;
	}
	void *p = b->data + b->used;
	b->used += need;
	return p;
#endif
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n ? n : 1);
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		fputs("tandem: arena allocation overflow\n", stderr);
		abort();
	}
	return arena_zalloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	if (!p)
		return NULL;
	void *q = arena_alloc(a, n);
	memcpy(q, p, n);
	return q;
}

void *arena_grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	size_t ncap = *cap < 4 ? 8 : *cap * 2;
	void *bigger = arena_calloc(a, ncap, size); /* aborts on overflow */
	if (n)
		memcpy(bigger, items, n * size);
	*cap = ncap;
	return bigger;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	/* Most strings are short: format into a stack buffer first and only
	 * measure-then-format when it does not fit. */
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct arena_defer *d = arena_alloc(a, sizeof(*d));
	d->fn = fn;
	d->arg = arg;
	d->next = a->defers;
	a->defers = d;
}

size_t arena_used(const struct arena *a)
{
	return a->used;
}
