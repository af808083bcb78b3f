"""JournalEntry."""

from .. import faults
from ..rules import money, ref_to, ref_value, resolve
from .base import Ctx
from .txn import Transaction, line_amount, number_lines

JE_LINE = "JournalEntryLineDetail"
POSTING_TYPES = ("Debit", "Credit")
ENTITY_TYPES = ("Customer", "Vendor", "Employee")
NEEDS_ENTITY = {"Accounts Receivable": "Customer", "Accounts Payable": "Vendor"}
NEEDS_ENTITY_TEXT = {
    "Customer": "When you use Accounts Receivable, you must choose a customer in the Name field.",
    "Vendor": "When you use Accounts Payable, you must choose a vendor in the Name field.",
}


class JournalEntryEntity(Transaction):
    name = "JournalEntry"
    txn_label = "Journal Entry"
    party_key = ""

    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        errors: list = []
        lines = [line for line in data.get("Line") or [] if isinstance(line, dict)]
        if not lines:
            errors.append(faults.required_error("Line"))
        self.doc_number(ctx, data, existing, errors)
        totals = self.journal_lines(ctx, lines, errors)
        faults.raise_all(errors)
        if len(lines) < 2:
            raise faults.business("Fill out at least two detail lines.")
        if money(totals["Debit"]) != money(totals["Credit"]):
            raise faults.business(
                "Journal entries must balance: the total of the debits "
                f"({money(totals['Debit'])}) must equal the total of the credits "
                f"({money(totals['Credit'])})."
            )
        self.dates(ctx, data, None)
        rate = self.currency(ctx, data, None)
        number_lines(lines, existing, line_num=False)
        data["Line"] = lines
        data.setdefault("Adjustment", False)
        self.amounts(ctx, data, totals["Debit"], rate, existing)
        return data

    def journal_lines(self, ctx: Ctx, lines: list, errors: list) -> dict:
        totals = {"Debit": 0.0, "Credit": 0.0}
        for line in lines:
            line.setdefault("DetailType", JE_LINE)  # the only one (checked with the properties)
            amount = line_amount(line, errors)
            detail = line.setdefault(JE_LINE, {})
            posting = detail.get("PostingType")
            if not posting:
                errors.append(faults.required_error("PostingType"))
            elif posting not in POSTING_TYPES:
                raise faults.invalid_enum("PostingType", posting)
            if not detail.get("AccountRef"):
                errors.append(faults.required_error("AccountRef"))
                continue
            account = resolve(ctx, "Account", detail["AccountRef"], "AccountRef")
            detail["AccountRef"] = ref_to(account, "Name")
            party_type = self.line_entity(ctx, detail)
            needed = NEEDS_ENTITY.get(account.get("AccountType"))
            if needed and party_type != needed:
                raise faults.business(NEEDS_ENTITY_TEXT[needed])
            if amount is not None and amount < 0:
                raise faults.business(
                    "Journal entry amounts can't be negative: post a credit instead of a "
                    "negative debit.",
                    "Amount",
                )
            if amount is not None and posting in POSTING_TYPES:
                line["Amount"] = amount
                totals[posting] += amount
        return totals

    @staticmethod
    def line_entity(ctx: Ctx, detail: dict) -> str | None:
        entity = detail.get("Entity")
        if not entity or ref_value(entity.get("EntityRef")) is None:
            detail.pop("Entity", None)
            return None
        kind = entity.get("Type")
        if kind not in ENTITY_TYPES:
            raise faults.invalid_enum("Type", kind)
        party = resolve(ctx, kind, entity["EntityRef"], "EntityRef")
        detail["Entity"] = {"Type": kind, "EntityRef": ref_to(party)}
        return kind
