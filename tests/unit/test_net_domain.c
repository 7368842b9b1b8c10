// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_net_domain.c — the email-domain rule that decides whether a school's
 * first lead is confirmed at once (src/app/networks/membership.c): the
 * school's domain read from the register's website field, and whether an
 * address is at that domain or a subdomain of it — never at a look-alike,
 * a parent domain shared by many schools, or a domain that merely ends with
 * the same letters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/networks/net.h"
#include "core/arena.h"

static void a_website_gives_its_host_without_scheme_www_port_or_path(void **state)
{
	struct arena *a = arena_new();
	assert_string_equal(net_site_domain(a, "www.weetwoodschool.co.uk/"), "weetwoodschool.co.uk");
	assert_string_equal(net_site_domain(a, "http://www.iveson-primary.co.uk"), "iveson-primary.co.uk");
	assert_string_equal(net_site_domain(a, "HTTPS://WWW.School.Org.UK:8443/about?x=1"), "school.org.uk");
	assert_string_equal(net_site_domain(a, "  hawksworthwood.leeds.sch.uk  "), "hawksworthwood.leeds.sch.uk");
	assert_string_equal(net_site_domain(a, "school.org.uk."), "school.org.uk");
	arena_free(a);
}

static void a_missing_or_odd_website_gives_no_domain(void **state)
{
	struct arena *a = arena_new();
	assert_string_equal(net_site_domain(a, NULL), "");
	assert_string_equal(net_site_domain(a, ""), "");
	assert_string_equal(net_site_domain(a, "localhost"), "");
	assert_string_equal(net_site_domain(a, "http://exa mple.com"), "");
	assert_string_equal(net_site_domain(a, "sch%ool.org.uk"), "");
	assert_string_equal(net_site_domain(a, "user@school.org.uk"), "");
	arena_free(a);
}

static void an_address_at_the_domain_or_a_subdomain_matches(void **state)
{
	assert_true(net_email_at_domain("head@weetwoodschool.co.uk", "weetwoodschool.co.uk"));
	assert_true(net_email_at_domain("Head@WeetwoodSchool.CO.UK", "weetwoodschool.co.uk"));
	assert_true(net_email_at_domain("head@staff.weetwoodschool.co.uk", "weetwoodschool.co.uk"));
}

static void look_alikes_parents_and_tails_do_not_match(void **state)
{
	assert_false(net_email_at_domain("m@evilweetwoodschool.co.uk", "weetwoodschool.co.uk"));
	assert_false(net_email_at_domain("m@weetwoodschool.co.uk.evil.test", "weetwoodschool.co.uk"));
	assert_false(net_email_at_domain("m@leeds.sch.uk", "hawksworthwood.leeds.sch.uk"));
	assert_false(net_email_at_domain("weetwoodschool.co.uk", "weetwoodschool.co.uk"));
	assert_false(net_email_at_domain("m@", "weetwoodschool.co.uk"));
	assert_false(net_email_at_domain("m@weetwoodschool.co.uk", ""));
	assert_false(net_email_at_domain(NULL, "weetwoodschool.co.uk"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_website_gives_its_host_without_scheme_www_port_or_path),
		cmocka_unit_test(a_missing_or_odd_website_gives_no_domain),
		cmocka_unit_test(an_address_at_the_domain_or_a_subdomain_matches),
		cmocka_unit_test(look_alikes_parents_and_tails_do_not_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
