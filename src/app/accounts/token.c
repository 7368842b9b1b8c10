// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * token.c — random tokens, their hashes and the session CSRF token, all on
 * libsodium (see token.h).
 */
#include "app/accounts/token.h"

#include <string.h>

#include <sodium.h>

int token_init(void)
{
	return sodium_init() < 0 ? ERR_INTERNAL : 0;
}

void token_new(char out[TOKEN_BUFSZ])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_BUFSZ, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

bool token_well_formed(const char *s, const char *prefix)
{
	if (!s)
		return false;
	if (prefix) {
		size_t n = strlen(prefix);
		if (strncmp(s, prefix, n) != 0)
			return false;
		s += n;
	}
	if (strlen(s) != TOKEN_CHARS)
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

void token_hash(const char *s, char hex[TOKEN_HASH_BUFSZ])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(hex, TOKEN_HASH_BUFSZ, h, sizeof(h));
}

void token_session_csrf(const char *session_token, char out[TOKEN_CSRF_BUFSZ])
{
	static const char label[] = "tandem csrf v1";
	unsigned char key[crypto_generichash_KEYBYTES];
	unsigned char mac[32];
	/* The key is the session token itself, brought to the key size. */
	crypto_generichash(key, sizeof(key), (const unsigned char *)session_token,
			   strlen(session_token), NULL, 0);
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)label, sizeof(label) - 1, key,
			   sizeof(key));
	sodium_bin2hex(out, TOKEN_CSRF_BUFSZ, mac, sizeof(mac));
	sodium_memzero(key, sizeof(key));
}

bool token_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t n = strlen(a);
	if (n != strlen(b) || n == 0)
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
