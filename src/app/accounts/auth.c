// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * auth.c — who is asking, and may they change things: the http before hook
 * (accounts_before) that reads the session cookie or a personal API token
 * and checks every state-changing request against cross-site forgery; the
 * accounts_require* gates handlers call; and the `site.user` / `site.csrf`
 * every page is rendered with.
 *
 * CSRF, in two layers. (1) Origin: the Origin header (or the Referer) must
 * be this site, and Sec-Fetch-Site must not be "cross-site" (csrf.c).
 * (2) A token in every form (hidden field `csrf`) or in the X-CSRF-Token
 * header, compared in constant time: for a signed-in browser a value derived
 * from its session token; before signing in, the value of the tandem_csrf
 * cookie (double submit), which the first page sets. Requests with
 * `Authorization: Bearer` carry no cookie and need no token.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/accounts/csrf.h"
#include "app/accounts/model.h"
#include "app/accounts/pages.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"

/* What the request's user slot holds: who is asking, worked out once. */
struct auth {
	bool loaded;       /* identify() has run */
	struct user *user; /* the signed-in person, NULL when anonymous (arena) */
	const char *csrf;  /* the token this client's forms carry, or NULL (arena) */
	bool bearer;       /* signed in with an API token */
	bool expired;      /* a session cookie came whose session has ended */
};

static struct auth *auth_of(struct request *req)
{
	struct auth *au = req_user(req);
	if (!au) {
		au = arena_zalloc(req_arena(req), sizeof(*au));
		req_set_user(req, au);
	}
	return au;
}

static bool loopback(const char *ip)
{
	return ip && (str_starts_with(ip, "127.") || str_eq(ip, "::1") ||
		      str_starts_with(ip, "::ffff:127."));
}

const char *auth_client_address(struct request *req)
{
	const char *peer = req_client_ip(req);
	const char *xff = req_header(req, "X-Forwarded-For");
	if (!loopback(peer) || !xff || !*xff)
		return peer;
	/* The proxy appends the address it saw: the last entry is the one to trust. */
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	char *ip = str_trim(req_arena(req), last);
	unsigned char bin[16];
	if (inet_pton(AF_INET, ip, bin) == 1 || inet_pton(AF_INET6, ip, bin) == 1)
		return ip;
	return peer;
}

const char *accounts_client_address(struct request *req)
{
	return auth_client_address(req);
}

/*
 * Work out who is asking: an API token (Authorization: Bearer), else the
 * session cookie. res is NULL when called while rendering (no cookies can
 * be set then). A Bearer token that is not valid is a 401 (set on res).
 */
static int identify(struct request *req, struct response *res, struct auth *au)
{
	au->loaded = true;
	struct arena *a = req_arena(req);
	const char *authz = req_header(req, "Authorization");
	const char *token = req_cookie(req, SESSION_COOKIE);
	bool bearer = authz && strncasecmp(authz, "Bearer ", 7) == 0;
	/* The store only when there is a credential to look up (so /healthz works without it). */
	struct db *db = bearer || (token && *token) ? app_db(req) : NULL;
	if ((bearer || (token && *token)) && !db)
		return ERR_DB;
	if (bearer) {
		const char *secret = authz + 7;
		while (*secret == ' ')
			secret++;
		struct user *u = arena_zalloc(a, sizeof(*u));
		int rc = apitoken_find(db, a, secret, u);
		if (rc == ERR_NOTFOUND) {
			if (!res)
				return 0;
			res_header(res, "WWW-Authenticate", "Bearer realm=\"tandem\", error=\"invalid_token\"");
			return res_error(res, 401, "This API token is not valid: it was revoked, or it is "
						   "mistyped. Make a new one on your account page.");
		}
		if (rc)
			return rc;
		au->user = u;
		au->bearer = true;
		return 0;
	}
	if (token && *token) {
		struct user *u = arena_zalloc(a, sizeof(*u));
		int rc = session_find(db, a, token, u);
		if (rc == 0) {
			char csrf[TOKEN_CSRF_BUFSZ];
			token_session_csrf(token, csrf);
			u->csrf_token = arena_strdup(a, csrf);
			au->user = u;
			au->csrf = u->csrf_token;
			return 0;
		}
		if (rc != ERR_NOTFOUND)
			return rc;
		au->expired = true;
		if (res)
			res_cookie(res, SESSION_COOKIE, "", 0, COOKIE_HTTPONLY | COOKIE_LAX);
	}
	const char *anon = req_cookie(req, CSRF_COOKIE);
	if (anon && token_well_formed(anon, NULL))
		au->csrf = anon;
	return 0;
}

