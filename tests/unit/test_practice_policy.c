// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_practice_policy.c — shared practice's permissions
 * (src/app/practice/policy.c) cell by cell as the table at the top of
 * policy.c says: the one visibility check for school-only and network
 * items for every kind of person, posting, reacting, widening with the
 * lead's approval (never one's own item), narrowing; then the Unique Pupil
 * Number rule and the Markdown filter of articles (markdown.c).
 *
 * The network has member schools 100 (the author's), 200 and 300; 100
 * and 300 are in an open partnership (forming or active: the model leaves
 * closed ones out of partner_urns), 200 is in one with 400 only; school
 * 900 is not a member.
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
#define M3 300
#define OUT 900
#define AUTHOR 20

enum who {
	ANON, OUTSIDER, COLLEAGUE, GOVERNOR, LEAD, OTHER_STAFF, OTHER_LEAD, COORD, ADMIN, THE_AUTHOR, PARTNER,
	PARTNER_LEAD, WHO__MAX
};
static const char *const who_names[WHO__MAX] = {"anonymous", "outsider", "colleague", "governor", "lead",
						"other school's staff", "other school's lead", "coordinator", "admin",
						"author", "partner school's staff", "partner school's lead"};

/* The partner schools of 100, of 300 and of 200 (in a partnership with 400 only). */
static const int64_t partners_of_m1[] = {M3};
static const int64_t partners_of_m3[] = {M1};
static const int64_t partners_of_m2[] = {400};

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
	case PARTNER: a.person_id = 21; a.school_urn = M3; a.role = SCHOOL_ROLE_STAFF; a.school_member = true; break;
	case PARTNER_LEAD: a.person_id = 22; a.school_urn = M3; a.role = SCHOOL_ROLE_LEAD; a.school_member = true; break;
	case WHO__MAX: break;
	}
	if (a.school_urn == M1) {
		a.partner_urns = partners_of_m1;
		a.n_partners = 1;
	} else if (a.school_urn == M3) {
		a.partner_urns = partners_of_m3;
		a.n_partners = 1;
	} else if (a.school_urn == M2) {
		a.partner_urns = partners_of_m2;
		a.n_partners = 1;
	}
	return a;
}

static const struct practice_item school_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_SCHOOL};
static const struct practice_item asked_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_SCHOOL,
						.requested = PRACTICE_VIS_NETWORK};
static const struct practice_item network_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_NETWORK};
static const struct practice_item partnership_item = {.author_id = AUTHOR, .urn = M1,
						      .vis = PRACTICE_VIS_PARTNERSHIP};
static const struct practice_item asked_partnership_item = {.author_id = AUTHOR, .urn = M1,
							    .vis = PRACTICE_VIS_SCHOOL,
							    .requested = PRACTICE_VIS_PARTNERSHIP};
static const struct practice_item partnership_asked_network = {.author_id = AUTHOR, .urn = M1,
							       .vis = PRACTICE_VIS_PARTNERSHIP,
							       .requested = PRACTICE_VIS_NETWORK};
static const struct practice_item public_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_PUBLIC};
static const struct practice_item draft_item = {.author_id = AUTHOR, .urn = M1, .vis = PRACTICE_VIS_SCHOOL,
						.draft = true};

/* The policy's widening and narrowing at one level, in the shape check_row takes. */
static bool widen_network(const struct practice_access *a, const struct practice_item *i)
{
	return practice_can_request_widening(a, i, PRACTICE_VIS_NETWORK);
}
static bool widen_partnership(const struct practice_access *a, const struct practice_item *i)
{
	return practice_can_request_widening(a, i, PRACTICE_VIS_PARTNERSHIP);
}
static bool narrow_school(const struct practice_access *a, const struct practice_item *i)
{
	return practice_can_narrow(a, i, PRACTICE_VIS_SCHOOL);
}
static bool narrow_partnership(const struct practice_access *a, const struct practice_item *i)
{
	return practice_can_narrow(a, i, PRACTICE_VIS_PARTNERSHIP);
}

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
	const bool e[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true, false, false};
	check_row("see school item", practice_can_see, &school_item, e);
}

