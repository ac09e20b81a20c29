"""msgrd command line: user administration, --help, serve banner, signals."""

import hashlib
import os
import re
import signal
import ssl
import subprocess
import tempfile
import time
import shutil

import msgrd_harness as h

SERVE_OPTIONS = [
    "--data-dir", "--listen", "--login-listen", "--argon2-ops", "--argon2-mem-kib",
    "--chl-interval", "--chl-timeout", "--chl-lenient", "--login-timeout", "--idle-timeout",
    "--fl-limit", "--al-limit", "--bl-limit", "--rl-limit", "--max-line", "--output-limit",
    "--login-fail-limit", "--login-fail-window", "--rea-limit", "--chg-limit", "--dispatch",
    "--sb-idle-timeout", "--sb-alone-timeout", "--sb-max-members", "--sync", "--ticket-ttl",
]


class CliTest(h.ServerTestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="msgrd-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.dir = os.path.join(self.tmp, "data")
        os.mkdir(self.dir)

    def run_cli(self, *args, stdin=None):
        p = subprocess.run([h.MSGRD] + list(args), input=stdin, capture_output=True, timeout=60)
        return p

    def add(self, handle, pw="secret-pw-1", data_dir=None):
        return self.run_cli("user", "add", handle, "--data-dir", data_dir or self.dir, *h.ARGON2,
                            stdin=(pw + "\n").encode())

    def list_users(self, data_dir=None):
        p = self.run_cli("user", "list", "--data-dir", data_dir or self.dir)
        self.assertEqual(p.returncode, 0, "user list failed: %r" % p.stderr)
        return p.stdout.decode().splitlines()

    def assertOneLineError(self, p, what):
        self.assertNotEqual(p.returncode, 0, "%s: expected a non-zero exit, got 0 (stdout=%r)" % (what, p.stdout))
        err = p.stderr.decode("utf-8", "replace")
        lines = [l for l in err.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, "%s: expected a one-line error on stderr, got %r" % (what, err))

    # --help ---------------------------------------------------------------
    def test_help_lists_every_option(self):
        for args in (["--help"], ["serve", "--help"]):
            p = self.run_cli(*args)
            self.assertEqual(p.returncode, 0, "msgrd %s exit status" % " ".join(args))
            text = (p.stdout + p.stderr).decode("utf-8", "replace")
            missing = [o for o in SERVE_OPTIONS if not re.search(re.escape(o) + r"\b", text)]
            self.assertEqual(missing, [], "msgrd %s does not mention options %r" % (" ".join(args), missing))

    # user add / list / del / passwd ----------------------------------------
    def test_user_add_and_list(self):
        for hd in ("alice@example.com", "bob@example.org", "carol@example.net"):
            p = self.add(hd)
            self.assertEqual(p.returncode, 0, "user add %s: %r" % (hd, p.stderr))
        got = self.list_users()
        self.assertEqual(sorted(got), ["alice@example.com", "bob@example.org", "carol@example.net"])

    def test_user_add_lowercases_and_rejects_case_duplicate(self):
        p = self.add("Dave@Example.COM")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.list_users(), ["dave@example.com"],
                         "handles are stored lower-case (msnp.md 3.1, 1.7)")
        p = self.add("dave@example.com")
        self.assertOneLineError(p, "duplicate account differing only in case")

    def test_user_add_duplicate(self):
        self.assertEqual(self.add("alice@example.com").returncode, 0)
        p = self.add("alice@example.com", "other")
        self.assertOneLineError(p, "duplicate account")
        self.assertEqual(self.list_users(), ["alice@example.com"])

    def test_user_add_bad_address(self):
        for bad in ("notanemail", "a@b", "@example.com", "user@", "two@@example.com",
                    "sp ace@example.com", ("x" * 130) + "@example.com"):
            with self.subTest(handle=bad):
                p = self.add(bad)
                self.assertOneLineError(p, "bad e-mail address %r" % bad)
        self.assertEqual(self.list_users(), [])

    def test_user_add_missing_data_dir(self):
        p = self.add("alice@example.com", data_dir=os.path.join(self.tmp, "does-not-exist"))
        self.assertOneLineError(p, "data dir that does not exist")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "does-not-exist")))

    def test_user_del(self):
        self.assertEqual(self.add("alice@example.com").returncode, 0)
        self.assertEqual(self.add("bob@example.com").returncode, 0)
        p = self.run_cli("user", "del", "alice@example.com", "--data-dir", self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.list_users(), ["bob@example.com"])

    def test_user_passwd_and_del_effect_on_login(self):
        self.assertEqual(self.add("alice@example.com", "old-password").returncode, 0)
        self.assertEqual(self.add("bob@example.com", "bob-password").returncode, 0)
        p = self.run_cli("user", "passwd", "alice@example.com", "--data-dir", self.dir, *h.ARGON2,
                         stdin=b"new-password\n")
        if p.returncode != 0 and b"argon2" in p.stderr:
            p = self.run_cli("user", "passwd", "alice@example.com", "--data-dir", self.dir,
                             stdin=b"new-password\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.run_cli("user", "del", "bob@example.com", "--data-dir", self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        s = h.Server(data_dir=self.dir, tmp=self.tmp)
        self.addCleanup(s.cleanup)
        s.start()
        st, hdrs, ticket = s.passport_login("alice@example.com", "old-password", s.challenge_for("alice@example.com"))
        self.assertEqual(st, 401, "old password after 'user passwd' must fail (2.6.3)")
        st, hdrs, ticket = s.passport_login("bob@example.com", "bob-password", s.challenge_for("alice@example.com"))
        self.assertEqual(st, 401, "deleted account must not log in")
        c = s.login("alice@example.com", "new-password")
        c.assert_quiet("after login with the new password")

    def test_user_add_while_serving(self):
        self.assertEqual(self.add("alice@example.com", "alice-pw").returncode, 0)
        s = h.Server(data_dir=self.dir, tmp=self.tmp)
        self.addCleanup(s.cleanup)
        s.start()
        p = self.add("carol@example.com", "carol-pw")
        self.assertEqual(p.returncode, 0, "user add while msgrd serves the same data dir: %r" % p.stderr)
        c = s.login("carol@example.com", "carol-pw")
        c.assert_quiet("account added while serving can sign in")
        a = s.login("alice@example.com", "alice-pw")
        t = a.cmd("ADD {t} FL carol@example.com carol@example.com 0")
        a.expect("ADD %d FL 2 carol@example.com carol@example.com 0" % t)

    # serve ------------------------------------------------------------------
    def test_serve_banner_and_certificate(self):
        s = h.Server(data_dir=self.dir, tmp=self.tmp)
        self.addCleanup(s.cleanup)
        s.start()
        b = s.banner
        self.assertEqual(len(b), 5, "banner must be exactly five lines (docs/msgrd.md): %r" % b)
        self.assertRegex(b[0], r"^msgrd: certificate sha256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}$")
        self.assertEqual(b[1], "msgrd: msnp listening on 127.0.0.1:%d" % s.port)
        self.assertEqual(b[2], "msgrd: login listening on https://127.0.0.1:%d" % s.login_port)
        self.assertRegex(b[3], r"^msgrd: admin listening on http://127\.0\.0\.1:[1-9]\d*$")
        with open(os.path.join(self.dir, "admin-address")) as f:
            self.assertEqual("msgrd: admin listening on http://" + f.read().strip(), b[3])
        self.assertEqual(b[4], "msgrd: ready")
        self.assertNotEqual(s.port, 0)
        self.assertNotEqual(s.login_port, 0)
        cert = os.path.join(self.dir, "cert.pem")
        self.assertTrue(os.path.exists(cert), "DIR/cert.pem must exist")
        with open(cert) as f:
            der = ssl.PEM_cert_to_DER_cert(f.read())
        fp = ":".join("%02X" % b for b in hashlib.sha256(der).digest())
        self.assertEqual(s.fingerprint.upper(), fp, "printed fingerprint must be the sha256 of cert.pem")
        # the TLS endpoint presents that certificate and verifies against it
        st, hdrs, body, raw = s.nexus()
        self.assertEqual(st, 200)
        # restart: same certificate
        self.assertEqual(s.stop(), 0)
        s.start()
        self.assertEqual(s.fingerprint.upper(), fp, "certificate must persist across restarts")

    def test_serve_creates_data_dir(self):
        d = os.path.join(self.tmp, "fresh")
        s = h.Server(data_dir=d, tmp=self.tmp)
        os.rmdir(d)
        self.addCleanup(s.cleanup)
        s.start()
        self.assertTrue(os.path.isdir(d), "serve must create the data dir on first start")
        self.assertTrue(os.path.exists(os.path.join(d, "cert.pem")))

    def _shutdown(self, sig):
        for hd in ("alice@example.com", "bob@example.com"):
            self.assertEqual(self.add(hd, "pw-" + hd).returncode, 0)
        s = h.Server(data_dir=self.dir, tmp=self.tmp)
        self.addCleanup(s.cleanup)
        s.start()
        a = s.login("alice@example.com", "pw-alice@example.com")
        a.go_online()
        b = s.login("bob@example.com", "pw-bob@example.com")
        pre = s.open_ns("prelogin")
        t = a.cmd("XFR {t} SB")
        m = a.expect_re(r"XFR %d SB 127\.0\.0\.1:(\d+) CKI (\S+)" % t)
        sb = s.connect("alice-sb")
        sb.send("USR 1 alice@example.com " + m.group(2))
        sb.expect("USR 1 OK alice@example.com alice@example.com")
        s.signal(sig)
        a.expect("OUT SSD", what="server shutdown (msnp.md 2.8)")
        a.expect_closed(what="after OUT SSD")
        b.expect("OUT SSD", what="server shutdown (msnp.md 2.8)")
        b.expect_closed(what="after OUT SSD")
        pre.expect_closed(allowed=[r"OUT( SSD)?"], what="connection not yet signed in at shutdown")
        sb.expect_closed(allowed=[r"OUT( SSD)?", r"BYE .*"], what="switchboard connection at shutdown")
        try:
            rc = s.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.fail("msgrd did not exit within 15 s of %s" % sig)
        self.assertEqual(rc, 0, "msgrd must exit 0 on %s" % sig)

    def test_sigterm_out_ssd(self):
        self._shutdown(signal.SIGTERM)

    def test_sigint_out_ssd(self):
        self._shutdown(signal.SIGINT)


if __name__ == "__main__":
    h.main()
