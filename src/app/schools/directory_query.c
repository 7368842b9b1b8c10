// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * directory_query.c — queries over the in-memory directory (see
 * directory.h for what they mean and directory.c for the index): the
 * words of a query resolved to runs of indexed words, a short candidate
 * list when the query narrows by place or LA, the filters checked on each
 * candidate, pages cut in name order or in a kept or sorted order; and
 * spelling suggestions for words no name or town begins with.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/directory.h"
#include "app/schools/directory_index.h"
#include "core/arena.h"
#include "core/geo.h"

#define SUGGEST_NEAR 3  /* nearest spellings kept for each unknown word */

/* ---- queries ------------------------------------------------------------ */

/* One query word as the index is asked for it. */
struct term {
	char word[WORD_MAX]; /* folded */
	bool exact;          /* only the word itself ("st") */
	bool saint_prefix;   /* also words beginning "saint" */
	const char *typed;   /* the word as typed */
	size_t typed_len;    /* its length */
	size_t lo[2], hi[2]; /* the runs of indexed words it covers (term_resolve) */
	size_t postings;     /* schools those words hold, counted with repeats across words */
};

/* First token >= word. */
static size_t tok_lower(const struct dir_index *ix, const char *word)
{
	size_t lo = 0, hi = ix->ntok;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(ix->tok[mid].word, word) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The run of tokens that begin with prefix (all of word when exact): [*lo, *hi). */
static void token_run(const struct dir_index *ix, const char *prefix, bool exact, size_t *lo, size_t *hi)
{
	size_t pl = strlen(prefix), l = tok_lower(ix, prefix), h = l;
	if (exact) {
		h = l < ix->ntok && strcmp(ix->tok[l].word, prefix) == 0 ? l + 1 : l;
	} else {
		size_t a = l, b = ix->ntok;
		while (a < b) {
			size_t mid = (a + b) / 2;
			if (strncmp(ix->tok[mid].word, prefix, pl) <= 0)
				a = mid + 1;
			else
				b = mid;
		}
		h = a;
	}
	*lo = l;
	*hi = h;
}

/* Find the words a term covers; returns how many. */
static size_t term_resolve(const struct dir_index *ix, struct term *t)
{
	t->lo[1] = t->hi[1] = 0;
	if (t->exact) {
		token_run(ix, "st", true, &t->lo[0], &t->hi[0]);
		if (t->saint_prefix)
			token_run(ix, "saint", false, &t->lo[1], &t->hi[1]);
	} else {
		token_run(ix, t->word, false, &t->lo[0], &t->hi[0]);
	}
	t->postings = 0;
	for (int r = 0; r < 2; r++)
		for (size_t i = t->lo[r]; i < t->hi[r]; i++)
			t->postings += ix->tok[i].count;
	return (t->hi[0] - t->lo[0]) + (t->hi[1] - t->lo[1]);
}

/* Set the bit of every school holding a word the term covers. */
static void mark(const struct dir_index *ix, const struct term *t, uint64_t *bits)
{
	for (int r = 0; r < 2; r++)
		for (size_t k = t->lo[r]; k < t->hi[r]; k++) {
			const struct token *tok = &ix->tok[k];
			for (uint32_t i = 0; i < tok->count; i++) {
				uint32_t pos = ix->post[tok->first + i];
				bits[pos >> 6] |= (uint64_t)1 << (pos & 63);
			}
		}
}

/* True when the school at pos holds a word each term (but skip) covers. */
static bool words_match(const struct dir_index *ix, size_t pos, const struct term *terms, size_t nt, size_t skip)
{
	const uint32_t *tk = ix->ent_tok + ix->ent_first[pos];
	size_t m = ix->ent_first[pos + 1] - ix->ent_first[pos];
	for (size_t i = 0; i < nt; i++) {
		if (i == skip)
			continue;
		const struct term *t = &terms[i];
		bool found = false;
		for (size_t j = 0; j < m && !found; j++)
			found = (tk[j] >= t->lo[0] && tk[j] < t->hi[0]) || (tk[j] >= t->lo[1] && tk[j] < t->hi[1]);
		if (!found)
			return false;
	}
	return true;
}

/* The words of text as terms (at most QUERY_WORDS); returns how many. */
static size_t parse_terms(const char *text, struct term *terms)
{
	size_t n = 0;
	const char *p = text, *end = text + strlen(text), *w;
	size_t len;
	while (n < QUERY_WORDS && dir_next_word(&p, end, &w, &len)) {
		struct term *t = &terms[n];
		memset(t, 0, sizeof(*t));
		dir_fold(w, len, t->word, sizeof(t->word));
		if (!t->word[0])
			continue;
		t->typed = w;
		t->typed_len = len;
		if (strcmp(t->word, "st") == 0 || strcmp(t->word, "saint") == 0) {
			t->exact = true;
			t->saint_prefix = strcmp(t->word, "saint") == 0;
		}
		n++;
	}
	return n;
}

/* A query made ready: ids of the chosen filter values. */
struct prep {
	const struct dir_query *q;      /* the query */
	int facet[DIR_FACET__MAX];      /* label id wanted; 0 any; -1 an unknown code (nothing matches) */
	size_t pc_len;                  /* length of q->postcode */
	double dlat;                    /* degrees of latitude within the radius */
};

static bool passes(const struct dir_index *ix, size_t pos, const struct prep *p, double *km)
{
	const struct dir_entry *e = &ix->e[pos];
	const struct dir_query *q = p->q;
	*km = NAN;
	if (q->status == DIR_OPEN ? e->status != DIR_ST_OPEN : q->status == DIR_CLOSED && e->status != DIR_ST_CLOSED)
		return false;
	if (q->group >= 0 && e->group != q->group)
		return false;
	for (int f = 0; f < DIR_FACET__MAX; f++)
		if (p->facet[f] && e->facet[f] != p->facet[f])
			return false;
	if (q->schools_only && !e->school)
		return false;
	if (q->pupils_min >= 0 && (e->pupils < 0 || e->pupils < q->pupils_min))
		return false;
	if (q->pupils_max >= 0 && (e->pupils < 0 || e->pupils > q->pupils_max))
		return false;
	if (!isnan(q->fsm_min) && (isnan(e->fsm_pct) || e->fsm_pct < q->fsm_min))
		return false;
	if (!isnan(q->fsm_max) && (isnan(e->fsm_pct) || e->fsm_pct > q->fsm_max))
		return false;
	if (q->trust && (!e->trust_code || strcmp(e->trust_code, q->trust) != 0))
		return false;
	if (q->town && (!e->town || dir_nocase_cmp(e->town, q->town) != 0))
		return false;
	if (q->postcode) {
		const char *k = e->postcode_key;
		if (!k)
			return false;
		bool district = ix->olen[pos] == p->pc_len && strncmp(k, q->postcode, p->pc_len) == 0;
		if (!district && strcmp(k, q->postcode) != 0)
			return false;
	}
	if (q->near) {
		if (!e->has_location || fabs(e->lat - q->lat) > p->dlat)
			return false;
		*km = geo_km(e->lat, e->lon, q->lat, q->lon);
		if (!(*km <= q->within_km))
			return false;
	}
	return true;
}

/* A page being filled: rows counted, the page's rows kept. */
struct page {
	struct dir_result *out; /* the result */
	int64_t offset, limit;  /* the page */
};

static void page_add(struct page *pg, const struct dir_index *ix, size_t pos, double km)
{
	struct dir_result *out = pg->out;
	if (out->total >= pg->offset && out->total < pg->offset + pg->limit)
		out->hits[out->n++] = (struct dir_hit){&ix->e[pos], km};
	out->total++;
}

static bool bit(const uint64_t *bits, size_t pos)
{
	return !bits || (bits[pos >> 6] >> (pos & 63)) & 1;
}

/* The sort key of a match: smaller first, unknown measures last, name order for ties. */
static double key_of(const struct dir_entry *e, enum dir_sort sort, double km, size_t pos)
{
	switch (sort) {
	case DIR_SORT_DISTANCE:
		return km;
	case DIR_SORT_PUPILS:
		return e->pupils >= 0 ? -(double)e->pupils : INFINITY;
	case DIR_SORT_FSM:
		return !isnan(e->fsm_pct) ? -e->fsm_pct : INFINITY;
	case DIR_SORT_NAME:
		break;
	}
	return (double)pos;
}

/*
 * A short list of candidates when the query narrows by place or LA: the
 * latitude band of a "near" query, the postcode keys that begin with the
 * query's postcode, or the LA's schools; the shortest of those that apply.
 * *in_order is set when the list is in name order (the LA's). NULL: none.
 */
static const uint32_t *short_list(const struct dir_index *ix, const struct prep *p, size_t *n, bool *in_order)
{
	const struct dir_query *q = p->q;
	const uint32_t *best = NULL;
	size_t bn = SIZE_MAX;
	*in_order = false;
	if (q->near) {
		size_t lo = 0, hi = ix->nlat;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (ix->e[ix->by_lat[mid]].lat < q->lat - p->dlat)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t end = lo;
		while (end < ix->nlat && ix->e[ix->by_lat[end]].lat <= q->lat + p->dlat)
			end++;
		best = ix->by_lat + lo;
		bn = end - lo;
	}
	if (q->postcode) {
		size_t lo = dir_pc_lower(ix, q->postcode), end = lo;
		while (end < ix->npc && strncmp(ix->e[ix->by_pc[end]].postcode_key, q->postcode, p->pc_len) == 0)
			end++;
		if (end - lo < bn) {
			best = ix->by_pc + lo;
			bn = end - lo;
		}
	}
	int la = p->facet[DIR_FACET_LA];
	if (la > 0 && ix->la_first[la + 1] - ix->la_first[la] < bn) {
		best = ix->la_pos + ix->la_first[la];
		bn = ix->la_first[la + 1] - ix->la_first[la];
		*in_order = true;
	}
	*n = best ? bn : 0;
	return best;
}

static int run(const struct dir_index *ix, const struct dir_query *q, const struct term *terms, size_t nt,
	       struct arena *a, struct dir_result *out)
{
	memset(out, 0, sizeof(*out));
	struct prep p = {.q = q, .pc_len = q->postcode ? strlen(q->postcode) : 0,
			 .dlat = q->near ? q->within_km / 111.0 + 1e-6 : 0};
	for (int f = 0; f < DIR_FACET__MAX; f++)
		if (q->facet[f]) {
			int id = dir_id_of(ix, (enum dir_facet)f, q->facet[f]);
			p.facet[f] = id ? id : -1;
		}
	int64_t limit = q->limit < 0 ? 0 : q->limit;
	struct page pg = {out, q->offset < 0 ? 0 : q->offset, limit};
	enum dir_sort sort = q->sort == DIR_SORT_DISTANCE && !q->near ? DIR_SORT_NAME : q->sort;
	out->hits = arena_alloc(a, (size_t)(limit ? limit : 1) * sizeof(*out->hits));
	for (int f = 0; f < DIR_FACET__MAX; f++)
		if (p.facet[f] < 0)
			return 0; /* a code no establishment has */
	/* Only a status, in name order (the directory's first page): a slice of a kept list. */
	bool only_status = !nt && q->group < 0 && !q->trust && q->pupils_min < 0 && q->pupils_max < 0 &&
			   isnan(q->fsm_min) && isnan(q->fsm_max) && !q->postcode && !q->town && !q->near &&
			   !q->schools_only && sort == DIR_SORT_NAME;
	for (int f = 0; f < DIR_FACET__MAX; f++)
		only_status = only_status && !p.facet[f];
	if (only_status) {
		const uint32_t *list = q->status == DIR_OPEN ? ix->open_pos : q->status == DIR_CLOSED ? ix->closed_pos : NULL;
		size_t n = q->status == DIR_OPEN ? ix->nopen : q->status == DIR_CLOSED ? ix->nclosed : ix->n;
		for (int64_t i = pg.offset; i < (int64_t)n && i < pg.offset + limit; i++) {
			size_t pos = list ? list[i] : (size_t)i;
			out->hits[out->n++] = (struct dir_hit){&ix->e[pos], NAN};
		}
		out->total = (int64_t)n;
		return 0;
	}
	/* Words: the rarest one marks its schools; each school is checked for the others. */
	struct term t[QUERY_WORDS];
	size_t rarest = SIZE_MAX;
	for (size_t i = 0; i < nt; i++) {
		t[i] = terms[i];
		if (!term_resolve(ix, &t[i]))
			return 0; /* a word no name or town begins with */
		if (rarest == SIZE_MAX || t[i].postings < t[rarest].postings)
			rarest = i;
	}
	double km;
	size_t nl;
	bool in_order;
	const uint32_t *list = short_list(ix, &p, &nl, &in_order);
	uint64_t *bits = NULL;
	if (nt && !list) {
		bits = arena_calloc(a, (ix->n + 63) / 64 + 1, sizeof(*bits));
		mark(ix, &t[rarest], bits);
	}
	size_t skip = list ? SIZE_MAX : rarest;
	if (list && !(in_order && sort == DIR_SORT_NAME)) {
		/* Few candidates in another order: collect the matches and sort them. */
		struct keyed *m = arena_alloc(a, (nl ? nl : 1) * sizeof(*m));
		size_t nm = 0;
		for (size_t i = 0; i < nl; i++) {
			size_t pos = list[i];
			if (!passes(ix, pos, &p, &km) || !words_match(ix, pos, t, nt, skip))
				continue;
			m[nm++] = (struct keyed){key_of(&ix->e[pos], sort, km, pos), km, (uint32_t)pos};
		}
		if (nm)
			qsort(m, nm, sizeof(*m), dir_keyed_cmp);
		for (size_t i = 0; i < nm; i++)
			page_add(&pg, ix, m[i].pos, m[i].km);
		return 0;
	}
	if (list) {
		/* The LA's schools, in name order. */
		for (size_t i = 0; i < nl; i++)
			if (passes(ix, list[i], &p, &km) && words_match(ix, list[i], t, nt, skip))
				page_add(&pg, ix, list[i], km);
		return 0;
	}
	if (sort == DIR_SORT_PUPILS || sort == DIR_SORT_FSM) {
		/* Walk the order kept for the measure. */
		const uint32_t *order = sort == DIR_SORT_PUPILS ? ix->by_pupils : ix->by_fsm;
		for (size_t i = 0; i < ix->n; i++)
			if (bit(bits, order[i]) && words_match(ix, order[i], t, nt, skip) && passes(ix, order[i], &p, &km))
				page_add(&pg, ix, order[i], km);
		return 0;
	}
	/* Name order: the positions the words allow, or all of them. */
	for (size_t w = 0; w * 64 < ix->n; w++) {
		uint64_t word = bits ? bits[w] : ~(uint64_t)0;
		while (word) {
			size_t pos = w * 64 + (unsigned)__builtin_ctzll(word);
			word &= word - 1;
			if (pos >= ix->n)
				break;
			if (words_match(ix, pos, t, nt, skip) && passes(ix, pos, &p, &km))
				page_add(&pg, ix, pos, km);
		}
	}
	return 0;
}

int dir_query(const struct dir_index *ix, const struct dir_query *q, struct arena *a, struct dir_result *out)
{
	memset(out, 0, sizeof(*out));
	struct term terms[QUERY_WORDS];
	size_t nt = 0;
	if (q->text) {
		nt = parse_terms(q->text, terms);
		if (!nt)
			return ERR_INVALID;
	}
	return run(ix, q, terms, nt, a, out);
}

/* ---- spelling suggestions ----------------------------------------------- */

/* Optimal string alignment distance (edits, with swaps of neighbours), capped at cap + 1. */
static int osa(const char *a, size_t n, const char *b, size_t m, int cap)
{
	if ((n > m ? n - m : m - n) > (size_t)cap)
		return cap + 1;
	int d[WORD_MAX + 1][WORD_MAX + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int row_min = cap + 1;
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			if (v < row_min)
				row_min = v;
		}
		if (row_min > cap)
			return cap + 1;
	}
	return d[n][m];
}

