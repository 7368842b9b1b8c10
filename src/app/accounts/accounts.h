// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * accounts.h — people, sign-in, sessions, API tokens, CSRF, throttling and
 * the audit log, as the rest of the application sees them.
 *
 * A person belongs to at most one school (by URN) with one school role, and
 * through that school to the networks the school is a member of. Network
 * roles (coordinator, steering group) live in networks/. A deployment
 * administrator is a flag on the person (created with `tandem user add
 * --admin`).
 *
 * Every permission decision is made in the model layer (deny by default):
 * handlers ask accounts_require*() and the feature's own policy functions,
 * never compare roles themselves.
 */
#ifndef TANDEM_APP_ACCOUNTS_ACCOUNTS_H
#define TANDEM_APP_ACCOUNTS_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "http/http.h"

struct cli;
struct config;
struct db;

/* A person's role in their school. */
enum school_role {
	SCHOOL_ROLE_NONE,     /* no school yet (an administrator, say) */
	SCHOOL_ROLE_STAFF,    /* teacher or support staff */
	SCHOOL_ROLE_GOVERNOR, /* governor or trustee */
	SCHOOL_ROLE_LEAD,     /* headteacher or the school's lead for the network */
	SCHOOL_ROLE__MAX
};

/* The signed-in person, for the length of one request (strings in the request arena). */
struct user {
	int64_t id;              /* person.id */
	const char *email;       /* as stored (lower case) */
	const char *name;        /* display name */
	int64_t school_urn;      /* 0 when the person has no school */
	const char *school_name; /* NULL when no school */
	enum school_role role;   /* role in that school */
	bool is_admin;           /* deployment administrator */
	int64_t session_id;      /* the browser session, 0 when signed in by API token */
	const char *csrf_token;  /* the session's CSRF token for forms (NULL for API tokens) */
};

/* "staff", "governor", "lead", "none"; and back (0 or ERR_INVALID). */
const char *school_role_name(enum school_role r);
int school_role_parse(const char *s, enum school_role *out) WUR;

/*
 * The http_hooks.before hook: loads the session from the cookie (or the
 * person from an `Authorization: Bearer` personal API token), refreshes its
 * idle expiry, and for every state-changing request (POST, PUT, PATCH,
 * DELETE) without ROUTE_NO_CSRF checks Origin / Sec-Fetch-Site and, for
 * cookie sessions, the `csrf` form field or `X-CSRF-Token` header: 403 with
 * a clear message when they fail.
 */
int accounts_before(struct request *req, struct response *res);
/*
 * For a ROUTE_NO_CSRF route that reads its token itself (a multipart upload,
 * whose fields the before hook cannot see): the same Origin / Sec-Fetch-Site
 * and token checks as accounts_before, with the token the handler found.
 * 0, or the 403 response is set and a negative error returned.
 */
int accounts_check_csrf(struct request *req, struct response *res, const char *token) WUR;
/*
 * A gate (struct route_gate) for an administrators' upload: runs before
 * the body is read and refuses at once an anonymous request (401), one from
 * a person who is not an administrator (403) or one from another site
 * (Origin / Referer / Sec-Fetch-Site; and the X-CSRF-Token header when one
 * is sent: 403). The form's own `csrf` field, inside the body, is checked
 * by the handler with accounts_check_csrf.
 */
int accounts_gate_admin(struct request *req, struct response *res);
/* The signed-in person or NULL. */
const struct user *accounts_user(struct request *req);
/*
 * Require a signed-in person: 0 with *out set, or the response is set (HTML:
 * 303 to /sign-in?next=…; JSON: 401 problem) and a negative error returned.
 */
int accounts_require(struct request *req, struct response *res, const struct user **out) WUR;
/* Likewise, and the person must be a deployment administrator (else 403). */
int accounts_require_admin(struct request *req, struct response *res, const struct user **out) WUR;

/*
 * Create a person (an invitation accepted, or `tandem user add`): validates
 * email (unique, case-insensitive), name (1–100 characters) and password
 * (≥ 10 characters, not a common password); hashes with Argon2id. On a
 * validation failure returns ERR_INVALID (or ERR_CONFLICT for a taken email)
 * with a message for the person in msg. *id gets the new person's id.
 */
int accounts_create(struct db *db, const char *email, const char *name, const char *password,
		    int64_t school_urn, enum school_role role, bool is_admin, int64_t *id,
		    char *msg, size_t msgsz) WUR;
/* Find a person by email (case-insensitive): 0 with *id, or ERR_NOTFOUND. */
int accounts_find_by_email(struct db *db, const char *email, int64_t *id) WUR;
/* Change a person's school and role (coordinators and leads; checked by the caller's policy). */
int accounts_set_school_role(struct db *db, int64_t person_id, int64_t school_urn,
			     enum school_role role) WUR;

/*
 * Append to the audit log: who (NULL for anonymous), from where (the
 * request's address, may be NULL), what happened ("sign_in", "sign_in_failed",
 * "locked_out", "role_changed", "invitation_sent", "export", "account_deleted",
 * …) and a JSON detail object (stolen; may be NULL). Never fails the caller.
 */
void audit_record(struct db *db, const struct user *actor, const char *ip, const char *event,
		  json_t *detail);

/*
 * Like audit_record, naming also the person the event is about (subject_id,
 * 0 for none): a role changed, an invitation accepted. Entries by or about a
 * person are part of their data export, and lose their address when the
 * person is deleted.
 */
void audit_record_about(struct db *db, const struct user *actor, int64_t subject_id, const char *ip,
			const char *event, json_t *detail);

/*
 * Load what accounts needs for the life of the process: the list of common
 * passwords (data/common-passwords.txt under the share folder) and the
 * session settings. Call once at start (app_open, and commands that create
 * people) before any thread uses accounts. config is borrowed and must
 * outlive accounts_shutdown. Returns 0, or an error with a message in err.
 */
int accounts_init(const struct config *config, char *err, size_t errsz) WUR;
/* Free what accounts_init loaded. */
void accounts_shutdown(void);

/*
 * Start a browser session for person_id on this response (the cookie) and
 * record the sign-in: for flows that end signed in, such as accepting an
 * invitation. Returns 0 or ERR_DB.
 */
int accounts_start_session(struct request *req, struct response *res, int64_t person_id) WUR;

/*
 * The client's address for the audit log and throttling: the peer's, or,
 * when the peer is this machine (a reverse proxy) and sent X-Forwarded-For,
 * the last address in that header. In the request arena.
 */
const char *accounts_client_address(struct request *req);

/*
 * Add `user` ({name, email, is_admin, school_name, role}; absent when signed
 * out) and `csrf` (the token every form must carry in its hidden `csrf`
 * field) to the site object of a page model. Called by app_render for HTML
 * only: JSON never carries them.
 */
void accounts_page_context(struct request *req, json_t *site);

/*
 * Features that keep more about a person add a part to "download my data":
 * fn returns a new JSON value (NULL to leave the part out). The list lives
 * in app.c and ends with {NULL, NULL}.
 */
struct accounts_export_part {
	const char *key;                                  /* member name in the export */
	json_t *(*fn)(struct db *db, int64_t person_id); /* the person's data of this feature */
};
extern const struct accounts_export_part accounts_export_parts[];

/* Route table: sign-in, sign-out, password reset, account, API tokens, audit log. */
extern const struct route accounts_routes[];
/* `tandem user add --email E --name N [--admin] [--school URN --role R]` (exit status). */
int accounts_cli_user(struct cli *cli);

#endif
