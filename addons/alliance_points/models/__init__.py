from . import res_config_settings, res_currency
