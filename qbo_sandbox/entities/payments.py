"""Payment (against invoices) and BillPayment (against bills)."""

from .. import faults
from ..rules import choice, money, number, ref_to, resolve
from .base import Ctx, touch
from .txn import Transaction, applied_to, linking_payments, refresh_party_balance

PAY_TYPES = {
    "Check": ("CheckPayment", "BankAccountRef"),
    "CreditCard": ("CreditCardPayment", "CCAccountRef"),
}


class PaymentBase(Transaction):
    voidable = True
    target = ""  # Invoice / Bill

    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        errors: list = []
        party = self.party(ctx, data, errors)
        if data.get("TotalAmt") in (None, ""):
            errors.append(faults.required_error("TotalAmt"))
        faults.raise_all(errors)
        total = money(number(data["TotalAmt"], "TotalAmt"))
        if total < 0:
            raise faults.business("The payment amount can't be negative.", "TotalAmt")
        lines, applied = self.applications(ctx, data, party, existing)
        if applied > total + 0.005:
            raise faults.business(
                f"The amounts applied ({applied}) are more than the payment amount ({total})."
            )
        self.accounts(ctx, data)
        self.dates(ctx, data, None)
        rate = self.currency(ctx, data, party)
        data["Line"] = lines
        data["TotalAmt"] = total
        data["UnappliedAmt"] = money(total - applied)
        if ctx.multi_currency:
            data["HomeTotalAmt"] = money(total * rate)
        return data

    def applications(self, ctx: Ctx, data: dict, party: dict, existing):
        lines, applied = [], 0.0
        for line in data.get("Line") or []:
            if line.get("Amount") in (None, ""):
                raise faults.required("Amount")
            amount = money(number(line["Amount"], "Amount"))
            links = line.get("LinkedTxn") or []
            if not links:
                raise faults.required("LinkedTxn")
            link = links[0]
            if link.get("TxnType") != self.target:
                raise faults.invalid_enum("TxnType", link.get("TxnType"))
            target_id = str(link.get("TxnId"))
            doc = ctx.company.get(self.target, target_id)
            if doc is None:
                if ctx.company.is_deleted(self.target, target_id):
                    raise faults.deleted_txn()
                raise faults.invalid_ref("Transactions", target_id, "TxnId")
            if doc[self.party_key]["value"] != party["Id"]:
                raise faults.business(
                    f"{self.target} {target_id} belongs to another {self.party_entity.lower()}."
                )
            skip = existing["Id"] if existing else None
            open_amount = money(
                doc["TotalAmt"] - applied_to(ctx, self.target, target_id, self.name, skip)
            )
            if amount > open_amount + 0.005:
                raise faults.business(
                    f"The amount applied to {self.target} {target_id} ({amount}) is more than "
                    f"its open balance ({open_amount})."
                )
            lines.append(
                {"Amount": amount, "LinkedTxn": [{"TxnId": target_id, "TxnType": self.target}]}
            )
            applied += amount
        return lines, money(applied)

    def accounts(self, ctx: Ctx, data: dict) -> None:
        """Payment-specific account references."""

    def targets(self, obj) -> set[str]:
        return {
            str(line["LinkedTxn"][0]["TxnId"])
            for line in (obj or {}).get("Line") or []
            if line.get("LinkedTxn")
        }

    def after_save(self, ctx: Ctx, obj, before) -> None:
        parties = set()
        for target_id in sorted(self.targets(obj) | self.targets(before)):
            doc = ctx.company.get(self.target, target_id)
            if doc is None:
                continue
            parties.add(doc[self.party_key]["value"])
            self.relink(ctx, doc)
        for party_id in parties:
            refresh_party_balance(ctx, self.party_entity, party_id, self.target, self.party_key)

    def relink(self, ctx: Ctx, doc: dict) -> None:
        """Recompute Balance and LinkedTxn of an invoice/bill from the payments applied to it."""
        paid = applied_to(ctx, self.target, doc["Id"], self.name)
        links = [lt for lt in doc.get("LinkedTxn") or [] if lt.get("TxnType") != self.name]
        links += [
            {"TxnId": pid, "TxnType": self.name}
            for pid in linking_payments(ctx, self.target, doc["Id"], self.name)
        ]
        balance = money(doc["TotalAmt"] - paid)
        if balance == doc.get("Balance") and links == doc.get("LinkedTxn"):
            return
        doc["Balance"] = balance
        if "HomeBalance" in doc:
            doc["HomeBalance"] = money(balance * doc.get("ExchangeRate", 1))
        doc["LinkedTxn"] = links
        touch(ctx, self.target, doc)

    def before_delete(self, ctx: Ctx, existing: dict) -> None:
        """Payments can always be deleted; their documents are re-opened afterwards."""

    def voided(self, ctx: Ctx, obj: dict) -> dict:
        for line in obj.get("Line") or []:
            line["Amount"] = 0
        for key in ("TotalAmt", "UnappliedAmt", "HomeTotalAmt"):
            if key in obj:
                obj[key] = 0
        note = obj.get("PrivateNote")
        obj["PrivateNote"] = f"Voided - {note}" if note else "Voided"
        return obj


class PaymentEntity(PaymentBase):
    name = "Payment"
    txn_label = "Payment"
    target = "Invoice"
    filterable = Transaction.filterable | {"CustomerRef"}

    def accounts(self, ctx: Ctx, data: dict) -> None:
        account = resolve(
            ctx, "Account", data.get("DepositToAccountRef"), "DepositToAccountRef", required=False
        )
        if account is None:
            account = next(
                (
                    a
                    for a in ctx.company.all("Account")
                    if a.get("AccountSubType") == "UndepositedFunds"
                ),
                None,
            )
        if account:
            data["DepositToAccountRef"] = ref_to(account, "Name")
        data.setdefault("ProcessPayment", False)


class BillPaymentEntity(PaymentBase):
    name = "BillPayment"
    txn_label = "Bill Payment"
    target = "Bill"
    party_entity = "Vendor"
    party_key = "VendorRef"
    filterable = Transaction.filterable | {"VendorRef"}

    def accounts(self, ctx: Ctx, data: dict) -> None:
        block, key = PAY_TYPES[choice(data, "PayType", PAY_TYPES)]
        detail = data.get(block) or {}
        account = resolve(ctx, "Account", detail.get(key), key)
        detail[key] = ref_to(account, "Name")
        data[block] = detail
