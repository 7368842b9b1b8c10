// SPDX-License-Identifier: AGPL-3.0-or-later
/* test_clock_config.c — the injectable clock and configuration from the environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/config.h"

static void the_clock_moves_by_the_offset(void **state)
{
	clock_set_offset(0);
	int64_t t0 = clock_now();
	clock_set_offset(86400 * 7);
	int64_t t1 = clock_now();
	assert_true(t1 - t0 >= 86400 * 7 && t1 - t0 <= 86400 * 7 + 2);
	clock_set_offset(0);
}

static void uk_summer_time_starts_and_ends_at_one_in_the_morning_utc(void **state)
{
	(void)state;
	/* 2025: summer time from 30 March 01:00 UTC to 26 October 01:00 UTC. */
	assert_int_equal(clock_uk_offset(1743296400 - 1), 0);    /* 2025-03-30T00:59:59Z */
	assert_int_equal(clock_uk_offset(1743296400), 3600);     /* 2025-03-30T01:00:00Z */
	assert_int_equal(clock_uk_offset(1761440400 - 1), 3600); /* 2025-10-26T00:59:59Z */
	assert_int_equal(clock_uk_offset(1761440400), 0);        /* 2025-10-26T01:00:00Z */
	assert_int_equal(clock_uk_offset(1735689600), 0);        /* 2025-01-01 */
	assert_int_equal(clock_uk_offset(1751328000), 3600);     /* 2025-07-01 */
}

static void a_uk_wall_clock_time_becomes_the_right_instant(void **state)
{
	(void)state;
	/* 16:00 on 1 July 2025 is 15:00 UTC; 16:00 on 1 December 2025 is 16:00 UTC. */
	assert_int_equal(clock_uk_to_utc(1751328000 + 16 * 3600), 1751328000 + 15 * 3600);
	assert_int_equal(clock_uk_to_utc(1764547200 + 16 * 3600), 1764547200 + 16 * 3600);
	char day[11], hhmm[6];
	clock_uk_day_time(1751328000 + 15 * 3600, day, hhmm);
	assert_string_equal(day, "2025-07-01");
	assert_string_equal(hhmm, "16:00");
	/* 23:30 UTC on 30 June is already 1 July in the UK. */
	clock_uk_day_time(1751328000 - 1800, day, hhmm);
	assert_string_equal(day, "2025-07-01");
	assert_string_equal(hhmm, "00:30");
}

static void uk_times_are_written_for_people(void **state)
{
	(void)state;
	char s[40];
	clock_format_uk(1751328000 + 15 * 3600, 1, s, sizeof(s));
	assert_string_equal(s, "1 July 2025, 16:00");
	clock_format_uk(1764547200 + 16 * 3600, 0, s, sizeof(s));
	assert_string_equal(s, "1 December 2025");
}

/* Found by fuzz_clock: gmtime_r fails there and left its struct tm unset. */
static void an_instant_beyond_the_calendar_is_written_as_empty_text(void **state)
{
	(void)state;
	char iso[32] = "x", day[32] = "x", uk[64] = "x", uday[11] = "x", hhmm[6] = "x";
	clock_format_iso(INT64_MAX, iso, sizeof(iso));
	clock_format_date(INT64_MIN, day, sizeof(day));
	clock_format_uk(INT64_MAX, 1, uk, sizeof(uk));
	clock_uk_day_time(INT64_MIN, uday, hhmm);
	assert_string_equal(iso, "");
	assert_string_equal(day, "");
	assert_string_equal(uk, "");
	assert_string_equal(uday, "");
	assert_string_equal(hhmm, "");
	assert_int_equal(clock_uk_offset(INT64_MAX), 0);
}

/* Found by fuzz_clock: local - 3600 overflowed. */
static void the_earliest_wall_clock_time_does_not_overflow(void **state)
{
	(void)state;
	assert_true(clock_uk_to_utc(INT64_MIN) == INT64_MIN);
	assert_true(clock_uk_to_utc(INT64_MAX) == INT64_MAX);
}

/* Found by fuzz_clock: the year overflowed an int, and a five-digit year overran the day. */
static void years_past_9999_are_written_whole_or_not_at_all(void **state)
{
	(void)state;
	char uk[64], day[11], hhmm[6];
	/* The last second gmtime_r can express: 23:59:59 UTC on 31 December 2147485547. */
	clock_format_uk(INT64_C(67768036191676799), 1, uk, sizeof(uk));
	assert_string_equal(uk, "31 December 2147485547, 23:59");
	/* 10000-01-01T00:00:00Z: "10000-01-01" does not fit a day's 11 bytes. */
	clock_uk_day_time(INT64_C(253402300800), day, hhmm);
	assert_string_equal(day, "");
	assert_string_equal(hhmm, "00:00");
}

static void tandem_now_sets_an_absolute_time(void **state)
{
	setenv("TANDEM_NOW", "1800000000", 1);
	assert_int_equal(clock_init_from_env(), 0);
	int64_t t = clock_now();
	assert_true(t >= 1800000000 && t <= 1800000002);
	char iso[32];
	clock_format_iso(1800000000, iso, sizeof(iso));
	assert_string_equal(iso, "2027-01-15T08:00:00Z");
	unsetenv("TANDEM_NOW");
	setenv("TANDEM_CLOCK_OFFSET", "soon", 1);
	assert_int_equal(clock_init_from_env(), -1);
	unsetenv("TANDEM_CLOCK_OFFSET");
	clock_set_offset(0);
}

