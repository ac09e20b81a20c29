/*
 * test_app_registry.c - the per-user Session Invite application registry
 * (<config_dir>/apps.ini, docs/libmsgr.md "Session Invite") through
 * RegisterApplication / UnRegisterApplication / put_Application, against a
 * real msgrd with Lock and Key off (so the managers are usable at once):
 * the file's format, mode and atomic replacement, argument checks, a
 * hand-written file with broken parts, files that must not be trusted
 * (group-writable, a symbolic link, oversized, full), and two messengers
 * sharing one configuration directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define GUID_A "{A0A0A0A0-1111-4222-8333-444444444444}"
#define GUID_B "{B0B0B0B0-1111-4222-8333-444444444444}"
#define GUID_C "{C0C0C0C0-1111-4222-8333-444444444444}"
#define GUID_D "{D0D0D0D0-1111-4222-8333-444444444444}"
#define PROGRAM "/bin/sh" /* any executable; never started here */

static const char *const users[] = { "ivan@example.com", "pw-ivan", "judy@example.com",
                                     "pw-judy", NULL };

typedef struct fixture {
    msgrd d;
    msgr_messenger *m, *m2;
    recorder *rec, *rec2;
    msgr_session_manager *g, *g2;
    char cache[400], cache2[400];
    char file[500];          /* <config_dir>/apps.ini */
} fixture;

static bool lock_enabled;

static void on_lock_enable(void *ud, msgr_session_manager *g, bool enable)
{
    (void)ud;
    (void)g;
    (void)enable;
    lock_enabled = true;
}

static const msgr_session_manager_events events = { .on_lock_enable = on_lock_enable };

static bool enabled_done(void *ud)
{
    (void)ud;
    return lock_enabled;
}

/* A signed-in messenger with a usable (LOCK_DISABLED) manager. */
static void open_user(fixture *f, const char *tag, const char *config_dir, const char *user,
                      const char *pw, msgr_messenger **m, recorder **rec,
                      msgr_session_manager **g, char *cache)
{
    msgr_options o;
    uint32_t cookie;
    *rec = calloc(1, sizeof **rec);
    assert_non_null(*rec);
    msgrd_options(&f->d, tag, &o, cache, 400);
    if (config_dir)
        o.config_dir = config_dir;
    assert_int_equal(msgr_messenger_create(&o, m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(*m, &recorder_events, *rec, &cookie), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_create(*m, g), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_advise(*g, &events, NULL, &cookie), MSGR_S_OK);
    lock_enabled = false;
    assert_true(signin_and_wait(m, 1, *m, *rec, user, pw));
    assert_true(pump(m, 1, enabled_done, NULL, 15000));
    LockStatus st = 0;
    msgr_lock *l = NULL;
    assert_int_equal(msgr_session_manager_get_lock(*g, &l), MSGR_S_OK);
    assert_int_equal(msgr_lock_get_status(l, &st), MSGR_S_OK);
    assert_int_equal(st, LOCK_DISABLED);
}

static int setup(void **state)
{
    static fixture f;
    msgrd_cfg off = { .lock_and_key_off = true };
    memset(&f, 0, sizeof f);
    if (!msgrd_start_cfg(&f.d, users, &off))
        return -1;
    open_user(&f, "ivan", NULL, "ivan@example.com", "pw-ivan", &f.m, &f.rec, &f.g, f.cache);
    snprintf(f.file, sizeof f.file, "%s/apps.ini", f.cache);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msgr_object_release(f->g);
    msgr_object_release(f->m);
    if (f->m2) {
        msgr_object_release(f->g2);
        msgr_object_release(f->m2);
    }
    free(f->rec);
    free(f->rec2);
    msgrd_stop(&f->d);
    return 0;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    unlink(path);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    assert_int_equal(chmod(path, mode), 0);
}

static msgr_hr reg(msgr_session_manager *g, const char *guid, const char *name,
                   const char *url, const char *path)
{
    return msgr_session_manager_register_application(g, guid, name, url, path, 0);
}

/* No temporary file is left in the directory. */
static void no_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, ".apps.ini.", 10) == 0)
            fail_msg("temporary file %s left behind", e->d_name);
    closedir(d);
}

