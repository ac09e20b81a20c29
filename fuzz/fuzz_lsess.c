/*
 * fuzz_lsess.c - the Session Invite lines of local server mode
 * (msnp_lsess.h) as an attached program receives them: the input goes
 * through a client's stream parser, and every SGL, SST or SEV it yields
 * is handed to the parsers. The input is also taken as one text token.
 *
 * Properties checked:
 *  - a parsed snapshot or event holds bounded, NUL-free UTF-8 text and
 *    values in range;
 *  - writing a parsed snapshot or event and parsing the result again
 *    gives the same values (the writers accept whatever the parsers do);
 *  - a decoded text token encodes and decodes back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_lsess.h"
#include "msnp_parser.h"
#include "msnp_status.h"
#include "msnp_url.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_text(const char *s, size_t max)
{
    check(s != NULL);
    size_t n = strlen(s);
    check(n <= max && msnp_utf8_valid(s, n));
}

/* Parses the first line of buf with a fresh client-side parser. */
static int reparse(const msnp_buf *b, msnp_parser **p, msnp_cmd *cmd)
{
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_SERVER;
    *p = msnp_parser_new(&cfg);
    check(*p != NULL);
    check(msnp_parser_feed(*p, b->data, b->len) == MSNP_OK);
    return msnp_parser_next(*p, cmd);
}

static void same_snapshot(const msnp_lsess_snapshot *a, const msnp_lsess_snapshot *b)
{
    check(!strcmp(a->session_id, b->session_id) && !strcmp(a->app_guid, b->app_guid));
    check(a->state == b->state && a->flags == b->flags && a->has_context == b->has_context);
    check(!strcmp(a->user, b->user) && !strcmp(a->app_name, b->app_name));
    check(!strcmp(a->app_url, b->app_url) && !strcmp(a->context, b->context));
    check(!strcmp(a->local_addr, b->local_addr) && !strcmp(a->remote_addr, b->remote_addr));
}

static void snapshot(const msnp_cmd *cmd)
{
    msnp_lsess_snapshot s, again;
    if (cmd->nparams < 1 ||
        msnp_lsess_parse_snapshot(cmd->params + 1, cmd->nparams - 1, &s) != MSNP_OK)
        return;
    check(s.state >= 1 && s.state <= 7 && s.flags <= 7);
    check_text(s.user, MSNP_LSESS_USER_MAX);
    check_text(s.app_name, MSNP_LSESS_NAME_MAX);
    check_text(s.app_url, MSNP_LSESS_NAME_MAX);
    check_text(s.context, MSNP_LSESS_DATA_MAX);
    check_text(s.local_addr, MSNP_LSESS_ADDR_MAX);
    check_text(s.remote_addr, MSNP_LSESS_ADDR_MAX);
    msnp_buf b = MSNP_BUF_INIT;
    check(msnp_lsess_write_snapshot(&b, 9, &s) == MSNP_OK);
    msnp_parser *p;
    msnp_cmd c2;
    check(reparse(&b, &p, &c2) == 1 && c2.nparams >= 1);
    check(msnp_lsess_parse_snapshot(c2.params + 1, c2.nparams - 1, &again) == MSNP_OK);
    same_snapshot(&s, &again);
    msnp_lsess_snapshot_free(&again);
    msnp_parser_free(p);
    msnp_buf_free(&b);
    msnp_lsess_snapshot_free(&s);
}

static void event(const msnp_cmd *cmd)
{
    msnp_lsess_event e, again;
    if (msnp_lsess_parse_event(cmd->code, cmd->params, cmd->nparams, &e) != MSNP_OK)
        return;
    msnp_buf b = MSNP_BUF_INIT;
    if (e.dispid == 103) {
        check(e.state >= 1 && e.state <= 7 && e.prev <= 7 && e.text == NULL);
        check(msnp_lsess_write_state(&b, e.session_id, e.state, e.prev) == MSNP_OK);
    } else {
        check_text(e.text, MSNP_LSESS_DATA_MAX);
        check(msnp_lsess_write_event(&b, e.session_id, e.dispid, e.hr, e.text) == MSNP_OK);
    }
    msnp_parser *p;
    msnp_cmd c2;
    check(reparse(&b, &p, &c2) == 1);
    check(msnp_lsess_parse_event(c2.code, c2.params, c2.nparams, &again) == MSNP_OK);
    check(!strcmp(e.session_id, again.session_id) && e.dispid == again.dispid);
    check(e.state == again.state && e.prev == again.prev && e.hr == again.hr);
    check((!e.text && !again.text) || (e.text && again.text && !strcmp(e.text, again.text)));
    msnp_lsess_event_free(&again);
    msnp_parser_free(p);
    msnp_buf_free(&b);
    msnp_lsess_event_free(&e);
}

static void token(const uint8_t *data, size_t size)
{
    char buf[4096], *s = NULL;
    if (size >= sizeof buf)
        return;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (msnp_lsess_text_decode(buf, MSNP_LSESS_DATA_MAX, &s) != MSNP_OK) {
        check(s == NULL);
        return;
    }
    check_text(s, MSNP_LSESS_DATA_MAX);
    msnp_buf b = MSNP_BUF_INIT;
    char *back = NULL;
    check(msnp_lsess_text_encode(&b, s) == MSNP_OK);
    check(msnp_lsess_text_decode(b.data, MSNP_LSESS_DATA_MAX, &back) == MSNP_OK);
    check(!strcmp(back, s));
    free(back);
    msnp_buf_free(&b);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_SERVER;
    msnp_parser *p = msnp_parser_new(&cfg);
    msnp_cmd cmd;
    if (!p)
        return 0;
    if (msnp_parser_feed(p, data, size) == MSNP_OK) {
        while (msnp_parser_next(p, &cmd) == 1) {
            if (!strcmp(cmd.code, "SGL"))
                snapshot(&cmd);
            else
                event(&cmd);
        }
    }
    msnp_parser_free(p);
    token(data, size);
    return 0;
}
