"""Common life cycle of QBO entities: read, create, full/sparse update, delete, void."""

import copy
from datetime import date

from .. import faults, schema
from ..properties import TABLES
from ..rules import ref_value

READ_ONLY_KEYS = ("Id", "SyncToken", "MetaData", "domain", "sparse", "status")


class Ctx:
    """What an entity operation needs: the company, the clock, URL options and an event list."""

    def __init__(self, company, clock, include=()):
        self.company = company
        self.clock = clock
        self.include = {i.strip().lower() for i in include if i.strip()}
        self.events: list[tuple[str, str, str, str]] = []  # (entity, id, operation, stamp)

    def stamp(self) -> str:
        return self.clock.stamp()

    def event(self, entity: str, obj_id: str, operation: str, stamp: str) -> None:
        self.events.append((entity, str(obj_id), operation, stamp))

    @property
    def preferences(self) -> dict:
        return self.company.get("Preferences", "1") or {}

    @property
    def home_currency(self) -> str:
        prefs = self.preferences.get("CurrencyPrefs", {})
        return prefs.get("HomeCurrency", {}).get("value", "USD")

    @property
    def multi_currency(self) -> bool:
        return bool(self.preferences.get("CurrencyPrefs", {}).get("MultiCurrencyEnabled"))

    @property
    def custom_txn_numbers(self) -> bool:
        return bool(self.preferences.get("SalesFormsPrefs", {}).get("CustomTxnNumbers"))

    @property
    def book_close_date(self) -> date | None:
        """``AccountingInfoPrefs.BookCloseDate``: transactions dated on or before it are closed."""
        value = self.preferences.get("AccountingInfoPrefs", {}).get("BookCloseDate")
        return date.fromisoformat(value) if value else None

    @property
    def allow_shipping(self) -> bool:
        """``SalesFormsPrefs.AllowShipping``: sales forms take the shipping charge."""
        return bool(self.preferences.get("SalesFormsPrefs", {}).get("AllowShipping"))

    @property
    def using_sales_tax(self) -> bool:
        return bool(self.preferences.get("TaxPrefs", {}).get("UsingSalesTax"))


def writable(obj: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in obj.items() if k not in READ_ONLY_KEYS}


