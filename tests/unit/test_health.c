// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_health.c — partnership health (src/app/partnerships/health.c), with
 * time moved by passing `now`: every status, every boundary (exactly one
 * cadence plus grace, a partnership just activated, two cadences of silence,
 * half the pro-rated hours, a risk of 15 against the highest score below
 * it), several reasons at once and their precedence, the terms, the weekly
 * digest, and the bad inputs.
 *
 * The partnership in most tests meets every 4 weeks with the default
 * week's grace; its two schools commit 60 and 30 hours a term (90 in all).
 * The spring 2025 term runs 1 January – 31 March: 90 days, so 90 hours a
 * term is one hour a day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "app/partnerships/health.h"
#include "core/clock.h"

#define DAY INT64_C(86400)
#define WEEK (7 * DAY)

/* 00:00 UTC on d/m/y (m from 1), plus h hours. */
static int64_t at(int y, int m, int d, int h)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h};
	return (int64_t)timegm(&tm);
}

static struct health_school schools[2];
static struct health_risk risks[3];

/*
 * An active partnership, activated on `activated`, that has met and been
 * busy up to then and has logged plenty of hours: on track until time moves.
 */
static struct health_input partnership(int64_t activated)
{
	schools[0] = (struct health_school){.hours_per_term = 60, .hours_logged = 60};
	schools[1] = (struct health_school){.hours_per_term = 30, .hours_logged = 30};
	memset(risks, 0, sizeof risks);
	return (struct health_input){
		.active = true,
		.cadence_weeks = 4,
		.activated_at = activated,
		.schools = schools,
		.n_schools = 2,
		.open_risks = risks,
		.n_open_risks = 0,
	};
}

static struct health_result compute(const struct health_input *in, int64_t now)
{
	struct health_result r;
	assert_int_equal(health_compute(in, now, &r), 0);
	return r;
}

static void assert_status(const struct health_result *r, enum health_status want)
{
	if (r->status != want) {
		print_message("expected %s, got %s\n", health_status_key(want), health_status_key(r->status));
		for (size_t i = 0; i < r->n_reasons; i++)
			print_message("  [%s] %s\n", health_status_key(r->reasons[i].status), r->reasons[i].text);
		fail();
	}
}

/* ---- not active, just activated ----------------------------------------- */

static void a_partnership_that_is_not_active_has_no_health(void **state)
{
	(void)state;
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.active = false;
	in.cadence_weeks = 0; /* a draft may not have a cadence yet */
	risks[0] = (struct health_risk){.risk = "Anything", .likelihood = 5, .impact = 5};
	in.n_open_risks = 1;
	struct health_result r = compute(&in, at(2025, 6, 1, 0));
	assert_status(&r, HEALTH_NOT_ACTIVE);
	assert_int_equal(r.n_reasons, 1);
	assert_string_equal(r.reason, "Health is tracked only for active partnerships.");
}

static void a_partnership_just_activated_is_on_track(void **state)
{
	(void)state;
	int64_t activated = at(2025, 1, 6, 10);
	struct health_input in = partnership(activated);
	schools[0].hours_logged = schools[1].hours_logged = 0;
	struct health_result r = compute(&in, activated);
	assert_status(&r, HEALTH_ON_TRACK);
	assert_string_equal(r.reason, "Active since 6 January; the first meeting is due by 3 February.");
	assert_int_equal(r.next_meeting_due, activated + 4 * WEEK);
	assert_int_equal(r.overdue_after, activated + 5 * WEEK);
}

static void a_new_partnership_is_not_overdue_at_exactly_one_cadence_plus_grace(void **state)
{
	(void)state;
	int64_t activated = at(2025, 1, 6, 0);
	struct health_input in = partnership(activated);
	in.last_activity_at = activated + 3 * WEEK; /* busy, but no meeting yet */
	struct health_result r = compute(&in, activated + 4 * WEEK + 7 * DAY);
	assert_status(&r, HEALTH_ON_TRACK);
}