static void test_file_format_and_mode(void **state)
{
    fixture *f = *state;
    struct stat st;
    unlink(f->file);
    assert_int_equal(reg(f->g, "{a0a0a0a0-1111-4222-8333-444444444444}", "Chess",
                         "https://example.com/chess", PROGRAM), MSGR_S_OK);
    assert_int_equal(stat(f->file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = slurp(f->file);
    assert_non_null(text);
    assert_non_null(strstr(text, "[" GUID_A "]\nname=Chess\nurl=https://example.com/chess\n"
                                 "path=" PROGRAM "\n"));
    free(text);
    assert_int_equal(reg(f->g, GUID_B, "Go", "", PROGRAM), MSGR_S_OK);
    assert_int_equal(reg(f->g, GUID_A, "Chess", "", PROGRAM), SR_APP_ALREADY_REGISTERED);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_A), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_A),
                     SR_APP_NOT_REGISTERED);
    text = slurp(f->file);
    assert_null(strstr(text, GUID_A));
    assert_non_null(strstr(text, "[" GUID_B "]"));
    free(text);
    no_leftovers(f->cache);
}

static void test_arguments(void **state)
{
    fixture *f = *state;
    char name257[258], path261[262], notexec[500];
    memset(name257, 'n', 257);
    name257[257] = '\0';
    path261[0] = '/';
    memset(path261 + 1, 'p', 260);
    path261[261] = '\0';
    snprintf(notexec, sizeof notexec, "%s/notexec", f->cache);
    write_file(notexec, "data\n", 0644);

    assert_int_equal(reg(f->g, NULL, "x", "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, "", "x", "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, "{xyz}", "x", "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, "C0C0C0C0-1111-4222-8333-444444444444", "x", "", PROGRAM),
                     MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C "0", "x", "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "", "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, NULL, "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "x", NULL, PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "x", "", NULL), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, name257, "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "x", name257, PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "x", "", path261), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "two\nlines", "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "\xc3\x28", "", PROGRAM), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_manager_register_application(f->g, GUID_C, "x", "", PROGRAM,
                                                               1), MSGR_E_INVALIDARG);
    assert_int_equal(reg(f->g, GUID_C, "x", "", "bin/sh"), MSGR_E_FAIL);
    assert_int_equal(reg(f->g, GUID_C, "x", "", "/nonexistent/program"), MSGR_E_FAIL);
    assert_int_equal(reg(f->g, GUID_C, "x", "", f->cache), MSGR_E_FAIL); /* a directory */
    if (geteuid() != 0) /* root may execute anything */
        assert_int_equal(reg(f->g, GUID_C, "x", "", notexec), MSGR_E_FAIL);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, NULL),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, "{bad}"),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_manager_register_application(NULL, GUID_C, "x", "",
                                                               PROGRAM, 0), MSGR_E_POINTER);
    /* A name of 256 bytes and a UTF-8 name are fine. */
    assert_int_equal(reg(f->g, GUID_C, name257 + 1, "", PROGRAM), MSGR_S_OK);
    assert_int_equal(reg(f->g, GUID_D, "\xc3\xa9" "checs\tpro", "", PROGRAM), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_C), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_D), MSGR_S_OK);
}

/* A file written by hand: what parses is kept, the rest is dropped. */
static void test_hand_written_file(void **state)
{
    fixture *f = *state;
    char long_value[400];
    memset(long_value, 'u', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    char text[4096];
    snprintf(text, sizeof text,
             "# comment\r\n; another\r\n\r\n"
             "[" GUID_A "]\r\nname=Chess\r\nurl=https://example.com\r\npath=" PROGRAM
             "\r\ncolour=blue\r\n"
             "[not-a-guid]\nname=Bad\npath=" PROGRAM "\n"
             "[" GUID_B "]\nname=NoPath\n"
             "[" GUID_C "]\nname=TooLong\nurl=%s\npath=" PROGRAM "\n"
             "[" GUID_D "]\nname=Relative\npath=bin/sh\n"
             "[" GUID_A "]\nname=Duplicate\npath=" PROGRAM "\n"
             "garbage line without equals\n"
             "[{E0E0E0E0-1111-4222-8333-444444444444}\nname=Unclosed\npath=/x\n",
             long_value);
    write_file(f->file, text, 0600);

    assert_int_equal(reg(f->g, GUID_A, "Chess", "", PROGRAM), SR_APP_ALREADY_REGISTERED);
    /* The broken entries do not count as registered. */
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_B),
                     SR_APP_NOT_REGISTERED);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_C),
                     SR_APP_NOT_REGISTERED);
    assert_int_equal(reg(f->g, GUID_D, "Now absolute", "", PROGRAM), MSGR_S_OK);
    /* The rewrite keeps what was sound. */
    char *now = slurp(f->file);
    assert_non_null(strstr(now, "[" GUID_A "]\nname=Chess\nurl=https://example.com\n"));
    assert_non_null(strstr(now, "[" GUID_D "]\nname=Now absolute\n"));
    assert_null(strstr(now, "Duplicate"));
    assert_null(strstr(now, "TooLong"));
    assert_null(strstr(now, "colour"));
    free(now);

    /* put_Application reads the same file. */
    msgr_session *s = NULL;
    const char *v = NULL;
    assert_int_equal(msgr_session_manager_create_session(f->g, &s), MSGR_S_OK);
    assert_int_equal(msgr_session_set_application(s, GUID_A), MSGR_S_OK);
    assert_int_equal(msgr_session_get_application_name(s, &v), MSGR_S_OK);
    assert_string_equal(v, "Chess");
    assert_int_equal(msgr_session_get_application_url(s, &v), MSGR_S_OK);
    assert_string_equal(v, "https://example.com");
    assert_int_equal(msgr_session_set_application(s, GUID_B), SR_APP_NOT_REGISTERED);
    msgr_object_release(s);
}

