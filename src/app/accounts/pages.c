// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — signing in and out and resetting a forgotten password, and the
 * accounts route table (the account page and the administrators' pages are
 * in account.c and admin.c). Each handler serves both representations: the
 * templates in templates/accounts/, or JSON.
 *
 * A sign-in costs one password hash whatever happens: an unknown email is
 * checked against a dummy hash, and a throttled attempt is refused before
 * any hashing. The reset pages never say whether an email has an account.
 */
#include <stdio.h>
#include <string.h>

#include "app/accounts/model.h"
#include "app/accounts/pages.h"
#include "app/accounts/throttle.h"
#include "app/app.h"
#include "app/mail/mail.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

static const char *const notice_choices[] = {"signed_out", "everywhere", "reset", "deleted", "expired", NULL};
static const char *const notice_texts[] = {
	"You have signed out.",
	"You have been signed out on every device.",
	"Your password has been changed. Sign in with the new one. Your API tokens have been revoked: "
	"make new ones for the programs that need them.",
	"Your account has been deleted.",
	"Your session has ended because it was not used for a while. Sign in again.",
};

/* GET /sign-in parameters. */
static const struct param_spec sign_in_form_params[] = {
	PARAM(.name = "next", .type = PARAM_STRING, .min = 0, .max = 2000, .label = "Next page"),
	PARAM(.name = "notice", .type = PARAM_ENUM, .choices = notice_choices, .label = "Notice"),
	PARAM_END,
};

/* POST /sign-in parameters. */
static const struct param_spec sign_in_params[] = {
	PARAM(.name = "email", .type = PARAM_EMAIL, .flags = PARAM_REQUIRED, .label = "Email address"),
	PARAM(.name = "password", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = PASSWORD_MAX_CHARS, .label = "Password"),
	PARAM(.name = "next", .type = PARAM_STRING, .min = 0, .max = 2000, .label = "Next page"),
	PARAM_END,
};

/* POST /password-reset parameters. */
static const struct param_spec reset_request_params[] = {
	PARAM(.name = "email", .type = PARAM_EMAIL, .flags = PARAM_REQUIRED, .label = "Email address"),
	PARAM_END,
};

/* POST /password-reset/{token} parameters. */
static const struct param_spec reset_params[] = {
	PARAM(.name = "password", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = PASSWORD_MAX_CHARS, .label = "New password"),
	PARAM(.name = "password_confirm", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = PASSWORD_MAX_CHARS, .label = "New password again"),
	PARAM_END,
};

/* The sign-in form's model: title, next and an optional notice. */
static json_t *sign_in_model(struct request *req)
{
	json_t *m = json_pack("{s:s}", "title", "Sign in");
	const char *next = req_str(req, "next");
	if (page_safe_next(next))
		json_object_set_new(m, "next", json_string(next));
	const char *notice = req_method(req) == HTTP_GET ? req_str(req, "notice") : NULL;
	for (size_t i = 0; notice && notice_choices[i]; i++)
		if (str_eq(notice, notice_choices[i]))
			json_object_set_new(m, "notice", json_string(notice_texts[i]));
	const struct user *u = accounts_user(req);
	if (u)
		json_object_set_new(m, "signed_in_as", json_string(u->name));
	return m;
}

/*
 * GET /sign-in?next=PATH&notice=WHAT
 * The sign-in form. next: where to go afterwards (a path on this site);
 * notice: signed_out, everywhere, reset, deleted or expired.
 */
static int handle_sign_in_form(struct request *req, struct response *res)
{
	res_view(res, 200, "accounts/sign_in", sign_in_model(req));
	return 0;
}

/*
 * POST /sign-in  (email, password, next; csrf)
 * Checks the throttles, then the password (one Argon2id hash; a dummy one
 * for an unknown email), rehashes when the limits have changed, starts a
 * session and goes to next (HTML: 303) or answers {user, csrf} (JSON).
 * Wrong details: 401 with the form again; throttled: 429.
 */
