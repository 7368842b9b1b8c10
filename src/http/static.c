// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * static.c — loads the static file tree into memory at start-up and finds
 * files by relative path (see static.h). The tree is small (CSS, icons, a
 * little JavaScript), so holding it in memory keeps serving it trivial and
 * keeps the file system out of request handling altogether.
 */
#include "http/static.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/str.h"
#include "core/util.h"

/* Deepest directory nesting followed. */
#define STATIC_MAX_DEPTH 16

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".jpeg", "image/jpeg"},
	{".webp", "image/webp"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".woff", "font/woff"},
	{".txt", "text/plain; charset=utf-8"},
	{".json", "application/json"},
	{".webmanifest", "application/manifest+json"},
};

const char *static_content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < ARRAY_LEN(content_types); i++)
			if (str_case_eq(dot, content_types[i].ext))
				return content_types[i].type;
	return "application/octet-stream";
}

/* 64-bit FNV-1a: good enough to tell versions of a file apart. */
static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The growing list of files while walking the tree. */
struct walk {
	struct static_file *files; /* malloc'd array; handed to struct static_files */
	size_t n, cap;             /* entries used and allocated */
	char *err;                 /* the caller's message buffer */
	size_t errsz;              /* its size */
};

static int add_file(struct walk *w, const char *full, const char *rel)
{
	char *data;
	size_t len;
	int rc = file_read_all(full, STATIC_MAX_FILE, &data, &len);
	if (rc < 0) {
		snprintf(w->err, w->errsz, "static file %s: %s", full,
			 rc == ERR_TOOBIG ? "too large" : strerror(errno));
		return rc;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->files = xrealloc(w->files, w->cap * sizeof(*w->files));
	}
	struct static_file *f = &w->files[w->n++];
	f->path = xstrdup(rel);
	f->data = data;
	f->len = len;
	f->type = static_content_type(rel);
	snprintf(f->etag, sizeof(f->etag), "\"%016llx-%zx\"", (unsigned long long)fnv1a(data, len),
		 len);
	return 0;
}

static int walk_dir(struct walk *w, const char *dir, const char *rel, int depth)
{
	if (depth > STATIC_MAX_DEPTH) {
		snprintf(w->err, w->errsz, "static directory %s: nested too deeply", dir);
		return ERR_IO;
	}
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(w->err, w->errsz, "static directory %s: %s", dir, strerror(errno));
		return ERR_IO;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue; /* dotfiles, ".", ".." */
		size_t fl = strlen(dir) + strlen(e->d_name) + 2;
		size_t rl = strlen(rel) + strlen(e->d_name) + 2;
		char *full = xmalloc(fl), *sub = xmalloc(rl);
		snprintf(full, fl, "%s/%s", dir, e->d_name);
		snprintf(sub, rl, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		struct stat st;
		if (lstat(full, &st) < 0) {
			snprintf(w->err, w->errsz, "static file %s: %s", full, strerror(errno));
			rc = ERR_IO;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_dir(w, full, sub, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = add_file(w, full, sub);
		}
		free(full);
		free(sub);
	}
	closedir(d);
	return rc;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct static_file *)a)->path, ((const struct static_file *)b)->path);
}

int static_load(struct static_files **out, const char *dir, char *err, size_t errsz)
{
	struct walk w = {.err = err, .errsz = errsz};
	struct static_files *s = xcalloc(1, sizeof(*s));
	*out = NULL;
	if (dir && *dir) {
		int rc = walk_dir(&w, dir, "", 0);
		s->files = w.files;
		s->n = w.n;
		if (rc < 0) {
			static_free(s);
			return rc;
		}
	}
	if (s->n > 1)
		qsort(s->files, s->n, sizeof(*s->files), cmp_file);
	*out = s;
	return 0;
}

const struct static_file *static_find(const struct static_files *s, const char *rel)
{
	if (!s || !s->n || !rel)
		return NULL;
	struct static_file key = {.path = (char *)rel};
	return bsearch(&key, s->files, s->n, sizeof(*s->files), cmp_file);
}

void static_free(struct static_files *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
	}
	free(s->files);
	free(s);
}

bool static_etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	size_t elen = strlen(etag);
	const char *p = inm;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return false; /* malformed: no match */
		const char *close = strchr(p + 1, '"');
		if (!close)
			return false;
		size_t n = (size_t)(close - p) + 1;
		if (n == elen && memcmp(p, etag, n) == 0)
			return true;
		p = close + 1;
	}
	return false;
}
