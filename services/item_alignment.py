"""Bring the expense account of the QBO items Odoo linked in line with the account mapping."""

from odoo.tools import split_every

from ..qbo import errors, query
from . import sync_log
from .const import ID_QUERY_CHUNK
from .keys import request_id
from .setup import item_expense_account, user_error

#: the QBO account type of inventory asset accounts
INVENTORY_TYPE = "Other Current Asset"


@sync_log.about(source="setup")
def align_items(connection):
    """Bring the expense account of the linked QBO items in line with the mapping.

    Items the connector created are changed (sparse update); items it matched by
    SKU belong to the user: the ones whose purchases would land on the wrong side
    of inventory are listed, with what to change in QuickBooks. Items without an
    expense account are left alone (the push says how to fix them).

    :return: ``(changed, to_fix)``: how many items were changed, and one line per
        item the user has to change
    """
    connection.ensure_one()
    env = connection.env
    links = (
        env["qbo.link"]
        .sudo()
        .search(
            [
                ("connection_id", "=", connection.id),
                ("res_model", "=", "product.product"),
                ("qbo_entity", "=", "Item"),
            ]
        )
    )
    if not links or "purchase_account_id" not in connection._qbo_required_accounts():
        return 0, []
    client = connection._qbo_client()
    try:
        rows = {
            str(row["Id"]): row
            for chunk in split_every(ID_QUERY_CHUNK, links.mapped("qbo_id"))
            for row in client.query_all("Item", f"Id IN {query.in_list(chunk)}", "Id")
        }
    except errors.QboError as error:
        raise user_error(connection, error) from None
    accounts = env["qbo.account"].sudo().with_context(active_test=False)
    accounts = {a.qbo_id: a for a in accounts.search([("connection_id", "=", connection.id)])}
    products = env["product.product"].sudo().with_context(active_test=False)
    changed, to_fix = 0, []
    for link in links:
        row = rows.get(link.qbo_id)
        product = products.browse(link.res_id).exists()
        if not row or not product or not row.get("ExpenseAccountRef"):
            continue
        wanted = item_expense_account(connection, product)
        current = accounts.get(str(row["ExpenseAccountRef"]["value"]))
        if not wanted or current == wanted:
            continue
        if row.get("TrackQtyOnHand"):
            if wanted.account_type == INVENTORY_TYPE:
                to_fix.append(_tracked_item_line(env, row))
        elif link.qbo_created:
            if error := _set_item_expense(connection, client, row, wanted):
                to_fix.append(_item_line(env, row, current, wanted, error))
            else:
                changed += 1
        elif INVENTORY_TYPE in (wanted.account_type, current and current.account_type):
            to_fix.append(_item_line(env, row, current, wanted))
    return changed, to_fix


def item_expense_key(connection, row, account):
    """The request id of pointing the item ``row`` (at its SyncToken) at ``account``."""
    return request_id(
        connection.env,
        connection.id,
        row["Id"],
        row["SyncToken"],
        account.qbo_id,
        length=32,
        prefix="x",
    )


def _set_item_expense(connection, client, row, account):
    """Point the item ``row`` at ``account``; a 5010 (changed meanwhile) reads it again
    and retries once. Returns the QBO error, or None."""
    for attempt in range(2):
        payload = {
            "Id": row["Id"],
            "SyncToken": row["SyncToken"],
            "Name": row["Name"],  # QBO wants it even in a sparse update of an item
            "ExpenseAccountRef": {"value": account.qbo_id},
        }
        try:
            client.update("Item", payload, item_expense_key(connection, row, account))
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


def _item_line(env, row, current, wanted, error=None):
    """What to change in QuickBooks for the item ``row``."""
    line = env._(
        'Item "%(item)s": in QuickBooks, set its expense account ("I purchase this '
        'product/service from a vendor") to "%(wanted)s" instead of "%(current)s".',
        item=row.get("Name"),
        wanted=wanted.name,
        current=current.name if current else row["ExpenseAccountRef"].get("name", "?"),
    )
    if error:
        line += " " + env._("Odoo could not change it: %(error)s", error=error)
    return line


def _tracked_item_line(env, row):
    """An item QBO tracks as inventory posts its own cost of goods sold."""
    return env._(
        'Item "%(item)s" is an inventory item in QuickBooks, which posts its cost itself when '
        "it is invoiced; Odoo's cost of goods sold entry would count it again. Make it a "
        "non-inventory item in QuickBooks, or give the Odoo product another internal reference.",
        item=row.get("Name"),
    )
