// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * params.c — validation of declared parameters (see params.h).
 *
 * Values are gathered per declared name (form/query fields, or a JSON body
 * member that may be a string, number, boolean or, for PARAM_MULTI, an
 * array of those), empty values are dropped as absent, and each remaining
 * value is checked against its type; dates, times and amounts are read as
 * people type them (input.c) and kept in one normal form. A name pattern
 * ("hours_{urn}") is matched against every field name and each matched
 * field is checked on its own. Last, any field given more than once that
 * may not repeat, declared or not, is noted (params.repeated). Messages
 * name the field by its label and say what a valid value looks like; they
 * never echo the bad input.
 */
#include "http/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "http/form.h"
#include "http/input.h"

/* A value gathered before checking. */
struct raw {
	const char *s; /* NUL-terminated (may hold an embedded NUL from JSON) */
	size_t len;    /* bytes */
};

static const char *label_of(const struct param_spec *spec)
{
	return spec->label ? spec->label : spec->name;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool param_date_valid(const char *s)
{
	int64_t t;
	return clock_parse_day(s, &t, NULL) == 0;
}

bool param_email_valid(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n > PARAM_EMAIL_MAX || !at || strchr(at + 1, '@'))
		return false;
	size_t local = (size_t)(at - s);
	const char *dom = at + 1;
	size_t dlen = n - local - 1;
	if (local == 0 || local > 64 || dlen < 3)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || strchr("()<>,;:\\\"[]", *p))
			return false;
	if (!strchr(dom, '.') || dom[0] == '.' || dom[dlen - 1] == '.' || strstr(dom, "..") ||
	    dom[0] == '-')
		return false;
	return true;
}

static bool is_bool_word(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "true", "on", "yes"};
	static const char *const no[] = {"0", "false", "off", "no"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Has a control character; TEXT allows tab, newline and carriage return. */
static bool has_control(const char *s, size_t len, bool text)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (text && (c == '\t' || c == '\n' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7F)
			return true;
	}
	return false;
}

static const char *check_length(struct arena *a, const struct param_spec *spec, const char *label,
				const char *value, size_t len)
{
	int64_t max = spec->max > 0 ? spec->max
				    : (spec->type == PARAM_TEXT ? PARAM_TEXT_MAX : PARAM_STRING_MAX);
	int64_t min = spec->min > 0 ? spec->min : 0;
	int64_t chars = (int64_t)utf8_len(value, len);
	if (chars > max || chars < min) {
		if (min > 0)
			return arena_printf(a, "%s must be between %lld and %lld characters long",
					    label, (long long)min, (long long)max);
		return arena_printf(a, "%s must be at most %lld characters long", label,
				    (long long)max);
	}
	return NULL;
}

/* Is v (hundredths) below / above a whole-number bound, without overflow? */
static bool hundredths_below(int64_t v, int64_t bound)
{
	if (bound > INT64_MAX / 100)
		return true;
	if (bound < INT64_MIN / 100)
		return false;
	return v < bound * 100;
}

static bool hundredths_above(int64_t v, int64_t bound)
{
	if (bound > INT64_MAX / 100)
		return false;
	if (bound < INT64_MIN / 100)
		return true;
	return v > bound * 100;
}

/* "between 1 and 10", or "more than 0 and at most 10" with PARAM_ABOVE_MIN. */
static const char *range_words(struct arena *a, const struct param_spec *spec)
{
	if (spec->flags & PARAM_ABOVE_MIN)
		return arena_printf(a, "more than %lld and at most %lld", (long long)spec->min,
				    (long long)spec->max);
	return arena_printf(a, "between %lld and %lld", (long long)spec->min, (long long)spec->max);
}

/* Outside [min, max] (min exclusive with PARAM_ABOVE_MIN); v in hundredths. */
static bool out_of_range(const struct param_spec *spec, int64_t v)
{
	if (spec->min >= spec->max)
		return false;
	if (spec->flags & PARAM_ABOVE_MIN ? !hundredths_above(v, spec->min)
					  : hundredths_below(v, spec->min))
		return true;
	return hundredths_above(v, spec->max);
}

/*
 * Numbers zero-padded to their widths and joined by sep ("2026-12-06",
 * "16:00"), in the arena; without printf, as every dated form goes through it.
 */
