// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_calendar.c — the pure helpers of the private calendar feed
 * (src/app/partnerships/calendar.c): reading the token out of the feed's
 * path segment, the host that ends every UID, the base of the links back to
 * the pages, and the address shown to the person. The feed itself is tested
 * black-box in tests/http/test_calendar.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/accounts/token.h"
#include "app/partnerships/calendar.h"
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
	assert_string_equal(ps_calendar_token_of(a, TOKEN ".ics"), TOKEN);
	char fresh[TOKEN_BUFSZ], seg[TOKEN_BUFSZ + 8];
	token_new(fresh);
	memcpy(seg, fresh, TOKEN_CHARS);
	memcpy(seg + TOKEN_CHARS, ".ics", 5);
	assert_string_equal(ps_calendar_token_of(a, seg), fresh);
}

static void anything_else_is_not_a_feed(void **state)
{
	struct arena *a = *state;
	assert_null(ps_calendar_token_of(a, NULL));
	assert_null(ps_calendar_token_of(a, ""));
	assert_null(ps_calendar_token_of(a, ".ics"));
	assert_null(ps_calendar_token_of(a, TOKEN));            /* no suffix */
	assert_null(ps_calendar_token_of(a, TOKEN ".ICS"));     /* the suffix exactly */
	assert_null(ps_calendar_token_of(a, TOKEN ".ics.ics"));
	assert_null(ps_calendar_token_of(a, "x" TOKEN ".ics")); /* 44 characters */
	assert_null(ps_calendar_token_of(a, "hZtmPmpXsJ_vKtk_NuMkV2_81nuP91N5QuroIoLuD2.ics"));  /* 42 */
	assert_null(ps_calendar_token_of(a, "hZtmPmpXsJ_vKtk_NuMkV2_81nuP91N5QuroIoLuD2+.ics")); /* not base64url */
	assert_null(ps_calendar_token_of(a, "revoke"));
	assert_null(ps_calendar_token_of(a, "tdm_" TOKEN ".ics")); /* an API token is not a feed */
}

static void uids_end_with_the_public_host(void **state)
{
	struct arena *a = *state;
	assert_string_equal(ps_calendar_uid_domain(a, "https://tandem.example.org"), "tandem.example.org");
	assert_string_equal(ps_calendar_uid_domain(a, "https://Tandem.Example.ORG/"), "tandem.example.org");
	assert_string_equal(ps_calendar_uid_domain(a, "http://schools.example:8080/tandem/"), "schools.example");
	assert_string_equal(ps_calendar_uid_domain(a, "https://a-b.example?x"), "a-b.example");
}

static void without_a_usable_host_uids_end_with_tandem(void **state)
{
	struct arena *a = *state;
	assert_string_equal(ps_calendar_uid_domain(a, NULL), "tandem");
	assert_string_equal(ps_calendar_uid_domain(a, ""), "tandem");
	assert_string_equal(ps_calendar_uid_domain(a, "tandem.example.org"), "tandem");
	assert_string_equal(ps_calendar_uid_domain(a, "ftp://tandem.example.org"), "tandem");
	assert_string_equal(ps_calendar_uid_domain(a, "https://"), "tandem");
	assert_string_equal(ps_calendar_uid_domain(a, "https://user@host.example"), "tandem");
	assert_string_equal(ps_calendar_uid_domain(a, "https://[::1]:8080"), "tandem");
	assert_string_equal(ps_calendar_uid_domain(a, "https://bad host"), "tandem");
}

static void links_start_with_the_base_url_without_trailing_slashes(void **state)
{
	struct arena *a = *state;
	assert_string_equal(ps_calendar_link_base(a, "https://tandem.example.org"), "https://tandem.example.org");
	assert_string_equal(ps_calendar_link_base(a, "https://tandem.example.org//"), "https://tandem.example.org");
	assert_string_equal(ps_calendar_link_base(a, "http://x.example/t/"), "http://x.example/t");
	assert_null(ps_calendar_link_base(a, NULL));
	assert_null(ps_calendar_link_base(a, ""));
	assert_null(ps_calendar_link_base(a, "/relative"));
	assert_null(ps_calendar_link_base(a, "javascript:alert(1)"));
	assert_null(ps_calendar_link_base(a, "https:///path"));
	assert_null(ps_calendar_link_base(a, "https://bad host.example"));
	assert_null(ps_calendar_link_base(a, "https://caf\xc3\xa9.example"));
}

static void the_address_shown_uses_the_base_url_first(void **state)
{
	struct arena *a = *state;
	const char *webcal;
	assert_string_equal(ps_calendar_feed_url(a, "https://tandem.example.org/", "evil.example", TOKEN, &webcal),
			    "https://tandem.example.org/calendar/" TOKEN ".ics");
	assert_string_equal(webcal, "webcal://tandem.example.org/calendar/" TOKEN ".ics");
}

static void without_a_base_url_the_address_uses_the_host_the_browser_asked(void **state)
{
	struct arena *a = *state;
	const char *webcal;
	assert_string_equal(ps_calendar_feed_url(a, "", "127.0.0.1:8080", TOKEN, &webcal),
			    "http://127.0.0.1:8080/calendar/" TOKEN ".ics");
	assert_string_equal(webcal, "webcal://127.0.0.1:8080/calendar/" TOKEN ".ics");
	assert_string_equal(ps_calendar_feed_url(a, NULL, "[::1]:8080", TOKEN, &webcal),
			    "http://[::1]:8080/calendar/" TOKEN ".ics");
}

static void a_strange_host_gives_a_path_and_no_webcal_link(void **state)
{
	struct arena *a = *state;
	const char *webcal = "unset";
	assert_string_equal(ps_calendar_feed_url(a, "", "evil.example/\"><script>", TOKEN, &webcal),
			    "/calendar/" TOKEN ".ics");
	assert_null(webcal);
	assert_string_equal(ps_calendar_feed_url(a, "", NULL, TOKEN, &webcal), "/calendar/" TOKEN ".ics");
	assert_null(webcal);
	assert_string_equal(ps_calendar_feed_url(a, "", "a b", TOKEN, &webcal), "/calendar/" TOKEN ".ics");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_feed_segment_is_a_token_and_dot_ics),
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
