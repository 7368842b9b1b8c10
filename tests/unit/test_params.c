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
#include <stdio.h>
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
	assert_string_equal(error_for(&p, "day"), "Date must be a real date, for example 6 December "
						  "2026: February 2025 has 28 days");
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

/* ---- Times, decimals, hours, dates as people type them; name patterns ---- */

static const char *const answers[] = {"yes", "no", NULL};

/* Written with PARAM(...) as route tables may be. */
static const struct param_spec typed[] = {
	PARAM(.name = "starts_at", .type = PARAM_TIME, .label = "Start time"),
	PARAM(.name = "budget", .type = PARAM_DECIMAL, .min = 0, .max = 1000000, .label = "Budget"),
	PARAM(.name = "amount", .type = PARAM_DECIMAL, .label = "Amount"),
	PARAM(.name = "hours", .type = PARAM_HOURS, .flags = PARAM_ABOVE_MIN, .min = 0, .max = 1000,
	      .label = "Hours"),
	PARAM(.name = "held_on", .type = PARAM_DATE, .label = "Date of the meeting"),
	PARAM(.name = "hours_{urn}", .type = PARAM_HOURS, .min = 0, .max = 500, .label = "Hours a term"),
	PARAM(.name = "agreed_{urn}", .type = PARAM_ENUM, .choices = answers, .label = "Agreed"),
	PARAM(.name = "q_{id}_note", .type = PARAM_STRING, .flags = PARAM_MULTI, .label = "Note"),
	PARAM(.name = "count", .type = PARAM_INT, .flags = PARAM_ABOVE_MIN, .min = 0, .max = 10,
	      .label = "Count"),
	PARAM_END,
};

static struct params run_typed(void **state, const char *query)
{
	struct form_field *f = NULL;
	struct params p;
	assert_int_equal(form_parse(*state, query, strlen(query), &f, NULL), 0);
	params_validate(*state, typed, f, NULL, &p);
	return p;
}

static struct params run_typed_json(void **state, const char *text)
{
	json_t *obj = json_loads(text, 0, NULL);
	assert_non_null(obj);
	struct params p;
	params_validate(*state, typed, NULL, obj, &p);
	json_decref(obj);
	return p;
}

static void a_param_table_written_with_the_macro_is_valid(void **state)
{
	(void)state;
	char err[200];
	assert_int_equal(params_check_specs(typed, err, sizeof(err)), 0);
	assert_null(typed[9].name);
	assert_int_equal(typed[1].max, 1000000);
	assert_null(typed[0].choices);
}

static void a_time_of_day_is_kept_as_hh_mm(void **state)
{
	const char *typed_as[] = {"4pm", "16.00", "16:00", "4 p.m.", "1600"};
	for (size_t i = 0; i < sizeof(typed_as) / sizeof(*typed_as); i++) {
		char q[64];
		snprintf(q, sizeof(q), "starts_at=%s", typed_as[i]);
		struct params p = run_typed(state, q);
		assert_null(p.errors);
		assert_string_equal(params_find(&p, "starts_at")->values[0], "16:00");
		assert_int_equal(params_find(&p, "starts_at")->i, 960);
	}
	struct params p = run_typed(state, "starts_at=9%3A30am");
	assert_string_equal(params_find(&p, "starts_at")->values[0], "09:30");
}

static void a_bad_time_of_day_says_how_to_write_one(void **state)
{
	struct params p = run_typed(state, "starts_at=25%3A00");
	assert_string_equal(error_for(&p, "starts_at"), "Start time must be a time of day, like 09:30 or 4pm");
}

static void a_decimal_reads_commas_and_pounds_into_hundredths(void **state)
{
	struct params p = run_typed(state, "budget=%C2%A31%2C500.50&amount=-2.5");
	assert_null(p.errors);
	const struct param_value *v = params_find(&p, "budget");
	assert_string_equal(v->values[0], "1500.5");
	assert_int_equal(v->i, 150050);
	assert_true(v->d == 1500.5);
	assert_string_equal(params_find(&p, "amount")->values[0], "-2.5");
}

