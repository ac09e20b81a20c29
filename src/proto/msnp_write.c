/*
 * msnp_write.c - MSNP command serializer (see msnp_write.h).
 *
 * Every writer builds its line directly in the caller's buffer through a
 * small "line writer" that remembers where the line started and the first
 * error. Steps after an error do nothing, and the final step either adds
 * CR LF (and the payload) or cuts the buffer back to where the line began.
 * That gives all-or-nothing output without building each line twice, and
 * keeps the typed writers down to one call per token.
 */
#include "msnp_write.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msnp_status.h"
#include "msnp_url.h"

/* Highest group id (msnp.md 1.8: 30 groups, ids 0..29). */
#define MAX_GROUP_ID 29
/* Group-set bits that can never be valid. */
#define GROUP_MASK_INVALID 0xC0000000u
/* Largest MSNP9 QNG value (msnp.md 2.9). */
#define MAX_QNG_SECONDS 60

/* ---- line writer -------------------------------------------------------- */

typedef struct line_writer {
    msnp_buf *out;
    size_t start; /* out->len before the line: where to cut back on error */
    int rc;       /* first error; later steps are no-ops once it is set */
} line_writer;

/* Three upper-case letters (a command) or three digits (an error reply). */
static bool is_command_code(const char *code)
{
    if (!code || strlen(code) != 3)
        return false;
    bool letters = true, digits = true;
    for (int i = 0; i < 3; i++) {
        letters = letters && code[i] >= 'A' && code[i] <= 'Z';
        digits = digits && code[i] >= '0' && code[i] <= '9';
    }
    return letters || digits;
}

/* A parameter must survive tokenisation: printable 7-bit ASCII, no space
 * (msnp.md 1.2 rule 2, 1.7 "7-bit ASCII on the wire"). */
static bool is_wire_token(const char *s)
{
    if (!s || !*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F)
            return false;
    }
    return true;
}

/* Three upper-case ASCII letters: PRP/BPR property names (msnp.md 1.8). */
static bool is_upper3(const char *s)
{
    if (!s || strlen(s) != 3)
        return false;
    for (int i = 0; i < 3; i++) {
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    }
    return true;
}

static bool is_present(const char *s)
{
    return s && *s;
}

static void lw_fail(line_writer *w, int rc)
{
    if (w->rc == MSNP_OK)
        w->rc = rc;
}

static void lw_append(line_writer *w, const char *s, size_t len)
{
    if (w->rc == MSNP_OK)
        w->rc = msnp_buf_append(w->out, s, len);
}

static void lw_begin(line_writer *w, msnp_buf *out, const char *code)
{
    w->out = out;
    w->start = out ? out->len : 0;
    w->rc = MSNP_OK;
    if (!out) {
        w->rc = MSNP_E_INVALID_ARG;
        return;
    }
    if (!is_command_code(code)) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_append(w, code, 3);
}

/* A wire token, written verbatim after a space. */
static void lw_token(line_writer *w, const char *tok)
{
    if (w->rc != MSNP_OK)
        return;
    if (!is_wire_token(tok)) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_append(w, " ", 1);
    lw_append(w, tok, strlen(tok));
}

/* Decoded UTF-8 text, URL-encoded (msnp.md 1.7). Must not be empty:
 * an empty parameter cannot be represented. */
static void lw_text(line_writer *w, const char *text)
{
    if (w->rc != MSNP_OK)
        return;
    if (!is_present(text)) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_append(w, " ", 1);
    if (w->rc == MSNP_OK)
        w->rc = msnp_url_encode(w->out, text, strlen(text));
}

static void lw_u32(line_writer *w, uint32_t v)
{
    char num[16];
    int n = snprintf(num, sizeof num, " %lu", (unsigned long)v);
    lw_append(w, num, (size_t)n);
}

static void lw_gid(line_writer *w, int gid)
{
    if (gid < 0 || gid > MAX_GROUP_ID) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_u32(w, (uint32_t)gid);
}

/* An optional trailing group id of ADD/REM: only FL entries have groups. */
static void lw_opt_gid(line_writer *w, int list, int gid)
{
    if (gid == MSNP_NO_GROUP)
        return;
    if (list != MSNP_LIST_FL) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_gid(w, gid);
}

/* A group set as "0,3": ascending ids, comma-separated, no spaces. */
static void lw_groups(line_writer *w, uint32_t groups)
{
    if (groups == 0 || (groups & GROUP_MASK_INVALID)) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    char sep = ' ';
    for (unsigned gid = 0; gid <= MAX_GROUP_ID; gid++) {
        if (!(groups & (1u << gid)))
            continue;
        char num[8];
        int n = snprintf(num, sizeof num, "%c%u", sep, gid);
        lw_append(w, num, (size_t)n);
        sep = ',';
    }
}

