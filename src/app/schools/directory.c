// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * directory.c — the schools directory in memory (see directory.h for what
 * a query means).
 *
 * Layout: the entries sorted by name (ASCII case ignored) then URN, so a
 * position is also the default order; every word of every name and town
 * with the positions that hold it (sorted words, each with a run of
 * postings); the positions sorted by postcode key for postcodes and their
 * sectors and districts; and each filter list with a code → label-id table.
 * A query marks the positions its words allow in a bitmap (one bit a
 * school, OR over the words a prefix covers, AND between query words), or
 * takes every position, then checks the filters on each: about 50,000
 * small comparisons at worst. Pages in name order are cut while counting;
 * the other orders sort the matches. This file builds the index and
 * places postcodes; directory_query.c answers queries over it.
 */
#include "app/schools/directory.h"
#include "app/schools/directory_index.h"

#include <ctype.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/gias.h"
#include "core/arena.h"
#include "core/util.h"

/* ---- words ------------------------------------------------------------ */

/* Latin-1 Supplement and Latin Extended-A letters U+00C0..U+017F without their accents. */
static const char *const fold_latin[192] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", /* U+00C0 */
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", /* U+00D0 */
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", /* U+00E0 */
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y", /* U+00F0 */
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", /* U+0100 */
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", /* U+0110 */
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i", /* U+0120 */
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", /* U+0130 */
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", /* U+0140 */
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", /* U+0150 */
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", /* U+0160 */
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s", /* U+0170 */
};

/* Decode one UTF-8 code point at p (n bytes left); *len its length. Bad bytes read as themselves. */
static unsigned decode(const unsigned char *p, size_t n, size_t *len)
{
	unsigned c = p[0];
	size_t need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	if (need > n)
		need = 1;
	if (need == 1) {
		*len = 1;
		return c;
	}
	unsigned cp = c & (0x7F >> need);
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*len = 1;
			return c;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	*len = need;
	return cp;
}

static bool is_apostrophe(unsigned cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == '`';
}

/* Letters, digits and apostrophes make words; everything else separates them. */
static bool is_word_char(unsigned cp)
{
	if (cp < 0x80)
		return isalnum((int)cp) || is_apostrophe(cp);
	if (is_apostrophe(cp))
		return true;
	if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7)
		return false;
	if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF)
		return false;
	return true;
}

bool dir_next_word(const char **p, const char *end, const char **start, size_t *len)
{
	const unsigned char *s = (const unsigned char *)*p, *e = (const unsigned char *)end;
	size_t l;
	while (s < e && !is_word_char(decode(s, (size_t)(e - s), &l)))
		s += l;
	if (s == e) {
		*p = end;
		return false;
	}
	const unsigned char *w = s;
	while (s < e && is_word_char(decode(s, (size_t)(e - s), &l)))
		s += l;
	*start = (const char *)w;
	*len = (size_t)(s - w);
	*p = (const char *)s;
	return true;
}

void dir_fold(const char *word, size_t len, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)word, *end = p + len;
	size_t o = 0;
	while (p < end) {
		size_t l;
		unsigned cp = decode(p, (size_t)(end - p), &l);
		const char *piece = NULL;
		char one[2] = {0, 0};
		if (is_apostrophe(cp)) {
			piece = "";
		} else if (cp < 0x80) {
			one[0] = (char)tolower((int)cp);
			piece = one;
		} else if (cp >= 0xC0 && cp < 0x180) {
			piece = fold_latin[cp - 0xC0];
		}
		size_t pl = piece ? strlen(piece) : l;
		if (o + pl + 1 > outsz)
			break;
		memcpy(out + o, piece ? piece : (const char *)p, pl);
		o += pl;
		p += l;
	}
	out[o] = '\0';
}

/* Fold a word for the index: also "saint" → "st". Returns the length. */
static size_t fold_indexed(const char *word, size_t len, char out[WORD_MAX])
{
	dir_fold(word, len, out, WORD_MAX);
	if (strcmp(out, "saint") == 0)
		memcpy(out, "st", 3);
	return strlen(out);
}

bool dir_has_words(const char *text)
{
	const char *p = text, *end = text + strlen(text), *w;
	size_t len;
	char f[WORD_MAX];
	while (dir_next_word(&p, end, &w, &len)) {
		dir_fold(w, len, f, sizeof(f));
		if (f[0])
			return true;
	}
	return false;
}

