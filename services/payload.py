"""The QBO document of an order (the *build* step of the push), and the pure helpers
and limits it is made with (no API calls)."""

import re

from odoo import fields

#: QBO's limits (the one place they are written)
DOC_NUMBER_MAX = 21
DISPLAY_NAME_MAX = 500
ITEM_NAME_MAX = 100
SKU_MAX = 100
EMAIL_MAX = 100
#: the ``ItemRef`` of QBO's shipping charge on a sales form (Shipping preference on)
SHIPPING_ITEM = "SHIPPING_ITEM_ID"

_NAME_FORBIDDEN = re.compile(r"[:\t\n\r]+")


def clean_name(name, max_len):
    """A DisplayName/Item Name QBO accepts: no colon, tab or newline, within ``max_len``."""
    return _NAME_FORBIDDEN.sub(" - ", (name or "").strip()).strip()[:max_len].strip()


def email_of(partner):
    """The partner's email when QBO would accept it (contains ``@`` and ``.``), else ``None``."""
    email = (partner.email or "").strip()
    if "@" in email and "." in email and len(email) <= EMAIL_MAX and "," not in email:
        return email
    return None


def address(partner):
    """A QBO PhysicalAddress of ``partner``, or ``None`` when it has no address."""
    values = {
        "Line1": partner.street,
        "Line2": partner.street2,
        "City": partner.city,
        "CountrySubDivisionCode": partner.state_id.code,
        "PostalCode": partner.zip,
        "Country": partner.country_id.name,
    }
    values = {key: value for key, value in values.items() if value}
    return values or None


def order_date(order):
    """The order's date in its responsible user's time zone (stable for button and cron)."""
    tz = order.user_id.tz or order.env.user.tz or "UTC"
    return fields.Datetime.context_timestamp(order.with_context(tz=tz), order.date_order).date()


def line_amounts(amount, qty):
    """``(amount, qty, unit price)`` where ``Amount == Qty × UnitPrice`` to the cent.

    QBO refuses item lines whose amount is not the product of quantity and unit
    price, so the unit price (after discount, tax excluded) is derived from the
    line's amount; when no 5-decimal price hits the amount exactly the amount
    follows the price, and the total check reports any difference.
    """
    amount = round(amount, 2)
    unit_price = round(amount / qty, 5)
    exact = round(qty * unit_price, 2)
    return exact, qty, unit_price


def payment_status(total, balance):
    if total and not balance:
        return "paid"
    if balance and balance < total:
        return "partial"
    return "not_paid"


def tax_amount(lines):
    """Odoo's tax on ``lines`` (order lines), rounded to the order's currency."""
    currency = lines.order_id.currency_id[:1]
    return currency.round(sum(line.price_total - line.price_subtotal for line in lines))


def us_taxable(line):
    """Whether a US invoice line is taxable (``TAX``) in QBO: Odoo charges tax on it.

    A line whose taxes charge nothing (a 0 % exempt tax) goes as ``NON``: a rate group
    or QBO's automated tax would otherwise charge its own rate on it.
    """
    return bool(line.tax_ids) and not line.currency_id.is_zero(
        line.price_total - line.price_subtotal
    )


def us_tax_detail(lines, automated):
    """``TxnTaxDetail`` of a US invoice whose item lines are ``lines`` (``None``: send none).

    With automated sales tax QBO picks the rate from the ship-to address and ignores any
    rate group; only a ``TotalTax`` override is honoured, so Odoo's tax is sent as one.
    Otherwise the rate group the line taxes are mapped to, when they agree on one.
    """
    taxed = lines.filtered(us_taxable)
    if not taxed:
        return None
    if automated:
        return {"TotalTax": tax_amount(lines)}
    groups = taxed.tax_ids.qbo_tax_code_id
    return {"TxnTaxCodeRef": {"value": groups.qbo_id}} if len(groups) == 1 else None


# ---------------------------------------------------------------------- the document
def product_lines(order):
    """Order lines sent as item lines: products with a quantity."""
    kind = order._qbo_kind()
    return order.order_line.filtered(
        lambda line: not line.display_type and line.product_id and kind.qty(line)
    )


def sells_with_delivery(env):
    """Whether sales orders may have delivery lines (the ``delivery`` module is installed)."""
    return "is_delivery" in env["sale.order.line"]._fields


def is_delivery(line):
    """Whether ``line`` is a delivery charge (a carrier line of the ``delivery`` module).

    The addon works without that module: its field is read only where it exists.
    """
    return "is_delivery" in line._fields and line.is_delivery


def item_product(line, connection):
    """The product whose QBO item the order line names (``None``: QBO's shipping charge).

    A delivery line names no item of its own: it is QBO's shipping charge when the
    company's Shipping preference is on, else a line of the shipping item chosen in
    the setup (``connection.shipping_product_id``, empty when none is chosen: the
    preflight stops the order).
    """
    if not is_delivery(line):
        return line.product_id
    return None if connection.allow_shipping else connection.shipping_product_id


def item_products(orders, connection):
    """The products whose QBO items the lines of ``orders`` name."""
    products = orders.env["product.product"]
    for order in orders:
        for line in product_lines(order):
            if product := item_product(line, connection):
                products |= product
    return products


def document(order, connection, party_id, item_ids):
    """The QBO Invoice/Bill of ``order`` with every reference already resolved.

    :param party_id: QBO id of the order's customer/vendor
    :param item_ids: ``{product.product id: QBO item id}``
    """
    kind = order._qbo_kind()
    payload = {
        kind.party_entity + "Ref": {"value": party_id},
        "TxnDate": order_date(order).isoformat(),
        "PrivateNote": order.name,
        "Line": _lines(order, connection, item_ids),
    }
    if connection.custom_txn_numbers:
        payload["DocNumber"] = order.name
    payload.update(kind.header(order, connection))
    if not connection.is_us:
        payload["GlobalTaxCalculation"] = "TaxExcluded"
    elif kind.charges_sales_tax(connection) and (
        detail := us_tax_detail(product_lines(order), connection.automated_sales_tax)
    ):
        payload["TxnTaxDetail"] = detail
    if connection.multi_currency:
        payload["CurrencyRef"] = {"value": order.currency_id.name}
        if order.currency_id.name != connection.qbo_currency:
            payload["ExchangeRate"] = _exchange_rate(connection, order)
    return payload


def _lines(order, connection, item_ids):
    kind = order._qbo_kind()
    gross = kind.gross_amounts(connection)
    result = []
    for line in order.order_line:
        if line.display_type:
            text_line = kind.text_line(line.name) if line.name else None
            if text_line:
                result.append(text_line)
            continue
        qty = kind.qty(line)
        if not line.product_id or not qty:
            continue
        amount, qty, unit_price = line_amounts(
            line.price_total if gross else line.price_subtotal, qty
        )
        tax_code = (
            kind.us_tax_code(us_taxable(line))
            if connection.is_us
            else line.tax_ids.qbo_tax_code_id.qbo_id
        )
        product = item_product(line, connection)
        if product is None:
            result.append(kind.shipping_line(line, amount, tax_code))
        else:
            item_id = item_ids[product.id]
            result.append(kind.item_line(line, amount, qty, unit_price, item_id, tax_code))
    return result


def _exchange_rate(connection, order):
    """Home-currency units for one unit of the order's currency, on the order's date."""
    currencies = order.env["res.currency"]
    home = currencies.with_context(active_test=False).search(
        [("name", "=", connection.qbo_currency)], limit=1
    )
    rate = currencies._get_conversion_rate(
        order.currency_id, home, order.company_id, order_date(order)
    )
    return round(rate, 6)
