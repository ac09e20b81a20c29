/*
 * fuzz_mime.c - MIME payload parsing (msnp_mime.h) and the typed message
 * parsers built on it (msnp_msgbody.h, msnp_alert.h).
 *
 * Properties checked:
 *  - parse(x) ok => build succeeds and parse(build) has the same headers,
 *    in order, and the same body; build(parse(build)) == build;
 *  - the same for field blocks;
 *  - a parsed text message rebuilds to the same text (when it holds no CR,
 *    whose CR LF pairing is normalised) and the same format;
 *  - the typed parsers and the alert parser never crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_alert.h"
#include "msnp_mime.h"
#include "msnp_msgbody.h"
#include "msnp_status.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_same_mime(const msnp_mime *a, const msnp_mime *b, int with_body)
{
    check(a->nheaders == b->nheaders);
    for (size_t i = 0; i < a->nheaders; i++) {
        check(strcmp(a->headers[i].name, b->headers[i].name) == 0);
        check(strcmp(a->headers[i].value, b->headers[i].value) == 0);
    }
    if (with_body) {
        check(a->body_len == b->body_len);
        check(a->body_len == 0 || memcmp(a->body, b->body, a->body_len) == 0);
    }
}

static void fuzz_message(const uint8_t *data, size_t size)
{
    msnp_mime m, again;
    msnp_buf b = MSNP_BUF_INIT, b2 = MSNP_BUF_INIT;
    if (msnp_mime_parse(data, size, &m) != MSNP_OK)
        return;
    check(msnp_mime_build(&m, &b) == MSNP_OK);
    check(msnp_mime_parse(b.data, b.len, &again) == MSNP_OK);
    check_same_mime(&m, &again, 1);
    check(msnp_mime_build(&again, &b2) == MSNP_OK);
    check(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);

    msnp_content_type ct;
    (void)msnp_mime_content_type(&m, &ct);
    (void)msnp_msg_kind_of(&m);
    msnp_mime_free(&again);
    msnp_mime_free(&m);
    msnp_buf_free(&b);
    msnp_buf_free(&b2);
}

static void fuzz_fields(const uint8_t *data, size_t size)
{
    msnp_mime m, again;
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_mime_parse_fields(data, size, &m) != MSNP_OK)
        return;
    for (size_t i = 0; i < m.nheaders; i++)
        check(msnp_mime_append_header(&b, m.headers[i].name, m.headers[i].value) == MSNP_OK);
    check(msnp_mime_parse_fields(b.data, b.len, &again) == MSNP_OK);
    check_same_mime(&m, &again, 0);
    msnp_mime_free(&again);
    msnp_mime_free(&m);
    msnp_buf_free(&b);
}

static void fuzz_text(const uint8_t *data, size_t size)
{
    msnp_text_msg t, t2;
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_text_parse(data, size, &t) != MSNP_OK)
        return;
    check(msnp_text_build(&b, t.text, t.len, t.has_format ? &t.format : NULL) == MSNP_OK);
    check(msnp_text_parse(b.data, b.len, &t2) == MSNP_OK);
    if (!memchr(t.text, '\r', t.len))
        check(t.len == t2.len && memcmp(t.text, t2.text, t.len) == 0);
    check(t.has_format == t2.has_format);
    if (t.has_format) {
        check(strcmp(t.format.font, t2.format.font) == 0);
        check(t.format.effects == t2.format.effects && t.format.color == t2.format.color);
        check(t.format.charset == t2.format.charset && t.format.rtl == t2.format.rtl);
        check(t.format.pitch_family == t2.format.pitch_family);
    }
    msnp_text_msg_free(&t);
    msnp_text_msg_free(&t2);
    msnp_buf_free(&b);
}

/* Typed parsers: a parsed struct must rebuild without error. */
static void fuzz_typed(const uint8_t *data, size_t size)
{
    msnp_buf b = MSNP_BUF_INIT;
    char *user = NULL;
    if (msnp_typing_parse(data, size, &user) == MSNP_OK)
        check(msnp_typing_build(&b, user) == MSNP_OK);
    free(user);

    msnp_profile p;
    if (msnp_profile_parse(data, size, &p) == MSNP_OK)
        check(msnp_profile_build(&b, &p) == MSNP_OK);
    msnp_profile_free(&p);

    msnp_initial_email ie;
    if (msnp_initial_email_parse(data, size, &ie) == MSNP_OK)
        check(msnp_initial_email_build(&b, &ie) == MSNP_OK);
    msnp_initial_email_free(&ie);

    msnp_email e;
    if (msnp_email_parse(data, size, &e) == MSNP_OK)
        check(msnp_email_build(&b, &e) == MSNP_OK);
    msnp_email_free(&e);

    msnp_active_email ae;
    if (msnp_active_email_parse(data, size, &ae) == MSNP_OK)
        check(msnp_active_email_build(&b, &ae) == MSNP_OK);
    msnp_active_email_free(&ae);

    msnp_system_msg s;
    if (msnp_system_parse(data, size, &s) == MSNP_OK)
        check(msnp_system_build(&b, &s) == MSNP_OK);

    msnp_alert a;
    if (msnp_alert_parse(data, size, &a) == MSNP_OK)
        check(a.text != NULL);
    msnp_alert_free(&a);
    msnp_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_message(data, size);
    fuzz_fields(data, size);
    fuzz_text(data, size);
    fuzz_typed(data, size);
    (void)msnp_msg_classify(data, size);
    return 0;
}
