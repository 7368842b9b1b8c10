// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_directory.c — the in-memory schools directory (directory.c) and its
 * plain wording (wording.c) on a handful of made-up establishments: words
 * folded and matched by prefix, St/Saint and apostrophes, postcodes and
 * outcodes, filters, orders with missing values last, pages, spelling
 * suggestions and merged filter labels.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/schools/directory.h"
#include "core/arena.h"

/* Eight establishments: Leeds (383) and Harrogate (815), open and closed, with and without figures. */
static const struct dir_school rows[] = {
	{.urn = 1, .name = "Quarry Mount Primary School", .town = "Leeds", .postcode = "LS6 2JP", .status_code = "1",
	 .phase_group = "primary", .phase_name = "Primary", .code = {"383", "D", "4", "00", "3", "A1"},
	 .label = {"Leeds", "Yorkshire and the Humber", "Local authority maintained schools", "Does not apply", "Mixed",
		   "(England/Wales) Urban major conurbation"},
	 .pupils = 210, .fsm_pct = 40.5, .has_location = true, .lat = 53.81, .lon = -1.56},
	{.urn = 2, .name = "St Robert's Catholic Primary School", .town = "Harrogate", .postcode = "HG1 4AP",
	 .status_code = "1", .phase_group = "primary", .code = {"815", "D", "10", "03", "3", "C1"},
	 .label = {"North Yorkshire", "Yorkshire and the Humber", "Academies", "Roman Catholic", "Mixed",
		   "(England/Wales) Urban city and town"},
	 .pupils = -1, .fsm_pct = NAN, .has_location = true, .lat = 53.99, .lon = -1.53},
	{.urn = 3, .name = "Saint Mary's School", .town = "Leeds", .postcode = "LS16 5NW", .status_code = "2",
	 .phase_group = "secondary", .code = {"383", "D", "4", "99", "3", "A1"},
	 .label = {"Leeds", "Yorkshire and the Humber", "Local authority maintained schools", "None", "Mixed",
		   "(England/Wales) Urban major conurbation"},
	 .pupils = 900, .fsm_pct = 12.0, .has_location = true, .lat = 53.84, .lon = -1.58},
	{.urn = 4, .name = "Lawnswood School", .town = "Leeds", .postcode = "LS16 5AG", .status_code = "1",
	 .phase_group = "secondary", .code = {"383", "D", "4", "00", "3", "A1"},
	 .label = {"Leeds", "Yorkshire and the Humber", "Local authority maintained schools", "Does not apply", "Mixed",
		   "(England/Wales) Urban major conurbation"},
	 .pupils = 1500, .fsm_pct = NAN, .has_location = true, .lat = 53.84, .lon = -1.59},
	{.urn = 5, .name = "All Saints Church of England School", .town = "Harrogate", .postcode = "HG3 1HD",
	 .status_code = "1", .phase_group = "primary", .code = {"815", "D", "4", "02", "3", "D1"},
	 .label = {"North Yorkshire", "Yorkshire and the Humber", "Local authority maintained schools",
		   "Church of England", "Mixed", "(England/Wales) Rural town and fringe"},
	 .pupils = 90, .fsm_pct = 5.0, .has_location = true, .lat = 54.00, .lon = -1.60},
	{.urn = 6, .name = "Möunt Independent School", .town = "Leeds", .postcode = "LS6 3AA", .status_code = "1",
	 .phase_group = "none", .code = {"383", "D", "3", NULL, "3", "A1"},
	 .label = {"Leeds", "Yorkshire and the Humber", "Independent schools", NULL, "Mixed",
		   "(England/Wales) Urban major conurbation"},
	 .pupils = 300, .fsm_pct = NAN, .has_location = true, .lat = 53.82, .lon = -1.57},
	{.urn = 7, .name = "Stanley Road Nursery", .town = "Leeds", .postcode = NULL, .status_code = "1",
	 .phase_group = "nursery", .code = {"383", "D", "4", NULL, NULL, NULL},
	 .label = {"Leeds", "Yorkshire and the Humber", "Local authority maintained schools", NULL, NULL, NULL},
	 .pupils = 60, .fsm_pct = 20.0, .has_location = false},
	{.urn = 8, .name = "Beckwithshaw Primary", .town = "Harrogate", .postcode = "HG3 1QW", .status_code = "1",
	 .phase_group = "primary", .code = {"815", "D", "4", "00", "3", "E1"},
	 .label = {"North Yorkshire", "Yorkshire and the Humber", "Local authority maintained schools", "Does not apply",
		   "Mixed", "(England/Wales) Rural village"},
	 .pupils = 50, .fsm_pct = 2.0, .has_location = true, .lat = 54.01, .lon = -1.61},
};

