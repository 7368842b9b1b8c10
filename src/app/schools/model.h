// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.h — schools view models (JSON) shared by pages, the API and the CLI.
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
 * The similar schools of urn with the options: {school, results[{rank, urn,
 * name, …, score, km, explanation, characteristics}], options, meta}.
 * ERR_NOTFOUND (unknown URN) or ERR_INVALID with *reason a sentence to show
 * (closed school, no comparison group, no location for a distance option).
 */
int schools_similar(struct db *db, int64_t urn, const struct similar_options *opt, json_t **out,
		    const char **reason) WUR;

#endif
