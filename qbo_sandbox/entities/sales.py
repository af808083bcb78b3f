"""Invoice."""

from .. import faults
from ..rules import money, number, number_addresses
from . import tax
from .base import Ctx
from .txn import Transaction, check_qty_price, line_amount, line_item, number_lines

SALES_LINE = "SalesItemLineDetail"
#: the ``ItemRef`` of the shipping charge of a sales form (QBO's own, not an Item)
SHIPPING_ITEM = "SHIPPING_ITEM_ID"


class InvoiceEntity(Transaction):
    name = "Invoice"
    txn_label = "Invoice"
    auto_number = True
    voidable = True
    payment_entity = "Payment"
    filterable = Transaction.filterable | {"DueDate", "CustomerRef", "Balance", "SalesTermRef"}

    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        errors: list = []
        customer = self.party(ctx, data, errors)
        lines = [
            line
            for line in data.get("Line") or []
            if isinstance(line, dict) and line.get("DetailType") != "SubTotalLineDetail"
        ]
        if not lines:
            errors.append(faults.required_error("Line"))
        self.doc_number(ctx, data, existing, errors)
        taxable, subtotal, discounts = self.item_lines(ctx, lines, errors)
        faults.raise_all(errors)
        for key in ("BillAddr", "ShipAddr"):
            if key not in data and customer.get(key):
                data[key] = customer[key]
        number_addresses(ctx, data)
        days = self.term_days(ctx, data, "SalesTermRef", self.default_term(ctx, customer))
        self.dates(ctx, data, days)
        rate = self.currency(ctx, data, customer)
        discount = self.discount(lines, discounts, subtotal)
        if data.get("ApplyTaxAfterDiscount") and subtotal:
            factor = (subtotal - discount) / subtotal
            taxable = [(amount * factor, code) for amount, code in taxable]
        tax_detail, tax_total = tax.compute(ctx, data, taxable, "sales")
        data["TxnTaxDetail"] = tax_detail
        number_lines(lines, existing, line_num=True)
        subtotal_line = {
            "Amount": money(subtotal),
            "DetailType": "SubTotalLineDetail",
            "SubTotalLineDetail": {},
        }
        data["Line"] = [ln for ln in lines if ln["DetailType"] != "DiscountLineDetail"]
        data["Line"] += [subtotal_line] + [
            ln for ln in lines if ln["DetailType"] == "DiscountLineDetail"
        ]
        self.amounts(ctx, data, subtotal - discount + tax_total, rate, existing)
        data.setdefault("ApplyTaxAfterDiscount", False)
        data.setdefault("PrintStatus", "NotSet")
        data.setdefault("EmailStatus", "NotSet")
        data["Deposit"] = data.get("Deposit", 0)
        data["LinkedTxn"] = (existing or {}).get("LinkedTxn", [])
        return data

    def default_term(self, ctx: Ctx, customer: dict):
        return customer.get("SalesTermRef") or ctx.preferences.get("SalesFormsPrefs", {}).get(
            "DefaultTerms"
        )

    def item_lines(self, ctx: Ctx, lines: list, errors: list):
        """Check lines; return ``(taxable [(amount, code)], subtotal, discount lines)``."""
        taxable, subtotal, discounts = [], 0.0, []
        for line in lines:
            kind = line.get("DetailType")
            if not kind:
                errors.append(faults.required_error("DetailType"))
                continue
            if kind == "DescriptionOnly":
                line.setdefault("DescriptionLineDetail", {})
                continue
            if kind == "DiscountLineDetail":
                discounts.append(line)
                continue
            amount = line_amount(line, errors)
            detail = line.setdefault(SALES_LINE, {})
            if amount is None:
                continue
            line["Amount"] = amount
            if not detail.get("ItemRef"):
                continue  # no item: documentation only, the amount doesn't count
            if not shipping_charge(ctx, detail):
                self.item_line(ctx, detail, amount)
            code = tax.line_code(ctx, detail, "sales")
            taxable.append((amount, code))
            subtotal += amount
        return taxable, money(subtotal), discounts

    @staticmethod
    def item_line(ctx: Ctx, detail: dict, amount: float) -> None:
        """Check a line naming an item: the item sells, quantity and price fit the amount."""
        item = line_item(
            ctx,
            detail,
            "IncomeAccountRef",
            "The item {name} has no income account, so it can't be sold. "
            "Add sales information to the item.",
        )
        if item.get("Type") == "Inventory" and detail.get("Qty") in (None, ""):
            raise faults.validation(
                "6520",
                "Missing Inventory Item Quantity",
                "Missing Inventory Item Quantity : You must enter a quantity for inventory "
                f"item {item['Name']}.",
                "Qty",
            )
        check_qty_price(detail, amount)
        detail.setdefault("ItemAccountRef", item["IncomeAccountRef"])

    @staticmethod
    def discount(lines: list, discounts: list, subtotal: float) -> float:
        total = 0.0
        for line in discounts:
            detail = line.setdefault("DiscountLineDetail", {})
            if detail.get("PercentBased"):
                pct = number(detail.get("DiscountPercent", 0), "DiscountPercent")
                line["Amount"] = money(subtotal * pct / 100)
            else:
                line["Amount"] = money(number(line.get("Amount", 0), "Amount"))
            total += line["Amount"]
        return money(total)


def shipping_charge(ctx: Ctx, detail: dict) -> bool:
    """Whether the line is the form's shipping charge (``ItemRef`` ``SHIPPING_ITEM_ID``).

    Only a company whose Shipping preference is on takes it; otherwise the sandbox
    refuses it as the unknown item it is (see README, Assumptions).
    """
    if str((detail.get("ItemRef") or {}).get("value")) != SHIPPING_ITEM:
        return False
    if not ctx.allow_shipping:
        raise faults.invalid_ref("Item", SHIPPING_ITEM, "ItemRef")
    return True
