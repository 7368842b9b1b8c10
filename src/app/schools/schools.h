// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * schools.h — the schools capability: importing the DfE register into the
 * store, the directory search, school profiles and the similar-schools
 * finder over an in-memory index that follows the latest import.
 */
#ifndef TANDEM_APP_SCHOOLS_SCHOOLS_H
#define TANDEM_APP_SCHOOLS_SCHOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "http/http.h"

struct db;
struct dir_index;
struct similar_index;

/* What an import did; filled by schools_import_* (also on failure, as far as it got). */
struct import_report {
	int64_t run_id;         /* import_run.id of the record */
	char snapshot[11];      /* "2025-05-02" from the file name, or "" */
	long read;              /* data rows read */
	long inserted;          /* new schools (or links) */
	long updated;           /* schools whose values changed */
	long unchanged;         /* schools exactly as before */
	long closed;            /* open at the previous import, closed now */
	long rejected;          /* rows skipped, each recorded with line, column and reason */
	size_t ignored;         /* header columns not imported */
	char ignored_list[2048];/* their names, comma-separated (cut short if long) */
	json_t *rejects;        /* the first 100 rejections: [{line, column, reason}] (owned; decref) */
};

/* Called now and then while importing: bytes done of total (total may be 0). */
typedef void (*import_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Import a GIAS establishments extract (.csv or .csv.gz) in one transaction:
 * a fatal error (truncated file, unreadable header) rolls everything back
 * and is recorded as a failed run. name is what the run record calls the
 * file (NULL: the path's base name). Returns 0 or an error with a message.
 */
int schools_import_gias(struct db *db, const char *path, const char *name,
			import_progress_fn progress, void *ctx, struct import_report *rep,
			char *err, size_t errsz) WUR;
/* Import a GIAS links file (predecessor/successor URNs), likewise. */
int schools_import_links(struct db *db, const char *path, const char *name,
			 import_progress_fn progress, void *ctx, struct import_report *rep,
			 char *err, size_t errsz) WUR;
/* Free what a report holds. */
void import_report_free(struct import_report *rep);

/*
 * The similar-schools index for the current data, built from the store the
 * first time and rebuilt when a newer import has finished (checked cheaply on
 * each call). Returns a reference (similar_index_unref it) or NULL if the
 * store cannot be read. Thread-safe.
 */
struct similar_index *schools_index(struct db *db);
/*
 * The directory index (directory.h) for the current data, kept like the
 * similar-schools index: built on first use, rebuilt after a newer import.
 * Returns a reference (dir_unref it) or NULL if the store cannot be read.
 */
struct dir_index *schools_directory(struct db *db);
/*
 * The id of the latest finished schools import, for caches of data that only
 * an import changes: asked of the store only when the change generation of
 * the "schools" topic has moved since the last call (as schools_index), so
 * usually no round trip. 0: no import has finished (the register was written
 * some other way, or the store did not answer): cache nothing then.
 */
int64_t schools_register_run(struct db *db);
/* Drop the cached indexes and what pages made from them (at shutdown). */
void schools_index_release(void);
/* Drop what the pages made from the directory index (schools_index_release calls it). */
void schools_pages_release(void);
/* Drop the cached profiles (profile_cache.c; schools_index_release calls it). */
void schools_profile_cache_release(void);

struct cli;
/* `tandem import-gias [--links] FILE` and `tandem similar URN …` (exit statuses). */
int schools_cli_import(struct cli *cli);
int schools_cli_similar(struct cli *cli);

/* Route tables: the schools pages, and the register import for administrators. */
extern const struct route schools_routes[];
extern const struct route schools_admin_routes[];
/* Their gates: the upload is refused before its body is read unless an administrator sends it. */
extern const struct route_gate schools_admin_gates[];

#endif
