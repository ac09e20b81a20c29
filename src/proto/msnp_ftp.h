/*
 * msnp_ftp.h - MSNFTP, the direct TCP connection of a file transfer
 * (msnp.md 6.2-6.5): its control lines and the headers of its data
 * blocks. The invitation that leads to it is msnp_invite.h.
 *
 * The connection carries CR LF terminated ASCII lines without
 * transaction IDs in both directions, until the receiver sends TFR; from
 * then on the sender-to-receiver direction is a stream of data blocks
 * (a 3-byte header, then up to 65535 bytes of file data) while the other
 * direction stays line based (BYE, CCL).
 *
 *   receiver -> sender   VER MSNFTP | USR handle auth-cookie | TFR
 *                        | BYE code | CCL
 *   sender -> receiver   VER MSNFTP | FIL size | data blocks
 *
 * Nothing here allocates: a parsed line is a self-contained struct, and
 * the writers append to a caller's msnp_buf (all or nothing, as every
 * writer of the codec).
 */
#ifndef MSNP_FTP_H
#define MSNP_FTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"

/* Longest control line accepted, terminator excluded. The longest valid
 * line is a USR with a 129-byte handle; VER may list a few names. */
#define MSNP_FTP_MAX_LINE 512
/* Longest handle in USR (the sign-in name limit). */
#define MSNP_FTP_MAX_HANDLE 129
/* Size of a data block header: flag, length low byte, length high byte. */
#define MSNP_FTP_BLOCK_HEADER 3
/* Most file bytes we put in one block (a block is then 2048 bytes);
 * receivers accept any length up to 65535. */
#define MSNP_FTP_BLOCK_DATA_MAX 2045

/* BYE codes (msnp.md 6.5). */
#define MSNP_FTP_BYE_OK 16777989u             /* 0x01000305 file received */
#define MSNP_FTP_BYE_SENT 16777987u           /* 0x01000303 file sent */
#define MSNP_FTP_BYE_DISK_FULL 2147942405u    /* 0x80070005 */
#define MSNP_FTP_BYE_RECEIVER_CANCEL 2164261682u /* 0x81000332 */
#define MSNP_FTP_BYE_SENDER_CANCEL 2164261683u   /* 0x81000333 */
#define MSNP_FTP_BYE_TIMEOUT 2164261694u      /* 0x8100033E */

typedef enum msnp_ftp_verb {
    MSNP_FTP_NONE = 0, /* never valid in a parsed or built line */
    MSNP_FTP_VER,
    MSNP_FTP_USR,
    MSNP_FTP_FIL,
    MSNP_FTP_TFR,
    MSNP_FTP_BYE,
    MSNP_FTP_CCL,
} msnp_ftp_verb;

/* One control line. Only the members of its verb are meaningful. */
typedef struct msnp_ftp_line {
    msnp_ftp_verb verb;
    bool msnftp;                               /* VER: "MSNFTP" is offered */
    char handle[MSNP_FTP_MAX_HANDLE + 1];      /* USR, NUL-terminated */
    uint32_t auth_cookie;                      /* USR */
    uint64_t size;                             /* FIL */
    uint32_t code;                             /* BYE */
} msnp_ftp_line;

/* Finds the end of the first line of buf[0..len): CR LF, or a bare LF
 * (tolerated on input; the writers always emit CR LF). Returns 1 and sets
 * *line_len (the line without its terminator) and *consumed (with it);
 * 0 when no terminator has arrived yet and len is still within
 * MSNP_FTP_MAX_LINE + 2; MSNP_E_LINE_TOO_LONG when it is not (the peer is
 * not speaking MSNFTP: close); MSNP_E_INVALID_ARG for a NULL argument (buf
 * may be NULL when len is 0). */
int msnp_ftp_find_line(const void *buf, size_t len, size_t *line_len,
                       size_t *consumed);

/* Parses one line (terminator already removed; it must not contain CR,
 * LF or NUL) into *out (zeroed first). Verbs are upper case; parameters
 * are separated by runs of spaces; leading and trailing spaces are
 * ignored. Grammar:
 *   VER name...        one or more names; msnftp tells whether MSNFTP is
 *                      one of them (a VER without it parses, msnftp false)
 *   USR handle cookie  handle 1..129 bytes; cookie a decimal uint32
 *   FIL size           decimal uint64
 *   TFR, CCL           no parameter
 *   BYE code           decimal uint32
 * Decimal numbers have no sign and no leading zeros (except "0").
 * Returns MSNP_OK; MSNP_E_INVALID_ARG (NULL line with len, NULL out);
 * MSNP_E_TOO_LONG (len above MSNP_FTP_MAX_LINE, or a handle above 129);
 * MSNP_E_CONTROL_CHAR (a byte below 0x20 or DEL); MSNP_E_SYNTAX (empty
 * line or unknown verb); MSNP_E_MISSING_FIELD (too few parameters);
 * MSNP_E_TOO_MANY_PARAMS (too many); MSNP_E_BAD_VALUE (a malformed
 * number). On error *out is zeroed. */
int msnp_ftp_parse_line(const char *line, size_t len, msnp_ftp_line *out);

/* Appends the line for l with its CR LF: "VER MSNFTP" (l->msnftp must be
 * true: we only ever offer or accept MSNFTP), "USR handle cookie",
 * "FIL size", "TFR", "BYE code", "CCL". Returns MSNP_OK,
 * MSNP_E_INVALID_ARG (NULL out or l; verb NONE or out of range; VER
 * without msnftp; a USR handle that is empty, not NUL-terminated within
 * its array, or holds a space or a control character) or the buffer's
 * error (the buffer is then unchanged). */
int msnp_ftp_build_line(msnp_buf *out, const msnp_ftp_line *l);

/* True if a and b carry the same information: the verb and the members
 * of that verb (handle compared as a string). */
bool msnp_ftp_line_equal(const msnp_ftp_line *a, const msnp_ftp_line *b);

/* The header of one data block. */
typedef struct msnp_ftp_block {
    bool end;         /* flag 1: the sender aborts, or marks the end */
    uint16_t length;  /* file bytes following the header */
} msnp_ftp_block;

/* Reads a block header from buf[0..len). Returns 1 when the three header
 * bytes are there (*out filled), 0 when fewer have arrived, MSNP_E_BAD_VALUE
 * when the flag byte is neither 0 nor 1 (the stream is not MSNFTP),
 * MSNP_E_INVALID_ARG for a NULL argument (buf may be NULL when len is 0). */
int msnp_ftp_block_parse(const void *buf, size_t len, msnp_ftp_block *out);

/* Appends one data block (flag 0) holding data[0..len). Returns MSNP_OK,
 * MSNP_E_TOO_LONG (len above MSNP_FTP_BLOCK_DATA_MAX), MSNP_E_INVALID_ARG
 * (NULL out, or NULL data with len) or the buffer's error. */
int msnp_ftp_block_write(msnp_buf *out, const void *data, size_t len);

/* Appends the sender's abort marker 01 00 00 (msnp.md 6.4: never sent
 * after a complete file). Returns MSNP_OK, MSNP_E_INVALID_ARG or the
 * buffer's error. */
int msnp_ftp_abort_write(msnp_buf *out);

#endif
