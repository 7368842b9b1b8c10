// SPDX-License-Identifier: AGPL-3.0-or-later
/* test_arena.c — the per-request arena: allocation, alignment, defers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"

static void allocations_are_aligned_and_distinct(void **state)
{
	struct arena *a = arena_new();
	char *p = arena_alloc(a, 3), *q = arena_alloc(a, 5);
	assert_true(((uintptr_t)p % 16) == 0);
	assert_true(((uintptr_t)q % 16) == 0);
	assert_ptr_not_equal(p, q);
	memset(p, 'x', 3);
	memset(q, 'y', 5);
	assert_int_equal(p[2], 'x');
	arena_free(a);
}

static void large_allocations_get_their_own_block(void **state)
{
	struct arena *a = arena_new();
	char *small = arena_alloc(a, 10);
	char *big = arena_alloc(a, 3 * 1024 * 1024);
	memset(big, 1, 3 * 1024 * 1024);
	char *small2 = arena_alloc(a, 10);
	memset(small, 2, 10);
	memset(small2, 3, 10);
	assert_int_equal(big[3 * 1024 * 1024 - 1], 1);
	assert_true(arena_used(a) >= 3 * 1024 * 1024 + 20);
	arena_free(a);
}

static void many_small_allocations_survive_block_growth(void **state)
{
	struct arena *a = arena_new();
	int *ptrs[5000];
	for (int i = 0; i < 5000; i++) {
		ptrs[i] = arena_alloc(a, sizeof(int) * 7);
		*ptrs[i] = i;
	}
	for (int i = 0; i < 5000; i++)
		assert_int_equal(*ptrs[i], i);
	arena_free(a);
}

static void strings_are_copied_and_formatted(void **state)
{
	struct arena *a = arena_new();
	assert_string_equal(arena_strdup(a, "hello"), "hello");
	assert_string_equal(arena_strndup(a, "hello", 3), "hel");
	assert_null(arena_strdup(a, NULL));
	assert_string_equal(arena_printf(a, "%s-%d", "x", 42), "x-42");
	char *z = arena_zalloc(a, 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	arena_free(a);
}

static int order[3];
static int order_n;
static void record(void *arg)
{
	order[order_n++] = *(int *)arg;
}

static void defers_run_last_registered_first(void **state)
{
	static int one = 1, two = 2, three = 3;
	struct arena *a = arena_new();
	order_n = 0;
	arena_defer(a, record, &one);
	arena_defer(a, record, &two);
	arena_defer(a, record, &three);
	arena_free(a);
	assert_int_equal(order_n, 3);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[2], 1);
}

static void a_grown_array_keeps_every_item_in_order(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	int *xs = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 10000; i++) {
		xs = arena_grow(a, xs, n, &cap, sizeof(*xs));
		xs[n++] = i;
	}
	assert_int_equal(n, 10000);
	assert_true(cap >= n);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(xs[i], i);
	int *same = arena_grow(a, xs, 1, &cap, sizeof(*xs)); /* room left: the same array */
	assert_ptr_equal(same, xs);
	arena_free(a);
}

static void freeing_null_is_harmless(void **state)
{
	arena_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocations_are_aligned_and_distinct),
		cmocka_unit_test(large_allocations_get_their_own_block),
		cmocka_unit_test(many_small_allocations_survive_block_growth),
		cmocka_unit_test(strings_are_copied_and_formatted),
		cmocka_unit_test(defers_run_last_registered_first),
		cmocka_unit_test(a_grown_array_keeps_every_item_in_order),
		cmocka_unit_test(freeing_null_is_harmless),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
