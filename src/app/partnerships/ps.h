// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * ps.h — the partnerships model, shared by the files of
 * src/app/partnerships/: opening a partnership with the access facts of the
 * person asking (model.c), introductions (introductions.c), the agreement in
 * the store (agreement_store.c) and running it (running.c). Each model
 * function asks policy.c first and refuses with ERR_NOTFOUND (the person
 * may not know the partnership exists) or ERR_FORBIDDEN (they may see it
 * but not do this), so the pages cannot forget a check.
 *
 * Results are new jansson references (the caller decrefs); strings in the
 * structs live in the request arena. Functions that validate input add
 * {field: message} to an `errors` object and return ERR_INVALID.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_PS_H
#define TANDEM_APP_PARTNERSHIPS_PS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/accounts/accounts.h"
#include "app/partnerships/agreement.h"
#include "app/partnerships/health.h"
#include "app/partnerships/policy.h"
#include "core/err.h"

struct arena;
struct db;

/* Limits on what people type, in characters. */
#define PS_MESSAGE_MAX 2000
#define PS_TITLE_MAX 200
#define PS_NOTES_MAX 10000
#define PS_TO_MAX 10 /* schools asked at once */
#define PS_ROWS_MAX 20 /* empty rows for new measures or risks the agreement page shows at once */

/* A partnership as loaded (strings in the request arena). */
struct partnership {
	int64_t id;               /* partnership.id */
	int64_t network_id;       /* the network it belongs to */
	const char *network_slug; /* and its slug */
	const char *network_name; /* and name */
	const char *title;        /* "Weetwood Primary and Ireland Wood Primary" */
	const char *state;        /* "forming", "active" or "closed" */
	int64_t activated_at;     /* when it became active, 0 when not yet */
	int64_t closed_at;        /* when it closed, 0 when open */
	const char *closing_reflection; /* written when it closed, "" before */
};

/* ---- model.c ------------------------------------------------------------ */

/* The access facts of u (NULL: anonymous) in network network_id (0: none). */
int ps_access_network(struct db *db, const struct user *u, int64_t network_id, struct ps_access *acc) WUR;
/*
 * Load partnership id and u's access to it. ERR_NOTFOUND when there is no
 * such partnership or u may not even see its summary.
 */
int ps_open(struct db *db, struct arena *a, const struct user *u, int64_t id, struct partnership *p,
	    struct ps_access *acc) WUR;
/* The error a refused action gives: ERR_NOTFOUND unless acc may read the partnership. */
int ps_deny(const struct ps_access *acc);
/* {id, title, state, url, network{slug, name, url}, activated_at, closed_at} (new reference). */
json_t *ps_json(const struct partnership *p);
/* The name of school urn in the register, or "School URN n" (arena). */
const char *ps_school_name(struct db *db, struct arena *a, int64_t urn);
/* Queue an email to every lead of school urn (errors are logged, never fail the caller). */
void ps_mail_leads(struct db *db, int64_t urn, const char *subject, const char *body);
/* Add o[label_key] = o[iso_key] (a stored time) as people read it in UK time: "1 October 2025[, 16:00]". */
void ps_add_date_label(json_t *o, const char *iso_key, const char *label_key, bool with_time);
/*
 * The networks u coordinates, by name: [{id, slug, name}], each with its
 * member schools [{urn, name}] when with_schools (new array; empty on a
 * store error). Two queries however many networks there are.
 */
json_t *ps_coordinated(struct db *db, const struct user *u, bool with_schools);
/*
 * The network's open partnerships with their health at now, for its
 * coordinators and administrators (acc: their access to the network;
 * policy: attention): *attention those that need it (overdue, fading, at
 * risk), *others the rest, each [{…ps_json, health{…, since}}] (new
 * arrays). A fixed number of queries however many partnerships there are.
 * ERR_FORBIDDEN, ERR_DB.
 */
int ps_attention(struct db *db, struct arena *a, const struct ps_access *acc, int64_t now, json_t **attention,
		 json_t **others) WUR;
/*
 * How a partnership is closed: the closing reflection as the page asks for
 * it (what worked, what did not, and the confirmation that closing cannot
 * be undone), or as one text from scripts and the API (reflection, when
 * neither of the two is given).
 */
