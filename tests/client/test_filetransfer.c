/*
 * test_filetransfer.c - file transfer between two libmsgr messengers
 * through a real msgrd switchboard and a real MSNFTP connection on
 * loopback (msnp.md 6; msgr/msgr_transfer.h): a ~300 KB file of random
 * bytes arrives byte for byte, a second copy gets "name (1).ext", decline,
 * cancel by the receiver and by the sender in the middle of the data,
 * the conversation window closed during a transfer, and the argument
 * checks of SendFile. No partial file is ever left in the receive
 * directory.
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

#include "harness.h"

static const char *const users[] = { "alice@example.com", "alice-pw",
                                     "bob@example.com", "bob-pw", NULL };

#define ALICE 0
#define BOB 1
#define SMALL_SIZE (300 * 1024 + 17) /* not a multiple of the block size */
#define BIG_SIZE (8 * 1024 * 1024)   /* several process() rounds at least */

typedef duo fixture;

static char recv_dir[2][400]; /* receive directories */
static char src_dir[400];     /* where the files to send are made */

/* A second sink that acts from inside a callback, like a host UI would. */
typedef enum act { ACT_NONE, ACT_CANCEL, ACT_CLOSE_WINDOW } act;
typedef struct actor {
    act what;
    bool done;
} actor;
static actor actors[2];

static void act_on_progress(void *ud, msgr_messenger *m, msgr_file_transfer *t)
{
    actor *a = ud;
    msgr_conversation *w;
    (void)m;
    if (a->done || a->what == ACT_NONE)
        return;
    a->done = true;
    if (a->what == ACT_CANCEL)
        assert_int_equal(msgr_file_transfer_cancel(t), MSGR_S_OK);
    else if (msgr_file_transfer_get_window(t, &w) == MSGR_S_OK)
        assert_int_equal(msgr_window_close(w), MSGR_S_OK);
}

static const msgr_messenger_events actor_events = {
    .on_file_transfer_progress = act_on_progress,
};

static void receive_into(int i, msgr_options *o, void *ud)
{
    duo *f = ud;
    snprintf(recv_dir[i], sizeof recv_dir[i], "%s/received-%d", f->d.dir, i);
    o->receive_file_directory = recv_dir[i]; /* created on the first accept */
}

static bool advise_actor(int i, msgr_messenger *m, void *ud)
{
    (void)ud;
    uint32_t cookie;
    return msgr_messenger_advise(m, &actor_events, &actors[i], &cookie) == MSGR_S_OK;
}

static int setup(void **state)
{
    static fixture f;
    const duo_hooks hooks = { .options = receive_into, .created = advise_actor, .ud = &f };
    if (!duo_start(&f, users, &hooks))
        return -1;
    snprintf(src_dir, sizeof src_dir, "%s/outbox", f.d.dir);
    if (mkdir(src_dir, 0700) != 0)
        return -1;
    *state = &f;
    return 0;
}

/* Every test starts with empty recorders and no actor. */
static void reset(fixture *f)
{
    for (int i = 0; i < 2; i++) {
        rec_release_window(&f->rec[i]);
        rec_clear(&f->rec[i]);
        f->rec[i].ft_progress = 0;
        f->rec[i].ft_progress_done = 0;
        actors[i].what = ACT_NONE;
        actors[i].done = false;
    }
}

static void wait_for(fixture *f, int who, const char *prefix)
{
    assert_true(duo_wait(f, who, prefix, 20000));
}

/* Writes size pseudo-random bytes (xorshift from seed) to dir/name. */
static void make_file(const char *path, size_t size, uint32_t seed)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    uint32_t x = seed ? seed : 1;
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        fputc((int)(x & 0xFF), fp);
    }
    assert_int_equal(fclose(fp), 0);
}

static bool same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The names in dir other than "." and "..", sorted, joined with '|'. */
static void dir_listing(const char *dir, char *out, size_t cap)
{
    char names[32][260];
    int n = 0;
    out[0] = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 32)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", i ? "|" : "", names[i]);
    }
}

