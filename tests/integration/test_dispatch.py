"""Dispatch mode: USR TWN I answered with XFR NS and a close (msnp.md 2.4, 2.5)."""

import msgrd_harness as h

A = h.hnd("alice")


class DispatchTest(h.ServerTestCase):
    USERS = h.users("alice")

    def setUp(self):
        self.ns = self.make_server()                       # the real NS
        self.ds = self.make_server(args=["--dispatch", "127.0.0.1:%d" % self.ns.port], users={})

    def test_xfr_ns_and_close(self):
        c = self.ds.open_ns("ds")
        t = c.cmd("CVR {t} " + h.CVR_LINE_TAIL + " " + A)
        c.expect_re(r"CVR %d 5\.0\.0540 5\.0\.0540 5\.0\.0540 \S+ \S+" % t, what="CVR on the DS (2.3)")
        c.send("PNG")
        c.expect("QNG")
        t = c.cmd("USR {t} TWN I " + A)
        ln = c.expect("XFR %d NS 127.0.0.1:%d 0 127.0.0.1:%d" % (t, self.ns.port, self.ds.port),
                      what="XFR TrID NS host:port 0 current-host:port, 6 tokens (2.5)")
        self.assertEqual(len(ln.tokens), 6)
        c.expect_closed(what="the DS closes after XFR NS (2.5)")

    def test_follow_referral_and_login(self):
        c = self.ds.open_ns("ds")
        t = c.cmd("USR {t} TWN I " + A)
        m = c.expect_re(r"XFR %d NS 127\.0\.0\.1:(\d+) 0 127\.0\.0\.1:%d" % (t, self.ds.port))
        self.assertEqual(int(m.group(1)), self.ns.port)
        c.expect_closed()
        a = self.ns.log_in("alice")
        a.assert_quiet()

    def test_msnp9_dispatch(self):
        c = self.ds.open_ns("ds9", "MSNP9 MSNP8 CVR0")
        t = c.cmd("USR {t} TWN I " + A)
        c.expect("XFR %d NS 127.0.0.1:%d 0 127.0.0.1:%d" % (t, self.ns.port, self.ds.port))
        c.expect_closed()


if __name__ == "__main__":
    h.main()