static const char *digits_text(struct arena *a, const int *nums, const int *widths, size_t n,
			       char sep)
{
	size_t len = n - 1;
	for (size_t i = 0; i < n; i++)
		len += (size_t)widths[i];
	char *out = arena_alloc(a, len + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = sep;
		int v = nums[i];
		for (int k = widths[i] - 1; k >= 0; k--, v /= 10)
			p[k] = (char)('0' + v % 10);
		p += widths[i];
	}
	*p = '\0';
	return out;
}

static const char *check_date(struct arena *a, const char *label, const char *value,
			      struct param_value *pv)
{
	struct input_date dt;
	switch (input_date(value, &dt)) {
	case INPUT_OK:
		pv->text = digits_text(a, (int[]){dt.y, dt.m, dt.d}, (int[]){4, 2, 2}, 3, '-');
		pv->i = input_days_since_epoch(&dt);
		return NULL;
	case INPUT_NO_SUCH_DAY:
		return arena_printf(a, "%s must be a real date, for example 6 December 2026: %s %d has "
				       "%d days",
				    label, input_month_name(dt.m), dt.y, input_days_in_month(dt.y, dt.m));
	case INPUT_WRONG_WEEKDAY:
		return arena_printf(a, "%s must be a real date, for example 6 December 2026: the day "
				       "of the week does not match the date",
				    label);
	default:
		return arena_printf(a, "%s must be a date, for example 6 December 2026 or 6/12/2026",
				    label);
	}
}

static const char *check_time(struct arena *a, const char *label, const char *value,
			      struct param_value *pv)
{
	int minutes;
	if (input_time(value, &minutes) != INPUT_OK)
		return arena_printf(a, "%s must be a time of day, like 09:30 or 4pm", label);
	pv->text = digits_text(a, (int[]){minutes / 60, minutes % 60}, (int[]){2, 2}, 2, ':');
	pv->i = minutes;
	return NULL;
}

/* PARAM_DECIMAL and PARAM_HOURS. */
static const char *check_decimal(struct arena *a, const struct param_spec *spec, const char *label,
				 const char *value, struct param_value *pv)
{
	bool hours = spec->type == PARAM_HOURS;
	bool ranged = spec->min < spec->max;
	const char *like = hours ? "like 1.5 or 1h30" : "like 1.5 or 1,500";
	int64_t v;
	enum input_problem why = hours ? input_hours(value, &v) : input_decimal(value, &v);
	if (why == INPUT_TOO_PRECISE)
		return arena_printf(a, "%s must be a number %swith at most 2 decimal places, %s", label,
				    hours ? "of hours " : "", like);
	if (why != INPUT_OK || out_of_range(spec, v)) {
		if (ranged)
			return arena_printf(a, "%s must be %s %s, %s", label,
					    hours ? "a number of hours" : "a number",
					    range_words(a, spec), like);
		return arena_printf(a, "%s must be %s, %s", label,
				    hours ? "a number of hours" : "a number", like);
	}
	char text[INPUT_DECIMAL_TEXT];
	input_decimal_text(v, text);
	pv->text = arena_strdup(a, text);
	pv->i = v;
	pv->d = (double)v / 100.0;
	return NULL;
}

