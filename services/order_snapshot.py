"""What an order held when it was pushed, and how it differs now (no API calls).

The snapshot keeps the content that makes the QBO document: the customer or
vendor, the date, the currency, every line sent (product, quantity, amount,
taxes) and the total. Lines are matched by their Odoo id, so a line whose
product changed is reported as changed, not as removed and added.
"""

from odoo.tools import float_compare, float_is_zero

from .payload import order_date

#: properties of a QBO document that say money was applied to it
PAYMENT_TXN_TYPES = ("Payment", "BillPaymentCheck", "BillPaymentCreditCard", "CreditMemo")


def snapshot(order, product_lines):
    """The pushed content of ``order`` (JSON-serialisable); ``product_lines`` are the lines sent."""
    kind = order._qbo_kind()
    return {
        "partner": kind.party(order).display_name,
        "date": order_date(order).isoformat(),
        "currency": order.currency_id.name,
        "total": order.amount_total,
        "lines": [
            {
                "id": line.id,
                "product": line.product_id.display_name,
                "qty": kind.qty(line),
                "amount": line.price_subtotal,
                "taxes": ", ".join(sorted(line.tax_ids.mapped("name"))),
            }
            for line in product_lines
        ],
    }


def differences(env, old, new, currency):
    """Sentences saying how ``new`` differs from ``old`` (two :func:`snapshot`), in order."""
    money = currency.format
    changes = []
    for key, label in (
        ("partner", env._("Partner")),
        ("date", env._("Date")),
        ("currency", env._("Currency")),
    ):
        if old.get(key) != new.get(key):
            changes.append(f"{label}: {old.get(key)} → {new.get(key)}")
    old_lines = {line["id"]: line for line in old.get("lines", [])}
    new_lines = {line["id"]: line for line in new.get("lines", [])}
    for line_id, line in old_lines.items():
        if line_id not in new_lines:
            changes.append(
                env._(
                    "Line removed: %(product)s × %(qty)s", product=line["product"], qty=line["qty"]
                )
            )
    for line_id, line in new_lines.items():
        before = old_lines.get(line_id)
        if before is None:
            changes.append(
                env._("Line added: %(product)s × %(qty)s", product=line["product"], qty=line["qty"])
            )
            continue
        changes.extend(_line_changes(env, before, line, money))
    if not _same_amount(old.get("total"), new.get("total")):
        changes.append(
            env._(
                "Total: %(old)s → %(new)s", old=money(old.get("total")), new=money(new.get("total"))
            )
        )
    return changes


def _line_changes(env, before, line, money):
    product = before["product"]
    changes = []
    if before["product"] != line["product"]:
        changes.append(
            env._("Product: %(old)s → %(new)s", old=before["product"], new=line["product"])
        )
        product = line["product"]
    if float_compare(before["qty"], line["qty"], precision_digits=5):
        changes.append(
            env._(
                "Quantity of %(product)s: %(old)s → %(new)s",
                product=product,
                old=before["qty"],
                new=line["qty"],
            )
        )
    if not _same_amount(before["amount"], line["amount"]):
        changes.append(
            env._(
                "Amount of %(product)s: %(old)s → %(new)s",
                product=product,
                old=money(before["amount"]),
                new=money(line["amount"]),
            )
        )
    if before["taxes"] != line["taxes"]:
        changes.append(
            env._(
                "Taxes of %(product)s: %(old)s → %(new)s",
                product=product,
                old=before["taxes"] or "-",
                new=line["taxes"] or "-",
            )
        )
    return changes


def _same_amount(old, new):
    return float_is_zero((old or 0.0) - (new or 0.0), precision_digits=2)


def money_moved(document):
    """True when a payment (or credit) was applied to the QBO ``document``."""
    total = float(document.get("TotalAmt") or 0.0)
    balance = float(document.get("Balance") if "Balance" in document else total)
    if not _same_amount(total, balance):
        return True
    return any(link.get("TxnType") in PAYMENT_TXN_TYPES for link in document.get("LinkedTxn") or [])
