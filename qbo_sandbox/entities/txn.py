"""Shared behaviour of transactions: party, DocNumber, dates, currency, amounts, void."""

from datetime import date, timedelta

from .. import const, faults
from ..rules import check_currency, money, number, ref_to, ref_value, resolve
from .base import Ctx, Entity, same_ref
from .names import META

TXN_FILTERS = META | {"DocNumber", "TxnDate", "TotalAmt"}


def _applying_lines(ctx: Ctx, target: str, target_id, payment_entity: str):
    """``(payment, line)`` for each line of ``payment_entity`` applied to ``target``."""
    for payment in ctx.company.values(payment_entity):
        for line in payment.get("Line") or []:
            links = line.get("LinkedTxn") or []
            if (
                links
                and links[0].get("TxnType") == target
                and str(links[0]["TxnId"]) == str(target_id)
            ):
                yield payment, line


def applied_to(ctx: Ctx, target: str, target_id, payment_entity: str, skip_id=None) -> float:
    """Sum of payment lines of ``payment_entity`` applied to ``target`` ``target_id``."""
    return money(
        sum(
            line.get("Amount", 0)
            for payment, line in _applying_lines(ctx, target, target_id, payment_entity)
            if skip_id is None or payment["Id"] != str(skip_id)
        )
    )


def linking_payments(ctx: Ctx, target: str, target_id, payment_entity: str) -> list[str]:
    """Ids of the payments of ``payment_entity`` applied to ``target`` ``target_id``."""
    ids = []
    for payment, _line in _applying_lines(ctx, target, target_id, payment_entity):
        if payment["Id"] not in ids:
            ids.append(payment["Id"])
    return ids


def refresh_party_balance(ctx: Ctx, party_entity: str, party_id, txn_entity: str, key: str):
    """Keep Customer/Vendor ``Balance`` equal to the open balance of their documents."""
    party = ctx.company.get(party_entity, party_id)
    if party is None:
        return
    balance = money(
        sum(
            t.get("Balance", 0)
            for t in ctx.company.values(txn_entity)
            if same_ref(t.get(key), party_id)
        )
    )
    if party.get("Balance") != balance:
        party["Balance"] = balance
        if "BalanceWithJobs" in party:
            party["BalanceWithJobs"] = balance
        ctx.company.put(party_entity, party)


