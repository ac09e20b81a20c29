/*
 * msnp_invite.c - text/x-msmsgsinvite invitations (see msnp_invite.h).
 *
 * One table lists the named fields in build order with their wire format;
 * the builder, the parser and the comparison all walk it, so a field added
 * to the table is handled everywhere at once.
 */
#include "msnp_invite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"

/* ---- GUIDs --------------------------------------------------------------- */

bool msnp_guid_equal(const char *a, const char *b)
{
    return msnp_mime_iequal(a, b);
}

bool msnp_guid_valid(const char *s)
{
    /* Positions of the dashes in "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}". */
    static const char shape[] = "{........-....-....-....-............}";
    if (!s || strlen(s) != sizeof shape - 1)
        return false;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        unsigned char c = (unsigned char)s[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                   (c >= 'A' && c <= 'F');
        if (shape[i] == '.' ? !hex : c != (unsigned char)shape[i])
            return false;
    }
    return true;
}

/* ---- names of enum values ------------------------------------------------ */

static const char *const command_names[] = { NULL, "INVITE", "ACCEPT", "CANCEL" };

static const char *const cancel_names[] = {
    NULL, "REJECT", "TIMEOUT", "FAIL", "FTTIMEOUT", "OUTBANDCANCEL",
    "REJECT_NOT_INSTALLED",
};

#define COUNT(a) (sizeof a / sizeof a[0])

const char *msnp_invite_command_name(msnp_invite_command c)
{
    return (unsigned)c < COUNT(command_names) ? command_names[c] : NULL;
}

const char *msnp_cancel_code_name(msnp_cancel_code c)
{
    return (unsigned)c < COUNT(cancel_names) ? cancel_names[c] : NULL;
}

/* ---- the field table ----------------------------------------------------- */

typedef enum field_kind {
    K_STR,          /* const char * member */
    K_COMMAND,      /* command */
    K_COOKIE,       /* cookie */
    K_FILE_SIZE,    /* has_file_size + file_size */
    K_PORT,         /* has_port + port */
    K_AUTH_COOKIE,  /* has_auth_cookie + auth_cookie */
    K_YN,           /* msnp_invite_bool member spelled Y/N */
    K_TF,           /* msnp_invite_bool member spelled TRUE/FALSE */
    K_CANCEL,       /* cancel_code + cancel_text */
} field_kind;

typedef struct field_desc {
    const char *name;
    field_kind kind;
    size_t offset;  /* member for K_STR, K_YN, K_TF */
} field_desc;

#define STR(member, name) { name, K_STR, offsetof(msnp_invite, member) }
#define FLAG(member, name, kind) { name, kind, offsetof(msnp_invite, member) }
#define SPECIAL(name, kind) { name, kind, 0 }

/* Build order; see msnp_invite.h. */
static const field_desc fields[] = {
    STR(application_name, "Application-Name"),
    STR(application_guid, "Application-GUID"),
    STR(session_protocol, "Session-Protocol"),
    STR(context_data, "Context-Data"),
    SPECIAL("Invitation-Command", K_COMMAND),
    STR(avm_support, "Avm-Support"),
    STR(avm_request, "Avm-Request"),
    SPECIAL("Invitation-Cookie", K_COOKIE),
    STR(session_id, "Session-ID"),
    STR(conn_type, "Conn-Type"),
    STR(sip_capability, "Sip-Capability"),
    STR(public_ip, "Public-IP"),
    STR(private_ip, "Private-IP"),
    STR(upnp, "UPnP"),
    STR(application_file, "Application-File"),
    SPECIAL("Application-FileSize", K_FILE_SIZE),
    FLAG(connectivity, "Connectivity", K_YN),
    STR(ip_address, "IP-Address"),
    STR(ip_address_internal, "IP-Address-Internal"),
    SPECIAL("Port", K_PORT),
    STR(port_x, "PortX"),
    STR(port_x_internal, "PortX-Internal"),
    SPECIAL("AuthCookie", K_AUTH_COOKIE),
    FLAG(sender_connect, "Sender-Connect", K_TF),
    FLAG(launch_application, "Launch-Application", K_TF),
    STR(request_data, "Request-Data"),
    SPECIAL("Cancel-Code", K_CANCEL),
};

