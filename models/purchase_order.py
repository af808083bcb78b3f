from odoo import fields, models


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "qbo.document.mixin"]
    _qbo_kind = "bill"
    _qbo_entity = "Bill"
    _qbo_party_entity = "Vendor"
    _qbo_qty_field = "product_qty"
    _qbo_sync_field = "sync_purchases"

    qbo_status = fields.Selection(
        [
            ("not_pushed", "Not billed"),
            ("queued", "Queued"),
            ("created", "Bill created"),
            ("voided", "Bill voided"),
            ("error", "Error"),
        ],
        string="QuickBooks Bill",
    )

    def button_cancel(self):
        """Cancel, then void the QuickBooks document (refused when it has a payment)."""
        with self._qbo_cancel_flow():
            result = super().button_cancel()
        self._qbo_withdraw_on_cancel()
        return result

    def _qbo_is_confirmed(self):
        return self.state == "purchase"

    def _qbo_party(self):
        return self.partner_id.commercial_partner_id

    def _qbo_header(self, connection):
        """The mapped accounts-payable account.

        A QBO Bill has no address of its own (QBO refuses ``VendorAddr`` there with
        fault 2010): the vendor's address is the one of the QBO vendor.
        """
        return {"APAccountRef": {"value": connection.payable_account_id.qbo_id}}

    def _qbo_item_line(self, line, amount, qty, unit_price, item_id, tax_code):
        detail = {"ItemRef": {"value": item_id}, "Qty": qty, "UnitPrice": unit_price}
        if tax_code:
            detail["TaxCodeRef"] = {"value": tax_code}
        return {
            "DetailType": "ItemBasedExpenseLineDetail",
            "Amount": amount,
            "Description": line.name,
            "ItemBasedExpenseLineDetail": detail,
        }

    def _qbo_text_line(self, text):
        """Bills have no description-only lines: sections and notes are not sent."""
        return None
