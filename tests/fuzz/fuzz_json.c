// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_json.c — libFuzzer target for request bodies sent as JSON: the bytes
 * are parsed as body.c parses an application/json body (jansson,
 * duplicate keys refused, an object required) and the object is validated
 * by params.c against the parameter table of every route the application
 * declares, and against a table that holds every parameter type and flag
 * (the routes use no PARAM_DATE yet). The same bytes, read as an urlencoded
 * body, go through the same tables, so both ways into params.c are covered.
 * Nothing may crash, leak or trip a sanitizer, and what params_validate
 * accepts must keep its promises (a present value is NUL-free UTF-8 of the
 * declared type; every error names a declared field). replay.c runs the
 * saved corpus (tests/fuzz/corpus/json/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/app.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/form.h"
#include "http/params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Crash loudly (the fuzzer records the input) when a promise is broken. */
static void check(int ok)
{
	if (!ok)
		abort();
}

static const char *const colours[] = {"red", "green", "blue", NULL};

/* Every type, with and without a range, required, repeated. */
static const struct param_spec every_type[] = {
	{.name = "s", .type = PARAM_STRING},
	{.name = "s_short", .type = PARAM_STRING, .min = 2, .max = 5, .label = "Short text"},
	{.name = "t", .type = PARAM_TEXT},
	{.name = "i", .type = PARAM_INT},
	{.name = "i_range", .type = PARAM_INT, .min = -5, .max = 5000},
	{.name = "n", .type = PARAM_NUMBER},
	{.name = "n_range", .type = PARAM_NUMBER, .min = 0, .max = 100},
	{.name = "b", .type = PARAM_BOOL},
	{.name = "e", .type = PARAM_ENUM, .choices = colours},
	{.name = "d", .type = PARAM_DATE},
	{.name = "m", .type = PARAM_EMAIL},
	{.name = "req", .type = PARAM_STRING, .flags = PARAM_REQUIRED},
	{.name = "multi_i", .type = PARAM_INT, .flags = PARAM_MULTI},
	{.name = "multi_e", .type = PARAM_ENUM, .flags = PARAM_MULTI | PARAM_REQUIRED,
	 .choices = colours},
	{.name = "multi_d", .type = PARAM_DATE, .flags = PARAM_MULTI},
	{.name = NULL},
};

static bool declared(const struct param_spec *specs, const char *name)
{
	int64_t key;
	for (const struct param_spec *s = specs; s->name; s++)
		if (strcmp(s->name, name) == 0 || param_pattern_match(s->name, name, &key))
			return true;
	return false;
}

/* Validate against specs and check what came out. */
static void validate(struct arena *a, const struct param_spec *specs,
		     const struct form_field *fields, json_t *obj)
{
	struct params p;
	params_validate(a, specs, fields, obj, &p);
	if (p.errors) {
		check(json_is_object(p.errors));
		const char *name;
		json_t *msg;
		json_object_foreach(p.errors, name, msg) {
			check(json_is_string(msg));
			check(utf8_valid(json_string_value(msg), json_string_length(msg)));
			/* A field given twice is refused by name, declared or not. */
			if (p.repeated && strcmp(name, p.repeated) == 0)
				continue;
			check(declared(specs, name));
			const struct param_value *pv = params_find(&p, name);
			check(pv && !pv->present);
		}
	}
	for (size_t i = 0; i < p.n; i++) {
		const struct param_value *pv = &p.v[i];
		const struct param_spec *spec = pv->spec;
		if (!pv->present)
			continue;
		check(pv->n >= 1 && (pv->n == 1 || (spec->flags & PARAM_MULTI)));
		for (size_t k = 0; k < pv->n; k++) {
			const char *v = pv->values[k];
			check(v[0] != '\0' && utf8_valid(v, strlen(v)));
			if (spec->type == PARAM_DATE)
				check(param_date_valid(v));
			if (spec->type == PARAM_EMAIL)
				check(param_email_valid(v));
		}
		if (spec->type == PARAM_INT && spec->min < spec->max)
			check(pv->i >= spec->min && pv->i <= spec->max);
		if (spec->type == PARAM_NUMBER && spec->min < spec->max)
			check(pv->d >= (double)spec->min && pv->d <= (double)spec->max);
	}
}

/* Every route's table, then the table of every type. */
static void validate_all(struct arena *a, const struct form_field *fields, json_t *obj)
{
	for (size_t t = 0; app_routes[t]; t++)
		for (const struct route *rt = app_routes[t]; rt->pattern; rt++)
			if (rt->params)
				validate(a, rt->params, fields, obj);
	validate(a, every_type, fields, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();

	/* As body.c reads an application/json body. */
	json_error_t e;
	json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (v) {
		if (json_is_object(v))
			validate_all(a, NULL, v);
		json_decref(v);
	} else {
		check(e.line >= -1 && e.column >= -1);
	}

	/* As body.c reads an application/x-www-form-urlencoded body. */
	struct form_field *fields;
	enum form_problem why;
	if (form_parse(a, (const char *)data, size, &fields, &why) == 0)
		validate_all(a, fields, NULL);

	arena_free(a);
	return 0;
}
