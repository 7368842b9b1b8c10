// SPDX-License-Identifier: AGPL-3.0-or-later
/* search.h — the schools directory query (see search.c). */
#ifndef TANDEM_APP_SCHOOLS_SEARCH_H
#define TANDEM_APP_SCHOOLS_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct arena;
struct db;

/* A directory query. NULL strings, -1 integers and NaN numbers mean "any". */
struct search_query {
	const char *fts;          /* full-text query from search_fts_query */
	const char *status;       /* "open" (default), "closed" or "all" */
	const char *phase;        /* phase group name */
	const char *type_group;   /* EstablishmentTypeGroup code */
	const char *la;           /* LA code */
	const char *region;       /* GOR code */
	const char *religious;    /* ReligiousCharacter code */
	const char *gender;       /* Gender code */
	const char *trust;        /* Trusts code */
	int64_t pupils_min, pupils_max;
	double fsm_min, fsm_max;
	const char *urban_rural;  /* UrbanRural code */
	const char *postcode_key; /* full postcode or outcode, upper case without spaces */
	const char *town;         /* town, any case */
	bool near;                /* lat/lon/within_km are set */
	double lat, lon, within_km;
	const char *sort;         /* "name" (default), "distance", "pupils", "fsm" */
	int64_t page, per_page;   /* from 1; rows per page */
};

/* Where a postcode was placed, and how (for the page to say). */
struct search_place {
	double lat, lon;
	const char *precision; /* "postcode", "sector" or "outcode" */
	const char *how;       /* a sentence: "at the centre of the 4 schools in sector LS6 2" (arena) */
};

/*
 * Turn what a person typed into an FTS5 query of quoted prefix terms.
 * ERR_INVALID (and *out NULL) when it has no letter or digit at all.
 */
int search_fts_query(struct arena *a, const char *text, const char **out) WUR;
/* Upper-case a postcode and drop spaces ("ls6 2ab" → "LS62AB"); key holds 16 bytes. */
void search_postcode_key(const char *in, char key[16]);
/* True for something shaped like a postcode or an outcode (letters and digits, 2–7). */
bool search_postcode_valid(const char *key);
/* Locate a postcode or outcode from the register. ERR_INVALID (not a postcode) or ERR_NOTFOUND. */
int search_locate(struct db *db, struct arena *a, const char *postcode, struct search_place *out) WUR;
/* Run a query: one page of rows (new reference) and the total count. */
int search_run(struct db *db, const struct search_query *q, json_t **results, int64_t *total) WUR;

#endif
