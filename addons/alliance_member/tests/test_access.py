from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AllianceCase

# Expected rights per role, per model, on a record of merchant A and one of
# merchant B: (read, write, unlink) on A's record, (read, write, unlink) on
# B's, then create. "1" allowed, "0" raises AccessError. The roles: the
# operator's manager and accountant, A's manager and cashier, B's cashier, a
# member and a merchant manager on the portal, and an ordinary POS user of A
# in none of the alliance's groups. The points and settlement addons extend it.
MATRIX = {
    "alliance.merchant": {
        "operator": "111 111 1",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": "100 000 0",
        "b_cashier": "000 100 0",
        "portal_member": "000 000 0",
        "portal_merchant": "100 000 0",
        "pos_user": "000 000 0",
    },
    "alliance.card.range": {
        "operator": "111 111 1",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": "100 000 0",
        "b_cashier": "000 100 0",
        "portal_member": "000 000 0",
        "portal_merchant": "100 000 0",
        "pos_user": "000 000 0",
    },
    # Cards work at every counter through the lookup; read directly, a merchant
    # sees the cards it issued or served. Only the operator writes them directly
    # (merchants change them through checked actions).
    "alliance.card": {
        "operator": "111 111 1",
        "accountant": "100 100 0",
        "a_manager": "100 000 1",
        "a_cashier": "100 000 1",
        "b_cashier": "000 100 1",
        "portal_member": "100 000 0",
        "portal_merchant": "100 000 0",
        "pos_user": "000 000 0",
    },
    # A's member and B's: a merchant's staff (in the alliance's groups or not)
    # read the members enrolled or served there; only the operator changes them.
    "res.partner": {
        "operator": "111 111 1",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": "100 000 0",
        "b_cashier": "000 100 0",
        "portal_member": "100 000 0",
        "portal_merchant": "000 000 0",
        "pos_user": "100 000 0",
    },
    "alliance.tier.history": {
        "operator": "100 100 0",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": "000 000 0",
        "b_cashier": "000 000 0",
        "portal_member": "100 000 0",
        "portal_merchant": "000 000 0",
        "pos_user": "000 000 0",
    },
    # Visits of count cards: each merchant reads those used at its counter.
    "alliance.card.visit": {
        "operator": "100 100 0",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": "100 000 0",
        "b_cashier": "000 100 0",
        "portal_member": "000 000 0",
        "portal_merchant": "000 000 0",
        "pos_user": "000 000 0",
    },
    # The lookup's counters are nobody's: the lookup counts, no user reads or resets them.
    "alliance.lookup.rate": dict.fromkeys(
        ("operator", "accountant", "a_manager", "a_cashier", "b_cashier", "portal_member", "portal_merchant"),
        "000 000 0",
    )
    | {"pos_user": "000 000 0"},
}
SHARED = {
    # alliance-wide configuration: (read, write, unlink, create)
    "alliance.tier": {
        "operator": "1111",
        "accountant": "1000",
        "a_manager": "1000",
        "a_cashier": "1000",
        "b_cashier": "1000",
        "portal_member": "1000",
        "portal_merchant": "1000",
        "pos_user": "0000",
    },
    "alliance.card.type": {
        "operator": "1111",
        "accountant": "1000",
        "a_manager": "1000",
        "a_cashier": "1000",
        "b_cashier": "1000",
        "portal_member": "1000",
        "portal_merchant": "1000",
        "pos_user": "0000",
    },
    "alliance.trade": {
        "operator": "1111",
        "accountant": "1000",
        "a_manager": "1000",
        "a_cashier": "1000",
        "b_cashier": "1000",
        "portal_member": "0000",
        "portal_merchant": "0000",
        "pos_user": "0000",
    },
    "alliance.agent": {
        "operator": "1111",
        "accountant": "1000",
        "a_manager": "0000",
        "a_cashier": "0000",
        "b_cashier": "0000",
        "portal_member": "0000",
        "portal_merchant": "0000",
        "pos_user": "0000",
    },
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(AllianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = cls._roles()
        cls.trade = cls.env["alliance.trade"].create({"name": "Trade"})
        cls.agent = cls.env["alliance.agent"].create({"name": "Agent"})

    def test_matrix_per_merchant_records(self):
        # A portal member reads its own card and history, not B's member's.
        self.assertMatrix(
            {
                model: rights
                for model, rights in MATRIX.items()
                if model not in ("alliance.card.visit", "alliance.lookup.rate")
            },
            {
                "alliance.merchant": (self.merchant_a, self.merchant_b),
                "alliance.card.range": (self.range_a, self.range_b),
                "alliance.card": (self.card_a, self.card_b),
                "res.partner": (self.card_a.partner_id, self.card_b.partner_id),
                "alliance.tier.history": (self.card_a.tier_history_ids[:1], self.card_b.tier_history_ids[:1]),
            },
        )

    def test_matrix_of_visits_and_lookup_counters(self):
        count_type = self.env["alliance.card.type"].create({"name": "美发三次卡", "kind": "count", "visits": 3})
        partner = self.env["res.partner"].create({"name": "计次", "phone": "13907319050"})
        card = self._as(self.user_a_cashier).create({"partner_id": partner.id, "type_id": count_type.id})
        self._as(self.user_a_cashier).alliance_use_visit(card.code, "V-A")
        self._as(self.user_b_cashier).alliance_use_visit(card.code, "V-B")
        Visit, Rate = self.env["alliance.card.visit"], self.env["alliance.lookup.rate"]
        self._as(self.user_a_cashier).alliance_lookup(self.card_a.code)
        self._as(self.user_b_cashier).alliance_lookup(self.card_b.code)
        self.assertMatrix(
            {model: MATRIX[model] for model in ("alliance.card.visit", "alliance.lookup.rate")},
            {
                "alliance.card.visit": (
                    Visit.search([("reference", "=", "V-A")]),
                    Visit.search([("reference", "=", "V-B")]),
                ),
                "alliance.lookup.rate": (
                    Rate.search([("user_id", "=", self.user_a_cashier.id)]),
                    Rate.search([("user_id", "=", self.user_b_cashier.id)]),
                ),
            },
        )

    def _as(self, user):
        return self.env["alliance.card"].with_user(user).with_company(user.company_id)

    def test_matrix_shared_configuration(self):
        records = {
            "alliance.tier": self.tier_silver,
            "alliance.card.type": self.card_type,
            "alliance.trade": self.trade,
            "alliance.agent": self.agent,
        }
        self.assertSharedMatrix(SHARED, records)

    def test_merchant_users_see_only_their_merchant(self):
        Merchant = self.env["alliance.merchant"]
        self.assertEqual(Merchant.with_user(self.user_a_cashier).search([]), self.merchant_a)
        self.assertEqual(Merchant.with_user(self.user_b_cashier).search([]), self.merchant_b)
        ranges = self.env["alliance.card.range"].with_user(self.user_b_cashier).search([])
        self.assertEqual(ranges, self.range_b)
        with self.assertRaises(AccessError):
            self.range_a.with_user(self.user_b_cashier).read(["next_number"])
        # B cannot read A's contract prices, even by id.
        with self.assertRaises(AccessError):
            self.merchant_a.with_user(self.user_b_cashier).read(["issue_price"])

    def test_id_number_is_never_stored_readable(self):
        partner = self.card_a.partner_id
        partner.with_user(self.user_operator).alliance_id_number = "430102199001011234"
        partner.invalidate_recordset()
        # Nobody reads it back, the operator included: 2 of its 18 characters show.
        self.assertEqual(partner.with_user(self.user_operator).alliance_id_number, "4****************4")
        as_cashier = partner.with_user(self.user_a_cashier)
        self.assertEqual(as_cashier.alliance_id_number_masked, "4****************4")
        for field in ("alliance_id_number", "alliance_id_number_hash"):
            with self.assertRaises(AccessError):
                as_cashier.read([field])
        # A dump of the partner's row holds neither the number nor any run of its digits.
        self.env.flush_all()
        self.env.cr.execute("SELECT row_to_json(p)::text FROM res_partner p WHERE id = %s", [partner.id])
        row = self.env.cr.fetchone()[0]
        self.assertNotIn("19900101", row)
        # The operator still finds the member by the number.
        Partner = self.env["res.partner"].with_user(self.user_operator)
        self.assertEqual(Partner._alliance_find_by_id_number(" 430102199001011234 "), partner)
        self.assertFalse(Partner._alliance_find_by_id_number("430102199001011235"))

    def test_a_merchant_sees_the_members_it_enrolled_or_served(self):
        Partner = self.env["res.partner"].with_user(self.user_b_cashier).with_company(self.company_b)
        Card = self.env["alliance.card"].with_user(self.user_b_cashier).with_company(self.company_b)
        members = [("alliance_is_member", "=", True)]
        self.assertEqual(Partner.search(members), self.card_b.partner_id)
        self.assertEqual(Card.search([]), self.card_b)
        self.assertFalse(Partner.search([("phone", "=", self.card_a.partner_id.phone)]))
        with self.assertRaises(AccessError):
            self.card_a.partner_id.with_user(self.user_b_cashier).read(["name", "phone"])
        with self.assertRaises(AccessError):
            self.card_a.with_user(self.user_b_cashier).read(["balance"])
        # The lookup still serves A's member at B's counter: the name, nothing personal.
        found = Card.alliance_lookup(self.card_a.code)
        self.assertEqual((found["card_id"], found["member"]), (self.card_a.id, "张三"))
        self.assertNotIn("phone", found)
        # Once B has served the member (an order with the card), B reads them.
        self._pos_sync(self.merchant_b, self.card_a, 50.0)
        self.env.invalidate_all()
        self.assertEqual(Partner.search(members), self.card_a.partner_id | self.card_b.partner_id)
        self.assertEqual(Card.search([]), self.card_a | self.card_b)
        # A's ordinary POS user, outside the alliance, sees A's member only.
        as_pos = self.env["res.partner"].with_user(self.user_pos).with_company(self.company_a)
        self.assertEqual(as_pos.search(members), self.card_a.partner_id)

    def test_only_the_operator_changes_a_members_contact(self):
        # A phone rewritten at a counter would receive the member's authorisation codes.
        partner = self.card_a.partner_id
        for user in (self.user_a_manager, self.user_a_cashier, self.user_pos, self.user_accountant):
            with self.assertRaises(AccessError):
                partner.with_user(user).with_company(user.company_id).write({"phone": "13900000000"})
            with self.assertRaises(AccessError):
                partner.with_user(user).with_company(user.company_id).unlink()
        self.assertEqual(partner.phone, "+8613907319001")
        partner.with_user(self.user_operator).write({"phone": "13907319009"})
        self.assertEqual(partner.phone, "+8613907319009")

    def test_birthday_and_gender_are_not_a_counters(self):
        partner = self.card_a.partner_id
        partner.write({"alliance_birthday": "1990-03-12", "alliance_gender": "female"})
        for user in (self.user_a_manager, self.user_a_cashier, self.user_pos):
            for field in ("alliance_birthday", "alliance_gender"):
                with self.assertRaises(AccessError):
                    partner.with_user(user).with_company(user.company_id).read([field])
        self.assertEqual(str(partner.with_user(self.user_accountant).alliance_birthday), "1990-03-12")
        self.assertEqual(partner.with_user(self.user_portal_member).alliance_gender, "female")

    def test_cashier_cannot_change_tier_or_balance(self):
        card = self.card_a.with_user(self.user_a_cashier)
        with self.assertRaises(AccessError):
            card.write({"tier_id": self.tier_gold.id})
        with self.assertRaises(AccessError):
            card.write({"balance": 1000})
        self.assertEqual(self.card_a.balance, 0)
        self.assertEqual(self.card_a.tier_id, self.tier_basic)

    def test_lookup_requires_counter_role(self):
        with self.assertRaises(AccessError):
            self.env["alliance.card"].with_user(self.user_portal_member).alliance_lookup(self.card_a.code)
        with self.assertRaises(AccessError):
            self.env["alliance.card"].with_user(self.user_accountant).alliance_lookup(self.card_a.code)
