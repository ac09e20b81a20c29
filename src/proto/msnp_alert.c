/*
 * msnp_alert.c - NOT alert documents (see msnp_alert.h).
 *
 * Building is straight-line text output. Parsing is a forgiving tag
 * scanner: alerts in the wild were hand-made and sometimes badly escaped,
 * so the goal is to recover the fields, not to validate XML. Every read is
 * bounded by the payload length; nothing assumes NUL termination.
 */
#include "msnp_alert.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_mime.h"
#include "msnp_status.h"
#include "msnp_url.h"

/* ---- escaping ------------------------------------------------------------ */

static const char *escape_of(char c, bool attr)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return attr ? "&apos;" : NULL;
    default: return NULL;
    }
}

int msnp_xml_escape(msnp_buf *out, const char *s, size_t len, bool attr)
{
    size_t start = out->len;
    for (size_t i = 0; i < len; i++) {
        const char *e = escape_of(s[i], attr);
        int rc = e ? msnp_buf_append_str(out, e) : msnp_buf_append_char(out, s[i]);
        if (rc != MSNP_OK) {
            msnp_buf_truncate(out, start);
            return rc;
        }
    }
    return MSNP_OK;
}

/* Writes cp as UTF-8 into w (room for 4); returns the byte count. */
static size_t utf8_put(char *w, uint32_t cp)
{
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = (char)(0xE0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        w[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (cp >> 18));
    w[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Value of a numeric reference body ("#65" or "#x41", without & and ;),
 * or 0 if it is not a usable character. */
static uint32_t numeric_ref(const char *s, size_t n)
{
    uint32_t cp = 0;
    size_t i = 1;
    bool hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
    if (hex)
        i++;
    if (i == n || n - i > 8)
        return 0;
    for (; i < n; i++) {
        char c = s[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else
            return 0;
        cp = cp * (hex ? 16 : 10) + d;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return cp;
}

/* Decodes the entity whose name is s[0..n) (between & and ;) into w.
 * Returns the bytes written, 0 if it is not an entity we know. */
static size_t decode_entity(const char *s, size_t n, char *w)
{
    static const struct { const char *name; char c; } named[] = {
        { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
    };
    if (n > 0 && s[0] == '#') {
        uint32_t cp = numeric_ref(s, n);
        return cp ? utf8_put(w, cp) : 0;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strlen(named[i].name) == n && memcmp(named[i].name, s, n) == 0) {
            w[0] = named[i].c;
            return 1;
        }
    }
    return 0;
}

#define ENTITY_MAX 12 /* longest entity body we look at: "#x0010FFFF" */

int msnp_xml_unescape(msnp_buf *out, const char *s, size_t len)
{
    /* The output is never longer than the input: every entity is at least
     * as long as its UTF-8 form. */
    int rc = msnp_buf_reserve(out, len);
    if (rc != MSNP_OK)
        return rc;
    char *w = out->data + out->len;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '&') {
            size_t limit = len - i - 1 < ENTITY_MAX ? len - i - 1 : ENTITY_MAX;
            const char *semi = memchr(s + i + 1, ';', limit);
            size_t got = semi ? decode_entity(s + i + 1, (size_t)(semi - s - i - 1), w + n) : 0;
            if (got) {
                n += got;
                i = (size_t)(semi - s);
                continue;
            }
        }
        w[n++] = s[i]; /* a stray '&' is taken literally */
    }
    out->len += n;
    out->data[out->len] = '\0';
    return MSNP_OK;
}

/* ---- building ------------------------------------------------------------ */

/* Strings must survive a trip through XML 1.0. */
static int check_text(const char *s)
{
    if (!s)
        return MSNP_OK;
    size_t len = strlen(s);
    if (!msnp_utf8_valid(s, len))
        return MSNP_E_BAD_UTF8;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F)
            return MSNP_E_CONTROL_CHAR;
    }
    return MSNP_OK;
}

static int check_strings(const msnp_alert *a)
{
    const char *const s[] = {
        a->site_url, a->to_name, a->to_email, a->pri, a->action_url,
        a->subscr_url, a->icon, a->text, a->textx,
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        int rc = check_text(s[i]);
        if (rc != MSNP_OK)
            return rc;
    }
    return MSNP_OK;
}

/* Appends prefix, the escaped s (NULL as ""), then suffix. */
static int append_wrapped(msnp_buf *out, const char *prefix, const char *s,
                          bool attr, const char *suffix)
{
    int rc = msnp_buf_append_str(out, prefix);
    if (rc == MSNP_OK && s)
        rc = msnp_xml_escape(out, s, strlen(s), attr);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(out, suffix);
    return rc;
}

static int append_head(msnp_buf *out, const msnp_alert *a)
{
    int rc = msnp_buf_appendf(out, "<NOTIFICATION ver=\"%" PRIu32 "\" id=\"%" PRIu32
                              "\" siteid=\"%" PRIu32 "\"", a->ver, a->id, a->site_id);
    if (rc == MSNP_OK)
        rc = append_wrapped(out, " siteurl=\"", a->site_url, true, "\">\r\n");
    if (rc == MSNP_OK)
        rc = msnp_buf_appendf(out, "<TO pid=\"0x%08" PRIX32 ":0x%08" PRIX32 "\"",
                              a->pid_high, a->pid_low);
    if (rc == MSNP_OK)
        rc = append_wrapped(out, " name=\"", a->to_name, true, "\"");
    if (rc == MSNP_OK && a->to_email)
        rc = append_wrapped(out, " email=\"", a->to_email, true, "\"");
    if (rc == MSNP_OK)
        rc = append_wrapped(out, " />\r\n<MSG pri=\"", a->pri, true, "\"");
    if (rc == MSNP_OK)
        rc = msnp_buf_appendf(out, " id=\"%" PRIu32 "\">\r\n", a->msg_id);
    if (rc == MSNP_OK)
        rc = append_wrapped(out, "<ACTION url=\"", a->action_url, true, "\" />\r\n");
    if (rc == MSNP_OK)
        rc = append_wrapped(out, "<SUBSCR url=\"", a->subscr_url, true, "\" />\r\n");
    return rc;
}

static int append_body(msnp_buf *out, const msnp_alert *a)
{
    size_t start = out->len;
    int rc = msnp_buf_appendf(out, "<BODY lang=\"%" PRIu32 "\"", a->lang);
    if (rc == MSNP_OK)
        rc = append_wrapped(out, " icon=\"", a->icon, true, "\">\r\n");
    if (rc == MSNP_OK)
        rc = append_wrapped(out, "<TEXT>", a->text, false, "</TEXT>\r\n");
    if (rc == MSNP_OK && a->textx)
        rc = append_wrapped(out, "<TEXTX>", a->textx, false, "</TEXTX>\r\n");
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(out, "</BODY>");
    if (rc == MSNP_OK && out->len - start > MSNP_ALERT_BODY_MAX)
        rc = MSNP_E_TOO_LONG;
    return rc;
}

int msnp_alert_build(msnp_buf *out, const msnp_alert *a)
{
    if (!out || !a || !a->to_name || !a->text)
        return MSNP_E_INVALID_ARG;
    int rc = check_strings(a);
    if (rc != MSNP_OK)
        return rc;
    size_t start = out->len;
    rc = append_head(out, a);
    if (rc == MSNP_OK)
        rc = append_body(out, a);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_str(out, "\r\n</MSG>\r\n</NOTIFICATION>");
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

/* ---- parsing ------------------------------------------------------------- */

/* Every string the parser recovers, numeric attributes included (they are
 * converted at the end). */
enum slot {
    S_VER, S_ID, S_SITEID, S_SITEURL, S_PID, S_TO_NAME, S_TO_EMAIL, S_PRI,
    S_MSG_ID, S_ACTION, S_SUBSCR, S_LANG, S_ICON, S_TEXT, S_TEXTX, S_COUNT
};

enum element {
    E_NOTIFICATION, E_TO, E_MSG, E_ACTION, E_SUBSCR, E_BODY, E_TEXT, E_TEXTX,
    E_COUNT
};

static const char *const element_names[E_COUNT] = {
    "NOTIFICATION", "TO", "MSG", "ACTION", "SUBSCR", "BODY", "TEXT", "TEXTX",
};

static const struct {
    enum element element;
    const char *attr;
    enum slot slot;
} attr_slots[] = {
    { E_NOTIFICATION, "ver", S_VER }, { E_NOTIFICATION, "id", S_ID },
    { E_NOTIFICATION, "siteid", S_SITEID }, { E_NOTIFICATION, "siteurl", S_SITEURL },
    { E_TO, "pid", S_PID }, { E_TO, "name", S_TO_NAME }, { E_TO, "email", S_TO_EMAIL },
    { E_MSG, "pri", S_PRI }, { E_MSG, "id", S_MSG_ID },
    { E_ACTION, "url", S_ACTION }, { E_SUBSCR, "url", S_SUBSCR },
    { E_BODY, "lang", S_LANG }, { E_BODY, "icon", S_ICON },
};

typedef struct scanner {
    const char *p;
    size_t len;
    size_t pos;
    bool seen[E_COUNT];
    bool set[S_COUNT];
    size_t off[S_COUNT];  /* offsets into arena */
    msnp_buf arena;       /* unescaped strings, each NUL-terminated */
} scanner;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* True if s[0..n) equals the NUL-terminated want ignoring ASCII case. */
static bool counted_iequal(const char *s, size_t n, const char *want)
{
    if (strlen(want) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lower(want[i]))
            return false;
    return true;
}

/* Offset of the first case-insensitive occurrence of needle in
 * hay[0..n), or n. */
static size_t find_ci(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (counted_iequal(hay + i, m, needle))
            return i;
    return n;
}

static void skip_spaces(scanner *s)
{
    while (s->pos < s->len && is_space(s->p[s->pos]))
        s->pos++;
}

/* Stores the unescaped value in slot unless it already has one. */
static int store_slot(scanner *s, enum slot slot, const char *v, size_t n)
{
    if (s->set[slot])
        return MSNP_OK;
    size_t at = s->arena.len;
    int rc = msnp_xml_unescape(&s->arena, v, n);
    if (rc == MSNP_OK)
        rc = msnp_buf_append_char(&s->arena, '\0');
    if (rc != MSNP_OK)
        return rc;
    s->set[slot] = true;
    s->off[slot] = at;
    return MSNP_OK;
}

/* Counted token at s->pos up to a space, '=', '/' or '>'. */
static size_t scan_name(scanner *s)
{
    size_t start = s->pos;
    while (s->pos < s->len && !is_space(s->p[s->pos]) && s->p[s->pos] != '=' &&
           s->p[s->pos] != '/' && s->p[s->pos] != '>')
        s->pos++;
    return s->pos - start;
}

/* Reads an attribute value after '=' (quoted with either quote, or bare). */
static void scan_value(scanner *s, const char **v, size_t *n)
{
    char q = s->pos < s->len ? s->p[s->pos] : '\0';
    if (q == '"' || q == '\'') {
        const char *end = memchr(s->p + s->pos + 1, q, s->len - s->pos - 1);
        size_t stop = end ? (size_t)(end - s->p) : s->len;
        *v = s->p + s->pos + 1;
        *n = stop - s->pos - 1;
        s->pos = end ? stop + 1 : s->len;
        return;
    }
    size_t start = s->pos;
    while (s->pos < s->len && !is_space(s->p[s->pos]) && s->p[s->pos] != '>')
        s->pos++;
    *v = s->p + start;
    *n = s->pos - start;
}

static int take_attribute(scanner *s, int element, const char *name, size_t nlen,
                          const char *v, size_t vlen)
{
    for (size_t i = 0; element >= 0 && i < sizeof attr_slots / sizeof attr_slots[0]; i++)
        if ((int)attr_slots[i].element == element &&
            counted_iequal(name, nlen, attr_slots[i].attr))
            return store_slot(s, attr_slots[i].slot, v, vlen);
    return MSNP_OK;
}

/* Reads the attributes of a start tag up to and including '>'. element is
 * the element to record them for, or -1. Sets *empty for "/>". */
static int scan_attributes(scanner *s, int element, bool *empty)
{
    *empty = false;
    while (s->pos < s->len) {
        skip_spaces(s);
        if (s->pos >= s->len)
            break;
        char c = s->p[s->pos];
        if (c == '>') {
            s->pos++;
            return MSNP_OK;
        }
        if (c == '/' || c == '=') {
            *empty = c == '/';
            s->pos++;
            continue;
        }
        *empty = false;
        const char *name = s->p + s->pos;
        size_t nlen = scan_name(s);
        skip_spaces(s);
        if (s->pos >= s->len || s->p[s->pos] != '=')
            continue;                 /* attribute without a value */
        s->pos++;
        skip_spaces(s);
        const char *v;
        size_t vlen;
        scan_value(s, &v, &vlen);
        int rc = take_attribute(s, element, name, nlen, v, vlen);
        if (rc != MSNP_OK)
            return rc;
    }
    return MSNP_OK;
}

/* Records the content of TEXT / TEXTX up to its closing tag. */
static int scan_text_content(scanner *s, enum element e)
{
    const char *close = e == E_TEXT ? "</TEXT>" : "</TEXTX>";
    size_t rest = s->len - s->pos;
    size_t at = find_ci(s->p + s->pos, rest, close);
    int rc = store_slot(s, e == E_TEXT ? S_TEXT : S_TEXTX, s->p + s->pos, at);
    s->pos += at < rest ? at + strlen(close) : rest;
    return rc;
}

/* Skips a comment, declaration, processing instruction or end tag whose
 * '<' is at s->pos - 1. */
static void skip_markup(scanner *s)
{
    const char *p = s->p + s->pos;
    size_t rest = s->len - s->pos;
    size_t end;
    if (rest >= 3 && memcmp(p, "!--", 3) == 0) {
        end = find_ci(p + 3, rest - 3, "-->");
        s->pos += end < rest - 3 ? 3 + end + 3 : rest;
        return;
    }
    const char *gt = memchr(p, '>', rest);
    s->pos = gt ? (size_t)(gt - s->p) + 1 : s->len;
}

static int element_index(const char *name, size_t n)
{
    for (int i = 0; i < E_COUNT; i++)
        if (counted_iequal(name, n, element_names[i]))
            return i;
    return -1;
}

/* Handles the tag whose '<' is at s->pos - 1. */
static int scan_tag(scanner *s)
{
    if (s->pos >= s->len)
        return MSNP_OK;
    char c = s->p[s->pos];
    if (c == '/' || c == '!' || c == '?') {
        skip_markup(s);
        return MSNP_OK;
    }
    const char *name = s->p + s->pos;
    int e = element_index(name, scan_name(s));
    bool first = e >= 0 && !s->seen[e];
    if (first)
        s->seen[e] = true;
    bool empty;
    int rc = scan_attributes(s, first ? e : -1, &empty);
    if (rc != MSNP_OK || !first)
        return rc;
    if (e == E_TEXT || e == E_TEXTX)
        rc = empty ? store_slot(s, e == E_TEXT ? S_TEXT : S_TEXTX, "", 0)
                   : scan_text_content(s, (enum element)e);
    return rc;
}

static int scan_document(scanner *s)
{
    while (s->pos < s->len) {
        const char *lt = memchr(s->p + s->pos, '<', s->len - s->pos);
        if (!lt)
            break;
        s->pos = (size_t)(lt - s->p) + 1;
        int rc = scan_tag(s);
        if (rc != MSNP_OK)
            return rc;
    }
    return MSNP_OK;
}

/* ---- converting the slots ------------------------------------------------ */

static int slot_u32(const scanner *s, enum slot slot, const char *arena, uint32_t *out)
{
    uint64_t v;
    *out = 0;
    if (!s->set[slot] || arena[s->off[slot]] == '\0')
        return MSNP_OK;
    if (msnp_mime_value_u64(arena + s->off[slot], UINT32_MAX, &v) != MSNP_OK)
        return MSNP_E_BAD_VALUE;
    *out = (uint32_t)v;
    return MSNP_OK;
}

/* One "0x" + 1-8 hex digits half of a pid; advances *p. */
static int pid_half(const char **p, uint32_t *out)
{
    const char *q = *p;
    uint32_t v = 0;
    size_t n = 0;
    if (q[0] != '0' || (q[1] != 'x' && q[1] != 'X'))
        return MSNP_E_BAD_VALUE;
    for (q += 2; n < 9; q++, n++) {
        char c = lower(*q);
        if (c >= '0' && c <= '9')
            v = v << 4 | (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = v << 4 | (uint32_t)(c - 'a' + 10);
        else
            break;
    }
    if (n == 0 || n > 8)
        return MSNP_E_BAD_VALUE;
    *out = v;
    *p = q;
    return MSNP_OK;
}

static int slot_pid(const scanner *s, const char *arena, msnp_alert *a)
{
    if (!s->set[S_PID] || arena[s->off[S_PID]] == '\0')
        return MSNP_OK;
    const char *p = arena + s->off[S_PID];
    if (pid_half(&p, &a->pid_high) != MSNP_OK || *p++ != ':' ||
        pid_half(&p, &a->pid_low) != MSNP_OK || *p != '\0')
        return MSNP_E_BAD_VALUE;
    return MSNP_OK;
}

static int convert_numbers(const scanner *s, const char *arena, msnp_alert *a)
{
    int rc = slot_u32(s, S_VER, arena, &a->ver);
    if (rc == MSNP_OK)
        rc = slot_u32(s, S_ID, arena, &a->id);
    if (rc == MSNP_OK)
        rc = slot_u32(s, S_SITEID, arena, &a->site_id);
    if (rc == MSNP_OK)
        rc = slot_u32(s, S_MSG_ID, arena, &a->msg_id);
    if (rc == MSNP_OK)
        rc = slot_u32(s, S_LANG, arena, &a->lang);
    if (rc == MSNP_OK)
        rc = slot_pid(s, arena, a);
    return rc;
}

static const char *slot_str(const scanner *s, enum slot slot, const char *arena)
{
    return s->set[slot] ? arena + s->off[slot] : NULL;
}

static void assign_strings(const scanner *s, const char *arena, msnp_alert *a)
{
    a->site_url = slot_str(s, S_SITEURL, arena);
    a->to_name = slot_str(s, S_TO_NAME, arena);
    a->to_email = slot_str(s, S_TO_EMAIL, arena);
    a->pri = slot_str(s, S_PRI, arena);
    a->action_url = slot_str(s, S_ACTION, arena);
    a->subscr_url = slot_str(s, S_SUBSCR, arena);
    a->icon = slot_str(s, S_ICON, arena);
    a->text = slot_str(s, S_TEXT, arena);
    a->textx = slot_str(s, S_TEXTX, arena);
}

int msnp_alert_parse(const void *payload, size_t len, msnp_alert *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!payload && len)
        return MSNP_E_INVALID_ARG;

    scanner s;
    memset(&s, 0, sizeof s);
    s.p = payload;
    s.len = len;
    msnp_buf_init(&s.arena);

    int rc = scan_document(&s);
    if (rc == MSNP_OK && (!s.seen[E_NOTIFICATION] || !s.set[S_TEXT]))
        rc = MSNP_E_MISSING_FIELD;
    if (rc == MSNP_OK)
        rc = convert_numbers(&s, s.arena.data, out);
    if (rc == MSNP_OK) {
        out->storage_ = msnp_buf_detach(&s.arena, NULL);
        if (!out->storage_)
            rc = MSNP_E_NOMEM;
        else
            assign_strings(&s, out->storage_, out);
    }
    msnp_buf_free(&s.arena);
    if (rc != MSNP_OK)
        msnp_alert_free(out);
    return rc;
}

void msnp_alert_free(msnp_alert *a)
{
    if (!a)
        return;
    free(a->storage_);
    memset(a, 0, sizeof *a);
}
