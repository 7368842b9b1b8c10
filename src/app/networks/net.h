// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * net.h — the networks model, shared by the files of src/app/networks/: a
 * network and the access facts of the person asking (net_open), and every
 * read and change of networks, member schools, roles, themes, people,
 * invitations, strengths and needs. Each model function asks policy.c
 * first and refuses with ERR_NOTFOUND (the person may not even know the
 * network exists) or ERR_FORBIDDEN (they may see it but not do this), so the
 * pages cannot forget a check.
 *
 * Results are new jansson references (the caller decrefs); strings in struct
 * network live in the request arena. Functions that validate input take an
 * `errors` object and add {field: message} to it, returning ERR_INVALID.
 */
#ifndef TANDEM_APP_NETWORKS_NET_H
#define TANDEM_APP_NETWORKS_NET_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "app/networks/policy.h"
#include "core/err.h"

struct arena;
struct db;
struct db_stmt;

/* Limits on what people type, in characters. */
#define NET_NAME_MAX 100
#define NET_DESCRIPTION_MAX 2000
#define NET_REGION_MAX 100
#define NET_THEME_MAX 40      /* one theme's name */
#define NET_THEMES_MAX 40     /* themes in one network */
#define NET_SENTENCE_MAX 300  /* a strength's or need's sentence */
#define NET_EVIDENCE_MAX 2000 /* a strength's evidence of impact */
#define NET_SLUG_MAX 60

/* Invitations last a week. */
#define NET_INVITATION_TTL (7 * 24 * 3600)

/* A network as loaded. Strings live in the request arena. */
struct network {
	int64_t id;              /* network.id */
	const char *slug;        /* URL segment */
	const char *name;        /* display name */
	const char *description; /* free text, may be "" */
	const char *region;      /* free text, may be "" */
	bool is_public;          /* outsiders see its name and description */
};

/* ---- model.c: networks, member schools, roles, themes, people -------- */

/* The access facts of user (NULL: anonymous) with no network: for creating one. */
void net_access_none(const struct user *u, struct net_access *acc);
/*
 * Load the network at slug and the access facts of user u (NULL: anonymous)
 * for it. Returns 0, or ERR_NOTFOUND when there is no such network or u may
 * not know it exists (private and u is not in it).
 */
int net_open(struct db *db, struct arena *a, const struct user *u, const char *slug, struct network *net,
	     struct net_access *acc) WUR;
/* The error a refused action gives: ERR_NOTFOUND if the network is hidden from acc, else ERR_FORBIDDEN. */
int net_deny(const struct net_access *acc);
/* The network as JSON {slug, name, description, region, is_public, url} (new reference). */
json_t *net_json(const struct network *net);

/*
 * Create a network with the default themes; u becomes its first coordinator.
 * *slug gets its URL segment (arena). ERR_INVALID with errors filled.
 */
int net_create(struct db *db, struct arena *a, const struct net_access *acc, const char *name,
	       const char *description, const char *region, bool is_public, json_t *errors,
	       const char **slug) WUR;
/* Change a network's details (coordinators). ERR_INVALID with errors filled. */
int net_update(struct db *db, struct arena *a, const struct net_access *acc, const char *name,
	       const char *description, const char *region, bool is_public, json_t *errors) WUR;
/* The networks u is in, and (for an administrator) every network: [{slug, name, …}]. */
json_t *net_list_mine(struct db *db, const struct net_access *acc);
/* Public networks: [{slug, name, description, region}]. */
json_t *net_list_public(struct db *db);

