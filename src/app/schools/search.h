// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * search.h — the schools directory query as pages ask it (see search.c),
 * answered from the in-memory directory index (directory.h).
 */
#ifndef TANDEM_APP_SCHOOLS_SEARCH_H
#define TANDEM_APP_SCHOOLS_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct arena;
struct db;
struct dir_index;

/* A directory query. NULL strings, -1 integers and NaN numbers mean "any". */
struct search_query {
	const char *fts;          /* name and town words, from search_fts_query */
	const char *status;       /* "open" (default), "closed" or "all" */
	const char *phase;        /* phase group name */
	const char *type_group;   /* EstablishmentTypeGroup code */
	const char *la;           /* LA code */
	const char *region;       /* GOR code */
	const char *religious;    /* ReligiousCharacter code */
	const char *gender;       /* Gender code */
	const char *trust;        /* Trusts code */
	int64_t pupils_min, pupils_max; /* inclusive pupil range */
	double fsm_min, fsm_max;  /* inclusive % FSM range */
	const char *urban_rural;  /* UrbanRural code */
	const char *postcode_key; /* full postcode or outcode, upper case without spaces */
	const char *town;         /* town, any case */
	bool near;                /* lat/lon/within_km are set */
	double lat, lon, within_km; /* the point and the radius */
	bool schools_only;        /* state-funded schools only: no independent schools, colleges, universities */
	const char *sort;         /* "name" (default), "distance", "pupils", "fsm" */
	int64_t page, per_page;   /* from 1; rows per page */
};

/* Where a postcode was placed, and how (for the page to say). */
struct search_place {
	double lat, lon;       /* the point */
	const char *precision; /* "postcode", "sector" or "outcode" */
	const char *how;       /* a sentence: "at the centre of the 4 schools in sector LS6 2" (arena) */
};

/*
 * Check that what a person typed has a word to look for: *out is the text
 * (arena copy), or NULL with ERR_INVALID when it has no letter or digit.
 */
int search_fts_query(struct arena *a, const char *text, const char **out) WUR;
/* Upper-case a postcode and drop spaces ("ls6 2ab" → "LS62AB"); key holds 16 bytes. */
void search_postcode_key(const char *in, char key[16]);
/* True for the shape of a UK postcode ("LS62AB") or outcode ("LS6"). */
bool search_postcode_valid(const char *key);
/* Locate a postcode or outcode from the register. ERR_INVALID (not a postcode) or ERR_NOTFOUND. */
int search_locate(const struct dir_index *ix, struct arena *a, const char *postcode,
		  struct search_place *out) WUR;
/* Run a query on ix: one page of rows (new reference) and the total count. */
int search_in(const struct dir_index *ix, struct arena *a, const struct search_query *q, json_t **results,
	      int64_t *total) WUR;
/* Run a query on the current directory of db (search_in on schools_directory). */
int search_run(struct db *db, const struct search_query *q, json_t **results, int64_t *total) WUR;
/* For a query that found nothing: other spellings that find something (see dir_suggest). */
size_t search_suggest(const struct dir_index *ix, struct arena *a, const struct search_query *q,
		      const char **out, size_t max);

#endif
