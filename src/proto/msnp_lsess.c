/*
 * msnp_lsess.c - the Session Invite commands of local server mode: text
 * tokens, session results, the SGL snapshot and the pushed SST / SEV
 * lines (msnp_lsess.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_invite.h"
#include "msnp_lsess.h"
#include "msnp_parser.h"
#include "msnp_status.h"
#include "msnp_url.h"
#include "msnp_write.h"

#define EMPTY_TOKEN "-"
#define HR_DIGITS 8

/* ---- text tokens ---------------------------------------------------------- */

int msnp_lsess_text_encode(msnp_buf *out, const char *s)
{
    if (!s || !*s)
        return msnp_buf_append_str(out, EMPTY_TOKEN);
    if (!strcmp(s, EMPTY_TOKEN))
        return msnp_buf_append_str(out, "%2D"); /* not the empty string */
    return msnp_url_encode(out, s, strlen(s));
}

int msnp_lsess_text_decode(const char *token, size_t max, char **out)
{
    *out = NULL;
    if (!token)
        return MSNP_E_MISSING_FIELD;
    if (!strcmp(token, EMPTY_TOKEN)) {
        *out = calloc(1, 1);
        return *out ? MSNP_OK : MSNP_E_NOMEM;
    }
    /* Every decoded byte takes one to three encoded ones: a longer token
     * is refused before any work. */
    if (strlen(token) > 3 * max)
        return MSNP_E_TOO_LONG;
    char *s = NULL;
    int rc = msnp_url_decode_dup(token, MSNP_URL_STRICT, &s);
    if (rc != MSNP_OK)
        return rc;
    if (strlen(s) > max) {
        free(s);
        return MSNP_E_TOO_LONG;
    }
    *out = s;
    return MSNP_OK;
}

/* ---- numbers ------------------------------------------------------------------ */

int msnp_lsess_parse_hr(const char *token, uint32_t *hr)
{
    /* Exactly eight hex digits: strtoul alone would take a sign, spaces
     * or "0x". */
    if (!token || strlen(token) != HR_DIGITS ||
        strspn(token, "0123456789ABCDEFabcdef") != HR_DIGITS)
        return MSNP_E_BAD_VALUE;
    *hr = (uint32_t)strtoul(token, NULL, 16);
    return MSNP_OK;
}

void msnp_lsess_format_hr(uint32_t hr, char out[9])
{
    snprintf(out, HR_DIGITS + 1, "%08X", (unsigned)hr);
}

/* A small decimal in [lo, hi]. */
static bool parse_small(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    uint32_t v;
    if (msnp_parse_u32(s, &v) != MSNP_OK || v < lo || v > hi)
        return false;
    *out = (unsigned)v;
    return true;
}

static bool copy_guid(const char *s, char out[MSNP_LSESS_GUID_SIZE])
{
    if (!msnp_guid_valid(s))
        return false;
    memcpy(out, s, MSNP_LSESS_GUID_SIZE);
    return true;
}

/* Printable ASCII without spaces: an address. */
static bool address_ok(const char *a)
{
    for (; *a; a++)
        if (*a < 0x21 || *a > 0x7E)
            return false;
    return true;
}

/* ---- the snapshot --------------------------------------------------------------- */

static int text_param(msnp_buf *b, const char *s, size_t max)
{
    if (s && strlen(s) > max)
        return MSNP_E_INVALID_ARG;
    int rc = msnp_buf_append_char(b, ' ');
    return rc == MSNP_OK ? msnp_lsess_text_encode(b, s) : rc;
}

/* The parameters after the TrID, into b (no CR LF). */
static int snapshot_params(msnp_buf *b, const msnp_lsess_snapshot *s)
{
    if (!msnp_guid_valid(s->session_id) || (s->app_guid[0] && !msnp_guid_valid(s->app_guid)) ||
        s->state < 1 || s->state > 7 || s->flags > 7)
        return MSNP_E_INVALID_ARG;
    int rc = msnp_buf_appendf(b, " %s %s %u %u", s->session_id,
                              s->app_guid[0] ? s->app_guid : EMPTY_TOKEN, s->state, s->flags);
    if (rc == MSNP_OK)
        rc = text_param(b, s->user, MSNP_LSESS_USER_MAX);
    if (rc == MSNP_OK)
        rc = text_param(b, s->app_name, MSNP_LSESS_NAME_MAX);
    if (rc == MSNP_OK)
        rc = text_param(b, s->app_url, MSNP_LSESS_NAME_MAX);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(b, s->has_context ? " 1" : " 0");
    if (rc == MSNP_OK)
        rc = text_param(b, s->context, MSNP_LSESS_DATA_MAX);
    if (rc == MSNP_OK)
        rc = text_param(b, s->local_addr, MSNP_LSESS_ADDR_MAX);
    if (rc == MSNP_OK)
        rc = text_param(b, s->remote_addr, MSNP_LSESS_ADDR_MAX);
    return rc;
}

int msnp_lsess_write_snapshot(msnp_buf *out, uint32_t trid, const msnp_lsess_snapshot *s)
{
    msnp_buf b = MSNP_BUF_INIT;
    int rc = s ? msnp_buf_appendf(&b, "SGL %u", (unsigned)trid) : MSNP_E_INVALID_ARG;
    if (rc == MSNP_OK)
        rc = snapshot_params(&b, s);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(&b, "\r\n");
    if (rc == MSNP_OK)
        rc = msnp_buf_append(out, b.data, b.len); /* all or nothing */
    msnp_buf_free(&b);
    return rc;
}

