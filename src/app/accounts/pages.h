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
#include "app/page.h"
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

/* ---- pages.c ------------------------------------------------------------ */

/*
 * Answer 429 with Retry-After for a form that was tried too often, saying
 * when to try again (wait in seconds) in UK time; locked and for_ip say
 * why. Takes model. Returns 0 (the response is set).
 */
int accounts_too_many(struct page *pg, const char *tmpl, json_t *model, int64_t wait, bool locked, bool for_ip);

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
