// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_agreement.c — the partnership agreement rules
 * (src/app/partnerships/agreement.c): every missing-piece sentence, the bad
 * values a form must refuse (likelihood 0 and 6, negative hours, a cadence
 * of 0, dates out of order...), signing, and the digest that tells a signed
 * agreement changed.
 *
 * Every test starts from the same complete agreement between Leeds City
 * Academy and Bradford Park Primary and changes one thing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/partnerships/agreement.h"
#include "core/arena.h"

#define LEEDS 107000
#define BRADFORD 107001
#define LEEDS_LEAD 11
#define BRADFORD_LEAD 12
#define KEEPER 13
#define DAY INT64_C(86400)
#define JAN_2025 INT64_C(1735689600) /* 2025-01-01T00:00:00Z */

struct fixture {
	struct agreement ag;
	struct agreement_school schools[3];
	struct agreement_measure measures[2];
	struct agreement_risk risks[2];
	const char *themes[3];
	struct arena *arena;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->arena = arena_new();
	f->themes[0] = "Reading";
	f->themes[1] = "Transition";
	f->schools[0] = (struct agreement_school){
		.urn = LEEDS, .name = "Leeds City Academy", .lead_person_id = LEEDS_LEAD, .has_hours = true,
		.hours_per_term = 20, .has_budget = true, .budget_pence = 150000,
		.in_objectives = AGREEMENT_ANSWER_YES};
	f->schools[1] = (struct agreement_school){
		.urn = BRADFORD, .name = "Bradford Park Primary", .lead_person_id = BRADFORD_LEAD,
		.has_hours = true, .hours_per_term = 15, .has_budget = true, .budget_pence = 0,
		.in_objectives = AGREEMENT_ANSWER_NO};
	f->measures[0] = (struct agreement_measure){
		.name = "Reading age", .unit = "months", .pupil_group = "Year 6 disadvantaged pupils",
		.has_baseline = true, .baseline = -8, .has_target = true, .target = -2,
		.method = "Standardised reading test", .when = "September and June",
		.baseline_on = JAN_2025, .target_by = JAN_2025 + 180 * DAY};
	f->risks[0] = (struct agreement_risk){
		.risk = "Key staff leave", .likelihood = 2, .impact = 4,
		.mitigation = "Two teachers in each school know the work", .owner = "Both heads",
		.status = AGREEMENT_RISK_OPEN};
	f->ag = (struct agreement){
		.type = AGREEMENT_TYPE_MUTUAL,
		.challenge = "Disadvantaged pupils fall behind in reading between Year 5 and Year 7.",
		.outcomes = "A shared reading programme; reading ages closer to chronological ages.",
		.themes = f->themes, .n_themes = 2,
		.licence = AGREEMENT_LICENCE_CC_BY,
		.schools = f->schools, .n_schools = 2,
		.starts_on = JAN_2025, .ends_on = JAN_2025 + 365 * DAY,
		.measures = f->measures, .n_measures = 1,
		.risks = f->risks, .n_risks = 1,
		.decision = AGREEMENT_DECISION_CONSENSUS,
		.has_cadence = true, .cadence_weeks = 4,
		.keeper_person_id = KEEPER};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->arena);
	free(f);
	return 0;
}

/* Both leads sign the current version. */
static void sign_all(struct fixture *f, char digest[AGREEMENT_DIGEST_SIZE])
{
	agreement_digest(&f->ag, digest);
	for (size_t i = 0; i < f->ag.n_schools; i++)
		f->schools[i].signed_digest = digest;
}

/* The missing report, printed when a test fails. */
static void missing(struct fixture *f, struct agreement_missing *m)
{
	agreement_missing(f->arena, &f->ag, m);
}

static void print_missing(const struct agreement_missing *m)
{
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++)
		for (size_t i = 0; i < m->sections[s].n; i++)
			print_message("  [%s] %s\n", agreement_section_key((enum agreement_section)s),
				      m->sections[s].sentences[i]);
	for (size_t i = 0; i < m->n_signatures; i++)
		print_message("  [signatures] %s\n", m->signatures[i]);
}

/* The agreement lacks exactly this one sentence, in this section, and is incomplete. */
static void assert_only_missing(struct fixture *f, enum agreement_section section, const char *sentence)
{
	struct agreement_missing m;
	missing(f, &m);
	size_t total = 0;
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++)
		total += m.sections[s].n;
	if (total != 1 || m.sections[section].n != 1 || strcmp(m.sections[section].sentences[0], sentence) != 0) {
		print_message("expected only: %s\n", sentence);
		print_missing(&m);
		fail();
	}
	assert_false(m.sections[section].complete);
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++)
		if (s != (int)section)
			assert_true(m.sections[s].complete);
	assert_false(m.complete);
	assert_false(agreement_is_complete(&f->ag));
}

/* A problem list in the fixture's arena. */
static struct agreement_problems problems(struct fixture *f)
{
	struct agreement_problems p;
	agreement_problems_init(&p, f->arena);
	return p;
}

/* p holds exactly one problem, on field, with this message. */
static void assert_one_problem(const struct agreement_problems *p, const char *field, const char *message)
{
	if (p->n != 1 || strcmp(p->items[0].field, field) != 0 || strcmp(p->items[0].message, message) != 0) {
		print_message("expected %s: %s\n", field, message);
		for (size_t i = 0; i < p->n; i++)
			print_message("  got %s: %s\n", p->items[i].field, p->items[i].message);
		fail();
	}
}

/* ---- complete ----------------------------------------------------------- */

static void a_complete_agreement_has_nothing_missing(void **state)
{
	struct fixture *f = *state;
	struct agreement_missing m;
	missing(f, &m);
	if (!m.complete)
		print_missing(&m);
	assert_true(m.complete);
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++) {
		assert_true(m.sections[s].complete);
		assert_int_equal(m.sections[s].n, 0);
	}
	assert_true(agreement_is_complete(&f->ag));
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), 0);
	assert_int_equal(p.n, 0);
}