static void a_decimal_out_of_range_names_the_range_and_an_example(void **state)
{
	struct params p = run_typed(state, "budget=1000000.01");
	assert_string_equal(error_for(&p, "budget"),
			    "Budget must be a number between 0 and 1000000, like 1.5 or 1,500");
	p = run_typed(state, "budget=-1");
	assert_non_null(error_for(&p, "budget"));
	p = run_typed(state, "budget=1000000");
	assert_null(p.errors);
}

static void a_decimal_with_three_places_is_refused(void **state)
{
	struct params p = run_typed(state, "amount=1.234");
	assert_string_equal(error_for(&p, "amount"),
			    "Amount must be a number with at most 2 decimal places, like 1.5 or 1,500");
}

static void hours_are_read_as_people_write_them(void **state)
{
	const char *typed_as[] = {"1h30", "90+min", "1.5", "1%3A30", "1+hour+30+minutes"};
	for (size_t i = 0; i < sizeof(typed_as) / sizeof(*typed_as); i++) {
		char q[64];
		snprintf(q, sizeof(q), "hours=%s", typed_as[i]);
		struct params p = run_typed(state, q);
		assert_null(p.errors);
		assert_string_equal(params_find(&p, "hours")->values[0], "1.5");
		assert_int_equal(params_find(&p, "hours")->i, 150);
	}
}

static void hours_say_what_is_expected(void **state)
{
	struct params p = run_typed(state, "hours=0");
	assert_string_equal(error_for(&p, "hours"), "Hours must be a number of hours more than 0 and "
						    "at most 1000, like 1.5 or 1h30");
	p = run_typed(state, "hours=lots");
	assert_string_equal(error_for(&p, "hours"), "Hours must be a number of hours more than 0 and "
						    "at most 1000, like 1.5 or 1h30");
	p = run_typed(state, "hours=0h01");
	assert_null(p.errors);
}

static void a_whole_number_above_its_minimum_refuses_the_minimum(void **state)
{
	struct params p = run_typed(state, "count=0");
	assert_string_equal(error_for(&p, "count"),
			    "Count must be a whole number more than 0 and at most 10");
	p = run_typed(state, "count=1");
	assert_null(p.errors);
}

static void dates_written_the_british_way_are_kept_as_iso(void **state)
{
	const char *typed_as[] = {"6%2F12%2F2026", "6+Dec+2026", "6+December+2026", "2026-12-06",
				  "Sunday+6+December+2026"};
	for (size_t i = 0; i < sizeof(typed_as) / sizeof(*typed_as); i++) {
		char q[64];
		snprintf(q, sizeof(q), "held_on=%s", typed_as[i]);
		struct params p = run_typed(state, q);
		assert_null(p.errors);
		assert_string_equal(params_find(&p, "held_on")->values[0], "2026-12-06");
	}
}

static void impossible_dates_say_why_with_an_example(void **state)
{
	struct params p = run_typed(state, "held_on=31+April+2026");
	assert_string_equal(error_for(&p, "held_on"), "Date of the meeting must be a real date, for "
						      "example 6 December 2026: April 2026 has 30 days");
	p = run_typed(state, "held_on=29%2F2%2F2027");
	assert_string_equal(error_for(&p, "held_on"), "Date of the meeting must be a real date, for "
						      "example 6 December 2026: February 2027 has 28 "
						      "days");
	p = run_typed(state, "held_on=next+week");
	assert_string_equal(error_for(&p, "held_on"), "Date of the meeting must be a date, for example "
						      "6 December 2026 or 6/12/2026");
}

static void a_name_pattern_matches_each_numbered_field_in_order(void **state)
{
	struct params p = run_typed(state, "hours_107897=6&hours_100000=1h30&hours_5=");
	assert_null(p.errors);
	assert_int_equal(p.nm, 3);
	assert_int_equal(p.m[0].key, 5);
	assert_false(p.m[0].present);
	assert_string_equal(p.m[1].name, "hours_100000");
	assert_string_equal(p.m[1].values[0], "1.5");
	assert_int_equal(p.m[2].key, 107897);
	assert_int_equal(params_find(&p, "hours_107897")->i, 600);
	assert_ptr_equal(params_find(&p, "hours_100000"), &p.m[1]);
	assert_null(params_find(&p, "hours_42"));
	const struct param_value *spec = params_find(&p, "hours_{urn}");
	assert_int_equal(spec->count, 3);
	assert_false(spec->present);
}