static void a_new_partnership_without_a_meeting_is_overdue_a_second_later(void **state)
{
	(void)state;
	int64_t activated = at(2025, 1, 6, 0);
	struct health_input in = partnership(activated);
	in.last_activity_at = activated + 3 * WEEK;
	struct health_result r = compute(&in, activated + 4 * WEEK + 7 * DAY + 1);
	assert_status(&r, HEALTH_OVERDUE);
	assert_string_equal(r.reason, "No meeting since the partnership became active on 6 January: meetings are "
				      "due every 4 weeks (a week's grace).");
}

static void a_meeting_held_before_activation_does_not_start_the_clock_early(void **state)
{
	(void)state;
	int64_t activated = at(2025, 1, 6, 0);
	struct health_input in = partnership(activated);
	in.last_meeting_at = activated - 10 * WEEK; /* the meeting where they drafted the agreement */
	in.last_activity_at = activated;
	struct health_result r = compute(&in, activated + 5 * WEEK);
	assert_status(&r, HEALTH_ON_TRACK);
}

/* ---- overdue ------------------------------------------------------------ */

static void a_meeting_exactly_one_cadence_plus_grace_ago_is_on_track(void **state)
{
	(void)state;
	int64_t met = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.last_meeting_at = met;
	in.last_activity_at = met + 2 * WEEK;
	struct health_result r = compute(&in, met + 4 * WEEK + 7 * DAY);
	assert_status(&r, HEALTH_ON_TRACK);
	assert_string_equal(r.reason, "Last met on 3 March; the next meeting is due by 31 March.");
}

static void one_second_past_one_cadence_plus_grace_is_overdue(void **state)
{
	(void)state;
	int64_t met = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.last_meeting_at = met;
	in.last_activity_at = met + 2 * WEEK;
	struct health_result r = compute(&in, met + 4 * WEEK + 7 * DAY + 1);
	assert_status(&r, HEALTH_OVERDUE);
	assert_int_equal(r.n_reasons, 1);
	assert_string_equal(r.reason, "No meeting since 3 March: meetings are due every 4 weeks (a week's grace).");
}

static void no_grace_makes_a_meeting_overdue_right_after_the_cadence(void **state)
{
	(void)state;
	int64_t met = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.last_meeting_at = in.last_activity_at = met;
	in.grace_seconds = HEALTH_GRACE_NONE;
	struct health_result r = compute(&in, met + 4 * WEEK);
	assert_status(&r, HEALTH_ON_TRACK);
	r = compute(&in, met + 4 * WEEK + 1);
	assert_status(&r, HEALTH_OVERDUE);
	assert_string_equal(r.reason, "No meeting since 3 March: meetings are due every 4 weeks (no grace).");
}

static void a_grace_of_three_days_is_used_and_said(void **state)
{
	(void)state;
	int64_t met = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.last_meeting_at = in.last_activity_at = met;
	in.grace_seconds = 3 * DAY;
	struct health_result r = compute(&in, met + 4 * WEEK + 3 * DAY);
	assert_status(&r, HEALTH_ON_TRACK);
	r = compute(&in, met + 4 * WEEK + 3 * DAY + 1);
	assert_status(&r, HEALTH_OVERDUE);
	assert_string_equal(r.reason, "No meeting since 3 March: meetings are due every 4 weeks (3 days' grace).");
}

static void a_weekly_cadence_reads_every_week(void **state)
{
	(void)state;
	int64_t met = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.cadence_weeks = 1;
	in.last_meeting_at = met;
	in.last_activity_at = met + WEEK;
	struct health_result r = compute(&in, met + 2 * WEEK + 1);
	assert_status(&r, HEALTH_OVERDUE);
	assert_string_equal(r.reason, "No meeting since 3 March: meetings are due every week (a week's grace).");
}

static void a_date_in_another_year_says_the_year(void **state)
{
	(void)state;
	int64_t met = at(2024, 12, 2, 16);
	struct health_input in = partnership(at(2024, 11, 1, 0));
	in.last_meeting_at = met;
	in.last_activity_at = at(2025, 1, 2, 0);
	struct health_result r = compute(&in, at(2025, 1, 7, 0));
	assert_string_equal(r.reason,
			    "No meeting since 2 December 2024: meetings are due every 4 weeks (a week's grace).");
}

