import hashlib

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError

from ..qbo import errors
from .order_snapshot import money_moved
from .qbo_payload import payment_status
from .qbo_push import PushRun


class QboAmend(models.AbstractModel):
    """Changes to documents already in QBO: *Update in QuickBooks* and the void on cancel.

    Only a document nothing was applied to (no payment, no credit) is changed:
    once money moved, the accountant adjusts it in QuickBooks. Every write sends
    the SyncToken just read; on 5010 (someone changed the document meanwhile)
    the document is read again, checked again, and the write retried once.
    """

    _name = "qbo.amend"
    _description = "QuickBooks Online changes to pushed documents"

    # ------------------------------------------------------------------ update
    @api.model
    def _update(self, order):
        """Send ``order``'s current content over its QBO document; return the refusal, if any."""
        push = self.env["qbo.push"]
        connection = order._qbo_connection()
        blocker = push._preflight_connection(connection, order._name)
        messages = [blocker] if blocker else push._preflight(order, connection)
        if messages:
            return self._refuse(order, "\n".join(messages))
        run = PushRun(connection, bulk=False)
        try:
            resolved = push._resolve(run, order)
            if resolved.failures:
                return self._refuse(order, "\n".join(dict.fromkeys(resolved.failures.values())))
            payload = push._payload(run, order, resolved)

            def send(document):
                body = dict(payload, Id=document["Id"], SyncToken=document["SyncToken"])
                key = self._write_key(order, "update", document)
                return run.client.update(order._qbo_entity, body, key, sparse=True)

            data = self._write_fresh(run, order, send, self._update_refusal)
        except errors.QboError as error:
            return self._refuse(order, push._error_message(error, order))
        if data is None:
            return self.env._(
                "The %(document)s was deleted in QuickBooks Online: the order is back to "
                "not sent; push it again to create a new one.",
                document=order._qbo_document_label(),
            )
        if isinstance(data, str):
            return self._refuse(order, data)
        self._after_update(order, data)
        return None

    def _after_update(self, order, data):
        changes = order.qbo_changes
        total = data.get("TotalAmt") or 0.0
        balance = data.get("Balance", total) or 0.0
        order.write(
            {
                "qbo_total": total,
                "qbo_balance": balance,
                "qbo_payment_status": payment_status(total, balance),
                "qbo_amount_warning": self.env["qbo.push"]._amount_warning(order, total),
                "qbo_error": False,
                "qbo_pushed_content": order._qbo_content(),
            }
        )
        body = Markup("%s<ul>%s</ul>") % (
            self.env._(
                "The %(document)s %(number)s was updated in QuickBooks Online:",
                document=order._qbo_document_label(),
                number=order.qbo_doc_number or order.qbo_txn_id,
            ),
            Markup().join(Markup("<li>%s</li>") % change for change in changes.splitlines()),
        )
        order.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _update_refusal(self, order, document):
        """Why the document can't be updated from Odoo (voided, money moved), or ``None``."""
        message = self._paid_refusal(order, document)
        if order.qbo_status == "voided":
            return self.env._(
                "The %(document)s was voided in QuickBooks Online: it is not updated.",
                document=order._qbo_document_label(),
            )
        return message

    def _paid_refusal(self, order, document):
        """Why the document can't be changed from Odoo (money moved), or ``None``.

        The order first takes what QBO holds (balance, payment status, void).
        """
        order._qbo_apply_remote(document)
        if order.qbo_status == "voided" or not money_moved(document):
            return None
        return self.env._(
            "The %(document)s %(number)s already has a payment or credit in QuickBooks "
            "Online, so Odoo does not change it. Adjust it in QuickBooks (or issue a "
            "credit memo for the difference).",
            document=order._qbo_document_label(),
            number=order.qbo_doc_number or order.qbo_txn_id,
        )

    def _refuse(self, order, message):
        """Tell why the document stays as it is; the order keeps its status."""
        order.write({"qbo_error": message})
        return message

    # ------------------------------------------------------------------ cancel
    @api.model
    def _cancel(self, orders):
        """Void the invoices (delete the bills) of the cancelled ``orders``.

        Raise :class:`UserError` (the cancel is rolled back) when QBO can't be
        reached or money already moved on a document: nothing is sent then.
        Bills are deleted, QBO's API offering no void for them.
        """
        orders = orders.filtered(lambda o: o.qbo_txn_id and o.qbo_status != "voided")
        for company_orders in orders.grouped("company_id").values():
            connection = company_orders[:1]._qbo_connection()
            if not connection or connection.state != "connected":
                raise UserError(
                    self.env._(
                        "%(orders)s already have a document in QuickBooks Online, and "
                        "QuickBooks Online is not connected: the document would stay open. "
                        "Reconnect QuickBooks, then cancel again.",
                        orders=", ".join(company_orders.mapped("name")),
                    )
                )
            run = PushRun(connection, bulk=False)
            try:
                documents = {order: self._read(run, order) for order in company_orders}
                paid = [
                    self._paid_refusal(order, document)
                    for order, document in documents.items()
                    if document
                ]
                if refusals := [message for message in paid if message]:
                    raise UserError(
                        self.env._(
                            "The order can't be cancelled:\n%(reasons)s\nTo cancel it anyway, "
                            "first remove or refund the payment in QuickBooks Online.",
                            reasons="\n".join(refusals),
                        )
                    )
                for order, document in documents.items():
                    if document and order.qbo_status != "voided":
                        self._withdraw(run, order)
            except errors.QboError as error:
                raise UserError(
                    self.env["qbo.push"]._error_message(error, company_orders[:1])
                ) from error

    def _withdraw(self, run, order):
        entity = order._qbo_entity
        operation = "void" if entity == "Invoice" else "delete"
        method = run.client.void if operation == "void" else run.client.delete

        def send(document):
            key = self._write_key(order, operation, document)
            return method(entity, document["Id"], document["SyncToken"], key)

        data = self._write_fresh(run, order, send, self._paid_refusal)
        if isinstance(data, str):
            raise UserError(data)
        if data is None:  # deleted in QuickBooks meanwhile: nothing left to withdraw
            return
        if operation == "void":
            order._qbo_apply_remote(data)
        else:
            order._qbo_mark_deleted()

    # ------------------------------------------------------------------ shared
    def _read(self, run, order):
        """The order's QBO document, or ``None`` when it was deleted (the order is told)."""
        try:
            return run.client.read(order._qbo_entity, order.qbo_txn_id)
        except errors.ObjectNotFoundError:
            order._qbo_mark_deleted()
            return None

    def _write_fresh(self, run, order, send, refusal):
        """Read the document, check it with ``refusal``, ``send`` it; once more on 5010.

        Returns what QBO answered, the refusal's sentence, or ``None`` when the
        document was deleted in QBO (the order is back to not sent).
        """
        for attempt in (1, 2):
            document = self._read(run, order)
            if document is None:
                return None
            if message := refusal(order, document):
                return message
            try:
                return send(document)
            except errors.StaleObjectError:
                if attempt == 2:
                    raise
        return None

    def _write_key(self, order, operation, document):
        """Request id of one write: a retry of the same write replays it."""
        seed = f"{order._qbo_request_id()}|{operation}|{document['SyncToken']}"
        return hashlib.sha256(seed.encode()).hexdigest()[:40]
