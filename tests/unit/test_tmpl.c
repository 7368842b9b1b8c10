// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_tmpl.c — the template engine's own behaviours, beyond the Mustache
 * spec (test_mustache_spec.c): HTML escaping including the single quote,
 * number formatting, truthiness, parse errors and their line numbers,
 * template sets and directory loading, the recursion and work limits,
 * the raw-tag walk used by the lint test, and rendering one set from two
 * threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "core/buf.h"
#include "view/tmpl.h"

/* Compile src as "t" into a fresh set, render it with the JSON ctx, and return the output. */
static char *render_str(const char *src, const char *ctx_json)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	json_error_t jerr;
	json_t *ctx = json_loads(ctx_json, JSON_DECODE_ANY, &jerr);

	assert_non_null(ctx);
	if (tmpl_set_add(set, "t", src, strlen(src), err, sizeof(err)) != 0)
		fail_msg("compile failed: %s", err);
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	json_decref(ctx);
	tmpl_set_free(set);
	size_t len;
	return buf_detach(&out, &len);
}

static void assert_renders(const char *src, const char *ctx_json, const char *expected)
{
	char *got = render_str(src, ctx_json);
	assert_string_equal(got, expected);
	free(got);
}

/* Compile src as "t", expect ERR_PARSE and return the message in err. */
static void compile_error(const char *src, char *err, size_t errsz)
{
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "t", src, strlen(src), err, errsz), ERR_PARSE);
	assert_false(tmpl_exists(set, "t"));
	tmpl_set_free(set);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

/* --- output ------------------------------------------------------------- */

static void html_escape_replaces_all_five_special_characters(void **state)
{
	struct buf b = BUF_INIT;
	const char *s = "a&b<c>d\"e'f";
	html_escape(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_free(&b);
}

static void html_escape_of_nothing_appends_nothing(void **state)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "x");
	html_escape(&b, NULL, 0);
	assert_string_equal(buf_str(&b), "x");
	buf_free(&b);
}

/* tmpl_pick's chooser for the tests: the tags listed in arg (a NULL-ended list) are picked. */
static bool pick_listed(void *arg, const char *tag, size_t len)
{
	for (const char *const *t = arg; *t; t++)
		if (strlen(*t) == len && memcmp(*t, tag, len) == 0)
			return true;
	return false;
}

static void pick_keeps_the_first_version_of_each_place_picked_and_the_second_otherwise(void **state)
{
	const char *html = "<ul><li>Try: 3<!--pick:7-try--> (you said this)<!--or--> <button>Try</button><!--end--></li>"
			   "<li>Thanks: 1<!--pick:7-thanks--> (you said this)<!--or--> <button>Thanks</button><!--end--></li></ul>";
	const char *const mine[] = {"7-thanks", NULL};
	struct buf b = BUF_INIT;
	tmpl_pick(&b, html, strlen(html), pick_listed, (void *)mine);
	assert_string_equal(buf_str(&b), "<ul><li>Try: 3 <button>Try</button></li><li>Thanks: 1 (you said this)</li></ul>");
	buf_free(&b);
}

