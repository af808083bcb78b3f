"""A local QuickBooks Online sandbox: Intuit OAuth 2.0 + Accounting API v3 on 127.0.0.1.

Standard library only; built from QBO's documented behaviour, not from any client.
"""

from . import presets
from .core import RequestRecord
from .server import SandboxServer

__all__ = ["RequestRecord", "SandboxServer", "presets"]
