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
 *
 * The slots, their keys, ages and least-recently-used order are the
 * keeper's (app/keep.h); what this file adds is the programme's own
 * generation (moved by every programme write of this process, so the
 * programme's parts go at once without waiting for a round trip) and a
 * part's figures, kept in front of its markup.
 */
#include "app/programme/prog.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "app/keep.h"
#include "core/util.h"

/* Listings and session parts kept at once (network, year and filters; session), and how long one is used without a change seen here. */
static struct keep kept = KEEP_INIT("programme listings and session parts", 128, 2000000);
/* The programme's generation: moved by every change the programme's model makes in this process. */
static atomic_uint_fast64_t listing_gen = 1;

void prog_listing_changed(void)
{
	atomic_fetch_add(&listing_gen, 1);
}

uint64_t prog_listing_generation(void)
{
	return atomic_load(&listing_gen);
}

json_t *prog_listing_get(const char *key)
{
	return prog_kept_get(key, NULL);
}

void prog_listing_put(const char *key, const char *html, size_t len, uint64_t gen)
{
	prog_kept_put(key, html, len, NULL, gen);
}

/* A kept part's bytes: its PROG_KEPT_NUMS figures, then its markup. */
#define NUMS_BYTES (PROG_KEPT_NUMS * sizeof(int64_t))

json_t *prog_kept_get(const char *key, int64_t *nums)
{
	size_t len = 0;
	char *bytes = keep_get_bytes(&kept, key, atomic_load(&listing_gen), &len);
	if (!bytes)
		return NULL;
	json_t *out = NULL;
	if (len >= NUMS_BYTES) {
		/* The markup was rendered from UTF-8 templates and UTF-8 data: no need to check it again. */
		out = json_stringn_nocheck(bytes + NUMS_BYTES, len - NUMS_BYTES);
		if (out && nums)
			memcpy(nums, bytes, NUMS_BYTES);
	}
	free(bytes);
	return out;
}

void prog_kept_put(const char *key, const char *html, size_t len, const int64_t *nums, uint64_t gen)
{
	/* Built from data read before a change this process has made since: not worth keeping. */
	if (gen != atomic_load(&listing_gen))
		return;
	char *bytes = xmalloc(NUMS_BYTES + len);
	if (nums)
		memcpy(bytes, nums, NUMS_BYTES);
	else
		memset(bytes, 0, NUMS_BYTES);
	if (len)
		memcpy(bytes + NUMS_BYTES, html, len);
	keep_put_bytes(&kept, key, gen, bytes, NUMS_BYTES + len);
	free(bytes);
}

void prog_listing_release(void)
{
	keep_clear(&kept);
	atomic_fetch_add(&listing_gen, 1);
}
