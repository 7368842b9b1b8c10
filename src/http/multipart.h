// SPDX-License-Identifier: AGPL-3.0-or-later
/* multipart.h — the multipart/form-data parser behind req_multipart (for tests). */
#ifndef TANDEM_HTTP_MULTIPART_H
#define TANDEM_HTTP_MULTIPART_H

#include <stddef.h>

#include "http/http.h"

struct arena;

/*
 * Parse body[0..len) sent with Content-Type ctype into parts (arena); file
 * parts are written to temporary files removed when the arena is freed.
 * Returns 0, ERR_INVALID with a sentence in *detail, or ERR_IO.
 */
int multipart_parse(struct arena *a, const char *ctype, const char *body, size_t len,
		    struct multipart_part **parts, size_t *count, const char **detail) WUR;

#endif
