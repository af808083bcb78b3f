"""Responses have the shape of the real QBO samples in qbo/tests/samples.

Each test makes the sandbox produce the counterpart of a sample and compares key sets and JSON
value types recursively. Keys the sandbox adds or leaves out on purpose are listed per sample,
each with the reason.
"""

import json
from pathlib import Path

import requests

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import invoice_payload
from qbo_sandbox.webhooks import Event, legacy_body, sign

#: the real QBO payloads of the repository (read by path: this package never imports ``qbo``)
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "qbo" / "tests" / "samples"


def sample(name):
    return json.loads((SAMPLES_DIR / name).read_text(encoding="utf-8"))


def kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def pick(sample_items, item):
    """The sample list element an actual element should look like."""
    for key in ("DetailType", "status"):
        if isinstance(item, dict) and key in item:
            same = [s for s in sample_items if isinstance(s, dict) and s.get(key) == item[key]]
            if same:
                return same[0]
            return None
    if isinstance(item, dict):
        scored = sorted(
            sample_items, key=lambda s: -len(set(s) & set(item)) if isinstance(s, dict) else 0
        )
        return scored[0]
    return sample_items[0]


def compare(expected, actual, path="", out=None):
    """Return {"missing": set, "extra": set, "type": set} of dotted paths."""
    out = out if out is not None else {"missing": set(), "extra": set(), "type": set()}
    if expected is None or actual is None:
        return out
    if kind(expected) != kind(actual):
        out["type"].add(f"{path} {kind(expected)}!={kind(actual)}")
        return out
    if isinstance(expected, dict):
        for key in expected:
            if key not in actual:
                out["missing"].add(f"{path}.{key}".lstrip("."))
            else:
                compare(expected[key], actual[key], f"{path}.{key}", out)
        out["extra"] |= {f"{path}.{key}".lstrip(".") for key in actual if key not in expected}
    elif isinstance(expected, list) and expected:
        for item in actual:
            match = pick(expected, item)
            if match is not None:
                compare(match, item, f"{path}[]", out)
    return out


def check(expected, actual, missing_ok=(), extra_ok=()):
    diff = compare(expected, actual)
    assert diff["type"] == set(), diff["type"]
    assert diff["missing"] <= set(missing_ok), sorted(diff["missing"] - set(missing_ok))
    assert diff["extra"] <= set(extra_ok), sorted(diff["extra"] - set(extra_ok))


# The real samples come from a company with projects/custom fields and geocoded addresses.
ADDRESS_MISSING = ("Lat", "Long")


def prefixed(prefix, names):
    return [f"{prefix}.{n}" for n in names]


def test_samples_folder_is_found():
    assert (SAMPLES_DIR / "SOURCES.txt").is_file()


def test_invoice_create(us):
    actual = us.post("/invoice", invoice_payload(DocNumber="1069")).json()
    check(
        sample("invoice_create_response.json"),
        actual,
        missing_ok=[
            "Invoice.ProjectRef",  # projects are off in the preset companies
            "Invoice.CustomField",  # no custom fields defined
            "Invoice.ShipAddr",  # the preset customer has no ship-to address
            *prefixed("Invoice.BillAddr", ADDRESS_MISSING),
        ],
        extra_ok=[
            "Invoice.CurrencyRef",
            "Invoice.SalesTermRef",  # mv 75 returns both
            "Invoice.Line[].SalesItemLineDetail.Qty",  # sent by the request
            "Invoice.Line[].SalesItemLineDetail.UnitPrice",
            "Invoice.Line[].SalesItemLineDetail.ItemAccountRef",
            "Invoice.BillAddr.Country",
        ],
    )


def test_invoice_delete(us):
    inv = us.create("Invoice", invoice_payload())
    actual = us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="delete")
    check(sample("invoice_delete_response.json"), actual.json())


