// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * similar.h — the similar-schools engine: "which schools have the most in
 * common with mine?". Pure computation on an in-memory table; no database,
 * no HTTP. The caller loads every school into an array of struct
 * similar_school, builds an immutable index once (and again after an
 * import, swapping the pointer), and queries it from any number of threads.
 *
 * The default method is the DfE financial benchmarking comparator-set
 * method. Within the school's pool and phase group:
 *
 *   distance = √Σ wᵢ·(|xᵢ − yᵢ| / rangeᵢ)²
 *
 * with pupils (NumberOfPupils) w 0.5, % FSM (PercentageFSM) w 0.4 and % of
 * pupils with an EHC plan (100 × SENStat / NumberOfPupils) w 0.1. rangeᵢ is
 * max − min of the characteristic over the pool's phase group (a range of 0
 * contributes 0). A missing value takes the median of the schools in the
 * pool's phase group that have it (an even count takes (a + b) / 2 of the
 * two middle values). The k nearest are kept (default 30, at most 100), the
 * school itself excluded, ties broken by the lower URN.
 *
 * Floating point, so that an independent implementation can reproduce the
 * distances bit for bit: each term is computed as
 * t = fabs(x − y) / range; term = w * (t * t); the terms are added from 0 in
 * enum similar_char order; distance = sqrt(sum). EHC % is
 * (100.0 * SENStat) / NumberOfPupils (missing when either is missing or
 * pupils is 0). Ordering compares these doubles with == and <.
 *
 * Extra characteristics (weight 0 by default) and their normalisation, each
 * a number in [0, 1] that enters the sum as w·t²:
 *   KM          great-circle distance between the two schools, haversine on
 *               a sphere of radius 6371 km, as t = min(km / 100, 1): 100 km
 *               (SIMILAR_KM_SCALE) or more counts as "as far as it gets".
 *               A fixed scale, not the pool's range: England is ~900 km
 *               across, so a range-based scale would make 5 km and 25 km
 *               look the same.
 *   URBAN_RURAL, TYPE_GROUP, RELIGION, GENDER, SIXTH_FORM
 *               categorical codes: t = 0 when both codes are known (non-0)
 *               and equal, else 1 — an unknown code never counts as a match.
 *   AGE_RANGE   t = (|low₁ − low₂| + |high₁ − high₂|) / (range of low ages +
 *               range of high ages over the pool's phase group), i.e. divided
 *               by the largest value the numerator can take in the group; a
 *               missing age takes the group median like the numeric three.
 *
 * Score: 100 × (1 − distance / √W) where W is the sum of the weights in use,
 * clamped to [0, 100] and rounded to one decimal (round half away from 0).
 * Every t is in [0, 1], so √W is the largest possible distance: 100 is an
 * identical school, 0 is as different as the group allows.
 *
 * Schools without coordinates can't be placed: when within_km or the KM
 * weight is used they are left out (counted in similar_meta.no_location),
 * and a query for such a school is ERR_INVALID.
 *
 * Thread-safety: a built index is immutable; any number of threads may query
 * it at once. Lifetime by reference count (similar_index_ref / _unref).
 */
#ifndef TANDEM_APP_SCHOOLS_SIMILAR_H
#define TANDEM_APP_SCHOOLS_SIMILAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define SIMILAR_K_DEFAULT 30        /* neighbours when the user does not say */
#define SIMILAR_K_MAX 100           /* the most neighbours a query may ask for */
#define SIMILAR_KM_SCALE 100.0      /* KM characteristic: km / this, capped at 1 */
#define SIMILAR_EARTH_RADIUS_KM 6371.0 /* sphere used by the haversine */
#define SIMILAR_THREADS_MAX 64      /* similar_families caps its thread count here */

/* The phase group a school is compared within (the caller maps GIAS phase and type). */
enum similar_group {
	SIMILAR_GROUP_NONE = 0,     /* no comparison group (not a school, or unknown phase) */
	SIMILAR_GROUP_NURSERY,      /* nursery */
	SIMILAR_GROUP_PRIMARY,      /* primary, and middle deemed primary */
	SIMILAR_GROUP_SECONDARY,    /* secondary, and middle deemed secondary */
	SIMILAR_GROUP_ALL_THROUGH,  /* all-through */
	SIMILAR_GROUP_SIXTEEN_PLUS, /* 16 plus */
	SIMILAR_GROUP_SPECIAL,      /* special schools, whatever their phase */
	SIMILAR_GROUP_PRU_AP,       /* pupil referral units and alternative provision */
	SIMILAR_GROUP__MAX
};

/* The characteristics a distance can use; also the order terms are summed in. */
enum similar_char {
	SIMILAR_CHAR_PUPILS = 0,   /* NumberOfPupils, normalised by the group's range */
	SIMILAR_CHAR_FSM,          /* PercentageFSM, by range */
	SIMILAR_CHAR_EHC,          /* 100 × SENStat / NumberOfPupils, by range */
	SIMILAR_CHAR_KM,           /* km between the schools: min(km / 100, 1) */
	SIMILAR_CHAR_URBAN_RURAL,  /* urban/rural class: 0 same, 1 different */
	SIMILAR_CHAR_TYPE_GROUP,   /* type group (academy / maintained / …): 0 or 1 */
	SIMILAR_CHAR_RELIGION,     /* religious character: 0 or 1 */
	SIMILAR_CHAR_GENDER,       /* gender of entry: 0 or 1 */
	SIMILAR_CHAR_SIXTH_FORM,   /* has a sixth form: 0 or 1 */
	SIMILAR_CHAR_AGE_RANGE,    /* statutory ages: (|Δlow| + |Δhigh|) / (range low + range high) */
	SIMILAR_CHAR__MAX
};

/*
 * One school as the caller gives it to similar_index_build (copied; the
 * caller's array may be freed afterwards). Categorical codes are small
 * integers chosen by the caller with 0 meaning unknown; equal codes mean
 * "the same" (for example the GOR letter's character code for region).
 */
struct similar_school {
	int urn;                  /* unique, > 0 */
	enum similar_group group; /* phase group; NONE: never compared */
	bool open;                /* status 1 (open) or 3 (open, proposed to close) */
	bool state_funded;        /* type group LA maintained, academy, free school or special */
	bool independent;         /* type group independent schools */
	int pupils;               /* NumberOfPupils; < 0 unknown */
	double fsm_pct;           /* PercentageFSM 0..100; NaN or < 0 unknown */
	int ehc_plans;            /* SENStat (pupils with an EHC plan); < 0 unknown */
	bool has_location;        /* lat/lon are known */
	double lat, lon;          /* WGS84 degrees; checked to be in range when has_location */
	int region;               /* GOR code; 0 unknown (never "the same region") */
	int urban_rural;          /* urban/rural class code; 0 unknown */
	int type_group;           /* type group code (academy, maintained, …); 0 unknown */
	int religion;             /* religious character code ("none" is a code too); 0 unknown */
	int gender;               /* gender of entry code; 0 unknown */
	int sixth_form;           /* official sixth form code; 0 unknown */
	int age_low, age_high;    /* statutory low and high age; < 0 unknown */
};

/* What the user chose. Start from similar_options_default. */
struct similar_options {
	int k;                                /* neighbours wanted, 1..SIMILAR_K_MAX */
	double weight[SIMILAR_CHAR__MAX];     /* each finite and >= 0, at least one > 0 */
	double within_km;                     /* > 0: only schools at most this far; 0: no limit */
	bool same_region_first;               /* results in the school's region first, each part by distance */
	bool include_independent;             /* compare within the pool that also holds independent schools */
};

/* One characteristic of one result, for "212 pupils vs 230 · FSM 24.1% vs 27.0%". */
struct similar_cmp {
	double weight;       /* weight in use; 0: shown only, not part of the distance */
	double self;         /* the queried school's value as compared (the median when missing);
	                      * categorical: the code; KM: 0; AGE_RANGE: the low age */
	double other;        /* the result's value, likewise; KM: the km (NaN if either has no coordinates) */
	double self_high;    /* AGE_RANGE only: the queried school's high age (else NaN) */
	double other_high;   /* AGE_RANGE only: the result's high age (else NaN) */
	bool self_missing;   /* the queried school had no value: numeric ones were filled with median */
	bool other_missing;  /* the result had no value, likewise; categorical unknowns count as different */
	double median;       /* the group median used for filling (AGE_RANGE: of low ages); NaN if none */
	double median_high;  /* AGE_RANGE only: median of high ages (else NaN) */
	double t;            /* normalised difference in [0, 1]: the term is weight · t² (NaN if unknown) */
};

/* One neighbour found by similar_query. */
struct similar_result {
	int urn;                                 /* the neighbour */
	double distance;                         /* √Σ w·t² */
	double score;                            /* 0..100, one decimal (see the top of this file) */
	bool same_region;                        /* both have the same known region code */
	struct similar_cmp cmp[SIMILAR_CHAR__MAX]; /* every characteristic, used or not */
};

/* What similar_query did besides the results. */
struct similar_meta {
	enum similar_group group;  /* the phase group compared within */
	bool independent_pool;     /* ranges and medians are those of the pool with independent schools */
	int pool_size;             /* schools in that pool and group, the queried one included */
	int compared;              /* candidates that passed every filter (the school itself not counted) */
	int no_location;           /* candidates left out because they have no coordinates */
	int outside_radius;        /* candidates left out as farther than within_km */
	double weight_sum;         /* W, the sum of the weights in use */
	int n;                     /* results written */
	const char *reason;        /* on ERR_INVALID / ERR_NOTFOUND a sentence for the user (static
	                            * storage, never freed); NULL on success */
};

/* A compact neighbour, as similar_families returns them. */
struct similar_neighbour {
	int urn;         /* the neighbour */
	double distance; /* as in struct similar_result */
	double score;    /* likewise */
};

/*
 * The families of every school in the pool (similar_families). Owned by the
 * caller; free with similar_families_free.
 */
struct similar_families {
	size_t n;                      /* schools: every member of the pool, ascending URN */
	int k;                         /* room for neighbours per school */
	int *urn;                      /* n URNs */
	int *count;                    /* neighbours found for school i, 0..k */
	int *status;                   /* 0, or ERR_INVALID when similar_query would refuse school i
	                                * (no coordinates while a distance option is used) */
	struct similar_neighbour *nb;  /* n × k; school i's neighbours are nb[i*k .. i*k + count[i]) */
};

struct similar_index;

/* Fill *o with the DfE default: k 30, weights 0.5 / 0.4 / 0.1, no filter. */
void similar_options_default(struct similar_options *o);

/*
 * Check options. Returns 0, or ERR_INVALID with *reason (if reason is not
 * NULL) set to a static sentence for the user.
 */
int similar_options_check(const struct similar_options *o, const char **reason) WUR;

/*
 * Build an index over n schools (copied; n may be 0, schools then may be
 * NULL). Both pools are built: state-funded only, and with independent
 * schools. On success *out holds one reference (release with
 * similar_index_unref). Returns ERR_INVALID for a duplicate or
 * non-positive URN, a group out of range or coordinates out of range;
 * aborts if memory runs out (start-up or import time).
 */
int similar_index_build(const struct similar_school *schools, size_t n,
			struct similar_index **out) WUR;

/* Take another reference (atomic); returns ix. NULL gives NULL. */
struct similar_index *similar_index_ref(struct similar_index *ix);

/* Drop a reference (atomic); the last one frees the index. NULL is a no-op. */
void similar_index_unref(struct similar_index *ix);

/* Schools in the index (all of them, in or out of a pool). */
size_t similar_index_count(const struct similar_index *ix);

/* The index's copy of a school, or NULL. Valid while the caller holds a reference. */
const struct similar_school *similar_index_school(const struct similar_index *ix, int urn);

/*
 * The k nearest schools to urn under opt (NULL: the default).
 * out must have room for opt->k results (cap counts them); meta is filled
 * in every case (meta->reason on failure). Returns 0;
 * ERR_NOTFOUND when urn is not in the index; ERR_INVALID when the options
 * are bad, cap < k, the school is in no pool (closed, independent without
 * the option, neither state-funded nor independent, group NONE) or it has
 * no coordinates while a distance option is used. Allocates nothing.
 */
int similar_query(const struct similar_index *ix, int urn, const struct similar_options *opt,
		  struct similar_result *out, size_t cap, struct similar_meta *meta) WUR;

/*
 * How school `other` compares with school `urn` under opt's weights and pool
 * (the within_km filter and k are ignored): fills *out as similar_query
 * would. Returns ERR_NOTFOUND for an unknown URN, ERR_INVALID (with
 * *reason, if not NULL) when the two are not in the same pool and group,
 * are the same school, or a KM weight is used and either lacks coordinates.
 */
int similar_explain(const struct similar_index *ix, int urn, int other,
		    const struct similar_options *opt, struct similar_result *out,
		    const char **reason) WUR;

/*
 * For every school in the pool chosen by opt (NULL: the default), its
 * family as similar_query would return it (same order, distances and
 * scores). threads <= 0 uses the number of online CPUs (at most
 * SIMILAR_THREADS_MAX); if a thread can't be started its share runs in the
 * calling thread. *out is allocated (abort on out of memory) and owned by
 * the caller. Returns 0 or ERR_INVALID for bad options (*out NULL).
 */
int similar_families(const struct similar_index *ix, const struct similar_options *opt,
		     int threads, struct similar_families **out) WUR;

/* Free a similar_families result. NULL is a no-op. */
void similar_families_free(struct similar_families *f);

/* Great-circle km between two WGS84 points (the haversine used by the engine). */
double similar_km(double lat1, double lon1, double lat2, double lon2);
/* A WGS84 point as a unit vector, for many distances from one point (similar_units_km). */
void similar_unit(double lat, double lon, double xyz[3]);
/* The km between two points given as similar_unit vectors: the same value as similar_km. */
double similar_units_km(const double a[3], const double b[3]);

/* Short English names for display and logs ("primary", "% FSM"); never NULL. */
const char *similar_group_name(enum similar_group g);
const char *similar_char_name(enum similar_char c);

#endif
