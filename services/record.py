"""The push's last step, and what QBO tells back later: the outcome written on the order.

Every function here writes only what changed, so applying the same QBO state twice
writes nothing the second time: duplicate and late notifications are harmless.
"""

from markupsafe import Markup

from odoo import fields
from odoo.tools import float_compare, float_is_zero
from odoo.tools.misc import formatLang

from ..qbo import errors
from .payload import payment_status, product_lines, tax_amount

#: QBO writes this at the start of a voided document's PrivateNote
VOIDED_NOTE_PREFIX = "Voided"


def set_error(orders, message):
    orders.write({"qbo_status": "error", "qbo_error": message})


def set_refused(order, message):
    """QBO refused ``order``'s document for sure: a fault answered to its create, so
    nothing was created. QBO may answer a write sent again under the same ``requestid``
    with its first answer, this refusal included, even once the order is corrected:
    ``qbo_refusals``, part of the order's key, moves on. Only a sure refusal moves it;
    after an unsure outcome the next push must send under the same key, and look first.
    """
    order.write(
        {"qbo_status": "error", "qbo_error": message, "qbo_refusals": order.qbo_refusals + 1}
    )


def set_created(order, data):
    """The document ``data`` QBO holds for ``order`` was created (or found): link it."""
    total = data.get("TotalAmt") or 0.0
    balance = data.get("Balance", total) or 0.0
    order.write(
        {
            "qbo_status": "created",
            "qbo_txn_id": data["Id"],
            "qbo_doc_number": data.get("DocNumber") or False,
            "qbo_pushed_at": fields.Datetime.now(),
            "qbo_total": total,
            "qbo_balance": balance,
            "qbo_payment_status": payment_status(total, balance),
            "qbo_amount_warning": amount_warning(order, total, data.get("TxnTaxDetail")),
            "qbo_error": False,
            "qbo_push_key": False,
        }
    )
    label = order._qbo_kind().created_note(order.env)
    number = data.get("DocNumber") or data["Id"]
    order.message_post(
        body=Markup('%s: <a href="%s" target="_blank">%s</a>') % (label, order.qbo_url, number),
        subtype_xmlid="mail.mt_note",
    )
    order._qbo_after_push()


def amount_warning(order, qbo_total, qbo_tax_detail=None):
    """A sentence when QBO's total differs from Odoo's beyond rounding (else False).

    Rounding: one unit of the currency per line, since QBO rounds tax per rate
    over the document while Odoo may round it per line.
    """
    currency = order.currency_id
    tolerance = currency.rounding * max(len(product_lines(order)), 1)
    if abs(qbo_total - order.amount_total) <= tolerance + currency.rounding / 2:
        return False
    if warning := _tax_warning(order, qbo_total, qbo_tax_detail):
        return warning
    return order.env._(
        "QuickBooks' total is %(qbo)s but Odoo's is %(odoo)s: check the taxes and "
        "prices of the QuickBooks document.",
        qbo=formatLang(order.env, qbo_total, currency_obj=currency),
        odoo=formatLang(order.env, order.amount_total, currency_obj=currency),
    )


def _tax_warning(order, qbo_total, qbo_tax_detail):
    """Why QBO's sales tax on a US invoice differs from Odoo's (``None`` if it doesn't).

    :param qbo_tax_detail: the ``TxnTaxDetail`` QBO answered with
    """
    env = order.env
    connection = order._qbo_connection()
    if not order._qbo_kind().charges_sales_tax(connection) or not qbo_tax_detail:
        return None
    lines = product_lines(order)
    currency = order.currency_id
    odoo_tax = tax_amount(lines)
    qbo_tax = qbo_tax_detail.get("TotalTax") or 0.0
    if not currency.compare_amounts(qbo_tax, odoo_tax):
        return None
    amounts = {
        key: formatLang(env, value, currency_obj=currency)
        for key, value in (
            ("qbo_tax", qbo_tax),
            ("odoo_tax", odoo_tax),
            ("qbo", qbo_total),
            ("odoo", order.amount_total),
        )
    }
    if connection.automated_sales_tax or _turned_automated(connection):
        return env._(
            "QuickBooks computed %(qbo_tax)s sales tax for the ship-to address; Odoo "
            "computed %(odoo_tax)s (totals: QuickBooks %(qbo)s, Odoo %(odoo)s). Check the "
            "order's delivery address (street, city, state, ZIP) and that QuickBooks "
            "collects sales tax in that state (Taxes > Sales tax settings), or the tax "
            "rates in Odoo; then correct the tax on the QuickBooks invoice.",
            **amounts,
        )
    # The preflight lets through only invoices whose taxes map to one rate group.
    groups = lines.filtered("tax_ids").tax_ids.qbo_tax_code_id
    return env._(
        "QuickBooks' rate group %(group)s charged %(qbo_tax)s sales tax; Odoo computed "
        "%(odoo_tax)s (totals: QuickBooks %(qbo)s, Odoo %(odoo)s). The rates differ: make "
        "the Odoo tax's rate match the group's, then correct the tax on the QuickBooks "
        "invoice.",
        group=groups.name,
        **amounts,
    )


