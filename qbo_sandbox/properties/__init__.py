"""The properties QBO accepts, one table per entity and per line DetailType.

From Intuit's API reference (minor version 75) and the real payloads in
``shared/qbo_samples``. Read-only properties the server sets (``MetaData``, ``Balance``,
``TotalAmt`` of invoices and bills...) are listed: QBO accepts them in a request, as a full
update sends back what was read, and overwrites them. Anything else is fault 2010.
"""

from .lists import LISTS
from .transactions import TRANSACTIONS

TABLES = {**LISTS, **TRANSACTIONS}

__all__ = ["TABLES"]