static void lw_list(line_writer *w, int list)
{
    const char *name = msnp_list_name(list);
    if (!name) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_token(w, name);
}

static void lw_presence(line_writer *w, msnp_presence status)
{
    const char *code = msnp_presence_code(status);
    if (!code) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_token(w, code);
}

/* Ends the line: CR LF on success, otherwise cut back to the start. */
static int lw_end(line_writer *w)
{
    lw_append(w, "\r\n", 2);
    if (w->rc != MSNP_OK && w->out)
        msnp_buf_truncate(w->out, w->start);
    return w->rc;
}

/* Ends a payload command: " len\r\n" then the payload bytes. */
static int lw_end_payload(line_writer *w, const void *payload, size_t len)
{
    if (len > UINT32_MAX || (len > 0 && !payload))
        lw_fail(w, MSNP_E_INVALID_ARG);
    lw_u32(w, (uint32_t)len);
    lw_append(w, "\r\n", 2);
    if (len > 0)
        lw_append(w, payload, len);
    if (w->rc != MSNP_OK && w->out)
        msnp_buf_truncate(w->out, w->start);
    return w->rc;
}

/* ---- generic core -------------------------------------------------------- */

/* Writes code, optional TrID and the params: shared by line and payload. */
static void lw_generic(line_writer *w, msnp_buf *out, const char *code,
                       int64_t trid, size_t nparams,
                       const char *const *params)
{
    lw_begin(w, out, code);
    if (trid != MSNP_NO_TRID) {
        if (trid < 0 || trid > (int64_t)UINT32_MAX)
            lw_fail(w, MSNP_E_BAD_TRID);
        else
            lw_u32(w, (uint32_t)trid);
    }
    if (nparams > 0 && !params)
        lw_fail(w, MSNP_E_INVALID_ARG);
    for (size_t i = 0; i < nparams && w->rc == MSNP_OK; i++)
        lw_token(w, params[i]);
}

int msnp_write_line(msnp_buf *out, const char *code, int64_t trid,
                    size_t nparams, const char *const *params)
{
    line_writer w;
    lw_generic(&w, out, code, trid, nparams, params);
    return lw_end(&w);
}

int msnp_write_cmd(msnp_buf *out, const char *code, int64_t trid, ...)
{
    line_writer w;
    va_list ap;

    lw_generic(&w, out, code, trid, 0, NULL);
    va_start(ap, trid);
    for (const char *p = va_arg(ap, const char *); p;
         p = va_arg(ap, const char *))
        lw_token(&w, p);
    va_end(ap);
    return lw_end(&w);
}

int msnp_write_payload(msnp_buf *out, const char *code, int64_t trid,
                       size_t nparams, const char *const *params,
                       const void *payload, size_t len)
{
    line_writer w;
    lw_generic(&w, out, code, trid, nparams, params);
    return lw_end_payload(&w, payload, len);
}

int msnp_write_error(msnp_buf *out, int error_code, uint32_t trid)
{
    char code[4];
    if (error_code < 100 || error_code > 999)
        return MSNP_E_INVALID_ARG;
    snprintf(code, sizeof code, "%d", error_code);
    line_writer w;
    lw_begin(&w, out, code);
    lw_u32(&w, trid);
    return lw_end(&w);
}

/* Lines of the shape "CODE trid" (QRY reply, ACK, NAK, ...). */
static int write_trid_only(msnp_buf *out, const char *code, uint32_t trid)
{
    line_writer w;
    lw_begin(&w, out, code);
    lw_u32(&w, trid);
    return lw_end(&w);
}

/* Lines of the shape "CODE trid token" (CAL request, ANS OK, ...). */
static int write_trid_token(msnp_buf *out, const char *code, uint32_t trid,
                            const char *token)
{
    line_writer w;
    lw_begin(&w, out, code);
    lw_u32(&w, trid);
    lw_token(&w, token);
    return lw_end(&w);
}

/* ---- login ------------------------------------------------------------- */

int msnp_write_ver_request(msnp_buf *out, uint32_t trid, size_t ndialects,
                           const char *const *dialects)
{
    line_writer w;
    lw_begin(&w, out, "VER");
    lw_u32(&w, trid);
    if (ndialects == 0 || !dialects)
        lw_fail(&w, MSNP_E_INVALID_ARG);
    for (size_t i = 0; i < ndialects && w.rc == MSNP_OK; i++)
        lw_token(&w, dialects[i]);
    return lw_end(&w);
}

