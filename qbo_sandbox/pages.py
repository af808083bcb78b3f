"""Plain HTML pages: companies, documents at QBO's deep-link URLs, the OAuth consent page."""

from html import escape
from urllib.parse import parse_qs, urlencode

from . import faults
from .entities import ENTITIES
from .responses import html_response, redirect

# deep-link kind -> (entity, id parameter, title)
DOC_PAGES = {
    "invoice": ("Invoice", "txnId", "Invoice"),
    "bill": ("Bill", "txnId", "Bill"),
    "creditmemo": ("CreditMemo", "txnId", "Credit memo"),
    "vendorcredit": ("VendorCredit", "txnId", "Vendor credit"),
    "journal": ("JournalEntry", "txnId", "Journal entry"),
    "customerdetail": ("Customer", "nameId", "Customer"),
    "vendordetail": ("Vendor", "nameId", "Vendor"),
}
PARTY_KEY = {
    "Invoice": "CustomerRef",
    "Bill": "VendorRef",
    "CreditMemo": "CustomerRef",
    "VendorCredit": "VendorRef",
}
STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.num{text-align:right}"
    "form{display:inline;margin-right:1em}.error{color:#b00}"
)


def page(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><p><a href='/'>QBO sandbox</a></p>"
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )


def table(headers: list[str], rows: list[list[str]]) -> str:
    """``rows`` hold already-escaped HTML cells."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def link(path: str, text, **params) -> str:
    return f"<a href='{escape(path + '?' + urlencode(params))}'>{escape(str(text))}</a>"


def status_of(doc: dict, today: str) -> str:
    total, balance = doc.get("TotalAmt", 0), doc.get("Balance")
    if total == 0 and str(doc.get("PrivateNote", "")).startswith("Voided"):
        return "Voided"
    if balance is None:
        return ""
    if balance == 0 and total:
        return "Paid"
    if 0 < balance < total:
        return "Partially paid"
    if doc.get("DueDate") and doc["DueDate"] < today:
        return "Overdue"
    return "Open"


def index(sandbox) -> str:
    rows = []
    for realm_id, company in sandbox.companies.items():
        info = company.get("CompanyInfo", "1")
        rows.append(
            [
                link("/app/homepage", info["CompanyName"], companyId=realm_id),
                escape(realm_id),
                escape(info["Country"]),
            ]
        )
    return page("Sandbox companies", table(["Company", "Realm id", "Country"], rows))


def company_page(sandbox, realm_id: str) -> str:
    company = sandbox.store(realm_id)
    today = sandbox.clock.today().isoformat()
    parts = []
    for kind, (entity, _param, title) in DOC_PAGES.items():
        if entity not in ("Invoice", "Bill", "CreditMemo", "VendorCredit", "JournalEntry"):
            continue
        rows = []
        for doc in company.all(entity):
            party_key = PARTY_KEY.get(entity)
            party = doc.get(party_key, {}) if party_key else {}
            rows.append(
                [
                    link(
                        f"/app/{kind}",
                        doc.get("DocNumber") or f"#{doc['Id']}",
                        txnId=doc["Id"],
                        companyId=realm_id,
                    ),
                    escape(party.get("name", "")),
                    escape(doc.get("TxnDate", "")),
                    f"<span class='num'>{doc.get('TotalAmt', 0):.2f}</span>",
                    f"<span class='num'>{doc['Balance']:.2f}</span>" if "Balance" in doc else "",
                    escape(status_of(doc, today)),
                ]
            )
        parts.append(
            f"<h2>{escape(title)}s</h2>"
            + table(["Number", "Customer/Vendor", "Date", "Total", "Balance", "Status"], rows)
        )
    info = company.get("CompanyInfo", "1")
    return page(f"{info['CompanyName']} ({realm_id})", "".join(parts))


def button(action: str, label: str, fields: dict, extra: str = "") -> str:
    hidden = "".join(
        f"<input type='hidden' name='{escape(k)}' value='{escape(str(v))}'>"
        for k, v in fields.items()
    )
    return (
        f"<form method='post' action='{escape(action)}'>{hidden}{extra}"
        f"<button type='submit'>{escape(label)}</button></form>"
    )


def line_rows(doc: dict) -> list[list[str]]:
    rows = []
    for line in doc.get("Line") or []:
        kind = line.get("DetailType", "")
        detail = line.get(kind) or {}
        target = detail.get("ItemRef") or detail.get("AccountRef") or {}
        rows.append(
            [
                escape(str(line.get("LineNum", line.get("Id", "")))),
                escape(kind),
                escape(target.get("name", "")),
                escape(str(line.get("Description", ""))),
                escape(str(detail.get("Qty", ""))),
                escape(str(detail.get("UnitPrice", ""))),
                escape(detail.get("PostingType", "")),
                f"<span class='num'>{line.get('Amount', 0):.2f}</span>",
            ]
        )
    return rows


def document_page(sandbox, kind: str, realm_id: str, obj_id: str, message: str = "") -> str:
    entity, _param, title = DOC_PAGES[kind]
    company = sandbox.store(realm_id)
    doc = company.get(entity, obj_id)
    if doc is None:
        gone = "deleted" if company.is_deleted(entity, obj_id) else "not found"
        return page(
            f"{title} {obj_id}",
            f"<p class='error'>This {escape(title.lower())} was "
            f"{gone}.</p>{link('/app/homepage', 'Back to company', companyId=realm_id)}",
        )
    notice = f"<p class='error'>{escape(message)}</p>" if message else ""
    if entity in ("Customer", "Vendor"):
        return page(
            f"{title}: {doc['DisplayName']}", notice + party_details(sandbox, company, entity, doc)
        )
    party = doc.get(PARTY_KEY.get(entity, ""), {})
    facts = [
        ["Number", escape(doc.get("DocNumber", ""))],
        ["Customer/Vendor", escape(party.get("name", ""))],
        ["Date", escape(doc.get("TxnDate", ""))],
        ["Due", escape(doc.get("DueDate", ""))],
        ["Currency", escape(doc.get("CurrencyRef", {}).get("value", ""))],
        ["Total", f"{doc.get('TotalAmt', 0):.2f}"],
        ["Tax", f"{doc.get('TxnTaxDetail', {}).get('TotalTax', 0):.2f}"],
        ["Balance", f"{doc['Balance']:.2f}" if "Balance" in doc else ""],
        ["Status", escape(status_of(doc, sandbox.clock.today().isoformat()))],
        ["Memo", escape(doc.get("PrivateNote", ""))],
        ["Id / SyncToken", escape(f"{doc['Id']} / {doc['SyncToken']}")],
    ]
    fields = {"companyId": realm_id, "txnId": doc["Id"]}
    actions = button(f"/app/{kind}/delete", "Delete", fields)
    if entity in ("Invoice", "Bill") and doc.get("Balance", 0) > 0:
        label = "Receive payment" if entity == "Invoice" else "Pay bill"
        amount = f"<input name='amount' size='8' value='{doc['Balance']:.2f}' aria-label='amount'> "
        actions += button(f"/app/{kind}/payment", label, fields, amount)
    if entity == "Invoice":
        actions += button(f"/app/{kind}/void", "Void", fields)
    lines = table(
        ["#", "Type", "Item/Account", "Description", "Qty", "Rate", "Posting", "Amount"],
        line_rows(doc),
    )
    back = link("/app/homepage", "Back to company", companyId=realm_id)
    return page(
        f"{title} {doc.get('DocNumber') or doc['Id']}",
        notice
        + table(["Field", "Value"], facts)
        + "<h2>Lines</h2>"
        + lines
        + f"<p>{actions}</p><p>{back}</p>",
    )


def party_details(sandbox, company, entity: str, party: dict) -> str:
    doc_entity, kind = ("Invoice", "invoice") if entity == "Customer" else ("Bill", "bill")
    key = PARTY_KEY[doc_entity]
    rows = [
        [
            link(
                f"/app/{kind}",
                d.get("DocNumber") or d["Id"],
                txnId=d["Id"],
                companyId=company.realm_id,
            ),
            escape(d.get("TxnDate", "")),
            f"{d.get('TotalAmt', 0):.2f}",
            f"{d.get('Balance', 0):.2f}",
        ]
        for d in company.all(doc_entity)
        if d.get(key, {}).get("value") == party["Id"]
    ]
    facts = [
        [escape(k), escape(str(party.get(k, "")))]
        for k in ("Id", "DisplayName", "CompanyName", "Active", "Balance")
    ]
    facts.append(["Email", escape((party.get("PrimaryEmailAddr") or {}).get("Address", ""))])
    return (
        table(["Field", "Value"], facts)
        + f"<h2>{doc_entity}s</h2>"
        + table(["Number", "Date", "Total", "Balance"], rows)
    )


def choose_company(sandbox, kind: str, obj_id: str) -> str:
    entity, param, title = DOC_PAGES[kind]
    rows = [
        [
            link(
                f"/app/{kind}",
                company.get("CompanyInfo", "1")["CompanyName"],
                **{param: obj_id, "companyId": realm},
            )
        ]
        for realm, company in sandbox.companies.items()
        if company.get(entity, obj_id)
    ]
    return page(
        f"{title} {obj_id}: which company?",
        table(["Company"], rows) if rows else "<p class='error'>No company has this document.</p>",
    )


def handle(sandbox, method: str, path: str, params: dict, body: bytes):
    if path == "/":
        return html_response(200, index(sandbox))
    parts = path.strip("/").split("/")  # app, kind[, action]
    realm_id = params.get("companyId")
    if method == "POST":
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        return post_action(sandbox, parts, form)
    if parts == ["app", "homepage"] and realm_id in sandbox.companies:
        return html_response(200, company_page(sandbox, realm_id))
    if len(parts) == 2 and parts[1] in DOC_PAGES:
        _entity, param, _title = DOC_PAGES[parts[1]]
        obj_id = params.get(param, "")
        if realm_id in sandbox.companies:
            return html_response(200, document_page(sandbox, parts[1], realm_id, obj_id))
        return html_response(200, choose_company(sandbox, parts[1], obj_id))
    return html_response(404, page("Not found", "<p>No such page.</p>"))


def post_action(sandbox, parts: list[str], form: dict):
    if len(parts) != 3 or parts[1] not in ("invoice", "bill", "journal"):
        return html_response(404, page("Not found", "<p>No such action.</p>"))
    kind, action = parts[1], parts[2]
    entity = DOC_PAGES[kind][0]
    realm_id, obj_id = form.get("companyId", ""), form.get("txnId", "")
    if realm_id not in sandbox.companies:
        return html_response(400, page("Unknown company", "<p>Unknown company.</p>"))
    try:
        if action == "delete":
            sandbox.delete_entity(realm_id, entity, obj_id)
            return redirect("/app/homepage?" + urlencode({"companyId": realm_id}))
        if action == "void" and ENTITIES[entity].voidable:
            sandbox.void_entity(realm_id, entity, obj_id)
        elif action == "payment" and entity in ("Invoice", "Bill"):
            amount = float(form.get("amount") or 0)
            pay = sandbox.add_payment if entity == "Invoice" else sandbox.add_bill_payment
            pay(realm_id, obj_id, amount)
        else:
            return html_response(404, page("Not found", "<p>No such action.</p>"))
    except (faults.QboFault, ValueError) as exc:
        return html_response(400, document_page(sandbox, kind, realm_id, obj_id, str(exc)))
    return redirect(f"/app/{kind}?" + urlencode({"txnId": obj_id, "companyId": realm_id}))


def authorize_page(sandbox, params: dict, error: str = "") -> str:
    app_fields = {
        k: params.get(k, "")
        for k in ("client_id", "redirect_uri", "response_type", "scope", "state")
    }
    hidden = "".join(
        f"<input type='hidden' name='{escape(k)}' value='{escape(v)}'>"
        for k, v in app_fields.items()
    )
    choices = "".join(
        f"<p><label><input type='radio' name='realm_id' value='{escape(realm)}'"
        f"{' checked' if n == 0 else ''}> {escape(c.get('CompanyInfo', '1')['CompanyName'])} "
        f"({escape(realm)})</label></p>"
        for n, (realm, c) in enumerate(sandbox.companies.items())
    )
    notice = f"<p class='error'>{escape(error)}</p>" if error else ""
    body = (
        f"{notice}<p>The app <b>{escape(app_fields['client_id'])}</b> asks for access "
        f"({escape(app_fields['scope'])}).</p>"
        f"<form method='post' action='/connect/oauth2'>{hidden}{choices}"
        "<button type='submit' name='action' value='allow'>Connect</button> "
        "<button type='submit' name='action' value='deny'>Cancel</button></form>"
    )
    return page("Connect to a sandbox company", body)


def oauth_error(exc) -> str:
    return page(
        "Authorization error",
        f"<p class='error'>{escape(exc.error)}: {escape(exc.description or '')}</p>",
    )
