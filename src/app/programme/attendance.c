// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * attendance.c — the register of a session: the facilitator's marks
 * (present, late, absent) for each booked place, taken on a phone or from
 * the printable sign-in sheet, from an hour before the start; attendees
 * checking themselves in with the session's short code from half an hour
 * before the start until it ends (present, or late once it is ten minutes
 * in); and the register as CSV and as an XLSX workbook (libxlsxwriter).
 * Only facilitators and coordinators see or take the register (policy.c).
 */
#include "app/programme/prog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* The register opens this long before the start; self check-in this long; "late" after this. */
#define REGISTER_OPENS (60 * 60)
#define CHECKIN_OPENS (30 * 60)
#define LATE_AFTER (10 * 60)

DB_QUERY(Q_PROG_REGISTER,
	 "SELECT b.person_id, p.name, COALESCE(sc.name, 'URN ' || b.urn) AS school_name, b.attendance, "
	 "b.checked_in FROM booking b JOIN person p ON p.id = b.person_id LEFT JOIN school sc ON sc.urn = b.urn "
	 "WHERE b.session_id = ? AND b.status = 'booked' ORDER BY p.name, b.person_id");
DB_QUERY(Q_PROG_CODE, "SELECT checkin_code FROM course_session WHERE id = ?");
DB_QUERY(Q_PROG_MARK,
	 "UPDATE booking SET attendance = ?, attendance_at = ?, checked_in = ?, updated_at = ? "
	 "WHERE session_id = ? AND person_id = ? AND status = 'booked'");
DB_QUERY(Q_PROG_BOOKED_ROW,
	 "SELECT attendance FROM booking WHERE session_id = ? AND person_id = ? AND status = 'booked'");

/* The session's check-in code (arena), or NULL. */
static const char *checkin_code(struct db *db, struct arena *a, int64_t session_id)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_CODE);
	const char *code = NULL;
	if (st && db_bind_int(st, 1, session_id) == 0 && db_step(st) == DB_ROW)
		code = arena_strdup(a, db_col_text(st, 0));
	if (st)
		db_reset(st);
	return code;
}

int prog_register_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		       int64_t now, json_t **out)
{
	*out = NULL;
	if (!prog_policy_register(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_PROG_REGISTER);
	if (!st || db_bind_int(st, 1, s->id))
		return ERR_DB;
	json_t *rows = json_array();
	int64_t present = 0, late = 0, absent = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *mark = db_col_text(st, 3);
		present += str_eq(mark, "present");
		late += str_eq(mark, "late");
		absent += str_eq(mark, "absent");
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s?, s:b, s:b, s:b, s:b, s:b}", "person_id",
						      (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
						      "school_name", db_col_text(st, 2), "attendance", mark, "present",
						      str_eq(mark, "present"), "late", str_eq(mark, "late"), "absent",
						      str_eq(mark, "absent"), "unmarked", mark == NULL, "checked_in",
						      db_col_int(st, 4) != 0));
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(rows);
		return rc;
	}
	*out = json_pack("{s:o, s:s?, s:I, s:I, s:I, s:I, s:b}", "register", rows, "checkin_code",
			 checkin_code(db, a, s->id), "present", (json_int_t)present, "late", (json_int_t)late, "absent",
			 (json_int_t)absent, "booked", (json_int_t)json_array_size(rows), "open",
			 now >= s->starts - REGISTER_OPENS);
	return 0;
}

/* Set person_id's mark inside the caller's transaction: 0, or ERR_NOTFOUND when they hold no place. */
static int mark(struct db *db, struct arena *a, int64_t session_id, int64_t person_id, const char *value,
		bool self, int64_t now)
{
	struct db_stmt *st = db_stmt(db, &Q_PROG_MARK);
	const char *stamp = prog_iso(a, now);
	if (!st || db_bind_text(st, 1, value) || db_bind_text(st, 2, stamp) || db_bind_int(st, 3, self) ||
	    db_bind_text(st, 4, stamp) || db_bind_int(st, 5, session_id) || db_bind_int(st, 6, person_id))
		return ERR_DB;
	int rc = prog_run(st);
	return rc ? rc : db_changes(db) ? 0 : ERR_NOTFOUND;
}

