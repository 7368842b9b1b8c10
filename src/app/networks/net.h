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
/* Member schools: [{urn, name, town, phase_name, pupils, postcode, map_url, people, strengths, needs}]. */
int net_schools(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* One member school: {urn, name, town, …, map_url}; ERR_NOTFOUND when not a member. */
int net_school(struct db *db, const struct net_access *acc, int64_t urn, json_t **out) WUR;
/* Add a school from the register. ERR_INVALID (errors: not in the register), ERR_CONFLICT (already a member). */
int net_school_add(struct db *db, struct arena *a, const struct net_access *acc, int64_t urn, json_t *errors) WUR;
/* Remove a member school (its strengths and needs in this network go too). */
int net_school_remove(struct db *db, const struct net_access *acc, int64_t urn) WUR;

/* Coordinators and steering group: {coordinators: [...], steering: [...]} of {id, name, school_name}. */
int net_roles(struct db *db, const struct net_access *acc, json_t **out) WUR;
/*
 * Make the person with email a coordinator or steering member ("coordinator",
 * "steering"). ERR_INVALID (errors: no such account), ERR_CONFLICT (already).
 */
int net_role_add(struct db *db, struct arena *a, const struct net_access *acc, const char *email,
		 const char *role, json_t *errors) WUR;
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
/* The time as stored: "YYYY-MM-DDTHH:MM:SSZ" (arena). */
const char *net_now_iso(struct arena *a, int64_t t);

/* ---- invitations.c ----------------------------------------------------- */

/* What a token leads to (strings in the arena). */
struct net_invitation {
	int64_t id;                /* invitation.id */
	const char *email;         /* who it was sent to */
	int64_t network_id;        /* the network it was sent from */
	const char *network_slug;  /* and its slug */
	const char *network_name;  /* and name */
	int64_t school_urn;        /* the school the new account joins */
	const char *school_name;   /* its name (or "URN n") */
	enum school_role role;     /* the role it gets */
	const char *inviter_name;  /* who sent it, may be NULL */
	const char *expires_at;    /* when it stops working */
	const char *state;         /* "pending", "accepted", "expired", "revoked" */
};

/*
 * Invite email to school urn with role: stores the invitation (a hash of the
 * token), queues the email with the link (base_url + /invitations/TOKEN) and
 * records it in the audit log. ERR_INVALID with errors (bad email, an
 * account already exists, school not a member).
 */
int net_invite(struct db *db, struct arena *a, const struct net_access *acc, const struct network *net,
	       const struct user *actor, const char *ip, const char *base_url, const char *email,
	       int64_t urn, enum school_role role, json_t *errors) WUR;
/* Pending invitations the person may manage: [{id, email, urn, school_name, role, expires_at, inviter}]. */
int net_invitations(struct db *db, const struct net_access *acc, json_t **out) WUR;
/* Withdraw a pending invitation. ERR_NOTFOUND, ERR_CONFLICT (already used). */
int net_invitation_revoke(struct db *db, const struct net_access *acc, int64_t id) WUR;
/* Look an invitation up by the token in its link (anyone holding it). ERR_NOTFOUND. */
int net_invitation_find(struct db *db, struct arena *a, const char *token, struct net_invitation *out) WUR;
/*
 * Accept: create the account (name, password) and spend the invitation, in
 * one transaction. ERR_NOTFOUND (no such token), ERR_CONFLICT (used, expired
 * or withdrawn: out->state says which), ERR_INVALID with errors (name,
 * password). *person_id gets the new account.
 */
int net_invitation_accept(struct db *db, struct arena *a, const char *token, const char *name,
			  const char *password, const char *ip, struct net_invitation *out,
			  int64_t *person_id, json_t *errors) WUR;

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
