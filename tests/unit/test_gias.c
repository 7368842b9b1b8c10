// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_gias.c — unit tests of the GIAS register and links readers
 * (src/app/schools/gias.h) on the small fixtures in tests/data/gias/
 * (real rows of the 2025 extracts plus hand-written bad files; see
 * tests/data/gias/make-fixtures.py). One behaviour per test.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/schools/gias.h"
#include "core/str.h"
#include "core/util.h"

/* ---- helpers ---- */

static char fixture_path[4096];

/* Path of a fixture file (a static buffer, overwritten by the next call). */
static const char *fixture(const char *name)
{
	const char *root = getenv("TANDEM_SOURCE_DIR");
	if (!root || !*root)
		root = TANDEM_SOURCE_DIR;
	snprintf(fixture_path, sizeof fixture_path, "%s/tests/data/gias/%s", root, name);
	return fixture_path;
}

static struct gias_reader *open_ok(const char *name)
{
	char msg[GIAS_MSG_SIZE] = "";
	struct gias_reader *r = NULL;
	int rc = gias_open(fixture(name), NULL, &r, msg, sizeof msg);
	if (rc)
		print_error("gias_open(%s): %s\n", name, msg);
	assert_int_equal(rc, 0);
	assert_non_null(r);
	return r;
}

/* The next result, which must be a row. */
static void next_row(struct gias_reader *r, struct gias_school *s)
{
	struct gias_reject rej = {0};
	int rc = gias_next(r, s, &rej);
	if (rc == GIAS_REJECT)
		print_error("unexpected rejection at line %ld [%s]: %s\n", rej.line, rej.column,
			    rej.reason);
	assert_int_equal(rc, GIAS_ROW);
}

/* The next result, which must be a rejection. */
static void next_reject(struct gias_reader *r, struct gias_reject *rej)
{
	struct gias_school s;
	int rc = gias_next(r, &s, rej);
	if (rc == GIAS_ROW)
		print_error("unexpected row URN %lld\n", (long long)s.urn);
	assert_int_equal(rc, GIAS_REJECT);
}

static void expect_eof(struct gias_reader *r)
{
	struct gias_school s;
	struct gias_reject rej;
	assert_int_equal(gias_next(r, &s, &rej), GIAS_EOF);
}

/* Open must fail with `err` and a message containing `needle`. */
static void open_fails(const char *path, int err, const char *needle)
{
	char msg[GIAS_MSG_SIZE] = "";
	struct gias_reader *r = (struct gias_reader *)1;
	int rc = gias_open(path, NULL, &r, msg, sizeof msg);
	assert_int_equal(rc, err);
	assert_null(r);
	if (!strstr(msg, needle))
		print_error("message \"%s\" lacks \"%s\"\n", msg, needle);
	assert_non_null(strstr(msg, needle));
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* Every string a row exposes, for checks that look at all of them. */
static size_t row_strings(const struct gias_school *s, const char **out)
{
	const struct gias_coded *coded[] = {
		&s->la, &s->type, &s->type_group, &s->status, &s->phase, &s->gender,
		&s->religious_character, &s->sixth_form, &s->boarders, &s->admissions_policy,
		&s->trust, &s->federation, &s->region, &s->district, &s->urban_rural,
	};
	const char *plain[] = {
		s->name, s->establishment_number, s->open_date, s->close_date, s->street,
		s->locality, s->address3, s->town, s->county, s->postcode, s->website,
		s->telephone, s->ofsted_rating, s->ofsted_date,
	};
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(coded); i++) {
		out[n++] = coded[i]->code;
		out[n++] = coded[i]->name;
	}
	for (size_t i = 0; i < ARRAY_LEN(plain); i++)
		out[n++] = plain[i];
	return n;
}

