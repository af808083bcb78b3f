"""Keep tokens, secrets and Authorization headers out of the logs.

Two layers, like Odoo's ``payment`` logging helpers:

* :func:`remember_secret` records every secret value the package handles (client secret, access,
  refresh and id tokens, authorization codes); :func:`redact` masks those values wherever they
  appear, plus anything that *looks* like a credential (``Bearer ...``, ``Basic ...``,
  ``refresh_token=...``, ``"access_token": "..."``).
* :class:`RedactingFilter` rewrites log records with :func:`redact`. :func:`install` attaches it to
  this package's loggers and to the loggers of the libraries that log requests: requests-oauthlib
  prints whole token requests and responses at DEBUG level, urllib3 prints request lines.
  :func:`install_request_log` attaches one that also masks :data:`REQUEST_LINE_KEYS` to the loggers
  of a web server's access lines.

:func:`one_line` makes a value someone else chose safe to log: it can't start a log line of its own.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "********"
#: Secrets shorter than this are not searched for (they would mask ordinary words).
_MIN_SECRET_LENGTH = 8
_MAX_REMEMBERED = 512

SENSITIVE_KEYS = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code",
    "token",
    "password",
    "authorization",
)
#: query parameters masked in request lines only: the OAuth callback's ``state`` ties a consent to
#: the user who clicked Connect until it is used, so it has no place in an access log
REQUEST_LINE_KEYS = ("state",)
# a terminal colour code (\x1b) ends the value: access lines are coloured by status
_QUERY_PATTERN = r"(\b(?:%s)=)[^&\s'\"\x1b]+"
# "code" is only a secret in OAuth forms and redirects; in JSON it is a fault code
_JSON_KEYS = "|".join(key for key in SENSITIVE_KEYS if key != "code")
_PATTERNS = (
    # Authorization header values
    # (not a URL path such as ".../tokens/bearer", and at least 8 characters of credential)
    (
        re.compile(r"(?<![/\w])(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*", re.IGNORECASE),
        r"\1 " + MASK,
    ),
    # JSON or Python-repr pairs: "access_token": "..." / 'Authorization': '...'
    (
        re.compile(r"""(["'](?:%s)["']\s*:\s*["'])[^"']*(["'])""" % _JSON_KEYS, re.IGNORECASE),
        r"\g<1>" + MASK + r"\g<2>",
    ),
    # form bodies and query strings: refresh_token=...&
    (re.compile(_QUERY_PATTERN % "|".join(SENSITIVE_KEYS), re.IGNORECASE), r"\g<1>" + MASK),
)

# Libraries whose loggers may print credentials.
THIRD_PARTY_LOGGERS = (
    "requests_oauthlib",
    "requests_oauthlib.oauth2_session",
    "oauthlib",
    "oauthlib.oauth2.rfc6749.clients.base",
    "oauthlib.oauth2.rfc6749.parameters",
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.util.retry",
    "requests",
)

_secrets: OrderedDict[str, None] = OrderedDict()
_lock = threading.Lock()


def remember_secret(*values: object) -> None:
    """Register secret values so that :func:`redact` masks them wherever they show up."""
    with _lock:
        for value in values:
            if isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
                _secrets[value] = None
                _secrets.move_to_end(value)
        while len(_secrets) > _MAX_REMEMBERED:
            _secrets.popitem(last=False)


def redact(text: str, query_keys: tuple[str, ...] = ()) -> str:
    """Return ``text`` with every remembered secret and credential-like value masked.

    :param query_keys: more query parameters to mask (:data:`REQUEST_LINE_KEYS`).
    """
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    if query_keys:
        pattern = re.compile(_QUERY_PATTERN % "|".join(map(re.escape, query_keys)), re.IGNORECASE)
        text = pattern.sub(r"\g<1>" + MASK, text)
    return text


_CONTROL_RE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(value: object, limit: int = 300) -> str:
    """``value`` fit for a log line: control characters escaped (a line break in a value someone
    sent would forge a log line of its own), cut after ``limit`` characters."""
    text = _CONTROL_RE.sub(
        lambda match: match.group().encode("unicode_escape").decode("ascii"), str(value)
    )
    return text if len(text) <= limit else text[:limit] + "..."


def redact_url(url: str) -> str:
    """Mask the values of sensitive query parameters of ``url``."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (key, MASK if key.lower() in SENSITIVE_KEYS else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


class RedactingFilter(logging.Filter):
    """Logging filter that rewrites each record's message through :func:`redact`."""

    def __init__(self, query_keys: tuple[str, ...] = ()):
        super().__init__()
        self.query_keys = query_keys

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging's own error path
            return True
        cleaned = redact(message, self.query_keys)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()
_REQUEST_LINE_FILTER = RedactingFilter(REQUEST_LINE_KEYS)
_installed: set[str] = set()


def install(*logger_names: str) -> None:
    """Attach the redacting filter to ``logger_names`` and to :data:`THIRD_PARTY_LOGGERS`.

    A logger's filters only see records created on that very logger, so every logger that can
    print secrets is listed by its full name. Idempotent.
    """
    with _lock:
        for name in (*logger_names, *THIRD_PARTY_LOGGERS):
            if name not in _installed:
                logging.getLogger(name).addFilter(_FILTER)
                _installed.add(name)


def install_request_log(*logger_names: str) -> None:
    """Attach a redacting filter that also masks :data:`REQUEST_LINE_KEYS` to the loggers of a web
    server's access lines (``logger_names``). Idempotent."""
    with _lock:
        for name in logger_names:
            logger = logging.getLogger(name)
            if _REQUEST_LINE_FILTER not in logger.filters:
                logger.addFilter(_REQUEST_LINE_FILTER)
