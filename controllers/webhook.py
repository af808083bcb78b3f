import logging

from odoo import http
from odoo.http import request

from ..models.sync_const import WEBHOOK_MAX_BODY
from ..qbo import errors, webhooks

_logger = logging.getLogger(__name__)


class QboWebhookController(http.Controller):
    """Receives Intuit's webhook notifications (both payload formats).

    It only verifies, stores and wakes the processing cron: QBO is never called
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
        signature = httprequest.headers.get(webhooks.SIGNATURE_HEADER)
        if not signature:
            return _answer(403)
        raw = httprequest.get_data(cache=False)
        try:
            events = webhooks.parse_events(raw)
        except errors.WebhookPayloadError as error:
            _logger.warning("QuickBooks webhook with an unreadable body: %s", error)
            return _answer(400)
        realms = {event.realm_id for event in events}
        connections = (
            request.env["qbo.connection"]
            .sudo()
            .search([("realm_id", "in", list(realms)), ("verifier_token", "!=", False)])
        )
        if not connections:
            # Not ours (or no longer): acknowledge, or Intuit keeps retrying.
            return _answer(200)
        tokens = set(connections.mapped("verifier_token"))
        if len(tokens) != 1 or not webhooks.verify_signature(raw, signature, tokens.pop()):
            _logger.warning("QuickBooks webhook refused: the signature does not match")
            return _answer(403)
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
        return _answer(200)


def _answer(status):
    return request.make_response("", status=status)
