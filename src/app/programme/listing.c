// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * listing.c — the annual programme's listing (every course by theme with its
 * sessions, places left, venues and facilitators) as rendered HTML, kept in
 * this process's memory so that the programme page does not build and
 * render 300 sessions on every request (issue 13, performance).
 *
 * What a listing shows depends only on the network, the academic year, the
 * filters and whether the person may read names (members) or only see the
 * programme (outsiders of a public network): that is its key. Nothing
 * personal is in it (the page shows the person's own places apart), so one
 * listing serves everyone with the same key.
 *
 * When it is thrown away: every statement the programme's model runs to
 * change something (prog_run) and every transaction it ends (prog_finish)
 * moves the generation on, so a change made by this process shows on its
 * very next page. A change this process does not see (another app server
 * on the same PostgreSQL database, a theme renamed, a school's name
 * re-imported) shows once the listing is LISTING_TTL_US old: at most two
 * seconds. Places are only ever taken by booking, which counts them afresh
 * inside its own transaction, so a listing a moment old never lets anyone
 * book a place that is not there.
 *
 * A session page keeps its parts that are the same for everyone who sees
 * them here too, under the same rules (pages_sessions.c): the people booked
 * and waiting as rendered for those who see every name (policy.c), with its
 * counts of places beside it, and the edit form's fields; and so does the
 * list of member schools a session may be at (sessions.c).
 */
#include "app/programme/prog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/util.h"

/* Listings and session parts kept at once (network, year and filters; session), and how long one is used without a change seen here. */
#define LISTING_SLOTS 128
#define LISTING_TTL_US 2000000

/* One kept listing. */
struct listing_slot {
	char *key;          /* what it is the listing of (malloc'd), NULL when the slot is free */
	char *html;         /* the rendered listing (malloc'd) */
	size_t len;         /* its bytes */
	uint64_t gen;       /* the generation it was built in */
	int64_t made_us;    /* when it was built (monotonic microseconds) */
	int64_t nums[PROG_KEPT_NUMS]; /* figures kept with it (a session page's counts of places) */
};

static pthread_mutex_t listing_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t listing_gen = 1;
static struct listing_slot listing_slots[LISTING_SLOTS];
static size_t listing_next; /* the slot the next new key takes (round robin) */

void prog_listing_changed(void)
{
	pthread_mutex_lock(&listing_lock);
	listing_gen++;
	pthread_mutex_unlock(&listing_lock);
}

uint64_t prog_listing_generation(void)
{
	pthread_mutex_lock(&listing_lock);
	uint64_t g = listing_gen;
	pthread_mutex_unlock(&listing_lock);
	return g;
}

json_t *prog_listing_get(const char *key)
{
	return prog_kept_get(key, NULL);
}

void prog_listing_put(const char *key, const char *html, size_t len, uint64_t gen)
{
	prog_kept_put(key, html, len, NULL, gen);
}

json_t *prog_kept_get(const char *key, int64_t *nums)
{
	json_t *out = NULL;
	int64_t now = clock_mono_us();
	pthread_mutex_lock(&listing_lock);
	for (size_t i = 0; i < LISTING_SLOTS && !out; i++) {
		struct listing_slot *s = &listing_slots[i];
		/* The markup was rendered from UTF-8 templates and UTF-8 data: no need to check it again. */
		if (s->key && strcmp(s->key, key) == 0 && s->gen == listing_gen && now - s->made_us < LISTING_TTL_US) {
			out = json_stringn_nocheck(s->html, s->len);
			if (out && nums)
				memcpy(nums, s->nums, sizeof(s->nums));
		}
	}
	pthread_mutex_unlock(&listing_lock);
	return out;
}

void prog_kept_put(const char *key, const char *html, size_t len, const int64_t *nums, uint64_t gen)
{
	int64_t now = clock_mono_us();
	pthread_mutex_lock(&listing_lock);
	/* Built from data read before a change this process has made since: not worth keeping. */
	if (gen == listing_gen) {
		struct listing_slot *s = NULL;
		for (size_t i = 0; i < LISTING_SLOTS && !s; i++)
			if (listing_slots[i].key && strcmp(listing_slots[i].key, key) == 0)
				s = &listing_slots[i];
		if (!s) {
			s = &listing_slots[listing_next];
			listing_next = (listing_next + 1) % LISTING_SLOTS;
			free(s->key);
			s->key = xstrdup(key);
		}
		free(s->html);
		s->html = xmalloc(len + 1);
		memcpy(s->html, html, len);
		s->html[len] = '\0';
		s->len = len;
		s->gen = gen;
		s->made_us = now;
		if (nums)
			memcpy(s->nums, nums, sizeof(s->nums));
		else
			memset(s->nums, 0, sizeof(s->nums));
	}
	pthread_mutex_unlock(&listing_lock);
}

void prog_listing_release(void)
{
	pthread_mutex_lock(&listing_lock);
	for (size_t i = 0; i < LISTING_SLOTS; i++) {
		free(listing_slots[i].key);
		free(listing_slots[i].html);
		memset(&listing_slots[i], 0, sizeof(listing_slots[i]));
	}
	listing_gen++;
	pthread_mutex_unlock(&listing_lock);
}