struct ps_close_in {
	const char *worked;       /* what worked, NULL when not given */
	const char *did_not_work; /* what did not work, NULL when not given */
	const char *reflection;   /* the whole reflection in one text (scripts), NULL when not given */
	bool confirmed;           /* the person ticked "closing cannot be undone" */
};
/*
 * Close p with a closing reflection (a partner school's lead; policy:
 * close): ERR_INVALID with errors["worked"], errors["did_not_work"] and
 * errors["confirm"] when one is missing (or errors["reflection"] when the
 * one text is empty), or the reflection is longer than PS_NOTES_MAX
 * characters; ERR_CONFLICT when it closed meanwhile.
 */
int ps_close(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
	     const struct ps_close_in *in, json_t *errors) WUR;
/*
 * The time as stored, "YYYY-MM-DDTHH:MM:SSZ" (arena), and back (0 for NULL
 * or bad text): reading a stored value with clock_parse_iso. What people
 * type is parsed with clock_parse_day and friends, whose errors say why.
 */
const char *ps_iso(struct arena *a, int64_t t);
int64_t ps_parse_time(const char *s);
/* A stored day "YYYY-MM-DD" as Unix time at midnight UTC (clock_parse_day), 0 for NULL or no real day. */
int64_t ps_parse_day(const char *s);
/* The partnerships of u's school, newest first: [{…ps_json}] (empty without a school). */
json_t *ps_list_mine(struct db *db, const struct user *u);

/* ---- introductions.c ---------------------------------------------------- */

/*
 * Ask for introductions from school from_urn to each school of to (n of
 * them) in network network_id, with a message. acc is the network access of
 * the person asking (a lead of from_urn, or a coordinator brokering). Queues
 * an email to each school's lead (links start with base_url). ERR_INVALID with errors; ERR_FORBIDDEN.
 */
int ps_intro_create(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		    const char *base_url, int64_t network_id, int64_t from_urn, const int64_t *to, size_t n, const char *message,
		    json_t *errors) WUR;
/*
 * Complete the new-introduction page's model m (its "to" schools and the
 * networks u coordinates, "coordinated"): each school u's school has
 * already asked gets asked{url, asked_on}; each with nobody leading it on
 * Tandem gets nobody and invite[{name, url}], the networks where u may ask
 * it to join and invite its first lead by email. m.askable counts the
 * rest; when none is left, m.has_offers is false and m.nothing_to_ask true.
 */
void ps_intro_new_facts(struct db *db, struct arena *a, const struct user *u, json_t *m);
/*
 * On the new-introduction page's model m again after a refused form: mark
 * the network chosen (offers[].selected, coordinated[].selected) and the
 * brokered schools (coordinated[].schools[].selected_from, selected_to; 0:
 * none) so the selects show what was chosen.
 */
void ps_intro_mark_typed(json_t *m, const char *network, int64_t from, int64_t to);
/* Introductions u may see, newest first: [{id, from, to, state, message, …}]. */
json_t *ps_intro_list(struct db *db, const struct user *u);
/* One introduction ({id, from{urn,name}, to{…}, state, message, reason, can_answer, partnership_url}). */
int ps_intro_get(struct db *db, struct arena *a, const struct user *u, int64_t id, json_t **out) WUR;
/*
 * Accept (accept true) or decline (reason optional) a pending introduction
 * as the lead of the school asked. Accepting opens a partnership in the
 * forming state (*partnership_id). Both schools' leads get an email.
 * ERR_NOTFOUND, ERR_FORBIDDEN, ERR_CONFLICT (already answered).
 */
int ps_intro_answer(struct db *db, struct arena *a, const struct user *u, const char *base_url, int64_t id,
		    bool accept, const char *reason, int64_t *partnership_id) WUR;

/* ---- agreement_store.c -------------------------------------------------- */

/* The agreement as stored, with the arrays it points into (all in the arena). */
struct ps_agreement {
	int64_t partnership_id;            /* whose agreement */
	struct agreement ag;               /* the pure struct (agreement.h) */
	struct agreement_school *schools;  /* ag.schools, writable */
	int64_t *measure_ids;              /* partnership_measure.id of each measure */
	int64_t *risk_ids;                 /* partnership_risk.id of each risk */
	const char **signed_by;            /* per school: who signed (name), NULL when unsigned */
	const char **signed_at;            /* per school: when */
};

/* Load the agreement of p (policy: read). */
int ps_agreement_load(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		      struct ps_agreement *out) WUR;
/* The agreement, what is missing and who signed, as the page and the API show it (new reference). */
json_t *ps_agreement_json(struct db *db, struct arena *a, const struct ps_agreement *pa);
/* One partner school's commitment as typed: hours_URN, budget_URN, objectives_URN, lead_URN. */
struct ps_commitment_in {
	int64_t urn;                      /* the partner school */
	bool has_hours;                   /* hours were given */
	int64_t hours;                    /* staff hours a term (the model checks the range) */
	bool has_budget;                  /* a budget was given */
	int64_t budget_pence;             /* the budget, in pence */
	enum agreement_answer objectives; /* written into staff objectives: yes, no or not said */
	int64_t lead_person_id;           /* its lead for the partnership, 0 when not given (unchanged) */
};

