// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * str.h — small string helpers: comparisons, strict number parsing, UTF-8
 * validation and trimming. None of them allocate unless they take an arena.
 */
#ifndef TANDEM_CORE_STR_H
#define TANDEM_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

struct arena;

/* NULL-safe equality. */
bool str_eq(const char *a, const char *b);
/* ASCII case-insensitive equality (NULL-safe). */
bool str_case_eq(const char *a, const char *b);
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/*
 * Parse a whole string as a base-10 integer (optional leading '-', digits
 * only, no spaces). Returns 0 or ERR_INVALID (not a number, or out of range
 * of int64_t).
 */
int str_to_int64(const char *s, int64_t *out) WUR;
/* Parse a whole string as a finite decimal number ("12", "-1.5", ".25"). */
int str_to_double(const char *s, double *out) WUR;
/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or NULs). */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_len(const char *s, size_t n);
/* A copy without leading and trailing ASCII white space. */
char *str_trim(struct arena *a, const char *s);
/* Lower-case ASCII copy. */
char *str_lower(struct arena *a, const char *s);

#endif
