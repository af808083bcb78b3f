"""What the setup wizard reads from QBO: accounts and tax codes (kept in small cache models)."""

import hashlib

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import split_every

from ..qbo import errors, query
from ..services import kinds
from .sync_const import ID_QUERY_CHUNK

#: the connection's account mapping, in the order of the setup screen
MAPPED_ACCOUNTS = (
    "income_account_id",
    "purchase_account_id",
    "payable_account_id",
    "cogs_account_id",
    "inventory_account_id",
)
#: the QBO account type of inventory asset accounts
INVENTORY_TYPE = "Other Current Asset"


class QboConnectionSetup(models.Model):
    _inherit = "qbo.connection"

    def _qbo_required_accounts(self, config=None):
        """Names of the mapped-account fields a configuration needs.

        The one rule of the mapping: each document kind synced needs its accounts
        (sales orders the income account, purchase orders the purchases and payable
        accounts: :func:`..services.kinds.required_accounts`), *Accounting with
        inventory* the cost of goods sold and inventory asset accounts. The setup
        wizard (what it asks and checks), the push's preflight and the creation of
        QBO items all read it.

        :param config: the record holding the choices (``sync_sales``,
            ``sync_purchases``, ``accounting_mode``): this connection by default, or
            a setup wizard whose choices are not saved yet
        :return: field names, in the order of the setup screen
        """
        config = config if config is not None else self
        required = kinds.required_accounts(config)
        if config.accounting_mode == "inventory":
            required += ["cogs_account_id", "inventory_account_id"]
        return required

    @api.constrains(*MAPPED_ACCOUNTS)
    def _check_mapped_accounts(self):
        """Only accounts of this connection's QBO company: the ids of another one mean
        other accounts there, or none (the choice lists filter on screen only)."""
        for connection in self:
            foreign = [
                connection._fields[name]._description_string(self.env)
                for name in MAPPED_ACCOUNTS
                if connection[name] and connection[name].sudo().connection_id != connection
            ]
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Choose accounts of this connection's QuickBooks company for: %(a)s.",
                        a=", ".join(foreign),
                    )
                )

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

    def _qbo_item_expense_account(self, product):
        """The account the QBO item of ``product`` expenses purchases to (empty when
        purchase orders are not synced).

        Purchases go to the mapped purchases account; in *Accounting with inventory*
        storable goods go to the inventory asset account instead, which the COGS
        entries credit when the goods are sold, so their cost is counted once.
        """
        required = self._qbo_required_accounts()
        if "purchase_account_id" not in required:
            return self.env["qbo.account"]
        if "inventory_account_id" in required and product.is_storable:
            return self.inventory_account_id
        return self.purchase_account_id

    def _qbo_align_items(self):
        """Bring the expense account of the linked QBO items in line with the mapping.

        Items the connector created are changed (sparse update); items it matched by
        SKU belong to the user: the ones whose purchases would land on the wrong side
        of inventory are listed, with what to change in QuickBooks. Items without an
        expense account are left alone (the push says how to fix them).

        :return: ``(changed, to_fix)``: how many items were changed, and one line per
            item the user has to change
        """
        self.ensure_one()
        links = (
            self.env["qbo.link"]
            .sudo()
            .search(
                [
                    ("connection_id", "=", self.id),
                    ("res_model", "=", "product.product"),
                    ("qbo_entity", "=", "Item"),
                ]
            )
        )
        if not links or "purchase_account_id" not in self._qbo_required_accounts():
            return 0, []
        client = self._qbo_client()
        try:
            rows = {
                str(row["Id"]): row
                for chunk in split_every(ID_QUERY_CHUNK, links.mapped("qbo_id"))
                for row in client.query_all("Item", f"Id IN {query.in_list(chunk)}", "Id")
            }
        except errors.QboError as error:
            raise self._qbo_user_error(error) from None
        accounts = self.env["qbo.account"].sudo().with_context(active_test=False)
        accounts = {a.qbo_id: a for a in accounts.search([("connection_id", "=", self.id)])}
        products = self.env["product.product"].sudo().with_context(active_test=False)
        changed, to_fix = 0, []
        for link in links:
            row = rows.get(link.qbo_id)
            product = products.browse(link.res_id).exists()
            if not row or not product or not row.get("ExpenseAccountRef"):
                continue
            wanted = self._qbo_item_expense_account(product)
            current = accounts.get(str(row["ExpenseAccountRef"]["value"]))
            if not wanted or current == wanted:
                continue
            if row.get("TrackQtyOnHand"):
                if wanted.account_type == INVENTORY_TYPE:
                    to_fix.append(_tracked_item_line(self, row))
            elif link.qbo_created:
                if error := _set_item_expense(self, client, row, wanted):
                    to_fix.append(_item_line(self, row, current, wanted, error))
                else:
                    changed += 1
            elif INVENTORY_TYPE in (wanted.account_type, current and current.account_type):
                to_fix.append(_item_line(self, row, current, wanted))
        return changed, to_fix


def _set_item_expense(connection, client, row, account):
    """Point the item ``row`` at ``account``; a 5010 (changed meanwhile) reads it again
    and retries once. Returns the QBO error, or None."""
    seed = connection.env["ir.config_parameter"].sudo().get_param("database.uuid")
    for attempt in range(2):
        key = f"{seed}|{connection.id}|{row['Id']}|{row['SyncToken']}|{account.qbo_id}"
        payload = {
            "Id": row["Id"],
            "SyncToken": row["SyncToken"],
            "Name": row["Name"],  # QBO wants it even in a sparse update of an item
            "ExpenseAccountRef": {"value": account.qbo_id},
        }
        try:
            client.update("Item", payload, "x" + hashlib.sha256(key.encode()).hexdigest()[:31])
            return None
        except errors.StaleObjectError as error:
            if attempt:
                return error
            try:
                row = client.read("Item", row["Id"])
            except errors.QboError as read_error:
                return read_error
        except errors.QboError as error:
            return error
    return None


def _item_line(connection, row, current, wanted, error=None):
    """What to change in QuickBooks for the item ``row``."""
    line = connection.env._(
        'Item "%(item)s": in QuickBooks, set its expense account ("I purchase this '
        'product/service from a vendor") to "%(wanted)s" instead of "%(current)s".',
        item=row.get("Name"),
        wanted=wanted.name,
        current=current.name if current else row["ExpenseAccountRef"].get("name", "?"),
    )
    if error:
        line += " " + connection.env._("Odoo could not change it: %(error)s", error=error)
    return line


def _tracked_item_line(connection, row):
    """An item QBO tracks as inventory posts its own cost of goods sold."""
    return connection.env._(
        'Item "%(item)s" is an inventory item in QuickBooks, which posts its cost itself when '
        "it is invoiced; Odoo's cost of goods sold entry would count it again. Make it a "
        "non-inventory item in QuickBooks, or give the Odoo product another internal reference.",
        item=row.get("Name"),
    )
