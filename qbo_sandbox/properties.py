"""The properties QBO accepts, one table per entity and per line DetailType.

From Intuit's API reference (minor version 75) and the real payloads in
``shared/qbo_samples``. Read-only properties the server sets (``MetaData``, ``Balance``,
``TotalAmt`` of invoices and bills...) are listed: QBO accepts them in a request, as a full
update sends back what was read, and overwrites them. Anything else is fault 2010.
"""

from . import const
from .schema import SCALAR, Lines, Many, Obj, Text, scalars

# -- shared complex types -----------------------------------------------------------------------
REF = Obj("ReferenceType", scalars("value", "name", "type"))
META = Obj("ModificationMetaData", scalars("CreateTime", "LastUpdatedTime"))
ADDRESS = Obj(
    "PhysicalAddress",
    scalars(
        "Id",
        "Lat",
        "Long",
        "CountryCode",
        "County",
        "PostalCodeSuffix",
        "Note",
        **dict.fromkeys(
            ("Line1", "Line2", "Line3", "Line4", "Line5"), Text(const.ADDRESS_LINE_MAX)
        ),
        **dict.fromkeys(
            ("City", "Country", "CountrySubDivisionCode"), Text(const.ADDRESS_PART_MAX)
        ),
        PostalCode=Text(const.POSTAL_CODE_MAX),
    ),
)
EMAIL = Obj("EmailAddress", scalars(Address=Text(const.EMAIL_MAX)))
PHONE = Obj("TelephoneNumber", scalars(FreeFormNumber=Text(const.PHONE_MAX)))
WEB = Obj("WebSiteAddress", scalars("URI"))
MEMO = Obj("MemoRef", scalars(value=Text(const.CUSTOMERMEMO_MAX)))
CUSTOM_FIELD = Obj("CustomField", scalars("DefinitionId", "Name", "Type", "StringValue"))
LINKED_TXN = Obj("LinkedTxn", scalars("TxnId", "TxnType", "TxnLineId"))
MARKUP = Obj(
    "MarkupInfo",
    scalars("PercentBased", "Value", "Percent", PriceLevelRef=REF, MarkUpIncomeAccountRef=REF),
)
TAX_LINE = Lines(
    Obj("Line", scalars("Id", "LineNum", "Description", "Amount", "DetailType")),
    {
        "TaxLineDetail": (
            "TaxLineDetail",
            Obj(
                "TaxLineDetail",
                scalars(
                    "PercentBased",
                    "TaxPercent",
                    "NetAmountTaxable",
                    "TaxInclusiveAmount",
                    "OverrideDeltaAmount",
                    TaxRateRef=REF,
                ),
            ),
        )
    },
)
TXN_TAX = Obj("TxnTaxDetail", scalars("TotalTax", TxnTaxCodeRef=REF, TaxLine=TAX_LINE))

COMMON = scalars("Id", "SyncToken", "domain", "sparse", "status", MetaData=META)
TXN = scalars(
    "TxnDate",
    "ExchangeRate",
    "TotalAmt",
    "HomeTotalAmt",
    "TransactionLocationType",
    "GlobalTaxCalculation",
    DocNumber=Text(const.DOCNUMBER_MAX),
    PrivateNote=Text(const.PRIVATENOTE_MAX),
    CurrencyRef=REF,
    DepartmentRef=REF,
    LinkedTxn=Many(LINKED_TXN),
    TxnTaxDetail=TXN_TAX,
    RecurDataRef=REF,
)
LINE = Obj(
    "Line",
    scalars(
        "Id",
        "LineNum",
        "Amount",
        "DetailType",
        Description=Text(const.DESCRIPTION_MAX),
        LinkedTxn=Many(LINKED_TXN),
    ),
)


def detail(cls: str, *names, **specials) -> tuple[str, Obj]:
    return cls, Obj(cls, scalars(*names, **specials))


# -- line details ---------------------------------------------------------------------------------
SALES_ITEM = detail(
    "SalesItemLineDetail",
    "UnitPrice",
    "Qty",
    "ServiceDate",
    "TaxInclusiveAmt",
    "DiscountRate",
    "DiscountAmt",
    ItemRef=REF,
    ClassRef=REF,
    ItemAccountRef=REF,
    TaxCodeRef=REF,
    PriceLevelRef=REF,
    TaxClassificationRef=REF,
    MarkupInfo=MARKUP,
)
DESCRIPTION = detail("DescriptionLineDetail", "ServiceDate", TaxCodeRef=REF)
DISCOUNT = detail(
    "DiscountLineDetail",
    "PercentBased",
    "DiscountPercent",
    DiscountAccountRef=REF,
    ClassRef=REF,
    TaxCodeRef=REF,
)
SUBTOTAL = detail("SubTotalLineDetail", ItemRef=REF)
EXPENSE = scalars(
    "TaxInclusiveAmt", ClassRef=REF, TaxCodeRef=REF, CustomerRef=REF, MarkupInfo=MARKUP
)
ITEM_EXPENSE = detail(
    "ItemBasedExpenseLineDetail",
    "Qty",
    "UnitPrice",
    "BillableStatus",
    ItemRef=REF,
    PriceLevelRef=REF,
    **EXPENSE,
)
ACCOUNT_EXPENSE = detail(
    "AccountBasedExpenseLineDetail",
    "BillableStatus",
    "TaxAmount",
    AccountRef=REF,
    **EXPENSE,
)
JOURNAL = detail(
    "JournalEntryLineDetail",
    "PostingType",
    "TaxApplicableOn",
    "TaxAmount",
    "TaxInclusiveAmt",
    "BillableStatus",
    AccountRef=REF,
    Entity=Obj("EntityTypeRef", scalars("Type", EntityRef=REF)),
    ClassRef=REF,
    DepartmentRef=REF,
    TaxCodeRef=REF,
    JournalCodeRef=REF,
)