int msnp_write_ver_reply(msnp_buf *out, uint32_t trid, msnp_dialect chosen,
                         bool cvr0)
{
    line_writer w;
    lw_begin(&w, out, "VER");
    lw_u32(&w, trid);
    const char *name = msnp_dialect_name(chosen);
    if (!name)
        lw_fail(&w, MSNP_E_INVALID_ARG);
    lw_token(&w, name);
    if (cvr0)
        lw_token(&w, "CVR0");
    return lw_end(&w);
}

int msnp_write_ver_reject(msnp_buf *out, uint32_t trid)
{
    return write_trid_token(out, "VER", trid, "0");
}

int msnp_write_cvr_request(msnp_buf *out, uint32_t trid,
                           const msnp_cvr_info *info)
{
    line_writer w;
    lw_begin(&w, out, "CVR");
    lw_u32(&w, trid);
    if (!info) {
        lw_fail(&w, MSNP_E_INVALID_ARG);
        return lw_end(&w);
    }
    lw_token(&w, info->locale);
    lw_token(&w, info->os_type);
    lw_token(&w, info->os_ver);
    lw_token(&w, info->arch);
    lw_token(&w, info->library);
    lw_token(&w, info->client_ver);
    lw_token(&w, info->codebase);
    if (is_present(info->handle))
        lw_token(&w, info->handle);
    return lw_end(&w);
}

int msnp_write_cvr_reply(msnp_buf *out, uint32_t trid, const char *recommended,
                         const char *recommended2, const char *minimum,
                         const char *download_url, const char *info_url)
{
    line_writer w;
    lw_begin(&w, out, "CVR");
    lw_u32(&w, trid);
    lw_token(&w, recommended);
    lw_token(&w, recommended2);
    lw_token(&w, minimum);
    lw_token(&w, download_url);
    lw_token(&w, info_url);
    return lw_end(&w);
}

int msnp_write_usr_twn_i(msnp_buf *out, uint32_t trid, const char *handle)
{
    line_writer w;
    lw_begin(&w, out, "USR");
    lw_u32(&w, trid);
    lw_token(&w, "TWN");
    lw_token(&w, "I");
    lw_token(&w, handle);
    return lw_end(&w);
}

int msnp_write_usr_twn_s(msnp_buf *out, uint32_t trid, const char *token)
{
    line_writer w;
    lw_begin(&w, out, "USR");
    lw_u32(&w, trid);
    lw_token(&w, "TWN");
    lw_token(&w, "S");
    lw_token(&w, token);
    return lw_end(&w);
}

int msnp_write_usr_ok(msnp_buf *out, uint32_t trid, const char *handle,
                      const char *friendly_name, bool verified, bool restricted)
{
    line_writer w;
    lw_begin(&w, out, "USR");
    lw_u32(&w, trid);
    lw_token(&w, "OK");
    lw_token(&w, handle);
    lw_text(&w, friendly_name);
    lw_token(&w, verified ? "1" : "0");
    lw_token(&w, restricted ? "1" : "0");
    return lw_end(&w);
}

int msnp_write_xfr_ns(msnp_buf *out, uint32_t trid, const char *host_port,
                      const char *current_host_port)
{
    line_writer w;
    lw_begin(&w, out, "XFR");
    lw_u32(&w, trid);
    lw_token(&w, "NS");
    lw_token(&w, host_port);
    lw_token(&w, "0");
    lw_token(&w, current_host_port);
    return lw_end(&w);
}

/* ---- SYN, GTC, BLP ----------------------------------------------------- */

int msnp_write_syn_request(msnp_buf *out, uint32_t trid, uint32_t version)
{
    line_writer w;
    lw_begin(&w, out, "SYN");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    return lw_end(&w);
}

int msnp_write_syn_reply_short(msnp_buf *out, uint32_t trid, uint32_t version)
{
    return msnp_write_syn_request(out, trid, version);
}

int msnp_write_syn_reply_long(msnp_buf *out, uint32_t trid, uint32_t version,
                              uint32_t users, uint32_t groups)
{
    line_writer w;
    lw_begin(&w, out, "SYN");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_u32(&w, users);
    lw_u32(&w, groups);
    return lw_end(&w);
}

/* "A" or "N", or NULL for anything else. */
static const char *gtc_token(char setting)
{
    switch (setting) {
    case 'A': return "A";
    case 'N': return "N";
    default: return NULL;
    }
}

