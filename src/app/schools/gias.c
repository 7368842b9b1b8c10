// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias.c — the GIAS register reader: turns each record of an all-
 * establishments extract into a struct gias_school, with placeholders made
 * unknown, numbers and dates checked (a bad one rejects the row, never the
 * import) and British National Grid coordinates converted to WGS84 with
 * PROJ. The CSV, gzip and encoding work is in gias_csv.c; the links file
 * reader in gias_links.c; code tables in gias_codes.c.
 */
#include "app/schools/gias.h"

#include <math.h>
#include <proj.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/gias_csv.h"
#include "core/str.h"
#include "core/util.h"

/* The columns we read, by slot. The first two are required. */
enum gias_col {
	COL_URN,
	COL_NAME,
	COL_LA_CODE,
	COL_LA_NAME,
	COL_ESTAB_NUMBER,
	COL_TYPE_CODE,
	COL_TYPE_NAME,
	COL_GROUP_CODE,
	COL_GROUP_NAME,
	COL_STATUS_CODE,
	COL_STATUS_NAME,
	COL_OPEN_DATE,
	COL_CLOSE_DATE,
	COL_PHASE_CODE,
	COL_PHASE_NAME,
	COL_LOW_AGE,
	COL_HIGH_AGE,
	COL_BOARDERS_CODE,
	COL_BOARDERS_NAME,
	COL_SIXTH_CODE,
	COL_SIXTH_NAME,
	COL_GENDER_CODE,
	COL_GENDER_NAME,
	COL_RELIGION_CODE,
	COL_RELIGION_NAME,
	COL_ADMISSIONS_CODE,
	COL_ADMISSIONS_NAME,
	COL_CAPACITY,
	COL_PUPILS,
	COL_PCT_FSM,
	COL_FSM,
	COL_TRUST_CODE,
	COL_TRUST_NAME,
	COL_FED_CODE,
	COL_FED_NAME,
	COL_STREET,
	COL_LOCALITY,
	COL_ADDRESS3,
	COL_TOWN,
	COL_COUNTY,
	COL_POSTCODE,
	COL_WEBSITE,
	COL_TELEPHONE,
	COL_GOR_CODE,
	COL_GOR_NAME,
	COL_DISTRICT_CODE,
	COL_DISTRICT_NAME,
	COL_URBAN_CODE,
	COL_URBAN_NAME,
	COL_EASTING,
	COL_NORTHING,
	COL_SEN_STAT,
	COL_SEN_NO_STAT,
	COL_OFSTED_RATING,
	COL_OFSTED_DATE,
	COL__MAX
};

#define GIAS_REQUIRED 2 /* COL_URN and COL_NAME */

/* Header names of the columns, by slot. Nothing else is ever read. */
static const char *const gias_columns[COL__MAX] = {
	[COL_URN] = "URN",
	[COL_NAME] = "EstablishmentName",
	[COL_LA_CODE] = "LA (code)",
	[COL_LA_NAME] = "LA (name)",
	[COL_ESTAB_NUMBER] = "EstablishmentNumber",
	[COL_TYPE_CODE] = "TypeOfEstablishment (code)",
	[COL_TYPE_NAME] = "TypeOfEstablishment (name)",
	[COL_GROUP_CODE] = "EstablishmentTypeGroup (code)",
	[COL_GROUP_NAME] = "EstablishmentTypeGroup (name)",
	[COL_STATUS_CODE] = "EstablishmentStatus (code)",
	[COL_STATUS_NAME] = "EstablishmentStatus (name)",
	[COL_OPEN_DATE] = "OpenDate",
	[COL_CLOSE_DATE] = "CloseDate",
	[COL_PHASE_CODE] = "PhaseOfEducation (code)",
	[COL_PHASE_NAME] = "PhaseOfEducation (name)",
	[COL_LOW_AGE] = "StatutoryLowAge",
	[COL_HIGH_AGE] = "StatutoryHighAge",
	[COL_BOARDERS_CODE] = "Boarders (code)",
	[COL_BOARDERS_NAME] = "Boarders (name)",
	[COL_SIXTH_CODE] = "OfficialSixthForm (code)",
	[COL_SIXTH_NAME] = "OfficialSixthForm (name)",
	[COL_GENDER_CODE] = "Gender (code)",
	[COL_GENDER_NAME] = "Gender (name)",
	[COL_RELIGION_CODE] = "ReligiousCharacter (code)",
	[COL_RELIGION_NAME] = "ReligiousCharacter (name)",
	[COL_ADMISSIONS_CODE] = "AdmissionsPolicy (code)",
	[COL_ADMISSIONS_NAME] = "AdmissionsPolicy (name)",
	[COL_CAPACITY] = "SchoolCapacity",
	[COL_PUPILS] = "NumberOfPupils",
	[COL_PCT_FSM] = "PercentageFSM",
	[COL_FSM] = "FSM",
	[COL_TRUST_CODE] = "Trusts (code)",
	[COL_TRUST_NAME] = "Trusts (name)",
	[COL_FED_CODE] = "Federations (code)",
	[COL_FED_NAME] = "Federations (name)",
	[COL_STREET] = "Street",
	[COL_LOCALITY] = "Locality",
	[COL_ADDRESS3] = "Address3",
	[COL_TOWN] = "Town",
	[COL_COUNTY] = "County (name)",
	[COL_POSTCODE] = "Postcode",
	[COL_WEBSITE] = "SchoolWebsite",
	[COL_TELEPHONE] = "TelephoneNum",
	[COL_GOR_CODE] = "GOR (code)",
	[COL_GOR_NAME] = "GOR (name)",
	[COL_DISTRICT_CODE] = "DistrictAdministrative (code)",
	[COL_DISTRICT_NAME] = "DistrictAdministrative (name)",
	[COL_URBAN_CODE] = "UrbanRural (code)",
	[COL_URBAN_NAME] = "UrbanRural (name)",
	[COL_EASTING] = "Easting",
	[COL_NORTHING] = "Northing",
	[COL_SEN_STAT] = "SENStat",
	[COL_SEN_NO_STAT] = "SENNoStat",
	[COL_OFSTED_RATING] = "OfstedRating (name)",
	[COL_OFSTED_DATE] = "OfstedLastInsp",
};