static msgr_contact *contact(fixture *f, int who, const char *name)
{
    msgr_contact *c = NULL;
    assert_int_equal(msgr_messenger_get_contact(f->ms[who], name, MSGR_SERVICE_ID_MSNP, &c),
                     MSGR_S_OK);
    return c;
}

/* Alice offers src/name to Bob with SendFile; Bob's invitation arrives. */
static msgr_file_transfer *offer(fixture *f, const char *name, size_t size, uint32_t seed)
{
    char path[500], expect[200];
    msgr_conversation *w = NULL;
    snprintf(path, sizeof path, "%s/%s", src_dir, name);
    make_file(path, size, seed);
    assert_int_equal(msgr_messenger_send_file(f->ms[ALICE], contact(f, ALICE, "bob@example.com"),
                                              path, &w),
                     MSGR_S_OK);
    assert_non_null(w);
    snprintf(expect, sizeof expect, "ft_invitation alice@example.com %s %zu", name, size);
    wait_for(f, BOB, expect);
    assert_non_null(f->rec[BOB].last_transfer);
    return f->rec[BOB].last_transfer;
}

static void expect_state(msgr_file_transfer *t, MSGR_FT_STATE st, msgr_hr hr)
{
    MSGR_FT_STATE now;
    msgr_hr result;
    assert_int_equal(msgr_file_transfer_get_state(t, &now), MSGR_S_OK);
    assert_int_equal(now, st);
    assert_int_equal(msgr_file_transfer_get_result(t, &result), MSGR_S_OK);
    assert_int_equal(result, hr);
}

static void test_send_and_receive(void **state)
{
    fixture *f = *state;
    char sent[500], listing[2000];
    reset(f);
    msgr_file_transfer *in = offer(f, "random.bin", SMALL_SIZE, 7);

    /* What the receiver knows before it answers. */
    bool incoming = false;
    const char *s = NULL;
    uint64_t n = 0;
    msgr_contact *from = NULL;
    msgr_conversation *w = NULL;
    expect_state(in, MSGR_FT_INVITING, MSGR_S_OK);
    assert_int_equal(msgr_file_transfer_get_incoming(in, &incoming), MSGR_S_OK);
    assert_true(incoming);
    assert_int_equal(msgr_file_transfer_get_file_name(in, &s), MSGR_S_OK);
    assert_string_equal(s, "random.bin");
    assert_int_equal(msgr_file_transfer_get_path(in, &s), MSGR_S_OK);
    assert_string_equal(s, "");
    assert_int_equal(msgr_file_transfer_get_size(in, &n), MSGR_S_OK);
    assert_int_equal(n, SMALL_SIZE);
    assert_int_equal(msgr_file_transfer_get_contact(in, &from), MSGR_S_OK);
    assert_ptr_equal(from, contact(f, BOB, "alice@example.com"));
    assert_int_equal(msgr_file_transfer_get_window(in, &w), MSGR_S_OK);
    assert_ptr_equal(w, f->rec[BOB].last_window);
    assert_int_equal(msgr_file_transfer_get_state(in, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_file_transfer_get_state(NULL, &(MSGR_FT_STATE){ 0 }), MSGR_E_POINTER);

    assert_int_equal(msgr_file_transfer_accept(in), MSGR_S_OK);
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_E_FAIL); /* answered */
    wait_for(f, BOB, "ft_state COMPLETED MSGR_S_TRANSFER_RECEIVE_FINISHED");
    wait_for(f, ALICE, "ft_state COMPLETED MSGR_S_TRANSFER_SEND_FINISHED");

    /* Both sides went through the same states, in order. */
    for (int i = 0; i < 2; i++) {
        int c = rec_find(&f->rec[i], 0, "ft_state CONNECTING MSGR_S_OK");
        int t = rec_find(&f->rec[i], c, "ft_state TRANSFERRING");
        int d = rec_find(&f->rec[i], t, "ft_state COMPLETED");
        assert_true(c >= 0 && t > c && d > t);
        assert_true(f->rec[i].ft_progress >= 1);
        assert_int_equal(f->rec[i].ft_progress_done, SMALL_SIZE);
    }
    msgr_file_transfer *out = f->rec[ALICE].last_transfer;
    assert_non_null(out);
    expect_state(out, MSGR_FT_COMPLETED, MSGR_S_TRANSFER_SEND_FINISHED);
    assert_int_equal(msgr_file_transfer_get_bytes_done(out, &n), MSGR_S_OK);
    assert_int_equal(n, SMALL_SIZE);
    assert_int_equal(msgr_file_transfer_get_incoming(out, &incoming), MSGR_S_OK);
    assert_false(incoming);
    assert_int_equal(msgr_file_transfer_cancel(out), MSGR_S_FALSE); /* over */

    /* The file is there, byte for byte, and nothing else. */
    expect_state(in, MSGR_FT_COMPLETED, MSGR_S_TRANSFER_RECEIVE_FINISHED);
    assert_int_equal(msgr_file_transfer_get_path(in, &s), MSGR_S_OK);
    snprintf(sent, sizeof sent, "%s/random.bin", recv_dir[BOB]);
    assert_string_equal(s, sent);
    char src[500];
    snprintf(src, sizeof src, "%s/random.bin", src_dir);
    assert_true(same_bytes(src, sent));
    dir_listing(recv_dir[BOB], listing, sizeof listing);
    assert_string_equal(listing, "random.bin");
}

