"""Connect and disconnect: Intuit's authorization code flow with a signed ``state``."""

import binascii
import json
import logging
import secrets
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq, hash_sign, verify_hash_signed

from ..qbo import errors
from .qbo_connection_security import TOKEN_RESET
from .qbo_connection_setup import MAPPED_ACCOUNTS

_logger = logging.getLogger(__name__)

#: HMAC scope of the OAuth ``state`` (keys signed for another use never validate here).
STATE_SCOPE = "quickbooks_online.oauth_state"
#: Seconds a Connect link stays valid (Intuit's authorization code lives 10 minutes).
STATE_TTL = 600


class OAuthStateError(UserError):
    """The callback's ``state`` is tampered with, expired, replayed or someone else's."""


class QboConnectionOAuth(models.Model):
    _inherit = "qbo.connection"

    oauth_nonce = fields.Char(groups="base.group_system", copy=False)
    reconnect_reason = fields.Char(
        readonly=True,
        copy=False,
        help="Why Intuit refused the last token refresh, when it said (x_error_reason).",
    )
    reconnect_message = fields.Char(compute="_compute_reconnect_message")

    @api.depends("state", "reconnect_reason", "company_id.name")
    def _compute_reconnect_message(self):
        for connection in self:
            connection.reconnect_message = (
                connection._qbo_reconnect_message() if connection.state == "reconnect" else False
            )

    # ------------------------------------------------------------------ connect
    def action_qbo_connect(self):
        """Send the user to Intuit's consent page (they pick the QBO company there)."""
        self.ensure_one()
        self.check_access("write")
        conn = self.sudo()
        if not (conn.client_id and conn.client_secret):
            raise UserError(
                self.env._(
                    "Enter the Client ID and Client Secret of your Intuit app first "
                    "(a system administrator can do it on this form)."
                )
            )
        try:
            url = self._qbo_oauth().authorization_url(self._qbo_oauth_state())
        except (ValueError, errors.AuthorizationError) as error:
            raise UserError(
                self.env._("The environment settings are not valid: %(error)s", error=error)
            ) from None
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _qbo_oauth_state(self):
        """A signed, short-lived ``state`` naming this connection and the current user.

        Its nonce is also stored on the connection, so a link works once and a
        newer Connect click replaces older links.
        """
        self.ensure_one()
        nonce = secrets.token_urlsafe(16)
        self.sudo().oauth_nonce = nonce
        values = {"c": self.id, "u": self.env.uid, "e": int(time.time()) + STATE_TTL, "n": nonce}
        return hash_sign(self.sudo().env, STATE_SCOPE, values)

    def _qbo_use_oauth_state(self, state):
        """Return the connection the ``state`` was issued for, or raise :class:`OAuthStateError`.

        Checks, in order: signature, expiry, user, access to the connection,
        then that the nonce is the last one issued and not used yet. The nonce is then
        spent at once, before the code exchange that may fail: the callback keeps it
        spent whatever becomes of the exchange, so a link works once.
        """
        try:
            values = verify_hash_signed(self.sudo().env, STATE_SCOPE, state or "")
        except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, json.JSONDecodeError):
            values = None
        if not isinstance(values, dict) or not {"c", "u", "e", "n"} <= values.keys():
            raise OAuthStateError(
                self.env._(
                    "This QuickBooks connection link is not valid: it was altered or does not "
                    "come from this database. Start again with the Connect button."
                )
            )
        if values["e"] < time.time():
            raise OAuthStateError(
                self.env._(
                    "This QuickBooks connection link has expired (links are valid for "
                    "%(minutes)s minutes). Click Connect again.",
                    minutes=STATE_TTL // 60,
                )
            )
        if values["u"] != self.env.uid:
            raise OAuthStateError(
                self.env._(
                    "This QuickBooks connection was started by another user. Click Connect "
                    "yourself to connect with your own QuickBooks login."
                )
            )
        connection = self.browse(values["c"]).exists()
        try:
            connection.check_access("write")
        except AccessError:
            connection = self.browse()
        if not connection:
            raise OAuthStateError(
                self.env._("You are not allowed to connect this company to QuickBooks.")
            )
        stored = connection.sudo().oauth_nonce or ""
        if not (stored and consteq(stored, str(values["n"]))):
            raise OAuthStateError(
                self.env._(
                    "This QuickBooks connection link was already used or replaced by a newer "
                    "one. Click Connect again."
                )
            )
        connection.sudo().oauth_nonce = False
        return connection

    def _qbo_oauth_complete(self, code, realm_id):
        """Exchange the callback's code, store tokens and realm, read the QBO company.

        :raises UserError: with Intuit's or QBO's answer in plain words.
        """
        self.ensure_one()
        conn = self.sudo()
        if not (code and realm_id):
            raise UserError(
                self.env._("Intuit did not send back an authorization. Click Connect again.")
            )
        try:
            token = self._qbo_oauth().exchange_code(code, realm_id)
            if conn.realm_id and conn.realm_id != realm_id:
                self._qbo_forget_company()
            conn.write({"realm_id": realm_id, "state": "connected", "reconnect_reason": False})
            self._qbo_store_token(token)
            self._qbo_read_company()
        except errors.QboError as error:
            raise UserError(
                self.env._(
                    "QuickBooks did not accept the connection: %(error)s. Click Connect again.",
                    error=error,
                )
            ) from None
        self._qbo_close_reconnect_activities()
        self.message_post(
            body=self.env._(
                "Connected to the QuickBooks company %(name)s (%(realm)s).",
                name=self.qbo_company_name,
                realm=realm_id,
            )
        )
        return self.env["qbo.setup.wizard"].create({"connection_id": self.id})

    def _qbo_forget_company(self):
        """Another QBO company was picked: the cached accounts, codes and links are wrong now."""
        conn = self.sudo()
        self.env["qbo.link"].sudo().search([("connection_id", "=", self.id)]).unlink()
        self.env["qbo.tax.code"].sudo().search([("connection_id", "=", self.id)]).unlink()
        conn.write(
            {
                "setup_done": False,
                "cdc_since": False,
                **dict.fromkeys(MAPPED_ACCOUNTS, False),
            }
        )
        self.env["qbo.account"].sudo().search([("connection_id", "=", self.id)]).unlink()

    def _qbo_close_reconnect_activities(self):
        activities = self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
        )
        activities.sudo().action_feedback(feedback=self.env._("Reconnected."))

    # ------------------------------------------------------------------ disconnect
    def action_qbo_disconnect(self):
        """Revoke the authorization at Intuit and forget the tokens."""
        self.ensure_one()
        self.check_access("write")
        conn = self.sudo()
        token = conn.refresh_token or conn.access_token
        if token:
            try:
                self._qbo_oauth().revoke(token)
            except errors.QboError as error:
                # The tokens are dropped anyway; Intuit forgets unused ones after 100 days.
                _logger.warning("QuickBooks connection %s: revoke failed: %s", self.id, error)
        conn.write(dict(TOKEN_RESET, setup_done=False))
        self.message_post(body=self.env._("Disconnected from QuickBooks."))
        return True

    def action_qbo_open_setup(self):
        """Open the setup wizard (connected companies only)."""
        self.ensure_one()
        if self.state != "connected":
            raise UserError(self.env._("Connect to QuickBooks first."))
        return self.env["qbo.setup.wizard"].create({"connection_id": self.id})._action_open()
