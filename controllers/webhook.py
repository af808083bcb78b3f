import logging
import threading
import time

from odoo import http
from odoo.http import request

from ..qbo import errors, webhooks
from ..qbo.redact import one_line
from ..services.const import WEBHOOK_MAX_BODY, WEBHOOK_REFUSALS_LOG_SECONDS

_logger = logging.getLogger(__name__)

#: where the body read from the stream is kept for the rest of the request (Odoo's retries too)
_BODY_KEY = "quickbooks_online.webhook_body"


class QboWebhookController(http.Controller):
    """Receives Intuit's webhook notifications (both payload formats).

    A doorbell: it reads at most :data:`WEBHOOK_MAX_BODY` bytes, checks the signature over
    them, and only then parses, stores and wakes the processing cron. QBO is never called
    here, so Intuit gets its answer at once (it wants one within about 3 s).
    """

    @http.route(
        "/quickbooks/webhook",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def qbo_webhook(self, **kwargs):
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > WEBHOOK_MAX_BODY:
            return _answer(413)
        raw = _read_body(httprequest)
        if len(raw) > WEBHOOK_MAX_BODY:
            return _answer(413)
        signed = request.env["qbo.connection"].sudo().search([("verifier_token", "!=", False)])
        token = webhooks.signing_token(
            raw,
            httprequest.headers.get(webhooks.SIGNATURE_HEADER),
            set(signed.mapped("verifier_token")),
        )
        if token is None:
            _refusals.add()
            return _answer(403)
        try:
            events = webhooks.parse_events(raw)
        except errors.WebhookPayloadError as error:
            _logger.warning("QuickBooks webhook with an unreadable body: %s", one_line(error))
            return _answer(400)
        realms = {event.realm_id for event in events}
        # Only the companies of the app that signed it: a token never speaks for another app's.
        connections = signed.filtered(lambda c: c.verifier_token == token and c.realm_id in realms)
        stored = 0
        for connection in connections:
            stored += (
                request.env["qbo.event"]
                .sudo()
                ._store(
                    connection,
                    [event for event in events if event.realm_id == connection.realm_id],
                )
            )
        if stored:
            request.env.ref("quickbooks_online.ir_cron_qbo_process_events").sudo()._trigger()
        # Not ours (or no longer) is acknowledged too, or Intuit keeps retrying.
        return _answer(200)


def _read_body(httprequest):
    """The body, of which at most one byte more than :data:`WEBHOOK_MAX_BODY` is read.

    A chunked body has no ``Content-Length``, so the stream itself is bounded. The bytes
    are kept on the request: when a serialization failure makes Odoo run the controller
    again, the stream is spent but the delivery must still be there.
    """
    environ = httprequest.environ
    if _BODY_KEY not in environ:
        # Odoo's request wrapper doesn't expose werkzeug's (bounded, de-chunked) stream.
        stream = httprequest._HTTPRequest__wrapped.stream
        environ[_BODY_KEY] = stream.read(WEBHOOK_MAX_BODY + 1)
    return environ[_BODY_KEY]


def _answer(status):
    return request.make_response("", status=status)


class _RefusalSummary:
    """Refused deliveries (signature missing or wrong), logged as one WARNING with their
    count at most every ``interval`` seconds, so that no sender can flood the log.

    Counted per Odoo worker process; the count of a quiet end is reported with the
    next refusal.
    """

    def __init__(self, interval):
        self.interval = interval
        self._lock = threading.Lock()
        self._count = 0
        self._logged_at = None

    def add(self):
        with self._lock:
            self._count += 1
            now = time.time()
            # a clock set back counts as time gone by
            if self._logged_at is not None and 0 <= now - self._logged_at < self.interval:
                return
            count, self._count, self._logged_at = self._count, 0, now
        _logger.warning(
            "QuickBooks webhook: %s deliveries refused since the last report, their signature "
            "was missing or wrong (reported at most every %s seconds)",
            count,
            self.interval,
        )


_refusals = _RefusalSummary(WEBHOOK_REFUSALS_LOG_SECONDS)
