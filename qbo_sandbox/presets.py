"""The preset OAuth app and companies (a US and a GB sandbox company)."""

import copy
from datetime import date, datetime, timedelta

from .entities import ENTITIES, Ctx
from .store import CompanyStore

US_REALM = "9341453050298461"
GB_REALM = "9341453050298462"
CLIENT_ID = "ABsandboxQ0F7y2mVn5hXw8LkR3tJcP1uD6eS9iGb4aZoNq7WfE"
CLIENT_SECRET = "sandboxSecretV4q9Lm2Xr7Tn5Kp8Wz3Hc6Jd1Fb0Gs"
VERIFIER_TOKEN = "6f1c2a9e-3b7d-4e58-9a0c-5d2e8f7b1c34"
REDIRECT_URIS = None  # the preset app accepts any redirect URI

PRESET_AGE_DAYS = 60  # preset records were created this long before the server started


class _PastClock:
    """Stamps preset records in the past, so CDC windows start empty."""

    def __init__(self, clock, days: int):
        self._clock = clock
        self._at = clock.time() - days * 86400

    def stamp(self, at=None):
        return self._clock.stamp(self._at)

    def today(self):
        return date.fromtimestamp(self._at)


def _account(name, account_type, sub_type, number=None):
    data = {"Name": name, "AccountType": account_type, "AccountSubType": sub_type}
    if number:
        data["AcctNum"] = number
    return data


