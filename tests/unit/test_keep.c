// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_keep.c — unit tests of the keeper of computed results (app/keep.c):
 * a result is found by its exact key at the generation it was built at and
 * within its time to live, never otherwise; callers get copies of their
 * own; a full keeper gives up the least recently used result; and threads
 * may keep and read at once.
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

#include "app/keep.h"

/* An hour: long enough that no test sees a result expire by age unless it means to. */
#define HOUR_US 3600000000LL

static void a_result_is_found_by_its_key_at_its_generation(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, HOUR_US);
	keep_put_bytes(&k, "net 1|2026", 7, "<p>report</p>", 13);
	size_t len = 0;
	char *got = keep_get_bytes(&k, "net 1|2026", 7, &len);
	assert_non_null(got);
	assert_int_equal(len, 13);
	assert_string_equal(got, "<p>report</p>");
	free(got);
	keep_clear(&k);
}

static void a_result_built_at_another_generation_is_not_found(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, HOUR_US);
	keep_put_bytes(&k, "key", 7, "old", 3);
	size_t len = 0;
	assert_null(keep_get_bytes(&k, "key", 8, &len));
	/* And it is gone: not even its own generation finds it again. */
	assert_null(keep_get_bytes(&k, "key", 7, &len));
	keep_clear(&k);
}

static void another_key_does_not_find_a_result(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, HOUR_US);
	keep_put_bytes(&k, "net 1|2026|full", 1, "names", 5);
	size_t len = 0;
	assert_null(keep_get_bytes(&k, "net 1|2026|aggregate", 1, &len));
	assert_null(keep_get_bytes(&k, "net 1|2026|ful", 1, &len));
	keep_clear(&k);
}

static void a_keeper_with_no_time_to_live_finds_nothing(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, 0);
	keep_put_bytes(&k, "key", 1, "x", 1);
	size_t len = 0;
	assert_null(keep_get_bytes(&k, "key", 1, &len));
	assert_null(keep_get_json(&k, "key", 1));
	keep_clear(&k);
}

static void keeping_a_key_again_replaces_its_result(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, HOUR_US);
	keep_put_bytes(&k, "key", 1, "first", 5);
	keep_put_bytes(&k, "key", 2, "second", 6);
	size_t len = 0;
	char *got = keep_get_bytes(&k, "key", 2, &len);
	assert_non_null(got);
	assert_string_equal(got, "second");
	free(got);
	keep_clear(&k);
}

static void a_json_result_comes_back_as_a_copy_of_its_own(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, HOUR_US);
	json_t *v = json_pack("{s:[i, i], s:s}", "counts", 1, 2, "label", "2026/27");
	keep_put_json(&k, "key", 3, v);
	json_object_set_new(v, "label", json_string("changed by the caller afterwards"));
	json_decref(v);
	json_t *a = keep_get_json(&k, "key", 3);
	assert_non_null(a);
	assert_string_equal(json_string_value(json_object_get(a, "label")), "2026/27");
	json_object_del(a, "counts"); /* the reader's copy: changing it changes nothing kept */
	json_decref(a);
	json_t *b = keep_get_json(&k, "key", 3);
	assert_int_equal(json_array_size(json_object_get(b, "counts")), 2);
	json_decref(b);
	keep_clear(&k);
}

static void bytes_and_json_under_one_key_are_not_confused(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, HOUR_US);
	keep_put_bytes(&k, "key", 1, "x", 1);
	assert_null(keep_get_json(&k, "key", 1));
	keep_clear(&k);
}

static void a_full_keeper_gives_up_the_least_recently_used_result(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 2, HOUR_US);
	size_t len = 0;
	keep_put_bytes(&k, "a", 1, "A", 1);
	keep_put_bytes(&k, "b", 1, "B", 1);
	free(keep_get_bytes(&k, "a", 1, &len)); /* a is used: b is now the least recently used */
	keep_put_bytes(&k, "c", 1, "C", 1);
	char *a = keep_get_bytes(&k, "a", 1, &len), *b = keep_get_bytes(&k, "b", 1, &len),
	     *c = keep_get_bytes(&k, "c", 1, &len);
	assert_non_null(a);
	assert_null(b);
	assert_non_null(c);
	free(a);
	free(c);
	keep_clear(&k);
}

static void clearing_a_keeper_forgets_everything(void **state)
{
	(void)state;
	static struct keep k = KEEP_INIT("test", 4, HOUR_US);
	keep_put_bytes(&k, "a", 1, "A", 1);
	keep_clear(&k);
	size_t len = 0;
	assert_null(keep_get_bytes(&k, "a", 1, &len));
}

/* Shared by the threads of the last test. */
static struct keep shared = KEEP_INIT("threads", 8, HOUR_US);

/* One thread: keep and read its own keys and everyone's, many times. */
static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	char key[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "k%d", (id + i) % 12);
		json_t *v = json_pack("{s:i, s:s}", "i", i, "key", key);
		keep_put_json(&shared, key, 1, v);
		json_decref(v);
		json_t *got = keep_get_json(&shared, key, 1);
		/* Another thread may have replaced it since, but whatever is found is whole and is key's. */
		if (got && strcmp(json_string_value(json_object_get(got, "key")), key) != 0)
			return (void *)1;
		json_decref(got);
	}
	return NULL;
}

static void threads_may_keep_and_read_at_once(void **state)
{
	(void)state;
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i), 0);
	for (int i = 0; i < 4; i++) {
		void *r = NULL;
		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_null(r);
	}
	keep_clear(&shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_result_is_found_by_its_key_at_its_generation),
		cmocka_unit_test(a_result_built_at_another_generation_is_not_found),
		cmocka_unit_test(another_key_does_not_find_a_result),
		cmocka_unit_test(a_keeper_with_no_time_to_live_finds_nothing),
		cmocka_unit_test(keeping_a_key_again_replaces_its_result),
		cmocka_unit_test(a_json_result_comes_back_as_a_copy_of_its_own),
		cmocka_unit_test(bytes_and_json_under_one_key_are_not_confused),
		cmocka_unit_test(a_full_keeper_gives_up_the_least_recently_used_result),
		cmocka_unit_test(clearing_a_keeper_forgets_everything),
		cmocka_unit_test(threads_may_keep_and_read_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
