// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * similar.c — the similar-schools engine (see similar.h for the method, the
 * normalisations and the score).
 *
 * Layout: the index copies the schools, then for each of the two pools
 * (state-funded; with independent schools) and each phase group keeps a
 * structure of arrays: the three DfE characteristics with medians filled,
 * the divisor (range), unit vectors for the haversine, the categorical
 * codes and ages. A query walks its group in blocks: a branch-free loop
 * computes the DfE part of d² for a block (the compiler vectorises it), the
 * optional characteristics and filters are added in a second pass, and a
 * bounded max-heap of k keeps the nearest. sqrt is taken only for
 * candidates whose d² could still enter the heap (bound2, the largest d²
 * whose square root does not exceed the heap's worst), so the distances
 * and the order are exactly those of the plain formula.
 */
#include "app/schools/similar.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/util.h"

#define N_BASE 3    /* pupils, FSM, EHC: the DfE characteristics */
#define N_CAT 5     /* URBAN_RURAL .. SIXTH_FORM */
#define BLOCK 256   /* candidates per pass of the inner loops */
#define VARIANTS 2  /* pool 0: state-funded; pool 1: with independent schools */
#define CHUNK 16    /* schools a families worker takes at a time */
#define DEG2RAD (3.14159265358979323846 / 180.0)

enum { MISS_PUPILS = 1, MISS_FSM = 2, MISS_EHC = 4, MISS_AGE_LOW = 8, MISS_AGE_HIGH = 16 };

/* One phase group of one pool: a structure of arrays indexed by member position. */
struct pool {
	int n;                    /* members */
	int *sidx;                /* index of each member in similar_index.school */
	int *urn;                 /* each member's URN (members are in ascending URN order) */
	double *v[N_BASE];        /* pupils, FSM %, EHC % with missing values filled by the median */
	double range[N_BASE];     /* max − min of the present values (0 when fewer than two) */
	double div[N_BASE];       /* the divisor used: range, or 1 when the range is 0 (every
	                           * difference is then 0, so the term is 0 as the method says) */
	double median[N_BASE];    /* median of the present values; NaN when none (filled with 0) */
	unsigned char *miss;      /* MISS_* bits per member */
	unsigned char *has_loc;   /* member has coordinates */
	double *ux, *uy, *uz;     /* unit vector of the location (0 when none) */
	int *region;              /* region code */
	int *cat[N_CAT];          /* categorical codes, SIMILAR_CHAR_URBAN_RURAL onwards */
	double *age_lo, *age_hi;  /* statutory ages with medians filled */
	double age_median[2];     /* median low and high age; NaN when none */
	double age_div;           /* range of low ages + range of high ages; 0: the term is 0 */
};

/* URN → school index, sorted by URN for binary search. */
struct urn_slot {
	int urn; /* the key */
	int idx; /* index in similar_index.school */
};

struct similar_index {
	atomic_int refs;            /* references; the last unref frees */
	struct arena *arena;        /* owns every array below */
	size_t n;                   /* schools */
	struct similar_school *school; /* the caller's table, copied */
	struct urn_slot *by_urn;    /* n slots, ascending URN */
	int *pos[VARIANTS];         /* member position of school i in its group's pool; -1: none */
	struct pool pool[VARIANTS][SIMILAR_GROUP__MAX]; /* [variant][group]; group NONE stays empty */
};

/* The options turned into what the loops need. */
struct prep {
	int k;                          /* neighbours wanted */
	int variant;                    /* pool 0 or 1 */
	double w[SIMILAR_CHAR__MAX];    /* weights */
	double wsum;                    /* W */
	double wsqrt;                   /* √W, the score's scale */
	bool use_loc;                   /* within_km or a KM weight: locations are needed */
	bool extras;                    /* the second pass is needed */
	double within;                  /* km limit; 0 none */
	double within_c2;               /* chord² above which a school is surely outside within */
	double cap_c2;                  /* chord² above which km is surely > SIMILAR_KM_SCALE */
	bool region_first;              /* same region first */
};

/* A candidate in the heap. */
struct cand {
	double d; /* distance */
	int urn;  /* tie-break */
	int pos;  /* member position */
};

/* What a run left out. */
struct counts {
	int no_location; /* no coordinates under a distance option */
	int outside;     /* beyond within_km */
};

static const char R_BAD_K[] = "Choose between 1 and 100 schools.";
static const char R_BAD_WEIGHT[] = "Weights must be zero or positive numbers.";
static const char R_NO_WEIGHT[] = "Give at least one characteristic a weight above zero.";
static const char R_BAD_KM[] = "The distance limit must be a positive number of kilometres.";
static const char R_CAP[] = "The result array is smaller than the number of schools asked for.";
static const char R_NOTFOUND[] = "No school has this URN.";
static const char R_CLOSED[] = "This school is closed, so it has no comparison group.";
static const char R_NOGROUP[] = "This type of establishment has no comparison group.";
static const char R_INDEP[] =
	"This is an independent school: include independent schools to compare it.";
static const char R_NOTSCHOOL[] =
	"Only state-funded and independent schools have a comparison group.";
static const char R_NOLOC[] =
	"This school has no recorded location, so it can't be compared by distance.";
static const char R_OTHER_NOLOC[] =
	"One of the two schools has no recorded location, so distance can't be compared.";
static const char R_SAME[] = "A school is not compared with itself.";
static const char R_APART[] = "These two schools are not in the same comparison group.";

/* ---- small helpers ------------------------------------------------------ */

static void unit_vector(double lat, double lon, double *x, double *y, double *z)
{
	double phi = lat * DEG2RAD, lam = lon * DEG2RAD;
	*x = cos(phi) * cos(lam);
	*y = cos(phi) * sin(lam);
	*z = sin(phi);
}

/*
 * Haversine from the chord: hav θ = sin²(θ/2) = c²/4 for the chord c between
 * unit vectors, so θ = 2·asin(c/2) — the same value as the textbook
 * formula, without a sin or cos a candidate.
 */
static double chord2_km(double c2)
{
	double h = sqrt(c2) / 2.0;
	if (h > 1.0)
		h = 1.0;
	return 2.0 * SIMILAR_EARTH_RADIUS_KM * asin(h);
}

/* A chord² bound with a margin: above it the arc surely exceeds km. */
static double km_chord2_bound(double km)
{
	double half = km / (2.0 * SIMILAR_EARTH_RADIUS_KM);
	if (half >= 1.5) /* past a half-circumference every point is inside */
		return INFINITY;
	double c = 2.0 * sin(half);
	return c * c * (1.0 + 1e-9) + 1e-18;
}

void similar_unit(double lat, double lon, double xyz[3])
{
	unit_vector(lat, lon, &xyz[0], &xyz[1], &xyz[2]);
}

double similar_units_km(const double a[3], const double b[3])
{
	double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
	return chord2_km(dx * dx + dy * dy + dz * dz);
}

double similar_km(double lat1, double lon1, double lat2, double lon2)
{
	double a[3], b[3];
	similar_unit(lat1, lon1, a);
	similar_unit(lat2, lon2, b);
	return similar_units_km(a, b);
}

/* The largest b with sqrt(b) <= d: any d² above it ranks strictly after d. */
static double sq_bound(double d)
{
	double b = d * d;
	while (b > 0 && sqrt(b) > d)
		b = nextafter(b, 0.0);
	for (;;) {
		double nb = nextafter(b, INFINITY);
		if (!(sqrt(nb) <= d))
			return b;
		b = nb;
	}
}

static double score_of(double d, double wsqrt)
{
	double s = 100.0 * (1.0 - d / wsqrt);
	if (!(s > 0.0))
		s = 0.0;
	if (s > 100.0)
		s = 100.0;
	return round(s * 10.0) / 10.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median of vals[0..m) (sorted in place); NaN when m is 0. */
static double median_of(double *vals, int m)
{
	if (m == 0)
		return NAN;
	qsort(vals, (size_t)m, sizeof(*vals), cmp_double);
	if (m % 2)
		return vals[m / 2];
	return (vals[m / 2 - 1] + vals[m / 2]) / 2.0;
}

static int cmp_slot(const void *a, const void *b)
{
	int x = ((const struct urn_slot *)a)->urn, y = ((const struct urn_slot *)b)->urn;
	return (x > y) - (x < y);
}

static int find_school(const struct similar_index *ix, int urn)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->by_urn[mid].urn < urn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ix->n && ix->by_urn[lo].urn == urn)
		return ix->by_urn[lo].idx;
	return -1;
}