static void test_deciding_for_everyone_with_the_same_facts_counts_no_ones_authorship(void **state)
{
	(void)state;
	/* The author, moved to another member school: sees their old school's item as its author only. */
	struct practice_access moved = access_for(THE_AUTHOR);
	moved.school_urn = M2;
	assert_true(practice_can_see(&moved, &school_item));
	moved.scope_only = true;
	assert_false(practice_can_see(&moved, &school_item));
	assert_false(practice_can_see(&moved, &draft_item));
	/* Everything else they see, they see for the facts alone. */
	assert_true(practice_can_see(&moved, &network_item));
	assert_true(practice_can_see(&moved, &public_item));
	struct practice_access colleague = access_for(COLLEAGUE);
	colleague.scope_only = true;
	assert_true(practice_can_see(&colleague, &school_item));
	assert_true(practice_can_see(&colleague, &partnership_item));
}

static void test_a_school_only_item_waiting_for_approval_is_still_school_only(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true, false, false};
	check_row("see asked item", practice_can_see, &asked_item, e);
}

static void test_a_network_item_is_seen_by_every_member_school_and_coordinators_but_not_outsiders(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, true, true, true, true, true, true, true, true, true};
	check_row("see network item", practice_can_see, &network_item, e);
}

static void test_reacting_follows_the_visibility_check(void **state)
{
	(void)state;
	const bool s[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true, false, false};
	check_row("react school item", practice_can_react, &school_item, s);
	const bool n[WHO__MAX] = {false, false, true, true, true, true, true, true, true, true, true, true};
	check_row("react network item", practice_can_react, &network_item, n);
}

static void test_staff_and_leads_of_member_schools_post_ideas_and_no_one_else(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, false, true, true, true, false, false, true, true, true};
	for (int w = 0; w < WHO__MAX; w++) {
		struct practice_access a = access_for((enum who)w);
		if (practice_can_post(&a) != e[w])
			fail_msg("post: %s", who_names[w]);
	}
}

static void test_only_the_author_asks_to_widen_and_only_once(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, false, true, false, false};
	check_row("widen school item", widen_network, &school_item, e);
	const bool none[WHO__MAX] = {false};
	check_row("widen asked item", widen_network, &asked_item, none);
	check_row("widen network item", widen_network, &network_item, none);
}

static void test_only_a_lead_of_the_items_school_approves_a_widening(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, true, false, false, false, false, false, false, false};
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
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, true, true, false, false};
	check_row("narrow network item", narrow_school, &network_item, e);
	check_row("narrow asked item", narrow_school, &asked_item, e);
	const bool none[WHO__MAX] = {false};
	check_row("narrow school item", narrow_school, &school_item, none);
}

/*                        anon out  coll  gov   lead  o.st  o.ld  coord admin author partner p.lead */
static void test_a_partnership_item_is_seen_by_its_school_and_its_partner_schools_only(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true, true, true};
	check_row("see partnership item", practice_can_see, &partnership_item, e);
	check_row("see partnership item asked for the network", practice_can_see, &partnership_asked_network, e);
}

static void test_a_school_item_waiting_for_the_partner_schools_is_still_school_only(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, true, true, true, false, false, false, true, true, false, false};
	check_row("see item asked for partners", practice_can_see, &asked_partnership_item, e);
}

static void test_a_public_item_is_seen_by_everyone_even_without_signing_in(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {true, true, true, true, true, true, true, true, true, true, true, true};
	check_row("see public item", practice_can_see, &public_item, e);
}

static void test_a_draft_is_seen_by_its_author_only_not_colleagues_leads_or_admins(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, false, true, false, false};
	check_row("see draft", practice_can_see, &draft_item, e);
	struct practice_item shared_draft = draft_item;
	shared_draft.vis = PRACTICE_VIS_NETWORK;
	check_row("see draft marked network", practice_can_see, &shared_draft, e);
	shared_draft.vis = PRACTICE_VIS_PUBLIC;
	check_row("see draft marked public", practice_can_see, &shared_draft, e);
}

static void test_a_draft_cannot_be_widened_published_tried_or_approved(void **state)
{
	(void)state;
	const bool none[WHO__MAX] = {false};
	check_row("widen draft to network", widen_network, &draft_item, none);
	check_row("widen draft to partners", widen_partnership, &draft_item, none);
	check_row("try draft", practice_can_try, &draft_item, none);
	check_row("publish draft", practice_can_publish, &draft_item, none);
	struct practice_item asked = draft_item;
	asked.requested = PRACTICE_VIS_NETWORK;
	check_row("decide draft", practice_can_decide_widening, &asked, none);
}

