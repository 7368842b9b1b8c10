// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_accounts.c — the parts of accounts that need no store or server: the
 * password policy (length, the common list, personal details) and rehash
 * detection, tokens and their hashes, the CSRF origin checks, and the
 * throttle's arithmetic with a moved clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "app/accounts/csrf.h"
#include "app/accounts/password.h"
#include "app/accounts/throttle.h"
#include "app/accounts/token.h"
#include "core/clock.h"

static int load_list(void **state)
{
	(void)state;
	char path[1024], err[256];
	const char *root = getenv("TANDEM_SOURCE_DIR");
	snprintf(path, sizeof(path), "%s/data/common-passwords.txt", root ? root : TANDEM_SOURCE_DIR);
	if (token_init() || password_list_load(path, err, sizeof(err)))
		return -1;
	return 0;
}

static int free_list(void **state)
{
	(void)state;
	password_list_free();
	return 0;
}

/* ---- password policy ---------------------------------------------------- */

static void the_common_list_is_loaded_with_hundreds_of_entries(void **state)
{
	assert_true(password_list_size() >= 200);
	assert_true(password_is_common("password"));
	assert_true(password_is_common("PASSWORD"));
	assert_false(password_is_common("tractor-lagoon-pencil"));
}

static void a_password_needs_at_least_ten_characters(void **state)
{
	assert_non_null(password_weakness("", NULL, NULL));
	assert_non_null(password_weakness("violet-ox", NULL, NULL)); /* 9 */
	assert_null(password_weakness("violet-oxe", NULL, NULL));    /* 10 */
	/* Characters, not bytes: nine two-byte letters are still too short. */
	assert_non_null(password_weakness("ééééééééé", NULL, NULL));
}

static void common_passwords_are_refused_in_any_case(void **state)
{
	assert_non_null(password_weakness("1234567890", NULL, NULL));
	assert_non_null(password_weakness("QwertyUiop", NULL, NULL));
	assert_non_null(password_weakness("Password123", NULL, NULL));
}

static void common_words_with_digits_or_symbols_added_are_refused(void **state)
{
	assert_non_null(password_weakness("Sunshine2024!", NULL, NULL));
	assert_non_null(password_weakness("liverpool1234", NULL, NULL));
	assert_non_null(password_weakness("Headteacher1!", NULL, NULL));
	assert_null(password_weakness("sunshine over the moors", NULL, NULL));
}

static void the_email_or_name_is_not_a_password(void **state)
{
	assert_non_null(password_weakness("jane.smith@school.org.uk", "jane.smith@school.org.uk", "Jane"));
	assert_non_null(password_weakness("Jane.Smith", "jane.smith@school.org.uk", "Jane"));
	assert_non_null(password_weakness("Jane Smithson", "js@school.org.uk", "Jane Smithson"));
	assert_non_null(password_weakness("janesmithson1", "js@school.org.uk", "Jane Smithson"));
	assert_null(password_weakness("maple syrup at dawn", "js@school.org.uk", "Jane Smithson"));
}

static void one_character_repeated_is_refused(void **state)
{
	assert_non_null(password_weakness("zzzzzzzzzzzz", NULL, NULL));
}