/* Whether urn is a member school of the network (false on error). */
bool net_has_school(struct db *db, int64_t network_id, int64_t urn);
/* Whether the network has asked school urn to join and it has not answered (false on error). */
bool net_school_asked(struct db *db, int64_t network_id, int64_t urn);
/* Whether someone on Tandem leads school urn (false on error). */
bool net_school_has_lead(struct db *db, int64_t urn);
/* The facts policy_invite needs about school urn in the network. */
void net_school_facts_load(struct db *db, int64_t network_id, int64_t urn, struct net_school_facts *out);
/* Member schools: [{urn, name, town, phase_name, pupils, postcode, map_url, people, strengths, needs}]. */
int net_schools(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* One member school: {urn, name, town, …, map_url}; ERR_NOTFOUND when not a member. */
int net_school(struct db *db, const struct net_access *acc, int64_t urn, json_t **out) WUR;
/* Remove a member school (its strengths and needs in this network go too; its people are untouched). */
int net_school_remove(struct db *db, const struct net_access *acc, int64_t urn) WUR;

/* Coordinators and steering group: {coordinators: [...], steering: [...]} of {id, name, school_name}. */
int net_roles(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* Take a network role away. ERR_CONFLICT for the last coordinator. */
int net_role_remove(struct db *db, const struct net_access *acc, int64_t person_id, const char *role) WUR;

/* The themes in order: [{id, name}]. */
int net_themes(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* The themes as plain names, for a form (new array of strings); no policy check: callers hold acc. */
json_t *net_theme_names(struct db *db, int64_t network_id);
/* The theme named name (any case) in the network: 0 with *id, or ERR_NOTFOUND. */
int net_theme_find(struct db *db, int64_t network_id, const char *name, int64_t *id) WUR;
/*
 * Replace the themes with lines of text (one theme a line; blank lines and
 * repeats dropped). A theme still used by a strength or need cannot go:
 * ERR_INVALID with errors naming it.
 */
int net_themes_set(struct db *db, struct arena *a, const struct net_access *acc, const char *lines,
		   json_t *errors) WUR;

/* People of member schools: [{urn, name, people: [{id, name, email, role}]}] in school order. */
int net_people(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* The people of one member school: [{id, name, email, role}]. */
int net_school_people(struct db *db, const struct net_access *acc, int64_t urn, json_t **out) WUR;
/* Facts about a person for the policy (school_member for this network). ERR_NOTFOUND. */
int net_person_load(struct db *db, const struct net_access *acc, int64_t person_id, struct net_person *out) WUR;
/* Change a person's school role (actor is for the audit log). */
int net_person_set_role(struct db *db, const struct net_access *acc, const struct user *actor, const char *ip,
			int64_t person_id, enum school_role role) WUR;
/* Remove a person from their school (they keep an account with no school). */
int net_person_remove(struct db *db, const struct net_access *acc, const struct user *actor, const char *ip,
		      int64_t person_id) WUR;

/* What's new: the latest events [{at, date, kind, text, url}], newest first. */
int net_whats_new(struct db *db, const struct net_access *acc, int limit, json_t **out) WUR;

/* Trim s and check it is 1..max characters (or 0..max when optional); add an error to errors if not. */
const char *net_clean_text(struct arena *a, const char *s, size_t max, bool required, const char *field,
			   const char *label, json_t *errors);
/* Run a bound statement to its end and reset it: 0 or the error (ERR_CONFLICT for a constraint). */
int net_run(struct db_stmt *st) WUR;
/* Commit when rc is 0, else roll back; the result. */
int net_finish(struct db *db, int rc) WUR;
/* The time as stored: "YYYY-MM-DDTHH:MM:SSZ" (arena). */
const char *net_now_iso(struct arena *a, int64_t t);

/* ---- membership.c: a school joins only with its consent ------------------ */

/* What adding a school did. */
enum net_join {
	NET_JOIN_MEMBER,     /* an administrator made it a member */
	NET_JOIN_ASKED,      /* its leads were asked to accept */
	NET_JOIN_FIRST_LEAD, /* nobody leads it on Tandem: its first lead was invited */
};

/* Who asks a school to join, and how to reach it (strings borrowed). */
struct net_join_request {
	int64_t urn;                  /* the school, from the register */
	const char *first_lead_email; /* for a school with no lead on Tandem, NULL otherwise */
	const struct network *net;    /* the network asking */
	const struct user *actor;     /* who asks (audit log, emails) */
	const char *ip;               /* for the audit log */
	const char *base_url;         /* for links in emails, no trailing slash */
};

/*
 * Ask a school to join (coordinators), or make it a member (administrators).
 * A school with leads on Tandem: they are emailed to accept or decline. A
 * school with none: first_lead_email is required and gets an invitation to
 * become its lead; the school joins when that person is confirmed as lead.
 * ERR_INVALID with errors (not in the register, closed, no email for a
 * school without a lead), ERR_CONFLICT (already a member or asked).
 * *how says which happened.
 */
int net_school_add(struct db *db, struct arena *a, const struct net_access *acc, const struct net_join_request *rq,
		   json_t *errors, enum net_join *how) WUR;
/* Schools the network has asked and that have not answered: [{urn, name, town, asked_on, inviter, has_lead}]. */
int net_schools_asked(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* Withdraw the request that school urn join (coordinators). ERR_NOTFOUND when there is none. */
int net_school_ask_withdraw(struct db *db, struct arena *a, const struct net_access *acc, const struct user *actor,
			    const char *ip, int64_t urn) WUR;
/*
 * The lead of an asked school accepts (accept true) or declines the request
 * for their school. ERR_NOTFOUND when there is none or acc is not its lead.
 */
int net_membership_answer(struct db *db, struct arena *a, const struct net_access *acc, const struct user *actor,
			  const char *ip, bool accept) WUR;
/* The open request for acc's school: {asked_on, inviter, coordinators: [name]}; ERR_NOTFOUND. */
int net_membership_request(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* Networks that asked school urn to join, unanswered: [{slug, name, description, asked_on}] (new array). */
json_t *net_asked_of_school(struct db *db, int64_t urn);
/*
 * person_id has just become the first lead of school urn (their address is at
 * the school's domain, or an administrator approved): the open request of
 * network_id, if any, becomes membership with consent 'first_lead'. Inside
 * the caller's transaction.
 */
int net_membership_first_lead(struct db *db, struct arena *a, int64_t network_id, int64_t urn,
			      int64_t person_id) WUR;

/* Would-be first leads waiting for an administrator: [{id, person, email, urn, school_name, …}]. */
int net_lead_requests(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* This person's own waiting requests: [{school_name, asked_on}] (new array). */
json_t *net_lead_requests_of(struct db *db, int64_t person_id);
/*
 * An administrator approves (the person becomes the school's lead, and the
 * school joins the network that invited them) or refuses. ERR_NOTFOUND,
 * ERR_CONFLICT (already decided, or the person has since taken another school).
 */
int net_lead_request_decide(struct db *db, struct arena *a, const struct net_access *acc, const struct user *actor,
			    const char *ip, const char *base_url, int64_t id, bool approve) WUR;

/* The host of a school's website as the register gives it, without "www.": "" when none (arena). */
const char *net_site_domain(struct arena *a, const char *website);
/* Whether email (any case) is at domain or a subdomain of it; domain "" never matches. */
bool net_email_at_domain(const char *email, const char *domain);

/* ---- invitations.c ----------------------------------------------------- */

/* "a school lead", "a member of staff", "a governor", "a coordinator", "a member of the steering group". */
const char *net_role_phrase(const char *role);

/* What a token leads to (strings in the arena). */
struct net_invitation {
	int64_t id;                /* invitation.id */
	const char *email;         /* who it was sent to */
	int64_t network_id;        /* the network it was sent from */
	const char *network_slug;  /* and its slug */
	const char *network_name;  /* and name */
	int64_t school_urn;        /* the school it brings them into, 0 for a network role */
	const char *school_name;   /* its name (or "URN n"), NULL for a network role */
	const char *role;          /* "lead", "staff", "governor", "coordinator" or "steering" */
	const char *authority;     /* who stood behind a school role: "admin", "lead", "coordinator" */
	const char *inviter_name;  /* who sent it, may be NULL */
	const char *expires_at;    /* when it stops working (stored UTC) */
	const char *expires_text;  /* the same for people: "13 December 2026, 19:52 UK time" */
	const char *state;         /* "pending", "accepted", "expired", "revoked" */
	bool has_account;          /* an account with this email exists: accepting means signing in */
};

/* A new invitation, for net_invitation_insert (strings borrowed). */
struct net_invitation_new {
	const char *email;          /* lower case, checked by the caller */
	const struct network *net;  /* the network it is sent from */
	int64_t urn;                /* the school, 0 for a network role */
	const char *school_name;    /* its name, NULL for a network role */
	const char *role;           /* as struct net_invitation.role */
	const char *authority;      /* as struct net_invitation.authority ("lead" for network roles) */
	const char *school_domain;  /* for a first lead: the school's email domain ("" when unknown) */
	const struct user *actor;   /* who sends it */
	const char *base_url;       /* for the link, no trailing slash */
};

/*
 * Store a new invitation (replacing this email's earlier link for the same
 * school or network role) and queue its email, inside the caller's
 * transaction. The email reads the same whether or not the address has an
 * account. *id gets invitation.id.
 */
int net_invitation_insert(struct db *db, struct arena *a, const struct net_invitation_new *in, int64_t *id) WUR;

/*
 * Invite email to school urn with role (the school's lead, an administrator,
 * or a coordinator asking a school with no lead for its first lead; policy.c).
 * The answer is the same whether or not the address has an account: an
 * existing person is asked to sign in and accept. ERR_INVALID with errors
 * (bad email, school not a member or asked).
 */
int net_invite(struct db *db, struct arena *a, const struct net_access *acc, const struct network *net,
	       const struct user *actor, const char *ip, const char *base_url, const char *email,
	       int64_t urn, enum school_role role, json_t *errors) WUR;
/*
 * Invite email to be a coordinator or on the steering group ("coordinator",
 * "steering"); the role is theirs when they accept. Same answer whether or
 * not the address has an account. ERR_INVALID with errors.
 */
int net_role_invite(struct db *db, struct arena *a, const struct net_access *acc, const struct network *net,
		    const struct user *actor, const char *ip, const char *base_url, const char *email,
		    const char *role, json_t *errors) WUR;
/* Pending invitations the person may manage: [{id, email, urn, school_name, role, expires_on, inviter}]. */
int net_invitations(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* Withdraw a pending invitation. ERR_NOTFOUND, ERR_CONFLICT (already used). */
int net_invitation_revoke(struct db *db, const struct net_access *acc, int64_t id) WUR;
/* Look an invitation up by the token in its link (anyone holding it). ERR_NOTFOUND. */
int net_invitation_find(struct db *db, struct arena *a, const char *token, struct net_invitation *out) WUR;

/* What accepting did. */
enum net_accepted {
	NET_ACCEPTED_SCHOOL,  /* the person now has the school role */
	NET_ACCEPTED_NETWORK, /* the person now has the network role */
	NET_ACCEPTED_WAITING, /* a would-be first lead not at the school's domain: an administrator decides */
};

/* The result of accepting. */
struct net_acceptance {
	enum net_accepted outcome; /* what happened */
	int64_t person_id;         /* the account (new or existing) */
	const char *domain;        /* first lead: the school's domain that their address matched, else NULL */
};

/*
 * Accept an invitation. With no account at its email, name and password
 * create one; with an account, u must be signed in as that person (else
 * ERR_UNAUTH, or ERR_FORBIDDEN when signed in as someone else). Spends the
 * link and grants the role in one transaction. ERR_NOTFOUND (no such token),
 * ERR_CONFLICT (used, expired or withdrawn: out->state says which),
 * ERR_INVALID with errors (name, password).
 */
int net_invitation_accept(struct db *db, struct arena *a, const char *token, const struct user *u,
			  const char *name, const char *password, const char *ip, struct net_invitation *out,
			  struct net_acceptance *res, json_t *errors) WUR;

/* ---- strengths.c ------------------------------------------------------- */

/* What is typed into a strength or need form. */
struct net_item {
	const char *theme;    /* theme name (one of the network's) */
	const char *summary;  /* one sentence */
	const char *evidence; /* strengths: evidence of impact, may be NULL */
	int64_t contact_id;   /* strengths: a person of the school, 0 for none */
	const char *priority; /* needs: "high", "medium", "low" (NULL: medium) */
};

/* 0 if acc may change school urn's strengths and needs, else ERR_FORBIDDEN or ERR_NOTFOUND. */
int net_profile_check_edit(struct db *db, const struct net_access *acc, int64_t urn) WUR;
/* Strengths and needs of a member school: {strengths: [...], needs: [...]}. */
int net_profile(struct db *db, const struct net_access *acc, int64_t urn, json_t **out) WUR;
/* One strength or need of a school (is_need picks which): ERR_NOTFOUND. */
int net_item_get(struct db *db, const struct net_access *acc, int64_t urn, bool is_need, int64_t id,
		 json_t **out) WUR;
/* Add (id 0) or change (id > 0) a strength or a need. ERR_INVALID with errors. *new_id may be NULL. */
int net_item_save(struct db *db, struct arena *a, const struct net_access *acc, int64_t urn, bool is_need,
		  int64_t id, const struct net_item *in, json_t *errors, int64_t *new_id) WUR;
/* Delete a strength or a need. */
int net_item_delete(struct db *db, const struct net_access *acc, int64_t urn, bool is_need, int64_t id) WUR;
/*
 * Across the network: strengths (or needs) with theme (any case; NULL for
 * all) whose words contain q (NULL for all), grouped by nothing:
 * [{id, urn, school_name, theme, summary, …}].
 */
int net_item_search(struct db *db, struct arena *a, const struct net_access *acc, bool is_need,
		    const char *theme, const char *q, json_t **out) WUR;

/* The default themes of a new network, NULL-terminated. */
extern const char *const net_default_themes[];

#endif
