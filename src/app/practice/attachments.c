// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * attachments.c — resources attached to shared practice, with their SQL
 * (read attachments.h). A file is recognised by its first bytes: "%PDF-",
 * PNG's signature, JPEG's FF D8 FF, or a zip whose [Content_Types].xml
 * (found through the zip's central directory and inflated with zlib) names
 * the main part of a Word document, a PowerPoint presentation or an Excel
 * workbook; executables (MZ, ELF, Mach-O, "#!") are refused by name. The
 * bytes are stored once per SHA-256 (practice_blob) whatever the number of
 * items they are attached to; every download loads the item's facts and
 * asks practice_can_see first.
 */
#include "app/practice/attachments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>

#include "app/practice/search.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_BLOB_PUT, "INSERT INTO practice_blob (hash, size, data, created_at) VALUES (?, ?, ?, ?) "
		     "ON CONFLICT (hash) DO NOTHING");
DB_QUERY(Q_ATTACH, "INSERT INTO practice_attachment (kind, item_id, network_id, hash, filename, mime, size, "
		   "uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_ATTACHMENTS, "SELECT id, filename, mime, size FROM practice_attachment WHERE kind = ? AND item_id = ? "
			"ORDER BY id");
DB_QUERY(Q_DOWNLOAD, "SELECT a.kind, a.item_id, a.filename, a.mime, b.data FROM practice_attachment a "
		     "JOIN practice_blob b ON b.hash = a.hash WHERE a.id = ?");

