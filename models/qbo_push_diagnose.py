"""Refusals whose QBO wording does not tell the user what to fix: closed books (6210), an
item lacking the account of one side (6000 on ItemRef), and an account of the setup's
mapping made inactive or deleted in QBO (610/2500 that name no record). One extra read,
only when such an error happened, finds what to say. Also why a US invoice's sales tax
differs from Odoo's, from what QBO answered (no extra read)."""

from datetime import date

from odoo import models
from odoo.tools import format_date
from odoo.tools.misc import formatLang

from ..qbo import errors, query
from ..services.setup import MAPPED_ACCOUNTS
from .qbo_payload import order_date, tax_amount

#: QBO's "Account Period Closed": the document's date is in closed books
PERIOD_CLOSED = "6210"
#: QBO's "Invalid Reference Id": what the document refers to is unknown or inactive
INVALID_REFERENCE = "2500"
#: QBO's "Business Validation Error"
BUSINESS_RULE = "6000"


class QboPushDiagnose(models.AbstractModel):
    _inherit = "qbo.push"

    def _error_message(self, error, order):
        """What to tell the user about a QBO error (never a traceback)."""
        document = order._qbo_document_label()
        if isinstance(error, errors.ReconnectRequired):
            return order._qbo_connection()._qbo_reconnect_message()
        if isinstance(error, (errors.AuthenticationError, errors.AuthorizationError)):
            return self.env._(
                "QuickBooks Online refused access (%(error)s). Check the connection.",
                error=str(error),
            )
        if isinstance(error, errors.ThrottledError):
            return self.env._(
                "QuickBooks Online is busy (too many requests). Push again in a minute."
            )
        if error.retryable:
            return self.env._(
                "QuickBooks Online did not answer (%(error)s). Push again later: QuickBooks "
                "is checked for this %(document)s first, so no second %(document)s is created.",
                error=str(error),
                document=document,
            )
        if diagnosis := self._diagnose(order._qbo_connection(), error, order):
            return diagnosis
        if isinstance(error, errors.ObjectNotFoundError):
            return self.env._(
                "Something this %(document)s refers to is inactive or deleted in "
                "QuickBooks Online: %(error)s",
                document=document,
                error=str(error),
            )
        return self.env._(
            "QuickBooks Online refused the %(document)s: %(error)s",
            document=document,
            error=str(error),
        )

    def _diagnose(self, connection, error, order=None):
        """A message naming the cause of ``error``, or ``None`` to keep QBO's words.

        :param connection: the ``qbo.connection`` the request went through
        :param order: the order whose document QBO refused (``None`` for its items/contact)
        """
        if not isinstance(error, errors.ValidationError):
            return None
        if error.code == PERIOD_CLOSED and order:
            return self._closed_books_message(connection, order)
        if error.code == BUSINESS_RULE and error.element == "ItemRef" and order:
            return self._item_side_message(order, error)
        refused_reference = (
            isinstance(error, errors.ObjectNotFoundError) and not error.deleted
        ) or error.code == INVALID_REFERENCE
        if refused_reference:
            return self._inactive_accounts_message(connection)
        return None

    def _closed_books_message(self, connection, order):
        try:
            prefs = connection._qbo_client().preferences()
            closed = (prefs.get("AccountingInfoPrefs") or {}).get("BookCloseDate")
        except errors.QboError:
            closed = None
        values = {
            "document": order._qbo_document_label(),
            "txn_date": format_date(self.env, order_date(order)),
        }
        if not closed:
            return self.env._(
                "The QuickBooks books are closed for the date of this %(document)s "
                "(%(txn_date)s). Change the closing date in QuickBooks (Settings > Account "
                "and settings > Advanced > Accounting), then push again.",
                **values,
            )
        return self.env._(
            "The QuickBooks books are closed up to %(closed)s and this %(document)s is dated "
            "%(txn_date)s. Move the closing date back in QuickBooks (Settings > Account and "
            "settings > Advanced > Accounting), then push again.",
            closed=format_date(self.env, date.fromisoformat(closed[:10])),
            **values,
        )

    def _item_side_message(self, order, error):
        """An item refused on this side: most likely made while only the other side was synced
        (the items the push creates carry the accounts of the sides synced at that time)."""
        if order._qbo_entity == "Invoice":
            return self.env._(
                "QuickBooks refused an item of this invoice: %(error)s Items created while only "
                "purchase orders were synced have no income account. In QuickBooks, edit the "
                'item, tick "I sell this product/service to my customers" and choose an '
                "income account, then push again.",
                error=error.detail,
            )
        return self.env._(
            "QuickBooks refused an item of this bill: %(error)s Items created while only sales "
            "orders were synced have no expense account. In QuickBooks, edit the item, tick "
            '"I purchase this product/service from a vendor" and choose an expense account, '
            "then push again.",
            error=error.detail,
        )

    def _inactive_accounts_message(self, connection):
        """Name the mapped accounts QBO no longer lists as active (None when all are)."""
        mapped = {name: connection[name] for name in MAPPED_ACCOUNTS if connection[name]}
        ids = sorted({account.qbo_id for account in mapped.values()})
        if not ids:
            return None
        try:
            active = {
                row["Id"]
                for row in connection._qbo_client().query_all(
                    "Account", f"Id IN {query.in_list(ids)}"
                )
            }
        except errors.QboError:
            return None
        gone = [
            self.env._(
                "%(account)s (%(role)s)",
                account=account.name,
                role=connection._fields[name]._description_string(self.env),
            )
            for name, account in mapped.items()
            if account.qbo_id not in active
        ]
        if not gone:
            return None
        return self.env._(
            "These accounts of the QuickBooks Online setup are inactive or deleted in "
            "QuickBooks: %(accounts)s. Make them active again in QuickBooks, or map other "
            "accounts in the QuickBooks Online setup, then push again.",
            accounts=", ".join(gone),
        )

    def _tax_warning(self, order, qbo_total, qbo_tax_detail):
        """Why QBO's sales tax on a US invoice differs from Odoo's (``None`` if it doesn't).

        :param qbo_tax_detail: the ``TxnTaxDetail`` QBO answered with
        """
        connection = order._qbo_connection()
        if not connection.is_us or order._qbo_entity != "Invoice" or not qbo_tax_detail:
            return None
        lines = self._product_lines(order)
        currency = order.currency_id
        odoo_tax = tax_amount(lines)
        qbo_tax = qbo_tax_detail.get("TotalTax") or 0.0
        if not currency.compare_amounts(qbo_tax, odoo_tax):
            return None
        amounts = {
            key: formatLang(self.env, value, currency_obj=currency)
            for key, value in (
                ("qbo_tax", qbo_tax),
                ("odoo_tax", odoo_tax),
                ("qbo", qbo_total),
                ("odoo", order.amount_total),
            )
        }
        if connection.automated_sales_tax or self._turned_automated(connection):
            return self.env._(
                "QuickBooks computed %(qbo_tax)s sales tax for the ship-to address; Odoo "
                "computed %(odoo_tax)s (totals: QuickBooks %(qbo)s, Odoo %(odoo)s). Check the "
                "order's delivery address (street, city, state, ZIP) and that QuickBooks "
                "collects sales tax in that state (Taxes > Sales tax settings), or the tax "
                "rates in Odoo; then correct the tax on the QuickBooks invoice.",
                **amounts,
            )
        # The preflight lets through only invoices whose taxes map to one rate group.
        groups = lines.filtered("tax_ids").tax_ids.qbo_tax_code_id
        return self.env._(
            "QuickBooks' rate group %(group)s charged %(qbo_tax)s sales tax; Odoo computed "
            "%(odoo_tax)s (totals: QuickBooks %(qbo)s, Odoo %(odoo)s). The rates differ: make "
            "the Odoo tax's rate match the group's, then correct the tax on the QuickBooks "
            "invoice.",
            group=groups.name,
            **amounts,
        )

    def _turned_automated(self, connection):
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
