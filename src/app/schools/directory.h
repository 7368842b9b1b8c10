// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * directory.h — the schools directory in memory: every establishment of the
 * register with what the directory shows and filters on, a word index over
 * names and towns, the postcodes, and the filter lists. Pure computation: no
 * database, no HTTP. The caller loads the rows from the store, builds an
 * immutable index once (and again after an import, swapping the pointer),
 * and queries it from any number of threads.
 *
 * Words. Names and towns are cut into words of letters and digits; a word
 * is folded to lower case without accents ("Möunt" → "mount"), apostrophes
 * inside it are dropped ("Robert's" → "roberts"), and "saint" is stored as
 * "st". A query word matches every indexed word it begins ("quar" finds
 * "quarry"), except "st" and "saint", which match the word "st" itself
 * ("saint" also keeps its prefixes: "Saints"). Every query word must match
 * a word of the school's name or town.
 *
 * Order. By name (ASCII case ignored) then URN; by distance from a point;
 * by pupils or % FSM, highest first, schools without the figure last.
 */
#ifndef TANDEM_APP_SCHOOLS_DIRECTORY_H
#define TANDEM_APP_SCHOOLS_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct arena;

/* The filter lists of the directory, each a register code with its name. */
enum dir_facet {
	DIR_FACET_LA,          /* local authority */
	DIR_FACET_REGION,      /* GOR region */
	DIR_FACET_TYPE_GROUP,  /* establishment type group (academy, maintained, …) */
	DIR_FACET_RELIGIOUS,   /* religious character */
	DIR_FACET_GENDER,      /* gender of entry */
	DIR_FACET_URBAN_RURAL, /* urban/rural classification */
	DIR_FACET__MAX
};

/* One establishment as the caller gives it to dir_build (strings copied; NULL: unknown). */
struct dir_school {
	int urn;                     /* > 0, unique */
	const char *name;            /* never NULL */
	const char *town;            /* Town */
	const char *postcode;        /* as the register writes it: "LS6 2JP" */
	const char *status_code;     /* 1 open, 2 closed, 3 open but proposed to close, 4 proposed to open */
	const char *status_name;     /* "Open", … */
	const char *phase_group;     /* "primary", … or "none" (see gias_phase_group_name) */
	const char *phase_name;      /* PhaseOfEducation name as the register writes it */
	const char *type_code;       /* TypeOfEstablishment code */
	const char *type_name;       /* its name as the register writes it */
	const char *trust_code;      /* Trusts code */
	const char *code[DIR_FACET__MAX]; /* the facet codes */
	const char *label[DIR_FACET__MAX]; /* their register names (plain wording is applied) */
	int pupils;                  /* < 0 unknown */
	double fsm_pct;              /* NaN unknown */
	bool has_location;           /* lat/lon known */
	double lat, lon;             /* WGS84 degrees */
};

/* One establishment in the index (read-only; strings owned by the index). */
struct dir_entry {
	/* What filters read first, together in the first 64 bytes. */
	int urn;                 /* URN */
	unsigned char status;    /* DIR_ST_* */
	unsigned char group;     /* enum gias_phase_group */
	bool school;             /* a state-funded school (not independent, a college or a university) */
	bool has_location;       /* lat/lon known */
	int facet[DIR_FACET__MAX]; /* facet label ids; 0 unknown */
	int pupils;              /* < 0 unknown */
	double fsm_pct;          /* NaN unknown */
	double lat, lon;         /* WGS84 degrees */
	/* What a page shows. */
	const char *name;        /* name as in the register */
	const char *town;        /* town, or NULL */
	const char *postcode;    /* postcode as written, or NULL */
	const char *postcode_key;/* upper case without spaces ("LS62JP"), or NULL */
	const char *status_code; /* status code, or NULL */
	const char *status_name; /* status name, or NULL */
	const char *phase_group; /* phase group name ("none" when not a school phase) */
	const char *phase_name;  /* phase in plain English, or NULL when it does not apply */
	const char *type_name;   /* type of establishment in plain English, or NULL */
	const char *la_name;     /* local authority name, or NULL */
	const char *trust_code;  /* trust code, or NULL */
};

/* Status classes of dir_entry.status. */
enum { DIR_ST_OTHER = 0, DIR_ST_OPEN = 1, DIR_ST_CLOSED = 2 };

/* One choice of a filter list. */
struct dir_choice {
	const char *code;  /* the value a query gives (the first code with this label) */
	const char *label; /* plain English */
	int id;            /* the label id entries carry (> 0) */
};

/* Which schools a query asks for. NULL strings, -1 integers and NaN numbers mean "any". */
enum dir_status { DIR_OPEN, DIR_CLOSED, DIR_ALL };
enum dir_sort { DIR_SORT_NAME, DIR_SORT_DISTANCE, DIR_SORT_PUPILS, DIR_SORT_FSM };

/* A directory query. */
struct dir_query {
	const char *text;                  /* name and town words as typed; NULL: any */
	enum dir_status status;            /* open (the default), closed or all */
	int group;                         /* enum gias_phase_group; -1 any */
	const char *facet[DIR_FACET__MAX]; /* a code of each list; NULL any */
	const char *trust;                 /* trust code */
	int64_t pupils_min, pupils_max;    /* inclusive */
	double fsm_min, fsm_max;           /* inclusive */
	const char *postcode;              /* key: a full postcode ("LS62JP") or an outcode ("LS6") */
	const char *town;                  /* equal to the town, ASCII case ignored */
	bool near;                         /* only within within_km of lat/lon */
	double lat, lon, within_km;        /* the point and the radius */
	bool schools_only;                 /* only state-funded schools (dir_entry.school) */
	enum dir_sort sort;                /* order (DISTANCE needs near) */
	int64_t offset, limit;             /* the page: rows to skip, rows to return */
};

