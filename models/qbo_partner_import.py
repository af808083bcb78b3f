"""Import QBO customers and vendors as partners, page by page, never twice.

A QBO customer or vendor is matched to an Odoo partner by the stored link
(``qbo.link``), then by email, then by name; only unmatched ones are created.
Small lists are imported at once from the wizard; larger ones by a cron that
commits after every page, so the wizard can show the progress.
"""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..qbo import errors, query
from .qbo_connection import _country_alpha2

_logger = logging.getLogger(__name__)

#: (QBO entity, partner rank field, done counter, total counter), imported in this order
IMPORT_STEPS = (
    ("Customer", "customer_rank", "import_customers_done", "import_customers_total"),
    ("Vendor", "supplier_rank", "import_vendors_done", "import_vendors_total"),
)
#: QBO's largest page; ``quickbooks_online.import_page_size`` may lower it.
DEFAULT_PAGE_SIZE = 1000


class QboPartnerImport(models.Model):
    _inherit = "qbo.connection"

    import_state = fields.Selection(
        [("idle", "Not started"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="idle",
        readonly=True,
        copy=False,
    )
    import_customers_total = fields.Integer(readonly=True, copy=False)
    import_customers_done = fields.Integer(readonly=True, copy=False)
    import_vendors_total = fields.Integer(readonly=True, copy=False)
    import_vendors_done = fields.Integer(readonly=True, copy=False)
    import_created = fields.Integer(string="Partners created", readonly=True, copy=False)
    import_linked = fields.Integer(string="Partners linked", readonly=True, copy=False)
    import_error = fields.Char(readonly=True, copy=False)
    import_progress = fields.Float(compute="_compute_import_progress")

    @api.depends(
        "import_customers_total",
        "import_customers_done",
        "import_vendors_total",
        "import_vendors_done",
    )
    def _compute_import_progress(self):
        for connection in self:
            total = connection.import_customers_total + connection.import_vendors_total
            done = connection.import_customers_done + connection.import_vendors_done
            connection.import_progress = 100.0 * done / total if total else 0.0

    def _qbo_import_page_size(self):
        param = (
            self.env["ir.config_parameter"].sudo().get_param("quickbooks_online.import_page_size")
        )
        return max(1, min(int(param or DEFAULT_PAGE_SIZE), DEFAULT_PAGE_SIZE))

    # ------------------------------------------------------------------ driving
    def _qbo_import_partners_start(self):
        """Count what is to import; import it now when it fits one page, else in the background.

        :return: True when the import finished now.
        """
        self.ensure_one()
        client = self._qbo_client()
        try:
            totals = {total: client.count(entity) for entity, _r, _d, total in IMPORT_STEPS}
        except errors.QboError as error:
            raise self._qbo_user_error(error) from None
        self.sudo().write(
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
        page_size = self._qbo_import_page_size()
        if all(count <= page_size for count in totals.values()):
            while self._qbo_import_next_page(client, page_size, raise_error=True):
                pass
            return True
        self.env.ref("quickbooks_online.ir_cron_qbo_import_partners")._trigger()
        return False

    @api.model
    def _cron_qbo_import_partners(self):
        """Run the pending imports page by page, committing the progress after each page."""
        cron = self.env["ir.cron"]
        page_size = self._qbo_import_page_size()
        for connection in self.search([("import_state", "=", "running")]):
            client = connection._qbo_client()
            while True:
                processed = connection._qbo_import_next_page(client, page_size)
                if not cron._commit_progress(processed) or not processed:
                    break

    def _qbo_import_next_page(self, client, page_size, raise_error=False):
        """Import the next page; return how many QBO rows it held (0: nothing left)."""
        self.ensure_one()
        for entity, rank_field, done_field, total_field in IMPORT_STEPS:
            done = self[done_field]
            if done >= self[total_field]:
                continue
            sql = query.select(entity, None, "Id", done + 1, page_size)
            try:
                rows = query.rows(client.query(sql))
            except errors.QboError as error:
                self.sudo().write({"import_state": "failed", "import_error": str(error)})
                if raise_error:
                    raise self._qbo_user_error(error) from None
                return 0
            created, linked = self._qbo_import_partner_rows(entity, rank_field, rows)
            # A short page means the end, whatever was counted at the start.
            done = done + len(rows) if len(rows) == page_size else self[total_field]
            self.sudo().write(
                {
                    done_field: done,
                    "import_created": self.import_created + created,
                    "import_linked": self.import_linked + linked,
                }
            )
            return max(len(rows), 1)
        self.sudo().import_state = "done"
        return 0

    # ------------------------------------------------------------------ matching
    def _qbo_import_partner_rows(self, entity, rank_field, rows):
        """Link or create a partner for each QBO row; return (created, newly linked)."""
        Link = self.env["qbo.link"].sudo()
        Partner = self.env["res.partner"]
        linked_ids = set(
            Link._find_records(self, "res.partner", entity, [row["Id"] for row in rows])
        )
        rows = [row for row in rows if str(row["Id"]) not in linked_ids]
        if not rows:
            return 0, 0
        taken = set(
            Link.search_fetch(
                [
                    ("connection_id", "=", self.id),
                    ("res_model", "=", "res.partner"),
                    ("qbo_entity", "=", entity),
                ],
                ["res_id"],
            ).mapped("res_id")
        )
        by_email, by_name = self._qbo_partner_candidates(rows)
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
        places = self._qbo_places(to_create)
        partners = Partner.create(
            [self._qbo_partner_values(row, rank_field, places) for row in to_create]
        )
        links += list(zip(partners, to_create, strict=True))
        Link.create(
            [
                {
                    "connection_id": self.id,
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

    def _qbo_partner_candidates(self, rows):
        """Odoo commercial partners of this company (or shared) with the rows' emails or names.

        :return: ``({email: partner}, {lower name: partner})`` in two queries.
        """
        Partner = self.env["res.partner"]
        company_domain = [("company_id", "in", [False, self.company_id.id])]
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
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE parent_id IS NULL AND lower(name) IN %s",
                    tuple(names),
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            for partner in Partner.search_fetch(
                [("id", "in", ids), *company_domain], ["name"], order="id"
            ):
                by_name.setdefault(partner.name.strip().lower(), partner)
        return by_email, by_name

    def _qbo_places(self, rows):
        """``({alpha2: country}, {(country id, code): state})`` for the rows' addresses."""
        addresses = [row.get("BillAddr") or {} for row in rows]
        codes = {_country_alpha2(a.get("Country")) for a in addresses} - {False}
        countries = {
            country.code: country
            for country in self.env["res.country"].search_fetch(
                [("code", "in", list(codes))], ["code"]
            )
        }
        states = {}
        subdivisions = {a.get("CountrySubDivisionCode") for a in addresses} - {None, ""}
        if countries and subdivisions:
            for state in self.env["res.country.state"].search_fetch(
                [
                    ("country_id", "in", [c.id for c in countries.values()]),
                    ("code", "in", list(subdivisions)),
                ],
                ["country_id", "code"],
            ):
                states[state.country_id.id, state.code] = state
        return countries, states

    def _qbo_partner_values(self, row, rank_field, places):
        countries, states = places
        address = row.get("BillAddr") or {}
        country = countries.get(_country_alpha2(address.get("Country")))
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
            "company_id": self.company_id.id,
            rank_field: 1,
        }


def _email(row):
    return ((row.get("PrimaryEmailAddr") or {}).get("Address") or "").strip().lower()