static int handle_sign_in(struct request *req, struct response *res)
{
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	struct arena *a = req_arena(req);
	json_t *model = sign_in_model(req);
	const char *typed = req_field(req, "email");
	if (typed)
		json_object_set_new(model, "email", json_string(typed));
	json_t *errors = page_errors(&pg);
	if (json_object_size(errors))
		return page_form_refuse(&pg, 400, errors, "accounts/sign_in", model, "", "Give your email address and password.");
	json_decref(errors);
	const char *email = str_lower(a, req_str(req, "email"));
	const char *password = req_str(req, "password");
	const char *ip = auth_client_address(req);
	int64_t now = clock_now();

	struct person_login p;
	int rc = person_login_find(db, a, email, &p);
	if (rc && rc != ERR_NOTFOUND) {
		json_decref(model);
		return rc;
	}
	bool known = rc == 0;
	int64_t subject = known ? p.id : 0;

	int64_t wait_ip, wait_acct;
	bool locked_ip, locked_acct;
	if ((rc = throttle_check(db, &throttle_ip, ip, now, &wait_ip, &locked_ip)) ||
	    (rc = throttle_check(db, &throttle_account, email, now, &wait_acct, &locked_acct))) {
		json_decref(model);
		return rc;
	}
	if (wait_ip || wait_acct) {
		bool by_ip = wait_ip >= wait_acct;
		audit_record_about(db, NULL, subject, ip, "sign_in_throttled",
				   json_pack("{s:s, s:I}", "by", by_ip ? "address" : "account", "wait",
					     (json_int_t)(by_ip ? wait_ip : wait_acct)));
		return accounts_too_many(&pg, "accounts/sign_in", model, by_ip ? wait_ip : wait_acct, by_ip ? locked_ip : locked_acct, by_ip);
	}

	bool ok;
	if (known) {
		ok = password_verify(p.hash, password) == 0;
	} else {
		password_verify_dummy(password);
		ok = false;
	}
	if (!ok) {
		/* The wait runs from when the person is told, not from before the
		 * (slow, deliberately) password check. */
		now = clock_now();
		bool lock_ip = false, lock_acct = false;
		if ((rc = throttle_failure(db, &throttle_ip, ip, now, &lock_ip)) ||
		    (rc = throttle_failure(db, &throttle_account, email, now, &lock_acct))) {
			json_decref(model);
			return rc;
		}
		audit_record_about(db, NULL, subject, ip, "sign_in_failed",
				   json_pack("{s:s}", "reason", known ? "wrong password" : "unknown email"));
		if (lock_ip || lock_acct) {
			audit_record_about(db, NULL, subject, ip, "locked_out",
					   json_pack("{s:s}", "by", lock_ip ? "address" : "account"));
			const struct throttle_rule *r = lock_ip ? &throttle_ip : &throttle_account;
			return accounts_too_many(&pg, "accounts/sign_in", model, r->lock_for, true, lock_ip);
		}
		errors = json_pack("{s:s}", "email", "The email address or the password is not right");
		return page_form_refuse(&pg, 401, errors, "accounts/sign_in", model, "", "The email address or the password is not right. Check them and try again, or "
					"reset your password.");
	}
	json_decref(model);
	if (password_needs_rehash(p.hash)) {
		char hash[PASSWORD_HASH_BUFSZ];
		if (password_hash(password, hash) == 0 && person_set_password(db, p.id, hash) == 0)
			log_info("%s person %lld: password rehashed with today's limits", req_id(req),
				 (long long)p.id);
	}
	if ((rc = throttle_clear(db, &throttle_account, email)))
		return rc;
	if ((rc = accounts_start_session(req, res, p.id)))
		return rc;
	const struct user *u = accounts_user(req);
	if (req_wants_json(req)) {
		json_t *body = json_pack("{s:o, s:s}", "user", person_json(db, p.id), "csrf",
					 u && u->csrf_token ? u->csrf_token : "");
		res_json(res, 200, body);
		return 0;
	}
	const char *next = req_str(req, "next");
	res_redirect(res, 303, page_safe_next(next) ? next : "/");
	return 0;
}

