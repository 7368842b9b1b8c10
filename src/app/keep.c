// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * keep.c — the keeper of computed results (keep.h): a fixed array of slots
 * searched by key under one lock. A new key takes a free slot, else the
 * least recently used one. A result is only ever copied while the lock is
 * held, in and out, so no two threads touch the same bytes or the same
 * jansson value.
 */
#include "app/keep.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/util.h"

/* Empty slot s. */
static void slot_free(struct keep_slot *s)
{
	free(s->key);
	free(s->bytes);
	json_decref(s->json);
	memset(s, 0, sizeof(*s));
}

/* The slot holding key, or NULL. Under the lock. */
static struct keep_slot *slot_find(struct keep *k, const char *key)
{
	size_t n = k->nslots < KEEP_SLOTS_MAX ? k->nslots : KEEP_SLOTS_MAX;
	for (size_t i = 0; i < n; i++)
		if (k->slots[i].key && strcmp(k->slots[i].key, key) == 0)
			return &k->slots[i];
	return NULL;
}

/* The slot a usable result for key is in (counted as a hit or a miss), or NULL. Under the lock. */
static struct keep_slot *slot_usable(struct keep *k, const char *key, uint64_t gen, int64_t now)
{
	struct keep_slot *s = slot_find(k, key);
	if (s && (s->gen != gen || now - s->made_us >= k->ttl_us)) {
		slot_free(s); /* out of date: nobody will use it again */
		s = NULL;
	}
	if (s) {
		s->used = ++k->tick;
		k->hits++;
	} else {
		k->misses++;
	}
	return s;
}

/* The slot key's new result goes in, emptied, with key set. Under the lock. */
static struct keep_slot *slot_claim(struct keep *k, const char *key)
{
	struct keep_slot *s = slot_find(k, key);
	if (!s) {
		size_t n = k->nslots < KEEP_SLOTS_MAX ? k->nslots : KEEP_SLOTS_MAX;
		for (size_t i = 0; i < n; i++) {
			struct keep_slot *c = &k->slots[i];
			if (!c->key) {
				s = c;
				break;
			}
			if (!s || c->used < s->used)
				s = c;
		}
	}
	slot_free(s);
	s->key = xstrdup(key);
	return s;
}

char *keep_get_bytes(struct keep *k, const char *key, uint64_t gen, size_t *len)
{
	char *out = NULL;
	int64_t now = clock_mono_us();
	pthread_mutex_lock(&k->lock);
	struct keep_slot *s = slot_usable(k, key, gen, now);
	if (s && s->bytes) {
		out = xmalloc(s->len + 1);
		memcpy(out, s->bytes, s->len + 1);
		*len = s->len;
	}
	pthread_mutex_unlock(&k->lock);
	return out;
}

void keep_put_bytes(struct keep *k, const char *key, uint64_t gen, const void *bytes, size_t len)
{
	char *copy = xmalloc(len + 1); /* copied before taking the lock: the lock is held only briefly */
	if (len)
		memcpy(copy, bytes, len);
	copy[len] = '\0';
	int64_t now = clock_mono_us();
	pthread_mutex_lock(&k->lock);
	struct keep_slot *s = slot_claim(k, key);
	s->bytes = copy;
	s->len = len;
	s->gen = gen;
	s->made_us = now;
	s->used = ++k->tick;
	pthread_mutex_unlock(&k->lock);
}

json_t *keep_get_json(struct keep *k, const char *key, uint64_t gen)
{
	json_t *out = NULL;
	int64_t now = clock_mono_us();
	pthread_mutex_lock(&k->lock);
	struct keep_slot *s = slot_usable(k, key, gen, now);
	if (s && s->json)
		out = json_deep_copy(s->json);
	pthread_mutex_unlock(&k->lock);
	return out;
}

void keep_put_json(struct keep *k, const char *key, uint64_t gen, const json_t *v)
{
	/* The caller's value is its own: copying it needs no lock. */
	json_t *copy = json_deep_copy(v);
	if (!copy)
		return;
	int64_t now = clock_mono_us();
	pthread_mutex_lock(&k->lock);
	struct keep_slot *s = slot_claim(k, key);
	s->json = copy;
	s->gen = gen;
	s->made_us = now;
	s->used = ++k->tick;
	pthread_mutex_unlock(&k->lock);
}

void keep_clear(struct keep *k)
{
	pthread_mutex_lock(&k->lock);
	for (size_t i = 0; i < KEEP_SLOTS_MAX; i++)
		slot_free(&k->slots[i]);
	pthread_mutex_unlock(&k->lock);
}
