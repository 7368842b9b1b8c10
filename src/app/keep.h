// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * keep.h — results this process has computed and keeps in memory for a
 * while (a report, a rendered listing), so that the next request that asks
 * for the same thing does not compute it again. A keeper holds a fixed
 * number of slots, each a key (a string that names everything the result
 * depends on, including what the person asking may see) and either bytes
 * (rendered HTML, JSON text) or a JSON value.
 *
 * A kept result is used while two things hold: the generation it was built
 * at (db_data_generation read BEFORE it was computed) is the generation now,
 * so anything written since, by this process or heard from others, throws
 * it away; and it is younger than the keeper's time to live, which bounds
 * how old a result can be when a change is not heard (another app server on
 * the same PostgreSQL database). Thread-safe: one lock per keeper, held only
 * while copying in or out (jansson values are never shared between threads:
 * each side gets its own copy).
 */
#ifndef TANDEM_APP_KEEP_H
#define TANDEM_APP_KEEP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* The most slots a keeper may have. */
#define KEEP_SLOTS_MAX 128

/* One kept result. */
struct keep_slot {
	char *key;          /* what it is (malloc'd), NULL when the slot is free */
	char *bytes;        /* the bytes (malloc'd, NUL-terminated), or NULL for a JSON value */
	size_t len;         /* how many bytes, without the NUL */
	json_t *json;       /* the JSON value (owned, touched only under the lock), or NULL */
	uint64_t gen;       /* the data generation it was built at */
	int64_t made_us;    /* when it was kept (clock_mono_us) */
	uint64_t used;      /* the keeper's tick when it was last used or kept: the least recently used goes first */
};

/* A keeper: declare one static per kind of result with KEEP_INIT. */
struct keep {
	const char *name;       /* what it keeps, for logs ("impact reports") */
	size_t nslots;          /* slots in use, 1 to KEEP_SLOTS_MAX */
	int64_t ttl_us;         /* the longest a result is used, in microseconds */
	pthread_mutex_t lock;   /* guards slots and the counters */
	uint64_t tick;          /* counts uses and keeps, for used */
	uint64_t hits, misses;  /* results found and not found (for tests and logs) */
	struct keep_slot slots[KEEP_SLOTS_MAX]; /* the results */
};

/* A keeper named name of n slots (at most KEEP_SLOTS_MAX) and a time to live of ttl_us. */
#define KEEP_INIT(kname, n, ttl) \
	{.name = (kname), .nslots = (n), .ttl_us = (ttl), .lock = PTHREAD_MUTEX_INITIALIZER}

/*
 * The bytes kept for key, if built at generation gen and younger than the
 * time to live: a malloc'd copy (NUL-terminated; caller frees) with its
 * length in *len, else NULL.
 */
char *keep_get_bytes(struct keep *k, const char *key, uint64_t gen, size_t *len);
/* Keep a copy of bytes[0..len) for key, built at generation gen (replacing what key had). */
void keep_put_bytes(struct keep *k, const char *key, uint64_t gen, const void *bytes, size_t len);
/* The JSON value kept for key on the same terms: a new deep copy (caller owns it), else NULL. */
json_t *keep_get_json(struct keep *k, const char *key, uint64_t gen);
/* Keep a deep copy of v for key, built at generation gen. v stays the caller's. */
void keep_put_json(struct keep *k, const char *key, uint64_t gen, const json_t *v);
/* Forget everything kept (at shutdown, so leak checkers stay quiet; also in tests). */
void keep_clear(struct keep *k);

#endif