/*
 * POST /sign-out  (csrf)
 * Ends this browser's session and clears its cookie; HTML goes to the
 * sign-in page, JSON gets {signed_out}.
 */
static int handle_sign_out(struct request *req, struct response *res)
{
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	const struct user *u = accounts_user(req);
	bool ended = false;
	if (u && u->session_id) {
		int rc = session_delete(db, u->session_id);
		if (rc)
			return rc;
		audit_record(db, u, auth_client_address(req), "sign_out", NULL);
		ended = true;
	}
	res_cookie(res, SESSION_COOKIE, "", 0, COOKIE_HTTPONLY | COOKIE_LAX);
	auth_forget(req);
	if (req_wants_json(req)) {
		res_json(res, 200, json_pack("{s:b}", "signed_out", ended));
		return 0;
	}
	res_redirect(res, 303, "/sign-in?notice=signed_out");
	return 0;
}

/*
 * GET /password-reset
 * The form asking for the email address to send a reset link to.
 */
static int handle_reset_request_form(struct request *req, struct response *res)
{
	res_view(res, 200, "accounts/reset_request", json_pack("{s:s}", "title", "Reset your password"));
	return 0;
}

/* The email with the reset link. */
static int send_reset_mail(struct page *pg, const struct person_login *p, const char *token)
{
	struct arena *a = pg->a;
	struct db *db = pg->db;
	const char *link = arena_printf(a, "%s/password-reset/%s", page_site_url(pg), token);
	const char *body = arena_printf(a,
		"Hello %s,\n\n"
		"Someone, probably you, asked to reset the password of your Tandem account.\n"
		"To choose a new password, open this link within the next hour:\n\n"
		"%s\n\n"
		"The link works once. If you did not ask for this, ignore this email:\n"
		"your password stays as it is.\n\n"
		"-- \nTandem\n",
		p->name, link);
	return mail_queue(db, p->email, "Reset your Tandem password", body);
}

/*
 * POST /password-reset  (email; csrf)
 * Emails a single-use link valid for an hour when the address has an
 * account, at most three an hour per address; answers the same either way.
 */
static int handle_reset_request(struct request *req, struct response *res)
{
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	struct arena *a = req_arena(req);
	json_t *model = json_pack("{s:s}", "title", "Reset your password");
	json_t *errors = page_errors(&pg);
	if (json_object_size(errors)) {
		const char *typed = req_field(req, "email");
		if (typed)
			json_object_set_new(model, "email", json_string(typed));
		return page_form_refuse(&pg, 400, errors, "accounts/reset_request", model, "", "Give the email address of your account.");
	}
	json_decref(errors);
	const char *email = str_lower(a, req_str(req, "email"));
	const char *ip = auth_client_address(req);
	int64_t now = clock_now(), wait;
	bool locked;
	struct person_login p;
	int rc = person_login_find(db, a, email, &p);
	if (rc && rc != ERR_NOTFOUND)
		goto fail;
	bool known = rc == 0;
	if ((rc = throttle_check(db, &throttle_reset, email, now, &wait, &locked)))
		goto fail;
	if (wait) {
		audit_record_about(db, NULL, known ? p.id : 0, ip, "password_reset_throttled", NULL);
	} else {
		if ((rc = throttle_failure(db, &throttle_reset, email, now, &locked)))
			goto fail;
		if (known) {
			char token[TOKEN_BUFSZ];
			if ((rc = reset_create(db, p.id, token)) || (rc = send_reset_mail(&pg, &p, token)))
				goto fail;
		}
		audit_record_about(db, NULL, known ? p.id : 0, ip, "password_reset_requested",
				   json_pack("{s:b}", "account", known));
	}
	json_object_set_new(model, "sent_to", json_string(email));
	json_object_set_new(model, "message",
			    json_sprintf("If %s is the address of an account, we have sent it a link to "
					 "choose a new password. The link works for an hour.", email));
	res_view(res, 200, "accounts/reset_sent", model);
	return 0;
fail:
	json_decref(model);
	return rc;
}

