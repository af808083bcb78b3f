"""The setup wizard: overview → ledger accounts → taxes (when mapped) → import → done.

Like ``base.partner.merge.automatic.wizard``, one transient record walks through
screens with a ``state`` field. It only holds the user's choices while a screen
is open: each "Continue" checks them and writes them to the connection and the
Odoo taxes, which are what the rest of the addon reads.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.item_alignment import align_items
from ..services.payload import sells_with_delivery
from ..services.setup import MAPPED_ACCOUNTS

#: Mapping fields shared by the wizard and the connection
LEDGER_FIELDS = (
    "sync_sales",
    "sync_purchases",
    "accounting_mode",
    *MAPPED_ACCOUNTS,
    "shipping_product_id",
)
#: Mapped account -> the flag saying the screen asks for it (``income_account_needed``...)
NEEDED = {name: name.removesuffix("_id") + "_needed" for name in MAPPED_ACCOUNTS}
#: Fields of the connection the screens show as they stand there (related fields of the
#: same names), by their type: the company's country and sales tax (which decide the tax
#: step), the QBO company the overview names, and the progress of the import.
SHOWN = {
    fields.Boolean: ("is_us", "automated_sales_tax"),
    fields.Char: (
        "qbo_company_name",
        "qbo_currency",
        "qbo_country",
        "mismatch_warning",
        "import_error",
    ),
    fields.Selection: ("import_state",),
    fields.Float: ("import_progress",),
    fields.Integer: (
        "import_created",
        "import_linked",
        "import_customers_total",
        "import_vendors_total",
    ),
}
STATES = [
    ("overview", "Overview"),
    ("ledger", "Ledger account mapping"),
    ("taxes", "Tax mapping"),
    ("import", "Data import"),
    ("done", "Done"),
]


def _account_domain(types, sub_type=None):
    domain = f"[('connection_id', '=', connection_id), ('account_type', 'in', {list(types)!r})"
    if sub_type:
        domain += f", ('account_sub_type', '=', {sub_type!r})"
    return domain + "]"


class QboSetupWizard(models.TransientModel):
    _name = "qbo.setup.wizard"
    _description = "QuickBooks Online setup"

    connection_id = fields.Many2one(
        "qbo.connection", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    state = fields.Selection(STATES, default="overview", required=True, readonly=True)
    tax_step = fields.Boolean(
        compute="_compute_tax_step", help="The QuickBooks company's taxes are mapped here."
    )
    # What the screens show of the connection as it stands (see SHOWN)
    vars().update(
        {
            name: kind(related=f"connection_id.{name}")
            for kind, names in SHOWN.items()
            for name in names
        }
    )

    # --- ledger
    sync_sales = fields.Boolean(string="Sync sales orders (as invoices)")
    sync_purchases = fields.Boolean(string="Sync purchase orders (as bills)")
    accounting_mode = fields.Selection(
        [("simple", "Simple accounting"), ("inventory", "Accounting with inventory")],
        default="simple",
        required=True,
    )
    income_account_id = fields.Many2one(
        "qbo.account", string="Income account", domain=_account_domain(["Income"])
    )
    purchase_account_id = fields.Many2one(
        "qbo.account",
        string="Purchases account",
        domain=_account_domain(["Cost of Goods Sold", "Expense"]),
    )
    payable_account_id = fields.Many2one(
        "qbo.account", string="Accounts payable", domain=_account_domain(["Accounts Payable"])
    )
    cogs_account_id = fields.Many2one(
        "qbo.account",
        string="Cost of goods sold account",
        domain=_account_domain(["Cost of Goods Sold"]),
    )
    inventory_account_id = fields.Many2one(
        "qbo.account",
        string="Inventory asset account",
        domain=_account_domain(["Other Current Asset"], "Inventory"),
    )
    shipping_product_id = fields.Many2one(
        "product.product",
        string="Shipping item",
        domain=[("type", "=", "service")],
        help="QuickBooks' Shipping preference is off: the delivery charges of sales orders go "
        "to QuickBooks as a line of this service, sent as an item like any product.",
    )
    shipping_needed = fields.Boolean(compute="_compute_shipping_needed")
    # What the screen asks for: the accounts the connection's rule requires for the choices
    vars().update(
        {needed: fields.Boolean(compute="_compute_accounts_needed") for needed in NEEDED.values()}
    )
    ledger_ready = fields.Boolean(compute="_compute_ledger_ready")
    items_notice = fields.Text(
        readonly=True, help="What the new mapping changed on the QuickBooks items, and what not"
    )

    # --- taxes
    tax_line_ids = fields.One2many("qbo.setup.wizard.tax", "wizard_id")
    taxes_ready = fields.Boolean(compute="_compute_taxes_ready")
    taxes_missing = fields.Char(compute="_compute_taxes_ready")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            connection = wizard.connection_id
            wizard.write({name: connection[name] for name in LEDGER_FIELDS})
        return wizards

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._(
                "QuickBooks setup – %(company)s", company=wizard.company_id.name
            )

    @api.depends("sync_sales", "sync_purchases", "accounting_mode")
    def _compute_accounts_needed(self):
        for wizard in self:
            required = wizard.connection_id._qbo_required_accounts(wizard)
            for name, needed in NEEDED.items():
                wizard[needed] = name in required

    @api.depends("sync_sales", "connection_id.allow_shipping")
    def _compute_shipping_needed(self):
        for wizard in self:
            wizard.shipping_needed = (
                wizard.sync_sales
                and not wizard.connection_id.allow_shipping
                and sells_with_delivery(self.env)
            )

    @api.depends(*LEDGER_FIELDS)
    def _compute_ledger_ready(self):
        for wizard in self:
            wizard.ledger_ready = not wizard._missing_accounts()

    @api.depends("connection_id.qbo_country", "connection_id.automated_sales_tax")
    def _compute_tax_step(self):
        for wizard in self:
            wizard.tax_step = bool(wizard.connection_id._qbo_mapped_tax_uses())

    @api.depends("tax_line_ids.qbo_tax_code_id")
    def _compute_taxes_ready(self):
        for wizard in self:
            unmapped = wizard.tax_line_ids.filtered(lambda line: not line.qbo_tax_code_id)
            wizard.taxes_ready = not unmapped
            wizard.taxes_missing = (
                self.env._(
                    "Choose a QuickBooks tax code for: %(taxes)s.",
                    taxes=", ".join(unmapped.tax_id.mapped("display_name")),
                )
                if unmapped
                else False
            )

    def _missing_accounts(self):
        """Labels of the accounts the chosen options require and that are not chosen."""
        self.ensure_one()
        return self.connection_id._qbo_missing_accounts(self)

    def _action_open(self):
        """The wizard in a dialog. Every step returns it: a button of a dialog that returns
        nothing closes it."""
        self.ensure_one()
        return self._get_records_action(name=self.display_name, target="new")

    def _go(self, state):
        self.state = state
        return self._action_open()

    # ------------------------------------------------------------------ steps
    def action_overview_continue(self):
        self.ensure_one()
        self._check_connected()
        # the preferences again: the Shipping preference decides what the ledger step asks
        self.connection_id._qbo_read_company()
        self.connection_id._qbo_sync_accounts()
        return self._go("ledger")

    def action_ledger_continue(self):
        self.ensure_one()
        self._check_connected()
        if not (self.sync_sales or self.sync_purchases):
            raise UserError(
                self.env._("Enable the sync of sales orders, purchase orders, or both.")
            )
        self._check_accounts()
        # Accounts the choices don't need are forgotten: the connection keeps only its mapping.
        required = self.connection_id._qbo_required_accounts(self)
        values = {name: self[name] for name in LEDGER_FIELDS}
        values.update({name: False for name in MAPPED_ACCOUNTS if name not in required})
        if not self.shipping_needed:
            values["shipping_product_id"] = False
        self.connection_id.write(values)
        self._align_items()
        if not self.tax_step:
            return self._go("import")
        self.connection_id._qbo_sync_tax_codes()
        self._fill_tax_lines()
        return self._go("taxes")

    def _align_items(self):
        """Bring the QuickBooks items in line with the mapping just saved; say what was
        changed and what the user has to change (here and in the connection's chatter)."""
        connection = self.connection_id
        changed, to_fix = align_items(connection)
        lines = []
        if changed:
            lines.append(
                self.env._(
                    "%(count)s QuickBooks items created by Odoo now record purchases on the "
                    "accounts of this mapping.",
                    count=changed,
                )
            )
        if to_fix:
            lines.append(
                self.env._(
                    "These items were not created by Odoo and record purchases elsewhere; "
                    "change them in QuickBooks (Sales > Products and services > Edit) so that "
                    "cost is counted once:"
                )
            )
            lines += [f"- {line}" for line in to_fix]
        self.items_notice = "\n".join(lines) or False
        if lines:
            connection.message_post(body=Markup("<br/>").join(lines))

    def action_taxes_continue(self):
        self.ensure_one()
        self._check_connected()
        self._check_taxes(self.tax_line_ids.filtered(lambda line: not line.qbo_tax_code_id).tax_id)
        for line in self.tax_line_ids:
            line.tax_id.sudo().qbo_tax_code_id = line.qbo_tax_code_id
        return self._go("import")

    def action_create_missing_taxes(self):
        """Create Odoo taxes for the QBO codes no Odoo tax of that use is mapped to yet."""
        self.ensure_one()
        self.env["account.tax"]._qbo_create_from_codes(self.connection_id, self.tax_line_ids)
        self._fill_tax_lines()
        return self._action_open()

    def action_back(self):
        self.ensure_one()
        order = [key for key, _label in STATES]
        previous = order[order.index(self.state) - 1] if self.state != "overview" else "overview"
        if previous == "taxes" and not self.tax_step:
            previous = "ledger"
        return self._go(previous)

    def action_import(self):
        self.ensure_one()
        self._check_connected()
        self.connection_id._qbo_import_partners_start()
        return self._action_open()

    def action_refresh(self):
        """Reload the screen (to follow a background import)."""
        return self._action_open()

    def action_done(self):
        self.ensure_one()
        self._check_connected()
        connection = self.connection_id
        # The screens may have been skipped with Back: check what was stored.
        self._check_accounts()
        if self.tax_step:
            self._check_taxes(self._unmapped_taxes())
        if not connection.setup_done:
            connection.sudo().setup_done = True
            connection.message_post(body=self.env._("QuickBooks integration activated."))
        return self._go("done")

    def action_open_connection(self):
        self.ensure_one()
        return self.connection_id._action_open_form()

    def _check_accounts(self):
        if missing := self._missing_accounts():
            raise UserError(
                self.env._(
                    "Choose the QuickBooks accounts first: %(accounts)s.",
                    accounts=", ".join(missing),
                )
            )

    def _check_taxes(self, unmapped):
        """Refuse to go on while the Odoo taxes ``unmapped`` have no QuickBooks tax code."""
        if unmapped:
            raise UserError(
                self.env._(
                    "Map every Odoo tax to a QuickBooks tax code first: %(taxes)s.",
                    taxes=", ".join(unmapped.mapped("display_name")),
                )
            )

    def _check_connected(self):
        connection = self.connection_id
        if connection.state == "reconnect":
            raise UserError(connection._qbo_reconnect_message())
        if connection.state != "connected":
            raise UserError(self.env._("Connect to QuickBooks first."))

    def _company_taxes(self):
        return (
            self.env["account.tax"]
            .with_company(self.company_id)
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("type_tax_use", "in", self.connection_id._qbo_mapped_tax_uses()),
                ]
            )
        )

    def _unmapped_taxes(self):
        return self._company_taxes().filtered(
            lambda tax: tax.qbo_tax_code_id.connection_id != self.connection_id
        )

    def _fill_tax_lines(self):
        """One line per sale and purchase tax of the company, suggesting the QBO code with the
        same rate when exactly one fits."""
        taxes = self._company_taxes()
        codes = self.env["qbo.tax.code"].search([("connection_id", "=", self.connection_id.id)])
        existing = {line.tax_id: line for line in self.tax_line_ids}
        commands = []
        for tax in taxes:
            line = existing.pop(tax, None)
            code = line.qbo_tax_code_id if line else tax.qbo_tax_code_id
            if code and code.connection_id != self.connection_id:
                code = codes.browse()
            if not code:
                code = tax._qbo_suggest_code(codes)
            if line:
                commands.append((1, line.id, {"qbo_tax_code_id": code.id}))
            else:
                commands.append((0, 0, {"tax_id": tax.id, "qbo_tax_code_id": code.id}))
        commands += [(2, line.id) for line in existing.values()]
        self.tax_line_ids = commands
