/*
 * msnp_parser.h - incremental MSNP stream parser (msnp.md 1.2-1.9).
 *
 * Bytes go in with msnp_parser_feed(), split anywhere; complete commands
 * come out of msnp_parser_next(), one at a time, in order. A command is a
 * line ("CMD[ TrID] p1 p2 ...", CR LF or bare LF) optionally followed by a
 * payload whose byte length is the line's last parameter (MSG, NOT, QRY,
 * PAG, PGD, IPG; which codes carry one depends on the direction).
 *
 * Errors (line too long, payload too large, bad length, syntax) are sticky:
 * after msnp_parser_next() returns a negative status, every later call
 * returns the same status, and the caller is expected to answer with an
 * error code or drop the connection (msnp.md 1.5, 1.8).
 *
 * Memory: the parser owns one input buffer. It never holds more than
 * max_buffer unparsed bytes: msnp_parser_feed() refuses (MSNP_E_BUFFER_FULL,
 * not sticky) input that would exceed that, so a caller must drain
 * msnp_parser_next() until it returns 0 before feeding more.
 */
#ifndef MSNP_PARSER_H
#define MSNP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_status.h"

/* Who sent the bytes being parsed; decides which codes carry a payload and
 * which carry a TrID. */
typedef enum msnp_direction {
    MSNP_FROM_CLIENT = 0, /* server side: parsing what a client sent */
    MSNP_FROM_SERVER = 1, /* client side: parsing what a server sent */
} msnp_direction;

typedef struct msnp_parser_config {
    msnp_direction direction;
    size_t max_line;    /* bytes per command line including CR LF; 0 = 8192 */
    size_t max_payload; /* bytes per payload; 0 = 65536 */
    size_t max_params;  /* parameters per line (TrID excluded); 0 = 64 */
    size_t max_buffer;  /* unparsed input held at most; 0 = max_line + max_payload + 65536 */
} msnp_parser_config;

/* One parsed command. Every pointer refers to storage owned by the parser
 * and stays valid until the next msnp_parser_next(), msnp_parser_feed() or
 * msnp_parser_free() on the same parser. */
typedef struct msnp_cmd {
    char code[4];          /* NUL-terminated three-character command code */
    int error_code;        /* 100..999 when code is three digits (error reply), else 0 */
    bool has_trid;         /* first parameter was taken as the TrID */
    uint32_t trid;         /* valid when has_trid */
    size_t nparams;        /* parameters after the code (and TrID) */
    const char *const *params; /* nparams NUL-terminated parameters, still URL-encoded */
    bool has_payload;      /* the code announces a payload in this direction */
    const unsigned char *payload; /* payload_len bytes (not NUL-terminated); NULL if none */
    size_t payload_len;
} msnp_cmd;

typedef struct msnp_parser msnp_parser;

/* Returns a new parser (free with msnp_parser_free) or NULL when out of
 * memory. cfg may be NULL for the defaults of MSNP_FROM_CLIENT. */
msnp_parser *msnp_parser_new(const msnp_parser_config *cfg);
void msnp_parser_free(msnp_parser *p);

/* Copies len bytes into the parser. Returns MSNP_OK, MSNP_E_BUFFER_FULL
 * (nothing was copied) or MSNP_E_NOMEM, or the sticky error if one is set. */
int msnp_parser_feed(msnp_parser *p, const void *data, size_t len);

/* Extracts the next complete command into *cmd. Returns 1 when *cmd is
 * filled, 0 when more input is needed, or a negative msnp_status. */
int msnp_parser_next(msnp_parser *p, msnp_cmd *cmd);

/* Number of input bytes held but not yet returned as commands. */
size_t msnp_parser_pending(const msnp_parser *p);

/* True if code (three characters) carries a payload in that direction. */
bool msnp_code_has_payload(const char *code, msnp_direction dir);

/* Parses a decimal uint32 with no sign, no leading zeros (except "0") and
 * no trailing bytes. Returns MSNP_OK or MSNP_E_BAD_VALUE. */
int msnp_parse_u32(const char *s, uint32_t *out);

#endif