#define MAX_COOKIE 2147483647u

static const char **str_member(msnp_invite *inv, const field_desc *f)
{
    return (const char **)(void *)((char *)inv + f->offset);
}

static const char *const *str_member_c(const msnp_invite *inv, const field_desc *f)
{
    return (const char *const *)(const void *)((const char *)inv + f->offset);
}

static msnp_invite_bool *bool_member(msnp_invite *inv, const field_desc *f)
{
    return (msnp_invite_bool *)(void *)((char *)inv + f->offset);
}

static msnp_invite_bool bool_value(const msnp_invite *inv, const field_desc *f)
{
    msnp_invite_bool b;
    memcpy(&b, (const char *)inv + f->offset, sizeof b);
    return b;
}

static bool is_named_field(const char *name)
{
    for (size_t i = 0; i < COUNT(fields); i++)
        if (msnp_mime_iequal(name, fields[i].name))
            return true;
    return false;
}

/* ---- building ------------------------------------------------------------ */

/* The wire text of one field: NULL when absent. Numbers are printed into
 * num. Sets *rc to MSNP_E_INVALID_ARG for a value that cannot be sent. */
static const char *field_text(const msnp_invite *inv, const field_desc *f,
                              char *num, size_t cap, int *rc)
{
    msnp_invite_bool b;
    switch (f->kind) {
    case K_STR:
        return *str_member_c(inv, f);
    case K_COMMAND:
        if (!msnp_invite_command_name(inv->command))
            *rc = MSNP_E_INVALID_ARG;
        return msnp_invite_command_name(inv->command);
    case K_COOKIE:
        if (inv->cookie == 0 || inv->cookie > MAX_COOKIE)
            *rc = MSNP_E_INVALID_ARG;
        snprintf(num, cap, "%" PRIu32, inv->cookie);
        return num;
    case K_FILE_SIZE:
        if (!inv->has_file_size)
            return NULL;
        snprintf(num, cap, "%" PRIu64, inv->file_size);
        return num;
    case K_PORT:
        if (!inv->has_port)
            return NULL;
        snprintf(num, cap, "%u", (unsigned)inv->port);
        return num;
    case K_AUTH_COOKIE:
        if (!inv->has_auth_cookie)
            return NULL;
        snprintf(num, cap, "%" PRIu32, inv->auth_cookie);
        return num;
    case K_YN:
    case K_TF:
        b = bool_value(inv, f);
        if (b == MSNP_INVITE_UNSET)
            return NULL;
        if (b != MSNP_INVITE_TRUE && b != MSNP_INVITE_FALSE)
            *rc = MSNP_E_INVALID_ARG;
        if (f->kind == K_YN)
            return b == MSNP_INVITE_TRUE ? "Y" : "N";
        return b == MSNP_INVITE_TRUE ? "TRUE" : "FALSE";
    case K_CANCEL:
        if (inv->cancel_code == MSNP_CANCEL_OTHER) {
            if (!inv->cancel_text)
                *rc = MSNP_E_INVALID_ARG;
            return inv->cancel_text;
        }
        if (inv->cancel_code != MSNP_CANCEL_NONE &&
            !msnp_cancel_code_name(inv->cancel_code))
            *rc = MSNP_E_INVALID_ARG;
        return msnp_cancel_code_name(inv->cancel_code);
    }
    *rc = MSNP_E_INVALID_ARG;
    return NULL;
}

static int append_named_fields(msnp_buf *out, const msnp_invite *inv, size_t *count)
{
    for (size_t i = 0; i < COUNT(fields); i++) {
        char num[32];
        int rc = MSNP_OK;
        const char *v = field_text(inv, &fields[i], num, sizeof num, &rc);
        if (rc != MSNP_OK)
            return rc;
        if (!v)
            continue;
        rc = msnp_mime_append_header(out, fields[i].name, v);
        if (rc != MSNP_OK)
            return rc;
        (*count)++;
    }
    return MSNP_OK;
}

