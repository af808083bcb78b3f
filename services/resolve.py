"""The push's second step: customers, vendors and items of the pushed orders, linked,
found, or created.

Linked records cost nothing. The others cost one batch of queries (customer
by email, parties by name — the other kinds too, to foresee QBO's 6240 —
items by SKU and by name, and the vendor list when a vendor's email is not
in the cache) and one batch of creates.
"""

import logging

from psycopg2 import errors as pg_errors

from odoo.exceptions import ConcurrencyError
from odoo.tools import mute_logger, split_every

from ..qbo import const, errors, query
from . import keys, sync_log
from .error_words import diagnose
from .payload import (
    DISPLAY_NAME_MAX,
    ITEM_NAME_MAX,
    address,
    clean_name,
    email_of,
    item_products,
)

_logger = logging.getLogger(__name__)

#: values per ``IN (...)`` list of a lookup query
IN_CHUNK = 100
#: suffix of a party whose name QBO already uses for the other kind (6240)
KIND_SUFFIX = {"Customer": " (customer)", "Vendor": " (vendor)"}
OTHER_KINDS = {"Customer": ("Vendor", "Employee"), "Vendor": ("Customer", "Employee")}


class Resolved:
    """QBO ids of the orders' partners and products, and what could not be resolved."""

    def __init__(self):
        self.party_ids = {}  # res.partner id -> QBO id
        self.item_ids = {}  # product.product id -> QBO id
        self.created_items = set()  # product.product ids whose QBO item was created here
        self.failures = {}  # ("party" | "item", record id) -> message


def resolve(run, orders):
    """The QBO ids of ``orders``' customers/vendors and items (a :class:`Resolved`)."""
    connection, env, kind = run.connection, orders.env, run.kind
    entity = kind.party_entity
    resolved = Resolved()
    partners = env["res.partner"]
    for order in orders:
        partners |= kind.party(order)
    products = item_products(orders, connection)
    links = env["qbo.link"].sudo()
    resolved.party_ids = links._get_map(connection, partners, entity)
    resolved.item_ids = links._get_map(connection, products, "Item")
    new_partners = partners.filtered(lambda p: p.id not in resolved.party_ids)
    if entity == "Vendor":
        new_partners = _match_cached_vendors(connection, new_partners, resolved)
    new_products = products.filtered(lambda p: p.id not in resolved.item_ids)
    if not new_partners and not new_products:
        return resolved
    found = _lookup(run, entity, new_partners, new_products)
    to_create = []
    currencies = {kind.party(order).id: order.currency_id.name for order in orders}
    for partner in new_partners:
        qbo_id = _match_party(found, entity, partner)
        if qbo_id:
            resolved.party_ids[partner.id] = qbo_id
        else:
            payload = _party_payload(run, found, entity, partner, currencies)
            to_create.append((partner, entity, payload))
    for product in new_products:
        match = found["sku"].get(product.default_code.casefold())
        if match:
            resolved.item_ids[product.id] = match["Id"]
        else:
            to_create.append((product, "Item", _item_payload(run, found, product)))
    _link(connection, entity, resolved, partners, products)
    if to_create:
        _create_missing(run, to_create, resolved)
        _link(connection, entity, resolved, new_partners, new_products)
    return resolved


def unresolved(orders, resolved, connection):
    """``{order: message}`` of the orders whose customer/vendor or items could not be made."""
    failed = {}
    for order in orders if resolved.failures else ():
        keys = [("party", order._qbo_kind().party(order).id)] + [
            ("item", product.id) for product in item_products(order, connection)
        ]
        messages = [resolved.failures[key] for key in keys if key in resolved.failures]
        if messages:
            failed[order] = "\n".join(dict.fromkeys(messages))
    return failed