/* A second file of the same name never overwrites the first. */
static void test_existing_name(void **state)
{
    fixture *f = *state;
    char listing[2000], got[500], src[500];
    reset(f);
    msgr_file_transfer *in = offer(f, "random.bin", 5000, 99);
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_S_OK);
    wait_for(f, BOB, "ft_state COMPLETED");
    wait_for(f, ALICE, "ft_state COMPLETED");
    const char *path = NULL;
    assert_int_equal(msgr_file_transfer_get_path(in, &path), MSGR_S_OK);
    snprintf(got, sizeof got, "%s/random (1).bin", recv_dir[BOB]);
    assert_string_equal(path, got);
    snprintf(src, sizeof src, "%s/random.bin", src_dir);
    assert_true(same_bytes(src, got));
    dir_listing(recv_dir[BOB], listing, sizeof listing);
    assert_string_equal(listing, "random (1).bin|random.bin");

    /* A name that would hide the file is made visible; an empty file works. */
    reset(f);
    in = offer(f, ".profile", 0, 1);
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_S_OK);
    wait_for(f, BOB, "ft_state COMPLETED");
    wait_for(f, ALICE, "ft_state COMPLETED");
    dir_listing(recv_dir[BOB], listing, sizeof listing);
    assert_string_equal(listing, "_profile|random (1).bin|random.bin");
}

static void test_decline(void **state)
{
    fixture *f = *state;
    char listing[2000];
    reset(f);
    msgr_file_transfer *in = offer(f, "unwanted.txt", 1000, 3);
    assert_int_equal(msgr_file_transfer_decline(in), MSGR_S_OK);
    wait_for(f, BOB, "ft_state DECLINED MSGR_E_AI_REJECT");
    wait_for(f, ALICE, "ft_state DECLINED MSGR_E_AI_REJECT");
    expect_state(in, MSGR_FT_DECLINED, MSGR_E_AI_REJECT);
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_E_FAIL);
    assert_int_equal(msgr_file_transfer_decline(in), MSGR_E_FAIL);
    assert_int_equal(msgr_file_transfer_cancel(in), MSGR_S_FALSE);
    assert_int_equal(msgr_file_transfer_decline(f->rec[ALICE].last_transfer), MSGR_E_FAIL);
    dir_listing(recv_dir[BOB], listing, sizeof listing);
    assert_null(strstr(listing, "unwanted"));
}