/* ---- fading ------------------------------------------------------------- */

static void exactly_two_cadences_of_silence_is_overdue_but_not_fading(void **state)
{
	(void)state;
	int64_t last = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.last_meeting_at = in.last_activity_at = last;
	struct health_result r = compute(&in, last + 8 * WEEK);
	assert_status(&r, HEALTH_OVERDUE);
	assert_int_equal(r.n_reasons, 1);
}

static void more_than_two_cadences_of_silence_is_fading(void **state)
{
	(void)state;
	int64_t last = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.last_meeting_at = in.last_activity_at = last;
	struct health_result r = compute(&in, last + 8 * WEEK + 1);
	assert_status(&r, HEALTH_FADING);
	assert_string_equal(r.reason,
			    "No activity since 3 March: nothing recorded for more than two meeting cycles (8 weeks).");
}

static void a_new_partnership_with_no_activity_fades_after_two_cadences(void **state)
{
	(void)state;
	int64_t activated = at(2025, 1, 6, 0);
	struct health_input in = partnership(activated);
	struct health_result r = compute(&in, activated + 8 * WEEK + 1);
	assert_status(&r, HEALTH_FADING);
	assert_string_equal(r.reason, "No activity since the partnership became active on 6 January: nothing "
				      "recorded for more than two meeting cycles (8 weeks).");
}

static void activity_between_meetings_keeps_it_from_fading(void **state)
{
	(void)state;
	int64_t met = at(2025, 3, 3, 16);
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.last_meeting_at = met;
	in.last_activity_at = met + 5 * WEEK; /* an action done, evidence added */
	struct health_result r = compute(&in, met + 8 * WEEK + 1);
	assert_status(&r, HEALTH_OVERDUE);
	assert_int_equal(r.n_reasons, 1);
}

/* Spring 2025, met on 28 January and busy on 30 January; now 31 January 00:00, 30 days into the term. */
static struct health_input thirty_days_into_spring(double logged)
{
	struct health_input in = partnership(at(2024, 12, 1, 0));
	in.last_meeting_at = at(2025, 1, 28, 16);
	in.last_activity_at = at(2025, 1, 30, 9);
	schools[0].hours_logged = logged;
	schools[1].hours_logged = 0;
	return in;
}

static void exactly_half_the_pro_rated_hours_is_on_track(void **state)
{
	(void)state;
	struct health_input in = thirty_days_into_spring(15);
	struct health_result r = compute(&in, at(2025, 1, 31, 0));
	assert_status(&r, HEALTH_ON_TRACK);
	assert_true(r.hours_due == 30);
	assert_true(r.hours_committed == 90);
	assert_true(r.hours_logged == 15);
	assert_int_equal(r.period_start, at(2025, 1, 1, 0));
	assert_int_equal(r.period_end, at(2025, 4, 1, 0));
}

static void less_than_half_the_pro_rated_hours_is_fading(void **state)
{
	(void)state;
	struct health_input in = thirty_days_into_spring(14.9);
	struct health_result r = compute(&in, at(2025, 1, 31, 0));
	assert_status(&r, HEALTH_FADING);
	assert_int_equal(r.n_reasons, 1);
	assert_string_equal(r.reason, "Only 14.9 of 90 committed hours logged this term (30 due by now).");
}

static void hours_from_every_school_count_together(void **state)
{
	(void)state;
	struct health_input in = thirty_days_into_spring(10);
	schools[1].hours_logged = 5;
	struct health_result r = compute(&in, at(2025, 1, 31, 0));
	assert_status(&r, HEALTH_ON_TRACK);
}

