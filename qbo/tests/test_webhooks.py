import base64
import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest

from qbo import errors, webhooks

from .samples import sample_bytes, sample_json


def _vector():
    vector = sample_json("webhook_legacy_signature_test_vector.json")
    return vector, sample_bytes(vector["raw_body_file"])


def test_signature_test_vector_verifies():
    vector, body = _vector()
    assert webhooks.verify_signature(body, vector["intuit_signature"], vector["verifier_token"])


@pytest.mark.parametrize(
    "mutate",
    [
        lambda body, sig, tok: (body + b" ", sig, tok),  # body re-serialised / altered
        lambda body, sig, tok: (body, sig, tok[:-1] + "0"),  # another verifier token
        lambda body, sig, tok: (body, sig[:-2] + "A=", tok),  # tampered signature
        lambda body, sig, tok: (body, None, tok),  # header missing
        lambda body, sig, tok: (body, "", tok),
        lambda body, sig, tok: (body, sig, ""),  # no token configured
        lambda body, sig, tok: (body, "not base64 é", tok),
    ],
)
def test_signature_rejects_any_change(mutate):
    vector, body = _vector()
    args = mutate(body, vector["intuit_signature"], vector["verifier_token"])
    assert webhooks.verify_signature(*args) is False


def test_signature_over_raw_bytes_not_reserialised_json():
    vector, body = _vector()
    reserialised = json.dumps(json.loads(body), indent=2).encode()
    assert not webhooks.verify_signature(
        reserialised, vector["intuit_signature"], vector["verifier_token"]
    )
    own = base64.b64encode(
        hmac.new(vector["verifier_token"].encode(), reserialised, hashlib.sha256).digest()
    ).decode()
    assert webhooks.verify_signature(reserialised, own, vector["verifier_token"])


def test_parse_legacy_sample():
    events = webhooks.parse_events(sample_bytes("webhook_legacy_payload_raw.json"))
    assert [(e.realm_id, e.entity, e.entity_id, e.operation) for e in events] == [
        ("1269959970", "Vendor", "40", "Update"),
        ("1269959970", "Customer", "43", "Create"),
    ]
    assert events[0].occurred_at == datetime(2016, 10, 5, 3, 9, 4, tzinfo=timezone.utc)
    assert events[0].occurred_at.tzinfo is not None
    # legacy events get a stable, distinct id
    again = webhooks.parse_events(sample_bytes("webhook_legacy_payload_raw.json"))
    assert [e.event_id for e in events] == [e.event_id for e in again]
    assert events[0].event_id != events[1].event_id


def test_legacy_event_id_depends_on_every_part():
    def body(**over):
        entity = {"name": "Invoice", "id": "7", "operation": "Delete"}
        entity["lastUpdated"] = "2026-01-02T03:04:05.000Z"
        entity.update(over)
        payload = {
            "eventNotifications": [{"realmId": "1", "dataChangeEvent": {"entities": [entity]}}]
        }
        return json.dumps(payload).encode()

    base = webhooks.parse_events(body())[0]
    assert base.entity == "Invoice" and base.operation == "Delete"
    for change in ({"id": "8"}, {"operation": "Void"}, {"lastUpdated": "2026-01-02T03:04:06Z"}):
        assert webhooks.parse_events(body(**change))[0].event_id != base.event_id
    # the same instant written differently is the same event
    same = webhooks.parse_events(body(lastUpdated="2026-01-02T04:04:05+01:00"))[0]
    assert same.event_id == base.event_id


