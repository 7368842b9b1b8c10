// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * casestudy.h — case studies (issue 14, item 3) and "we tried this" (item
 * 7) for pages_casestudy.c: a case study is a school's account of a
 * challenge, what it did, the evidence of impact on pupils (measures with a
 * baseline, a result and how they were measured), what did not work
 * (required), what it would do differently, time and cost, a contact,
 * themes and a licence, with the school's context copied from the register.
 * It has the same visibility and widening as articles, decided by
 * practice_can_see (policy.c); one the person may not see is ERR_NOTFOUND.
 * A closed partnership becomes a draft case study in one click.
 *
 * "We tried this" (tried.c): a member of another school records that they
 * are trying an idea, article or case study; after the network's number of
 * weeks a job asks them by email how it went; the author sees where the
 * practice travelled, with a map drawn as SVG.
 *
 * Results are new jansson references; strings live in the request arena.
 */
#ifndef TANDEM_APP_PRACTICE_CASESTUDY_H
#define TANDEM_APP_PRACTICE_CASESTUDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "app/practice/model.h"
#include "core/err.h"
#include "http/http.h"

struct arena;
struct db;
struct job;

/* The longest of each long text of a case study, in characters. */
#define PRACTICE_CASE_TEXT_MAX 4000
/* The longest measure field and contact, in characters. */
#define PRACTICE_CASE_SHORT_MAX 200
/* The most measures a case study holds. */
#define PRACTICE_CASE_MEASURES_MAX 12
/* The longest note on how a try went, in characters. */
#define PRACTICE_TRIED_NOTE_MAX 2000
/* Weeks after starting to try something when Tandem asks how it went, unless the network says otherwise. */
#define PRACTICE_TRIED_WEEKS 4

/* One measure of impact on pupils, as typed. */
struct practice_measure_in {
	const char *name;     /* what was measured ("Pupils reading at the expected standard") */
	const char *baseline; /* before ("48%") */
	const char *result;   /* after ("63%") */
	const char *method;   /* how it was measured */
	int64_t row;          /* the form's row number, for the error anchors (m_name_<row>) */
};

/* A case study as typed (NULL or "" for a field left empty). */
struct practice_case_in {
	const char *title;                           /* up to PRACTICE_TITLE_MAX characters */
	const char *challenge;                       /* the challenge */
	const char *what_we_did;                     /* what we did */
	const char *did_not_work;                    /* what did not work (required) */
	const char *differently;                     /* what we would do differently */
	const char *time_cost;                       /* time and cost */
	const char *contact;                         /* who to ask */
	const char *licence;                         /* "cc_by", "cc_by_nc_sa" or "members" */
	const char *const *themes;                   /* the network's theme names */
	size_t n_themes;                             /* how many */
	const struct practice_measure_in *measures;  /* the measures, rows left wholly empty skipped */
	size_t n_measures;                           /* how many */
};

/* The licence choices, NULL-terminated, for the parameter table. */
extern const char *const practice_licences[];

/* The list of case studies the person may see, and what the form needs: {network, cases[], themes[], licences[], context, can_post, …}. */
int practice_cases(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out) WUR;
/* Append to out the case studies waiting for the person (a lead) to approve sharing them (the moderation list). */
int practice_case_waiting(struct db *db, struct arena *a, const struct practice_ctx *c, json_t *out) WUR;
/* One case study with its measures and what the person may do: ERR_NOTFOUND when they may not see it. */
int practice_case(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out) WUR;
/* Write a case study: 0 with *id, ERR_INVALID with errors, ERR_FORBIDDEN when the person may not post. */
int practice_case_add(struct db *db, struct arena *a, const struct practice_ctx *c, const struct practice_case_in *in,
		      json_t *errors, int64_t *id) WUR;
/* Change case study id (its author): a draft becomes a finished case study. ERR_INVALID with errors. */
int practice_case_update(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id,
			 const struct practice_case_in *in, json_t *errors) WUR;
