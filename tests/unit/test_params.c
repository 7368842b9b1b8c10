// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_params.c — validation of declared parameters (src/http/params.c)
 * from form fields and from JSON bodies: every type, ranges, lengths in
 * characters, required, multi, and the messages people read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/arena.h"
#include "http/form.h"
#include "http/params.h"

static const char *const phases[] = {"primary", "secondary", "all-through", NULL};

static const struct param_spec specs[] = {
	{"pupils", PARAM_INT, 0, 0, 5000, NULL, "Number of pupils"},
	{"ratio", PARAM_NUMBER, 0, 0, 100, NULL, "Ratio"},
	{"name", PARAM_STRING, PARAM_REQUIRED, 2, 10, NULL, "Name"},
	{"bio", PARAM_TEXT, 0, 0, 0, NULL, "Biography"},
	{"phase", PARAM_ENUM, 0, 0, 0, phases, "Phase"},
	{"open", PARAM_BOOL, 0, 0, 0, NULL, NULL},
	{"day", PARAM_DATE, 0, 0, 0, NULL, "Date"},
	{"email", PARAM_EMAIL, 0, 0, 0, NULL, "Email"},
	{"tag", PARAM_STRING, PARAM_MULTI, 0, 0, NULL, "Tag"},
	{"any", PARAM_INT, 0, 0, 0, NULL, NULL},
	{NULL, PARAM_STRING, 0, 0, 0, NULL, NULL},
};

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

/* Validate a query-style string (name is always supplied unless given). */
static struct params run(void **state, const char *query)
{
	struct form_field *f = NULL;
	struct params p;
	assert_int_equal(form_parse(*state, query, strlen(query), &f, NULL), 0);
	params_validate(*state, specs, f, NULL, &p);
	return p;
}

/* The error message for field, or NULL. */
static const char *error_for(const struct params *p, const char *field)
{
	return p->errors ? json_string_value(json_object_get(p->errors, field)) : NULL;
}

static void valid_values_are_typed(void **state)
{
	struct params p = run(state, "name=Ann&pupils=420&ratio=21.5&open=on&day=2024-02-29"
				     "&email=head%40school.example&phase=primary");
	assert_null(p.errors);
	assert_int_equal(params_find(&p, "pupils")->i, 420);
	assert_true(params_find(&p, "ratio")->d > 21.4);
	assert_true(params_find(&p, "open")->b);
	assert_string_equal(params_find(&p, "day")->values[0], "2024-02-29");
	assert_string_equal(params_find(&p, "phase")->values[0], "primary");
}

static void a_missing_required_field_is_named(void **state)
{
	struct params p = run(state, "pupils=1");
	assert_string_equal(error_for(&p, "name"), "Name is required");
	assert_false(params_find(&p, "name")->present);
	assert_true(params_find(&p, "pupils")->present);
}

static void an_empty_value_counts_as_absent(void **state)
{
	struct params p = run(state, "name=&pupils=");
	assert_string_equal(error_for(&p, "name"), "Name is required");
	assert_null(error_for(&p, "pupils"));
	assert_false(params_find(&p, "pupils")->present);
}

static void white_space_only_counts_as_absent(void **state)
{
	struct params p = run(state, "name=+++&bio=%0A%20");
	assert_string_equal(error_for(&p, "name"), "Name is required");
	assert_false(params_find(&p, "bio")->present);
}

static void an_int_out_of_range_says_the_range(void **state)
{
	struct params p = run(state, "name=Ann&pupils=5001");
	assert_string_equal(error_for(&p, "pupils"),
			    "Number of pupils must be a whole number between 0 and 5000");
}

static void a_non_numeric_int_says_the_range(void **state)
{
	struct params p = run(state, "name=Ann&pupils=12abc");
	assert_string_equal(error_for(&p, "pupils"),
			    "Number of pupils must be a whole number between 0 and 5000");
	p = run(state, "name=Ann&pupils=1.5");
	assert_non_null(error_for(&p, "pupils"));
}

static void a_huge_number_is_not_a_whole_number(void **state)
{
	struct params p = run(state, "name=Ann&any=99999999999999999999999");
	assert_string_equal(error_for(&p, "any"), "any must be a whole number");
	p = run(state, "name=Ann&any=-9223372036854775808");
	assert_null(p.errors);
	assert_int_equal(params_find(&p, "any")->i, INT64_MIN);
}

