from odoo import api, models
from odoo.exceptions import UserError


class AlliancePointsService(models.AbstractModel):
    _inherit = "alliance.points.service"

    @api.model
    def _spend_gift(self, card, points, reference, proof, sponsor=None, entry_type="gift"):
        """Spend ``points`` of the card on gifts (or a coupon), with the member's PIN or a code texted for it.

        The entry is the sponsor's when a merchant sponsors the gifts (it is
        credited per gift at settlement, not for the points) or funds the
        coupon, else the operator's; idempotent on ``reference``.
        """
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            raise UserError(self.env._("Points to spend must be a positive whole number."))
        existing = self._lock_card(card, posted=(sponsor, entry_type, reference))
        if existing:
            return existing
        card._check_can_move_points()
        if sponsor:
            sponsor._check_can_move_points()
        self._check_gift_proof(card, proof)
        lots = self._open_lots(card, spendable_only=True)
        available = sum(lots.mapped("remaining"))
        if available < points:
            raise UserError(
                self.env._(
                    "You have %(balance)s points to spend; this needs %(points)s.",
                    balance=available,
                    points=points,
                )
            )
        currency = (
            sponsor.company_id if sponsor else self.env["alliance.merchant"]._get_operator_company()
        ).currency_id
        return self._post(
            card,
            entry_type,
            -points,
            merchant=sponsor or None,
            reference=reference,
            amount=currency._alliance_points_value(points),
            origin=reference,
            spendable_only=True,
            open_lots=lots,
        )

    @api.model
    def _check_gift_proof(self, card, proof):
        """The member confirms with their card's PIN, a code texted for gifts, or their dynamic payment code.

        Never the card alone: a gift is points leaving the card, whoever holds its number.
        """
        proof = proof if isinstance(proof, dict) else {}
        auth = self.env["alliance.card.auth"]._get_for(card)
        if isinstance(proof.get("code"), str) and proof["code"]:
            auth._check_payment_code(proof["code"])
        elif isinstance(proof.get("pin"), str) and proof["pin"]:
            auth._check_pin(proof["pin"])
        elif isinstance(proof.get("sms"), str) and proof["sms"]:
            auth._check_sms_code(proof["sms"], purpose="gift")
        else:
            raise UserError(self.env._("Confirm with your card's PIN or the code texted to your phone."))
