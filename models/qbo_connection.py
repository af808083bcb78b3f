import logging
from datetime import datetime, timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..qbo import QboClient, QboOAuth, Token, const, errors

_logger = logging.getLogger(__name__)

#: Seconds for any QBO request. One number, not a (connect, read) pair: Odoo's test
#: harness only understands numbers when it inspects outgoing requests.
API_TIMEOUT = 60.0

#: How long a token refresh waits for another worker's refresh of the same connection.
REFRESH_LOCK_TIMEOUT = "5s"

#: Fields holding credentials: readable by the system group only, cleared by neutralize.
SECRET_FIELDS = ("client_secret", "verifier_token", "access_token", "refresh_token")

#: Warn this many days before the rolling refresh token expires (Intuit: 100 days unused).
REFRESH_WARN_DAYS = 14
#: Warn this many days before the refresh token's absolute (5-year) expiry.
HARD_EXPIRY_WARN_DAYS = 60


class QboConnection(models.Model):
    """The link between one Odoo company and one QuickBooks Online company.

    There is at most one connection per Odoo company: every document of that
    company is pushed through it, so a second one would make the target
    ambiguous. Tokens live here (never on a wizard) and are readable by the
    system group only; the other QuickBooks code reads them with ``sudo()``.
    """

    _name = "qbo.connection"
    _description = "QuickBooks Online connection"
    _inherit = ["mail.thread", "mail.activity.mixin"]

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
        index=True,
    )
    state = fields.Selection(
        [
            # "Reconnect needed" before "Connected": on the form's status bar it is a step to
            # take, not one after being connected
            ("not_connected", "Not connected"),
            ("reconnect", "Reconnect needed"),
            ("connected", "Connected"),
        ],
        default="not_connected",
        required=True,
        readonly=True,
        tracking=True,
    )
    setup_done = fields.Boolean(
        string="Integration active",
        readonly=True,
        help="Set when the setup wizard was completed; orders are pushed only then.",
    )

    # --- Intuit app and environment
    environment = fields.Selection(
        [
            (const.PRODUCTION, "Production"),
            (const.SANDBOX, "Intuit sandbox"),
            (const.CUSTOM, "Custom URL (local QuickBooks sandbox server)"),
        ],
        default=const.PRODUCTION,
        required=True,
    )
    base_url = fields.Char(
        string="Base URL",
        help="For the custom environment: the server hosting OAuth, API and pages.",
    )
    client_id = fields.Char(string="Client ID", groups="base.group_system")
    client_secret = fields.Char(groups="base.group_system", copy=False)
    verifier_token = fields.Char(
        string="Webhook verifier token", groups="base.group_system", copy=False
    )

    # --- The QBO company (read from CompanyInfo and Preferences)
    realm_id = fields.Char(
        string="QuickBooks company ID (realm)", readonly=True, copy=False, index=True
    )
    qbo_company_name = fields.Char(string="QuickBooks company", readonly=True, copy=False)
    qbo_country = fields.Char(
        string="QuickBooks country", readonly=True, copy=False, help="ISO 3166 alpha-2 code"
    )
    qbo_currency = fields.Char(string="QuickBooks home currency", readonly=True, copy=False)
    custom_txn_numbers = fields.Boolean(
        string="Custom transaction numbers",
        readonly=True,
        help="QuickBooks preference: when on, order numbers are sent as document numbers.",
    )
    multi_currency = fields.Boolean(string="QuickBooks multi-currency", readonly=True)
    automated_sales_tax = fields.Boolean(
        string="QuickBooks automated sales tax",
        readonly=True,
        help="US QuickBooks preference: QuickBooks works out sales tax from the ship-to "
        "address; the connector sends Odoo's tax amount as an override.",
    )
    is_us = fields.Boolean(compute="_compute_is_us", help="US companies use QuickBooks' sales tax.")

    # --- Tokens (system group only)
    access_token = fields.Char(groups="base.group_system", copy=False)
    access_token_expires_at = fields.Datetime(groups="base.group_system", copy=False)
    refresh_token = fields.Char(groups="base.group_system", copy=False)
    refresh_token_expires_at = fields.Datetime(readonly=True, copy=False)
    refresh_token_hard_expires_at = fields.Datetime(readonly=True, copy=False)
    refresh_token_rotated_at = fields.Datetime(
        string="Refresh token received", readonly=True, copy=False
    )
    refresh_token_age_days = fields.Integer(
        string="Refresh token age (days)", compute="_compute_token_health"
    )
    token_warning = fields.Char(compute="_compute_token_health")
    mismatch_warning = fields.Char(
        compute="_compute_mismatch_warning",
        help="The QuickBooks company's home currency or country does not fit the Odoo company.",
    )

    # --- Ledger mapping (set by the setup wizard; changes are tracked in the chatter)
    sync_sales = fields.Boolean(string="Sync sales orders", default=True, tracking=True)
    sync_purchases = fields.Boolean(string="Sync purchase orders", default=True, tracking=True)
    accounting_mode = fields.Selection(
        [("simple", "Simple accounting"), ("inventory", "Accounting with inventory")],
        default="simple",
        required=True,
        tracking=True,
    )
    income_account_id = fields.Many2one("qbo.account", string="Income account", tracking=True)
    purchase_account_id = fields.Many2one("qbo.account", string="Purchases account", tracking=True)
    payable_account_id = fields.Many2one("qbo.account", string="Accounts payable", tracking=True)
    cogs_account_id = fields.Many2one(
        "qbo.account", string="Cost of goods sold account", tracking=True
    )
    inventory_account_id = fields.Many2one(
        "qbo.account", string="Inventory asset account", tracking=True
    )

    # --- Change data capture watermark (QBO server time of the last poll), kept in
    # qbo.cdc.watermark: never written on this row, which the token renewal commits
    cdc_since = fields.Char(
        compute="_compute_cdc_since", inverse="_inverse_cdc_since", readonly=True, copy=False
    )

    _company_unique = models.UniqueIndex(
        "(company_id)",
        "A company has only one QuickBooks Online connection.",
    )

    @api.depends("company_id")
    def _compute_display_name(self):
        for connection in self:
            connection.display_name = self.env._(
                "QuickBooks Online – %(company)s", company=connection.company_id.name
            )

    @api.depends("qbo_country")
    def _compute_is_us(self):
        for connection in self:
            connection.is_us = connection.qbo_country == "US"

    @api.depends(
        "state",
        "refresh_token_rotated_at",
        "refresh_token_expires_at",
        "refresh_token_hard_expires_at",
    )
    def _compute_token_health(self):
        now = fields.Datetime.now()
        for connection in self:
            rotated = connection.refresh_token_rotated_at
            connection.refresh_token_age_days = (now - rotated).days if rotated else 0
            connection.token_warning = (
                connection._qbo_token_warning(now) if connection.state == "connected" else False
            )

    def _qbo_token_warning(self, now):
        """Say when the refresh token expires soon (the user must then reconnect).

        The day count is rounded to the nearest day (13 days and 23 hours are 14 days, as
        the user counts them on a calendar); the date is in the user's language and time zone.
        """
        values = {}
        for expires_at, warn_days in (
            (self.refresh_token_expires_at, REFRESH_WARN_DAYS),
            (self.refresh_token_hard_expires_at, HARD_EXPIRY_WARN_DAYS),
        ):
            if expires_at and expires_at - now < timedelta(days=warn_days):
                values = {
                    "days": max(round((expires_at - now) / timedelta(days=1)), 0),
                    "date": format_date(
                        self.env, fields.Datetime.context_timestamp(self, expires_at)
                    ),
                }
                break
        if not values:
            return False
        if expires_at == self.refresh_token_expires_at:
            return self.env._(
                "The QuickBooks authorization expires in %(days)s days, on %(date)s, unless "
                "the connection is used before: each exchange with QuickBooks through it (a "
                "push, the regular sync) renews it for 100 days. Once expired, reconnect.",
                **values,
            )
        return self.env._(
            "The QuickBooks authorization expires in %(days)s days, on %(date)s, and can't be "
            "renewed past that date (Intuit limits it to five years): reconnect before then.",
            **values,
        )

    @api.depends("qbo_currency", "qbo_country", "company_id.currency_id", "company_id.country_id")
    def _compute_mismatch_warning(self):
        for connection in self:
            problems = []
            company = connection.company_id
            if connection.qbo_currency and connection.qbo_currency != company.currency_id.name:
                problems.append(
                    self.env._(
                        "its home currency is %(qbo)s while %(company)s keeps its books in "
                        "%(odoo)s",
                        qbo=connection.qbo_currency,
                        company=company.name,
                        odoo=company.currency_id.name,
                    )
                )
            if (
                connection.qbo_country
                and company.country_id
                and connection.qbo_country != company.country_id.code
            ):
                problems.append(
                    self.env._(
                        "it is a %(qbo)s company while %(company)s is in %(odoo)s",
                        qbo=connection.qbo_country,
                        company=company.name,
                        odoo=company.country_id.code,
                    )
                )
            connection.mismatch_warning = (
                self.env._(
                    "Check that this is the right QuickBooks company: %(problems)s. "
                    "Amounts would be recorded in QuickBooks as they are in Odoo.",
                    problems="; ".join(problems),
                )
                if problems
                else False
            )

    # ------------------------------------------------------------------ lookup
    @api.model
    def _for_company(self, company=None):
        """Return the connection of ``company`` (default: the current one),
        creating it on first use so that the menu always has a record to open."""
        company = company or self.env.company
        connection = self.search([("company_id", "=", company.id)], limit=1)
        return connection or self.create({"company_id": company.id})

    @api.model
    def action_open_company_connection(self):
        return self._for_company()._action_open_form()

    def _action_open_form(self):
        self.ensure_one()
        return self._get_records_action(name=self.display_name)

    # ------------------------------------------------------------------ API access
    def _qbo_redirect_uri(self):
        return self.get_base_url() + "/quickbooks/oauth/callback"

    def _qbo_oauth(self):
        self.ensure_one()
        conn = self.sudo()
        return QboOAuth(
            conn.client_id or "",
            conn.client_secret or "",
            self._qbo_redirect_uri(),
            environment=conn.environment,
            base_url=conn.base_url,
            timeout=API_TIMEOUT,
        )

    def _compute_cdc_since(self):
        watermarks = (
            self.env["qbo.cdc.watermark"].sudo().search([("connection_id", "in", self.ids)])
        )
        since = {mark.connection_id.id: mark.since for mark in watermarks}
        for connection in self:
            connection.cdc_since = since.get(connection.id, False)

    def _inverse_cdc_since(self):
        for connection in self:
            connection._qbo_save_watermark(connection.cdc_since)

    def _qbo_save_watermark(self, since):
        """Save the CDC watermark without writing this row (not even its write date)."""
        self.ensure_one()
        watermarks = self.env["qbo.cdc.watermark"].sudo()
        mark = watermarks.search([("connection_id", "=", self.id)])
        if mark:
            mark.since = since
        elif since:
            watermarks.create({"connection_id": self.id, "since": since})
        self.invalidate_recordset(["cdc_since"])

    def _qbo_client(self, **options):
        """A :class:`~qbo.QboClient` for this connection's QBO company.

        Tokens are refreshed lazily by :class:`ConnectionAuth`, under a row lock.
        ``options`` go to the client (timeouts, retries, ``on_request``).
        """
        self.ensure_one()
        conn = self.sudo()
        if conn.state == "reconnect":
            # Fail fast, without a request: the refresh token is known to be dead.
            raise errors.ReconnectRequired(self._qbo_reconnect_message(), code="invalid_grant")
        options.setdefault("timeout", API_TIMEOUT)
        return QboClient(
            conn.realm_id,
            ConnectionAuth(conn),
            environment=conn.environment,
            base_url=conn.base_url,
            **options,
        )

    def _qbo_web_url(self, kind, qbo_id):
        """Deep link to a document or contact in the QBO web UI."""
        self.ensure_one()
        if not qbo_id:
            return False
        conn = self.sudo()
        return const.web_url(
            conn.environment, kind, qbo_id, realm_id=conn.realm_id, base_url=conn.base_url
        )

    def _qbo_read_company(self, client=None):
        """Read CompanyInfo and Preferences from QBO into the connection."""
        self.ensure_one()
        client = client or self._qbo_client()
        info = client.company_info()
        prefs = client.preferences()
        self.sudo().write(
            {
                "qbo_company_name": info.get("CompanyName"),
                "qbo_country": _country_alpha2(info.get("Country")),
                "qbo_currency": prefs.get("CurrencyPrefs", {}).get("HomeCurrency", {}).get("value"),
                "custom_txn_numbers": bool(
                    prefs.get("SalesFormsPrefs", {}).get("CustomTxnNumbers")
                ),
                "multi_currency": bool(prefs.get("CurrencyPrefs", {}).get("MultiCurrencyEnabled")),
                "automated_sales_tax": bool(prefs.get("TaxPrefs", {}).get("PartnerTaxEnabled")),
            }
        )

    def _qbo_store_token(self, token):
        """Store tokens received from Intuit (the refresh token rotates: always keep the last)."""
        self.ensure_one()
        self.sudo().write(
            {
                "access_token": token.access_token,
                "access_token_expires_at": _to_datetime(token.expires_at),
                "refresh_token": token.refresh_token,
                "refresh_token_expires_at": _to_datetime(token.refresh_expires_at),
                "refresh_token_hard_expires_at": _to_datetime(token.refresh_hard_expires_at),
                "refresh_token_rotated_at": fields.Datetime.now(),
            }
        )

    def _qbo_token(self):
        conn = self.sudo()
        return Token(
            access_token=conn.access_token or "",
            refresh_token=conn.refresh_token or "",
            expires_at=conn.access_token_expires_at.timestamp()
            if conn.access_token_expires_at
            else 0.0,
            realm_id=conn.realm_id,
        )

    def _qbo_refresh_access_token(self, spent_access_token):
        """Refresh the tokens once, however many workers ask; return the new :class:`Token`.

        Runs in its own transaction, under a row lock: a second worker waits for
        the first, then finds a fresh access token and uses it instead of spending
        the refresh token again (Intuit would answer ``invalid_grant``). The
        rotated refresh token is committed at once, so it survives a rollback of
        the caller's transaction. ``invalid_grant`` turns the connection to
        *reconnect needed* (committed too) and re-raises.
        """
        self.ensure_one()
        result = None
        for attempt in range(3):
            try:
                with self.env.registry.cursor() as cr:
                    cr.execute(SQL("SET LOCAL lock_timeout = %s", REFRESH_LOCK_TIMEOUT))
                    result = self.with_env(self.env(cr=cr, su=True))._qbo_refresh_locked(
                        spent_access_token
                    )
                break
            except psycopg2.errors.SerializationFailure:
                # Another worker refreshed between our snapshot and our lock: the next
                # transaction sees its token.
                if attempt == 2:
                    raise
            except psycopg2.errors.LockNotAvailable:
                # The lock is held for longer than any refresh takes: most likely by the
                # caller's own transaction, which wrote the connection. Refresh in it
                # rather than wait for ourselves forever.
                _logger.info(
                    "QuickBooks connection %s is locked; refreshing in the caller's transaction",
                    self.id,
                )
                result = self.sudo()._qbo_refresh_locked(spent_access_token)
                break
        self.invalidate_recordset()
        if isinstance(result, errors.ReconnectRequired):
            raise result
        return result

    def _qbo_refresh_locked(self, spent_access_token):
        """Return the fresh :class:`Token`, or the ReconnectRequired error once recorded
        (returned, not raised, so that the recording transaction commits)."""
        # A lock timeout or serialization failure here is expected and handled by the
        # caller: not a "bad query" for the log.
        self.env.cr.execute(
            SQL("SELECT id FROM qbo_connection WHERE id = %s FOR NO KEY UPDATE", self.id),
            log_exceptions=False,
        )
        self.invalidate_recordset()
        token = self._qbo_token()
        if token.access_token and token.access_token != spent_access_token and not token.expired():
            return token
        try:
            new_token = self._qbo_oauth().refresh(token.refresh_token, self.realm_id)
        except errors.ReconnectRequired as error:
            self._qbo_set_reconnect_needed(str(error), error.reason)
            return errors.ReconnectRequired(
                self._qbo_reconnect_message(), code=error.code, reason=error.reason
            )
        self._qbo_store_token(new_token)
        return new_token

    def _qbo_reconnect_message(self):
        """What every user is told while the connection needs to be reconnected."""
        # The menu's own path: "Invoicing > ..." in Community, "Accounting > ..." with Enterprise
        menu = self.env.ref("quickbooks_online.menu_qbo_connection", raise_if_not_found=False)
        menu_path = menu.sudo().complete_name.replace("/", " > ") if menu else "QuickBooks Online"
        if self.reconnect_reason == errors.ReconnectRequired.USER_NOT_IN_REALM:
            return self.env._(
                "The QuickBooks user who connected %(company)s was removed from the QuickBooks "
                "company. A QuickBooks administrator must reconnect it with a user of that "
                "company: %(menu)s, then Connect to QuickBooks.",
                company=self.company_id.name,
                menu=menu_path,
            )
        return self.env._(
            "The connection to QuickBooks has expired or was revoked. A QuickBooks "
            "administrator must reconnect %(company)s: %(menu)s, then Connect to QuickBooks.",
            company=self.company_id.name,
            menu=menu_path,
        )

    def _qbo_set_reconnect_needed(self, reason, intuit_reason=None):
        """The refresh token no longer works: mark the connection and tell the administrators.

        Called inside the token refresh's own transaction, possibly by several
        workers in turn: only the first one (the row is locked) notifies. The
        notification must never prevent the state change from being committed.
        """
        self.ensure_one()
        connection = self.sudo()
        already = connection.state == "reconnect"
        connection.write(
            {
                "state": "reconnect",
                "access_token": False,
                "refresh_token": False,
                "reconnect_reason": intuit_reason or connection.reconnect_reason,
            }
        )
        if already:
            return
        _logger.warning("QuickBooks connection %s needs to be reconnected: %s", self.id, reason)
        try:
            with self.env.cr.savepoint():
                connection._qbo_notify_reconnect()
        except Exception:
            _logger.exception(
                "Could not notify the QuickBooks administrators of connection %s", self.id
            )

    def _qbo_notify_reconnect(self):
        """One activity per QuickBooks administrator of the company, linking to this record."""
        admins = self._qbo_administrators()
        note = Markup("<p>%s</p><p><a href='/odoo/qbo.connection/%s'>%s</a></p>") % (
            self._qbo_reconnect_message(),
            self.id,
            self.env._("Reconnect now"),
        )
        for user in admins:
            self.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=self.env._("Reconnect QuickBooks Online"),
                note=note,
                user_id=user.id,
            )

    def _qbo_administrators(self):
        group = self.env.ref("quickbooks_online.group_qbo_manager")
        return self.env["res.users"].search(
            [
                ("all_group_ids", "in", group.id),
                ("company_ids", "in", self.company_id.id),
                ("share", "=", False),
            ]
        )


