// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * params.h — validates a route's declared parameters (struct param_spec in
 * http.h) against the decoded query or form fields, or a JSON body object,
 * and keeps the typed values the req_* accessors read. Every problem becomes
 * a message a person can act on ("Number of pupils must be a whole number
 * between 0 and 5000"), keyed by field name. Internal to src/http/ and its
 * tests.
 */
#ifndef TANDEM_HTTP_PARAMS_H
#define TANDEM_HTTP_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "http/http.h"

struct arena;
struct form_field;

/* Default length limits (characters) when a STRING/TEXT spec's max is 0. */
#define PARAM_STRING_MAX 200
#define PARAM_TEXT_MAX 20000
/* Longest e-mail address accepted (RFC 5321 path limit). */
#define PARAM_EMAIL_MAX 254

/* The validated value(s) of one declared parameter, or of one field a name pattern matched. */
struct param_value {
	const struct param_spec *spec; /* the declaration (borrowed from the route) */
	const char *name;              /* the field: spec->name, or the matched name ("hours_107897") */
	int64_t key;                   /* a matched field's number (107897); 0 otherwise */
	bool present;                  /* a valid, non-empty value was given */
	const char **values;           /* present: the values (trimmed for non-text types,
	                                * in normal form for DATE/TIME/DECIMAL/HOURS); arena */
	size_t n;                      /* number of values (1 unless PARAM_MULTI) */
	const char **raw;              /* every value given, as given (JSON scalars as text),
	                                * valid or not; arena; NULL when none */
	size_t nraw;                   /* number of raw values */
	int64_t i;                     /* the first value: INT its value, DECIMAL/HOURS in
	                                * hundredths, TIME minutes after midnight, DATE days
	                                * since 1970-01-01 */
	double d;                      /* INT, NUMBER, DECIMAL, HOURS: the first value */
	bool b;                        /* BOOL: the first value */
	const char *text;              /* set by param_check for a value it rewrites in normal
	                                * form ("2026-12-06", "16:00", "1.5"); else NULL */
	size_t first, count;           /* a name pattern's spec: its matched fields are
	                                * params.m[first .. first + count) */
};

/* All parameters of one request. */
struct params {
	struct param_value *v; /* one per spec, in spec order; arena */
	size_t n;              /* number of specs */
	struct param_value *m; /* fields matched by name patterns, by spec then number; arena */
	size_t nm;             /* number of matched fields */
	json_t *errors;        /* {field: message}, or NULL when all valid; released with the arena */
	const char *repeated;  /* the first field given more than once that may not repeat
	                        * (declared or not), or NULL; its message is in errors */
};

/*
 * Validate specs (a table ending in {NULL}; NULL for none) against the
 * decoded fields (query or form; may be NULL) or, when obj is not NULL, the
 * JSON object obj. Fills *out (allocated in a). Never fails: problems go to
 * out->errors.
 */
void params_validate(struct arena *a, const struct param_spec *specs,
		     const struct form_field *fields, json_t *obj, struct params *out);

/* The value for name (a declared name, or a field a name pattern matched), or NULL. */
const struct param_value *params_find(const struct params *p, const char *name);

/*
 * The number a field name carries when it matches the name pattern
 * ("hours_{urn}" and "hours_107897": true, *key 107897). The number is 1–18
 * digits without a leading zero. False for a pattern-less name.
 */
bool param_pattern_match(const char *pattern, const char *field, int64_t *key);

/* A JSON string, number or boolean as text in the arena (*len its bytes), or NULL. */
const char *param_json_text(struct arena *a, json_t *v, size_t *len);

/*
 * Check one value against spec, as params_validate does: returns NULL when
 * it is valid (filling pv->i / pv->d / pv->b, and pv->text for the types
 * read into a normal form), or the message for a person (in the arena).
 * value must be NUL-terminated; len is its length in bytes.
 */
const char *param_check(struct arena *a, const struct param_spec *spec, const char *value,
			size_t len, struct param_value *pv);

/* True when s is a real calendar date written YYYY-MM-DD (years 0001–9999), strictly. */
bool param_date_valid(const char *s);
/* True when s looks like an e-mail address (see PARAM_EMAIL in http.h). */
bool param_email_valid(const char *s);

/* Check a spec table for programming errors. Returns 0 or ERR_INVALID with err. */
int params_check_specs(const struct param_spec *specs, char *err, size_t errsz) WUR;

#endif