/* Rows equal in every field except the Ofsted ones (which only January has). */
static void assert_same_school(const struct gias_school *a, const struct gias_school *b)
{
	const char *sa[64], *sb[64];
	size_t n = row_strings(a, sa);
	assert_int_equal(n, row_strings(b, sb));
	for (size_t i = 0; i + 2 < n; i++) {
		if (!same_str(sa[i], sb[i]))
			print_error("string %zu differs: %s / %s\n", i, sa[i] ? sa[i] : "NULL",
				    sb[i] ? sb[i] : "NULL");
		assert_true(same_str(sa[i], sb[i]));
	}
	assert_int_equal(a->urn, b->urn);
	assert_int_equal(a->low_age, b->low_age);
	assert_int_equal(a->high_age, b->high_age);
	assert_int_equal(a->capacity, b->capacity);
	assert_int_equal(a->pupils, b->pupils);
	assert_int_equal(a->fsm, b->fsm);
	assert_int_equal(a->sen_stat, b->sen_stat);
	assert_int_equal(a->sen_no_stat, b->sen_no_stat);
	assert_true(same_num(a->percent_fsm, b->percent_fsm));
	assert_true(same_num(a->easting, b->easting));
	assert_true(same_num(a->northing, b->northing));
	assert_true(same_num(a->latitude, b->latitude));
	assert_true(same_num(a->longitude, b->longitude));
}

/* ---- the register: layouts ---- */

static void test_may_layout_reads_the_aldgate_school(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_int_equal(s.urn, 100000);
	assert_string_equal(s.name, "The Aldgate School");
	assert_string_equal(s.la.code, "201");
	assert_string_equal(s.la.name, "City of London");
	assert_string_equal(s.establishment_number, "3614");
	assert_string_equal(s.type.code, "02");
	assert_string_equal(s.type.name, "Voluntary aided school");
	assert_string_equal(s.type_group.code, "4");
	assert_string_equal(s.status.code, "1");
	assert_string_equal(s.status.name, "Open");
	assert_null(s.open_date);
	assert_null(s.close_date);
	assert_string_equal(s.phase.code, "2");
	assert_string_equal(s.phase.name, "Primary");
	assert_int_equal(s.low_age, 3);
	assert_int_equal(s.high_age, 11);
	assert_string_equal(s.gender.name, "Mixed");
	assert_string_equal(s.religious_character.name, "Church of England");
	assert_int_equal(s.capacity, 271);
	assert_int_equal(s.pupils, 244);
	assert_int_equal(s.fsm, 53);
	assert_float_equal(s.percent_fsm, 21.7, 1e-9);
	assert_int_equal(s.sen_stat, -1);
	assert_int_equal(s.sen_no_stat, -1);
	assert_null(s.trust.code);
	assert_string_equal(s.region.code, "H");
	assert_string_equal(s.region.name, "London");
	assert_string_equal(s.district.code, "E09000001");
	assert_string_equal(s.urban_rural.code, "A1");
	assert_string_equal(s.postcode, "EC3A 5DE");
	assert_string_equal(s.town, "London");
	assert_float_equal(s.easting, 533498, 0);
	assert_float_equal(s.northing, 181201, 0);
	assert_null(s.ofsted_rating);
	gias_close(r);
}

static void test_jan_layout_reads_to_the_same_values_as_may(void **state)
{
	(void)state;
	struct gias_reader *may = open_ok("may.csv"), *jan = open_ok("jan.csv");
	struct gias_school a, b;
	for (int i = 0; i < 5; i++) {
		next_row(may, &a);
		next_row(jan, &b);
		assert_same_school(&a, &b);
	}
	expect_eof(may);
	expect_eof(jan);
	gias_close(may);
	gias_close(jan);
}

