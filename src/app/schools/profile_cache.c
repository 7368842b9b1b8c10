// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * profile_cache.c — what a school's profile page shows (the school's row in
 * plain English, its links, its five most similar schools), kept in this
 * process's memory. All of it comes from the register, which only an import
 * changes, and every import is announced (db_announce "schools"): an entry
 * is used while the latest finished import is still the one it was built
 * at (schools_register_run, no round trip while the change generation
 * stands still), so a profile page asks the store nothing after its first
 * visit, on SQLite and on PostgreSQL alike. Nothing is cached while no
 * import has finished (a register written some other way).
 *
 * A table of PROFILE_SLOTS entries indexed by URN (a newer school replaces
 * the one in its slot), behind one mutex. jansson values are not shared
 * between threads: an entry holds its own deep copy, and each caller gets
 * another.
 */
#include <pthread.h>

#include "app/schools/model.h"
#include "app/schools/schools.h"
#include "app/schools/similar.h"

/* How many schools' pages are kept (about 5 KB each). */
#define PROFILE_SLOTS 2048

/* One school's page data. */
struct profile_entry {
	int64_t urn;        /* the school (0: an empty slot) */
	int64_t run;        /* the import run it was read at */
	json_t *school;     /* schools_profile's object (owned) */
	json_t *similar;    /* the similar schools' results (owned), or NULL */
	const char *reason; /* when similar is NULL: why (a static sentence) */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct profile_entry cache[PROFILE_SLOTS]; /* guarded by cache_lock */

/* Copies of entry e's values for a caller (under cache_lock). */
static void entry_copy(const struct profile_entry *e, json_t **school, json_t **similar, const char **reason)
{
	*school = json_deep_copy(e->school);
	*similar = e->similar ? json_deep_copy(e->similar) : NULL;
	*reason = e->reason;
}

/* Read the page data from the store (schools_profile, schools_similar with k = 5). */
static int build(struct db *db, int64_t urn, json_t **school, json_t **similar, const char **reason, bool *keep)
{
	*keep = false;
	int rc = schools_profile(db, urn, school);
	if (rc)
		return rc;
	struct similar_options opt;
	similar_options_default(&opt);
	opt.k = 5;
	json_t *sim;
	rc = schools_similar(db, urn, &opt, &sim, reason);
	if (rc == 0) {
		*similar = json_incref(json_object_get(sim, "results"));
		json_decref(sim);
	}
	/* A reason is the register's answer; a failure of the store is not kept. */
	*keep = rc == 0 || (rc == ERR_INVALID && *reason);
	return 0;
}

int schools_profile_page(struct db *db, int64_t urn, json_t **school, json_t **similar, const char **reason)
{
	*school = *similar = NULL;
	*reason = NULL;
	int64_t run = schools_register_run(db);
	struct profile_entry *e = &cache[(uint64_t)urn % PROFILE_SLOTS];
	if (run > 0) {
		pthread_mutex_lock(&cache_lock);
		bool hit = e->urn == urn && e->run == run;
		if (hit)
			entry_copy(e, school, similar, reason);
		pthread_mutex_unlock(&cache_lock);
		if (hit)
			return 0;
	}
	bool keep;
	int rc = build(db, urn, school, similar, reason, &keep);
	if (rc || !keep || run <= 0)
		return rc;
	json_t *s = json_deep_copy(*school), *sim = *similar ? json_deep_copy(*similar) : NULL;
	pthread_mutex_lock(&cache_lock);
	json_t *old_school = e->school, *old_similar = e->similar;
	*e = (struct profile_entry){.urn = urn, .run = run, .school = s, .similar = sim, .reason = *reason};
	pthread_mutex_unlock(&cache_lock);
	json_decref(old_school);
	json_decref(old_similar);
	return 0;
}

void schools_profile_cache_release(void)
{
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < PROFILE_SLOTS; i++) {
		json_decref(cache[i].school);
		json_decref(cache[i].similar);
		cache[i] = (struct profile_entry){0};
	}
	pthread_mutex_unlock(&cache_lock);
}
