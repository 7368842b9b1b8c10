// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_params.c — libFuzzer target for declared-parameter validation
 * (src/http/params.c) and the readers of values as people type them
 * (input.c). The input is read as a urlencoded form and validated against a
 * table with every type and two name patterns; the first line is also given
 * to each reader directly. Whatever the input, nothing may crash or trip a
 * sanitizer, and what comes out must hold its promises: a value kept in
 * normal form reads back as itself, dates are real, times are HH:MM,
 * matched fields come in ascending order of their number, and a field
 * given twice that may not repeat is always noticed. replay.c runs the
 * saved corpus (tests/fuzz/corpus/params/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/form.h"
#include "http/input.h"
#include "http/params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static const char *const yes_no[] = {"yes", "no", NULL};

static const struct param_spec specs[] = {
	PARAM(.name = "d", .type = PARAM_DATE),
	PARAM(.name = "t", .type = PARAM_TIME),
	PARAM(.name = "m", .type = PARAM_DECIMAL, .min = -1000, .max = 1000000),
	PARAM(.name = "h", .type = PARAM_HOURS, .flags = PARAM_ABOVE_MIN, .min = 0, .max = 1000),
	PARAM(.name = "i", .type = PARAM_INT, .min = 1, .max = 99999999),
	PARAM(.name = "s", .type = PARAM_STRING, .flags = PARAM_MULTI),
	PARAM(.name = "hours_{urn}", .type = PARAM_HOURS),
	PARAM(.name = "agreed_{urn}", .type = PARAM_ENUM, .choices = yes_no),
	PARAM_END,
};

/* A kept value must read back as itself. */
static void check_normal_form(const struct param_value *v)
{
	if (!v->present)
		return;
	const char *s = v->values[0];
	switch (v->spec->type) {
	case PARAM_DATE:
		check(param_date_valid(s));
		break;
	case PARAM_TIME: {
		int m;
		check(strlen(s) == 5 && s[2] == ':' && input_time(s, &m) == INPUT_OK && m == v->i);
		break;
	}
	case PARAM_DECIMAL:
	case PARAM_HOURS: {
		int64_t h;
		check(input_decimal(s, &h) == INPUT_OK && h == v->i);
		break;
	}
	default:
		break;
	}
}

/* The first line of the input, given to each reader as it stands. */
static void read_line(struct arena *a, const char *s, size_t size)
{
	const char *nl = memchr(s, '\n', size);
	char *line = arena_strndup(a, s, nl ? (size_t)(nl - s) : size);
	struct input_date dt;
	enum input_problem why = input_date(line, &dt);
	if (why == INPUT_OK)
		check(dt.d <= input_days_in_month(dt.y, dt.m) && dt.m >= 1 && dt.m <= 12);
	int minutes;
	if (input_time(line, &minutes) == INPUT_OK)
		check(minutes >= 0 && minutes < 24 * 60);
	int64_t v;
	char text[INPUT_DECIMAL_TEXT];
	if (input_decimal(line, &v) == INPUT_OK) {
		int64_t again;
		input_decimal_text(v, text);
		check(input_decimal(text, &again) == INPUT_OK && again == v);
	}
	if (input_hours(line, &v) == INPUT_OK) {
		input_decimal_text(v, text);
		check(strlen(text) < INPUT_DECIMAL_TEXT);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	const char *s = (const char *)data;
	read_line(a, s, size);

	struct form_field *fields;
	if (form_parse(a, s, size, &fields, NULL) == 0) {
		struct params p;
		params_validate(a, specs, fields, NULL, &p);
		for (size_t i = 0; i < p.n; i++)
			check_normal_form(&p.v[i]);
		for (size_t i = 0; i < p.nm; i++) {
			check_normal_form(&p.m[i]);
			check(params_find(&p, p.m[i].name) == &p.m[i]);
			if (i > 0 && p.m[i].spec == p.m[i - 1].spec)
				check(p.m[i].key > p.m[i - 1].key);
		}
		/* Any repeated single-value field is noticed and has its message. */
		for (const struct form_field *f = fields; f; f = f->next) {
			const struct param_value *v = params_find(&p, f->name);
			if (v && v->nraw > 1 && !(v->spec->flags & PARAM_MULTI))
				check(p.repeated != NULL);
		}
		if (p.repeated)
			check(p.errors && json_object_get(p.errors, p.repeated));
	}
	arena_free(a);
	return 0;
}
