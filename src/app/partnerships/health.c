// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * health.c — partnership health (the rules and their reasons are in
 * health.h). Each rule below adds its reason when it applies, in order of
 * precedence, so reasons[0] is always the headline; on track is the reason
 * only when nothing else applies.
 */
#include "app/partnerships/health.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/partnerships/agreement.h"
#include "core/clock.h"

static const char *const status_keys[HEALTH__MAX] = {"not_active", "on_track", "overdue", "fading", "at_risk"};
static const char *const status_labels[HEALTH__MAX] = {"Not active", "On track", "Overdue", "Fading", "At risk"};

const char *health_status_key(enum health_status s)
{
	return s >= 0 && s < HEALTH__MAX ? status_keys[s] : NULL;
}

const char *health_status_label(enum health_status s)
{
	return s >= 0 && s < HEALTH__MAX ? status_labels[s] : NULL;
}

int health_status_parse(const char *key, enum health_status *out)
{
	for (int i = 0; key && i < HEALTH__MAX; i++)
		if (strcmp(key, status_keys[i]) == 0) {
			*out = (enum health_status)i;
			return 0;
		}
	return ERR_INVALID;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* Unix time of 00:00 UTC on day 1 of month (0-based) in year. */
static int64_t month_start(int year, int month)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month, .tm_mday = 1};
	return (int64_t)timegm(&tm);
}

void health_term(int64_t t, int64_t *start, int64_t *end)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		*start = *end = t;
		return;
	}
	int y = tm.tm_year + 1900;
	if (tm.tm_mon >= 8) { /* autumn: September to December */
		*start = month_start(y, 8);
		*end = month_start(y + 1, 0);
	} else if (tm.tm_mon <= 2) { /* spring: January to March */
		*start = month_start(y, 0);
		*end = month_start(y, 3);
	} else { /* summer: April to August */
		*start = month_start(y, 3);
		*end = month_start(y, 8);
	}
}

bool health_digest_due(int64_t last_sent, int64_t now)
{
	return last_sent <= 0 || now - last_sent >= HEALTH_DIGEST_INTERVAL;
}

/* Hours to one decimal place, without a trailing ".0". */
static void hours_words(double h, char *out, size_t size)
{
	double r = round(h * 10) / 10;
	if (r == floor(r))
		snprintf(out, size, "%.0f", r);
	else
		snprintf(out, size, "%.1f", r);
}

/* "every week" / "every 4 weeks" */
static void cadence_words(int weeks, char *out, size_t size)
{
	if (weeks == 1)
		snprintf(out, size, "every week");
	else
		snprintf(out, size, "every %d weeks", weeks);
}

/* "a week's grace", "2 weeks' grace", "a day's grace", "3 days' grace", "no grace" */
static void grace_words(int64_t grace, char *out, size_t size)
{
	if (grace <= 0)
		snprintf(out, size, "no grace");
	else if (grace == HEALTH_WEEK)
		snprintf(out, size, "a week's grace");
	else if (grace % HEALTH_WEEK == 0)
		snprintf(out, size, "%lld weeks' grace", (long long)(grace / HEALTH_WEEK));
	else if (grace == HEALTH_DAY)
		snprintf(out, size, "a day's grace");
	else if (grace % HEALTH_DAY == 0)
		snprintf(out, size, "%lld days' grace", (long long)(grace / HEALTH_DAY));
	else
		snprintf(out, size, "%lld hours' grace", (long long)((grace + 3599) / 3600));
}

