// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_chart.c — the impact reports' SVG writer (src/app/reports/chart.c):
 * labels are escaped, every chart has its title and description, empty
 * data draws a chart that says so, and the palette is Okabe–Ito's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/reports/chart.h"
#include "core/buf.h"

static void a_label_with_markup_is_escaped_in_a_bar_chart(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct chart_bar bars[] = {{"<script>alert('x')</script> & \"co\"", 3}};
	chart_bars(&b, "c1", "Title", "Desc", bars, 1);
	const char *s = buf_str(&b);
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
	buf_free(&b);
}

static void every_chart_has_a_title_and_a_description_it_is_labelled_by(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct chart_point p[] = {{"A school", 2, 3}};
	chart_scatter(&b, "gt", "Give & take", "Each point a school", "received", "gave", p, 1);
	const char *s = buf_str(&b);
	assert_non_null(strstr(s, "role=\"img\""));
	assert_non_null(strstr(s, "aria-labelledby=\"gt-title gt-desc\""));
	assert_non_null(strstr(s, "<title id=\"gt-title\">Give &amp; take</title>"));
	assert_non_null(strstr(s, "<desc id=\"gt-desc\">Each point a school</desc>"));
	buf_free(&b);
}

static void a_bar_chart_with_no_data_says_there_is_nothing_to_show(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	chart_bars(&b, "e", "Empty", "None", NULL, 0);
	assert_non_null(strstr(buf_str(&b), "Nothing to show for this period."));
	assert_non_null(strstr(buf_str(&b), "</svg>"));
	assert_null(strstr(buf_str(&b), "<rect"));
	buf_free(&b);
}

static void a_scatter_and_small_multiples_with_no_data_are_still_whole_charts(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	chart_scatter(&b, "s", "S", "D", "x", "y", NULL, 0);
	assert_non_null(strstr(buf_str(&b), "Nothing to show for this period."));
	assert_null(strstr(buf_str(&b), "<circle"));
	buf_reset(&b);
	chart_multiples(&b, "m", "M", "D", NULL, 0);
	assert_non_null(strstr(buf_str(&b), "Nothing to show for this period."));
	assert_non_null(strstr(buf_str(&b), "</svg>"));
	buf_free(&b);
}

static void a_measure_without_values_says_so_and_one_with_values_shows_all_three(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct chart_measure m[] = {
		{.label = "Reading age <months>"},
		{.label = "Attendance", .baseline = 91, .latest = 93.5, .target = 95, .has_baseline = true,
		 .has_latest = true, .has_target = true},
	};
	chart_multiples(&b, "m", "Measures", "Small multiples", m, 2);
	const char *s = buf_str(&b);
	assert_non_null(strstr(s, "Reading age &lt;months&gt;"));
	assert_non_null(strstr(s, "No values yet"));
	assert_non_null(strstr(s, "baseline 91"));
	assert_non_null(strstr(s, "latest 93.5"));
	assert_non_null(strstr(s, "target 95"));
	buf_free(&b);
}

static void bars_keep_the_order_they_are_given(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct chart_bar bars[] = {{"Zebra", 1}, {"Apple", 9}, {"Mango", 5}};
	chart_bars(&b, "o", "Order", "Kept", bars, 3);
	const char *s = buf_str(&b);
	const char *z = strstr(s, "Zebra"), *a = strstr(s, "Apple"), *m = strstr(s, "Mango");
	assert_non_null(z);
	assert_true(z < a && a < m);
	buf_free(&b);
}

static void the_palette_is_okabe_and_itos(void **state)
{
	(void)state;
	assert_string_equal(chart_palette[1], "#E69F00");
	assert_string_equal(chart_palette[2], "#56B4E9");
	assert_string_equal(chart_palette[3], "#009E73");
	assert_string_equal(chart_palette[5], "#0072B2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_label_with_markup_is_escaped_in_a_bar_chart),
		cmocka_unit_test(every_chart_has_a_title_and_a_description_it_is_labelled_by),
		cmocka_unit_test(a_bar_chart_with_no_data_says_there_is_nothing_to_show),
		cmocka_unit_test(a_scatter_and_small_multiples_with_no_data_are_still_whole_charts),
		cmocka_unit_test(a_measure_without_values_says_so_and_one_with_values_shows_all_three),
		cmocka_unit_test(bars_keep_the_order_they_are_given),
		cmocka_unit_test(the_palette_is_okabe_and_itos),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
