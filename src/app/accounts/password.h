// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * password.h — the password policy and password hashing.
 *
 * Policy: at least PASSWORD_MIN_CHARS characters; not one of the commonest
 * passwords (a list shipped as data/common-passwords.txt, loaded once at
 * start), nor one of them with digits or symbols stuck on the end
 * ("Sunshine2024!"); not the person's email address, the part before the @,
 * or their name; not one character repeated.
 *
 * Hashing: Argon2id through libsodium's crypto_pwhash_str with the
 * INTERACTIVE limits (about 64 MiB and a few tens of milliseconds each). At
 * most PASSWORD_MAX_CONCURRENT hashes run at once across the process; the
 * others wait their turn, so a burst of sign-ins cannot exhaust memory.
 */
#ifndef TANDEM_APP_ACCOUNTS_PASSWORD_H
#define TANDEM_APP_ACCOUNTS_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define PASSWORD_MIN_CHARS 10
/* Longest password accepted, in characters (the form field's limit too). */
#define PASSWORD_MAX_CHARS 500
/* Buffer for an encoded hash (crypto_pwhash_STRBYTES). */
#define PASSWORD_HASH_BUFSZ 128
/* Hashes allowed in flight at once. */
#define PASSWORD_MAX_CONCURRENT 2

/*
 * Load the list of common passwords from path (one a line, '#' comments,
 * compared case-insensitively), replacing any list loaded before. Call at
 * start, before threads use the policy. Returns 0, or ERR_IO with a message
 * in err.
 */
int password_list_load(const char *path, char *err, size_t errsz) WUR;
/* Free the list (at shutdown). */
void password_list_free(void);
/* Entries in the loaded list. */
size_t password_list_size(void);
/* True when s (any case) is on the list. */
bool password_is_common(const char *s);

/*
 * Why password is not acceptable for the person with this email and name
 * (either may be NULL), as a sentence for them; NULL when it is acceptable.
 * The string is static.
 */
const char *password_weakness(const char *password, const char *email, const char *name);

/*
 * Hash password into out (an encoded Argon2id string with its own salt and
 * limits). Waits for a free slot. Returns 0, or ERR_NOMEM when the memory
 * for the hash could not be had.
 */
int password_hash(const char *password, char out[PASSWORD_HASH_BUFSZ]) WUR;
/* Check password against an encoded hash: 0 when it matches, ERR_UNAUTH when not. Costs one hash. */
int password_verify(const char *hash, const char *password) WUR;
/*
 * Spend the time of one password_verify on a hash that matches nothing, so
 * that signing in as an unknown email takes as long as a wrong password.
 */
void password_verify_dummy(const char *password);
/* True when hash was made with other limits than today's and should be made again. */
bool password_needs_rehash(const char *hash);

#endif
