/*
 * msnp_challenge.h - the CHL / QRY client challenge (msnp.md 2.10).
 *
 * The notification server sends "CHL 0 <challenge>"; the client answers with
 * a product id and the lower-case hex MD5 of challenge || product-key (plain
 * concatenation, no separator). This module computes that answer, knows the
 * published (product id, key) pairs, turns caller-supplied random bytes into
 * a fresh challenge, and compares answers in constant time.
 *
 * It never draws randomness itself: msgrd passes bytes from libsodium, tests
 * pass fixed bytes.
 */
#ifndef MSNP_CHALLENGE_H
#define MSNP_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>

/* Length of a QRY answer: 32 lower-case hex digits. */
#define MSNP_CHALLENGE_RESPONSE_LEN 32
/* Size of a buffer holding an answer and its NUL. */
#define MSNP_CHALLENGE_RESPONSE_SIZE (MSNP_CHALLENGE_RESPONSE_LEN + 1)
/* Length of a challenge made by msnp_challenge_generate(). */
#define MSNP_CHALLENGE_DIGITS 20
/* Size of a buffer holding a generated challenge and its NUL. */
#define MSNP_CHALLENGE_SIZE (MSNP_CHALLENGE_DIGITS + 1)
/* Random bytes msnp_challenge_generate() needs at least: 128 bits make the
 * reduction to 20 digits uniform to within 2^-60. */
#define MSNP_CHALLENGE_RANDOM_BYTES 16

/* One published product id / key pair (msnp.md 2.10 table). */
typedef struct msnp_product_key {
    const char *id;   /* sent in QRY, e.g. "msmsgs@msnmsgr.com" */
    const char *key;  /* never sent, e.g. "Q1P7W2E4J9R8U3S5" */
} msnp_product_key;

/* The product id our client library uses for MSNP8 and MSNP9. */
#define MSNP_CHALLENGE_DEFAULT_PRODUCT_ID "msmsgs@msnmsgr.com"

/* Computes hex(md5(challenge || key)) into out as 32 lower-case hex digits
 * plus NUL. challenge and key are borrowed NUL-terminated strings.
 * Returns MSNP_OK; MSNP_E_INVALID_ARG if an argument is NULL;
 * MSNP_E_NOMEM if libcrypto fails to set up the digest (out is then "").  */
int msnp_challenge_response(const char *challenge, const char *key,
                            char out[MSNP_CHALLENGE_RESPONSE_SIZE]);

/* Key of a known product id (exact, case-sensitive match), or NULL when the
 * id is unknown or NULL. The returned string is static. */
const char *msnp_product_key_lookup(const char *product_id);

/* The whole table of known pairs (static storage); *count receives the
 * number of entries. count must not be NULL. */
const msnp_product_key *msnp_product_keys(size_t *count);

/* Turns nrandom caller-supplied random bytes into a challenge of exactly
 * MSNP_CHALLENGE_DIGITS decimal digits (first digit never '0') plus NUL in
 * out. The same bytes always give the same challenge.
 * Returns MSNP_OK, or MSNP_E_INVALID_ARG if random or out is NULL or
 * nrandom < MSNP_CHALLENGE_RANDOM_BYTES (out is then ""). */
int msnp_challenge_generate(const unsigned char *random, size_t nrandom,
                            char out[MSNP_CHALLENGE_SIZE]);

/* Constant-time comparison of a[0..alen) and b[0..blen): the time depends
 * only on the lengths, never on the contents. Different lengths compare
 * unequal. NULL pointers are allowed only with a zero length. */
bool msnp_challenge_equal(const void *a, size_t alen, const void *b,
                          size_t blen);

/* True if response[0..len) is the correct QRY answer to challenge under
 * key (compared in constant time). False for a wrong answer, a wrong
 * length, a NULL argument or a digest failure. The answer's hex case must
 * match exactly (msnp.md 2.10 specifies lower case). */
bool msnp_challenge_check(const char *challenge, const char *key,
                          const void *response, size_t len);

#endif
