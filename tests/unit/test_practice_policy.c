// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_practice_policy.c — shared practice's permissions
 * (src/app/practice/policy.c) cell by cell as the table at the top of
 * policy.c says: the one visibility check for school-only and network
 * items for every kind of person, posting, reacting, widening with the
 * lead's approval (never one's own item), narrowing; then the Unique Pupil
 * Number rule and the Markdown filter of articles (markdown.c).
 *
 * The network has member schools 100 (the author's) and 200; school 900 is
 * not a member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <string.h>

#include "app/practice/markdown.h"
#include "app/practice/policy.h"
#include "core/buf.h"

#define M1 100
#define M2 200
#define OUT 900
#define AUTHOR 20

enum who { ANON, OUTSIDER, COLLEAGUE, GOVERNOR, LEAD, OTHER_STAFF, OTHER_LEAD, COORD, ADMIN, THE_AUTHOR, WHO__MAX };
static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "colleague", "governor", "lead",
						"other school's staff", "other school's lead", "coordinator", "admin",
						"author"};

static struct practice_access access_for(enum who w)
{
	struct practice_access a = {0};
	switch (w) {
	case ANON: break;
	case OUTSIDER: a.person_id = 10; a.school_urn = OUT; a.role = SCHOOL_ROLE_LEAD; break;
	case COLLEAGUE: a.person_id = 11; a.school_urn = M1; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case GOVERNOR: a.person_id = 12; a.school_urn = M1; a.role = SCHOOL_ROLE_GOVERNOR; a.school_member = true; break;
	case LEAD: a.person_id = 13; a.school_urn = M1; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case OTHER_STAFF: a.person_id = 14; a.school_urn = M2; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case OTHER_LEAD: a.person_id = 15; a.school_urn = M2; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case COORD: a.person_id = 16; a.coordinator = true; break;
	case ADMIN: a.person_id = 17; a.is_admin = true; break;
	case THE_AUTHOR: a.person_id = AUTHOR; a.school_urn = M1; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case WHO__MAX: break;
	}
	return a;
}

static const struct practice_item school_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_SCHOOL};
static const struct practice_item asked_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_SCHOOL,
						.widening_requested = true};
static const struct practice_item network_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_NETWORK};

/* Check one row of the table: expected[w] for every kind of person. */
static void check_row(const char *what, bool (*fn)(const struct practice_access *, const struct practice_item *),
		      const struct practice_item *i, const bool expected[WHO__MAX])
{
	for (int w = 0; w < WHO__MAX; w++) {
		struct practice_access a = access_for((enum who)w);
		bool got = fn(&a, i);
		if (got != expected[w])
			fail_msg("%s: %s got %d, expected %d", what, who_names[w], got, expected[w]);
	}
}

/*                                       anon out  coll  gov   lead  o.st  o.ld  coord admin author */
static void test_a_school_only_item_is_seen_by_its_school_the_author_and_admins_only(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true};
	check_row("see school item", practice_can_see, &school_item, e);
}

static void test_a_school_only_item_waiting_for_approval_is_still_school_only(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true};
	check_row("see asked item", practice_can_see, &asked_item, e);
}

static void test_a_network_item_is_seen_by_every_member_school_and_coordinators_but_not_outsiders(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, true, true, true, true, true, true, true};
	check_row("see network item", practice_can_see, &network_item, e);
}

static void test_reacting_follows_the_visibility_check(void **state)
{
	(void)state;
	const bool s[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true};
	check_row("react school item", practice_can_react, &school_item, s);
	const bool n[WHO__MAX] = {false, false, true, true, true, true, true, true, true, true};
	check_row("react network item", practice_can_react, &network_item, n);
}

static void test_staff_and_leads_of_member_schools_post_ideas_and_no_one_else(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, false, true, true, true, false, false, true};
	for (int w = 0; w < WHO__MAX; w++) {
		struct practice_access a = access_for((enum who)w);
		if (practice_can_post(&a) != e[w])
			fail_msg("post: %s", who_names[w]);
	}
}

