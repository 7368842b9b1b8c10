// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * agreement.h — the partnership agreement on the five foundations (purpose;
 * time and resource; evidence; risks and governance; leadership) as a plain
 * struct, and the pure rules over it: field checks whose messages a person
 * can act on, what is still missing section by section (as sentences the page
 * shows as they are), whether a lead may sign, and a canonical SHA-256 digest
 * of the content so that a change after signing asks every lead to sign again.
 *
 * No store and no HTTP: the partnerships model fills a struct agreement from
 * the database (every pointer is borrowed, nothing here frees it) and the
 * pages show the results. Messages and sentences live in an arena the caller
 * passes in.
 *
 * Integers that may not have been given yet (hours, budget, cadence) carry a
 * has_ flag, so "not said yet" (a gap, reported by agreement_missing) is kept
 * apart from a value that is wrong (a problem, reported by agreement_validate):
 * an empty hours field is missing, "-5" is invalid. Enums use 0 for "not
 * chosen" except the decision rule, whose 0 is the default, consensus.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_AGREEMENT_H
#define TANDEM_APP_PARTNERSHIPS_AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct arena;

/* Limits, in characters (code points), for the text fields; pages use them as maxlength. */
#define AGREEMENT_MAX_CHALLENGE 2000
#define AGREEMENT_MAX_OUTCOMES 4000
#define AGREEMENT_MAX_THEME 100
#define AGREEMENT_MAX_NAME 200       /* a measure's name, pupil group, "when"; a risk's owner */
#define AGREEMENT_MAX_UNIT 40
#define AGREEMENT_MAX_METHOD 1000    /* how a measure is measured */
#define AGREEMENT_MAX_RISK 500       /* the risk itself */
#define AGREEMENT_MAX_MITIGATION 2000
/* Hours each school may commit per term, and budget in pence (£10,000,000). */
#define AGREEMENT_MAX_HOURS 2000
#define AGREEMENT_MAX_BUDGET_PENCE INT64_C(1000000000)
/* Meeting cadence, in weeks. */
#define AGREEMENT_MIN_CADENCE 1
#define AGREEMENT_MAX_CADENCE 52
/* An open risk scoring this much or more (likelihood × impact) puts a partnership at risk. */
#define AGREEMENT_RISK_HIGH 15
/* Size of a digest: 64 lower-case hex digits and a NUL. */
#define AGREEMENT_DIGEST_SIZE 65

/* What kind of partnership it is. */
enum agreement_type {
	AGREEMENT_TYPE_UNSET,       /* not chosen yet */
	AGREEMENT_TYPE_ONE_WAY,     /* one-way support */
	AGREEMENT_TYPE_MUTUAL,      /* two-way mutual learning */
	AGREEMENT_TYPE_CO_CREATION, /* co-creation */
	AGREEMENT_TYPE__MAX
};

/* Who may use the work the partnership produces, and how. */
enum agreement_licence {
	AGREEMENT_LICENCE_UNSET,         /* not chosen yet */
	AGREEMENT_LICENCE_CC_BY,         /* Creative Commons Attribution 4.0 */
	AGREEMENT_LICENCE_CC_BY_NC_SA,   /* Creative Commons Attribution-NonCommercial-ShareAlike 4.0 */
	AGREEMENT_LICENCE_PARTNERS_ONLY, /* only the partner schools */
	AGREEMENT_LICENCE__MAX
};

/* How the partners decide. */
enum agreement_decision {
	AGREEMENT_DECISION_CONSENSUS,   /* everyone agrees (the default) */
	AGREEMENT_DECISION_MAJORITY,    /* a majority of the partner schools */
	AGREEMENT_DECISION_LEAD_SCHOOL, /* the lead school decides (lead_school_urn) */
	AGREEMENT_DECISION__MAX
};