static void a_hash_verifies_only_its_own_password(void **state)
{
	char hash[PASSWORD_HASH_BUFSZ];
	assert_int_equal(password_hash("maple syrup at dawn", hash), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_int_equal(password_verify(hash, "maple syrup at dawn"), 0);
	assert_int_equal(password_verify(hash, "maple syrup at dusk"), ERR_UNAUTH);
	assert_false(password_needs_rehash(hash));
}

static void a_hash_made_with_older_limits_needs_rehashing(void **state)
{
	char old[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str(old, "maple syrup at dawn", 19, crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_true(password_needs_rehash(old));
	assert_int_equal(password_verify(old, "maple syrup at dawn"), 0);
}

/* ---- tokens --------------------------------------------------------------- */

static void tokens_are_43_url_safe_characters_and_differ(void **state)
{
	char a[TOKEN_BUFSZ], b[TOKEN_BUFSZ];
	token_new(a);
	token_new(b);
	assert_int_equal(strlen(a), TOKEN_CHARS);
	assert_true(token_well_formed(a, NULL));
	assert_string_not_equal(a, b);
	assert_false(token_well_formed("short", NULL));
	assert_false(token_well_formed("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", NULL));
	char api[64];
	snprintf(api, sizeof(api), "%s%s", TOKEN_API_PREFIX, a);
	assert_true(token_well_formed(api, TOKEN_API_PREFIX));
	assert_false(token_well_formed(a, TOKEN_API_PREFIX));
}

static void a_token_hash_is_the_hex_sha256(void **state)
{
	char hex[TOKEN_HASH_BUFSZ];
	token_hash("abc", hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	token_hash("", hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void the_session_csrf_token_is_stable_and_not_the_hash(void **state)
{
	char t[TOKEN_BUFSZ], c1[TOKEN_CSRF_BUFSZ], c2[TOKEN_CSRF_BUFSZ], other[TOKEN_CSRF_BUFSZ];
	char h[TOKEN_HASH_BUFSZ], t2[TOKEN_BUFSZ];
	token_new(t);
	token_new(t2);
	token_session_csrf(t, c1);
	token_session_csrf(t, c2);
	token_session_csrf(t2, other);
	token_hash(t, h);
	assert_string_equal(c1, c2);
	assert_string_not_equal(c1, other);
	assert_string_not_equal(c1, h);
	assert_int_equal(strlen(c1), 64);
}

static void token_comparison_needs_equal_non_empty_strings(void **state)
{
	assert_true(token_equal("abcdef", "abcdef"));
	assert_false(token_equal("abcdef", "abcdeg"));
	assert_false(token_equal("abcdef", "abcde"));
	assert_false(token_equal("", ""));
	assert_false(token_equal(NULL, "x"));
	assert_false(token_equal("x", NULL));
}

/* ---- CSRF origin ---------------------------------------------------------- */

static void origins_are_normalised(void **state)
{
	char o[128];
	assert_true(csrf_origin_of("HTTPS://Tandem.Example.org:443/path?x", o, sizeof(o)));
	assert_string_equal(o, "https://tandem.example.org");
	assert_true(csrf_origin_of("http://127.0.0.1:8080/", o, sizeof(o)));
	assert_string_equal(o, "http://127.0.0.1:8080");
	assert_true(csrf_origin_of("http://[::1]:80", o, sizeof(o)));
	assert_string_equal(o, "http://[::1]");
	assert_false(csrf_origin_of("not a url", o, sizeof(o)));
	assert_false(csrf_origin_of("http://user@evil.example/", o, sizeof(o)));
}

static void same_origin_requests_pass(void **state)
{
	assert_true(csrf_origin_ok("http://127.0.0.1:8080", NULL, "same-origin", "127.0.0.1:8080", "", false));
	assert_true(csrf_origin_ok(NULL, "http://127.0.0.1:8080/sign-in", NULL, "127.0.0.1:8080", NULL, false));
	assert_true(csrf_origin_ok("https://tandem.example.org", NULL, "same-origin", "127.0.0.1:8080",
				   "https://tandem.example.org/", true));
}

static void requests_without_browser_headers_pass_to_the_token_check(void **state)
{
	assert_true(csrf_origin_ok(NULL, NULL, NULL, "127.0.0.1:8080", "", false));
}

static void a_forged_origin_is_refused(void **state)
{
	assert_false(csrf_origin_ok("http://evil.example", NULL, NULL, "127.0.0.1:8080", "", false));
	assert_false(csrf_origin_ok("null", NULL, NULL, "127.0.0.1:8080", "", false));
	assert_false(csrf_origin_ok("http://127.0.0.1:8081", NULL, NULL, "127.0.0.1:8080", "", false));
	assert_false(csrf_origin_ok(NULL, "http://evil.example/page", NULL, "127.0.0.1:8080", "", false));
	/* With a base URL, only its origin counts, whatever the Host says. */
	assert_false(csrf_origin_ok("http://attacker.example", NULL, NULL, "attacker.example",
				    "https://tandem.example.org", true));
	/* http and https are different origins. */
	assert_false(csrf_origin_ok("http://tandem.example.org", NULL, NULL, "tandem.example.org",
				    "https://tandem.example.org", true));
}

static void cross_site_fetches_are_refused(void **state)
{
	assert_false(csrf_origin_ok("http://127.0.0.1:8080", NULL, "cross-site", "127.0.0.1:8080", "", false));
	assert_false(csrf_origin_ok(NULL, NULL, "Cross-Site", "127.0.0.1:8080", "", false));
}

/* ---- throttle arithmetic ---------------------------------------------------- */

static void two_failures_cost_nothing_then_waits_grow_then_a_lock(void **state)
{
	struct throttle_state s = {0};
	int64_t t = 1800000000;
	assert_false(throttle_fail_step(&throttle_account, &s, t));
	assert_int_equal(throttle_wait(&throttle_account, &s, t), 0);
	assert_false(throttle_fail_step(&throttle_account, &s, t));
	assert_int_equal(throttle_wait(&throttle_account, &s, t), 0);
	assert_false(throttle_fail_step(&throttle_account, &s, t)); /* third: wait 1 s */
	assert_int_equal(throttle_wait(&throttle_account, &s, t), 1);
	assert_int_equal(throttle_wait(&throttle_account, &s, t + 1), 0);
	assert_false(throttle_fail_step(&throttle_account, &s, t + 1)); /* fourth: wait 2 s */
	assert_int_equal(throttle_wait(&throttle_account, &s, t + 1), 2);
	assert_true(throttle_fail_step(&throttle_account, &s, t + 3)); /* fifth: locked */
	assert_true(throttle_locked(&s, t + 3));
	assert_int_equal(throttle_wait(&throttle_account, &s, t + 3), 900);
	assert_int_equal(throttle_wait(&throttle_account, &s, t + 3 + 899), 1);
}

static void a_lock_ends_and_the_count_starts_again(void **state)
{
	struct throttle_state s = {0};
	int64_t t = 1800000000;
	for (int i = 0; i < 5; i++)
		throttle_fail_step(&throttle_account, &s, t);
	assert_true(throttle_locked(&s, t));
	/* Failing again while locked neither extends nor counts. */
	assert_false(throttle_fail_step(&throttle_account, &s, t + 10));
	assert_int_equal(s.locked_until, t + 900);
	t += 900;
	assert_false(throttle_locked(&s, t));
	assert_int_equal(throttle_wait(&throttle_account, &s, t), 0);
	assert_false(throttle_fail_step(&throttle_account, &s, t));
	assert_int_equal(s.failures, 1);
}

static void failures_older_than_the_window_are_forgotten(void **state)
{
	struct throttle_state s = {0};
	int64_t t = 1800000000;
	for (int i = 0; i < 4; i++)
		throttle_fail_step(&throttle_account, &s, t + i * 10);
	assert_int_equal(s.failures, 4);
	assert_false(throttle_fail_step(&throttle_account, &s, t + 900));
	assert_int_equal(s.failures, 1);
	assert_false(throttle_locked(&s, t + 900));
}

static void the_moved_clock_drives_the_throttle(void **state)
{
	struct throttle_state s = {0};
	clock_set_offset(0);
	for (int i = 0; i < 5; i++)
		throttle_fail_step(&throttle_account, &s, clock_now());
	assert_true(throttle_locked(&s, clock_now()));
	clock_set_offset(16 * 60);
	assert_false(throttle_locked(&s, clock_now()));
	assert_int_equal(throttle_wait(&throttle_account, &s, clock_now()), 0);
	clock_set_offset(0);
}

static void the_address_rule_is_looser_and_the_waits_are_capped(void **state)
{
	struct throttle_state s = {0};
	int64_t t = 1800000000;
	for (int i = 0; i < 10; i++)
		throttle_fail_step(&throttle_ip, &s, t);
	assert_int_equal(throttle_wait(&throttle_ip, &s, t), 0);
	int64_t last = 0;
	for (int i = 10; i < 29; i++) {
		throttle_fail_step(&throttle_ip, &s, t);
		int64_t w = throttle_wait(&throttle_ip, &s, t);
		assert_true(w >= last && w <= throttle_ip.max_delay);
		last = w;
	}
	assert_int_equal(last, throttle_ip.max_delay);
	assert_true(throttle_fail_step(&throttle_ip, &s, t)); /* thirtieth */
}

static void three_reset_emails_an_hour(void **state)
{
	struct throttle_state s = {0};
	int64_t t = 1800000000;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(throttle_wait(&throttle_reset, &s, t + i), 0);
		throttle_fail_step(&throttle_reset, &s, t + i);
	}
	assert_true(throttle_wait(&throttle_reset, &s, t + 3) > 0);
	assert_int_equal(throttle_wait(&throttle_reset, &s, t + 2 + 3600), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_common_list_is_loaded_with_hundreds_of_entries),
		cmocka_unit_test(a_password_needs_at_least_ten_characters),
		cmocka_unit_test(common_passwords_are_refused_in_any_case),
		cmocka_unit_test(common_words_with_digits_or_symbols_added_are_refused),
		cmocka_unit_test(the_email_or_name_is_not_a_password),
		cmocka_unit_test(one_character_repeated_is_refused),
		cmocka_unit_test(a_hash_verifies_only_its_own_password),
		cmocka_unit_test(a_hash_made_with_older_limits_needs_rehashing),
		cmocka_unit_test(tokens_are_43_url_safe_characters_and_differ),
		cmocka_unit_test(a_token_hash_is_the_hex_sha256),
		cmocka_unit_test(the_session_csrf_token_is_stable_and_not_the_hash),
		cmocka_unit_test(token_comparison_needs_equal_non_empty_strings),
		cmocka_unit_test(origins_are_normalised),
		cmocka_unit_test(same_origin_requests_pass),
		cmocka_unit_test(requests_without_browser_headers_pass_to_the_token_check),
		cmocka_unit_test(a_forged_origin_is_refused),
		cmocka_unit_test(cross_site_fetches_are_refused),
		cmocka_unit_test(two_failures_cost_nothing_then_waits_grow_then_a_lock),
		cmocka_unit_test(a_lock_ends_and_the_count_starts_again),
		cmocka_unit_test(failures_older_than_the_window_are_forgotten),
		cmocka_unit_test(the_moved_clock_drives_the_throttle),
		cmocka_unit_test(the_address_rule_is_looser_and_the_waits_are_capped),
		cmocka_unit_test(three_reset_emails_an_hour),
	};
	return cmocka_run_group_tests(tests, load_list, free_list);
}
