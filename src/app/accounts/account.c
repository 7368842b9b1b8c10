// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * account.c — a person's own account: the account page (name, school, role,
 * sessions, API tokens), changing the password, signing out everywhere,
 * making and revoking personal API tokens, downloading everything stored
 * about them, and deleting the account. Every handler requires a signed-in
 * person and acts only on that person.
 */
#include <stdio.h>
#include <string.h>

#include "app/accounts/model.h"
#include "app/accounts/pages.h"
#include "app/accounts/throttle.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

static const char *const done_choices[] = {"password", "token_revoked", NULL};
static const char *const done_texts[] = {
	"Your password has been changed. Your other devices have been signed out and your API tokens "
	"have been revoked: make new ones for the programs that need them.",
	"The API token has been revoked: it no longer works.",
};

/* GET /account parameters. */
const struct param_spec account_show_params[] = {
	PARAM(.name = "done", .type = PARAM_ENUM, .choices = done_choices, .label = "Done"),
	PARAM_END,
};

/* POST /account/password parameters. */
const struct param_spec account_password_params[] = {
	PARAM(.name = "current_password", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = PASSWORD_MAX_CHARS, .label = "Current password"),
	PARAM(.name = "password", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = PASSWORD_MAX_CHARS, .label = "New password"),
	PARAM(.name = "password_confirm", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = PASSWORD_MAX_CHARS, .label = "New password again"),
	PARAM_END,
};

/* POST /account/tokens parameters. */
const struct param_spec account_token_params[] = {
	PARAM(.name = "name", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 1, .max = APITOKEN_NAME_MAX, .label = "Token name"),
	PARAM_END,
};

/* POST /account/delete parameters. */
const struct param_spec account_delete_params[] = {
	PARAM(.name = "password", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = PASSWORD_MAX_CHARS, .label = "Password"),
	PARAM_END,
};

/* How each school role reads on the page. */
static const char *role_label(const char *role)
{
	if (str_eq(role, "lead"))
		return "School lead";
	if (str_eq(role, "staff"))
		return "Staff";
	if (str_eq(role, "governor"))
		return "Governor";
	return "No school role";
}

/* The account page's model for u: person, sessions, tokens. NULL on a store error. */
static json_t *account_model(struct db *db, const struct user *u)
{
	json_t *person = person_json(db, u->id);
	if (!person)
		return NULL;
	json_object_set_new(person, "role_label",
			    json_string(role_label(json_string_value(json_object_get(person, "role")))));
	json_t *tokens = apitoken_list(db, u->id);
	json_t *m = json_pack("{s:s, s:o, s:I, s:o, s:b, s:b}", "title", "Your account", "person", person,
			      "sessions", (json_int_t)session_count(db, u->id), "tokens", tokens,
			      "has_tokens", json_array_size(tokens) > 0, "by_token", u->session_id == 0);
	page_dates_for_people(m);
	return m;
}

/*
 * GET /account?done=WHAT
 * The signed-in person's account: details, sessions, API tokens and the
 * forms to change them. done: password or token_revoked (a notice).
 */
int handle_account_show(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct db *db = pg.db;
	json_t *m = account_model(db, u);
	if (!m)
		return ERR_DB;
	const char *done = req_str(req, "done");
	for (size_t i = 0; done && done_choices[i]; i++)
		if (str_eq(done, done_choices[i]))
			json_object_set_new(m, "notice", json_string(done_texts[i]));
	res_view(res, 200, "accounts/account", m);
	return 0;
}

/*
 * GET /account/password
 * The form to change one's password (asks for the current one).
 */
int handle_account_password_form(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	json_t *m = json_pack("{s:s}", "title", "Change your password");
	json_object_set_new(m, "email", json_string(u->email));
	res_view(res, 200, "accounts/password", m);
	return 0;
}

/*
 * Check the person's current password, under the account throttle (a
 * stolen session must not become a way to guess it). 0 when right; else the
 * response is set (400 with a field error, or 429) and an error returned.
 * Takes the reference to model (the form's, shown again on failure).
 */
