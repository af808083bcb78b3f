"""Bill."""

from .. import faults
from ..rules import ref_to, resolve
from . import tax
from .base import Ctx
from .txn import Transaction, check_qty_price, line_amount, line_item, number_lines

ACCOUNT_LINE = "AccountBasedExpenseLineDetail"
ITEM_LINE = "ItemBasedExpenseLineDetail"


class BillEntity(Transaction):
    name = "Bill"
    txn_label = "Bill"
    party_entity = "Vendor"
    party_key = "VendorRef"
    payment_entity = "BillPayment"
    filterable = Transaction.filterable | {"DueDate", "VendorRef", "APAccountRef", "Balance"}

    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        errors: list = []
        vendor = self.party(ctx, data, errors)
        lines = [line for line in data.get("Line") or [] if isinstance(line, dict)]
        if not lines:
            errors.append(faults.required_error("Line"))
        self.doc_number(ctx, data, existing, errors)
        taxable, total = self.expense_lines(ctx, lines, errors)
        faults.raise_all(errors)
        self.ap_account(ctx, data)
        self.dates(ctx, data, self.term_days(ctx, data, "SalesTermRef", vendor.get("TermRef")) or 0)
        rate = self.currency(ctx, data, vendor)
        if ctx.company.is_us:
            data.pop("GlobalTaxCalculation", None)
            data.pop("TxnTaxDetail", None)
            tax_total = 0.0
        else:
            data["TxnTaxDetail"], tax_total = tax.compute(ctx, data, taxable, "purchase")
        number_lines(lines, existing, line_num=False)
        data["Line"] = lines
        self.amounts(ctx, data, total + tax_total, rate, existing)
        data["LinkedTxn"] = (existing or {}).get("LinkedTxn", [])
        return data

    def ap_account(self, ctx: Ctx, data: dict) -> None:
        account = resolve(ctx, "Account", data.get("APAccountRef"), "APAccountRef", required=False)
        if account is None:
            account = next(
                (
                    a
                    for a in ctx.company.all("Account")
                    if a.get("AccountType") == "Accounts Payable" and a.get("Active")
                ),
                None,
            )
        elif account.get("AccountType") != "Accounts Payable":
            raise faults.business(
                f"{account['Name']} is not an Accounts Payable account.", "APAccountRef"
            )
        if account:
            data["APAccountRef"] = ref_to(account, "Name")

    def expense_lines(self, ctx: Ctx, lines: list, errors: list):
        taxable, total = [], 0.0
        for line in lines:
            kind = line.get("DetailType")
            if not kind:  # any other DetailType was refused with the payload's properties
                errors.append(faults.required_error("DetailType"))
                continue
            amount = line_amount(line, errors)
            detail = line.setdefault(kind, {})
            if kind == ACCOUNT_LINE:
                if not detail.get("AccountRef"):
                    errors.append(faults.required_error("AccountRef"))
                    continue
                account = resolve(ctx, "Account", detail["AccountRef"], "AccountRef")
                detail["AccountRef"] = ref_to(account, "Name")
                detail.setdefault("BillableStatus", "NotBillable")
            else:
                if not detail.get("ItemRef"):
                    errors.append(faults.required_error("ItemRef"))
                    continue
                line_item(
                    ctx,
                    detail,
                    "ExpenseAccountRef",
                    "The item {name} has no expense account, so it can't be used on a purchase. "
                    "Add purchasing information to the item.",
                )
                detail.setdefault("BillableStatus", "NotBillable")
                if amount is not None:
                    check_qty_price(detail, amount)
            if amount is None:
                continue
            line["Amount"] = amount
            customer = resolve(ctx, "Customer", detail.get("CustomerRef"), "CustomerRef", False)
            if customer:
                detail["CustomerRef"] = ref_to(customer)
            code = tax.line_code(ctx, detail, "purchase")
            taxable.append((amount, code))
            total += amount
        return taxable, total
