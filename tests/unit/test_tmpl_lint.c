// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_tmpl_lint.c — checks the project's own templates under
 * $TANDEM_SOURCE_DIR/templates/: every *.mustache file compiles, and every
 * raw tag ({{{x}}} or {{&x}}, which skip HTML escaping) names a key ending
 * in "_html" — by convention such keys hold markup made by a safe filter,
 * so unescaped output never carries user text by accident.
 *
 * Raw tags are found with the engine's own parser (tmpl_walk_raw), so
 * set-delimiter tags, comments and every other tag form are read exactly as
 * the renderer reads them. A missing templates folder, or one with no
 * templates, is a failure: a lint that checks nothing must not pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/util.h"
#include "view/tmpl.h"

/* nftw gives no user pointer, so the walk reports through these. */
static struct buf problems; /* one line per problem found */
static size_t nfiles;       /* templates checked */
static size_t root_len;     /* strlen of the templates folder path */

static const char *templates_dir(char *path, size_t size)
{
	const char *root = getenv("TANDEM_SOURCE_DIR");
	snprintf(path, size, "%s/templates", root ? root : TANDEM_SOURCE_DIR);
	return path;
}

/* Where a raw-tag report goes: the file name, for messages. */
struct raw_check {
	const char *file; /* path shown in messages */
	struct buf *out;  /* problems are appended here */
};

static void check_raw_key(void *arg, const char *key, unsigned line)
{
	struct raw_check *rc = arg;
	if (!str_ends_with(key, "_html"))
		buf_printf(rc->out, "%s:%u: raw tag {{{%s}}} names a key not ending in _html\n",
			   rc->file, line, key);
}

/* Compile one template source and append its problems to out. */
static void lint_source(const char *file, const char *src, size_t len, struct buf *out)
{
	struct tmpl_set *set = tmpl_set_new();
	struct raw_check rc = {file, out};
	char err[512];

	if (tmpl_set_add(set, file, src, len, err, sizeof(err)) != 0)
		buf_printf(out, "%s\n", err);
	else if (tmpl_walk_raw(set, file, check_raw_key, &rc) != 0)
		buf_printf(out, "%s: compiled but not found\n", file);
	tmpl_set_free(set);
}

static int lint_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_F || !str_ends_with(path, ".mustache"))
		return 0;
	char *src;
	size_t len;
	if (file_read_all(path, 1u << 20, &src, &len) != 0) {
		buf_printf(&problems, "%s: cannot read\n", path);
		return 0;
	}
	const char *rel = strlen(path) > root_len ? path + root_len + 1 : path;
	lint_source(rel, src, len, &problems);
	free(src);
	nfiles++;
	return 0;
}

/* Run the lint over the templates folder; the problems end up in `problems`. */
static void lint_templates(void)
{
	char dir[4096];
	struct stat st;

	buf_reset(&problems);
	nfiles = 0;
	templates_dir(dir, sizeof(dir));
	root_len = strlen(dir);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		fail_msg("no templates folder at %s: the lint would check nothing", dir);
	assert_int_equal(nftw(dir, lint_file, 16, FTW_PHYS), 0);
	if (nfiles == 0)
		fail_msg("no templates under %s: the lint would check nothing", dir);
	print_message("# %zu templates checked\n", nfiles);
}

static void every_template_compiles_and_its_raw_tags_name_html_keys(void **state)
{
	lint_templates();
	if (problems.len)
		fail_msg("template problems:\n%s", buf_str(&problems));
}

static void the_whole_templates_folder_loads_as_one_set(void **state)
{
	char dir[4096], err[512];
	struct stat st;
	templates_dir(dir, sizeof(dir));
	if (stat(dir, &st) != 0)
		fail_msg("no templates folder at %s", dir);
	struct tmpl_set *set = tmpl_set_new();
	int rc = tmpl_set_load_dir(set, dir, err, sizeof(err));
	tmpl_set_free(set);
	if (rc)
		fail_msg("%s", err);
}

/* The checker itself, on sources written here, so it is tested even with no templates. */
static void the_lint_flags_a_raw_tag_whose_key_does_not_end_in_html(void **state)
{
	struct buf out = BUF_INIT;
	const char *src = "ok {{{body_html}}} {{&a.b_html}} {{name}}\n{{{name}}}\n"
			  "{{=<% %>=}}<%&.%> {{{ignored}}}";
	lint_source("x.mustache", src, strlen(src), &out);
	assert_string_equal(buf_str(&out),
			    "x.mustache:2: raw tag {{{name}}} names a key not ending in _html\n"
			    "x.mustache:3: raw tag {{{.}}} names a key not ending in _html\n");
	buf_free(&out);
}

static void the_lint_reports_a_template_that_does_not_compile(void **state)
{
	struct buf out = BUF_INIT;
	const char *src = "{{#a}}\n";
	lint_source("y.mustache", src, strlen(src), &out);
	assert_string_equal(buf_str(&out), "y.mustache:1: unclosed section {{#a}}\n");
	buf_free(&out);
}

static int teardown(void **state)
{
	buf_free(&problems);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_template_compiles_and_its_raw_tags_name_html_keys),
		cmocka_unit_test(the_whole_templates_folder_loads_as_one_set),
		cmocka_unit_test(the_lint_flags_a_raw_tag_whose_key_does_not_end_in_html),
		cmocka_unit_test(the_lint_reports_a_template_that_does_not_compile),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