/* Files that name programs to start must be the user's own. */
static void test_untrusted_files(void **state)
{
    fixture *f = *state;
    msgr_session *s = NULL;
    char target[500];
    write_file(f->file, "[" GUID_A "]\nname=Chess\npath=" PROGRAM "\n", 0600);
    assert_int_equal(msgr_session_manager_create_session(f->g, &s), MSGR_S_OK);

    assert_int_equal(chmod(f->file, 0620), 0); /* group-writable */
    assert_int_equal(reg(f->g, GUID_B, "Go", "", PROGRAM), MSGR_E_REGDB_WRITEREGDB);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_A),
                     MSGR_E_REGDB_WRITEREGDB);
    assert_int_equal(msgr_session_set_application(s, GUID_A), MSGR_E_REGDB_WRITEREGDB);
    assert_int_equal(chmod(f->file, 0644), 0); /* readable by others is fine */
    assert_int_equal(msgr_session_set_application(s, GUID_A), MSGR_S_OK);
    msgr_object_release(s);

    /* A symbolic link is not followed. */
    snprintf(target, sizeof target, "%s/elsewhere.ini", f->cache);
    write_file(target, "[" GUID_A "]\nname=Chess\npath=" PROGRAM "\n", 0600);
    unlink(f->file);
    assert_int_equal(symlink(target, f->file), 0);
    assert_int_equal(reg(f->g, GUID_B, "Go", "", PROGRAM), MSGR_E_REGDB_WRITEREGDB);
    unlink(f->file);

    /* Oversized: refused as a whole. */
    FILE *fp = fopen(f->file, "w");
    assert_non_null(fp);
    for (int i = 0; i < 300 * 1024 / 32; i++)
        fputs("# padding padding padding pad\n", fp);
    fclose(fp);
    assert_int_equal(chmod(f->file, 0600), 0);
    assert_int_equal(reg(f->g, GUID_B, "Go", "", PROGRAM), MSGR_E_REGDB_WRITEREGDB);

    /* Full: 256 applications at most. */
    fp = fopen(f->file, "w");
    assert_non_null(fp);
    for (int i = 0; i < 256; i++)
        fprintf(fp, "[{%08X-1111-4222-8333-444444444444}]\nname=App\npath=" PROGRAM "\n", i);
    fclose(fp);
    assert_int_equal(reg(f->g, GUID_B, "Go", "", PROGRAM), MSGR_E_REGDB_WRITEREGDB);
    assert_int_equal(msgr_session_manager_unregister_application(
                         f->g, "{00000007-1111-4222-8333-444444444444}"), MSGR_S_OK);
    assert_int_equal(reg(f->g, GUID_B, "Go", "", PROGRAM), MSGR_S_OK);
    unlink(f->file);
    unlink(target);
}

/* The registry belongs to the configuration directory, not the messenger. */
static void test_shared_between_messengers(void **state)
{
    fixture *f = *state;
    unlink(f->file);
    open_user(f, "judy", f->cache, "judy@example.com", "pw-judy", &f->m2, &f->rec2, &f->g2,
              f->cache2);
    assert_int_equal(reg(f->g, GUID_A, "Chess", "", PROGRAM), MSGR_S_OK);
    assert_int_equal(reg(f->g2, GUID_A, "Chess", "", PROGRAM), SR_APP_ALREADY_REGISTERED);
    assert_int_equal(msgr_session_manager_unregister_application(f->g2, GUID_A), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_unregister_application(f->g, GUID_A),
                     SR_APP_NOT_REGISTERED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_format_and_mode),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_hand_written_file),
        cmocka_unit_test(test_untrusted_files),
        cmocka_unit_test(test_shared_between_messengers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
