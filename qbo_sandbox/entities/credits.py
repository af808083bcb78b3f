"""CreditMemo (a customer's credit: an invoice's lines) and VendorCredit (a vendor's
credit: a bill's lines).

Neither has a due date or terms. Their ``Balance`` (and a credit memo's
``RemainingCredit``) is the credit not yet used; the sandbox applies no payment or
refund to them, so it stays the total.
"""

from .base import Ctx
from .purchases import BillEntity
from .sales import InvoiceEntity
from .txn import Transaction


def _credit_left(data: dict, *keys: str) -> None:
    for key in keys:
        data[key] = data["TotalAmt"]
    if "HomeTotalAmt" in data:
        data["HomeBalance"] = data["HomeTotalAmt"]


class CreditMemoEntity(InvoiceEntity):
    name = "CreditMemo"
    txn_label = "Credit Memo"
    auto_number = True
    #: the sandbox offers no void of a credit memo (see README, Assumptions)
    voidable = False
    payment_entity = ""
    filterable = Transaction.filterable | {"CustomerRef", "Balance"}

    def default_term(self, ctx: Ctx, customer: dict):
        return None

    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        data = super().build(ctx, data, existing)
        data.pop("Deposit", None)
        data.pop("LinkedTxn", None)
        _credit_left(data, "Balance", "RemainingCredit")
        return data


class VendorCreditEntity(BillEntity):
    name = "VendorCredit"
    txn_label = "Vendor Credit"
    payment_entity = ""
    filterable = Transaction.filterable | {"VendorRef", "APAccountRef", "Balance"}

    def due_days(self, ctx: Ctx, data: dict, vendor: dict) -> int | None:
        return None

    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        data = super().build(ctx, data, existing)
        data.pop("LinkedTxn", None)
        _credit_left(data, "Balance")
        return data
