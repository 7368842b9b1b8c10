// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.h — what the accounts page files share: the cookie names, the
 * signed-in state of a request (auth.c), form helpers (forms.c) and the
 * handlers of account.c and admin.c that pages.c lists in accounts_routes.
 */
#ifndef TANDEM_APP_ACCOUNTS_PAGES_H
#define TANDEM_APP_ACCOUNTS_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "http/http.h"

/* The session cookie: the session's token. HttpOnly, SameSite=Lax, Secure over https. */
#define SESSION_COOKIE "tandem_session"
/* The anonymous double-submit CSRF cookie (forms used before signing in). */
#define CSRF_COOKIE "tandem_csrf"

/* ---- auth.c ------------------------------------------------------------- */

/* True when the request carried a session cookie whose session has ended. */
bool auth_session_expired(struct request *req);
/* Forget the signed-in person for the rest of this request (signed out, deleted). */
void auth_forget(struct request *req);
/*
 * The client's address for throttling and the audit log: the peer's, or,
 * when the peer is this machine (a reverse proxy) and sent X-Forwarded-For,
 * the last address in that header. In the request arena.
 */
const char *auth_client_address(struct request *req);

/* ---- forms.c ------------------------------------------------------------ */

/* A new page model {title}. */
json_t *form_model(const char *title);
/*
 * Answer a form that cannot be accepted. JSON: a problem with status,
 * summary and the field errors. HTML: template tmpl with model plus
 * `error` (summary), `errors` [{field, message}] and `field_errors`
 * {field: message}, with status. Takes model and errors (an object
 * {field: message}, may be NULL). Returns 0 (the response is set).
 */
int form_fail(struct request *req, struct response *res, int status, const char *tmpl, json_t *model,
	      json_t *errors, const char *summary);
/* A copy of the route's parameter errors {field: message} (for ROUTE_OWN_ERRORS), or a new empty object. */
json_t *form_param_errors(struct request *req);
/* True when next is a path on this site ("/…", not "//…"), safe to redirect to. */
bool form_safe_next(const char *next);
/*
 * The site's address for links in emails, without a trailing slash:
 * TANDEM_BASE_URL, else the request's Host when it names this machine
 * (127.x, localhost, [::1]), else the listening address. In the arena.
 */
const char *form_site_url(struct request *req);
/* Answer 429 with Retry-After, saying when to try again (wait in seconds); locked says why. */
int form_too_many(struct request *req, struct response *res, const char *tmpl, json_t *model, int64_t wait,
		  bool locked, bool for_ip);

/* ---- account.c ------------------------------------------------------------ */

int handle_account_show(struct request *req, struct response *res);
int handle_account_password_form(struct request *req, struct response *res);
int handle_account_password(struct request *req, struct response *res);
int handle_account_sign_out_everywhere(struct request *req, struct response *res);
int handle_account_token_create(struct request *req, struct response *res);
int handle_account_token_revoke(struct request *req, struct response *res);
int handle_account_export(struct request *req, struct response *res);
int handle_account_delete_form(struct request *req, struct response *res);
int handle_account_delete(struct request *req, struct response *res);
extern const struct param_spec account_show_params[];
extern const struct param_spec account_password_params[];
extern const struct param_spec account_token_params[];
extern const struct param_spec account_delete_params[];

/* ---- admin.c ------------------------------------------------------------ */

int handle_admin_index(struct request *req, struct response *res);
int handle_admin_audit(struct request *req, struct response *res);
extern const struct param_spec admin_audit_params[];

#endif
