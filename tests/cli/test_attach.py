"""The scripting commands act through the running interactive msgr
(libmsgr's local server mode) instead of signing in beside it, which would
end its session (msgrd allows one session per account).

With alice's interactive client signed in under tmux: `msgr send` of the
same profile reaches bob (a second, scripted client) and the client stays
signed in (its screen shows no sign-out, bob never sees alice go offline);
`msgr status busy` changes the status the client shows, and an attached
`msgr listen` prints it; `msgr app register` works beside it; `--direct`
still signs in separately (the client is signed out); `--attach` fails in
one line when nobody serves, or serves another account; a profile with
`serve = no` does not serve, and a second client says another one serves.

Every process uses a private XDG_RUNTIME_DIR (cli_harness), so the real
user's socket is never touched. Exits 77 (CTest's SKIP_RETURN_CODE) only
when tmux is not installed.
"""

import os
import shutil
import subprocess
import sys
import time

import cli_harness as ch
from test_tui import TuiTestCase, row

# what the client shows once its session was taken or lost
SIGNED_OUT_SIGNS = ("signed in somewhere else", "You have signed out", "Connection lost",
                    "Reconnect", "msgr - Sign In")
SETTLE = 1.0  # seconds the client is watched after a command


class AttachTestCase(TuiTestCase):

    SERVER_ARGS = ("--lock-and-key=false",)

    def setUp(self):
        super().setUp()
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("bob"), "login bob")
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")
        self.assertOk(self.msgr("add", "alice@example.com", who="bob"), "bob adds alice")

    def alice_ui(self):
        t = self.tui()
        t.wait_for("<alice@example.com> (Online)")
        return t

    def assertStillSignedIn(self, t, status="Online"):
        time.sleep(SETTLE)
        screen = t.screen()
        for sign in SIGNED_OUT_SIGNS:
            self.assertNotIn(sign, screen, "the client lost its session:\n" + screen)
        self.assertIn("<alice@example.com> (%s)" % status, row(screen, " msgr "), screen)

    def assertNeverOffline(self, listener, who="alice@example.com"):
        offline = [e for e in listener.events if e["event"] == "status" and
                   e.get("contact") == who and e["status"] == "offline"]
        self.assertEqual(offline, [], "bob saw %s go offline" % who)


class SendTest(AttachTestCase):

    def test_send_through_the_running_client(self):
        t = self.alice_ui()
        bob = self.listen("bob")  # another account: signs in by itself
        bob.wait_for(lambda e: e["event"] == "status" and e["contact"] == "alice@example.com"
                     and e["status"] == "online", "alice online")
        p = self.msgr("send", "bob@example.com", "through the client")
        self.assertOk(p, "send while the client runs")
        ev = bob.wait_for(lambda e: e["event"] == "message", "alice's message")
        self.assertEqual((ev["from"], ev["text"]), ("alice@example.com", "through the client"))
        # the contact list through the client, too
        self.assertEqual(self.contacts()["bob@example.com"]["status"], "online")
        self.assertStillSignedIn(t)
        code, _, err = bob.stop()
        self.assertEqual(code, 0, err)
        self.assertNeverOffline(bob)
        # msgrd still has alice's session: bob, signing in again, sees her
        self.assertEqual(self.contacts("bob")["alice@example.com"]["status"], "online")
        self.assertStillSignedIn(t)
        self.quit(t)


class StatusTest(AttachTestCase):

    def test_status_and_listen_through_the_running_client(self):
        t = self.alice_ui()
        mine = self.listen("alice")  # attached: the client's events
        self.assertEqual(mine.events[0]["signin"], "alice@example.com")
        self.assertEqual(mine.events[0]["status"], "online")
        self.assertOk(self.msgr("status", "busy"), "status busy")
        t.wait_for("<alice@example.com> (Busy)")
        mine.wait_for(lambda e: e["event"] == "my_status" and e["status"] == "busy",
                      "the shared status in listen")
        p = self.msgr("status")
        self.assertOk(p, "status")
        self.assertEqual(p.stdout.decode().strip(), "busy")
        # bob signs in: the attached listen hears his presence
        self.assertOk(self.msgr("status", "online", who="bob"), "bob signs in once")
        mine.wait_for(lambda e: e["event"] == "status" and e["contact"] == "bob@example.com"
                      and e["status"] == "online", "bob's presence in listen")
        self.assertStillSignedIn(t, "Busy")
        code, _, err = mine.stop()
        self.assertEqual(code, 0, err)
        self.assertStillSignedIn(t, "Busy")
        self.quit(t)


