// SPDX-License-Identifier: AGPL-3.0-or-later
/* test_str.c — strict numbers, UTF-8 validation, trimming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/str.h"

static void whole_numbers_parse_strictly(void **state)
{
	int64_t v;
	assert_int_equal(str_to_int64("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(str_to_int64("-7", &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(str_to_int64("9223372036854775807", &v), 0);
	assert_int_equal(str_to_int64("9223372036854775808", &v), ERR_INVALID);
	assert_int_equal(str_to_int64("", &v), ERR_INVALID);
	assert_int_equal(str_to_int64("-", &v), ERR_INVALID);
	assert_int_equal(str_to_int64(" 1", &v), ERR_INVALID);
	assert_int_equal(str_to_int64("1x", &v), ERR_INVALID);
	assert_int_equal(str_to_int64("+1", &v), ERR_INVALID);
	assert_int_equal(str_to_int64("0x10", &v), ERR_INVALID);
	assert_int_equal(str_to_int64(NULL, &v), ERR_INVALID);
}

static void decimals_parse_without_exponents_or_infinities(void **state)
{
	double d;
	assert_int_equal(str_to_double("21.70", &d), 0);
	assert_true(d > 21.69 && d < 21.71);
	assert_int_equal(str_to_double(".00", &d), 0);
	assert_true(d == 0.0);
	assert_int_equal(str_to_double("-3", &d), 0);
	assert_int_equal(str_to_double("1e5", &d), ERR_INVALID);
	assert_int_equal(str_to_double("inf", &d), ERR_INVALID);
	assert_int_equal(str_to_double("nan", &d), ERR_INVALID);
	assert_int_equal(str_to_double("1.2.3", &d), ERR_INVALID);
	assert_int_equal(str_to_double(".", &d), ERR_INVALID);
}

static void utf8_validation_rejects_malformed_sequences(void **state)
{
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("Awel Y M\xc3\xb4r", 10));
	assert_true(utf8_valid("\xe2\x82\xac", 3));         /* euro sign */
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));     /* emoji */
	assert_false(utf8_valid("\xc3", 1));                /* truncated */
	assert_false(utf8_valid("\xc0\xaf", 2));            /* overlong '/' */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));        /* overlong 3-byte */
	assert_false(utf8_valid("\xed\xa0\x80", 3));        /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));    /* above U+10FFFF */
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("a\0b", 3));                /* embedded NUL */
	assert_int_equal(utf8_len("M\xc3\xb4r", 4), 3);
}

static void comparisons_are_null_safe(void **state)
{
	assert_true(str_eq(NULL, NULL));
	assert_false(str_eq("a", NULL));
	assert_true(str_case_eq("HeLLo", "hello"));
	assert_true(str_starts_with("/schools/1", "/schools"));
	assert_false(str_starts_with(NULL, "x"));
	assert_true(str_ends_with("file.csv.gz", ".gz"));
	assert_false(str_ends_with("gz", ".gz"));
}

static void trimming_and_lowering_copy_into_the_arena(void **state)
{
	struct arena *a = arena_new();
	assert_string_equal(str_trim(a, "  x y \t\n"), "x y");
	assert_string_equal(str_trim(a, "   "), "");
	assert_string_equal(str_lower(a, "SW1A 1AA"), "sw1a 1aa");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_numbers_parse_strictly),
		cmocka_unit_test(decimals_parse_without_exponents_or_infinities),
		cmocka_unit_test(utf8_validation_rejects_malformed_sequences),
		cmocka_unit_test(comparisons_are_null_safe),
		cmocka_unit_test(trimming_and_lowering_copy_into_the_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