/* Nothing of a cancelled file stays: no partial file, no temporary. */
static void expect_no_trace(const char *name)
{
    char listing[2000];
    dir_listing(recv_dir[BOB], listing, sizeof listing);
    assert_null(strstr(listing, name));
    assert_null(strstr(listing, ".part"));
}

static void test_receiver_cancels(void **state)
{
    fixture *f = *state;
    reset(f);
    msgr_file_transfer *in = offer(f, "big-1.bin", BIG_SIZE, 11);
    actors[BOB].what = ACT_CANCEL; /* at Bob's first progress event */
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_S_OK);
    wait_for(f, BOB, "ft_state CANCELLED MSGR_E_USER_CANCELLED");
    wait_for(f, ALICE, "ft_state CANCELLED MSGR_E_CANCEL"); /* CCL */
    assert_true(rec_has(&f->rec[BOB], "ft_state TRANSFERRING"));
    uint64_t done = 0;
    assert_int_equal(msgr_file_transfer_get_bytes_done(in, &done), MSGR_S_OK);
    assert_true(done > 0 && done < BIG_SIZE);
    expect_no_trace("big-1");
}

static void test_sender_cancels(void **state)
{
    fixture *f = *state;
    reset(f);
    msgr_file_transfer *in = offer(f, "big-2.bin", BIG_SIZE, 12);
    actors[ALICE].what = ACT_CANCEL; /* at Alice's first progress event */
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_S_OK);
    wait_for(f, ALICE, "ft_state CANCELLED MSGR_E_USER_CANCELLED");
    wait_for(f, BOB, "ft_state CANCELLED MSGR_E_CANCEL"); /* abort block */
    assert_true(rec_has(&f->rec[BOB], "ft_state TRANSFERRING"));
    assert_false(rec_has(&f->rec[BOB], "ft_state COMPLETED"));
    expect_no_trace("big-2");
}

/* Closing the window ends its transfers on both sides (OUTBANDCANCEL). */
static void test_window_closed(void **state)
{
    fixture *f = *state;
    reset(f);
    msgr_file_transfer *in = offer(f, "big-3.bin", BIG_SIZE, 13);
    actors[ALICE].what = ACT_CLOSE_WINDOW;
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_S_OK);
    wait_for(f, ALICE, "ft_state CANCELLED MSGR_E_CANCEL");
    wait_for(f, ALICE, "win_destroyed");
    wait_for(f, BOB, "ft_state CANCELLED MSGR_E_CANCEL");
    expect_no_trace("big-3");

    /* An invitation not answered yet ends the same way, whichever side
     * closes: here Bob closes his window. */
    reset(f);
    in = offer(f, "pending.bin", 10, 14);
    msgr_conversation *w = NULL;
    assert_int_equal(msgr_file_transfer_get_window(in, &w), MSGR_S_OK);
    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
    wait_for(f, BOB, "ft_state CANCELLED MSGR_E_CANCEL");
    wait_for(f, ALICE, "ft_state CANCELLED MSGR_E_CANCEL"); /* OUTBANDCANCEL */
    assert_int_equal(msgr_file_transfer_accept(in), MSGR_E_FAIL);
    expect_no_trace("pending");
    /* Bob's BYE reaches Alice after the cancel: wait for it, or the next
     * test's invitation can go into a switchboard Bob has already left. */
    wait_for(f, ALICE, "win_contact_removed bob@example.com");
}

static msgr_hr chosen_hr;
static char chosen[300];

static msgr_hr choose_file(void *ud, msgr_messenger *m, msgr_conversation *w, const char *name)
{
    (void)ud;
    (void)m;
    (void)w;
    snprintf(chosen, sizeof chosen, "[%s]", name);
    return chosen_hr;
}

