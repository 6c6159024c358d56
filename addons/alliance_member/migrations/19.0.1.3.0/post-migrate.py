"""The card fee product (``noupdate``) takes no member discount, as a new install has it."""


def migrate(cr, version):
    cr.execute(
        """UPDATE product_template SET alliance_no_discount = TRUE
            WHERE id IN (SELECT p.product_tmpl_id FROM product_product p
                           JOIN ir_model_data d ON d.model = 'product.product' AND d.res_id = p.id
                          WHERE d.module = 'alliance_member' AND d.name = 'product_card_fee')"""
    )
