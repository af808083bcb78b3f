"""Transaction tax: US rate groups or automated sales tax, and non-US per-line codes."""

from collections import OrderedDict
from decimal import Decimal

from .. import faults
from ..rules import money, number, ref_value, resolve
from .base import Ctx

US_PSEUDO_CODES = ("TAX", "NON")
GLOBAL_CALCS = ("TaxExcluded", "TaxInclusive", "NotApplicable")
RATE_LIST = {"sales": "SalesTaxRateList", "purchase": "PurchaseTaxRateList"}
VAT_MISSING = "Make sure all your transactions have a VAT rate before you save."
#: automated sales tax: the states where the company collects sales tax, and the rate group
#: the engine assigns there (the preset US company's groups; anywhere else: no tax)
AST_JURISDICTIONS = {"CA": "2", "MA": "3"}


def automated(ctx: Ctx) -> bool:
    """US automated sales tax (``Preferences.TaxPrefs.PartnerTaxEnabled``)."""
    return bool(ctx.preferences.get("TaxPrefs", {}).get("PartnerTaxEnabled"))


def line_code(ctx: Ctx, detail: dict, side: str) -> str:
    """Check and normalise a line's TaxCodeRef; return the code Id."""
    value = ref_value(detail.get("TaxCodeRef"))
    if ctx.company.is_us:
        # automated sales tax counts a sales line without a code as taxable
        default = "TAX" if side == "sales" and automated(ctx) else "NON"
        value = (value or default).upper()
        if value not in US_PSEUDO_CODES:
            raise faults.invalid_ref("TaxCode", value, "TaxCodeRef")
    else:
        if value is None:
            raise faults.business(VAT_MISSING, "TaxCodeRef")
        code = resolve(ctx, "TaxCode", {"value": value}, "TaxCodeRef")
        other = RATE_LIST["purchase" if side == "sales" else "sales"]
        if code.get(other) and not code.get(RATE_LIST[side]):
            raise faults.business(f"Tax code {code['Name']} can't be used on {side} lines.")
    detail["TaxCodeRef"] = {"value": value}
    return value


def rates_of(ctx: Ctx, code: dict, side: str) -> list[dict]:
    details = (code.get(RATE_LIST[side]) or {}).get("TaxRateDetail") or []
    rates = []
    for entry in details:
        rate = ctx.company.get("TaxRate", ref_value(entry.get("TaxRateRef")))
        if rate:
            rates.append(rate)
    return rates


def tax_line(rate: dict, base, tax) -> dict:
    return {
        "Amount": money(tax),
        "DetailType": "TaxLineDetail",
        "TaxLineDetail": {
            "TaxRateRef": {"value": rate["Id"]},
            "PercentBased": True,
            "TaxPercent": rate["RateValue"],
            "NetAmountTaxable": money(base),
        },
    }


def compute(
    ctx: Ctx, data: dict, taxable: list[tuple[float, str]], side: str
) -> tuple[dict, float]:
    """Return ``(TxnTaxDetail, gross_adjustment)``.

    ``taxable`` lists ``(line amount, tax code id)``. The adjustment is what to add to the line
    total to get TotalAmt: the tax when amounts exclude tax, 0 when they include it.
    """
    sent = data.get("TxnTaxDetail") or {}
    if ctx.company.is_us:
        data.pop("GlobalTaxCalculation", None)
        if side == "sales" and ctx.using_sales_tax and automated(ctx):
            return ast_tax(ctx, data, sent, taxable)
        return us_tax(ctx, sent, taxable, side)
    calc = data.get("GlobalTaxCalculation") or "TaxExcluded"
    if calc not in GLOBAL_CALCS:
        raise faults.invalid_enum("GlobalTaxCalculation", calc)
    data["GlobalTaxCalculation"] = calc
    if calc == "NotApplicable" or not ctx.using_sales_tax:
        return {"TotalTax": 0}, 0.0
    per_rate: OrderedDict[str, list] = OrderedDict()
    for amount, code_id in taxable:
        code = ctx.company.get("TaxCode", code_id)
        rates = rates_of(ctx, code, side)
        total_pct = sum(Decimal(str(r["RateValue"])) for r in rates)
        base = Decimal(str(amount))
        if calc == "TaxInclusive":
            base = base * 100 / (100 + total_pct)
        for rate in rates:
            slot = per_rate.setdefault(rate["Id"], [rate, Decimal(0)])
            slot[1] += base
    lines = [
        tax_line(rate, base, base * Decimal(str(rate["RateValue"])) / 100)
        for rate, base in per_rate.values()
    ]
    allowed = set(per_rate)
    for line in sent.get("TaxLine") or []:
        rate_id = ref_value((line.get("TaxLineDetail") or {}).get("TaxRateRef"))
        if rate_id and rate_id not in allowed:
            raise faults.business(
                f"TaxRateRef {rate_id} doesn't belong to the tax codes used on the lines.",
                "TaxRateRef",
            )
    total = money(sum(line["Amount"] for line in lines))
    detail = {"TotalTax": total, "TaxLine": lines} if lines else {"TotalTax": 0}
    return detail, (total if calc == "TaxExcluded" else 0.0)


