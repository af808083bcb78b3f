# The mixin of the connector's own fields comes before every model that inherits it.
from . import qbo_owned_fields_mixin

# isort: split
# The record of the traffic with QuickBooks inherits that mixin; the event, usage and log
# models inherit it.
from . import qbo_traffic_mixin

# isort: split
# Sorted: document_mixin comes before the order models that inherit from it.
from . import (
    account_tax,
    document_mixin,
    purchase_order,
    qbo_account,
    qbo_api_usage,
    qbo_cdc_watermark,
    qbo_connection,
    qbo_event,
    qbo_link,
    qbo_push_intent,
    qbo_return,
    qbo_return_line,
    qbo_sync,
    qbo_sync_log,
    qbo_tax_code,
    qbo_vendor,
    res_config_settings,
    sale_order,
    stock_picking,
)
