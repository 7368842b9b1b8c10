// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * password.c — the password policy (length, the common-passwords list,
 * personal details) and Argon2id hashing bounded to a few at a time (see
 * password.h).
 */
#include "app/accounts/password.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/str.h"
#include "core/util.h"

/* The common passwords, lower case and sorted, for bsearch. Read-only once loaded. */
static char **common;
static size_t ncommon;

/* A counting semaphore for hashes in flight. */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_free = PTHREAD_COND_INITIALIZER;
static int slots_used;

/*
 * A hash of a random password nobody knows, made once with the INTERACTIVE
 * limits: verifying against it costs what verifying a real one does.
 */
static const char dummy_hash[] =
	"$argon2id$v=19$m=65536,t=2,p=1$SmfU34FAh4nUo3WPDy1W4w$P+8YoJorqkU4Fd3sh8v3codC670/EO+vJyA112Y3SlQ";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void password_list_free(void)
{
	for (size_t i = 0; i < ncommon; i++)
		free(common[i]);
	free(common);
	common = NULL;
	ncommon = 0;
}

int password_list_load(const char *path, char *err, size_t errsz)
{
	char *text;
	size_t len;
	if (file_read_all(path, 4u << 20, &text, &len)) {
		snprintf(err, errsz, "cannot read the list of common passwords %s", path);
		return ERR_IO;
	}
	password_list_free();
	size_t cap = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (ncommon == cap) {
			cap = cap ? cap * 2 : 256;
			common = xrealloc(common, cap * sizeof(*common));
		}
		common[ncommon] = xstrdup(line);
		lower_ascii(common[ncommon]);
		ncommon++;
	}
	free(text);
	if (ncommon)
		qsort(common, ncommon, sizeof(*common), cmp_str);
	return 0;
}

size_t password_list_size(void)
{
	return ncommon;
}

bool password_is_common(const char *s)
{
	if (!ncommon || !s || !*s)
		return false;
	char *low = xstrdup(s);
	lower_ascii(low);
	bool found = bsearch(&low, common, ncommon, sizeof(*common), cmp_str) != NULL;
	free(low);
	return found;
}

/* True when s without its trailing digits and symbols (and what is left is a word) is common. */
static bool common_with_suffix(const char *s)
{
	size_t n = strlen(s);
	while (n && (isdigit((unsigned char)s[n - 1]) || ispunct((unsigned char)s[n - 1]) ||
		     s[n - 1] == ' '))
		n--;
	if (n < 4 || n == strlen(s))
		return false;
	char *base = xstrndup(s, n);
	bool found = password_is_common(base);
	free(base);
	return found;
}

/* Case-insensitive equality of ASCII letters; other bytes must match exactly. */
static bool same_text(const char *a, const char *b, size_t blen)
{
	return strlen(a) == blen && strncasecmp(a, b, blen) == 0;
}

const char *password_weakness(const char *password, const char *email, const char *name)
{
	if (!password || !*password)
		return "Enter a password";
	size_t bytes = strlen(password);
	if (!utf8_valid(password, bytes))
		return "The password contains characters that are not allowed";
	size_t chars = utf8_len(password, bytes);
	if (chars < PASSWORD_MIN_CHARS)
		return "Use at least 10 characters: three or four random words are easy to remember and hard to guess";
	if (chars > PASSWORD_MAX_CHARS)
		return "Use at most 500 characters";
	bool all_same = true;
	for (size_t i = 1; i < bytes; i++)
		if (password[i] != password[0])
			all_same = false;
	if (all_same)
		return "Do not use one character over and over";
	if (password_is_common(password) || common_with_suffix(password))
		return "This is one of the most common passwords, so it is easy to guess. Choose another";
	if (email && *email) {
		const char *at = strchr(email, '@');
		if (same_text(password, email, strlen(email)) ||
		    (at && at - email >= 4 && same_text(password, email, (size_t)(at - email))))
			return "Do not use your email address as your password";
	}
	if (name && *name && same_text(password, name, strlen(name)))
		return "Do not use your name as your password";
	if (name && *name) {
		/* The name without spaces ("janesmith1") is as guessable. */
		char *squeezed = xstrdup(name);
		size_t j = 0;
		for (size_t i = 0; squeezed[i]; i++)
			if (squeezed[i] != ' ')
				squeezed[j++] = squeezed[i];
		squeezed[j] = '\0';
		bool same = j >= 4 && (same_text(password, squeezed, j) ||
				       (strncasecmp(password, squeezed, j) == 0 &&
					strspn(password + j, "0123456789!?.*#@$") == bytes - j));
		free(squeezed);
		if (same)
			return "Do not use your name as your password";
	}
	return NULL;
}

static void slot_take(void)
{
	pthread_mutex_lock(&slots_lock);
	while (slots_used >= PASSWORD_MAX_CONCURRENT)
		pthread_cond_wait(&slots_free, &slots_lock);
	slots_used++;
	pthread_mutex_unlock(&slots_lock);
}

static void slot_give(void)
{
	pthread_mutex_lock(&slots_lock);
	slots_used--;
	pthread_cond_signal(&slots_free);
	pthread_mutex_unlock(&slots_lock);
}

int password_hash(const char *password, char out[PASSWORD_HASH_BUFSZ])
{
	slot_take();
	int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	slot_give();
	return rc == 0 ? 0 : ERR_NOMEM;
}

int password_verify(const char *hash, const char *password)
{
	slot_take();
	int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
	slot_give();
	return rc == 0 ? 0 : ERR_UNAUTH;
}

void password_verify_dummy(const char *password)
{
	int rc = password_verify(dummy_hash, password ? password : "");
	(void)rc; /* never matches: only the time spent counts */
}

bool password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
