// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * certificate.c — certificates of attendance, as PDF drawn with cairo: the
 * person's name, the course, the session's date and hours of CPD, the
 * facilitators with their schools, the network, and a verification code
 * that /certificates/{code} checks publicly. Only a place marked present
 * (or late) on the register earns one; the code is made the first time
 * the certificate is asked for and kept with the booking. Facilitators and
 * coordinators can print a whole session's certificates as one PDF.
 */
#include "app/programme/prog.h"
#include "app/programme/programme.h"

#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* A4 landscape, in points. */
#define PAGE_W 841.89
#define PAGE_H 595.28
/* Characters of a certificate's verification code. */
#define CERT_CODE_LEN 12

DB_QUERY(Q_CERT_PLACES,
	 "SELECT b.id, b.person_id, p.name, b.attendance, b.certificate_code FROM booking b "
	 "JOIN person p ON p.id = b.person_id WHERE b.session_id = ?1 AND b.status = 'booked' "
	 "AND (?2 = 0 OR b.person_id = ?2) ORDER BY p.name, b.id");
DB_QUERY(Q_CERT_SET_CODE,
	 "UPDATE booking SET certificate_code = ? WHERE id = ? AND certificate_code IS NULL");
DB_QUERY(Q_CERT_TEAM,
	 "SELECT p.name, COALESCE(sc.name, 'URN ' || f.urn) FROM course_facilitator f JOIN person p ON p.id = f.person_id "
	 "LEFT JOIN school sc ON sc.urn = f.urn WHERE f.course_id = ? ORDER BY p.name");
DB_QUERY(Q_CERT_NETWORK, "SELECT name FROM network WHERE id = ?");
DB_QUERY(Q_CERT_CHECK,
	 "SELECT p.name, c.title, n.name, s.starts_at, s.ends_at, s.cpd_hundredths, b.attendance FROM booking b "
	 "JOIN person p ON p.id = b.person_id JOIN course_session s ON s.id = b.session_id "
	 "JOIN course c ON c.id = s.course_id JOIN network n ON n.id = c.network_id "
	 "WHERE b.certificate_code = ? AND b.status = 'booked'");

/* One certificate's text. */
struct cert {
	const char *name;    /* the attendee */
	const char *course;  /* the course's title */
	const char *day;     /* "6 December 2026" */
	const char *hours;   /* "1.5" */
	const char *team;    /* "Sid Staff (Weetwood Primary School), …" */
	const char *network; /* the network's name */
	const char *code;    /* the verification code */
	const char *check;   /* where to check it: "https://…/certificates/CODE" */
};

/* cairo's write function: append to a struct buf. */
static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
	buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* Draw text centred on the page at baseline y, shrinking it to fit the width. */
static void centred(cairo_t *cr, const char *text, double size, double y, bool bold)
{
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_text_extents_t ext;
	for (;;) {
		cairo_set_font_size(cr, size);
		cairo_text_extents(cr, text, &ext);
		if (ext.width <= PAGE_W - 120 || size <= 7)
			break;
		size -= 1;
	}
	cairo_move_to(cr, (PAGE_W - ext.width) / 2 - ext.x_bearing, y);
	cairo_show_text(cr, text);
}

/* Draw one certificate on the current page and end the page. */
static void draw(cairo_t *cr, struct arena *a, const struct cert *c)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.13, 0.35, 0.42);
	cairo_set_line_width(cr, 6);
	cairo_rectangle(cr, 28, 28, PAGE_W - 56, PAGE_H - 56);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	centred(cr, "Certificate of attendance", 34, 120, true);
	centred(cr, "This is to certify that", 16, 175, false);
	centred(cr, c->name, 30, 225, true);
	centred(cr, "attended", 16, 265, false);
	centred(cr, c->course, 24, 310, true);
	centred(cr, arena_printf(a, "on %s, counting for %s hour%s of professional development", c->day, c->hours,
				 str_eq(c->hours, "1") ? "" : "s"),
		14, 350, false);
	if (c->team && *c->team)
		centred(cr, arena_printf(a, "Delivered by %s", c->team), 12, 390, false);
	centred(cr, c->network, 16, 440, true);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	centred(cr, arena_printf(a, "Verification code %s: check it at %s", c->code, c->check), 10, 520, false);
	cairo_show_page(cr);
}

/* A new verification code: CERT_CODE_LEN letters and digits nobody mistakes for each other. */
static const char *new_code(struct arena *a)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char *code = arena_alloc(a, CERT_CODE_LEN + 1);
	for (int i = 0; i < CERT_CODE_LEN; i++)
		code[i] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
	code[CERT_CODE_LEN] = '\0';
	return code;
}