/* The agreement form as typed; what is not given is "not said yet". */
struct ps_agreement_in {
	enum agreement_type type;               /* AGREEMENT_TYPE_UNSET when not chosen */
	const char *challenge;                  /* the shared challenge, NULL when not given */
	const char *outcomes;                   /* the outcomes, NULL when not given */
	const char *themes;                     /* one theme a line, NULL when not given */
	enum agreement_licence licence;         /* AGREEMENT_LICENCE_UNSET when not chosen */
	int64_t starts_on;                      /* a day (Unix time), 0 when not given */
	int64_t ends_on;                        /* a day, 0 when not given */
	enum agreement_decision decision;       /* consensus when not chosen */
	int64_t lead_school_urn;                /* the deciding school, 0 when none */
	bool has_cadence;                       /* cadence_weeks was given */
	int64_t cadence_weeks;                  /* the partners meet every this many weeks */
	int64_t keeper_person_id;               /* who keeps it going, 0 when none */
	const struct ps_commitment_in *commits; /* the commitments given, any order */
	size_t n_commits;                       /* how many */
};

/* A measure as typed (text NULL when not given). */
struct ps_measure_in {
	const char *name;        /* required */
	const char *unit;        /* "%", "months" */
	const char *pupil_group; /* the group of pupils */
	bool has_baseline;       /* baseline was given */
	double baseline;         /* where it starts */
	bool has_target;         /* target was given */
	double target;           /* where the partners aim to get it */
	const char *method;      /* how it is measured */
	const char *when;        /* when it is measured, in words */
	int64_t baseline_on;     /* a day, 0 when not given */
	int64_t target_by;       /* a day, 0 when not given */
	int64_t row;             /* its row in the agreement's one form (fields m_name_ROW …), 0 for name … */
};

/* A risk as typed (text NULL when not given). */
struct ps_risk_in {
	const char *risk;                  /* required */
	int64_t likelihood;                /* 1..5, 0 when not given */
	int64_t impact;                    /* 1..5, 0 when not given */
	const char *mitigation;            /* what the partners do about it */
	const char *owner;                 /* who watches it, in words */
	enum agreement_risk_status status; /* open unless closed was chosen */
	int64_t row;                       /* its row in the one form (fields r_risk_ROW …), 0 for risk … */
};

/*
 * Everything the agreement page's one form sends: the agreement, the new
 * measures and risks typed in its rows, and at most one change to a saved
 * measure or risk (the button pressed), all kept together or not at all.
 */
struct ps_agreement_form_in {
	struct ps_agreement_in main;              /* the agreement's fields and commitments */
	const struct ps_measure_in *measures;     /* the rows with something typed in them */
	size_t n_measures;                        /* how many */
	const struct ps_risk_in *risks;           /* the risk rows with something typed in them */
	size_t n_risks;                           /* how many */
	int64_t delete_measure;                   /* a saved measure to delete, 0 for none */
	int64_t delete_risk;                      /* a saved risk to delete, 0 for none */
	int64_t status_risk;                      /* a saved risk to mark risk_status, 0 for none */
	enum agreement_risk_status risk_status;   /* what to mark it */
};

/*
 * Save the agreement's single-valued fields and the commitments. Values not
 * given stay "not said yet". ERR_INVALID with errors (fields named as the
 * form names them: "cadence_weeks", "hours_107897").
 */
int ps_agreement_save(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		      const struct ps_agreement_in *in, json_t *errors) WUR;
/*
 * Save the one form (policy: agreement_edit): check everything first (the
 * rows' messages are named after their fields, "m_baseline_2"), then write
 * it in one transaction; a new row that says exactly what a saved measure
 * or risk says (the form sent twice) is not added again. ERR_INVALID with
 * errors and nothing changed;
 * ERR_NOTFOUND when the measure or risk a button names is not this
 * partnership's.
 */
int ps_agreement_save_form(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
			   const struct ps_agreement_form_in *in, json_t *errors) WUR;
