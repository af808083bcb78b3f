import hashlib
import logging
import time

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import split_every
from odoo.tools.misc import formatLang

from ..qbo import errors, query
from ..qbo.const import MAX_BATCH_ITEMS
from . import qbo_send
from .qbo_payload import line_amounts, order_date, payment_status, us_tax_detail, us_taxable

_logger = logging.getLogger(__name__)

#: orders pushed per batch call of the background push (QBO takes at most 30 items)
BULK_CHUNK = MAX_BATCH_ITEMS
ORDER_MODELS = ("sale.order", "purchase.order")
#: system parameter: seconds one push request may wait for QBO (default: the connection's)
TIMEOUT_PARAM = "quickbooks_online.push_timeout"
#: sends of one order per push: the create, then after each unsure outcome a look and a resend
SEND_ROUNDS = 5
#: seconds a push from the button may take: its request must end well inside the web
#: server's limit (``limit_time_real``, 120 s by default), with the order in a readable state
INTERACTIVE_BUDGET = 45


class PushRun:
    """What one push through one connection carries along: the client and its answers."""

    def __init__(self, connection, bulk):
        self.connection = connection
        timeout = connection.env["ir.config_parameter"].sudo().get_param(TIMEOUT_PARAM)
        options = {"timeout": float(timeout)} if timeout else {}
        #: the bulk push runs in the cron worker, whose own time limit is the budget
        self.deadline = None if bulk else time.monotonic() + INTERACTIVE_BUDGET
        self.client = connection._qbo_client(deadline=self.deadline, **options)
        self.bulk = bulk
        #: seconds QBO asked us to wait (bulk pushes stop and reschedule)
        self.throttled = None

    def past_deadline(self):
        return self.deadline is not None and time.monotonic() >= self.deadline


