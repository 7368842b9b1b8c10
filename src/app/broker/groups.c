// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * groups.c — co-creation groups: when schools share a need that nobody in
 * the network is strong in, no pair can help, but three to six of them can
 * work on it together. For each such theme the schools that need it (and
 * are looking for it) are split into ⌈k/6⌉ groups of balanced size (each 3
 * to 6: 7 schools make 4 + 3). Each group starts from the unplaced school
 * with the lowest URN and takes its nearest unplaced schools: by distance
 * when both have a location, else by how unlike the similar-schools score
 * says they are. A theme only one or two schools need is reported alone.
 */
#include "app/broker/engine.h"

#include <float.h>
#include <stdlib.h>

#include "app/schools/similar.h"

/* How far apart two schools are for grouping: km, else 100 − similar, else far. */
static double apart(const struct broker_net *net, int i, int j)
{
	const struct broker_school *a = &net->schools[i], *b = &net->schools[j];
	if (a->has_location && b->has_location)
		return similar_km(a->lat, a->lon, b->lat, b->lon);
	double s = net->similar ? net->similar(net->similar_ctx, a->urn, b->urn) : -1.0;
	return s >= 0 ? 100.0 - s : 1000.0;
}

/* Whether school s needs theme t and is looking for it. */
static bool needs_theme(const struct broker_school *s, int t)
{
	if (broker_theme_off(s, t))
		return false;
	for (size_t i = 0; i < s->n_needs; i++)
		if (s->needs[i].theme == t)
			return true;
	return false;
}

/* Lower URN first. */
static int by_urn(const void *x, const void *y, const struct broker_net *net)
{
	int64_t a = net->schools[*(const int *)x].urn, b = net->schools[*(const int *)y].urn;
	return (a > b) - (a < b);
}

void broker_groups(const struct broker_net *net, struct broker_result *out)
{
	size_t n_themes = net->n_themes;
	bool *strong = calloc(n_themes ? n_themes : 1, sizeof(*strong));
	int *who = malloc((net->n ? net->n : 1) * sizeof(*who));
	bool *placed = calloc(net->n ? net->n : 1, sizeof(*placed));
	if (!strong || !who || !placed)
		abort();
	for (size_t i = 0; i < net->n; i++)
		for (size_t k = 0; k < net->schools[i].n_strengths; k++) {
			int t = net->schools[i].strengths[k].theme;
			if (t >= 0 && (size_t)t < n_themes)
				strong[t] = true;
		}
	for (size_t t = 0; t < n_themes; t++) {
		if (strong[t])
			continue;
		size_t k = 0;
		for (size_t i = 0; i < net->n; i++)
			if (needs_theme(&net->schools[i], (int)t))
				who[k++] = (int)i;
		if (k == 0)
			continue;
		if (k < BROKER_GROUP_MIN) {
			out->lone_themes = realloc(out->lone_themes, (out->n_lone_themes + 1) * sizeof(int));
			if (!out->lone_themes)
				abort();
			out->lone_themes[out->n_lone_themes++] = (int)t;
			continue;
		}
		/* Insertion sort by URN: k is small (the schools that share one need). */
		for (size_t x = 1; x < k; x++)
			for (size_t y = x; y > 0 && by_urn(&who[y - 1], &who[y], net) > 0; y--) {
				int tmp = who[y];
				who[y] = who[y - 1];
				who[y - 1] = tmp;
			}
		size_t g = (k + BROKER_GROUP_MAX - 1) / BROKER_GROUP_MAX;
		for (size_t x = 0; x < k; x++)
			placed[who[x]] = false;
		out->groups = realloc(out->groups, (out->n_groups + g) * sizeof(*out->groups));
		if (!out->groups)
			abort();
		for (size_t gi = 0; gi < g; gi++) {
			size_t size = k / g + (gi < k % g ? 1 : 0);
			struct broker_group *grp = &out->groups[out->n_groups++];
			grp->theme = (int)t;
			grp->n = 0;
			int seed = -1;
			for (size_t x = 0; x < k && seed < 0; x++)
				if (!placed[who[x]])
					seed = who[x];
			placed[seed] = true;
			grp->members[grp->n++] = seed;
			while ((size_t)grp->n < size) {
				int best = -1;
				double bd = DBL_MAX;
				for (size_t x = 0; x < k; x++) {
					if (placed[who[x]])
						continue;
					double d = apart(net, seed, who[x]);
					if (d < bd) {
						bd = d;
						best = who[x];
					}
				}
				placed[best] = true;
				grp->members[grp->n++] = best;
			}
		}
	}
	free(strong);
	free(who);
	free(placed);
}
