"""The interactive msgr (no subcommand) driven in a detached tmux session:
keys go in with send-keys, the screen comes back with capture-pane, and
every wait polls the screen until a deadline. A second, scripted client
(msgr listen / msgr send / msgr sendfile of another account) is the other
person.

Covers: the sign-in screen (a wrong password, then "remember me"),
AutoSignin with a saved profile, contacts coming online and going offline,
messages both ways and the typing notice, blocking seen from the other
side, add / remove, someone adding you (allow), groups and the sort order,
the help screen, quitting, and a file sent with `msgr sendfile` accepted
in the interactive client and compared byte for byte; the own display name
changed with n and seen by another client; someone who added you while you
were signed out offered at sign-in and allowed; MSN Alerts (`msgrd alert
send`) shown in the UI and printed by `msgr listen`, with Lock and Key off
and unlocked with the profile's app-id / app-key.

Exits 77 (CTest's SKIP_RETURN_CODE) only when tmux is not installed;
scripts/install-deps.sh installs it, so CI runs these tests.
"""

import os
import shlex
import shutil
import subprocess
import sys
import time

import cli_harness as ch
import msgrd_harness as h

COLS, ROWS = 120, 40
WAIT = 20            # bound on each wait for the screen, in seconds
TMUX_TIMEOUT = 10    # bound on each tmux command


