from odoo import models
from odoo.tools import float_compare, float_is_zero

from .qbo_payload import payment_status
from .sync_const import VOIDED_NOTE_PREFIX


class QboDocumentMixin(models.AbstractModel):
    """What QBO tells back about a pushed document: deletion, void, payments.

    Every method here is idempotent: applying the same QBO state twice writes
    nothing the second time, so duplicate and late notifications are harmless.
    """

    _inherit = "qbo.document.mixin"

    def _qbo_apply_remote(self, document):
        """Bring the order in line with its QBO ``document`` (a full Invoice/Bill)."""
        self.ensure_one()
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
        elif self.qbo_status == "voided":
            # Only a document QBO still shows as voided is voided.
            values["qbo_status"] = "created"
        changed = {
            name: value
            for name, value in values.items()
            if not _same(self._fields[name], self[name], value)
        }
        if not changed:
            return False
        self.write(changed)
        if changed.get("qbo_status") == "voided":
            self.message_post(
                body=self.env._(
                    "The %(document)s %(number)s was voided in QuickBooks Online.",
                    document=self._qbo_document_label(),
                    number=self.qbo_doc_number or self.qbo_txn_id,
                )
            )
        return True

    def _qbo_mark_deleted(self):
        """The QBO document was deleted: the order is back to not invoiced/billed.

        The next push starts a new idempotency generation (a new ``requestid``),
        otherwise QBO would replay the deleted document's creation.
        """
        for order in self:
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
            order.message_post(
                body=self.env._(
                    "The %(document)s %(number)s was deleted in QuickBooks Online: "
                    "the order is back to %(status)s.",
                    document=order._qbo_document_label(),
                    number=number,
                    status=dict(order._fields["qbo_status"]._description_selection(order.env))[
                        "not_pushed"
                    ],
                )
            )

    def _qbo_document_label(self):
        return self.env._("invoice") if self._qbo_entity == "Invoice" else self.env._("bill")


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
