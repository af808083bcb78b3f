"""Items, accounts, terms, tax codes and tax rates."""

from .. import const, faults
from ..rules import check_currency, choice, number, ref_to, resolve
from .base import Ctx, Entity
from .names import META, apply_active_suffix

ITEM_TYPES = ("Inventory", "NonInventory", "Service")

# AccountType -> (Classification, default AccountSubType)
ACCOUNT_TYPES = {
    "Bank": ("Asset", "Checking"),
    "Accounts Receivable": ("Asset", "AccountsReceivable"),
    "Other Current Asset": ("Asset", "OtherCurrentAssets"),
    "Fixed Asset": ("Asset", "OtherFixedAssets"),
    "Other Asset": ("Asset", "OtherLongTermAssets"),
    "Accounts Payable": ("Liability", "AccountsPayable"),
    "Credit Card": ("Liability", "CreditCard"),
    "Other Current Liability": ("Liability", "OtherCurrentLiabilities"),
    "Long Term Liability": ("Liability", "OtherLongTermLiabilities"),
    "Equity": ("Equity", "OpeningBalanceEquity"),
    "Income": ("Revenue", "SalesOfProductIncome"),
    "Other Income": ("Revenue", "OtherMiscellaneousIncome"),
    "Cost of Goods Sold": ("Expense", "SuppliesMaterialsCogs"),
    "Expense": ("Expense", "OtherMiscellaneousServiceCost"),
    "Other Expense": ("Expense", "OtherMiscellaneousExpense"),
}


def name_taken(ctx: Ctx, entity: str, key: str, name: str, obj_id) -> bool:
    wanted = name.strip().lower()
    return any(
        (o.get(key) or "").strip().lower() == wanted and o["Id"] != str(obj_id)
        for o in ctx.company.values(entity)
    )


# AccountTypes an item's account may have: (key, item Type or None for any) -> types
EXPENSE_TYPES = ("Cost of Goods Sold", "Expense", "Other Expense")
ITEM_ACCOUNT_TYPES = {
    ("IncomeAccountRef", None): ("Income", "Other Income"),
    ("AssetAccountRef", None): ("Other Current Asset",),
    ("ExpenseAccountRef", "Inventory"): ("Cost of Goods Sold",),
    ("ExpenseAccountRef", None): EXPENSE_TYPES + ("Other Current Asset", "Other Asset"),
}


def account_ref(ctx: Ctx, data: dict, key: str, required: bool) -> None:
    """Resolve an item's account; one of the wrong type (a bank as income...) is 6000."""
    account = resolve(ctx, "Account", data.get(key), key, required=required)
    if account is None:
        return
    item_type = data.get("Type")
    allowed = ITEM_ACCOUNT_TYPES.get((key, item_type)) or ITEM_ACCOUNT_TYPES[(key, None)]
    if account.get("AccountType") not in allowed:
        raise faults.business(
            f"Invalid account type: {account['Name']} is a {account.get('AccountType')} "
            f"account; the {key} of a {item_type} item must be one of: {', '.join(allowed)}.",
            key,
        )
    data[key] = ref_to(account, "Name")


