// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db_json.c — result rows as jansson values, the shape every view model and
 * JSON response starts from: a row is an object {column: value}, a result a
 * list of rows. INTEGER becomes a JSON integer, REAL a JSON number, TEXT a
 * JSON string and NULL (and BLOB, which JSON cannot carry) JSON null. A
 * PostgreSQL row takes the same shapes (dbpg_col_json in db_pg.c).
 *
 * jansson refuses strings that are not valid UTF-8; a database can hold such
 * text (an old import, a byte-level bug). Rather than lose the row, invalid
 * bytes become U+FFFD, the replacement character, so a page still renders.
 */
#include "db/db.h"

#include <math.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "db/db_internal.h"

/*
 * The length of the well-formed UTF-8 sequence at s[0..n) (n >= 1), or 0 if
 * it is not one: the same rules jansson applies (no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, cp = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* A JSON string of s[0..n) with every invalid byte replaced by U+FFFD. */
static json_t *json_string_repaired(const unsigned char *s, size_t n)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq_len(s + i, n - i);
		if (len) {
			buf_append(&b, s + i, len);
			i += len;
		} else {
			buf_append(&b, replacement, sizeof(replacement) - 1);
			i++;
		}
	}
	json_t *v = json_stringn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return v;
}

json_t *dbi_json_string(const char *s, size_t n)
{
	json_t *v = json_stringn(s, n);
	return v ? v : json_string_repaired((const unsigned char *)s, n);
}

/* Column i of the current row as a new JSON value; NULL only when out of memory. */
static json_t *column_json(sqlite3_stmt *s, int i)
{
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_INTEGER:
		return json_integer((json_int_t)sqlite3_column_int64(s, i));
	case SQLITE_FLOAT: {
		double d = sqlite3_column_double(s, i);
		/* JSON has no infinity (SQLite stores NaN as NULL already). */
		return isfinite(d) ? json_real(d) : json_null();
	}
	case SQLITE_TEXT: {
		const unsigned char *t = sqlite3_column_text(s, i);
		size_t n = (size_t)sqlite3_column_bytes(s, i);
		if (!t)
			return NULL;
		return dbi_json_string((const char *)t, n);
	}
	default: /* SQLITE_NULL, SQLITE_BLOB */
		return json_null();
	}
}

json_t *db_row_json(struct db_stmt *st)
{
	if (!st)
		return NULL;
	json_t *row = json_object();
	if (!row)
		return NULL;
	int n = db_col_count(st);
	for (int i = 0; i < n; i++) {
		const char *name = db_col_name(st, i);
		json_t *v = st->pg ? dbpg_col_json(st, i) : column_json(st->stmt, i);
		/* json_object_set_new takes v even when it fails. */
		if (!name || !v || json_object_set_new(row, name, v) != 0) {
			if (!name)
				json_decref(v);
			json_decref(row);
			return NULL;
		}
	}
	return row;
}

json_t *db_rows_json(struct db_stmt *st)
{
	if (!st)
		return NULL;
	json_t *rows = json_array();
	int rc;

	if (!rows)
		return NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *row = db_row_json(st);
		if (!row || json_array_append_new(rows, row) != 0) {
			rc = ERR_NOMEM;
			break;
		}
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}
