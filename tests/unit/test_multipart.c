// SPDX-License-Identifier: AGPL-3.0-or-later
/* test_multipart.c — multipart/form-data uploads: fields, files, broken bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/util.h"
#include "http/multipart.h"

#define CT "multipart/form-data; boundary=----b0und"

static const char good[] =
	"preamble\r\n"
	"------b0und\r\n"
	"Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	"tok123\r\n"
	"------b0und\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"edubasealldata20250502.csv\"\r\n"
	"Content-Type: text/csv\r\n\r\n"
	"\"URN\",\"EstablishmentName\"\r\n1,\"A --b school\"\r\n"
	"\r\n------b0und--\r\n";

static void fields_and_files_are_separated(void **state)
{
	struct arena *a = arena_new();
	struct multipart_part *parts;
	size_t n;
	const char *detail;
	assert_int_equal(multipart_parse(a, CT, good, sizeof(good) - 1, &parts, &n, &detail), 0);
	assert_int_equal(n, 2);
	const struct multipart_part *csrf = multipart_find(parts, n, "csrf");
	assert_non_null(csrf);
	assert_string_equal(csrf->value, "tok123");
	assert_null(csrf->filename);
	const struct multipart_part *file = multipart_find(parts, n, "file");
	assert_string_equal(file->filename, "edubasealldata20250502.csv");
	char *data;
	size_t len;
	assert_int_equal(file_read_all(file->path, 1 << 20, &data, &len), 0);
	assert_string_equal(data, "\"URN\",\"EstablishmentName\"\r\n1,\"A --b school\"\r\n");
	assert_int_equal(file->size, len);
	free(data);
	const char *path = arena_strdup(a, file->path);
	arena_free(a);
	assert_int_not_equal(access(path, F_OK), 0); /* removed with the request */
}

static void a_quoted_boundary_is_accepted(void **state)
{
	struct arena *a = arena_new();
	struct multipart_part *parts;
	size_t n;
	const char *detail;
	assert_int_equal(multipart_parse(a, "multipart/form-data; boundary=\"----b0und\"", good,
					 sizeof(good) - 1, &parts, &n, &detail), 0);
	assert_int_equal(n, 2);
	arena_free(a);
}

static void a_body_cut_short_is_refused_with_a_reason(void **state)
{
	struct arena *a = arena_new();
	struct multipart_part *parts;
	size_t n;
	const char *detail;
	assert_int_equal(multipart_parse(a, CT, good, 150, &parts, &n, &detail), ERR_INVALID);
	assert_non_null(strstr(detail, "cut short"));
	arena_free(a);
}

static void other_content_types_are_refused(void **state)
{
	struct arena *a = arena_new();
	struct multipart_part *parts;
	size_t n;
	const char *detail;
	assert_int_equal(multipart_parse(a, "application/x-www-form-urlencoded", "a=1", 3, &parts, &n,
					 &detail), ERR_INVALID);
	assert_non_null(strstr(detail, "multipart/form-data"));
	assert_int_equal(multipart_parse(a, "multipart/form-data", good, sizeof(good) - 1, &parts, &n,
					 &detail), ERR_INVALID);
	assert_int_equal(multipart_parse(a, CT, "no boundary here", 16, &parts, &n, &detail), ERR_INVALID);
	arena_free(a);
}

static void invalid_utf8_in_a_text_field_is_refused(void **state)
{
	static const char bad[] = "------b0und\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n"
				  "\xff\xfe\r\n------b0und--\r\n";
	struct arena *a = arena_new();
	struct multipart_part *parts;
	size_t n;
	const char *detail;
	assert_int_equal(multipart_parse(a, CT, bad, sizeof(bad) - 1, &parts, &n, &detail), ERR_INVALID);
	arena_free(a);
}

static void a_file_name_that_is_not_text_is_refused_with_a_reason(void **state)
{
	static const char bad[] = "------b0und\r\nContent-Disposition: form-data; name=\"file\"; "
				  "filename=\"caf\xe9.csv\"\r\nContent-Type: text/csv\r\n\r\n"
				  "URN\r\n\r\n------b0und--\r\n";
	struct arena *a = arena_new();
	struct multipart_part *parts;
	size_t n;
	const char *detail = NULL;
	assert_int_equal(multipart_parse(a, CT, bad, sizeof(bad) - 1, &parts, &n, &detail), ERR_INVALID);
	assert_non_null(detail);
	assert_non_null(strstr(detail, "not valid text"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields_and_files_are_separated),
		cmocka_unit_test(a_quoted_boundary_is_accepted),
		cmocka_unit_test(a_body_cut_short_is_refused_with_a_reason),
		cmocka_unit_test(other_content_types_are_refused),
		cmocka_unit_test(invalid_utf8_in_a_text_field_is_refused),
		cmocka_unit_test(a_file_name_that_is_not_text_is_refused_with_a_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