static bool in_pool(const struct similar_school *s, int variant)
{
	if (!s->open || s->group == SIMILAR_GROUP_NONE)
		return false;
	return s->state_funded || (variant == 1 && s->independent);
}

/* Why school s is in no pool of this variant (a sentence for the user). */
static const char *why_not(const struct similar_school *s, int variant)
{
	if (!s->open)
		return R_CLOSED;
	if (s->group == SIMILAR_GROUP_NONE)
		return R_NOGROUP;
	if (s->independent && variant == 0)
		return R_INDEP;
	return R_NOTSCHOOL;
}

/* ---- options ------------------------------------------------------------ */

void similar_options_default(struct similar_options *o)
{
	memset(o, 0, sizeof(*o));
	o->k = SIMILAR_K_DEFAULT;
	o->weight[SIMILAR_CHAR_PUPILS] = 0.5;
	o->weight[SIMILAR_CHAR_FSM] = 0.4;
	o->weight[SIMILAR_CHAR_EHC] = 0.1;
}

static int prep_options(const struct similar_options *opt, struct prep *o, const char **reason)
{
	memset(o, 0, sizeof(*o));
	if (opt->k < 1 || opt->k > SIMILAR_K_MAX) {
		*reason = R_BAD_K;
		return ERR_INVALID;
	}
	for (int c = 0; c < SIMILAR_CHAR__MAX; c++) {
		double w = opt->weight[c];
		if (!isfinite(w) || w < 0) {
			*reason = R_BAD_WEIGHT;
			return ERR_INVALID;
		}
		o->w[c] = w;
		o->wsum += w;
		if (w > 0 && c > SIMILAR_CHAR_EHC)
			o->extras = true;
	}
	if (!(o->wsum > 0) || !isfinite(o->wsum)) {
		*reason = o->wsum > 0 ? R_BAD_WEIGHT : R_NO_WEIGHT;
		return ERR_INVALID;
	}
	if (!isfinite(opt->within_km) || opt->within_km < 0) {
		*reason = R_BAD_KM;
		return ERR_INVALID;
	}
	o->k = opt->k;
	o->variant = opt->include_independent ? 1 : 0;
	o->wsqrt = sqrt(o->wsum);
	o->within = opt->within_km;
	o->use_loc = o->within > 0 || o->w[SIMILAR_CHAR_KM] > 0;
	o->extras = o->extras || o->use_loc;
	o->within_c2 = o->within > 0 ? km_chord2_bound(o->within) : INFINITY;
	o->cap_c2 = km_chord2_bound(SIMILAR_KM_SCALE);
	o->region_first = opt->same_region_first;
	return 0;
}

