from datetime import date
from decimal import Decimal

import pytest

from qbo import query


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ACME", "'ACME'"),
        ("Amy's Bird Sanctuary", "'Amy\\'s Bird Sanctuary'"),
        ("a\\b", "'a\\\\b'"),
        ("end\\", "'end\\\\'"),
        ("\\'", "'\\\\\\''"),
        ("", "''"),
        (42, "'42'"),
        (Decimal("300.00"), "'300.00'"),
        (date(2026, 1, 31), "'2026-01-31'"),
        ("Zoë’s", "'Zoë’s'"),  # curly apostrophes are other characters: left alone
    ],
)
def test_quote(value, expected):
    assert query.quote(value) == expected


@pytest.mark.parametrize("value", [None, True, False, object()])
def test_quote_refuses_non_literals(value):
    with pytest.raises(TypeError):
        query.quote(value)


def test_in_list():
    assert query.in_list(["12", "13"]) == "('12','13')"
    assert query.in_list(x for x in ["O'Hara"]) == "('O\\'Hara')"
    with pytest.raises(ValueError):
        query.in_list([])


def test_select_and_count():
    assert (
        query.select("invoice", "DocNumber = 'S1'", "Id DESC", 1001, 1000)
        == "SELECT * FROM Invoice WHERE DocNumber = 'S1' ORDERBY Id DESC STARTPOSITION 1001 "
        "MAXRESULTS 1000"
    )
    assert query.select("journalentry") == "SELECT * FROM JournalEntry"
    assert query.count("Customer", "Active = true") == (
        "SELECT COUNT(*) FROM Customer WHERE Active = true"
    )
    for bad in (0, 1001):
        with pytest.raises(ValueError):
            query.select("Invoice", max_results=bad)
    with pytest.raises(ValueError):
        query.select("Invoice; drop")


def test_rows_finds_the_entity_list():
    assert query.rows({"Customer": [{"Id": "1"}], "startPosition": 1, "maxResults": 1}) == [
        {"Id": "1"}
    ]
    assert query.rows({"startPosition": 1, "maxResults": 0}) == []
