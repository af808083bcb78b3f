"""The QuickBooks company a connection is linked to: what QBO says of it, and whether it fits."""

from . import sync_log

#: ISO 3166 alpha-3 -> alpha-2 for the countries QBO is sold in. Since late 2025 QBO
#: answers alpha-3 codes in CompanyInfo addresses and Country; older companies alpha-2.
_ALPHA3 = {
    "USA": "US",
    "CAN": "CA",
    "GBR": "GB",
    "AUS": "AU",
    "IND": "IN",
    "FRA": "FR",
    "IRL": "IE",
    "NZL": "NZ",
    "ZAF": "ZA",
    "SGP": "SG",
    "HKG": "HK",
    "MYS": "MY",
    "PHL": "PH",
    "ARE": "AE",
    "BRA": "BR",
    "MEX": "MX",
}


def country_alpha2(code):
    """The ISO alpha-2 code of a country QBO names by its alpha-2 or alpha-3 code."""
    code = (code or "").strip().upper()
    return _ALPHA3.get(code, code) if len(code) == 3 else code or False


@sync_log.about(source="setup")
def read_company(connection, client):
    """Read CompanyInfo and Preferences from QBO into ``connection``."""
    connection.ensure_one()
    info = client.company_info()
    prefs = client.preferences()
    connection.sudo().write(
        {
            "qbo_company_name": info.get("CompanyName"),
            "qbo_country": country_alpha2(info.get("Country")),
            "qbo_currency": prefs.get("CurrencyPrefs", {}).get("HomeCurrency", {}).get("value"),
            "custom_txn_numbers": bool(prefs.get("SalesFormsPrefs", {}).get("CustomTxnNumbers")),
            "multi_currency": bool(prefs.get("CurrencyPrefs", {}).get("MultiCurrencyEnabled")),
            "automated_sales_tax": bool(prefs.get("TaxPrefs", {}).get("PartnerTaxEnabled")),
            "allow_shipping": bool(prefs.get("SalesFormsPrefs", {}).get("AllowShipping")),
        }
    )


def mismatch_warning(connection):
    """Why the QBO company may not be the one of the Odoo company (``False`` when it fits)."""
    env = connection.env
    company = connection.company_id
    # (QuickBooks' value, Odoo's, the words for the two when both are known and differ)
    facts = (
        (
            connection.qbo_currency,
            company.currency_id.name,
            env._("its home currency is %(qbo)s while %(company)s keeps its books in %(odoo)s"),
        ),
        (
            connection.qbo_country,
            company.country_id.code,
            env._("it is a %(qbo)s company while %(company)s is in %(odoo)s"),
        ),
    )
    problems = [
        words % {"qbo": qbo, "company": company.name, "odoo": odoo}
        for qbo, odoo, words in facts
        if qbo and odoo and qbo != odoo
    ]
    if not problems:
        return False
    return env._(
        "Check that this is the right QuickBooks company: %(problems)s. "
        "Amounts would be recorded in QuickBooks as they are in Odoo.",
        problems="; ".join(problems),
    )