static int check_current_password(struct page *pg, const struct user *u, const char *field, const char *password,
				  const char *tmpl, json_t *model)
{
	struct request *req = pg->req;
	struct db *db = pg->db;
	int64_t now = clock_now(), wait;
	bool locked;
	int rc = throttle_check(db, &throttle_account, u->email, now, &wait, &locked);
	if (rc) {
		json_decref(model);
		return rc;
	}
	const char *ip = auth_client_address(req);
	if (wait) {
		audit_record(db, u, ip, "password_check_throttled", json_pack("{s:s}", "form", field));
		(void)accounts_too_many(pg, tmpl, model, wait, locked, false);
		return ERR_TOOMANY;
	}
	struct person_login p;
	if ((rc = person_login_get(db, req_arena(req), u->id, &p))) {
		json_decref(model);
		return rc;
	}
	if (password_verify(p.hash, password) == 0) {
		json_decref(model);
		if (throttle_clear(db, &throttle_account, u->email))
			log_warn("%s could not clear the throttle of person %lld", req_id(req), (long long)u->id);
		return 0;
	}
	bool now_locked = false;
	now = clock_now(); /* the wait runs from the answer, not from before the hash */
	if ((rc = throttle_failure(db, &throttle_account, u->email, now, &now_locked))) {
		json_decref(model);
		return rc;
	}
	audit_record(db, u, ip, "password_check_failed", json_pack("{s:s}", "form", field));
	if (now_locked) {
		audit_record_about(db, NULL, u->id, ip, "locked_out", json_pack("{s:s}", "by", "account"));
		(void)accounts_too_many(pg, tmpl, model, throttle_account.lock_for, true, false);
		return ERR_TOOMANY;
	}
	(void)page_form_refuse(pg, 400, json_pack("{s:s}", field, "This is not your current password"), tmpl, model, "", "The password you gave is not your current one.");
	return ERR_INVALID;
}

/*
 * POST /account/password  (current_password, password, password_confirm; csrf)
 * Changes the password after checking the current one, signs out every
 * other session and revokes every API token (made under the old password),
 * and goes back to /account (JSON: {changed, other_sessions_ended,
 * api_tokens_revoked}).
 */
int handle_account_password(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct db *db = pg.db;
	json_t *model = json_pack("{s:s}", "title", "Change your password");
	json_object_set_new(model, "email", json_string(u->email));
	json_t *errors = page_errors(&pg);
	const char *pw = req_str(req, "password");
	if (!json_object_get(errors, "password")) {
		const char *weak = password_weakness(pw, u->email, u->name);
		if (weak)
			json_object_set_new(errors, "password", json_string(weak));
		else if (!json_object_get(errors, "password_confirm") &&
			 !str_eq(pw, req_str(req, "password_confirm")))
			json_object_set_new(errors, "password_confirm", json_string("The two new passwords are not the same"));
	}
	if (json_object_size(errors))
		return page_form_refuse(&pg, 400, errors, "accounts/password", model, "", "Your password has not been changed.");
	json_decref(errors);
	rc = check_current_password(&pg, u, "current_password", req_str(req, "current_password"),
				    "accounts/password", json_incref(model));
	json_decref(model);
	if (rc)
		return rc; /* a 400 or 429 is set on res; otherwise the server answers for rc */
	char hash[PASSWORD_HASH_BUFSZ];
	int ended = 0, revoked = 0;
	if ((rc = password_hash(pw, hash)) ||
	    (rc = person_change_password(db, u->id, hash, u->session_id, &ended, &revoked)))
		return rc;
	audit_record(db, u, auth_client_address(req), "password_changed",
		     json_pack("{s:i, s:i}", "other_sessions_ended", ended, "api_tokens_revoked", revoked));
	if (req_wants_json(req)) {
		res_json(res, 200, json_pack("{s:b, s:i, s:i}", "changed", 1, "other_sessions_ended", ended,
					     "api_tokens_revoked", revoked));
		return 0;
	}
	res_redirect(res, 303, "/account?done=password");
	return 0;
}

/*
 * POST /account/sign-out-everywhere  (csrf)
 * Ends every session of the person, this one too (API tokens stay: revoke
 * them one by one). HTML goes to the sign-in page.
 */
int handle_account_sign_out_everywhere(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct db *db = pg.db;
	int ended = 0;
	if ((rc = session_delete_all(db, u->id, 0, &ended)))
		return rc;
	audit_record(db, u, auth_client_address(req), "sign_out_everywhere", json_pack("{s:i}", "sessions", ended));
	res_cookie(res, SESSION_COOKIE, "", 0, COOKIE_HTTPONLY | COOKIE_LAX);
	auth_forget(req);
	if (req_wants_json(req)) {
		res_json(res, 200, json_pack("{s:i}", "sessions_ended", ended));
		return 0;
	}
	res_redirect(res, 303, "/sign-in?notice=everywhere");
	return 0;
}

/*
 * POST /account/tokens  (name; csrf)
 * Makes a personal API token and shows its secret this once (201: the page
 * accounts/token_created, or JSON {token, secret}).
 */