class Entity:
    """One QBO entity type. Subclasses implement :meth:`build`."""

    name = ""
    sequence = ""
    filterable: frozenset = frozenset()
    creatable = True
    updatable = True
    deletable = False
    voidable = False
    name_list = False  # inactive rows hidden from queries by default
    transaction = False
    cdc = True
    #: properties a sparse update must still carry (see README, Assumptions)
    sparse_required: tuple = ()

    # -- reading -----------------------------------------------------------------------------
    def missing(self, ctx: "Ctx", obj_id) -> faults.QboFault:
        """610: a deleted transaction says so; an Id that never existed gets the generic text."""
        if ctx.company.is_deleted(self.name, obj_id):
            return faults.deleted_txn()
        return faults.inactive()

    @staticmethod
    def check_id(obj_id) -> None:
        """Ids are whole numbers: ``1.5`` or ``abc`` is 2030 (TaxCode overrides: TAX, NON)."""
        if not str(obj_id).isdigit():
            raise faults.invalid_id(obj_id)

    def read(self, ctx: Ctx, obj_id) -> dict:
        obj = ctx.company.get(self.name, obj_id)
        if obj is None:
            raise self.missing(ctx, obj_id)
        return obj

    # -- writing -----------------------------------------------------------------------------
    def build(self, ctx: Ctx, data: dict, existing: dict | None) -> dict:
        """Validate ``data`` (the intended object) and return it completed; raise QboFault."""
        raise NotImplementedError

    def after_save(self, ctx: Ctx, obj: dict, before: dict | None) -> None:
        """Side effects on other objects (balances, links)."""

    def create(self, ctx: Ctx, payload: dict) -> dict:
        if not self.creatable:
            raise faults.unsupported("Create", self.name)
        obj = self.build(ctx, writable(self._payload(payload)), None)
        obj["Id"] = ctx.company.next_id(self.sequence)
        return self._save(ctx, obj, None, "Create")

    def update(self, ctx: Ctx, payload: dict) -> dict:
        if not self.updatable:
            raise faults.unsupported("Update", self.name)
        payload = self._payload(payload)
        existing = self.load_for_write(ctx, payload)
        if payload.get("sparse") is True or payload.get("sparse") == "true":
            for key in self.sparse_required:
                if payload.get(key) in (None, ""):
                    raise faults.required(key)
            data = writable(existing)
            data.update(writable(payload))
        else:
            data = writable(payload)
        obj = self.build(ctx, data, existing)
        obj["Id"] = existing["Id"]
        return self._save(ctx, obj, existing, "Update")

    def delete(self, ctx: Ctx, payload: dict) -> dict:
        if not self.deletable:
            raise faults.unsupported("Delete", self.name)
        existing = self.load_for_write(ctx, self._payload(payload))
        self.before_delete(ctx, existing)
        stamp = ctx.stamp()
        ctx.company.remove(self.name, existing["Id"], stamp)
        ctx.event(self.name, existing["Id"], "Delete", stamp)
        self.after_save(ctx, None, existing)
        return {"status": "Deleted", "domain": "QBO", "Id": existing["Id"]}

    def before_delete(self, ctx: Ctx, existing: dict) -> None:
        """Refuse deletes QBO refuses (linked transactions)."""

    def void(self, ctx: Ctx, payload: dict) -> dict:
        if not self.voidable:
            raise faults.unsupported("Void", self.name)
        existing = self.load_for_write(ctx, self._payload(payload))
        obj = self.voided(ctx, copy.deepcopy(existing))
        return self._save(ctx, obj, existing, "Void")

    def voided(self, ctx: Ctx, obj: dict) -> dict:
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------------
    def _payload(self, payload) -> dict:
        """The request's object, refused (2010) when it holds a property QBO doesn't know."""
        if not isinstance(payload, dict):
            raise faults.invalid_property(f"Request body must be a {self.name} object")
        if self.name in TABLES:
            schema.check(TABLES[self.name], payload, self.name)
        return payload

    def load_for_write(self, ctx: Ctx, payload: dict) -> dict:
        obj_id = payload.get("Id")
        if obj_id in (None, ""):
            raise faults.required("Id")
        self.check_id(obj_id)
        existing = ctx.company.get(self.name, obj_id)
        if existing is None:
            raise self.missing(ctx, obj_id)
        token = payload.get("SyncToken")
        if token in (None, ""):
            raise faults.required("SyncToken")
        if str(token) != str(existing.get("SyncToken")):
            raise faults.stale()
        return existing

    def _save(self, ctx: Ctx, obj: dict, before: dict | None, operation: str) -> dict:
        stamp = ctx.stamp()
        created = before["MetaData"]["CreateTime"] if before else stamp
        obj["SyncToken"] = str(int(before["SyncToken"]) + 1) if before else "0"
        obj["MetaData"] = {"CreateTime": created, "LastUpdatedTime": stamp}
        obj["domain"] = "QBO"
        obj["sparse"] = False
        ctx.company.put(self.name, obj)
        ctx.event(self.name, obj["Id"], operation, stamp)
        self.after_save(ctx, obj, before)
        return ctx.company.get(self.name, obj["Id"])


def touch(ctx: Ctx, entity: str, obj: dict) -> None:
    """Store a system-side change (balance, links): new SyncToken and LastUpdatedTime, event."""
    stamp = ctx.stamp()
    obj["SyncToken"] = str(int(obj["SyncToken"]) + 1)
    obj["MetaData"]["LastUpdatedTime"] = stamp
    ctx.company.put(entity, obj)
    ctx.event(entity, obj["Id"], "Update", stamp)


def same_ref(ref, obj_id) -> bool:
    return ref_value(ref) == str(obj_id)