static int append_extra_fields(msnp_buf *out, const msnp_invite *inv, size_t *count)
{
    if (inv->nextra && !inv->extra)
        return MSNP_E_INVALID_ARG;
    for (size_t i = 0; i < inv->nextra; i++) {
        const msnp_mime_header *h = &inv->extra[i];
        /* A named field here would come back as that field. */
        if (!h->name || is_named_field(h->name))
            return MSNP_E_INVALID_ARG;
        int rc = msnp_mime_append_header(out, h->name, h->value);
        if (rc != MSNP_OK)
            return rc;
        (*count)++;
    }
    return MSNP_OK;
}

int msnp_invite_build(msnp_buf *out, const msnp_invite *inv)
{
    if (!out || !inv)
        return MSNP_E_INVALID_ARG;
    size_t start = out->len, count = 0;
    int rc = msnp_buf_append_str(out, "MIME-Version: 1.0\r\n"
                                      "Content-Type: text/x-msmsgsinvite; charset=UTF-8\r\n"
                                      "\r\n");
    if (rc == MSNP_OK)
        rc = append_named_fields(out, inv, &count);
    if (rc == MSNP_OK)
        rc = append_extra_fields(out, inv, &count);
    if (rc == MSNP_OK && count > MSNP_MIME_MAX_HEADERS)
        rc = MSNP_E_TOO_LONG;   /* our own parser would refuse it */
    if (rc == MSNP_OK)
        rc = msnp_buf_append(out, "\r\n", 2);
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

/* ---- parsing ------------------------------------------------------------- */

/* Index of v (ignoring case) in names[0..n), or -1. */
static int lookup_name(const char *v, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && msnp_mime_iequal(v, names[i]))
            return (int)i;
    return -1;
}

static int parse_bool(const char *v, const char *yes, const char *no,
                      msnp_invite_bool *out)
{
    if (msnp_mime_iequal(v, yes))
        *out = MSNP_INVITE_TRUE;
    else if (msnp_mime_iequal(v, no))
        *out = MSNP_INVITE_FALSE;
    else
        return MSNP_E_BAD_VALUE;
    return MSNP_OK;
}

static int parse_number(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t n;
    if (msnp_mime_value_u64(v, max, &n) != MSNP_OK || n < min)
        return MSNP_E_BAD_VALUE;
    *out = n;
    return MSNP_OK;
}

/* Stores the wire value v of field f into inv. */
static int parse_field(msnp_invite *inv, const field_desc *f, const char *v)
{
    uint64_t n = 0;
    int rc = MSNP_OK, idx;
    switch (f->kind) {
    case K_STR:
        *str_member(inv, f) = v;
        break;
    case K_COMMAND:
        idx = lookup_name(v, command_names, COUNT(command_names));
        if (idx < 0)
            return MSNP_E_BAD_VALUE;
        inv->command = (msnp_invite_command)idx;
        break;
    case K_COOKIE:
        if ((rc = parse_number(v, 1, MAX_COOKIE, &n)) == MSNP_OK)
            inv->cookie = (uint32_t)n;
        break;
    case K_FILE_SIZE:
        if ((rc = parse_number(v, 0, UINT64_MAX, &inv->file_size)) == MSNP_OK)
            inv->has_file_size = true;
        break;
    case K_PORT:
        if ((rc = parse_number(v, 0, UINT16_MAX, &n)) == MSNP_OK) {
            inv->port = (uint16_t)n;
            inv->has_port = true;
        }
        break;
    case K_AUTH_COOKIE:
        if ((rc = parse_number(v, 0, UINT32_MAX, &n)) == MSNP_OK) {
            inv->auth_cookie = (uint32_t)n;
            inv->has_auth_cookie = true;
        }
        break;
    case K_YN:
        return parse_bool(v, "Y", "N", bool_member(inv, f));
    case K_TF:
        return parse_bool(v, "TRUE", "FALSE", bool_member(inv, f));
    case K_CANCEL:
        idx = lookup_name(v, cancel_names, COUNT(cancel_names));
        inv->cancel_code = idx < 0 ? MSNP_CANCEL_OTHER : (msnp_cancel_code)idx;
        inv->cancel_text = v;
        break;
    }
    return rc;
}

