// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias_csv.h — the record source shared by the GIAS register reader (gias.c)
 * and the links reader (gias_links.c). Internal to src/app/schools: callers
 * outside this folder use gias.h.
 *
 * It opens a plain or gzip-compressed CSV file, splits it into physical
 * lines, parses each line with libcsv (strict mode), converts the cells the
 * caller asked for from Windows-1252 (or, after a UTF-8 byte-order mark,
 * checks them as UTF-8) and hands back one record or one rejection at a time.
 * Columns are matched by header name. Only the cells of wanted columns are
 * converted and kept: every other cell is counted and dropped as it is
 * parsed, which is how the head-teacher columns never reach memory we keep.
 *
 * Recovery: a row whose quoting is broken is rejected and parsing restarts
 * at the next physical line; when the broken row swallowed following lines,
 * they are parsed again on their own, so one stray quote costs one row.
 *
 * Not thread-safe: one source per thread.
 */
#ifndef TANDEM_APP_SCHOOLS_GIAS_CSV_H
#define TANDEM_APP_SCHOOLS_GIAS_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/schools/gias.h"
#include "core/err.h"

/* What gias_csv_next produced. */
enum gias_csv_step {
	GIAS_CSV_EOF = 0,    /* no more records */
	GIAS_CSV_RECORD = 1, /* rec->values hold one record */
	GIAS_CSV_REJECT = 2, /* rec->reject describes a row that was dropped */
};

/* One record, as strings. Everything points into the source and stays valid until the next call. */
struct gias_csv_record {
	/* values[slot] for each wanted column: trimmed UTF-8, "" when the cell is
	 * empty, NULL when the header has no such column. */
	const char *const *values;
	long line;                 /* physical line (1-based, header = 1) where the record starts */
	struct gias_reject reject; /* filled for GIAS_CSV_REJECT */
};

struct gias_csv;

/*
 * Open path (plain or gzip, detected by its magic bytes), read the header
 * and map the wanted column names (an array of nwanted header names,
 * matched ignoring ASCII case) to slots 0..nwanted-1; the first nrequired
 * of them must be present. A repeated header name maps once (the first);
 * the repeat is listed as ignored. `what` names the kind of file for
 * messages ("GIAS extract"); `name` is what messages call the file (the
 * name it was uploaded under, say), NULL for path itself. On success *out is the source (free with
 * gias_csv_close). On failure *out is NULL, msg holds one English sentence
 * and the result is ERR_IO (cannot open or read), ERR_PARSE (corrupt gzip)
 * or ERR_INVALID (empty file, not a CSV header, a required column missing,
 * UTF-16 or a ZIP/Excel file).
 */
int gias_csv_open(struct gias_csv **out, const char *path, const char *name, const char *what,
		  const char *const *wanted, size_t nwanted, size_t nrequired, char *msg,
		  size_t msg_size) WUR;
/*
 * The next record or rejection. Returns a gias_csv_step, or a negative
 * error (ERR_IO, ERR_PARSE: truncated or corrupt gzip) whose text
 * gias_csv_errmsg gives; after an error the source only returns that error.
 */
int gias_csv_next(struct gias_csv *c, struct gias_csv_record *rec) WUR;
/* The message of the last fatal error, "<name>: <sentence>" ("" when none). Owned by the source. */
const char *gias_csv_errmsg(const struct gias_csv *c);
/* Compressed bytes consumed so far and the file's size, for a progress bar. */
void gias_csv_progress(const struct gias_csv *c, uint64_t *done, uint64_t *total);
/* Header names (UTF-8) that matched no wanted column, in file order. Owned by the source. */
size_t gias_csv_ignored(const struct gias_csv *c, const char *const **names);
/* True when the header has wanted column `slot`. */
bool gias_csv_has(const struct gias_csv *c, size_t slot);
/* Close the file and free everything. NULL is a no-op. */
void gias_csv_close(struct gias_csv *c);

/*
 * Value helpers shared by the two readers. Each returns 0 or ERR_INVALID
 * and, on ERR_INVALID, a short English reason in *why (a static string).
 */

/* A date "dd-mm-yyyy" (or "dd/mm/yyyy", or ISO "yyyy-mm-dd") to ISO
 * "yyyy-mm-dd" in iso[11]; *known false (and iso "") for "" and the
 * placeholder 01-01-1900. A date that does not exist is ERR_INVALID. */
int gias_csv_date(const char *s, char iso[11], bool *known, const char **why) WUR;
/* A whole number 0..max; "" is unknown (*out = -1). Text, a sign or a
 * value over max is ERR_INVALID. */
int gias_csv_count(const char *s, int64_t max, int64_t *out, const char **why) WUR;
/* How many bytes of the UTF-8 string s to quote in a message ("%.*s") so
 * that at most max bytes are shown and no character is cut in half. */
int gias_csv_cut(const char *s, int max);

#endif
