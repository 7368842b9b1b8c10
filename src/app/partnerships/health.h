// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * health.h — is an active partnership keeping its routine? One pure function
 * turns the facts about a partnership (cadence, meetings, activity, hours,
 * open risks) and the time now into a status with its reasons as sentences.
 * Time is a parameter, never read here: the caller passes clock_now(), tests
 * pass whatever moment they need. No store, no HTTP.
 *
 * The rules (all times Unix seconds, UTC):
 *
 *   Not active  The partnership is not active (draft, awaiting signatures,
 *               paused or closed). No other rule applies.
 *   At risk     An open risk scores AGREEMENT_RISK_HIGH (15) or more
 *               (likelihood × impact).
 *   Fading      (a) Nothing recorded — no meeting, action, decision, time
 *               logged, evidence or reflection — for more than two cadences
 *               since the last activity (or since activation when none); or
 *               (b) less than half the hours due by now have been logged this
 *               period (see below).
 *   Overdue     No meeting for more than one cadence plus the grace period
 *               since the last meeting (or since activation when none, so a
 *               new partnership is never overdue before its first cadence
 *               and grace have passed).
 *   On track    None of the above.
 *
 * Boundaries: a limit reached exactly is still within it. With a 4-week
 * cadence and 7 days' grace, a partnership whose last meeting was at t is on
 * track at t + 35 days and overdue one second later.
 *
 * Precedence, when several apply: at risk > fading > overdue > on track.
 * A named risk is the most specific danger and needs action now; fading means
 * the routine itself is failing (it usually includes a missed meeting, and
 * the hours rule catches partnerships that meet but do nothing between);
 * overdue is one missed meeting. Every reason that applies is listed, worst
 * first, so nothing is hidden by the headline.
 *
 * The period for hours is the current school term as whole calendar blocks
 * (UTC): autumn 1 September – 31 December, spring 1 January – 31 March,
 * summer 1 April – 31 August (holidays fall inside the terms they follow).
 * Hours are pro-rated: by now the partners owe
 *
 *     due = committed per term × (now − period start) / (length of the term)
 *
 * where the period starts at the later of the term's start and activation,
 * and committed per term is the sum over the partner schools. The hours rule
 * applies only once one full cadence has passed in the period (so neither a
 * new term nor a new partnership is fading on its first days) and only when
 * the schools committed some hours. Fading when logged < due / 2.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_HEALTH_H
#define TANDEM_APP_PARTNERSHIPS_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define HEALTH_DAY INT64_C(86400)
#define HEALTH_WEEK (7 * HEALTH_DAY)
/* The grace after a missed meeting when health_input.grace_seconds is 0. */
#define HEALTH_GRACE_DEFAULT HEALTH_WEEK
/* Pass as grace_seconds for no grace at all. */
#define HEALTH_GRACE_NONE (-1)
/* The weekly digest email goes out at most this often. */
#define HEALTH_DIGEST_INTERVAL HEALTH_WEEK
/* At most this many reasons apply at once (at risk, two for fading, overdue). */
#define HEALTH_REASONS_MAX 4
/* Room for one reason sentence. */
#define HEALTH_REASON_SIZE 400

/* The statuses, in order of precedence: a larger value wins. */
enum health_status {
	HEALTH_NOT_ACTIVE, /* not active: no health */
	HEALTH_ON_TRACK,
	HEALTH_OVERDUE,
	HEALTH_FADING,
	HEALTH_AT_RISK,
	HEALTH__MAX
};

/* "not_active", "on_track", "overdue", "fading", "at_risk"; NULL out of range. */
const char *health_status_key(enum health_status s);
/* "Not active", "On track", "Overdue", "Fading", "At risk"; NULL out of range. */
const char *health_status_label(enum health_status s);
/* The status of a key as health_status_key gives it. Returns 0, or ERR_INVALID (*out untouched) for anything else. */
int health_status_parse(const char *key, enum health_status *out) WUR;

/* One partner school's time. */
struct health_school {
	int hours_per_term;  /* hours committed each term (the agreement), >= 0 */
	double hours_logged; /* hours logged this term (see health_term), >= 0 */
};

/* One open risk (closed risks are not passed). */
struct health_risk {
	const char *risk; /* what might go wrong, for the sentence; may be NULL */
	int likelihood;   /* 1..5 */
	int impact;       /* 1..5 */
};

/* The facts about one partnership. Pointers are borrowed. */
struct health_input {
	bool active;                         /* only an active partnership has a health status */
	int cadence_weeks;                   /* the agreed meeting cadence, 1..52 (when active) */
	int64_t activated_at;                /* when it became active (> 0 when active) */
	int64_t last_meeting_at;             /* the last meeting held, 0 when none */
	int64_t last_activity_at;            /* the last meeting, action, decision, time log, evidence
						or reflection; 0 when none */
	const struct health_school *schools; /* the partner schools' hours */
	size_t n_schools;
	const struct health_risk *open_risks; /* the open risks */
	size_t n_open_risks;
	int64_t grace_seconds;               /* after a missed meeting: 0 for HEALTH_GRACE_DEFAULT (7 days),
						HEALTH_GRACE_NONE for none, else seconds */
};

/* One reason and the status it points to. */
struct health_reason {
	enum health_status status;
	char text[HEALTH_REASON_SIZE]; /* a sentence */
};

/* The verdict. */
struct health_result {
	enum health_status status;     /* the worst status that applies */
	char reason[HEALTH_REASON_SIZE]; /* the sentence for status (a copy of reasons[0].text) */
	struct health_reason reasons[HEALTH_REASONS_MAX]; /* every reason that applies, worst first */
	size_t n_reasons;              /* at least 1 */
	int64_t next_meeting_due;      /* one cadence after the last meeting (or activation); 0 when not active */
	int64_t overdue_after;         /* next_meeting_due plus the grace; 0 when not active */
	int64_t period_start;          /* the period hours are counted over (see above); 0 when not active */
	int64_t period_end;            /* the end of the term (exclusive) */
	double hours_committed;        /* per term, all partner schools together */
	double hours_due;              /* pro-rated to now */
	double hours_logged;           /* logged this term, all partner schools together */
};

/*
 * Work out the health of a partnership at time now into out. Returns 0, or
 * ERR_INVALID (out zeroed, status HEALTH_NOT_ACTIVE) when the input is
 * impossible: NULL pointers, an active partnership without an activation
 * time or with a cadence outside 1..52, negative hours, a negative grace
 * other than HEALTH_GRACE_NONE.
 */
int health_compute(const struct health_input *in, int64_t now, struct health_result *out) WUR;

/*
 * The school term holding t (see above): [*start, *end), UTC midnights. The
 * caller sums the time logged from *start up to now to fill hours_logged.
 */
void health_term(int64_t t, int64_t *start, int64_t *end);

/* True when the weekly digest email is due: never sent (last_sent <= 0) or sent 7 days or more ago. */
bool health_digest_due(int64_t last_sent, int64_t now);

#endif