static void test_a_school_that_is_no_partner_does_not_see_partnership_items_through_its_own_partners(void **state)
{
	(void)state;
	/* 200 has a partner (400), but not 100: its people see nothing of 100's partnership items. */
	struct practice_access other = access_for(OTHER_STAFF);
	assert_false(practice_can_see(&other, &partnership_item));
	struct practice_item of_400 = partnership_item;
	of_400.urn = 400;
	assert_true(practice_can_see(&other, &of_400));
}

static void test_a_partner_without_a_member_school_or_role_does_not_see_partnership_items(void **state)
{
	(void)state;
	struct practice_access p = access_for(PARTNER);
	p.school_member = false;
	assert_false(practice_can_see(&p, &partnership_item));
	p = access_for(PARTNER);
	p.role = SCHOOL_ROLE_NONE;
	assert_false(practice_can_see(&p, &partnership_item));
	p = access_for(PARTNER);
	p.partner_urns = NULL;
	assert_false(practice_can_see(&p, &partnership_item));
}

static void test_the_author_asks_for_the_partner_schools_only_when_the_school_has_a_partner(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, false, true, false, false};
	check_row("widen school item to partners", widen_partnership, &school_item, e);
	struct practice_access alone = access_for(THE_AUTHOR);
	alone.partner_urns = NULL;
	alone.n_partners = 0;
	assert_false(practice_can_request_widening(&alone, &school_item, PRACTICE_VIS_PARTNERSHIP));
	assert_true(practice_can_request_widening(&alone, &school_item, PRACTICE_VIS_NETWORK));
}

static void test_a_widening_goes_up_one_or_two_levels_never_down_or_to_the_public(void **state)
{
	(void)state;
	struct practice_access a = access_for(THE_AUTHOR);
	assert_true(practice_can_request_widening(&a, &school_item, PRACTICE_VIS_NETWORK));
	assert_true(practice_can_request_widening(&a, &partnership_item, PRACTICE_VIS_NETWORK));
	assert_false(practice_can_request_widening(&a, &partnership_item, PRACTICE_VIS_PARTNERSHIP));
	assert_false(practice_can_request_widening(&a, &network_item, PRACTICE_VIS_PARTNERSHIP));
	assert_false(practice_can_request_widening(&a, &school_item, PRACTICE_VIS_SCHOOL));
	assert_false(practice_can_request_widening(&a, &school_item, PRACTICE_VIS_PUBLIC));
	assert_false(practice_can_request_widening(&a, &partnership_asked_network, PRACTICE_VIS_NETWORK));
	assert_false(practice_can_request_widening(&a, &asked_partnership_item, PRACTICE_VIS_NETWORK));
}

static void test_only_a_lead_of_the_items_school_approves_the_partner_schools_not_a_partners_lead(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, true, false, false, false, false, false, false, false};
	check_row("decide asked for partners", practice_can_decide_widening, &asked_partnership_item, e);
	check_row("decide partnership asked for network", practice_can_decide_widening, &partnership_asked_network, e);
	const bool none[WHO__MAX] = {false};
	check_row("decide unasked partnership item", practice_can_decide_widening, &partnership_item, none);
}

static void test_a_lead_cannot_approve_their_own_item_for_the_partner_schools(void **state)
{
	(void)state;
	struct practice_access lead = access_for(LEAD);
	struct practice_item own = asked_partnership_item;
	own.author_id = lead.person_id;
	assert_false(practice_can_decide_widening(&lead, &own));
}

static void test_the_author_narrows_to_any_lower_level_or_withdraws_a_request(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, true, true, false, false};
	const bool none[WHO__MAX] = {false};
	check_row("narrow partnership item to school", narrow_school, &partnership_item, e);
	check_row("narrow network item to partners", narrow_partnership, &network_item, e);
	check_row("narrow public item to partners", narrow_partnership, &public_item, e);
	check_row("withdraw network request of partnership item", narrow_partnership, &partnership_asked_network, e);
	check_row("narrow partnership item to partners", narrow_partnership, &partnership_item, none);
	check_row("narrow school item to partners", narrow_partnership, &school_item, none);
	struct practice_access a = access_for(THE_AUTHOR);
	assert_false(practice_can_narrow(&a, &public_item, PRACTICE_VIS_NETWORK));
}

static void test_a_coordinator_publishes_a_network_item_but_not_a_partnership_item(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, true, false, false, false, false};
	check_row("publish network item", practice_can_publish, &network_item, e);
	const bool none[WHO__MAX] = {false};
	check_row("publish partnership item", practice_can_publish, &partnership_item, none);
}

