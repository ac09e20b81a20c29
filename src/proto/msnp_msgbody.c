/*
 * msnp_msgbody.c - typed MSG payloads (see msnp_msgbody.h).
 *
 * The profile, mail and system messages are flat lists of "Name: value"
 * fields, so they share one table-driven reader and writer: each struct
 * has a table naming its fields, their wire format and where they live in
 * the struct. Text and typing messages have their own code because their
 * bodies are not field lists.
 */
#include "msnp_msgbody.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"
#include "msnp_url.h"

static const char mime_version[] = "MIME-Version: 1.0\r\n";

/* ---- classification ------------------------------------------------------ */

static const char *const kind_types[] = {
    [MSNP_MSG_UNKNOWN] = NULL,
    [MSNP_MSG_TEXT] = "text/plain",
    [MSNP_MSG_TYPING] = "text/x-msmsgscontrol",
    [MSNP_MSG_INVITE] = "text/x-msmsgsinvite",
    [MSNP_MSG_PROFILE] = "text/x-msmsgsprofile",
    [MSNP_MSG_INITIAL_EMAIL] = "text/x-msmsgsinitialemailnotification",
    [MSNP_MSG_EMAIL] = "text/x-msmsgsemailnotification",
    [MSNP_MSG_ACTIVE_EMAIL] = "text/x-msmsgsactivemailnotification",
    [MSNP_MSG_SYSTEM] = "application/x-msmsgssystemmessage",
    [MSNP_MSG_CLIENTCAPS] = "text/x-clientcaps",
    [MSNP_MSG_P2P] = "application/x-msnmsgrp2p",
    [MSNP_MSG_EMOTICON] = "text/x-mms-emoticon",
};

#define KIND_COUNT (sizeof kind_types / sizeof kind_types[0])

const char *msnp_msg_kind_content_type(msnp_msg_kind kind)
{
    if ((unsigned)kind >= KIND_COUNT)
        return NULL;
    return kind_types[kind];
}

msnp_msg_kind msnp_msg_kind_of(const msnp_mime *m)
{
    msnp_content_type ct;
    char full[2 * MSNP_MIME_TOKEN_MAX];

    if (!m || msnp_mime_content_type(m, &ct) != MSNP_OK)
        return MSNP_MSG_UNKNOWN;
    snprintf(full, sizeof full, "%s/%s", ct.type, ct.subtype);
    for (size_t k = 1; k < KIND_COUNT; k++)
        if (strcmp(full, kind_types[k]) == 0) /* ct is lower-cased */
            return (msnp_msg_kind)k;
    return MSNP_MSG_UNKNOWN;
}

msnp_msg_kind msnp_msg_classify(const void *payload, size_t len)
{
    msnp_mime m;
    if (msnp_mime_parse(payload, len, &m) != MSNP_OK)
        return MSNP_MSG_UNKNOWN;
    msnp_msg_kind k = msnp_msg_kind_of(&m);
    msnp_mime_free(&m);
    return k;
}

/* Parses payload and checks that its Content-Type is type/subtype. On
 * success *m owns the parsed message. */
static int parse_typed(const void *payload, size_t len, const char *type,
                       const char *subtype, msnp_mime *m)
{
    msnp_content_type ct;
    int rc = msnp_mime_parse(payload, len, m);
    if (rc != MSNP_OK)
        return rc;
    rc = msnp_mime_content_type(m, &ct);
    if (rc == MSNP_OK && (strcmp(ct.type, type) != 0 || strcmp(ct.subtype, subtype) != 0))
        rc = MSNP_E_BAD_VALUE;
    if (rc != MSNP_OK)
        msnp_mime_free(m);
    return rc;
}

/* ---- field tables -------------------------------------------------------- */