class Tmux:
    """One private tmux server (its own socket) running one msgr."""

    def __init__(self, env, name):
        self.env = dict(env, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color")
        self.sock = "msgr-tui-%d-%s" % (os.getpid(), name)
        self.target = "tui"

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.sock, "-f", os.devnull] + list(args),
                              env=self.env, capture_output=True, timeout=TMUX_TIMEOUT,
                              check=check)

    def start(self, argv):
        # the shell line reports the exit status once msgr ends and keeps
        # the pane open so the test can read it
        line = "%s; echo \"[msgr exited $?]\"; sleep 600" % " ".join(
            shlex.quote(a) for a in argv)
        self.tmux("new-session", "-d", "-s", self.target, "-x", str(COLS), "-y", str(ROWS),
                  "sh", "-c", line)

    def keys(self, *keys):
        """Named keys (Enter, Tab, Down, F1, C-w, M-1, ...)."""
        self.tmux("send-keys", "-t", self.target, *keys)

    def type(self, text):
        """Literal text."""
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", self.target).stdout.decode(
            "utf-8", "replace")

    def wait_for(self, what, timeout=WAIT):
        """Polls the screen until `what` (a string, or a predicate on the
        screen text) holds; returns the screen."""
        pred = what if callable(what) else (lambda s: what in s)
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if pred(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError("screen never showed %r within %ss; last screen:\n%s"
                             % (what, timeout, screen))

    def wait_gone(self, text, timeout=WAIT):
        return self.wait_for(lambda s: text not in s, timeout)

    def kill(self):
        self.tmux("kill-server", check=False)


def row(screen, text):
    """The screen line holding text (for assertions on one row)."""
    for line in screen.splitlines():
        if text in line:
            return line
    return None


class TuiTestCase(ch.CliTestCase):

    def setUp(self):
        super().setUp()
        self.tmuxes = []

    def tearDown(self):
        for t in self.tmuxes:
            t.kill()
        super().tearDown()

    def server_args(self):
        return ["--server", "127.0.0.1:%d" % self.server.port,
                "--nexus", "127.0.0.1:%d" % self.server.login_port, "--ca-file", self.ca]

    def tui(self, *args, who="alice"):
        t = Tmux(self.env, "%s-%d" % (who, len(self.tmuxes)))
        self.tmuxes.append(t)
        t.start([ch.MSGR] + self.config_of(who) + list(args))
        return t

    def sign_in_by_form(self, t, password):
        t.wait_for("msgr - Sign In")
        t.type(h.hnd("alice"))
        t.keys("Tab")
        t.type(password)
        t.keys("Enter")

    def select(self, t, text):
        """Moves the contact-list cursor onto the row holding text."""
        t.wait_for(text)
        t.keys("Home")
        for _ in range(40):
            if self._is_selected(t, text):
                return
            t.keys("Down")
            time.sleep(0.05)
        self.fail("could not put the cursor on %r; screen:\n%s" % (text, t.screen()))

    def _is_selected(self, t, text):
        # the selected row is drawn in reverse video: capture with escapes
        out = t.tmux("capture-pane", "-e", "-p", "-t", t.target).stdout.decode(
            "utf-8", "replace")
        for line in out.splitlines():
            if text in line and "\x1b[7m" in line.split(text)[0]:
                return True
        return False

    def quit(self, t):
        t.keys("F10")
        t.wait_for("[msgr exited 0]")


class SigninTest(TuiTestCase):

    def test_wrong_password_then_remember_me(self):
        self.assertOk(self.login("bob"), "login bob")
        t = self.tui(*self.server_args())
        self.sign_in_by_form(t, "not-the-password")
        t.wait_for("sign-in name or password is wrong")
        # the refused password is gone and the cursor is back on it
        t.type(h.pw_for("alice"))
        t.keys("Tab", "Space", "Enter")
        screen = t.wait_for("(Online)")
        self.assertIn("alice@example.com", row(screen, "msgr "))
        self.quit(t)
        # remember me saved the profile: the scripting commands use it, and
        # the next start signs in by itself
        self.assertOk(self.msgr("contacts"), "contacts with the profile the UI saved")
        t2 = self.tui()
        t2.wait_for("(Online)")
        self.quit(t2)

    def test_unreachable_server(self):
        t = self.tui("--server", "127.0.0.1:%d" % ch.closed_port(), "--nexus",
                     "127.0.0.1:%d" % ch.closed_port(), "--ca-file", self.ca)
        self.sign_in_by_form(t, "whatever")
        t.wait_for("Cannot reach the server")
        self.quit(t)


class ReconnectTest(TuiTestCase):

    def test_reconnects_after_the_server_restarts(self):
        self.assertOk(self.login("alice"), "login alice")
        t = self.tui()
        t.wait_for("(Online)")
        port, login_port = self.server.port, self.server.login_port
        self.server.stop()
        t.wait_for("Reconnecting in")
        self.assertIn("Connection lost", t.screen())
        # the same ports again (the later --listen wins over the harness's)
        self.server.start(extra=("--listen", "127.0.0.1:%d" % port,
                                 "--login-listen", "127.0.0.1:%d" % login_port))
        t.wait_for("Reconnected as alice@example.com", timeout=45)
        self.quit(t)


class ChatTest(TuiTestCase):

    def setUp(self):
        super().setUp()
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("bob"), "login bob")
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")
        self.assertOk(self.msgr("add", "alice@example.com", who="bob"), "bob adds alice")

    def test_chat_block_and_presence(self):
        t = self.tui()  # the saved profile signs in at once
        t.wait_for("bob@example.com (Offline)")
        bob = self.listen("bob")
        t.wait_for("bob@example.com (Online)")
        bob.wait_for(lambda e: e["event"] == "status" and e["contact"] == "alice@example.com"
                     and e["status"] == "online", "alice online")
        # alice opens a conversation and types: bob sees the typing notice,
        # then the message
        self.select(t, "bob@example.com (Online)")
        t.keys("Enter")
        t.wait_for(" 1:bob@example.com")
        t.type("héllo")
        bob.wait_for(lambda e: e["event"] == "typing", "alice typing")
        t.type(" bob")
        t.keys("Enter")
        ev = bob.wait_for(lambda e: e["event"] == "message", "alice's message")
        self.assertEqual(ev["text"], "héllo bob")
        t.wait_for("alice@example.com: héllo bob")
        code, _, err = bob.stop()
        self.assertEqual(code, 0, err)
        t.wait_for("bob@example.com (Offline)")
        # bob answers with the scripting client: the message lands in a tab
        self.assertOk(self.msgr("send", "alice@example.com", "hi alice", who="bob"),
                      "bob sends")
        t.wait_for("bob@example.com: hi alice")
        # alice blocks bob: bob's listen sees her go offline
        bob = self.listen("bob")
        bob.wait_for(lambda e: e["event"] == "status" and e["contact"] == "alice@example.com"
                     and e["status"] == "online", "alice online again")
        t.keys("Escape")
        self.select(t, "bob@example.com (Online)")
        t.keys("b")
        t.wait_for("[blocked]")
        bob.wait_for(lambda e: e["event"] == "status" and e["contact"] == "alice@example.com"
                     and e["status"] == "offline", "alice offline after the block")
        t.keys("b")
        t.wait_gone("[blocked]")
        bob.wait_for(lambda e: e["event"] == "status" and e["contact"] == "alice@example.com"
                     and e["status"] == "online", "alice back after the unblock")
        bob.stop()
        self.quit(t)


