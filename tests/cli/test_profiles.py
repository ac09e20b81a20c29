"""msgr login/logout, the config file and its modes, global options,
--help/--version, and sign-in failures (wrong password, unreachable
server, missing or unsafe profile)."""

import os
import stat

import cli_harness as ch


class ProfileTest(ch.CliTestCase):

    def cfg_path(self):
        return os.path.join(self.home, "config", "msgr", "config")

    def test_login_saves_profile_with_safe_modes(self):
        p = self.login("alice")
        self.assertOk(p, "login")
        self.assertIn(b"alice@example.com", p.stdout)
        cfg = self.cfg_path()
        self.assertEqual(stat.S_IMODE(os.stat(cfg).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(cfg)).st_mode), 0o700)
        cred = os.path.join(os.path.dirname(cfg), "profiles", "default", "credentials")
        self.assertEqual(stat.S_IMODE(os.stat(cred).st_mode), 0o600)
        text = ch.read_text(cfg)
        self.assertIn("signin = alice@example.com", text)
        self.assertIn("server = 127.0.0.1:%d" % self.server.port, text)
        self.assertIn("ca-file = %s" % os.path.abspath(self.ca), text)
        self.assertIn("default = default", text)
        self.assertNotIn(ch.h.pw_for("alice"), text, "the password is not in the config")
        # the saved profile works without any option
        self.assertOk(self.msgr("contacts"), "contacts after login")

    def test_unsafe_config_mode_refused(self):
        self.assertOk(self.login("alice"), "login")
        os.chmod(self.cfg_path(), 0o644)
        self.assertOneLineError(self.msgr("contacts"), "group-readable config",
                                r"chmod 600", code=2)
        os.chmod(self.cfg_path(), 0o600)
        self.assertOk(self.msgr("contacts"), "contacts after chmod 600")

    def test_logout_forgets_credentials(self):
        self.assertOk(self.login("alice"), "login")
        self.assertOk(self.msgr("logout"), "logout")
        self.assertOneLineError(self.msgr("contacts"), "contacts after logout",
                                r"no saved credentials.*msgr login", code=2)
        self.assertOk(self.msgr("logout"), "logout again")
        self.assertOneLineError(self.msgr("logout", "--profile", "nope"), "unknown profile",
                                r"no profile 'nope'")
        self.assertOk(self.login("alice"), "login again")
        self.assertOk(self.msgr("contacts"), "contacts after the new login")

    def test_named_profiles(self):
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.login("bob", extra=("--profile", "second"), config_of="alice"), "login bob as 'second'")
        # the first profile stays the default
        p = self.msgr("status", "--profile", "second")
        self.assertOk(p, "status of profile second")
        text = ch.read_text(self.cfg_path())
        self.assertIn("[second]", text)
        self.assertIn("signin = bob@example.com", text)
        self.assertIn("default = default", text)
        self.assertOneLineError(self.msgr("contacts", "--profile", "missing"),
                                "missing profile", r"no profile 'missing'.*msgr login", code=2)
        self.assertOneLineError(self.login("carol", extra=("--profile", "../x")),
                                "bad profile name", r"bad profile name", code=2)

    def test_wrong_password(self):
        p = self.login("alice", password="not-the-password")
        self.assertOneLineError(p, "wrong password", r"wrong sign-in name or password", code=1)
        self.assertFalse(os.path.exists(self.cfg_path()), "nothing saved after a failed login")
        p = self.login("nobody@example.com", password="whatever")
        self.assertOneLineError(p, "unknown user", r"wrong sign-in name or password", code=1)
        p = self.login("alice", password="")
        self.assertOneLineError(p, "empty password", r"no password", code=2)

    def test_unreachable_server(self):
        port = ch.closed_port()
        p = self.login("alice", server="127.0.0.1:%d" % port)
        self.assertOneLineError(p, "login to a closed port", r"cannot reach the server", code=1)
        self.assertOk(self.login("alice"), "login")
        p = self.msgr("--server", "127.0.0.1:%d" % port, "contacts")
        self.assertOneLineError(p, "contacts via a closed port", r"cannot reach the server")
        p = self.msgr("--nexus", "127.0.0.1:%d" % port, "contacts")
        self.assertOneLineError(p, "contacts with a closed login service",
                                r"cannot reach the server")
        p = self.msgr("--server", "no port here:x", "contacts")
        self.assertOneLineError(p, "malformed server", None)

    def test_untrusted_certificate(self):
        other = os.path.join(self.home, "other.pem")
        with open(other, "w") as f:
            f.write("")
        self.assertOk(self.login("alice"), "login")
        p = self.msgr("--ca-file", other, "contacts")
        self.assertOneLineError(p, "contacts with an empty CA file", None, code=1)

    def test_bad_arguments(self):
        cases = [
            ([], r"no command"),
            (["frobnicate"], r"unknown command"),
            (["contacts", "--bogus"], r"unknown option"),
            (["send"], r"wrong number of arguments"),
            (["login"], r"wrong number of arguments"),
            (["login", "not-an-address"], r"not a sign-in name"),
            (["add", "bob"], r"not a sign-in name"),
            (["--timeout", "0", "contacts"], r"--timeout"),
            (["status", "--json"], r"unknown option"),
        ]
        for args, pattern in cases:
            self.assertOneLineError(self.msgr(*args), "msgr %r" % args, pattern, code=2)

    def test_help_and_version(self):
        p = self.msgr("--help")
        self.assertOk(p, "--help")
        out = p.stdout.decode()
        for cmd in ("login", "logout", "send", "status", "contacts", "add", "remove",
                    "block", "unblock", "listen"):
            self.assertIn("msgr %s" % cmd, out)
        for cmd in ("send", "status", "contacts", "listen", "login"):
            p = self.msgr(cmd, "--help")
            self.assertOk(p, "%s --help" % cmd)
            self.assertTrue(p.stdout.decode().startswith("usage: msgr %s" % cmd))
        p = self.msgr("--version")
        self.assertOk(p, "--version")
        self.assertRegex(p.stdout.decode(), r"^msgr \d+\.\d+\.\d+ \(libmsgr \d+\.\d+\.\d+\)\n$")


if __name__ == "__main__":
    ch.main()
