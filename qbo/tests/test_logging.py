"""No token, secret or Authorization header ever reaches the logs."""

import base64
import logging
import re

from qbo import QboClient, TokenAuth, errors

from .consent import consent
from .helpers import invoice_payload


def test_full_session_logs_no_secret(caplog, srv, oauth, presets):
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests_oauthlib", "oauthlib", "qbo"):
        logging.getLogger(name).setLevel(logging.DEBUG)

    callback = consent(oauth.authorization_url("st"), presets.US_REALM)
    token = oauth.exchange_code(callback["code"], realm_id=callback["realmId"])
    saved = []
    auth = TokenAuth(oauth, token, saved.append)
    client = QboClient(
        presets.US_REALM, auth, environment="custom", base_url=srv.url, backoff_factor=0.01
    )
    customer = client.query_all("Customer")[0]
    item = next(i for i in client.query_all("Item") if i.get("Type") in ("Service", "NonInventory"))
    srv.expire_access_tokens()
    invoice = client.create(
        "Invoice", invoice_payload({"customer": customer, "item": item}), "log-1"
    )  # 401 -> refresh (rotation) -> retry
    srv.inject("503")
    client.read("Invoice", invoice["Id"])
    auth.refresh()
    oauth.revoke(auth.token)
    try:
        oauth.refresh(token.refresh_token)
    except errors.ReconnectRequired:
        pass

    secrets = {
        presets.CLIENT_SECRET,
        callback["code"],
        base64.b64encode(f"{presets.CLIENT_ID}:{presets.CLIENT_SECRET}".encode()).decode(),
        token.access_token,
        token.refresh_token,
    }
    for new in saved:
        secrets |= {new.access_token, new.refresh_token}
    assert len(saved) == 2 and len(secrets) == 9

    records = [r for r in caplog.records if not r.name.startswith("qbo_sandbox")]
    text = "\n".join(r.getMessage() for r in records)
    # the session was really logged, at DEBUG level, by the libraries too
    assert any(r.name.startswith("requests_oauthlib") for r in records)
    assert any(r.name.startswith("urllib3") for r in records)
    assert "intuit_tid=" in text
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == []
    assert re.search(r"(Bearer|Basic) (?!\*{8})", text) is None
