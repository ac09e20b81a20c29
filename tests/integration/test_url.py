"""URL command (msnp.md 7.4)."""

import re

import msgrd_harness as h

A = h.hnd("alice")
SERVICES = ["INBOX", "FOLDERS", "COMPOSE", "COMPOSE bob@example.org", "MESSAGE", "PASSWORD", "PERSON",
            "PROFILE 0x0409", "MOBILE", "CHGMOB", "CHAT 0x0409", "N2PACCOUNT", "N2PFUND",
            "ADDRBOOK", "ADVSEARCH", "INTSEARCH"]


class UrlTest(h.ServerTestCase):
    USERS = h.users("alice")

    def setUp(self):
        self.s = self.make_server()

    def test_every_service(self):
        a = self.s.log_in("alice")
        for svc in SERVICES:
            with self.subTest(service=svc):
                t = a.cmd("URL {t} " + svc)
                ln = a.recv()
                self.assertEqual(ln.tokens[:2], ["URL", str(t)],
                                 "URL %s -> 'URL TrID redirect post-url site-id' (7.4), got %r" % (svc, ln.text))
                self.assertEqual(len(ln.tokens), 5, "exactly 3 parameters after the TrID: %r" % ln.text)
                redirect, post, site = ln.tokens[2:]
                self.assertTrue(redirect.startswith("/") or re.match(r"https?://", redirect),
                                "redirect is a path or an absolute URL: %r" % redirect)
                self.assertRegex(post, r"^https?://\S+$", "post-url is a URL")
                self.assertRegex(site, r"^\d+$", "site-id is a number")

    def test_unknown_service_715(self):
        a = self.s.log_in("alice")
        t = a.cmd("URL {t} BOGUS")
        a.expect("715 %d" % t, what="unknown URL service -> 715 (7.4)")
        a.assert_quiet()
        t = a.cmd("URL {t} INBOX")
        a.expect_re(r"URL %d \S+ \S+ \d+" % t)

    def test_url_before_login(self):
        c = self.s.open_ns()
        t = c.cmd("URL {t} INBOX")
        c.expect("302 %d" % t, what="URL needs login (2.1)")


if __name__ == "__main__":
    h.main()
