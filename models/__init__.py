# Sorted: document_mixin comes before the order models that inherit from it.
from . import (
    account_tax,
    document_mixin,
    purchase_order,
    qbo_account,
    qbo_connection,
    qbo_connection_oauth,
    qbo_connection_setup,
    qbo_link,
    qbo_partner_import,
    qbo_tax_code,
    res_config_settings,
    sale_order,
)
