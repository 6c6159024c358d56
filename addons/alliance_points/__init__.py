from . import controllers, models, tools, wizards


def post_init_hook(env):
    """Points of sale that existed before this module can take points as payment too."""
    env["alliance.merchant"].search([])._ensure_points_payment_method()