def test_bill_create(us):
    payload = {
        "VendorRef": {"value": "5"},
        "APAccountRef": {"value": "5"},
        "Line": [
            {
                "DetailType": "AccountBasedExpenseLineDetail",
                "Amount": 200.0,
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "7"}},
            }
        ],
    }
    actual = us.post("/bill", payload).json()
    check(
        sample("bill_create_response.json"), actual, extra_ok=["Bill.CurrencyRef", "Bill.LinkedTxn"]
    )


def test_journal_entry_request_sample_is_accepted(us):
    request = sample("journalentry_create_request.json")
    request["Line"][0]["JournalEntryLineDetail"]["AccountRef"] = {"value": "12"}
    request["Line"][1]["JournalEntryLineDetail"]["AccountRef"] = {"value": "13"}
    je = us.create("JournalEntry", request)
    assert je["TotalAmt"] == 100.0 and [ln["Id"] for ln in je["Line"]] == ["1", "2"]
    check(
        request,
        je,
        extra_ok=[
            "Id",
            "SyncToken",
            "MetaData",
            "domain",
            "sparse",
            "TxnDate",
            "CurrencyRef",
            "Adjustment",
            "TotalAmt",
            "Line[].JournalEntryLineDetail.AccountRef.name",
        ],
    )


def test_customer_create(us):
    expected = sample("customer_create_response.json")
    request = {
        k: v
        for k, v in expected["Customer"].items()
        if k
        in (
            "DisplayName",
            "Title",
            "GivenName",
            "MiddleName",
            "FamilyName",
            "Suffix",
            "CompanyName",
            "PrimaryEmailAddr",
            "PrimaryPhone",
            "BillAddr",
            "Notes",
            "DefaultTaxCodeRef",
            "PrintOnCheckName",
        )
    }
    request["BillAddr"] = dict(request["BillAddr"])
    del request["BillAddr"]["Id"]
    actual = us.post("/customer", request).json()
    check(expected, actual, extra_ok=["Customer.SalesTermRef"])


def test_customer_query(us):
    actual = us.query("select * from Customer where Id in ('1', '2')").json()
    check(
        sample("customer_query_response.json"),
        actual,
        missing_ok=[
            "QueryResponse.Customer[].ShipAddr",  # presets have no ship-to address
            "QueryResponse.Customer[].MiddleName",
            "QueryResponse.Customer[].DefaultTaxCodeRef",
            "QueryResponse.Customer[].Notes",
            *prefixed("QueryResponse.Customer[].BillAddr", ADDRESS_MISSING),
        ],
        extra_ok=[
            "QueryResponse.Customer[].CurrencyRef",
            "QueryResponse.Customer[].SalesTermRef",
            "QueryResponse.Customer[].BillAddr.Country",
            "time",
        ],
    )


def test_account_query(us):
    actual = us.query("select * from Account").json()
    check(
        sample("account_query_response_selected_types_fylein_sandbox.json"),
        actual,
        extra_ok=["time"],
    )  # the sample's wrapper was rebuilt without "time" (SOURCES.txt)


def test_preferences_read(us):
    check(
        sample("preferences_read_fylein_sandbox.json"),
        us.get("/preferences").json(),
        extra_ok=[
            "time",
            "Preferences.SalesFormsPrefs.DefaultTerms",
            "Preferences.VendorAndPurchasesPrefs.DefaultTerms",
            "Preferences.TaxPrefs.PartnerTaxEnabled",
        ],
    )


def test_companyinfo_read(us):
    actual = us.get(f"/companyinfo/{presets.US_REALM}").json()
    check(sample("companyinfo_read_response.json"), actual)


def test_cdc_with_deleted(srv, us):
    kept = us.create("Customer", {"DisplayName": "CDC Shape"})
    inv = us.create("Invoice", invoice_payload())
    us.create("Invoice", invoice_payload())
    us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="delete")
    since = srv.clock.stamp(srv.clock.time() - 60)
    actual = us.get("/cdc", entities="Customer,Invoice", changedSince=since).json()
    assert kept["Id"] in json.dumps(actual)
    expected = sample("cdc_response_with_deleted.json")
    # the sample abbreviates objects to {"Id"}; compare the envelope and the deleted entries
    customers, invoices = actual["CDCResponse"][0]["QueryResponse"]
    for element in (customers, invoices):
        assert {"startPosition", "maxResults"} <= set(element)
    deleted_sample = expected["CDCResponse"][0]["QueryResponse"][1]["Estimate"][2]
    check(deleted_sample, invoices["Invoice"][-1])
    assert set(actual) == set(expected)