/* One row of a page of results. */
struct dir_hit {
	const struct dir_entry *e; /* the establishment */
	double km;                 /* distance from the query's point; NaN without near */
};

/* A page of results. */
struct dir_result {
	int64_t total;        /* every establishment that matches */
	size_t n;             /* rows on this page */
	struct dir_hit *hits; /* n rows (in the arena given to dir_query) */
};

/* Where a postcode is, from the register's own postcodes. */
enum dir_precision { DIR_AT_POSTCODE, DIR_AT_SECTOR, DIR_AT_OUTCODE };

/* What dir_locate found. */
struct dir_place {
	double lat, lon;              /* the centre of the schools used */
	int schools;                  /* how many schools were averaged */
	enum dir_precision precision; /* at a school's postcode, a sector's or a district's centre */
	char outcode[8];              /* "LS6" */
	char sector[10];              /* "LS6 2" (full postcodes only) */
};

struct dir_index;

/*
 * Build an index over n establishments (copied). *out holds one reference.
 * ERR_INVALID for a duplicate or non-positive URN; aborts when memory runs
 * out (start-up or import time).
 */
int dir_build(const struct dir_school *rows, size_t n, struct dir_index **out) WUR;
/* Take another reference (atomic); returns ix. */
struct dir_index *dir_ref(struct dir_index *ix);
/* Drop a reference; the last one frees. NULL is a no-op. */
void dir_unref(struct dir_index *ix);
/* Establishments in the index. */
size_t dir_count(const struct dir_index *ix);

/*
 * Run a query. Returns 0 with a page of results (hits in the arena), or
 * ERR_INVALID when q->text has no letter or digit at all.
 */
int dir_query(const struct dir_index *ix, const struct dir_query *q, struct arena *a,
	      struct dir_result *out) WUR;

/*
 * For a query whose words found nothing: up to max other spellings of
 * q->text, each changing the words no name or town begins with into the
 * nearest indexed words ("lawnswod" → "Lawnswood"), and each finding at
 * least one school with q's filters. Returns how many were written to out
 * (strings in the arena).
 */
size_t dir_suggest(const struct dir_index *ix, const struct dir_query *q, struct arena *a,
		   const char **out, size_t max);

/* The choices of a filter list, sorted by label (borrowed; *count set). */
const struct dir_choice *dir_facet_choices(const struct dir_index *ix, enum dir_facet f, size_t *count);
/* The label id of a code of the list (struct dir_choice.id), 0 when it is not in the list. */
int dir_facet_id(const struct dir_index *ix, enum dir_facet f, const char *code);
/* True when code is a code of the list. */
bool dir_facet_known(const struct dir_index *ix, enum dir_facet f, const char *code);

/* "ls6 2ab" → "LS62AB": upper case, spaces dropped; key holds 16 bytes (longer input is cut). */
void dir_postcode_key(const char *in, char key[16]);
/* The shape of a UK postcode district ("LS6", "SW1A", "HG1"): an outcode. */
bool dir_is_outcode(const char *key);
/* The shape of a full UK postcode ("LS62AB"). */
bool dir_is_postcode(const char *key);
/* True when some establishment's postcode is in that district (key of an outcode). */
bool dir_has_outcode(const struct dir_index *ix, const char *outcode);
/*
 * Place a postcode or outcode (a key) from the register: at the schools that
 * have that postcode, else the centre of its sector's schools, else its
 * district's. ERR_INVALID when key has neither shape; ERR_NOTFOUND when no
 * school is in its district.
 */
int dir_locate(const struct dir_index *ix, const char *key, struct dir_place *out) WUR;

/* True when text has a word to look for (a letter or digit). */
bool dir_has_words(const char *text);
/* Fold one word as the index does (lower case, accents and apostrophes dropped) into out. */
void dir_fold(const char *word, size_t len, char *out, size_t outsz);

/* ---- plain English for the register's wording (wording.c) ---- */

/* Which register list a name comes from. */
enum dir_wording {
	DIR_WORDING_PHASE,       /* PhaseOfEducation: "Middle deemed primary" → "Middle school (counted as primary)" */
	DIR_WORDING_TYPE,        /* TypeOfEstablishment: "Other independent school" → "Independent school" */
	DIR_WORDING_TYPE_GROUP,  /* EstablishmentTypeGroup: "Academies" → "Academy" */
	DIR_WORDING_URBAN_RURAL, /* "(England/Wales) Urban major conurbation" → "Urban: major city" */
	DIR_WORDING_REGION,      /* "Wales (pseudo)" → "Wales" */
	DIR_WORDING_RELIGIOUS,   /* "Does not apply" → "None" */
	DIR_WORDING_GENDER,      /* "Mixed" → "Mixed (boys and girls)" */
	DIR_WORDING__MAX
};
/*
 * The register's name in plain English: a static string, name itself when
 * it reads well already, or NULL when it says nothing to a reader ("Not
 * applicable" phase) or name is NULL. urban/rural names without a known
 * wording lose their "(England/Wales) " prefix (written to buf).
 */
const char *dir_plain(enum dir_wording w, const char *name, char *buf, size_t bufsz);

#endif