int similar_options_check(const struct similar_options *o, const char **reason)
{
	struct prep p;
	const char *r = NULL;
	int rc = prep_options(o, &p, &r);
	if (reason)
		*reason = r;
	return rc;
}

/* ---- building ----------------------------------------------------------- */

/* The raw value of base characteristic c for s, or NaN when missing. */
static double raw_base(const struct similar_school *s, int c)
{
	switch (c) {
	case SIMILAR_CHAR_PUPILS:
		return s->pupils >= 0 ? (double)s->pupils : NAN;
	case SIMILAR_CHAR_FSM:
		return isfinite(s->fsm_pct) && s->fsm_pct >= 0 ? s->fsm_pct : NAN;
	default:
		if (s->ehc_plans >= 0 && s->pupils > 0)
			return (100.0 * s->ehc_plans) / s->pupils;
		return NAN;
	}
}

/*
 * Fill vals[i] (member i's raw value or NaN) into out with the median of the
 * present ones; returns the median and sets *range. scratch holds m doubles.
 */
static double fill_median(const double *vals, int m, double *out, double *scratch, double *range)
{
	int present = 0;
	double lo = INFINITY, hi = -INFINITY;
	for (int i = 0; i < m; i++) {
		if (isnan(vals[i]))
			continue;
		scratch[present++] = vals[i];
		lo = vals[i] < lo ? vals[i] : lo;
		hi = vals[i] > hi ? vals[i] : hi;
	}
	double med = median_of(scratch, present);
	*range = present ? hi - lo : 0.0;
	double fill = isnan(med) ? 0.0 : med;
	for (int i = 0; i < m; i++)
		out[i] = isnan(vals[i]) ? fill : vals[i];
	return med;
}

static void pool_build(struct similar_index *ix, struct pool *p, const int *members, int m,
		       double *raw, double *scratch)
{
	struct arena *a = ix->arena;
	p->n = m;
	p->sidx = arena_calloc(a, (size_t)m + 1, sizeof(int));
	p->urn = arena_calloc(a, (size_t)m + 1, sizeof(int));
	p->miss = arena_calloc(a, (size_t)m + 1, 1);
	p->has_loc = arena_calloc(a, (size_t)m + 1, 1);
	p->ux = arena_calloc(a, (size_t)m + 1, sizeof(double));
	p->uy = arena_calloc(a, (size_t)m + 1, sizeof(double));
	p->uz = arena_calloc(a, (size_t)m + 1, sizeof(double));
	p->region = arena_calloc(a, (size_t)m + 1, sizeof(int));
	for (int c = 0; c < N_CAT; c++)
		p->cat[c] = arena_calloc(a, (size_t)m + 1, sizeof(int));
	p->age_lo = arena_calloc(a, (size_t)m + 1, sizeof(double));
	p->age_hi = arena_calloc(a, (size_t)m + 1, sizeof(double));

	for (int i = 0; i < m; i++) {
		const struct similar_school *s = &ix->school[members[i]];
		p->sidx[i] = members[i];
		p->urn[i] = s->urn;
		p->has_loc[i] = s->has_location;
		if (s->has_location)
			unit_vector(s->lat, s->lon, &p->ux[i], &p->uy[i], &p->uz[i]);
		p->region[i] = s->region;
		p->cat[0][i] = s->urban_rural;
		p->cat[1][i] = s->type_group;
		p->cat[2][i] = s->religion;
		p->cat[3][i] = s->gender;
		p->cat[4][i] = s->sixth_form;
	}

	static const unsigned char miss_bit[N_BASE] = { MISS_PUPILS, MISS_FSM, MISS_EHC };
	for (int c = 0; c < N_BASE; c++) {
		p->v[c] = arena_calloc(a, (size_t)m + 1, sizeof(double));
		for (int i = 0; i < m; i++) {
			raw[i] = raw_base(&ix->school[members[i]], c);
			if (isnan(raw[i]))
				p->miss[i] |= miss_bit[c];
		}
		p->median[c] = fill_median(raw, m, p->v[c], scratch, &p->range[c]);
		p->div[c] = p->range[c] > 0 ? p->range[c] : 1.0;
	}

	double range_lo, range_hi;
	for (int i = 0; i < m; i++) {
		int lo = ix->school[members[i]].age_low;
		raw[i] = lo >= 0 ? (double)lo : NAN;
		if (lo < 0)
			p->miss[i] |= MISS_AGE_LOW;
	}
	p->age_median[0] = fill_median(raw, m, p->age_lo, scratch, &range_lo);
	for (int i = 0; i < m; i++) {
		int hi = ix->school[members[i]].age_high;
		raw[i] = hi >= 0 ? (double)hi : NAN;
		if (hi < 0)
			p->miss[i] |= MISS_AGE_HIGH;
	}
	p->age_median[1] = fill_median(raw, m, p->age_hi, scratch, &range_hi);
	p->age_div = range_lo + range_hi;
}