static void a_new_term_is_not_fading_in_its_first_cadence(void **state)
{
	(void)state;
	struct health_input in = thirty_days_into_spring(0);
	in.last_meeting_at = at(2025, 1, 20, 16);
	in.last_activity_at = at(2025, 1, 20, 16);
	/* 27 days in: 27 hours due and none logged, but a full cadence has not passed. */
	struct health_result r = compute(&in, at(2025, 1, 28, 0));
	assert_status(&r, HEALTH_ON_TRACK);
	assert_true(r.hours_due == 27);
	/* A day after the first cadence of the term, the hours count. */
	r = compute(&in, at(2025, 1, 30, 0));
	assert_status(&r, HEALTH_FADING);
}

static void hours_are_pro_rated_from_activation_within_the_term(void **state)
{
	(void)state;
	int64_t activated = at(2025, 1, 16, 0);
	struct health_input in = partnership(activated);
	in.last_meeting_at = at(2025, 2, 10, 16);
	in.last_activity_at = at(2025, 2, 12, 0);
	schools[0].hours_logged = 15;
	schools[1].hours_logged = 0;
	/* 30 days after activation: 30 of the term's 90 hours due; 15 logged is exactly half. */
	struct health_result r = compute(&in, activated + 30 * DAY);
	assert_status(&r, HEALTH_ON_TRACK);
	assert_int_equal(r.period_start, activated);
	assert_true(r.hours_due == 30);
	schools[0].hours_logged = 14;
	r = compute(&in, activated + 30 * DAY);
	assert_status(&r, HEALTH_FADING);
	assert_string_equal(r.reason, "Only 14 of 90 committed hours logged this term (30 due by now).");
}

static void no_committed_hours_never_fades_for_time(void **state)
{
	(void)state;
	struct health_input in = thirty_days_into_spring(0);
	schools[0].hours_per_term = schools[1].hours_per_term = 0;
	struct health_result r = compute(&in, at(2025, 3, 1, 0) - 1);
	assert_status(&r, HEALTH_ON_TRACK);
}

/* ---- at risk ------------------------------------------------------------ */

/* A partnership on track in every other way, at 10 February 2025. */
static struct health_input busy_with_risks(void)
{
	struct health_input in = thirty_days_into_spring(60);
	in.last_meeting_at = at(2025, 2, 3, 16);
	in.last_activity_at = at(2025, 2, 7, 9);
	in.n_open_risks = 1;
	return in;
}

static void an_open_risk_scoring_15_puts_it_at_risk(void **state)
{
	(void)state;
	struct health_input in = busy_with_risks();
	risks[0] = (struct health_risk){.risk = "Key staff leave", .likelihood = 5, .impact = 3};
	struct health_result r = compute(&in, at(2025, 2, 10, 0));
	assert_status(&r, HEALTH_AT_RISK);
	assert_string_equal(r.reason, "An open risk scores 15 (likelihood 5 \u00d7 impact 3): \u201cKey staff leave\u201d.");
}

static void an_open_risk_scoring_less_than_15_does_not(void **state)
{
	(void)state;
	/* 14 is not a product of two scores from 1 to 5; 12 is the highest score below 15. */
	struct health_input in = busy_with_risks();
	risks[0] = (struct health_risk){.risk = "Key staff leave", .likelihood = 3, .impact = 4};
	struct health_result r = compute(&in, at(2025, 2, 10, 0));
	assert_status(&r, HEALTH_ON_TRACK);
}

static void an_unnamed_risk_is_described_by_its_score(void **state)
{
	(void)state;
	struct health_input in = busy_with_risks();
	risks[0] = (struct health_risk){.likelihood = 4, .impact = 5};
	struct health_result r = compute(&in, at(2025, 2, 10, 0));
	assert_string_equal(r.reason, "An open risk scores 20 (likelihood 4 \u00d7 impact 5).");
}