/* ---- building ----------------------------------------------------------- */

int dir_nocase_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
		if (x != y || !x)
			return x - y;
	}
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct dir_entry *a = pa, *b = pb;
	int c = dir_nocase_cmp(a->name, b->name);
	return c ? c : (a->urn > b->urn) - (a->urn < b->urn);
}

static char *dup_or_null(struct arena *a, const char *s)
{
	return s && *s ? arena_strdup(a, s) : NULL;
}

/* A (word, position) pair while building. */
struct pair {
	uint64_t head;       /* the word's first 8 bytes, big-endian: most comparisons stop here */
	const char *word;    /* folded (arena) */
	const char *display; /* as written (arena) */
	uint32_t pos;        /* entry position */
};

static int pair_cmp(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;
	if (a->head != b->head)
		return a->head < b->head ? -1 : 1;
	int c = strcmp(a->word, b->word);
	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* The pairs of the words of text at position pos, appended to *pairs. */
static void add_words(struct arena *a, const char *text, uint32_t pos, struct pair **pairs, size_t *n,
		      size_t *cap)
{
	if (!text)
		return;
	const char *p = text, *end = text + strlen(text), *w;
	size_t len;
	char f[WORD_MAX];
	while (dir_next_word(&p, end, &w, &len)) {
		size_t flen = fold_indexed(w, len, f);
		if (!flen)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			*pairs = xrealloc(*pairs, *cap * sizeof(**pairs));
		}
		uint64_t head = 0;
		for (size_t i = 0; i < 8; i++)
			head = head << 8 | (unsigned char)(i < flen ? f[i] : 0);
		(*pairs)[(*n)++] = (struct pair){head, arena_strdup(a, f), arena_strndup(a, w, len), pos};
	}
}

static bool ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static void build_words(struct dir_index *ix)
{
	size_t n = 0, cap = 0;
	struct pair *pairs = NULL;
	for (size_t i = 0; i < ix->n; i++) {
		add_words(ix->arena, ix->e[i].name, (uint32_t)i, &pairs, &n, &cap);
		add_words(ix->arena, ix->e[i].town, (uint32_t)i, &pairs, &n, &cap);
	}
	if (n)
		qsort(pairs, n, sizeof(*pairs), pair_cmp);
	ix->post = arena_alloc(ix->arena, (n ? n : 1) * sizeof(*ix->post));
	ix->tok = arena_alloc(ix->arena, (n ? n : 1) * sizeof(*ix->tok));
	size_t np = 0, nt = 0;
	for (size_t i = 0; i < n; i++) {
		if (nt == 0 || strcmp(ix->tok[nt - 1].word, pairs[i].word) != 0)
			ix->tok[nt++] = (struct token){pairs[i].word, strlen(pairs[i].word), pairs[i].display,
						       (uint32_t)np, 0};
		struct token *t = &ix->tok[nt - 1];
		/* Show the word as most people type it: a spelling without accents when there is one. */
		if (!ascii(t->display) && ascii(pairs[i].display))
			t->display = pairs[i].display;
		if (t->count && ix->post[np - 1] == pairs[i].pos)
			continue; /* the same word twice in one school */
		ix->post[np++] = pairs[i].pos;
		t->count++;
	}
	ix->ntok = nt;
	free(pairs);
	/* Each school's words as token indices, for checking a query word against one school. */
	ix->ent_first = arena_calloc(ix->arena, ix->n + 2, sizeof(uint32_t));
	ix->ent_tok = arena_alloc(ix->arena, (np ? np : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < np; i++)
		ix->ent_first[ix->post[i] + 1]++;
	for (size_t i = 1; i <= ix->n; i++)
		ix->ent_first[i] += ix->ent_first[i - 1];
	uint32_t *fill = xmalloc((ix->n + 1) * sizeof(*fill));
	memcpy(fill, ix->ent_first, (ix->n + 1) * sizeof(*fill));
	for (size_t t = 0; t < nt; t++)
		for (uint32_t i = 0; i < ix->tok[t].count; i++)
			ix->ent_tok[fill[ix->post[ix->tok[t].first + i]]++] = (uint32_t)t;
	free(fill);
}

/* A position with its postcode key, for sorting. */
struct pc_pos {
	const char *key; /* postcode key */
	uint32_t pos;    /* entry position */
};

static int pc_cmp(const void *pa, const void *pb)
{
	const struct pc_pos *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* Build-time facet row: code, label, and the id assigned. */
struct facet_row {
	const char *code;  /* register code */
	const char *label; /* plain label */
};

static int facet_row_cmp(const void *pa, const void *pb)
{
	const struct facet_row *a = pa, *b = pb;
	int c = dir_nocase_cmp(a->label, b->label);
	if (!c)
		c = strcmp(a->label, b->label);
	return c ? c : strcmp(a->code, b->code);
}

static int code_id_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct code_id *)pa)->code, ((const struct code_id *)pb)->code);
}