class ContactsTest(TuiTestCase):

    def setUp(self):
        super().setUp()
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("carol"), "login carol")

    def test_help_add_remove_pending_groups_sort(self):
        t = self.tui()
        t.wait_for("(Online)")
        t.keys("?")
        t.wait_for("msgr - keys")
        self.assertIn("Ctrl-W", t.screen())
        t.keys("Escape")
        t.wait_gone("msgr - keys")
        t.keys("F1")
        t.wait_for("msgr - keys")
        t.keys("q")
        t.wait_gone("msgr - keys")
        # add and remove
        t.keys("a")
        t.wait_for("Add a Contact")
        t.type("bob@example.com")
        t.keys("Enter")
        t.wait_for("bob@example.com (Offline)")
        self.select(t, "bob@example.com (Offline)")
        t.keys("d")
        t.wait_for("Remove bob@example.com from your contact list?")
        t.keys("r")
        t.wait_for("was removed from your contact list")
        t.wait_gone("bob@example.com (Offline)")
        # carol adds alice: alice is asked, and allows (adds) her
        self.assertOk(self.msgr("add", "alice@example.com", who="carol"), "carol adds alice")
        t.wait_for("carol@example.com has added you")
        t.keys("a")
        t.wait_for("carol@example.com (Offline)")
        # a group, and carol moved into it
        t.keys("g")
        t.wait_for("Create a Group")
        t.type("Friends")
        t.keys("Enter")
        t.wait_for("Friends (0/0)")
        self.select(t, "carol@example.com (Offline)")
        t.keys("m")
        t.wait_for("Move a Contact")
        t.type("Friends")
        t.keys("Enter")
        t.wait_for("Friends (0/1)")
        # sorted by online status instead of groups
        t.keys("o")
        t.wait_for("Not Online (1)")
        t.keys("o")
        t.wait_for("Friends (0/1)")
        # a narrow terminal shows one pane at a time; wide again, both
        t.tmux("resize-window", "-t", t.target, "-x", "60", "-y", "20")
        screen = t.wait_for(lambda s: "Friends (0/1)" in s and "\u2502" not in s)
        self.assertLessEqual(max(len(l) for l in screen.splitlines()), 60)
        t.tmux("resize-window", "-t", t.target, "-x", str(COLS), "-y", str(ROWS))
        t.wait_for(lambda s: "Friends (0/1)" in s and "\u2502" in s)
        self.quit(t)