/* The answer for a reset link that is unknown, expired or spent: 410. */
static int reset_gone(struct page *pg)
{
	json_t *m = json_pack("{s:s}", "title", "This link no longer works");
	return page_form_refuse(pg, 410, NULL, "accounts/reset_invalid", m, "", "This password reset link has expired or has already been used. Ask for a new one.");
}

/*
 * GET /password-reset/{token}
 * The form for a new password, when token is a live reset link; 410 when it
 * has expired or been used.
 */
static int handle_reset_form(struct request *req, struct response *res)
{
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	int64_t id, person_id;
	int rc = reset_find(db, req_path_str(req, "token"), &id, &person_id);
	if (rc == ERR_NOTFOUND)
		return reset_gone(&pg);
	if (rc)
		return rc;
	struct person_login p;
	if ((rc = person_login_get(db, req_arena(req), person_id, &p)))
		return rc == ERR_NOTFOUND ? reset_gone(&pg) : rc;
	json_t *m = json_pack("{s:s}", "title", "Choose a new password");
	json_object_set_new(m, "token", json_string(req_path_str(req, "token")));
	json_object_set_new(m, "email", json_string(p.email));
	res_view(res, 200, "accounts/reset_form", m);
	return 0;
}

/*
 * POST /password-reset/{token}  (password, password_confirm; csrf)
 * Sets the new password, spends the link, ends every session of the person,
 * revokes their API tokens and lifts a lock-out; HTML goes to the sign-in page.
 */
static int handle_reset(struct request *req, struct response *res)
{
	struct page pg;
	int prc = page_open(req, res, PAGE_ANYONE, &pg);
	if (prc)
		return prc;
	struct db *db = pg.db;
	const char *token = req_path_str(req, "token");
	int64_t id, person_id;
	int rc = reset_find(db, token, &id, &person_id);
	if (rc == ERR_NOTFOUND)
		return reset_gone(&pg);
	if (rc)
		return rc;
	struct person_login p;
	if ((rc = person_login_get(db, req_arena(req), person_id, &p)))
		return rc == ERR_NOTFOUND ? reset_gone(&pg) : rc;
	json_t *model = json_pack("{s:s}", "title", "Choose a new password");
	json_object_set_new(model, "token", json_string(token));
	json_object_set_new(model, "email", json_string(p.email));
	json_t *errors = page_errors(&pg);
	const char *pw = req_str(req, "password");
	if (!json_object_get(errors, "password")) {
		const char *weak = password_weakness(pw, p.email, p.name);
		if (weak)
			json_object_set_new(errors, "password", json_string(weak));
		else if (!json_object_get(errors, "password_confirm") &&
			 !str_eq(pw, req_str(req, "password_confirm")))
			json_object_set_new(errors, "password_confirm", json_string("The two passwords are not the same"));
	}
	if (json_object_size(errors))
		return page_form_refuse(&pg, 400, errors, "accounts/reset_form", model, "", "The new password cannot be used yet.");
	json_decref(errors);
	json_decref(model);
	char hash[PASSWORD_HASH_BUFSZ];
	if ((rc = password_hash(pw, hash)))
		return rc;
	rc = reset_complete(db, id, person_id, hash);
	if (rc == ERR_NOTFOUND)
		return reset_gone(&pg);
	if (rc)
		return rc;
	if (throttle_clear(db, &throttle_account, p.email))
		log_warn("%s could not lift the lock-out of person %lld", req_id(req), (long long)person_id);
	audit_record_about(db, NULL, person_id, auth_client_address(req), "password_reset", NULL);
	if (req_wants_json(req)) {
		res_json(res, 200, json_pack("{s:b}", "reset", 1));
		return 0;
	}
	res_redirect(res, 303, "/sign-in?notice=reset");
	return 0;
}


