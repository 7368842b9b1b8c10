// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.h — what the partnerships page files share: the page kit's context
 * with the partnership a URL names and the access of the person asking,
 * the refusal of an invalid form in the partnerships' words, and the
 * handlers and parameter tables the route table in pages.c lists.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_PAGES_H
#define TANDEM_APP_PARTNERSHIPS_PAGES_H

#include <jansson.h>

#include "app/page.h"
#include "app/partnerships/ps.h"
#include "http/http.h"

/* One partnership page's context: the page kit's, and the partnership with what the person may do. */
struct ps_page {
	struct page p;        /* the request, arena, database and person (app/page.h) */
	struct partnership ps; /* the partnership of {id} */
	struct ps_access acc; /* what the person may do with it */
};

/*
 * Open the page kit for a signed-in person and the partnership of the
 * request's {id}, which they may read (full is true) or at least see the
 * summary of. Returns 0, or a negative error with the response set (sign
 * in first, 404).
 */
int ps_page_open(struct request *req, struct response *res, bool full, struct ps_page *pg) WUR;
/*
 * The declared-parameter errors of the request (page_errors), with an
 * impossible day in any PARAM_DATE field of specs said as the partnerships
 * pages say it: "The start date is not a real date: February 2025 has 28
 * days." (the spec's label starts the sentence). A new object.
 */
json_t *ps_page_errors(const struct page *pg, const struct param_spec *specs);
/* The day a valid PARAM_DATE field names (Unix time at midnight UTC), 0 when it was not given. */
int64_t ps_page_day(const struct page *pg, const char *name);

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
int handle_ps_close(struct request *req, struct response *res);
extern const struct param_spec ps_agreement_params[];
extern const struct param_spec ps_agreement_view_params[];
extern const struct param_spec ps_measure_params[];
extern const struct param_spec ps_risk_params[];
extern const struct param_spec ps_risk_status_params[];
extern const struct param_spec ps_sign_params[];
extern const struct param_spec ps_close_params[];

#endif