static void test_only_the_author_asks_to_widen_and_only_once(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, false, true};
	check_row("widen school item", practice_can_request_widening, &school_item, e);
	const bool none[WHO__MAX] = {false};
	check_row("widen asked item", practice_can_request_widening, &asked_item, none);
	check_row("widen network item", practice_can_request_widening, &network_item, none);
}

static void test_only_a_lead_of_the_items_school_approves_a_widening(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, true, false, false, false, false, false};
	check_row("decide asked item", practice_can_decide_widening, &asked_item, e);
	const bool none[WHO__MAX] = {false};
	check_row("decide unasked item", practice_can_decide_widening, &school_item, none);
}

static void test_a_lead_cannot_approve_their_own_item(void **state)
{
	(void)state;
	struct practice_access lead = access_for(LEAD);
	struct practice_item own = asked_item;
	own.author_id = lead.person_id;
	assert_false(practice_can_decide_widening(&lead, &own));
}

static void test_the_author_narrows_a_shared_or_asked_item_again(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, true, true};
	check_row("narrow network item", practice_can_narrow, &network_item, e);
	check_row("narrow asked item", practice_can_narrow, &asked_item, e);
	const bool none[WHO__MAX] = {false};
	check_row("narrow school item", practice_can_narrow, &school_item, none);
}

static void test_only_leads_see_their_own_schools_moderation_list(void **state)
{
	(void)state;
	struct practice_access lead = access_for(LEAD), other = access_for(OTHER_LEAD), staff = access_for(COLLEAGUE);
	assert_true(practice_can_moderate(&lead, M1));
	assert_false(practice_can_moderate(&other, M1));
	assert_false(practice_can_moderate(&staff, M1));
}

static void test_everything_is_denied_to_a_null_access_or_item(void **state)
{
	(void)state;
	struct practice_access a = access_for(ADMIN);
	assert_false(practice_can_see(NULL, &network_item));
	assert_false(practice_can_see(&a, NULL));
	assert_false(practice_can_post(NULL));
	assert_false(practice_can_narrow(&a, NULL));
}

static void test_a_letter_and_twelve_digits_is_a_unique_pupil_number(void **state)
{
	(void)state;
	assert_true(practice_text_has_upn("A123456789012"));
	assert_true(practice_text_has_upn("Pupil H801200001001 did well."));
	assert_true(practice_text_has_upn("(x123456789012)"));
}

static void test_other_numbers_are_not_a_unique_pupil_number(void **state)
{
	(void)state;
	assert_false(practice_text_has_upn(NULL));
	assert_false(practice_text_has_upn("A12345678901"));   /* 11 digits */
	assert_false(practice_text_has_upn("A1234567890123")); /* 13 digits */
	assert_false(practice_text_has_upn("AB123456789012")); /* inside a word */
	assert_false(practice_text_has_upn("Year 6 read 20 minutes a day."));
}

static void test_visibility_names_read_back(void **state)
{
	(void)state;
	enum practice_vis v = PRACTICE_VIS_SCHOOL;
	assert_int_equal(practice_vis_parse("network", &v), 0);
	assert_int_equal(v, PRACTICE_VIS_NETWORK);
	assert_string_equal(practice_vis_name(v), "network");
	assert_int_equal(practice_vis_parse("public", &v), -1);
}

static void test_relative_http_https_and_mailto_destinations_are_allowed(void **state)
{
	(void)state;
	const char *ok[] = {"", "/networks/a/ideas", "page.html", "#top", "?q=1", "https://example.org/x",
			    "HTTP://example.org", "mailto:head@school.test", "a%3Ab", "./x:y"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!practice_url_allowed(ok[i], strlen(ok[i])))
			fail_msg("refused %s", ok[i]);
}