static void numbers_are_surrounding_space_tolerant(void **state)
{
	struct params p = run(state, "name=Ann&pupils=+42+");
	assert_null(p.errors);
	assert_int_equal(params_find(&p, "pupils")->i, 42);
}

static void a_decimal_out_of_range_is_refused(void **state)
{
	struct params p = run(state, "name=Ann&ratio=100.5");
	assert_string_equal(error_for(&p, "ratio"), "Ratio must be a number between 0 and 100");
	p = run(state, "name=Ann&ratio=1e3");
	assert_non_null(error_for(&p, "ratio"));
}

static void string_length_counts_characters_not_bytes(void **state)
{
	/* Ten characters, twenty bytes: fits a max of 10. */
	struct params p = run(state, "name=%C3%B4%C3%B4%C3%B4%C3%B4%C3%B4%C3%B4%C3%B4%C3%B4%C3%B4%C3%B4");
	assert_null(p.errors);
}

static void an_over_long_string_is_an_error_not_truncated(void **state)
{
	struct params p = run(state, "name=abcdefghijk");
	assert_string_equal(error_for(&p, "name"), "Name must be between 2 and 10 characters long");
	assert_false(params_find(&p, "name")->present);
}

static void a_too_short_string_is_an_error(void **state)
{
	struct params p = run(state, "name=A");
	assert_string_equal(error_for(&p, "name"), "Name must be between 2 and 10 characters long");
}

static void a_default_string_limit_applies(void **state)
{
	char q[400] = "name=Ann&tag=";
	memset(q + strlen(q), 'x', PARAM_STRING_MAX + 1);
	struct params p = run(state, q);
	assert_string_equal(error_for(&p, "tag"), "Tag must be at most 200 characters long");
}

static void a_string_must_be_one_line(void **state)
{
	struct params p = run(state, "name=An%0An");
	assert_string_equal(error_for(&p, "name"), "Name must be a single line of text");
}

static void text_allows_newlines_but_not_other_controls(void **state)
{
	struct params p = run(state, "name=Ann&bio=line%0D%0Aline%09tab");
	assert_null(p.errors);
	p = run(state, "name=Ann&bio=bell%07");
	assert_string_equal(error_for(&p, "bio"), "Biography must not contain control characters");
}

static void an_enum_miss_lists_the_choices(void **state)
{
	struct params p = run(state, "name=Ann&phase=nursery");
	assert_string_equal(error_for(&p, "phase"),
			    "Phase must be one of: primary, secondary, all-through");
	p = run(state, "name=Ann&phase=Primary");
	assert_non_null(error_for(&p, "phase"));
}

static void booleans_accept_the_usual_words(void **state)
{
	const char *yes[] = {"1", "true", "on", "yes", "TRUE"};
	const char *no[] = {"0", "false", "off", "no"};
	for (size_t i = 0; i < 5; i++) {
		struct params p = run(state, arena_printf(*state, "name=Ann&open=%s", yes[i]));
		assert_null(p.errors);
		assert_true(params_find(&p, "open")->b);
	}
	for (size_t i = 0; i < 4; i++) {
		struct params p = run(state, arena_printf(*state, "name=Ann&open=%s", no[i]));
		assert_null(p.errors);
		assert_false(params_find(&p, "open")->b);
	}
	struct params p = run(state, "name=Ann&open=maybe");
	assert_string_equal(error_for(&p, "open"), "open must be yes or no (true or false)");
}

static void dates_must_be_real_calendar_dates(void **state)
{
	(void)state;
	assert_true(param_date_valid("2025-02-28"));
	assert_true(param_date_valid("2024-02-29"));
	assert_true(param_date_valid("2000-02-29"));
	assert_false(param_date_valid("2025-02-30"));
	assert_false(param_date_valid("2025-02-29"));
	assert_false(param_date_valid("1900-02-29"));
	assert_false(param_date_valid("2025-13-01"));
	assert_false(param_date_valid("2025-04-31"));
	assert_false(param_date_valid("2025-00-10"));
	assert_false(param_date_valid("0000-01-01"));
	assert_false(param_date_valid("2025-1-01"));
	assert_false(param_date_valid("2025/01/01"));
	assert_false(param_date_valid("2025-01-01T00:00"));
}