SALES_LINES = Lines(
    LINE,
    {
        "SalesItemLineDetail": SALES_ITEM,
        "DescriptionOnly": DESCRIPTION,
        "DiscountLineDetail": DISCOUNT,
        "SubTotalLineDetail": SUBTOTAL,
    },
    max_lines=const.TXN_LINES_MAX,
)
BILL_LINES = Lines(
    LINE,
    {"ItemBasedExpenseLineDetail": ITEM_EXPENSE, "AccountBasedExpenseLineDetail": ACCOUNT_EXPENSE},
    max_lines=const.TXN_LINES_MAX,
)
JOURNAL_LINES = Lines(
    LINE,
    {"JournalEntryLineDetail": JOURNAL},
    default="JournalEntryLineDetail",
    max_lines=const.TXN_LINES_MAX,
)
PAYMENT_LINE = Obj("Line", scalars("Amount", LinkedTxn=Many(LINKED_TXN), LineEx=SCALAR))

# -- entities -------------------------------------------------------------------------------------
PERSON = scalars(
    "Active",
    "FullyQualifiedName",
    "V4IDPseudonym",
    DisplayName=Text(const.DISPLAYNAME_MAX),
    Title=Text(const.TITLE_MAX),
    Suffix=Text(const.TITLE_MAX),
    GivenName=Text(const.PERSON_NAME_MAX),
    MiddleName=Text(const.PERSON_NAME_MAX),
    FamilyName=Text(const.PERSON_NAME_MAX),
    PrintOnCheckName=Text(110),
    PrimaryPhone=PHONE,
    Mobile=PHONE,
    PrimaryEmailAddr=EMAIL,
)
PARTY = dict(
    PERSON,
    **scalars(
        "Balance",
        "BusinessNumber",
        "GSTIN",
        "GSTRegistrationType",
        "Source",
        CompanyName=Text(const.COMPANYNAME_MAX),
        Notes=Text(const.NOTES_MAX),
        AlternatePhone=PHONE,
        Fax=PHONE,
        WebAddr=WEB,
        BillAddr=ADDRESS,
        CurrencyRef=REF,
    ),
)

