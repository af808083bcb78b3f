"""Complex types shared by the entities' tables: references, addresses, lines, tax."""

from .. import const
from ..schema import Lines, Many, Obj, Text, scalars

# -- shared complex types -----------------------------------------------------------------------
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
    scalars("PercentBased", "Value", "Percent", "PriceLevelRef", "MarkUpIncomeAccountRef"),
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
                    "TaxRateRef",
                ),
            ),
        )
    },
)
TXN_TAX = Obj("TxnTaxDetail", scalars("TotalTax", "TxnTaxCodeRef", TaxLine=TAX_LINE))

COMMON = scalars("Id", "SyncToken", "domain", "sparse", "status", MetaData=META)
TXN = scalars(
    "TxnDate",
    "ExchangeRate",
    "TotalAmt",
    "HomeTotalAmt",
    "TransactionLocationType",
    "GlobalTaxCalculation",
    "CurrencyRef",
    "DepartmentRef",
    "RecurDataRef",
    DocNumber=Text(const.DOCNUMBER_MAX),
    PrivateNote=Text(const.PRIVATENOTE_MAX),
    LinkedTxn=Many(LINKED_TXN),
    TxnTaxDetail=TXN_TAX,
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