/* Add a measure or a risk; delete one by id. ERR_INVALID with errors. */
int ps_measure_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		   const struct ps_measure_in *in, json_t *errors) WUR;
int ps_risk_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		const struct ps_risk_in *in, json_t *errors) WUR;
int ps_measure_delete(struct db *db, const struct ps_access *acc, const struct partnership *p, int64_t id) WUR;
int ps_risk_delete(struct db *db, const struct ps_access *acc, const struct partnership *p, int64_t id) WUR;
/*
 * Sign the current version for every partner school u leads (for_urn 0),
 * or for school for_urn only — ERR_FORBIDDEN unless u is its lead. ERR_INVALID
 * (incomplete), ERR_FORBIDDEN (not a partner school's lead), ERR_CONFLICT
 * (already signed this version, or closed). When every lead has signed,
 * the partnership becomes active; until then the lead of each school that
 * has not signed this version is emailed that it is their turn (links start
 * with base_url). *detail gets a sentence for the person.
 */
int ps_agreement_sign(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		      const struct partnership *p, int64_t for_urn, const char *base_url, const char **detail) WUR;
/* Mark risk id open or closed (partner schools' leads; it changes the agreement). ERR_NOTFOUND. */
int ps_risk_set_status(struct db *db, const struct ps_access *acc, const struct partnership *p, int64_t id,
		       enum agreement_risk_status status) WUR;

/* ---- running.c ---------------------------------------------------------- */

/* One partner school's answer to a decision (agreed_URN). */
struct ps_vote {
	int64_t urn;        /* the school */
	const char *agreed; /* "yes", "no" or "abstain" */
};

/* A meeting as typed, with the decision and the action taken at it (text NULL when not given). */
struct ps_meeting_in {
	int64_t held_on;             /* the day (Unix time at midnight), 0 when not given */
	int64_t held_at;             /* seconds after midnight, UK time; -1 when not given (16:00) */
	int64_t minutes;             /* its length, 0 when not given (60) */
	const char *location;        /* where */
	const char *attendees;       /* who came */
	const char *notes;           /* the notes */
	const char *decision;        /* a decision taken, NULL for none */
	const struct ps_vote *votes; /* each school's answer to it */
	size_t n_votes;              /* how many */
	const char *action;          /* an action taken, NULL for none */
	int64_t action_owner;        /* its owner (a person of a partner school), 0 for none */
	int64_t action_due;          /* its due day, 0 when not given */
};

/* An action as typed. */
struct ps_action_in {
	const char *title;       /* required */
	int64_t owner_person_id; /* a person of a partner school, 0 for none */
	int64_t due_on;          /* the due day, 0 when not given */
};

/* A decision as typed. */
struct ps_decision_in {
	const char *text;            /* required */
	int64_t decided_on;          /* the day, 0 when not given */
	const struct ps_vote *votes; /* each school's answer */
	size_t n_votes;              /* how many */
};

/* Time given, as typed. */
struct ps_time_in {
	int64_t worked_on;         /* the day, 0 when not given */
	bool has_hours;            /* hours were given */
	int64_t hours_hundredths;  /* hours × 100 (1h30 is 150) */
	const char *note;          /* a note */
};

/* A measure's value, as typed. */
struct ps_evidence_in {
	int64_t measure_id;  /* one of the agreement's measures, 0 when not given */
	int64_t measured_on; /* the day, 0 when not given */
	bool has_value;      /* a value was given */
	double value;        /* the value */
	const char *note;    /* a note */
};

/* A reflection, as typed (at least one of the two). */
struct ps_reflection_in {
	const char *worked;       /* what worked */
	const char *did_not_work; /* what did not */
};

/*
 * Record a meeting: the meeting, and optionally one decision and one action
 * taken at it. ERR_INVALID with errors: a time the clocks skip (01:30 on
 * the day they go forward) is refused saying so; a time that happens twice
 * (01:30 on the day they go back) is the first, BST, and is shown as
 * "01:30 BST".
 */
int ps_meeting_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		   const struct partnership *p, const struct ps_meeting_in *in, json_t *errors) WUR;
/* An action; mark one done. */
int ps_action_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		  const struct ps_action_in *in, json_t *errors) WUR;
int ps_action_done(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		   int64_t id) WUR;
/* A decision with each partner school's answer (answers of other schools are ignored). */
int ps_decision_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		    const struct ps_decision_in *in, json_t *errors) WUR;
/* Time given by the person's own school (hours > 0, at most 1000). */
int ps_time_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		const struct partnership *p, const struct ps_time_in *in, json_t *errors) WUR;
/* A measure's value on a day. */
int ps_evidence_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		    const struct partnership *p, const struct ps_evidence_in *in, json_t *errors) WUR;
/* A reflection (at least one of the two). */
int ps_reflection_add(struct db *db, struct arena *a, const struct ps_access *acc, const struct user *u,
		      const struct partnership *p, const struct ps_reflection_in *in, json_t *errors) WUR;