static int read_named_fields(msnp_invite *inv)
{
    for (size_t i = 0; i < COUNT(fields); i++) {
        const char *v = msnp_mime_get(&inv->storage_, fields[i].name);
        if (!v)
            continue;
        int rc = parse_field(inv, &fields[i], v);
        if (rc != MSNP_OK)
            return rc;
    }
    if (inv->command == MSNP_INVITE_CMD_NONE || inv->cookie == 0)
        return MSNP_E_MISSING_FIELD;
    return MSNP_OK;
}

static int collect_extra_fields(msnp_invite *inv)
{
    const msnp_mime *m = &inv->storage_;
    size_t n = 0;
    for (size_t i = 0; i < m->nheaders; i++)
        n += !is_named_field(m->headers[i].name);
    if (n == 0)
        return MSNP_OK;
    inv->extra_ = malloc(n * sizeof *inv->extra_);
    if (!inv->extra_)
        return MSNP_E_NOMEM;
    for (size_t i = 0; i < m->nheaders; i++)
        if (!is_named_field(m->headers[i].name))
            inv->extra_[inv->nextra++] = m->headers[i];
    inv->extra = inv->extra_;
    return MSNP_OK;
}

int msnp_invite_parse(const void *payload, size_t len, msnp_invite *out)
{
    msnp_mime m;
    msnp_content_type ct;
    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);

    int rc = msnp_mime_parse(payload, len, &m);
    if (rc != MSNP_OK)
        return rc;
    rc = msnp_mime_content_type(&m, &ct);
    if (rc == MSNP_OK && (strcmp(ct.type, "text") != 0 ||
                          strcmp(ct.subtype, "x-msmsgsinvite") != 0))
        rc = MSNP_E_BAD_VALUE;
    if (rc == MSNP_OK)
        rc = msnp_mime_parse_fields(m.body, m.body_len, &out->storage_);
    msnp_mime_free(&m);
    if (rc == MSNP_OK)
        rc = read_named_fields(out);
    if (rc == MSNP_OK)
        rc = collect_extra_fields(out);
    if (rc != MSNP_OK)
        msnp_invite_free(out);
    return rc;
}

void msnp_invite_free(msnp_invite *inv)
{
    if (!inv)
        return;
    msnp_mime_free(&inv->storage_);
    free(inv->extra_);
    memset(inv, 0, sizeof *inv);
}

/* ---- comparison ---------------------------------------------------------- */

static bool str_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool field_equal(const msnp_invite *a, const msnp_invite *b,
                        const field_desc *f)
{
    switch (f->kind) {
    case K_STR:
        return str_equal(*str_member_c(a, f), *str_member_c(b, f));
    case K_COMMAND:
        return a->command == b->command;
    case K_COOKIE:
        return a->cookie == b->cookie;
    case K_FILE_SIZE:
        return a->has_file_size == b->has_file_size &&
               (!a->has_file_size || a->file_size == b->file_size);
    case K_PORT:
        return a->has_port == b->has_port && (!a->has_port || a->port == b->port);
    case K_AUTH_COOKIE:
        return a->has_auth_cookie == b->has_auth_cookie &&
               (!a->has_auth_cookie || a->auth_cookie == b->auth_cookie);
    case K_YN:
    case K_TF:
        return bool_value(a, f) == bool_value(b, f);
    case K_CANCEL:
        return a->cancel_code == b->cancel_code &&
               (a->cancel_code != MSNP_CANCEL_OTHER ||
                str_equal(a->cancel_text, b->cancel_text));
    }
    return false;
}

bool msnp_invite_equal(const msnp_invite *a, const msnp_invite *b)
{
    if (!a || !b)
        return a == b;
    for (size_t i = 0; i < COUNT(fields); i++)
        if (!field_equal(a, b, &fields[i]))
            return false;
    if (a->nextra != b->nextra)
        return false;
    for (size_t i = 0; i < a->nextra; i++)
        if (!str_equal(a->extra[i].name, b->extra[i].name) ||
            !str_equal(a->extra[i].value, b->extra[i].value))
            return false;
    return true;
}
