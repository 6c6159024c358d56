import logging
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from uuid import uuid4

from werkzeug.exceptions import NotFound

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user


class AllianceMixin:
    """An operator, two merchants (A, B) with POS and card ranges, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Tours and messages are checked in English; the database may hold only Chinese.
        env["res.lang"]._activate_lang("en_US")
        cls.operator = env["alliance.merchant"]._get_operator_company()
        cls.currency = cls.operator.currency_id
        # Tests set their own ladder: whatever tiers the database holds are archived.
        cls.tier_basic = env.ref("alliance_member.tier_basic")
        env["alliance.tier"].search([("id", "!=", cls.tier_basic.id)]).active = False
        cls.tier_basic.write({"name": "Basic", "min_spend": 0, "multiplier_pct": 100, "currency_id": cls.currency.id})
        cls.tier_silver = env["alliance.tier"].create(
            {"name": "Silver", "min_spend": 2000, "multiplier_pct": 120, "currency_id": cls.currency.id}
        )
        cls.tier_gold = env["alliance.tier"].create(
            {"name": "Gold", "min_spend": 8000, "multiplier_pct": 150, "currency_id": cls.currency.id}
        )
        cls.card_type = env.ref("alliance_member.card_type_standard")
        cls.merchant_a = env["alliance.merchant"].create({"name": "Test Merchant A", "code": "TA"})
        cls.merchant_b = env["alliance.merchant"].create({"name": "Test Merchant B", "code": "TB"})
        (cls.merchant_a | cls.merchant_b).action_activate()
        cls.company_a = cls.merchant_a.company_id
        cls.company_b = cls.merchant_b.company_id
        cls.range_a = env["alliance.card.range"].create(
            {
                "merchant_id": cls.merchant_a.id,
                "card_type_id": cls.card_type.id,
                "number_from": 900000001,
                "number_to": 900000050,
            }
        )
        cls.range_b = env["alliance.card.range"].create(
            {
                "merchant_id": cls.merchant_b.id,
                "card_type_id": cls.card_type.id,
                "number_from": 900000101,
                "number_to": 900000150,
            }
        )
        ctx = {"no_reset_password": True, "lang": "en_US"}
        cls.user_operator = new_test_user(
            env,
            "t_operator",
            groups="base.group_user,alliance_member.group_alliance_operator",
            company_id=cls.operator.id,
            company_ids=[Command.set((cls.operator | cls.company_a | cls.company_b).ids)],
            lang="en_US",
            context=ctx,
        )
        cls.user_accountant = new_test_user(
            env,
            "t_accountant",
            groups="base.group_user,alliance_member.group_alliance_accountant",
            company_id=cls.operator.id,
            lang="en_US",
            context=ctx,
        )
        cls.user_a_manager = new_test_user(
            env,
            "t_a_manager",
            groups="base.group_user,alliance_member.group_alliance_merchant_manager",
            company_id=cls.company_a.id,
            lang="en_US",
            context=ctx,
        )
        cls.user_a_cashier = new_test_user(
            env,
            "t_a_cashier",
            groups="base.group_user,alliance_member.group_alliance_cashier",
            company_id=cls.company_a.id,
            lang="en_US",
            context=ctx,
        )
        cls.user_b_cashier = new_test_user(
            env,
            "t_b_cashier",
            groups="base.group_user,alliance_member.group_alliance_cashier",
            company_id=cls.company_b.id,
            lang="en_US",
            context=ctx,
        )
        # A merchant's ordinary POS user, in none of the alliance's groups.
        cls.user_pos = new_test_user(
            env,
            "t_pos",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company_a.id,
            lang="en_US",
            context=ctx,
        )
        cls.member_a = cls._enrol(cls.user_a_cashier, "张三", "139 0731 9001")
        cls.card_a = env["alliance.card"].browse(cls.member_a["card_id"])
        cls.member_b = cls._enrol(cls.user_b_cashier, "李四", "13907319002")
        cls.card_b = env["alliance.card"].browse(cls.member_b["card_id"])
        cls.user_portal_member = new_test_user(
            env,
            "t_member",
            groups="base.group_portal",
            partner_id=cls.card_a.partner_id.id,
            name=cls.card_a.partner_id.name,
            lang="en_US",
            context=ctx,
        )
        contact = env["res.partner"].create({"name": "A's owner", "parent_id": cls.company_a.partner_id.id})
        cls.user_portal_merchant = new_test_user(
            env,
            "t_portal_merchant",
            groups="alliance_member.group_alliance_portal_merchant",
            partner_id=contact.id,
            company_id=cls.company_a.id,
            lang="en_US",
            context=ctx,
        )

    @classmethod
    def _roles(cls):
        """The roles of the access matrices, by name."""
        return {
            "operator": cls.user_operator,
            "accountant": cls.user_accountant,
            "a_manager": cls.user_a_manager,
            "a_cashier": cls.user_a_cashier,
            "b_cashier": cls.user_b_cashier,
            "portal_member": cls.user_portal_member,
            "portal_merchant": cls.user_portal_merchant,
            "pos_user": cls.user_pos,
        }

    def _allowed(self, record, user, operation):
        try:
            record.with_user(user).with_company(user.company_id).check_access(operation)
        except AccessError:
            return "0"
        return "1"

    def assertSharedMatrix(self, matrix, records):
        """Alliance-wide records: each role's rights on one record ("rwuc"), as the matrix expects."""
        for model, expectations in matrix.items():
            for role, expected in expectations.items():
                user = self._roles()[role]
                got = "".join(self._allowed(records[model], user, op) for op in ("read", "write", "unlink"))
                got += self._allowed(self.env[model], user, "create")
                self.assertEqual(got, expected, f"{model} as {role}")

    def assertMatrix(self, matrix, records):
        """Each role's rights on A's record and B's ("rwu rwu c"), as the matrix expects."""
        for model, expectations in matrix.items():
            rec_a, rec_b = records[model]
            self.assertTrue(rec_a and rec_b, model)
            for role, expected in expectations.items():
                user = self._roles()[role]
                got = "".join(self._allowed(rec_a, user, op) for op in ("read", "write", "unlink"))
                got += " " + "".join(self._allowed(rec_b, user, op) for op in ("read", "write", "unlink"))
                got += " " + self._allowed(self.env[model], user, "create")
                self.assertEqual(got, expected, f"{model} as {role}")

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """unittest's version, but inside Odoo's savepoint: the failed
        operation is rolled back, so the test can check that nothing changed."""
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertRegex(str(cm.exception), regex)

    @classmethod
    def _enrol(cls, user, name, phone, **kw):
        return cls.env["alliance.card"].with_user(user).with_company(user.company_id).alliance_enrol(name, phone, **kw)

    @classmethod
    def _pos_product(cls, company):
        return (
            cls.env["product.product"]
            .with_company(company)
            .create(
                {
                    "name": "Alliance test dish",
                    "available_in_pos": True,
                    "list_price": 1.0,
                    "taxes_id": [(5, 0, 0)],
                    "company_id": company.id,
                }
            )
        )

    def _pos_line(self, product, qty, price_unit, discount=0.0, alliance_discount=0.0):
        """A line as the POS sends it: its totals computed from its taxes, after the discount."""
        taxes = product.taxes_id.compute_all(
            price_unit * (1 - discount / 100), product.currency_id, qty, product=product
        )
        return {
            "product_id": product.id,
            "qty": qty,
            "price_unit": price_unit,
            "discount": discount,
            "alliance_discount": alliance_discount,
            "price_subtotal": taxes["total_excluded"],
            "price_subtotal_incl": taxes["total_included"],
            "tax_ids": [(6, 0, product.taxes_id.ids)],
        }

    def _pos_sync(
        self,
        merchant,
        card,
        amount,
        date=None,
        uuid=None,
        refund_of=None,
        other_payments=(),
        user=None,
        lines=None,
        card_code=None,
    ):
        """Sync one paid order through the POS's own entry point, as a POS would.

        With ``refund_of``, the order refunds the first line of that order, as
        the POS's refund screen sends it (without the card: the server finds it).
        ``other_payments`` [(payment method, amount)] pay part of it; cash pays the rest.
        """
        config = merchant.pos_config_ids[:1].with_company(merchant.company_id)
        if not config.current_session_id:
            config.open_ui()
        session = config.current_session_id
        product = refund_of.lines[0].product_id if refund_of else self._pos_product(merchant.company_id)
        line = {
            "product_id": product.id,
            "qty": -1 if refund_of else 1,
            "price_unit": abs(amount),
            "price_subtotal": amount,
            "price_subtotal_incl": amount,
            "tax_ids": [],
        }
        if refund_of:
            line["refunded_orderline_id"] = refund_of.lines[0].id
        # ``lines`` (see ``_pos_line``): the order is theirs, ``amount`` is ignored.
        lines = lines or [line]
        amount = sum(vals["price_subtotal_incl"] for vals in lines)
        tax = sum(vals["price_subtotal_incl"] - vals["price_subtotal"] for vals in lines)
        cash = config.payment_method_ids.filtered("is_cash_count")[:1]
        uuid = uuid or str(uuid4())
        data = {
            "amount_paid": amount,
            "amount_return": 0,
            "amount_tax": tax,
            "amount_total": amount,
            "date_order": fields.Datetime.to_string(date or fields.Datetime.now()),
            "pricelist_id": config.pricelist_id.id,
            "name": f"Order {uuid}",
            "lines": [(0, 0, vals) for vals in lines],
            "session_id": session.id,
            "payment_ids": [
                (0, 0, {"amount": paid, "payment_method_id": method.id, "name": fields.Datetime.now()})
                for method, paid in [(cash, amount - sum(paid for _m, paid in other_payments)), *other_payments]
            ],
            "uuid": uuid,
            "user_id": user.id if user else self.env.uid,
            "state": "paid",
            "alliance_card_id": card.id if card else False,
        }
        if card_code:
            # A card typed while the POS was offline: its number only.
            data["alliance_card_code"] = card_code
        Order = self.env["pos.order"].with_user(user) if user else self.env["pos.order"]
        Order.with_company(merchant.company_id).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", uuid)])


