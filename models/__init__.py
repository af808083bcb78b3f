# document_mixin first: the order models inherit from it.
from . import (
    document_mixin,
    purchase_order,
    qbo_account,
    qbo_connection,
    qbo_link,
    res_config_settings,
    sale_order,
)