const char *param_check(struct arena *a, const struct param_spec *spec, const char *value,
			size_t len, struct param_value *pv)
{
	const char *label = label_of(spec);
	bool ranged = spec->min < spec->max;
	if (!utf8_valid(value, len))
		return arena_printf(a, "%s contains characters that are not allowed", label);
	switch (spec->type) {
	case PARAM_STRING:
		if (has_control(value, len, false))
			return arena_printf(a, "%s must be a single line of text", label);
		return check_length(a, spec, label, value, len);
	case PARAM_TEXT:
		if (has_control(value, len, true))
			return arena_printf(a, "%s must not contain control characters", label);
		return check_length(a, spec, label, value, len);
	case PARAM_INT: {
		int64_t v;
		if (str_to_int64(value, &v) < 0 ||
		    (ranged && (v < spec->min || v > spec->max ||
				((spec->flags & PARAM_ABOVE_MIN) && v == spec->min)))) {
			if (ranged)
				return arena_printf(a, "%s must be a whole number %s", label,
						    range_words(a, spec));
			return arena_printf(a, "%s must be a whole number", label);
		}
		pv->i = v;
		pv->d = (double)v;
		return NULL;
	}
	case PARAM_NUMBER: {
		double v;
		if (str_to_double(value, &v) < 0 ||
		    (ranged && (v < (double)spec->min || v > (double)spec->max ||
				((spec->flags & PARAM_ABOVE_MIN) && v == (double)spec->min)))) {
			if (ranged)
				return arena_printf(a, "%s must be a number %s", label,
						    range_words(a, spec));
			return arena_printf(a, "%s must be a number", label);
		}
		pv->d = v;
		return NULL;
	}
	case PARAM_BOOL:
		if (!is_bool_word(value, &pv->b))
			return arena_printf(a, "%s must be yes or no (true or false)", label);
		return NULL;
	case PARAM_ENUM:
		for (const char *const *c = spec->choices; c && *c; c++)
			if (strcmp(*c, value) == 0)
				return NULL;
		{
			struct buf b = BUF_INIT;
			for (const char *const *c = spec->choices; c && *c; c++)
				buf_printf(&b, "%s%s", c == spec->choices ? "" : ", ", *c);
			const char *msg =
				arena_printf(a, "%s must be one of: %s", label, buf_str(&b));
			buf_free(&b);
			return msg;
		}
	case PARAM_DATE:
		return check_date(a, label, value, pv);
	case PARAM_EMAIL:
		if (!param_email_valid(value))
			return arena_printf(a, "%s must be an email address such as name@example.org",
					    label);
		return NULL;
	case PARAM_TIME:
		return check_time(a, label, value, pv);
	case PARAM_DECIMAL:
	case PARAM_HOURS:
		return check_decimal(a, spec, label, value, pv);
	case PARAM_TYPE__MAX:
		break;
	}
	return arena_printf(a, "%s has an unknown type", label);
}

const char *param_json_text(struct arena *a, json_t *v, size_t *len)
{
	const char *s;
	switch (json_typeof(v)) {
	case JSON_STRING:
		*len = json_string_length(v);
		return arena_memdup(a, json_string_value(v), *len + 1);
	case JSON_INTEGER:
		s = arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		s = arena_printf(a, "%.15g", json_real_value(v));
		break;
	case JSON_TRUE:
		s = "true";
		break;
	case JSON_FALSE:
		s = "false";
		break;
	default:
		return NULL;
	}
	*len = strlen(s);
	return s;
}

/*
 * Gather the values given for the field name (declared by spec) from the
 * JSON object obj, or from fields when obj is NULL, into an arena array
 * (*out, count in *count). Returns a message instead (with *count 0) when
 * the JSON shape is wrong.
 */
static const char *gather(struct arena *a, const struct param_spec *spec, const char *name,
			  const struct form_field *fields, json_t *obj, struct raw **out,
			  size_t *count)
{
	const char *label = label_of(spec);
	size_t n = 0;
	*count = 0;
	*out = NULL;
	if (obj) {
		json_t *v = json_object_get(obj, name);
		if (!v || json_is_null(v))
			return NULL;
		if (json_is_array(v)) {
			if (!(spec->flags & PARAM_MULTI))
				return arena_printf(a, "%s must be a single value, not a list",
						    label);
			size_t size = json_array_size(v);
			*out = arena_calloc(a, size ? size : 1, sizeof(**out));
			for (size_t i = 0; i < size; i++) {
				struct raw *r = &(*out)[n];
				r->s = param_json_text(a, json_array_get(v, i), &r->len);
				if (!r->s)
					return arena_printf(a, "%s must be a list of single values",
							    label);
				n++;
			}
		} else {
			*out = arena_calloc(a, 1, sizeof(**out));
			(*out)[0].s = param_json_text(a, v, &(*out)[0].len);
			if (!(*out)[0].s)
				return arena_printf(a, "%s must be a single value", label);
			n = 1;
		}
	} else {
		for (const struct form_field *f = fields; f; f = f->next)
			n += strcmp(f->name, name) == 0;
		*out = arena_calloc(a, n ? n : 1, sizeof(**out));
		n = 0;
		for (const struct form_field *f = fields; f; f = f->next) {
			if (strcmp(f->name, name) == 0) {
				(*out)[n].s = f->value;
				(*out)[n].len = strlen(f->value);
				n++;
			}
		}
	}
	*count = n;
	return NULL;
}