static void config_defaults_are_sensible(void **state)
{
	struct config c;
	char err[256];
	unsetenv("TANDEM_DB");
	unsetenv("TANDEM_LISTEN");
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_string_equal(c.db_path, "var/tandem.db");
	assert_string_equal(c.listen_addr, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_true(c.threads >= 1);
	assert_int_equal(c.max_body, 1024 * 1024);
	assert_int_equal(c.digest_interval, 3600);
	assert_int_equal(c.max_uploads, 2);
	config_free(&c);
}

static void the_upload_bound_comes_from_the_environment_within_limits(void **state)
{
	struct config c;
	char err[256];
	setenv("TANDEM_MAX_UPLOADS", "5", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_int_equal(c.max_uploads, 5);
	config_free(&c);
	setenv("TANDEM_MAX_UPLOADS", "0", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), ERR_INVALID);
	assert_string_equal(err, "TANDEM_MAX_UPLOADS must be a number from 1 to 64, got '0'");
	config_free(&c);
	unsetenv("TANDEM_MAX_UPLOADS");
}

static void environment_overrides_defaults(void **state)
{
	struct config c;
	char err[256];
	setenv("TANDEM_DB", "/tmp/x.db", 1);
	setenv("TANDEM_LISTEN", "[::1]:9090", 1);
	setenv("TANDEM_THREADS", "3", 1);
	setenv("TANDEM_DIGEST_INTERVAL", "0", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_int_equal(c.digest_interval, 0);
	assert_string_equal(c.db_path, "/tmp/x.db");
	assert_string_equal(c.listen_addr, "::1");
	assert_int_equal(c.port, 9090);
	assert_int_equal(c.threads, 3);
	config_free(&c);
	unsetenv("TANDEM_DB");
	unsetenv("TANDEM_LISTEN");
	unsetenv("TANDEM_THREADS");
	unsetenv("TANDEM_DIGEST_INTERVAL");
}

static void bad_environment_values_are_named_in_the_error(void **state)
{
	struct config c;
	char err[256];
	setenv("TANDEM_THREADS", "many", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), ERR_INVALID);
	assert_non_null(strstr(err, "TANDEM_THREADS"));
	config_free(&c);
	unsetenv("TANDEM_THREADS");
	setenv("TANDEM_LISTEN", "localhost:99999", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), ERR_INVALID);
	assert_non_null(strstr(err, "TANDEM_LISTEN"));
	config_free(&c);
	unsetenv("TANDEM_LISTEN");
	setenv("TANDEM_DIGEST_INTERVAL", "-1", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), ERR_INVALID);
	assert_non_null(strstr(err, "TANDEM_DIGEST_INTERVAL"));
	config_free(&c);
	unsetenv("TANDEM_DIGEST_INTERVAL");
}

static void the_contact_email_for_the_accessibility_statement_comes_from_the_environment(void **state)
{
	struct config c;
	char err[256];
	unsetenv("TANDEM_CONTACT_EMAIL");
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_string_equal(c.contact_email, "");
	config_free(&c);
	setenv("TANDEM_CONTACT_EMAIL", "access@network.example", 1);
	assert_int_equal(config_load(&c, err, sizeof(err)), 0);
	assert_string_equal(c.contact_email, "access@network.example");
	config_free(&c);
	unsetenv("TANDEM_CONTACT_EMAIL");
}

static void a_contact_email_that_is_not_an_address_is_refused_by_name(void **state)
{
	static const char *const bad[] = {"nobody", "Ann <ann@x.example>", "a b@x.example"};
	struct config c;
	char err[256];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("TANDEM_CONTACT_EMAIL", bad[i], 1);
		assert_int_equal(config_load(&c, err, sizeof(err)), ERR_INVALID);
		assert_non_null(strstr(err, "TANDEM_CONTACT_EMAIL"));
		config_free(&c);
	}
	unsetenv("TANDEM_CONTACT_EMAIL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_clock_moves_by_the_offset),
		cmocka_unit_test(uk_summer_time_starts_and_ends_at_one_in_the_morning_utc),
		cmocka_unit_test(a_uk_wall_clock_time_becomes_the_right_instant),
		cmocka_unit_test(uk_times_are_written_for_people),
		cmocka_unit_test(an_instant_beyond_the_calendar_is_written_as_empty_text),
		cmocka_unit_test(the_earliest_wall_clock_time_does_not_overflow),
		cmocka_unit_test(years_past_9999_are_written_whole_or_not_at_all),
		cmocka_unit_test(tandem_now_sets_an_absolute_time),
		cmocka_unit_test(config_defaults_are_sensible),
		cmocka_unit_test(environment_overrides_defaults),
		cmocka_unit_test(the_upload_bound_comes_from_the_environment_within_limits),
		cmocka_unit_test(bad_environment_values_are_named_in_the_error),
		cmocka_unit_test(the_contact_email_for_the_accessibility_statement_comes_from_the_environment),
		cmocka_unit_test(a_contact_email_that_is_not_an_address_is_refused_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
