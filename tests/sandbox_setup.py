"""Connect an Odoo company to a running QBO sandbox, as the setup wizard leaves it.

Shared by the Odoo tests (:mod:`.common`) and the benchmark scripts (``bench/``);
it depends on neither, only on the addon and the sandbox package.
"""

from odoo import api

from odoo.addons.quickbooks_online.qbo import Token, const
from odoo.addons.quickbooks_online.qbo_sandbox import presets

#: QBO AccountType of each mapping field of the connection
ACCOUNT_TYPES = {
    "income_account_id": "Income",
    "purchase_account_id": "Cost of Goods Sold",
    "payable_account_id": "Accounts Payable",
    "cogs_account_id": "Cost of Goods Sold",
    "inventory_account_id": "Other Current Asset",
}


def connect_company(env, sandbox, company, realm_id, *, accounting_mode="simple"):
    """Connect ``company`` to the sandbox company ``realm_id``: tokens from the
    sandbox, QBO preferences read, QBO accounts cached and mapped."""
    connection = env["qbo.connection"]._for_company(company)
    connection.write(
        {
            "environment": const.CUSTOM,
            "base_url": sandbox.url,
            "client_id": presets.CLIENT_ID,
            "client_secret": presets.CLIENT_SECRET,
            "verifier_token": presets.VERIFIER_TOKEN,
            "realm_id": realm_id,
            "state": "connected",
            "accounting_mode": accounting_mode,
        }
    )
    connection._qbo_store_token(Token.from_response(sandbox.grant(realm_id)))
    client = connection._qbo_client()
    connection._qbo_read_company(client)
    accounts = env["qbo.account"]
    for row in client.query_all("Account"):
        accounts |= accounts.create(
            {
                "connection_id": connection.id,
                "qbo_id": row["Id"],
                "name": row["Name"],
                "account_type": row.get("AccountType"),
                "account_sub_type": row.get("AccountSubType"),
                "classification": row.get("Classification"),
            }
        )
    mapping = {}
    for field, account_type in ACCOUNT_TYPES.items():
        candidates = accounts.filtered(lambda a, t=account_type: a.account_type == t)
        if field == "inventory_account_id":
            candidates = candidates.filtered(lambda a: a.account_sub_type == "Inventory")
        mapping[field] = candidates[:1].id
    connection.write(dict(mapping, setup_done=True))
    return connection


def commit_connection(registry, sandbox, realm_id=presets.US_REALM):
    """Connect the main company to ``realm_id`` with tokens only, in a committed
    transaction (for tests of real, separate transactions); return its id."""
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        connection = env["qbo.connection"]._for_company(env.ref("base.main_company"))
        connection.write(
            {
                "environment": const.CUSTOM,
                "base_url": sandbox.url,
                "client_id": presets.CLIENT_ID,
                "client_secret": presets.CLIENT_SECRET,
                "realm_id": realm_id,
                "state": "connected",
            }
        )
        connection._qbo_store_token(Token.from_response(sandbox.grant(realm_id)))
        return connection.id