TABLES = {
    "Customer": Obj(
        "Customer",
        {
            **COMMON,
            **PARTY,
            **scalars(
                "Taxable",
                "Job",
                "BillWithParent",
                "Level",
                "OpenBalanceDate",
                "BalanceWithJobs",
                "PreferredDeliveryMethod",
                "ResaleNum",
                "TaxExemptionReasonId",
                "PrimaryTaxIdentifier",
                "SecondaryTaxIdentifier",
                "IsProject",
                "ClientEntityId",
                ShipAddr=ADDRESS,
                DefaultTaxCodeRef=REF,
                ParentRef=REF,
                SalesTermRef=REF,
                PaymentMethodRef=REF,
                ARAccountRef=REF,
                CustomerTypeRef=REF,
            ),
        },
    ),
    "Vendor": Obj(
        "Vendor",
        {
            **COMMON,
            **PARTY,
            **scalars(
                "AcctNum",
                "Vendor1099",
                "TaxIdentifier",
                "BillRate",
                "CostRate",
                "HasTPAR",
                "TaxReportingBasis",
                "T4AEligible",
                "T5018Eligible",
                "OtherContactInfo",
                TermRef=REF,
                APAccountRef=REF,
            ),
        },
    ),
    "Employee": Obj(
        "Employee",
        {
            **COMMON,
            **PERSON,
            **scalars(
                "EmployeeNumber",
                "SSN",
                "BillableTime",
                "BillRate",
                "CostRate",
                "BirthDate",
                "Gender",
                "HiredDate",
                "ReleasedDate",
                "Organization",
                PrimaryAddr=ADDRESS,
            ),
        },
    ),
    "Item": Obj(
        "Item",
        {
            **COMMON,
            **scalars(
                "Active",
                "SubItem",
                "Level",
                "FullyQualifiedName",
                "Taxable",
                "SalesTaxIncluded",
                "UnitPrice",
                "RatePercent",
                "Type",
                "PurchaseTaxIncluded",
                "PurchaseCost",
                "TrackQtyOnHand",
                "QtyOnHand",
                "QtyOnSalesOrder",
                "QtyOnPurchaseOrder",
                "InvStartDate",
                "ReorderPoint",
                "AbatementRate",
                "ReverseChargeRate",
                "ServiceType",
                "ItemCategoryType",
                "Source",
                Name=Text(const.ITEM_NAME_MAX),
                Sku=Text(const.ITEM_NAME_MAX),
                Description=Text(const.DESCRIPTION_MAX),
                PurchaseDesc=Text(const.DESCRIPTION_MAX),
                ParentRef=REF,
                IncomeAccountRef=REF,
                ExpenseAccountRef=REF,
                AssetAccountRef=REF,
                PrefVendorRef=REF,
                SalesTaxCodeRef=REF,
                PurchaseTaxCodeRef=REF,
                ClassRef=REF,
                TaxClassificationRef=REF,
            ),
        },
    ),
    "Account": Obj(
        "Account",
        {
            **COMMON,
            **scalars(
                "AcctNum",
                "Active",
                "SubAccount",
                "FullyQualifiedName",
                "Classification",
                "AccountType",
                "AccountSubType",
                "CurrentBalance",
                "CurrentBalanceWithSubAccounts",
                "AccountAlias",
                "TxnLocationType",
                Name=Text(const.ACCOUNT_NAME_MAX),
                Description=Text(100),
                ParentRef=REF,
                CurrencyRef=REF,
                TaxCodeRef=REF,
            ),
        },
    ),
    "Term": Obj(
        "Term",
        {
            **COMMON,
            **scalars(
                "Active",
                "Type",
                "DueDays",
                "DiscountPercent",
                "DiscountDays",
                "DayOfMonthDue",
                "DueNextMonthDays",
                "DiscountDayOfMonth",
                Name=Text(31),
            ),
        },
    ),
    "Invoice": Obj(
        "Invoice",
        {
            **COMMON,
            **TXN,
            **scalars(
                "DueDate",
                "ShipDate",
                "TrackingNum",
                "Balance",
                "HomeBalance",
                "ApplyTaxAfterDiscount",
                "PrintStatus",
                "EmailStatus",
                "Deposit",
                "AllowIPNPayment",
                "AllowOnlinePayment",
                "AllowOnlineCreditCardPayment",
                "AllowOnlineACHPayment",
                "InvoiceLink",
                "FreeFormAddress",
                "TxnSource",
                "EInvoiceStatus",
                Line=SALES_LINES,
                CustomerRef=REF,
                CustomerMemo=MEMO,
                BillAddr=ADDRESS,
                ShipAddr=ADDRESS,
                ShipFromAddr=ADDRESS,
                ClassRef=REF,
                SalesTermRef=REF,
                ShipMethodRef=REF,
                BillEmail=EMAIL,
                BillEmailCc=EMAIL,
                BillEmailBcc=EMAIL,
                DepositToAccountRef=REF,
                TaxExemptionRef=REF,
                ProjectRef=REF,
                CustomField=Many(CUSTOM_FIELD),
                DeliveryInfo=Obj("DeliveryInfo", scalars("DeliveryType", "DeliveryTime")),
            ),
        },
    ),
    "Bill": Obj(
        "Bill",
        {
            **COMMON,
            **TXN,
            **scalars(
                "DueDate",
                "Balance",
                "HomeBalance",
                "IncludeInAnnualTPAR",
                Line=BILL_LINES,
                VendorRef=REF,
                APAccountRef=REF,
                SalesTermRef=REF,
            ),
        },
    ),
    "JournalEntry": Obj(
        "JournalEntry",
        {**COMMON, **TXN, **scalars("Adjustment", Line=JOURNAL_LINES, TaxRateRef=REF)},
    ),
    "Payment": Obj(
        "Payment",
        {
            **COMMON,
            **TXN,
            **scalars(
                "UnappliedAmt",
                "ProcessPayment",
                "PaymentRefNum",
                "TxnSource",
                Line=Many(PAYMENT_LINE),
                CustomerRef=REF,
                DepositToAccountRef=REF,
                PaymentMethodRef=REF,
                ARAccountRef=REF,
                ProjectRef=REF,
            ),
        },
    ),
    "BillPayment": Obj(
        "BillPayment",
        {
            **COMMON,
            **TXN,
            **scalars(
                "PayType",
                "ProcessBillPayment",
                Line=Many(PAYMENT_LINE),
                VendorRef=REF,
                APAccountRef=REF,
                CheckPayment=Obj("BillPaymentCheck", scalars("PrintStatus", BankAccountRef=REF)),
                CreditCardPayment=Obj("BillPaymentCreditCard", scalars(CCAccountRef=REF)),
            ),
        },
    ),
}