static void an_empty_agreement_is_incomplete_in_every_section(void **state)
{
	struct fixture *f = *state;
	struct agreement empty = {0};
	struct agreement_missing m;
	agreement_missing(f->arena, &empty, &m);
	assert_false(m.complete);
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++) {
		assert_false(m.sections[s].complete);
		assert_true(m.sections[s].n > 0);
	}
	assert_false(m.signed_by_all);
}

static void every_sentence_begins_with_its_section_title(void **state)
{
	struct fixture *f = *state;
	struct agreement empty = {0};
	struct agreement_missing m;
	agreement_missing(f->arena, &empty, &m);
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++) {
		char prefix[64];
		snprintf(prefix, sizeof prefix, "%s: ", agreement_section_title((enum agreement_section)s));
		for (size_t i = 0; i < m.sections[s].n; i++)
			assert_memory_equal(m.sections[s].sentences[i], prefix, strlen(prefix));
	}
}

/* ---- purpose ------------------------------------------------------------ */

static void purpose_without_a_type_asks_for_one(void **state)
{
	struct fixture *f = *state;
	f->ag.type = AGREEMENT_TYPE_UNSET;
	assert_only_missing(f, AGREEMENT_SECTION_PURPOSE,
			    "Purpose: choose the type of partnership (one-way support, two-way mutual learning or "
			    "co-creation).");
}

static void purpose_without_a_challenge_asks_for_it(void **state)
{
	struct fixture *f = *state;
	f->ag.challenge = "   \n";
	assert_only_missing(f, AGREEMENT_SECTION_PURPOSE,
			    "Purpose: describe the shared challenge the partnership will work on.");
}

static void purpose_without_outcomes_asks_for_them(void **state)
{
	struct fixture *f = *state;
	f->ag.outcomes = NULL;
	assert_only_missing(f, AGREEMENT_SECTION_PURPOSE,
			    "Purpose: say what tangible outcomes the partnership intends.");
}

static void purpose_with_only_blank_themes_asks_for_a_theme(void **state)
{
	struct fixture *f = *state;
	f->themes[0] = "";
	f->themes[1] = " ";
	assert_only_missing(f, AGREEMENT_SECTION_PURPOSE, "Purpose: choose at least one theme.");
}

static void purpose_without_a_licence_asks_who_owns_the_work(void **state)
{
	struct fixture *f = *state;
	f->ag.licence = AGREEMENT_LICENCE_UNSET;
	assert_only_missing(f, AGREEMENT_SECTION_PURPOSE,
			    "Purpose: say who owns the work produced and how it may be used (CC BY 4.0, CC BY-NC-SA "
			    "4.0 or partners only).");
}

static void purpose_with_one_school_asks_for_partners(void **state)
{
	struct fixture *f = *state;
	f->ag.n_schools = 1;
	assert_only_missing(f, AGREEMENT_SECTION_PURPOSE,
			    "Purpose: add the partner schools (a partnership needs at least two).");
}

/* ---- time and resource -------------------------------------------------- */

static void a_school_without_hours_is_named_in_time_and_resource(void **state)
{
	struct fixture *f = *state;
	f->schools[0].has_hours = false;
	assert_only_missing(f, AGREEMENT_SECTION_TIME,
			    "Time and resource: Leeds City Academy has not said how many hours it commits per term.");
}

static void a_school_without_a_budget_is_named_in_time_and_resource(void **state)
{
	struct fixture *f = *state;
	f->schools[1].has_budget = false;
	assert_only_missing(f, AGREEMENT_SECTION_TIME,
			    "Time and resource: Bradford Park Primary has not said what budget it commits (enter 0 "
			    "if none).");
}

static void a_school_that_has_not_answered_about_objectives_is_named(void **state)
{
	struct fixture *f = *state;
	f->schools[0].in_objectives = AGREEMENT_ANSWER_UNSET;
	assert_only_missing(f, AGREEMENT_SECTION_TIME,
			    "Time and resource: Leeds City Academy has not said whether the work is written into "
			    "staff performance objectives.");
}

static void a_school_without_a_name_is_named_by_its_urn(void **state)
{
	struct fixture *f = *state;
	f->schools[0].name = NULL;
	f->schools[0].has_hours = false;
	assert_only_missing(f, AGREEMENT_SECTION_TIME,
			    "Time and resource: School URN 107000 has not said how many hours it commits per term.");
}

static void zero_hours_and_zero_budget_are_a_commitment(void **state)
{
	struct fixture *f = *state;
	f->schools[1].hours_per_term = 0;
	f->schools[1].budget_pence = 0;
	assert_true(agreement_is_complete(&f->ag));
}

/* ---- evidence ----------------------------------------------------------- */

static void evidence_without_measures_asks_for_one_with_a_baseline_and_target(void **state)
{
	struct fixture *f = *state;
	f->ag.n_measures = 0;
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE,
			    "Evidence: add at least one impact measure with a baseline and a target.");
}

static void a_measure_without_a_baseline_asks_for_it(void **state)
{
	struct fixture *f = *state;
	f->measures[0].has_baseline = false;
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE,
			    "Evidence: give the measure \u201cReading age\u201d a baseline.");
}

static void a_measure_without_a_target_asks_for_it(void **state)
{
	struct fixture *f = *state;
	f->measures[0].has_target = false;
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE, "Evidence: give the measure \u201cReading age\u201d a target.");
}

static void a_measure_without_a_unit_asks_for_it(void **state)
{
	struct fixture *f = *state;
	f->measures[0].unit = "";
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE,
			    "Evidence: say what unit the measure \u201cReading age\u201d is counted in (for example %, "
			    "months or pupils).");
}

static void a_measure_without_a_pupil_group_asks_for_it(void **state)
{
	struct fixture *f = *state;
	f->measures[0].pupil_group = NULL;
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE,
			    "Evidence: say which group of pupils the measure \u201cReading age\u201d is about.");
}