static void the_highest_risk_is_named_and_the_others_counted(void **state)
{
	(void)state;
	struct health_input in = busy_with_risks();
	risks[0] = (struct health_risk){.risk = "Budget cut", .likelihood = 4, .impact = 4};
	risks[1] = (struct health_risk){.risk = "Key staff leave", .likelihood = 4, .impact = 5};
	risks[2] = (struct health_risk){.risk = "Ofsted", .likelihood = 2, .impact = 5};
	in.n_open_risks = 3;
	struct health_result r = compute(&in, at(2025, 2, 10, 0));
	assert_string_equal(r.reason, "An open risk scores 20 (likelihood 4 \u00d7 impact 5): \u201cKey staff "
				      "leave\u201d. 1 more open risk scores 15 or more.");
}

static void a_very_long_risk_is_shortened_at_a_character(void **state)
{
	(void)state;
	char name[400];
	for (int i = 0; i < 199; i++)
		memcpy(name + 2 * i, "\u00e9", 2);
	name[398] = '\0';
	struct health_input in = busy_with_risks();
	risks[0] = (struct health_risk){.risk = name, .likelihood = 5, .impact = 5};
	struct health_result r = compute(&in, at(2025, 2, 10, 0));
	assert_non_null(strstr(r.reason, "\u00e9\u2026\u201d."));
	assert_true(strlen(r.reason) < HEALTH_REASON_SIZE - 1);
}

/* ---- several reasons ---------------------------------------------------- */

static void several_reasons_are_listed_worst_first(void **state)
{
	(void)state;
	struct health_input in = thirty_days_into_spring(0);
	in.last_meeting_at = in.last_activity_at = at(2025, 1, 2, 16);
	risks[0] = (struct health_risk){.risk = "Key staff leave", .likelihood = 4, .impact = 5};
	in.n_open_risks = 1;
	struct health_result r = compute(&in, at(2025, 3, 10, 0));
	assert_status(&r, HEALTH_AT_RISK);
	assert_int_equal(r.n_reasons, 4);
	assert_int_equal(r.reasons[0].status, HEALTH_AT_RISK);
	assert_int_equal(r.reasons[1].status, HEALTH_FADING);
	assert_int_equal(r.reasons[2].status, HEALTH_FADING);
	assert_int_equal(r.reasons[3].status, HEALTH_OVERDUE);
	assert_string_equal(r.reason, r.reasons[0].text);
	assert_string_equal(r.reasons[1].text,
			    "No activity since 2 January: nothing recorded for more than two meeting cycles (8 weeks).");
	assert_string_equal(r.reasons[2].text, "Only 0 of 90 committed hours logged this term (68 due by now).");
	assert_string_equal(r.reasons[3].text,
			    "No meeting since 2 January: meetings are due every 4 weeks (a week's grace).");
}

static void fading_outranks_overdue(void **state)
{
	(void)state;
	struct health_input in = thirty_days_into_spring(60);
	in.last_meeting_at = in.last_activity_at = at(2025, 1, 2, 16);
	struct health_result r = compute(&in, at(2025, 3, 10, 0));
	assert_status(&r, HEALTH_FADING);
	assert_int_equal(r.n_reasons, 2);
	assert_int_equal(r.reasons[1].status, HEALTH_OVERDUE);
}

/* ---- the clock ---------------------------------------------------------- */

static void moving_the_clock_forward_turns_on_track_into_overdue(void **state)
{
	(void)state;
	int64_t real = clock_now();
	struct health_input in = partnership(real - DAY);
	in.last_meeting_at = in.last_activity_at = real - DAY;
	schools[0].hours_per_term = schools[1].hours_per_term = 0;
	struct health_result r = compute(&in, clock_now());
	assert_status(&r, HEALTH_ON_TRACK);
	clock_set_offset(5 * WEEK);
	r = compute(&in, clock_now());
	clock_set_offset(0);
	assert_status(&r, HEALTH_OVERDUE);
}

/* ---- terms and the digest ----------------------------------------------- */