/* Limits past which a value is an error rather than a school. */
#define MAX_URN 999999999
#define MAX_AGE 99
#define MAX_COUNT 1000000
#define MAX_EASTING 800000.0   /* the British National Grid is 700 km wide … */
#define MAX_NORTHING 1400000.0 /* … and 1300 km tall; a little slack */
#define REASON_SIZE 256

struct gias_reader {
	struct gias_csv *csv;       /* the record source */
	PJ_CONTEXT *pj_ctx;         /* this reader's PROJ context (PROJ is per-thread) */
	PJ *pj;                     /* EPSG:27700 → EPSG:4326, normalised to lon, lat */
	const char *missing[COL__MAX]; /* wanted columns the header lacks (static strings) */
	size_t nmissing;            /* length of missing */
	char open_date[11];         /* ISO dates of the current row */
	char close_date[11];
	char ofsted_date[11];
	char reason[REASON_SIZE];   /* the current rejection's reason */
};

/* The state of building one row: stops at the first problem. */
struct build {
	struct gias_reader *r;   /* the reader (for the reason buffer) */
	const char *const *v;    /* cells by slot (NULL when the column is absent) */
	long line;               /* line of the record */
	struct gias_reject *rej; /* where a rejection goes */
	bool bad;                /* a rejection has been written */
};

static void reject(struct build *b, enum gias_col col, const char *fmt, ...) FMT(3, 4);
static void reject(struct build *b, enum gias_col col, const char *fmt, ...)
{
	if (b->bad)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->r->reason, sizeof b->r->reason, fmt, ap);
	va_end(ap);
	b->bad = true;
	b->rej->line = b->line;
	b->rej->column = gias_columns[col];
	b->rej->reason = b->r->reason;
}

/* A cell as a string: NULL when absent or empty. */
static const char *text(const struct build *b, enum gias_col col)
{
	const char *s = b->v[col];
	return s && *s ? s : NULL;
}