static const enum dir_wording facet_wording[DIR_FACET__MAX] = {
	[DIR_FACET_LA] = DIR_WORDING__MAX, [DIR_FACET_REGION] = DIR_WORDING_REGION,
	[DIR_FACET_TYPE_GROUP] = DIR_WORDING_TYPE_GROUP, [DIR_FACET_RELIGIOUS] = DIR_WORDING_RELIGIOUS,
	[DIR_FACET_GENDER] = DIR_WORDING_GENDER, [DIR_FACET_URBAN_RURAL] = DIR_WORDING_URBAN_RURAL,
};

int dir_id_of(const struct dir_index *ix, enum dir_facet f, const char *code)
{
	if (!code)
		return 0;
	struct code_id key = {code, 0};
	const struct code_id *hit = bsearch(&key, ix->codes[f], ix->ncodes[f], sizeof(key), code_id_cmp);
	return hit ? hit->id : 0;
}

/* One list: distinct codes with plain labels, merged by label, ids in label order. */
static void build_facet(struct dir_index *ix, const struct dir_school *rows, size_t n, enum dir_facet f)
{
	struct facet_row *fr = xmalloc((n ? n : 1) * sizeof(*fr));
	size_t m = 0;
	/* Distinct codes first, kept sorted by code (a list has at most a few hundred), each with the
	 * label of its first row. */
	struct code_id *seen = xmalloc((n ? n : 1) * sizeof(*seen));
	size_t ns = 0;
	for (size_t i = 0; i < n; i++) {
		const char *code = rows[i].code[f];
		if (!code || !*code || !rows[i].label[f] || !*rows[i].label[f])
			continue;
		size_t lo = 0, hi = ns;
		int c = 1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			c = strcmp(seen[mid].code, code);
			if (c == 0)
				break;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < hi)
			continue; /* seen already */
		memmove(&seen[lo + 1], &seen[lo], (ns - lo) * sizeof(*seen));
		seen[lo] = (struct code_id){code, (int)i};
		ns++;
	}
	for (size_t i = 0; i < ns; i++) {
		const char *raw = rows[seen[i].id].label[f];
		char buf[160];
		const char *plain = facet_wording[f] == DIR_WORDING__MAX ? raw
						: dir_plain(facet_wording[f], raw, buf, sizeof(buf));
		if (!plain)
			plain = raw;
		fr[m++] = (struct facet_row){arena_strdup(ix->arena, seen[i].code), arena_strdup(ix->arena, plain)};
	}
	free(seen);
	if (m)
		qsort(fr, m, sizeof(*fr), facet_row_cmp);
	ix->choice[f] = arena_alloc(ix->arena, (m ? m : 1) * sizeof(struct dir_choice));
	ix->codes[f] = arena_alloc(ix->arena, (m ? m : 1) * sizeof(struct code_id));
	size_t nc = 0;
	for (size_t i = 0; i < m; i++) {
		if (!nc || strcmp(ix->choice[f][nc - 1].label, fr[i].label) != 0) {
			ix->choice[f][nc] = (struct dir_choice){fr[i].code, fr[i].label, (int)nc + 1};
			nc++;
		}
		ix->codes[f][i] = (struct code_id){fr[i].code, (int)nc};
	}
	/* Within a label the codes were sorted, so each choice's code is its smallest. */
	ix->nchoice[f] = nc;
	ix->ncodes[f] = m;
	if (m)
		qsort(ix->codes[f], m, sizeof(struct code_id), code_id_cmp);
	free(fr);
}