static void test_javascript_data_and_other_schemes_are_refused_however_written(void **state)
{
	(void)state;
	const char *bad[] = {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "java\tscript:x",
			     "java\nscript:x", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "file:///etc/passwd",
			     "ftp://x", "averyveryverylongscheme:x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (practice_url_allowed(bad[i], strlen(bad[i])))
			fail_msg("allowed %s", bad[i]);
}

static void test_markdown_with_a_javascript_or_data_link_or_image_is_refused_with_a_reason(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(practice_md_check("[click](javascript:alert(1))", &why), -1);
	assert_non_null(strstr(why, "link"));
	assert_int_equal(practice_md_check("<javascript:alert(1)>", &why), -1);
	assert_int_equal(practice_md_check("[x](&#106;avascript:alert(1))", &why), -1);
	assert_int_equal(practice_md_check("![a](data:image/png;base64,AAAA)", &why), -1);
	assert_non_null(strstr(why, "image"));
	assert_int_equal(practice_md_check("[x]\n\n[x]: javascript:alert(1)", &why), -1);
}

static void test_markdown_with_raw_html_is_refused(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(practice_md_check("<script>alert(1)</script>", &why), -1);
	assert_non_null(strstr(why, "HTML"));
	assert_int_equal(practice_md_check("Some <b onclick=\"x()\">bold</b> text", &why), -1);
	struct buf out;
	buf_init(&out);
	assert_int_equal(practice_md_html("<img src=x onerror=alert(1)>", &out), -1);
	assert_string_equal(buf_str(&out), "");
	buf_free(&out);
}

static void test_plain_markdown_renders_with_its_links(void **state)
{
	(void)state;
	const char *why = NULL;
	const char *md = "# Talk partners\n\nWe used **sentence stems** ([guide](https://example.org/g)).\n";
	assert_int_equal(practice_md_check(md, &why), 0);
	struct buf out;
	buf_init(&out);
	assert_int_equal(practice_md_html(md, &out), 0);
	assert_non_null(strstr(buf_str(&out), "<h1>Talk partners</h1>"));
	assert_non_null(strstr(buf_str(&out), "<strong>sentence stems</strong>"));
	assert_non_null(strstr(buf_str(&out), "<a href=\"https://example.org/g\">guide</a>"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_school_only_item_is_seen_by_its_school_the_author_and_admins_only),
		cmocka_unit_test(test_a_school_only_item_waiting_for_approval_is_still_school_only),
		cmocka_unit_test(test_a_network_item_is_seen_by_every_member_school_and_coordinators_but_not_outsiders),
		cmocka_unit_test(test_reacting_follows_the_visibility_check),
		cmocka_unit_test(test_staff_and_leads_of_member_schools_post_ideas_and_no_one_else),
		cmocka_unit_test(test_only_the_author_asks_to_widen_and_only_once),
		cmocka_unit_test(test_only_a_lead_of_the_items_school_approves_a_widening),
		cmocka_unit_test(test_a_lead_cannot_approve_their_own_item),
		cmocka_unit_test(test_the_author_narrows_a_shared_or_asked_item_again),
		cmocka_unit_test(test_only_leads_see_their_own_schools_moderation_list),
		cmocka_unit_test(test_everything_is_denied_to_a_null_access_or_item),
		cmocka_unit_test(test_a_letter_and_twelve_digits_is_a_unique_pupil_number),
		cmocka_unit_test(test_other_numbers_are_not_a_unique_pupil_number),
		cmocka_unit_test(test_visibility_names_read_back),
		cmocka_unit_test(test_relative_http_https_and_mailto_destinations_are_allowed),
		cmocka_unit_test(test_javascript_data_and_other_schemes_are_refused_however_written),
		cmocka_unit_test(test_markdown_with_a_javascript_or_data_link_or_image_is_refused_with_a_reason),
		cmocka_unit_test(test_markdown_with_raw_html_is_refused),
		cmocka_unit_test(test_plain_markdown_renders_with_its_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