/* Give an anonymous browser its double-submit token (cookie and forms). */
static void issue_anonymous_token(struct request *req, struct response *res, struct auth *au)
{
	char t[TOKEN_BUFSZ];
	token_new(t);
	au->csrf = arena_strdup(req_arena(req), t);
	res_cookie(res, CSRF_COOKIE, t, -1, COOKIE_HTTPONLY | COOKIE_LAX);
}

static bool changes_state(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

/*
 * The CSRF checks of a state-changing request: Origin / Referer /
 * Sec-Fetch-Site, then the token given (form field or header) against this
 * client's (unless origin_only). Bearer requests pass. 0, or the 403 is set
 * on res.
 */
static int check_csrf(struct request *req, struct response *res, struct auth *au, const char *given,
		      bool origin_only)
{
	if (au->bearer)
		return 0;
	const struct app *app = req_app(req);
	const struct config *cfg = app->config;
	const char *why = NULL;
	if (!csrf_origin_ok(req_header(req, "Origin"), req_header(req, "Referer"),
			    req_header(req, "Sec-Fetch-Site"), req_header(req, "Host"), cfg->base_url,
			    cfg->https))
		why = "origin";
	else if (!origin_only && !token_equal(given, au->csrf))
		why = given ? "token mismatch" : "no token";
	if (!why)
		return 0;
	log_warn("%s CSRF check failed (%s) for %s", req_id(req), why, req_path(req));
	if (!au->user && !au->csrf)
		issue_anonymous_token(req, res, au); /* so that reloading the form works */
	return res_error(res, 403, CSRF_MESSAGE);
}

int accounts_before(struct request *req, struct response *res)
{
	struct auth *au = auth_of(req);
	int rc = identify(req, res, au);
	if (rc)
		return rc;
	if (!changes_state(req_method(req))) {
		if (!au->user && !au->csrf)
			issue_anonymous_token(req, res, au);
		return 0;
	}
	if (req_route_flags(req) & ROUTE_NO_CSRF)
		return 0;
	const char *given = req_header(req, "X-CSRF-Token");
	if (!given)
		given = req_field(req, "csrf");
	return check_csrf(req, res, au, given, false);
}

int accounts_check_csrf(struct request *req, struct response *res, const char *token)
{
	struct auth *au = auth_of(req);
	if (!au->loaded) {
		int rc = identify(req, res, au);
		if (rc)
			return rc;
	}
	const char *given = req_header(req, "X-CSRF-Token");
	return check_csrf(req, res, au, given ? given : token, false);
}

int accounts_gate_admin(struct request *req, struct response *res)
{
	struct auth *au = auth_of(req);
	if (!au->loaded) {
		int rc = identify(req, res, au);
		if (rc)
			return rc; /* a Bearer token that is not valid: the 401 is set */
	}
	if (!au->user) {
		if (req_wants_json(req))
			res_header(res, "WWW-Authenticate", "Bearer realm=\"tandem\"");
		return res_error(res, 401, "Sign in as one of the site's administrators first; nothing was "
					   "uploaded.");
	}
	if (!au->user->is_admin)
		return res_error(res, 403, "This is for the site's administrators; nothing was uploaded.");
	/* The form's own token is in the body, checked once it has come; the header one now. */
	const char *given = req_header(req, "X-CSRF-Token");
	return check_csrf(req, res, au, given, given == NULL);
}

const struct user *accounts_user(struct request *req)
{
	struct auth *au = auth_of(req);
	if (!au->loaded && identify(req, NULL, au))
		return NULL;
	return au->user;
}

bool auth_session_expired(struct request *req)
{
	struct auth *au = auth_of(req);
	return au->expired;
}

void auth_forget(struct request *req)
{
	struct auth *au = auth_of(req);
	au->loaded = true;
	au->user = NULL;
	au->csrf = NULL;
	au->bearer = false;
}

int accounts_require(struct request *req, struct response *res, const struct user **out)
{
	*out = accounts_user(req);
	if (*out)
		return 0;
	if (req_wants_json(req)) {
		res_header(res, "WWW-Authenticate", "Bearer realm=\"tandem\"");
		return res_error(res, 401, "Sign in first, or send a personal API token "
					   "(Authorization: Bearer …).");
	}
	struct buf b = BUF_INIT;
	buf_puts(&b, "/sign-in");
	char sep = '?';
	if (auth_session_expired(req)) {
		buf_puts(&b, "?notice=expired");
		sep = '&';
	}
	if (req_method(req) == HTTP_GET && page_safe_next(req_path(req))) {
		buf_printf(&b, "%cnext=", sep);
		buf_put_urlencoded(&b, req_path(req));
	}
	res_redirect(res, 303, buf_str(&b));
	buf_free(&b);
	return ERR_UNAUTH;
}

int accounts_require_admin(struct request *req, struct response *res, const struct user **out)
{
	int rc = accounts_require(req, res, out);
	if (rc)
		return rc;
	if (!(*out)->is_admin) {
		*out = NULL;
		return res_error(res, 403, "This page is for the site's administrators.");
	}
	return 0;
}

void accounts_page_context(struct request *req, json_t *site)
{
	const struct user *u = accounts_user(req);
	struct auth *au = auth_of(req);
	if (u)
		json_object_set_new(site, "user",
				    json_pack("{s:s, s:s, s:b, s:s?, s:s}", "name", u->name ? u->name : "",
					      "email", u->email ? u->email : "", "is_admin", u->is_admin,
					      "school_name", u->school_name, "role", school_role_name(u->role)));
	if (au->csrf)
		json_object_set_new(site, "csrf", json_string(au->csrf));
}

int accounts_start_session(struct request *req, struct response *res, int64_t person_id)
{
	struct db *db = app_db(req);
	if (!db)
		return ERR_DB;
	struct auth *au = auth_of(req);
	/* A new token at every sign-in: a session is never carried over (fixation). */
	if (au->user && au->user->session_id && session_delete(db, au->user->session_id))
		return ERR_DB;
	char token[TOKEN_BUFSZ];
	int64_t sid;
	int rc = session_create(db, person_id, token, &sid);
	if (rc)
		return rc;
	res_cookie(res, SESSION_COOKIE, token, -1, COOKIE_HTTPONLY | COOKIE_LAX);
	if (person_signed_in(db, person_id))
		log_warn("%s could not note the sign-in time of person %lld", req_id(req), (long long)person_id);
	struct arena *a = req_arena(req);
	struct user *u = arena_zalloc(a, sizeof(*u));
	if (person_user(db, a, person_id, u) == 0) {
		char csrf[TOKEN_CSRF_BUFSZ];
		token_session_csrf(token, csrf);
		u->session_id = sid;
		u->csrf_token = arena_strdup(a, csrf);
		au->loaded = true;
		au->user = u;
		au->csrf = u->csrf_token;
		au->bearer = false;
		au->expired = false;
		audit_record(db, u, auth_client_address(req), "sign_in", NULL);
	}
	return 0;
}