class NameAndPendingTest(TuiTestCase):

    def setUp(self):
        super().setUp()
        for who in ("alice", "bob", "carol"):
            self.assertOk(self.login(who), "login " + who)

    def test_display_name_seen_by_another_client(self):
        # alice allows bob first, so bob is not pending when she signs in
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")
        self.assertOk(self.msgr("add", "alice@example.com", who="bob"), "bob adds alice")
        t = self.tui()
        t.wait_for("(Online)")
        bob = self.listen("bob")
        t.keys("?")
        t.wait_for("change your display name")
        t.keys("Escape")
        t.wait_gone("msgr - keys")
        t.keys("n")
        t.wait_for("Your Display Name")
        t.keys("C-u")
        t.type("Alice in Wonderland")
        t.keys("Enter")
        screen = t.wait_for("Alice in Wonderland <alice@example.com>")
        self.assertIn("Alice in Wonderland", row(screen, "msgr "))
        ev = bob.wait_for(lambda e: e["event"] == "friendly_name"
                          and e["contact"] == "alice@example.com", "alice's new name")
        self.assertEqual(ev["friendly_name"], "Alice in Wonderland")
        self.assertEqual(ev["previous"], "alice@example.com")
        # an empty name is refused at once, nothing is sent
        t.keys("n")
        t.wait_for("Your Display Name")
        t.keys("C-u", "Enter")
        t.wait_for("cannot be empty")
        bob.stop()
        self.quit(t)

    def test_added_while_away_is_offered_at_signin(self):
        # carol adds alice while alice is signed out
        self.assertOk(self.msgr("add", "alice@example.com", who="carol"), "carol adds alice")
        t = self.tui()
        t.wait_for("carol@example.com has added you")
        t.keys("a")
        t.wait_for("carol@example.com (Offline)")
        self.assertNotIn("Added you", t.screen())
        self.quit(t)
        self.assertIn("carol@example.com", self.contacts())
        # answered: not asked again at the next sign-in
        t2 = self.tui()
        t2.wait_for("(Online)")
        time.sleep(1)
        self.assertNotIn("has added you", t2.screen())
        self.quit(t2)


APP_ID = "msgr-tui-test@example.com"
APP_KEY = "tui-K3y"


