"""msgr sendfile USER FILE: its refusals (bad arguments before any sign-in,
an offline contact, a declined offer) and --help. The successful transfer,
accepted by a person in the interactive client, is in test_tui.py.
"""

import os
import subprocess

import cli_harness as ch


class SendfileTest(ch.CliTestCase):

    def setUp(self):
        super().setUp()
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("bob"), "login bob")
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")
        self.file = os.path.join(self.home, "notes.txt")
        with open(self.file, "w") as f:
            f.write("some notes\n")

    def test_bad_arguments(self):
        self.assertOneLineError(self.msgr("sendfile", "bob@example.com"), "no file",
                                r"wrong number of arguments", code=2)
        self.assertOneLineError(self.msgr("sendfile", "bob", self.file), "bad address",
                                r"not a sign-in name", code=2)
        missing = os.path.join(self.home, "missing.bin")
        self.assertOneLineError(self.msgr("sendfile", "bob@example.com", missing),
                                "missing file", r"not a readable file", code=2)
        self.assertOneLineError(self.msgr("sendfile", "bob@example.com", self.home),
                                "a directory", r"not a readable file", code=2)
        self.assertOneLineError(self.msgr("sendfile", "alice@example.com", self.file),
                                "yourself", r"yourself", code=2)

    def test_offline_contact(self):
        self.assertOneLineError(self.msgr("sendfile", "bob@example.com", self.file),
                                "offline contact", r"bob@example\.com is offline", code=1)

    def test_unknown_user_does_not_join(self):
        p = self.msgr("--timeout", "2", "sendfile", "nobody@example.com", self.file)
        self.assertOneLineError(p, "unknown user", r"did not join", code=1)

    def test_help(self):
        p = self.msgr("sendfile", "--help")
        self.assertOk(p, "sendfile --help")
        self.assertTrue(p.stdout.decode().startswith("usage: msgr sendfile USER FILE"))
        self.assertIn("msgr sendfile USER FILE", self.msgr("--help").stdout.decode())


if __name__ == "__main__":
    ch.main()