static void a_measure_without_a_method_asks_how_it_is_measured(void **state)
{
	struct fixture *f = *state;
	f->measures[0].method = NULL;
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE,
			    "Evidence: say how the measure \u201cReading age\u201d will be measured.");
}

static void a_measure_without_a_when_asks_when_it_is_measured(void **state)
{
	struct fixture *f = *state;
	f->measures[0].when = NULL;
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE,
			    "Evidence: say when the measure \u201cReading age\u201d will be measured.");
}

static void a_measure_without_a_name_is_refused_and_numbered(void **state)
{
	struct fixture *f = *state;
	f->measures[0].name = " ";
	assert_only_missing(f, AGREEMENT_SECTION_EVIDENCE, "Evidence: give impact measure 1 a name.");
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_measure(&p, 0, &f->measures[0]), ERR_INVALID);
	assert_one_problem(&p, "measures[0].name", "Give impact measure 1 a name.");
}

/* ---- risks and governance ----------------------------------------------- */

static void an_empty_risk_register_asks_for_a_risk(void **state)
{
	struct fixture *f = *state;
	f->ag.n_risks = 0;
	assert_only_missing(f, AGREEMENT_SECTION_RISKS, "Risks and governance: add at least one risk to the register.");
}

static void a_risk_without_a_mitigation_asks_for_one(void **state)
{
	struct fixture *f = *state;
	f->risks[0].mitigation = NULL;
	assert_only_missing(f, AGREEMENT_SECTION_RISKS,
			    "Risks and governance: say how the partners will reduce the risk \u201cKey staff "
			    "leave\u201d (the mitigation).");
}

static void a_risk_without_an_owner_asks_for_one(void **state)
{
	struct fixture *f = *state;
	f->risks[0].owner = "";
	assert_only_missing(f, AGREEMENT_SECTION_RISKS,
			    "Risks and governance: name who owns the risk \u201cKey staff leave\u201d.");
}

static void a_closed_risk_still_counts_as_a_register_entry(void **state)
{
	struct fixture *f = *state;
	f->risks[0].status = AGREEMENT_RISK_CLOSED;
	assert_true(agreement_is_complete(&f->ag));
}

/* ---- leadership --------------------------------------------------------- */

static void a_school_without_a_lead_is_named_in_leadership(void **state)
{
	struct fixture *f = *state;
	f->schools[1].lead_person_id = 0;
	assert_only_missing(f, AGREEMENT_SECTION_LEADERSHIP,
			    "Leadership: Bradford Park Primary has not named its lead for the partnership.");
}

static void leadership_without_a_cadence_asks_how_often_to_meet(void **state)
{
	struct fixture *f = *state;
	f->ag.has_cadence = false;
	assert_only_missing(f, AGREEMENT_SECTION_LEADERSHIP,
			    "Leadership: say how often the partners meet (every 1 to 52 weeks).");
}

static void leadership_without_a_keeper_asks_for_one(void **state)
{
	struct fixture *f = *state;
	f->ag.keeper_person_id = 0;
	assert_only_missing(f, AGREEMENT_SECTION_LEADERSHIP,
			    "Leadership: name the person responsible for keeping the partnership going.");
}

static void the_lead_school_rule_asks_which_school_decides(void **state)
{
	struct fixture *f = *state;
	f->ag.decision = AGREEMENT_DECISION_LEAD_SCHOOL;
	assert_only_missing(f, AGREEMENT_SECTION_LEADERSHIP,
			    "Leadership: say which school decides (the rule is that the lead school decides).");
	f->ag.lead_school_urn = BRADFORD;
	assert_true(agreement_is_complete(&f->ag));
}

static void consensus_is_the_default_decision_rule(void **state)
{
	struct agreement a = {0};
	(void)state;
	assert_int_equal(a.decision, AGREEMENT_DECISION_CONSENSUS);
	assert_string_equal(agreement_decision_key(a.decision), "consensus");
}

/* ---- bad values --------------------------------------------------------- */

static void a_likelihood_of_0_is_refused(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_likelihood(&p, "likelihood", 0), ERR_INVALID);
	assert_one_problem(&p, "likelihood",
			   "The likelihood must be a whole number from 1 (rare) to 5 (almost certain), not 0.");
}

static void a_likelihood_of_6_is_refused(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_likelihood(&p, "likelihood", 6), ERR_INVALID);
	assert_one_problem(&p, "likelihood",
			   "The likelihood must be a whole number from 1 (rare) to 5 (almost certain), not 6.");
}

static void likelihoods_and_impacts_from_1_to_5_are_accepted(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	for (int v = 1; v <= 5; v++) {
		assert_int_equal(agreement_validate_likelihood(&p, "l", v), 0);
		assert_int_equal(agreement_validate_impact(&p, "i", v), 0);
	}
	assert_int_equal(p.n, 0);
}

static void an_impact_of_0_or_6_is_refused(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_impact(&p, "impact", 0), ERR_INVALID);
	assert_int_equal(agreement_validate_impact(&p, "impact", 6), ERR_INVALID);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[1].message,
			    "The impact must be a whole number from 1 (minimal) to 5 (severe), not 6.");
}

static void a_risk_in_the_register_with_likelihood_6_names_the_risk(void **state)
{
	struct fixture *f = *state;
	f->risks[0].likelihood = 6;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_one_problem(&p, "risks[0].likelihood",
			   "The likelihood of the risk \u201cKey staff leave\u201d must be a whole number from 1 (rare) "
			   "to 5 (almost certain), not 6.");
	assert_only_missing(f, AGREEMENT_SECTION_RISKS,
			    "Risks and governance: the likelihood of the risk \u201cKey staff leave\u201d must be a "
			    "whole number from 1 (rare) to 5 (almost certain), not 6.");
}

static void negative_hours_are_refused(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_hours(&p, "hours", -5), ERR_INVALID);
	assert_one_problem(&p, "hours",
			   "Hours per term cannot be negative; enter a whole number of hours from 0 to 2,000.");
}

