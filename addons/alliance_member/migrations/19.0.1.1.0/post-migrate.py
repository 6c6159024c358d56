"""ID numbers stored readable until 19.0.1.0.0: keep their keyed hash and masked form, then erase them."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        """SELECT 1 FROM information_schema.columns
            WHERE table_name = 'res_partner' AND column_name = 'alliance_id_number'"""
    )
    if not cr.fetchone():
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Partner = env["res.partner"]
    cr.execute("SELECT id, alliance_id_number FROM res_partner WHERE alliance_id_number IS NOT NULL")
    for partner_id, number in cr.fetchall():
        cr.execute(
            "UPDATE res_partner SET alliance_id_number_hash = %s, alliance_id_number_masked = %s WHERE id = %s",
            (Partner._alliance_id_number_hash(number), Partner._alliance_mask_id_number(number), partner_id),
        )
    # The readable numbers leave the database for good.
    cr.execute("ALTER TABLE res_partner DROP COLUMN alliance_id_number")
