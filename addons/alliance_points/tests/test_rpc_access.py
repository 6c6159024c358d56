"""The access matrix over the wire: what a counter's API key gets through JSON-2."""

import json
from http import HTTPStatus

from odoo.tests import tagged

from .common import PointsHttpCase


@tagged("post_install", "-at_install")
class TestRpcAccess(PointsHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_b = cls._api_key(cls.user_b_cashier)

    def _call(self, model, method, **body):
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.key_b}",
            "X-Odoo-Database": self.env.cr.dbname,
        }
        return self.url_open(f"/json/2/{model}/{method}", data=json.dumps(body), headers=headers)

    def _member_names(self):
        res = self._call("res.partner", "search_read", domain=[("alliance_is_member", "=", True)], fields=["name"])
        self.assertEqual(res.status_code, HTTPStatus.OK, res.text)
        return sorted(row["name"] for row in res.json())

    def test_a_counter_reads_only_the_members_it_enrolled_or_served(self):
        self.assertEqual(self._member_names(), ["李四"])
        res = self._call("alliance.card", "search_read", domain=[], fields=["code", "balance"])
        self.assertEqual([row["code"] for row in res.json()], [self.card_b.code])
        # A's member by id: refused, the balance as the name.
        res = self._call("alliance.card", "read", ids=[self.card_a.id], fields=["balance"])
        self.assertEqual(res.status_code, HTTPStatus.FORBIDDEN, res.text)
        res = self._call("res.partner", "read", ids=[self.card_a.partner_id.id], fields=["name", "phone"])
        self.assertEqual(res.status_code, HTTPStatus.FORBIDDEN, res.text)
        # Its own member's birthday is not a counter's either, nor the phone to rewrite.
        res = self._call("res.partner", "read", ids=[self.card_b.partner_id.id], fields=["alliance_birthday"])
        self.assertEqual(res.status_code, HTTPStatus.FORBIDDEN, res.text)
        res = self._call("res.partner", "write", ids=[self.card_b.partner_id.id], vals={"phone": "13900000000"})
        self.assertEqual(res.status_code, HTTPStatus.FORBIDDEN, res.text)
        self.assertEqual(self.card_b.partner_id.phone, "+8613907319002")
        # Serving A's member (a sale with the card) makes the member B's to read.
        res = self._call("alliance.card", "alliance_earn", card=self.card_a.code, amount=100.0, reference="rpc-1")
        self.assertEqual(res.status_code, HTTPStatus.OK, res.text)
        self.assertEqual(self._member_names(), ["张三", "李四"])
