"""What the setup wizard reads from QBO: accounts and tax codes (kept in small cache models)."""

from odoo import models
from odoo.exceptions import UserError

from ..qbo import errors

#: the connection's account mapping, in the order of the setup screen
MAPPED_ACCOUNTS = (
    "income_account_id",
    "purchase_account_id",
    "payable_account_id",
    "cogs_account_id",
    "inventory_account_id",
)


class QboConnectionSetup(models.Model):
    _inherit = "qbo.connection"

    def _qbo_required_accounts(self, config=None):
        """Names of the mapped-account fields a configuration needs.

        The one rule of the mapping: sales orders need the income account,
        purchase orders the purchases and payable accounts, *Accounting with
        inventory* the cost of goods sold and inventory asset accounts. The setup
        wizard (what it asks and checks), the push's preflight and the creation of
        QBO items all read it.

        :param config: the record holding the choices (``sync_sales``,
            ``sync_purchases``, ``accounting_mode``): this connection by default, or
            a setup wizard whose choices are not saved yet
        :return: field names, in the order of the setup screen
        """
        config = config if config is not None else self
        required = []
        if config.sync_sales:
            required.append("income_account_id")
        if config.sync_purchases:
            required += ["purchase_account_id", "payable_account_id"]
        if config.accounting_mode == "inventory":
            required += ["cogs_account_id", "inventory_account_id"]
        return required

    def _qbo_missing_accounts(self, config=None):
        """Labels of the accounts :meth:`_qbo_required_accounts` needs and ``config`` lacks."""
        config = config if config is not None else self
        return [
            config._fields[name]._description_string(self.env)
            for name in self._qbo_required_accounts(config)
            if not config[name]
        ]

    def _qbo_user_error(self, error):
        """A UserError in the user's words for a QBO failure met on a setup screen."""
        if isinstance(error, errors.ReconnectRequired):
            return UserError(self._qbo_reconnect_message())
        return UserError(
            self.env._("QuickBooks could not be reached or refused: %(error)s", error=error)
        )

    def _qbo_sync_accounts(self, client=None):
        """Refresh :class:`qbo.account` from QBO's active accounts; vanished ones are archived."""
        self.ensure_one()
        try:
            rows = (client or self._qbo_client()).query_all("Account", order_by="Id")
        except errors.QboError as error:
            raise self._qbo_user_error(error) from None
        self._qbo_upsert(
            "qbo.account",
            {
                str(row["Id"]): {
                    "name": row.get("FullyQualifiedName") or row.get("Name"),
                    "account_type": row.get("AccountType"),
                    "account_sub_type": row.get("AccountSubType"),
                    "classification": row.get("Classification"),
                }
                for row in rows
            },
        )

    def _qbo_mapped_tax_uses(self):
        """The Odoo tax uses (``account.tax.type_tax_use``) mapped to QBO tax codes.

        The one rule of the tax mapping, read by the setup wizard, the push's
        preflight and the tax form. Non-US companies: sales and purchases (every line
        carries its code). US companies on rate groups: sales (the invoice names the
        rate group; bills carry no tax). US companies on automated sales tax: none
        (QBO works the tax out from the ship-to address).
        """
        self.ensure_one()
        if not self.is_us:
            return ("sale", "purchase")
        return () if self.automated_sales_tax else ("sale",)

    def _qbo_sync_tax_codes(self, client=None):
        """Refresh :class:`qbo.tax.code` from QBO's tax codes and the rates they list."""
        self.ensure_one()
        client = client or self._qbo_client()
        try:
            rates = {
                str(rate["Id"]): float(rate.get("RateValue") or 0.0)
                for rate in client.query_all("TaxRate", order_by="Id")
            }
            codes = client.query_all("TaxCode", order_by="Id")
        except errors.QboError as error:
            raise self._qbo_user_error(error) from None

        def total(code, key):
            details = (code.get(key) or {}).get("TaxRateDetail") or []
            refs = [str(detail["TaxRateRef"]["value"]) for detail in details]
            return bool(refs), sum(rates.get(ref, 0.0) for ref in refs)

        values = {}
        for code in codes:
            for_sales, sales_rate = total(code, "SalesTaxRateList")
            for_purchases, purchase_rate = total(code, "PurchaseTaxRateList")
            if self.is_us and not for_sales:
                # US: only rate groups (codes listing sales rates) are mapped; TAX and
                # NON mark the lines, the push sets them itself.
                continue
            values[str(code["Id"])] = {
                "name": code.get("Name"),
                "description": code.get("Description"),
                "active": bool(code.get("Active", True)) and not code.get("Hidden"),
                "for_sales": for_sales,
                "sales_rate": sales_rate,
                "for_purchases": for_purchases,
                "purchase_rate": purchase_rate,
            }
        self._qbo_upsert("qbo.tax.code", values)

    def _qbo_upsert(self, model, values_by_qbo_id):
        """Create or update the rows of a per-connection cache model; archive the rest."""
        cache = self.env[model].sudo().with_context(active_test=False)
        existing = cache.search_fetch([("connection_id", "=", self.id)], ["qbo_id"])
        by_qbo_id = {record.qbo_id: record for record in existing}
        to_create = []
        for qbo_id, values in values_by_qbo_id.items():
            values = dict({"active": True}, **values)
            record = by_qbo_id.pop(qbo_id, None)
            if record:
                record.write(values)
            else:
                to_create.append(dict(values, connection_id=self.id, qbo_id=qbo_id))
        cache.create(to_create)
        cache.browse([record.id for record in by_qbo_id.values()]).write({"active": False})
