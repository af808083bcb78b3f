from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..qbo import const, errors
from ..services import company as qbo_company
from ..services import endpoint, oauth_flow, partner_import, reconnect, setup, sync_log, token

#: Seconds for any QBO request. One number, not a (connect, read) pair: Odoo's test
#: harness only understands numbers when it inspects outgoing requests.
API_TIMEOUT = 60.0

#: Fields holding credentials: readable by the system group only, cleared by neutralize.
SECRET_FIELDS = ("client_secret", "verifier_token", "access_token", "refresh_token")

#: What QBO or the addon decide: written by the addon only (:class:`QboOwnedFieldsMixin`).
OWNED_FIELDS = frozenset(
    "state setup_done realm_id qbo_company_name qbo_country qbo_currency custom_txn_numbers "
    "multi_currency automated_sales_tax allow_shipping cdc_since oauth_nonce access_token "
    "access_token_expires_at refresh_token refresh_token_expires_at "
    "refresh_token_hard_expires_at refresh_token_rotated_at reconnect_reason import_state "
    "import_customers_total import_customers_done import_vendors_total import_vendors_done "
    "import_created import_linked import_error".split()
)


class QboConnection(models.Model):
    """The link between one Odoo company and one QuickBooks Online company.

    There is at most one connection per Odoo company: every document of that
    company is pushed through it, so a second one would make the target
    ambiguous. Tokens live here (never on a wizard) and are readable by the
    system group only; the other QuickBooks code reads them with ``sudo()``.
    The logic is in ``services/`` (``oauth_flow``, ``token``, ``endpoint``, ``setup``...).
    """

    _name = "qbo.connection"
    _description = "QuickBooks Online connection"
    _inherit = ["mail.thread", "mail.activity.mixin", "qbo.owned.fields.mixin"]

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
        groups="base.group_system",
    )
    base_url = fields.Char(
        string="Base URL",
        groups="base.group_system",
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
    allow_shipping = fields.Boolean(string="QuickBooks shipping on invoices", readonly=True)
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
    oauth_nonce = fields.Char(groups="base.group_system", copy=False)
    reconnect_reason = fields.Char(
        readonly=True,
        copy=False,
        help="Why Intuit refused the last token refresh, when it said (x_error_reason).",
    )
    reconnect_message = fields.Char(compute="_compute_reconnect_message")
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
    shipping_product_id = fields.Many2one("product.product", string="Shipping item", tracking=True)

    # --- Change data capture watermark (QBO server time of the last poll), kept in
    # qbo.cdc.watermark: never written on this row, which the token renewal commits
    cdc_since = fields.Char(
        compute="_compute_cdc_since", inverse="_inverse_cdc_since", readonly=True, copy=False
    )

    # --- Partner import (services/partner_import.py)
    import_state = fields.Selection(
        [("idle", "Not started"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="idle",
        readonly=True,
        copy=False,
    )
    import_customers_total = fields.Integer(readonly=True, copy=False)
    import_customers_done = fields.Integer(readonly=True, copy=False)
    import_vendors_total = fields.Integer(readonly=True, copy=False)
    import_vendors_done = fields.Integer(readonly=True, copy=False)
    import_created = fields.Integer(string="Partners created", readonly=True, copy=False)
    import_linked = fields.Integer(string="Partners linked", readonly=True, copy=False)
    import_error = fields.Char(readonly=True, copy=False)
    import_progress = fields.Float(compute="_compute_import_progress")

    # --- Calls this month (qbo.api.usage, counted from the sync log; kept when it is purged)
    api_reads_month = fields.Integer(string="Reads this month", compute="_compute_api_usage")
    api_writes_month = fields.Integer(string="Writes this month", compute="_compute_api_usage")
    api_read_sources = fields.Char(string="Reads by source", compute="_compute_api_usage")

    _company_unique = models.UniqueIndex(
        "(company_id)",
        "A company has only one QuickBooks Online connection.",
    )

    def _qbo_owned_fields(self):
        return super()._qbo_owned_fields() | OWNED_FIELDS

    # ------------------------------------------------------------------ computes
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
                token.token_warning(connection, now) if connection.state == "connected" else False
            )

    @api.depends("state", "reconnect_reason", "company_id.name")
    def _compute_reconnect_message(self):
        for connection in self:
            connection.reconnect_message = (
                connection._qbo_reconnect_message() if connection.state == "reconnect" else False
            )

    @api.depends("qbo_currency", "qbo_country", "company_id.currency_id", "company_id.country_id")
    def _compute_mismatch_warning(self):
        for connection in self:
            connection.mismatch_warning = qbo_company.mismatch_warning(connection)

    @api.depends(*partner_import.PROGRESS_FIELDS)
    def _compute_import_progress(self):
        for connection in self:
            connection.import_progress = partner_import.progress(connection)

    def _compute_api_usage(self):
        sync_log.set_usage(self)

    def _compute_cdc_since(self):
        since = self.env["qbo.cdc.watermark"]._of(self)
        for connection in self:
            connection.cdc_since = since.get(connection.id, False)

    def _inverse_cdc_since(self):
        for connection in self:
            connection._qbo_save_watermark(connection.cdc_since)

    def _qbo_save_watermark(self, since):
        """Save the CDC watermark without writing this row (not even its write date)."""
        self.ensure_one()
        self.env["qbo.cdc.watermark"]._save(self, since)
        self.invalidate_recordset(["cdc_since"])

    # ------------------------------------------------------------------ constraints, write
    @api.constrains("environment", "base_url")
    def _check_endpoint(self):
        for connection in self:
            if error := endpoint.endpoint_error(connection):
                raise ValidationError(error)

    @api.constrains(*setup.MAPPED_ACCOUNTS)
    def _check_mapped_accounts(self):
        for connection in self:
            setup.check_mapped_accounts(connection)

    def write(self, vals):
        endpoint.check_company_kept(self, vals)
        moved = endpoint.endpoint_changed(self, vals)
        result = super().write(vals)
        if moved:
            endpoint.drop_tokens(moved, vals)
        return result

    # ------------------------------------------------------------------ buttons
    @api.model
    def action_open_company_connection(self):
        return self._for_company()._action_open_form()

    def _action_open_form(self):
        self.ensure_one()
        return self._get_records_action(name=self.display_name)

    def action_qbo_connect(self):
        """Send the user to Intuit's consent page (they pick the QBO company there)."""
        url = oauth_flow.authorization_url(self)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def action_qbo_disconnect(self):
        """Revoke the authorization at Intuit and forget the tokens."""
        oauth_flow.disconnect(self)
        return True

    def action_qbo_open_setup(self):
        """Open the setup wizard (connected companies only)."""
        self.ensure_one()
        if self.state != "connected":
            raise UserError(self.env._("Connect to QuickBooks first."))
        return self.env["qbo.setup.wizard"].create({"connection_id": self.id})._action_open()

    def action_qbo_sync_log(self):
        return self.env["qbo.sync.log"]._action_for(self)

    # ------------------------------------------------------------------ crons
    @api.model
    def _cron_qbo_import_partners(self):
        """Run the pending partner imports page by page."""
        partner_import.run_cron(self.env)

    # ------------------------------------------------------------------ API access
    @api.model
    def _for_company(self, company=None):
        """Return the connection of ``company`` (default: the current one),
        creating it on first use so that the menu always has a record to open."""
        company = company or self.env.company
        connection = self.search([("company_id", "=", company.id)], limit=1)
        return connection or self.create({"company_id": company.id})

    def _qbo_endpoint_error(self):
        return endpoint.endpoint_error(self)

    def _qbo_oauth(self):
        self.ensure_one()
        return endpoint.oauth_client(self, API_TIMEOUT)

    def _qbo_client(self, **options):
        """A :class:`~qbo.QboClient` for this connection's QBO company.

        Tokens are refreshed lazily by :class:`~..services.token.ConnectionAuth`, under a
        row lock. ``options`` go to the client (timeouts, retries, ``on_request``); every
        client reports its calls to the sync log and holds one of the company's slots.
        """
        self.ensure_one()
        endpoint.check_endpoint(self)
        conn = self.sudo()
        if conn.state == "reconnect":
            # Fail fast, without a request: the refresh token is known to be dead.
            raise errors.ReconnectRequired(self._qbo_reconnect_message(), code="invalid_grant")
        options.setdefault("timeout", API_TIMEOUT)
        return endpoint.api_client(conn, token.ConnectionAuth(conn), **options)

    def _qbo_web_url(self, kind, qbo_id):
        """Deep link to a document or contact in the QBO web UI (none to a place the
        server does not allow)."""
        self.ensure_one()
        if not qbo_id or endpoint.endpoint_error(self):
            return False
        conn = self.sudo()
        return const.web_url(
            conn.environment, kind, qbo_id, realm_id=conn.realm_id, base_url=conn.base_url
        )

    # ------------------------------------------------------------------ OAuth and tokens
    def _qbo_store_token(self, new_token):
        token.store_token(self, new_token)

    def _qbo_reconnect_message(self):
        return reconnect.reconnect_message(self)

    def _qbo_set_reconnect_needed(self, reason, intuit_reason=None):
        reconnect.set_reconnect_needed(self, reason, intuit_reason)

    # ------------------------------------------------------------------ setup
    def _qbo_read_company(self, client=None):
        """Read CompanyInfo and Preferences from QBO into the connection."""
        qbo_company.read_company(self, client or self._qbo_client())

    def _qbo_required_accounts(self, config=None):
        """The one rule of the account mapping: see :func:`..services.setup.required_accounts`."""
        return setup.required_accounts(config if config is not None else self)

    def _qbo_missing_accounts(self, config=None):
        """Labels of the accounts :meth:`_qbo_required_accounts` needs and ``config`` lacks."""
        return setup.missing_accounts(self, config if config is not None else self)

    def _qbo_mapped_tax_uses(self):
        return setup.mapped_tax_uses(self)

    def _qbo_sync_accounts(self, client=None):
        self.ensure_one()
        setup.sync_accounts(self, client or self._qbo_client())

    def _qbo_sync_tax_codes(self, client=None):
        self.ensure_one()
        setup.sync_tax_codes(self, client or self._qbo_client())

    def _qbo_item_expense_account(self, product):
        return setup.item_expense_account(self, product)

    def _qbo_import_partners_start(self):
        """Import QBO's customers and vendors: now when they fit one page (``True``), else
        in the background."""
        return partner_import.start(self)
