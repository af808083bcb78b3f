"""Line details, one per DetailType, and the line lists of each transaction."""

from .. import const
from ..schema import SCALAR, Lines, Many, Obj, scalars
from .types import LINE, LINKED_TXN, MARKUP, detail

# -- line details ---------------------------------------------------------------------------------
SALES_ITEM = detail(
    "SalesItemLineDetail",
    "UnitPrice",
    "Qty",
    "ServiceDate",
    "TaxInclusiveAmt",
    "DiscountRate",
    "DiscountAmt",
    "ItemRef",
    "ClassRef",
    "ItemAccountRef",
    "TaxCodeRef",
    "PriceLevelRef",
    "TaxClassificationRef",
    MarkupInfo=MARKUP,
)
DESCRIPTION = detail("DescriptionLineDetail", "ServiceDate", "TaxCodeRef")
DISCOUNT = detail(
    "DiscountLineDetail",
    "PercentBased",
    "DiscountPercent",
    "DiscountAccountRef",
    "ClassRef",
    "TaxCodeRef",
)
SUBTOTAL = detail("SubTotalLineDetail", "ItemRef")
EXPENSE = scalars("TaxInclusiveAmt", "ClassRef", "TaxCodeRef", "CustomerRef", MarkupInfo=MARKUP)
ITEM_EXPENSE = detail(
    "ItemBasedExpenseLineDetail",
    "Qty",
    "UnitPrice",
    "BillableStatus",
    "ItemRef",
    "PriceLevelRef",
    **EXPENSE,
)
ACCOUNT_EXPENSE = detail(
    "AccountBasedExpenseLineDetail", "BillableStatus", "TaxAmount", "AccountRef", **EXPENSE
)
JOURNAL = detail(
    "JournalEntryLineDetail",
    "PostingType",
    "TaxApplicableOn",
    "TaxAmount",
    "TaxInclusiveAmt",
    "BillableStatus",
    "AccountRef",
    "ClassRef",
    "DepartmentRef",
    "TaxCodeRef",
    "JournalCodeRef",
    Entity=Obj("EntityTypeRef", scalars("Type", "EntityRef")),
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
