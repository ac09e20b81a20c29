/*
 * msnp_passport.c - Passport 1.4 header values (see msnp_passport.h,
 * msnp.md 2.4 and 2.6).
 *
 * All four parsers share one pipeline: check the raw bytes (length,
 * control characters), strip the "Passport1.4" scheme where there is one,
 * split the rest into name=value items (on the stack, bounded by
 * MSNP_PASSPORT_MAX_ITEMS), then copy out the few fields the caller needs.
 * Nothing is allocated until the input has passed every check, so error
 * paths free at most the fields already copied.
 */
#include "msnp_passport.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "msnp_status.h"
#include "msnp_url.h"

/* Characters kept unencoded in sign-in, pwd and cbtxt: RFC 3986's
 * "unreserved" set. Everything else, '@' included, becomes %XX, which is
 * what the spec's example shows (sign-in=alice%40example.com). */
#define UNRESERVED_EXTRA "-_.~"

/* ---- small helpers ----------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_alnum(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9');
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True if s[0..n) equals the NUL-terminated word, ignoring ASCII case. */
static bool equals_nocase(const char *s, size_t n, const char *word)
{
    size_t i = 0;
    for (; i < n && word[i]; i++) {
        if (ascii_lower(s[i]) != ascii_lower(word[i]))
            return false;
    }
    return i == n && word[i] == '\0';
}

/* True if s[0..n) starts with prefix, ignoring ASCII case. */
static bool starts_nocase(const char *s, size_t n, const char *prefix)
{
    size_t plen = strlen(prefix);
    return n >= plen && equals_nocase(s, plen, prefix);
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_space((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_space((*s)[*n - 1]))
        (*n)--;
}

/* A value we emit inside a comma-separated header list: printable ASCII,
 * no space, no comma (item separator), no single quote (from-PP
 * delimiter). */
static bool is_header_token(const char *s)
{
    if (!s || !*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F || *p == ',' || *p == '\'')
            return false;
    }
    return true;
}

