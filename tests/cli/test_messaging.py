"""msgr send delivering to a `msgr listen` of another account, the JSON
events of listen (sign-in, presence, conversations, messages), status
setting and its semantics, and send's failures (offline contact, unknown
user, bad arguments)."""

import select
import signal
import subprocess

import cli_harness as ch


def is_message(e):
    return e["event"] == "message"


class MessagingTest(ch.CliTestCase):

    def setUp(self):
        super().setUp()
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("bob"), "login bob")
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")

    def test_send_to_listen(self):
        l = self.listen("bob")
        p = self.msgr("send", "bob@example.com", "hello", "bob")
        self.assertOk(p, "send")
        ev = l.wait_for(is_message, "the message")
        self.assertEqual(ev["text"], "hello bob")
        self.assertEqual(ev["from"], "alice@example.com")
        kinds = [e["event"] for e in l.events]
        self.assertIn("conversation", kinds)
        self.assertIn("join", kinds)
        # text from standard input, with a line break and non-ASCII
        p = self.msgr("send", "bob@example.com", "-", stdin="dos\nlíneas \"q\"\n".encode())
        self.assertOk(p, "send from stdin")
        ev = l.wait_for(is_message, "the second message")
        self.assertEqual(ev["text"], "dos\nlíneas \"q\"")
        # a sender who does not have bob on its list (presence unknown)
        self.assertOk(self.login("carol"), "login carol")
        self.assertOk(self.msgr("send", "bob@example.com", "from carol", who="carol"),
                      "carol sends to an unlisted contact")
        ev = l.wait_for(is_message, "carol's message")
        self.assertEqual((ev["from"], ev["text"]), ("carol@example.com", "from carol"))
        code, rest, err = l.stop()
        self.assertEqual(code, 0, err)
        self.assertEqual(err.strip(), "")
        self.assertEqual(rest[-1], {"event": "signout", "reason": "signal"})

    def test_listen_sees_who_adds_and_removes_you(self):
        self.assertOk(self.login("carol"), "login carol")
        l = self.listen("alice")
        self.assertOk(self.msgr("add", "alice@example.com", who="carol"), "carol adds alice")
        ev = l.wait_for(lambda e: e["event"] == "added_by", "carol's addition")
        self.assertEqual(ev["contact"], "carol@example.com")
        self.assertOk(self.msgr("remove", "alice@example.com", who="carol"), "carol removes alice")
        ev = l.wait_for(lambda e: e["event"] == "removed_by", "carol's removal")
        self.assertEqual(ev["contact"], "carol@example.com")
        code, _, err = l.stop()
        self.assertEqual(code, 0, err)

    def test_listen_sees_presence_and_status(self):
        l = self.listen("alice")
        self.assertOk(self.msgr("status", "away", who="bob"), "bob: status away")
        ev = l.wait_for(lambda e: e["event"] == "status" and e["status"] == "away",
                        "bob's away status")
        self.assertEqual(ev["contact"], "bob@example.com")
        ev = l.wait_for(lambda e: e["event"] == "status" and e["status"] == "offline",
                        "bob going offline")
        self.assertEqual(ev["previous"], "away")
        # the status is saved: bob's next session signs in as away
        p = self.msgr("status", who="bob")
        self.assertOk(p, "bob: status")
        self.assertEqual(p.stdout, b"away\n")
        code, _, err = l.stop(signal.SIGTERM)
        self.assertEqual(code, 0, err)

    def test_status_hold(self):
        l = self.listen("alice")
        proc = subprocess.Popen([ch.MSGR] + self.config_of("bob") + ["status", "--hold", "busy"],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            r, _, _ = select.select([proc.stdout], [], [], 20)
            self.assertTrue(r, "status --hold prints the status once signed in")
            self.assertEqual(proc.stdout.readline(), b"busy\n")
            l.wait_for(lambda e: e["event"] == "status" and e["status"] == "busy",
                       "bob busy while held")
            self.assertIsNone(proc.poll(), "status --hold stays signed in")
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 0, err)
        l.wait_for(lambda e: e["event"] == "status" and e["status"] == "offline",
                   "bob offline after the hold")
        l.stop()

    def test_status_values(self):
        p = self.msgr("status")
        self.assertOk(p, "status")
        self.assertEqual(p.stdout, b"online\n")
        for s in ("busy", "brb", "phone", "lunch", "idle", "invisible", "online"):
            self.assertOk(self.msgr("status", s), "status %s" % s)
            p = self.msgr("status")
            self.assertEqual(p.stdout.decode(), s + "\n")
        self.assertOneLineError(self.msgr("status", "offline"), "status offline",
                                r"invisible", code=2)
        self.assertOneLineError(self.msgr("status", "sleepy"), "status sleepy",
                                r"unknown status", code=2)

    def test_send_failures(self):
        self.assertOneLineError(self.msgr("send", "bob@example.com", "hi"), "offline contact",
                                r"bob@example\.com is offline", code=1)
        p = self.msgr("--timeout", "2", "send", "nobody@example.com", "hi")
        self.assertOneLineError(p, "unknown user", r"did not join", code=1)
        self.assertOneLineError(self.msgr("send", "alice@example.com", "hi"), "yourself",
                                r"yourself", code=2)
        self.assertOneLineError(self.msgr("send", "bob@example.com", stdin=b""), "empty",
                                r"empty message", code=2)
        self.assertOneLineError(self.msgr("send", "bob@example.com", "x" * 1401), "too long",
                                r"too long", code=2)
        self.assertOneLineError(self.msgr("send", "bob", "hi"), "bad address",
                                r"not a sign-in name", code=2)

    def test_send_kicks_listen_of_same_account(self):
        # one session per account: a command signs the other session out
        l = self.listen("bob")
        self.assertOk(self.msgr("contacts", who="bob"), "bob: contacts")
        code, rest, err = l.stop(timeout=20)
        self.assertEqual(code, 1, "listen ends with an error when signed in elsewhere")
        self.assertRegex(err, r"^msgr: listen: .*signed in somewhere else\n$")
        self.assertEqual(rest[-1]["event"], "signout")


if __name__ == "__main__":
    ch.main()