static int check_school(const struct similar_school *s)
{
	if (s->urn <= 0 || (unsigned)s->group >= SIMILAR_GROUP__MAX)
		return ERR_INVALID;
	if (s->has_location &&
	    !(s->lat >= -90.0 && s->lat <= 90.0 && s->lon >= -180.0 && s->lon <= 180.0))
		return ERR_INVALID;
	return 0;
}

int similar_index_build(const struct similar_school *schools, size_t n,
			struct similar_index **out)
{
	*out = NULL;
	if (n > (size_t)INT32_MAX / 2)
		return ERR_INVALID;
	for (size_t i = 0; i < n; i++)
		if (check_school(&schools[i]))
			return ERR_INVALID;

	struct similar_index *ix = xcalloc(1, sizeof(*ix));
	atomic_init(&ix->refs, 1);
	ix->arena = arena_new();
	ix->n = n;
	ix->school = arena_calloc(ix->arena, n + 1, sizeof(*ix->school));
	if (n)
		memcpy(ix->school, schools, n * sizeof(*schools));
	ix->by_urn = arena_calloc(ix->arena, n + 1, sizeof(*ix->by_urn));
	for (size_t i = 0; i < n; i++)
		ix->by_urn[i] = (struct urn_slot){ schools[i].urn, (int)i };
	qsort(ix->by_urn, n, sizeof(*ix->by_urn), cmp_slot);
	for (size_t i = 1; i < n; i++) {
		if (ix->by_urn[i].urn == ix->by_urn[i - 1].urn) {
			similar_index_unref(ix);
			return ERR_INVALID;
		}
	}

	int *members = xmalloc((n + 1) * sizeof(int));
	double *raw = xmalloc((n + 1) * sizeof(double));
	double *scratch = xmalloc((n + 1) * sizeof(double));
	for (int v = 0; v < VARIANTS; v++) {
		ix->pos[v] = arena_calloc(ix->arena, n + 1, sizeof(int));
		for (size_t i = 0; i < n; i++)
			ix->pos[v][i] = -1;
		for (int g = SIMILAR_GROUP_NONE + 1; g < SIMILAR_GROUP__MAX; g++) {
			int m = 0;
			for (size_t i = 0; i < n; i++) {
				int si = ix->by_urn[i].idx;
				const struct similar_school *s = &ix->school[si];
				if ((int)s->group == g && in_pool(s, v)) {
					ix->pos[v][si] = m;
					members[m++] = si;
				}
			}
			pool_build(ix, &ix->pool[v][g], members, m, raw, scratch);
		}
	}
	free(members);
	free(raw);
	free(scratch);
	*out = ix;
	return 0;
}

struct similar_index *similar_index_ref(struct similar_index *ix)
{
	if (ix)
		atomic_fetch_add(&ix->refs, 1);
	return ix;
}

void similar_index_unref(struct similar_index *ix)
{
	if (!ix || atomic_fetch_sub(&ix->refs, 1) != 1)
		return;
	arena_free(ix->arena);
	free(ix);
}

size_t similar_index_count(const struct similar_index *ix)
{
	return ix ? ix->n : 0;
}

const struct similar_school *similar_index_school(const struct similar_index *ix, int urn)
{
	int i = find_school(ix, urn);
	return i < 0 ? NULL : &ix->school[i];
}

/* ---- the search --------------------------------------------------------- */