class Transaction(Entity):
    transaction = True
    deletable = True
    sequence = "txn"
    party_entity = "Customer"
    party_key = "CustomerRef"
    txn_label = ""
    auto_number = False
    payment_entity = ""  # Payment / BillPayment applied against this document
    filterable = TXN_FILTERS

    # -- header pieces -----------------------------------------------------------------------
    def party(self, ctx: Ctx, data: dict, errors: list, required: bool = True) -> dict | None:
        if ref_value(data.get(self.party_key)) is None:
            if required:
                errors.append(faults.required_error(self.party_key))
            return None
        party = resolve(ctx, self.party_entity, data[self.party_key], self.party_key)
        data[self.party_key] = ref_to(party)
        return party

    def doc_number(self, ctx: Ctx, data: dict, existing: dict | None, errors: list) -> None:
        doc = data.get("DocNumber")
        if doc in (None, ""):
            data.pop("DocNumber", None)
            if self.auto_number and not ctx.custom_txn_numbers:
                previous = existing.get("DocNumber") if existing else None
                data["DocNumber"] = previous or self.next_number(ctx)
            return
        doc = data["DocNumber"] = str(doc)
        if (
            not ctx.custom_txn_numbers
            or "allowduplicatedocnum" in ctx.include
            or not ctx.company.profile.duplicate_warning
        ):
            return
        for other in ctx.company.values(self.name):
            if other.get("DocNumber") == doc and (not existing or other["Id"] != existing["Id"]):
                errors.append(faults.duplicate_docnumber_error(doc, self.txn_label, other["Id"]))
                return

    def next_number(self, ctx: Ctx) -> str:
        numbers = [
            int(o["DocNumber"])
            for o in ctx.company.values(self.name)
            if str(o.get("DocNumber", "")).isdigit()
        ]
        return str(max(numbers, default=1000) + 1)

    def dates(self, ctx: Ctx, data: dict, term_days: int | None) -> None:
        txn_date = self.date_field(data, "TxnDate") or ctx.clock.today()
        self.check_open_period(ctx, txn_date)
        data["TxnDate"] = txn_date.isoformat()
        if "DueDate" in data or term_days is not None:
            due = self.date_field(data, "DueDate")
            if due is None:
                due = txn_date + timedelta(days=term_days or 0)
            data["DueDate"] = due.isoformat()

    @staticmethod
    def check_open_period(ctx: Ctx, txn_date: date | None) -> None:
        """Closed books: no transaction dated on or before the close date is written (6210)."""
        closed = ctx.book_close_date
        if closed and txn_date and txn_date <= closed:
            raise faults.period_closed()

    def load_for_write(self, ctx: Ctx, payload: dict) -> dict:
        existing = super().load_for_write(ctx, payload)
        self.check_open_period(ctx, self.date_field(existing, "TxnDate"))
        return existing

    @staticmethod
    def date_field(data: dict, key: str) -> date | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            raise faults.invalid_property(
                f"Property Name:{key} specified is unsupported or invalid", key
            ) from None

    def term_days(self, ctx: Ctx, data: dict, key: str, fallback_ref) -> int | None:
        ref = data.get(key) or fallback_ref
        term = resolve(ctx, "Term", ref, key, required=False)
        if term is None:
            return None
        data[key] = ref_to(term, "Name")
        return int(term.get("DueDays", 0))

    def currency(self, ctx: Ctx, data: dict, party: dict | None) -> float:
        """Set CurrencyRef (and ExchangeRate with multi-currency); return the exchange rate."""
        party_code = (party or {}).get("CurrencyRef", {}).get("value")
        ref = check_currency(ctx, data.get("CurrencyRef"), default=party_code)
        if party_code and ref["value"] != party_code:
            raise faults.business(
                f"The currency of the transaction ({ref['value']}) must match the currency of "
                f"{party['DisplayName']} ({party_code}).",
                "CurrencyRef",
            )
        data["CurrencyRef"] = ref
        rate = 1.0
        if ref["value"] != ctx.home_currency:
            rate = number(data.get("ExchangeRate") or 1, "ExchangeRate")
            if rate <= 0:
                raise faults.business("ExchangeRate must be greater than zero.", "ExchangeRate")
        if ctx.multi_currency:
            data["ExchangeRate"] = rate
        else:
            data.pop("ExchangeRate", None)
        return rate

    def amounts(self, ctx: Ctx, data: dict, total: float, rate: float, existing) -> None:
        if money(total) < 0:
            raise faults.business(
                f"The total of a {self.txn_label.lower()} can't be negative ({money(total)}).",
                "TotalAmt",
            )
        data["TotalAmt"] = money(total)
        if self.payment_entity:
            paid = (
                applied_to(ctx, self.name, existing["Id"], self.payment_entity) if existing else 0
            )
            data["Balance"] = money(total - paid)
        if ctx.multi_currency:
            data["HomeTotalAmt"] = money(total * rate)
            if "Balance" in data:
                data["HomeBalance"] = money(data["Balance"] * rate)
        else:
            for key in ("HomeTotalAmt", "HomeBalance"):
                data.pop(key, None)

    # -- payments, balances ------------------------------------------------------------------
    def has_payments(self, ctx: Ctx, obj: dict) -> bool:
        return bool(self.payment_entity) and bool(
            linking_payments(ctx, self.name, obj["Id"], self.payment_entity)
        )

    def before_delete(self, ctx: Ctx, existing: dict) -> None:
        if self.has_payments(ctx, existing):
            raise faults.business(
                f"This {self.txn_label.lower()} has payments linked to it. Remove the payments "
                "before you delete it."
            )

    def after_save(self, ctx: Ctx, obj, before) -> None:
        if not self.payment_entity:
            return
        parties = {ref_value(o.get(self.party_key)) for o in (obj, before) if o}
        for party_id in parties - {None}:
            refresh_party_balance(ctx, self.party_entity, party_id, self.name, self.party_key)

    def voided(self, ctx: Ctx, obj: dict) -> dict:
        if self.has_payments(ctx, obj):
            raise faults.business(
                f"This {self.txn_label.lower()} has payments linked to it. Remove the payments "
                "before you void it."
            )
        for line in obj.get("Line") or []:
            line["Amount"] = 0
            for detail in line.values():
                if isinstance(detail, dict) and "Qty" in detail:
                    detail["Qty"] = 0
        tax = obj.get("TxnTaxDetail")
        if tax:
            tax["TotalTax"] = 0
            for tax_line in tax.get("TaxLine") or []:
                tax_line["Amount"] = 0
                tax_line.get("TaxLineDetail", {})["NetAmountTaxable"] = 0
        for key in ("TotalAmt", "Balance", "HomeTotalAmt", "HomeBalance", "UnappliedAmt"):
            if key in obj:
                obj[key] = 0
        note = obj.get("PrivateNote")
        obj["PrivateNote"] = f"Voided - {note}" if note else "Voided"
        return obj


def number_lines(lines: list[dict], existing: dict | None, line_num: bool) -> None:
    """Give lines their Id (kept when it names an existing line) and, for sales, LineNum."""
    known = {str(line.get("Id")) for line in (existing or {}).get("Line") or [] if line.get("Id")}
    used: set[str] = set()
    for line in lines:
        line_id = str(line.get("Id") or "")
        if line_id in known and line_id not in used:
            used.add(line_id)
        else:
            line.pop("Id", None)
    next_id = max([int(i) for i in known | used if i.isdigit()], default=0) + 1
    for position, line in enumerate(lines, 1):
        if "Id" not in line:
            line["Id"] = str(next_id)
            next_id += 1
        if line_num:
            line["LineNum"] = position


def line_item(ctx: Ctx, detail: dict, account_key: str, no_account: str) -> dict:
    """The item of a line, which must have the account of the line's side (``account_key``);
    QBO refuses it otherwise with ``no_account`` (formatted with the item's ``name``)."""
    item = resolve(ctx, "Item", detail["ItemRef"], "ItemRef")
    if not item.get(account_key):
        raise faults.business(no_account.format(name=item["Name"]), "ItemRef")
    detail["ItemRef"] = ref_to(item, "Name")
    return item


def line_amount(line: dict, errors: list) -> float | None:
    if line.get("Amount") in (None, ""):
        errors.append(faults.required_error("Amount"))
        return None
    return money(number(line["Amount"], "Amount"))


def check_qty_price(detail: dict, amount: float) -> None:
    """QBO rejects item lines whose Amount differs from Qty × UnitPrice."""
    if detail.get("Qty") in (None, "") or detail.get("UnitPrice") in (None, ""):
        return
    qty = number(detail["Qty"], "Qty")
    price = number(detail["UnitPrice"], "UnitPrice")
    detail["Qty"], detail["UnitPrice"] = qty, price
    if abs(money(qty * price) - amount) >= 0.005:
        raise faults.validation(
            "6070",
            const.DETAIL_AMOUNT.format(amount=amount),
            const.DETAIL_AMOUNT.format(amount=amount),
            "Amount",
        )