class ItemEntity(Entity):
    name = "Item"
    sequence = "item"
    name_list = True
    sparse_required = ("Name",)
    filterable = META | {"Name", "Sku", "Type", "Active", "FullyQualifiedName", "ParentRef"}

    def build(self, ctx, data, existing):
        if not data.get("Name"):
            raise faults.required("Name")
        data["Name"] = str(data["Name"]).strip()
        if ":" in data["Name"]:
            raise faults.invalid_property("Property Name:Name can't contain a colon", "Name")
        item_type = choice(data, "Type", ITEM_TYPES)
        if existing and existing.get("TrackQtyOnHand") and item_type != "Inventory":
            raise faults.business("You can't change the type of an inventory item.", "Type")
        inventory = item_type == "Inventory"
        account_ref(ctx, data, "IncomeAccountRef", required=item_type != "NonInventory")
        # A NonInventory item is sold, bought or both: it needs the account of at least one side.
        one_side = item_type == "NonInventory" and not data.get("IncomeAccountRef")
        account_ref(ctx, data, "ExpenseAccountRef", required=inventory or one_side)
        if inventory and not data.get("AssetAccountRef"):
            raise faults.validation(
                "2020",
                const.MSG_REQUIRED,
                "An inventory asset account is required if you are tracking inventory "
                "quantities for this product.",
                "AssetAccountRef",
            )
        account_ref(ctx, data, "AssetAccountRef", required=False)
        if inventory:
            for key in ("QtyOnHand", "InvStartDate"):
                if existing is None and data.get(key) in (None, ""):
                    raise faults.required(key)
            data["QtyOnHand"] = number(data.get("QtyOnHand", 0), "QtyOnHand")
            data["TrackQtyOnHand"] = True
        else:
            data["TrackQtyOnHand"] = False
        for key in ("UnitPrice", "PurchaseCost"):
            data[key] = number(data.get(key, 0), key)
        if not ctx.company.is_us:
            for key in ("SalesTaxCodeRef", "PurchaseTaxCodeRef"):
                code = resolve(ctx, "TaxCode", data.get(key), key, required=False)
                if code:
                    data[key] = ref_to(code, "Name")
        apply_active_suffix(data, existing, "Name")
        if name_taken(ctx, "Item", "Name", data["Name"], existing and existing["Id"]):
            raise faults.duplicate_name(const.DETAIL_DUP_NAME_ITEM)
        data["FullyQualifiedName"] = data["Name"]
        data.setdefault("Taxable", False)
        data["SubItem"] = False
        return data


class AccountEntity(Entity):
    name = "Account"
    sequence = "account"
    name_list = True
    filterable = META | {
        "Name",
        "AccountType",
        "AccountSubType",
        "Classification",
        "Active",
        "AcctNum",
        "FullyQualifiedName",
        "CurrentBalance",
        "SubAccount",
    }

    def build(self, ctx, data, existing):
        if not data.get("Name"):
            raise faults.required("Name")
        if any(c in data["Name"] for c in ':"'):
            raise faults.invalid_property("Property Name:Name can't contain : or \"", "Name")
        account_type = choice(data, "AccountType", ACCOUNT_TYPES)
        classification, sub_type = ACCOUNT_TYPES[account_type]
        data["Classification"] = classification
        data.setdefault("AccountSubType", sub_type)
        apply_active_suffix(data, existing, "Name")
        if name_taken(ctx, "Account", "Name", data["Name"], existing and existing["Id"]):
            raise faults.duplicate_name(const.DETAIL_DUP_NAME_ACCOUNT)
        data["FullyQualifiedName"] = data["Name"]
        data["SubAccount"] = False
        data["CurrencyRef"] = check_currency(ctx, data.get("CurrencyRef"))
        balance = existing.get("CurrentBalance", 0) if existing else 0
        data["CurrentBalance"] = data["CurrentBalanceWithSubAccounts"] = balance
        return data


class TermEntity(Entity):
    name = "Term"
    sequence = "term"
    name_list = True
    filterable = META | {"Name", "Active", "Type", "DueDays"}

    def build(self, ctx, data, existing):
        if not data.get("Name"):
            raise faults.required("Name")
        apply_active_suffix(data, existing, "Name")
        if name_taken(ctx, "Term", "Name", data["Name"], existing and existing["Id"]):
            raise faults.duplicate_name(
                "The name supplied already exists. : Another term is already using this name."
            )
        data.setdefault("Type", "STANDARD")
        data["DueDays"] = int(number(data.get("DueDays", 0), "DueDays"))
        return data


class TaxCodeEntity(Entity):
    """Read-only through the normal endpoints (QBO creates codes via TaxService)."""

    name = "TaxCode"
    creatable = updatable = False

    @staticmethod
    def check_id(obj_id) -> None:
        """US companies have the pseudo codes TAX and NON besides numeric ids."""
        if str(obj_id) not in ("TAX", "NON"):
            Entity.check_id(obj_id)

    cdc = False
    filterable = META | {"Name", "Active", "Taxable", "TaxGroup", "Hidden"}


class TaxRateEntity(Entity):
    name = "TaxRate"
    creatable = updatable = False
    cdc = False
    filterable = META | {"Name", "Active", "AgencyRef", "RateValue"}
