"""Framework-free client for the QuickBooks Online Accounting API v3 and Intuit OAuth 2.0.

Never imports Odoo: the addon wraps it. Inside the package only relative imports are used, since
Odoo imports it as ``odoo.addons.quickbooks_online.qbo``.
"""

from . import const, errors, query, webhooks
from .auth import AuthProvider, TokenAuth
from .batch import BatchResult
from .cdc import CdcResult
from .client import QboClient
from .oauth import QboOAuth, Token
from .webhooks import Event

__all__ = [
    "AuthProvider",
    "BatchResult",
    "CdcResult",
    "Event",
    "QboClient",
    "QboOAuth",
    "Token",
    "TokenAuth",
    "const",
    "errors",
    "query",
    "webhooks",
]