static void a_name_pattern_checks_each_field_and_names_it_in_the_error(void **state)
{
	struct params p = run_typed(state, "hours_1=2&hours_2=lots&agreed_107897=maybe&agreed_1=yes");
	assert_int_equal(json_object_size(p.errors), 2);
	assert_string_equal(error_for(&p, "hours_2"), "Hours a term must be a number of hours between "
						      "0 and 500, like 1.5 or 1h30");
	assert_string_equal(error_for(&p, "agreed_107897"), "Agreed must be one of: yes, no");
	assert_true(params_find(&p, "hours_1")->present);
	assert_false(params_find(&p, "hours_2")->present);
}

static void a_name_pattern_wants_a_plain_number(void **state)
{
	struct params p = run_typed(state, "hours_07=1&hours_x=1&hours_=1&hours_1x=1&hours_-1=1&"
					   "hours_1234567890123456789=1");
	assert_null(p.errors);
	assert_int_equal(p.nm, 0);
	int64_t key;
	assert_true(param_pattern_match("q_{id}_note", "q_12_note", &key));
	assert_int_equal(key, 12);
	assert_false(param_pattern_match("q_{id}_note", "q_12_notes", &key));
	assert_false(param_pattern_match("q_{id}_note", "q__note", &key));
	assert_true(param_pattern_match("q_{id}", "q_0", &key));
	assert_int_equal(key, 0);
	assert_false(param_pattern_match("plain", "plain", &key));
}

static void a_pattern_field_may_repeat_only_when_multi(void **state)
{
	struct params p = run_typed(state, "q_3_note=a&q_3_note=b");
	assert_null(p.errors);
	assert_null(p.repeated);
	assert_int_equal(params_find(&p, "q_3_note")->n, 2);
	p = run_typed(state, "hours_9=1&hours_9=1000000");
	assert_string_equal(p.repeated, "hours_9");
	assert_string_equal(error_for(&p, "hours_9"), "Hours a term must be given only once");
}

static void a_repeated_field_is_refused_even_when_one_copy_is_empty(void **state)
{
	struct params p = run_typed(state, "hours=&hours=1000000");
	assert_string_equal(p.repeated, "hours");
	assert_string_equal(error_for(&p, "hours"), "Hours must be given only once");
}

static void an_undeclared_field_given_twice_is_noted_as_repeated(void **state)
{
	struct params p = run_typed(state, "csrf=a&x=1&budget=5&x=2&csrf=b");
	assert_string_equal(p.repeated, "csrf");
	assert_string_equal(error_for(&p, "csrf"), "csrf must be given only once");
	assert_null(error_for(&p, "x"));
	p = run_typed(state, "csrf=a&x=1");
	assert_null(p.repeated);
	assert_null(p.errors);
}

static void a_repeated_field_among_many_is_found_too(void **state)
{
	char q[512] = "q_1_note=a&q_1_note=b";
	for (int i = 0; i < 30; i++)
		snprintf(q + strlen(q), sizeof(q) - strlen(q), "&f%d=1", i);
	struct params p = run_typed(state, q);
	assert_null(p.repeated);
	snprintf(q + strlen(q), sizeof(q) - strlen(q), "&f29=2&f3=2");
	p = run_typed(state, q);
	assert_string_equal(p.repeated, "f3"); /* the earliest in the form */
}

static void json_numbers_reach_every_typed_parameter(void **state)
{
	struct params p = run_typed_json(state, "{\"budget\": 1500.5, \"hours\": 6, \"count\": 3, "
						"\"hours_7\": 2.25, \"hours_5\": \"1h30\", "
						"\"agreed_5\": \"yes\", \"q_1_note\": [\"a\", 2]}");
	assert_null(p.errors);
	assert_int_equal(params_find(&p, "budget")->i, 150050);
	assert_string_equal(params_find(&p, "hours")->values[0], "6");
	assert_int_equal(params_find(&p, "count")->i, 3);
	assert_int_equal(p.nm, 4);
	assert_int_equal(params_find(&p, "hours_7")->i, 225);
	assert_int_equal(params_find(&p, "hours_5")->i, 150);
	assert_int_equal(params_find(&p, "q_1_note")->n, 2);
}

