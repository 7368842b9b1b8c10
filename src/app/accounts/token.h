// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * token.h — the secrets of accounts: random tokens (sessions, API tokens,
 * password-reset links, the anonymous CSRF cookie), the SHA-256 hash under
 * which the store keeps them, the CSRF form token derived from a session's
 * token, and comparison in constant time. No store, no HTTP: unit-tested in
 * tests/unit/test_accounts.c.
 */
#ifndef TANDEM_APP_ACCOUNTS_TOKEN_H
#define TANDEM_APP_ACCOUNTS_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Characters of a token: 256 random bits as base64url without padding. */
#define TOKEN_CHARS 43
/* Buffer for a token and its NUL. */
#define TOKEN_BUFSZ (TOKEN_CHARS + 1)
/* Buffer for a hex SHA-256 and its NUL. */
#define TOKEN_HASH_BUFSZ 65
/* Buffer for a session's CSRF token (hex of 256 bits) and its NUL. */
#define TOKEN_CSRF_BUFSZ 65
/* Personal API tokens start with this, so they are recognisable in a leak scan. */
#define TOKEN_API_PREFIX "tdm_"

/* Initialise libsodium (idempotent, thread-safe). Returns 0 or ERR_INTERNAL. */
int token_init(void) WUR;
/* A new token from the system's CSPRNG (randombytes_buf) into out. Never fails. */
void token_new(char out[TOKEN_BUFSZ]);
/* True when s looks like a token: TOKEN_CHARS base64url characters (after prefix, if given). */
bool token_well_formed(const char *s, const char *prefix);
/* The lower-case hex SHA-256 of s (any string) into hex. */
void token_hash(const char *s, char hex[TOKEN_HASH_BUFSZ]);
/*
 * The CSRF token for forms of the session whose cookie holds session_token:
 * a keyed BLAKE2b of a fixed label, so it cannot be worked out from what the
 * store holds (the token's hash) and changes with every session.
 */
void token_session_csrf(const char *session_token, char out[TOKEN_CSRF_BUFSZ]);
/* Equality in time independent of where the strings differ; false if either is NULL or the lengths differ. */
bool token_equal(const char *a, const char *b);

#endif