static void the_terms_are_autumn_spring_and_summer(void **state)
{
	(void)state;
	int64_t s, e;
	health_term(at(2025, 9, 1, 0), &s, &e);
	assert_int_equal(s, at(2025, 9, 1, 0));
	assert_int_equal(e, at(2026, 1, 1, 0));
	health_term(at(2025, 12, 31, 23) + 3599, &s, &e);
	assert_int_equal(s, at(2025, 9, 1, 0));
	health_term(at(2026, 1, 1, 0), &s, &e);
	assert_int_equal(s, at(2026, 1, 1, 0));
	assert_int_equal(e, at(2026, 4, 1, 0));
	health_term(at(2026, 3, 31, 12), &s, &e);
	assert_int_equal(s, at(2026, 1, 1, 0));
	health_term(at(2026, 4, 1, 0), &s, &e);
	assert_int_equal(s, at(2026, 4, 1, 0));
	assert_int_equal(e, at(2026, 9, 1, 0));
	health_term(at(2026, 9, 1, 0) - 1, &s, &e);
	assert_int_equal(s, at(2026, 4, 1, 0));
}

static void the_digest_is_due_weekly(void **state)
{
	(void)state;
	int64_t sent = at(2025, 3, 3, 7);
	assert_true(health_digest_due(0, sent));
	assert_false(health_digest_due(sent, sent));
	assert_false(health_digest_due(sent, sent + WEEK - 1));
	assert_true(health_digest_due(sent, sent + WEEK));
	assert_true(health_digest_due(sent, sent + 3 * WEEK));
}

/* ---- bad input ---------------------------------------------------------- */

static void an_active_partnership_with_a_cadence_of_0_is_refused(void **state)
{
	(void)state;
	struct health_input in = partnership(at(2025, 1, 6, 0));
	in.cadence_weeks = 0;
	struct health_result r;
	assert_int_equal(health_compute(&in, at(2025, 2, 1, 0), &r), ERR_INVALID);
	assert_int_equal(r.status, HEALTH_NOT_ACTIVE);
	assert_int_equal(r.n_reasons, 0);
	in.cadence_weeks = 53;
	assert_int_equal(health_compute(&in, at(2025, 2, 1, 0), &r), ERR_INVALID);
}

static void an_active_partnership_without_an_activation_time_is_refused(void **state)
{
	(void)state;
	struct health_input in = partnership(0);
	struct health_result r;
	assert_int_equal(health_compute(&in, at(2025, 2, 1, 0), &r), ERR_INVALID);
}

static void negative_hours_are_refused(void **state)
{
	(void)state;
	struct health_input in = partnership(at(2025, 1, 6, 0));
	struct health_result r;
	schools[1].hours_per_term = -1;
	assert_int_equal(health_compute(&in, at(2025, 2, 1, 0), &r), ERR_INVALID);
	schools[1].hours_per_term = 30;
	schools[1].hours_logged = -0.5;
	assert_int_equal(health_compute(&in, at(2025, 2, 1, 0), &r), ERR_INVALID);
}

static void a_negative_grace_other_than_none_is_refused(void **state)
{
	(void)state;
	struct health_input in = partnership(at(2025, 1, 6, 0));
	struct health_result r;
	in.grace_seconds = -DAY;
	assert_int_equal(health_compute(&in, at(2025, 2, 1, 0), &r), ERR_INVALID);
}

static void missing_pointers_are_refused(void **state)
{
	(void)state;
	struct health_input in = partnership(at(2025, 1, 6, 0));
	struct health_result r;
	assert_int_equal(health_compute(NULL, 0, &r), ERR_INVALID);
	assert_int_equal(health_compute(&in, 0, NULL), ERR_INVALID);
	in.schools = NULL;
	assert_int_equal(health_compute(&in, at(2025, 2, 1, 0), &r), ERR_INVALID);
}

static void a_clock_before_activation_is_on_track(void **state)
{
	(void)state;
	int64_t activated = at(2025, 1, 6, 0);
	struct health_input in = partnership(activated);
	struct health_result r = compute(&in, activated - DAY);
	assert_status(&r, HEALTH_ON_TRACK);
}

static void every_status_has_a_key_and_a_label(void **state)
{
	(void)state;
	for (int s = 0; s < HEALTH__MAX; s++) {
		assert_non_null(health_status_key((enum health_status)s));
		assert_non_null(health_status_label((enum health_status)s));
	}
	assert_string_equal(health_status_key(HEALTH_AT_RISK), "at_risk");
	assert_null(health_status_key(HEALTH__MAX));
}

