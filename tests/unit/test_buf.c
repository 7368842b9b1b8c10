// SPDX-License-Identifier: AGPL-3.0-or-later
/* test_buf.c — the growable buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"

static void an_empty_buffer_reads_as_an_empty_string(void **state)
{
	struct buf b = BUF_INIT;
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void appends_grow_and_stay_nul_terminated(void **state)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_puts(&b, "abc");
	assert_int_equal(b.len, 3000);
	assert_int_equal(b.data[3000], '\0');
	buf_putc(&b, 'z');
	buf_printf(&b, "%d%s", 7, "x");
	assert_string_equal(b.data + 3000, "z7x");
	buf_free(&b);
}

static void reset_keeps_memory_and_empties(void **state)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "hello");
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
	assert_true(b.cap > 0);
	buf_free(&b);
}

static void detach_hands_over_the_contents(void **state)
{
	struct buf b = BUF_INIT;
	buf_append(&b, "a\0b", 3);
	size_t n;
	char *p = buf_detach(&b, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "a\0b", 3);
	assert_null(b.data);
	free(p);
	p = buf_detach(&b, &n);
	assert_int_equal(n, 0);
	assert_string_equal(p, "");
	free(p);
}

static void url_encoding_keeps_unreserved_and_escapes_the_rest(void **state)
{
	struct buf b = BUF_INIT;
	buf_put_urlencoded(&b, "St Mary's & Co-op_~.x/\xc3\xb4");
	assert_string_equal(buf_str(&b), "St%20Mary%27s%20%26%20Co-op_~.x%2F%C3%B4");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_buffer_reads_as_an_empty_string),
		cmocka_unit_test(appends_grow_and_stay_nul_terminated),
		cmocka_unit_test(reset_keeps_memory_and_empties),
		cmocka_unit_test(detach_hands_over_the_contents),
		cmocka_unit_test(url_encoding_keeps_unreserved_and_escapes_the_rest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
