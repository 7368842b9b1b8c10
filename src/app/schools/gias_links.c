// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias_links.c — the reader for the GIAS links file
 * (links_edubasealldataYYYYMMDD.csv[.gz]): one row per link between two
 * establishments, e.g. a school and the academy that replaced it under a
 * new URN. Same CSV, encoding and rejection rules as the register reader
 * (gias_csv.c); columns URN, LinkURN, LinkName, LinkType,
 * LinkEstablishedDate, found by name.
 */
#include "app/schools/gias.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/schools/gias_csv.h"
#include "core/util.h"

/* The columns we read, by slot. The first two are required. */
enum gias_link_col { LCOL_URN, LCOL_LINK_URN, LCOL_NAME, LCOL_TYPE, LCOL_DATE, LCOL__MAX };

static const char *const gias_link_columns[LCOL__MAX] = {
	[LCOL_URN] = "URN",
	[LCOL_LINK_URN] = "LinkURN",
	[LCOL_NAME] = "LinkName",
	[LCOL_TYPE] = "LinkType",
	[LCOL_DATE] = "LinkEstablishedDate",
};

#define LINKS_REQUIRED 2   /* URN and LinkURN */
#define MAX_URN 999999999

struct gias_links_reader {
	struct gias_csv *csv; /* the record source */
	char date[11];        /* ISO date of the current row */
	char reason[256];     /* the current rejection's reason */
};

static int link_reject(struct gias_links_reader *r, struct gias_reject *rej, long line,
		       enum gias_link_col col, const char *fmt, ...) FMT(5, 6);
static int link_reject(struct gias_links_reader *r, struct gias_reject *rej, long line,
		       enum gias_link_col col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
	rej->line = line;
	rej->column = gias_link_columns[col];
	rej->reason = r->reason;
	return GIAS_REJECT;
}

/* A required URN cell into *out. 0, or -1 after writing a rejection. */
static int link_urn(struct gias_links_reader *r, const struct gias_csv_record *rec,
		    enum gias_link_col col, int64_t *out, struct gias_reject *rej)
{
	const char *s = rec->values[col], *why;
	if (!*s) {
		link_reject(r, rej, rec->line, col, "the URN is empty");
		return -1;
	}
	if (gias_csv_count(s, MAX_URN, out, &why) != 0 || *out == 0) {
		link_reject(r, rej, rec->line, col, "not a valid URN: \"%.*s\"", gias_csv_cut(s, 40), s);
		return -1;
	}
	return 0;
}

int gias_links_open(const char *path, const char *name, struct gias_links_reader **out, char *msg,
		    size_t msg_size)
{
	*out = NULL;
	struct gias_links_reader *r = xcalloc(1, sizeof *r);
	int rc = gias_csv_open(&r->csv, path, name, "GIAS links file", gias_link_columns, LCOL__MAX,
			       LINKS_REQUIRED, msg, msg_size);
	if (rc) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int gias_links_next(struct gias_links_reader *r, struct gias_link *out, struct gias_reject *rej)
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
	const char *const *v = rec.values;
	if (link_urn(r, &rec, LCOL_URN, &out->urn, rej) != 0 ||
	    link_urn(r, &rec, LCOL_LINK_URN, &out->link_urn, rej) != 0)
		return GIAS_REJECT;
	out->link_name = v[LCOL_NAME] && *v[LCOL_NAME] ? v[LCOL_NAME] : NULL;
	out->link_type = v[LCOL_TYPE] && *v[LCOL_TYPE] ? v[LCOL_TYPE] : NULL;
	out->date = NULL;
	const char *why;
	bool known;
	if (v[LCOL_DATE]) {
		if (gias_csv_date(v[LCOL_DATE], r->date, &known, &why) != 0)
			return link_reject(r, rej, rec.line, LCOL_DATE, "%s: \"%.*s\"", why,
					   gias_csv_cut(v[LCOL_DATE], 40), v[LCOL_DATE]);
		if (known)
			out->date = r->date;
	}
	return GIAS_ROW;
}

const char *gias_links_errmsg(const struct gias_links_reader *r)
{
	return gias_csv_errmsg(r->csv);
}

void gias_links_progress(const struct gias_links_reader *r, uint64_t *done, uint64_t *total)
{
	gias_csv_progress(r->csv, done, total);
}

size_t gias_links_ignored_columns(const struct gias_links_reader *r, const char *const **names)
{
	return gias_csv_ignored(r->csv, names);
}

void gias_links_close(struct gias_links_reader *r)
{
	if (!r)
		return;
	gias_csv_close(r->csv);
	free(r);
}
