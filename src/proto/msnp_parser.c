/*
 * msnp_parser.c - incremental MSNP stream parser (see msnp_parser.h).
 *
 * Every unparsed byte lives in one buffer, buf[start..end). A command is
 * taken out in two steps:
 *
 *   1. its line: find the LF (only within the first max_line bytes, and
 *      never looking twice at bytes already known to hold none), check the
 *      bytes, split the line in place (separators become NULs) and decide
 *      code, TrID and payload length;
 *   2. its payload, if any: wait until line + payload are both buffered.
 *
 * Between the two steps the parsed line is remembered as offsets from
 * start, which stay right when the buffer is compacted or reallocated, so a
 * payload trickling in one byte at a time costs O(1) per call instead of a
 * re-parse of the line. The returned msnp_cmd points straight into the
 * buffer: nothing is copied, and the bytes stay put until the next feed()
 * (which may compact) or next() (which may reuse them).
 */
#include "msnp_parser.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_LINE 8192
#define DEFAULT_MAX_PAYLOAD 65536
#define DEFAULT_MAX_PARAMS 64
#define DEFAULT_BUFFER_SLACK 65536 /* room to accept input while a command waits */
#define INITIAL_CAPACITY 4096

typedef enum parser_state {
    WANT_LINE = 0, /* looking for the LF that ends the next line */
    WANT_BODY,     /* line parsed; waiting for line + payload to be buffered */
} parser_state;

/* What step 1 learned about the command at buf[start]. */
typedef struct parsed_line {
    char code[4];
    int error_code;
    bool has_trid;
    uint32_t trid;
    bool bad_trid;       /* client TrID slot held a non-number: MSNP_E_BAD_TRID */
    bool has_payload;
    size_t line_len;     /* bytes of the line including its terminator */
    size_t payload_len;
    size_t ntok;         /* tokens after the code, TrID included */
    size_t first_param;  /* index of the first token handed out as a param */
} parsed_line;

struct msnp_parser {
    msnp_direction dir;
    size_t max_line;
    size_t max_payload;
    size_t max_params;
    size_t max_buffer;

    unsigned char *buf; /* owned; NULL until the first feed */
    size_t cap;
    size_t start;       /* first unconsumed byte */
    size_t end;         /* one past the last byte held */

    int error;          /* sticky status; MSNP_OK while the stream is sane */
    parser_state state;
    size_t scanned;     /* WANT_LINE: bytes after start known to hold no LF */
    parsed_line cur;    /* WANT_BODY: the line at start */

    size_t max_tokens;  /* capacity of tok_off and argv */
    size_t *tok_off;    /* token offsets from start (owned) */
    const char **argv;  /* params handed out through msnp_cmd (owned) */
};

/* ---- command codes ---------------------------------------------------- */

static bool is_code(const char *code, const char *name)
{
    return memcmp(code, name, 4) == 0;
}

bool msnp_code_has_payload(const char *code, msnp_direction dir)
{
    if (code == NULL)
        return false;
    switch (dir) {
    case MSNP_FROM_CLIENT:
        return strcmp(code, "MSG") == 0 || strcmp(code, "QRY") == 0 ||
               strcmp(code, "PAG") == 0 || strcmp(code, "PGD") == 0;
    case MSNP_FROM_SERVER:
        return strcmp(code, "MSG") == 0 || strcmp(code, "NOT") == 0 ||
               strcmp(code, "IPG") == 0;
    }
    return false;
}

/* Client requests all carry a TrID except the keep-alive and the goodbye
 * (msnp.md 1.3). */
static bool client_code_has_trid(const char *code)
{
    return !is_code(code, "PNG") && !is_code(code, "OUT");
}

/* Server codes with a TrID slot (msnp.md 12, column TrID "Y" or "0"). */
static bool server_code_has_trid_slot(const char *code)
{
    static const char slots[][4] = {
        "VER", "CVR", "USR", "XFR", "SYN", "GTC", "BLP", "PRP", "ADD",
        "REM", "ADG", "RMG", "REG", "REA", "CHG", "CHL", "QRY", "URL",
        "SND", "ILN", "LST", "LSG", "CAL", "ANS", "IRO", "ACK", "NAK",
        /* msgrd's Lock and Key extension (docs/protocol.md) */
        "LKS", "LKC", "LKR",
    };
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (is_code(code, slots[i]))
            return true;
    return false;
}

/* Whether a server line's first token is its TrID, judged by shape. The
 * lines of a SYN dump (msnp.md 3.2) reuse codes that normally carry one:
 * "GTC A", "BLP AL", "LSG 0 name 0" and the TrID-less "CHL challenge" are
 * told apart by their token count; "PRP PHH ..." and "LST handle ..." by
 * their first token not being a number, which the caller checks. */