/*
 * Everything recorded, for the running page and the API: {meetings,
 * actions, decisions, time{schools[{urn, name, committed, logged}]},
 * evidence[{measure, values, chart}], reflections, people}. Policy: read.
 */
int ps_running_json(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
		    json_t **out) WUR;

/*
 * The review of outcomes against targets: each measure's baseline, target
 * and latest value, and whether the target is met [{name, unit, baseline,
 * target, latest, met}]. Policy: read.
 */
int ps_review_json(struct db *db, const struct ps_access *acc, const struct partnership *p, json_t **out) WUR;

/* ---- health (model.c) ---------------------------------------------------- */

/* The health of p at time now (any reader of the summary). */
int ps_health(struct db *db, const struct partnership *p, int64_t now, struct health_result *out) WUR;
/* {status, label, reason, reasons[], next_meeting_due, hours_committed, hours_due, hours_logged} (new). */
json_t *ps_health_json(struct arena *a, const struct health_result *h);

/* ---- sweep.c: health over time ------------------------------------------- */

/* What a sweep and a digest run did, for the command line and the log. */
struct ps_digest_report {
	int checked;      /* partnerships whose health was worked out */
	int changes;      /* health changes recorded (in a dry run: found) */
	int digests;      /* digests queued (in a dry run: that would have been) */
	json_t *changed;  /* [{partnership_id, title, from, to, reason}] (owned) */
	json_t *messages; /* [{to, name, subject, body}] (owned) */
};
/* Empty report with its arrays; free with ps_digest_report_free. */
void ps_digest_report_init(struct ps_digest_report *r);
void ps_digest_report_free(struct ps_digest_report *r);

/*
 * Work out, at now, the health of every partnership that is not closed (and
 * of one closed since the last sweep); where it differs from the stored
 * partnership.health_status, record a health_change with the reason and
 * store the new status. In the caller's transaction (ps_digest_run makes
 * one). A partnership whose facts make no sense is logged and skipped. Adds
 * to rep. Returns 0 or ERR_DB.
 */
int ps_health_sweep_tx(struct db *db, int64_t now, struct ps_digest_report *rep) WUR;
/*
 * The recent health changes of a partnership, newest first, at most limit:
 * [{from, from_label, to, to_label, reason, changed_at, changed_on}] (new
 * array; empty on a store error). No policy check: the caller shows it to
 * whoever may see the summary.
 */
json_t *ps_health_history(struct db *db, int64_t partnership_id, int limit);
/*
 * The sweep for one partnership, in the caller's transaction: work out its
 * health at now and, when the status changed, record the change (as the
 * sweep does). The running page's model calls it after each thing recorded.
 * A partnership the sweep has not yet seen active (stored "not_active") is
 * left to the sweep, whose report and digest say when it became active.
 * 0, ERR_NOTFOUND, ERR_DB.
 */
int ps_health_refresh_tx(struct db *db, int64_t partnership_id, int64_t now) WUR;
/* How many recent changes the partnership page lists. */
#define PS_HEALTH_HISTORY_SHOWN 10
/*
 * Add since (a day in words) and since_at to health JSON hj when the last
 * recorded change (to status last_to at last_at, ISO text; NULL when none)
 * led to the status hj shows at now, and was not after now. Otherwise
 * leave hj alone.
 */
void ps_health_set_since(json_t *hj, const char *last_to, const char *last_at, int64_t now);

/* ---- digest_store.c: the weekly digest ----------------------------------- */

/*
 * Queue, at now, the weekly digest for every lead of a partner school of an
 * active partnership and every named keeper of one (each still at one of
 * its partner schools) whose digest is due (health_digest_due) and who has
 * news (digest.h); record digest_sent. Links start with base_url ("" for
 * paths only). In the caller's transaction; dry_run queues and records
 * nothing but still fills rep. Returns 0 or ERR_DB.
 */
int ps_digest_send_tx(struct db *db, const char *base_url, int64_t now, bool dry_run,
		      struct ps_digest_report *rep) WUR;
/*
 * The sweep and then the digests, as `tandem digest` and the background
 * thread run them: each in its own transaction; with dry_run both in one
 * transaction that is rolled back, so nothing changes. Returns 0 or an
 * error (nothing of the failing step is kept).
 */
int ps_digest_run(struct db *db, const char *base_url, int64_t now, bool dry_run,
		  struct ps_digest_report *rep) WUR;

#endif