# ---------------------------------------------------------------------- lookups
@sync_log.about(source="lookup")
def _lookup(run, entity, partners, products):
    """One batch of queries; returns the rows found, indexed for matching."""
    names = {clean_name(p.name, DISPLAY_NAME_MAX) for p in partners}
    suffixed = {clean_name(p.name + KIND_SUFFIX[entity], DISPLAY_NAME_MAX) for p in partners}
    emails = {email.lower() for p in partners if (email := email_of(p))}
    skus = {p.default_code for p in products}
    item_names = {clean_name(p.name, ITEM_NAME_MAX) for p in products}
    found = {"email": {}, "name": {}, "other_names": set(), "sku": {}, "item_names": {}}
    batch = []

    def add(kind, sql):
        batch.append((kind, {"bId": f"q{len(batch) + 1}", "Query": sql}))

    def add_in(kind, table, field, values):
        for chunk in split_every(IN_CHUNK, sorted(values)):
            where = f"{field} IN {query.in_list(chunk)}"
            add(kind, query.select(table, where, max_results=const.MAX_QUERY_RESULTS))

    # Vendors missing from the cache (see _match_cached_vendors): refresh it, once.
    vendor_list = entity == "Vendor" and bool(emails)
    if vendor_list:
        add("vendors", query.select("Vendor", None, "Id", 1, const.MAX_QUERY_RESULTS))
    elif emails:
        add_in("email", "Customer", "PrimaryEmailAddr", emails)
    add_in("name", entity, "DisplayName", names | suffixed)
    for other in OTHER_KINDS[entity]:
        add_in("other_names", other, "DisplayName", names)
    add_in("sku", "Item", "Sku", skus)
    add_in("item_names", "Item", "Name", item_names)
    if not batch:
        return found
    results = run.client.batch([item for _kind, item in batch])
    vendor_rows = []
    for kind, item in batch:
        result = results[item["bId"]]
        if not result.ok:
            raise result.error
        for row in query.rows(result.data):
            _index_row(found, kind, row, emails)
            if kind == "vendors":
                vendor_rows.append(row)
    if vendor_list:
        vendor_rows += _more_vendors(run, len(vendor_rows))
        run.connection.env["qbo.vendor"].sudo()._replace(run.connection, vendor_rows)
    return found


def _match_cached_vendors(connection, partners, resolved):
    """Resolve vendors by email from the cached vendor list; return the others."""
    cached = (
        connection.env["qbo.vendor"]
        .sudo()
        ._find_by_email(connection, [email for p in partners if (email := email_of(p))])
    )
    rest = partners.browse()
    for partner in partners:
        qbo_id = cached.get((email_of(partner) or "").lower())
        if qbo_id:
            resolved.party_ids[partner.id] = qbo_id
        else:
            rest |= partner
    return rest


def _index_row(found, kind, row, emails):
    if kind in ("email", "vendors"):
        email = ((row.get("PrimaryEmailAddr") or {}).get("Address") or "").lower()
        if email in emails:
            found["email"].setdefault(email, row["Id"])
    elif kind == "name":
        found["name"].setdefault(row["DisplayName"].casefold(), row["Id"])
    elif kind == "other_names":
        found["other_names"].add(row["DisplayName"].casefold())
    elif kind == "sku":
        found["sku"].setdefault((row.get("Sku") or "").casefold(), row)
    elif kind == "item_names":
        found["item_names"][row["Name"].casefold()] = row


@sync_log.about(source="lookup")
def _more_vendors(run, seen):
    """The vendors beyond the first page of the list (companies with over 1,000)."""
    rows = []
    while seen and seen % const.MAX_QUERY_RESULTS == 0:
        sql = query.select("Vendor", None, "Id", seen + 1, const.MAX_QUERY_RESULTS)
        page = query.rows(run.client.query(sql))
        rows += page
        seen = seen + len(page) if page else 0
    return rows


def _match_party(found, entity, partner):
    """Email first, then the display name (as is, then with the kind suffix)."""
    email = email_of(partner)
    if email and email.lower() in found["email"]:
        return found["email"][email.lower()]
    for name in (partner.name, partner.name + KIND_SUFFIX[entity]):
        qbo_id = found["name"].get(clean_name(name, DISPLAY_NAME_MAX).casefold())
        if qbo_id:
            return qbo_id
    return None


# ---------------------------------------------------------------------- creates
def _party_payload(run, found, entity, partner, currencies):
    name = clean_name(partner.name, DISPLAY_NAME_MAX)
    if name.casefold() in found["other_names"]:
        name = clean_name(partner.name + KIND_SUFFIX[entity], DISPLAY_NAME_MAX)
    payload = {"DisplayName": name}
    if partner.is_company:
        payload["CompanyName"] = clean_name(partner.name, 100)
    if email := email_of(partner):
        payload["PrimaryEmailAddr"] = {"Address": email}
    if partner.phone:
        payload["PrimaryPhone"] = {"FreeFormNumber": partner.phone[:30]}
    if addr := address(partner):
        payload["BillAddr"] = addr
    if run.connection.multi_currency:
        payload["CurrencyRef"] = {"value": currencies[partner.id]}
    return payload