/* "AL" or "BL", or NULL for any other list. */
static const char *blp_token(int list)
{
    return list == MSNP_LIST_AL || list == MSNP_LIST_BL ? msnp_list_name(list)
                                                        : NULL;
}

int msnp_write_gtc_request(msnp_buf *out, uint32_t trid, char setting)
{
    line_writer w;
    lw_begin(&w, out, "GTC");
    lw_u32(&w, trid);
    lw_token(&w, gtc_token(setting));
    return lw_end(&w);
}

int msnp_write_gtc_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         char setting)
{
    line_writer w;
    lw_begin(&w, out, "GTC");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_token(&w, gtc_token(setting));
    return lw_end(&w);
}

int msnp_write_gtc_dump(msnp_buf *out, char setting)
{
    line_writer w;
    lw_begin(&w, out, "GTC");
    lw_token(&w, gtc_token(setting));
    return lw_end(&w);
}

int msnp_write_blp_request(msnp_buf *out, uint32_t trid, int list)
{
    line_writer w;
    lw_begin(&w, out, "BLP");
    lw_u32(&w, trid);
    lw_token(&w, blp_token(list));
    return lw_end(&w);
}

int msnp_write_blp_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         int list)
{
    line_writer w;
    lw_begin(&w, out, "BLP");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_token(&w, blp_token(list));
    return lw_end(&w);
}

int msnp_write_blp_dump(msnp_buf *out, int list)
{
    line_writer w;
    lw_begin(&w, out, "BLP");
    lw_token(&w, blp_token(list));
    return lw_end(&w);
}

/* ---- PRP, BPR ---------------------------------------------------------- */

/* "type [value]": type is three upper-case letters (msnp.md 1.8: property
 * names are 3 characters); the value is optional decoded text. */
static void lw_property(line_writer *w, const char *type, const char *value)
{
    if (!is_upper3(type)) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_token(w, type);
    if (is_present(value))
        lw_text(w, value);
}

int msnp_write_prp_request(msnp_buf *out, uint32_t trid, const char *type,
                           const char *value)
{
    line_writer w;
    lw_begin(&w, out, "PRP");
    lw_u32(&w, trid);
    lw_property(&w, type, value);
    return lw_end(&w);
}

int msnp_write_prp_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         const char *type, const char *value)
{
    line_writer w;
    lw_begin(&w, out, "PRP");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_property(&w, type, value);
    return lw_end(&w);
}

int msnp_write_prp_dump(msnp_buf *out, const char *type, const char *value)
{
    line_writer w;
    lw_begin(&w, out, "PRP");
    lw_property(&w, type, value);
    return lw_end(&w);
}

int msnp_write_bpr_async(msnp_buf *out, uint32_t version, const char *handle,
                         const char *type, const char *value)
{
    line_writer w;
    lw_begin(&w, out, "BPR");
    lw_u32(&w, version);
    lw_token(&w, handle);
    lw_property(&w, type, value);
    return lw_end(&w);
}

int msnp_write_bpr_dump(msnp_buf *out, const char *type, const char *value)
{
    line_writer w;
    lw_begin(&w, out, "BPR");
    lw_property(&w, type, value);
    return lw_end(&w);
}

/* ---- LSG, LST ---------------------------------------------------------- */

int msnp_write_lsg_request(msnp_buf *out, uint32_t trid)
{
    return write_trid_only(out, "LSG", trid);
}

int msnp_write_lsg_dump(msnp_buf *out, int gid, const char *name)
{
    line_writer w;
    lw_begin(&w, out, "LSG");
    lw_gid(&w, gid);
    lw_text(&w, name);
    lw_token(&w, "0");
    return lw_end(&w);
}

/* "index total" of a legacy iterator: 1 <= index <= total. */
static void lw_index(line_writer *w, uint32_t index, uint32_t total)
{
    if (index < 1 || index > total) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_u32(w, index);
    lw_u32(w, total);
}

int msnp_write_lsg_legacy(msnp_buf *out, uint32_t trid, uint32_t version,
                          uint32_t index, uint32_t total, int gid,
                          const char *name)
{
    line_writer w;
    lw_begin(&w, out, "LSG");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_index(&w, index, total);
    lw_gid(&w, gid);
    lw_text(&w, name);
    lw_token(&w, "0");
    return lw_end(&w);
}

int msnp_write_lst_request(msnp_buf *out, uint32_t trid, int list)
{
    line_writer w;
    lw_begin(&w, out, "LST");
    lw_u32(&w, trid);
    lw_list(&w, list);
    return lw_end(&w);
}

