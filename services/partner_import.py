"""Import QBO customers and vendors as partners, page by page, never twice.

A QBO customer or vendor is matched to an Odoo partner by the stored link
(``qbo.link``), then by email, then by name; only unmatched ones are created.
Small lists are imported at once from the wizard; larger ones by a cron that
commits after every page, so the wizard can show the progress. The progress is
kept on the connection (``import_*`` fields).
"""

import logging

from odoo.tools import SQL

from ..qbo import errors, query
from . import sync_log
from .company import country_alpha2
from .cron import CronRun
from .setup import user_error

_logger = logging.getLogger(__name__)

#: (QBO entity, partner rank field, done counter, total counter), imported in this order
IMPORT_STEPS = (
    ("Customer", "customer_rank", "import_customers_done", "import_customers_total"),
    ("Vendor", "supplier_rank", "import_vendors_done", "import_vendors_total"),
)
#: the counters of the import's progress
PROGRESS_FIELDS = tuple(name for step in IMPORT_STEPS for name in step[2:])
#: QBO's largest page; ``quickbooks_online.import_page_size`` may lower it.
DEFAULT_PAGE_SIZE = 1000
#: the cron that imports the lists too long for one page
IMPORT_CRON = "quickbooks_online.ir_cron_qbo_import_partners"


def page_size(env):
    param = env["ir.config_parameter"].sudo().get_param("quickbooks_online.import_page_size")
    return max(1, min(int(param or DEFAULT_PAGE_SIZE), DEFAULT_PAGE_SIZE))


@sync_log.about(source="import")
def start(connection):
    """Count what is to import; import it now when it fits one page, else in the background.

    :return: True when the import finished now.
    """
    connection.ensure_one()
    client = connection._qbo_client()
    try:
        totals = {total: client.count(entity) for entity, _r, _d, total in IMPORT_STEPS}
    except errors.QboError as error:
        raise user_error(connection, error) from None
    connection.sudo().write(
        dict(
            totals,
            import_state="running",
            import_customers_done=0,
            import_vendors_done=0,
            import_created=0,
            import_linked=0,
            import_error=False,
        )
    )
    size = page_size(connection.env)
    if all(count <= size for count in totals.values()):
        while _next_page(connection, client, size, interactive=True):
            pass
        return True
    connection.env.ref(IMPORT_CRON)._trigger()
    return False


def run_cron(env):
    """Run the pending imports page by page (:class:`~.cron.CronRun`): the backlog is every
    row still to import; QBO's throttle ends the run until its ``Retry-After``."""
    connections = env["qbo.connection"].sudo().search([("import_state", "=", "running")])
    run = CronRun(env, IMPORT_CRON)
    run.start(sum(_rows_left(connection) for connection in connections))
    size = page_size(env)
    for connection in connections:
        client = connection._qbo_client()
        while True:
            try:
                processed = _next_page(connection, client, size)
            except errors.ThrottledError as error:
                _logger.info(
                    "QuickBooks partner import of connection %s throttled: %s", connection.id, error
                )
                run.wait(error.wait_seconds)
                return
            if not run.step(processed) or not processed:
                break
        if run.stopped:
            return


def progress(connection):
    """How much of the import is done, in percent."""
    total = sum(connection[total] for _e, _r, _d, total in IMPORT_STEPS)
    done = sum(connection[done] for _e, _r, done, _t in IMPORT_STEPS)
    return 100.0 * done / total if total else 0.0


def _rows_left(connection):
    return sum(max(connection[total] - connection[done], 0) for _e, _r, done, total in IMPORT_STEPS)


@sync_log.about(source="import")
def _next_page(connection, client, size, interactive=False):
    """Import the next page; return how many QBO rows it held (0: nothing left).

    A failure ends the import (its message is shown on the connection), except QBO's
    throttle in the background, raised for the cron to wait; on a setup screen every
    failure is raised in the user's words.
    """
    for entity, rank_field, done_field, total_field in IMPORT_STEPS:
        done = connection[done_field]
        if done >= connection[total_field]:
            continue
        sql = query.select(entity, None, "Id", done + 1, size)
        try:
            rows = query.rows(client.query(sql))
        except errors.QboError as error:
            if isinstance(error, errors.ThrottledError) and not interactive:
                raise
            connection.sudo().write({"import_state": "failed", "import_error": str(error)})
            if interactive:
                raise user_error(connection, error) from None
            return 0
        created, linked = _link_or_create(connection, entity, rank_field, rows)
        # A short page means the end, whatever was counted at the start.
        done = done + len(rows) if len(rows) == size else connection[total_field]
        connection.sudo().write(
            {
                done_field: done,
                "import_created": connection.import_created + created,
                "import_linked": connection.import_linked + linked,
            }
        )
        return max(len(rows), 1)
    connection.sudo().import_state = "done"
    return 0