def _item_payload(run, found, product):
    """A Service or NonInventory item (QBO must not count stock or COGS itself).

    It gets the accounts of the sides the setup syncs (see
    ``qbo.connection._qbo_required_accounts``): the income account when sales
    orders are synced, the expense account when purchase orders are (see
    ``qbo.connection._qbo_item_expense_account``). QBO requires an income account
    on Service items, so without sales they are created as NonInventory.
    """
    connection = run.connection
    name = clean_name(product.name, ITEM_NAME_MAX)
    taken = found["item_names"].get(name.casefold())
    if taken and (taken.get("Sku") or "").casefold() != product.default_code.casefold():
        name = _sku_name(product)
    required = connection._qbo_required_accounts()
    payload = {"Name": name, "Sku": product.default_code, "Type": "NonInventory"}
    if "income_account_id" in required:
        payload["IncomeAccountRef"] = {"value": connection.income_account_id.qbo_id}
        if product.type == "service":
            payload["Type"] = "Service"
    if expense := connection._qbo_item_expense_account(product):
        payload["ExpenseAccountRef"] = {"value": expense.qbo_id}
    return payload


def _create_missing(run, to_create, resolved):
    """Create parties and items in one batch; a name clash (6240) is retried once
    with a distinguishing name."""
    retry = []
    for records_payloads in (to_create, None):
        batch = records_payloads if records_payloads is not None else retry
        if not batch:
            return
        items = {
            _bid(record): {"bId": _bid(record), "operation": "create", entity: payload}
            for record, entity, payload in batch
        }
        results = run.client.batch(
            list(items.values()), request_id=create_key(run.connection.env, items)
        )
        for record, entity, payload in batch:
            result = results[_bid(record)]
            if result.ok:
                target = resolved.item_ids if entity == "Item" else resolved.party_ids
                target[record.id] = result.data["Id"]
                if entity == "Item":
                    resolved.created_items.add(record.id)
                continue
            if isinstance(result.error, errors.DuplicateNameError) and batch is to_create:
                retry.append((record, entity, _renamed(entity, record, payload)))
                continue
            resolved.failures[_key(record)] = _create_failure(run, entity, record, result)


def _renamed(entity, record, payload):
    if entity == "Item":
        return dict(payload, Name=_sku_name(record))
    return dict(payload, DisplayName=clean_name(record.name + KIND_SUFFIX[entity], 500))


def _create_failure(run, entity, record, result):
    env = record.env
    if diagnosis := diagnose(run.connection, result.error):
        return diagnosis
    return env._(
        "QuickBooks Online refused to create %(what)s %(name)s: %(error)s",
        what=env._("the item") if entity == "Item" else env._("the contact"),
        name=record.display_name,
        error=str(result.error),
    )


def create_key(env, bids):
    """Request id of the batch creating parties and items ``bids``: stable for that set."""
    return keys.request_id(env, *sorted(bids), length=keys.BATCH_ID_LENGTH, prefix="c")


def _link(connection, entity, resolved, partners, products):
    """Store the new links (one search, one create).

    Two pushes of orders of the same new customer may both create its link; the
    second meets the first's on the unique key. It then raises a
    :class:`~odoo.exceptions.ConcurrencyError`: the server runs the request again,
    and the new run finds the link.
    """
    links = connection.env["qbo.link"].sudo()
    known = {
        (link.res_model, link.res_id)
        for link in links.search_fetch(
            [
                ("connection_id", "=", connection.id),
                "|",
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                "&",
                ("res_model", "=", "product.product"),
                ("res_id", "in", products.ids),
                ("qbo_entity", "in", [entity, "Item"]),
            ],
            ["res_model", "res_id"],
        )
    }
    values = [
        {
            "connection_id": connection.id,
            "res_model": record._name,
            "res_id": record.id,
            "qbo_entity": kind,
            "qbo_id": ids[record.id],
            "qbo_created": record.id in resolved.created_items,
        }
        for records, kind, ids in (
            (partners, entity, resolved.party_ids),
            (products, "Item", resolved.item_ids),
        )
        for record in records
        if record.id in ids and (record._name, record.id) not in known
    ]
    if not values:
        return
    try:
        # a clash is expected here, not a "bad query" for the log (as in Odoo's partner merge)
        with mute_logger("odoo.sql_db"), connection.env.cr.savepoint():
            links.create(values)
    except pg_errors.UniqueViolation as error:
        _logger.info("QBO push: links of %s made meanwhile by another push", connection)
        raise ConcurrencyError("QuickBooks Online links made by a concurrent push") from error


def _bid(record):
    return ("i" if record._name == "product.product" else "p") + str(record.id)


def _key(record):
    return ("item" if record._name == "product.product" else "party", record.id)


def _sku_name(product):
    suffix = f" ({clean_name(product.default_code, 40)})"
    return clean_name(product.name, ITEM_NAME_MAX - len(suffix)) + suffix