/* A yes/no question that may not have been answered yet. */
enum agreement_answer {
	AGREEMENT_ANSWER_UNSET, /* not answered */
	AGREEMENT_ANSWER_YES,
	AGREEMENT_ANSWER_NO,
	AGREEMENT_ANSWER__MAX
};

/* A risk in the register is open until the partners close it. */
enum agreement_risk_status {
	AGREEMENT_RISK_OPEN,
	AGREEMENT_RISK_CLOSED,
	AGREEMENT_RISK__MAX
};

/* The sections of the agreement, in the order the page shows them. */
enum agreement_section {
	AGREEMENT_SECTION_PURPOSE,    /* "Purpose" */
	AGREEMENT_SECTION_TIME,       /* "Time and resource" */
	AGREEMENT_SECTION_EVIDENCE,   /* "Evidence" */
	AGREEMENT_SECTION_RISKS,      /* "Risks and governance" */
	AGREEMENT_SECTION_LEADERSHIP, /* "Leadership" */
	AGREEMENT_SECTION__MAX
};

/*
 * Stable keys for the store and the JSON API ("one_way", "cc_by_nc_sa",
 * "lead_school", "closed", "time"...) and labels for people ("One-way
 * support", "CC BY-NC-SA 4.0", "Time and resource"...). Both return NULL for
 * a value out of range; the UNSET values have a key ("unset") and a label
 * ("Not chosen"). The _from_key functions return 0 or ERR_INVALID for an
 * unknown key (out untouched).
 */
/* The keys of each enum in enum order, NULL-terminated: the choices a form declares. */
extern const char *const agreement_type_keys[];
extern const char *const agreement_licence_keys[];
extern const char *const agreement_decision_keys[];
extern const char *const agreement_risk_status_keys[];
const char *agreement_type_key(enum agreement_type t);
const char *agreement_type_label(enum agreement_type t);
int agreement_type_from_key(const char *key, enum agreement_type *out) WUR;
const char *agreement_licence_key(enum agreement_licence l);
const char *agreement_licence_label(enum agreement_licence l);
int agreement_licence_from_key(const char *key, enum agreement_licence *out) WUR;
const char *agreement_decision_key(enum agreement_decision d);
const char *agreement_decision_label(enum agreement_decision d);
int agreement_decision_from_key(const char *key, enum agreement_decision *out) WUR;
const char *agreement_risk_status_key(enum agreement_risk_status s);
int agreement_risk_status_from_key(const char *key, enum agreement_risk_status *out) WUR;
const char *agreement_section_key(enum agreement_section s);
const char *agreement_section_title(enum agreement_section s);

/*
 * One partner school: who it is, the time and resource it commits, and its
 * lead. The digest covers urn, lead_person_id and the commitment; the name
 * and the signature are not part of the content.
 */
struct agreement_school {
	int64_t urn;                         /* the school's URN (> 0), unique among the partners */
	const char *name;                    /* its name for sentences; NULL gives "School URN n" */
	int64_t lead_person_id;              /* person.id of its lead for the partnership, 0 when none yet */
	bool has_hours;                      /* hours_per_term has been given */
	int hours_per_term;                  /* staff hours committed each term, 0..AGREEMENT_MAX_HOURS */
	bool has_budget;                     /* budget_pence has been given */
	int64_t budget_pence;                /* budget committed, in pence, 0..AGREEMENT_MAX_BUDGET_PENCE */
	enum agreement_answer in_objectives; /* the work is written into staff performance objectives */
	const char *signed_digest;           /* agreement_digest of the version its lead signed, NULL when none */
};

/*
 * An impact measure: what will show the partnership made a difference to
 * pupils. Always about a group of pupils, never about one pupil.
 */
