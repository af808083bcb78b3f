"""What the setup reads from QBO (accounts and tax codes, kept in small cache models) and
the rules of the mapping built from them."""

from odoo.exceptions import UserError, ValidationError

from ..qbo import errors
from . import kinds, sync_log
from .reconnect import reconnect_message

#: the connection's account mapping, in the order of the setup screen
MAPPED_ACCOUNTS = (
    "income_account_id",
    "purchase_account_id",
    "payable_account_id",
    "cogs_account_id",
    "inventory_account_id",
)


def required_accounts(config):
    """Names of the mapped-account fields a configuration needs.

    The one rule of the mapping: each document kind synced needs its accounts
    (sales orders the income account, purchase orders the purchases and payable
    accounts: :func:`.kinds.required_accounts`), *Accounting with inventory* the
    cost of goods sold and inventory asset accounts. The setup wizard (what it asks
    and checks), the push's preflight and the creation of QBO items all read it.

    :param config: the record holding the choices (``sync_sales``,
        ``sync_purchases``, ``accounting_mode``): a connection, or a setup wizard
        whose choices are not saved yet
    :return: field names, in the order of the setup screen
    """
    required = kinds.required_accounts(config)
    if config.accounting_mode == "inventory":
        required += ["cogs_account_id", "inventory_account_id"]
    return required


def missing_accounts(connection, config):
    """Labels of the accounts :func:`required_accounts` wants for ``config`` (the
    connection, or a setup wizard whose choices are not saved yet) and it lacks."""
    return [
        config._fields[name]._description_string(connection.env)
        for name in required_accounts(config)
        if not config[name]
    ]


def check_mapped_accounts(connection):
    """Only accounts of this connection's QBO company: the ids of another one mean
    other accounts there, or none (the choice lists filter on screen only)."""
    foreign = [
        connection._fields[name]._description_string(connection.env)
        for name in MAPPED_ACCOUNTS
        if connection[name] and connection[name].sudo().connection_id != connection
    ]
    if foreign:
        raise ValidationError(
            connection.env._(
                "Choose accounts of this connection's QuickBooks company for: %(a)s.",
                a=", ".join(foreign),
            )
        )


def user_error(connection, error):
    """A UserError in the user's words for a QBO failure met on a setup screen."""
    if isinstance(error, errors.ReconnectRequired):
        return UserError(reconnect_message(connection))
    return UserError(
        connection.env._("QuickBooks could not be reached or refused: %(error)s", error=error)
    )


@sync_log.about(source="setup")
def sync_accounts(connection, client):
    """Refresh ``qbo.account`` from QBO's active accounts; vanished ones are archived."""
    try:
        rows = client.query_all("Account", order_by="Id")
    except errors.QboError as error:
        raise user_error(connection, error) from None
    upsert(
        connection,
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


def mapped_tax_uses(connection):
    """The Odoo tax uses (``account.tax.type_tax_use``) mapped to QBO tax codes.

    The one rule of the tax mapping, read by the setup wizard, the push's
    preflight and the tax form. Non-US companies: sales and purchases (every line
    carries its code). US companies on rate groups: sales (the invoice names the
    rate group; bills carry no tax). US companies on automated sales tax: none
    (QBO works the tax out from the ship-to address).
    """
    connection.ensure_one()
    if not connection.is_us:
        return ("sale", "purchase")
    return () if connection.automated_sales_tax else ("sale",)


@sync_log.about(source="setup")
def sync_tax_codes(connection, client):
    """Refresh ``qbo.tax.code`` from QBO's tax codes and the rates they list."""
    try:
        rates = {
            str(rate["Id"]): float(rate.get("RateValue") or 0.0)
            for rate in client.query_all("TaxRate", order_by="Id")
        }
        codes = client.query_all("TaxCode", order_by="Id")
    except errors.QboError as error:
        raise user_error(connection, error) from None

    def total(code, key):
        details = (code.get(key) or {}).get("TaxRateDetail") or []
        refs = [str(detail["TaxRateRef"]["value"]) for detail in details]
        return bool(refs), sum(rates.get(ref, 0.0) for ref in refs)

    values = {}
    for code in codes:
        for_sales, sales_rate = total(code, "SalesTaxRateList")
        for_purchases, purchase_rate = total(code, "PurchaseTaxRateList")
        if connection.is_us and not for_sales:
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
    upsert(connection, "qbo.tax.code", values)


def upsert(connection, model, values_by_qbo_id):
    """Create or update the rows of a per-connection cache model; archive the rest."""
    cache = connection.env[model].sudo().with_context(active_test=False)
    existing = cache.search_fetch([("connection_id", "=", connection.id)], ["qbo_id"])
    by_qbo_id = {record.qbo_id: record for record in existing}
    to_create = []
    for qbo_id, values in values_by_qbo_id.items():
        values = dict({"active": True}, **values)
        record = by_qbo_id.pop(qbo_id, None)
        if record:
            record.write(values)
        else:
            to_create.append(dict(values, connection_id=connection.id, qbo_id=qbo_id))
    cache.create(to_create)
    cache.browse([record.id for record in by_qbo_id.values()]).write({"active": False})


def item_expense_account(connection, product):
    """The account the QBO item of ``product`` expenses purchases to (empty when
    purchase orders are not synced).

    Purchases go to the mapped purchases account; in *Accounting with inventory*
    storable goods go to the inventory asset account instead, which the COGS
    entries credit when the goods are sold, so their cost is counted once.
    """
    required = required_accounts(connection)
    if "purchase_account_id" not in required:
        return connection.env["qbo.account"]
    if "inventory_account_id" in required and product.is_storable:
        return connection.inventory_account_id
    return connection.purchase_account_id
