"""The push's first step: what stops an order before any API call, in the user's words."""

from .payload import DOC_NUMBER_MAX, SKU_MAX, is_delivery, item_products, product_lines


def connection_blocker(env, connection, kind):
    """Why no order of ``model`` can be pushed through ``connection`` (or ``None``)."""
    if not connection or connection.state == "not_connected":
        return env._(
            "QuickBooks Online is not connected for this company. A QuickBooks "
            "administrator must connect it first; nothing was sent."
        )
    if connection.state == "reconnect":
        return env._("%(reason)s Nothing was sent.", reason=connection._qbo_reconnect_message())
    if not connection.setup_done:
        return env._("The QuickBooks Online setup is not finished; nothing was sent.")
    if endpoint_error := connection._qbo_endpoint_error():
        return env._("%(error)s Nothing was sent.", error=endpoint_error)
    if not connection[kind.sync_field]:
        return kind.turned_off(env)
    if missing := connection._qbo_missing_accounts():
        return env._(
            "Choose these accounts in the QuickBooks Online setup first: %(accounts)s.",
            accounts=", ".join(missing),
        )
    return None


def order_messages(order, connection):
    """Messages telling why ``order`` can't be pushed (empty when it can)."""
    env, kind = order.env, order._qbo_kind()
    messages = []
    if not kind.is_confirmed(order):
        messages.append(env._("Only confirmed orders can be sent to QuickBooks Online."))
    lines = product_lines(order)
    if not lines:
        messages.append(env._("The order has no product line to send."))
    messages += _shipping(order, connection, lines)
    # a delivery line's own product is never an item in QBO (see payload.item_product)
    products = item_products(order, connection)
    no_sku = products.filtered(lambda p: not p.default_code)
    if no_sku:
        messages.append(
            env._(
                "Give these products an internal reference (it is their SKU in "
                "QuickBooks): %(products)s.",
                products=_names(no_sku),
            )
        )
    long_sku = products.filtered(lambda p: len(p.default_code or "") > SKU_MAX)
    if long_sku:
        messages.append(
            env._(
                "These internal references are longer than QuickBooks' %(max)s "
                "characters: %(products)s.",
                max=SKU_MAX,
                products=_names(long_sku),
            )
        )
    archived = products.filtered(lambda p: not p.active or not p.product_tmpl_id.active)
    if archived:
        messages.append(
            env._("These products are archived: %(products)s.", products=_names(archived))
        )
    messages += kind.blockers(order)
    messages += _duplicate_skus(env, products)
    messages += _taxes(order, connection, lines)
    if connection.custom_txn_numbers and len(order.name) > DOC_NUMBER_MAX:
        messages.append(
            env._(
                "The order number %(name)s is longer than the %(max)s characters "
                "QuickBooks allows for document numbers.",
                name=order.name,
                max=DOC_NUMBER_MAX,
            )
        )
    currency = order.currency_id.name
    if currency != connection.qbo_currency and not connection.multi_currency:
        messages.append(
            env._(
                "The order is in %(currency)s but the QuickBooks company works in "
                "%(home)s only (multi-currency is off in QuickBooks).",
                currency=currency,
                home=connection.qbo_currency,
            )
        )
    if order.currency_id.compare_amounts(order.amount_total, 0) < 0:
        messages.append(env._("QuickBooks Online can't take a document with a negative total."))
    return messages


def _shipping(order, connection, lines):
    """A delivery line needs QBO's Shipping preference or the setup's shipping item."""
    env = order.env
    if connection.allow_shipping or connection.shipping_product_id:
        return []
    delivery = lines.filtered(is_delivery)
    if not delivery:
        return []
    return [
        env._(
            "The order charges delivery (%(products)s) but QuickBooks can't take it yet: "
            "turn on Shipping in QuickBooks (Settings > Account and settings > Sales > "
            "Sales form content), or choose a shipping item in the QuickBooks Online setup, "
            "ledger step.",
            products=_names(delivery.product_id),
        )
    ]


def _duplicate_skus(env, products):
    by_sku = products.filtered("default_code").grouped(lambda p: p.default_code.casefold())
    return [
        env._(
            "Several products share the internal reference %(sku)s: %(products)s.",
            sku=same[0].default_code,
            products=_names(same),
        )
        for same in by_sku.values()
        if len(same) > 1
    ]


def _taxes(order, connection, lines):
    """Every tax on the lines maps to an active QBO code of this QBO company, where the
    connection maps taxes of the order's side (see ``_qbo_mapped_tax_uses``). Non-US:
    a tax on every line, one code per line, allowed on this side. US rate groups: one
    group per invoice."""
    env, kind = order.env, order._qbo_kind()
    if kind.tax_use not in connection._qbo_mapped_tax_uses():
        return []
    messages = []
    untaxed = lines.filtered(lambda line: not line.tax_ids)
    if untaxed and not connection.is_us:
        messages.append(
            env._(
                "QuickBooks needs a tax on every line; these lines have none: %(lines)s.",
                lines=_names(untaxed.product_id),
            )
        )
    taxes = lines.tax_ids
    unmapped = taxes.filtered(lambda t: not t.qbo_tax_code_id)
    if unmapped and connection.is_us:
        messages.append(
            env._(
                "Map these taxes to QuickBooks rate groups in the QuickBooks setup "
                "(QuickBooks would charge no sales tax for them): %(taxes)s.",
                taxes=_names(unmapped),
            )
        )
    elif unmapped:
        messages.append(
            env._(
                "Map these taxes to QuickBooks tax codes in the QuickBooks setup: %(taxes)s.",
                taxes=_names(unmapped),
            )
        )
    codes = taxes.qbo_tax_code_id
    foreign = codes.filtered(lambda c: c.connection_id != connection or not c.active)
    if foreign:
        messages.append(
            env._(
                "These QuickBooks tax codes are inactive or belong to another QuickBooks "
                "company: %(codes)s.",
                codes=_names(foreign),
            )
        )
    wrong_side = codes.filtered(lambda c: not kind.tax_code_fits(c))
    if wrong_side:
        messages.append(
            env._(
                "These QuickBooks tax codes can't be used on %(side)s: %(codes)s.",
                side=kind.side_label(env),
                codes=_names(wrong_side),
            )
        )
    if connection.is_us and len(codes) > 1:
        messages.append(
            env._(
                "The taxes of this order are mapped to several QuickBooks rate groups "
                "(%(groups)s); a QuickBooks invoice charges one. Put the lines of each "
                "rate group on an order of their own.",
                groups=_names(codes),
            )
        )
    mixed = lines.filtered(lambda line: len(line.tax_ids.qbo_tax_code_id) > 1)
    if mixed and not connection.is_us:
        messages.append(
            env._(
                "These lines have taxes mapped to different QuickBooks tax codes; "
                "QuickBooks takes one code per line: %(lines)s.",
                lines=_names(mixed.product_id),
            )
        )
    return messages


def _names(records):
    return ", ".join(records.mapped("display_name"))
