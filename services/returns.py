"""Goods returned after the order's QBO document: the credits they become.

A validated return picking of an order whose invoice (bill) is in QBO becomes one
``qbo.return``: a credit memo for goods a customer sent back, a vendor credit for
goods sent back to a vendor. Its lines are the returned quantities at the order
lines' prices and taxes. Made inside the stock operation, it only waits there
(``queued``) and wakes the push cron: no QuickBooks call in an ORM hook. Refunds of
money stay in QuickBooks, where the books are.
"""

from markupsafe import Markup

from odoo import Command

from . import return_cogs

PUSH_CRON = "quickbooks_online.ir_cron_qbo_push"

#: return type -> (move's order line field, location usage the goods come from or go to)
SIDES = {
    "credit_memo": ("sale_line_id", "location_id", "customer"),
    "vendor_credit": ("purchase_line_id", "location_dest_id", "supplier"),
}


def returned_lines(picking, return_type):
    """``{order line: quantity in the line's unit}`` of the goods ``picking`` returned."""
    line_field, location_field, usage = SIDES[return_type]
    returned = {}
    for move in picking.move_ids:
        if move.state != "done" or move[location_field].usage != usage:
            continue
        line = move.origin_returned_move_id[line_field] or move[line_field]
        if line:
            qty = move.product_uom._compute_quantity(move.quantity, line.product_uom_id)
            returned[line] = returned.get(line, 0.0) + qty
    return returned


def line_values(line, qty, qty_field, line_field):
    """The credit's line for ``qty`` of the order line ``line``, at its price and taxes."""
    ratio = qty / line[qty_field] if line[qty_field] else 0.0
    currency = line.currency_id
    return {
        line_field: line.id,
        "product_id": line.product_id.id,
        "name": line.name,
        "quantity": qty,
        "price_subtotal": currency.round(line.price_subtotal * ratio),
        "price_total": currency.round(line.price_total * ratio),
        "tax_ids": [Command.set(line.tax_ids.ids)],
    }


def from_pickings(pickings):
    """Make the credit of each return among the validated ``pickings`` (once each)."""
    env = pickings.env
    records = env["qbo.return"].sudo()
    done = set(records.search([("picking_id", "in", pickings.ids)]).picking_id.ids)
    values = []
    for picking in pickings.filtered(lambda p: p.state == "done" and p.id not in done):
        for return_type, (line_field, _location, _usage) in SIDES.items():
            if vals := _credit_values(picking, return_type, line_field):
                values.append(vals)
    if not values:
        return records
    created = records.create(values)
    env.ref(PUSH_CRON).sudo()._trigger()
    return created


def _credit_values(picking, return_type, line_field):
    returned = returned_lines(picking, return_type)
    orders = {line.order_id for line in returned}
    if len(orders) != 1:
        return None
    order = orders.pop()
    if order.qbo_status != "created":
        return None
    kind = order._qbo_kind()
    order_field = "sale_order_id" if return_type == "credit_memo" else "purchase_order_id"
    return {
        "name": picking.name,
        "return_type": return_type,
        "picking_id": picking.id,
        order_field: order.id,
        "company_id": order.company_id.id,
        "partner_id": order.partner_id.id,
        "user_id": order.user_id.id,
        "currency_id": order.currency_id.id,
        "date_order": picking.date_done,
        "qbo_status": "queued",
        "qbo_cogs_status": "pending" if return_cogs.applies(order, picking) else "none",
        "order_line": [
            Command.create(line_values(line, qty, kind.qty_field, line_field))
            for line, qty in returned.items()
            if qty
        ],
    }


def returns_of(orders, field):
    """``{order: its returns}``, the returns whose ``field`` is one of ``orders``."""
    records = orders.env["qbo.return"].search([(field, "in", orders.ids)])
    return records.grouped(field)


def created(records):
    """The returns' credits are in QBO: each order's chatter links to its credit."""
    for credit in records:
        label = credit._qbo_kind().created_note(credit.env)
        number = credit.qbo_doc_number or credit.qbo_txn_id
        credit.source_order().message_post(
            body=Markup('%s (%s): <a href="%s" target="_blank">%s</a>')
            % (label, credit.name, credit.qbo_url, number),
            subtype_xmlid="mail.mt_note",
        )


def deleted(records):
    """The returns' credits were deleted in QBO: each order's chatter says so."""
    for credit in records:
        credit.source_order().message_post(
            body=credit.env._(
                "The %(document)s of the return %(return)s was deleted in QuickBooks Online; "
                "push it again from the return to credit the goods.",
                document=credit._qbo_kind().label(credit.env),
                **{"return": credit.name},
            ),
            subtype_xmlid="mail.mt_note",
        )