/*
 * Ask for case study id to be seen at level to (partnership or network;
 * the author, not for a draft): the refusals of practice_widen_refusal.
 */
int practice_case_widen(struct db *db, const struct practice_ctx *c, int64_t id, enum practice_vis to) WUR;
/* A lead of the school approves (approve: the level asked for) or refuses sharing case study id wider. */
int practice_case_decide(struct db *db, const struct practice_ctx *c, int64_t id, bool approve) WUR;
/* The author narrows case study id to level to (school or partnership) and withdraws a request. */
int practice_case_narrow(struct db *db, const struct practice_ctx *c, int64_t id, enum practice_vis to) WUR;
/*
 * Make a draft case study from closed partnership partnership_id, filled
 * from its purpose, measures (baseline, latest value, target) and
 * reflections, for u's school: a lead of a partner school of a member
 * school. 0 with *id and *slug (the network's, arena); ERR_CONFLICT while
 * the partnership is open.
 */
int practice_case_from_partnership(struct db *db, struct arena *a, const struct user *u, int64_t partnership_id,
				   const char **slug, int64_t *id) WUR;

/* The person's case studies (with their measures) and tries for "download my data" (new reference). */
json_t *practice_case_export_person(struct db *db, int64_t person_id);

/*
 * The case studies and "we tried this" of `tandem demo` in the demo network
 * (network_id, slug): nothing when it has a case study already.
 */
int practice_case_demo(struct db *db, struct arena *a, int64_t network_id, const char *slug) WUR;

/* ---- tried.c ---------------------------------------------------------------- */

/* "ideas", "articles" or "cases" to the kind stored ("idea", "article", "case"); NULL for anything else. */
const char *practice_tried_kind(const char *segment);
/*
 * Record that the person is trying item id of kind (a stored kind): 0,
 * ERR_NOTFOUND when they may not see it, ERR_INVALID (their own school's
 * item) or ERR_CONFLICT (recorded already) with errors["tried"].
 */
int practice_tried_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *kind, int64_t id,
		       json_t *errors) WUR;
/* Where item id of kind travelled: {item, schools[], counts, map_svg, …}; ERR_NOTFOUND when the person may not see it. */
int practice_travelled(struct db *db, struct arena *a, const struct practice_ctx *c, const char *kind, int64_t id,
		       json_t **out) WUR;
/* The "how did it go" form of the person's try tid: ERR_NOTFOUND when it is not theirs. */
int practice_tried_get(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t tid, json_t **out) WUR;
/* The person's tries in the network, newest first, and the weeks setting: {network, tries[], weeks, can_set_weeks}. */
int practice_tried_list(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out) WUR;
/* Record how try tid went (outcome "worked", "partly" or "not", note): ERR_INVALID / ERR_CONFLICT (answered) with errors. */
int practice_tried_answer(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t tid,
			  const char *outcome, const char *note, json_t *errors) WUR;
/* A coordinator sets the weeks (1-26) after which the network's people are asked how a try went. */
int practice_tried_set_weeks(struct db *db, const struct practice_ctx *c, int64_t weeks, json_t *errors) WUR;
/* The network's weeks (PRACTICE_TRIED_WEEKS when not set). */
int64_t practice_tried_weeks(struct db *db, int64_t network_id);
/* Queue the "how did it go" emails that are due at now: *sent how many. */
int practice_tried_ask(struct db *db, struct arena *a, const char *base_url, int64_t now, int *sent) WUR;
/* The tries of the person for "download my data" (new reference). */
json_t *practice_tried_export(struct db *db, int64_t person_id);

/* The job of `tandem serve` that asks how tries went (every 10 minutes). */
extern const struct job practice_tried_job;

/* Route table for case studies (pages_casestudy.c). */
extern const struct route practice_case_routes[];
/* Route table for "we tried this" (pages_tried.c). */
extern const struct route practice_tried_routes[];

#endif
