// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * attachments.h — resources attached to shared practice (attachments.c):
 * PDF, Word, PowerPoint, Excel (Office Open XML), PNG and JPEG files up to
 * PRACTICE_FILE_MAX bytes, recognised by their content, never their name;
 * kept once per SHA-256 of the content in the store; downloaded by anyone
 * the item's visibility lets see it.
 */
#ifndef TANDEM_APP_PRACTICE_ATTACHMENTS_H
#define TANDEM_APP_PRACTICE_ATTACHMENTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "core/err.h"

struct arena;
struct db;

/* The largest attachment, in bytes (10 MB). */
#define PRACTICE_FILE_MAX (10u * 1024u * 1024u)

/* What a file's content is, when Tandem takes it. */
struct practice_file_type {
	const char *mime; /* its media type */
	const char *ext;  /* its usual extension, without the dot */
	const char *name; /* what people call it ("PDF", "Word document") */
};

/*
 * Recognise data[0..n): 0 with *type, or ERR_INVALID with *why (a sentence
 * for the person): an executable, a type Tandem does not take, an Office
 * file that is not Word, PowerPoint or Excel (a macro-enabled one
 * included). Size limits are the caller's.
 */
int practice_file_check(const unsigned char *data, size_t n, struct practice_file_type *type, const char **why) WUR;

/*
 * u attaches the file at path (size bytes, named filename by the browser)
 * to item (kind, item_id) of network_id: 0 with *id; ERR_INVALID with
 * errors {file: message}; ERR_FORBIDDEN when u is not its author;
 * ERR_NOTFOUND when u may not see it or it is not the network's.
 */
int practice_attach(struct db *db, struct arena *a, const struct user *u, int64_t network_id, const char *kind,
		    int64_t item_id, const char *path, size_t size, const char *filename, json_t *errors,
		    int64_t *id) WUR;
/* The attachments of item (kind, item_id) as [{id, filename, type, size, url}] (new reference; the caller has checked the item). */
json_t *practice_attachments_of(struct db *db, const char *kind, int64_t item_id);

/* One attachment to download (strings and data in the arena). */
struct practice_download {
	const char *filename;     /* a name safe for a Content-Disposition header */
	const char *mime;         /* its media type */
	const unsigned char *data; /* its bytes */
	size_t size;              /* how many */
};
/* Attachment id for u (NULL: anonymous): 0, or ERR_NOTFOUND when there is none or u may not see its item. */
int practice_download(struct db *db, struct arena *a, const struct user *u, int64_t id, struct practice_download *out) WUR;

#endif