/* Overwrites and frees a string that held a password. */
static void free_secret(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

/* Copies s[0..n) into a new NUL-terminated string. */
static int dup_raw(const char *s, size_t n, char **out)
{
    *out = malloc(n + 1);
    if (!*out)
        return MSNP_E_NOMEM;
    memcpy(*out, s, n);
    (*out)[n] = '\0';
    return MSNP_OK;
}

/* URL-decodes s[0..n) into a new string. The buffer is sized up front so
 * that decoding never reallocates: a password then never leaves a stray
 * copy in freed memory, and the buffer is wiped on failure. */
static int dup_decoded(const char *s, size_t n, unsigned flags, char **out)
{
    msnp_buf b = MSNP_BUF_INIT;
    *out = NULL;
    int rc = msnp_buf_reserve(&b, n);
    if (rc == MSNP_OK)
        rc = msnp_url_decode(&b, s, n, flags);
    if (rc != MSNP_OK) {
        if (b.data)
            OPENSSL_cleanse(b.data, b.cap);
        msnp_buf_free(&b);
        return rc;
    }
    *out = msnp_buf_detach(&b, NULL);
    return *out ? MSNP_OK : MSNP_E_NOMEM;
}

/* Appends s[0..n) percent-encoded: ASCII letters and digits stay, so do
 * the bytes of keep; every other byte becomes %XX (upper-case hex). */
static int pct_encode(msnp_buf *out, const char *s, size_t n, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t need = 0;

    for (size_t i = 0; i < n; i++)
        need += is_alnum(p[i]) || (p[i] && strchr(keep, p[i])) ? 1 : 3;
    int rc = msnp_buf_reserve(out, need);
    if (rc != MSNP_OK)
        return rc;
    char *w = out->data + out->len;
    for (size_t i = 0; i < n; i++) {
        if (is_alnum(p[i]) || (p[i] && strchr(keep, p[i]))) {
            *w++ = (char)p[i];
        } else {
            *w++ = '%';
            *w++ = hex[p[i] >> 4];
            *w++ = hex[p[i] & 15];
        }
    }
    out->len += need;
    out->data[out->len] = '\0';
    return MSNP_OK;
}

/* ---- builder plumbing -------------------------------------------------- */

/* Sticky-error appender, like msnp_write.c's line writer: the builder
 * cuts out back to start if any step failed. */
typedef struct hdr_writer {
    msnp_buf *out;
    size_t start;
    int rc;
} hdr_writer;

static void hw_begin(hdr_writer *w, msnp_buf *out)
{
    w->out = out;
    w->start = out ? out->len : 0;
    w->rc = out ? MSNP_OK : MSNP_E_INVALID_ARG;
}

static void hw_fail(hdr_writer *w, int rc)
{
    if (w->rc == MSNP_OK)
        w->rc = rc;
}

static void hw_str(hdr_writer *w, const char *s)
{
    if (w->rc == MSNP_OK)
        w->rc = msnp_buf_append_str(w->out, s);
}

/* Appends "name=token" after a comma unless it is the first item; token
 * must be a header token. */
static void hw_item(hdr_writer *w, const char *name, const char *token)
{
    if (w->rc != MSNP_OK)
        return;
    if (!is_header_token(token)) {
        hw_fail(w, MSNP_E_INVALID_ARG);
        return;
    }
    if (w->out->len > w->start)
        hw_str(w, ",");
    hw_str(w, name);
    hw_str(w, "=");
    hw_str(w, token);
}

/* Appends "name=" and the percent-encoding of text (keeping keep). */
static void hw_encoded_item(hdr_writer *w, const char *name, const char *text,
                            const char *keep)
{
    if (w->rc != MSNP_OK)
        return;
    hw_str(w, ",");
    hw_str(w, name);
    hw_str(w, "=");
    if (w->rc == MSNP_OK)
        w->rc = pct_encode(w->out, text, strlen(text), keep);
}

static int hw_end(hdr_writer *w)
{
    if (w->rc != MSNP_OK && w->out)
        msnp_buf_truncate(w->out, w->start);
    return w->rc;
}

/* ---- parser plumbing --------------------------------------------------- */

typedef struct pp_item {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} pp_item;

typedef struct pp_items {
    pp_item item[MSNP_PASSPORT_MAX_ITEMS];
    size_t n;
} pp_items;

/* Length, NUL and control-byte checks shared by every parser. */
static int check_raw(const char *value, size_t len)
{
    if (!value)
        return MSNP_E_INVALID_ARG;
    if (len > MSNP_PASSPORT_MAX_HEADER)
        return MSNP_E_TOO_LONG;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return MSNP_E_CONTROL_CHAR;
    }
    return MSNP_OK;
}

/* Skips leading blanks and "Passport1.4" (any case) followed by blanks or
 * the end of the value. */
static int skip_scheme(const char **s, size_t *n)
{
    const size_t slen = sizeof MSNP_PASSPORT_SCHEME - 1;
    trim(s, n);
    if (!starts_nocase(*s, *n, MSNP_PASSPORT_SCHEME))
        return MSNP_E_MISSING_FIELD;
    if (*n > slen && !is_space((*s)[slen]))
        return MSNP_E_MISSING_FIELD;
    *s += slen;
    *n -= slen;
    trim(s, n);
    return MSNP_OK;
}

/* Adds one comma-separated segment to items: split at the first '=',
 * trimmed; segments without '=' (flags) or without a name are skipped. */