/* At most max bytes of s, cut at a character boundary, with "…" when cut. */
static void clip(const char *s, size_t max, char *out, size_t size)
{
	size_t n = strlen(s);
	if (n <= max) {
		snprintf(out, size, "%s", s);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	snprintf(out, size, "%.*s\u2026", (int)max, s);
}

FMT(3, 4)
static void add_reason(struct health_result *out, enum health_status status, const char *fmt, ...)
{
	/* The rules can give at most HEALTH_REASONS_MAX reasons together (health.h); more is a bug. */
	assert(out->n_reasons < HEALTH_REASONS_MAX);
	if (out->n_reasons >= HEALTH_REASONS_MAX)
		return;
	struct health_reason *r = &out->reasons[out->n_reasons++];
	r->status = status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
}

/* Is the input possible? Returns the grace to use through *grace. */
static bool input_ok(const struct health_input *in, int64_t *grace)
{
	if ((in->n_schools && !in->schools) || (in->n_open_risks && !in->open_risks))
		return false;
	if (in->grace_seconds == 0)
		*grace = HEALTH_GRACE_DEFAULT;
	else if (in->grace_seconds == HEALTH_GRACE_NONE)
		*grace = 0;
	else if (in->grace_seconds > 0)
		*grace = in->grace_seconds;
	else
		return false;
	for (size_t i = 0; i < in->n_schools; i++) {
		const struct health_school *s = &in->schools[i];
		if (s->hours_per_term < 0 || !isfinite(s->hours_logged) || s->hours_logged < 0)
			return false;
	}
	if (!in->active)
		return true;
	return in->activated_at > 0 && in->cadence_weeks >= AGREEMENT_MIN_CADENCE &&
	       in->cadence_weeks <= AGREEMENT_MAX_CADENCE;
}

/* At risk: the highest-scoring open risk, and how many others are as high. */
static void rule_at_risk(const struct health_input *in, struct health_result *out)
{
	const struct health_risk *worst = NULL;
	int worst_score = 0;
	size_t high = 0;
	for (size_t i = 0; i < in->n_open_risks; i++) {
		const struct health_risk *r = &in->open_risks[i];
		int score = agreement_risk_score(r->likelihood, r->impact);
		if (score < AGREEMENT_RISK_HIGH)
			continue;
		high++;
		if (score > worst_score) {
			worst = r;
			worst_score = score;
		}
	}
	if (!worst)
		return;
	char name[200] = "", more[96] = "";
	if (worst->risk && *worst->risk) {
		char clipped[160];
		clip(worst->risk, 120, clipped, sizeof clipped);
		snprintf(name, sizeof name, ": \u201c%s\u201d", clipped);
	}
	if (high == 2)
		snprintf(more, sizeof more, " 1 more open risk scores %d or more.", AGREEMENT_RISK_HIGH);
	else if (high > 2)
		snprintf(more, sizeof more, " %zu more open risks score %d or more.", high - 1, AGREEMENT_RISK_HIGH);
	add_reason(out, HEALTH_AT_RISK, "An open risk scores %d (likelihood %d \u00d7 impact %d)%s.%s", worst_score,
		   worst->likelihood, worst->impact, name, more);
}

/* Fading (a): nothing recorded for more than two cadences. */
static void rule_silence(const struct health_input *in, int64_t now, int64_t cadence, struct health_result *out)
{
	int64_t last = max64(in->last_activity_at, in->last_meeting_at);
	if (now - max64(last, in->activated_at) <= 2 * cadence)
		return;
	char day[48];
	if (last > in->activated_at) {
		clock_format_day_near(last, now, day, sizeof day);
		add_reason(out, HEALTH_FADING,
			   "No activity since %s: nothing recorded for more than two meeting cycles (%d weeks).", day,
			   2 * in->cadence_weeks);
	} else {
		clock_format_day_near(in->activated_at, now, day, sizeof day);
		add_reason(out, HEALTH_FADING,
			   "No activity since the partnership became active on %s: nothing recorded for more than "
			   "two meeting cycles (%d weeks).",
			   day, 2 * in->cadence_weeks);
	}
}

/* Fading (b): less than half the pro-rated hours logged this term. */
static void rule_hours(const struct health_input *in, int64_t now, int64_t cadence, struct health_result *out)
{
	int64_t term_start, term_end;
	health_term(now, &term_start, &term_end);
	int64_t from = max64(term_start, in->activated_at);
	out->period_start = from;
	out->period_end = term_end;
	for (size_t i = 0; i < in->n_schools; i++) {
		out->hours_committed += in->schools[i].hours_per_term;
		out->hours_logged += in->schools[i].hours_logged;
	}
	if (now <= from || term_end <= term_start)
		return;
	out->hours_due = out->hours_committed * (double)(now - from) / (double)(term_end - term_start);
	if (now - from < cadence || out->hours_committed <= 0)
		return;
	if (out->hours_logged < out->hours_due / 2) {
		char logged[32], committed[32], due[32];
		hours_words(out->hours_logged, logged, sizeof logged);
		hours_words(out->hours_committed, committed, sizeof committed);
		hours_words(out->hours_due, due, sizeof due);
		add_reason(out, HEALTH_FADING, "Only %s of %s committed hours logged this term (%s due by now).", logged,
			   committed, due);
	}
}

/* Overdue: no meeting within one cadence plus the grace. */
static void rule_overdue(const struct health_input *in, int64_t now, int64_t cadence, int64_t grace,
			 struct health_result *out)
{
	int64_t from = max64(in->last_meeting_at, in->activated_at);
	out->next_meeting_due = from + cadence;
	out->overdue_after = from + cadence + grace;
	if (now <= out->overdue_after)
		return;
	char day[48], every[32], slack[48];
	clock_format_day_near(from, now, day, sizeof day);
	cadence_words(in->cadence_weeks, every, sizeof every);
	grace_words(grace, slack, sizeof slack);
	if (in->last_meeting_at > in->activated_at)
		add_reason(out, HEALTH_OVERDUE, "No meeting since %s: meetings are due %s (%s).", day, every, slack);
	else
		add_reason(out, HEALTH_OVERDUE,
			   "No meeting since the partnership became active on %s: meetings are due %s (%s).", day,
			   every, slack);
}

/* On track: when the next meeting is due. */
static void reason_on_track(const struct health_input *in, int64_t now, struct health_result *out)
{
	char last[48], next[48];
	clock_format_day_near(out->next_meeting_due, now, next, sizeof next);
	if (in->last_meeting_at > in->activated_at) {
		clock_format_day_near(in->last_meeting_at, now, last, sizeof last);
		add_reason(out, HEALTH_ON_TRACK, "Last met on %s; the next meeting is due by %s.", last, next);
	} else {
		clock_format_day_near(in->activated_at, now, last, sizeof last);
		add_reason(out, HEALTH_ON_TRACK, "Active since %s; the first meeting is due by %s.", last, next);
	}
}

int health_compute(const struct health_input *in, int64_t now, struct health_result *out)
{
	if (!out)
		return ERR_INVALID;
	memset(out, 0, sizeof *out);
	out->status = HEALTH_NOT_ACTIVE;
	int64_t grace = 0;
	if (!in || !input_ok(in, &grace))
		return ERR_INVALID;
	if (!in->active) {
		add_reason(out, HEALTH_NOT_ACTIVE, "Health is tracked only for active partnerships.");
	} else {
		int64_t cadence = (int64_t)in->cadence_weeks * HEALTH_WEEK;
		/* In order of precedence, so the first reason is the headline. */
		rule_at_risk(in, out);
		rule_silence(in, now, cadence, out);
		rule_hours(in, now, cadence, out);
		rule_overdue(in, now, cadence, grace, out);
		if (out->n_reasons == 0)
			reason_on_track(in, now, out);
	}
	out->status = out->reasons[0].status;
	memcpy(out->reason, out->reasons[0].text, sizeof out->reason);
	return 0;
}
