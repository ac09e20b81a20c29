"""msgr contacts / add / remove / block / unblock, checked through
msgr contacts --json and the table, with the failures (unknown user, not
on the list, yourself)."""

import cli_harness as ch


class ContactsTest(ch.CliTestCase):

    def setUp(self):
        super().setUp()
        self.assertOk(self.login("alice"), "login alice")

    def test_empty_list(self):
        self.assertEqual(self.contacts(), {})
        p = self.msgr("contacts")
        self.assertOk(p, "contacts")
        self.assertRegex(p.stdout.decode(), r"^SIGN-IN NAME +FRIENDLY NAME +STATUS +BLOCKED +GROUPS\n$")

    def test_add_block_unblock_remove(self):
        self.assertOk(self.msgr("add", "bob@example.com"), "add bob")
        c = self.contacts()
        self.assertEqual(set(c), {"bob@example.com"})
        bob = c["bob@example.com"]
        self.assertEqual(bob["status"], "offline")
        self.assertIs(bob["blocked"], False)
        self.assertEqual(len(bob["groups"]), 1, bob)
        self.assertIsInstance(bob["friendly_name"], str)

        self.assertOk(self.msgr("block", "bob@example.com"), "block bob")
        self.assertIs(self.contacts()["bob@example.com"]["blocked"], True)
        self.assertOk(self.msgr("block", "bob@example.com"), "block bob again (no change)")
        self.assertIs(self.contacts()["bob@example.com"]["blocked"], True)

        p = self.msgr("contacts")
        self.assertOk(p, "contacts table")
        self.assertRegex(p.stdout.decode(), r"\nbob@example\.com +bob@example\.com +offline +yes +\S")

        self.assertOk(self.msgr("unblock", "bob@example.com"), "unblock bob")
        self.assertIs(self.contacts()["bob@example.com"]["blocked"], False)

        self.assertOk(self.msgr("remove", "bob@example.com"), "remove bob")
        self.assertEqual(self.contacts(), {})

    def test_presence_in_list(self):
        self.assertOk(self.msgr("add", "bob@example.com"), "add bob")
        self.assertOk(self.login("bob"), "login bob")
        l = self.listen("bob")
        self.assertEqual(self.contacts()["bob@example.com"]["status"], "online")
        code, _, err = l.stop()
        self.assertEqual(code, 0, err)
        self.assertEqual(self.contacts()["bob@example.com"]["status"], "offline")

    def test_failures(self):
        self.assertOneLineError(self.msgr("add", "nobody@example.com"), "add unknown user",
                                r"no such user: nobody@example\.com", code=1)
        self.assertOk(self.msgr("add", "bob@example.com"), "add bob")
        self.assertOneLineError(self.msgr("add", "bob@example.com"), "add twice",
                                r"already on your contact list", code=1)
        self.assertOneLineError(self.msgr("remove", "carol@example.com"), "remove unlisted",
                                r"not on your contact list", code=1)
        self.assertOneLineError(self.msgr("block", "alice@example.com"), "block yourself",
                                r"yourself", code=2)
        self.assertOneLineError(self.msgr("unblock", "not-an-address"), "bad address",
                                r"not a sign-in name", code=2)
        self.assertEqual(set(self.contacts()), {"bob@example.com"})


if __name__ == "__main__":
    ch.main()