/* a ranks after b: farther, or as far with a higher URN. */
static inline bool worse(const struct cand *a, const struct cand *b)
{
	return a->d > b->d || (a->d == b->d && a->urn > b->urn);
}

/* A max-heap of the k best so far; h[0] is the worst of them. */
struct topk {
	struct cand *h; /* k slots */
	int n;          /* filled */
	int k;          /* capacity */
	double bound2;  /* d² above this can't enter (INFINITY until full) */
};

static void topk_offer(struct topk *t, double d, int urn, int pos)
{
	struct cand c = { d, urn, pos };
	int i;
	if (t->n < t->k) {
		i = t->n++;
		while (i > 0) {
			int up = (i - 1) / 2;
			if (!worse(&c, &t->h[up]))
				break;
			t->h[i] = t->h[up];
			i = up;
		}
		t->h[i] = c;
		if (t->n == t->k)
			t->bound2 = sq_bound(t->h[0].d);
		return;
	}
	if (!worse(&t->h[0], &c))
		return;
	double old = t->h[0].d;
	i = 0;
	for (;;) {
		int l = 2 * i + 1, r = l + 1, big = i;
		const struct cand *bc = &c;
		if (l < t->n && worse(&t->h[l], bc)) {
			big = l;
			bc = &t->h[l];
		}
		if (r < t->n && worse(&t->h[r], bc))
			big = r;
		if (big == i)
			break;
		t->h[i] = t->h[big];
		i = big;
	}
	t->h[i] = c;
	if (t->h[0].d != old)
		t->bound2 = sq_bound(t->h[0].d);
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	return worse(x, y) ? 1 : worse(y, x) ? -1 : 0;
}

/*
 * The second pass over a block: filters and the optional characteristics,
 * added to d2 in enum order. ex[j] is set for candidates left out.
 */
static void add_extras(const struct pool *p, int self, const struct prep *o, int j0, int m,
		       double *d2, unsigned char *ex, struct counts *cnt)
{
	memset(ex, 0, (size_t)m);
	if (o->use_loc) {
		double qx = p->ux[self], qy = p->uy[self], qz = p->uz[self];
		double wk = o->w[SIMILAR_CHAR_KM];
		for (int j = 0; j < m; j++) {
			int pos = j0 + j;
			if (pos == self)
				continue;
			if (!p->has_loc[pos]) {
				ex[j] = 1;
				cnt->no_location++;
				continue;
			}
			double dx = p->ux[pos] - qx, dy = p->uy[pos] - qy, dz = p->uz[pos] - qz;
			double c2 = dx * dx + dy * dy + dz * dz;
			double km = -1.0;
			if (o->within > 0) {
				if (c2 > o->within_c2 || (km = chord2_km(c2)) > o->within) {
					ex[j] = 1;
					cnt->outside++;
					continue;
				}
			}
			if (wk > 0) {
				double t = 1.0;
				if (km >= 0 || c2 <= o->cap_c2) {
					if (km < 0)
						km = chord2_km(c2);
					t = km / SIMILAR_KM_SCALE;
					if (t > 1.0)
						t = 1.0;
				}
				d2[j] += wk * (t * t);
			}
		}
	}
	for (int c = 0; c < N_CAT; c++) {
		double w = o->w[SIMILAR_CHAR_URBAN_RURAL + c];
		if (!(w > 0))
			continue;
		const int *code = p->cat[c] + j0;
		int q = p->cat[c][self];
		for (int j = 0; j < m; j++) {
			double t = (q != 0 && code[j] == q) ? 0.0 : 1.0;
			d2[j] += w * (t * t);
		}
	}
	double wa = o->w[SIMILAR_CHAR_AGE_RANGE];
	if (wa > 0 && p->age_div > 0) {
		double qlo = p->age_lo[self], qhi = p->age_hi[self];
		for (int j = 0; j < m; j++) {
			int pos = j0 + j;
			double t = (fabs(p->age_lo[pos] - qlo) + fabs(p->age_hi[pos] - qhi)) / p->age_div;
			d2[j] += wa * (t * t);
		}
	} /* a zero age_div makes every term 0: nothing to add */
}

/*
 * The k nearest to member self of pool p, sorted (and partitioned by
 * region when asked) into res; returns how many. Reads only: thread-safe.
 */
static int run(const struct pool *p, int self, const struct prep *o, struct cand *res,
	       struct counts *cnt)
{
	double d2[BLOCK];
	unsigned char ex[BLOCK];
	struct cand heap[SIMILAR_K_MAX];
	struct topk t = { heap, 0, o->k, INFINITY };
	const double q0 = p->v[0][self], q1 = p->v[1][self], q2 = p->v[2][self];
	const double r0 = p->div[0], r1 = p->div[1], r2 = p->div[2];
	const double w0 = o->w[0], w1 = o->w[1], w2 = o->w[2];

