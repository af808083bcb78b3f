"""Point the demo company's QuickBooks connection at the local QBO sandbox.

Run by scripts/run.sh through ``odoo shell`` (which provides ``env``). It only fills in the
custom environment and the sandbox's preset app credentials; the user then clicks
"Connect to QuickBooks" and picks a sandbox company on its consent page. A connection
that is already connected is left alone.
"""

import os

from odoo.addons.quickbooks_online.qbo import const
from odoo.addons.quickbooks_online.qbo_sandbox import presets

sandbox_url = os.environ.get("QBO_SANDBOX_URL", "http://127.0.0.1:8765")
connection = env["qbo.connection"]._for_company(env.ref("base.main_company"))  # noqa: F821
if connection.state == "connected":
    print(f"QuickBooks connection {connection.id} is already connected; left as it is.")
else:
    connection.write(
        {
            "environment": const.CUSTOM,
            "base_url": sandbox_url,
            "client_id": presets.CLIENT_ID,
            "client_secret": presets.CLIENT_SECRET,
            "verifier_token": presets.VERIFIER_TOKEN,
        }
    )
    print(f"QuickBooks connection {connection.id} points at {sandbox_url}: click Connect.")
env.cr.commit()  # noqa: F821
