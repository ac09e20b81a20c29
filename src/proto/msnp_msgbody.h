/*
 * msnp_msgbody.h - typed MSG payloads: instant messages, typing
 * notifications, the login profile, the mail notifications and the system
 * message (msnp.md 2.7, 5.7, 5.8, 7.2, 7.3), and a classifier that tells
 * them apart. Invitations have their own module (msnp_invite.h).
 *
 * Every builder appends the exact payload bytes (what follows the MSG
 * command line; its length is the MSG length parameter) to a msnp_buf and
 * leaves the buffer unchanged on error. Builders write fields in the order
 * the official service and clients use, so the examples of msnp.md come
 * out byte for byte. String arguments must not contain CR, LF or NUL
 * (MSNP_E_INVALID_ARG): no caller string can inject a header line.
 *
 * Every parser takes the payload bytes, checks the Content-Type (missing:
 * MSNP_E_MISSING_FIELD; another type: MSNP_E_BAD_VALUE), matches field
 * names ignoring case and in any order, ignores unknown fields and uses the
 * first of duplicated ones. A malformed payload gives the msnp_mime_parse()
 * error. Parsed structs own their strings; release them with the matching
 * _free function. A parsed string field is NULL when the field was absent;
 * builders treat NULL like "". A numeric field that is absent or empty
 * reads as 0 unless documented as required.
 */
#ifndef MSNP_MSGBODY_H
#define MSNP_MSGBODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"
#include "msnp_mime.h"

/* ---- classification ------------------------------------------------------ */

typedef enum msnp_msg_kind {
    MSNP_MSG_UNKNOWN = 0,    /* unknown type, no Content-Type, or not MIME */
    MSNP_MSG_TEXT,           /* text/plain */
    MSNP_MSG_TYPING,         /* text/x-msmsgscontrol */
    MSNP_MSG_INVITE,         /* text/x-msmsgsinvite (msnp_invite.h) */
    MSNP_MSG_PROFILE,        /* text/x-msmsgsprofile */
    MSNP_MSG_INITIAL_EMAIL,  /* text/x-msmsgsinitialemailnotification */
    MSNP_MSG_EMAIL,          /* text/x-msmsgsemailnotification */
    MSNP_MSG_ACTIVE_EMAIL,   /* text/x-msmsgsactivemailnotification */
    MSNP_MSG_SYSTEM,         /* application/x-msmsgssystemmessage */
    MSNP_MSG_CLIENTCAPS,     /* text/x-clientcaps */
    MSNP_MSG_P2P,            /* application/x-msnmsgrp2p */
    MSNP_MSG_EMOTICON,       /* text/x-mms-emoticon */
} msnp_msg_kind;

/* Kind of the payload, from its Content-Type (type and subtype compared
 * ignoring case, parameters ignored). Never fails: anything unrecognised
 * or malformed is MSNP_MSG_UNKNOWN. */
msnp_msg_kind msnp_msg_classify(const void *payload, size_t len);

/* Same for an already parsed message; m may be NULL (UNKNOWN). */
msnp_msg_kind msnp_msg_kind_of(const msnp_mime *m);

/* "type/subtype" of a kind (lower case, static); NULL for UNKNOWN or an
 * out-of-range value. */
const char *msnp_msg_kind_content_type(msnp_msg_kind kind);

/* ---- text/plain: instant messages (5.7, 5.8) ----------------------------- */

enum msnp_text_effects {
    MSNP_EFFECT_BOLD = 1 << 0,      /* B */
    MSNP_EFFECT_ITALIC = 1 << 1,    /* I */
    MSNP_EFFECT_UNDERLINE = 1 << 2, /* U */
    MSNP_EFFECT_STRIKE = 1 << 3,    /* S */
};

#define MSNP_FONT_MAX 128 /* bytes of a decoded font name, NUL included */

/* The X-MMS-IM-Format header. */
typedef struct msnp_text_format {
    char font[MSNP_FONT_MAX]; /* FN, decoded UTF-8 face name; may be "" */
    unsigned effects;         /* EF, MSNP_EFFECT_* bits */
    uint32_t color;           /* CO, 0xBBGGRR (blue in the high byte) */
    unsigned charset;         /* CS, Windows charset number 0..255 */
    unsigned pitch_family;    /* PF, family high nibble, pitch low, 0..255 */
    bool rtl;                 /* RL=1 */
} msnp_text_format;

/* Appends the X-MMS-IM-Format value for f to out:
 * "FN=<url-encoded font>; EF=<B I U S in that order>; CO=<lower-case hex,
 * no leading zeros>; CS=<upper-case hex>; PF=<two upper-case hex digits>"
 * and "; RL=1" when rtl. Returns MSNP_OK, MSNP_E_INVALID_ARG (NULL, font
 * not NUL-terminated within MSNP_FONT_MAX, unknown effect bits, colour above
 * 0xFFFFFF, charset or pitch_family above 255), MSNP_E_BAD_UTF8 (font) or
 * the buffer's error. */
