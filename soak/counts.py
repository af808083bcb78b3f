"""What a scenario left behind, counted from the sandbox's store and the Odoo database.

Per order (by name): its QBO documents are the store's invoices whose PrivateNote (or
DocNumber) is the order's name.

- **duplicates**: documents beyond the first of an order;
- **lost**: an order Odoo calls created whose document QBO lacks, or an order that does not
  link (``qbo_txn_id``) to the one document QBO holds for it;
- **stuck**: orders still queued (or never sent) at the deadline;
- **failed**: orders in error, without a document (a visible failure, not a loss).

The driver adds the errors users got back (``user_errors``) and the errors the servers
logged (``log_errors``); both fail the scenario, like duplicates, lost and stuck orders.
"""

import psycopg2

COLUMNS = (
    ("scenario", 24),
    ("orders", 6),
    ("QBO docs", 8),
    ("dupl.", 5),
    ("lost", 4),
    ("stuck", 5),
    ("failed", 6),
    ("refresh", 7),
    ("user err.", 9),
    ("log err.", 8),
    ("seconds", 7),
)
FAILING = ("duplicates", "lost", "stuck", "user_errors", "log_errors")


def order_states(db, names):
    """``{name: (qbo_status, qbo_txn_id, qbo_error)}`` read from the database."""
    with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
        cr.execute(
            "SELECT name, qbo_status, qbo_txn_id, qbo_error FROM sale_order WHERE name = ANY(%s)",
            [list(names)],
        )
        return {name: (status, txn, error) for name, status, txn, error in cr.fetchall()}


def documents_by_order(invoices, names):
    wanted = set(names)
    docs = {name: [] for name in names}
    for invoice in invoices:
        key = (invoice.get("PrivateNote") or "").strip()
        if key not in wanted:
            key = invoice.get("DocNumber")
        if key in wanted:
            docs[key].append(invoice["Id"])
    return docs


def count(db, sandbox, names, pending=("queued", "not_pushed")):
    """The figures of one scenario over the orders ``names``."""
    states = order_states(db, names)
    docs = documents_by_order(sandbox.store("Invoice"), names)
    figures = {
        "orders": len(names),
        "documents": 0,
        "duplicates": 0,
        "lost": 0,
        "stuck": 0,
        "failed": 0,
        "problems": [],
    }
    for name in names:
        status, txn, error = states.get(name, ("missing", None, None))
        said = f" ({' '.join(error.split())[:160]})" if error else ""
        found = docs[name]
        figures["documents"] += len(found)
        if len(found) > 1:
            figures["duplicates"] += len(found) - 1
            figures["problems"].append(f"{name}: {len(found)} documents {found} (linked: {txn})")
        if status in pending:
            figures["stuck"] += 1
            figures["problems"].append(f"{name}: still {status}")
        elif (status == "created" and txn not in found) or (found and txn not in found):
            figures["lost"] += 1
            figures["problems"].append(
                f"{name}: {status}, linked to {txn}, QBO holds {found}{said}"
            )
        elif status == "error" and not found:
            figures["failed"] += 1
    return figures


def header():
    return " | ".join(title.ljust(width) for title, width in COLUMNS)


def row(scenario, figures):
    values = (
        scenario,
        figures["orders"],
        figures["documents"],
        figures["duplicates"],
        figures["lost"],
        figures["stuck"],
        figures["failed"],
        figures["refreshes"],
        figures["user_errors"],
        figures["log_errors"],
        f"{figures['seconds']:.0f}",
    )
    return " | ".join(
        str(v).ljust(width) for v, (_title, width) in zip(values, COLUMNS, strict=True)
    )


def failed(figures):
    """Duplicates, lost or stuck orders, errors users got or servers logged, a broken token."""
    return any(figures[name] for name in FAILING) or bool(figures.get("token_broken"))


def summary(figures):
    """``"0 duplicates, 0 lost, 0 stuck, 0 user errors, 0 log errors"``."""
    return ", ".join(f"{figures[name]} {name.replace('_', ' ')}" for name in FAILING)
