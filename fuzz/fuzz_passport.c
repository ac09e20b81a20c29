/*
 * fuzz_passport.c - libFuzzer target for the Passport 1.4 header parsers
 * (msnp_passport.h).
 *
 * Every input goes through every parser. When a parse succeeds, what it
 * returned is built back into a header with the matching builder and parsed
 * again, and the two results must agree: that catches builders that emit
 * something their own parser reads differently, not just memory errors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_passport.h"
#include "msnp_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed round trip is a bug: stop so libFuzzer saves the input. */
static void require(int cond)
{
    if (!cond)
        abort();
}

/* Result of re-parsing our own output: it must parse, except that
 * re-encoding may legitimately push a value near a limit over it. */
static int reparsed(int rc)
{
    require(rc == MSNP_OK || rc == MSNP_E_TOO_LONG);
    return rc == MSNP_OK;
}

static int same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static void round_trip_auth(const msnp_passport_auth *a)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_passport_auth again;

    if (msnp_passport_auth_build(&b, a->sign_in, a->pwd, "lc=1033,tw=40") ==
            MSNP_OK &&
        reparsed(msnp_passport_auth_parse(b.data, b.len, &again))) {
        require(same(again.sign_in, a->sign_in));
        require(same(again.pwd, a->pwd));
        require(same(msnp_passport_auth_get(&again, "tw"), "40"));
        msnp_passport_auth_free(&again);
    }
    msnp_buf_free(&b);
}

static void fuzz_auth(const char *s, size_t n)
{
    msnp_passport_auth a;
    if (msnp_passport_auth_parse(s, n, &a) != MSNP_OK)
        return;
    require(a.sign_in && *a.sign_in && a.pwd && *a.pwd);
    for (size_t i = 0; i < a.nitems; i++)
        require(msnp_passport_auth_get(&a, a.items[i].name) != NULL);
    round_trip_auth(&a);
    msnp_passport_auth_free(&a);
}

/* The input itself as a password: whatever the builder accepts and the
 * strict decoder can read must come back unchanged. */
static void fuzz_password(const char *cstr)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_passport_auth a;

    if (msnp_passport_auth_build(&b, "a@b.c", cstr, "ru=x") == MSNP_OK &&
        msnp_passport_auth_parse(b.data, b.len, &a) == MSNP_OK) {
        require(same(a.pwd, cstr));
        msnp_passport_auth_free(&a);
    }
    msnp_buf_free(&b);
}

static void fuzz_info(const char *s, size_t n)
{
    msnp_passport_info info, again;
    msnp_buf b = MSNP_BUF_INIT;

    if (msnp_passport_info_parse(s, n, &info) != MSNP_OK)
        return;
    require(info.da_status && *info.da_status);
    if (info.from_pp &&
        msnp_passport_info_build(&b, info.from_pp, info.ru) == MSNP_OK &&
        reparsed(msnp_passport_info_parse(b.data, b.len, &again))) {
        require(same(again.da_status, "success"));
        require(same(again.from_pp, info.from_pp));
        require(same(again.ru, info.ru && *info.ru ? info.ru : NULL));
        msnp_passport_info_free(&again);
    }
    msnp_buf_free(&b);
    msnp_passport_info_free(&info);
}

static void fuzz_failure(const char *s, size_t n)
{
    msnp_passport_failure f, again;
    msnp_buf b = MSNP_BUF_INIT;

    if (msnp_passport_failure_parse(s, n, &f) != MSNP_OK)
        return;
    require(f.da_status && *f.da_status);
    const char *realm = f.srealm && *f.srealm ? f.srealm : "Passport.Net";
    if (msnp_passport_failure_build(&b, realm, f.cbtxt) == MSNP_OK &&
        reparsed(msnp_passport_failure_parse(b.data, b.len, &again))) {
        require(same(again.da_status, "failed"));
        require(same(again.srealm, realm));
        require(same(again.cbtxt, f.cbtxt && *f.cbtxt ? f.cbtxt : NULL));
        msnp_passport_failure_free(&again);
    }
    msnp_buf_free(&b);
    msnp_passport_failure_free(&f);
}

/* True if s starts with a scheme the parser would strip a second time. */
static int has_scheme(const char *s)
{
    static const char *const schemes[] = { "http://", "https://" };
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(schemes[i]), j = 0;
        while (j < k && s[j] && (s[j] | 0x20) == schemes[i][j])
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

static void fuzz_urls(const char *s, size_t n)
{
    msnp_passport_nexus nx, again;
    msnp_buf b = MSNP_BUF_INIT;

    if (msnp_passport_urls_parse(s, n, &nx) != MSNP_OK)
        return;
    require(nx.login && *nx.login);
    msnp_passport_urls u = { .realm = nx.realm && *nx.realm ? nx.realm : "R",
                             .login = nx.login,
                             .config_version = nx.config_version };
    if (!has_scheme(nx.login) && msnp_passport_urls_build(&b, &u) == MSNP_OK &&
        reparsed(msnp_passport_urls_parse(b.data, b.len, &again))) {
        require(same(again.login, nx.login));
        require(same(again.realm, u.realm));
        require(again.has_config_version);
        require(again.config_version == nx.config_version);
        msnp_passport_nexus_free(&again);
    }
    msnp_buf_free(&b);
    msnp_passport_nexus_free(&nx);
}

static void fuzz_ticket(const char *s, size_t n)
{
    msnp_passport_ticket tk, again;
    msnp_buf b = MSNP_BUF_INIT;
    char *t = NULL, *p = NULL;

    (void)msnp_passport_token_valid(s, n);
    if (msnp_passport_ticket_split(s, n, &tk) != MSNP_OK)
        return;
    require(tk.t && tk.t_len > 0 && tk.t + tk.t_len <= s + n);
    require(!tk.p || (tk.p_len > 0 && tk.p + tk.p_len <= s + n));
    if (!tk.p || !msnp_passport_token_valid(tk.t, tk.t_len) ||
        !msnp_passport_token_valid(tk.p, tk.p_len))
        return;
    t = strndup(tk.t, tk.t_len);
    p = strndup(tk.p, tk.p_len);
    if (t && p && msnp_passport_ticket_build(&b, t, p) == MSNP_OK) {
        require(msnp_passport_ticket_split(b.data, b.len, &again) == MSNP_OK);
        require(again.t_len == tk.t_len && memcmp(again.t, t, tk.t_len) == 0);
        require(again.p_len == tk.p_len && memcmp(again.p, p, tk.p_len) == 0);
    }
    free(t);
    free(p);
    msnp_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so reads past size are caught by ASan. */
    char *s = malloc(size ? size : 1);
    char *cstr = malloc(size + 1);
    if (!s || !cstr) {
        free(s);
        free(cstr);
        return 0;
    }
    if (size)
        memcpy(s, data, size);
    memcpy(cstr, s, size);
    cstr[size] = '\0';

    fuzz_auth(s, size);
    fuzz_info(s, size);
    fuzz_failure(s, size);
    fuzz_urls(s, size);
    fuzz_ticket(s, size);
    if (strlen(cstr) == size)
        fuzz_password(cstr);

    free(s);
    free(cstr);
    return 0;
}