static void pick_copies_escaped_text_and_a_marker_left_open_as_they_are(void **state)
{
	const char *const none[] = {NULL};
	struct buf b = BUF_INIT;
	const char *text = "&lt;!--pick:1--&gt;A&lt;!--or--&gt;B&lt;!--end--&gt; <!--pick:2-->A<!--or-->B";
	tmpl_pick(&b, text, strlen(text), pick_listed, (void *)none);
	assert_string_equal(buf_str(&b), text);
	buf_reset(&b);
	tmpl_pick(&b, "", 0, pick_listed, (void *)none);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void interpolation_escapes_a_single_quote(void **state)
{
	assert_renders("<a title='{{t}}'>", "{\"t\": \"' onmouseover='x\"}",
		       "<a title='&#39; onmouseover=&#39;x'>");
}

static void raw_tags_leave_markup_unescaped(void **state)
{
	assert_renders("{{{b_html}}}|{{&b_html}}|{{b_html}}", "{\"b_html\": \"<i>'</i>\"}",
		       "<i>'</i>|<i>'</i>|&lt;i&gt;&#39;&lt;/i&gt;");
}

static void integers_print_as_integers(void **state)
{
	assert_renders("{{a}} {{b}} {{c}}", "{\"a\": 42, \"b\": -7, \"c\": 9007199254740993}",
		       "42 -7 9007199254740993");
}

static void reals_print_in_the_shortest_form_that_round_trips(void **state)
{
	assert_renders("{{a}} {{b}} {{c}} {{d}} {{e}}",
		       "{\"a\": 1.210, \"b\": 100.0, \"c\": 0.1, \"d\": -2.5, \"e\": 0.000001}",
		       "1.21 100 0.1 -2.5 0.000001");
	assert_renders("{{a}} {{b}} {{c}}", "{\"a\": 1e21, \"b\": 1.5e-7, \"c\": 123456789012345680000.0}",
		       "1e+21 1.5e-7 123456789012345680000");
}

static void booleans_print_as_words_and_null_as_nothing(void **state)
{
	assert_renders("[{{y}}|{{n}}|{{z}}|{{o}}|{{l}}]",
		       "{\"y\": true, \"n\": false, \"z\": null, \"o\": {\"a\": 1}, \"l\": [1]}",
		       "[true|false|||]");
}

static void false_null_zero_empty_string_and_empty_list_skip_a_section(void **state)
{
	assert_renders("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}{{#e}}E{{/e}}"
		       "{{#f}}F{{/f}}{{#g}}G{{/g}}",
		       "{\"a\": false, \"b\": null, \"c\": 0, \"d\": \"\", \"e\": [], \"f\": 0.0}",
		       "");
	assert_renders("{{^a}}A{{/a}}{{^c}}C{{/c}}{{^d}}D{{/d}}{{^e}}E{{/e}}{{^g}}G{{/g}}",
		       "{\"a\": false, \"c\": 0, \"d\": \"\", \"e\": []}", "ACDEG");
}

static void a_truthy_scalar_renders_a_section_once_with_itself_as_context(void **state)
{
	assert_renders("{{#n}}<{{.}}>{{/n}}{{#s}}<{{.}}>{{/s}}{{#o}}<{{k}}>{{/o}}",
		       "{\"n\": 5, \"s\": \"x\", \"o\": {\"k\": \"v\"}}", "<5><x><v>");
}

static void a_list_renders_its_section_once_per_item(void **state)
{
	assert_renders("{{#l}}{{name}}{{^last}}, {{/last}}{{/l}}",
		       "{\"l\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\", \"last\": true}]}",
		       "a, b, c");
}

/* --- parse errors ------------------------------------------------------- */

static void an_unclosed_section_is_a_parse_error_at_its_line(void **state)
{
	char err[256];
	compile_error("a\nb\n{{#items}}\nx\n", err, sizeof(err));
	assert_contains(err, "t:3:");
	assert_contains(err, "unclosed section {{#items}}");
}

static void a_mismatched_closing_tag_is_a_parse_error_at_its_line(void **state)
{
	char err[256];
	compile_error("{{#a}}\n{{^b}}\n{{/a}}\n{{/b}}", err, sizeof(err));
	assert_contains(err, "t:3:");
	assert_contains(err, "{{/a}} does not match {{^b}} of line 2");
}

static void a_closing_tag_without_an_opening_is_a_parse_error(void **state)
{
	char err[256];
	compile_error("x\n{{/a}}", err, sizeof(err));
	assert_contains(err, "t:2:");
	assert_contains(err, "without an opening tag");
}

static void an_unclosed_tag_is_a_parse_error_at_its_line(void **state)
{
	char err[256];
	compile_error("x\ny\n{{name\n", err, sizeof(err));
	assert_string_equal(err, "t:3: unclosed tag");
	compile_error("{{{raw}}", err, sizeof(err));
	assert_string_equal(err, "t:1: unclosed tag");
}

static void a_bad_delimiter_tag_is_a_parse_error_at_its_line(void **state)
{
	char err[256];
	compile_error("\n\n{{=<%%>=}}", err, sizeof(err));
	assert_string_equal(err, "t:3: bad delimiter tag");
	compile_error("{{=<% %> x=}}", err, sizeof(err));
	assert_string_equal(err, "t:1: bad delimiter tag");
	compile_error("{{=<% =%>=}}", err, sizeof(err));
	assert_string_equal(err, "t:1: bad delimiter tag");
	compile_error("\n{{=<% %>}}", err, sizeof(err));
	assert_string_equal(err, "t:2: bad delimiter tag");
}

static void line_numbers_count_newlines_inside_comments(void **state)
{
	char err[256];
	compile_error("{{! one\ntwo\nthree }}\n{{/x}}", err, sizeof(err));
	assert_contains(err, "t:4:");
}

static void empty_tags_and_bad_names_are_parse_errors(void **state)
{
	char err[256];
	compile_error("{{}}", err, sizeof(err));
	assert_contains(err, "empty tag");
	compile_error("{{a b}}", err, sizeof(err));
	assert_contains(err, "bad character in tag name");
	compile_error("{{a..b}}", err, sizeof(err));
	assert_contains(err, "bad name 'a..b'");
	compile_error("{{#.a}}{{/.a}}", err, sizeof(err));
	assert_contains(err, "bad name");
}

static void sections_nested_too_deeply_are_a_parse_error(void **state)
{
	struct buf src = BUF_INIT;
	char err[256];
	for (int i = 0; i < 101; i++)
		buf_puts(&src, "{{#a}}");
	for (int i = 0; i < 101; i++)
		buf_puts(&src, "{{/a}}");
	compile_error(buf_str(&src), err, sizeof(err));
	assert_contains(err, "nested more than 100 deep");
	buf_free(&src);
}

static void a_failed_compile_keeps_the_previous_template(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	assert_int_equal(tmpl_set_add(set, "t", "old", 3, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "t", "{{#x}}", 6, err, sizeof(err)), ERR_PARSE);
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_string_equal(buf_str(&out), "old");
	buf_free(&out);
	tmpl_set_free(set);
}

/* --- sets --------------------------------------------------------------- */

static void rendering_an_unknown_template_is_not_found(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	assert_false(tmpl_exists(set, "nope"));
	assert_int_equal(tmpl_render(set, "nope", NULL, &out), ERR_NOTFOUND);
	assert_int_equal(out.len, 0);
	tmpl_set_free(set);
}

static void a_missing_partial_or_parent_renders_as_nothing(void **state)
{
	assert_renders("[{{>nope}}|{{<nope}}{{$b}}x{{/b}}{{/nope}}]", "{}", "[|]");
}

static void adding_a_template_again_replaces_it(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	assert_int_equal(tmpl_set_add(set, "b", "one", 3, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "a", "<{{>b}}>", 8, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "b", "two", 3, err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(set, "a", NULL, &out), 0);
	assert_string_equal(buf_str(&out), "<two>");
	buf_free(&out);
	tmpl_set_free(set);
}

static void render_appends_to_the_buffer(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	assert_int_equal(tmpl_set_add(set, "t", "{{x}}", 5, err, sizeof(err)), 0);
	json_t *ctx = json_pack("{s:s}", "x", "b");
	buf_puts(&out, "a");
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	assert_string_equal(buf_str(&out), "ab");
	json_decref(ctx);
	buf_free(&out);
	tmpl_set_free(set);
}

/* A scratch directory tree for load_dir tests, removed by rm_tree. */
static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void rm_tree(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void load_dir_names_templates_by_relative_path_without_extension(void **state)
{
	char dir[] = "/tmp/tandem-tmpl-XXXXXX";
	char sub[600], err[512];
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/home", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "layout.mustache", "<main>{{$body}}{{/body}}</main>\n");
	write_file(dir, "home/index.mustache", "{{<layout}}{{$body}}Hi {{name}}{{/body}}{{/layout}}\n");
	write_file(dir, "home/.hidden.mustache", "{{#broken");
	write_file(dir, "notes.txt", "{{#broken");
	write_file(dir, ".mustache", "{{#broken");

	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_load_dir(set, dir, err, sizeof(err)), 0);
	assert_true(tmpl_exists(set, "layout"));
	assert_true(tmpl_exists(set, "home/index"));
	assert_false(tmpl_exists(set, "home/index.mustache"));
	assert_false(tmpl_exists(set, "notes"));

	struct buf out = BUF_INIT;
	json_t *ctx = json_pack("{s:s}", "name", "Ann");
	assert_int_equal(tmpl_render(set, "home/index", ctx, &out), 0);
	assert_string_equal(buf_str(&out), "<main>Hi Ann</main>\n");
	json_decref(ctx);
	buf_free(&out);
	tmpl_set_free(set);
	rm_tree(dir);
}

static void load_dir_reports_the_file_and_line_of_a_parse_error(void **state)
{
	char dir[] = "/tmp/tandem-tmpl-XXXXXX";
	char err[512], want[600];
	assert_non_null(mkdtemp(dir));
	write_file(dir, "bad.mustache", "ok\n{{#a}}\n{{/b}}\n");

	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_load_dir(set, dir, err, sizeof(err)), ERR_PARSE);
	snprintf(want, sizeof(want), "%s/bad.mustache:3: ", dir);
	assert_contains(err, want);
	tmpl_set_free(set);
	rm_tree(dir);
}

static void load_dir_of_a_missing_directory_is_an_io_error(void **state)
{
	char err[512];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_load_dir(set, "/nonexistent/tandem/templates", err, sizeof(err)),
			 ERR_IO);
	assert_contains(err, "/nonexistent/tandem/templates");
	tmpl_set_free(set);
}

