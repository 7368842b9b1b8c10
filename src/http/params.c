// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * params.c — validation of declared parameters (see params.h).
 *
 * Values are gathered per declared name (form/query fields, or a JSON body
 * member that may be a string, number, boolean or, for PARAM_MULTI, an
 * array of those), empty values are dropped as absent, and each remaining
 * value is checked against its type. Messages name the field by its label
 * and say what a valid value looks like; they never echo the bad input.
 */
#include "http/params.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "http/form.h"

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
		if (str_to_int64(value, &v) < 0 || (ranged && (v < spec->min || v > spec->max))) {
			if (ranged)
				return arena_printf(a, "%s must be a whole number between %lld and %lld",
						    label, (long long)spec->min, (long long)spec->max);
			return arena_printf(a, "%s must be a whole number", label);
		}
		pv->i = v;
		pv->d = (double)v;
		return NULL;
	}
	case PARAM_NUMBER: {
		double v;
		if (str_to_double(value, &v) < 0 ||
		    (ranged && (v < (double)spec->min || v > (double)spec->max))) {
			if (ranged)
				return arena_printf(a, "%s must be a number between %lld and %lld",
						    label, (long long)spec->min, (long long)spec->max);
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
	case PARAM_DATE: {
		/* Never rolled over: 2025-02-30 is refused, not read as 2 March. */
		char why[CLOCK_WHY_SIZE];
		int64_t t;
		int rc = clock_parse_day(value, &t, why);
		if (rc == ERR_INVALID)
			return arena_printf(a, "%s must be a real date written as YYYY-MM-DD: %s", label, why);
		if (rc)
			return arena_printf(a, "%s must be a real date written as YYYY-MM-DD", label);
		return NULL;
	}
	case PARAM_EMAIL:
		if (!param_email_valid(value))
			return arena_printf(a, "%s must be an email address such as name@example.org",
					    label);
		return NULL;
	case PARAM_TYPE__MAX:
		break;
	}
	return arena_printf(a, "%s has an unknown type", label);
}

/* A JSON scalar as text in the arena, or NULL for a non-scalar. */
static const char *json_scalar(struct arena *a, json_t *v, size_t *len)
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
 * Gather the values given for spec into an arena array (*out, count
 * returned). Returns a message instead (with *count 0) when the JSON shape
 * is wrong.
 */
static const char *gather(struct arena *a, const struct param_spec *spec,
			  const struct form_field *fields, json_t *obj, struct raw **out,
			  size_t *count)
{
	const char *label = label_of(spec);
	size_t n = 0;
	*count = 0;
	*out = NULL;
	if (obj) {
		json_t *v = json_object_get(obj, spec->name);
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
				r->s = json_scalar(a, json_array_get(v, i), &r->len);
				if (!r->s)
					return arena_printf(a, "%s must be a list of single values",
							    label);
				n++;
			}
		} else {
			*out = arena_calloc(a, 1, sizeof(**out));
			(*out)[0].s = json_scalar(a, v, &(*out)[0].len);
			if (!(*out)[0].s)
				return arena_printf(a, "%s must be a single value", label);
			n = 1;
		}
	} else {
		for (const struct form_field *f = fields; f; f = f->next)
			n += strcmp(f->name, spec->name) == 0;
		*out = arena_calloc(a, n ? n : 1, sizeof(**out));
		n = 0;
		for (const struct form_field *f = fields; f; f = f->next) {
			if (strcmp(f->name, spec->name) == 0) {
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

/* Validate one spec into pv; returns NULL or the message. */
static const char *validate_one(struct arena *a, const struct param_spec *spec,
				const struct form_field *fields, json_t *obj, struct param_value *pv)
{
	struct raw *raw;
	size_t n, kept = 0;
	const char *msg = gather(a, spec, fields, obj, &raw, &n);
	if (msg)
		return msg;
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
		msg = param_check(a, spec, r.s, r.len, &tmp);
		if (msg)
			return msg;
		if (kept == 0) {
			pv->i = tmp.i;
			pv->d = tmp.d;
			pv->b = tmp.b;
		}
		values[kept++] = r.s;
	}
	if (kept == 0) {
		if (spec->flags & PARAM_REQUIRED)
			return arena_printf(a, "%s is required", label_of(spec));
		return NULL;
	}
	if (kept > 1 && !(spec->flags & PARAM_MULTI))
		return arena_printf(a, "%s must be given only once", label_of(spec));
	pv->present = true;
	pv->values = values;
	pv->n = kept;
	return NULL;
}

static void decref(void *p)
{
	json_decref(p);
}

void params_validate(struct arena *a, const struct param_spec *specs,
		     const struct form_field *fields, json_t *obj, struct params *out)
{
	size_t n = 0;
	for (const struct param_spec *s = specs; s && s->name; s++)
		n++;
	out->n = n;
	out->v = arena_calloc(a, n ? n : 1, sizeof(*out->v));
	out->errors = NULL;
	for (size_t i = 0; i < n; i++) {
		struct param_value *pv = &out->v[i];
		pv->spec = &specs[i];
		const char *msg = validate_one(a, &specs[i], fields, obj, pv);
		if (!msg)
			continue;
		pv->present = false;
		pv->n = 0;
		pv->values = NULL;
		if (!out->errors) {
			out->errors = json_object();
			arena_defer(a, decref, out->errors);
		}
		json_object_set_new(out->errors, specs[i].name, json_string(msg));
	}
}

const struct param_value *params_find(const struct params *p, const char *name)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (strcmp(p->v[i].spec->name, name) == 0)
			return &p->v[i];
	return NULL;
}

int params_check_specs(const struct param_spec *specs, char *err, size_t errsz)
{
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
		if (s->type == PARAM_ENUM && (!s->choices || !s->choices[0])) {
			snprintf(err, errsz, "parameter '%s': an enum needs choices", s->name);
			return ERR_INVALID;
		}
		for (const struct param_spec *t = specs; t != s; t++) {
			if (strcmp(t->name, s->name) == 0) {
				snprintf(err, errsz, "parameter '%s' declared twice", s->name);
				return ERR_INVALID;
			}
		}
	}
	return 0;
}
