"""Application invitations (Session Invite) in msgr: `msgr app register /
unregister / list`, `msgr invite`, the invitation in the interactive client
under tmux (accept starts the registered program, decline, not installed),
inviting from a conversation tab (Ctrl-L), and `msgr listen`'s
"invitation" / "session_ended" lines.

msgrd runs with --lock-and-key=false, so the session managers are usable
without an application key (LOCK_DISABLED). The registered program is a
shell script written by the test that records MSGR_SESSION_ID in a marker
file. Every wait is bounded.

Exits 77 (CTest's SKIP_RETURN_CODE) only when tmux is not installed.
"""

import glob
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time

import cli_harness as ch
from test_tui import TuiTestCase, WAIT

GUID = "{2f8e7c1a-0b3d-4e5f-8a9b-1c2d3e4f5a6b}"
GUID_UP = GUID.upper()
MISSING = "{11111111-2222-3333-4444-555555555555}"
SESSION_ID = re.compile(r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")


class AppsTestCase(TuiTestCase):

    SERVER_ARGS = ("--lock-and-key=false",)

    def setUp(self):
        super().setUp()  # XDG_RUNTIME_DIR is private: messengers serve there
        self.marker = os.path.join(self.home, "launched")
        self.program = os.path.join(self.home, "chess.sh")
        with open(self.program, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$MSGR_SESSION_ID\" > %s.tmp && mv %s.tmp %s\n"
                    % (self.marker, self.marker, self.marker))
        os.chmod(self.program, 0o755)
        self.procs = []
        self.addCleanup(self._kill_procs)
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("bob"), "login bob")
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")
        self.assertOk(self.msgr("add", "alice@example.com", who="bob"), "bob adds alice")

    def _kill_procs(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.communicate(timeout=10)

    def register(self, who, guid=GUID, name="Chess", path=None, url="http://example.com/chess"):
        p = self.msgr("app", "register", guid, name, path or self.program, "--url", url, who=who)
        self.assertOk(p, "%s registers %s" % (who, name))

    def invite_bg(self, *args, who="bob"):
        p = subprocess.Popen([ch.MSGR] + self.config_of(who) + ["invite"] + list(args),
                             env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        self.procs.append(p)
        return p

    def finish(self, p, timeout=60):
        out, err = p.communicate(timeout=timeout)
        return p.returncode, err.decode("utf-8", "replace")

    def wait_file(self, path, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(path):
                return ch.read_text(path)
            time.sleep(0.1)
        self.fail("%s never appeared" % path)


class RegistryTest(AppsTestCase):

    def test_register_list_unregister(self):
        self.assertEqual(self.msgr("app", "list").stdout, b"")
        self.register("alice")
        p = self.msgr("app", "list")
        self.assertOk(p, "app list")
        self.assertEqual(p.stdout.decode(), "%s\tChess\thttp://example.com/chess\t%s\n"
                         % (GUID_UP, os.path.realpath(self.program)))
        lists = glob.glob(os.path.join(self.home, "config", "msgr", "profiles", "*", "msgr-apps"))
        self.assertEqual(len(lists), 1, lists)
        self.assertEqual(stat.S_IMODE(os.stat(lists[0]).st_mode), 0o600)
        self.assertOneLineError(self.msgr("app", "register", GUID, "Chess", self.program),
                                "a second registration", r"already registered", code=2)
        self.assertOk(self.msgr("app", "unregister", GUID_UP), "app unregister")
        self.assertEqual(self.msgr("app", "list").stdout, b"")
        self.assertOneLineError(self.msgr("app", "unregister", GUID), "unregister again",
                                r"not registered", code=1)

    def test_argument_errors(self):
        cases = [
            (("app", "register", "chess", "Chess", self.program), r"not an application GUID"),
            (("app", "register", GUID, "Chess", "/nonexistent/x"), r"not an executable file"),
            (("app", "register", GUID, "Chess"), r"usage: msgr app register"),
            (("app", "frobnicate"), r"unknown action"),
            (("app", "list", "--url", "x"), r"--url belongs to msgr app register"),
            (("invite", "bob@example.com", "nope"), r"not an application GUID"),
            (("invite", "bob", GUID), r"not a sign-in name"),
            (("invite", "bob@example.com", GUID, "--data", "a\nb"), r"--data"),
            (("send", "bob@example.com", "hi", "--data", "x"), r"unknown option --data"),
        ]
        for args, pattern in cases:
            self.assertOneLineError(self.msgr(*args), " ".join(args), pattern, code=2)
        for cmd in ("app", "invite"):
            p = self.msgr(cmd, "--help")
            self.assertOk(p, "%s --help" % cmd)
            self.assertIn("usage: msgr " + cmd, p.stdout.decode())

    def test_invite_needs_the_application_registered_here(self):
        self.assertOneLineError(self.msgr("invite", "alice@example.com", GUID, who="bob"),
                                "invite unregistered", r"not registered here", code=1)


class InviteTest(AppsTestCase):

    def test_accept_in_the_ui_starts_the_program(self):
        self.register("alice")
        self.register("bob", path="/bin/true")
        t = self.tui()
        t.wait_for("> (Online)")  # signed in; bob signs in with msgr invite
        p = self.invite_bg("alice@example.com", GUID, "--data", "white")
        t.wait_for("invites you to Chess")
        t.keys("a")
        session_id = self.wait_file(self.marker).strip()
        self.assertRegex(session_id, SESSION_ID)
        t.wait_for("Starting Chess")
        code, err = self.finish(p)
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")
        self.quit(t)

    def test_decline_in_the_ui_fails_invite(self):
        self.register("alice")
        self.register("bob", path="/bin/true")
        t = self.tui()
        t.wait_for("> (Online)")  # signed in; bob signs in with msgr invite
        p = self.invite_bg("alice@example.com", GUID)
        t.wait_for("invites you to Chess")
        t.keys("d")
        t.wait_for("You declined the invitation to Chess")
        code, err = self.finish(p)
        self.assertEqual(code, 1)
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertRegex(lines[0], r"^msgr: invite: alice@example\.com declined the "
                                   r"invitation to Chess$")
        self.assertFalse(os.path.exists(self.marker))
        self.quit(t)

    def test_not_installed_here(self):
        self.register("bob", path="/bin/true")  # alice has nothing registered
        t = self.tui()
        t.wait_for("> (Online)")  # signed in; bob signs in with msgr invite
        p = self.invite_bg("alice@example.com", GUID)
        t.wait_for("invites you to Chess")
        t.keys("a")
        t.wait_for("Chess is not installed here; get it at http://example.com/chess")
        code, err = self.finish(p)
        self.assertEqual(code, 1)
        self.assertRegex(err.strip(), r"^msgr: invite: alice@example\.com does not have "
                                      r"Chess installed$")
        self.quit(t)

    def test_invite_from_a_tab_declined_by_the_other_ui(self):
        self.register("alice", path="/bin/true")
        self.register("bob")
        alice, bob = self.tui(), self.tui(who="bob")
        alice.wait_for("bob@example.com (Online)")
        bob.wait_for("alice@example.com (Online)")
        self.select(alice, "bob@example.com (Online)")
        alice.keys("Enter")
        alice.wait_for(" 1:bob@example.com")
        alice.keys("C-l")
        alice.wait_for("Invite bob@example.com to which application?")
        alice.keys("1")
        alice.wait_for("Inviting bob@example.com to Chess")
        bob.wait_for("invites you to Chess")
        bob.keys("d")
        alice.wait_for("bob@example.com declined the invitation to Chess")
        self.assertFalse(os.path.exists(self.marker))
        self.quit(alice)
        self.quit(bob)


class ListenTest(AppsTestCase):

    def test_listen_prints_the_invitation_and_its_end(self):
        self.register("bob", path="/bin/true")
        l = self.listen("alice")
        ev = l.wait_for(lambda e: e["event"] == "invitations", "invitations state")
        self.assertEqual(ev["state"], "on")
        p = self.invite_bg("alice@example.com", GUID, "--data", "e4 e5")
        ev = l.wait_for(lambda e: e["event"] == "invitation", "the invitation")
        self.assertEqual((ev["contact"], ev["application"], ev["name"], ev["url"], ev["data"]),
                         ("bob@example.com", GUID_UP, "Chess", "http://example.com/chess",
                          "e4 e5"))
        self.assertRegex(ev["session"], SESSION_ID)
        p.send_signal(signal.SIGINT)  # the inviter gives up: a cancel
        code, err = self.finish(p)
        self.assertEqual(code, 1)
        self.assertRegex(err.strip(), r"^msgr: invite: interrupted: the invitation was "
                                      r"cancelled$")
        end = l.wait_for(lambda e: e["event"] == "session_ended", "the end")
        self.assertEqual((end["session"], end["result"]), (ev["session"], "cancelled"))
        code, _, err = l.stop()
        self.assertEqual(code, 0, err)


if __name__ == "__main__":
    if shutil.which("tmux") is None:
        sys.stderr.write("test_apps: tmux is not installed: skipped\n")
        sys.exit(77)
    ch.main()
