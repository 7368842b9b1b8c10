// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * bench_password.c — the cost of one Argon2id password check as sign-in
 * does it (libsodium, interactive limits), to compare with a whole sign-in
 * over HTTP: a sign-in should cost about one hash and no more.
 * usage: bench_password [N]   prints the median of N verifications in ms
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/accounts/password.h"
#include "core/clock.h"

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 9;
	if (n < 1 || n > 100 || sodium_init() < 0)
		return 2;
	char hash[PASSWORD_HASH_BUFSZ];
	if (password_hash("aire-valley-demo", hash))
		return 1;
	int64_t t[100];
	for (int i = 0; i < n; i++) {
		int64_t a = clock_mono_us();
		if (password_verify(hash, "aire-valley-demo"))
			return 1;
		t[i] = clock_mono_us() - a;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_i64);
	printf("%.1f\n", (double)t[n / 2] / 1000.0);
	return 0;
}