typedef enum field_kind {
    FIELD_STR,          /* const char *, NULL written as "" */
    FIELD_U32,          /* uint32_t, decimal */
    FIELD_U64,          /* uint64_t, decimal */
    FIELD_I32,          /* int32_t, decimal with optional '-' */
    FIELD_BOOL,         /* bool, "0" or "1" */
    FIELD_U32_SIGNED,   /* uint32_t shown as a signed int32 (MemberIdLow) */
    FIELD_PORT_SWAPPED, /* uint16_t, byte-swapped on the wire (ClientPort) */
} field_kind;

typedef struct field_desc {
    const char *name;
    field_kind kind;
    size_t offset;      /* of the member in the struct */
    bool required;      /* parsing fails without it */
} field_desc;

#define FIELD(type, member, wire, kind, req) \
    { wire, kind, offsetof(type, member), req }

static uint16_t port_swap(uint16_t p)
{
    return (uint16_t)(((p & 0xFFu) << 8) | (p >> 8));
}

/* Returns the wire text of one field of obj: a string member of obj itself,
 * or the number printed into num[0..cap). */
static const char *field_text(const void *obj, const field_desc *d,
                              char *num, size_t cap)
{
    const char *at = (const char *)obj + d->offset;
    switch (d->kind) {
    case FIELD_STR: {
        const char *s;
        memcpy(&s, at, sizeof s);
        return s ? s : "";
    }
    case FIELD_U32: {
        uint32_t v;
        memcpy(&v, at, sizeof v);
        snprintf(num, cap, "%" PRIu32, v);
        break;
    }
    case FIELD_U64: {
        uint64_t v;
        memcpy(&v, at, sizeof v);
        snprintf(num, cap, "%" PRIu64, v);
        break;
    }
    case FIELD_I32: {
        int32_t v;
        memcpy(&v, at, sizeof v);
        snprintf(num, cap, "%" PRId32, v);
        break;
    }
    case FIELD_BOOL: {
        bool v;
        memcpy(&v, at, sizeof v);
        snprintf(num, cap, "%d", v ? 1 : 0);
        break;
    }
    case FIELD_U32_SIGNED: {
        uint32_t v;
        memcpy(&v, at, sizeof v);
        /* Two's complement reading, spelled out to stay portable. */
        int64_t s = v > INT32_MAX ? (int64_t)v - 4294967296LL : (int64_t)v;
        snprintf(num, cap, "%" PRId64, s);
        break;
    }
    case FIELD_PORT_SWAPPED: {
        uint16_t v;
        memcpy(&v, at, sizeof v);
        snprintf(num, cap, "%u", (unsigned)port_swap(v));
        break;
    }
    }
    return num;
}

static int append_fields(msnp_buf *out, const void *obj,
                         const field_desc *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char num[32];
        const char *v = field_text(obj, &fields[i], num, sizeof num);
        int rc = msnp_mime_append_header(out, fields[i].name, v);
        if (rc != MSNP_OK)
            return rc;
    }
    return MSNP_OK;
}

/* Converts the wire text v of one numeric field (all kinds but FIELD_U64,
 * which does not fit in int64_t); store_number() then writes it. */
static int number_value(const field_desc *d, const char *v, int64_t *num)
{
    uint64_t u = 0;
    int rc;
    switch (d->kind) {
    case FIELD_U64:
        return MSNP_E_INVALID_ARG; /* read_field() handles it */
    case FIELD_U32:
        rc = msnp_mime_value_u64(v, UINT32_MAX, &u);
        *num = (int64_t)u;
        return rc;
    case FIELD_I32:
        return msnp_mime_value_i64(v, INT32_MIN, INT32_MAX, num);
    case FIELD_BOOL:
        return msnp_mime_value_i64(v, 0, 1, num);
    case FIELD_U32_SIGNED:
        return msnp_mime_value_i64(v, INT32_MIN, UINT32_MAX, num);
    case FIELD_PORT_SWAPPED:
        rc = msnp_mime_value_u64(v, UINT16_MAX, &u);
        *num = (int64_t)port_swap((uint16_t)u);
        return rc;
    case FIELD_STR:
        break;
    }
    return MSNP_E_INVALID_ARG;
}