int handle_account_token_create(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct db *db = pg.db;
	json_t *errors = page_errors(&pg);
	if (json_object_size(errors)) {
		json_t *m = account_model(db, u);
		if (!m) {
			json_decref(errors);
			return ERR_DB;
		}
		const char *typed = req_field(req, "name");
		if (typed)
			json_object_set_new(m, "token_name", json_string(typed));
		return page_form_refuse(&pg, 400, errors, "accounts/account", m, "", "The token was not made.");
	}
	json_decref(errors);
	char secret[sizeof(TOKEN_API_PREFIX) + TOKEN_BUFSZ];
	json_t *row;
	const char *name = str_trim(req_arena(req), req_str(req, "name"));
	rc = apitoken_create(db, u->id, name, secret, &row);
	if (rc == ERR_CONFLICT) {
		json_t *m = account_model(db, u);
		if (!m)
			return ERR_DB;
		return page_form_refuse(&pg, 409, json_pack("{s:s}", "name", "Revoke a token you no longer use first"), "accounts/account", m, "", "You have as many API tokens as one person may have (20).");
	}
	if (rc)
		return rc;
	audit_record(db, u, auth_client_address(req), "api_token_created",
		     json_pack("{s:O}", "token_id", json_object_get(row, "id")));
	json_t *m = json_pack("{s:s, s:o, s:s}", "title", "Your new API token", "token", row, "secret", secret);
	res_view(res, 201, "accounts/token_created", m);
	return 0;
}

/*
 * POST /account/tokens/{id}/revoke  (csrf)   — the page's form
 * DELETE /account/tokens/{id}               — JSON clients
 * Revokes one of the person's own tokens (404 for anyone else's).
 */
int handle_account_token_revoke(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct db *db = pg.db;
	int64_t id = req_path_int(req, "id");
	const char *name;
	rc = apitoken_revoke(db, req_arena(req), u->id, id, &name);
	if (rc == ERR_NOTFOUND)
		return res_error(res, 404, "You have no API token with that number.");
	if (rc)
		return rc;
	audit_record(db, u, auth_client_address(req), "api_token_revoked", json_pack("{s:I}", "token_id", (json_int_t)id));
	if (req_wants_json(req)) {
		res_json(res, 200, json_pack("{s:I}", "revoked", (json_int_t)id));
		return 0;
	}
	res_redirect(res, 303, "/account?done=token_revoked");
	return 0;
}

/*
 * GET /account/export
 * Everything stored about the person as a JSON file to download (always
 * JSON). Recorded in the audit log as "export".
 */
int handle_account_export(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct db *db = pg.db;
	json_t *data = person_export(db, u->id);
	if (!data)
		return ERR_DB;
	audit_record(db, u, auth_client_address(req), "export", NULL);
	char date[16];
	clock_format_date(clock_now(), date, sizeof(date));
	res_header(res, "Content-Disposition",
		   arena_printf(req_arena(req), "attachment; filename=\"tandem-my-data-%s.json\"", date));
	res_json(res, 200, data);
	return 0;
}

/* What deleting removes and what it keeps, for the page and the JSON. */
static json_t *delete_model(const struct user *u)
{
	return json_pack("{s:s, s:I, s:[s,s,s,s,s,s], s:[s,s]}", "title", "Delete your account", "person_id",
		(json_int_t)u->id, "removed",
		"your name, email address and password",
		"your school and role, and your roles in networks",
		"every session (you will be signed out everywhere)",
		"your personal API tokens and password-reset links",
		"email waiting to be sent to you, or already sent",
		"the addresses (IP) recorded with your sign-ins and other events",
		"kept",
		"the audit log's entries of what was done (such as sign-ins and this deletion), shown as "
		"\"deleted person #N\" with no name, email address or IP address",
		"what you wrote or added in networks (strengths, needs, invitations), with no name attached");
}

/*
 * GET /account/delete
 * What deleting the account removes and keeps, and the form to do it.
 */
int handle_account_delete_form(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	json_t *m = delete_model(u);
	json_object_set_new(m, "email", json_string(u->email));
	res_view(res, 200, "accounts/delete", m);
	return 0;
}

/*
 * POST /account/delete  (password; csrf)
 * Deletes the account after checking the password; its sessions end at
 * once. HTML goes to the sign-in page; JSON gets {deleted}.
 */
int handle_account_delete(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	const struct user *u = pg.u;
	struct db *db = pg.db;
	json_t *model = delete_model(u);
	json_object_set_new(model, "email", json_string(u->email));
	json_t *errors = page_errors(&pg);
	if (json_object_size(errors))
		return page_form_refuse(&pg, 400, errors, "accounts/delete", model, "", "Give your password to delete your account.");
	json_decref(errors);
	rc = check_current_password(&pg, u, "password", req_str(req, "password"), "accounts/delete",
				    json_incref(model));
	json_decref(model);
	if (rc)
		return rc; /* a 400 or 429 is set on res; otherwise the server answers for rc */
	int64_t id = u->id;
	rc = person_delete(db, id, u->email);
	if (rc)
		return rc;
	audit_record_about(db, u, id, NULL, "account_deleted", NULL);
	res_cookie(res, SESSION_COOKIE, "", 0, COOKIE_HTTPONLY | COOKIE_LAX);
	auth_forget(req);
	if (req_wants_json(req)) {
		res_json(res, 200, json_pack("{s:b}", "deleted", 1));
		return 0;
	}
	res_redirect(res, 303, "/sign-in?notice=deleted");
	return 0;
}