static void negative_hours_in_the_agreement_name_the_school(void **state)
{
	struct fixture *f = *state;
	f->schools[0].hours_per_term = -1;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_one_problem(&p, "schools[0].hours_per_term",
			   "Hours per term for Leeds City Academy cannot be negative; enter a whole number of hours "
			   "from 0 to 2,000.");
	assert_false(agreement_is_complete(&f->ag));
}

static void hours_from_0_to_2000_are_accepted_and_2001_is_not(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_hours(&p, "hours", 0), 0);
	assert_int_equal(agreement_validate_hours(&p, "hours", 2000), 0);
	assert_int_equal(agreement_validate_hours(&p, "hours", 2001), ERR_INVALID);
	assert_one_problem(&p, "hours",
			   "Hours per term cannot be more than 2,000 hours in a term, not 2001; enter a whole number "
			   "from 0 to 2,000.");
}

static void a_negative_budget_is_refused(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_budget(&p, "budget", -1), ERR_INVALID);
	assert_int_equal(agreement_validate_budget(&p, "budget", 0), 0);
	assert_int_equal(agreement_validate_budget(&p, "budget", AGREEMENT_MAX_BUDGET_PENCE + 1), ERR_INVALID);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[0].message,
			    "The budget cannot be negative; enter an amount in pounds, or 0 if there is none.");
	assert_string_equal(p.items[1].message, "The budget cannot be more than \u00a310,000,000; check the amount.");
}

static void a_cadence_of_0_is_refused(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_cadence(&p, "cadence_weeks", 0), ERR_INVALID);
	assert_one_problem(&p, "cadence_weeks", "The meeting cadence must be every 1 to 52 weeks, not 0.");
}

static void a_cadence_of_0_in_the_agreement_keeps_leadership_incomplete(void **state)
{
	struct fixture *f = *state;
	f->ag.cadence_weeks = 0;
	assert_only_missing(f, AGREEMENT_SECTION_LEADERSHIP,
			    "Leadership: the meeting cadence must be every 1 to 52 weeks, not 0.");
}

static void cadences_of_1_and_52_weeks_are_accepted_and_53_is_not(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_cadence(&p, "c", 1), 0);
	assert_int_equal(agreement_validate_cadence(&p, "c", 52), 0);
	assert_int_equal(agreement_validate_cadence(&p, "c", 53), ERR_INVALID);
	assert_int_equal(agreement_validate_cadence(&p, "c", -4), ERR_INVALID);
	assert_int_equal(p.n, 2);
}

static void a_target_date_before_the_baseline_date_is_refused(void **state)
{
	struct fixture *f = *state;
	f->measures[0].baseline_on = JAN_2025 + 120 * DAY; /* 1 May 2025 */
	f->measures[0].target_by = JAN_2025 + 59 * DAY;    /* 1 March 2025 */
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_measure(&p, 0, &f->measures[0]), ERR_INVALID);
	assert_one_problem(&p, "measures[0].target_by",
			   "The target date of the measure \u201cReading age\u201d (1 March 2025) must be after its "
			   "baseline date (1 May 2025).");
}

static void a_target_date_on_the_baseline_day_is_refused(void **state)
{
	struct fixture *f = *state;
	f->measures[0].baseline_on = JAN_2025 + 3600;
	f->measures[0].target_by = JAN_2025 + 20 * 3600;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_measure(&p, 0, &f->measures[0]), ERR_INVALID);
}

static void measure_dates_are_checked_only_when_both_are_given(void **state)
{
	struct fixture *f = *state;
	f->measures[0].baseline_on = 0;
	f->measures[0].target_by = JAN_2025;
	assert_true(agreement_is_complete(&f->ag));
}

static void an_end_date_before_the_start_date_is_refused(void **state)
{
	struct fixture *f = *state;
	f->ag.starts_on = JAN_2025 + 31 * DAY;
	f->ag.ends_on = JAN_2025;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_one_problem(&p, "ends_on",
			   "The end date (1 January 2025) must be after the start date (1 February 2025).");
	assert_only_missing(f, AGREEMENT_SECTION_TIME,
			    "Time and resource: the end date (1 January 2025) must be after the start date "
			    "(1 February 2025).");
}

static void text_longer_than_its_limit_is_refused_with_both_lengths(void **state)
{
	struct fixture *f = *state;
	char *s = arena_alloc(f->arena, 2002);
	memset(s, 'a', 2001);
	s[2001] = '\0';
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_text(&p, "challenge", "The shared challenge", s, AGREEMENT_MAX_CHALLENGE),
			 ERR_INVALID);
	assert_one_problem(&p, "challenge",
			   "The shared challenge is 2,001 characters long; shorten it to 2,000 or fewer.");
}

static void text_length_counts_characters_not_bytes(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	/* 100 two-byte characters: 200 bytes, within a 100-character limit. */
	char s[201];
	for (int i = 0; i < 100; i++)
		memcpy(s + 2 * i, "\u00e9", 2);
	s[200] = '\0';
	assert_int_equal(agreement_validate_text(&p, "t", "The theme", s, AGREEMENT_MAX_THEME), 0);
}

static void text_that_is_not_utf8_is_refused(void **state)
{
	struct fixture *f = *state;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate_text(&p, "owner", "The owner", "Caf\xe9", 200), ERR_INVALID);
	assert_one_problem(&p, "owner",
			   "The owner contains characters that are not text; type it again or paste it as plain "
			   "text.");
}

static void a_school_listed_twice_is_refused(void **state)
{
	struct fixture *f = *state;
	f->schools[2] = f->schools[0];
	f->ag.n_schools = 3;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_one_problem(&p, "schools[2].urn", "Leeds City Academy is listed twice as a partner school.");
}

static void a_deciding_school_that_is_not_a_partner_is_refused(void **state)
{
	struct fixture *f = *state;
	f->ag.decision = AGREEMENT_DECISION_LEAD_SCHOOL;
	f->ag.lead_school_urn = 999999;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_one_problem(&p, "lead_school_urn", "The school that decides must be one of the partner schools.");
}