int msnp_text_format_build(msnp_buf *out, const msnp_text_format *f);

/* Parses an X-MMS-IM-Format value into *out (zeroed first). Items are
 * separated by ';', spaces around keys and values are ignored, keys are
 * case-insensitive, empty items and unknown keys are skipped, and a
 * repeated key overrides the earlier one. FN is URL-decoded leniently
 * (msnp.md 1.7); EF letters are case-insensitive; CO is 1-6, CS and PF 1-2
 * hex digits of either case; RL is 0 or 1. Returns MSNP_OK,
 * MSNP_E_BAD_VALUE (an item without '=', a bad EF letter or number),
 * MSNP_E_TOO_LONG (font), MSNP_E_CONTROL_CHAR (font), MSNP_E_NOMEM or
 * MSNP_E_INVALID_ARG (NULL). */
int msnp_text_format_parse(const char *value, msnp_text_format *out);

/* Appends a text message: MIME-Version, "Content-Type: text/plain;
 * charset=UTF-8", X-MMS-IM-Format (only when fmt is non-NULL), a blank
 * line and text[0..len) with every LF not preceded by CR turned into
 * CR LF (msnp.md 1.9); no line break is added at the end. Returns MSNP_OK,
 * MSNP_E_INVALID_ARG (text NULL with len > 0, out NULL),
 * MSNP_E_BAD_UTF8 (text), MSNP_E_CONTROL_CHAR (a NUL in text), the
 * msnp_text_format_build() errors or the buffer's error. */
int msnp_text_build(msnp_buf *out, const char *text, size_t len,
                    const msnp_text_format *fmt);

typedef struct msnp_text_msg {
    char *text;               /* owned, UTF-8, NUL-terminated */
    size_t len;               /* bytes of text, NUL excluded */
    bool has_format;          /* a well-formed X-MMS-IM-Format was present */
    msnp_text_format format;  /* all zero unless has_format */
} msnp_text_msg;

/* Parses a text/plain payload into *out. The body's CR LF pairs become LF
 * (bare CRs stay). Charset: "UTF-8" (any case, also "utf8") must be valid
 * UTF-8 (MSNP_E_BAD_UTF8); no charset means ISO-8859-1 (msnp.md 5.8), and
 * that, "ISO-8859-1" ("ISO_8859-1", "latin1"), "windows-1252" ("cp1252")
 * and "us-ascii" are transcoded to UTF-8 as Windows-1252, the superset
 * Windows actually used; any other charset is MSNP_E_BAD_VALUE. A NUL byte in the body is
 * MSNP_E_CONTROL_CHAR. A malformed X-MMS-IM-Format is ignored
 * (has_format false) rather than failing: the text still gets shown.
 * Returns MSNP_OK, those errors, the common parser errors (see top) or
 * MSNP_E_NOMEM. On error *out is empty. */
int msnp_text_parse(const void *payload, size_t len, msnp_text_msg *out);

/* Frees out->text and zeroes *m; NULL is a no-op. */
void msnp_text_msg_free(msnp_text_msg *m);

/* ---- text/x-msmsgscontrol: typing notification (5.8) --------------------- */

/* Appends the typing notification for user (its handle): MIME-Version,
 * Content-Type, "TypingUser: user", a blank line and one more CR LF, as
 * official clients send it. Returns MSNP_OK, MSNP_E_INVALID_ARG (user NULL,
 * empty or holding CR/LF) or the buffer's error. */
int msnp_typing_build(msnp_buf *out, const char *user);

/* Extracts TypingUser from a text/x-msmsgscontrol payload (any body) into
 * a new malloc'd string *user (caller frees; NULL on error). Returns
 * MSNP_OK, MSNP_E_MISSING_FIELD (no TypingUser), MSNP_E_BAD_VALUE (empty
 * TypingUser) or the common parser errors. */
int msnp_typing_parse(const void *payload, size_t len, char **user);

/* ---- text/x-msmsgsprofile (2.7) ------------------------------------------ */

typedef struct msnp_profile {
    uint64_t login_time;          /* LoginTime, Unix seconds */
    bool email_enabled;           /* EmailEnabled 0/1 */
    uint32_t member_id_high;      /* MemberIdHigh */
    uint32_t member_id_low;       /* MemberIdLow; on the wire as signed int32 */
    uint32_t lang_preference;     /* lang_preference, an LCID */
    const char *preferred_email;  /* preferredEmail */
    const char *country;          /* country */
    const char *postal_code;      /* PostalCode */
    const char *gender;           /* Gender */
    bool kid;                     /* Kid 0/1 */
    const char *age;              /* Age */
    const char *bday_pre;         /* BDayPre */
    const char *birthday;         /* Birthday */
    const char *wallet;           /* Wallet */
    uint32_t flags;               /* Flags */
    uint32_t sid;                 /* sid */
    uint32_t kv;                  /* kv */
    const char *mspauth;          /* MSPAuth */
    const char *client_ip;        /* ClientIP */
    uint16_t client_port;         /* ClientPort, the REAL port: the builder
                                     byte-swaps it for the wire and the
                                     parser swaps it back (msnp.md 2.7) */
    msnp_mime storage_;           /* private: owns parsed strings */
} msnp_profile;

