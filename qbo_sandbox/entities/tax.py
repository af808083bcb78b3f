"""Transaction tax: US TxnTaxCodeRef rate groups and non-US per-line codes."""

from collections import OrderedDict
from decimal import Decimal

from .. import faults
from ..rules import money, ref_value, resolve
from .base import Ctx

US_PSEUDO_CODES = ("TAX", "NON")
GLOBAL_CALCS = ("TaxExcluded", "TaxInclusive", "NotApplicable")
RATE_LIST = {"sales": "SalesTaxRateList", "purchase": "PurchaseTaxRateList"}
VAT_MISSING = "Make sure all your transactions have a VAT rate before you save."


def line_code(ctx: Ctx, detail: dict, side: str) -> str:
    """Check and normalise a line's TaxCodeRef; return the code Id."""
    value = ref_value(detail.get("TaxCodeRef"))
    if ctx.company.is_us:
        value = (value or "NON").upper()
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