static void test_jan_layout_gives_the_ofsted_rating_and_date(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("jan.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_string_equal(s.ofsted_rating, "Good");
	assert_string_equal(s.ofsted_date, "2022-05-10");
	next_row(r, &s);
	assert_null(s.ofsted_rating);
	assert_null(s.ofsted_date);
	const char *const *names;
	assert_int_equal(gias_missing_columns(r, &names), 0);
	gias_close(r);
}

static void test_may_layout_lists_the_ofsted_columns_as_missing(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv");
	const char *const *names;
	assert_int_equal(gias_missing_columns(r, &names), 2);
	assert_string_equal(names[0], "OfstedRating (name)");
	assert_string_equal(names[1], "OfstedLastInsp");
	gias_close(r);
}

static void test_gzip_and_plain_files_read_the_same(void **state)
{
	(void)state;
	struct gias_reader *plain = open_ok("may.csv"), *gz = open_ok("may.csv.gz");
	struct gias_school a, b;
	for (int i = 0; i < 5; i++) {
		next_row(plain, &a);
		next_row(gz, &b);
		assert_same_school(&a, &b);
		assert_true(same_str(a.ofsted_rating, b.ofsted_rating));
	}
	expect_eof(plain);
	expect_eof(gz);
	gias_close(plain);
	gias_close(gz);
}

static void test_progress_reaches_the_file_size_at_the_end(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv.gz");
	struct gias_school s;
	for (int i = 0; i < 5; i++)
		next_row(r, &s);
	expect_eof(r);
	uint64_t done, total;
	gias_progress(r, &done, &total);
	assert_true(total > 0);
	assert_int_equal(done, total);
	gias_close(r);
}

/* ---- encodings ---- */

static void test_cp1252_bytes_become_utf8(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("cp1252.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_string_equal(s.name, "Ysgol Awel Y M\xc3\xb4r");
	gias_close(r);
}

static void test_undefined_cp1252_bytes_become_replacement_characters(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("cp1252.csv");
	struct gias_school s;
	next_row(r, &s);
	/* "Caf" 0x81 0x80: undefined byte → U+FFFD, 0x80 → € U+20AC. */
	assert_string_equal(s.town, "Caf\xef\xbf\xbd\xe2\x82\xac");
	gias_close(r);
}

static void test_utf8_file_with_a_bom_is_not_converted_twice(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("bom-utf8.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_int_equal(s.urn, 402);
	assert_string_equal(s.name, "Ysgol Awel Y M\xc3\xb4r");
	gias_close(r);
}

/* ---- whole-file errors ---- */

static void test_header_without_urn_is_a_clear_error(void **state)
{
	(void)state;
	open_fails(fixture("no-urn.csv"), ERR_INVALID, "no \"URN\" column");
}

static void test_empty_file_is_a_clear_error(void **state)
{
	(void)state;
	open_fails(fixture("empty.csv"), ERR_INVALID, "empty");
}

static void test_a_web_page_is_not_taken_for_a_header(void **state)
{
	(void)state;
	open_fails(fixture("not-csv.csv"), ERR_INVALID, "not a GIAS extract");
}

static void test_missing_file_is_an_io_error(void **state)
{
	(void)state;
	open_fails(fixture("no-such-file.csv.gz"), ERR_IO, "no-such-file.csv.gz");
}

static void test_truncated_gzip_is_a_fatal_error(void **state)
{
	(void)state;
	char *data;
	size_t len;
	assert_int_equal(file_read_all(fixture("may.csv.gz"), 1 << 20, &data, &len), 0);
	char tmp[] = "/tmp/test_gias_XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len * 2 / 3), (ssize_t)(len * 2 / 3));
	close(fd);
	free(data);

	char msg[GIAS_MSG_SIZE];
	struct gias_reader *r;
	int rc = gias_open(tmp, NULL, &r, msg, sizeof msg);
	if (rc == 0) {
		struct gias_school s;
		struct gias_reject rej;
		while ((rc = gias_next(r, &s, &rej)) > 0)
			;
		assert_non_null(strstr(gias_errmsg(r), "truncated"));
		/* The error sticks. */
		assert_int_equal(gias_next(r, &s, &rej), rc);
		gias_close(r);
	}
	assert_int_equal(rc, ERR_PARSE);
	unlink(tmp);
}

/* ---- row errors ---- */

static void test_unterminated_quote_rejects_its_row_and_the_next_row_is_read(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("unterminated.csv");
	struct gias_school s;
	struct gias_reject rej;
	next_row(r, &s);
	assert_int_equal(s.urn, 501);
	next_reject(r, &rej);
	assert_int_equal(rej.line, 3);
	assert_non_null(strstr(rej.reason, "unterminated"));
	next_row(r, &s);
	assert_int_equal(s.urn, 503);
	gias_close(r);
}

static void test_stray_quote_rejects_the_row_naming_the_column(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("unterminated.csv");
	struct gias_school s;
	struct gias_reject rej;
	next_row(r, &s);
	next_reject(r, &rej);
	next_row(r, &s);
	next_reject(r, &rej);
	assert_int_equal(rej.line, 5);
	assert_string_equal(rej.column, "EstablishmentName");
	assert_non_null(strstr(rej.reason, "quote"));
	next_row(r, &s);
	assert_int_equal(s.urn, 506);
	gias_close(r);
}

static void test_unterminated_quote_at_end_of_file_is_rejected_with_its_line(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("unterminated.csv");
	struct gias_school s;
	struct gias_reject rej;
	int rc, last = -1;
	long line = 0;
	char reason[256] = "";
	while ((rc = gias_next(r, &s, &rej)) > 0) {
		last = rc;
		line = rc == GIAS_REJECT ? rej.line : 0;
		if (rc == GIAS_REJECT)
			snprintf(reason, sizeof reason, "%s", rej.reason);
	}
	assert_int_equal(rc, GIAS_EOF);
	assert_int_equal(last, GIAS_REJECT);
	assert_int_equal(line, 7);
	assert_non_null(strstr(reason, "end of the file"));
	gias_close(r);
}

static void test_unterminated_quote_swallowing_several_lines_costs_only_its_row(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("runaway.csv");
	struct gias_school s;
	struct gias_reject rej;
	next_reject(r, &rej);
	assert_int_equal(rej.line, 2);
	for (int urn = 2; urn <= 4; urn++) {
		next_row(r, &s);
		assert_int_equal(s.urn, urn);
	}
	expect_eof(r);
	gias_close(r);
}

static void test_a_quoted_line_break_is_part_of_the_cell(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("multiline.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_string_equal(s.name, "Two\nlines");
	assert_string_equal(s.town, "Leeds");
	next_row(r, &s);
	assert_int_equal(s.urn, 2);
	expect_eof(r);
	gias_close(r);
}

static void test_rows_with_too_few_or_too_many_fields_are_rejected(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("fields.csv");
	struct gias_school s;
	struct gias_reject rej;
	next_reject(r, &rej);
	assert_int_equal(rej.line, 2);
	assert_string_equal(rej.column, "");
	assert_non_null(strstr(rej.reason, "2 fields"));
	next_row(r, &s);
	assert_int_equal(s.urn, 602);
	next_reject(r, &rej);
	assert_int_equal(rej.line, 4);
	assert_non_null(strstr(rej.reason, "4 fields"));
	expect_eof(r);
	gias_close(r);
}

static void test_text_in_number_of_pupils_is_rejected_naming_the_column(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("bad-values.csv");
	struct gias_reject rej;
	next_reject(r, &rej);
	assert_int_equal(rej.line, 2);
	assert_string_equal(rej.column, "NumberOfPupils");
	assert_non_null(strstr(rej.reason, "not a whole number"));
	gias_close(r);
}

static void test_negative_count_is_rejected(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("bad-values.csv");
	struct gias_reject rej;
	next_reject(r, &rej);
	next_reject(r, &rej);
	assert_int_equal(rej.line, 3);
	assert_string_equal(rej.column, "SENStat");
	assert_non_null(strstr(rej.reason, "negative"));
	gias_close(r);
}

static void test_impossible_date_is_rejected(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("bad-values.csv");
	struct gias_reject rej;
	next_reject(r, &rej);
	next_reject(r, &rej);
	next_reject(r, &rej);
	assert_int_equal(rej.line, 4);
	assert_string_equal(rej.column, "OpenDate");
	assert_non_null(strstr(rej.reason, "no such date"));
	gias_close(r);
}

/* Found by fuzz_gias_row: "%.40s" cut a two-byte character in half. */
static void test_a_long_bad_value_is_quoted_without_cutting_a_character(void **state)
{
	(void)state;
	/* Windows-1252 "1" and 30 e-acutes (0xE9): 61 bytes once in UTF-8. */
	char file[128] = "URN,EstablishmentName\r\n1";
	size_t n = strlen(file);
	memset(file + n, 0xE9, 30);
	memcpy(file + n + 30, ",A\r\n", 4);
	char tmp[] = "/tmp/test_gias_XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, file, n + 34), (ssize_t)(n + 34));
	close(fd);

	char msg[GIAS_MSG_SIZE];
	struct gias_reader *r;
	assert_int_equal(gias_open(tmp, NULL, &r, msg, sizeof msg), 0);
	struct gias_reject rej;
	next_reject(r, &rej);
	assert_string_equal(rej.column, "URN");
	/* 40 bytes would end half-way through the 20th e-acute: the quote stops at 19. */
	assert_string_equal(rej.reason, "not a valid URN: \"1"
					"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
					"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
					"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\"");
	assert_true(utf8_valid(rej.reason, strlen(rej.reason)));
	expect_eof(r);
	gias_close(r);
	unlink(tmp);
}

static void test_a_good_row_among_bad_ones_is_read(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("bad-values.csv");
	struct gias_reject rej;
	struct gias_school s;
	for (int i = 0; i < 3; i++)
		next_reject(r, &rej);
	next_row(r, &s);
	assert_int_equal(s.urn, 704);
	assert_int_equal(s.sen_stat, 2);
	assert_string_equal(s.open_date, "2024-02-29");
	assert_float_equal(s.percent_fsm, 0.0, 0);
	gias_close(r);
}

static void test_percentage_over_100_and_empty_urn_are_rejected(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("bad-values.csv");
	struct gias_reject rej;
	struct gias_school s;
	for (int i = 0; i < 3; i++)
		next_reject(r, &rej);
	next_row(r, &s);
	next_reject(r, &rej);
	assert_string_equal(rej.column, "PercentageFSM");
	next_reject(r, &rej);
	assert_int_equal(rej.line, 7);
	assert_string_equal(rej.column, "URN");
	expect_eof(r);
	gias_close(r);
}

/* ---- unknown values ---- */

static void test_placeholders_become_unknown(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("placeholders.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_null(s.gender.code);
	assert_null(s.gender.name);
	assert_null(s.urban_rural.code);
	assert_null(s.region.code);
	assert_null(s.region.name);
	assert_null(s.district.code);
	assert_null(s.trust.code);
	assert_null(s.trust.name);
	assert_int_equal(s.pupils, -1);
	assert_true(isnan(s.percent_fsm));
	assert_true(isnan(s.easting));
	assert_true(isnan(s.northing));
	assert_true(isnan(s.latitude));
	assert_true(isnan(s.longitude));
	gias_close(r);
}

static void test_a_real_code_that_looks_like_a_placeholder_is_kept(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("placeholders.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_string_equal(s.type_group.code, "9");
	assert_string_equal(s.type_group.name, "Other types");
	gias_close(r);
}

static void test_open_date_01_01_1900_is_unknown(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("placeholders.csv");
	struct gias_school s;
	next_row(r, &s);
	assert_null(s.open_date);
	assert_null(s.close_date);
	gias_close(r);
}

static void test_close_date_becomes_iso(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv");
	struct gias_school s;
	next_row(r, &s);
	next_row(r, &s);
	next_row(r, &s);
	assert_int_equal(s.urn, 100037);
	assert_null(s.open_date); /* 01-01-1900 in the file */
	assert_string_equal(s.close_date, "2019-12-31");
	assert_string_equal(s.status.name, "Closed");
	gias_close(r);
}

static void test_easting_northing_become_latitude_longitude(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv");
	struct gias_school s;
	next_row(r, &s);
	/* The Aldgate School, Duke's Place, EC3A 5DE. */
	assert_float_equal(s.latitude, 51.5140, 0.001);
	assert_float_equal(s.longitude, -0.0775, 0.001);
	gias_close(r);
}

static void test_zero_easting_means_no_location(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv");
	struct gias_school s;
	for (int i = 0; i < 5; i++)
		next_row(r, &s);
	assert_int_equal(s.urn, 100410);
	assert_true(isnan(s.easting));
	assert_true(isnan(s.latitude));
	gias_close(r);
}

/* ---- columns ---- */

static void test_head_teacher_columns_are_never_exposed(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv");
	struct gias_school s;
	const char *strs[64];
	for (int i = 0; i < 5; i++) {
		next_row(r, &s);
		size_t n = row_strings(&s, strs);
		for (size_t k = 0; k < n; k++) {
			assert_true(!strs[k] || !strstr(strs[k], "Zebedee"));
			assert_true(!strs[k] || !strstr(strs[k], "Quux-Testperson"));
		}
	}
	const char *const *names;
	size_t n = gias_ignored_columns(r, &names);
	int heads = 0;
	for (size_t i = 0; i < n; i++)
		heads += !strcmp(names[i], "HeadTitle (name)") || !strcmp(names[i], "HeadFirstName") ||
			 !strcmp(names[i], "HeadLastName");
	assert_int_equal(heads, 3);
	gias_close(r);
}

static void test_ignored_columns_are_listed_in_file_order(void **state)
{
	(void)state;
	struct gias_reader *r = open_ok("may.csv");
	const char *const *names;
	size_t n = gias_ignored_columns(r, &names);
	/* 135 columns, 53 of them read. */
	assert_int_equal(n, 82);
	assert_string_equal(names[0], "ReasonEstablishmentOpened (code)");
	assert_string_equal(names[n - 1], "AccreditationExpiryDate");
	gias_close(r);
}

/* ---- links ---- */

static void test_links_reader_reads_each_link(void **state)
{
	(void)state;
	char msg[GIAS_MSG_SIZE];
	struct gias_links_reader *r;
	assert_int_equal(gias_links_open(fixture("links.csv"), NULL, &r, msg, sizeof msg), 0);
	struct gias_link l;
	struct gias_reject rej;
	assert_int_equal(gias_links_next(r, &l, &rej), GIAS_ROW);
	assert_int_equal(l.urn, 100006);
	assert_int_equal(l.link_urn, 134643);
	assert_string_equal(l.link_name, "CCfL Key Stage 3 PRU");
	assert_string_equal(l.link_type, "Predecessor - merged");
	assert_string_equal(l.date, "2022-01-01");
	assert_int_equal(gias_links_next(r, &l, &rej), GIAS_ROW);
	assert_int_equal(l.urn, 100016);
	assert_null(l.date);
	/* The last row has cp1252 bytes and no line break after it. */
	assert_int_equal(gias_links_next(r, &l, &rej), GIAS_ROW);
	assert_int_equal(l.link_urn, 148296);
	assert_string_equal(l.link_name, "North Star 82\xc2\xb0");
	assert_string_equal(l.date, "2020-12-31");
	assert_int_equal(gias_links_next(r, &l, &rej), GIAS_EOF);
	const char *const *names;
	assert_int_equal(gias_links_ignored_columns(r, &names), 0);
	gias_links_close(r);
}

static void test_links_reader_needs_a_link_urn_column(void **state)
{
	(void)state;
	char msg[GIAS_MSG_SIZE];
	struct gias_links_reader *r;
	assert_int_equal(gias_links_open(fixture("may.csv"), NULL, &r, msg, sizeof msg), ERR_INVALID);
	assert_null(r);
	assert_non_null(strstr(msg, "LinkURN"));
}

static void test_an_open_error_names_the_file_by_the_name_given_not_its_path(void **state)
{
	(void)state;
	char msg[GIAS_MSG_SIZE];
	struct gias_links_reader *l;
	assert_int_equal(gias_links_open(fixture("may.csv"), "links-may.csv", &l, msg, sizeof msg), ERR_INVALID);
	assert_true(strncmp(msg, "links-may.csv: ", 15) == 0);
	assert_null(strstr(msg, fixture("may.csv")));
	struct gias_reader *r;
	assert_int_equal(gias_open("/nonexistent/tandem-part-abc", "register.csv", &r, msg, sizeof msg), ERR_IO);
	assert_true(strncmp(msg, "register.csv: ", 14) == 0);
	assert_null(strstr(msg, "tandem-part"));
}

/* ---- phase groups and type groups ---- */

static void test_special_school_types_are_in_the_special_group(void **state)
{
	(void)state;
	const char *types[] = {"07", "08", "10", "12", "32", "33", "36", "44"};
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		assert_int_equal(gias_phase_group(types[i], "0"), GIAS_PHASE_SPECIAL);
	/* The type wins over the phase. */
	assert_int_equal(gias_phase_group("7", "2"), GIAS_PHASE_SPECIAL);
}

static void test_pupil_referral_units_and_ap_are_in_the_pru_ap_group(void **state)
{
	(void)state;
	const char *types[] = {"14", "38", "42", "43"};
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		assert_int_equal(gias_phase_group(types[i], "0"), GIAS_PHASE_PRU_AP);
}

static void test_nursery_phase_is_the_nursery_group(void **state)
{
	(void)state;
	assert_int_equal(gias_phase_group("15", "1"), GIAS_PHASE_NURSERY);
}

static void test_primary_and_middle_deemed_primary_are_primary(void **state)
{
	(void)state;
	assert_int_equal(gias_phase_group("01", "2"), GIAS_PHASE_PRIMARY);
	assert_int_equal(gias_phase_group("34", "3"), GIAS_PHASE_PRIMARY);
}

static void test_secondary_and_middle_deemed_secondary_are_secondary(void **state)
{
	(void)state;
	assert_int_equal(gias_phase_group("28", "4"), GIAS_PHASE_SECONDARY);
	assert_int_equal(gias_phase_group("01", "5"), GIAS_PHASE_SECONDARY);
}

static void test_all_through_phase_is_the_all_through_group(void **state)
{
	(void)state;
	assert_int_equal(gias_phase_group("35", "7"), GIAS_PHASE_ALL_THROUGH);
}

static void test_sixteen_plus_phase_is_the_sixteen_plus_group(void **state)
{
	(void)state;
	assert_int_equal(gias_phase_group("18", "6"), GIAS_PHASE_SIXTEEN_PLUS);
}

static void test_not_applicable_or_unknown_phase_is_none(void **state)
{
	(void)state;
	assert_int_equal(gias_phase_group("11", "0"), GIAS_PHASE_NONE);
	assert_int_equal(gias_phase_group(NULL, NULL), GIAS_PHASE_NONE);
	assert_int_equal(gias_phase_group("xx", "9"), GIAS_PHASE_NONE);
}

static void test_phase_group_names_round_trip(void **state)
{
	(void)state;
	for (int g = 0; g < GIAS_PHASE__MAX; g++) {
		enum gias_phase_group back;
		assert_int_equal(gias_phase_group_parse(gias_phase_group_name(g), &back), 0);
		assert_int_equal(back, g);
	}
	assert_string_equal(gias_phase_group_name(GIAS_PHASE_PRU_AP), "pru_ap");
	enum gias_phase_group g;
	assert_int_equal(gias_phase_group_parse("middle", &g), ERR_INVALID);
}

static void test_state_funded_type_groups_are_recognised(void **state)
{
	(void)state;
	assert_true(gias_is_state_funded("4"));
	assert_true(gias_is_state_funded("5"));
	assert_true(gias_is_state_funded("10"));
	assert_true(gias_is_state_funded("11"));
	assert_false(gias_is_state_funded("3"));
	assert_false(gias_is_state_funded("1"));
	assert_false(gias_is_state_funded(NULL));
}

static void test_independent_schools_are_recognised(void **state)
{
	(void)state;
	assert_true(gias_is_independent("3"));
	assert_false(gias_is_independent("4"));
	assert_true(gias_is_in_scope("3"));
	assert_false(gias_is_in_scope("6")); /* Welsh schools */
}

/* ---- snapshot date ---- */

static void test_snapshot_date_comes_from_the_file_name(void **state)
{
	(void)state;
	char iso[11];
	assert_int_equal(gias_snapshot_date("/data/edubasealldata20250502.csv.gz", iso), 0);
	assert_string_equal(iso, "2025-05-02");
	assert_int_equal(gias_snapshot_date("links_edubasealldata20250115.csv", iso), 0);
	assert_string_equal(iso, "2025-01-15");
}

static void test_a_file_name_without_a_date_has_no_snapshot_date(void **state)
{
	(void)state;
	char iso[11];
	assert_int_equal(gias_snapshot_date("/data/2025/gias.csv", iso), ERR_INVALID);
	assert_string_equal(iso, "");
	assert_int_equal(gias_snapshot_date("edubasealldata20251399.csv", iso), ERR_INVALID);
	assert_int_equal(gias_snapshot_date("edubasealldata202505021.csv", iso), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_may_layout_reads_the_aldgate_school),
		cmocka_unit_test(test_jan_layout_reads_to_the_same_values_as_may),
		cmocka_unit_test(test_jan_layout_gives_the_ofsted_rating_and_date),
		cmocka_unit_test(test_may_layout_lists_the_ofsted_columns_as_missing),
		cmocka_unit_test(test_gzip_and_plain_files_read_the_same),
		cmocka_unit_test(test_progress_reaches_the_file_size_at_the_end),
		cmocka_unit_test(test_cp1252_bytes_become_utf8),
		cmocka_unit_test(test_undefined_cp1252_bytes_become_replacement_characters),
		cmocka_unit_test(test_utf8_file_with_a_bom_is_not_converted_twice),
		cmocka_unit_test(test_header_without_urn_is_a_clear_error),
		cmocka_unit_test(test_empty_file_is_a_clear_error),
		cmocka_unit_test(test_a_web_page_is_not_taken_for_a_header),
		cmocka_unit_test(test_missing_file_is_an_io_error),
		cmocka_unit_test(test_truncated_gzip_is_a_fatal_error),
		cmocka_unit_test(test_unterminated_quote_rejects_its_row_and_the_next_row_is_read),
		cmocka_unit_test(test_stray_quote_rejects_the_row_naming_the_column),
		cmocka_unit_test(test_unterminated_quote_at_end_of_file_is_rejected_with_its_line),
		cmocka_unit_test(test_unterminated_quote_swallowing_several_lines_costs_only_its_row),
		cmocka_unit_test(test_a_quoted_line_break_is_part_of_the_cell),
		cmocka_unit_test(test_rows_with_too_few_or_too_many_fields_are_rejected),
		cmocka_unit_test(test_text_in_number_of_pupils_is_rejected_naming_the_column),
		cmocka_unit_test(test_negative_count_is_rejected),
		cmocka_unit_test(test_impossible_date_is_rejected),
		cmocka_unit_test(test_a_long_bad_value_is_quoted_without_cutting_a_character),
		cmocka_unit_test(test_a_good_row_among_bad_ones_is_read),
		cmocka_unit_test(test_percentage_over_100_and_empty_urn_are_rejected),
		cmocka_unit_test(test_placeholders_become_unknown),
		cmocka_unit_test(test_a_real_code_that_looks_like_a_placeholder_is_kept),
		cmocka_unit_test(test_open_date_01_01_1900_is_unknown),
		cmocka_unit_test(test_close_date_becomes_iso),
		cmocka_unit_test(test_easting_northing_become_latitude_longitude),
		cmocka_unit_test(test_zero_easting_means_no_location),
		cmocka_unit_test(test_head_teacher_columns_are_never_exposed),
		cmocka_unit_test(test_ignored_columns_are_listed_in_file_order),
		cmocka_unit_test(test_links_reader_reads_each_link),
		cmocka_unit_test(test_links_reader_needs_a_link_urn_column),
		cmocka_unit_test(test_an_open_error_names_the_file_by_the_name_given_not_its_path),
		cmocka_unit_test(test_special_school_types_are_in_the_special_group),
		cmocka_unit_test(test_pupil_referral_units_and_ap_are_in_the_pru_ap_group),
		cmocka_unit_test(test_nursery_phase_is_the_nursery_group),
		cmocka_unit_test(test_primary_and_middle_deemed_primary_are_primary),
		cmocka_unit_test(test_secondary_and_middle_deemed_secondary_are_secondary),
		cmocka_unit_test(test_all_through_phase_is_the_all_through_group),
		cmocka_unit_test(test_sixteen_plus_phase_is_the_sixteen_plus_group),
		cmocka_unit_test(test_not_applicable_or_unknown_phase_is_none),
		cmocka_unit_test(test_phase_group_names_round_trip),
		cmocka_unit_test(test_state_funded_type_groups_are_recognised),
		cmocka_unit_test(test_independent_schools_are_recognised),
		cmocka_unit_test(test_snapshot_date_comes_from_the_file_name),
		cmocka_unit_test(test_a_file_name_without_a_date_has_no_snapshot_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
