// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_digest.c — the weekly digest's text (src/app/partnerships/digest.c):
 * which changes of health are news, when there is nothing to send, and the
 * email itself — the greeting, the one-line summary, each partnership with
 * its health, changes and overdue actions, the order, the years on dates,
 * and the missing pieces (no name, no owner, no link).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "app/partnerships/digest.h"
#include "core/buf.h"

#define DAY INT64_C(86400)

/* 00:00 UTC on d/m/y (m from 1), plus h hours. */
static int64_t at(int y, int m, int d, int h)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h};
	return (int64_t)timegm(&tm);
}

static const char *const OVERDUE_REASON =
	"No meeting since 6 December: meetings are due every 4 weeks (a week's grace).";

/* The digest composed at now, as a string the test frees. */
static char *compose(const struct digest *d, int64_t now)
{
	struct buf b = BUF_INIT;
	digest_compose(d, now, &b);
	return buf_detach(&b, NULL);
}

static void assert_contains(const char *text, const char *want)
{
	assert_non_null(text);
	assert_non_null(want);
	if (!strstr(text, want)) {
		print_message("expected to find:\n%s\nin:\n%s\n", want, text);
		fail();
	}
}

/* ---- what is news ------------------------------------------------------- */

static void a_change_between_active_statuses_is_news_either_way(void **state)
{
	(void)state;
	assert_true(digest_change_is_news(HEALTH_ON_TRACK, HEALTH_OVERDUE));
	assert_true(digest_change_is_news(HEALTH_OVERDUE, HEALTH_FADING));
	assert_true(digest_change_is_news(HEALTH_FADING, HEALTH_AT_RISK));
	assert_true(digest_change_is_news(HEALTH_AT_RISK, HEALTH_ON_TRACK));
	assert_true(digest_change_is_news(HEALTH_OVERDUE, HEALTH_ON_TRACK));
}

static void becoming_active_is_news_only_when_it_starts_in_trouble(void **state)
{
	(void)state;
	assert_false(digest_change_is_news(HEALTH_NOT_ACTIVE, HEALTH_ON_TRACK));
	assert_true(digest_change_is_news(HEALTH_NOT_ACTIVE, HEALTH_AT_RISK));
	assert_true(digest_change_is_news(HEALTH_NOT_ACTIVE, HEALTH_OVERDUE));
}

static void closing_and_no_change_and_nonsense_are_not_news(void **state)
{
	(void)state;
	assert_false(digest_change_is_news(HEALTH_OVERDUE, HEALTH_NOT_ACTIVE));
	assert_false(digest_change_is_news(HEALTH_ON_TRACK, HEALTH_NOT_ACTIVE));
	assert_false(digest_change_is_news(HEALTH_FADING, HEALTH_FADING));
	assert_false(digest_change_is_news(HEALTH_ON_TRACK, HEALTH__MAX));
	assert_false(digest_change_is_news((enum health_status)-1, HEALTH_OVERDUE));
}

static void partnerships_on_track_without_changes_or_actions_have_nothing_to_say(void **state)
{
	(void)state;
	struct digest_change activated = {HEALTH_NOT_ACTIVE, HEALTH_ON_TRACK, "Active since 1 December.",
					  at(2026, 12, 1, 9)};
	struct digest_partnership ps[2] = {
		{.title = "A and B", .status = HEALTH_ON_TRACK, .changes = &activated, .n_changes = 1},
		{.title = "C and D", .status = HEALTH_OVERDUE}, /* overdue, but that is old news */
	};
	struct digest d = {.name = "Wyn", .partnerships = ps, .n_partnerships = 2};
	assert_false(digest_has_news(&d));
	assert_false(digest_has_news(NULL));
	d.n_partnerships = 0;
	assert_false(digest_has_news(&d));
}

static void an_overdue_action_alone_is_news(void **state)
{
	(void)state;
	struct digest_action act = {"Share the scheme", "Sol Lead", at(2026, 12, 20, 0)};
	struct digest_partnership p = {.title = "A and B", .status = HEALTH_ON_TRACK, .actions = &act, .n_actions = 1};
	struct digest d = {.partnerships = &p, .n_partnerships = 1};
	assert_true(digest_partnership_has_news(&p));
	assert_true(digest_has_news(&d));
}