int prog_register_save(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		       const struct prog_mark *marks, size_t n, int64_t now, json_t *errors)
{
	if (!prog_policy_register(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	if (now < s->starts - REGISTER_OPENS) {
		json_object_set_new(errors, "register",
				    json_sprintf("The register opens an hour before the session, at %s",
						 prog_when(a, s->starts - REGISTER_OPENS)));
		return ERR_CONFLICT;
	}
	for (size_t i = 0; i < n; i++)
		if (!str_eq(marks[i].value, "present") && !str_eq(marks[i].value, "late") &&
		    !str_eq(marks[i].value, "absent")) {
			json_object_set_new(errors, "register", json_string("Mark each person present, late or absent"));
			return ERR_INVALID;
		}
	int rc = db_begin(db);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = mark(db, a, s->id, marks[i].person_id, marks[i].value, false, now);
		if (rc == ERR_NOTFOUND) {
			json_object_set_new(errors, "register",
					    json_string("Someone in the register has no place on this session: reload "
							"the register and take it again"));
			rc = ERR_INVALID;
		}
	}
	return prog_finish(db, rc);
}

int prog_checkin(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_session *s,
		 const char *code, int64_t now, json_t *errors)
{
	if (!prog_policy_programme_read(acc))
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_PROG_BOOKED_ROW);
	if (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, acc->person_id))
		return ERR_DB;
	int rc = db_step(st);
	bool booked = rc == DB_ROW;
	bool marked = booked && !db_col_is_null(st, 0);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (!booked) {
		json_object_set_new(errors, "code", json_string("You have no place on this session, so you cannot check in"));
		return ERR_CONFLICT;
	}
	if (now < s->starts - CHECKIN_OPENS) {
		json_object_set_new(errors, "code",
				    json_sprintf("Check-in opens half an hour before the session, at %s",
						 prog_when(a, s->starts - CHECKIN_OPENS)));
		return ERR_CONFLICT;
	}
	if (now >= s->ends) {
		json_object_set_new(errors, "code",
				    json_string("The session has ended, so its code no longer works: ask the "
						"facilitator to mark you on the register"));
		return ERR_CONFLICT;
	}
	const char *want = checkin_code(db, a, s->id);
	char given[16];
	size_t n = 0;
	for (const char *p = code ? code : ""; *p && n + 1 < sizeof(given); p++)
		if (!isspace((unsigned char)*p))
			given[n++] = (char)toupper((unsigned char)*p);
	given[n] = '\0';
	if (!want || !str_eq(given, want)) {
		json_object_set_new(errors, "code",
				    json_string("That is not this session's code: check the code on the screen and "
						"type it again"));
		return ERR_INVALID;
	}
	if (marked)
		return 0; /* already on the register: checking in again changes nothing */
	if ((rc = db_begin(db)))
		return rc;
	rc = mark(db, a, s->id, acc->person_id, now > s->starts + LATE_AFTER ? "late" : "present", true, now);
	return prog_finish(db, rc);
}

/* Append one CSV field, quoted when it needs to be (and a leading =+-@ made harmless for spreadsheets). */
static void csv_field(struct buf *b, const char *s, bool last)
{
	s = s ? s : "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL || strchr("=+-@", s[0]) != NULL;
	if (quote) {
		buf_putc(b, '"');
		if (strchr("=+-@", s[0]) && s[0])
			buf_putc(b, '\'');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				buf_putc(b, '"');
			buf_putc(b, *p);
		}
		buf_putc(b, '"');
	} else {
		buf_puts(b, s);
	}
	buf_puts(b, last ? "\r\n" : ",");
}

void prog_csv_row(struct buf *b, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_field(b, fields[i], i + 1 == n);
}

int prog_register_csv(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		      const struct prog_session *s, struct buf *out)
{
	json_t *reg = NULL;
	int rc = prog_register_json(db, a, acc, s, clock_now(), &reg);
	if (rc)
		return rc;
	const char *when = prog_span(a, s->starts, s->ends);
	const char *head[] = {"Name", "School", "Attendance", "Checked in", "Course", "Session"};
	prog_csv_row(out, head, 6);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(reg, "register"), i, r)
	{
		const char *att = json_string_value(json_object_get(r, "attendance"));
		const char *row[] = {json_string_value(json_object_get(r, "name")),
				     json_string_value(json_object_get(r, "school_name")), att ? att : "not marked",
				     json_is_true(json_object_get(r, "checked_in")) ? "yes" : "no", c->title, when};
		prog_csv_row(out, row, 6);
	}
	json_decref(reg);
	return 0;
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

int prog_register_xlsx(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
		       const struct prog_session *s, struct buf *out)
{
	json_t *reg = NULL;
	int rc = prog_register_json(db, a, acc, s, clock_now(), &reg);
	if (rc)
		return rc;
	/* libxlsxwriter writes a file: a private temporary one, read back and removed. */
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(a, "%s/tandem-register-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		json_decref(reg);
		return ERR_IO;
	}
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Register") : NULL;
	if (!ws) {
		if (wb)
			workbook_close(wb);
		unlink(path);
		json_decref(reg);
		return ERR_IO;
	}
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	worksheet_write_string(ws, 0, 0, c->title, bold);
	worksheet_write_string(ws, 1, 0, prog_span(a, s->starts, s->ends), NULL);
	static const char *const head[] = {"Name", "School", "Attendance", "Checked in"};
	for (lxw_col_t i = 0; i < 4; i++)
		worksheet_write_string(ws, 3, i, head[i], bold);
	worksheet_set_column(ws, 0, 1, 32, NULL);
	worksheet_set_column(ws, 2, 3, 14, NULL);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(reg, "register"), i, r)
	{
		lxw_row_t row = (lxw_row_t)(4 + i);
		const char *att = json_string_value(json_object_get(r, "attendance"));
		/* Strings are written as strings: a name starting = is never a formula. */
		worksheet_write_string(ws, row, 0, json_string_value(json_object_get(r, "name")), NULL);
		worksheet_write_string(ws, row, 1, json_string_value(json_object_get(r, "school_name")), NULL);
		worksheet_write_string(ws, row, 2, att ? att : "not marked", NULL);
		worksheet_write_string(ws, row, 3, json_is_true(json_object_get(r, "checked_in")) ? "yes" : "no", NULL);
	}
	json_decref(reg);
	rc = workbook_close(wb) == LXW_NO_ERROR ? slurp(path, out) : ERR_IO;
	unlink(path);
	return rc;
}
