// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * scrapbook.h — a school's Good Ideas Scrapbook for one term (scrapbook.c):
 * the terms of the school year and the articles of a school in a term that
 * the viewer may see, ready to print one an A4 page.
 */
#ifndef TANDEM_APP_PRACTICE_SCRAPBOOK_H
#define TANDEM_APP_PRACTICE_SCRAPBOOK_H

#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "core/err.h"

struct arena;
struct db;

/* The three terms, in calendar order within a year. */
enum practice_term_name {
	PRACTICE_TERM_SPRING, /* January to March */
	PRACTICE_TERM_SUMMER, /* April to August */
	PRACTICE_TERM_AUTUMN, /* September to December */
	PRACTICE_TERM__MAX
};

/* One term of one calendar year. */
struct practice_term {
	enum practice_term_name term; /* which term */
	int year;                     /* the calendar year it falls in */
};

/* Read "autumn-2026", "spring-2027", "summer-2027" (years 2000-2100): 0 or ERR_INVALID. */
int practice_term_parse(const char *s, struct practice_term *out) WUR;
/* The term instant t (UTC seconds) falls in. */
struct practice_term practice_term_of(int64_t t);
/* The term by terms after t (negative: before). */
struct practice_term practice_term_step(struct practice_term t, int by);
/* The term's first instant and the next term's, as stored UTC text. */
void practice_term_range(struct practice_term t, char from[32], char to[32]);
/* "autumn-2026" and "Autumn term 2026" (arena). */
const char *practice_term_key(struct arena *a, struct practice_term t);
const char *practice_term_label(struct arena *a, struct practice_term t);

/*
 * The scrapbook of school urn in term for u (NULL: anonymous): {urn,
 * school, term, term_label, articles[{title, body_html, posted, theme,
 * author, network}], prev_term, next_term, …}, oldest first, every article
 * through the visibility check. ERR_NOTFOUND when the register has no such
 * school.
 */
int practice_scrapbook(struct db *db, struct arena *a, const struct user *u, int64_t urn, struct practice_term term,
		       json_t **out) WUR;

#endif