static void test_a_partner_school_tries_a_partnership_item_its_own_school_does_not(void **state)
{
	(void)state;
	const bool e[WHO__MAX] = {false, false, false, false, false, false, false, false, false, false, true, true};
	check_row("try partnership item", practice_can_try, &partnership_item, e);
}

static void test_an_items_facts_read_from_its_row(void **state)
{
	(void)state;
	struct practice_item i = practice_item_of(AUTHOR, M1, "partnership", "network", false, false);
	assert_int_equal(i.vis, PRACTICE_VIS_PARTNERSHIP);
	assert_int_equal(i.requested, PRACTICE_VIS_NETWORK);
	assert_true(practice_widening_asked(&i));
	i = practice_item_of(AUTHOR, M1, "network", "", true, false);
	assert_int_equal(i.vis, PRACTICE_VIS_PUBLIC);
	assert_false(practice_widening_asked(&i));
	i = practice_item_of(AUTHOR, M1, "partnership", "", true, false);
	assert_int_equal(i.vis, PRACTICE_VIS_PARTNERSHIP);
	i = practice_item_of(AUTHOR, M1, "nonsense", "partnership", false, true);
	assert_int_equal(i.vis, PRACTICE_VIS_SCHOOL);
	assert_int_equal(i.requested, PRACTICE_VIS_PARTNERSHIP);
	assert_true(i.draft);
	i = practice_item_of(AUTHOR, M1, "network", "partnership", false, false);
	assert_false(practice_widening_asked(&i));
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
	assert_false(practice_can_narrow(&a, NULL, PRACTICE_VIS_SCHOOL));
	assert_false(practice_can_request_widening(&a, NULL, PRACTICE_VIS_NETWORK));
	assert_false(practice_can_decide_widening(&a, NULL));
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
	assert_int_equal(practice_vis_parse("partnership", &v), 0);
	assert_int_equal(v, PRACTICE_VIS_PARTNERSHIP);
	assert_string_equal(practice_vis_name(v), "partnership");
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
		cmocka_unit_test(test_deciding_for_everyone_with_the_same_facts_counts_no_ones_authorship),
		cmocka_unit_test(test_a_school_only_item_waiting_for_approval_is_still_school_only),
		cmocka_unit_test(test_a_network_item_is_seen_by_every_member_school_and_coordinators_but_not_outsiders),
		cmocka_unit_test(test_reacting_follows_the_visibility_check),
		cmocka_unit_test(test_staff_and_leads_of_member_schools_post_ideas_and_no_one_else),
		cmocka_unit_test(test_only_the_author_asks_to_widen_and_only_once),
		cmocka_unit_test(test_only_a_lead_of_the_items_school_approves_a_widening),
		cmocka_unit_test(test_a_lead_cannot_approve_their_own_item),
		cmocka_unit_test(test_the_author_narrows_a_shared_or_asked_item_again),
		cmocka_unit_test(test_a_partnership_item_is_seen_by_its_school_and_its_partner_schools_only),
		cmocka_unit_test(test_a_school_item_waiting_for_the_partner_schools_is_still_school_only),
		cmocka_unit_test(test_a_public_item_is_seen_by_everyone_even_without_signing_in),
		cmocka_unit_test(test_a_draft_is_seen_by_its_author_only_not_colleagues_leads_or_admins),
		cmocka_unit_test(test_a_draft_cannot_be_widened_published_tried_or_approved),
		cmocka_unit_test(test_a_school_that_is_no_partner_does_not_see_partnership_items_through_its_own_partners),
		cmocka_unit_test(test_a_partner_without_a_member_school_or_role_does_not_see_partnership_items),
		cmocka_unit_test(test_the_author_asks_for_the_partner_schools_only_when_the_school_has_a_partner),
		cmocka_unit_test(test_a_widening_goes_up_one_or_two_levels_never_down_or_to_the_public),
		cmocka_unit_test(test_only_a_lead_of_the_items_school_approves_the_partner_schools_not_a_partners_lead),
		cmocka_unit_test(test_a_lead_cannot_approve_their_own_item_for_the_partner_schools),
		cmocka_unit_test(test_the_author_narrows_to_any_lower_level_or_withdraws_a_request),
		cmocka_unit_test(test_a_coordinator_publishes_a_network_item_but_not_a_partnership_item),
		cmocka_unit_test(test_a_partner_school_tries_a_partnership_item_its_own_school_does_not),
		cmocka_unit_test(test_an_items_facts_read_from_its_row),
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
