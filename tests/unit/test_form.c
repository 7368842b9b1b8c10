// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_form.c — strict percent-decoding and the urlencoded parser
 * (src/http/form.c): the good cases and, as carefully, the bad ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "http/form.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* Parse s; returns the result code, fields in *out, problem in *why. */
static int parse(void **state, const char *s, struct form_field **out, enum form_problem *why)
{
	return form_parse(*state, s, strlen(s), out, why);
}

static size_t count(const struct form_field *f)
{
	size_t n = 0;
	for (; f; f = f->next)
		n++;
	return n;
}

static void pairs_are_split_on_ampersands_in_order(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(parse(state, "name=Ann&age=42", &f, &why), 0);
	assert_int_equal(why, FORM_OK);
	assert_int_equal(count(f), 2);
	assert_string_equal(f->name, "name");
	assert_string_equal(f->value, "Ann");
	assert_string_equal(f->next->name, "age");
	assert_string_equal(f->next->value, "42");
}

static void plus_decodes_to_a_space_in_forms(void **state)
{
	struct form_field *f;
	assert_int_equal(parse(state, "q=hello+world%2Bmore", &f, NULL), 0);
	assert_string_equal(f->value, "hello world+more");
}

static void percent_escapes_decode_to_utf8(void **state)
{
	struct form_field *f;
	assert_int_equal(parse(state, "town=Ynys%20M%C3%B4n&sym=%e2%82%ac", &f, NULL), 0);
	assert_string_equal(f->value, "Ynys M\xc3\xb4n");
	assert_string_equal(f->next->value, "\xe2\x82\xac");
}

static void names_are_decoded_too(void **state)
{
	struct form_field *f;
	assert_int_equal(parse(state, "a%5B%5D=1", &f, NULL), 0);
	assert_string_equal(f->name, "a[]");
}

static void a_pair_without_equals_has_an_empty_value(void **state)
{
	struct form_field *f;
	assert_int_equal(parse(state, "flag&x=", &f, NULL), 0);
	assert_int_equal(count(f), 2);
	assert_string_equal(f->value, "");
	assert_string_equal(f->next->value, "");
}

static void empty_pairs_and_empty_names_are_skipped(void **state)
{
	struct form_field *f;
	assert_int_equal(parse(state, "&&=x&a=1&&", &f, NULL), 0);
	assert_int_equal(count(f), 1);
	assert_string_equal(f->name, "a");
}

static void an_empty_string_gives_no_fields(void **state)
{
	struct form_field *f = (void *)1;
	assert_int_equal(parse(state, "", &f, NULL), 0);
	assert_null(f);
}

static void only_the_first_equals_splits_name_from_value(void **state)
{
	struct form_field *f;
	assert_int_equal(parse(state, "k=v=w", &f, NULL), 0);
	assert_string_equal(f->value, "v=w");
}

static void duplicate_keys_are_all_kept_in_order(void **state)
{
	struct form_field *f;
	assert_int_equal(parse(state, "a=1&a=2&b=3&a=4", &f, NULL), 0);
	assert_int_equal(count(f), 4);
	assert_string_equal(form_get(f, "a"), "1");
	assert_string_equal(f->next->value, "2");
	assert_null(form_get(f, "missing"));
}

static void a_non_hex_escape_is_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(parse(state, "a=%zz", &f, &why), ERR_INVALID);
	assert_int_equal(why, FORM_BAD_ESCAPE);
}

static void a_lone_percent_is_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(parse(state, "a=%", &f, &why), ERR_INVALID);
	assert_int_equal(why, FORM_BAD_ESCAPE);
	assert_int_equal(parse(state, "%=1", &f, &why), ERR_INVALID);
}

static void a_truncated_escape_is_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(parse(state, "a=%4", &f, &why), ERR_INVALID);
	assert_int_equal(why, FORM_BAD_ESCAPE);
	assert_int_equal(parse(state, "a=%4&b=1", &f, &why), ERR_INVALID);
}

static void an_encoded_nul_is_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(parse(state, "a=x%00y", &f, &why), ERR_INVALID);
	assert_int_equal(why, FORM_NUL);
}

static void a_raw_nul_byte_is_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(form_parse(*state, "a=x\0y", 5, &f, &why), ERR_INVALID);
	assert_int_equal(why, FORM_NUL);
}

static void invalid_utf8_is_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(parse(state, "a=%FF", &f, &why), ERR_INVALID);
	assert_int_equal(why, FORM_BAD_UTF8);
	assert_int_equal(parse(state, "a=%C3", &f, &why), ERR_INVALID); /* truncated sequence */
	assert_int_equal(parse(state, "a=\xff", &f, &why), ERR_INVALID); /* raw byte */
}

static void overlong_encodings_are_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	assert_int_equal(parse(state, "a=%C0%AF", &f, &why), ERR_INVALID); /* overlong '/' */
	assert_int_equal(why, FORM_BAD_UTF8);
	assert_int_equal(parse(state, "a=%E0%80%AF", &f, &why), ERR_INVALID);
	assert_int_equal(parse(state, "a=%ED%A0%80", &f, &why), ERR_INVALID); /* surrogate */
}

static void too_many_fields_are_rejected(void **state)
{
	struct form_field *f;
	enum form_problem why;
	size_t n = (FORM_MAX_FIELDS + 1) * 4;
	char *s = arena_alloc(*state, n + 1);
	for (size_t i = 0; i < FORM_MAX_FIELDS + 1; i++)
		memcpy(s + i * 4, "a=1&", 4);
	s[n] = '\0';
	assert_int_equal(form_parse(*state, s, n, &f, &why), ERR_INVALID);
	assert_int_equal(why, FORM_TOO_MANY);
}

static void input_need_not_be_nul_terminated(void **state)
{
	struct form_field *f;
	const char buf[] = {'a', '=', '1', '&', 'b'};
	assert_int_equal(form_parse(*state, buf, 3, &f, NULL), 0);
	assert_int_equal(count(f), 1);
	assert_string_equal(f->value, "1");
}

static void path_decoding_keeps_plus_as_plus(void **state)
{
	char *out;
	size_t len;
	assert_int_equal(form_decode(*state, "a+b%20c", 7, false, &out, &len, NULL), 0);
	assert_string_equal(out, "a+b c");
	assert_int_equal(len, 5);
}

static void problems_have_words_for_messages(void **state)
{
	assert_string_equal(form_problem_str(FORM_BAD_ESCAPE), "malformed percent-encoding");
	assert_non_null(form_problem_str(FORM_PROBLEM__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pairs_are_split_on_ampersands_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(plus_decodes_to_a_space_in_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(percent_escapes_decode_to_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(names_are_decoded_too, setup, teardown),
		cmocka_unit_test_setup_teardown(a_pair_without_equals_has_an_empty_value, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_pairs_and_empty_names_are_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(an_empty_string_gives_no_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(only_the_first_equals_splits_name_from_value, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_keys_are_all_kept_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(a_non_hex_escape_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(a_lone_percent_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(a_truncated_escape_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(an_encoded_nul_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(a_raw_nul_byte_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_utf8_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(overlong_encodings_are_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(too_many_fields_are_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(input_need_not_be_nul_terminated, setup, teardown),
		cmocka_unit_test_setup_teardown(path_decoding_keeps_plus_as_plus, setup, teardown),
		cmocka_unit_test_setup_teardown(problems_have_words_for_messages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
