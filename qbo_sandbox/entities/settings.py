"""Preferences and CompanyInfo: one object per company, Id "1"."""

from .. import faults
from .base import Ctx, Entity, writable


def deep_merge(base: dict, changes: dict) -> dict:
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class PreferencesEntity(Entity):
    """Updates are merged into the current preferences (only some fields are writable in QBO)."""

    name = "Preferences"
    creatable = False
    filterable = frozenset({"MetaData.CreateTime", "MetaData.LastUpdatedTime"})

    def read(self, ctx: Ctx, obj_id="1") -> dict:
        return super().read(ctx, "1")

    def build(self, ctx, data, existing):
        merged = deep_merge(writable(existing), data)
        was_on = existing["CurrencyPrefs"].get("MultiCurrencyEnabled")
        if was_on and not merged["CurrencyPrefs"].get("MultiCurrencyEnabled"):
            raise faults.business("Multicurrency can't be turned off once it is on.")
        return merged


class CompanyInfoEntity(Entity):
    name = "CompanyInfo"
    creatable = False
    filterable = frozenset({"Id", "MetaData.CreateTime", "MetaData.LastUpdatedTime"})

    def read(self, ctx: Ctx, obj_id="1") -> dict:
        return super().read(ctx, "1")

    def build(self, ctx, data, existing):
        if not data.get("CompanyName"):
            raise faults.required("CompanyName")
        return data
