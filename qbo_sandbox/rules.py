"""Validation helpers shared by the entities: references, lengths, money, currency."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import faults

# Which "element id ... not found" family QBO names for each referenced entity
REF_FAMILY = {
    "Customer": "Names",
    "Vendor": "Names",
    "Employee": "Names",
    "Item": "Items",
    "Account": "Accounts",
    "Term": "Terms",
    "TaxCode": "TaxCode",
    "TaxRate": "TaxRate",
    "Invoice": "Transactions",
    "Bill": "Transactions",
}

CURRENCY_NAMES = {
    "USD": "United States Dollar",
    "GBP": "British Pound Sterling",
    "EUR": "Euro",
    "CAD": "Canadian Dollar",
    "AUD": "Australian Dollar",
}

CENT = Decimal("0.01")


def money(value) -> float:
    """Round half up to cents, as QBO stores amounts."""
    return float(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def number(value, element: str) -> float:
    """A JSON number (QBO also accepts numeric strings); anything else is fault 2010."""
    if isinstance(value, bool):
        raise faults.invalid_property(
            f"Property Name:{element} specified is unsupported or invalid"
        )
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise faults.invalid_property(
            f"Property Name:{element} specified is unsupported or invalid", element
        ) from None


def ref_value(ref) -> str | None:
    """The ``value`` of a reference object, or None when absent/empty."""
    if ref is None:
        return None
    if not isinstance(ref, dict):
        raise faults.invalid_property("Property Name:value specified is unsupported or invalid")
    value = ref.get("value")
    return None if value in (None, "") else str(value)


def resolve(ctx, entity: str, ref, element: str, required: bool = True) -> dict | None:
    """Look up a referenced object: missing → 2020, unknown → 2500, inactive → 610."""
    value = ref_value(ref)
    if value is None:
        if required:
            raise faults.required(element)
        return None
    obj = ctx.company.get(entity, value)
    if obj is None:
        raise faults.invalid_ref(REF_FAMILY.get(entity, entity), value, element)
    if obj.get("Active") is False:
        raise faults.inactive(element)
    return obj


def ref_to(obj: dict, name_key: str = "DisplayName") -> dict:
    ref = {"value": obj["Id"]}
    if obj.get(name_key):
        ref["name"] = obj[name_key]
    return ref


def currency_ref(code: str) -> dict:
    return {"value": code, "name": CURRENCY_NAMES.get(code, code)}


def check_currency(ctx, ref, default: str | None = None) -> dict:
    """Normalise a CurrencyRef; a foreign currency needs multi-currency on."""
    home = ctx.home_currency
    code = (ref_value(ref) or default or home).upper()
    if code not in CURRENCY_NAMES:
        raise faults.invalid_ref("Currency", code, "CurrencyRef")
    if code != home and not ctx.multi_currency:
        raise faults.business(
            f"You can't use {code}: multicurrency is turned off for this company, so every "
            f"amount is in {home}.",
            "CurrencyRef",
        )
    return currency_ref(code)


def choice(data: dict, key: str, allowed) -> str:
    """``data[key]``, which is required and must be one of ``allowed``."""
    value = data.get(key)
    if not value:
        raise faults.required(key)
    if value not in allowed:
        raise faults.invalid_enum(key, value)
    return value


def is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def number_addresses(ctx, data: dict, keys=("BillAddr", "ShipAddr")) -> None:
    """QBO gives every stored address its own Id."""
    for key in keys:
        addr = data.get(key)
        if isinstance(addr, dict) and addr and not addr.get("Id"):
            addr["Id"] = ctx.company.next_id("address")
