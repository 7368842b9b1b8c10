// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * multipart.c — multipart/form-data (RFC 7578), for file uploads from plain
 * HTML forms. It reads a ROUTE_RAW_BODY request's body file after the
 * upload has finished: small text parts are kept in the arena, file parts
 * are copied into temporary files of their own that are deleted when the
 * request ends. The body is mapped read-only, so large uploads are not
 * copied through memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/multipart.h"

#define MULTIPART_TEXT_MAX (64 * 1024) /* a text field larger than this is refused */
#define MULTIPART_PARTS_MAX 64

static void unlink_path(void *path)
{
	unlink(path);
}

/* The boundary parameter of a multipart/form-data Content-Type, or NULL. */
static const char *boundary_of(struct arena *a, const char *ctype)
{
	if (!ctype || strncasecmp(ctype, "multipart/form-data", 19) != 0)
		return NULL;
	const char *p = strcasestr(ctype, "boundary=");
	if (!p)
		return NULL;
	p += 9;
	size_t n;
	if (*p == '"') {
		p++;
		const char *q = strchr(p, '"');
		if (!q)
			return NULL;
		n = (size_t)(q - p);
	} else {
		n = strcspn(p, "; \t");
	}
	if (n == 0 || n > 70)
		return NULL;
	return arena_strndup(a, p, n);
}

/* The value of param (name or filename) in a Content-Disposition header line. */
static const char *disposition_param(struct arena *a, const char *line, size_t len, const char *param)
{
	size_t plen = strlen(param);
	for (size_t i = 0; i + plen + 2 < len; i++) {
		if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') &&
		    strncasecmp(line + i, param, plen) == 0 && line[i + plen] == '=' &&
		    line[i + plen + 1] == '"') {
			const char *start = line + i + plen + 2;
			const char *end = memchr(start, '"', len - (size_t)(start - line));
			return end ? arena_strndup(a, start, (size_t)(end - start)) : NULL;
		}
	}
	return NULL;
}

static int fail(const char **detail, const char *msg)
{
	*detail = msg;
	return ERR_INVALID;
}

/* Copy a file part into a new temporary file; its path in *path (arena). */
static int save_part(struct arena *a, const char *data, size_t len, const char **path)
{
	const char *dir = getenv("TMPDIR");
	char *tmpl = arena_printf(a, "%s/tandem-part-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmpl);
	if (fd < 0)
		return ERR_IO;
	arena_defer(a, unlink_path, tmpl);
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return ERR_IO;
		}
		done += (size_t)w;
	}
	if (close(fd))
		return ERR_IO;
	*path = tmpl;
	return 0;
}

int multipart_parse(struct arena *a, const char *ctype, const char *body, size_t len,
		    struct multipart_part **out, size_t *count, const char **detail)
{
	*out = NULL;
	*count = 0;
	*detail = NULL;
	const char *boundary = boundary_of(a, ctype);
	if (!boundary)
		return fail(detail, "Send the form as multipart/form-data (a file upload form).");
	const char *delim = arena_printf(a, "--%s", boundary);
	size_t dlen = strlen(delim);
	struct multipart_part *parts = arena_calloc(a, MULTIPART_PARTS_MAX, sizeof(*parts));
	size_t n = 0;
	int rc = 0;
	/* The body starts with the first delimiter (a preamble before it is allowed). */
	const char *p = memmem(body, len, delim, dlen);
	const char *end = body + len;
	if (!p) {
		rc = fail(detail, "The upload is not valid multipart/form-data (no boundary).");
		goto out;
	}
	for (;;) {
		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			rc = fail(detail, "The upload is not valid multipart/form-data (a boundary line is broken).");
			goto out;
		}
		p += 2;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend) {
			rc = fail(detail, "The upload was cut short (a part has no end to its headers).");
			goto out;
		}
		const char *name = NULL, *filename = NULL;
		for (const char *line = p; line < hend;) {
			const char *eol = memmem(line, (size_t)(hend + 2 - line), "\r\n", 2);
			size_t llen = (size_t)((eol ? eol : hend) - line);
			if (llen > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
				name = disposition_param(a, line, llen, "name");
				filename = disposition_param(a, line, llen, "filename");
			}
			if (!eol)
				break;
			line = eol + 2;
		}
		const char *data = hend + 4;
		/* The part ends at CRLF followed by the delimiter. */
		const char *next = NULL;
		for (const char *q = data; q < end;) {
			const char *hit = memmem(q, (size_t)(end - q), delim, dlen);
			if (!hit)
				break;
			if (hit - data >= 2 && hit[-2] == '\r' && hit[-1] == '\n') {
				next = hit;
				break;
			}
			q = hit + 1;
		}
		if (!next) {
			rc = fail(detail, "The upload was cut short: send the file again.");
			goto out;
		}
		size_t dl = (size_t)(next - 2 - data);
		if (!name) {
			rc = fail(detail, "A part of the upload has no field name.");
			goto out;
		}
		/* Names are echoed in messages and kept in the store: they must be text. */
		if (!utf8_valid(name, strlen(name)) || (filename && !utf8_valid(filename, strlen(filename)))) {
			rc = fail(detail, "A file or field name in the upload is not valid text (UTF-8): rename the "
					  "file and send it again.");
			goto out;
		}
		if (n == MULTIPART_PARTS_MAX) {
			rc = fail(detail, "The upload has too many parts.");
			goto out;
		}
		struct multipart_part *part = &parts[n++];
		part->name = name;
		part->filename = filename;
		part->size = dl;
		if (filename) {
			rc = save_part(a, data, dl, &part->path);
			if (rc)
				goto out;
		} else {
			if (dl > MULTIPART_TEXT_MAX || !utf8_valid(data, dl)) {
				rc = fail(detail, "A text field of the upload is too long or not valid UTF-8.");
				goto out;
			}
			part->value = arena_strndup(a, data, dl);
		}
		p = next;
	}
	*out = parts;
	*count = n;
out:
	return rc;
}

int req_multipart(struct request *req, struct multipart_part **out, size_t *count, const char **detail)
{
	*out = NULL;
	*count = 0;
	size_t len = 0;
	const char *path = req_body_file(req, &len);
	if (!path || len == 0) {
		*detail = "The upload is empty: choose a file and send the form again.";
		return ERR_INVALID;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return ERR_IO;
	const char *body = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (body == MAP_FAILED)
		return ERR_IO;
	int rc = multipart_parse(req_arena(req), req_header(req, "Content-Type"), body, len, out, count,
				 detail);
	munmap((void *)body, len);
	return rc;
}

const struct multipart_part *multipart_find(const struct multipart_part *parts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(parts[i].name, name))
			return &parts[i];
	return NULL;
}