static int setup(void **state)
{
	struct dir_index *ix;
	assert_int_equal(dir_build(rows, sizeof(rows) / sizeof(rows[0]), &ix), 0);
	*state = ix;
	return 0;
}

static int teardown(void **state)
{
	dir_unref(*state);
	return 0;
}

static struct dir_query query(void)
{
	struct dir_query q;
	memset(&q, 0, sizeof(q));
	q.status = DIR_ALL;
	q.group = -1;
	q.pupils_min = q.pupils_max = -1;
	q.fsm_min = q.fsm_max = NAN;
	q.limit = 100;
	return q;
}

/* The URNs a query finds, in order, as "1,4,…" in buf. */
static const char *urns(const struct dir_index *ix, const struct dir_query *q, char *buf, size_t n)
{
	struct arena *a = arena_new();
	struct dir_result r;
	assert_int_equal(dir_query(ix, q, a, &r), 0);
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r.n && o + 12 < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%d", i ? "," : "", r.hits[i].e->urn);
	arena_free(a);
	return buf;
}

static const char *find_text(const struct dir_index *ix, const char *text, char *buf, size_t n)
{
	struct dir_query q = query();
	q.text = text;
	return urns(ix, &q, buf, n);
}

static void words_are_folded_and_matched_by_their_beginning(void **state)
{
	char b[128];
	assert_string_equal(find_text(*state, "mou qua", b, sizeof(b)), "1");
	assert_string_equal(find_text(*state, "MOUNT", b, sizeof(b)), "6,1");
	assert_string_equal(find_text(*state, "möunt indep", b, sizeof(b)), "6");
	assert_string_equal(find_text(*state, "harrogate primary", b, sizeof(b)), "8,2");
}

static void apostrophes_inside_words_do_not_matter(void **state)
{
	char a[128], b[128];
	assert_string_equal(find_text(*state, "roberts", a, sizeof(a)), "2");
	assert_string_equal(find_text(*state, "robert's", b, sizeof(b)), "2");
	assert_string_equal(find_text(*state, "Robert\xe2\x80\x99s", b, sizeof(b)), "2");
}

static void st_and_saint_are_one_word_and_match_only_themselves(void **state)
{
	char b[128];
	assert_string_equal(find_text(*state, "st marys", b, sizeof(b)), "3");
	assert_string_equal(find_text(*state, "saint marys", b, sizeof(b)), "3");
	assert_string_equal(find_text(*state, "St. Mary's", b, sizeof(b)), "3");
	/* "st" does not find Stanley; "saint" still finds All Saints. */
	assert_string_equal(find_text(*state, "st", b, sizeof(b)), "3,2");
	assert_string_equal(find_text(*state, "saint", b, sizeof(b)), "5,3,2");
}

static void text_without_letters_or_digits_is_refused(void **state)
{
	struct dir_query q = query();
	q.text = "?! --";
	struct arena *a = arena_new();
	struct dir_result r;
	assert_int_equal(dir_query(*state, &q, a, &r), ERR_INVALID);
	arena_free(a);
	assert_false(dir_has_words("''"));
	assert_true(dir_has_words("x"));
}

static void postcode_shapes_are_recognised(void **state)
{
	(void)state;
	char k[16];
	dir_postcode_key(" ls16 5nw ", k);
	assert_string_equal(k, "LS165NW");
	assert_true(dir_is_postcode("LS165NW"));
	assert_true(dir_is_postcode("SW1A1AA"));
	assert_true(dir_is_outcode("HG1"));
	assert_true(dir_is_outcode("SW1A"));
	assert_false(dir_is_outcode("LEEDS"));
	assert_false(dir_is_outcode("1LS"));
	assert_false(dir_is_postcode("LS16"));
	assert_false(dir_is_postcode("LS165N5"));
}