static void store_number(void *obj, const field_desc *d, int64_t num)
{
    char *at = (char *)obj + d->offset;
    switch (d->kind) {
    case FIELD_U32:
    case FIELD_U32_SIGNED: {
        uint32_t v = (uint32_t)(num & 0xFFFFFFFF);
        memcpy(at, &v, sizeof v);
        break;
    }
    case FIELD_I32: {
        int32_t v = (int32_t)num;
        memcpy(at, &v, sizeof v);
        break;
    }
    case FIELD_BOOL: {
        bool v = num != 0;
        memcpy(at, &v, sizeof v);
        break;
    }
    case FIELD_PORT_SWAPPED: {
        uint16_t v = (uint16_t)num;
        memcpy(at, &v, sizeof v);
        break;
    }
    case FIELD_STR:
    case FIELD_U64:
        break;
    }
}

/* Reads one field from src into obj; strings point into src. */
static int read_field(void *obj, const field_desc *d, const msnp_mime *src)
{
    const char *v = msnp_mime_get(src, d->name);
    char *at = (char *)obj + d->offset;

    if (!v)
        return d->required ? MSNP_E_MISSING_FIELD : MSNP_OK;
    if (d->kind == FIELD_STR) {
        memcpy(at, &v, sizeof v);
        return MSNP_OK;
    }
    if (*v == '\0')
        return d->required ? MSNP_E_BAD_VALUE : MSNP_OK;
    if (d->kind == FIELD_U64) {
        uint64_t u;
        int rc = msnp_mime_value_u64(v, UINT64_MAX, &u);
        if (rc == MSNP_OK)
            memcpy(at, &u, sizeof u);
        return rc;
    }
    int64_t num;
    int rc = number_value(d, v, &num);
    if (rc == MSNP_OK)
        store_number(obj, d, num);
    return rc;
}

static int read_fields(void *obj, const field_desc *fields, size_t n,
                       const msnp_mime *src)
{
    for (size_t i = 0; i < n; i++) {
        int rc = read_field(obj, &fields[i], src);
        if (rc != MSNP_OK)
            return rc;
    }
    return MSNP_OK;
}

/* Where a document's fields go. */
typedef enum doc_layout {
    FIELDS_IN_HEADERS,     /* header-only document (profile) */
    FIELDS_IN_BODY,        /* body field block ending in a blank line */
    FIELDS_IN_BODY_OPEN,   /* body field block without the blank line */
} doc_layout;

typedef struct doc_desc {
    const char *type, *subtype; /* lower case */
    bool charset;               /* "; charset=UTF-8" on Content-Type */
    doc_layout layout;
    const field_desc *fields;
    size_t nfields;
} doc_desc;

