// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias.h — streaming readers for the Department for Education's register of
 * establishments, "Get Information About Schools" (GIAS): the all-
 * establishments extract (edubasealldataYYYYMMDD.csv[.gz], one row per
 * school, open and closed) and its links file (links_edubasealldata…: which
 * URN replaced which). No database and no HTTP here: the import command
 * writes what these readers return.
 *
 * Input: Windows-1252 (or UTF-8 after a byte-order mark), CRLF or LF, quoted
 * CSV, plain or gzip. Columns are found by header name, never by position,
 * so the May 2025 layout (135 columns) and the January 2025 one (139 columns,
 * in another order) read to the same values.
 *
 * Reading: open, then call next until it returns GIAS_EOF (0) or a negative
 * error. Each call gives one school (GIAS_ROW) or one rejected row
 * (GIAS_REJECT: line, column, reason — the import goes on with the next
 * row). A negative result is fatal (truncated gzip, I/O error): the caller
 * should roll back. Everything a row points to belongs to the reader and
 * stays valid until the next call to next or close.
 *
 * Unknown values: strings are NULL (never ""), whole numbers are -1, real
 * numbers are NaN (test with isnan). GIAS placeholders count as unknown:
 * an empty cell; Easting/Northing "0"; the dates 01-01-1900; and in a
 * code/name pair, a code among 9, 99, 999, 9999, 999999999, Z, X999999 whose
 * name is empty or "Not applicable" (Gender 9/"", UrbanRural 99/"", GOR
 * Z/"Not Applicable", DistrictAdministrative 9999/""…) — then both code and
 * name are NULL. Real codes with a name are kept even when they look like
 * placeholders: EstablishmentTypeGroup 9 is "Other types", PhaseOfEducation
 * 0 is "Not applicable" and LA 000 is "Does not apply".
 *
 * Personal data: HeadTitle, HeadFirstName, HeadLastName (and every other
 * column not in struct gias_school) are dropped cell by cell as they are
 * parsed; they are never converted, stored or returned.
 *
 * Thread-safety: a reader (with its own libcsv parser, iconv descriptor and
 * PROJ context) must be used by one thread at a time; use one reader per
 * thread. The pure functions at the end are thread-safe.
 */
#ifndef TANDEM_APP_SCHOOLS_GIAS_H
#define TANDEM_APP_SCHOOLS_GIAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Size of a message buffer that fits any message the open functions write. */
#define GIAS_MSG_SIZE 512

/* What gias_next and gias_links_next return when they do not fail. */
enum gias_step {
	GIAS_EOF = 0,    /* no more rows */
	GIAS_ROW = 1,    /* *out holds the next row */
	GIAS_REJECT = 2, /* *rej describes a row that was skipped */
};

/* A row that could not be read. Strings belong to the reader (valid until the next call). */
struct gias_reject {
	long line;          /* physical line where the row starts, 1-based (the header is line 1) */
	const char *column; /* header name of the offending column, "" when the row as a whole is bad */
	const char *reason; /* one English sentence, e.g. "not a whole number: \"abc\"" */
};

/* A GIAS code with its label, e.g. {"02", "Voluntary aided school"}. Both NULL when unknown. */
struct gias_coded {
	const char *code; /* as written in the file ("02", "A1", "E08000025"), or NULL */
	const char *name; /* label, or NULL when empty */
};

/*
 * One establishment. Strings are UTF-8, trimmed, NULL when unknown; whole
 * numbers are -1 when unknown; real numbers NaN when unknown.
 */