int dir_keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/* The positions in the order of key (one of 0 pupils, 1 % FSM, 2 latitude), into out; returns how many. */
static size_t order_by(const struct dir_index *ix, int which, uint32_t *out)
{
	struct keyed *k = xmalloc((ix->n ? ix->n : 1) * sizeof(*k));
	size_t m = 0;
	for (size_t i = 0; i < ix->n; i++) {
		const struct dir_entry *e = &ix->e[i];
		if (which == 2 && !e->has_location)
			continue;
		double key = which == 0 ? (e->pupils >= 0 ? -(double)e->pupils : INFINITY)
			     : which == 1 ? (!isnan(e->fsm_pct) ? -e->fsm_pct : INFINITY)
					  : e->lat;
		k[m++] = (struct keyed){key, NAN, (uint32_t)i};
	}
	if (m)
		qsort(k, m, sizeof(*k), dir_keyed_cmp);
	for (size_t i = 0; i < m; i++)
		out[i] = k[i].pos;
	free(k);
	return m;
}

/* The orders queries walk instead of sorting: by pupils, by % FSM, by latitude, and by LA. */
static void build_orders(struct dir_index *ix)
{
	size_t n = ix->n ? ix->n : 1;
	ix->by_pupils = arena_alloc(ix->arena, n * sizeof(uint32_t));
	ix->by_fsm = arena_alloc(ix->arena, n * sizeof(uint32_t));
	ix->by_lat = arena_alloc(ix->arena, n * sizeof(uint32_t));
	order_by(ix, 0, ix->by_pupils);
	order_by(ix, 1, ix->by_fsm);
	ix->nlat = order_by(ix, 2, ix->by_lat);
	/* Open and closed, each in name order: the directory's first page needs no scan. */
	ix->open_pos = arena_alloc(ix->arena, n * sizeof(uint32_t));
	ix->closed_pos = arena_alloc(ix->arena, n * sizeof(uint32_t));
	for (size_t i = 0; i < ix->n; i++) {
		if (ix->e[i].status == DIR_ST_OPEN)
			ix->open_pos[ix->nopen++] = (uint32_t)i;
		else if (ix->e[i].status == DIR_ST_CLOSED)
			ix->closed_pos[ix->nclosed++] = (uint32_t)i;
	}
	/* A counting sort by LA label id keeps name order within each LA. */
	size_t ids = ix->nchoice[DIR_FACET_LA] + 1;
	ix->la_first = arena_calloc(ix->arena, ids + 1, sizeof(uint32_t));
	ix->la_pos = arena_alloc(ix->arena, n * sizeof(uint32_t));
	for (size_t i = 0; i < ix->n; i++)
		ix->la_first[ix->e[i].facet[DIR_FACET_LA] + 1]++;
	for (size_t id = 1; id <= ids; id++)
		ix->la_first[id] += ix->la_first[id - 1];
	uint32_t *fill = xmalloc(ids * sizeof(*fill));
	memcpy(fill, ix->la_first, ids * sizeof(*fill));
	for (size_t i = 0; i < ix->n; i++)
		ix->la_pos[fill[ix->e[i].facet[DIR_FACET_LA]]++] = (uint32_t)i;
	free(fill);
}

static int urn_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	return (a > b) - (a < b);
}

