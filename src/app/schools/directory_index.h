// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * directory_index.h — what the two halves of the in-memory directory share:
 * directory.c builds the index (words, postcodes, filter lists, orders) and
 * directory_query.c answers queries and suggests spellings over it. Not for
 * use outside those two files: everyone else goes through directory.h.
 */
#ifndef TANDEM_APP_SCHOOLS_DIRECTORY_INDEX_H
#define TANDEM_APP_SCHOOLS_DIRECTORY_INDEX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/schools/directory.h"

#define WORD_MAX 64     /* bytes of a folded word; longer words are cut */
#define QUERY_WORDS 16  /* words of a query that count; the rest are ignored */

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

/* The index (see the top of directory.c for its layout). */
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
	uint32_t *open_pos;              /* nopen positions of open establishments, in name order */
	size_t nopen;                    /* open establishments */
	uint32_t *closed_pos;            /* nclosed positions of closed establishments, in name order */
	size_t nclosed;                  /* closed establishments */
	struct dir_choice *choice[DIR_FACET__MAX]; /* each list, by label */
	size_t nchoice[DIR_FACET__MAX];            /* its length */
	struct code_id *codes[DIR_FACET__MAX];     /* code → id, sorted by code */
	size_t ncodes[DIR_FACET__MAX];             /* its length */
};


/* A position with the value an order sorts it by. */
struct keyed {
	double key;   /* ascending; unknown values are +inf */
	double km;    /* distance of a match (queries), unused in build orders */
	uint32_t pos; /* ties: name order */
};

/* Order two struct keyed: key, then position. */
int dir_keyed_cmp(const void *pa, const void *pb);
/* The next word of [*p, end): its start and length; false at the end. */
bool dir_next_word(const char **p, const char *end, const char **start, size_t *len);
/* ASCII case-insensitive comparison, as SQL's COLLATE NOCASE. */
int dir_nocase_cmp(const char *a, const char *b);
/* The label id of a facet code (0: not in the list). */
int dir_id_of(const struct dir_index *ix, enum dir_facet f, const char *code);
/* First position in by_pc whose postcode key is >= prefix. */
size_t dir_pc_lower(const struct dir_index *ix, const char *prefix);

#endif
