import cn2an

from odoo import models


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def _alliance_amount_in_words(self, amount, lang=None):
        """The amount in words for a settlement statement.

        Chinese RMB capitals (人民币壹拾元整) for yuan in Chinese, as Chinese
        accounting requires on payment documents; Odoo's own wording
        (num2words) otherwise. cn2an is used instead of a hand-written
        converter: capitals have rules (零 placement, 整) that are easy to get
        subtly wrong.
        """
        self.ensure_one()
        amount = self.round(amount)
        lang = lang or self.env.lang or "en_US"
        if self.name == "CNY" and lang.startswith("zh"):
            words = cn2an.an2cn(f"{abs(amount):.2f}", "rmb")
            return ("负" if amount < 0 else "") + "人民币" + words
        return self.with_context(lang=lang).amount_to_text(amount)