class AllianceCase(AllianceMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        # Wrong PINs and lookups that found no one are counted in a transaction of their own (their
        # error rolls the caller's back): in tests, a cursor on the test's own, as HttpCase has it.
        self.registry_enter_test_mode()


class AllianceHttpCase(AllianceMixin, HttpCase):
    @classmethod
    def _api_key(cls, user, name="收银台"):
        """An API key of ``user``, as an integrator creates it in the user's preferences (a day long)."""
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(scope="rpc", name=name, expiration_date=datetime.now() + timedelta(days=1))
        )

    @contextmanager
    def assertNoReadWriteRetry(self):
        """Nothing in the block made Odoo serve a read-only request again on a read/write cursor.

        In tests, a read-only route's cursor really is read-only: a write fails,
        and Odoo logs a warning and serves the request again on a read/write
        cursor. A refusal (a UserError) is logged by odoo.http too, and is fine.
        """
        records = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = records.append
        logger = logging.getLogger("odoo.http")
        logger.addHandler(handler)
        try:
            yield
        finally:
            logger.removeHandler(handler)
        retried = [r.getMessage() for r in records if "retrying with a read/write cursor" in r.getMessage()]
        self.assertFalse(retried, "a read-only request wrote")

    def _route_of(self, path):
        routes = self.env["ir.http"].routing_map().bind("")
        try:
            return routes.match(path)[0]
        except NotFound:
            # The portal's pages in the user's language: /en/my/...
            return routes.match("/" + path.split("/", 2)[2])[0]

    def assertServedReadonly(self, url, status=200):
        """``url`` is declared read-only (a replica serves it when Odoo has one) and is served so."""
        with self.assertNoReadWriteRetry():
            res = self.url_open(url)
        self.assertEqual(res.status_code, status, res.text[:500])
        path = urlsplit(url).path
        self.assertIs(self._route_of(path).routing["readonly"], True, f"{path} is not declared read-only")
        return res