def test_parse_cloudevents_and_normalise_words():
    payload = [
        {
            "specversion": "1.0",
            "id": "3f5c8d0e-1c1f-4f4e-9a55-1a2b3c4d5e6f",
            "source": "intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=",
            "type": "qbo.invoice.deleted.v1",
            "datacontenttype": "application/json",
            "time": "2026-03-01T10:20:30.123456789Z",
            "intuitentityid": "130",
            "intuitaccountid": "9341453",
            "data": {},
        },
        {
            "specversion": "1.0",
            "id": "b2",
            "type": "qbo.journalentry.created.v1",
            "time": "2026-03-01T10:20:31-08:00",
            "intuitentityid": "5",
            "intuitaccountid": "9341453",
        },
        {
            "id": "b3",
            "type": "qbo.customer.merged.v1",
            "time": "2026-03-01T10:20:32Z",
            "intuitentityid": "6",
            "intuitaccountid": "9341453",
            "data": {"deletedId": "4"},
        },
    ]
    events = webhooks.parse_events(json.dumps(payload).encode())
    assert [(e.entity, e.entity_id, e.operation, e.event_id) for e in events] == [
        ("Invoice", "130", "Delete", "3f5c8d0e-1c1f-4f4e-9a55-1a2b3c4d5e6f"),
        ("JournalEntry", "5", "Create", "b2"),
        ("Customer", "6", "Merge", "b3"),
    ]
    assert events[0].realm_id == "9341453"
    assert events[0].occurred_at == datetime(2026, 3, 1, 10, 20, 30, 123456, tzinfo=timezone.utc)
    assert events[1].occurred_at.utcoffset().total_seconds() == -8 * 3600
    assert events[2].deleted_id == "4"


@pytest.mark.parametrize(
    "verb, operation",
    [("created", "Create"), ("updated", "Update"), ("voided", "Void"), ("emailed", "Emailed")],
)
def test_cloudevents_operations(verb, operation):
    item = {
        "id": "x",
        "type": f"qbo.bill.{verb}.v1",
        "time": "2026-01-01T00:00:00Z",
        "intuitentityid": "1",
        "intuitaccountid": "2",
    }
    (event,) = webhooks.parse_events(json.dumps([item]))
    assert (event.entity, event.operation) == ("Bill", operation)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"{}",
        b'"text"',
        b'{"eventNotifications": {}}',
        b'{"eventNotifications": [{"realmId": "1"}]}',
        b'{"eventNotifications": [{"realmId": "1", "dataChangeEvent": {"entities": '
        b'[{"name": "Invoice", "id": "1", "operation": "Explode", '
        b'"lastUpdated": "2020-01-01"}]}}]}',
        b'{"eventNotifications": [{"realmId": "1", "dataChangeEvent": {"entities": '
        b'[{"name": "Invoice", "id": "1", "operation": "Create", "lastUpdated": "yesterday"}]}}]}',
        b'[{"id": "1", "type": "qbo.invoice.deleted.v1", "time": "2020-01-01T00:00:00Z"}]',
        b'[{"id": "1", "type": "com.other.thing", "time": "2020-01-01T00:00:00Z", '
        b'"intuitentityid": "1", "intuitaccountid": "2"}]',
        b"[1, 2]",
    ],
)
def test_malformed_payloads_raise(body):
    with pytest.raises(errors.WebhookPayloadError):
        webhooks.parse_events(body)


def test_empty_cloudevents_array_is_no_events():
    assert webhooks.parse_events(b"[]") == []


def test_deep_nesting_is_a_payload_error_not_a_recursion_error():
    for opening, closing in ((b"[", b"]"), (b'{"a":', b"}")):
        body = opening * 100_000 + b"1" + closing * 100_000
        with pytest.raises(errors.WebhookPayloadError, match="nested deeper"):
            webhooks.parse_events(body)
    # brackets inside strings are text, not nesting
    notifications = [{"realmId": "1", "dataChangeEvent": {"entities": []}}]
    body = json.dumps({"eventNotifications": notifications, "note": "[" * 99 + '\\"{' * 9})
    assert webhooks.parse_events(body.encode()) == []


def test_signing_token_names_the_token_that_signed_the_body():
    vector, body = _vector()
    token, signature = vector["verifier_token"], vector["intuit_signature"]
    assert webhooks.signing_token(body, signature, ["other-token", token]) == token
    assert webhooks.signing_token(body, signature, ["other-token"]) is None
    assert webhooks.signing_token(body, None, [token]) is None
    assert webhooks.signing_token(body, signature, []) is None