struct agreement_measure {
	const char *name;        /* "Year 6 reading age", required on every measure */
	const char *unit;        /* "months", "%", "pupils" */
	const char *pupil_group; /* "Year 6 disadvantaged pupils" */
	bool has_baseline;       /* baseline has been given */
	double baseline;         /* where it starts (finite) */
	bool has_target;         /* target has been given */
	double target;           /* where the partners aim to get it (finite) */
	const char *method;      /* how it is measured */
	const char *when;        /* when it is measured, in words ("each half term") */
	int64_t baseline_on;     /* the day of the baseline (Unix time), 0 when not given */
	int64_t target_by;       /* the day the target should be met, 0 when not given; after baseline_on */
};

/* One row of the risk register. */
struct agreement_risk {
	const char *risk;                  /* what might go wrong, required on every risk */
	int likelihood;                    /* 1 (rare) .. 5 (almost certain), required */
	int impact;                        /* 1 (minimal) .. 5 (severe), required */
	const char *mitigation;            /* what the partners do about it */
	const char *owner;                 /* who watches it, in words */
	enum agreement_risk_status status; /* open or closed */
};

/* The whole agreement. Every pointer is borrowed; lists may be NULL when their count is 0. */
struct agreement {
	/* Purpose */
	enum agreement_type type;
	const char *challenge;          /* the shared challenge */
	const char *outcomes;           /* the tangible outcomes intended */
	const char *const *themes;      /* theme names; blank entries are ignored */
	size_t n_themes;
	enum agreement_licence licence; /* who owns the work produced and how it may be used */
	/* The partner schools, each with its commitment (time and resource) and lead (leadership). */
	const struct agreement_school *schools;
	size_t n_schools;
	/* Time and resource: an optional planned timeline (Unix times, 0 = not given). */
	int64_t starts_on;
	int64_t ends_on;                /* after starts_on when both are given */
	/* Evidence */
	const struct agreement_measure *measures;
	size_t n_measures;
	/* Risks and governance */
	const struct agreement_risk *risks;
	size_t n_risks;
	/* Leadership */
	enum agreement_decision decision;
	int64_t lead_school_urn;        /* the school that decides, with AGREEMENT_DECISION_LEAD_SCHOOL */
	bool has_cadence;               /* cadence_weeks has been given */
	int cadence_weeks;              /* the partners meet every this many weeks, 1..52 */
	int64_t keeper_person_id;       /* the person responsible for keeping it going, 0 when none */
};

/*
 * One problem or gap: the form field it belongs to and a sentence a person
 * can act on. Field names follow the struct: "challenge", "themes[0]",
 * "schools[1].hours_per_term", "measures[0].target_by", "risks[2].likelihood",
 * "cadence_weeks", or whatever name the caller passed to a field validator.
 */
struct agreement_problem {
	const char *field;   /* in the arena */
	const char *message; /* a whole sentence, capitalised, in the arena */
	bool named;          /* message begins with a school's name (keep its capital after a prefix) */
};

/*
 * A growing list of problems. With an arena the problems are kept; with a
 * NULL arena they are only counted (n grows, items stays NULL).
 */
struct agreement_problems {
	struct agreement_problem *items; /* n of them, in the arena */
	size_t n;                        /* how many problems so far */
	size_t cap;                      /* private: room in items */
	struct arena *arena;             /* private: where items and strings live, or NULL */
};

/* Start an empty list in arena a (NULL to count only). */
void agreement_problems_init(struct agreement_problems *p, struct arena *a);

/*
 * Field-level checks for values as a person entered them. Each appends its
 * problems to p under field and returns 0 when the value is acceptable,
 * ERR_INVALID when it is not.
 */
/*
 * Text of at most max_chars characters (code points), valid UTF-8; label
 * names it in the message ("The shared challenge"). NULL is fine.
 */
int agreement_validate_text(struct agreement_problems *p, const char *field, const char *label, const char *s,
			    size_t max_chars) WUR;