	memset(cnt, 0, sizeof(*cnt));
	for (int j0 = 0; j0 < p->n; j0 += BLOCK) {
		int m = p->n - j0 < BLOCK ? p->n - j0 : BLOCK;
		const double *a0 = p->v[0] + j0, *a1 = p->v[1] + j0, *a2 = p->v[2] + j0;
		for (int j = 0; j < m; j++) {
			double t0 = fabs(a0[j] - q0) / r0;
			double t1 = fabs(a1[j] - q1) / r1;
			double t2 = fabs(a2[j] - q2) / r2;
			d2[j] = w0 * (t0 * t0) + w1 * (t1 * t1) + w2 * (t2 * t2);
		}
		if (o->extras)
			add_extras(p, self, o, j0, m, d2, ex, cnt);
		for (int j = 0; j < m; j++) {
			if (d2[j] > t.bound2 || j0 + j == self || (o->extras && ex[j]))
				continue;
			topk_offer(&t, sqrt(d2[j]), p->urn[j0 + j], j0 + j);
		}
	}

	qsort(heap, (size_t)t.n, sizeof(*heap), cmp_cand);
	int qr = p->region[self];
	if (!o->region_first || qr == 0) {
		memcpy(res, heap, (size_t)t.n * sizeof(*res));
		return t.n;
	}
	int n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < t.n; i++)
			if ((p->region[heap[i].pos] == qr) == (pass == 0))
				res[n++] = heap[i];
	return n;
}

/* ---- results ------------------------------------------------------------ */

/*
 * Compare member b with member a in detail. Returns d² summed exactly as
 * run() does (so explain and query agree), or NaN when a KM weight is used
 * and either has no coordinates.
 */
static double describe(const struct similar_index *ix, const struct pool *p, int a, int b,
		       const struct prep *o, struct similar_result *r)
{
	const struct similar_school *sa = &ix->school[p->sidx[a]], *sb = &ix->school[p->sidx[b]];
	static const unsigned char miss_bit[N_BASE] = { MISS_PUPILS, MISS_FSM, MISS_EHC };
	double base[N_BASE];

	memset(r, 0, sizeof(*r));
	r->urn = p->urn[b];
	r->same_region = p->region[a] != 0 && p->region[a] == p->region[b];
	for (int c = 0; c < SIMILAR_CHAR__MAX; c++) {
		struct similar_cmp *m = &r->cmp[c];
		m->weight = o->w[c];
		m->self_high = m->other_high = m->median = m->median_high = NAN;
	}
	for (int c = 0; c < N_BASE; c++) {
		struct similar_cmp *m = &r->cmp[c];
		m->self = p->v[c][a];
		m->other = p->v[c][b];
		m->self_missing = p->miss[a] & miss_bit[c];
		m->other_missing = p->miss[b] & miss_bit[c];
		m->median = p->median[c];
		m->t = fabs(m->other - m->self) / p->div[c];
		base[c] = o->w[c] * (m->t * m->t);
	}
	double d2 = base[0] + base[1] + base[2];

	struct similar_cmp *mk = &r->cmp[SIMILAR_CHAR_KM];
	mk->self = 0.0;
	mk->self_missing = !p->has_loc[a];
	mk->other_missing = !p->has_loc[b];
	mk->other = mk->t = NAN;
	if (p->has_loc[a] && p->has_loc[b]) {
		double dx = p->ux[b] - p->ux[a], dy = p->uy[b] - p->uy[a], dz = p->uz[b] - p->uz[a];
		mk->other = chord2_km(dx * dx + dy * dy + dz * dz);
		mk->t = mk->other / SIMILAR_KM_SCALE;
		if (mk->t > 1.0)
			mk->t = 1.0;
	}
	if (o->w[SIMILAR_CHAR_KM] > 0)
		d2 += o->w[SIMILAR_CHAR_KM] * (mk->t * mk->t);

	const int cat_self[N_CAT] = { sa->urban_rural, sa->type_group, sa->religion, sa->gender,
				      sa->sixth_form };
	const int cat_other[N_CAT] = { sb->urban_rural, sb->type_group, sb->religion, sb->gender,
				       sb->sixth_form };
	for (int c = 0; c < N_CAT; c++) {
		struct similar_cmp *m = &r->cmp[SIMILAR_CHAR_URBAN_RURAL + c];
		m->self = cat_self[c];
		m->other = cat_other[c];
		m->self_missing = cat_self[c] == 0;
		m->other_missing = cat_other[c] == 0;
		m->t = (cat_self[c] != 0 && cat_self[c] == cat_other[c]) ? 0.0 : 1.0;
		if (m->weight > 0)
			d2 += m->weight * (m->t * m->t);
	}

	struct similar_cmp *ma = &r->cmp[SIMILAR_CHAR_AGE_RANGE];
	ma->self = p->age_lo[a];
	ma->other = p->age_lo[b];
	ma->self_high = p->age_hi[a];
	ma->other_high = p->age_hi[b];
	ma->self_missing = p->miss[a] & (MISS_AGE_LOW | MISS_AGE_HIGH);
	ma->other_missing = p->miss[b] & (MISS_AGE_LOW | MISS_AGE_HIGH);
	ma->median = p->age_median[0];
	ma->median_high = p->age_median[1];
	ma->t = p->age_div > 0 ? (fabs(ma->other - ma->self) + fabs(ma->other_high - ma->self_high)) /
					 p->age_div
			       : 0.0;
	if (ma->weight > 0)
		d2 += ma->weight * (ma->t * ma->t);
	return d2;
}

