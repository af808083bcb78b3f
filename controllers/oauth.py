"""The page Intuit sends the user back to after the consent screen."""

import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..qbo import redact
from ..services import oauth_flow

_logger = logging.getLogger(__name__)

# The callback's code and state come in its query string, which the access log prints
# (werkzeug's logger for the threaded and prefork servers, longpolling's for gevent).
redact.install_request_log("werkzeug", "longpolling")


class QboOAuthController(http.Controller):
    @http.route("/quickbooks/oauth/callback", type="http", auth="user", methods=["GET"])
    def qbo_oauth_callback(self, state=None, code=None, realmId=None, error=None, **kwargs):
        """Check the signed ``state``, exchange the code and open the setup wizard.

        Any refusal is shown on a plain page in the user's words; nothing is
        stored unless the whole exchange worked, except that the ``state`` is spent.
        """
        try:
            connection = oauth_flow.use_state(request.env["qbo.connection"], state)
            if error:
                raise UserError(
                    request.env._(
                        "The connection was cancelled on the QuickBooks side (%(error)s). "
                        "Nothing was changed.",
                        error=redact.one_line(error, limit=100),
                    )
                )
            with request.env.cr.savepoint():
                wizard = oauth_flow.complete(connection, code, realmId)
        except UserError as exc:
            _logger.info("QuickBooks connection callback refused: %s", redact.one_line(exc.args[0]))
            return request.render(
                "quickbooks_online.oauth_callback_error",
                {"message": exc.args[0]},
                status=400,
            )
        return request.redirect(
            f"/odoo/action-quickbooks_online.action_qbo_setup_wizard/{wizard.id}"
        )
