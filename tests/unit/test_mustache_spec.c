// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_mustache_spec.c — runs every case of the official Mustache spec
 * (the JSON files in tests/data/mustache/, copied from mustache/spec; MIT licence in
 * LICENSE there) through the template engine: each case's template and
 * partials go into a fresh set, its data is rendered, and the output must
 * equal the expected text byte for byte. One test per spec file; a failure
 * lists every failing case with its template, expected and actual output.
 * Lambdas are optional in the spec and not implemented, so ~lambdas is not
 * run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/buf.h"
#include "view/tmpl.h"

/* The case's own template goes in under a name no tag can spell (it has a space). */
#define MAIN_NAME "spec case"

/* Print s as a JSON string so newlines and tabs show. */
static void print_quoted(const char *label, const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	print_error("    %-9s %s\n", label, q ? q : "(not UTF-8)");
	free(q);
	json_decref(j);
}

/* Run one case; returns true when the output matches. */
static bool run_case(const char *file, json_t *tc)
{
	const char *name = json_string_value(json_object_get(tc, "name"));
	json_t *tmpl = json_object_get(tc, "template");
	json_t *expected = json_object_get(tc, "expected");
	json_t *partials = json_object_get(tc, "partials");
	json_t *data = json_object_get(tc, "data");
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[512] = "";
	const char *key;
	json_t *val;
	int rc = 0;
	bool ok;

	if (!name || !json_is_string(tmpl) || !json_is_string(expected)) {
		print_error("%s: malformed case\n", file);
		tmpl_set_free(set);
		return false;
	}
	json_object_foreach(partials, key, val) {
		rc = tmpl_set_add(set, key, json_string_value(val), json_string_length(val), err,
				  sizeof(err));
		if (rc)
			break;
	}
	if (rc == 0)
		rc = tmpl_set_add(set, MAIN_NAME, json_string_value(tmpl), json_string_length(tmpl),
				  err, sizeof(err));
	if (rc == 0)
		rc = tmpl_render(set, MAIN_NAME, data, &out);

	ok = rc == 0 && out.len == json_string_length(expected) &&
	     memcmp(buf_str(&out), json_string_value(expected), out.len) == 0;
	if (!ok) {
		print_error("FAIL %s: \"%s\"%s%s\n", file, name, rc ? " — " : "", rc ? err : "");
		print_quoted("template:", json_string_value(tmpl), json_string_length(tmpl));
		json_object_foreach(partials, key, val) {
			char label[64];
			snprintf(label, sizeof(label), "%.40s:", key);
			print_quoted(label, json_string_value(val), json_string_length(val));
		}
		print_quoted("expected:", json_string_value(expected), json_string_length(expected));
		print_quoted("actual:", buf_str(&out), out.len);
	}
	buf_free(&out);
	tmpl_set_free(set);
	return ok;
}

static void run_spec_file(const char *file)
{
	const char *root = getenv("TANDEM_SOURCE_DIR");
	char path[4096];
	json_error_t jerr;
	size_t i, failed = 0;
	json_t *tc;

	snprintf(path, sizeof(path), "%s/tests/data/mustache/%s", root ? root : TANDEM_SOURCE_DIR,
		 file);
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	json_t *tests = json_object_get(doc, "tests");
	assert_true(json_is_array(tests));
	assert_true(json_array_size(tests) > 0);
	json_array_foreach(tests, i, tc) {
		if (!run_case(file, tc))
			failed++;
	}
	size_t total = json_array_size(tests);
	print_message("# %s: %zu of %zu cases pass\n", file, total - failed, total);
	json_decref(doc);
	if (failed)
		fail_msg("%zu of %zu cases of %s fail (listed above)", failed, total, file);
}

static void every_comments_case_renders_as_the_spec_expects(void **state)
{
	run_spec_file("comments.json");
}

static void every_delimiters_case_renders_as_the_spec_expects(void **state)
{
	run_spec_file("delimiters.json");
}

static void every_interpolation_case_renders_as_the_spec_expects(void **state)
{
	run_spec_file("interpolation.json");
}

static void every_inverted_case_renders_as_the_spec_expects(void **state)
{
	run_spec_file("inverted.json");
}

static void every_partials_case_renders_as_the_spec_expects(void **state)
{
	run_spec_file("partials.json");
}

static void every_sections_case_renders_as_the_spec_expects(void **state)
{
	run_spec_file("sections.json");
}

static void every_inheritance_case_renders_as_the_spec_expects(void **state)
{
	run_spec_file("~inheritance.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_comments_case_renders_as_the_spec_expects),
		cmocka_unit_test(every_delimiters_case_renders_as_the_spec_expects),
		cmocka_unit_test(every_interpolation_case_renders_as_the_spec_expects),
		cmocka_unit_test(every_inverted_case_renders_as_the_spec_expects),
		cmocka_unit_test(every_partials_case_renders_as_the_spec_expects),
		cmocka_unit_test(every_sections_case_renders_as_the_spec_expects),
		cmocka_unit_test(every_inheritance_case_renders_as_the_spec_expects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