static void an_impossible_date_is_a_field_error(void **state)
{
	struct params p = run(state, "name=Ann&day=2025-02-30");
	assert_string_equal(error_for(&p, "day"),
			    "Date must be a real date written as YYYY-MM-DD: February 2025 has 28 days");
	p = run(state, "name=Ann&day=2025-04-31");
	assert_string_equal(error_for(&p, "day"), "Date must be a real date written as YYYY-MM-DD: April 2025 has 30 days");
	p = run(state, "name=Ann&day=2025-13-01");
	assert_string_equal(error_for(&p, "day"),
			    "Date must be a real date written as YYYY-MM-DD: there is no month 13 (months run from 01 to 12)");
	p = run(state, "name=Ann&day=1 March");
	assert_string_equal(error_for(&p, "day"), "Date must be a real date written as YYYY-MM-DD");
}

static void email_addresses_must_be_plausible(void **state)
{
	(void)state;
	assert_true(param_email_valid("head@school.example.org"));
	assert_true(param_email_valid("a.b+c@d-e.uk"));
	assert_false(param_email_valid("no-at-sign"));
	assert_false(param_email_valid("two@@at.uk"));
	assert_false(param_email_valid("a@b@c.uk"));
	assert_false(param_email_valid("@school.uk"));
	assert_false(param_email_valid("head@"));
	assert_false(param_email_valid("head@localhost"));
	assert_false(param_email_valid("he ad@school.uk"));
	assert_false(param_email_valid("head@.school.uk"));
	assert_false(param_email_valid("head@school..uk"));
	assert_false(param_email_valid("head@school.uk."));
}

static void an_over_long_email_is_refused(void **state)
{
	char e[300];
	memset(e, 'a', 64);
	e[64] = '@';
	memset(e + 65, 'b', 200);
	memcpy(e + 265, ".uk", 4);
	(void)state;
	assert_false(param_email_valid(e));
}

static void a_repeated_single_value_field_is_an_error(void **state)
{
	struct params p = run(state, "name=Ann&name=Bob");
	assert_string_equal(error_for(&p, "name"), "Name must be given only once");
}

static void a_multi_field_keeps_every_value_in_order(void **state)
{
	struct params p = run(state, "name=Ann&tag=maths&tag=&tag=send");
	assert_null(p.errors);
	const struct param_value *v = params_find(&p, "tag");
	assert_int_equal(v->n, 2);
	assert_string_equal(v->values[0], "maths");
	assert_string_equal(v->values[1], "send");
}

static void undeclared_fields_are_ignored(void **state)
{
	struct params p = run(state, "name=Ann&evil=%3Cscript%3E");
	assert_null(p.errors);
	assert_null(params_find(&p, "evil"));
}

static void several_errors_are_reported_together(void **state)
{
	struct params p = run(state, "pupils=-1&day=yesterday&email=x");
	assert_int_equal(json_object_size(p.errors), 4);
}

/* Validate a JSON body. */
static struct params run_json(void **state, const char *text)
{
	json_t *obj = json_loads(text, 0, NULL);
	assert_non_null(obj);
	struct params p;
	params_validate(*state, specs, NULL, obj, &p);
	json_decref(obj); /* values were copied into the arena */
	return p;
}

static void json_fields_may_be_numbers_booleans_and_strings(void **state)
{
	struct params p = run_json(state, "{\"name\": \"Ann\", \"pupils\": 300, \"ratio\": 2.5, "
					  "\"open\": true, \"any\": \"7\"}");
	assert_null(p.errors);
	assert_int_equal(params_find(&p, "pupils")->i, 300);
	assert_true(params_find(&p, "ratio")->d == 2.5);
	assert_true(params_find(&p, "open")->b);
	assert_int_equal(params_find(&p, "any")->i, 7);
}

static void a_json_array_is_a_multi_value(void **state)
{
	struct params p = run_json(state, "{\"name\": \"Ann\", \"tag\": [\"a\", \"b\", 3]}");
	assert_null(p.errors);
	assert_int_equal(params_find(&p, "tag")->n, 3);
	assert_string_equal(params_find(&p, "tag")->values[2], "3");
}