static int add_segment(pp_items *items, const char *seg, size_t n)
{
    trim(&seg, &n);
    const char *eq = memchr(seg, '=', n);
    if (!eq)
        return MSNP_OK;
    const char *name = seg, *value = eq + 1;
    size_t name_len = (size_t)(eq - seg);
    size_t value_len = n - name_len - 1;
    trim(&name, &name_len);
    trim(&value, &value_len);
    if (name_len == 0)
        return MSNP_OK;
    if (name_len > MSNP_PASSPORT_MAX_NAME ||
        value_len > MSNP_PASSPORT_MAX_VALUE)
        return MSNP_E_TOO_LONG;
    items->item[items->n++] = (pp_item){ name, name_len, value, value_len };
    return MSNP_OK;
}

/* Splits s[0..n) on commas into items. With quotes, a comma between single
 * quotes does not split (Authentication-Info's from-PP='...'), and an
 * unclosed quote is MSNP_E_BAD_HEADER. Every segment, even an empty one or
 * a flag, counts against MSNP_PASSPORT_MAX_ITEMS. */
static int split_items(const char *s, size_t n, bool quotes, pp_items *items)
{
    size_t segments = 0, seg_start = 0;
    bool in_quote = false;

    items->n = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && quotes && s[i] == '\'')
            in_quote = !in_quote;
        if (i < n && (s[i] != ',' || in_quote))
            continue;
        if (++segments > MSNP_PASSPORT_MAX_ITEMS)
            return MSNP_E_TOO_LONG;
        int rc = add_segment(items, s + seg_start, i - seg_start);
        if (rc != MSNP_OK)
            return rc;
        seg_start = i + 1;
    }
    return in_quote ? MSNP_E_BAD_HEADER : MSNP_OK;
}

static const pp_item *find_item(const pp_items *items, const char *name)
{
    for (size_t i = 0; i < items->n; i++) {
        if (equals_nocase(items->item[i].name, items->item[i].name_len, name))
            return &items->item[i];
    }
    return NULL;
}

static size_t count_items(const pp_items *items, const char *name)
{
    size_t count = 0;
    for (size_t i = 0; i < items->n; i++)
        count += equals_nocase(items->item[i].name, items->item[i].name_len,
                               name);
    return count;
}

/* The common front of the three "Passport1.4 ..." parsers. */
static int split_scheme_value(const char *value, size_t len, bool quotes,
                              pp_items *items)
{
    int rc = check_raw(value, len);
    if (rc != MSNP_OK)
        return rc;
    rc = skip_scheme(&value, &len);
    if (rc != MSNP_OK)
        return rc;
    return split_items(value, len, quotes, items);
}

/* Copies the raw value of an optional item (NULL when absent). */
static int dup_optional(const pp_items *items, const char *name, char **out)
{
    const pp_item *it = find_item(items, name);
    *out = NULL;
    return it ? dup_raw(it->value, it->value_len, out) : MSNP_OK;
}

/* ---- challenge string -------------------------------------------------- */