int dir_build(const struct dir_school *rows, size_t n, struct dir_index **out)
{
	*out = NULL;
	int *urns = xmalloc((n ? n : 1) * sizeof(*urns));
	for (size_t i = 0; i < n; i++)
		urns[i] = rows[i].urn;
	if (n)
		qsort(urns, n, sizeof(*urns), urn_cmp);
	for (size_t i = 0; i < n; i++)
		if (urns[i] <= 0 || (i && urns[i] == urns[i - 1])) {
			free(urns);
			return ERR_INVALID;
		}
	free(urns);

	struct dir_index *ix = xcalloc(1, sizeof(*ix));
	atomic_init(&ix->refs, 1);
	ix->arena = arena_new();
	ix->n = n;
	for (int f = 0; f < DIR_FACET__MAX; f++)
		build_facet(ix, rows, n, (enum dir_facet)f);
	ix->e = arena_calloc(ix->arena, n ? n : 1, sizeof(*ix->e));
	for (size_t i = 0; i < n; i++) {
		const struct dir_school *r = &rows[i];
		struct dir_entry *e = &ix->e[i];
		char buf[160];
		e->urn = r->urn;
		e->name = arena_strdup(ix->arena, r->name ? r->name : "");
		e->town = dup_or_null(ix->arena, r->town);
		e->postcode = dup_or_null(ix->arena, r->postcode);
		if (r->postcode && *r->postcode) {
			char key[16];
			dir_postcode_key(r->postcode, key);
			e->postcode_key = *key ? arena_strdup(ix->arena, key) : NULL;
		}
		e->status_code = dup_or_null(ix->arena, r->status_code);
		e->status_name = dup_or_null(ix->arena, r->status_name);
		e->phase_group = arena_strdup(ix->arena, r->phase_group ? r->phase_group : "none");
		e->phase_name = dup_or_null(ix->arena, dir_plain(DIR_WORDING_PHASE, r->phase_name, buf, sizeof(buf)));
		e->type_name = dup_or_null(ix->arena, dir_plain(DIR_WORDING_TYPE, r->type_name, buf, sizeof(buf)));
		e->la_name = dup_or_null(ix->arena, r->label[DIR_FACET_LA]);
		e->trust_code = dup_or_null(ix->arena, r->trust_code);
		e->pupils = r->pupils;
		e->fsm_pct = r->fsm_pct;
		e->has_location = r->has_location;
		e->lat = r->has_location ? r->lat : 0;
		e->lon = r->has_location ? r->lon : 0;
		const char *st = r->status_code;
		e->status = st && (strcmp(st, "1") == 0 || strcmp(st, "3") == 0) ? DIR_ST_OPEN
			    : st && strcmp(st, "2") == 0			      ? DIR_ST_CLOSED
										      : DIR_ST_OTHER;
		enum gias_phase_group g = GIAS_PHASE_NONE;
		if (r->phase_group && gias_phase_group_parse(r->phase_group, &g))
			g = GIAS_PHASE_NONE;
		e->group = (unsigned char)g;
		/* Type 10 "Other independent special school" sits in the special schools group. */
		const char *tg = r->code[DIR_FACET_TYPE_GROUP];
		bool indep_special = r->type_code && atoi(r->type_code) == 10;
		e->school = gias_is_state_funded(tg) && !indep_special;
		for (int f = 0; f < DIR_FACET__MAX; f++)
			e->facet[f] = dir_id_of(ix, (enum dir_facet)f, r->code[f]);
	}
	if (n)
		qsort(ix->e, n, sizeof(*ix->e), entry_cmp);
	ix->olen = arena_calloc(ix->arena, n ? n : 1, 1);
	ix->by_pc = arena_alloc(ix->arena, (n ? n : 1) * sizeof(*ix->by_pc));
	struct pc_pos *pcs = xmalloc((n ? n : 1) * sizeof(*pcs));
	for (size_t i = 0; i < n; i++) {
		const char *k = ix->e[i].postcode_key;
		if (!k)
			continue;
		size_t l = strlen(k);
		ix->olen[i] = (unsigned char)(dir_is_postcode(k) ? l - 3 : dir_is_outcode(k) ? l : 0);
		pcs[ix->npc++] = (struct pc_pos){k, (uint32_t)i};
	}
	if (ix->npc)
		qsort(pcs, ix->npc, sizeof(*pcs), pc_cmp);
	for (size_t i = 0; i < ix->npc; i++)
		ix->by_pc[i] = pcs[i].pos;
	free(pcs);
	build_words(ix);
	build_orders(ix);
	*out = ix;
	return 0;
}

struct dir_index *dir_ref(struct dir_index *ix)
{
	if (ix)
		atomic_fetch_add(&ix->refs, 1);
	return ix;
}

void dir_unref(struct dir_index *ix)
{
	if (!ix || atomic_fetch_sub(&ix->refs, 1) != 1)
		return;
	arena_free(ix->arena);
	free(ix);
}

size_t dir_count(const struct dir_index *ix)
{
	return ix ? ix->n : 0;
}

const struct dir_choice *dir_facet_choices(const struct dir_index *ix, enum dir_facet f, size_t *count)
{
	*count = ix->nchoice[f];
	return ix->choice[f];
}

bool dir_facet_known(const struct dir_index *ix, enum dir_facet f, const char *code)
{
	return dir_id_of(ix, f, code) > 0;
}