def test_batch_delete_ok_and_610(us):
    je1 = us.create("JournalEntry", _je())
    je2 = us.create("JournalEntry", _je())
    us.post("/journalentry", {"Id": je1["Id"], "SyncToken": "0"}, operation="delete")
    actual = us.post(
        "/batch",
        {
            "BatchItemRequest": [
                {
                    "bId": "JournalEntry|1",
                    "operation": "delete",
                    "JournalEntry": {"Id": je1["Id"], "SyncToken": "0"},
                },
                {
                    "bId": "JournalEntry|2",
                    "operation": "delete",
                    "JournalEntry": {"Id": je2["Id"], "SyncToken": "0"},
                },
            ]
        },
    ).json()
    check(sample("batch_response_delete_ok_and_610_deleted_txn.json"), actual)


def _je(doc=None):
    lines = [
        {
            "DetailType": "JournalEntryLineDetail",
            "Amount": 5.0,
            "JournalEntryLineDetail": {"PostingType": p, "AccountRef": {"value": a}},
        }
        for p, a in (("Debit", "3"), ("Credit", "4"))
    ]
    return {"Line": lines, **({"DocNumber": doc} if doc else {})}


def test_batch_6140_and_2020(us):
    us.create("JournalEntry", _je("AA_2025-07_7676ce"))
    bad = _je("AA_2025-07_7676ce")
    del bad["Line"][0]["JournalEntryLineDetail"]["AccountRef"]
    actual = us.post(
        "/batch",
        {"BatchItemRequest": [{"bId": "JE|1", "operation": "create", "JournalEntry": bad}]},
    ).json()
    check(
        sample("fault_6140_duplicate_docnumber_and_2020_batch_item.json"), actual, extra_ok=["time"]
    )
    errors = actual["BatchItemResponse"][0]["Fault"]["Error"]
    assert "TxnType=Journal Entry with TxnId=" in errors[0]["Detail"]


def test_fault_6240(us):
    actual = us.post("/vendor", {"DisplayName": "Amy's Bird Sanctuary"}).json()
    check(sample("fault_6240_duplicate_name.json"), actual)


def test_oauth_documents(srv):
    check(
        sample("oauth_discovery_document.json"),
        requests.get(srv.url + "/.well-known/openid_configuration", timeout=5).json(),
    )
    grant = srv.grant(presets.US_REALM)

    def refresh():
        return requests.post(
            srv.url + "/oauth2/v1/tokens/bearer",
            auth=(presets.CLIENT_ID, presets.CLIENT_SECRET),
            timeout=5,
            data={"grant_type": "refresh_token", "refresh_token": grant["refresh_token"]},
        ).json()

    # no id_token: the sandbox issues none (it is only sent with the openid scope)
    check(sample("oauth_refresh_token_response.json"), refresh(), missing_ok=["id_token"])
    # the same refresh token a second time: it was rotated by the first refresh
    assert refresh() == sample("oauth_error_invalid_grant_refresh_token.json")


def test_webhook_payload_and_signature_vector():
    raw = (SAMPLES_DIR / "webhook_legacy_payload_raw.json").read_bytes()
    vector = sample("webhook_legacy_signature_test_vector.json")
    assert sign(raw, vector["verifier_token"]) == vector["intuit_signature"]
    expected = json.loads(raw)
    ours = legacy_body(
        [
            Event(e_realm, e["name"], e["id"], e["operation"], e["lastUpdated"])
            for note in expected["eventNotifications"]
            for e_realm, e in ((note["realmId"], e) for e in note["dataChangeEvent"]["entities"])
        ]
    )
    assert ours == raw  # byte for byte: same keys, order and compact separators