def us_tax(ctx: Ctx, sent: dict, taxable, side) -> tuple[dict, float]:
    code_id = ref_value(sent.get("TxnTaxCodeRef"))
    if side != "sales" or not code_id or not ctx.using_sales_tax:
        return {"TotalTax": 0}, 0.0
    code = resolve(ctx, "TaxCode", {"value": code_id}, "TxnTaxCodeRef")
    if code["Id"] in US_PSEUDO_CODES:
        raise faults.invalid_ref("TaxCode", code_id, "TxnTaxCodeRef")
    base = sum(Decimal(str(amount)) for amount, line_code_id in taxable if line_code_id == "TAX")
    lines = [
        tax_line(rate, base, base * Decimal(str(rate["RateValue"])) / 100)
        for rate in rates_of(ctx, code, "sales")
    ]
    total = money(sum(line["Amount"] for line in lines))
    return {"TxnTaxCodeRef": {"value": code["Id"]}, "TotalTax": total, "TaxLine": lines}, total


def ast_code(ctx: Ctx, data: dict) -> dict | None:
    """The rate group automated sales tax assigns: by the ship-to state, else the company's.

    A ship-to address whose state the engine can't place, or a state where the company
    doesn't collect sales tax, gets no group (and so no tax).
    """
    addr = data.get("ShipAddr") or ctx.company.get("CompanyInfo", "1").get("LegalAddr") or {}
    code_id = AST_JURISDICTIONS.get(str(addr.get("CountrySubDivisionCode") or "").upper())
    return ctx.company.get("TaxCode", code_id) if code_id else None


def ast_tax(ctx: Ctx, data: dict, sent: dict, taxable) -> tuple[dict, float]:
    """Automated sales tax: the sent TxnTaxCodeRef is replaced by the engine's rate group.

    A sent ``TotalTax`` is an override: it is kept and prorated over the group's rates.
    Without a group (or without taxable lines) there is no tax, override or not.
    """
    code = ast_code(ctx, data)
    base = sum(Decimal(str(amount)) for amount, line_code_id in taxable if line_code_id == "TAX")
    rates = rates_of(ctx, code, "sales") if code else []
    if not rates or not base:
        return {"TotalTax": 0}, 0.0
    if sent.get("TotalTax") is None:
        taxes = [base * Decimal(str(rate["RateValue"])) / 100 for rate in rates]
    else:
        taxes = prorate(rates, Decimal(str(number(sent["TotalTax"], "TotalTax"))))
    lines = [tax_line(rate, base, amount) for rate, amount in zip(rates, taxes, strict=True)]
    total = money(sum(line["Amount"] for line in lines))
    return {"TxnTaxCodeRef": {"value": code["Id"]}, "TotalTax": total, "TaxLine": lines}, total


def prorate(rates: list[dict], total: Decimal) -> list[Decimal]:
    """``total`` split over ``rates`` in proportion to their percentages, to the cent."""
    weights = [Decimal(str(rate["RateValue"])) for rate in rates]
    whole = sum(weights) or Decimal(1)
    shares = [Decimal(str(money(total * weight / whole))) for weight in weights[:-1]]
    return shares + [total - sum(shares)]
