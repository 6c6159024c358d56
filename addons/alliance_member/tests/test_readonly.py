"""What only reads is served read-only: from a PostgreSQL replica when Odoo has one (``db_replica_host``)."""

import json

from odoo.tests import tagged

from .common import AllianceHttpCase


@tagged("post_install", "-at_install")
class TestReadonly(AllianceHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_b = cls._api_key(cls.user_b_cashier)

    def _lookup(self, query):
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.key_b}",
            "X-Odoo-Database": self.env.cr.dbname,
        }
        with self.assertNoReadWriteRetry():
            return self.url_open(
                "/json/2/alliance.card/alliance_lookup", data=json.dumps({"query": query}), headers=headers
            )

    def _counted(self):
        rate = self.env["alliance.lookup.rate"].search([("user_id", "=", self.user_b_cashier.id)])
        return rate.count

    def _declared_readonly(self, model, method):
        """As Odoo's JSON-2 and ``call_kw`` routes decide: the first definition along the MRO marked either way."""
        for cls in self.registry[model].mro():
            function = getattr(cls, method, None)
            if function is not None and hasattr(function, "_readonly"):
                return function._readonly
        return False

    def test_the_lookup_is_read_only_and_nothing_that_moves_points_is(self):
        self.assertIs(self._declared_readonly("alliance.card", "alliance_lookup"), True)
        for method in ("alliance_enrol", "alliance_use_visit"):
            self.assertIs(self._declared_readonly("alliance.card", method), False, method)
        # The POS asks through call_kw, which serves it read-only too.
        self.authenticate("t_b_cashier", "t_b_cashier")
        with self.assertNoReadWriteRetry():
            found = self.make_jsonrpc_request(
                "/web/dataset/call_kw/alliance.card/alliance_lookup",
                {"model": "alliance.card", "method": "alliance_lookup", "args": [self.card_a.code], "kwargs": {}},
            )
        self.assertEqual(found["card"], self.card_a.code)

    def test_a_lookup_served_read_only_is_counted_on_the_primary(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_member.lookup_per_minute", "3")
        res = self._lookup(self.card_a.code)
        self.assertEqual(res.status_code, 200, res.text)
        self.assertEqual(res.json()["card"], self.card_a.code)
        self.assertEqual(res.json()["member"], "张三")
        self.assertEqual(self._counted(), 1)
        # A guess finds no one and is counted all the same.
        res = self._lookup("9000000027")
        self.assertNotEqual(res.status_code, 200)
        self.assertIn("No alliance card", res.text)
        self.assertEqual(self._counted(), 2)
        self.assertEqual(self._lookup("139 0731 9002").json()["card"], self.card_b.code)
        # The attacker typing numbers one after another: stopped, though no read-only request writes.
        res = self._lookup(self.card_a.code)
        self.assertNotEqual(res.status_code, 200)
        self.assertIn("at most 3 a minute", res.text)
        self.assertNotIn("张三", res.text)

    def test_the_member_and_merchant_pages_are_read_only(self):
        self.authenticate("t_member", "t_member")
        res = self.assertServedReadonly("/my/alliance")
        self.assertTrue(res.url.endswith(f"/my/alliance/card/{self.card_a.id}"), res.url)
        self.assertIn(self.card_a.code, self.assertServedReadonly(f"/my/alliance/card/{self.card_a.id}").text)
        # Another member's card: not found, read-only all the same.
        self.assertServedReadonly(f"/my/alliance/card/{self.card_b.id}", status=404)
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        self.assertIn("Test Merchant A", self.assertServedReadonly("/my/alliance/merchant").text)
