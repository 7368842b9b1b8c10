// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_practice_files.c — how shared practice recognises an attachment by
 * its content (src/app/practice/attachments.c, practice_file_check): the
 * signatures of PDF, PNG and JPEG; Office Open XML through the zip's
 * [Content_Types].xml, stored or deflated; executables refused by name;
 * anything else refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <string.h>

#include <zlib.h>

#include "app/practice/attachments.h"

/* Put v little-endian at p. */
static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, unsigned long v)
{
	put16(p, (unsigned)(v & 0xffff));
	put16(p + 2, (unsigned)(v >> 16));
}

/* A zip holding one entry name with text, deflated or stored, into out (returns its length). */
static size_t zip_one(const char *name, const char *text, bool deflated, unsigned char *out, size_t cap)
{
	size_t nlen = strlen(name), tlen = strlen(text);
	unsigned char packed[4096];
	size_t plen = tlen;
	if (deflated) {
		z_stream zs;
		memset(&zs, 0, sizeof(zs));
		assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
		zs.next_in = (Bytef *)(uintptr_t)text;
		zs.avail_in = (uInt)tlen;
		zs.next_out = packed;
		zs.avail_out = sizeof(packed);
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		plen = zs.total_out;
		deflateEnd(&zs);
	} else {
		memcpy(packed, text, tlen);
	}
	assert_true(30 + nlen + plen + 46 + nlen + 22 <= cap);
	unsigned char *p = out;
	memset(out, 0, cap);
	put32(p, 0x04034b50UL);
	put16(p + 8, deflated ? 8 : 0);
	put32(p + 18, plen);
	put32(p + 22, tlen);
	put16(p + 26, (unsigned)nlen);
	memcpy(p + 30, name, nlen);
	memcpy(p + 30 + nlen, packed, plen);
	size_t cd = 30 + nlen + plen;
	p = out + cd;
	put32(p, 0x02014b50UL);
	put16(p + 10, deflated ? 8 : 0);
	put32(p + 20, plen);
	put32(p + 24, tlen);
	put16(p + 28, (unsigned)nlen);
	put32(p + 42, 0);
	memcpy(p + 46, name, nlen);
	size_t end = cd + 46 + nlen;
	p = out + end;
	put32(p, 0x06054b50UL);
	put16(p + 8, 1);
	put16(p + 10, 1);
	put32(p + 12, 46 + nlen);
	put32(p + 16, cd);
	return end + 22;
}

static const char word[] = "<Types><Override ContentType=\"application/vnd.openxmlformats-officedocument."
			   "wordprocessingml.document.main+xml\"/></Types>";

static void test_pdf_png_and_jpeg_are_known_by_their_first_bytes(void **state)
{
	(void)state;
	struct practice_file_type t;
	const char *why = NULL;
	assert_int_equal(practice_file_check((const unsigned char *)"%PDF-1.7 ...", 12, &t, &why), 0);
	assert_string_equal(t.mime, "application/pdf");
	assert_int_equal(practice_file_check((const unsigned char *)"\x89PNG\r\n\x1a\n....", 12, &t, &why), 0);
	assert_string_equal(t.mime, "image/png");
	assert_int_equal(practice_file_check((const unsigned char *)"\xff\xd8\xff\xe1....", 8, &t, &why), 0);
	assert_string_equal(t.mime, "image/jpeg");
}

static void test_a_word_document_is_known_deflated_or_stored(void **state)
{
	(void)state;
	unsigned char zip[8192];
	struct practice_file_type t;
	const char *why = NULL;
	for (int deflated = 0; deflated < 2; deflated++) {
		size_t n = zip_one("[Content_Types].xml", word, deflated, zip, sizeof(zip));
		assert_int_equal(practice_file_check(zip, n, &t, &why), 0);
		assert_string_equal(t.ext, "docx");
	}
}

static void test_a_zip_without_an_office_main_part_is_refused(void **state)
{
	(void)state;
	unsigned char zip[8192];
	struct practice_file_type t;
	const char *why = NULL;
	size_t n = zip_one("readme.txt", word, true, zip, sizeof(zip));
	assert_int_equal(practice_file_check(zip, n, &t, &why), ERR_INVALID);
	assert_non_null(strstr(why, "not a Word document"));
	assert_int_equal(practice_file_check(zip, n - 1, &t, &why), ERR_INVALID); /* cut short */
}

static void test_executables_are_refused_by_name(void **state)
{
	(void)state;
	struct practice_file_type t;
	const char *inputs[] = {"MZ\x90", "\x7f" "ELF\x02", "#!/bin/sh", "\xcf\xfa\xed\xfe"};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		const char *why = NULL;
		assert_int_equal(practice_file_check((const unsigned char *)inputs[i], strlen(inputs[i]), &t, &why),
				 ERR_INVALID);
		assert_non_null(strstr(why, "executable"));
	}
}

static void test_anything_else_is_refused_whatever_it_is_called(void **state)
{
	(void)state;
	struct practice_file_type t;
	const char *why = NULL;
	assert_int_equal(practice_file_check((const unsigned char *)"GIF89a....", 10, &t, &why), ERR_INVALID);
	assert_non_null(strstr(why, "none of them"));
	assert_int_equal(practice_file_check((const unsigned char *)"", 0, &t, &why), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_png_and_jpeg_are_known_by_their_first_bytes),
		cmocka_unit_test(test_a_word_document_is_known_deflated_or_stored),
		cmocka_unit_test(test_a_zip_without_an_office_main_part_is_refused),
		cmocka_unit_test(test_executables_are_refused_by_name),
		cmocka_unit_test(test_anything_else_is_refused_whatever_it_is_called),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
