from . import purchase_order, qbo_connection, res_config_settings, sale_order