/* Trim surrounding white space (non-TEXT types), copying when anything is cut. */
static void trim(struct arena *a, struct raw *r)
{
	size_t start = 0, end = r->len;
	while (start < end && is_space(r->s[start]))
		start++;
	while (end > start && is_space(r->s[end - 1]))
		end--;
	if (start == 0 && end == r->len)
		return;
	char *copy = arena_alloc(a, end - start + 1);
	memcpy(copy, r->s + start, end - start);
	copy[end - start] = '\0';
	r->s = copy;
	r->len = end - start;
}

/* Check the n values raw given for one field into pv; returns NULL or the message. */
static const char *check_values(struct arena *a, const struct param_spec *spec, struct raw *raw,
				size_t n, struct param_value *pv)
{
	size_t kept = 0;
	pv->raw = n ? arena_calloc(a, n, sizeof(*pv->raw)) : NULL;
	pv->nraw = n;
	for (size_t i = 0; i < n; i++)
		pv->raw[i] = raw[i].s;
	if (n > 1 && !(spec->flags & PARAM_MULTI))
		return arena_printf(a, "%s must be given only once", label_of(spec));
	const char **values = arena_calloc(a, n ? n : 1, sizeof(*values));
	for (size_t i = 0; i < n; i++) {
		struct raw r = raw[i];
		if (spec->type != PARAM_TEXT)
			trim(a, &r);
		else {
			size_t k = 0;
			while (k < r.len && is_space(r.s[k]))
				k++;
			if (k == r.len)
				r.len = 0; /* white space only counts as empty */
		}
		if (r.len == 0)
			continue; /* empty counts as absent */
		struct param_value tmp = {.spec = spec};
		const char *msg = param_check(a, spec, r.s, r.len, &tmp);
		if (msg)
			return msg;
		if (kept == 0) {
			pv->i = tmp.i;
			pv->d = tmp.d;
			pv->b = tmp.b;
		}
		values[kept++] = tmp.text ? tmp.text : r.s;
	}
	if (kept == 0) {
		if (spec->flags & PARAM_REQUIRED)
			return arena_printf(a, "%s is required", label_of(spec));
		return NULL;
	}
	pv->present = true;
	pv->values = values;
	pv->n = kept;
	return NULL;
}

static void decref(void *p)
{
	json_decref(p);
}

/* Record msg as the error for field. */
static void add_error(struct arena *a, struct params *out, const char *field, const char *msg)
{
	if (!out->errors) {
		out->errors = json_object();
		arena_defer(a, decref, out->errors);
	}
	json_object_set_new(out->errors, field, json_string(msg));
}

/* Check one field's values into pv (name and spec set), recording any error. */
static void validate_field(struct arena *a, const struct param_spec *spec,
			   const struct form_field *fields, json_t *obj, struct raw *raw, size_t n,
			   struct params *out, struct param_value *pv)
{
	const char *msg = NULL;
	if (!raw)
		msg = gather(a, spec, pv->name, fields, obj, &raw, &n);
	if (!msg)
		msg = check_values(a, spec, raw, n, pv);
	if (!msg)
		return;
	pv->present = false;
	pv->n = 0;
	pv->values = NULL;
	add_error(a, out, pv->name, msg);
}

bool param_pattern_match(const char *pattern, const char *field, int64_t *key)
{
	const char *open = strchr(pattern, '{');
	const char *close = open ? strchr(open, '}') : NULL;
	if (!close)
		return false;
	size_t plen = (size_t)(open - pattern), slen = strlen(close + 1), flen = strlen(field);
	if (flen < plen + slen + 1 || strncmp(field, pattern, plen) != 0 ||
	    strcmp(field + flen - slen, close + 1) != 0)
		return false;
	const char *d = field + plen;
	size_t nd = flen - plen - slen;
	if (nd > 18 || (nd > 1 && d[0] == '0'))
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < nd; i++) {
		if (d[i] < '0' || d[i] > '9')
			return false;
		v = v * 10 + (d[i] - '0');
	}
	*key = v;
	return true;
}

/* A field a name pattern matched, before checking. */
struct hit {
	const char *name; /* the field's name */
	int64_t key;      /* its number */
	size_t idx;       /* its position in the input */
	struct raw value; /* its value (form fields only) */
};