/* --- limits ------------------------------------------------------------- */

static void partial_recursion_stops_at_the_depth_limit_and_rendering_goes_on(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT, want = BUF_INIT;
	char err[256];
	assert_int_equal(tmpl_set_add(set, "self", "x{{>self}}", 10, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "main", "[{{>self}}]", 11, err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(set, "main", NULL, &out), 0);
	buf_putc(&want, '[');
	for (int i = 0; i < TMPL_MAX_DEPTH; i++)
		buf_putc(&want, 'x');
	buf_putc(&want, ']');
	assert_string_equal(buf_str(&out), buf_str(&want));
	buf_free(&out);
	buf_free(&want);
	tmpl_set_free(set);
}

static void a_block_overriding_itself_stops_at_the_depth_limit(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	const char *parent = "{{$a}}{{/a}}";
	const char *child = "{{<p}}{{$a}}y{{$a}}{{/a}}{{/a}}{{/p}}";
	assert_int_equal(tmpl_set_add(set, "p", parent, strlen(parent), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "c", child, strlen(child), err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(set, "c", NULL, &out), 0);
	assert_true(out.len > 0 && out.len <= TMPL_MAX_DEPTH);
	assert_int_equal(strspn(buf_str(&out), "y"), out.len);
	buf_free(&out);
	tmpl_set_free(set);
}

static void exponential_recursion_stops_at_the_step_limit(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	/* 2^64 expansions if nothing stopped it. */
	assert_int_equal(tmpl_set_add(set, "t", "{{>t}}{{>t}}", 12, err, sizeof(err)), 0);
	tmpl_set_limits(set, 100000, 0);
	assert_int_equal(tmpl_render(set, "t", NULL, &out), ERR_TOOBIG);
	buf_free(&out);
	tmpl_set_free(set);
}

static void output_beyond_the_limit_stops_the_render(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256];
	assert_int_equal(tmpl_set_add(set, "t", "{{#l}}0123456789{{/l}}", 22, err, sizeof(err)), 0);
	tmpl_set_limits(set, 0, 1000);
	json_t *l = json_array();
	for (int i = 0; i < 1000; i++)
		json_array_append_new(l, json_true());
	json_t *ctx = json_pack("{s:o}", "l", l);
	assert_int_equal(tmpl_render(set, "t", ctx, &out), ERR_TOOBIG);
	assert_true(out.len < 2000);
	json_decref(ctx);
	buf_free(&out);
	tmpl_set_free(set);
}

/* --- lint support ------------------------------------------------------- */

static void collect_raw(void *arg, const char *key, unsigned line)
{
	buf_printf(arg, "%s@%u ", key, line);
}

static void walk_raw_reports_every_raw_tag_with_its_line(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf got = BUF_INIT;
	char err[256];
	const char *src = "{{{a_html}}}\n{{#s}}{{&b}}{{/s}}\n{{! {{{not}}} }}{{=<% %>=}}\n"
			  "<%{c}%> <%x%>\n<%<p%><%$blk%><%&d_html%><%/blk%><%/p%>";
	assert_int_equal(tmpl_set_add(set, "t", src, strlen(src), err, sizeof(err)), 0);
	assert_int_equal(tmpl_walk_raw(set, "t", collect_raw, &got), 0);
	assert_string_equal(buf_str(&got), "a_html@1 b@2 c@4 d_html@5 ");
	assert_int_equal(tmpl_walk_raw(set, "nope", collect_raw, &got), ERR_NOTFOUND);
	buf_free(&got);
	tmpl_set_free(set);
}

/* --- threads ------------------------------------------------------------ */

/* Shared by the two render threads. */
struct thread_job {
	const struct tmpl_set *set; /* the shared set */
	int id;                     /* which thread (goes into the context) */
	int failures;               /* renders whose output was wrong */
};

static void *render_many(void *arg)
{
	struct thread_job *job = arg;
	char want[128];
	char title[16];
	snprintf(want, sizeof(want), "<h1>t%d</h1>\n<li>a</li>\n<li>b&amp;</li>\n", job->id);
	snprintf(title, sizeof(title), "t%d", job->id);
	for (int i = 0; i < 300; i++) {
		/* jansson values are not shared between threads: each builds its own. */
		json_t *ctx = json_pack("{s:s, s:[s,s]}", "title", title, "items", "a", "b&");
		struct buf out = BUF_INIT;
		if (tmpl_render(job->set, "page", ctx, &out) != 0 || strcmp(buf_str(&out), want) != 0)
			job->failures++;
		buf_free(&out);
		json_decref(ctx);
	}
	return NULL;
}

static void two_threads_render_the_same_set_at_once(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[256];
	const char *layout = "<h1>{{$title}}{{/title}}</h1>\n{{$body}}{{/body}}";
	const char *item = "<li>{{.}}</li>\n";
	const char *page = "{{<layout}}{{$title}}{{title}}{{/title}}{{$body}}\n"
			   "  {{#items}}\n  {{>item}}\n  {{/items}}\n{{/body}}{{/layout}}";
	assert_int_equal(tmpl_set_add(set, "layout", layout, strlen(layout), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "item", item, strlen(item), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "page", page, strlen(page), err, sizeof(err)), 0);

	struct thread_job jobs[2] = {{set, 1, 0}, {set, 2, 0}};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_int_equal(jobs[0].failures, 0);
	assert_int_equal(jobs[1].failures, 0);
	tmpl_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_escape_replaces_all_five_special_characters),
		cmocka_unit_test(html_escape_of_nothing_appends_nothing),
		cmocka_unit_test(interpolation_escapes_a_single_quote),
		cmocka_unit_test(raw_tags_leave_markup_unescaped),
		cmocka_unit_test(integers_print_as_integers),
		cmocka_unit_test(reals_print_in_the_shortest_form_that_round_trips),
		cmocka_unit_test(booleans_print_as_words_and_null_as_nothing),
		cmocka_unit_test(false_null_zero_empty_string_and_empty_list_skip_a_section),
		cmocka_unit_test(a_truthy_scalar_renders_a_section_once_with_itself_as_context),
		cmocka_unit_test(a_list_renders_its_section_once_per_item),
		cmocka_unit_test(an_unclosed_section_is_a_parse_error_at_its_line),
		cmocka_unit_test(a_mismatched_closing_tag_is_a_parse_error_at_its_line),
		cmocka_unit_test(a_closing_tag_without_an_opening_is_a_parse_error),
		cmocka_unit_test(an_unclosed_tag_is_a_parse_error_at_its_line),
		cmocka_unit_test(a_bad_delimiter_tag_is_a_parse_error_at_its_line),
		cmocka_unit_test(line_numbers_count_newlines_inside_comments),
		cmocka_unit_test(empty_tags_and_bad_names_are_parse_errors),
		cmocka_unit_test(sections_nested_too_deeply_are_a_parse_error),
		cmocka_unit_test(a_failed_compile_keeps_the_previous_template),
		cmocka_unit_test(rendering_an_unknown_template_is_not_found),
		cmocka_unit_test(a_missing_partial_or_parent_renders_as_nothing),
		cmocka_unit_test(adding_a_template_again_replaces_it),
		cmocka_unit_test(render_appends_to_the_buffer),
		cmocka_unit_test(load_dir_names_templates_by_relative_path_without_extension),
		cmocka_unit_test(load_dir_reports_the_file_and_line_of_a_parse_error),
		cmocka_unit_test(load_dir_of_a_missing_directory_is_an_io_error),
		cmocka_unit_test(partial_recursion_stops_at_the_depth_limit_and_rendering_goes_on),
		cmocka_unit_test(a_block_overriding_itself_stops_at_the_depth_limit),
		cmocka_unit_test(exponential_recursion_stops_at_the_step_limit),
		cmocka_unit_test(output_beyond_the_limit_stops_the_render),
		cmocka_unit_test(walk_raw_reports_every_raw_tag_with_its_line),
		cmocka_unit_test(two_threads_render_the_same_set_at_once),
		cmocka_unit_test(pick_keeps_the_first_version_of_each_place_picked_and_the_second_otherwise),
		cmocka_unit_test(pick_copies_escaped_text_and_a_marker_left_open_as_they_are),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