/* ---- the text ----------------------------------------------------------- */

static void the_whole_email_for_an_overdue_partnership_reads_plainly(void **state)
{
	(void)state;
	int64_t now = at(2027, 1, 15, 9);
	struct digest_change change = {HEALTH_ON_TRACK, HEALTH_OVERDUE, OVERDUE_REASON, at(2027, 1, 11, 8)};
	struct digest_action act = {"Draft the reasoning scheme", "Sol Lead", at(2026, 12, 20, 0)};
	struct digest_partnership p = {
		.title = "Weetwood Primary and Ireland Wood Primary",
		.url = "https://tandem.example.org/partnerships/3/running",
		.status = HEALTH_OVERDUE,
		.reason = OVERDUE_REASON,
		.changes = &change,
		.n_changes = 1,
		.actions = &act,
		.n_actions = 1,
	};
	struct digest d = {.name = "Wyn Lead", .partnerships = &p, .n_partnerships = 1};
	char *text = compose(&d, now);
	assert_string_equal(
		text,
		"Hello Wyn Lead,\n"
		"\n"
		"Here is this week's note from Tandem about the partnerships you lead or keep going.\n"
		"1 partnership needs attention, and 1 action is past its due date.\n"
		"\n"
		"Weetwood Primary and Ireland Wood Primary\n"
		"  Health: Overdue. No meeting since 6 December: meetings are due every 4 weeks (a week's grace).\n"
		"  What changed:\n"
		"  - 11 January: from On track to Overdue.\n"
		"  Action past its due date:\n"
		"  - Draft the reasoning scheme (Sol Lead, due 20 December 2026)\n"
		"  Open it: https://tandem.example.org/partnerships/3/running\n"
		"\n"
		"When you have met or finished an action, record it in Tandem and this note will catch up.\n"
		"\n"
		"You get this email because you lead a partner school in a partnership, or keep one going. "
		"It comes at most once a week, and only when there is something to tell you.\n"
		"\n"
		"Thank you for keeping your partnerships going.\n"
		"Tandem\n");
	free(text);
}

static void partnerships_with_news_come_first_and_the_rest_get_a_line(void **state)
{
	(void)state;
	int64_t now = at(2027, 3, 1, 9);
	struct digest_change change = {HEALTH_OVERDUE, HEALTH_FADING, "No activity since 2 January.",
				       at(2027, 2, 28, 9)};
	struct digest_partnership ps[2] = {
		{.title = "Quiet partnership", .url = "/partnerships/1/running", .status = HEALTH_ON_TRACK,
		 .reason = "Last met on 20 February."},
		{.title = "Fading partnership", .url = "/partnerships/2/running", .status = HEALTH_FADING,
		 .reason = "No activity since 2 January.", .changes = &change, .n_changes = 1},
	};
	struct digest d = {.name = "Kim", .partnerships = ps, .n_partnerships = 2};
	char *text = compose(&d, now);
	const char *fading = strstr(text, "Fading partnership"), *quiet = strstr(text, "Quiet partnership");
	assert_non_null(fading);
	assert_non_null(quiet);
	assert_true(fading < quiet);
	assert_contains(text, "1 partnership needs attention.\n");
	assert_contains(text, "  - 28 February: from Overdue to Fading.\n");
	assert_contains(text, "Quiet partnership\n"
			      "  Health: On track. Last met on 20 February.\n"
			      "  Open it: /partnerships/1/running\n");
	free(text);
}

static void a_change_with_another_reason_than_now_says_its_own_reason(void **state)
{
	(void)state;
	int64_t now = at(2027, 3, 1, 9);
	struct digest_change cs[2] = {
		{HEALTH_ON_TRACK, HEALTH_OVERDUE, "No meeting since 1 January.", at(2027, 2, 10, 9)},
		{HEALTH_OVERDUE, HEALTH_AT_RISK, "An open risk scores 20.", at(2027, 2, 27, 9)},
	};
	struct digest_partnership p = {.title = "P", .status = HEALTH_AT_RISK, .reason = "An open risk scores 20.",
				       .changes = cs, .n_changes = 2};
	struct digest d = {.name = "Kim", .partnerships = &p, .n_partnerships = 1};
	char *text = compose(&d, now);
	assert_contains(text, "  - 10 February: from On track to Overdue. No meeting since 1 January.\n"
			      "  - 27 February: from Overdue to At risk.\n");
	free(text);
}