/* "Name (School), Name (School)" for course_id (arena). */
static const char *team_text(struct db *db, struct arena *a, int64_t course_id)
{
	struct buf b = BUF_INIT;
	struct db_stmt *st = db_stmt(db, &Q_CERT_TEAM);
	if (st && db_bind_int(st, 1, course_id) == 0) {
		while (db_step(st) == DB_ROW)
			buf_printf(&b, "%s%s (%s)", b.len ? ", " : "", db_col_text(st, 0), db_col_text(st, 1));
		db_reset(st);
	}
	const char *t = arena_strdup(a, b.len ? buf_str(&b) : "");
	buf_free(&b);
	return t;
}

int prog_certificates(struct db *db, struct arena *a, const struct prog_access *acc, const struct network *net,
		      const struct prog_course *c, const struct prog_session *s, int64_t person_id,
		      const char *base_url, struct buf *out, json_t *errors)
{
	(void)net;
	bool all = person_id == 0;
	int64_t whom = all ? 0 : person_id;
	if (all || whom != acc->person_id) {
		if (!prog_policy_register(acc))
			return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	} else if (!prog_policy_programme_read(acc)) {
		return ERR_NOTFOUND;
	}
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_CERT_PLACES);
	if (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, whom)) {
		db_rollback(db);
		return ERR_DB;
	}
	json_t *rows = db_rows_json(st);
	if (!rows) {
		db_rollback(db);
		return ERR_DB;
	}
	/* Only places marked present or late earn a certificate; each gets its code once. */
	size_t i, n = 0;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *att = json_string_value(json_object_get(r, "attendance"));
		if (!str_eq(att, "present") && !str_eq(att, "late"))
			continue;
		n++;
		if (json_string_value(json_object_get(r, "certificate_code")))
			continue;
		const char *code = new_code(a);
		st = db_stmt(db, &Q_CERT_SET_CODE);
		if (!st || db_bind_text(st, 1, code) || db_bind_int(st, 2, json_integer_value(json_object_get(r, "id"))))
			rc = ERR_DB;
		else
			rc = prog_run(st);
		if (rc)
			break;
		json_object_set_new(r, "certificate_code", json_string(code));
	}
	if (rc == 0 && n == 0) {
		json_object_set_new(errors, "certificate",
				    json_string(all ? "Nobody is marked present on this session's register yet, so there "
						      "are no certificates to print"
						    : "A certificate is only for a place marked present on the register, and "
						      "this one is not"));
		rc = ERR_CONFLICT;
	}
	if ((rc = prog_finish(db, rc))) {
		json_decref(rows);
		return rc;
	}
	const char *network = "";
	if ((st = db_stmt(db, &Q_CERT_NETWORK)) && db_bind_int(st, 1, acc->network_id) == 0 && db_step(st) == DB_ROW)
		network = arena_strdup(a, db_col_text(st, 0));
	if (st)
		db_reset(st);
	char day[40];
	clock_format_day(s->starts + clock_uk_offset(s->starts), true, day, sizeof(day));
	const char *team = team_text(db, a, c->id), *hours = prog_hours(a, s->cpd_hundredths);

	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Certificate of attendance");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Tandem");
	cairo_t *cr = cairo_create(surface);
	json_array_foreach(rows, i, r)
	{
		const char *att = json_string_value(json_object_get(r, "attendance"));
		if (!str_eq(att, "present") && !str_eq(att, "late"))
			continue;
		const char *code = json_string_value(json_object_get(r, "certificate_code"));
		struct cert cert = {
			.name = json_string_value(json_object_get(r, "name")),
			.course = c->title,
			.day = day,
			.hours = hours,
			.team = team,
			.network = network,
			.code = code,
			.check = arena_printf(a, "%s/certificates/%s", base_url ? base_url : "", code),
		};
		draw(cr, a, &cert);
	}
	cairo_status_t status = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	json_decref(rows);
	return status == CAIRO_STATUS_SUCCESS ? 0 : ERR_INTERNAL;
}

int prog_certificate_check(struct db *db, struct arena *a, const char *code, json_t **out)
{
	*out = NULL;
	if (!code || strlen(code) != CERT_CODE_LEN)
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_CERT_CHECK);
	if (!st || db_bind_text(st, 1, code))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int64_t starts = 0, ends = 0;
		if (clock_parse_iso(db_col_text(st, 3), &starts) || clock_parse_iso(db_col_text(st, 4), &ends))
			starts = ends = 0;
		const char *att = db_col_text(st, 6);
		if (str_eq(att, "present") || str_eq(att, "late")) {
			char day[40];
			clock_format_day(starts + clock_uk_offset(starts), true, day, sizeof(day));
			*out = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s}", "genuine", 1, "code", code, "name",
					 db_col_text(st, 0), "course", db_col_text(st, 1), "network", db_col_text(st, 2),
					 "day", day, "cpd_hours", prog_hours(a, db_col_int(st, 5)));
		}
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return *out ? 0 : ERR_NOTFOUND;
}

void programme_shutdown(void)
{
	prog_listing_release();
	/* Drawing text fills cairo's and fontconfig's process-wide caches; give them back. */
	cairo_debug_reset_static_data();
	FcFini();
}