def _link_or_create(connection, entity, rank_field, rows):
    """Link or create a partner for each QBO row; return (created, newly linked)."""
    Link = connection.env["qbo.link"].sudo()
    Partner = connection.env["res.partner"]
    linked_ids = set(
        Link._find_records(connection, "res.partner", entity, [row["Id"] for row in rows])
    )
    rows = [row for row in rows if str(row["Id"]) not in linked_ids]
    if not rows:
        return 0, 0
    taken = set(
        Link.search_fetch(
            [
                ("connection_id", "=", connection.id),
                ("res_model", "=", "res.partner"),
                ("qbo_entity", "=", entity),
            ],
            ["res_id"],
        ).mapped("res_id")
    )
    by_email, by_name = _candidates(connection, rows)
    links, to_create = [], []
    for row in rows:
        email = _email(row)
        name = (row.get("DisplayName") or "").strip().lower()
        partner = next(
            (p for p in (by_email.get(email), by_name.get(name)) if p and p.id not in taken),
            None,
        )
        if partner:
            taken.add(partner.id)
            links.append((partner, row))
        else:
            to_create.append(row)
    places = _places(connection, to_create)
    partners = Partner.create(
        [_partner_values(connection, row, rank_field, places) for row in to_create]
    )
    links += list(zip(partners, to_create, strict=True))
    Link.create(
        [
            {
                "connection_id": connection.id,
                "res_model": "res.partner",
                "res_id": partner.id,
                "qbo_entity": entity,
                "qbo_id": str(row["Id"]),
                "qbo_name": row.get("DisplayName"),
            }
            for partner, row in links
        ]
    )
    return len(partners), len(links) - len(partners)


def _candidates(connection, rows):
    """Odoo commercial partners of this company (or shared) with the rows' emails or names.

    :return: ``({email: partner}, {lower name: partner})`` in two queries.
    """
    Partner = connection.env["res.partner"]
    company_domain = [("company_id", "in", [False, connection.company_id.id])]
    emails = {email for email in map(_email, rows) if email}
    by_email = {}
    if emails:
        for partner in Partner.search_fetch(
            [("email_normalized", "in", list(emails)), *company_domain],
            ["email_normalized", "commercial_partner_id"],
            order="id",
        ):
            by_email.setdefault(partner.email_normalized, partner.commercial_partner_id)
    names = {(row.get("DisplayName") or "").strip().lower() for row in rows} - {""}
    by_name = {}
    if names:
        Partner.flush_model(["name", "parent_id"])
        connection.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE parent_id IS NULL AND lower(name) IN %s",
                tuple(names),
            )
        )
        ids = [row[0] for row in connection.env.cr.fetchall()]
        for partner in Partner.search_fetch(
            [("id", "in", ids), *company_domain], ["name"], order="id"
        ):
            by_name.setdefault(partner.name.strip().lower(), partner)
    return by_email, by_name


def _places(connection, rows):
    """``({alpha2: country}, {(country id, code): state})`` for the rows' addresses."""
    addresses = [row.get("BillAddr") or {} for row in rows]
    codes = {country_alpha2(a.get("Country")) for a in addresses} - {False}
    countries = {
        country.code: country
        for country in connection.env["res.country"].search_fetch(
            [("code", "in", list(codes))], ["code"]
        )
    }
    states = {}
    subdivisions = {a.get("CountrySubDivisionCode") for a in addresses} - {None, ""}
    if countries and subdivisions:
        for state in connection.env["res.country.state"].search_fetch(
            [
                ("country_id", "in", [c.id for c in countries.values()]),
                ("code", "in", list(subdivisions)),
            ],
            ["country_id", "code"],
        ):
            states[state.country_id.id, state.code] = state
    return countries, states


def _partner_values(connection, row, rank_field, places):
    countries, states = places
    address = row.get("BillAddr") or {}
    country = countries.get(country_alpha2(address.get("Country")))
    state = country and states.get((country.id, address.get("CountrySubDivisionCode")))
    return {
        "name": row.get("DisplayName") or row.get("CompanyName") or row["Id"],
        "is_company": bool(row.get("CompanyName")),
        "email": (row.get("PrimaryEmailAddr") or {}).get("Address"),
        "phone": (row.get("PrimaryPhone") or {}).get("FreeFormNumber"),
        "street": address.get("Line1"),
        "street2": address.get("Line2"),
        "city": address.get("City"),
        "zip": address.get("PostalCode"),
        "country_id": country.id if country else False,
        "state_id": state.id if state else False,
        "company_id": connection.company_id.id,
        rank_field: 1,
    }


def _email(row):
    return ((row.get("PrimaryEmailAddr") or {}).get("Address") or "").strip().lower()