static bool is_lower_hex(const char *s, size_t n)
{
    if (!s || strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

int msnp_passport_challenge_build(msnp_buf *out, const char *ru, int64_t ct,
                                  const char *tpf)
{
    hdr_writer w;
    char num[24];

    hw_begin(&w, out);
    if (!ru || !*ru || ct < 0 || !is_lower_hex(tpf, MSNP_PASSPORT_TPF_LEN))
        hw_fail(&w, MSNP_E_INVALID_ARG);
    hw_str(&w, "lc=1033,id=507,tw=40,fs=1,ru=");
    if (w.rc == MSNP_OK)
        w.rc = pct_encode(out, ru, strlen(ru), "");
    snprintf(num, sizeof num, "%" PRId64, ct);
    hw_item(&w, "ct", num);
    hw_str(&w, ",kpp=1,kv=5,ver=2.1.0173.1");
    hw_item(&w, "tpf", tpf);
    return hw_end(&w);
}

int msnp_passport_tpf_from_random(const unsigned char random[16],
                                  char out[MSNP_PASSPORT_TPF_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    if (!random || !out)
        return MSNP_E_INVALID_ARG;
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hex[random[i] >> 4];
        out[2 * i + 1] = hex[random[i] & 15];
    }
    out[MSNP_PASSPORT_TPF_LEN] = '\0';
    return MSNP_OK;
}

/* ---- Authorization ----------------------------------------------------- */

void msnp_passport_auth_free(msnp_passport_auth *a)
{
    if (!a)
        return;
    free(a->sign_in);
    free_secret(a->pwd);
    for (size_t i = 0; i < a->nitems; i++) {
        free(a->items[i].name);
        free(a->items[i].value);
    }
    free(a->items);
    memset(a, 0, sizeof *a);
}

/* Decodes the one sign-in or pwd item into *out. */
static int decode_credential(const pp_items *items, const char *name,
                             char **out)
{
    size_t count = count_items(items, name);
    if (count > 1)
        return MSNP_E_BAD_VALUE;
    const pp_item *it = find_item(items, name);
    if (!it || it->value_len == 0)
        return MSNP_E_MISSING_FIELD;
    /* A non-empty value never decodes to "" (a decoded NUL is an error). */
    return dup_decoded(it->value, it->value_len, MSNP_URL_STRICT, out);
}

static bool is_credential(const pp_item *it)
{
    return equals_nocase(it->name, it->name_len, "sign-in") ||
           equals_nocase(it->name, it->name_len, "pwd");
}

/* Copies every item that is not sign-in or pwd into a->items. */
static int copy_other_items(const pp_items *items, msnp_passport_auth *a)
{
    a->items = calloc(items->n ? items->n : 1, sizeof *a->items);
    if (!a->items)
        return MSNP_E_NOMEM;
    for (size_t i = 0; i < items->n; i++) {
        const pp_item *it = &items->item[i];
        if (is_credential(it))
            continue;
        msnp_passport_item *dst = &a->items[a->nitems++];
        int rc = dup_raw(it->name, it->name_len, &dst->name);
        if (rc == MSNP_OK)
            rc = dup_raw(it->value, it->value_len, &dst->value);
        if (rc != MSNP_OK)
            return rc;
    }
    return MSNP_OK;
}

int msnp_passport_auth_parse(const char *value, size_t len,
                             msnp_passport_auth *out)
{
    pp_items items;

    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    int rc = split_scheme_value(value, len, false, &items);
    if (rc == MSNP_OK)
        rc = decode_credential(&items, "sign-in", &out->sign_in);
    if (rc == MSNP_OK)
        rc = decode_credential(&items, "pwd", &out->pwd);
    if (rc == MSNP_OK)
        rc = copy_other_items(&items, out);
    if (rc != MSNP_OK)
        msnp_passport_auth_free(out);
    return rc;
}

const char *msnp_passport_auth_get(const msnp_passport_auth *a,
                                   const char *name)
{
    if (!a || !name)
        return NULL;
    for (size_t i = 0; i < a->nitems; i++) {
        if (equals_nocase(a->items[i].name, strlen(a->items[i].name), name))
            return a->items[i].value;
    }
    return NULL;
}

/* Finds the raw value of item name in a comma-separated list (no limits:
 * used on our own caller's challenge string, not on network input). */
static bool find_raw_value(const char *s, const char *name, const char **value,
                           size_t *value_len)
{
    size_t nlen = strlen(name);
    while (*s) {
        size_t seg = strcspn(s, ",");
        if (seg > nlen && s[nlen] == '=' && equals_nocase(s, nlen, name)) {
            *value = s + nlen + 1;
            *value_len = seg - nlen - 1;
            return true;
        }
        s += seg;
        if (*s == ',')
            s++;
    }
    return false;
}

/* The challenge is copied verbatim into the header: it may hold ',' and
 * '=', never blanks or control bytes. */
static bool is_challenge_text(const char *s)
{
    if (!s || !*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F)
            return false;
    }
    return true;
}

int msnp_passport_auth_build(msnp_buf *out, const char *sign_in,
                             const char *pwd, const char *challenge)
{
    hdr_writer w;
    const char *ru;
    size_t ru_len;

    hw_begin(&w, out);
    if (!sign_in || !*sign_in || !pwd || !*pwd ||
        !is_challenge_text(challenge)) {
        hw_fail(&w, MSNP_E_INVALID_ARG);
        return hw_end(&w);
    }
    hw_str(&w, MSNP_PASSPORT_SCHEME " OrgVerb=GET");
    if (find_raw_value(challenge, "ru", &ru, &ru_len) && ru_len > 0) {
        hw_str(&w, ",OrgURL=");
        if (w.rc == MSNP_OK)
            w.rc = msnp_buf_append(out, ru, ru_len);
    }
    hw_encoded_item(&w, "sign-in", sign_in, UNRESERVED_EXTRA);
    hw_encoded_item(&w, "pwd", pwd, UNRESERVED_EXTRA);
    hw_str(&w, ",");
    hw_str(&w, challenge);
    return hw_end(&w);
}

/* ---- Authentication-Info ----------------------------------------------- */

void msnp_passport_info_free(msnp_passport_info *info)
{
    if (!info)
        return;
    free(info->da_status);
    free(info->from_pp);
    free(info->ru);
    memset(info, 0, sizeof *info);
}

int msnp_passport_info_build(msnp_buf *out, const char *ticket, const char *ru)
{
    hdr_writer w;

    hw_begin(&w, out);
    if (!is_header_token(ticket) || (ru && *ru && !is_header_token(ru))) {
        hw_fail(&w, MSNP_E_INVALID_ARG);
        return hw_end(&w);
    }
    hw_str(&w, MSNP_PASSPORT_SCHEME " da-status=success,tname=MSPAuth,"
               "tname=MSPProf,tname=MSPSec,from-PP='");
    hw_str(&w, ticket);
    hw_str(&w, "'");
    if (ru && *ru)
        hw_item(&w, "ru", ru);
    return hw_end(&w);
}

/* da-status, or the "dastatus" spelling of one wiki revision (msnp.md 10.9).
 * An empty value counts as absent. */
static const pp_item *find_da_status(const pp_items *items)
{
    const pp_item *it = find_item(items, "da-status");
    if (!it)
        it = find_item(items, "dastatus");
    return it && it->value_len > 0 ? it : NULL;
}

/* The ticket is the text between from-PP=' and the next ' (msnp.md 2.6.3).
 * *out stays NULL when there is no from-PP item. */
static int dup_from_pp(const pp_items *items, char **out)
{
    const pp_item *it = find_item(items, "from-PP");
    *out = NULL;
    if (!it)
        return MSNP_OK;
    if (it->value_len < 2 || it->value[0] != '\'')
        return MSNP_E_BAD_HEADER;
    const char *close = memchr(it->value + 1, '\'', it->value_len - 1);
    if (!close)
        return MSNP_E_BAD_HEADER;
    return dup_raw(it->value + 1, (size_t)(close - it->value - 1), out);
}

int msnp_passport_info_parse(const char *value, size_t len,
                             msnp_passport_info *out)
{
    pp_items items;

    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    int rc = split_scheme_value(value, len, true, &items);
    if (rc != MSNP_OK)
        return rc;
    const pp_item *status = find_da_status(&items);
    if (!status)
        return MSNP_E_MISSING_FIELD;
    rc = dup_raw(status->value, status->value_len, &out->da_status);
    if (rc == MSNP_OK)
        rc = dup_from_pp(&items, &out->from_pp);
    if (rc == MSNP_OK)
        rc = dup_optional(&items, "ru", &out->ru);
    if (rc != MSNP_OK)
        msnp_passport_info_free(out);
    return rc;
}

/* ---- WWW-Authenticate -------------------------------------------------- */

void msnp_passport_failure_free(msnp_passport_failure *f)
{
    if (!f)
        return;
    free(f->da_status);
    free(f->srealm);
    free(f->cbtxt);
    memset(f, 0, sizeof *f);
}

int msnp_passport_failure_build(msnp_buf *out, const char *srealm,
                                const char *cbtxt)
{
    hdr_writer w;

    hw_begin(&w, out);
    if (!is_header_token(srealm)) {
        hw_fail(&w, MSNP_E_INVALID_ARG);
        return hw_end(&w);
    }
    hw_str(&w, MSNP_PASSPORT_SCHEME " da-status=failed");
    hw_item(&w, "srealm", srealm);
    hw_str(&w, ",ts=-3,prompt");
    if (cbtxt && *cbtxt)
        hw_encoded_item(&w, "cbtxt", cbtxt, UNRESERVED_EXTRA);
    return hw_end(&w);
}

/* cbtxt is only shown to a person: decode leniently (msnp.md 1.7 accept
 * rule). *out stays NULL when there is no cbtxt item. */
static int dup_cbtxt(const pp_items *items, char **out)
{
    const pp_item *it = find_item(items, "cbtxt");
    *out = NULL;
    if (!it)
        return MSNP_OK;
    return dup_decoded(it->value, it->value_len, MSNP_URL_LENIENT, out);
}

int msnp_passport_failure_parse(const char *value, size_t len,
                                msnp_passport_failure *out)
{
    pp_items items;

    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    int rc = split_scheme_value(value, len, false, &items);
    if (rc != MSNP_OK)
        return rc;
    const pp_item *status = find_da_status(&items);
    if (!status)
        return MSNP_E_MISSING_FIELD;
    rc = dup_raw(status->value, status->value_len, &out->da_status);
    if (rc == MSNP_OK)
        rc = dup_optional(&items, "srealm", &out->srealm);
    if (rc == MSNP_OK)
        rc = dup_cbtxt(&items, &out->cbtxt);
    if (rc != MSNP_OK)
        msnp_passport_failure_free(out);
    return rc;
}

/* ---- PassportURLs ------------------------------------------------------ */

void msnp_passport_nexus_free(msnp_passport_nexus *n)
{
    if (!n)
        return;
    free(n->login);
    free(n->realm);
    memset(n, 0, sizeof *n);
}

static void hw_optional_item(hdr_writer *w, const char *name, const char *token)
{
    if (token)
        hw_item(w, name, token);
}

int msnp_passport_urls_build(msnp_buf *out, const msnp_passport_urls *urls)
{
    hdr_writer w;
    char num[16];

    hw_begin(&w, out);
    if (!urls) {
        hw_fail(&w, MSNP_E_INVALID_ARG);
        return hw_end(&w);
    }
    hw_item(&w, "DARealm", urls->realm);
    hw_item(&w, "DALogin", urls->login);
    hw_optional_item(&w, "DAReg", urls->reg);
    hw_optional_item(&w, "Properties", urls->properties);
    hw_optional_item(&w, "Privacy", urls->privacy);
    hw_optional_item(&w, "GeneralRedir", urls->general_redir);
    hw_optional_item(&w, "Help", urls->help);
    snprintf(num, sizeof num, "%" PRIu32, urls->config_version);
    hw_item(&w, "ConfigVersion", num);
    return hw_end(&w);
}

/* Decimal uint32: digits only, at most 4294967295. */
static bool parse_u32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* DALogin without an http:// or https:// prefix (msnp.md 2.6.1). */
static int dup_login(const pp_item *it, char **out)
{
    const char *s = it->value;
    size_t n = it->value_len;
    *out = NULL;
    if (starts_nocase(s, n, "https://")) {
        s += 8;
        n -= 8;
    } else if (starts_nocase(s, n, "http://")) {
        s += 7;
        n -= 7;
    }
    if (n == 0)
        return MSNP_E_MISSING_FIELD;
    return dup_raw(s, n, out);
}

int msnp_passport_urls_parse(const char *value, size_t len,
                             msnp_passport_nexus *out)
{
    pp_items items;

    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    int rc = check_raw(value, len);
    if (rc == MSNP_OK)
        rc = split_items(value, len, false, &items);
    if (rc != MSNP_OK)
        return rc;
    const pp_item *login = find_item(&items, "DALogin");
    const pp_item *version = find_item(&items, "ConfigVersion");
    if (!login)
        return MSNP_E_MISSING_FIELD;
    if (version) {
        if (!parse_u32(version->value, version->value_len,
                       &out->config_version))
            return MSNP_E_BAD_VALUE;
        out->has_config_version = true;
    }
    rc = dup_login(login, &out->login);
    if (rc == MSNP_OK)
        rc = dup_optional(&items, "DARealm", &out->realm);
    if (rc != MSNP_OK)
        msnp_passport_nexus_free(out);
    return rc;
}

/* ---- tickets ----------------------------------------------------------- */

/* The 64 characters a random token is drawn from: the ticket charset of
 * msnp.md 2.6.3 minus '$', so that every 6 random bits pick one character
 * with equal probability. */
static const char token_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*";

static bool is_token_char(char c)
{
    return is_alnum((unsigned char)c) || c == '!' || c == '*' || c == '$';
}

bool msnp_passport_token_valid(const char *s, size_t len)
{
    if (!s || len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!is_token_char(s[i]))
            return false;
    }
    return true;
}

