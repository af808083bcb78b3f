"""Constants of the QuickBooks Online API and Intuit's OAuth 2.0 platform.

Every host-dependent URL is derived from one :class:`Endpoints` record per environment, so a
``custom`` environment (the local sandbox) is just another host with the same path layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

PRODUCTION = "production"
SANDBOX = "sandbox"
CUSTOM = "custom"
ENVIRONMENTS = (PRODUCTION, SANDBOX, CUSTOM)

MINOR_VERSION = 75

SCOPE_ACCOUNTING = "com.intuit.quickbooks.accounting"
DEFAULT_SCOPES = (SCOPE_ACCOUNTING,)

AUTHORIZE_PATH = "/connect/oauth2"
TOKEN_PATH = "/oauth2/v1/tokens/bearer"
REVOKE_PATH = "/v2/oauth2/tokens/revoke"
API_PATH = "/v3/company"
WEB_PATH = "/app"

#: Real Intuit hosts, per environment.
INTUIT_AUTHORIZE_URL = "https://appcenter.intuit.com" + AUTHORIZE_PATH
INTUIT_TOKEN_URL = "https://oauth.platform.intuit.com" + TOKEN_PATH
INTUIT_REVOKE_URL = "https://developer.api.intuit.com" + REVOKE_PATH
API_HOSTS = {
    PRODUCTION: "https://quickbooks.api.intuit.com",
    SANDBOX: "https://sandbox-quickbooks.api.intuit.com",
}
WEB_HOSTS = {
    PRODUCTION: "https://app.qbo.intuit.com",
    SANDBOX: "https://app.sandbox.qbo.intuit.com",
}

#: Request limits.
MAX_REQUEST_ID_LENGTH = 50
MAX_BATCH_REQUEST_ID_LENGTH = 36
MAX_BATCH_ID_LENGTH = 10  # a bId, when the batch carries a requestid
MAX_BATCH_ITEMS = 30
#: requests of one company QBO serves at once (beyond: 429)
MAX_CONCURRENT_REQUESTS = 10
MAX_QUERY_RESULTS = 1000
#: Queries longer than this are POSTed as text instead of being put in the URL.
MAX_GET_QUERY_LENGTH = 1500

#: HTTP statuses retried by the transport (writes are safe to retry: they carry a requestid).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_METHODS = frozenset({"GET", "POST"})

#: Response header carrying Intuit's transaction id (support asks for it).
INTUIT_TID_HEADER = "intuit_tid"

#: Canonical QBO spelling of the entities, keyed by lower-case name.
ENTITIES = {
    name.lower(): name
    for name in (
        "Account",
        "Attachable",
        "Bill",
        "BillPayment",
        "Budget",
        "Class",
        "CompanyCurrency",
        "CompanyInfo",
        "CreditMemo",
        "Customer",
        "CustomerType",
        "Department",
        "Deposit",
        "Employee",
        "Estimate",
        "ExchangeRate",
        "Invoice",
        "Item",
        "JournalCode",
        "JournalEntry",
        "Payment",
        "PaymentMethod",
        "Preferences",
        "Purchase",
        "PurchaseOrder",
        "RefundReceipt",
        "SalesReceipt",
        "TaxAgency",
        "TaxCode",
        "TaxRate",
        "Term",
        "TimeActivity",
        "Transfer",
        "Vendor",
        "VendorCredit",
    )
}
_ENTITY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")

#: Deep-link pages of the QBO web UI: kind -> (page, id parameter).
WEB_PAGES = {
    "invoice": ("invoice", "txnId"),
    "bill": ("bill", "txnId"),
    "creditmemo": ("creditmemo", "txnId"),
    "vendorcredit": ("vendorcredit", "txnId"),
    "journal": ("journal", "txnId"),
    "journalentry": ("journal", "txnId"),
    "customer": ("customerdetail", "nameId"),
    "vendor": ("vendordetail", "nameId"),
}

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: characters of a base URL that parsers read differently (whitespace, controls, backslash)
_URL_TRICKS = re.compile(r"[\s\x00-\x1f\x7f\\]")


@dataclass(frozen=True)
class Endpoints:
    """Every URL a connection needs, for one environment."""

    authorize_url: str
    token_url: str
    revoke_url: str
    api_base: str
    web_base: str


def entity_name(entity: str) -> str:
    """Return QBO's spelling of ``entity`` (``"journalentry"`` -> ``"JournalEntry"``).

    Unknown names are accepted as given when they look like an entity name, so a newer QBO
    entity does not need a code change here.
    """
    if not isinstance(entity, str) or not _ENTITY_RE.match(entity):
        raise ValueError(f"Not a QBO entity name: {entity!r}")
    return ENTITIES.get(entity.lower(), entity)


def normalize_base_url(base_url: str | None) -> str:
    """Validate a custom base URL and strip its trailing slash.

    Plain ``http`` is only accepted for loopback hosts (the local sandbox). Only a
    scheme, a host and a port are accepted: credentials, a path, a query or a
    fragment, and characters URL parsers disagree on (spaces, backslashes, control
    characters) are refused, so that the host requests go to is the one shown.
    """
    if not base_url:
        raise ValueError("The custom environment needs a base_url")
    if _URL_TRICKS.search(base_url):
        raise ValueError(f"Invalid base_url: {base_url!r}")
    parts = urlsplit(base_url)
    try:
        parts.port  # noqa: B018 -- raises on a port that is not a number in range
    except ValueError:
        raise ValueError(f"Invalid base_url: {base_url!r}") from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"Invalid base_url: {base_url!r}")
    if parts.scheme == "http" and not is_loopback(base_url):
        raise ValueError("A custom base_url must use https unless it is a loopback address")
    return base_url.rstrip("/")


def is_loopback(url: str) -> bool:
    """Whether ``url`` points at this machine."""
    return (urlsplit(url).hostname or "").lower() in _LOOPBACK_HOSTS


def endpoints(environment: str, base_url: str | None = None) -> Endpoints:
    """Return the :class:`Endpoints` of an environment.

    :param environment: ``production``, ``sandbox`` or ``custom``.
    :param base_url: host of everything (OAuth, API, web UI) for ``custom``; ignored otherwise.
    """
    if environment == CUSTOM:
        base = normalize_base_url(base_url)
        return Endpoints(
            authorize_url=base + AUTHORIZE_PATH,
            token_url=base + TOKEN_PATH,
            revoke_url=base + REVOKE_PATH,
            api_base=base,
            web_base=base,
        )
    if environment not in API_HOSTS:
        raise ValueError(f"Unknown environment {environment!r}; use one of {ENVIRONMENTS}")
    return Endpoints(
        authorize_url=INTUIT_AUTHORIZE_URL,
        token_url=INTUIT_TOKEN_URL,
        revoke_url=INTUIT_REVOKE_URL,
        api_base=API_HOSTS[environment],
        web_base=WEB_HOSTS[environment],
    )


def web_url(
    environment: str,
    kind: str,
    id: str | int,
    realm_id: str | None = None,
    base_url: str | None = None,
) -> str:
    """Deep link to a document or contact in the QBO web UI.

    :param kind: ``invoice``, ``bill``, ``creditmemo``, ``vendorcredit``, ``journal`` (or
        ``journalentry``), ``customer``, ``vendor``.
    :param realm_id: when given, ``companyId`` is added so the link names its company.
    """
    try:
        page, id_param = WEB_PAGES[kind.lower()]
    except (KeyError, AttributeError):
        raise ValueError(
            f"Unknown deep-link kind {kind!r}; use one of {sorted(WEB_PAGES)}"
        ) from None
    params = {id_param: str(id)}
    if realm_id:
        params["companyId"] = str(realm_id)
    base = endpoints(environment, base_url).web_base
    return f"{base}{WEB_PATH}/{page}?{urlencode(params)}"
