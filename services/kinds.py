"""The document kinds: everything that differs between an invoice and a bill.

One object per kind of QBO document an Odoo order becomes. The rest of the
connector asks the order's kind (``order._qbo_kind()``) instead of testing the
entity's name, so a new kind (a credit memo, a vendor credit) is one more class
here and one more entry in :data:`KINDS`.
"""

from .payload import SHIPPING_ITEM, address


class Kind:
    """What one kind of document needs: its QBO entity, header, lines, taxes, words."""

    #: the Odoo model of the orders of this kind
    model = None
    #: QBO entity of the document
    entity = None
    #: QBO name-list entity of the order's partner
    party_entity = None
    #: the kind in QBO's web addresses (``/app/invoice?txnId=``)
    web_kind = None
    #: connection flag turning the push of this kind on
    sync_field = None
    #: order line field holding the quantity sent
    qty_field = None
    #: the order state of a confirmed order
    confirmed_state = None
    #: the side of the taxes of this kind (``account.tax.type_tax_use``)
    tax_use = None
    #: connection's mapped-account fields this kind needs, in the order of the setup screen
    accounts = ()
    #: how a document of this kind is withdrawn when its order is cancelled
    withdraw = None
    #: what tells the records of this kind apart when several kinds share ``model``
    domain = ()

    def label(self, env):
        """The document's name in a sentence: "invoice", "bill"."""
        raise NotImplementedError

    def created_note(self, env):
        """The chatter note's words when the document was created."""
        raise NotImplementedError

    def turned_off(self, env):
        """Why nothing is sent when the setup turned this kind off."""
        raise NotImplementedError

    def side_label(self, env):
        """The tax side in a sentence: "sales", "purchases"."""
        raise NotImplementedError

    def item_side_message(self, env, error):
        """Why QBO refused an item on this side (6000 on ``ItemRef``)."""
        raise NotImplementedError

    def party(self, order):
        """The partner the QBO document is made out to (a ``res.partner``)."""
        return order.partner_id.commercial_partner_id

    def is_confirmed(self, order):
        return order.state == self.confirmed_state

    def qty(self, line):
        return line[self.qty_field]

    def header(self, order, connection):
        """Kind-specific header fields of the QBO document (addresses, accounts)."""
        raise NotImplementedError

    def item_line(self, line, amount, qty, unit_price, item_id, tax_code):
        """A QBO line of the document for the order line ``line``."""
        raise NotImplementedError

    def text_line(self, text):
        """A QBO line for a section or note of the order, or ``None`` to leave it out."""
        return None

    def shipping_line(self, line, amount, tax_code):
        """QBO's shipping charge for the delivery line ``line`` (sales forms only)."""
        raise NotImplementedError

    def gross_amounts(self, connection):
        """Whether lines carry their amount tax included (their tax is part of the cost)."""
        return False

    def us_tax_code(self, taxable):
        """The line's tax code on a US company (``None``: the line names none)."""
        return None

    def charges_sales_tax(self, connection):
        """Whether QBO computes a sales tax on this document (the US invoice)."""
        return False

    def tax_code_fits(self, code):
        """Whether the QBO tax code ``code`` may be used on this side."""
        raise NotImplementedError

    def blockers(self, order):
        """Why ``order`` can't be sent, beyond the checks of every kind (messages)."""
        return []


class InvoiceKind(Kind):
    """A confirmed sales order becomes a QBO Invoice."""

    model = "sale.order"
    entity = "Invoice"
    party_entity = "Customer"
    web_kind = "invoice"
    sync_field = "sync_sales"
    qty_field = "product_uom_qty"
    confirmed_state = "sale"
    tax_use = "sale"
    accounts = ("income_account_id",)
    withdraw = "void"

    def label(self, env):
        return env._("invoice")

    def created_note(self, env):
        return env._("Invoice created in QuickBooks Online")

    def turned_off(self, env):
        return env._("Sending sales orders to QuickBooks Online is turned off in the setup.")

    def side_label(self, env):
        return env._("sales")

    def item_side_message(self, env, error):
        return env._(
            "QuickBooks refused an item of this invoice: %(error)s Items created while only "
            "purchase orders were synced have no income account. In QuickBooks, edit the "
            'item, tick "I sell this product/service to my customers" and choose an '
            "income account, then push again.",
            error=error.detail,
        )

    def header(self, order, connection):
        """Bill-to and ship-to of the order; the QBO customer's own address is left alone."""
        header = {}
        for key, partner in (
            ("BillAddr", order.partner_invoice_id),
            ("ShipAddr", order.partner_shipping_id),
        ):
            if addr := address(partner):
                header[key] = addr
        return header

    def item_line(self, line, amount, qty, unit_price, item_id, tax_code):
        return self._sales_line(
            line,
            amount,
            {
                "ItemRef": {"value": item_id},
                "Qty": qty,
                "UnitPrice": unit_price,
                "TaxCodeRef": {"value": tax_code},
            },
        )

    def shipping_line(self, line, amount, tax_code):
        """The invoice's shipping charge: QBO shows it in the form's Shipping field.

        Its item is QBO's own ``SHIPPING_ITEM_ID``, with no quantity or price.
        """
        detail = {"ItemRef": {"value": SHIPPING_ITEM}, "TaxCodeRef": {"value": tax_code}}
        return self._sales_line(line, amount, detail)

    @staticmethod
    def _sales_line(line, amount, detail):
        return {
            "DetailType": "SalesItemLineDetail",
            "Amount": amount,
            "Description": line.name,
            "SalesItemLineDetail": detail,
        }

    def text_line(self, text):
        """Sections and notes: description-only lines of the invoice."""
        return {"DetailType": "DescriptionOnly", "Description": text, "DescriptionLineDetail": {}}

    def us_tax_code(self, taxable):
        return "TAX" if taxable else "NON"

    def charges_sales_tax(self, connection):
        return connection.is_us

    def tax_code_fits(self, code):
        return not (code.for_purchases and not code.for_sales)