int msnp_passport_ticket_split(const char *ticket, size_t len,
                               msnp_passport_ticket *out)
{
    if (!ticket || !out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (len >= 2 && ticket[0] == 't' && ticket[1] == '=') {
        ticket += 2;
        len -= 2;
    }
    const char *amp = memchr(ticket, '&', len);
    size_t t_len = amp ? (size_t)(amp - ticket) : len;
    if (t_len == 0)
        return MSNP_E_MISSING_FIELD;
    if (amp) {
        const char *rest = amp + 1;
        size_t rest_len = len - t_len - 1;
        if (rest_len < 2 || rest[0] != 'p' || rest[1] != '=')
            return rest_len == 0 ? MSNP_E_MISSING_FIELD : MSNP_E_BAD_VALUE;
        if (rest_len == 2)
            return MSNP_E_MISSING_FIELD;
        out->p = rest + 2;
        out->p_len = rest_len - 2;
    }
    out->t = ticket;
    out->t_len = t_len;
    return MSNP_OK;
}

int msnp_passport_ticket_build(msnp_buf *out, const char *t, const char *p)
{
    hdr_writer w;

    hw_begin(&w, out);
    if (!t || !p || !msnp_passport_token_valid(t, strlen(t)) ||
        !msnp_passport_token_valid(p, strlen(p))) {
        hw_fail(&w, MSNP_E_INVALID_ARG);
        return hw_end(&w);
    }
    hw_str(&w, "t=");
    hw_str(&w, t);
    hw_str(&w, "&p=");
    hw_str(&w, p);
    return hw_end(&w);
}

int msnp_passport_token_from_random(msnp_buf *out, const unsigned char *random,
                                    size_t n)
{
    if (!out || !random || n == 0)
        return MSNP_E_INVALID_ARG;
    if (n > ((size_t)-1 - 2) / 8)
        return MSNP_E_NOMEM;
    size_t chars = (n * 8 + 5) / 6;
    int rc = msnp_buf_reserve(out, chars);
    if (rc != MSNP_OK)
        return rc;
    char *w = out->data + out->len;
    unsigned acc = 0, bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | random[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            *w++ = token_alphabet[(acc >> bits) & 63];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0)
        *w++ = token_alphabet[(acc << (6 - bits)) & 63];
    out->len += chars;
    out->data[out->len] = '\0';
    return MSNP_OK;
}