static void clear_meta(struct similar_meta *meta)
{
	memset(meta, 0, sizeof(*meta));
	meta->group = SIMILAR_GROUP_NONE;
}

/*
 * Resolve urn to its pool and member position under o; on failure sets
 * *reason and returns the error.
 */
static int locate(const struct similar_index *ix, int urn, const struct prep *o,
		  const struct pool **pp, int *pos, const char **reason)
{
	int si = find_school(ix, urn);
	if (si < 0) {
		*reason = R_NOTFOUND;
		return ERR_NOTFOUND;
	}
	const struct similar_school *s = &ix->school[si];
	*pos = ix->pos[o->variant][si];
	if (*pos < 0) {
		*reason = why_not(s, o->variant);
		return ERR_INVALID;
	}
	*pp = &ix->pool[o->variant][s->group];
	return 0;
}

int similar_query(const struct similar_index *ix, int urn, const struct similar_options *opt,
		  struct similar_result *out, size_t cap, struct similar_meta *meta)
{
	struct similar_options def;
	struct prep o;
	const struct pool *p = NULL;
	int pos = -1;

	clear_meta(meta);
	if (!opt) {
		similar_options_default(&def);
		opt = &def;
	}
	int rc = prep_options(opt, &o, &meta->reason);
	if (rc)
		return rc;
	meta->weight_sum = o.wsum;
	meta->independent_pool = o.variant == 1;
	if (cap < (size_t)o.k) {
		meta->reason = R_CAP;
		return ERR_INVALID;
	}
	int si = find_school(ix, urn);
	if (si >= 0)
		meta->group = ix->school[si].group;
	rc = locate(ix, urn, &o, &p, &pos, &meta->reason);
	if (rc)
		return rc;
	meta->pool_size = p->n;
	if (o.use_loc && !p->has_loc[pos]) {
		meta->reason = R_NOLOC;
		return ERR_INVALID;
	}

	struct cand res[SIMILAR_K_MAX];
	struct counts cnt;
	int n = run(p, pos, &o, res, &cnt);
	for (int i = 0; i < n; i++) {
		(void)describe(ix, p, pos, res[i].pos, &o, &out[i]);
		out[i].distance = res[i].d;
		out[i].score = score_of(res[i].d, o.wsqrt);
	}
	meta->n = n;
	meta->no_location = cnt.no_location;
	meta->outside_radius = cnt.outside;
	meta->compared = p->n - 1 - cnt.no_location - cnt.outside;
	return 0;
}

int similar_explain(const struct similar_index *ix, int urn, int other,
		    const struct similar_options *opt, struct similar_result *out,
		    const char **reason)
{
	struct similar_options def;
	struct prep o;
	const struct pool *pa = NULL, *pb = NULL;
	int a = -1, b = -1;
	const char *why = NULL;

	if (!opt) {
		similar_options_default(&def);
		opt = &def;
	}
	int rc = prep_options(opt, &o, &why);
	if (!rc)
		rc = locate(ix, urn, &o, &pa, &a, &why);
	if (!rc)
		rc = locate(ix, other, &o, &pb, &b, &why);
	if (!rc && pa != pb) {
		why = R_APART;
		rc = ERR_INVALID;
	}
	if (!rc && a == b) {
		why = R_SAME;
		rc = ERR_INVALID;
	}
	if (!rc) {
		double d2 = describe(ix, pa, a, b, &o, out);
		if (isnan(d2)) {
			why = R_OTHER_NOLOC;
			rc = ERR_INVALID;
		} else {
			out->distance = sqrt(d2);
			out->score = score_of(out->distance, o.wsqrt);
		}
	}
	if (reason)
		*reason = why;
	return rc;
}

/* ---- families ----------------------------------------------------------- */

/* Shared state of one similar_families call. */
struct fam_job {
	const struct similar_index *ix; /* the index */
	const struct prep *o;           /* options */
	struct similar_families *f;     /* output; worker writes only its own rows */
	int *sidx;                      /* school index of row i */
	atomic_size_t next;             /* next row to hand out */
};

