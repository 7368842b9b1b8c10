// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * page.h — the one page kit every capability's handlers are written with.
 * A handler reads top to bottom:
 *
 *     struct page pg;
 *     int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);   // sign-in, database, person
 *     if (rc)
 *             return rc;                                     // the response is already set
 *     json_t *errors = page_errors(&pg);                    // declared-parameter errors
 *     rc = json_object_size(errors) ? ERR_INVALID : model_do(pg.db, …, errors);
 *     if (rc)
 *             return page_form_fail(&pg, rc, errors, "feature/form", model_again(…), "f-");
 *     json_decref(errors);
 *     return page_redirect(&pg, "/feature/%lld", id);       // 303 after success
 *
 * page_fail turns a model's negative enum err into the one answer people
 * see for it (404, 403, 401 with a sign-in redirect, 409, 400, 503), in
 * words a busy teacher understands. page_form_fail answers a refused form:
 * 400 (or 409) with problem+json listing each field's message for JSON
 * clients, or the page again with the error summary (templates/_errors
 * .mustache), a message next to each field and every value the person typed
 * (model.form, filled from the request for every field the model did not
 * set itself, except passwords, which are never echoed). Field anchors are `prefix + field` (prefix "f-" unless a page
 * holds several forms): an input's id must be the same.
 */
#ifndef TANDEM_APP_PAGE_H
#define TANDEM_APP_PAGE_H

#include <stdbool.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "core/err.h"
#include "http/http.h"

struct arena;
struct db;

/* What a page needs before its handler runs. */
enum page_need {
	PAGE_ANYONE,    /* anyone, signed in or not (pg->u may be NULL) */
	PAGE_SIGNED_IN, /* a signed-in person: anonymous visitors are sent to sign in (401 for JSON) */
	PAGE_ADMIN,     /* a deployment administrator (403 for others) */
};

/* One request's page context. Everything lives as long as the request. */
struct page {
	struct request *req;  /* the request */
	struct response *res; /* its response */
	struct arena *a;      /* the request arena */
	struct db *db;        /* this thread's database connection */
	const struct user *u; /* the signed-in person, NULL when anonymous */
};

/*
 * Fill pg for a handler: the arena, the database and the person, checked
 * against need. 0, or a negative error with the response already set (sign
 * in, 403, 503): the handler returns it as it is.
 */
int page_open(struct request *req, struct response *res, enum page_need need, struct page *pg) WUR;
/*
 * The answer for a model's refusal or failure rc (ERR_NOTFOUND, ERR_FORBIDDEN,
 * ERR_UNAUTH, ERR_CONFLICT, ERR_INVALID, ERR_DB, …): an error page or
 * problem+json with detail (NULL: a sentence for the status). Returns what
 * the handler returns.
 */
int page_fail(struct page *pg, int rc, const char *detail);
/* The request's declared-parameter errors {field: message} as a new object, empty when none. */
json_t *page_errors(const struct page *pg);
/*
 * A refused form: rc ERR_INVALID (400) or ERR_CONFLICT (409) with errors
 * {field: message}; any other rc goes to page_fail. model (NULL: answer as
 * JSON only) is the form's page model; it gets has_errors, errors [{field,
 * anchor, message}], field_errors and form (the typed values). Takes both
 * references. Returns what the handler returns.
 */
int page_form_fail(struct page *pg, int rc, json_t *errors, const char *tmpl, json_t *model, const char *prefix);
/*
 * The general form of page_form_fail, for the few forms that answer with
 * another status (401 a wrong password, 410 a spent link, 429 too many
 * tries): status, the summary sentence, and the same fields, values and
 * anchors. Takes both references.
 */
int page_form_refuse(struct page *pg, int status, json_t *errors, const char *tmpl, json_t *model,
		     const char *prefix, const char *summary);
/* Whether next is a safe place to send someone after signing in: a path on this site, nothing else. */
bool page_safe_next(const char *next);
/* The submitted values of the named fields as {field: text} (new object). */
json_t *page_values(const struct page *pg, const char *const *names);
/* 303 See Other to an arena-formatted location; returns 0. */
int page_redirect(struct page *pg, const char *fmt, ...) FMT(2, 3);
/*
 * Dates for people in a page model: every string under a key ending in
 * "_at" (or the key "at") that holds an ISO timestamp gets a sibling, the
 * key + "_text": "1 October 2025, 10:00 UK time"; one ending in "_date"
 * holding YYYY-MM-DD gets "2 May 2025"; in objects and arrays at any depth. The ISO value stays for JSON clients and machine attributes.
 */
void page_dates_for_people(json_t *model);
/* The site's address for links in emails, no trailing slash (TANDEM_BASE_URL, else the request's host). */
const char *page_site_url(const struct page *pg);

#endif
