// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.h — schools view models (JSON) shared by pages, the API and the CLI,
 * and the record of register imports.
 */
#ifndef TANDEM_APP_SCHOOLS_MODEL_H
#define TANDEM_APP_SCHOOLS_MODEL_H

#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct db;
struct similar_options;

/*
 * A school's profile: every stored fact plus plain-language extras (ages,
 * ehc_pct, address, map_url, website_url, open) and its predecessors and
 * successors. *out is a new reference. ERR_NOTFOUND for an unknown URN.
 */
int schools_profile(struct db *db, int64_t urn, json_t **out) WUR;
/*
 * What a school's profile page shows: its profile (schools_profile) and its
 * five most similar schools by the default options (the "results" of
 * schools_similar) in *similar, or *similar NULL and *reason the sentence to
 * show instead (NULL when the store failed). From this process's memory
 * after the first time, until a newer register import finishes
 * (profile_cache.c): no round trip to the store then. *school and *similar
 * are new references. Returns 0, ERR_NOTFOUND for an unknown URN, or an error.
 */
int schools_profile_page(struct db *db, int64_t urn, json_t **school, json_t **similar, const char **reason) WUR;
/*
 * The similar schools of urn with the options: {school, results[{rank, urn,
 * name, …, score, km, explanation, characteristics}], options, meta}.
 * ERR_NOTFOUND (unknown URN) or ERR_INVALID with *reason a sentence to show
 * (closed school, no comparison group, no location for a distance option).
 */
int schools_similar(struct db *db, int64_t urn, const struct similar_options *opt, json_t **out,
		    const char **reason) WUR;
/*
 * As schools_similar, but only among the n schools of only[] (a lead's
 * network members, say): those that share the school's pool and group,
 * ranked the same way, within opt->within_km, at most opt->k; meta also
 * says how many of them could not be compared (not_compared). only NULL is
 * schools_similar.
 */
int schools_similar_among(struct db *db, int64_t urn, const struct similar_options *opt, const int *only,
			  size_t n, json_t **out, const char **reason) WUR;
/* The last 50 register imports, newest first: [{id, kind, file_name, …, status, message}]. */
int schools_import_runs(struct db *db, json_t **out) WUR;
/* One import with its rejected rows (rejects) and done. ERR_NOTFOUND for an unknown id. */
int schools_import_run(struct db *db, int64_t id, json_t **out) WUR;

#endif