struct gias_school {
	int64_t urn;                           /* URN, always > 0 */
	const char *name;                      /* EstablishmentName, never NULL */
	struct gias_coded la;                  /* LA (code), LA (name): "886", "Kent" */
	const char *establishment_number;      /* EstablishmentNumber ("2002"), the DfE number is la.code/this */
	struct gias_coded type;                /* TypeOfEstablishment (code/name) */
	struct gias_coded type_group;          /* EstablishmentTypeGroup (code/name) */
	struct gias_coded status;              /* EstablishmentStatus: 1 open, 2 closed, 3 open but proposed to close, 4 proposed to open */
	const char *open_date;                 /* OpenDate as "YYYY-MM-DD", NULL when empty or 01-01-1900 */
	const char *close_date;                /* CloseDate as "YYYY-MM-DD", NULL likewise */
	struct gias_coded phase;               /* PhaseOfEducation (code/name), 0 = "Not applicable" */
	int low_age;                           /* StatutoryLowAge, -1 unknown */
	int high_age;                          /* StatutoryHighAge, -1 unknown */
	struct gias_coded gender;              /* Gender (code/name) */
	struct gias_coded religious_character; /* ReligiousCharacter (code/name) */
	struct gias_coded sixth_form;          /* OfficialSixthForm (code/name) */
	struct gias_coded boarders;            /* Boarders (code/name) */
	struct gias_coded admissions_policy;   /* AdmissionsPolicy (code/name) */
	int capacity;                          /* SchoolCapacity, -1 unknown */
	int pupils;                            /* NumberOfPupils (census), -1 unknown */
	int fsm;                               /* FSM: pupils eligible for free school meals, -1 unknown */
	double percent_fsm;                    /* PercentageFSM 0..100, NaN unknown */
	int sen_stat;                          /* SENStat: pupils with an EHC plan, -1 unknown */
	int sen_no_stat;                       /* SENNoStat: pupils on SEN support, -1 unknown */
	struct gias_coded trust;               /* Trusts (code/name), NULL when not in a trust */
	struct gias_coded federation;          /* Federations (code/name); a code may list several: "17483~17484" */
	struct gias_coded region;              /* GOR (code/name): "A" "North East" … */
	struct gias_coded district;            /* DistrictAdministrative (code/name): "E08000025" "Birmingham" */
	struct gias_coded urban_rural;         /* UrbanRural (code/name): "A1" … */
	const char *street;                    /* Street */
	const char *locality;                  /* Locality */
	const char *address3;                  /* Address3 */
	const char *town;                      /* Town */
	const char *county;                    /* County (name) */
	const char *postcode;                  /* Postcode */
	const char *website;                   /* SchoolWebsite, as written (may lack http://) */
	const char *telephone;                 /* TelephoneNum, digits as written */
	double easting;                        /* Easting, British National Grid metres (EPSG:27700), NaN unknown */
	double northing;                       /* Northing, likewise */
	double latitude;                       /* WGS84 (EPSG:4326) degrees north, from easting/northing; NaN unknown */
	double longitude;                      /* WGS84 degrees east (negative west of Greenwich); NaN unknown */
	const char *ofsted_rating;             /* OfstedRating (name), only in older extracts; NULL otherwise */
	const char *ofsted_date;               /* OfstedLastInsp as "YYYY-MM-DD", only in older extracts */
};

struct gias_reader;

/*
 * Open a GIAS extract (.csv or .csv.gz) and read its header. On success
 * *out is the reader (close with gias_close). On failure *out is NULL, msg
 * holds one English sentence (msg_size bytes, GIAS_MSG_SIZE is enough) and
 * the result is ERR_IO (cannot open or read), ERR_PARSE (corrupt gzip),
 * ERR_INVALID (empty file, not a CSV header, no URN or EstablishmentName
 * column) or ERR_INTERNAL (PROJ cannot build the grid transformation, e.g.
 * proj-data is missing). Messages call the file name (the name it was
 * uploaded under: never a server's temporary path), or path when name is
 * NULL. Never uses the network.
 */
int gias_open(const char *path, const char *name, struct gias_reader **out, char *msg, size_t msg_size) WUR;
/*
 * The next school. Returns GIAS_ROW (fills *out), GIAS_REJECT (fills *rej),
 * GIAS_EOF, or a negative error (ERR_IO, ERR_PARSE) described by
 * gias_errmsg. What *out and *rej point to is owned by the reader and valid
 * until the next call to gias_next or gias_close.
 */
int gias_next(struct gias_reader *r, struct gias_school *out, struct gias_reject *rej) WUR;
/* The message of the last fatal error, "" when none. Owned by the reader. */
const char *gias_errmsg(const struct gias_reader *r);
/* Bytes of the file consumed so far and its size (compressed sizes for .gz). */
void gias_progress(const struct gias_reader *r, uint64_t *done, uint64_t *total);
/*
 * Header names the reader does not use, in file order (for "ignored 73
 * columns: …"). *names points to an array owned by the reader; returns its length.
 */
size_t gias_ignored_columns(const struct gias_reader *r, const char *const **names);
/*
 * Columns the reader knows but this file lacks (e.g. "OfstedRating (name)"
 * in extracts after January 2025): those fields are unknown in every row.
 * Same ownership as gias_ignored_columns.
 */
size_t gias_missing_columns(const struct gias_reader *r, const char *const **names);
/* Close the file and free the reader. NULL is a no-op. */
void gias_close(struct gias_reader *r);

/* One row of the links file: one URN's link to another. */
struct gias_link {
	int64_t urn;           /* URN, > 0 */
	int64_t link_urn;      /* LinkURN, > 0 */
	const char *link_name; /* LinkName (the linked establishment's name), NULL when empty */
	const char *link_type; /* LinkType: "Successor", "Predecessor", "Predecessor - merged"…, NULL when empty */
	const char *date;      /* LinkEstablishedDate as "YYYY-MM-DD", NULL when empty or 01-01-1900 */
};

