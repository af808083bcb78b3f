"""Name-list parties: Customer, Vendor, Employee (DisplayName unique across all three)."""

from .. import const, faults
from ..rules import check_currency, number_addresses, ref_value, resolve
from .base import Ctx, Entity

PARTIES = ("Customer", "Vendor", "Employee")
NAME_PARTS = ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
DELETED_SUFFIX = " (deleted)"
META = frozenset({"Id", "MetaData.CreateTime", "MetaData.LastUpdatedTime"})
PERSON = frozenset({"DisplayName", "GivenName", "MiddleName", "FamilyName", "Active"})


def apply_active_suffix(data: dict, existing: dict | None, key: str) -> None:
    """QBO "deletes" a name-list object by making it inactive and renaming it "X (deleted)"."""
    active = data.get("Active", True) is not False
    data["Active"] = active
    name = data.get(key) or ""
    if not active and not name.endswith(DELETED_SUFFIX):
        was_active = existing is None or existing.get("Active", True) is not False
        if was_active:
            data[key] = name + DELETED_SUFFIX
    elif active and name.endswith(DELETED_SUFFIX) and existing and existing.get("Active") is False:
        data[key] = name[: -len(DELETED_SUFFIX)]


def display_name_taken(ctx: Ctx, name: str, entity: str, obj_id) -> bool:
    wanted = name.strip().lower()
    for other in PARTIES:
        for obj in ctx.company.values(other):
            if other == entity and obj["Id"] == str(obj_id):
                continue
            if (obj.get("DisplayName") or "").strip().lower() == wanted:
                return True
    return False


class Party(Entity):
    sequence = "name"
    name_list = True
    filterable = META | PERSON | {"CompanyName", "FullyQualifiedName", "Balance"}
    term_key = "SalesTermRef"

    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        if not data.get("DisplayName"):
            parts = [str(data[p]).strip() for p in NAME_PARTS if data.get(p)]
            if not parts:
                raise faults.required("DisplayName")
            data["DisplayName"] = " ".join(parts)
        data["DisplayName"] = str(data["DisplayName"]).strip()
        if any(c in data["DisplayName"] for c in ":\t\n"):
            raise faults.invalid_property(
                "Property Name:DisplayName specified is unsupported or invalid: it can't contain "
                "a colon, tab or newline",
                "DisplayName",
            )
        email = (data.get("PrimaryEmailAddr") or {}).get("Address")
        if email is not None:
            if "@" not in email or "." not in email:
                raise faults.business(
                    "Email Address does not conform to the syntax rules of RFC 822. "
                    f"Supplied value:{email}",
                    "PrimaryEmailAddr",
                )
        apply_active_suffix(data, existing, "DisplayName")
        obj_id = existing["Id"] if existing else None
        if display_name_taken(ctx, data["DisplayName"], self.name, obj_id):
            raise faults.duplicate_name(const.DETAIL_DUP_NAME_PARTY)
        term = resolve(ctx, "Term", data.get(self.term_key), self.term_key, required=False)
        if term:
            data[self.term_key] = {"value": term["Id"]}
        number_addresses(ctx, data)
        data["FullyQualifiedName"] = data["DisplayName"]
        data.setdefault("PrintOnCheckName", data.get("CompanyName") or data["DisplayName"])
        self.complete(ctx, data, existing)
        return data

    def complete(self, ctx: Ctx, data: dict, existing: dict | None) -> None:
        """Entity-specific defaults and computed fields."""

    def currency(self, ctx: Ctx, data: dict, existing: dict | None) -> None:
        """CurrencyRef defaults to the home currency and can't change after creation."""
        ref = check_currency(ctx, data.get("CurrencyRef"))
        if existing and ref["value"] != existing.get("CurrencyRef", {}).get("value", ref["value"]):
            raise faults.business(
                f"You can't change the currency of {existing['DisplayName']}; it is set when the "
                f"{self.name.lower()} is created.",
                "CurrencyRef",
            )
        data["CurrencyRef"] = ref

    def balance(self, existing: dict | None) -> float:
        return existing.get("Balance", 0) if existing else 0


class CustomerEntity(Party):
    name = "Customer"
    filterable = Party.filterable | {"PrimaryEmailAddr", "Job", "ParentRef"}

    def complete(self, ctx, data, existing):
        self.currency(ctx, data, existing)
        parent = resolve(ctx, "Customer", data.get("ParentRef"), "ParentRef", required=False)
        if parent:
            data["ParentRef"] = {"value": parent["Id"]}
            data["Job"] = True
            data["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{data['DisplayName']}"
        else:
            data["Job"] = False
        data.setdefault("BillWithParent", False)
        data.setdefault("PreferredDeliveryMethod", "Print")
        data.setdefault("Taxable", bool(ref_value(data.get("DefaultTaxCodeRef"))))
        data["Balance"] = self.balance(existing)
        data["BalanceWithJobs"] = data["Balance"]


class VendorEntity(Party):
    name = "Vendor"
    filterable = Party.filterable | {"Suffix"}
    term_key = "TermRef"

    def complete(self, ctx, data, existing):
        self.currency(ctx, data, existing)
        data.setdefault("Vendor1099", False)
        data["Balance"] = self.balance(existing)


class EmployeeEntity(Party):
    name = "Employee"
    filterable = META | PERSON | {"PrimaryPhone"}

    def complete(self, ctx, data, existing):
        data.pop("PrintOnCheckName", None)
        data.setdefault("BillableTime", False)
