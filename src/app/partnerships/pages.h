// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.h — what the partnerships page files share: opening the
 * partnership a URL names for the person asking, turning a model refusal
 * into 404/403/409, answering an invalid form, and the handlers the route
 * table in pages.c lists.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_PAGES_H
#define TANDEM_APP_PARTNERSHIPS_PAGES_H

#include <jansson.h>

#include "app/partnerships/ps.h"
#include "http/http.h"

struct arena;
struct db;

/* One partnership page's context. */
struct ps_page {
	struct db *db;         /* this thread's connection */
	struct arena *a;       /* the request arena */
	const struct user *u;  /* the signed-in person (always: every page needs one) */
	struct partnership p;  /* the partnership of {id} */
	struct ps_access acc;  /* what the person may do with it */
};

/*
 * Open the partnership of the request's {id} for a signed-in person who may
 * read it (full is true) or at least see its summary. Returns 0, or a
 * negative error with the response set (sign in first, 404).
 */
int ps_page_open(struct request *req, struct response *res, bool full, struct ps_page *pg) WUR;
/*
 * The start of a page that needs a signed-in person and the database: *u
 * and *db, or a negative error with the response set (sign in first, 503).
 */
int ps_page_begin(struct request *req, struct response *res, const struct user **u, struct db **db) WUR;
/* The answer for a model refusal or failure (404, 403, 409, 400, 500). */
int ps_fail(struct request *req, struct response *res, int rc);
/* The public base URL for links in emails ("" when unset). */
const char *ps_page_base_url(struct request *req);
/* The named fields of the request as a JSON object of strings (undeclared fields too). */
json_t *ps_form_of(struct request *req, const char *const *names);
/*
 * Answer a form that did not pass: JSON gets problem+json with the field
 * errors; HTML gets tmpl with model plus errors [{field, message}],
 * field_errors and has_errors. Takes both references. Returns 0 or the error.
 */
int ps_form_fail(struct request *req, struct response *res, int rc, json_t *errors, const char *tmpl, json_t *model);

/* pages_agreement.c */
int handle_ps_show(struct request *req, struct response *res);
int handle_ps_agreement(struct request *req, struct response *res);
int handle_ps_agreement_save(struct request *req, struct response *res);
int handle_ps_measure_add(struct request *req, struct response *res);
int handle_ps_measure_delete(struct request *req, struct response *res);
int handle_ps_risk_add(struct request *req, struct response *res);
int handle_ps_risk_delete(struct request *req, struct response *res);
int handle_ps_sign(struct request *req, struct response *res);
int handle_ps_risk_status(struct request *req, struct response *res);
extern const struct param_spec ps_agreement_params[];
extern const struct param_spec ps_measure_params[];
extern const struct param_spec ps_risk_params[];
extern const struct param_spec ps_risk_status_params[];
extern const struct param_spec ps_sign_params[];

#endif