static void a_postcode_is_placed_at_its_schools_then_its_sector_then_its_district(void **state)
{
	struct dir_place p;
	assert_int_equal(dir_locate(*state, "LS165NW", &p), 0);
	assert_int_equal(p.precision, DIR_AT_POSTCODE);
	assert_int_equal(p.schools, 1);
	assert_int_equal(dir_locate(*state, "LS165ZZ", &p), 0);
	assert_int_equal(p.precision, DIR_AT_SECTOR);
	assert_int_equal(p.schools, 2);
	assert_string_equal(p.sector, "LS16 5");
	assert_int_equal(dir_locate(*state, "LS169ZZ", &p), 0);
	assert_int_equal(p.precision, DIR_AT_OUTCODE);
	assert_int_equal(dir_locate(*state, "HG1", &p), 0);
	assert_int_equal(p.schools, 1);
	assert_int_equal(dir_locate(*state, "ZZ99ZZ", &p), ERR_NOTFOUND);
	assert_int_equal(dir_locate(*state, "LEEDS", &p), ERR_INVALID);
	assert_true(dir_has_outcode(*state, "LS6"));
	assert_false(dir_has_outcode(*state, "LS1"));
}

static void a_district_filter_does_not_take_a_longer_district_with_the_same_start(void **state)
{
	char b[128];
	struct dir_query q = query();
	q.postcode = "LS1";
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "");
	q.postcode = "LS16";
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "4,3");
	q.postcode = "LS165NW";
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "3");
}

static void open_is_the_default_status_and_filters_combine(void **state)
{
	char b[128];
	struct dir_query q = query();
	q.status = DIR_OPEN;
	q.facet[DIR_FACET_LA] = "383";
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "4,6,1,7");
	q.group = 3; /* GIAS_PHASE_SECONDARY */
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "4");
	q = query();
	q.pupils_min = 100;
	q.pupils_max = 1000;
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "6,1,3");
	q = query();
	q.facet[DIR_FACET_LA] = "999";
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "");
}

static void near_keeps_the_radius_and_can_leave_out_independent_schools(void **state)
{
	char b[128];
	struct dir_query q = query();
	q.near = true;
	q.lat = 53.81;
	q.lon = -1.56;
	q.within_km = 2;
	q.sort = DIR_SORT_DISTANCE;
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "1,6");
	q.schools_only = true;
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "1");
}

static void measures_sort_highest_first_with_unknown_figures_last(void **state)
{
	char b[128];
	struct dir_query q = query();
	q.sort = DIR_SORT_PUPILS;
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "4,3,6,1,5,7,8,2");
	q.sort = DIR_SORT_FSM;
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "1,7,3,5,8,4,6,2");
	q.facet[DIR_FACET_LA] = "383";
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "1,7,3,4,6");
}

static void a_page_counts_everything_and_keeps_its_rows(void **state)
{
	struct dir_query q = query();
	q.offset = 2;
	q.limit = 3;
	struct arena *a = arena_new();
	struct dir_result r;
	assert_int_equal(dir_query(*state, &q, a, &r), 0);
	assert_int_equal(r.total, 8);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.hits[0].e->urn, 4); /* All Saints, Beckwithshaw, Lawnswood, … */
	arena_free(a);
}

static void a_status_alone_pages_through_its_kept_list(void **state)
{
	char b[128];
	struct dir_query q = query();
	q.status = DIR_OPEN;
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "5,8,4,6,1,2,7");
	q.status = DIR_CLOSED;
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "3");
	q.status = DIR_OPEN;
	q.offset = 5;
	q.limit = 10;
	struct arena *a = arena_new();
	struct dir_result r;
	assert_int_equal(dir_query(*state, &q, a, &r), 0);
	assert_int_equal(r.total, 7);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.hits[1].e->urn, 7);
	arena_free(a);
}