class BillKind(Kind):
    """A confirmed purchase order becomes a QBO Bill."""

    model = "purchase.order"
    entity = "Bill"
    party_entity = "Vendor"
    web_kind = "bill"
    sync_field = "sync_purchases"
    qty_field = "product_qty"
    confirmed_state = "purchase"
    tax_use = "purchase"
    accounts = ("purchase_account_id", "payable_account_id")
    #: QBO's API offers no void for bills
    withdraw = "delete"

    def label(self, env):
        return env._("bill")

    def created_note(self, env):
        return env._("Bill created in QuickBooks Online")

    def turned_off(self, env):
        return env._("Sending purchase orders to QuickBooks Online is turned off in the setup.")

    def side_label(self, env):
        return env._("purchases")

    def item_side_message(self, env, error):
        return env._(
            "QuickBooks refused an item of this bill: %(error)s Items created while only sales "
            "orders were synced have no expense account. In QuickBooks, edit the item, tick "
            '"I purchase this product/service from a vendor" and choose an expense account, '
            "then push again.",
            error=error.detail,
        )

    def header(self, order, connection):
        """The mapped accounts-payable account.

        A QBO Bill has no address of its own (QBO refuses ``VendorAddr`` there with
        fault 2010): the vendor's address is the one of the QBO vendor.
        """
        return {"APAccountRef": {"value": connection.payable_account_id.qbo_id}}

    def item_line(self, line, amount, qty, unit_price, item_id, tax_code):
        detail = {"ItemRef": {"value": item_id}, "Qty": qty, "UnitPrice": unit_price}
        if tax_code:
            detail["TaxCodeRef"] = {"value": tax_code}
        return {
            "DetailType": "ItemBasedExpenseLineDetail",
            "Amount": amount,
            "Description": line.name,
            "ItemBasedExpenseLineDetail": detail,
        }

    def gross_amounts(self, connection):
        """US bills carry no tax in QBO: the vendor's tax is part of the cost."""
        return connection.is_us

    def tax_code_fits(self, code):
        return not (code.for_sales and not code.for_purchases)


class _ReturnKind:
    """A credit for goods returned after the order's document (``qbo.return``).

    Mixed into the kind of the order's document: same party, lines, taxes and
    accounts; only the entity and the words differ. The return must follow the
    order's document in QBO.
    """

    model = "qbo.return"
    qty_field = "quantity"
    confirmed_state = "done"
    withdraw = "delete"
    #: the ``qbo.return.return_type`` of this kind
    return_type = None

    @property
    def domain(self):
        return (("return_type", "=", self.return_type),)

    def blockers(self, order):
        source = order.source_order()
        if source.qbo_status == "created":
            return []
        env = order.env
        return [
            env._(
                "The %(document)s of %(order)s is not in QuickBooks Online: the %(credit)s "
                "credits returned goods of a %(document)s there.",
                document=source._qbo_kind().label(env),
                order=source.display_name,
                credit=self.label(env),
            )
        ]


class CreditMemoKind(_ReturnKind, InvoiceKind):
    """Goods a customer returned after the invoice become a QBO CreditMemo."""

    entity = "CreditMemo"
    web_kind = "creditmemo"
    return_type = "credit_memo"

    def label(self, env):
        return env._("credit memo")

    def created_note(self, env):
        return env._("Credit memo created in QuickBooks Online")

    def text_line(self, text):
        return None


class VendorCreditKind(_ReturnKind, BillKind):
    """Goods returned to a vendor after the bill become a QBO VendorCredit."""

    entity = "VendorCredit"
    web_kind = "vendorcredit"
    return_type = "vendor_credit"

    def label(self, env):
        return env._("vendor credit")

    def created_note(self, env):
        return env._("Vendor credit created in QuickBooks Online")


#: the kinds, in the order of the setup screen
KINDS = (InvoiceKind(), BillKind())
_BY_MODEL = {kind.model: kind for kind in KINDS}
#: the credits for returned goods, by ``qbo.return.return_type``
RETURN_KINDS = {kind.return_type: kind for kind in (CreditMemoKind(), VendorCreditKind())}
#: every kind the background push sends
PUSHED_KINDS = KINDS + tuple(RETURN_KINDS.values())


def kind_of(model_name):
    """The kind of the orders of ``model_name`` (``None`` for a model that has none)."""
    return _BY_MODEL.get(model_name)


def required_accounts(config):
    """The mapped-account fields the kinds ``config`` syncs need, in the setup's order.

    :param config: a connection, or a setup wizard holding unsaved choices
    """
    return [name for kind in KINDS if config[kind.sync_field] for name in kind.accounts]
