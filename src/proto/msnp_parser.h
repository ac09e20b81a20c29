/*
 * msnp_parser.h - incremental MSNP stream parser (msnp.md 1.2-1.9).
 *
 * Bytes go in with msnp_parser_feed(), split anywhere; complete commands
 * come out of msnp_parser_next(), one at a time, in order. A command is a
 * line ("CMD[ TrID] p1 p2 ...", CR LF or bare LF) optionally followed by a
 * payload whose byte length is the line's last parameter (MSG, NOT, QRY,
 * PAG, PGD, IPG; which codes carry one depends on the direction).
 *
 * Errors (line too long, payload too large, bad length, syntax, too many
 * parameters) are sticky: after msnp_parser_next() returns a negative
 * status, every later call returns the same status, and the caller is
 * expected to answer with an error code or drop the connection (msnp.md
 * 1.5, 1.8). The one exception is MSNP_E_BAD_TRID, which rejects a single
 * command and lets parsing go on.
 *
 * Framing rules enforced (msnp.md 1.2-1.6):
 *   - A line ends with CR LF or a bare LF. Any other control byte in it (a
 *     CR elsewhere, NUL, TAB, ESC, DEL, ...) is MSNP_E_SYNTAX. Bytes >= 0x80
 *     are passed through; judging them is the URL decoder's job.
 *   - The code is exactly three upper-case ASCII letters, or three digits
 *     100..999 (an error reply); an empty line, a leading space or any other
 *     code is MSNP_E_SYNTAX. Runs of spaces between parameters, and trailing
 *     spaces, are tolerated.
 *   - A line longer than max_line bytes (terminator included) is
 *     MSNP_E_LINE_TOO_LONG, reported as soon as max_line bytes are held
 *     without an LF.
 *   - Payload commands (msnp_code_has_payload) take their length from the
 *     last parameter, which stays in params: missing or not a decimal
 *     uint32 (msnp_parse_u32) is MSNP_E_BAD_LENGTH, above max_payload is
 *     MSNP_E_PAYLOAD_TOO_LARGE, both reported from the line alone.
 *   - More than max_params parameters (TrID slot excluded) is
 *     MSNP_E_TOO_MANY_PARAMS.
 *   When a line breaks several rules the first in this order wins: syntax,
 *   too many params, bad length, payload too large, bad TrID.
 *
 * TrID rules (msnp.md 1.3, 1.4, 3.2, 12):
 *   - MSNP_FROM_CLIENT: every code except PNG and OUT has its TrID as the
 *     first parameter. No parameter at all: has_trid is false and the
 *     command is returned (the server answers it with an error). A payload
 *     command whose only parameter is its length: same. A first parameter
 *     that is not a decimal uint32: msnp_parser_next() returns
 *     MSNP_E_BAD_TRID once the whole command, payload included, has been
 *     consumed.
 *   - MSNP_FROM_SERVER: the first parameter is taken as the TrID when it is
 *     a decimal uint32 and the code is an error reply or one of VER CVR USR
 *     XFR SYN GTC BLP PRP ADD REM ADG RMG REG REA CHG CHL QRY URL SND ILN
 *     LST LSG CAL ANS IRO ACK NAK, except for the TrID-less SYN dump forms:
 *     GTC or BLP with one parameter, LSG with three, CHL with one (and PRP
 *     or LST whose first parameter is not a number). Any other code, known
 *     or not, has no TrID.
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
    size_t max_buffer;  /* unparsed input held at most; 0 = max_line + max_payload + 65536;
                         * a smaller value is raised to max_line + max_payload
                         * so that one maximal command always fits */
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
    const char *const *params; /* nparams NUL-terminated parameters, still URL-encoded;
                                * for a payload command the last one is the length */
    bool has_payload;      /* the code announces a payload in this direction */
    const unsigned char *payload; /* payload_len bytes (not NUL-terminated); non-NULL
                                   * whenever has_payload (even for length 0), else NULL */
    size_t payload_len;
} msnp_cmd;

typedef struct msnp_parser msnp_parser;

/* Returns a new parser (free with msnp_parser_free) or NULL when out of
 * memory or when cfg->direction is not a msnp_direction value. cfg may be
 * NULL for the defaults of MSNP_FROM_CLIENT; it is copied, not kept. */
msnp_parser *msnp_parser_new(const msnp_parser_config *cfg);
/* Frees p and everything it holds (commands handed out become invalid).
 * p may be NULL. */
void msnp_parser_free(msnp_parser *p);

/* Copies len bytes into the parser (data is not kept; it may be NULL when
 * len is 0). Returns MSNP_OK, MSNP_E_BUFFER_FULL (nothing was copied; not
 * sticky: drain msnp_parser_next() and retry), MSNP_E_NOMEM (nothing was
 * copied; not sticky), MSNP_E_INVALID_ARG (p NULL, or data NULL with len
 * > 0), or the sticky error if one is set. */
int msnp_parser_feed(msnp_parser *p, const void *data, size_t len);

/* Extracts the next complete command into *cmd. Returns 1 when *cmd is
 * filled, 0 when more input is needed, MSNP_E_BAD_TRID (not sticky) when a
 * client command's TrID is not a decimal uint32 -- the command, payload
 * included, is consumed and *cmd is filled anyway with has_trid false and
 * the offending token as params[0], for logging -- MSNP_E_INVALID_ARG when
 * p or cmd is NULL, or one of the sticky errors listed at the top. */
int msnp_parser_next(msnp_parser *p, msnp_cmd *cmd);

/* Releases the input buffer when it holds no unparsed bytes, so an idle
 * connection costs only the parser struct (a server with many idle
 * sessions calls this after draining). The next feed allocates again.
 * Pointers from the last msnp_parser_next() become invalid. NULL is a
 * no-op. */
void msnp_parser_trim(msnp_parser *p);

/* Number of input bytes held but not yet returned as commands (0 for a
 * NULL p). */
size_t msnp_parser_pending(const msnp_parser *p);

/* True if code (NUL-terminated, three characters) carries a payload in
 * that direction: MSG, QRY, PAG, PGD from a client; MSG, NOT, IPG from a
 * server. False for NULL or any other string. */
bool msnp_code_has_payload(const char *code, msnp_direction dir);

/* Parses a decimal uint32 with no sign, no leading zeros (except "0") and
 * no trailing bytes. Returns MSNP_OK (and stores the value in *out unless
 * out is NULL) or MSNP_E_BAD_VALUE (s NULL, empty, malformed or above
 * 4294967295; *out untouched). */
int msnp_parse_u32(const char *s, uint32_t *out);

#endif