static int hit_cmp(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * Match spec's name pattern against the fields (or the JSON object's keys)
 * and check each matched field into out->m, ascending by number.
 */
static void validate_pattern(struct arena *a, const struct param_spec *spec,
			     const struct form_field *fields, json_t *obj, struct params *out,
			     struct param_value *sv)
{
	size_t n = 0, k = 0;
	int64_t key;
	const char *name;
	json_t *member;
	if (obj) {
		json_object_foreach(obj, name, member)
			n += param_pattern_match(spec->name, name, &key);
	} else {
		for (const struct form_field *f = fields; f; f = f->next)
			n += param_pattern_match(spec->name, f->name, &key);
	}
	sv->first = out->nm;
	if (n == 0)
		return;
	struct hit *hits = arena_calloc(a, n, sizeof(*hits));
	if (obj) {
		json_object_foreach(obj, name, member) {
			if (param_pattern_match(spec->name, name, &key)) {
				hits[k] = (struct hit){.name = name, .key = key, .idx = k};
				k++;
			}
		}
	} else {
		for (const struct form_field *f = fields; f; f = f->next) {
			if (param_pattern_match(spec->name, f->name, &key)) {
				hits[k] = (struct hit){f->name, key, k, {f->value, strlen(f->value)}};
				k++;
			}
		}
	}
	qsort(hits, n, sizeof(*hits), hit_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && hits[j].key == hits[i].key)
			j++;
		struct param_value *pv = &out->m[out->nm++];
		*pv = (struct param_value){.spec = spec, .name = hits[i].name, .key = hits[i].key};
		struct raw *raw = NULL;
		if (!obj) {
			raw = arena_calloc(a, j - i, sizeof(*raw));
			for (size_t r = i; r < j; r++)
				raw[r - i] = hits[r].value;
		}
		validate_field(a, spec, fields, obj, raw, j - i, out, pv);
		i = j;
	}
	sv->count = out->nm - sv->first;
}

/* May field name be given more than once (a PARAM_MULTI literal or pattern)? */
static bool may_repeat(const struct param_spec *specs, const char *name)
{
	int64_t key;
	for (const struct param_spec *s = specs; s && s->name; s++)
		if (strcmp(s->name, name) == 0 || param_pattern_match(s->name, name, &key))
			return (s->flags & PARAM_MULTI) != 0;
	return false;
}

/* A field and where it came in the input. */
struct seen {
	const char *name; /* the field's name */
	size_t idx;       /* its position */
};