/* The group field is present iff the entry is on FL (msnp.md 3.2). */
static void lw_fl_groups(line_writer *w, bool on_fl, uint32_t groups)
{
    if (on_fl)
        lw_groups(w, groups);
    else if (groups != 0)
        lw_fail(w, MSNP_E_INVALID_ARG);
}

int msnp_write_lst_dump(msnp_buf *out, const char *handle,
                        const char *stored_name, unsigned bits,
                        uint32_t groups)
{
    line_writer w;
    lw_begin(&w, out, "LST");
    lw_token(&w, handle);
    lw_text(&w, stored_name);
    if (bits < 1 || bits > 15)
        lw_fail(&w, MSNP_E_INVALID_ARG);
    lw_u32(&w, bits);
    lw_fl_groups(&w, (bits & MSNP_LIST_FL) != 0, groups);
    return lw_end(&w);
}

int msnp_write_lst_legacy(msnp_buf *out, uint32_t trid, int list,
                          uint32_t version, uint32_t index, uint32_t total,
                          const char *handle, const char *stored_name,
                          uint32_t groups)
{
    line_writer w;
    lw_begin(&w, out, "LST");
    lw_u32(&w, trid);
    lw_list(&w, list);
    lw_u32(&w, version);
    lw_index(&w, index, total);
    lw_token(&w, handle);
    lw_text(&w, stored_name);
    lw_fl_groups(&w, list == MSNP_LIST_FL, groups);
    return lw_end(&w);
}

int msnp_write_lst_legacy_empty(msnp_buf *out, uint32_t trid, int list,
                                uint32_t version)
{
    line_writer w;
    lw_begin(&w, out, "LST");
    lw_u32(&w, trid);
    lw_list(&w, list);
    lw_u32(&w, version);
    lw_token(&w, "0");
    lw_token(&w, "0");
    return lw_end(&w);
}

/* ---- ADD, REM ---------------------------------------------------------- */

int msnp_write_add_request(msnp_buf *out, uint32_t trid, int list,
                           const char *handle, const char *stored_name,
                           int gid)
{
    line_writer w;
    lw_begin(&w, out, "ADD");
    lw_u32(&w, trid);
    lw_list(&w, list);
    lw_token(&w, handle);
    lw_text(&w, stored_name);
    lw_opt_gid(&w, list, gid);
    return lw_end(&w);
}

int msnp_write_add_reply(msnp_buf *out, uint32_t trid, int list,
                         uint32_t version, const char *handle,
                         const char *stored_name, int gid)
{
    line_writer w;
    lw_begin(&w, out, "ADD");
    lw_u32(&w, trid);
    lw_list(&w, list);
    lw_u32(&w, version);
    lw_token(&w, handle);
    lw_text(&w, stored_name);
    lw_opt_gid(&w, list, gid);
    return lw_end(&w);
}

int msnp_write_add_async(msnp_buf *out, int list, uint32_t version,
                         const char *handle, const char *name, int gid)
{
    return msnp_write_add_reply(out, 0, list, version, handle, name, gid);
}

int msnp_write_rem_request(msnp_buf *out, uint32_t trid, int list,
                           const char *handle, int gid)
{
    line_writer w;
    lw_begin(&w, out, "REM");
    lw_u32(&w, trid);
    lw_list(&w, list);
    lw_token(&w, handle);
    lw_opt_gid(&w, list, gid);
    return lw_end(&w);
}

int msnp_write_rem_reply(msnp_buf *out, uint32_t trid, int list,
                         uint32_t version, const char *handle, int gid)
{
    line_writer w;
    lw_begin(&w, out, "REM");
    lw_u32(&w, trid);
    lw_list(&w, list);
    lw_u32(&w, version);
    lw_token(&w, handle);
    lw_opt_gid(&w, list, gid);
    return lw_end(&w);
}

int msnp_write_rem_async(msnp_buf *out, int list, uint32_t version,
                         const char *handle, int gid)
{
    return msnp_write_rem_reply(out, 0, list, version, handle, gid);
}

/* ---- ADG, RMG, REG, REA ------------------------------------------------ */

int msnp_write_adg_request(msnp_buf *out, uint32_t trid, const char *name)
{
    line_writer w;
    lw_begin(&w, out, "ADG");
    lw_u32(&w, trid);
    lw_text(&w, name);
    lw_token(&w, "0");
    return lw_end(&w);
}

