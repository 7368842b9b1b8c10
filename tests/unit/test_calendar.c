// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_calendar.c — the pure helpers of the private calendar feed
 * (src/app/calendar/calendar.c): reading the token out of the feed's path
 * segment, the list every source adds its events to, the host that ends
 * every UID, the base of the links back to the pages, and the address shown
 * to the person. The feed itself is tested
 * black-box in tests/http/test_calendar.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/accounts/token.h"
#include "app/calendar/calendar.h"
#include "core/arena.h"

#define TOKEN "hZtmPmpXsJ_vKtk_NuMkV2_81nuP91N5QuroIoLuD2A"

static int setup(void **state)
{
	*state = arena_new();
	return token_init();
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void a_feed_segment_is_a_token_and_dot_ics(void **state)
{
	struct arena *a = *state;
	assert_string_equal(calendar_token_of(a, TOKEN ".ics"), TOKEN);
	char fresh[TOKEN_BUFSZ], seg[TOKEN_BUFSZ + 8];
	token_new(fresh);
	memcpy(seg, fresh, TOKEN_CHARS);
	memcpy(seg + TOKEN_CHARS, ".ics", 5);
	assert_string_equal(calendar_token_of(a, seg), fresh);
}

static void anything_else_is_not_a_feed(void **state)
{
	struct arena *a = *state;
	assert_null(calendar_token_of(a, NULL));
	assert_null(calendar_token_of(a, ""));
	assert_null(calendar_token_of(a, ".ics"));
	assert_null(calendar_token_of(a, TOKEN));            /* no suffix */
	assert_null(calendar_token_of(a, TOKEN ".ICS"));     /* the suffix exactly */
	assert_null(calendar_token_of(a, TOKEN ".ics.ics"));
	assert_null(calendar_token_of(a, "x" TOKEN ".ics")); /* 44 characters */
	assert_null(calendar_token_of(a, "hZtmPmpXsJ_vKtk_NuMkV2_81nuP91N5QuroIoLuD2.ics"));  /* 42 */
	assert_null(calendar_token_of(a, "hZtmPmpXsJ_vKtk_NuMkV2_81nuP91N5QuroIoLuD2+.ics")); /* not base64url */
	assert_null(calendar_token_of(a, "revoke"));
	assert_null(calendar_token_of(a, "tdm_" TOKEN ".ics")); /* an API token is not a feed */
}

static void uids_end_with_the_public_host(void **state)
{
	struct arena *a = *state;
	assert_string_equal(calendar_uid_domain(a, "https://tandem.example.org"), "tandem.example.org");
	assert_string_equal(calendar_uid_domain(a, "https://Tandem.Example.ORG/"), "tandem.example.org");
	assert_string_equal(calendar_uid_domain(a, "http://schools.example:8080/tandem/"), "schools.example");
	assert_string_equal(calendar_uid_domain(a, "https://a-b.example?x"), "a-b.example");
}

static void without_a_usable_host_uids_end_with_tandem(void **state)
{
	struct arena *a = *state;
	assert_string_equal(calendar_uid_domain(a, NULL), "tandem");
	assert_string_equal(calendar_uid_domain(a, ""), "tandem");
	assert_string_equal(calendar_uid_domain(a, "tandem.example.org"), "tandem");
	assert_string_equal(calendar_uid_domain(a, "ftp://tandem.example.org"), "tandem");
	assert_string_equal(calendar_uid_domain(a, "https://"), "tandem");
	assert_string_equal(calendar_uid_domain(a, "https://user@host.example"), "tandem");
	assert_string_equal(calendar_uid_domain(a, "https://[::1]:8080"), "tandem");
	assert_string_equal(calendar_uid_domain(a, "https://bad host"), "tandem");
}

static void links_start_with_the_base_url_without_trailing_slashes(void **state)
{
	struct arena *a = *state;
	assert_string_equal(calendar_link_base(a, "https://tandem.example.org"), "https://tandem.example.org");
	assert_string_equal(calendar_link_base(a, "https://tandem.example.org//"), "https://tandem.example.org");
	assert_string_equal(calendar_link_base(a, "http://x.example/t/"), "http://x.example/t");
	assert_null(calendar_link_base(a, NULL));
	assert_null(calendar_link_base(a, ""));
	assert_null(calendar_link_base(a, "/relative"));
	assert_null(calendar_link_base(a, "javascript:alert(1)"));
	assert_null(calendar_link_base(a, "https:///path"));
	assert_null(calendar_link_base(a, "https://bad host.example"));
	assert_null(calendar_link_base(a, "https://caf\xc3\xa9.example"));
}

static void the_address_shown_uses_the_base_url_first(void **state)
{
	struct arena *a = *state;
	const char *webcal;
	assert_string_equal(calendar_feed_url(a, "https://tandem.example.org/", "evil.example", TOKEN, &webcal),
			    "https://tandem.example.org/calendar/" TOKEN ".ics");
	assert_string_equal(webcal, "webcal://tandem.example.org/calendar/" TOKEN ".ics");
}

static void without_a_base_url_the_address_uses_the_host_the_browser_asked(void **state)
{
	struct arena *a = *state;
	const char *webcal;
	assert_string_equal(calendar_feed_url(a, "", "127.0.0.1:8080", TOKEN, &webcal),
			    "http://127.0.0.1:8080/calendar/" TOKEN ".ics");
	assert_string_equal(webcal, "webcal://127.0.0.1:8080/calendar/" TOKEN ".ics");
	assert_string_equal(calendar_feed_url(a, NULL, "[::1]:8080", TOKEN, &webcal),
			    "http://[::1]:8080/calendar/" TOKEN ".ics");
}

static void a_strange_host_gives_a_path_and_no_webcal_link(void **state)
{
	struct arena *a = *state;
	const char *webcal = "unset";
	assert_string_equal(calendar_feed_url(a, "", "evil.example/\"><script>", TOKEN, &webcal),
			    "/calendar/" TOKEN ".ics");
	assert_null(webcal);
	assert_string_equal(calendar_feed_url(a, "", NULL, TOKEN, &webcal), "/calendar/" TOKEN ".ics");
	assert_null(webcal);
	assert_string_equal(calendar_feed_url(a, "", "a b", TOKEN, &webcal), "/calendar/" TOKEN ".ics");
}

static void every_event_and_due_date_a_source_adds_is_kept_in_the_order_added(void **state)
{
	struct arena *a = *state;
	struct calendar_feed f = {.a = a};
	for (int i = 0; i < 1000; i++) {
		calendar_add_event(&f, &(struct ical_event){.uid = arena_printf(a, "e%d", i), .start = i, .end = i + 60});
		calendar_add_due(&f, &(struct ical_due){.uid = arena_printf(a, "d%d", i), .due = i * 86400});
	}
	assert_int_equal(f.n_events, 1000);
	assert_int_equal(f.n_dues, 1000);
	assert_true(f.cap_events >= 1000 && f.cap_dues >= 1000);
	assert_string_equal(f.events[0].uid, "e0");
	assert_string_equal(f.events[999].uid, "e999");
	assert_int_equal(f.events[500].start, 500);
	assert_string_equal(f.dues[0].uid, "d0");
	assert_string_equal(f.dues[999].uid, "d999");
	assert_int_equal(f.dues[17].due, 17 * 86400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_feed_segment_is_a_token_and_dot_ics),
		cmocka_unit_test(every_event_and_due_date_a_source_adds_is_kept_in_the_order_added),
		cmocka_unit_test(anything_else_is_not_a_feed),
		cmocka_unit_test(uids_end_with_the_public_host),
		cmocka_unit_test(without_a_usable_host_uids_end_with_tandem),
		cmocka_unit_test(links_start_with_the_base_url_without_trailing_slashes),
		cmocka_unit_test(the_address_shown_uses_the_base_url_first),
		cmocka_unit_test(without_a_base_url_the_address_uses_the_host_the_browser_asked),
		cmocka_unit_test(a_strange_host_gives_a_path_and_no_webcal_link),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