class ConnectionAuth:
    """:class:`qbo.AuthProvider` backed by a :class:`QboConnection` record.

    It hands out the stored access token and refreshes it through
    :meth:`QboConnection._qbo_refresh_access_token` when it has expired or QBO
    answers 401.
    """

    def __init__(self, connection):
        self.connection = connection
        self._token = connection._qbo_token()

    @property
    def access_token(self):
        if not self._token.access_token or self._token.expired():
            return self.refresh()
        return self._token.access_token

    def refresh(self):
        # The caller's transaction may not see the new token (it was committed by
        # another one after its snapshot), so keep the one we were handed.
        self._token = self.connection._qbo_refresh_access_token(self._token.access_token)
        return self._token.access_token


#: ISO 3166 alpha-3 -> alpha-2 for the countries QBO is sold in. Since late 2025 QBO
#: answers alpha-3 codes in CompanyInfo addresses and Country; older companies alpha-2.
_ALPHA3 = {
    "USA": "US",
    "CAN": "CA",
    "GBR": "GB",
    "AUS": "AU",
    "IND": "IN",
    "FRA": "FR",
    "IRL": "IE",
    "NZL": "NZ",
    "ZAF": "ZA",
    "SGP": "SG",
    "HKG": "HK",
    "MYS": "MY",
    "PHL": "PH",
    "ARE": "AE",
    "BRA": "BR",
    "MEX": "MX",
}


def _country_alpha2(code):
    code = (code or "").strip().upper()
    return _ALPHA3.get(code, code) if len(code) == 3 else code or False


def _to_datetime(epoch):
    return datetime.utcfromtimestamp(epoch).replace(microsecond=0) if epoch else False