/* Codes that GIAS uses to mean "no value" in code columns. */
static bool placeholder_code(const char *code)
{
	static const char *const codes[] = {"9", "99", "999", "9999", "999999999", "Z", "X999999"};
	for (size_t i = 0; i < ARRAY_LEN(codes); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* A code/name pair; a placeholder code with no real name makes both unknown. */
static struct gias_coded coded(const struct build *b, enum gias_col code, enum gias_col name)
{
	struct gias_coded c = {text(b, code), text(b, name)};
	if (c.code && placeholder_code(c.code) &&
	    (!c.name || str_case_eq(c.name, "Not applicable")))
		c.code = c.name = NULL;
	return c;
}

/* A whole number 0..max into *out (-1 when empty). */
static void count(struct build *b, enum gias_col col, int64_t max, int *out)
{
	*out = -1;
	const char *s = b->v[col], *why;
	int64_t v;
	if (b->bad || !s)
		return;
	if (gias_csv_count(s, max, &v, &why) != 0) {
		reject(b, col, "%s: \"%.*s\"", why, gias_csv_cut(s, 40), s);
		return;
	}
	*out = (int)v;
}

/* A non-negative decimal 0..max into *out (NaN when empty). */
static void decimal(struct build *b, enum gias_col col, double max, double *out)
{
	*out = NAN;
	const char *s = b->v[col];
	double v;
	if (b->bad || !s || !*s)
		return;
	if (str_to_double(s, &v) != 0)
		reject(b, col, "not a number: \"%.*s\"", gias_csv_cut(s, 40), s);
	else if (v < 0)
		reject(b, col, "a negative number: \"%.*s\"", gias_csv_cut(s, 40), s);
	else if (v > max)
		reject(b, col, "out of range (0 to %g): \"%.*s\"", max, gias_csv_cut(s, 40), s);
	else
		*out = v;
}

/* A date into iso (11 bytes); *out points to it, or NULL when unknown. */
static void date(struct build *b, enum gias_col col, char iso[11], const char **out)
{
	*out = NULL;
	const char *s = b->v[col], *why;
	bool known;
	if (b->bad || !s)
		return;
	if (gias_csv_date(s, iso, &known, &why) != 0)
		reject(b, col, "%s: \"%.*s\"", why, gias_csv_cut(s, 40), s);
	else if (known)
		*out = iso;
}

/* Latitude and longitude from the grid reference, when there is one. */
static void locate(struct gias_reader *r, struct gias_school *s)
{
	s->latitude = s->longitude = NAN;
	if (isnan(s->easting) || isnan(s->northing))
		return;
	PJ_COORD in = proj_coord(s->easting, s->northing, 0, 0);
	PJ_COORD o = proj_trans(r->pj, PJ_FWD, in);
	/* Normalised for visualisation: x is longitude, y latitude, in degrees. */
	if (!isfinite(o.xy.x) || !isfinite(o.xy.y) || fabs(o.xy.y) > 90)
		return;
	s->longitude = o.xy.x;
	s->latitude = o.xy.y;
}

/* Build one school from a record. GIAS_ROW or GIAS_REJECT. */
static int school_build(struct gias_reader *r, const char *const *v, long line,
			struct gias_school *s, struct gias_reject *rej)
{
	struct build b = {r, v, line, rej, false};
	memset(s, 0, sizeof *s);

	int64_t urn;
	const char *why;
	if (!text(&b, COL_URN))
		reject(&b, COL_URN, "the URN is empty");
	else if (gias_csv_count(v[COL_URN], MAX_URN, &urn, &why) != 0 || urn == 0)
		reject(&b, COL_URN, "not a valid URN: \"%.*s\"", gias_csv_cut(v[COL_URN], 40),
		       v[COL_URN]);
	else
		s->urn = urn;
	s->name = text(&b, COL_NAME);
	if (!s->name)
		reject(&b, COL_NAME, "the establishment name is empty");

	s->la = coded(&b, COL_LA_CODE, COL_LA_NAME);
	s->establishment_number = text(&b, COL_ESTAB_NUMBER);
	s->type = coded(&b, COL_TYPE_CODE, COL_TYPE_NAME);
	s->type_group = coded(&b, COL_GROUP_CODE, COL_GROUP_NAME);
	s->status = coded(&b, COL_STATUS_CODE, COL_STATUS_NAME);
	date(&b, COL_OPEN_DATE, r->open_date, &s->open_date);
	date(&b, COL_CLOSE_DATE, r->close_date, &s->close_date);
	s->phase = coded(&b, COL_PHASE_CODE, COL_PHASE_NAME);
	count(&b, COL_LOW_AGE, MAX_AGE, &s->low_age);
	count(&b, COL_HIGH_AGE, MAX_AGE, &s->high_age);
	s->gender = coded(&b, COL_GENDER_CODE, COL_GENDER_NAME);
	s->religious_character = coded(&b, COL_RELIGION_CODE, COL_RELIGION_NAME);
	s->sixth_form = coded(&b, COL_SIXTH_CODE, COL_SIXTH_NAME);
	s->boarders = coded(&b, COL_BOARDERS_CODE, COL_BOARDERS_NAME);
	s->admissions_policy = coded(&b, COL_ADMISSIONS_CODE, COL_ADMISSIONS_NAME);
	count(&b, COL_CAPACITY, MAX_COUNT, &s->capacity);
	count(&b, COL_PUPILS, MAX_COUNT, &s->pupils);
	count(&b, COL_FSM, MAX_COUNT, &s->fsm);
	decimal(&b, COL_PCT_FSM, 100.0, &s->percent_fsm);
	count(&b, COL_SEN_STAT, MAX_COUNT, &s->sen_stat);
	count(&b, COL_SEN_NO_STAT, MAX_COUNT, &s->sen_no_stat);
	s->trust = coded(&b, COL_TRUST_CODE, COL_TRUST_NAME);
	s->federation = coded(&b, COL_FED_CODE, COL_FED_NAME);
	s->region = coded(&b, COL_GOR_CODE, COL_GOR_NAME);
	s->district = coded(&b, COL_DISTRICT_CODE, COL_DISTRICT_NAME);
	s->urban_rural = coded(&b, COL_URBAN_CODE, COL_URBAN_NAME);
	s->street = text(&b, COL_STREET);
	s->locality = text(&b, COL_LOCALITY);
	s->address3 = text(&b, COL_ADDRESS3);
	s->town = text(&b, COL_TOWN);
	s->county = text(&b, COL_COUNTY);
	s->postcode = text(&b, COL_POSTCODE);
	s->website = text(&b, COL_WEBSITE);
	s->telephone = text(&b, COL_TELEPHONE);
	decimal(&b, COL_EASTING, MAX_EASTING, &s->easting);
	decimal(&b, COL_NORTHING, MAX_NORTHING, &s->northing);
	/* 0 means "no location" in GIAS. */
	if (s->easting == 0)
		s->easting = NAN;
	if (s->northing == 0)
		s->northing = NAN;
	s->ofsted_rating = text(&b, COL_OFSTED_RATING);
	date(&b, COL_OFSTED_DATE, r->ofsted_date, &s->ofsted_date);
	if (b.bad)
		return GIAS_REJECT;
	locate(r, s);
	return GIAS_ROW;
}

/* Set up PROJ for this reader. 0 or ERR_INTERNAL with msg written. */
static int proj_setup(struct gias_reader *r, const char *name, char *msg, size_t msg_size)
{
	r->pj_ctx = proj_context_create();
	if (!r->pj_ctx) {
		snprintf(msg, msg_size, "%s: PROJ cannot create a context", name);
		return ERR_INTERNAL;
	}
	/* Never download grids: proj-data and the built-in EPSG database suffice. */
	proj_context_set_enable_network(r->pj_ctx, 0);
	PJ *p = proj_create_crs_to_crs(r->pj_ctx, "EPSG:27700", "EPSG:4326", NULL);
	if (p) {
		r->pj = proj_normalize_for_visualization(r->pj_ctx, p);
		proj_destroy(p);
	}
	if (!r->pj) {
		int e = proj_context_errno(r->pj_ctx);
		snprintf(msg, msg_size,
			 "%s: PROJ cannot build the EPSG:27700 to EPSG:4326 transformation (%s); "
			 "is proj-data installed and PROJ_DATA unset or right?",
			 name, e ? proj_context_errno_string(r->pj_ctx, e) : "unknown error");
		return ERR_INTERNAL;
	}
	return 0;
}

int gias_open(const char *path, const char *name, struct gias_reader **out, char *msg, size_t msg_size)
{
	*out = NULL;
	struct gias_reader *r = xcalloc(1, sizeof *r);
	int rc = gias_csv_open(&r->csv, path, name, "GIAS extract", gias_columns, COL__MAX,
			       GIAS_REQUIRED, msg, msg_size);
	if (rc)
		goto fail;
	rc = proj_setup(r, name ? name : path, msg, msg_size);
	if (rc)
		goto fail;
	for (size_t s = 0; s < COL__MAX; s++)
		if (!gias_csv_has(r->csv, s))
			r->missing[r->nmissing++] = gias_columns[s];
	*out = r;
	return 0;
fail:
	gias_close(r);
	return rc;
}

int gias_next(struct gias_reader *r, struct gias_school *out, struct gias_reject *rej)
{
	struct gias_csv_record rec;
	int rc = gias_csv_next(r->csv, &rec);
	if (rc < 0)
		return rc;
	if (rc == GIAS_CSV_EOF)
		return GIAS_EOF;
	if (rc == GIAS_CSV_REJECT) {
		*rej = rec.reject;
		return GIAS_REJECT;
	}
	return school_build(r, rec.values, rec.line, out, rej);
}

const char *gias_errmsg(const struct gias_reader *r)
{
	return gias_csv_errmsg(r->csv);
}

void gias_progress(const struct gias_reader *r, uint64_t *done, uint64_t *total)
{
	gias_csv_progress(r->csv, done, total);
}

size_t gias_ignored_columns(const struct gias_reader *r, const char *const **names)
{
	return gias_csv_ignored(r->csv, names);
}

size_t gias_missing_columns(const struct gias_reader *r, const char *const **names)
{
	*names = r->missing;
	return r->nmissing;
}

void gias_close(struct gias_reader *r)
{
	if (!r)
		return;
	gias_csv_close(r->csv);
	if (r->pj)
		proj_destroy(r->pj);
	if (r->pj_ctx)
		proj_context_destroy(r->pj_ctx);
	free(r);
}