int dir_facet_id(const struct dir_index *ix, enum dir_facet f, const char *code)
{
	return dir_id_of(ix, f, code);
}

/* ---- postcodes ---------------------------------------------------------- */

void dir_postcode_key(const char *in, char key[16])
{
	size_t n = 0;
	for (const char *p = in; p && *p && n < 15; p++)
		if (!isspace((unsigned char)*p))
			key[n++] = (char)toupper((unsigned char)*p);
	key[n] = '\0';
}

bool dir_is_outcode(const char *k)
{
	/* A9, A99, AA9, AA99, A9A, AA9A */
	size_t n = strlen(k), i = 0;
	if (n < 2 || n > 4 || !isupper((unsigned char)k[0]))
		return false;
	i = 1;
	if (isupper((unsigned char)k[1]))
		i = 2;
	if (i >= n || !isdigit((unsigned char)k[i]))
		return false;
	i++;
	if (i < n && (isdigit((unsigned char)k[i]) || isupper((unsigned char)k[i])))
		i++;
	return i == n;
}

bool dir_is_postcode(const char *k)
{
	size_t n = strlen(k);
	if (n < 5 || n > 7)
		return false;
	char out[8];
	memcpy(out, k, n - 3);
	out[n - 3] = '\0';
	return dir_is_outcode(out) && isdigit((unsigned char)k[n - 3]) && isupper((unsigned char)k[n - 2]) &&
	       isupper((unsigned char)k[n - 1]);
}

size_t dir_pc_lower(const struct dir_index *ix, const char *prefix)
{
	size_t lo = 0, hi = ix->npc;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(ix->e[ix->by_pc[mid]].postcode_key, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool dir_has_outcode(const struct dir_index *ix, const char *outcode)
{
	size_t ol = strlen(outcode);
	for (size_t i = dir_pc_lower(ix, outcode); i < ix->npc; i++) {
		uint32_t pos = ix->by_pc[i];
		const char *k = ix->e[pos].postcode_key;
		if (strncmp(k, outcode, ol) != 0)
			break;
		if (ix->olen[pos] == ol)
			return true;
	}
	return false;
}

/* Average the locations of the schools whose key starts with prefix and whose outcode is ol long. */
static int centre(const struct dir_index *ix, const char *prefix, size_t ol, bool exact, double *lat,
		  double *lon)
{
	int count = 0;
	double sl = 0, so = 0;
	size_t pl = strlen(prefix);
	for (size_t i = dir_pc_lower(ix, prefix); i < ix->npc; i++) {
		uint32_t pos = ix->by_pc[i];
		const struct dir_entry *e = &ix->e[pos];
		if (strncmp(e->postcode_key, prefix, pl) != 0)
			break;
		if (ix->olen[pos] != ol || (exact && e->postcode_key[pl]) || !e->has_location)
			continue;
		sl += e->lat;
		so += e->lon;
		count++;
	}
	if (count) {
		*lat = sl / count;
		*lon = so / count;
	}
	return count;
}

int dir_locate(const struct dir_index *ix, const char *key, struct dir_place *out)
{
	memset(out, 0, sizeof(*out));
	bool full = dir_is_postcode(key);
	if (!full && !dir_is_outcode(key))
		return ERR_INVALID;
	size_t len = strlen(key), ol = full ? len - 3 : len;
	snprintf(out->outcode, sizeof(out->outcode), "%.*s", (int)ol, key);
	if (full) {
		snprintf(out->sector, sizeof(out->sector), "%s %c", out->outcode, key[ol]);
		out->schools = centre(ix, key, ol, true, &out->lat, &out->lon);
		if (out->schools) {
			out->precision = DIR_AT_POSTCODE;
			return 0;
		}
		char prefix[16];
		snprintf(prefix, sizeof(prefix), "%s%c", out->outcode, key[ol]);
		out->schools = centre(ix, prefix, ol, false, &out->lat, &out->lon);
		if (out->schools) {
			out->precision = DIR_AT_SECTOR;
			return 0;
		}
	}
	out->schools = centre(ix, out->outcode, ol, false, &out->lat, &out->lon);
	out->precision = DIR_AT_OUTCODE;
	return out->schools ? 0 : ERR_NOTFOUND;
}
