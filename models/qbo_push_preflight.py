from odoo import models

from .qbo_payload import DOC_NUMBER_MAX, SKU_MAX


class QboPushPreflight(models.AbstractModel):
    """Checks run before any API call; each failure is a sentence for the user."""

    _inherit = "qbo.push"

    def _preflight_connection(self, connection, model):
        """Why no order of ``model`` can be pushed through ``connection`` (or ``None``)."""
        if not connection or connection.state == "not_connected":
            return self.env._(
                "QuickBooks Online is not connected for this company. A QuickBooks "
                "administrator must connect it first; nothing was sent."
            )
        if connection.state == "reconnect":
            return self.env._(
                "The QuickBooks Online connection needs to be reconnected (QuickBooks "
                "asked to sign in again). Reconnect it, then push again; nothing was sent."
            )
        if not connection.setup_done:
            return self.env._("The QuickBooks Online setup is not finished; nothing was sent.")
        if endpoint_error := connection._qbo_endpoint_error():
            return self.env._("%(error)s Nothing was sent.", error=endpoint_error)
        orders = self.env[model]
        if not connection[orders._qbo_sync_field]:
            if orders._qbo_entity == "Invoice":
                return self.env._(
                    "Sending sales orders to QuickBooks Online is turned off in the setup."
                )
            return self.env._(
                "Sending purchase orders to QuickBooks Online is turned off in the setup."
            )
        if missing := connection._qbo_missing_accounts():
            return self.env._(
                "Choose these accounts in the QuickBooks Online setup first: %(accounts)s.",
                accounts=", ".join(missing),
            )
        return None

    def _preflight(self, order, connection):
        """Messages telling why ``order`` can't be pushed (empty when it can)."""
        messages = []
        if not order._qbo_is_confirmed():
            messages.append(self.env._("Only confirmed orders can be sent to QuickBooks Online."))
        lines = self._product_lines(order)
        if not lines:
            messages.append(self.env._("The order has no product line to send."))
        products = lines.product_id
        no_sku = products.filtered(lambda p: not p.default_code)
        if no_sku:
            messages.append(
                self.env._(
                    "Give these products an internal reference (it is their SKU in "
                    "QuickBooks): %(products)s.",
                    products=_names(no_sku),
                )
            )
        long_sku = products.filtered(lambda p: len(p.default_code or "") > SKU_MAX)
        if long_sku:
            messages.append(
                self.env._(
                    "These internal references are longer than QuickBooks' %(max)s "
                    "characters: %(products)s.",
                    max=SKU_MAX,
                    products=_names(long_sku),
                )
            )
        archived = products.filtered(lambda p: not p.active or not p.product_tmpl_id.active)
        if archived:
            messages.append(
                self.env._("These products are archived: %(products)s.", products=_names(archived))
            )
        messages += self._preflight_duplicate_skus(order, products)
        messages += self._preflight_taxes(order, connection, lines)
        if connection.custom_txn_numbers and len(order.name) > DOC_NUMBER_MAX:
            messages.append(
                self.env._(
                    "The order number %(name)s is longer than the %(max)s characters "
                    "QuickBooks allows for document numbers.",
                    name=order.name,
                    max=DOC_NUMBER_MAX,
                )
            )
        currency = order.currency_id.name
        if currency != connection.qbo_currency and not connection.multi_currency:
            messages.append(
                self.env._(
                    "The order is in %(currency)s but the QuickBooks company works in "
                    "%(home)s only (multi-currency is off in QuickBooks).",
                    currency=currency,
                    home=connection.qbo_currency,
                )
            )
        if order.currency_id.compare_amounts(order.amount_total, 0) < 0:
            messages.append(
                self.env._("QuickBooks Online can't take a document with a negative total.")
            )
        return messages

    def _preflight_duplicate_skus(self, order, products):
        by_sku = products.filtered("default_code").grouped(lambda p: p.default_code.casefold())
        return [
            self.env._(
                "Several products share the internal reference %(sku)s: %(products)s.",
                sku=same[0].default_code,
                products=_names(same),
            )
            for same in by_sku.values()
            if len(same) > 1
        ]

    def _preflight_taxes(self, order, connection, lines):
        """Every tax on the lines maps to an active QBO code of this QBO company, where the
        connection maps taxes of the order's side (see ``_qbo_mapped_tax_uses``). Non-US:
        a tax on every line, one code per line, allowed on this side. US rate groups: one
        group per invoice."""
        use = "sale" if order._qbo_entity == "Invoice" else "purchase"
        if use not in connection._qbo_mapped_tax_uses():
            return []
        messages = []
        untaxed = lines.filtered(lambda line: not line.tax_ids)
        if untaxed and not connection.is_us:
            messages.append(
                self.env._(
                    "QuickBooks needs a tax on every line; these lines have none: %(lines)s.",
                    lines=_names(untaxed.product_id),
                )
            )
        taxes = lines.tax_ids
        unmapped = taxes.filtered(lambda t: not t.qbo_tax_code_id)
        if unmapped and connection.is_us:
            messages.append(
                self.env._(
                    "Map these taxes to QuickBooks rate groups in the QuickBooks setup "
                    "(QuickBooks would charge no sales tax for them): %(taxes)s.",
                    taxes=_names(unmapped),
                )
            )
        elif unmapped:
            messages.append(
                self.env._(
                    "Map these taxes to QuickBooks tax codes in the QuickBooks setup: %(taxes)s.",
                    taxes=_names(unmapped),
                )
            )
        codes = taxes.qbo_tax_code_id
        foreign = codes.filtered(lambda c: c.connection_id != connection or not c.active)
        if foreign:
            messages.append(
                self.env._(
                    "These QuickBooks tax codes are inactive or belong to another QuickBooks "
                    "company: %(codes)s.",
                    codes=_names(foreign),
                )
            )
        sales = order._qbo_entity == "Invoice"
        wrong_side = codes.filtered(
            lambda c: (
                (c.for_purchases and not c.for_sales)
                if sales
                else (c.for_sales and not c.for_purchases)
            )
        )
        if wrong_side:
            messages.append(
                self.env._(
                    "These QuickBooks tax codes can't be used on %(side)s: %(codes)s.",
                    side=self.env._("sales") if sales else self.env._("purchases"),
                    codes=_names(wrong_side),
                )
            )
        if connection.is_us and len(codes) > 1:
            messages.append(
                self.env._(
                    "The taxes of this order are mapped to several QuickBooks rate groups "
                    "(%(groups)s); a QuickBooks invoice charges one. Put the lines of each "
                    "rate group on an order of their own.",
                    groups=_names(codes),
                )
            )
        mixed = lines.filtered(lambda line: len(line.tax_ids.qbo_tax_code_id) > 1)
        if mixed and not connection.is_us:
            messages.append(
                self.env._(
                    "These lines have taxes mapped to different QuickBooks tax codes; "
                    "QuickBooks takes one code per line: %(lines)s.",
                    lines=_names(mixed.product_id),
                )
            )
        return messages


def _names(records):
    return ", ".join(records.mapped("display_name"))