class AlertTest(TuiTestCase):
    """msgrd with its admin endpoint (`msgrd alert send`) and, first, Lock
    and Key off: a MessengerPriv is usable without unlocking."""

    SERVER_ARGS = ("--lock-and-key=false",)

    def send_alert(self, text, until):
        """Sends until `until()` holds: the client subscribes right after
        signing in, and an alert sent before that is not delivered."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            p = self.server.cli("alert", "send", "alice@example.com", text, "--url",
                                "http://example.net/build?id=7", "--data-dir",
                                self.server.data_dir)
            self.assertEqual(p.returncode, 0, p.stderr)
            for _ in range(20):
                if until():
                    return
                time.sleep(0.1)
        self.fail("the alert %r never showed" % text)

    def test_alert_in_the_ui_and_in_listen(self):
        self.assertOk(self.login("alice"), "login alice")
        t = self.tui()
        t.wait_for("(Online)")
        self.send_alert("Build 7 & tests <passed>",
                        lambda: "Alert: Build 7 & tests <passed>" in t.screen())
        self.assertIn("http://example.net/build?id=7", row(t.screen(), "Alert:"))
        self.quit(t)
        # msgr listen prints it as a JSON line
        l = self.listen("alice")
        l.wait_for(lambda e: e["event"] == "alerts", "alerts subscription")
        self.assertEqual(l.events[-1]["state"], "on")
        self.server.cli("alert", "send", "alice@example.com", "Deploy done", "--data-dir",
                        self.server.data_dir)
        ev = l.wait_for(lambda e: e["event"] == "alert", "the alert")
        self.assertEqual(ev["text"], "Deploy done")
        l.stop()


class AlertUnlockTest(AlertTest):
    """Lock and Key on: the profile's app-id and app-key unlock it."""

    SERVER_ARGS = ()

    def setUp(self):
        super().setUp()
        self.server.stop()
        p = self.server.cli("app", "add", APP_ID, APP_KEY, "--data-dir", self.server.data_dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.server.start()

    def add_app_key(self, key):
        with open(os.path.join(self.home, "config", "msgr", "config"), "a") as f:
            f.write("app-id = %s\napp-key = %s\n" % (APP_ID, key))

    def test_alert_in_the_ui_and_in_listen(self):
        self.assertOk(self.login("alice"), "login alice")
        self.add_app_key(APP_KEY)
        # a later `msgr login` rewrites the file and keeps the keys
        self.assertOk(self.login("alice"), "login alice again")
        with open(os.path.join(self.home, "config", "msgr", "config")) as f:
            self.assertIn("app-key = " + APP_KEY, f.read())
        l = self.listen("alice")
        ev = l.wait_for(lambda e: e["event"] == "alerts", "alerts subscription")
        self.assertEqual(ev["state"], "on")
        self.server.cli("alert", "send", "alice@example.com", "Unlocked", "--data-dir",
                        self.server.data_dir)
        ev = l.wait_for(lambda e: e["event"] == "alert", "the alert")
        self.assertEqual(ev["text"], "Unlocked")
        l.stop()

    def test_wrong_key(self):
        self.assertOk(self.login("alice"), "login alice")
        self.add_app_key("not-the-key")
        l = self.listen("alice")
        ev = l.wait_for(lambda e: e["event"] == "alerts", "alerts subscription")
        self.assertEqual(ev["state"], "unavailable")
        self.assertIn("refused", ev["reason"])
        l.stop()


class TransferTest(TuiTestCase):

    def setUp(self):
        super().setUp()
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("bob"), "login bob")
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")

    def test_sendfile_accepted_in_the_ui(self):
        data = os.urandom(300 * 1024) + "end ünïcode\n".encode("utf-8")
        src = os.path.join(self.home, "report data.bin")
        with open(src, "wb") as f:
            f.write(data)
        t = self.tui()
        t.wait_for("(Online)")
        proc = subprocess.Popen([ch.MSGR] + self.config_of("bob") + ["sendfile",
                                "alice@example.com", src], env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            t.wait_for("wants to send you \"report data.bin\"")
            t.keys("a")
            t.wait_for("Received \"report data.bin\"")
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 0, err)
        saved = os.path.join(self.home, "Downloads", "report data.bin")
        with open(saved, "rb") as f:
            self.assertEqual(f.read(), data)
        self.quit(t)

    def test_declined_offer_fails_sendfile(self):
        src = os.path.join(self.home, "unwanted.txt")
        with open(src, "w") as f:
            f.write("no thanks\n")
        t = self.tui()
        t.wait_for("(Online)")
        proc = subprocess.Popen([ch.MSGR] + self.config_of("bob") + ["sendfile",
                                "alice@example.com", src], env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            t.wait_for("wants to send you \"unwanted.txt\"")
            t.keys("d")
            t.wait_for("was declined")
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 1)
        lines = err.decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertRegex(lines[0], r"^msgr: sendfile: alice@example\.com declined ")
        self.assertFalse(os.path.exists(os.path.join(self.home, "Downloads", "unwanted.txt")))
        self.quit(t)

    def test_send_from_a_conversation_to_another_ui(self):
        self.assertOk(self.msgr("add", "alice@example.com", who="bob"), "bob adds alice")
        data = bytes(range(256)) * 2048
        src = os.path.join(self.home, "photo.raw")
        with open(src, "wb") as f:
            f.write(data)
        alice, bob = self.tui(), self.tui(who="bob")
        alice.wait_for("bob@example.com (Online)")
        bob.wait_for("alice@example.com (Online)")
        self.select(alice, "bob@example.com (Online)")
        alice.keys("Enter")
        alice.wait_for(" 1:bob@example.com")
        alice.keys("C-o")
        alice.wait_for("Send a File")
        alice.type(src)
        alice.keys("Enter")
        alice.wait_for("Offering the file \"photo.raw\"")
        bob.wait_for("wants to send you \"photo.raw\"")
        bob.keys("a")
        bob.wait_for("Received \"photo.raw\"")
        alice.wait_for("Sent \"photo.raw\"")
        with open(os.path.join(self.home, "Downloads", "photo.raw"), "rb") as f:
            self.assertEqual(f.read(), data)
        self.quit(alice)
        self.quit(bob)


if __name__ == "__main__":
    if shutil.which("tmux") is None:
        sys.stderr.write("test_tui: tmux is not installed: skipped\n")
        sys.exit(77)
    ch.main()
