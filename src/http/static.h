// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * static.h — the files served under /static/: read once at start-up into
 * memory with their Content-Type and a strong ETag, then looked up by their
 * relative path. Only files found by the walk can ever be served, so ".."
 * and other path tricks have nothing to reach. Internal to src/http/.
 */
#ifndef TANDEM_HTTP_STATIC_H
#define TANDEM_HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Largest single file loaded (bigger files make start-up fail). */
#define STATIC_MAX_FILE (32u * 1024 * 1024)

/* One file held in memory. */
struct static_file {
	char *path;       /* relative path with '/' separators ("css/site.css"); owned */
	char *data;       /* the contents (NUL-terminated for convenience); owned */
	size_t len;       /* bytes of data */
	const char *type; /* Content-Type by extension; a string literal */
	char etag[48];    /* strong ETag, quotes included: "\"<hash>-<len>\"" */
};

/* All loaded files, sorted by path. */
struct static_files {
	struct static_file *files; /* owned array */
	size_t n;
};

/*
 * Load every regular file under dir (recursively; names starting with '.'
 * and symbolic links are skipped). dir NULL or "" gives an empty set.
 * Returns 0, or ERR_IO / ERR_TOOBIG with the file and reason in err.
 */
int static_load(struct static_files **out, const char *dir, char *err, size_t errsz) WUR;
/* The file at relative path rel (decoded, no leading '/'), or NULL. */
const struct static_file *static_find(const struct static_files *s, const char *rel);
void static_free(struct static_files *s);

/* The Content-Type for a file name by its extension (application/octet-stream if unknown). */
const char *static_content_type(const char *path);
/* True when an If-None-Match header value matches etag ("*" or a listed tag, W/ ignored). */
bool static_etag_matches(const char *if_none_match, const char *etag);

#endif