void msnp_lsess_snapshot_free(msnp_lsess_snapshot *s)
{
    free(s->user);
    free(s->app_name);
    free(s->app_url);
    free(s->context);
    free(s->local_addr);
    free(s->remote_addr);
    memset(s, 0, sizeof *s);
}

/* The text fields, in wire order from params[4]. */
static int snapshot_texts(const char *const *p, msnp_lsess_snapshot *s)
{
    int rc = msnp_lsess_text_decode(p[4], MSNP_LSESS_USER_MAX, &s->user);
    if (rc == MSNP_OK)
        rc = msnp_lsess_text_decode(p[5], MSNP_LSESS_NAME_MAX, &s->app_name);
    if (rc == MSNP_OK)
        rc = msnp_lsess_text_decode(p[6], MSNP_LSESS_NAME_MAX, &s->app_url);
    if (rc == MSNP_OK)
        rc = msnp_lsess_text_decode(p[8], MSNP_LSESS_DATA_MAX, &s->context);
    if (rc == MSNP_OK)
        rc = msnp_lsess_text_decode(p[9], MSNP_LSESS_ADDR_MAX, &s->local_addr);
    if (rc == MSNP_OK)
        rc = msnp_lsess_text_decode(p[10], MSNP_LSESS_ADDR_MAX, &s->remote_addr);
    if (rc == MSNP_OK && (!address_ok(s->local_addr) || !address_ok(s->remote_addr)))
        rc = MSNP_E_BAD_VALUE;
    return rc;
}

int msnp_lsess_parse_snapshot(const char *const *params, size_t n, msnp_lsess_snapshot *out)
{
    unsigned has_context;
    memset(out, 0, sizeof *out);
    if (!params || n != MSNP_LSESS_SNAPSHOT_PARAMS)
        return MSNP_E_MISSING_FIELD;
    bool no_app = !strcmp(params[1], EMPTY_TOKEN);
    if (!copy_guid(params[0], out->session_id) ||
        (!no_app && !copy_guid(params[1], out->app_guid)) ||
        !parse_small(params[2], 1, 7, &out->state) ||
        !parse_small(params[3], 0, 7, &out->flags) ||
        !parse_small(params[7], 0, 1, &has_context))
        return MSNP_E_BAD_VALUE;
    out->has_context = has_context == 1;
    int rc = snapshot_texts(params, out);
    if (rc != MSNP_OK)
        msnp_lsess_snapshot_free(out);
    return rc;
}

/* ---- pushed lines -------------------------------------------------------------- */

int msnp_lsess_write_state(msnp_buf *out, const char *session_id, unsigned state,
                           unsigned prev)
{
    if (!msnp_guid_valid(session_id) || state > 7 || prev > 7)
        return MSNP_E_INVALID_ARG;
    return msnp_buf_appendf(out, "SST 0 %s %u %u\r\n", session_id, state, prev);
}

static bool event_dispid(unsigned d)
{
    return d == 105 || d == 106 || d == 107 || d == 108 || d == 110 || d == 111;
}

int msnp_lsess_write_event(msnp_buf *out, const char *session_id, unsigned dispid,
                           uint32_t hr, const char *data)
{
    char hex[HR_DIGITS + 1];
    if (!msnp_guid_valid(session_id) || !event_dispid(dispid) ||
        (data && strlen(data) > MSNP_LSESS_DATA_MAX))
        return MSNP_E_INVALID_ARG;
    msnp_lsess_format_hr(hr, hex);
    msnp_buf b = MSNP_BUF_INIT;
    int rc = msnp_buf_appendf(&b, "SEV 0 %s %u %s ", session_id, dispid, hex);
    if (rc == MSNP_OK)
        rc = msnp_lsess_text_encode(&b, data);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(&b, "\r\n");
    if (rc == MSNP_OK)
        rc = msnp_buf_append(out, b.data, b.len);
    msnp_buf_free(&b);
    return rc;
}

void msnp_lsess_event_free(msnp_lsess_event *e)
{
    free(e->text);
    memset(e, 0, sizeof *e);
}

int msnp_lsess_parse_event(const char *code, const char *const *params, size_t n,
                           msnp_lsess_event *out)
{
    memset(out, 0, sizeof *out);
    if (!code || !params)
        return MSNP_E_MISSING_FIELD;
    bool sst = !strcmp(code, "SST");
    if (!sst && strcmp(code, "SEV") != 0)
        return MSNP_E_BAD_VALUE;
    if (n != (sst ? 4u : 5u))
        return MSNP_E_MISSING_FIELD;
    if (strcmp(params[0], "0") != 0 || !copy_guid(params[1], out->session_id))
        return MSNP_E_BAD_VALUE;
    if (sst) {
        out->dispid = 103;
        return parse_small(params[2], 1, 7, &out->state) &&
                       parse_small(params[3], 0, 7, &out->prev)
                   ? MSNP_OK
                   : MSNP_E_BAD_VALUE;
    }
    if (!parse_small(params[2], 105, 111, &out->dispid) || !event_dispid(out->dispid) ||
        msnp_lsess_parse_hr(params[3], &out->hr) != MSNP_OK)
        return MSNP_E_BAD_VALUE;
    return msnp_lsess_text_decode(params[4], MSNP_LSESS_DATA_MAX, &out->text);
}