int msnp_write_adg_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         const char *name, int gid)
{
    line_writer w;
    lw_begin(&w, out, "ADG");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_text(&w, name);
    lw_gid(&w, gid);
    lw_token(&w, "0");
    return lw_end(&w);
}

int msnp_write_rmg_request(msnp_buf *out, uint32_t trid, int gid)
{
    line_writer w;
    lw_begin(&w, out, "RMG");
    lw_u32(&w, trid);
    lw_gid(&w, gid);
    return lw_end(&w);
}

int msnp_write_rmg_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         int gid)
{
    line_writer w;
    lw_begin(&w, out, "RMG");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_gid(&w, gid);
    return lw_end(&w);
}

int msnp_write_reg_request(msnp_buf *out, uint32_t trid, int gid,
                           const char *name)
{
    line_writer w;
    lw_begin(&w, out, "REG");
    lw_u32(&w, trid);
    lw_gid(&w, gid);
    lw_text(&w, name);
    lw_token(&w, "0");
    return lw_end(&w);
}

int msnp_write_reg_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         int gid, const char *name)
{
    line_writer w;
    lw_begin(&w, out, "REG");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_gid(&w, gid);
    lw_text(&w, name);
    lw_token(&w, "0");
    return lw_end(&w);
}

int msnp_write_rea_request(msnp_buf *out, uint32_t trid, const char *handle,
                           const char *name)
{
    line_writer w;
    lw_begin(&w, out, "REA");
    lw_u32(&w, trid);
    lw_token(&w, handle);
    lw_text(&w, name);
    return lw_end(&w);
}

int msnp_write_rea_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         const char *handle, const char *name)
{
    line_writer w;
    lw_begin(&w, out, "REA");
    lw_u32(&w, trid);
    lw_u32(&w, version);
    lw_token(&w, handle);
    lw_text(&w, name);
    return lw_end(&w);
}

/* ---- presence ---------------------------------------------------------- */

/* The MSN object goes only to MSNP9 sessions (msnp.md 4.3, 8). */
static void lw_msnobj(line_writer *w, msnp_dialect dialect, const char *msnobj)
{
    if (dialect == MSNP_DIALECT_MSNP9 && is_present(msnobj))
        lw_token(w, msnobj);
}

