"""The README's table of who may read and write each field, walked over JSON-RPC.

The table in ``readme/SECURITY.md`` is the specification: this test reads it, checks
that it names every field the addon defines (on its own models and on Odoo's), then
tries, as each role, to read each field and to change it to another valid value.
Each attempt runs inside a savepoint rolled back afterwards, so a write that is
allowed leaves nothing behind for the next one.
"""

import re
from pathlib import Path

from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tests import tagged

from .return_common import make_credit
from .security_common import QboRolesCase

TABLE = Path(__file__).parents[1] / "readme" / "SECURITY.md"
#: table columns after Model and Fields, and the role of each (None: anonymous)
COLUMNS = {
    "Salesperson": "salesperson",
    "QuickBooks user": "qbo_user",
    "QuickBooks administrator": "qbo_admin",
    "System administrator": "system_admin",
    "Anonymous": None,
}
MODULE = "quickbooks_online"


def read_table():
    """``{(model, field): {role: cell}}`` from the README's table."""
    lines = [line for line in TABLE.read_text().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    roles = [COLUMNS[name] for name in header[2:]]
    rights = {}
    for line in lines[2:]:
        model, names, *cells = (cell.strip() for cell in line.strip("|").split("|"))
        for name in re.findall(r"`([a-z_0-9]+)`", names):
            rights[model.strip("`"), name] = dict(zip(roles, cells, strict=True))
    return rights


def addon_fields(env):
    """``{(model, field)}`` of every field the addon defines on a stored model."""
    skip = set(LOG_ACCESS_COLUMNS) | {"id", "display_name"}
    return {
        (model._name, name)
        for model in env.values()
        if not model._transient and not model._abstract
        for name, field in model._fields.items()
        if field._module == MODULE and name not in skip
    }


@tagged("post_install", "-at_install")
class TestSecurityTable(QboRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_b("QBO Table Company B")
        connection = cls.connection
        code_values = {"connection_id": connection.id, "name": "VAT", "qbo_id": "1"}
        cls.tax_code = cls.env["qbo.tax.code"].create(code_values)
        cls.other_tax_code = cls.env["qbo.tax.code"].create(dict(code_values, qbo_id="2"))
        cls.sale = cls.make_sale(cls)
        cls.sale.user_id = cls.users["salesperson"]
        cls.records = {
            "qbo.connection": connection,
            "qbo.account": connection.income_account_id,
            "qbo.tax.code": cls.tax_code,
            "qbo.link": cls.env["qbo.link"].create(
                {
                    "connection_id": connection.id,
                    "res_model": "res.partner",
                    "res_id": cls.customer.id,
                    "qbo_entity": "Customer",
                    "qbo_id": "58",
                }
            ),
            "qbo.vendor": cls.env["qbo.vendor"].create(
                {"connection_id": connection.id, "qbo_id": "56", "name": "Bob's Burgers"}
            ),
            "qbo.event": cls.env["qbo.event"].create(
                {
                    "connection_id": connection.id,
                    "company_id": connection.company_id.id,
                    "realm_id": connection.realm_id,
                    "entity": "Invoice",
                    "entity_id": "1",
                    "operation": "Update",
                    "occurred_at": "2026-01-01 00:00:00",
                }
            ),
            "qbo.cdc.watermark": cls.env["qbo.cdc.watermark"].search(
                [("connection_id", "=", connection.id)]
            )
            or cls.env["qbo.cdc.watermark"].create(
                {"connection_id": connection.id, "since": "2026-01-01T00:00:00Z"}
            ),
            "qbo.push.intent": cls.env["qbo.push.intent"].create(
                {
                    "res_model": "sale.order",
                    "res_id": cls.sale.id,
                    "request_id": "table-intent",
                    "attempted_at": "2026-01-01 00:00:00",
                }
            ),
            "qbo.sync.log": cls.env["qbo.sync.log"].create(
                {
                    "called_at": "2026-01-01 00:00:00",
                    "connection_id": connection.id,
                    "company_id": connection.company_id.id,
                    "source": "push",
                    "res_model": "sale.order",
                    "res_ids": f",{cls.sale.id},",
                    "state": "failed",
                }
            ),
            "qbo.api.usage": cls.env["qbo.api.usage"].create(
                {
                    "connection_id": connection.id,
                    "company_id": connection.company_id.id,
                    "month": "2026-01-01",
                    "source": "cdc",
                }
            ),
            "qbo.return": make_credit(cls.env, cls.sale),
            "sale.order": cls.sale,
            "purchase.order": cls.make_purchase(cls),
            "account.tax": cls.env["account.tax"].search(
                [("company_id", "=", connection.company_id.id)], limit=1
            ),
        }
        cls.records["qbo.return.line"] = cls.records["qbo.return"].order_line

    def other_value(self, record, name):
        """A valid value of field ``name`` other than ``record``'s, in RPC form."""
        field = record._fields[name]
        current = record.sudo()[name]
        special = {
            "base_url": self.sandbox.url + "/",
            "company_id": self.company_b.id,
            "connection_id": self.connection_b.id,
            "qbo_tax_code_id": self.other_tax_code.id,
            "res_model": "res.users",
        }
        if name in special:
            return special[name]
        if field.type == "many2one":
            comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
            domain = [("id", "!=", current.id)]
            if "connection_id" in comodel._fields:
                domain.append(("connection_id", "=", self.connection.id))
            return comodel.search(domain, limit=1).id
        if field.type == "selection":
            options = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in options if key != current)
        if field.type == "boolean":
            return not current
        if field.type in ("integer", "float", "monetary", "many2one_reference"):
            return (current or 0) + 1
        if field.type == "datetime":
            return "2031-02-03 04:05:06"
        if field.type == "date":
            return "2031-02-03"
        return f"{current or ''}x"

    def attempt(self, role, model, method, *args):
        """The error ``role`` gets for calling ``method`` (``None``: allowed); nothing it
        did is kept."""
        with self.env.cr.savepoint() as savepoint:
            error = self.rpc_error(role, model, method, *args)
            savepoint.rollback()
        self.env.invalidate_all()
        return error

    def test_the_table_is_what_the_server_enforces(self):
        table = read_table()
        self.assertEqual(set(table), addon_fields(self.env), "the table must name every field")
        wrong = []
        for (model, name), cells in sorted(table.items()):
            record = self.records[model]
            field = record._fields[name]
            for role, cell in cells.items():
                errors = {"R": self.attempt(role, model, "read", record.ids, [name])}
                if field.store or field.inverse:
                    value = self.other_value(record, name)
                    errors["W"] = self.attempt(role, model, "write", record.ids, {name: value})
                seen = "".join(right for right, error in errors.items() if not error) or "—"
                if seen != cell:
                    wrong.append(f"{model}.{name} as {role}: table {cell}, server {seen}")
                # A refusal is an access error (or no session), never a failure on the way.
                wrong += [
                    f"{model}.{name} as {role}: {right} answered {error}"
                    for right, error in errors.items()
                    if error and "AccessError" not in error and "SessionExpired" not in error
                ]
        self.assertFalse(wrong, "\n".join(wrong))