/* "15 minutes", "1 second", … for a wait in seconds. */
static const char *wait_words(struct arena *a, int64_t s)
{
	if (s < 60)
		return arena_printf(a, "%lld second%s", (long long)s, s == 1 ? "" : "s");
	int64_t m = (s + 59) / 60;
	return arena_printf(a, "%lld minute%s", (long long)m, m == 1 ? "" : "s");
}

int accounts_too_many(struct page *pg, const char *tmpl, json_t *model, int64_t wait, bool locked, bool for_ip)
{
	struct arena *a = pg->a;
	if (wait < 1)
		wait = 1;
	res_header(pg->res, "Retry-After", arena_printf(a, "%lld", (long long)wait));
	char hhmm[6];
	clock_uk_day_time(clock_now() + wait, NULL, hhmm);
	const char *clock_time = arena_printf(a, "%s UK time", hhmm);
	const char *msg;
	if (locked && for_ip)
		msg = arena_printf(a, "There have been too many failed sign-ins from your network, so signing in "
				      "from it is paused. Try again in %s (after %s).",
				   wait_words(a, wait), clock_time);
	else if (locked)
		msg = arena_printf(a, "This account is locked for a while after too many failed sign-ins. Try "
				      "again in %s (after %s), or reset your password.",
				   wait_words(a, wait), clock_time);
	else
		msg = arena_printf(a, "Too many failed attempts in a row. Wait %s, then try again.",
				   wait_words(a, wait));
	json_object_set_new(model, "retry_after", json_integer(wait));
	return page_form_refuse(pg, 429, NULL, tmpl, model, "", msg);
}

/* GET /account parameters are in account.c; the table of every accounts route: */
const struct route accounts_routes[] = {
	{HTTP_GET, "/sign-in", handle_sign_in_form, sign_in_form_params, 0, 0},
	{HTTP_POST, "/sign-in", handle_sign_in, sign_in_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_POST, "/sign-out", handle_sign_out, NULL, 0, 0},
	{HTTP_GET, "/password-reset", handle_reset_request_form, NULL, 0, 0},
	{HTTP_POST, "/password-reset", handle_reset_request, reset_request_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_GET, "/password-reset/{token}", handle_reset_form, NULL, ROUTE_SECRET_PATH, 0},
	{HTTP_POST, "/password-reset/{token}", handle_reset, reset_params, ROUTE_OWN_ERRORS | ROUTE_SECRET_PATH, 0},
	{HTTP_GET, "/account", handle_account_show, account_show_params, 0, 0},
	{HTTP_GET, "/account/password", handle_account_password_form, NULL, 0, 0},
	{HTTP_POST, "/account/password", handle_account_password, account_password_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_POST, "/account/sign-out-everywhere", handle_account_sign_out_everywhere, NULL, 0, 0},
	{HTTP_POST, "/account/tokens", handle_account_token_create, account_token_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_POST, "/account/tokens/{id:int}/revoke", handle_account_token_revoke, NULL, 0, 0},
	{HTTP_DELETE, "/account/tokens/{id:int}", handle_account_token_revoke, NULL, 0, 0},
	{HTTP_GET, "/account/export", handle_account_export, NULL, 0, 0},
	{HTTP_GET, "/account/delete", handle_account_delete_form, NULL, 0, 0},
	{HTTP_POST, "/account/delete", handle_account_delete, account_delete_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_GET, "/admin", handle_admin_index, NULL, 0, 0},
	{HTTP_GET, "/admin/audit", handle_admin_audit, admin_audit_params, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