struct gias_links_reader;

/*
 * Open a links file (links_edubasealldataYYYYMMDD.csv[.gz]). Same rules and
 * errors as gias_open; the header must have URN and LinkURN.
 */
int gias_links_open(const char *path, const char *name, struct gias_links_reader **out, char *msg,
		    size_t msg_size) WUR;
/* The next link: GIAS_ROW, GIAS_REJECT, GIAS_EOF or a negative error, as gias_next. */
int gias_links_next(struct gias_links_reader *r, struct gias_link *out, struct gias_reject *rej) WUR;
/* The message of the last fatal error, "" when none. */
const char *gias_links_errmsg(const struct gias_links_reader *r);
/* Progress, as gias_progress. */
void gias_links_progress(const struct gias_links_reader *r, uint64_t *done, uint64_t *total);
/* Header names the links reader does not use, as gias_ignored_columns. */
size_t gias_links_ignored_columns(const struct gias_links_reader *r, const char *const **names);
/* Close and free. NULL is a no-op. */
void gias_links_close(struct gias_links_reader *r);

/*
 * Phase groups for the similar-schools finder, decided from GIAS codes:
 *
 *   GIAS_PHASE_SPECIAL      TypeOfEstablishment 07 Community special school,
 *                           08 Non-maintained special school, 10 Other
 *                           independent special school, 12 Foundation special
 *                           school, 32 Special post 16 institution, 33 Academy
 *                           special sponsor led, 36 Free schools special,
 *                           44 Academy special converter
 *   GIAS_PHASE_PRU_AP       TypeOfEstablishment 14 Pupil referral unit,
 *                           38 Free schools alternative provision, 42 Academy
 *                           alternative provision converter, 43 Academy
 *                           alternative provision sponsor led
 *   otherwise by PhaseOfEducation:
 *   GIAS_PHASE_NURSERY      1 Nursery
 *   GIAS_PHASE_PRIMARY      2 Primary, 3 Middle deemed primary
 *   GIAS_PHASE_SECONDARY    4 Secondary, 5 Middle deemed secondary
 *   GIAS_PHASE_SIXTEEN_PLUS 6 16 plus
 *   GIAS_PHASE_ALL_THROUGH  7 All-through
 *   GIAS_PHASE_NONE         0 Not applicable, unknown or any other code
 *                           (independent schools, colleges, Welsh and
 *                           overseas establishments are mostly phase 0)
 *
 * Codes compare as numbers: "07" and "7" are the same code.
 */
enum gias_phase_group {
	GIAS_PHASE_NONE,
	GIAS_PHASE_NURSERY,
	GIAS_PHASE_PRIMARY,
	GIAS_PHASE_SECONDARY,
	GIAS_PHASE_ALL_THROUGH,
	GIAS_PHASE_SIXTEEN_PLUS,
	GIAS_PHASE_SPECIAL,
	GIAS_PHASE_PRU_AP,
	GIAS_PHASE__MAX
};

/* The phase group of a TypeOfEstablishment and a PhaseOfEducation code (either may be NULL). */
enum gias_phase_group gias_phase_group(const char *type_code, const char *phase_code);
/* The group's stable lower-case name: "none", "nursery", "primary", "secondary",
 * "all_through", "sixteen_plus", "special", "pru_ap"; "none" for out-of-range values. */
const char *gias_phase_group_name(enum gias_phase_group g);
/* The group with that name; 0 or ERR_INVALID. */
int gias_phase_group_parse(const char *name, enum gias_phase_group *out) WUR;

/*
 * True for the state-funded type groups (EstablishmentTypeGroup): 4 Local
 * authority maintained schools, 5 Special schools, 10 Academies, 11 Free
 * Schools. Note that group 5 also holds TypeOfEstablishment 08
 * (non-maintained special schools, run by charities) and 10 (other
 * independent special schools): check the type when that matters.
 */
bool gias_is_state_funded(const char *type_group_code);
/* True for EstablishmentTypeGroup 3, Independent schools. */
bool gias_is_independent(const char *type_group_code);
/* True for the five groups a network of schools in England may hold (state-funded or independent). */
bool gias_is_in_scope(const char *type_group_code);

/*
 * The snapshot date in a file name such as
 * ".../edubasealldata20250502.csv.gz" or "links_edubasealldata20250502.csv":
 * the first run of exactly eight digits in the base name that is a real
 * date YYYYMMDD, written to iso as "2025-05-02". 0 or ERR_INVALID (iso is
 * then "").
 */
int gias_snapshot_date(const char *path, char iso[11]) WUR;

#endif
