"""Lock and Key on the wire (docs/protocol.md "Lock and Key"): LKS, LKC,
LKR; msgrd app add/del/list; the deployment switch --lock-and-key=false."""

import hashlib

import msgrd_harness as h

A = h.hnd("alice")
APP_ID = "msgr-test-app@example.com"
APP_KEY = "K3Y-0f-th3-app"


def response(challenge, key=APP_KEY):
    return hashlib.md5((challenge + key).encode("ascii")).hexdigest()


class LockKeyTest(h.ServerTestCase):
    USERS = h.users("alice")

    def setUp(self):
        self.s = self.make_server(start=False)
        p = self.s.cli("app", "add", APP_ID, APP_KEY, "--data-dir", self.s.data_dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.s.start()

    def subscribed(self):
        a = self.s.log_in("alice")
        t = a.cmd("LKS {t}")
        a.expect("LKS %d 1" % t, what="LKS answers 1 when Lock and Key is on")
        return a

    def challenge(self, a):
        t = a.cmd("LKC {t}")
        return a.expect_re(r"LKC %d (\d{20})" % t).group(1)

    def test_unlock_with_the_right_key(self):
        a = self.subscribed()
        ch = self.challenge(a)
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, ch, response(ch)))
        a.expect("LKR %d OK" % t)

    def test_uppercase_response_accepted(self):
        a = self.subscribed()
        ch = self.challenge(a)
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, ch, response(ch).upper()))
        a.expect("LKR %d OK" % t)

    def test_wrong_key_unknown_app_reused_and_foreign_challenge_fail(self):
        a = self.subscribed()
        ch = self.challenge(a)
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, ch, response(ch, "wrong")))
        a.expect("LKR %d FAIL" % t, what="wrong key")
        # the challenge was used up by the failed attempt
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, ch, response(ch)))
        a.expect("LKR %d FAIL" % t, what="a challenge is single use")
        ch2 = self.challenge(a)
        t = a.cmd("LKR {t} nobody@example.com %s %s" % (ch2, response(ch2)))
        a.expect("LKR %d FAIL" % t, what="unknown application id")
        t = a.cmd("LKR {t} %s 12345678901234567890 %s" % (APP_ID, response("12345678901234567890")))
        a.expect("LKR %d FAIL" % t, what="a challenge this session never got")

    def test_each_object_gets_its_own_challenge(self):
        a = self.subscribed()
        c1, c2 = self.challenge(a), self.challenge(a)
        self.assertNotEqual(c1, c2)
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, c2, response(c2)))
        a.expect("LKR %d OK" % t)
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, c1, response(c1)))
        a.expect("LKR %d OK" % t)

    def test_commands_need_lks_and_good_parameters(self):
        a = self.s.log_in("alice")
        t = a.cmd("LKC {t}")
        a.expect("715 %d" % t, what="LKC before LKS")
        t = a.cmd("LKS {t}")
        a.expect("LKS %d 1" % t)
        t = a.cmd("LKR {t} %s 123 abc" % APP_ID)
        a.expect("201 %d" % t, what="malformed LKR")
        a.barrier()

    def test_classic_session_never_sees_the_extension(self):
        a = self.s.log_in("alice")
        a.go_online()
        a.assert_quiet("no LK* line without LKS")

    def test_before_login_302(self):
        c = self.s.open_ns()
        t = c.cmd("LKS {t}")
        c.expect("302 %d" % t)

    def test_app_cli(self):
        s = self.s
        p = s.cli("app", "list", "--data-dir", s.data_dir)
        self.assertEqual(p.stdout.decode().split(), [APP_ID])
        p = s.cli("app", "del", "nobody", "--data-dir", s.data_dir)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"no application", p.stderr)
        p = s.cli("app", "del", APP_ID, "--data-dir", s.data_dir)
        self.assertEqual(p.returncode, 0)
        a = self.subscribed()
        ch = self.challenge(a)
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, ch, response(ch)))
        a.expect("LKR %d FAIL" % t, what="deleted application")


class LockKeyPushTest(h.ServerTestCase):
    """What the service pushes at any time (docs/protocol.md): LKC 0 from
    `msgrd lock-and-key challenge USER`, LKS 0 0|1 from `msgrd lock-and-key
    off|on`, only to subscribed sessions."""
    USERS = h.users("alice", "bob")

    def setUp(self):
        self.s = self.make_server(start=False)
        p = self.s.cli("app", "add", APP_ID, APP_KEY, "--data-dir", self.s.data_dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.s.start()

    def lk(self, *args):
        return self.s.cli("lock-and-key", *args, "--data-dir", self.s.data_dir)

    def subscribed(self, who="alice"):
        a = self.s.log_in(who)
        t = a.cmd("LKS {t}")
        a.expect("LKS %d 1" % t)
        return a

    def test_pushed_challenge_unlocks(self):
        a = self.subscribed()
        p = self.lk("challenge", "ALICE@example.com")
        self.assertEqual(p.returncode, 0, p.stderr)
        ch = a.expect_re(r"LKC 0 (\d{20})", what="a pushed challenge has TrID 0").group(1)
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, ch, response(ch)))
        a.expect("LKR %d OK" % t, what="a pushed challenge is answered like an asked one")
        t = a.cmd("LKR {t} %s %s %s" % (APP_ID, ch, response(ch)))
        a.expect("LKR %d FAIL" % t, what="and used up like one")

    def test_push_refusals_are_clear(self):
        classic = self.s.log_in("bob")
        p = self.lk("challenge", h.hnd("bob"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"did not subscribe", p.stderr)
        classic.assert_quiet("a classic session never sees the extension")
        p = self.lk("challenge", "nobody@example.com")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"not signed in", p.stderr)
        self.assertEqual(len(p.stderr.decode().strip().splitlines()), 1)
        p = self.lk("sideways")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"usage", p.stderr)

    def test_switch_off_and_on(self):
        a = self.subscribed()
        classic = self.s.log_in("bob")
        p = self.lk("off")
        self.assertEqual(p.returncode, 0, p.stderr)
        a.expect("LKS 0 0", what="subscribers hear that Lock and Key went off")
        t = a.cmd("LKC {t}")
        a.expect("502 %d" % t, what="no challenges while off")
        p = self.lk("challenge", A)
        self.assertNotEqual(p.returncode, 0, "nothing to push while off")
        p = self.lk("off")
        self.assertEqual(p.returncode, 0, p.stderr)
        a.assert_quiet("switching to the same setting tells nobody")
        p = self.lk("on")
        self.assertEqual(p.returncode, 0, p.stderr)
        a.expect("LKS 0 1")
        t = a.cmd("LKC {t}")
        a.expect_re(r"LKC %d \d{20}" % t)
        classic.assert_quiet("classic sessions are never told")


class LockKeyDisabledTest(h.ServerTestCase):
    USERS = h.users("alice")
    SERVER_ARGS = ("--lock-and-key=false",)

    def test_disabled_deployment(self):
        s = self.make_server()
        a = s.log_in("alice")
        t = a.cmd("LKS {t}")
        a.expect("LKS %d 0" % t, what="LKS answers 0 when Lock and Key is off")
        t = a.cmd("LKC {t}")
        a.expect("502 %d" % t, what="no challenges when off")


if __name__ == "__main__":
    h.main()
