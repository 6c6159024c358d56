"""Until 19.0.1.2.0 every counter read every card; the rule is in a noupdate block, so let the update rewrite it."""


def migrate(cr, version):
    cr.execute(
        """UPDATE ir_model_data SET noupdate = FALSE
            WHERE module = 'alliance_member' AND name = 'alliance_card_rule_company_read'"""
    )
