"""Line details, one per DetailType, and the line lists of each transaction."""

from .. import const
from ..schema import SCALAR, Lines, Many, Obj, scalars
from .types import LINE, LINKED_TXN, MARKUP, REF, detail

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