/* A candidate spelling of one word. */
struct near_word {
	const struct token *t; /* the indexed word */
	int dist;              /* edits away */
};

static bool better(const struct near_word *a, const struct near_word *b)
{
	if (a->dist != b->dist)
		return a->dist < b->dist;
	if (a->t->count != b->t->count)
		return a->t->count > b->t->count;
	return strcmp(a->t->word, b->t->word) < 0;
}

/* The SUGGEST_NEAR indexed words nearest to word; returns how many. */
static size_t nearest(const struct dir_index *ix, const char *word, struct near_word *best)
{
	size_t wl = strlen(word), nb = 0;
	if (wl < 3 || wl >= WORD_MAX)
		return 0;
	int cap = wl <= 4 ? 1 : 2;
	for (size_t i = 0; i < ix->ntok; i++) {
		const struct token *t = &ix->tok[i];
		size_t tl = t->len;
		if (tl < 3 || tl >= WORD_MAX)
			continue;
		/* A typo rarely changes both of the first two letters: skip words that share neither. */
		if (t->word[0] != word[0] && t->word[1] != word[1] && t->word[0] != word[1])
			continue;
		int dist = osa(word, wl, t->word, tl, cap);
		/* Only the beginning of a longer word was typed: compare with its beginning. */
		if (dist > cap && tl > wl && t->word[0] == word[0]) {
			int pd = osa(word, wl, t->word, wl, cap);
			if (pd <= cap)
				dist = pd;
		}
		if (dist > cap)
			continue;
		struct near_word c = {t, dist};
		size_t at = nb < SUGGEST_NEAR ? nb++ : SUGGEST_NEAR;
		if (at == SUGGEST_NEAR) {
			if (!better(&c, &best[SUGGEST_NEAR - 1]))
				continue;
			at = SUGGEST_NEAR - 1;
		}
		while (at > 0 && better(&c, &best[at - 1])) {
			best[at] = best[at - 1];
			at--;
		}
		best[at] = c;
	}
	/* Only the nearest: a spelling two edits away is no help when one is one edit away. */
	while (nb > 1 && best[nb - 1].dist > best[0].dist)
		nb--;
	return nb;
}

