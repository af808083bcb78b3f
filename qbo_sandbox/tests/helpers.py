"""Helpers shared by the sandbox tests: an HTTP client for one realm and payload builders."""

import requests


class Api:
    """Authorised calls to one realm of the sandbox's Accounting API."""

    def __init__(self, srv, realm_id, token=None):
        self.srv = srv
        self.realm = realm_id
        self.token = token or srv.grant(realm_id)["access_token"]
        self.session = requests.Session()

    @property
    def base(self):
        return f"{self.srv.url}/v3/company/{self.realm}"

    def headers(self, **extra):
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json", **extra}

    def get(self, path, **params):
        params.setdefault("minorversion", "75")
        return self.session.get(self.base + path, params=params, headers=self.headers(), timeout=10)

    def post(self, path, payload, **params):
        params.setdefault("minorversion", "75")
        return self.session.post(
            self.base + path, json=payload, params=params, headers=self.headers(), timeout=10
        )

    def post_text(self, path, text):
        return self.session.post(
            self.base + path,
            data=text.encode(),
            params={"minorversion": "75"},
            headers=self.headers(**{"Content-Type": "text/plain"}),
            timeout=10,
        )

    def query(self, sql):
        return self.get("/query", query=sql)

    def create(self, entity, payload, **params):
        response = self.post(f"/{entity.lower()}", payload, **params)
        assert response.status_code == 200, response.text
        return response.json()[entity]

    def read(self, entity, obj_id):
        return self.get(f"/{entity.lower()}/{obj_id}")


def fault_codes(response) -> list[str]:
    return [e["code"] for e in response.json()["Fault"]["Error"]]


def invoice_payload(customer="1", amount=100.0, item="2", tax="NON", **extra):
    return {
        "CustomerRef": {"value": customer},
        "Line": [
            {
                "DetailType": "SalesItemLineDetail",
                "Amount": amount,
                "SalesItemLineDetail": {
                    "ItemRef": {"value": item},
                    "Qty": 1,
                    "UnitPrice": amount,
                    "TaxCodeRef": {"value": tax},
                },
            }
        ],
        **extra,
    }


def bill_payload(vendor="5", amount=50.0, account="7", tax=None, **extra):
    detail = {"AccountRef": {"value": account}}
    if tax:
        detail["TaxCodeRef"] = {"value": tax}
    return {
        "VendorRef": {"value": vendor},
        "Line": [
            {
                "DetailType": "AccountBasedExpenseLineDetail",
                "Amount": amount,
                "AccountBasedExpenseLineDetail": detail,
            }
        ],
        **extra,
    }


def je_payload(amount=10.0, debit="3", credit="4", **extra):
    def line(posting, account):
        return {
            "DetailType": "JournalEntryLineDetail",
            "Amount": amount,
            "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account}},
        }

    return {"Line": [line("Debit", debit), line("Credit", credit)], **extra}