static void a_status_key_reads_back_and_anything_else_is_refused(void **state)
{
	(void)state;
	for (int s = 0; s < HEALTH__MAX; s++) {
		enum health_status got = HEALTH__MAX;
		assert_int_equal(health_status_parse(health_status_key((enum health_status)s), &got), 0);
		assert_int_equal(got, s);
	}
	enum health_status keep = HEALTH_FADING;
	assert_int_equal(health_status_parse("On track", &keep), ERR_INVALID);
	assert_int_equal(health_status_parse("", &keep), ERR_INVALID);
	assert_int_equal(health_status_parse(NULL, &keep), ERR_INVALID);
	assert_int_equal(keep, HEALTH_FADING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_partnership_that_is_not_active_has_no_health),
		cmocka_unit_test(a_partnership_just_activated_is_on_track),
		cmocka_unit_test(a_new_partnership_is_not_overdue_at_exactly_one_cadence_plus_grace),
		cmocka_unit_test(a_new_partnership_without_a_meeting_is_overdue_a_second_later),
		cmocka_unit_test(a_meeting_held_before_activation_does_not_start_the_clock_early),
		cmocka_unit_test(a_meeting_exactly_one_cadence_plus_grace_ago_is_on_track),
		cmocka_unit_test(one_second_past_one_cadence_plus_grace_is_overdue),
		cmocka_unit_test(no_grace_makes_a_meeting_overdue_right_after_the_cadence),
		cmocka_unit_test(a_grace_of_three_days_is_used_and_said),
		cmocka_unit_test(a_weekly_cadence_reads_every_week),
		cmocka_unit_test(a_date_in_another_year_says_the_year),
		cmocka_unit_test(exactly_two_cadences_of_silence_is_overdue_but_not_fading),
		cmocka_unit_test(more_than_two_cadences_of_silence_is_fading),
		cmocka_unit_test(a_new_partnership_with_no_activity_fades_after_two_cadences),
		cmocka_unit_test(activity_between_meetings_keeps_it_from_fading),
		cmocka_unit_test(exactly_half_the_pro_rated_hours_is_on_track),
		cmocka_unit_test(less_than_half_the_pro_rated_hours_is_fading),
		cmocka_unit_test(hours_from_every_school_count_together),
		cmocka_unit_test(a_new_term_is_not_fading_in_its_first_cadence),
		cmocka_unit_test(hours_are_pro_rated_from_activation_within_the_term),
		cmocka_unit_test(no_committed_hours_never_fades_for_time),
		cmocka_unit_test(an_open_risk_scoring_15_puts_it_at_risk),
		cmocka_unit_test(an_open_risk_scoring_less_than_15_does_not),
		cmocka_unit_test(an_unnamed_risk_is_described_by_its_score),
		cmocka_unit_test(the_highest_risk_is_named_and_the_others_counted),
		cmocka_unit_test(a_very_long_risk_is_shortened_at_a_character),
		cmocka_unit_test(several_reasons_are_listed_worst_first),
		cmocka_unit_test(fading_outranks_overdue),
		cmocka_unit_test(moving_the_clock_forward_turns_on_track_into_overdue),
		cmocka_unit_test(the_terms_are_autumn_spring_and_summer),
		cmocka_unit_test(the_digest_is_due_weekly),
		cmocka_unit_test(an_active_partnership_with_a_cadence_of_0_is_refused),
		cmocka_unit_test(an_active_partnership_without_an_activation_time_is_refused),
		cmocka_unit_test(negative_hours_are_refused),
		cmocka_unit_test(a_negative_grace_other_than_none_is_refused),
		cmocka_unit_test(missing_pointers_are_refused),
		cmocka_unit_test(a_clock_before_activation_is_on_track),
		cmocka_unit_test(every_status_has_a_key_and_a_label),
		cmocka_unit_test(a_status_key_reads_back_and_anything_else_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