/* ILN/NLN never show an invisible or offline contact (msnp.md 4.3). */
static void lw_visible_presence(line_writer *w, msnp_presence status)
{
    if (status == MSNP_PRESENCE_FLN || status == MSNP_PRESENCE_HDN) {
        lw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    lw_presence(w, status);
}

int msnp_write_chg(msnp_buf *out, uint32_t trid, msnp_dialect dialect,
                   msnp_presence status, bool has_caps, uint32_t caps,
                   const char *msnobj)
{
    line_writer w;
    lw_begin(&w, out, "CHG");
    lw_u32(&w, trid);
    lw_presence(&w, status);
    if (has_caps)
        lw_u32(&w, caps);
    else if (is_present(msnobj))
        lw_fail(&w, MSNP_E_INVALID_ARG);
    lw_msnobj(&w, dialect, msnobj);
    return lw_end(&w);
}

int msnp_write_iln(msnp_buf *out, uint32_t trid, msnp_dialect dialect,
                   msnp_presence status, const char *handle,
                   const char *friendly_name, uint32_t caps,
                   const char *msnobj)
{
    line_writer w;
    lw_begin(&w, out, "ILN");
    lw_u32(&w, trid);
    lw_visible_presence(&w, status);
    lw_token(&w, handle);
    lw_text(&w, friendly_name);
    lw_u32(&w, caps);
    lw_msnobj(&w, dialect, msnobj);
    return lw_end(&w);
}

int msnp_write_nln(msnp_buf *out, msnp_dialect dialect, msnp_presence status,
                   const char *handle, const char *friendly_name,
                   uint32_t caps, const char *msnobj)
{
    line_writer w;
    lw_begin(&w, out, "NLN");
    lw_visible_presence(&w, status);
    lw_token(&w, handle);
    lw_text(&w, friendly_name);
    lw_u32(&w, caps);
    lw_msnobj(&w, dialect, msnobj);
    return lw_end(&w);
}

int msnp_write_fln(msnp_buf *out, const char *handle)
{
    line_writer w;
    lw_begin(&w, out, "FLN");
    lw_token(&w, handle);
    return lw_end(&w);
}

/* ---- keep-alive, challenge, OUT ---------------------------------------- */

int msnp_write_chl(msnp_buf *out, uint32_t trid, const char *challenge)
{
    return write_trid_token(out, "CHL", trid, challenge);
}

int msnp_write_chl_request(msnp_buf *out, uint32_t trid)
{
    return write_trid_only(out, "CHL", trid);
}

static bool is_lower_hex32(const char *s)
{
    if (!s || strlen(s) != 32)
        return false;
    for (int i = 0; i < 32; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

int msnp_write_qry_request(msnp_buf *out, uint32_t trid,
                           const char *product_id, const char *response)
{
    line_writer w;
    lw_begin(&w, out, "QRY");
    lw_u32(&w, trid);
    lw_token(&w, product_id);
    if (!is_lower_hex32(response)) {
        lw_fail(&w, MSNP_E_INVALID_ARG);
        return lw_end_payload(&w, NULL, 0);
    }
    return lw_end_payload(&w, response, 32);
}

int msnp_write_qry_reply(msnp_buf *out, uint32_t trid)
{
    return write_trid_only(out, "QRY", trid);
}

int msnp_write_png(msnp_buf *out)
{
    line_writer w;
    lw_begin(&w, out, "PNG");
    return lw_end(&w);
}

int msnp_write_qng(msnp_buf *out, msnp_dialect dialect, unsigned seconds)
{
    line_writer w;
    lw_begin(&w, out, "QNG");
    if (dialect == MSNP_DIALECT_MSNP9) {
        if (seconds > MAX_QNG_SECONDS)
            lw_fail(&w, MSNP_E_INVALID_ARG);
        lw_u32(&w, seconds);
    }
    return lw_end(&w);
}

int msnp_write_out(msnp_buf *out, const char *reason)
{
    line_writer w;
    lw_begin(&w, out, "OUT");
    if (is_present(reason))
        lw_token(&w, reason);
    return lw_end(&w);
}

/* ---- switchboard ------------------------------------------------------- */

int msnp_write_xfr_sb_request(msnp_buf *out, uint32_t trid)
{
    return write_trid_token(out, "XFR", trid, "SB");
}

int msnp_write_xfr_sb_reply(msnp_buf *out, uint32_t trid,
                            const char *host_port, const char *cookie)
{
    line_writer w;
    lw_begin(&w, out, "XFR");
    lw_u32(&w, trid);
    lw_token(&w, "SB");
    lw_token(&w, host_port);
    lw_token(&w, "CKI");
    lw_token(&w, cookie);
    return lw_end(&w);
}

int msnp_write_usr_sb_request(msnp_buf *out, uint32_t trid,
                              const char *handle, const char *cookie)
{
    line_writer w;
    lw_begin(&w, out, "USR");
    lw_u32(&w, trid);
    lw_token(&w, handle);
    lw_token(&w, cookie);
    return lw_end(&w);
}

int msnp_write_usr_sb_ok(msnp_buf *out, uint32_t trid, const char *handle,
                         const char *friendly_name)
{
    line_writer w;
    lw_begin(&w, out, "USR");
    lw_u32(&w, trid);
    lw_token(&w, "OK");
    lw_token(&w, handle);
    lw_text(&w, friendly_name);
    return lw_end(&w);
}

int msnp_write_cal_request(msnp_buf *out, uint32_t trid, const char *handle)
{
    return write_trid_token(out, "CAL", trid, handle);
}

int msnp_write_cal_reply(msnp_buf *out, uint32_t trid, uint32_t session_id)
{
    line_writer w;
    lw_begin(&w, out, "CAL");
    lw_u32(&w, trid);
    lw_token(&w, "RINGING");
    lw_u32(&w, session_id);
    return lw_end(&w);
}

int msnp_write_rng(msnp_buf *out, uint32_t session_id, const char *host_port,
                   const char *cookie, const char *caller_handle,
                   const char *caller_name)
{
    line_writer w;
    lw_begin(&w, out, "RNG");
    lw_u32(&w, session_id);
    lw_token(&w, host_port);
    lw_token(&w, "CKI");
    lw_token(&w, cookie);
    lw_token(&w, caller_handle);
    lw_text(&w, caller_name);
    return lw_end(&w);
}

int msnp_write_ans_request(msnp_buf *out, uint32_t trid, const char *handle,
                           const char *cookie, uint32_t session_id)
{
    line_writer w;
    lw_begin(&w, out, "ANS");
    lw_u32(&w, trid);
    lw_token(&w, handle);
    lw_token(&w, cookie);
    lw_u32(&w, session_id);
    return lw_end(&w);
}

int msnp_write_iro(msnp_buf *out, uint32_t trid, uint32_t index,
                   uint32_t total, const char *handle,
                   const char *friendly_name)
{
    line_writer w;
    lw_begin(&w, out, "IRO");
    lw_u32(&w, trid);
    lw_index(&w, index, total);
    lw_token(&w, handle);
    lw_text(&w, friendly_name);
    return lw_end(&w);
}

int msnp_write_ans_ok(msnp_buf *out, uint32_t trid)
{
    return write_trid_token(out, "ANS", trid, "OK");
}

int msnp_write_joi(msnp_buf *out, const char *handle,
                   const char *friendly_name)
{
    line_writer w;
    lw_begin(&w, out, "JOI");
    lw_token(&w, handle);
    lw_text(&w, friendly_name);
    return lw_end(&w);
}

int msnp_write_bye(msnp_buf *out, const char *handle, bool idle)
{
    line_writer w;
    lw_begin(&w, out, "BYE");
    lw_token(&w, handle);
    if (idle)
        lw_token(&w, "1");
    return lw_end(&w);
}

/* The acknowledgement types of msnp.md 5.7, as one-character tokens. */
static const char *ack_type_token(char ack_type)
{
    switch (ack_type) {
    case 'U': return "U";
    case 'N': return "N";
    case 'A': return "A";
    case 'D': return "D";
    case 'S': return "S";
    default: return NULL;
    }
}

int msnp_write_msg_client(msnp_buf *out, uint32_t trid, char ack_type,
                          const void *payload, size_t len)
{
    line_writer w;
    lw_begin(&w, out, "MSG");
    lw_u32(&w, trid);
    lw_token(&w, ack_type_token(ack_type));
    return lw_end_payload(&w, payload, len);
}

int msnp_write_msg_server(msnp_buf *out, const char *handle,
                          const char *friendly_name, const void *payload,
                          size_t len)
{
    line_writer w;
    lw_begin(&w, out, "MSG");
    lw_token(&w, handle);
    lw_text(&w, friendly_name);
    return lw_end_payload(&w, payload, len);
}

int msnp_write_msg_hotmail(msnp_buf *out, const void *payload, size_t len)
{
    line_writer w;
    lw_begin(&w, out, "MSG");
    lw_token(&w, "Hotmail");
    lw_token(&w, "Hotmail");
    return lw_end_payload(&w, payload, len);
}

int msnp_write_ack(msnp_buf *out, uint32_t trid)
{
    return write_trid_only(out, "ACK", trid);
}

int msnp_write_nak(msnp_buf *out, uint32_t trid)
{
    return write_trid_only(out, "NAK", trid);
}

/* ---- notifications and services ---------------------------------------- */

int msnp_write_not(msnp_buf *out, const void *payload, size_t len)
{
    line_writer w;
    lw_begin(&w, out, "NOT");
    return lw_end_payload(&w, payload, len);
}

int msnp_write_ipg(msnp_buf *out, const void *payload, size_t len)
{
    line_writer w;
    lw_begin(&w, out, "IPG");
    return lw_end_payload(&w, payload, len);
}

int msnp_write_url_request(msnp_buf *out, uint32_t trid, const char *service,
                           const char *argument)
{
    line_writer w;
    lw_begin(&w, out, "URL");
    lw_u32(&w, trid);
    lw_token(&w, service);
    if (is_present(argument))
        lw_token(&w, argument);
    return lw_end(&w);
}

int msnp_write_url_reply(msnp_buf *out, uint32_t trid,
                         const char *redirect_url, const char *post_url,
                         uint32_t site_id)
{
    line_writer w;
    lw_begin(&w, out, "URL");
    lw_u32(&w, trid);
    lw_token(&w, redirect_url);
    lw_token(&w, post_url);
    lw_u32(&w, site_id);
    return lw_end(&w);
}

int msnp_write_snd_request(msnp_buf *out, uint32_t trid, const char *address,
                           const char *lcid, const char *library,
                           const char *codebase)
{
    line_writer w;
    lw_begin(&w, out, "SND");
    lw_u32(&w, trid);
    lw_token(&w, address);
    int extras = is_present(lcid) + is_present(library) + is_present(codebase);
    if (extras == 3) {
        lw_token(&w, lcid);
        lw_token(&w, library);
        lw_token(&w, codebase);
    } else if (extras != 0) {
        lw_fail(&w, MSNP_E_INVALID_ARG);
    }
    return lw_end(&w);
}

int msnp_write_snd_reply(msnp_buf *out, uint32_t trid)
{
    return write_trid_token(out, "SND", trid, "OK");
}
