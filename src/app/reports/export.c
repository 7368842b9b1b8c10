// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * export.c — the impact report's tables as files: one table as CSV, the
 * whole report as an XLSX workbook with a sheet per table (libxlsxwriter,
 * as the programme's register does). Both read the report's JSON (rep.h),
 * so they hold exactly what the page shows the same person, suppressed
 * counts included. No SQL here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "app/reports/rep.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"

const json_t *rep_table_find(const json_t *report, const char *key)
{
	size_t i, j;
	json_t *s, *t;
	json_array_foreach(json_object_get(report, "sections"), i, s)
		json_array_foreach(json_object_get(s, "tables"), j, t)
			if (str_eq(json_string_value(json_object_get(t, "key")), key))
				return t;
	return NULL;
}

/* One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ gets a ' first. */
static void csv_field(struct buf *b, const char *s, bool last)
{
	if (!s)
		s = "";
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	if (formula || strpbrk(s, ",\"\r\n")) {
		buf_putc(b, '"');
		if (formula)
			buf_putc(b, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
	} else {
		buf_puts(b, s);
	}
	buf_puts(b, last ? "\r\n" : ",");
}

void rep_table_csv(const json_t *t, struct buf *out)
{
	const json_t *cols = json_object_get(t, "columns");
	size_t i, j, n = json_array_size(cols);
	json_t *c, *r;
	json_array_foreach(cols, i, c)
		csv_field(out, json_string_value(c), i + 1 == n);
	json_array_foreach(json_object_get(t, "rows"), i, r)
	{
		const json_t *cells = json_object_get(r, "cells");
		size_t m = json_array_size(cells);
		json_array_foreach(cells, j, c)
			csv_field(out, json_string_value(json_object_get(c, "value")), j + 1 == m);
	}
}

/* Read the file at path into out. 0 or ERR_IO. */
static int slurp(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ERR_IO;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	int rc = ferror(f) ? ERR_IO : 0;
	fclose(f);
	return rc;
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique by its number n. */
static const char *sheet_name(struct arena *a, const char *title, size_t n)
{
	char name[32];
	size_t k = 0;
	for (const char *p = title; *p && k < 24; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch < 0x20 || ch >= 0x80 || strchr("[]:*?/\\'", ch))
			continue;
		name[k++] = (char)ch;
	}
	name[k] = '\0';
	return arena_printf(a, "%zu %s", n, k ? name : "Table");
}

/* Write one table to a new sheet: its title, its columns in bold, its rows (numbers as numbers). */
static int write_sheet(struct arena *a, lxw_workbook *wb, lxw_format *bold, const json_t *t, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name(a, json_string_value(json_object_get(t, "title")), n));
	if (!ws)
		return ERR_IO;
	worksheet_write_string(ws, 0, 0, json_string_value(json_object_get(t, "title")), bold);
	size_t i, j;
	json_t *c, *r;
	json_array_foreach(json_object_get(t, "columns"), i, c)
		worksheet_write_string(ws, 2, (lxw_col_t)i, json_string_value(c), bold);
	worksheet_set_column(ws, 0, 0, 40, NULL);
	worksheet_set_column(ws, 1, 8, 18, NULL);
	json_array_foreach(json_object_get(t, "rows"), i, r)
		json_array_foreach(json_object_get(r, "cells"), j, c)
		{
			const char *s = json_string_value(json_object_get(c, "value"));
			double v;
			lxw_row_t row = (lxw_row_t)(3 + i);
			/* A figure is a number; anything else (a name, "fewer than 5") a string, never a formula. */
			if (j > 0 && s && *s && str_to_double(s, &v) == 0)
				worksheet_write_number(ws, row, (lxw_col_t)j, v, NULL);
			else
				worksheet_write_string(ws, row, (lxw_col_t)j, s ? s : "", NULL);
		}
	return 0;
}

int rep_report_xlsx(struct arena *a, const json_t *report, const char *title, struct buf *out)
{
	/* libxlsxwriter writes a file: a private temporary one, read back and removed. */
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(a, "%s/tandem-impact-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return ERR_IO;
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		unlink(path);
		return ERR_IO;
	}
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	int rc = 0;
	lxw_worksheet *cover = workbook_add_worksheet(wb, "Report");
	if (!cover)
		rc = ERR_IO;
	else {
		worksheet_write_string(cover, 0, 0, title, bold);
		worksheet_set_column(cover, 0, 0, 44, NULL);
		size_t i;
		json_t *h;
		json_array_foreach(json_object_get(report, "headline"), i, h)
		{
			worksheet_write_string(cover, (lxw_row_t)(2 + i), 0, json_string_value(json_object_get(h, "label")),
					       NULL);
			worksheet_write_string(cover, (lxw_row_t)(2 + i), 1, json_string_value(json_object_get(h, "value")),
					       NULL);
		}
	}
	size_t n = 1, i, j;
	json_t *s, *t;
	json_array_foreach(json_object_get(report, "sections"), i, s)
		json_array_foreach(json_object_get(s, "tables"), j, t)
			if (rc == 0)
				rc = write_sheet(a, wb, bold, t, n++);
	if (workbook_close(wb) != LXW_NO_ERROR && rc == 0)
		rc = ERR_IO;
	if (rc == 0)
		rc = slurp(path, out);
	unlink(path);
	return rc;
}
