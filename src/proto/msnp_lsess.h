/*
 * msnp_lsess.h - the Session Invite commands of local server mode
 * (docs/protocol.md "Extension: local server mode", "Session commands"):
 * the text tokens they carry, and the parsers of the lines an attached
 * program receives (the SGL snapshot, SST and SEV).
 *
 * The stream parsers frame payloads only for a fixed set of codes (MSG,
 * NOT, ...), so these commands carry every string as one parameter: its
 * UTF-8 URL-encoded (msnp_url.h), the empty string as a lone "-" (and a
 * string that is exactly "-" as "%2D"). A session result travels as
 * eight upper-case hex digits ("81000606").
 *
 * Everything parsed here is hostile input: each token is bounded, decoded
 * strictly (no control character but tab) and checked against its
 * grammar; a parse that fails leaves nothing allocated.
 */
#ifndef MSNP_LSESS_H
#define MSNP_LSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"

#define MSNP_LSESS_GUID_SIZE 39 /* "{8-4-4-4-12}" and its NUL */
/* Decoded bytes of the free-text fields (UTF-8): a sign-in name, an
 * application name or URL, application or context data, an address. */
#define MSNP_LSESS_USER_MAX 129
#define MSNP_LSESS_NAME_MAX 256
#define MSNP_LSESS_DATA_MAX 1200 /* 300 characters of 4 bytes */
#define MSNP_LSESS_ADDR_MAX 30
/* Parameters of the SGL answer after its TrID. */
#define MSNP_LSESS_SNAPSHOT_PARAMS 11

/* Appends s as a text token. Returns MSNP_OK or the buffer's error. */
int msnp_lsess_text_encode(msnp_buf *out, const char *s);
/* Decodes a text token into a new malloc'd string (*out; caller frees).
 * Returns MSNP_OK, MSNP_E_TOO_LONG (more than max decoded bytes), the
 * decoder's errors (bad escape, not UTF-8, a control character other
 * than tab) or MSNP_E_NOMEM; *out is NULL on error. */
int msnp_lsess_text_decode(const char *token, size_t max, char **out);

/* "81000606" -> 0x81000606: exactly eight hex digits (either case).
 * Returns MSNP_OK or MSNP_E_BAD_VALUE. */
int msnp_lsess_parse_hr(const char *token, uint32_t *hr);
/* Writes hr as eight upper-case hex digits and a NUL into out[9]. */
void msnp_lsess_format_hr(uint32_t hr, char out[9]);

/* The state of one session as the serving messenger sees it. */
typedef struct msnp_lsess_snapshot {
    char session_id[MSNP_LSESS_GUID_SIZE]; /* "{GUID}" as sent */
    char app_guid[MSNP_LSESS_GUID_SIZE];   /* "" when none */
    unsigned state;          /* SESSION_STATE, 1..7 */
    unsigned flags;          /* SESSION_FLAGS, bits 0..2 */
    char *user;              /* the other party's sign-in name, or "" */
    char *app_name, *app_url;
    char *context;           /* ContextData; "" for none */
    bool has_context;        /* ContextData was set (MSGR_S_OK, not S_FALSE) */
    char *local_addr, *remote_addr;
} msnp_lsess_snapshot;

/* Appends "SGL trid SessionID AppGUID state flags user name url
 * has-context context local remote". The strings must be NULL or within
 * the limits above; returns MSNP_OK, MSNP_E_INVALID_ARG or the buffer's
 * error (nothing appended then). */
int msnp_lsess_write_snapshot(msnp_buf *out, uint32_t trid,
                              const msnp_lsess_snapshot *s);
/* Parses the parameters of an SGL answer that follow its TrID (exactly
 * MSNP_LSESS_SNAPSHOT_PARAMS). Returns MSNP_OK (free *out with
 * msnp_lsess_snapshot_free), MSNP_E_MISSING_FIELD (wrong count),
 * MSNP_E_BAD_VALUE, MSNP_E_TOO_LONG, a decoder error or MSNP_E_NOMEM;
 * *out holds nothing allocated on error. */
int msnp_lsess_parse_snapshot(const char *const *params, size_t n,
                              msnp_lsess_snapshot *out);
void msnp_lsess_snapshot_free(msnp_lsess_snapshot *s);

/* One pushed line: "SST 0 SessionID new prev" (dispid 103) or
 * "SEV 0 SessionID dispid hr data". */
typedef struct msnp_lsess_event {
    char session_id[MSNP_LSESS_GUID_SIZE];
    unsigned dispid;         /* 103, or one of 105 106 107 108 110 111 */
    unsigned state, prev;    /* SST: SESSION_STATE values 1..7 */
    uint32_t hr;             /* SEV */
    char *text;              /* SEV: the data (malloc'd); NULL for SST */
} msnp_lsess_event;

/* Appends "SST 0 id new prev". */
int msnp_lsess_write_state(msnp_buf *out, const char *session_id, unsigned state,
                           unsigned prev);
/* Appends "SEV 0 id dispid hr data" (data NULL = ""). */
int msnp_lsess_write_event(msnp_buf *out, const char *session_id, unsigned dispid,
                           uint32_t hr, const char *data);
/* Parses an SST or SEV line given its code and every parameter (the "0"
 * TrID first, as a client's stream parser hands them out). Returns
 * MSNP_OK (free with msnp_lsess_event_free), MSNP_E_MISSING_FIELD,
 * MSNP_E_BAD_VALUE, MSNP_E_TOO_LONG, a decoder error or MSNP_E_NOMEM. */
int msnp_lsess_parse_event(const char *code, const char *const *params, size_t n,
                           msnp_lsess_event *out);
void msnp_lsess_event_free(msnp_lsess_event *e);

#endif