static void *fam_worker(void *arg)
{
	struct fam_job *job = arg;
	const struct prep *o = job->o;
	struct similar_families *f = job->f;
	struct cand res[SIMILAR_K_MAX];
	struct counts cnt;

	for (;;) {
		size_t from = atomic_fetch_add(&job->next, CHUNK);
		if (from >= f->n)
			break;
		size_t to = from + CHUNK < f->n ? from + CHUNK : f->n;
		for (size_t i = from; i < to; i++) {
			const struct similar_school *s = &job->ix->school[job->sidx[i]];
			const struct pool *p = &job->ix->pool[o->variant][s->group];
			int pos = job->ix->pos[o->variant][job->sidx[i]];
			if (o->use_loc && !p->has_loc[pos]) {
				f->status[i] = ERR_INVALID;
				continue;
			}
			int n = run(p, pos, o, res, &cnt);
			struct similar_neighbour *nb = f->nb + i * (size_t)f->k;
			for (int j = 0; j < n; j++) {
				nb[j].urn = res[j].urn;
				nb[j].distance = res[j].d;
				nb[j].score = score_of(res[j].d, o->wsqrt);
			}
			f->count[i] = n;
		}
	}
	return NULL;
}

int similar_families(const struct similar_index *ix, const struct similar_options *opt,
		     int threads, struct similar_families **out)
{
	struct similar_options def;
	struct prep o;
	const char *why;

	*out = NULL;
	if (!opt) {
		similar_options_default(&def);
		opt = &def;
	}
	int rc = prep_options(opt, &o, &why);
	if (rc)
		return rc;

	struct similar_families *f = xcalloc(1, sizeof(*f));
	int *sidx = xmalloc((ix->n + 1) * sizeof(int));
	for (size_t i = 0; i < ix->n; i++) {
		int si = ix->by_urn[i].idx;
		if (ix->pos[o.variant][si] >= 0)
			sidx[f->n++] = si;
	}
	f->k = o.k;
	f->urn = xcalloc(f->n + 1, sizeof(int));
	f->count = xcalloc(f->n + 1, sizeof(int));
	f->status = xcalloc(f->n + 1, sizeof(int));
	f->nb = xcalloc(f->n * (size_t)o.k + 1, sizeof(*f->nb));
	for (size_t i = 0; i < f->n; i++)
		f->urn[i] = ix->school[sidx[i]].urn;

	struct fam_job job = { .ix = ix, .o = &o, .f = f, .sidx = sidx };
	atomic_init(&job.next, 0);
	if (threads <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cpus > 0 ? (int)(cpus < SIMILAR_THREADS_MAX ? cpus : SIMILAR_THREADS_MAX) : 1;
	}
	if (threads > SIMILAR_THREADS_MAX)
		threads = SIMILAR_THREADS_MAX;
	if ((size_t)threads > f->n / CHUNK + 1)
		threads = (int)(f->n / CHUNK + 1);

	pthread_t tid[SIMILAR_THREADS_MAX];
	int started = 0;
	for (int i = 1; i < threads; i++) {
		if (pthread_create(&tid[started], NULL, fam_worker, &job) != 0)
			break; /* the rest runs in this thread */
		started++;
	}
	fam_worker(&job);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(sidx);
	*out = f;
	return 0;
}

void similar_families_free(struct similar_families *f)
{
	if (!f)
		return;
	free(f->urn);
	free(f->count);
	free(f->status);
	free(f->nb);
	free(f);
}

/* ---- names -------------------------------------------------------------- */

const char *similar_group_name(enum similar_group g)
{
	static const char *const names[SIMILAR_GROUP__MAX] = {
		[SIMILAR_GROUP_NONE] = "none",
		[SIMILAR_GROUP_NURSERY] = "nursery",
		[SIMILAR_GROUP_PRIMARY] = "primary",
		[SIMILAR_GROUP_SECONDARY] = "secondary",
		[SIMILAR_GROUP_ALL_THROUGH] = "all-through",
		[SIMILAR_GROUP_SIXTEEN_PLUS] = "16 plus",
		[SIMILAR_GROUP_SPECIAL] = "special",
		[SIMILAR_GROUP_PRU_AP] = "PRU / alternative provision",
	};
	return (unsigned)g < SIMILAR_GROUP__MAX ? names[g] : "unknown";
}

const char *similar_char_name(enum similar_char c)
{
	static const char *const names[SIMILAR_CHAR__MAX] = {
		[SIMILAR_CHAR_PUPILS] = "pupils",
		[SIMILAR_CHAR_FSM] = "% FSM",
		[SIMILAR_CHAR_EHC] = "% EHC plan",
		[SIMILAR_CHAR_KM] = "distance (km)",
		[SIMILAR_CHAR_URBAN_RURAL] = "urban/rural",
		[SIMILAR_CHAR_TYPE_GROUP] = "type of school",
		[SIMILAR_CHAR_RELIGION] = "religious character",
		[SIMILAR_CHAR_GENDER] = "gender",
		[SIMILAR_CHAR_SIXTH_FORM] = "sixth form",
		[SIMILAR_CHAR_AGE_RANGE] = "age range",
	};
	return (unsigned)c < SIMILAR_CHAR__MAX ? names[c] : "unknown";
}