static void test_arguments(void **state)
{
    fixture *f = *state;
    msgr_messenger *a = f->ms[ALICE];
    msgr_contact *bob = contact(f, ALICE, "bob@example.com");
    msgr_contact *me = contact(f, ALICE, "alice@example.com");
    msgr_conversation *w = NULL;
    msgr_file_transfer *t = NULL;
    char path[500], longname[300];
    reset(f);
    snprintf(path, sizeof path, "%s/ok.txt", src_dir);
    make_file(path, 10, 5);
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';

    assert_int_equal(msgr_messenger_send_file(NULL, bob, path, &w), MSGR_E_POINTER);
    assert_int_equal(msgr_messenger_send_file(a, bob, path, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_messenger_send_file(a, NULL, path, &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_send_file(a, me, path, &w), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_send_file(a, bob, longname, &w), MSGR_E_INVALIDARG);
    /* Without a host dialog: a missing file or a directory is an error,
     * no name opens the window and sends nothing. */
    assert_int_equal(msgr_messenger_send_file(a, bob, "no-such-file", &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_send_file(a, bob, src_dir, &w), MSGR_E_INVALIDARG);
    w = NULL;
    assert_int_equal(msgr_messenger_send_file(a, bob, NULL, &w), MSGR_S_OK);
    assert_non_null(w);
    assert_int_equal(msgr_messenger_send_file(a, bob, "", &w), MSGR_S_OK);
    /* With one, the dialog is asked, pre-filled. */
    msgr_host_ui ui = { .choose_file = choose_file };
    assert_int_equal(msgr_messenger_set_host_ui(a, &ui, NULL), MSGR_S_OK);
    chosen_hr = MSGR_S_FALSE;
    assert_int_equal(msgr_messenger_send_file(a, bob, "no-such-file", &w), MSGR_S_FALSE);
    assert_string_equal(chosen, "[no-such-file]");
    chosen_hr = MSGR_S_OK;
    assert_int_equal(msgr_messenger_send_file(a, bob, NULL, &w), MSGR_S_OK);
    assert_string_equal(chosen, "[]");
    assert_int_equal(msgr_messenger_set_host_ui(a, NULL, NULL), MSGR_S_OK);

    /* The extension. */
    assert_int_equal(msgr_conversation_send_file(NULL, path, &t), MSGR_E_POINTER);
    assert_int_equal(msgr_conversation_send_file(w, NULL, &t), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_conversation_send_file(w, "", &t), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_conversation_send_file(w, src_dir, &t), MSGR_E_INVALIDARG);
    snprintf(path + strlen(path), sizeof path - strlen(path), "/");
    assert_int_equal(msgr_conversation_send_file(w, path, &t), MSGR_E_INVALIDARG); /* no name */
    path[strlen(path) - 1] = '\0';
    msgr_window *main_window = NULL;
    assert_int_equal(msgr_messenger_get_window(a, &main_window), MSGR_S_OK);
    assert_int_equal(msgr_conversation_send_file(main_window, path, &t), MSGR_E_FAIL);

    /* Withdrawn before an answer: Bob hears it. */
    assert_int_equal(msgr_conversation_send_file(w, path, &t), MSGR_S_OK);
    assert_non_null(t);
    expect_state(t, MSGR_FT_INVITING, MSGR_S_OK);
    wait_for(f, BOB, "ft_invitation alice@example.com ok.txt 10");
    assert_int_equal(msgr_file_transfer_accept(t), MSGR_E_FAIL); /* not incoming */
    assert_int_equal(msgr_file_transfer_cancel(t), MSGR_S_OK);
    wait_for(f, ALICE, "ft_state CANCELLED MSGR_E_USER_CANCELLED");
    wait_for(f, BOB, "ft_state CANCELLED MSGR_E_CANCEL");
    assert_int_equal(msgr_file_transfer_accept(NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_file_transfer_cancel((msgr_file_transfer *)(void *)bob), MSGR_E_POINTER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_and_receive),
        cmocka_unit_test(test_existing_name),
        cmocka_unit_test(test_decline),
        cmocka_unit_test(test_receiver_cancels),
        cmocka_unit_test(test_sender_cancels),
        cmocka_unit_test(test_window_closed),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, setup, duo_teardown);
}