static void a_misspelt_word_is_offered_the_nearest_names(void **state)
{
	struct dir_query q = query();
	q.text = "lawnswod";
	struct arena *a = arena_new();
	const char *out[3];
	size_t n = dir_suggest(*state, &q, a, out, 3);
	assert_true(n >= 1);
	assert_string_equal(out[0], "Lawnswood");
	q.text = "quarry mont";
	n = dir_suggest(*state, &q, a, out, 3);
	assert_true(n >= 1);
	assert_string_equal(out[0], "quarry Mount");
	q.text = "lawnswood";
	assert_int_equal(dir_suggest(*state, &q, a, out, 3), 0);
	arena_free(a);
}

static void codes_with_the_same_plain_label_are_one_choice(void **state)
{
	size_t n;
	const struct dir_choice *c = dir_facet_choices(*state, DIR_FACET_RELIGIOUS, &n);
	assert_int_equal(n, 3); /* Church of England, None, Roman Catholic */
	assert_string_equal(c[1].label, "None");
	assert_string_equal(c[1].code, "00");
	assert_int_equal(dir_facet_id(*state, DIR_FACET_RELIGIOUS, "99"), c[1].id);
	char b[128];
	struct dir_query q = query();
	q.facet[DIR_FACET_RELIGIOUS] = "00";
	assert_string_equal(urns(*state, &q, b, sizeof(b)), "8,4,1,3");
}

static void register_wording_reads_as_plain_english(void **state)
{
	(void)state;
	char buf[160];
	assert_string_equal(dir_plain(DIR_WORDING_URBAN_RURAL, "(England/Wales) Urban major conurbation", buf, sizeof(buf)),
			    "Urban: major city");
	assert_string_equal(dir_plain(DIR_WORDING_URBAN_RURAL, "(Scotland) Large Urban Area", buf, sizeof(buf)),
			    "Scotland: Large Urban Area");
	assert_string_equal(dir_plain(DIR_WORDING_PHASE, "Primary", buf, sizeof(buf)), "Primary");
	assert_null(dir_plain(DIR_WORDING_PHASE, "Not applicable", buf, sizeof(buf)));
	assert_string_equal(dir_plain(DIR_WORDING_TYPE_GROUP, "Academies", buf, sizeof(buf)), "Academy");
	assert_string_equal(dir_plain(DIR_WORDING_REGION, "Wales (pseudo)", buf, sizeof(buf)), "Wales");
}

static void a_duplicate_urn_is_refused(void **state)
{
	(void)state;
	struct dir_school two[2] = {rows[0], rows[0]};
	struct dir_index *ix = NULL;
	assert_int_equal(dir_build(two, 2, &ix), ERR_INVALID);
	assert_null(ix);
	assert_int_equal(dir_build(NULL, 0, &ix), 0);
	assert_int_equal(dir_count(ix), 0);
	dir_unref(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_are_folded_and_matched_by_their_beginning),
		cmocka_unit_test(apostrophes_inside_words_do_not_matter),
		cmocka_unit_test(st_and_saint_are_one_word_and_match_only_themselves),
		cmocka_unit_test(text_without_letters_or_digits_is_refused),
		cmocka_unit_test(postcode_shapes_are_recognised),
		cmocka_unit_test(a_postcode_is_placed_at_its_schools_then_its_sector_then_its_district),
		cmocka_unit_test(a_district_filter_does_not_take_a_longer_district_with_the_same_start),
		cmocka_unit_test(open_is_the_default_status_and_filters_combine),
		cmocka_unit_test(near_keeps_the_radius_and_can_leave_out_independent_schools),
		cmocka_unit_test(measures_sort_highest_first_with_unknown_figures_last),
		cmocka_unit_test(a_page_counts_everything_and_keeps_its_rows),
		cmocka_unit_test(a_status_alone_pages_through_its_kept_list),
		cmocka_unit_test(a_misspelt_word_is_offered_the_nearest_names),
		cmocka_unit_test(codes_with_the_same_plain_label_are_one_choice),
		cmocka_unit_test(register_wording_reads_as_plain_english),
		cmocka_unit_test(a_duplicate_urn_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