/* A risk's likelihood, 1..5. */
int agreement_validate_likelihood(struct agreement_problems *p, const char *field, int likelihood) WUR;
/* A risk's impact, 1..5. */
int agreement_validate_impact(struct agreement_problems *p, const char *field, int impact) WUR;
/* Hours committed per term, 0..AGREEMENT_MAX_HOURS. */
int agreement_validate_hours(struct agreement_problems *p, const char *field, int hours) WUR;
/* A budget in pence, 0..AGREEMENT_MAX_BUDGET_PENCE. */
int agreement_validate_budget(struct agreement_problems *p, const char *field, int64_t pence) WUR;
/* A meeting cadence in weeks, 1..52. */
int agreement_validate_cadence(struct agreement_problems *p, const char *field, int weeks) WUR;
/*
 * Two dates in order: when both are given (non-zero), second must fall on a
 * later day than first. Labels name them ("the start date", "the end date").
 */
int agreement_validate_dates(struct agreement_problems *p, const char *field, const char *first_label,
			     int64_t first, const char *second_label, int64_t second) WUR;
/* Every field of one impact measure (index names it: "measures[1]..."). */
int agreement_validate_measure(struct agreement_problems *p, size_t index, const struct agreement_measure *m) WUR;
/*
 * Every value the agreement holds, and how they fit together (enums in
 * range, no school twice, the deciding school a partner). Values not given
 * yet are not problems here; agreement_missing reports them.
 */
int agreement_validate(struct agreement_problems *p, const struct agreement *a) WUR;

/* What one section still needs. */
struct agreement_section_gaps {
	bool complete;          /* nothing missing and nothing invalid */
	const char **sentences; /* n sentences "Section: what to do.", in the arena */
	size_t n;
};

/* What the agreement still needs before it can be signed, and who has not signed. */
struct agreement_missing {
	struct agreement_section_gaps sections[AGREEMENT_SECTION__MAX];
	bool complete;                /* every section complete: the leads may sign */
	const char **signatures;      /* "Signatures: Leeds City Academy has not signed yet.", in the arena */
	size_t n_signatures;
	bool signed_by_all;           /* complete, and every partner school's lead signed this version */
	char digest[AGREEMENT_DIGEST_SIZE]; /* the digest of this version */
};

/*
 * What is still missing, section by section, as plain sentences prefixed by
 * the section title ("Time and resource: Leeds City Academy has not said how
 * many hours it commits per term."). A section is complete when nothing is
 * missing and none of its values is invalid (invalid values are listed too).
 * The agreement is complete only when every section is, which includes every
 * partner school having a lead and a full commitment. Strings live in arena a.
 */
void agreement_missing(struct arena *a, const struct agreement *ag, struct agreement_missing *out);
/* agreement_missing's complete flag, without an arena. */
bool agreement_is_complete(const struct agreement *ag);

/*
 * May person_id sign the agreement now? 0 when it is complete and they lead
 * a partner school whose lead has not signed this version (they sign for
 * every partner school they lead). ERR_INVALID when the agreement is
 * incomplete (signing an incomplete agreement is refused), ERR_FORBIDDEN when
 * they lead no partner school, ERR_CONFLICT when they already signed this
 * version.
 */
int agreement_can_sign(const struct agreement *ag, int64_t person_id) WUR;
/* Complete, and every partner school's signed_digest is the current digest: it may become active. */
bool agreement_signed_by_all(const struct agreement *ag);

/* likelihood × impact, or 0 when either is outside 1..5. */
int agreement_risk_score(int likelihood, int impact);

/*
 * The SHA-256 (libsodium) of a canonical form of the content, as 64 hex
 * digits, into out. Covers every field that the partners agree to, and
 * nothing else: not school names, not signatures. Text is compared after
 * trimming white space at both ends and turning CRLF and CR into LF; NULL
 * and "" are the same; values not given differ from every given value. Lists
 * are compared as sets (reordering themes, schools, measures or risks does
 * not change the digest). A new version of the canonical form starts with a
 * new tag, so old signatures then simply ask for signing again.
 */
void agreement_digest(const struct agreement *ag, char out[AGREEMENT_DIGEST_SIZE]);

#endif
