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
 * the other orders sort the matches.
 */
#include "app/schools/directory.h"

#include <ctype.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/gias.h"
#include "core/arena.h"
#include "core/geo.h"
#include "core/util.h"

#define WORD_MAX 64     /* bytes of a folded word; longer words are cut */
#define QUERY_WORDS 16  /* words of a query that count; the rest are ignored */
#define SUGGEST_NEAR 3  /* nearest spellings kept for each unknown word */

/* One distinct indexed word. */
struct token {
	const char *word;    /* folded */
	size_t len;          /* strlen(word) */
	const char *display; /* as first written in a name or town ("Lawnswood") */
	uint32_t first;      /* its postings: post[first .. first + count) */
	uint32_t count;      /* schools holding it */
};

/* A facet code and the label id it has. */
struct code_id {
	const char *code; /* register code */
	int id;           /* label id (> 0) */
};

struct dir_index {
	atomic_int refs;                 /* references; the last unref frees */
	struct arena *arena;             /* owns everything below */
	size_t n;                        /* entries */
	struct dir_entry *e;             /* n entries in name order */
	unsigned char *olen;             /* length of each entry's outcode in its postcode key (0: none) */
	struct token *tok;               /* ntok words, sorted */
	size_t ntok;                     /* distinct words */
	uint32_t *post;                  /* postings (entry positions) */
	uint32_t *ent_first;             /* per entry: its words in ent_tok (n + 1 offsets) */
	uint32_t *ent_tok;               /* each entry's words as token indices */
	uint32_t *by_pc;                 /* npc positions sorted by postcode key */
	size_t npc;                      /* entries with a postcode */
	uint32_t *by_lat;                /* nlat positions with a location, sorted by latitude */
	size_t nlat;                     /* entries with a location */
	uint32_t *by_pupils;             /* every position, most pupils first, unknown last */
	uint32_t *by_fsm;                /* every position, highest % FSM first, unknown last */
	uint32_t *la_first;              /* per LA label id: its run in la_pos (nchoice[LA] + 2 offsets) */
	uint32_t *la_pos;                /* positions grouped by LA label id, ascending within each */
	struct dir_choice *choice[DIR_FACET__MAX]; /* each list, by label */
	size_t nchoice[DIR_FACET__MAX];            /* its length */
	struct code_id *codes[DIR_FACET__MAX];     /* code → id, sorted by code */
	size_t ncodes[DIR_FACET__MAX];             /* its length */
};

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

/* The next word of [*p, end): its start and length; false at the end. */
static bool next_word(const char **p, const char *end, const char **start, size_t *len)
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
	while (next_word(&p, end, &w, &len)) {
		dir_fold(w, len, f, sizeof(f));
		if (f[0])
			return true;
	}
	return false;
}

/* ---- building ----------------------------------------------------------- */

/* ASCII case-insensitive comparison, as SQL's COLLATE NOCASE. */
static int nocase_cmp(const char *a, const char *b)
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
	int c = nocase_cmp(a->name, b->name);
	return c ? c : (a->urn > b->urn) - (a->urn < b->urn);
}

static char *dup_or_null(struct arena *a, const char *s)
{
	return s && *s ? arena_strdup(a, s) : NULL;
}

/* A (word, position) pair while building. */
struct pair {
	const char *word;    /* folded (arena) */
	const char *display; /* as written (arena) */
	uint32_t pos;        /* entry position */
};

static int pair_cmp(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;
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
	while (next_word(&p, end, &w, &len)) {
		if (!fold_indexed(w, len, f))
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			*pairs = xrealloc(*pairs, *cap * sizeof(**pairs));
		}
		(*pairs)[(*n)++] = (struct pair){arena_strdup(a, f), arena_strndup(a, w, len), pos};
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
	int c = nocase_cmp(a->label, b->label);
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

static int id_of(const struct dir_index *ix, enum dir_facet f, const char *code)
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
	/* Distinct codes first (sorted by code), each with the label of its first row. */
	struct code_id *seen = xmalloc((n ? n : 1) * sizeof(*seen));
	size_t ns = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].code[f] && *rows[i].code[f] && rows[i].label[f] && *rows[i].label[f])
			seen[ns++] = (struct code_id){rows[i].code[f], (int)i};
	if (ns)
		qsort(seen, ns, sizeof(*seen), code_id_cmp);
	for (size_t i = 0; i < ns; i++) {
		if (i && strcmp(seen[i].code, seen[i - 1].code) == 0)
			continue;
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

/* A position with the value an order sorts it by. */
struct keyed {
	double key;   /* ascending; unknown values are +inf */
	double km;    /* distance of a match (queries), unused in build orders */
	uint32_t pos; /* ties: name order */
};

static int keyed_cmp(const void *pa, const void *pb)
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
		qsort(k, m, sizeof(*k), keyed_cmp);
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
			e->facet[f] = id_of(ix, (enum dir_facet)f, r->code[f]);
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
	return id_of(ix, f, code) > 0;
}

int dir_facet_id(const struct dir_index *ix, enum dir_facet f, const char *code)
{
	return id_of(ix, f, code);
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

/* First position in by_pc whose key is >= prefix. */
static size_t pc_lower(const struct dir_index *ix, const char *prefix)
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
	for (size_t i = pc_lower(ix, outcode); i < ix->npc; i++) {
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
	for (size_t i = pc_lower(ix, prefix); i < ix->npc; i++) {
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
	while (n < QUERY_WORDS && next_word(&p, end, &w, &len)) {
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
	if (q->town && (!e->town || nocase_cmp(e->town, q->town) != 0))
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
		size_t lo = pc_lower(ix, q->postcode), end = lo;
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
			int id = id_of(ix, (enum dir_facet)f, q->facet[f]);
			p.facet[f] = id ? id : -1;
		}
	int64_t limit = q->limit < 0 ? 0 : q->limit;
	struct page pg = {out, q->offset < 0 ? 0 : q->offset, limit};
	enum dir_sort sort = q->sort == DIR_SORT_DISTANCE && !q->near ? DIR_SORT_NAME : q->sort;
	out->hits = arena_alloc(a, (size_t)(limit ? limit : 1) * sizeof(*out->hits));
	for (int f = 0; f < DIR_FACET__MAX; f++)
		if (p.facet[f] < 0)
			return 0; /* a code no establishment has */
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
			if (!words_match(ix, pos, t, nt, skip) || !passes(ix, pos, &p, &km))
				continue;
			m[nm++] = (struct keyed){key_of(&ix->e[pos], sort, km, pos), km, (uint32_t)pos};
		}
		if (nm)
			qsort(m, nm, sizeof(*m), keyed_cmp);
		for (size_t i = 0; i < nm; i++)
			page_add(&pg, ix, m[i].pos, m[i].km);
		return 0;
	}
	if (list) {
		/* The LA's schools, in name order. */
		for (size_t i = 0; i < nl; i++)
			if (words_match(ix, list[i], t, nt, skip) && passes(ix, list[i], &p, &km))
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