static void getting_back_on_track_is_good_news(void **state)
{
	(void)state;
	int64_t now = at(2027, 3, 1, 9);
	struct digest_change change = {HEALTH_OVERDUE, HEALTH_ON_TRACK, "Last met on 27 February.", at(2027, 2, 28, 9)};
	struct digest_partnership p = {.title = "P", .status = HEALTH_ON_TRACK, .reason = "Last met on 27 February.",
				       .changes = &change, .n_changes = 1};
	struct digest d = {.name = "Kim", .partnerships = &p, .n_partnerships = 1};
	assert_true(digest_has_news(&d));
	char *text = compose(&d, now);
	assert_contains(text, "Good news: your partnership is on track.\n");
	assert_contains(text, "  - 28 February: back on track (it was Overdue).\n");
	free(text);
}

static void becoming_active_in_trouble_says_so_and_old_news_is_left_out(void **state)
{
	(void)state;
	int64_t now = at(2027, 3, 1, 9);
	struct digest_change cs[2] = {
		{HEALTH_NOT_ACTIVE, HEALTH_ON_TRACK, "Active since 1 February.", at(2027, 2, 1, 9)},
		{HEALTH_NOT_ACTIVE, HEALTH_AT_RISK, "An open risk scores 16.", at(2027, 2, 20, 9)},
	};
	struct digest_partnership p = {.title = "P", .status = HEALTH_AT_RISK, .reason = "An open risk scores 16.",
				       .changes = cs, .n_changes = 2};
	struct digest d = {.name = "Kim", .partnerships = &p, .n_partnerships = 1};
	char *text = compose(&d, now);
	assert_contains(text, "  - 20 February: it became active and is At risk.\n");
	assert_null(strstr(text, "1 February"));
	free(text);
}

static void several_actions_and_partnerships_are_counted_in_the_summary(void **state)
{
	(void)state;
	int64_t now = at(2027, 3, 1, 9);
	struct digest_action as[2] = {
		{"Book the hall", NULL, at(2027, 2, 1, 0)},
		{"Send the minutes", "", at(2027, 2, 3, 0)},
	};
	struct digest_partnership ps[2] = {
		{.title = "P", .status = HEALTH_OVERDUE, .actions = as, .n_actions = 2},
		{.title = "Q", .status = HEALTH_FADING},
	};
	struct digest d = {.partnerships = ps, .n_partnerships = 2};
	char *text = compose(&d, now);
	assert_true(strncmp(text, "Hello,\n\n", 8) == 0);
	assert_contains(text, "2 partnerships need attention, and 2 actions are past their due date.\n");
	assert_contains(text, "  Actions past their due date:\n"
			      "  - Book the hall (no owner named yet, due 1 February)\n"
			      "  - Send the minutes (no owner named yet, due 3 February)\n");
	assert_null(strstr(text, "Open it:"));
	free(text);
}

static void a_null_digest_composes_nothing(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	digest_compose(NULL, 0, &b);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_change_between_active_statuses_is_news_either_way),
		cmocka_unit_test(becoming_active_is_news_only_when_it_starts_in_trouble),
		cmocka_unit_test(closing_and_no_change_and_nonsense_are_not_news),
		cmocka_unit_test(partnerships_on_track_without_changes_or_actions_have_nothing_to_say),
		cmocka_unit_test(an_overdue_action_alone_is_news),
		cmocka_unit_test(the_whole_email_for_an_overdue_partnership_reads_plainly),
		cmocka_unit_test(partnerships_with_news_come_first_and_the_rest_get_a_line),
		cmocka_unit_test(a_change_with_another_reason_than_now_says_its_own_reason),
		cmocka_unit_test(getting_back_on_track_is_good_news),
		cmocka_unit_test(becoming_active_in_trouble_says_so_and_old_news_is_left_out),
		cmocka_unit_test(several_actions_and_partnerships_are_counted_in_the_summary),
		cmocka_unit_test(a_null_digest_composes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