static void a_theme_listed_twice_is_refused(void **state)
{
	struct fixture *f = *state;
	f->themes[2] = "Reading";
	f->ag.n_themes = 3;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_one_problem(&p, "themes[2]", "The theme \u201cReading\u201d is listed twice.");
}

static void an_enum_out_of_range_is_refused(void **state)
{
	struct fixture *f = *state;
	f->ag.type = AGREEMENT_TYPE__MAX;
	f->ag.licence = (enum agreement_licence)-1;
	f->risks[0].status = AGREEMENT_RISK__MAX;
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_int_equal(p.n, 3);
}

static void values_not_given_yet_are_not_problems(void **state)
{
	struct fixture *f = *state;
	struct agreement empty = {0};
	struct agreement_problems p = problems(f);
	assert_int_equal(agreement_validate(&p, &empty), 0);
	assert_int_equal(p.n, 0);
}

static void a_problem_list_without_an_arena_only_counts(void **state)
{
	struct fixture *f = *state;
	f->risks[0].likelihood = 0;
	f->schools[0].hours_per_term = -3;
	struct agreement_problems p;
	agreement_problems_init(&p, NULL);
	assert_int_equal(agreement_validate(&p, &f->ag), ERR_INVALID);
	assert_int_equal(p.n, 2);
	assert_null(p.items);
}

/* ---- risk score --------------------------------------------------------- */

static void a_risk_scores_likelihood_times_impact(void **state)
{
	(void)state;
	assert_int_equal(agreement_risk_score(4, 5), 20);
	assert_int_equal(agreement_risk_score(1, 1), 1);
	assert_int_equal(agreement_risk_score(5, 3), 15);
	assert_int_equal(agreement_risk_score(0, 5), 0);
	assert_int_equal(agreement_risk_score(3, 6), 0);
}

/* ---- signing ------------------------------------------------------------ */

static void signing_an_incomplete_agreement_is_refused(void **state)
{
	struct fixture *f = *state;
	f->ag.n_risks = 0;
	assert_int_equal(agreement_can_sign(&f->ag, LEEDS_LEAD), ERR_INVALID);
}

static void only_a_partner_schools_lead_may_sign(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(agreement_can_sign(&f->ag, KEEPER), ERR_FORBIDDEN);
	assert_int_equal(agreement_can_sign(&f->ag, 0), ERR_FORBIDDEN);
	assert_int_equal(agreement_can_sign(&f->ag, LEEDS_LEAD), 0);
	assert_int_equal(agreement_can_sign(&f->ag, BRADFORD_LEAD), 0);
}

static void a_lead_cannot_sign_the_same_version_twice(void **state)
{
	struct fixture *f = *state;
	char digest[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, digest);
	f->schools[0].signed_digest = digest;
	assert_int_equal(agreement_can_sign(&f->ag, LEEDS_LEAD), ERR_CONFLICT);
	assert_int_equal(agreement_can_sign(&f->ag, BRADFORD_LEAD), 0);
}

static void the_signatures_list_names_each_school_yet_to_sign(void **state)
{
	struct fixture *f = *state;
	char digest[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, digest);
	f->schools[1].signed_digest = digest;
	struct agreement_missing m;
	missing(f, &m);
	assert_true(m.complete);
	assert_false(m.signed_by_all);
	assert_int_equal(m.n_signatures, 1);
	assert_string_equal(m.signatures[0], "Signatures: Leeds City Academy has not signed yet.");
	assert_false(agreement_signed_by_all(&f->ag));
}

static void an_agreement_signed_by_every_lead_may_become_active(void **state)
{
	struct fixture *f = *state;
	char digest[AGREEMENT_DIGEST_SIZE];
	sign_all(f, digest);
	assert_true(agreement_signed_by_all(&f->ag));
	struct agreement_missing m;
	missing(f, &m);
	assert_true(m.signed_by_all);
	assert_int_equal(m.n_signatures, 0);
	assert_string_equal(m.digest, digest);
}

static void changing_a_signed_agreement_asks_every_lead_to_sign_again(void **state)
{
	struct fixture *f = *state;
	char digest[AGREEMENT_DIGEST_SIZE];
	sign_all(f, digest);
	f->ag.cadence_weeks = 6;
	assert_false(agreement_signed_by_all(&f->ag));
	assert_int_equal(agreement_can_sign(&f->ag, LEEDS_LEAD), 0);
	assert_int_equal(agreement_can_sign(&f->ag, BRADFORD_LEAD), 0);
	struct agreement_missing m;
	missing(f, &m);
	assert_int_equal(m.n_signatures, 2);
	assert_string_equal(m.signatures[0],
			    "Signatures: Leeds City Academy signed an earlier version and needs to sign this one.");
	assert_string_equal(m.signatures[1],
			    "Signatures: Bradford Park Primary signed an earlier version and needs to sign this one.");
}

static void an_agreement_that_lost_a_section_is_not_signed_by_all(void **state)
{
	struct fixture *f = *state;
	char digest[AGREEMENT_DIGEST_SIZE];
	sign_all(f, digest);
	/* Even if the digest somehow matched, an incomplete agreement cannot be active. */
	f->ag.keeper_person_id = 0;
	char now[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, now);
	f->schools[0].signed_digest = f->schools[1].signed_digest = now;
	assert_false(agreement_signed_by_all(&f->ag));
}

/* ---- digest ------------------------------------------------------------- */