size_t dir_suggest(const struct dir_index *ix, const struct dir_query *q, struct arena *a, const char **out,
		   size_t max)
{
	if (!q->text || !max)
		return 0;
	struct term terms[QUERY_WORDS];
	size_t nt = parse_terms(q->text, terms);
	struct near_word alt[QUERY_WORDS][SUGGEST_NEAR];
	size_t nalt[QUERY_WORDS] = {0};
	size_t rounds = 0;
	for (size_t i = 0; i < nt; i++) {
		if (term_resolve(ix, &terms[i]))
			continue;
		nalt[i] = nearest(ix, terms[i].word, alt[i]);
		if (!nalt[i])
			return 0; /* a word with no spelling near it: nothing sensible to offer */
		if (nalt[i] > rounds)
			rounds = nalt[i];
	}
	size_t n = 0;
	for (size_t r = 0; r < rounds && n < max; r++) {
		/* Round r takes each unknown word's r-th nearest spelling (or its last). */
		struct term fixed[QUERY_WORDS];
		char text[QUERY_WORDS * (WORD_MAX + 1)];
		size_t tl = 0;
		for (size_t i = 0; i < nt; i++) {
			fixed[i] = terms[i];
			const char *w = terms[i].typed;
			size_t wl = terms[i].typed_len;
			if (nalt[i]) {
				const struct token *t = alt[i][r < nalt[i] ? r : nalt[i] - 1].t;
				snprintf(fixed[i].word, sizeof(fixed[i].word), "%s", t->word);
				fixed[i].exact = fixed[i].saint_prefix = false;
				w = t->display;
				wl = strlen(w);
			}
			if (tl + wl + 2 > sizeof(text))
				break;
			if (tl)
				text[tl++] = ' ';
			memcpy(text + tl, w, wl);
			tl += wl;
		}
		text[tl] = '\0';
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup = dup || strcmp(out[k], text) == 0;
		if (dup)
			continue;
		struct dir_query probe = *q;
		probe.offset = 0;
		probe.limit = 0;
		probe.sort = DIR_SORT_NAME;
		struct dir_result res;
		if (run(ix, &probe, fixed, nt, a, &res) == 0 && res.total > 0)
			out[n++] = arena_strdup(a, text);
	}
	return n;
}
