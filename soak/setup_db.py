"""Prepare a soak database: run by ``soak/run.sh`` through ``odoo shell`` (which provides ``env``).

Connects the main company to the running sandbox (``SOAK_SANDBOX_URL``) as the setup wizard
leaves it, adds the QuickBooks user the clients log in as (password = login), and creates
the confirmed sales orders of every scenario; writes ``{scenario: [order names]}`` as JSON
to ``SOAK_ORDERS_FILE``.
"""

import json
import os
import urllib.request

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.tests.sandbox_setup import connect_company

LOGIN = os.environ.get("SOAK_LOGIN", "soak_qbo")
GROUPS = "base.group_user,sales_team.group_sale_salesman_all_leads,quickbooks_online.group_qbo_user"


class HttpSandbox:
    """The part of :class:`SandboxServer` that ``connect_company`` uses, over the control API."""

    def __init__(self, url):
        self.url = url

    def grant(self, realm_id):
        body = json.dumps({"realm_id": realm_id}).encode()
        req = urllib.request.Request(
            f"{self.url}/_sandbox/grant", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=30) as answer:
            return json.load(answer)["result"]


def make_orders(env, counts):
    """``{scenario: [names]}``: ``counts[scenario]`` confirmed orders each, one customer
    (name and email) per scenario, two service products without taxes."""
    products = env["product.product"].create(
        [
            {
                "name": f"Soak service {n}",
                "default_code": f"SOAK-{n}",
                "list_price": 10.0 + n,
                "type": "service",
                "taxes_id": [Command.clear()],
            }
            for n in range(2)
        ]
    )
    lines = [
        Command.create(
            {"product_id": p.id, "product_uom_qty": 1.0, "price_unit": p.list_price, "tax_ids": []}
        )
        for p in products
    ]
    names = {}
    for number, (scenario, count) in enumerate(counts.items(), 1):
        # its own email too: the push matches customers by email first, and scenarios
        # sharing one would share one QuickBooks customer (and its invoices)
        partner = env["res.partner"].create(
            {"name": f"Soak {scenario}", "is_company": True, "email": f"ap{number}@example.com"}
        )
        orders = env["sale.order"].create(
            [{"partner_id": partner.id, "order_line": list(lines)} for _n in range(count)]
        )
        orders.action_confirm()
        names[scenario] = orders.mapped("name")
    return names


def main(env):
    company = env.ref("base.main_company")
    connection = connect_company(
        env, HttpSandbox(os.environ["SOAK_SANDBOX_URL"]), company, presets.US_REALM
    )
    connection.write({"sync_sales": True})
    new_test_user(env, login=LOGIN, groups=GROUPS, company_id=company.id, company_ids=[company.id])
    orders = make_orders(env, json.loads(os.environ["SOAK_COUNTS"]))
    env.cr.commit()
    with open(os.environ["SOAK_ORDERS_FILE"], "w", encoding="utf-8") as out:
        json.dump({"orders": orders, "connection_id": connection.id}, out)
    print(f"soak setup: connection {connection.id}, orders {sum(map(len, orders.values()))}")


main(env)  # noqa: F821 (odoo shell provides env)
