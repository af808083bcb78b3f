import logging

from qbo import redact


def test_patterns_mask_credentials_but_keep_fault_codes():
    text = (
        "headers {'Authorization': 'Basic QUJDOnNlY3JldA=='} body "
        "grant_type=refresh_token&refresh_token=RT-abc123xyz&code=AUTH-999 "
        '{"access_token": "eyJ.x.y", "code": "6240"} Bearer abc.def-ghi'
    )
    cleaned = redact.redact(text)
    for secret in ("QUJDOnNlY3JldA==", "RT-abc123xyz", "AUTH-999", "eyJ.x.y", "abc.def-ghi"):
        assert secret not in cleaned
    assert '"code": "6240"' in cleaned
    assert "grant_type=refresh_token" in cleaned


def test_remembered_secrets_are_masked_anywhere():
    redact.remember_secret("s3cr3t-value-42", "short")
    assert redact.redact("x=s3cr3t-value-42;") == f"x={redact.MASK};"
    assert redact.redact("short") == "short"  # too short to be searched for


def test_redact_url():
    url = "https://h/cb?code=abc&state=s1&realmId=9"
    assert redact.redact_url(url) == f"https://h/cb?code={redact.MASK}&state=s1&realmId=9"
    assert redact.redact_url("https://h/x") == "https://h/x"


def test_filter_on_library_loggers(caplog):
    redact.install()
    caplog.set_level(logging.DEBUG)
    redact.remember_secret("library-secret-xyz")
    logging.getLogger("requests_oauthlib.oauth2_session").debug("token %s", "library-secret-xyz")
    assert "library-secret-xyz" not in caplog.text
    assert redact.MASK in caplog.text


def test_token_endpoint_path_is_not_taken_for_a_bearer_header():
    line = "QBO OAuth POST https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer -> 200"
    assert redact.redact(line) == line
    assert redact.redact("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.abc") == (
        "Authorization: Bearer " + redact.MASK
    )


def test_request_line_filter_masks_the_callback_state(caplog):
    redact.install_request_log("test.access")
    caplog.set_level(logging.INFO)
    line = "GET /quickbooks/oauth/callback?code=%s&state=%s&realmId=9 HTTP/1.1"
    logging.getLogger("test.access").info(line, "c0de-value-123", "st4te-value")
    assert "c0de-value-123" not in caplog.text
    assert "st4te-value" not in caplog.text
    assert f"state={redact.MASK}&realmId=9" in caplog.text


def test_one_line_escapes_line_breaks():
    forged = "access_denied\n2026-01-01 00:00:00,000 1 CRITICAL db odoo: forged\r\u2028"
    text = redact.one_line(forged)
    assert "\n" not in text and "\r" not in text and "\u2028" not in text
    assert text.startswith("access_denied\\n2026-01-01")
    assert redact.one_line("x" * 400, limit=10) == "x" * 10 + "..."