/* Appends the profile: MIME-Version, "Content-Type: text/x-msmsgsprofile;
 * charset=UTF-8", every field above in the order of the msnp.md 2.7
 * example, then the blank line and an empty body. Returns MSNP_OK,
 * MSNP_E_INVALID_ARG or the buffer's error. */
int msnp_profile_build(msnp_buf *out, const msnp_profile *p);

/* Parses a profile (fields are its MIME headers). Numbers must be decimal
 * in range (MemberIdLow either signed or unsigned 32-bit, EmailEnabled and
 * Kid 0 or 1, ClientPort 0..65535), else MSNP_E_BAD_VALUE. No field is
 * required. *out is zeroed first; free with msnp_profile_free(). */
int msnp_profile_parse(const void *payload, size_t len, msnp_profile *out);
void msnp_profile_free(msnp_profile *p);

/* ---- mail notifications (7.2) -------------------------------------------- */

/* text/x-msmsgsinitialemailnotification */
typedef struct msnp_initial_email {
    uint32_t inbox_unread;        /* Inbox-Unread (required when parsing) */
    uint32_t folders_unread;      /* Folders-Unread (required when parsing) */
    const char *inbox_url;        /* Inbox-URL */
    const char *folders_url;      /* Folders-URL */
    const char *post_url;         /* Post-URL */
    msnp_mime storage_;           /* private */
} msnp_initial_email;

/* text/x-msmsgsemailnotification */
typedef struct msnp_email {
    const char *from;             /* From: display name, maybe RFC 2047 */
    const char *message_url;      /* Message-URL */
    const char *post_url;         /* Post-URL */
    const char *subject;          /* Subject, maybe RFC 2047 */
    const char *dest_folder;      /* Dest-Folder, "ACTIVE" = inbox */
    const char *from_addr;        /* From-Addr */
    uint32_t id;                  /* id: Passport site id for Post-URL */
    msnp_mime storage_;           /* private */
} msnp_email;

/* text/x-msmsgsactivemailnotification */
typedef struct msnp_active_email {
    const char *src_folder;       /* Src-Folder */
    const char *dest_folder;      /* Dest-Folder */
    int32_t message_delta;        /* Message-Delta (required when parsing) */
    msnp_mime storage_;           /* private */
} msnp_active_email;

/* Builders: MIME-Version, "Content-Type: <type>; charset=UTF-8", blank
 * line, the fields as "Name: value" lines in the order of the msnp.md
 * examples, and a final blank line. Return MSNP_OK, MSNP_E_INVALID_ARG or
 * the buffer's error. */
int msnp_initial_email_build(msnp_buf *out, const msnp_initial_email *m);
int msnp_email_build(msnp_buf *out, const msnp_email *m);
int msnp_active_email_build(msnp_buf *out, const msnp_active_email *m);

/* Parsers: the fields are read from the body (msnp_mime_parse_fields()).
 * A required field that is absent is MSNP_E_MISSING_FIELD; a bad number
 * MSNP_E_BAD_VALUE. *out is zeroed first; free with the _free function. */
int msnp_initial_email_parse(const void *payload, size_t len, msnp_initial_email *out);
int msnp_email_parse(const void *payload, size_t len, msnp_email *out);
int msnp_active_email_parse(const void *payload, size_t len, msnp_active_email *out);
void msnp_initial_email_free(msnp_initial_email *m);
void msnp_email_free(msnp_email *m);
void msnp_active_email_free(msnp_active_email *m);

/* ---- application/x-msmsgssystemmessage (7.3) ----------------------------- */

#define MSNP_SYSTEM_MAINTENANCE 1 /* Type 1: going down in Arg1 minutes */

typedef struct msnp_system_msg {
    uint32_t type;  /* Type */
    uint32_t arg1;  /* Arg1 */
} msnp_system_msg;

/* Appends MIME-Version, "Content-Type: application/x-msmsgssystemmessage"
 * (no charset), blank line, "Type: n" and "Arg1: n" lines; no final blank
 * line (msnp.md 7.3). Returns MSNP_OK, MSNP_E_INVALID_ARG or the buffer's
 * error. */
int msnp_system_build(msnp_buf *out, const msnp_system_msg *m);

/* Parses a system message; Type and Arg1 are both required (absent:
 * MSNP_E_MISSING_FIELD; not a decimal uint32: MSNP_E_BAD_VALUE). Nothing
 * to free. */
int msnp_system_parse(const void *payload, size_t len, msnp_system_msg *out);

#endif
