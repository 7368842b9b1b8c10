// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * digest.h — the weekly email digest as text. One pure function turns what
 * a person should hear about their partnerships (each one's health now, the
 * changes of health since their last digest, the actions past their due
 * day) into a plain-text email for a busy headteacher; another says whether
 * there is anything worth sending at all. No store, no HTTP, no clock: the
 * caller gathers the facts (digest_store.c) and passes the time.
 *
 * What is news:
 *   - an action of theirs that is past its due day and not done;
 *   - a change of health between two active statuses (on track, overdue,
 *     fading, at risk), in either direction — "back on track" is news too;
 *   - a partnership becoming active straight into trouble (not active →
 *     overdue, fading or at risk).
 * Not news: becoming active and on track (the leads signed it themselves
 * a moment ago), or stopping being active (they closed it).
 */
#ifndef TANDEM_APP_PARTNERSHIPS_DIGEST_H
#define TANDEM_APP_PARTNERSHIPS_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/partnerships/health.h"

struct buf;

/* The subject of every digest (one line, ASCII). */
#define DIGEST_SUBJECT "Tandem: your partnerships this week"

/* One change of a partnership's health, as recorded by the sweep. */
struct digest_change {
	enum health_status from; /* the status before */
	enum health_status to;   /* the status after */
	const char *reason;      /* the sentence recorded with the change; may be NULL */
	int64_t changed_at;      /* when the sweep noticed it (Unix seconds, UTC) */
};

/* One action that is past its due day and not done. */
struct digest_action {
	const char *title; /* what is to be done */
	const char *owner; /* the owner's name; NULL or "" when nobody is named */
	int64_t due_on;    /* the due day, midnight UTC */
};

/* One partnership as the digest tells it. Pointers are borrowed. */
struct digest_partnership {
	const char *title;                    /* "Weetwood Primary and Ireland Wood Primary" */
	const char *url;                      /* where to open it (absolute when a base URL is set) */
	enum health_status status;            /* its health now */
	const char *reason;                   /* the reason for status; may be NULL */
	const struct digest_change *changes;  /* changes since the last digest, oldest first */
	size_t n_changes;
	const struct digest_action *actions;  /* overdue actions, earliest due first */
	size_t n_actions;
};

/* Everything one person's digest says. Pointers are borrowed. */
struct digest {
	const char *name;                             /* the person's name, for the greeting; may be NULL */
	const struct digest_partnership *partnerships; /* their active partnerships */
	size_t n_partnerships;
};

/* Whether a change of health from → to is worth telling someone (see above). */
bool digest_change_is_news(enum health_status from, enum health_status to);
/* Whether partnership p has an overdue action or a change that is news. */
bool digest_partnership_has_news(const struct digest_partnership *p);
/* Whether the digest has anything to say (no news: send nothing). False for NULL. */
bool digest_has_news(const struct digest *d);

/*
 * Append the digest's plain-text body to out: a greeting, one line saying
 * what needs doing, then each partnership (those with news first, else in
 * the order given) with its health and reason, its changes that are news
 * and its overdue actions with owner and due day, and its link; then why
 * the person gets this email. Days are written "15 January", with the year
 * when it is not the year of now.
 */
void digest_compose(const struct digest *d, int64_t now, struct buf *out);

#endif