class CommandsTest(AttachTestCase):
    """Every other command's "done" condition, met through the client."""

    def test_list_changes(self):
        t = self.alice_ui()
        self.assertOk(self.msgr("add", "carol@example.com"), "add carol")
        t.wait_for("carol@example.com (Offline)")  # the client hears of it
        self.assertOneLineError(self.msgr("add", "carol@example.com"), "add twice",
                                r"already", code=1)
        self.assertOk(self.msgr("block", "carol@example.com"), "block carol")
        self.assertTrue(self.contacts()["carol@example.com"]["blocked"])
        self.assertOk(self.msgr("unblock", "carol@example.com"), "unblock carol")
        self.assertOk(self.msgr("remove", "carol@example.com"), "remove carol")
        self.assertNotIn("carol@example.com", self.contacts())
        self.assertStillSignedIn(t)
        self.quit(t)

    def test_sendfile(self):
        t = self.alice_ui()
        b = self.tui(who="bob")
        b.wait_for("alice@example.com (Online)")
        src = os.path.join(self.home, "notes.txt")
        with open(src, "wb") as f:
            f.write(b"attached notes\n" * 1000)
        p = subprocess.Popen([ch.MSGR, "sendfile", "bob@example.com", src], env=self.env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            b.wait_for('wants to send you "notes.txt"')
            b.keys("a")
            _, err = p.communicate(timeout=ch.RUN_TIMEOUT)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate(timeout=10)
        self.assertEqual(p.returncode, 0, err)
        b.wait_for('Received "notes.txt"')
        self.assertStillSignedIn(t)
        self.quit(b)
        self.quit(t)

    def test_invite(self):
        guid = "{2F8E7C1A-0B3D-4E5F-8A9B-1C2D3E4F5A6B}"
        self.assertOk(self.msgr("app", "register", guid, "Chess", "/bin/true"), "alice registers")
        self.assertOk(self.msgr("app", "register", guid, "Chess", "/bin/true", who="bob"),
                      "bob registers")
        t = self.alice_ui()
        b = self.tui(who="bob")
        b.wait_for("alice@example.com (Online)")
        p = subprocess.Popen([ch.MSGR, "invite", "bob@example.com", guid], env=self.env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            b.wait_for("invites you to Chess")
            b.keys("a")
            _, err = p.communicate(timeout=ch.RUN_TIMEOUT)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate(timeout=10)
        self.assertEqual(p.returncode, 0, err)
        self.assertStillSignedIn(t)
        self.quit(b)
        self.quit(t)


class AppRegisterTest(AttachTestCase):

    def test_register_beside_the_running_client(self):
        t = self.alice_ui()
        program = os.path.join(self.home, "game.sh")
        with open(program, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(program, 0o755)
        guid = "{2F8E7C1A-0B3D-4E5F-8A9B-1C2D3E4F5A6B}"
        self.assertOk(self.msgr("app", "register", guid, "Game", program), "app register")
        p = self.msgr("app", "list")
        self.assertOk(p, "app list")
        self.assertTrue(p.stdout.decode().startswith(guid + "\tGame\t"), p.stdout)
        self.assertStillSignedIn(t)
        self.quit(t)


class LinkOptionTest(AttachTestCase):

    def test_direct_signs_in_by_itself(self):
        t = self.alice_ui()
        self.assertOk(self.msgr("--direct", "contacts"), "contacts --direct")
        # msgrd ended the client's session for the new one
        t.wait_for("signed in somewhere else")
        self.quit(t)

    def test_attach_needs_a_running_client(self):
        p = self.msgr("--attach", "contacts")
        self.assertOneLineError(p, "--attach without a client", r"^msgr: contacts: --attach: "
                                r"no msgr serves on the local socket", code=1)
        p = self.msgr("send", "--attach", "--direct", "bob@example.com", "x")
        self.assertOneLineError(p, "both options", r"exclude each other", code=2)

    def test_attach_to_another_account_fails(self):
        b = self.tui(who="bob")
        b.wait_for("<bob@example.com> (Online)")
        p = self.msgr("--attach", "contacts")
        self.assertOneLineError(p, "--attach to bob's client", r"signed in as another "
                                r"account, not alice@example\.com", code=1)
        # without --attach alice signs in by herself; bob's client stays
        self.assertOk(self.msgr("contacts"), "contacts beside bob's client")
        self.assertIn("<bob@example.com> (Online)", b.screen())
        self.quit(b)


class ServeOptionTest(AttachTestCase):

    def test_serve_no_and_a_second_client(self):
        cfg = os.path.join(self.home, "config", "msgr", "config")
        with open(cfg, "a") as f:
            f.write("serve = no\n")  # the last section is alice's
        t = self.alice_ui()
        self.assertIn("not serving", row(t.screen(), " msgr "))
        self.assertOneLineError(self.msgr("--attach", "contacts"), "--attach, serve = no",
                                r"no msgr serves", code=1)
        # bob's client serves; a second client (alice's, serving again) says
        # another one does
        self.quit(t)
        with open(cfg) as f:
            text = f.read()
        with open(cfg, "w") as f:
            f.write(text.replace("serve = no\n", ""))
        b = self.tui(who="bob")
        b.wait_for("<bob@example.com> (Online)")
        self.assertNotIn("not serving", row(b.screen(), " msgr "))
        t = self.alice_ui()
        self.assertIn("not serving", row(t.screen(), " msgr "))
        # bob's client serves bob, not alice: alice signs in by herself
        self.assertOneLineError(self.msgr("--attach", "contacts"), "--attach, bob serves",
                                r"another account", code=1)
        self.quit(t)
        self.quit(b)


if __name__ == "__main__":
    if shutil.which("tmux") is None:
        sys.stderr.write("test_attach: tmux is not installed: skipped\n")
        sys.exit(77)
    ch.main()
