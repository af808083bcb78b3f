from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

#: account.tax.type_tax_use -> (qbo.tax.code flag, rate field)
TAX_USES = {"sale": ("for_sales", "sales_rate"), "purchase": ("for_purchases", "purchase_rate")}


class AccountTax(models.Model):
    _inherit = "account.tax"

    qbo_tax_code_id = fields.Many2one(
        "qbo.tax.code",
        string="QuickBooks tax code",
        copy=False,
        help="The QuickBooks tax code this tax is sent as (non-US QuickBooks companies), or "
        "the rate group it is charged as (US companies without automated sales tax). Set "
        "in the QuickBooks setup.",
    )
    qbo_tax_mapping = fields.Selection(
        [("code", "Tax code"), ("rate_group", "Rate group")],
        compute="_compute_qbo_tax_mapping",
        help="What this tax is mapped to in the company's QuickBooks company (empty: "
        "nothing, e.g. US automated sales tax or a US purchase tax).",
    )

    @api.depends("company_id", "type_tax_use")
    def _compute_qbo_tax_mapping(self):
        connections = (
            self.env["qbo.connection"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids), ("state", "!=", "not_connected")])
        )
        by_company = {connection.company_id: connection for connection in connections}
        for tax in self:
            connection = by_company.get(tax.company_id)
            if connection and tax.type_tax_use in connection._qbo_mapped_tax_uses():
                tax.qbo_tax_mapping = "rate_group" if connection.is_us else "code"
            else:
                tax.qbo_tax_mapping = False

    @api.constrains("qbo_tax_code_id", "company_id")
    def _check_qbo_tax_code(self):
        """A tax is sent as a code of its own company's QBO company, never another's."""
        for tax in self:
            code = tax.sudo().qbo_tax_code_id
            if code and code.company_id != tax.company_id:
                raise ValidationError(
                    self.env._(
                        "The tax %(tax)s can only be mapped to a QuickBooks tax code of its "
                        "own company's connection.",
                        tax=tax.display_name,
                    )
                )

    def _qbo_suggest_code(self, codes):
        """The only active QBO code of the same use and rate, if exactly one fits."""
        self.ensure_one()
        if self.type_tax_use not in TAX_USES or self.amount_type != "percent":
            return codes.browse()
        flag, rate = TAX_USES[self.type_tax_use]
        fitting = codes.filtered(
            lambda code: (
                code.active
                and code[flag]
                and not float_compare(code[rate], self.amount, precision_digits=4)
            )
        )
        return fitting if len(fitting) == 1 else codes.browse()

    @api.model
    def _qbo_create_from_codes(self, connection, tax_lines):
        """Create an Odoo tax for each active QBO code (sales and purchases apart) that no
        Odoo tax of that use is mapped to, in the wizard (``tax_lines``) or already.

        :return: the created taxes, each mapped to its code.
        """
        company = connection.company_id
        Tax = self.with_company(company)
        codes = self.env["qbo.tax.code"].search([("connection_id", "=", connection.id)])
        mapped = {(line.type_tax_use, line.qbo_tax_code_id) for line in tax_lines}
        existing = Tax.search([("company_id", "=", company.id)])
        mapped |= {(tax.type_tax_use, tax.qbo_tax_code_id) for tax in existing}
        names = {(tax.type_tax_use, tax.name) for tax in existing}
        vals_list = []
        uses = connection._qbo_mapped_tax_uses()
        for use, (flag, rate) in TAX_USES.items():
            if use not in uses:
                continue
            for code in codes.filtered(flag):
                if (use, code) in mapped:
                    continue
                name = code.name
                if (use, name) in names:
                    name = self.env._("%(name)s (QuickBooks)", name=name)
                vals_list.append(
                    {
                        "name": name,
                        "type_tax_use": use,
                        "amount_type": "percent",
                        "amount": code[rate],
                        "company_id": company.id,
                        "qbo_tax_code_id": code.id,
                    }
                )
        country = company.account_fiscal_country_id or company.country_id
        Group = self.env["account.tax.group"]
        if vals_list and not Group.search_count(
            [*Group._check_company_domain(company), ("country_id", "in", [country.id, False])],
            limit=1,
        ):
            # A company without a chart of accounts has no tax group, which taxes require.
            Group.create(
                {
                    "name": self.env._("QuickBooks"),
                    "company_id": company.id,
                    "country_id": country.id,
                }
            )
        return Tax.create(vals_list)