static int build_doc(msnp_buf *out, const doc_desc *doc, const void *obj)
{
    if (!out || !obj)
        return MSNP_E_INVALID_ARG;
    size_t start = out->len;
    int rc = msnp_buf_append_str(out, mime_version);
    if (rc == MSNP_OK)
        rc = msnp_buf_appendf(out, "Content-Type: %s/%s%s\r\n", doc->type,
                              doc->subtype, doc->charset ? "; charset=UTF-8" : "");
    if (rc == MSNP_OK && doc->layout != FIELDS_IN_HEADERS)
        rc = msnp_buf_append(out, "\r\n", 2);
    if (rc == MSNP_OK)
        rc = append_fields(out, obj, doc->fields, doc->nfields);
    if (rc == MSNP_OK && doc->layout != FIELDS_IN_BODY_OPEN)
        rc = msnp_buf_append(out, "\r\n", 2);
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

/* Parses a document into obj, whose strings end up owned by *storage. */
static int parse_doc(const void *payload, size_t len, const doc_desc *doc,
                     void *obj, msnp_mime *storage)
{
    msnp_mime m;
    memset(storage, 0, sizeof *storage);
    int rc = parse_typed(payload, len, doc->type, doc->subtype, &m);
    if (rc != MSNP_OK)
        return rc;
    if (doc->layout == FIELDS_IN_HEADERS) {
        *storage = m;
    } else {
        rc = msnp_mime_parse_fields(m.body, m.body_len, storage);
        msnp_mime_free(&m);
        if (rc != MSNP_OK)
            return rc;
    }
    rc = read_fields(obj, doc->fields, doc->nfields, storage);
    if (rc != MSNP_OK)
        msnp_mime_free(storage);
    return rc;
}

/* ---- profile ------------------------------------------------------------- */

#define PF(member, wire, kind) FIELD(msnp_profile, member, wire, kind, false)
static const field_desc profile_fields[] = {
    PF(login_time, "LoginTime", FIELD_U64),
    PF(email_enabled, "EmailEnabled", FIELD_BOOL),
    PF(member_id_high, "MemberIdHigh", FIELD_U32),
    PF(member_id_low, "MemberIdLow", FIELD_U32_SIGNED),
    PF(lang_preference, "lang_preference", FIELD_U32),
    PF(preferred_email, "preferredEmail", FIELD_STR),
    PF(country, "country", FIELD_STR),
    PF(postal_code, "PostalCode", FIELD_STR),
    PF(gender, "Gender", FIELD_STR),
    PF(kid, "Kid", FIELD_BOOL),
    PF(age, "Age", FIELD_STR),
    PF(bday_pre, "BDayPre", FIELD_STR),
    PF(birthday, "Birthday", FIELD_STR),
    PF(wallet, "Wallet", FIELD_STR),
    PF(flags, "Flags", FIELD_U32),
    PF(sid, "sid", FIELD_U32),
    PF(kv, "kv", FIELD_U32),
    PF(mspauth, "MSPAuth", FIELD_STR),
    PF(client_ip, "ClientIP", FIELD_STR),
    PF(client_port, "ClientPort", FIELD_PORT_SWAPPED),
};
#undef PF

#define NFIELDS(a) (sizeof a / sizeof a[0])

static const doc_desc profile_doc = {
    "text", "x-msmsgsprofile", true, FIELDS_IN_HEADERS,
    profile_fields, NFIELDS(profile_fields),
};

int msnp_profile_build(msnp_buf *out, const msnp_profile *p)
{
    return build_doc(out, &profile_doc, p);
}

int msnp_profile_parse(const void *payload, size_t len, msnp_profile *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    msnp_mime storage;
    int rc = parse_doc(payload, len, &profile_doc, out, &storage);
    if (rc != MSNP_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->storage_ = storage;
    return MSNP_OK;
}

void msnp_profile_free(msnp_profile *p)
{
    if (!p)
        return;
    msnp_mime_free(&p->storage_);
    memset(p, 0, sizeof *p);
}

/* ---- mail notifications -------------------------------------------------- */

static const field_desc initial_email_fields[] = {
    FIELD(msnp_initial_email, inbox_unread, "Inbox-Unread", FIELD_U32, true),
    FIELD(msnp_initial_email, folders_unread, "Folders-Unread", FIELD_U32, true),
    FIELD(msnp_initial_email, inbox_url, "Inbox-URL", FIELD_STR, false),
    FIELD(msnp_initial_email, folders_url, "Folders-URL", FIELD_STR, false),
    FIELD(msnp_initial_email, post_url, "Post-URL", FIELD_STR, false),
};

static const field_desc email_fields[] = {
    FIELD(msnp_email, from, "From", FIELD_STR, false),
    FIELD(msnp_email, message_url, "Message-URL", FIELD_STR, false),
    FIELD(msnp_email, post_url, "Post-URL", FIELD_STR, false),
    FIELD(msnp_email, subject, "Subject", FIELD_STR, false),
    FIELD(msnp_email, dest_folder, "Dest-Folder", FIELD_STR, false),
    FIELD(msnp_email, from_addr, "From-Addr", FIELD_STR, false),
    FIELD(msnp_email, id, "id", FIELD_U32, false),
};

static const field_desc active_email_fields[] = {
    FIELD(msnp_active_email, src_folder, "Src-Folder", FIELD_STR, false),
    FIELD(msnp_active_email, dest_folder, "Dest-Folder", FIELD_STR, false),
    FIELD(msnp_active_email, message_delta, "Message-Delta", FIELD_I32, true),
};

static const doc_desc initial_email_doc = {
    "text", "x-msmsgsinitialemailnotification", true, FIELDS_IN_BODY,
    initial_email_fields, NFIELDS(initial_email_fields),
};
static const doc_desc email_doc = {
    "text", "x-msmsgsemailnotification", true, FIELDS_IN_BODY,
    email_fields, NFIELDS(email_fields),
};
static const doc_desc active_email_doc = {
    "text", "x-msmsgsactivemailnotification", true, FIELDS_IN_BODY,
    active_email_fields, NFIELDS(active_email_fields),
};

int msnp_initial_email_build(msnp_buf *out, const msnp_initial_email *m)
{
    return build_doc(out, &initial_email_doc, m);
}

int msnp_email_build(msnp_buf *out, const msnp_email *m)
{
    return build_doc(out, &email_doc, m);
}

int msnp_active_email_build(msnp_buf *out, const msnp_active_email *m)
{
    return build_doc(out, &active_email_doc, m);
}

/* The three parsers differ only in their table and struct; the struct's
 * storage_ member receives the parsed strings. */
#define DEFINE_MAIL_PARSER(fn, type, doc)                                   \
    int fn(const void *payload, size_t len, type *out)                      \
    {                                                                       \
        if (!out)                                                           \
            return MSNP_E_INVALID_ARG;                                      \
        memset(out, 0, sizeof *out);                                        \
        msnp_mime storage;                                                  \
        int rc = parse_doc(payload, len, &doc, out, &storage);              \
        if (rc != MSNP_OK) {                                                \
            memset(out, 0, sizeof *out);                                    \
            return rc;                                                      \
        }                                                                   \
        out->storage_ = storage;                                            \
        return MSNP_OK;                                                     \
    }

DEFINE_MAIL_PARSER(msnp_initial_email_parse, msnp_initial_email, initial_email_doc)
DEFINE_MAIL_PARSER(msnp_email_parse, msnp_email, email_doc)
DEFINE_MAIL_PARSER(msnp_active_email_parse, msnp_active_email, active_email_doc)

void msnp_initial_email_free(msnp_initial_email *m)
{
    if (!m)
        return;
    msnp_mime_free(&m->storage_);
    memset(m, 0, sizeof *m);
}

void msnp_email_free(msnp_email *m)
{
    if (!m)
        return;
    msnp_mime_free(&m->storage_);
    memset(m, 0, sizeof *m);
}

void msnp_active_email_free(msnp_active_email *m)
{
    if (!m)
        return;
    msnp_mime_free(&m->storage_);
    memset(m, 0, sizeof *m);
}

/* ---- system message ------------------------------------------------------ */

static const field_desc system_fields[] = {
    FIELD(msnp_system_msg, type, "Type", FIELD_U32, true),
    FIELD(msnp_system_msg, arg1, "Arg1", FIELD_U32, true),
};

static const doc_desc system_doc = {
    "application", "x-msmsgssystemmessage", false, FIELDS_IN_BODY_OPEN,
    system_fields, NFIELDS(system_fields),
};

int msnp_system_build(msnp_buf *out, const msnp_system_msg *m)
{
    return build_doc(out, &system_doc, m);
}

int msnp_system_parse(const void *payload, size_t len, msnp_system_msg *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    msnp_mime storage;
    int rc = parse_doc(payload, len, &system_doc, out, &storage);
    if (rc != MSNP_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    msnp_mime_free(&storage);  /* numbers only: nothing points into it */
    return MSNP_OK;
}

/* ---- typing notification ------------------------------------------------- */

int msnp_typing_build(msnp_buf *out, const char *user)
{
    if (!out || !user || !*user)
        return MSNP_E_INVALID_ARG;
    size_t start = out->len;
    int rc = msnp_buf_append_str(out, mime_version);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(out, "Content-Type: text/x-msmsgscontrol\r\n");
    if (rc == MSNP_OK)
        rc = msnp_mime_append_header(out, "TypingUser", user);
    if (rc == MSNP_OK)
        rc = msnp_buf_append(out, "\r\n\r\n", 4);
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

int msnp_typing_parse(const void *payload, size_t len, char **user)
{
    msnp_mime m;
    if (!user)
        return MSNP_E_INVALID_ARG;
    *user = NULL;
    int rc = parse_typed(payload, len, "text", "x-msmsgscontrol", &m);
    if (rc != MSNP_OK)
        return rc;
    const char *v = msnp_mime_get(&m, "TypingUser");
    if (!v)
        rc = MSNP_E_MISSING_FIELD;
    else if (!*v)
        rc = MSNP_E_BAD_VALUE;
    else if (!(*user = strdup(v)))
        rc = MSNP_E_NOMEM;
    msnp_mime_free(&m);
    return rc;
}

/* ---- X-MMS-IM-Format ----------------------------------------------------- */

static const char effect_letters[] = "BIUS"; /* bit i is letter i */

int msnp_text_format_build(msnp_buf *out, const msnp_text_format *f)
{
    if (!out || !f || !memchr(f->font, '\0', sizeof f->font) ||
        (f->effects & ~0xFu) || f->color > 0xFFFFFF || f->charset > 255 ||
        f->pitch_family > 255)
        return MSNP_E_INVALID_ARG;
    if (!msnp_utf8_valid(f->font, strlen(f->font)))
        return MSNP_E_BAD_UTF8;

    char ef[5];
    size_t n = 0;
    for (unsigned i = 0; i < 4; i++)
        if (f->effects & (1u << i))
            ef[n++] = effect_letters[i];
    ef[n] = '\0';

    size_t start = out->len;
    int rc = msnp_buf_append_str(out, "FN=");
    if (rc == MSNP_OK)
        rc = msnp_url_encode(out, f->font, strlen(f->font));
    if (rc == MSNP_OK)
        rc = msnp_buf_appendf(out, "; EF=%s; CO=%" PRIx32 "; CS=%X; PF=%02X%s",
                              ef, f->color, f->charset, f->pitch_family,
                              f->rtl ? "; RL=1" : "");
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Narrows [*s, *s + *n) to drop surrounding spaces and tabs. */
static void trim(const char **s, size_t *n)
{
    while (*n && blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && blank((*s)[*n - 1]))
        (*n)--;
}

/* True if the counted key equals want ignoring ASCII case. */
static bool key_is(const char *key, size_t n, const char *want)
{
    if (strlen(want) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = key[i], b = want[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 32);
        if (a != b)     /* want is upper case */
            return false;
    }
    return true;
}

/* 1..maxdigits hex digits, nothing else. */
static int parse_hex(const char *s, size_t n, size_t maxdigits, uint32_t *out)
{
    uint32_t v = 0;
    if (n == 0 || n > maxdigits)
        return MSNP_E_BAD_VALUE;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return MSNP_E_BAD_VALUE;
        v = v << 4 | d;
    }
    *out = v;
    return MSNP_OK;
}

static int parse_effects(const char *s, size_t n, unsigned *out)
{
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        const char *at = c ? strchr(effect_letters, c) : NULL;
        if (!at)
            return MSNP_E_BAD_VALUE;
        bits |= 1u << (at - effect_letters);
    }
    *out = bits;
    return MSNP_OK;
}

static int parse_font(const char *s, size_t n, char *font)
{
    msnp_buf b = MSNP_BUF_INIT;
    int rc = msnp_url_decode(&b, s, n, MSNP_URL_LENIENT);
    if (rc == MSNP_OK && b.len >= MSNP_FONT_MAX)
        rc = MSNP_E_TOO_LONG;
    if (rc == MSNP_OK) {
        if (b.len)
            memcpy(font, b.data, b.len);
        font[b.len] = '\0';
    }
    msnp_buf_free(&b);
    return rc;
}

/* Applies one KEY=value item to f. */
static int format_item(msnp_text_format *f, const char *key, size_t klen,
                       const char *val, size_t vlen)
{
    uint32_t v;
    int rc;
    if (key_is(key, klen, "FN"))
        return parse_font(val, vlen, f->font);
    if (key_is(key, klen, "EF"))
        return parse_effects(val, vlen, &f->effects);
    if (key_is(key, klen, "CO"))
        return parse_hex(val, vlen, 6, &f->color);
    if (key_is(key, klen, "CS")) {
        if ((rc = parse_hex(val, vlen, 2, &v)) == MSNP_OK)
            f->charset = v;
        return rc;
    }
    if (key_is(key, klen, "PF")) {
        if ((rc = parse_hex(val, vlen, 2, &v)) == MSNP_OK)
            f->pitch_family = v;
        return rc;
    }
    if (key_is(key, klen, "RL")) {
        if (vlen != 1 || (val[0] != '0' && val[0] != '1'))
            return MSNP_E_BAD_VALUE;
        f->rtl = val[0] == '1';
    }
    return MSNP_OK; /* unknown keys are for later clients */
}

int msnp_text_format_parse(const char *value, msnp_text_format *out)
{
    if (!value || !out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    const char *p = value;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        const char *item = p;
        p += n + (semi ? 1 : 0);
        trim(&item, &n);
        if (n == 0)
            continue;
        const char *eq = memchr(item, '=', n);
        if (!eq) {
            memset(out, 0, sizeof *out);
            return MSNP_E_BAD_VALUE;
        }
        const char *key = item, *val = eq + 1;
        size_t klen = (size_t)(eq - item), vlen = n - klen - 1;
        trim(&key, &klen);
        trim(&val, &vlen);
        int rc = format_item(out, key, klen, val, vlen);
        if (rc != MSNP_OK) {
            memset(out, 0, sizeof *out);
            return rc;
        }
    }
    return MSNP_OK;
}

/* ---- text/plain ---------------------------------------------------------- */

/* Appends text with each LF not preceded by CR written as CR LF. */
static int append_crlf_text(msnp_buf *out, const char *text, size_t len)
{
    size_t extra = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            extra++;
    int rc = msnp_buf_reserve(out, len + extra);
    if (rc != MSNP_OK)
        return rc;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            msnp_buf_append_char(out, '\r'); /* reserved: cannot fail */
        msnp_buf_append_char(out, text[i]);
    }
    return MSNP_OK;
}

int msnp_text_build(msnp_buf *out, const char *text, size_t len,
                    const msnp_text_format *fmt)
{
    if (!out || (!text && len))
        return MSNP_E_INVALID_ARG;
    if (len && memchr(text, '\0', len))
        return MSNP_E_CONTROL_CHAR;
    if (len && !msnp_utf8_valid(text, len))
        return MSNP_E_BAD_UTF8;

    size_t start = out->len;
    msnp_buf f = MSNP_BUF_INIT;
    int rc = msnp_buf_append_str(out, mime_version);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(out, "Content-Type: text/plain; charset=UTF-8\r\n");
    if (rc == MSNP_OK && fmt) {
        rc = msnp_text_format_build(&f, fmt);
        if (rc == MSNP_OK)
            rc = msnp_mime_append_header(out, "X-MMS-IM-Format", f.data);
    }
    if (rc == MSNP_OK)
        rc = msnp_buf_append(out, "\r\n", 2);
    if (rc == MSNP_OK && len)
        rc = append_crlf_text(out, text, len);
    msnp_buf_free(&f);
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

typedef enum text_charset { CHARSET_UTF8, CHARSET_CP1252, CHARSET_OTHER } text_charset;

static text_charset charset_of(const msnp_content_type *ct)
{
    static const char *const latin[] = {
        "iso-8859-1", "iso_8859-1", "latin1", "windows-1252", "cp1252", "us-ascii",
    };
    if (!ct->has_charset)
        return CHARSET_CP1252;           /* plain text/plain: ISO-8859-1 */
    if (msnp_mime_iequal(ct->charset, "utf-8") || msnp_mime_iequal(ct->charset, "utf8"))
        return CHARSET_UTF8;
    for (size_t i = 0; i < sizeof latin / sizeof latin[0]; i++)
        if (msnp_mime_iequal(ct->charset, latin[i]))
            return CHARSET_CP1252;
    return CHARSET_OTHER;
}

/* Appends body with every CR LF turned into LF. */
static int append_lf_text(msnp_buf *out, const char *body, size_t len)
{
    int rc = msnp_buf_reserve(out, len);
    if (rc != MSNP_OK)
        return rc;
    for (size_t i = 0; i < len; i++)
        if (!(body[i] == '\r' && i + 1 < len && body[i + 1] == '\n'))
            msnp_buf_append_char(out, body[i]); /* reserved: cannot fail */
    return MSNP_OK;
}

/* Decodes the body of a parsed text message into out as UTF-8 with LF
 * line breaks. */
static int decode_text_body(const msnp_mime *m, text_charset cs, msnp_buf *out)
{
    msnp_buf lf = MSNP_BUF_INIT;
    if (m->body_len && memchr(m->body, '\0', m->body_len))
        return MSNP_E_CONTROL_CHAR;
    int rc = append_lf_text(&lf, m->body, m->body_len);
    if (rc == MSNP_OK && cs == CHARSET_UTF8) {
        if (msnp_utf8_valid(lf.data, lf.len))
            rc = msnp_buf_append(out, lf.data, lf.len);
        else
            rc = MSNP_E_BAD_UTF8;
    } else if (rc == MSNP_OK) {
        rc = msnp_cp1252_to_utf8(out, lf.data, lf.len);
    }
    msnp_buf_free(&lf);
    return rc;
}

int msnp_text_parse(const void *payload, size_t len, msnp_text_msg *out)
{
    msnp_mime m;
    msnp_content_type ct;
    msnp_buf text = MSNP_BUF_INIT;

    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    int rc = parse_typed(payload, len, "text", "plain", &m);
    if (rc != MSNP_OK)
        return rc;
    msnp_mime_content_type(&m, &ct);   /* succeeded in parse_typed */
    text_charset cs = charset_of(&ct);
    rc = cs == CHARSET_OTHER ? MSNP_E_BAD_VALUE : decode_text_body(&m, cs, &text);

    const char *fmt = msnp_mime_get(&m, "X-MMS-IM-Format");
    if (rc == MSNP_OK && fmt) {
        int frc = msnp_text_format_parse(fmt, &out->format);
        if (frc == MSNP_E_NOMEM)
            rc = frc;
        out->has_format = frc == MSNP_OK;
    }
    if (rc == MSNP_OK && !(out->text = msnp_buf_detach(&text, &out->len)))
        rc = MSNP_E_NOMEM;
    msnp_buf_free(&text);
    msnp_mime_free(&m);
    if (rc != MSNP_OK)
        msnp_text_msg_free(out);
    return rc;
}

void msnp_text_msg_free(msnp_text_msg *m)
{
    if (!m)
        return;
    free(m->text);
    memset(m, 0, sizeof *m);
}