static void a_json_array_for_a_single_value_is_an_error(void **state)
{
	struct params p = run_json(state, "{\"name\": [\"Ann\"]}");
	assert_string_equal(error_for(&p, "name"), "Name must be a single value, not a list");
}

static void json_objects_and_nested_lists_are_errors(void **state)
{
	struct params p = run_json(state, "{\"name\": {\"first\": \"Ann\"}, \"tag\": [[1]]}");
	assert_string_equal(error_for(&p, "name"), "Name must be a single value");
	assert_string_equal(error_for(&p, "tag"), "Tag must be a list of single values");
}

static void json_null_counts_as_absent(void **state)
{
	struct params p = run_json(state, "{\"name\": \"Ann\", \"pupils\": null}");
	assert_null(p.errors);
	assert_false(params_find(&p, "pupils")->present);
}

static void a_json_fraction_is_not_a_whole_number(void **state)
{
	struct params p = run_json(state, "{\"name\": \"Ann\", \"pupils\": 2.5}");
	assert_non_null(error_for(&p, "pupils"));
}

static void a_value_with_an_embedded_nul_is_refused(void **state)
{
	json_t *obj = json_loads("{\"name\": \"A\\u0000nn\"}", JSON_ALLOW_NUL, NULL);
	assert_non_null(obj);
	struct params p;
	params_validate(*state, specs, NULL, obj, &p);
	json_decref(obj);
	assert_string_equal(error_for(&p, "name"), "Name contains characters that are not allowed");
}

static void no_specs_means_nothing_to_check(void **state)
{
	struct params p;
	params_validate(*state, NULL, NULL, NULL, &p);
	assert_int_equal(p.n, 0);
	assert_null(p.errors);
	assert_null(params_find(&p, "x"));
}

static void broken_spec_tables_are_refused(void **state)
{
	(void)state;
	char err[200];
	const struct param_spec no_choices[] = {{"p", PARAM_ENUM, 0, 0, 0, NULL, NULL},
						 {NULL, PARAM_STRING, 0, 0, 0, NULL, NULL}};
	const struct param_spec twice[] = {{"p", PARAM_INT, 0, 0, 0, NULL, NULL},
					   {"p", PARAM_INT, 0, 0, 0, NULL, NULL},
					   {NULL, PARAM_STRING, 0, 0, 0, NULL, NULL}};
	assert_int_equal(params_check_specs(specs, err, sizeof(err)), 0);
	assert_int_equal(params_check_specs(no_choices, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(params_check_specs(twice, err, sizeof(err)), ERR_INVALID);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(valid_values_are_typed),
		T(a_missing_required_field_is_named),
		T(an_empty_value_counts_as_absent),
		T(white_space_only_counts_as_absent),
		T(an_int_out_of_range_says_the_range),
		T(a_non_numeric_int_says_the_range),
		T(a_huge_number_is_not_a_whole_number),
		T(numbers_are_surrounding_space_tolerant),
		T(a_decimal_out_of_range_is_refused),
		T(string_length_counts_characters_not_bytes),
		T(an_over_long_string_is_an_error_not_truncated),
		T(a_too_short_string_is_an_error),
		T(a_default_string_limit_applies),
		T(a_string_must_be_one_line),
		T(text_allows_newlines_but_not_other_controls),
		T(an_enum_miss_lists_the_choices),
		T(booleans_accept_the_usual_words),
		T(dates_must_be_real_calendar_dates),
		T(an_impossible_date_is_a_field_error),
		T(email_addresses_must_be_plausible),
		T(an_over_long_email_is_refused),
		T(a_repeated_single_value_field_is_an_error),
		T(a_multi_field_keeps_every_value_in_order),
		T(undeclared_fields_are_ignored),
		T(several_errors_are_reported_together),
		T(json_fields_may_be_numbers_booleans_and_strings),
		T(a_json_array_is_a_multi_value),
		T(a_json_array_for_a_single_value_is_an_error),
		T(json_objects_and_nested_lists_are_errors),
		T(json_null_counts_as_absent),
		T(a_json_fraction_is_not_a_whole_number),
		T(a_value_with_an_embedded_nul_is_refused),
		T(no_specs_means_nothing_to_check),
		T(broken_spec_tables_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