class QboPush(models.AbstractModel):
    """Pushes confirmed orders to QBO as invoices (sale orders) or bills (purchase orders).

    One push, for the orders of one company: preflight (no API call) → link or
    create the QBO customer/vendor and items (:mod:`qbo_push_resolve`, at most two
    requests: one batch of queries, one batch of creates) → create the documents,
    each with a ``requestid`` that makes any retry replay instead of duplicate.
    Every failure ends on the order, in words a user understands.
    """

    _name = "qbo.push"
    _description = "QuickBooks Online push of orders"

    # ------------------------------------------------------------------ entry points
    @api.model
    def _push(self, orders, bulk=False):
        """Push ``orders`` (one model); return the seconds QBO asked to wait, if it did."""
        throttled = None
        for company_orders in orders.grouped("company_id").values():
            connection = company_orders[:1]._qbo_connection()
            run_throttled = self._push_connection(connection, company_orders.sudo(), bulk)
            throttled = throttled or run_throttled
        return throttled

    @api.model
    def _cron_push_queued(self):
        """Background push of the orders queued from the lists, in chunks of 30 orders.

        Progress is committed per chunk. A chunk another transaction changed since
        this one began (a button push of one of its orders) is left queued for a new
        run, which sees the orders as they are then: the job never fails for it.
        """
        queued = [
            self.env[model].sudo().search([("qbo_status", "=", "queued")], order="id")
            for model in ORDER_MODELS
        ]
        cron = self.env["ir.cron"]
        job = self.env.ref("quickbooks_online.ir_cron_qbo_push")
        cron._commit_progress(remaining=sum(len(orders) for orders in queued))
        for orders in queued:
            for company_orders in orders.grouped("company_id").values():
                for ids in split_every(BULK_CHUNK, company_orders.ids):
                    chunk = orders.browse(ids)
                    try:
                        retry_after = self._push(chunk, bulk=True)
                    except pg_errors.SerializationFailure:
                        _logger.info("QBO push: %s changed meanwhile, pushed in a new run", chunk)
                        job._trigger()
                        retry_after = None
                    if retry_after:
                        # QBO's limits: stop here, the queued orders wait for the next run
                        job._trigger(
                            fields.Datetime.add(fields.Datetime.now(), seconds=retry_after)
                        )
                        cron._commit_progress(len(chunk))
                        return
                    if not cron._commit_progress(len(chunk)):
                        return

    # ------------------------------------------------------------------ one connection
    def _push_connection(self, connection, orders, bulk):
        locked = self.env["qbo.push.intent"]._qbo_lock(orders, wait=not bulk)
        if locked != orders:
            # another transaction is sending some of them: they stay queued for a new run
            self.env.ref("quickbooks_online.ir_cron_qbo_push")._trigger(
                fields.Datetime.add(fields.Datetime.now(), minutes=1)
            )
        orders = locked
        blocker = self._preflight_connection(connection, orders._name)
        if blocker:
            orders.write({"qbo_status": "error", "qbo_error": blocker})
            return None
        self._prefetch(orders)
        ready = orders.browse()
        for order in orders:
            messages = self._preflight(order, connection)
            if messages:
                order.write({"qbo_status": "error", "qbo_error": "\n".join(messages)})
            else:
                ready |= order
        if not ready:
            return None
        run = PushRun(connection, bulk)
        try:
            resolved = self._resolve(run, ready)
            ready = self._drop_unresolved(ready, resolved)
            payloads = {order: self._payload(run, order, resolved) for order in ready}
            self._send_documents(run, ready, payloads)
        except errors.ThrottledError as error:
            if not bulk:
                self._set_error(ready, self._error_message(error, ready[:1]))
                return None
            run.throttled = error.retry_after or 60
            ready.filtered(lambda o: o.qbo_status != "created").write({"qbo_status": "queued"})
        except errors.QboError as error:
            pending = ready.filtered(lambda o: o.qbo_status != "created")
            self._set_error(pending, self._error_message(error, ready[:1]))
        return run.throttled

    def _prefetch(self, orders):
        """Read what the push needs for all orders and lines in a few queries."""
        lines = orders.order_line
        lines.fetch(["display_type", "name", "price_subtotal", "price_total", "tax_ids"])
        lines.product_id.fetch(["default_code", "active", "type", "product_tmpl_id"])
        lines.tax_ids.fetch(["qbo_tax_code_id", "name"])
        orders.partner_id.commercial_partner_id.fetch(["name", "email"])

    @api.model
    def _product_lines(self, order):
        """Order lines sent as item lines: products with a quantity."""
        return order.order_line.filtered(
            lambda line: not line.display_type and line.product_id and order._qbo_line_qty(line)
        )

    # ------------------------------------------------------------------ the document
    def _payload(self, run, order, resolved):
        """The QBO Invoice/Bill of ``order`` with every reference already resolved."""
        connection = run.connection
        payload = {
            order._qbo_party_entity + "Ref": {"value": resolved.party_ids[order._qbo_party().id]},
            "TxnDate": order_date(order).isoformat(),
            "PrivateNote": order.name,
            "Line": self._document_lines(run, order, resolved),
        }
        if connection.custom_txn_numbers:
            payload["DocNumber"] = order.name
        payload.update(order._qbo_header(connection))
        if not connection.is_us:
            payload["GlobalTaxCalculation"] = "TaxExcluded"
        elif order._qbo_entity == "Invoice" and (
            detail := us_tax_detail(self._product_lines(order), connection.automated_sales_tax)
        ):
            payload["TxnTaxDetail"] = detail
        if connection.multi_currency:
            payload["CurrencyRef"] = {"value": order.currency_id.name}
            if order.currency_id.name != connection.qbo_currency:
                payload["ExchangeRate"] = self._exchange_rate(connection, order)
        return payload

    def _document_lines(self, run, order, resolved):
        connection = run.connection
        # US bills carry no tax in QBO: the vendor's tax is part of the cost.
        gross = connection.is_us and order._qbo_entity == "Bill"
        result = []
        for line in order.order_line:
            if line.display_type:
                text_line = order._qbo_text_line(line.name) if line.name else None
                if text_line:
                    result.append(text_line)
                continue
            qty = order._qbo_line_qty(line)
            if not line.product_id or not qty:
                continue
            amount, qty, unit_price = line_amounts(
                line.price_total if gross else line.price_subtotal, qty
            )
            item_id = resolved.item_ids[line.product_id.id]
            result.append(
                order._qbo_item_line(
                    line, amount, qty, unit_price, item_id, self._line_tax_code(run, order, line)
                )
            )
        return result

    def _line_tax_code(self, run, order, line):
        if not run.connection.is_us:
            return line.tax_ids.qbo_tax_code_id.qbo_id
        if order._qbo_entity == "Bill":
            return None
        return "TAX" if us_taxable(line) else "NON"

    def _exchange_rate(self, connection, order):
        """Home-currency units for one unit of the order's currency, on the order's date."""
        home = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", connection.qbo_currency)], limit=1)
        )
        rate = self.env["res.currency"]._get_conversion_rate(
            order.currency_id, home, order.company_id, order_date(order)
        )
        return round(rate, 6)

    # ------------------------------------------------------------------ sending
    def _send_documents(self, run, orders, payloads):
        """Create the documents exactly once, whether or not QBO honours ``requestid``.

        The intent is committed before the first request (``qbo.push.intent``). An
        order sent before under the same key, or whose create just ended without a
        sure answer (reset, 5xx, 6000), is first looked for in QBO, all such orders
        in one request: found, it is linked; else it is sent again. A timeout ends
        the rounds (QBO may still be writing): the order ends in error, and its next
        push looks first.
        """
        unsure = self.env["qbo.push.intent"]._qbo_record(orders)
        for order in orders:
            order.sudo().qbo_push_key = order._qbo_request_id()
        todo, error = orders, None
        for attempt in range(SEND_ROUNDS):
            if unsure:
                todo -= self._link_sent(run, unsure, payloads)
            if not todo:
                return
            if attempt:
                time.sleep(run.client.backoff_factor * 2 ** (attempt - 1))
            unsure, error = self._create(run, todo, payloads)
            todo = unsure
            timed_out = getattr(error, "timed_out", False)
            if not todo or timed_out or run.past_deadline():
                break
        for order in todo:
            self._set_error(order, self._error_message(error, order))

    def _link_sent(self, run, orders, payloads):
        """Link the orders whose document QBO already holds; return them."""
        found = qbo_send.find_sent(run.client, orders, payloads)
        for order, existing in found.items():
            _logger.info("%s was already in QBO (%s): linked", order.name, existing["Id"])
            self._set_created(order, existing)
        return orders.browse([order.id for order in found])

    def _create(self, run, orders, payloads):
        """Send the creates once; return the orders left unsure and the last unsure error."""
        unsure, unsure_error = orders.browse(), None
        if run.bulk:
            outcomes = qbo_send.create_batches(run.client, orders, payloads, self._batch_key)
        else:
            outcomes = qbo_send.create_each(run.client, orders, payloads)
        for order, data, error in outcomes:
            if data is not None:
                self._set_created(order, data)
            elif isinstance(error, errors.DuplicateDocNumberError):
                self._reconcile_duplicate(run, order, error)
            elif error.retryable:
                unsure |= order
                unsure_error = error
            else:
                self._set_error(order, self._error_message(error, order))
        return unsure, unsure_error

    def _batch_key(self, orders):
        """Request id of a bulk batch: stable for these orders and their generations."""
        database_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        seed = "|".join(
            [database_uuid, orders._name] + [f"{o.id}:{o.qbo_generation}" for o in orders]
        )
        return "b" + hashlib.sha256(seed.encode()).hexdigest()[:31]

    def _reconcile_duplicate(self, run, order, error):
        """6140 on our own number: link to the existing document when it is this order's.

        It is ours when it is made out to the same customer/vendor and its memo
        carries the order name, or its total is the order's; anything else is a
        number clash the user must solve in QuickBooks.
        """
        entity = order._qbo_entity
        try:
            if error.existing_txn_id:
                existing = run.client.read(entity, error.existing_txn_id)
            else:
                where = "DocNumber = " + query.quote(order.name)
                existing = next(iter(run.client.query_all(entity, where)), None)
        except (errors.ThrottledError, errors.ReconnectRequired):
            raise
        except errors.QboError as read_error:
            self._set_error(order, self._error_message(read_error, order))
            return
        party_key = order._qbo_party_entity + "Ref"
        party_id = (
            self.env["qbo.link"]
            .sudo()
            ._get_map(run.connection, order._qbo_party(), order._qbo_party_entity)
            .get(order._qbo_party().id)
        )
        ours = (
            existing
            and (existing.get(party_key) or {}).get("value") == party_id
            and (
                order.name in (existing.get("PrivateNote") or "")
                or not order.currency_id.compare_amounts(
                    existing.get("TotalAmt") or 0.0, order.amount_total
                )
            )
        )
        if ours:
            self._set_created(order, existing)
            return
        label = order._qbo_document_label()
        self._set_error(
            order,
            self.env._(
                "The number %(number)s is already used by another %(document)s in "
                "QuickBooks Online. Rename or delete that %(document)s in QuickBooks, or "
                "turn off custom transaction numbers, then push again.",
                number=order.name,
                document=label,
            ),
        )

    # ------------------------------------------------------------------ outcomes
    def _set_created(self, order, data):
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
                "qbo_amount_warning": self._amount_warning(order, total, data.get("TxnTaxDetail")),
                "qbo_error": False,
                "qbo_push_key": False,
            }
        )
        label = (
            self.env._("Invoice created in QuickBooks Online")
            if order._qbo_entity == "Invoice"
            else self.env._("Bill created in QuickBooks Online")
        )
        number = data.get("DocNumber") or data["Id"]
        order.message_post(
            body=Markup('%s: <a href="%s" target="_blank">%s</a>') % (label, order.qbo_url, number),
            subtype_xmlid="mail.mt_note",
        )
        order._qbo_after_push()

    def _amount_warning(self, order, qbo_total, qbo_tax_detail=None):
        """A sentence when QBO's total differs from Odoo's beyond rounding (else False).

        Rounding: one unit of the currency per line, since QBO rounds tax per rate
        over the document while Odoo may round it per line.
        """
        currency = order.currency_id
        lines = len(self._product_lines(order))
        tolerance = currency.rounding * max(lines, 1)
        if abs(qbo_total - order.amount_total) <= tolerance + currency.rounding / 2:
            return False
        if tax_warning := self._tax_warning(order, qbo_total, qbo_tax_detail):
            return tax_warning
        return self.env._(
            "QuickBooks' total is %(qbo)s but Odoo's is %(odoo)s: check the taxes and "
            "prices of the QuickBooks document.",
            qbo=formatLang(self.env, qbo_total, currency_obj=currency),
            odoo=formatLang(self.env, order.amount_total, currency_obj=currency),
        )

    def _set_error(self, orders, message):
        orders.write({"qbo_status": "error", "qbo_error": message})
