"""The query language: grammar, escaping, filterable fields, paging, count, faults."""

import pytest

from qbo_sandbox import query
from qbo_sandbox.faults import QboFault
from qbo_sandbox.tests.helpers import fault_codes, invoice_payload


def rows(response, entity):
    assert response.status_code == 200, response.text
    return response.json()["QueryResponse"].get(entity, [])


def test_escaped_quote_and_case_insensitive_keywords(us):
    found = rows(
        us.query("SeLeCt * FrOm customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'"), "Customer"
    )
    assert [c["Id"] for c in found] == ["1"]


def test_like_in_and_comparisons(us):
    assert {
        c["DisplayName"]
        for c in rows(us.query("select * from Customer where DisplayName like 'A%'"), "Customer")
    } == {"Amy's Bird Sanctuary", "Acme Supplies"}
    assert (
        len(rows(us.query("select * from Customer where Id in ('1', '2', '999')"), "Customer")) == 2
    )
    for amount in (10, 20, 30):
        us.create("Invoice", invoice_payload(amount=float(amount)))
    big = rows(
        us.query("select * from Invoice where TotalAmt >= '20' and TotalAmt < 30"), "Invoice"
    )
    assert [i["TotalAmt"] for i in big] == [20.0]


def test_ref_and_metadata_fields(srv, us):
    us.create("Invoice", invoice_payload(customer="2"))
    mine = rows(us.query("select * from Invoice where CustomerRef = '2'"), "Invoice")
    assert len(mine) == 1
    since = srv.clock.stamp(srv.clock.time() - 60)
    recent = rows(
        us.query(f"select * from Invoice where MetaData.LastUpdatedTime >= '{since}'"), "Invoice"
    )
    assert len(recent) == 1


def test_inactive_rows_hidden_unless_active_is_filtered(us):
    names = {c["DisplayName"] for c in rows(us.query("select * from Customer"), "Customer")}
    assert "Old Client (deleted)" not in names
    everything = rows(us.query("select * from Customer where Active in (true, false)"), "Customer")
    assert "Old Client (deleted)" in {c["DisplayName"] for c in everything}
    inactive = rows(us.query("select * from Customer where Active = false"), "Customer")
    assert [c["DisplayName"] for c in inactive] == ["Old Client (deleted)"]


def test_count_and_paging(us):
    for n in range(5):
        us.create("Invoice", invoice_payload(DocNumber=f"P{n}"))
    count = us.query("select count(*) from Invoice").json()["QueryResponse"]
    assert count == {"totalCount": 5}
    page = us.query("select * from Invoice orderby DocNumber desc startposition 2 maxresults 2")
    body = page.json()["QueryResponse"]
    assert [i["DocNumber"] for i in body["Invoice"]] == ["P3", "P2"]
    # transaction pages carry totalCount (the rows of this page), name lists don't
    assert body["startPosition"] == 2 and body["maxResults"] == 2 and body["totalCount"] == 2
    assert "totalCount" not in us.query("select * from Term").json()["QueryResponse"]
    empty = us.query("select * from Invoice startposition 10").json()["QueryResponse"]
    assert empty == {}


def test_default_maxresults_is_100():
    assert query.parse("select * from Invoice").max_results == 100
    assert query.parse("select * from Invoice MAXRESULTS 1000").max_results == 1000


def test_post_query_with_text_body(us):
    for content_type in ("application/text", "text/plain"):
        response = us.session.post(
            f"{us.base}/query",
            data="select * from Term",
            headers=us.headers(**{"Content-Type": content_type}),
        )
        assert len(rows(response, "Term")) == 4


PARSE_ERROR = ("4000", "Error parsing query", "QueryParserError: ")
UNFILTERABLE = ("4001", "Invalid query", "QueryValidationError: ")


@pytest.mark.parametrize(
    "sql, fault",
    [
        ("select Id from Customer", PARSE_ERROR),
        ("select * from Customer where DisplayName = 'unterminated", PARSE_ERROR),
        ("select * from Customer where DisplayName != 'x'", PARSE_ERROR),
        ("select * from Customer where DisplayName = 'a' or DisplayName = 'b'", PARSE_ERROR),
        ("select * Customer", PARSE_ERROR),
        ("select * from Customer where", PARSE_ERROR),
        ("select * from Vendor where PrimaryEmailAddr = 'a@b.c'", UNFILTERABLE),
        ("select * from Invoice where NoSuchField = '1'", UNFILTERABLE),
        ("select * from Invoice orderby NoSuchField", UNFILTERABLE),
    ],
)
def test_query_faults(us, sql, fault):
    """Bad syntax is 4000, a property that can't be filtered or sorted on is 4001."""
    code, message, detail = fault
    response = us.query(sql)
    assert response.status_code == 400 and fault_codes(response) == [code]
    error = response.json()["Fault"]["Error"][0]
    assert error["Message"] == message
    assert error["Detail"].startswith(detail)


def test_customer_email_is_filterable(us):
    found = rows(
        us.query("select * from Customer where PrimaryEmailAddr = 'birds@example.com'"), "Customer"
    )
    assert [c["Id"] for c in found] == ["1"]


def test_tokenizer_unescapes_backslashes():
    parsed = query.parse(r"select * from Item where Name = 'It\'s \\ odd'")
    assert parsed.where[0].values == ["It's \\ odd"]
    with pytest.raises(QboFault):
        query.parse("")