#: the preset chart of accounts, (name, type, sub-type) a row; the store gives them their
#: Ids in this order
CHART = [
    _account(*row)
    for row in (
        ("Services", "Income", "ServiceFeeIncome"),
        ("Sales of Product Income", "Income", "SalesOfProductIncome"),
        ("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
        ("Inventory Asset", "Other Current Asset", "Inventory"),
        ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
        ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
        ("Advertising", "Expense", "AdvertisingPromotional"),
        ("Office Expenses", "Expense", "OfficeGeneralAdministrativeExpenses"),
        ("Checking", "Bank", "Checking"),
        ("Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
        ("Mastercard", "Credit Card", "CreditCard"),
        ("Opening Balance Equity", "Equity", "OpeningBalanceEquity"),
        ("Sales Tax Payable", "Other Current Liability", "GlobalTaxPayable"),
    )
]
TERMS = [("Due on receipt", 0), ("Net 15", 15), ("Net 30", 30), ("Net 60", 60)]
NET_30 = "3"


def _addr(line1, city, postal, country, region=None):
    addr = {"Line1": line1, "City": city, "PostalCode": postal, "Country": country}
    if region:
        addr["CountrySubDivisionCode"] = region
    return addr


def _party(name, given, family, email, currency=None, **extra):
    data = {
        "DisplayName": name,
        "GivenName": given,
        "FamilyName": family,
        "CompanyName": name,
        "PrimaryEmailAddr": {"Address": email},
        "PrimaryPhone": {"FreeFormNumber": "(555) 010-%04d" % (sum(map(ord, name)) % 10000)},
        **extra,
    }
    if currency:
        data["CurrencyRef"] = {"value": currency}
    return data


# Parties both preset companies hold: a customer and a vendor each named like a party of the
# other kind (QBO refuses such a name, 6240), and an employee.
ACME_SUPPLIES = _party(
    "Acme Supplies",
    "Ann",
    "Acme",
    "ar@acme-supplies.example",
    Notes="Also a supplier: a vendor of this name would clash (6240).",
)
BLUE_SKY = _party(
    "Blue Sky Logistics",
    "Ben",
    "Sky",
    "ap@bluesky.example",
    Notes="Also a customer: a customer of this name would clash (6240).",
)
EMILY = _party("Emily Platt", "Emily", "Platt", "emily@example.com")


DEFAULT_ADDRESS = {
    "US": _addr("1 Main Street", "Springfield", "62701", "US", "IL"),
    "GB": _addr("1 High Street", "Manchester", "M1 1AA", "GB"),
}


def _company_info(realm, name, country, addr, email, phone, start):
    addr_with_id = dict(addr, Id="1")
    return {
        "Id": "1",
        "SyncToken": "3",
        "CompanyName": name,
        "LegalName": name,
        "Country": country,
        "CompanyAddr": addr_with_id,
        "LegalAddr": addr_with_id,
        "CustomerCommunicationAddr": addr_with_id,
        "Email": {"Address": email},
        "PrimaryPhone": {"FreeFormNumber": phone},
        "WebAddr": {},
        "FiscalYearStartMonth": "January",
        "SupportedLanguages": "en",
        "CompanyStartDate": start,
        "EmployerId": "123456789" if country == "US" else "",
        "NameValue": [
            {"Name": "NeoEnabled", "Value": "true"},
            {"Name": "SubscriptionStatus", "Value": "PAID"},
            {"Name": "OfferingSku", "Value": "QuickBooks Online Plus"},
            {"Name": "PayrollFeature", "Value": "false"},
            {"Name": "AccountantFeature", "Value": "false"},
            {"Name": "IsQbdtMigrated", "Value": "false"},
            {"Name": "ItemCategoriesFeature", "Value": "false"},
            {"Name": "CompanyType", "Value": "Other"},
        ],
        "domain": "QBO",
        "sparse": False,
    }


def _preferences(currency, custom_numbers, multi_currency, tax_group=None):
    tax_prefs = {"UsingSalesTax": True, "PartnerTaxEnabled": False}
    if tax_group:
        tax_prefs["TaxGroupCodeRef"] = {"value": tax_group}
    return {
        "Id": "1",
        "SyncToken": "5",
        "AccountingInfoPrefs": {
            "TrackDepartments": False,
            "DepartmentTerminology": "Location",
            "ClassTrackingPerTxn": False,
            "ClassTrackingPerTxnLine": False,
            "CustomerTerminology": "Customers",
        },
        "ProductAndServicesPrefs": {
            "ForSales": True,
            "ForPurchase": True,
            "QuantityWithPriceAndRate": True,
            "QuantityOnHand": True,
        },
        "SalesFormsPrefs": {
            "CustomField": [
                {
                    "CustomField": [
                        {
                            "Name": "SalesFormsPrefs.UseSalesCustom1",
                            "Type": "BooleanType",
                            "BooleanValue": False,
                        },
                    ]
                }
            ],
            "CustomTxnNumbers": custom_numbers,
            "AllowDeposit": False,
            "AllowDiscount": True,
            "AllowEstimates": True,
            "ETransactionEnabledStatus": "NotApplicable",
            "ETransactionAttachPDF": False,
            "ETransactionPaymentEnabled": False,
            "IPNSupportEnabled": False,
            "AllowServiceDate": False,
            "AllowShipping": False,
            "UsingPriceLevels": False,
            "DefaultTerms": {"value": NET_30},
            "DefaultCustomerMessage": "Thank you for your business.",
        },
        "EmailMessagesPrefs": {
            kind: {
                "Subject": f"{label} from the sandbox company",
                "Message": f"Your {label.lower()} is attached.\nThank you for your business.",
            }
            for kind, label in (
                ("InvoiceMessage", "Invoice"),
                ("EstimateMessage", "Estimate"),
                ("SalesReceiptMessage", "Sales Receipt"),
                ("StatementMessage", "Statement"),
            )
        },
        "VendorAndPurchasesPrefs": {
            "TrackingByCustomer": False,
            "BillableExpenseTracking": False,
            "DefaultTerms": {"value": NET_30},
            "POCustomField": [
                {
                    "CustomField": [
                        {
                            "Name": "PurchasePrefs.UsePurchaseCustom1",
                            "Type": "BooleanType",
                            "BooleanValue": False,
                        },
                    ]
                }
            ],
        },
        "TimeTrackingPrefs": {
            "UseServices": True,
            "BillCustomers": False,
            "ShowBillRateToAll": False,
            "WorkWeekStartDate": "Monday",
            "MarkTimeEntriesBillable": False,
        },
        "TaxPrefs": tax_prefs,
        "CurrencyPrefs": {
            "MultiCurrencyEnabled": multi_currency,
            "HomeCurrency": {"value": currency},
        },
        "ReportPrefs": {"ReportBasis": "Accrual", "CalcAgingReportFromTxnDate": False},
        "OtherPrefs": {
            "NameValue": [
                {
                    "Name": "SalesFormsPrefs.DefaultCustomerMessage",
                    "Value": "Thank you for your business.",
                },
                {"Name": "SalesFormsPrefs.DefaultItem", "Value": "1"},
                {"Name": "UncategorizedIncomeAccountId", "Value": "1"},
            ]
        },
        "domain": "QBO",
        "sparse": False,
    }


def _rate(rate_id, name, value, agency="1"):
    return {
        "Id": rate_id,
        "Name": name,
        "Description": name,
        "RateValue": value,
        "AgencyRef": {"value": agency},
        "SpecialTaxType": "NONE",
        "DisplayType": "ReadOnly",
        "EffectiveTaxRate": [{"RateValue": value, "EffectiveDate": "2015-01-01T00:00:00-08:00"}],
        "Active": True,
        "domain": "QBO",
        "sparse": False,
        "SyncToken": "0",
    }


def _code(code_id, name, sales=(), purchase=(), taxable=True, group=False):
    code = {
        "Id": code_id,
        "Name": name,
        "Description": name,
        "Active": True,
        "Hidden": False,
        "Taxable": taxable,
        "TaxGroup": group,
        "TaxCodeConfigType": "SYSTEM_GENERATED",
        "domain": "QBO",
        "sparse": False,
        "SyncToken": "0",
    }
    for key, rates in (("SalesTaxRateList", sales), ("PurchaseTaxRateList", purchase)):
        code[key] = {
            "TaxRateDetail": [
                {
                    "TaxRateRef": {"value": r, "name": n},
                    "TaxTypeApplicable": "TaxOnAmount",
                    "TaxOrder": 0,
                }
                for r, n in rates
            ]
        }
    return code


US_RATES = [
    _rate("1", "California", 7.25),
    _rate("2", "Alameda County", 1.0),
    _rate("3", "Massachusetts", 6.25),
]
US_CODES = [
    _code("TAX", "TAX", taxable=True),
    _code("NON", "NON", taxable=False),
    _code("2", "Alameda", sales=[("1", "California"), ("2", "Alameda County")], group=True),
    _code("3", "Boston", sales=[("3", "Massachusetts")], group=True),
]
for _c in US_CODES[:2]:
    _c.pop("SalesTaxRateList")
    _c.pop("PurchaseTaxRateList")

GB_RATES = [
    _rate("1", "20.0% S (sales)", 20.0),
    _rate("2", "20.0% S (purchases)", 20.0),
    _rate("3", "5.0% R (sales)", 5.0),
    _rate("4", "5.0% R (purchases)", 5.0),
    _rate("5", "0.0% Z (sales)", 0.0),
    _rate("6", "0.0% Z (purchases)", 0.0),
    _rate("7", "Exempt (sales)", 0.0),
    _rate("8", "Exempt (purchases)", 0.0),
]
GB_CODES = [
    _code("2", "20.0% S", [("1", "20.0% S (sales)")], [("2", "20.0% S (purchases)")]),
    _code("3", "5.0% R", [("3", "5.0% R (sales)")], [("4", "5.0% R (purchases)")]),
    _code("4", "0.0% Z", [("5", "0.0% Z (sales)")], [("6", "0.0% Z (purchases)")]),
    _code("5", "Exempt", [("7", "Exempt (sales)")], [("8", "Exempt (purchases)")], taxable=False),
    _code("6", "No VAT", taxable=False),
]
GB_CODES[-1].pop("SalesTaxRateList")
GB_CODES[-1].pop("PurchaseTaxRateList")

COMPANIES = {
    US_REALM: {
        "name": "Sandbox Company US",
        "country": "US",
        "currency": "USD",
        "addr": _addr("2500 Garcia Ave", "Mountain View", "94043", "US", "CA"),
        "email": "noreply@sandbox-us.example",
        "phone": "(650) 944-4444",
        "multi_currency": False,
        "tax_group": "2",
        "rates": US_RATES,
        "codes": US_CODES,
        "sequences": {"name": 1, "item": 1, "account": 1, "term": 1, "txn": 101},
        "customers": [
            _party(
                "Amy's Bird Sanctuary",
                "Amy",
                "Lauterbach",
                "birds@example.com",
                BillAddr=_addr("4581 Finch St.", "Bayshore", "94326", "US", "CA"),
                SalesTermRef={"value": NET_30},
                Taxable=True,
            ),
            _party(
                "Cool Cars", "Grace", "Pariente", "cool_cars@example.com", CompanyName="Cool Cars"
            ),
            ACME_SUPPLIES,
            _party("Old Client", "Otto", "Client", "old@example.com", Active=False),
        ],
        "vendors": [
            _party("Bob's Burger Joint", "Bob", "Burger", "bob@example.com"),
            _party(
                "Books by Bessie",
                "Bessie",
                "Williams",
                "books@example.com",
                TermRef={"value": NET_30},
            ),
            BLUE_SKY,
        ],
        "employees": [
            EMILY,
            _party("John Johnson", "John", "Johnson", "john@example.com"),
        ],
    },
    GB_REALM: {
        "name": "Sandbox Company UK Ltd",
        "country": "GB",
        "currency": "GBP",
        "addr": _addr("12 Market Street", "London", "EC1A 1BB", "GB"),
        "email": "noreply@sandbox-gb.example",
        "phone": "020 7946 0000",
        "multi_currency": True,
        "tax_group": None,
        "rates": GB_RATES,
        "codes": GB_CODES,
        "sequences": {"name": 1, "item": 1, "account": 1, "term": 1, "txn": 501},
        "customers": [
            _party(
                "Brighton Bakery Ltd",
                "Bella",
                "Baker",
                "accounts@brighton-bakery.example",
                CompanyName="Brighton Bakery Ltd",
                BillAddr=_addr("1 North St", "Brighton", "BN1 1AA", "GB"),
            ),
            _party(
                "Paris Bistro SARL",
                "Pierre",
                "Dubois",
                "compta@paris-bistro.example",
                "EUR",
                CompanyName="Paris Bistro SARL",
            ),
            ACME_SUPPLIES,
        ],
        "vendors": [
            _party("London Print Co", "Lee", "Print", "ap@londonprint.example"),
            _party("Berlin Parts GmbH", "Bernd", "Teile", "rechnung@berlinparts.example", "EUR"),
            BLUE_SKY,
        ],
        "employees": [EMILY],
    },
}


def _items(accounts: dict, is_us: bool) -> list[dict]:
    def ref(name):
        return {"value": accounts[name]}

    tax = {} if is_us else {"SalesTaxCodeRef": {"value": "2"}, "PurchaseTaxCodeRef": {"value": "2"}}
    return [
        {
            "Name": "Services",
            "Type": "Service",
            "UnitPrice": 0,
            "IncomeAccountRef": ref("Services"),
            **tax,
        },
        {
            "Name": "Hours",
            "Type": "Service",
            "UnitPrice": 75,
            "Sku": "HRS-001",
            "IncomeAccountRef": ref("Services"),
            **tax,
        },
        {
            "Name": "Widget",
            "Type": "Inventory",
            "Sku": "WID-001",
            "UnitPrice": 25,
            "PurchaseCost": 12,
            "QtyOnHand": 100,
            "InvStartDate": "2024-01-01",
            "IncomeAccountRef": ref("Sales of Product Income"),
            "ExpenseAccountRef": ref("Cost of Goods Sold"),
            "AssetAccountRef": ref("Inventory Asset"),
            "Taxable": is_us,
            **tax,
        },
        {
            "Name": "Gadget",
            "Type": "NonInventory",
            "Sku": "GAD-001",
            "UnitPrice": 40,
            "PurchaseCost": 22,
            "IncomeAccountRef": ref("Sales of Product Income"),
            "ExpenseAccountRef": ref("Cost of Goods Sold"),
            "Taxable": is_us,
            **tax,
        },
        {
            "Name": "Discontinued Part",
            "Type": "NonInventory",
            "Sku": "OLD-001",
            "Active": False,
            "IncomeAccountRef": ref("Sales of Product Income"),
            **tax,
        },
    ]


def _stamp_static(obj: dict, stamp: str) -> dict:
    obj.setdefault("MetaData", {"CreateTime": stamp, "LastUpdatedTime": stamp})
    return obj


def build_company(realm_id: str, clock) -> CompanyStore:
    """A fresh preset company, its objects created through the normal entity rules."""
    spec = COMPANIES[realm_id]
    company = CompanyStore(realm_id, spec["country"], spec["sequences"])
    past = _PastClock(clock, PRESET_AGE_DAYS)
    stamp = past.stamp()
    start = (datetime.fromtimestamp(past._at) - timedelta(days=365)).date().isoformat()
    company.put(
        "Preferences",
        _stamp_static(
            _preferences(spec["currency"], True, spec["multi_currency"], spec["tax_group"]), stamp
        ),
    )
    company.put(
        "CompanyInfo",
        _stamp_static(
            _company_info(
                realm_id,
                spec["name"],
                spec["country"],
                spec["addr"],
                spec["email"],
                spec["phone"],
                start,
            ),
            stamp,
        ),
    )
    for obj in spec["rates"] + spec["codes"]:
        kind = "TaxRate" if "RateValue" in obj else "TaxCode"
        company.put(kind, _stamp_static(dict(obj), stamp))
    ctx = Ctx(company, past)
    accounts = {}
    for data in CHART:
        data = dict(data)
        if spec["country"] != "US" and data["Name"] == "Sales Tax Payable":
            data["Name"] = "VAT Control"
        accounts[data["Name"]] = ENTITIES["Account"].create(ctx, data)["Id"]
    for name, days in TERMS:
        ENTITIES["Term"].create(ctx, {"Name": name, "DueDays": days})
    for kind, key in (("Customer", "customers"), ("Vendor", "vendors"), ("Employee", "employees")):
        for data in spec[key]:
            data = copy.deepcopy(data)
            address_key = "PrimaryAddr" if kind == "Employee" else "BillAddr"
            data.setdefault(address_key, DEFAULT_ADDRESS[spec["country"]])
            if kind == "Employee":
                data.pop("CompanyName")
            ENTITIES[kind].create(ctx, data)
    for data in _items(accounts, spec["country"] == "US"):
        ENTITIES["Item"].create(ctx, data)
    return company