static const struct practice_file_type T_PDF = {"application/pdf", "pdf", "PDF"};
static const struct practice_file_type T_PNG = {"image/png", "png", "PNG image"};
static const struct practice_file_type T_JPEG = {"image/jpeg", "jpg", "JPEG image"};
/* The Office Open XML formats: the main part's content type names the kind of document. */
static const struct {
	const char *main;                /* the main part's content type in [Content_Types].xml */
	struct practice_file_type type;  /* what it is */
} office[] = {
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
	 {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word document"}},
	{"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
	 {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PowerPoint presentation"}},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
	 {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel workbook"}},
};

/* The largest [Content_Types].xml Tandem inflates. */
#define CONTENT_TYPES_MAX (256u * 1024u)

/* Little-endian 16 and 32-bit values at p. */
static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}
static unsigned long le32(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

/* [Content_Types].xml of the zip in data[0..n), inflated into a new NUL-ended buffer (free it), or NULL. */
static char *zip_content_types(const unsigned char *data, size_t n)
{
	if (n < 22)
		return NULL;
	size_t eocd = n - 22, stop = n > 22 + 65535 ? n - 22 - 65535 : 0;
	while (le32(data + eocd) != 0x06054b50UL) {
		if (eocd == stop)
			return NULL;
		eocd--;
	}
	unsigned entries = le16(data + eocd + 10);
	unsigned long cd = le32(data + eocd + 16);
	static const char name[] = "[Content_Types].xml";
	for (unsigned e = 0; e < entries; e++) {
		if (cd + 46 > n || le32(data + cd) != 0x02014b50UL)
			return NULL;
		unsigned method = le16(data + cd + 10), nlen = le16(data + cd + 28);
		unsigned long csize = le32(data + cd + 20), usize = le32(data + cd + 24), local = le32(data + cd + 42);
		size_t next = cd + 46 + nlen + le16(data + cd + 30) + le16(data + cd + 32);
		if (cd + 46 + nlen > n)
			return NULL;
		if (nlen == sizeof(name) - 1 && memcmp(data + cd + 46, name, nlen) == 0) {
			if (local + 30 > n || le32(data + local) != 0x04034b50UL || usize > CONTENT_TYPES_MAX)
				return NULL;
			size_t start = local + 30 + le16(data + local + 26) + le16(data + local + 28);
			if (start > n || csize > n - start)
				return NULL;
			char *out = calloc(1, usize + 1);
			if (!out)
				return NULL;
			if (method == 0 && csize == usize) {
				memcpy(out, data + start, usize);
				return out;
			}
			z_stream zs;
			memset(&zs, 0, sizeof(zs));
			if (method != 8 || inflateInit2(&zs, -15) != Z_OK) {
				free(out);
				return NULL;
			}
			zs.next_in = (Bytef *)(uintptr_t)(data + start);
			zs.avail_in = (uInt)csize;
			zs.next_out = (Bytef *)out;
			zs.avail_out = (uInt)usize;
			int zr = inflate(&zs, Z_FINISH);
			inflateEnd(&zs);
			if (zr != Z_STREAM_END) {
				free(out);
				return NULL;
			}
			return out;
		}
		cd = next;
	}
	return NULL;
}

int practice_file_check(const unsigned char *data, size_t n, struct practice_file_type *type, const char **why)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	static const unsigned char macho[][4] = {{0xfe, 0xed, 0xfa, 0xce}, {0xce, 0xfa, 0xed, 0xfe},
						 {0xcf, 0xfa, 0xed, 0xfe}, {0xfe, 0xed, 0xfa, 0xcf},
						 {0xca, 0xfe, 0xba, 0xbe}};
	if (n >= 2 && ((data[0] == 'M' && data[1] == 'Z') || (data[0] == '#' && data[1] == '!'))) {
		*why = "This is a program or script: Tandem never takes executable files.";
		return ERR_INVALID;
	}
	if (n >= 4 && (memcmp(data, "\x7f" "ELF", 4) == 0)) {
		*why = "This is a program or script: Tandem never takes executable files.";
		return ERR_INVALID;
	}
	for (size_t i = 0; n >= 4 && i < sizeof(macho) / sizeof(macho[0]); i++) {
		if (memcmp(data, macho[i], 4) == 0) {
			*why = "This is a program or script: Tandem never takes executable files.";
			return ERR_INVALID;
		}
	}
	if (n >= 5 && memcmp(data, "%PDF-", 5) == 0) {
		*type = T_PDF;
		return 0;
	}
	if (n >= sizeof(png) && memcmp(data, png, sizeof(png)) == 0) {
		*type = T_PNG;
		return 0;
	}
	if (n >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) {
		*type = T_JPEG;
		return 0;
	}
	if (n >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		char *ct = zip_content_types(data, n);
		for (size_t i = 0; ct && i < sizeof(office) / sizeof(office[0]); i++) {
			if (strstr(ct, office[i].main)) {
				free(ct);
				*type = office[i].type;
				return 0;
			}
		}
		free(ct);
		*why = "This zip file is not a Word document, PowerPoint presentation or Excel workbook (files with "
		       "macros are not taken either): save it as .docx, .pptx or .xlsx.";
		return ERR_INVALID;
	}
	*why = "Attach a PDF, Word, PowerPoint, Excel, PNG or JPEG file: this file is none of them (Tandem looks at "
	       "what is inside a file, not at its name).";
	return ERR_INVALID;
}

/* The browser's file name without folders, with only safe characters, ending in ext (arena). */
static const char *safe_name(struct arena *a, const char *filename, const char *ext)
{
	const char *name = filename ? filename : "";
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			name = p + 1;
	char *out = arena_strndup(a, name, strlen(name) > 100 ? 100 : strlen(name));
	for (char *p = out; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.' || c == ' '))
			*p = '_';
	}
	char *dot = strrchr(out, '.');
	if (dot)
		*dot = '\0';
	return arena_printf(a, "%s.%s", *out ? out : "attachment", ext);
}

/* Read the whole file at path (size bytes) into the arena: the bytes, or NULL. */
static unsigned char *slurp(struct arena *a, const char *path, size_t size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *buf = arena_alloc(a, size + 1);
	size_t got = fread(buf, 1, size, f);
	fclose(f);
	return got == size ? buf : NULL;
}

int practice_attach(struct db *db, struct arena *a, const struct user *u, int64_t network_id, const char *kind,
		    int64_t item_id, const char *path, size_t size, const char *filename, json_t *errors,
		    int64_t *id)
{
	int64_t item_network = 0;
	struct practice_item item;
	int rc = practice_item_facts(db, a, kind, item_id, &item_network, &item);
	if (rc)
		return rc;
	struct practice_access acc;
	if ((rc = practice_viewer_access(db, a, u, item_network, &acc)))
		return rc;
	if (item_network != network_id || !practice_can_see(&acc, &item))
		return ERR_NOTFOUND;
	if (!practice_can_attach(&acc, &item))
		return ERR_FORBIDDEN;
	if (!path || size == 0) {
		json_object_set_new(errors, "file", json_string("Choose a file to attach."));
		return ERR_INVALID;
	}
	if (size > PRACTICE_FILE_MAX) {
		json_object_set_new(errors, "file", json_string("This file is over 10 MB: attach a smaller one (a PDF "
								"of the pages that matter, or smaller images)."));
		return ERR_INVALID;
	}
	unsigned char *data = slurp(a, path, size);
	if (!data)
		return ERR_IO;
	struct practice_file_type type;
	const char *why = NULL;
	if (practice_file_check(data, size, &type, &why)) {
		json_object_set_new(errors, "file", json_string(why));
		return ERR_INVALID;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(h, data, size);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	bool own = !db_in_transaction(db);
	if (own && (rc = db_begin(db)))
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_BLOB_PUT);
	if (!st || db_bind_text(st, 1, hex) || db_bind_int(st, 2, (int64_t)size) || db_bind_blob(st, 3, data, size) ||
	    db_bind_text(st, 4, now)) {
		rc = ERR_DB;
		goto out;
	}
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		goto out;
	st = db_stmt(db, &Q_ATTACH);
	if (!st || db_bind_text(st, 1, kind) || db_bind_int(st, 2, item_id) || db_bind_int(st, 3, network_id) ||
	    db_bind_text(st, 4, hex) || db_bind_text(st, 5, safe_name(a, filename, type.ext)) ||
	    db_bind_text(st, 6, type.mime) || db_bind_int(st, 7, (int64_t)size) || db_bind_int(st, 8, u->id) ||
	    db_bind_text(st, 9, now)) {
		rc = ERR_DB;
		goto out;
	}
	rc = db_step(st);
	db_reset(st);
	if (rc >= 0) {
		rc = 0;
		*id = db_last_id(db);
	}
out:
	if (own) {
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db);
	}
	return rc;
}

json_t *practice_attachments_of(struct db *db, const char *kind, int64_t item_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_stmt(db, &Q_ATTACHMENTS);
	if (!st || db_bind_text(st, 1, kind) || db_bind_int(st, 2, item_id))
		return list;
	while (db_step(st) == DB_ROW) {
		int64_t size = db_col_int(st, 3);
		char label[32];
		if (size >= 1024 * 1024)
			snprintf(label, sizeof(label), "%.1f MB", (double)size / (1024.0 * 1024.0));
		else
			snprintf(label, sizeof(label), "%lld KB", (long long)((size + 1023) / 1024));
		int64_t id = db_col_int(st, 0);
		json_array_append_new(list, json_pack("{sI ss ss sI ss so}", "id", (json_int_t)id, "filename",
						      db_col_text(st, 1), "type", db_col_text(st, 2), "size",
						      (json_int_t)size, "size_label", label, "url",
						      json_sprintf("/practice/attachments/%lld", (long long)id)));
	}
	db_reset(st);
	return list;
}

int practice_download(struct db *db, struct arena *a, const struct user *u, int64_t id, struct practice_download *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(db, &Q_DOWNLOAD);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	const char *kind = arena_strdup(a, db_col_text(st, 0));
	int64_t item_id = db_col_int(st, 1);
	out->filename = arena_strdup(a, db_col_text(st, 2));
	out->mime = arena_strdup(a, db_col_text(st, 3));
	size_t len = 0;
	const void *blob = db_col_blob(st, 4, &len);
	out->data = blob ? arena_memdup(a, blob, len) : NULL;
	out->size = len;
	db_reset(st);
	int64_t network_id = 0;
	struct practice_item item;
	if ((rc = practice_item_facts(db, a, kind, item_id, &network_id, &item)))
		return rc;
	struct practice_access acc;
	if ((rc = practice_viewer_access(db, a, u, network_id, &acc)))
		return rc;
	if (!practice_can_see(&acc, &item)) {
		memset(out, 0, sizeof(*out));
		return ERR_NOTFOUND;
	}
	return 0;
}