static void json_pattern_fields_are_checked_like_form_fields(void **state)
{
	struct params p = run_typed_json(state, "{\"hours_7\": [1, 2], \"agreed_5\": true}");
	assert_string_equal(error_for(&p, "hours_7"), "Hours a term must be a single value, not a list");
	assert_string_equal(error_for(&p, "agreed_5"), "Agreed must be one of: yes, no");
}

static void what_was_typed_is_kept_valid_or_not(void **state)
{
	struct params p = run_typed(state, "hours=+lots+&budget=%C2%A35&q_2_note=a&q_2_note=b");
	const struct param_value *v = params_find(&p, "hours");
	assert_int_equal(v->nraw, 1);
	assert_string_equal(v->raw[0], " lots ");
	assert_string_equal(params_find(&p, "budget")->raw[0], "\xc2\xa3" "5");
	assert_int_equal(params_find(&p, "q_2_note")->nraw, 2);
	assert_int_equal(params_find(&p, "starts_at")->nraw, 0);
	p = run_typed_json(state, "{\"hours\": 6}");
	assert_string_equal(params_find(&p, "hours")->raw[0], "6");
}

static void broken_name_patterns_are_refused(void **state)
{
	(void)state;
	char err[200];
	const struct param_spec unclosed[] = {PARAM(.name = "hours_{urn"), PARAM_END};
	const struct param_spec empty[] = {PARAM(.name = "hours_{}"), PARAM_END};
	const struct param_spec two[] = {PARAM(.name = "a_{x}_{y}"), PARAM_END};
	const struct param_spec stray[] = {PARAM(.name = "a}"), PARAM_END};
	const struct param_spec same[] = {PARAM(.name = "q_{id}"), PARAM(.name = "q_{n}"), PARAM_END};
	const struct param_spec overlap[] = {PARAM(.name = "q_{id}"), PARAM(.name = "q_5"),
					     PARAM_END};
	const struct param_spec fine[] = {PARAM(.name = "q_{id}"), PARAM(.name = "q_x"),
					  PARAM(.name = "q_{id}_note"), PARAM_END};
	assert_int_equal(params_check_specs(unclosed, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(params_check_specs(empty, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(params_check_specs(two, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(params_check_specs(stray, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(params_check_specs(same, err, sizeof(err)), ERR_INVALID);
	assert_string_equal(err, "parameter 'q_{n}' declared twice");
	assert_int_equal(params_check_specs(overlap, err, sizeof(err)), ERR_INVALID);
	assert_string_equal(err, "parameters 'q_{id}' and 'q_5' name the same field");
	assert_int_equal(params_check_specs(fine, err, sizeof(err)), 0);
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
		T(a_param_table_written_with_the_macro_is_valid),
		T(a_time_of_day_is_kept_as_hh_mm),
		T(a_bad_time_of_day_says_how_to_write_one),
		T(a_decimal_reads_commas_and_pounds_into_hundredths),
		T(a_decimal_out_of_range_names_the_range_and_an_example),
		T(a_decimal_with_three_places_is_refused),
		T(hours_are_read_as_people_write_them),
		T(hours_say_what_is_expected),
		T(a_whole_number_above_its_minimum_refuses_the_minimum),
		T(dates_written_the_british_way_are_kept_as_iso),
		T(impossible_dates_say_why_with_an_example),
		T(a_name_pattern_matches_each_numbered_field_in_order),
		T(a_name_pattern_checks_each_field_and_names_it_in_the_error),
		T(a_name_pattern_wants_a_plain_number),
		T(a_pattern_field_may_repeat_only_when_multi),
		T(a_repeated_field_is_refused_even_when_one_copy_is_empty),
		T(an_undeclared_field_given_twice_is_noted_as_repeated),
		T(a_repeated_field_among_many_is_found_too),
		T(json_numbers_reach_every_typed_parameter),
		T(json_pattern_fields_are_checked_like_form_fields),
		T(what_was_typed_is_kept_valid_or_not),
		T(broken_name_patterns_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
