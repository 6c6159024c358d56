"""The card number's plain index duplicated its unique constraint's: dropped (Odoo keeps an index a
field no longer asks for)."""


def migrate(cr, version):
    cr.execute("DROP INDEX IF EXISTS alliance_card__code_index")
