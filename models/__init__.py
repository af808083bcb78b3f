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
    qbo_push,
    qbo_push_preflight,
    qbo_push_resolve,
    qbo_tax_code,
    qbo_vendor,
    res_config_settings,
    sale_order,
)
