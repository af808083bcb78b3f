"""Payload builders shared by the sandbox-driven tests."""

from __future__ import annotations

import itertools

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


def invoice_payload(refs: dict, doc_number: str | None = None, amount: float = 100.0) -> dict:
    payload = {
        "CustomerRef": {"value": refs["customer"]["Id"]},
        "Line": [
            {
                "DetailType": "SalesItemLineDetail",
                "Amount": amount,
                "SalesItemLineDetail": {
                    "ItemRef": {"value": refs["item"]["Id"]},
                    "Qty": 1,
                    "UnitPrice": amount,
                    "TaxCodeRef": {"value": "NON"},
                },
            }
        ],
    }
    if doc_number:
        payload["DocNumber"] = doc_number
    return payload
