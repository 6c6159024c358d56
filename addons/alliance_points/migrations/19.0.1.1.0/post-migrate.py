"""19.0.1.1.0: cards keep their last visit and whether the member visits other merchants."""

from odoo.api import SUPERUSER_ID, Environment


def migrate(cr, version):
    Environment(cr, SUPERUSER_ID, {})["alliance.card"]._alliance_recompute_visits()