def _turned_automated(connection):
    """Whether the QBO company switched to automated sales tax since it was connected.

    QBO then ignores the rate group the invoice names; one read of the preferences,
    only when a rate-group invoice's tax came out different, notices it and the next
    invoices carry Odoo's tax as an override.
    """
    try:
        prefs = connection._qbo_client().preferences()
    except errors.QboError:
        return False
    if not (prefs.get("TaxPrefs") or {}).get("PartnerTaxEnabled"):
        return False
    connection.sudo().automated_sales_tax = True
    return True


# ---------------------------------------------------------------------- what QBO tells back
def apply_remote(order, document):
    """Bring ``order`` in line with its QBO ``document`` (a full Invoice/Bill).

    :return: whether anything changed
    """
    total = float(document.get("TotalAmt") or 0.0)
    balance = float(document.get("Balance") or 0.0)
    voided = _is_voided(document)
    values = {
        "qbo_total": total,
        "qbo_balance": balance,
        "qbo_payment_status": False if voided else payment_status(total, balance),
    }
    if document.get("DocNumber"):
        values["qbo_doc_number"] = document["DocNumber"]
    if voided:
        values["qbo_status"] = "voided"
    elif order.qbo_status == "voided":
        # Only a document QBO still shows as voided is voided.
        values["qbo_status"] = "created"
    changed = {
        name: value
        for name, value in values.items()
        if not _same(order._fields[name], order[name], value)
    }
    if not changed:
        return False
    order.write(changed)
    if changed.get("qbo_status") == "voided":
        order.message_post(
            body=order.env._(
                "The %(document)s %(number)s was voided in QuickBooks Online.",
                document=order._qbo_kind().label(order.env),
                number=order.qbo_doc_number or order.qbo_txn_id,
            )
        )
    return True


def mark_deleted(order):
    """The QBO document of ``order`` was deleted: the order is back to not invoiced/billed.

    The next push starts a new idempotency generation (a new ``requestid``),
    otherwise QBO would replay the deleted document's creation.
    """
    env = order.env
    number = order.qbo_doc_number or order.qbo_txn_id
    order.write(
        {
            "qbo_status": "not_pushed",
            "qbo_txn_id": False,
            "qbo_doc_number": False,
            "qbo_generation": order.qbo_generation + 1,
            "qbo_error": False,
            "qbo_pushed_at": False,
            "qbo_total": 0.0,
            "qbo_balance": 0.0,
            "qbo_payment_status": False,
            "qbo_amount_warning": False,
            "qbo_pushed_content": False,
        }
    )
    statuses = dict(order._fields["qbo_status"]._description_selection(env))
    order.message_post(
        body=env._(
            "The %(document)s %(number)s was deleted in QuickBooks Online: "
            "the order is back to %(status)s.",
            document=order._qbo_kind().label(env),
            number=number,
            status=statuses["not_pushed"],
        )
    )


def _is_voided(document):
    """QBO keeps a voided document with a zero total and "Voided" at the start of its note."""
    note = (document.get("PrivateNote") or "").strip()
    return float_is_zero(float(document.get("TotalAmt") or 0.0), precision_digits=2) and (
        note.startswith(VOIDED_NOTE_PREFIX)
    )


def _same(field, current, value):
    if field.type == "float":
        return float_compare(current or 0.0, value or 0.0, precision_digits=2) == 0
    return (current or False) == (value or False)