static int seen_cmp(const void *x, const void *y)
{
	const struct seen *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The earliest field given more than once that may not repeat, or NULL. */
static const char *find_repeated(struct arena *a, const struct param_spec *specs,
				 const struct form_field *fields)
{
	size_t n = 0;
	for (const struct form_field *f = fields; f; f = f->next)
		n++;
	if (n < 2)
		return NULL;
	if (n <= 16) {
		/* Few fields (most forms): compare each with the later ones, no sorting. */
		for (const struct form_field *f = fields; f; f = f->next)
			for (const struct form_field *g = f->next; g; g = g->next)
				if (strcmp(f->name, g->name) == 0) {
					if (!may_repeat(specs, f->name))
						return f->name;
					break;
				}
		return NULL;
	}
	struct seen *all = arena_calloc(a, n, sizeof(*all));
	n = 0;
	for (const struct form_field *f = fields; f; f = f->next, n++)
		all[n] = (struct seen){f->name, n};
	qsort(all, n, sizeof(*all), seen_cmp);
	const char *found = NULL;
	size_t at = SIZE_MAX;
	for (size_t i = 0; i + 1 < n; i++) {
		if (strcmp(all[i].name, all[i + 1].name) != 0)
			continue;
		if (all[i].idx < at && !may_repeat(specs, all[i].name)) {
			found = all[i].name;
			at = all[i].idx;
		}
		while (i + 1 < n && strcmp(all[i].name, all[i + 1].name) == 0)
			i++;
	}
	return found;
}

void params_validate(struct arena *a, const struct param_spec *specs,
		     const struct form_field *fields, json_t *obj, struct params *out)
{
	size_t n = 0, room = 0;
	int64_t key;
	for (const struct param_spec *s = specs; s && s->name; s++)
		n++;
	*out = (struct params){.n = n};
	out->v = arena_calloc(a, n ? n : 1, sizeof(*out->v));
	for (size_t i = 0; i < n; i++) {
		if (!strchr(specs[i].name, '{'))
			continue;
		const char *name;
		json_t *member;
		if (obj) {
			json_object_foreach(obj, name, member)
				room += param_pattern_match(specs[i].name, name, &key);
		} else {
			for (const struct form_field *f = fields; f; f = f->next)
				room += param_pattern_match(specs[i].name, f->name, &key);
		}
	}
	out->m = arena_calloc(a, room ? room : 1, sizeof(*out->m));
	for (size_t i = 0; i < n; i++) {
		struct param_value *pv = &out->v[i];
		pv->spec = &specs[i];
		pv->name = specs[i].name;
		if (strchr(specs[i].name, '{'))
			validate_pattern(a, &specs[i], fields, obj, out, pv);
		else
			validate_field(a, &specs[i], fields, obj, NULL, 0, out, pv);
	}
	if (!obj) {
		out->repeated = find_repeated(a, specs, fields);
		if (out->repeated && !json_object_get(out->errors, out->repeated))
			add_error(a, out, out->repeated,
				  arena_printf(a, "%s must be given only once", out->repeated));
	}
}

const struct param_value *params_find(const struct params *p, const char *name)
{
	int64_t key;
	if (!p)
		return NULL;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].spec->name, name) == 0)
			return &p->v[i];
	for (size_t i = 0; i < p->n; i++) {
		const struct param_value *sv = &p->v[i];
		if (!sv->count || !param_pattern_match(sv->spec->name, name, &key))
			continue;
		size_t lo = sv->first, hi = sv->first + sv->count;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (p->m[mid].key == key)
				return &p->m[mid];
			if (p->m[mid].key < key)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

/* Check a name pattern's shape: one "{word}" of letters, digits and '_'. */
static bool pattern_ok(const char *name)
{
	const char *open = strchr(name, '{');
	const char *close = open ? strchr(open, '}') : NULL;
	if (!open)
		return !strchr(name, '}');
	if (!close || close == open + 1 || strchr(open + 1, '{') || strchr(close + 1, '{') ||
	    strchr(close + 1, '}'))
		return false;
	for (const char *p = open + 1; p < close; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Do two name patterns match the same fields (same text around the braces)? */
static bool same_pattern(const char *x, const char *y)
{
	const char *ox = strchr(x, '{'), *oy = strchr(y, '{');
	if (!ox || !oy || ox - x != oy - y || strncmp(x, y, (size_t)(ox - x)) != 0)
		return false;
	return strcmp(strchr(ox, '}'), strchr(oy, '}')) == 0;
}

int params_check_specs(const struct param_spec *specs, char *err, size_t errsz)
{
	int64_t key;
	for (const struct param_spec *s = specs; s && s->name; s++) {
		if (!s->name[0] || (unsigned)s->type >= PARAM_TYPE__MAX) {
			snprintf(err, errsz, "parameter '%s': bad name or type", s->name);
			return ERR_INVALID;
		}
		if (!utf8_valid(s->name, strlen(s->name)) ||
		    (s->label && !utf8_valid(s->label, strlen(s->label)))) {
			snprintf(err, errsz, "parameter '%s': name or label is not UTF-8", s->name);
			return ERR_INVALID;
		}
		if (!pattern_ok(s->name)) {
			snprintf(err, errsz, "parameter '%s': a name pattern has one {word}", s->name);
			return ERR_INVALID;
		}
		if (s->type == PARAM_ENUM && (!s->choices || !s->choices[0])) {
			snprintf(err, errsz, "parameter '%s': an enum needs choices", s->name);
			return ERR_INVALID;
		}
		for (const struct param_spec *t = specs; t != s; t++) {
			if (strcmp(t->name, s->name) == 0 || same_pattern(t->name, s->name)) {
				snprintf(err, errsz, "parameter '%s' declared twice", s->name);
				return ERR_INVALID;
			}
			if (param_pattern_match(t->name, s->name, &key) ||
			    param_pattern_match(s->name, t->name, &key)) {
				snprintf(err, errsz, "parameters '%s' and '%s' name the same field",
					 t->name, s->name);
				return ERR_INVALID;
			}
		}
	}
	return 0;
}
