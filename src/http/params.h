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

/* The validated value(s) of one declared parameter. */
struct param_value {
	const struct param_spec *spec; /* the declaration (borrowed from the route) */
	bool present;                  /* a valid, non-empty value was given */
	const char **values;           /* present: the values (trimmed for non-text types); arena */
	size_t n;                      /* number of values (1 unless PARAM_MULTI) */
	int64_t i;                     /* INT: the first value */
	double d;                      /* INT and NUMBER: the first value */
	bool b;                        /* BOOL: the first value */
};

/* All parameters of one request. */
struct params {
	struct param_value *v; /* one per spec, in spec order; arena */
	size_t n;              /* number of specs */
	json_t *errors;        /* {field: message}, or NULL when all valid; released with the arena */
};

/*
 * Validate specs (a table ending in {NULL}; NULL for none) against the
 * decoded fields (query or form; may be NULL) or, when obj is not NULL, the
 * JSON object obj. Fills *out (allocated in a). Never fails: problems go to
 * out->errors.
 */
void params_validate(struct arena *a, const struct param_spec *specs,
		     const struct form_field *fields, json_t *obj, struct params *out);

/* The value for name, or NULL when name is not declared. */
const struct param_value *params_find(const struct params *p, const char *name);

/*
 * Check one value against spec, as params_validate does: returns NULL when
 * it is valid (filling pv->i / pv->d / pv->b), or the message for a person
 * (in the arena). value must be NUL-terminated; len is its length in bytes.
 */
const char *param_check(struct arena *a, const struct param_spec *spec, const char *value,
			size_t len, struct param_value *pv);

/* True when s is a real calendar date written YYYY-MM-DD (years 0001–9999). */
bool param_date_valid(const char *s);
/* True when s looks like an e-mail address (see PARAM_EMAIL in http.h). */
bool param_email_valid(const char *s);

/* Check a spec table for programming errors. Returns 0 or ERR_INVALID with err. */
int params_check_specs(const struct param_spec *specs, char *err, size_t errsz) WUR;

#endif
