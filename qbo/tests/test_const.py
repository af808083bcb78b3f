import pytest

from qbo import const


@pytest.mark.parametrize(
    "environment, kind, expected",
    [
        ("production", "invoice", "https://app.qbo.intuit.com/app/invoice?txnId=12"),
        ("sandbox", "bill", "https://app.sandbox.qbo.intuit.com/app/bill?txnId=12"),
        ("sandbox", "journal", "https://app.sandbox.qbo.intuit.com/app/journal?txnId=12"),
        ("production", "customer", "https://app.qbo.intuit.com/app/customerdetail?nameId=12"),
        ("production", "vendor", "https://app.qbo.intuit.com/app/vendordetail?nameId=12"),
    ],
)
def test_web_url(environment, kind, expected):
    assert const.web_url(environment, kind, 12) == expected


def test_web_url_custom_and_company():
    url = const.web_url(
        "custom", "invoice", "7", realm_id="9130", base_url="http://127.0.0.1:8765/"
    )
    assert url == "http://127.0.0.1:8765/app/invoice?txnId=7&companyId=9130"
    with pytest.raises(ValueError):
        const.web_url("production", "estimate", 1)
    with pytest.raises(ValueError):
        const.web_url("custom", "invoice", 1)  # no base_url


def test_endpoints():
    prod = const.endpoints("production")
    assert prod.api_base == "https://quickbooks.api.intuit.com"
    assert prod.token_url == "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
    assert prod.authorize_url == "https://appcenter.intuit.com/connect/oauth2"
    assert prod.revoke_url == "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
    assert const.endpoints("sandbox").api_base == "https://sandbox-quickbooks.api.intuit.com"
    custom = const.endpoints("custom", "https://qbo.example.test")
    assert custom.token_url == "https://qbo.example.test/oauth2/v1/tokens/bearer"
    with pytest.raises(ValueError):
        const.endpoints("custom", "http://qbo.example.test")  # plain http only on loopback
    with pytest.raises(ValueError):
        const.endpoints("staging")


def test_entity_name():
    assert const.entity_name("journalentry") == "JournalEntry"
    assert const.entity_name("Invoice") == "Invoice"
    assert const.entity_name("NewThing") == "NewThing"
    for bad in ("", "invoice/1", "a b", None):
        with pytest.raises(ValueError):
            const.entity_name(bad)


@pytest.mark.parametrize(
    "base_url",
    [
        "javascript:alert(1)//127.0.0.1",
        "ftp://127.0.0.1:8765",
        "http://evil.example.com",  # plain http off this machine
        "https://user:secret@qbo.example.com",
        "https://127.0.0.1@evil.example.com",
        "https://qbo.example.com/v3/company",
        "https://qbo.example.com?next=https://evil.example.com",
        "https://qbo.example.com#fragment",
        "https://qbo.example.com\\@evil.example.com",
        "https://qbo.example.com\t.evil.example.com",
        "https://qbo.example.com:99999",
        "https://",
    ],
)
def test_custom_base_url_is_a_bare_origin(base_url):
    with pytest.raises(ValueError):
        const.normalize_base_url(base_url)


def test_custom_base_url_origins_accepted():
    assert const.normalize_base_url("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert const.normalize_base_url("https://qbo.example.com") == "https://qbo.example.com"