static bool server_line_has_trid(const parsed_line *l)
{
    if (l->error_code != 0)
        return true;
    if (!server_code_has_trid_slot(l->code))
        return false;
    if ((is_code(l->code, "GTC") || is_code(l->code, "BLP") ||
         is_code(l->code, "CHL")) && l->ntok == 1)
        return false;
    if (is_code(l->code, "LSG") && l->ntok == 3)
        return false;
    return true;
}

/* ---- numbers ---------------------------------------------------------- */

int msnp_parse_u32(const char *s, uint32_t *out)
{
    uint32_t v = 0;

    if (s == NULL || *s == '\0')
        return MSNP_E_BAD_VALUE;
    if (s[0] == '0' && s[1] != '\0')
        return MSNP_E_BAD_VALUE; /* leading zero */
    for (; *s != '\0'; s++) {
        unsigned d = (unsigned)(unsigned char)*s - '0';
        if (d > 9)
            return MSNP_E_BAD_VALUE;
        if (v > (UINT32_MAX - d) / 10)
            return MSNP_E_BAD_VALUE; /* would exceed 4294967295 */
        v = v * 10 + d;
    }
    if (out != NULL)
        *out = v;
    return MSNP_OK;
}

/* ---- construction ----------------------------------------------------- */

static size_t add_saturated(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static void resolve_config(msnp_parser *p, const msnp_parser_config *cfg)
{
    size_t must_fit;

    p->dir = cfg ? cfg->direction : MSNP_FROM_CLIENT;
    p->max_line = cfg && cfg->max_line ? cfg->max_line : DEFAULT_MAX_LINE;
    p->max_payload = cfg && cfg->max_payload ? cfg->max_payload : DEFAULT_MAX_PAYLOAD;
    p->max_params = cfg && cfg->max_params ? cfg->max_params : DEFAULT_MAX_PARAMS;

    /* One maximal command must fit, or the stream could stall forever with
     * a full buffer and nothing to return. */
    must_fit = add_saturated(p->max_line, p->max_payload);
    if (cfg && cfg->max_buffer)
        p->max_buffer = cfg->max_buffer < must_fit ? must_fit : cfg->max_buffer;
    else
        p->max_buffer = add_saturated(must_fit, DEFAULT_BUFFER_SLACK);

    /* A line of max_line bytes holds at most max_line / 2 tokens after the
     * code, so a huge max_params need not cost memory. */
    if (p->max_params >= p->max_line / 2)
        p->max_tokens = p->max_line / 2 + 1;
    else
        p->max_tokens = p->max_params + 1; /* + 1: the TrID */
}

msnp_parser *msnp_parser_new(const msnp_parser_config *cfg)
{
    msnp_parser *p;

    if (cfg && cfg->direction != MSNP_FROM_CLIENT && cfg->direction != MSNP_FROM_SERVER)
        return NULL;
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    resolve_config(p, cfg);
    return p;
}

void msnp_parser_free(msnp_parser *p)
{
    if (p == NULL)
        return;
    free(p->buf);
    free(p->tok_off);
    free(p->argv);
    free(p);
}

size_t msnp_parser_pending(const msnp_parser *p)
{
    return p ? p->end - p->start : 0;
}

/* The token arrays live only while input is held: an idle parser (after
 * msnp_parser_trim) owns nothing but its struct. */
static int ensure_tokens(msnp_parser *p)
{
    if (p->tok_off)
        return MSNP_OK;
    p->tok_off = calloc(p->max_tokens, sizeof *p->tok_off);
    p->argv = calloc(p->max_tokens, sizeof *p->argv);
    if (p->tok_off == NULL || p->argv == NULL) {
        free(p->tok_off);
        free(p->argv);
        p->tok_off = NULL;
        p->argv = NULL;
        return MSNP_E_NOMEM;
    }
    return MSNP_OK;
}

void msnp_parser_trim(msnp_parser *p)
{
    if (p == NULL || p->end != p->start)
        return;
    free(p->tok_off);
    free(p->argv);
    p->tok_off = NULL;
    p->argv = NULL;
    free(p->buf);
    p->buf = NULL;
    p->cap = 0;
    p->start = p->end = 0;
    p->scanned = 0;
}

/* ---- input buffer ----------------------------------------------------- */

/* Slides the unconsumed bytes to the front. Everything the parser
 * remembers is relative to start, so only start and end change. */
static void compact(msnp_parser *p)
{
    size_t held = p->end - p->start;

    if (held > 0)
        memmove(p->buf, p->buf + p->start, held);
    p->start = 0;
    p->end = held;
}

/* Makes room for len more bytes after end. The caller has checked that
 * held + len <= max_buffer, so growing up to max_buffer always suffices. */
static int make_room(msnp_parser *p, size_t len)
{
    size_t newcap;
    unsigned char *nb;

    if (p->cap - p->end >= len)
        return MSNP_OK;
    if (p->start > 0) {
        compact(p);
        if (p->cap - p->end >= len)
            return MSNP_OK;
    }
    newcap = p->cap ? p->cap : INITIAL_CAPACITY;
    while (newcap - p->end < len && newcap < p->max_buffer)
        newcap = newcap > p->max_buffer / 2 ? p->max_buffer : newcap * 2;
    if (newcap > p->max_buffer)
        newcap = p->max_buffer;
    nb = realloc(p->buf, newcap);
    if (nb == NULL)
        return MSNP_E_NOMEM;
    p->buf = nb;
    p->cap = newcap;
    return MSNP_OK;
}

int msnp_parser_feed(msnp_parser *p, const void *data, size_t len)
{
    int rc;

    if (p == NULL)
        return MSNP_E_INVALID_ARG;
    if (p->error != MSNP_OK)
        return p->error;
    if (len == 0)
        return MSNP_OK;
    if (data == NULL)
        return MSNP_E_INVALID_ARG;
    if (len > p->max_buffer - (p->end - p->start))
        return MSNP_E_BUFFER_FULL;
    rc = ensure_tokens(p);
    if (rc < 0)
        return rc;
    rc = make_room(p, len);
    if (rc < 0)
        return rc;
    memcpy(p->buf + p->end, data, len);
    p->end += len;
    return MSNP_OK;
}

/* ---- step 1: the command line ----------------------------------------- */

/* Looks for the LF ending the line at start. Returns 1 and the line length
 * (terminator included) when found, 0 when more input is needed, or
 * MSNP_E_LINE_TOO_LONG once max_line bytes are held without an LF: the
 * line can then only end beyond the limit, so waiting is pointless. */
static int find_line(msnp_parser *p, size_t *line_len)
{
    size_t held = p->end - p->start;
    size_t window = held < p->max_line ? held : p->max_line;

    if (p->scanned < window) {
        const unsigned char *base = p->buf + p->start;
        const unsigned char *lf = memchr(base + p->scanned, '\n', window - p->scanned);
        if (lf != NULL) {
            *line_len = (size_t)(lf - base) + 1;
            return 1;
        }
        p->scanned = window;
    }
    return held >= p->max_line ? MSNP_E_LINE_TOO_LONG : 0;
}

/* Lines are 7-bit text; a CR other than the one before the LF, a NUL, a
 * TAB or any other control byte means the peer is not speaking MSNP (or is
 * trying to smuggle something past a logger). Bytes >= 0x80 are let
 * through: they are a URL-encoding matter for the layer that decodes the
 * parameter. */
static int check_line_bytes(const unsigned char *line, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (line[i] < 0x20 || line[i] == 0x7F)
            return MSNP_E_SYNTAX;
    return MSNP_OK;
}

static bool all_upper(const unsigned char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

static bool all_digits(const unsigned char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
           s[2] >= '0' && s[2] <= '9';
}

/* The code is exactly three upper-case letters, or three digits for an
 * error reply (100..999: a leading zero is no MSNP error code). */
static int parse_code(const unsigned char *line, size_t n, parsed_line *l)
{
    if (n < 3 || (n > 3 && line[3] != ' '))
        return MSNP_E_SYNTAX;
    if (all_upper(line)) {
        l->error_code = 0;
    } else if (all_digits(line) && line[0] != '0') {
        l->error_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    } else {
        return MSNP_E_SYNTAX;
    }
    memcpy(l->code, line, 3);
    l->code[3] = '\0';
    return MSNP_OK;
}

/* Splits line[3..n) on runs of spaces, NUL-terminating each token in
 * place (line[n] is already NUL). Fails as soon as there are more tokens
 * than the TrID plus max_params could account for. */
static int tokenize(msnp_parser *p, unsigned char *line, size_t n)
{
    size_t ntok = 0;
    size_t i = 3;

    while (i < n) {
        if (line[i] == ' ') {
            line[i++] = '\0';
            continue;
        }
        if (ntok == p->max_tokens)
            return MSNP_E_TOO_MANY_PARAMS;
        p->tok_off[ntok++] = i;
        while (i < n && line[i] != ' ')
            i++;
    }
    p->cur.ntok = ntok;
    return MSNP_OK;
}

static const char *token(const msnp_parser *p, size_t i)
{
    return (const char *)(p->buf + p->start + p->tok_off[i]);
}

/* Decides whether the first token is the TrID (msnp.md 1.3, 1.4, 12). */
static void decide_trid(msnp_parser *p)
{
    parsed_line *l = &p->cur;

    l->has_trid = false;
    l->bad_trid = false;
    l->first_param = 0;
    if (l->ntok == 0)
        return; /* missing TrID: the server answers, the parser does not care */

    if (p->dir == MSNP_FROM_CLIENT) {
        if (!client_code_has_trid(l->code))
            return;
        /* "MSG 141": the lone token is the length, which must stay the last
         * param; the TrID counts as missing. */
        if (l->has_payload && l->ntok == 1)
            return;
        if (msnp_parse_u32(token(p, 0), &l->trid) == MSNP_OK) {
            l->has_trid = true;
            l->first_param = 1;
        } else {
            l->bad_trid = true; /* token kept as params[0] for the caller's log */
        }
        return;
    }

    if (server_line_has_trid(l) && msnp_parse_u32(token(p, 0), &l->trid) == MSNP_OK) {
        l->has_trid = true;
        l->first_param = 1;
    }
}

/* Params excluding the TrID slot: a client's bad TrID still occupies it. */
static int check_param_count(const msnp_parser *p)
{
    const parsed_line *l = &p->cur;
    size_t nparams = l->ntok - (l->has_trid || l->bad_trid ? 1 : 0);

    return nparams > p->max_params ? MSNP_E_TOO_MANY_PARAMS : MSNP_OK;
}

/* The length is the last token (msnp.md 1.5). It is judged before the
 * payload arrives so an absurd one is refused without buffering it. */
static int decide_payload_length(msnp_parser *p)
{
    parsed_line *l = &p->cur;
    uint32_t len;

    l->payload_len = 0;
    if (!l->has_payload)
        return MSNP_OK;
    if (l->ntok == 0)
        return MSNP_E_BAD_LENGTH;
    if (msnp_parse_u32(token(p, l->ntok - 1), &len) != MSNP_OK)
        return MSNP_E_BAD_LENGTH;
    if (len > p->max_payload)
        return MSNP_E_PAYLOAD_TOO_LARGE;
    l->payload_len = len;
    return MSNP_OK;
}

/* Parses the line_len-byte line at start into p->cur. The line is
 * modified in place (separators and terminator become NULs). */
static int parse_line(msnp_parser *p, size_t line_len)
{
    unsigned char *line = p->buf + p->start;
    size_t n = line_len - 1; /* without the LF */
    int rc;

    if (n > 0 && line[n - 1] == '\r')
        n--;
    if ((rc = check_line_bytes(line, n)) < 0)
        return rc;
    if ((rc = parse_code(line, n, &p->cur)) < 0)
        return rc;
    line[n] = '\0';
    if ((rc = tokenize(p, line, n)) < 0)
        return rc;
    p->cur.line_len = line_len;
    p->cur.has_payload = msnp_code_has_payload(p->cur.code, p->dir);
    decide_trid(p);
    if ((rc = check_param_count(p)) < 0)
        return rc;
    return decide_payload_length(p);
}

/* ---- step 2: hand the command out ------------------------------------- */

static void fill_cmd(msnp_parser *p, msnp_cmd *cmd)
{
    const parsed_line *l = &p->cur;
    const unsigned char *base = p->buf + p->start;
    size_t np = l->ntok - l->first_param;

    for (size_t i = 0; i < np; i++)
        p->argv[i] = token(p, l->first_param + i);
    memcpy(cmd->code, l->code, sizeof cmd->code);
    cmd->error_code = l->error_code;
    cmd->has_trid = l->has_trid;
    cmd->trid = l->has_trid ? l->trid : 0;
    cmd->nparams = np;
    cmd->params = p->argv;
    cmd->has_payload = l->has_payload;
    cmd->payload = l->has_payload ? base + l->line_len : NULL;
    cmd->payload_len = l->payload_len;
}

static int fail(msnp_parser *p, int status)
{
    p->error = status;
    return status;
}

int msnp_parser_next(msnp_parser *p, msnp_cmd *cmd)
{
    size_t total;
    int rc;

    if (p == NULL || cmd == NULL)
        return MSNP_E_INVALID_ARG;
    if (p->error != MSNP_OK)
        return p->error;

    if (p->state == WANT_LINE) {
        size_t line_len;
        rc = find_line(p, &line_len);
        if (rc <= 0)
            return rc < 0 ? fail(p, rc) : 0;
        if ((rc = parse_line(p, line_len)) < 0)
            return fail(p, rc);
        p->state = WANT_BODY;
        p->scanned = 0;
    }

    total = p->cur.line_len + p->cur.payload_len;
    if (p->end - p->start < total)
        return 0;
    fill_cmd(p, cmd);
    p->start += total;
    p->state = WANT_LINE;
    if (p->start == p->end)
        p->start = p->end = 0; /* free rewind; the bytes handed out stay put */
    return p->cur.bad_trid ? MSNP_E_BAD_TRID : 1;
}