static void the_digest_is_64_lower_case_hex_digits(void **state)
{
	struct fixture *f = *state;
	char d[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, d);
	assert_int_equal(strlen(d), 64);
	for (int i = 0; i < 64; i++)
		assert_true((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f'));
}

static void the_digest_is_the_same_for_the_same_content(void **state)
{
	struct fixture *f = *state;
	char a[AGREEMENT_DIGEST_SIZE], b[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, a);
	/* The same content in other memory. */
	char challenge[200];
	snprintf(challenge, sizeof challenge, "%s", f->ag.challenge);
	f->ag.challenge = challenge;
	agreement_digest(&f->ag, b);
	assert_string_equal(a, b);
}

/* One change to the content per entry: each must change the digest. */
static void change_type(struct fixture *f) { f->ag.type = AGREEMENT_TYPE_CO_CREATION; }
static void change_challenge(struct fixture *f) { f->ag.challenge = "Something else"; }
static void change_outcomes(struct fixture *f) { f->ag.outcomes = "Other outcomes"; }
static void change_theme(struct fixture *f) { f->themes[1] = "Maths"; }
static void add_theme(struct fixture *f) { f->themes[2] = "Maths"; f->ag.n_themes = 3; }
static void change_licence(struct fixture *f) { f->ag.licence = AGREEMENT_LICENCE_PARTNERS_ONLY; }
static void change_urn(struct fixture *f) { f->schools[1].urn = 107002; }
static void change_lead(struct fixture *f) { f->schools[0].lead_person_id = 99; }
static void change_hours(struct fixture *f) { f->schools[0].hours_per_term = 21; }
static void unset_hours(struct fixture *f) { f->schools[1].has_hours = false; }
static void change_budget(struct fixture *f) { f->schools[0].budget_pence = 150001; }
static void unset_zero_budget(struct fixture *f) { f->schools[1].has_budget = false; }
static void change_objectives(struct fixture *f) { f->schools[1].in_objectives = AGREEMENT_ANSWER_YES; }
static void add_school(struct fixture *f)
{
	f->schools[2] = (struct agreement_school){.urn = 107003, .name = "Wakefield High"};
	f->ag.n_schools = 3;
}
static void change_starts_on(struct fixture *f) { f->ag.starts_on += DAY; }
static void change_ends_on(struct fixture *f) { f->ag.ends_on = 0; }
static void change_measure_name(struct fixture *f) { f->measures[0].name = "Reading score"; }
static void change_measure_unit(struct fixture *f) { f->measures[0].unit = "points"; }
static void change_measure_group(struct fixture *f) { f->measures[0].pupil_group = "Year 5"; }
static void change_baseline(struct fixture *f) { f->measures[0].baseline = -7.5; }
static void unset_baseline(struct fixture *f) { f->measures[0].has_baseline = false; }
static void change_target(struct fixture *f) { f->measures[0].target = 0; }
static void change_method(struct fixture *f) { f->measures[0].method = "Teacher assessment"; }
static void change_when(struct fixture *f) { f->measures[0].when = "Each half term"; }
static void change_baseline_on(struct fixture *f) { f->measures[0].baseline_on -= DAY; }
static void change_target_by(struct fixture *f) { f->measures[0].target_by += DAY; }
static void add_measure(struct fixture *f)
{
	f->measures[1] = f->measures[0];
	f->measures[1].name = "Attendance";
	f->ag.n_measures = 2;
}
static void change_risk(struct fixture *f) { f->risks[0].risk = "Key staff leave suddenly"; }
static void change_likelihood(struct fixture *f) { f->risks[0].likelihood = 3; }
static void change_impact(struct fixture *f) { f->risks[0].impact = 5; }
static void change_mitigation(struct fixture *f) { f->risks[0].mitigation = "Hand-over notes"; }
static void change_owner(struct fixture *f) { f->risks[0].owner = "The keeper"; }
static void change_status(struct fixture *f) { f->risks[0].status = AGREEMENT_RISK_CLOSED; }
static void add_risk(struct fixture *f)
{
	f->risks[1] = f->risks[0];
	f->risks[1].risk = "Budget cut";
	f->ag.n_risks = 2;
}
static void change_decision(struct fixture *f) { f->ag.decision = AGREEMENT_DECISION_MAJORITY; }
static void change_deciding_school(struct fixture *f)
{
	f->ag.decision = AGREEMENT_DECISION_LEAD_SCHOOL;
	f->ag.lead_school_urn = LEEDS;
}
static void change_cadence(struct fixture *f) { f->ag.cadence_weeks = 2; }
static void unset_cadence(struct fixture *f) { f->ag.has_cadence = false; }
static void change_keeper(struct fixture *f) { f->ag.keeper_person_id = 14; }

static void the_digest_changes_when_any_field_changes(void **state)
{
	static const struct {
		const char *name;
		void (*change)(struct fixture *);
	} changes[] = {
		{"type", change_type}, {"challenge", change_challenge}, {"outcomes", change_outcomes},
		{"theme", change_theme}, {"added theme", add_theme}, {"licence", change_licence},
		{"urn", change_urn}, {"lead", change_lead}, {"hours", change_hours}, {"hours unset", unset_hours},
		{"budget", change_budget}, {"zero budget unset", unset_zero_budget},
		{"objectives", change_objectives}, {"added school", add_school}, {"starts_on", change_starts_on},
		{"ends_on", change_ends_on}, {"measure name", change_measure_name},
		{"measure unit", change_measure_unit}, {"pupil group", change_measure_group},
		{"baseline", change_baseline}, {"baseline unset", unset_baseline}, {"target", change_target},
		{"method", change_method}, {"when", change_when}, {"baseline_on", change_baseline_on},
		{"target_by", change_target_by}, {"added measure", add_measure}, {"risk", change_risk},
		{"likelihood", change_likelihood}, {"impact", change_impact}, {"mitigation", change_mitigation},
		{"owner", change_owner}, {"status", change_status}, {"added risk", add_risk},
		{"decision", change_decision}, {"deciding school", change_deciding_school},
		{"cadence", change_cadence}, {"cadence unset", unset_cadence}, {"keeper", change_keeper},
	};
	char before[AGREEMENT_DIGEST_SIZE], after[AGREEMENT_DIGEST_SIZE];
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		/* A fresh agreement for each change. */
		assert_int_equal(teardown(state), 0);
		assert_int_equal(setup(state), 0);
		struct fixture *f = *state;
		agreement_digest(&f->ag, before);
		changes[i].change(f);
		agreement_digest(&f->ag, after);
		if (strcmp(before, after) == 0) {
			print_message("changing %s did not change the digest\n", changes[i].name);
			fail();
		}
	}
}

static void the_sixty_fifth_measure_and_risk_and_beyond_are_in_the_digest(void **state)
{
	struct fixture *f = *state;
	enum { MANY = 100 };
	struct agreement_measure *ms = arena_calloc(f->arena, MANY, sizeof(*ms));
	struct agreement_risk *rs = arena_calloc(f->arena, MANY, sizeof(*rs));
	for (int i = 0; i < MANY; i++) {
		ms[i] = f->measures[0];
		ms[i].name = arena_printf(f->arena, "Measure %d", i + 1);
		ms[i].target = i;
		rs[i] = f->risks[0];
		rs[i].risk = arena_printf(f->arena, "Risk %d", i + 1);
	}
	f->ag.measures = ms;
	f->ag.n_measures = MANY;
	f->ag.risks = rs;
	f->ag.n_risks = MANY;
	char before[AGREEMENT_DIGEST_SIZE], after[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, before);
	ms[64].target = 1000; /* the 65th measure */
	agreement_digest(&f->ag, after);
	assert_string_not_equal(before, after);
	agreement_digest(&f->ag, before);
	rs[64].mitigation = "Three people per school"; /* the 65th risk */
	agreement_digest(&f->ag, after);
	assert_string_not_equal(before, after);
	agreement_digest(&f->ag, before);
	f->ag.n_measures = MANY - 1; /* the last measure dropped */
	agreement_digest(&f->ag, after);
	assert_string_not_equal(before, after);
}

static void the_digest_ignores_names_signatures_and_order(void **state)
{
	struct fixture *f = *state;
	char before[AGREEMENT_DIGEST_SIZE], after[AGREEMENT_DIGEST_SIZE];
	f->measures[1] = f->measures[0];
	f->measures[1].name = "Attendance";
	f->ag.n_measures = 2;
	f->risks[1] = f->risks[0];
	f->risks[1].risk = "Budget cut";
	f->ag.n_risks = 2;
	agreement_digest(&f->ag, before);

	f->schools[0].name = "Leeds City Academy (renamed)";
	f->schools[1].signed_digest = before;
	const char *t = f->themes[0];
	f->themes[0] = f->themes[1];
	f->themes[1] = t;
	struct agreement_school s = f->schools[0];
	f->schools[0] = f->schools[1];
	f->schools[1] = s;
	struct agreement_measure m = f->measures[0];
	f->measures[0] = f->measures[1];
	f->measures[1] = m;
	struct agreement_risk r = f->risks[0];
	f->risks[0] = f->risks[1];
	f->risks[1] = r;
	agreement_digest(&f->ag, after);
	assert_string_equal(before, after);
}

static void the_digest_ignores_surrounding_space_and_line_ending_style(void **state)
{
	struct fixture *f = *state;
	char before[AGREEMENT_DIGEST_SIZE], after[AGREEMENT_DIGEST_SIZE];
	f->ag.outcomes = "Line one\nLine two";
	agreement_digest(&f->ag, before);
	f->ag.outcomes = "  Line one\r\nLine two\r\n";
	agreement_digest(&f->ag, after);
	assert_string_equal(before, after);
	f->ag.outcomes = "Line one\n\nLine two";
	agreement_digest(&f->ag, after);
	assert_string_not_equal(before, after);
}

static void the_digest_ignores_a_deciding_school_under_another_rule(void **state)
{
	struct fixture *f = *state;
	char before[AGREEMENT_DIGEST_SIZE], after[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, before);
	f->ag.lead_school_urn = LEEDS; /* the rule is consensus: the field means nothing */
	agreement_digest(&f->ag, after);
	assert_string_equal(before, after);
}

static void the_digest_ignores_the_time_of_day_of_dates(void **state)
{
	struct fixture *f = *state;
	char before[AGREEMENT_DIGEST_SIZE], after[AGREEMENT_DIGEST_SIZE];
	agreement_digest(&f->ag, before);
	f->ag.starts_on += 9 * 3600;
	f->measures[0].target_by += 3600;
	agreement_digest(&f->ag, after);
	assert_string_equal(before, after);
}

static void the_digest_frames_text_so_moving_it_between_fields_counts(void **state)
{
	struct fixture *f = *state;
	char a[AGREEMENT_DIGEST_SIZE], b[AGREEMENT_DIGEST_SIZE];
	f->ag.challenge = "ab";
	f->ag.outcomes = "c";
	agreement_digest(&f->ag, a);
	f->ag.challenge = "a";
	f->ag.outcomes = "bc";
	agreement_digest(&f->ag, b);
	assert_string_not_equal(a, b);
}

static void the_digest_treats_null_and_empty_text_alike(void **state)
{
	struct fixture *f = *state;
	char a[AGREEMENT_DIGEST_SIZE], b[AGREEMENT_DIGEST_SIZE];
	f->ag.challenge = NULL;
	agreement_digest(&f->ag, a);
	f->ag.challenge = "";
	agreement_digest(&f->ag, b);
	assert_string_equal(a, b);
}

/* ---- keys and labels ---------------------------------------------------- */

static void every_key_reads_back_as_its_value(void **state)
{
	(void)state;
	for (int i = 0; i < AGREEMENT_TYPE__MAX; i++) {
		enum agreement_type t;
		assert_int_equal(agreement_type_from_key(agreement_type_key((enum agreement_type)i), &t), 0);
		assert_int_equal(t, i);
		assert_non_null(agreement_type_label((enum agreement_type)i));
	}
	for (int i = 0; i < AGREEMENT_LICENCE__MAX; i++) {
		enum agreement_licence l;
		assert_int_equal(agreement_licence_from_key(agreement_licence_key((enum agreement_licence)i), &l), 0);
		assert_int_equal(l, i);
	}
	for (int i = 0; i < AGREEMENT_DECISION__MAX; i++) {
		enum agreement_decision d;
		assert_int_equal(agreement_decision_from_key(agreement_decision_key((enum agreement_decision)i), &d),
				 0);
		assert_int_equal(d, i);
	}
	for (int i = 0; i < AGREEMENT_RISK__MAX; i++) {
		enum agreement_risk_status s;
		assert_int_equal(
			agreement_risk_status_from_key(agreement_risk_status_key((enum agreement_risk_status)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_string_equal(agreement_licence_label(AGREEMENT_LICENCE_CC_BY_NC_SA), "CC BY-NC-SA 4.0");
	assert_string_equal(agreement_section_title(AGREEMENT_SECTION_RISKS), "Risks and governance");
}

static void unknown_keys_and_values_out_of_range_are_refused(void **state)
{
	(void)state;
	enum agreement_type t = AGREEMENT_TYPE_MUTUAL;
	assert_int_equal(agreement_type_from_key("two_way", &t), ERR_INVALID);
	assert_int_equal(agreement_type_from_key(NULL, &t), ERR_INVALID);
	assert_int_equal(t, AGREEMENT_TYPE_MUTUAL);
	assert_null(agreement_type_key(AGREEMENT_TYPE__MAX));
	assert_null(agreement_licence_label((enum agreement_licence)-1));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_complete_agreement_has_nothing_missing),
		T(an_empty_agreement_is_incomplete_in_every_section),
		T(every_sentence_begins_with_its_section_title),
		T(purpose_without_a_type_asks_for_one),
		T(purpose_without_a_challenge_asks_for_it),
		T(purpose_without_outcomes_asks_for_them),
		T(purpose_with_only_blank_themes_asks_for_a_theme),
		T(purpose_without_a_licence_asks_who_owns_the_work),
		T(purpose_with_one_school_asks_for_partners),
		T(a_school_without_hours_is_named_in_time_and_resource),
		T(a_school_without_a_budget_is_named_in_time_and_resource),
		T(a_school_that_has_not_answered_about_objectives_is_named),
		T(a_school_without_a_name_is_named_by_its_urn),
		T(zero_hours_and_zero_budget_are_a_commitment),
		T(evidence_without_measures_asks_for_one_with_a_baseline_and_target),
		T(a_measure_without_a_baseline_asks_for_it),
		T(a_measure_without_a_target_asks_for_it),
		T(a_measure_without_a_unit_asks_for_it),
		T(a_measure_without_a_pupil_group_asks_for_it),
		T(a_measure_without_a_method_asks_how_it_is_measured),
		T(a_measure_without_a_when_asks_when_it_is_measured),
		T(a_measure_without_a_name_is_refused_and_numbered),
		T(an_empty_risk_register_asks_for_a_risk),
		T(a_risk_without_a_mitigation_asks_for_one),
		T(a_risk_without_an_owner_asks_for_one),
		T(a_closed_risk_still_counts_as_a_register_entry),
		T(a_school_without_a_lead_is_named_in_leadership),
		T(leadership_without_a_cadence_asks_how_often_to_meet),
		T(leadership_without_a_keeper_asks_for_one),
		T(the_lead_school_rule_asks_which_school_decides),
		T(consensus_is_the_default_decision_rule),
		T(a_likelihood_of_0_is_refused),
		T(a_likelihood_of_6_is_refused),
		T(likelihoods_and_impacts_from_1_to_5_are_accepted),
		T(an_impact_of_0_or_6_is_refused),
		T(a_risk_in_the_register_with_likelihood_6_names_the_risk),
		T(negative_hours_are_refused),
		T(negative_hours_in_the_agreement_name_the_school),
		T(hours_from_0_to_2000_are_accepted_and_2001_is_not),
		T(a_negative_budget_is_refused),
		T(a_cadence_of_0_is_refused),
		T(a_cadence_of_0_in_the_agreement_keeps_leadership_incomplete),
		T(cadences_of_1_and_52_weeks_are_accepted_and_53_is_not),
		T(a_target_date_before_the_baseline_date_is_refused),
		T(a_target_date_on_the_baseline_day_is_refused),
		T(measure_dates_are_checked_only_when_both_are_given),
		T(an_end_date_before_the_start_date_is_refused),
		T(text_longer_than_its_limit_is_refused_with_both_lengths),
		T(text_length_counts_characters_not_bytes),
		T(text_that_is_not_utf8_is_refused),
		T(a_school_listed_twice_is_refused),
		T(a_deciding_school_that_is_not_a_partner_is_refused),
		T(a_theme_listed_twice_is_refused),
		T(an_enum_out_of_range_is_refused),
		T(values_not_given_yet_are_not_problems),
		T(a_problem_list_without_an_arena_only_counts),
		T(a_risk_scores_likelihood_times_impact),
		T(signing_an_incomplete_agreement_is_refused),
		T(only_a_partner_schools_lead_may_sign),
		T(a_lead_cannot_sign_the_same_version_twice),
		T(the_signatures_list_names_each_school_yet_to_sign),
		T(an_agreement_signed_by_every_lead_may_become_active),
		T(changing_a_signed_agreement_asks_every_lead_to_sign_again),
		T(an_agreement_that_lost_a_section_is_not_signed_by_all),
		T(the_digest_is_64_lower_case_hex_digits),
		T(the_digest_is_the_same_for_the_same_content),
		T(the_digest_changes_when_any_field_changes),
		T(the_sixty_fifth_measure_and_risk_and_beyond_are_in_the_digest),
		T(the_digest_ignores_names_signatures_and_order),
		T(the_digest_ignores_surrounding_space_and_line_ending_style),
		T(the_digest_ignores_a_deciding_school_under_another_rule),
		T(the_digest_ignores_the_time_of_day_of_dates),
		T(the_digest_frames_text_so_moving_it_between_fields_counts),
		T(the_digest_treats_null_and_empty_text_alike),
		T(every_key_reads_back_as_its_value),
		T(unknown_keys_and_values_out_of_range_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
