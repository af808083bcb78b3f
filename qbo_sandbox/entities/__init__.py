"""The QBO entity types the sandbox serves, by canonical name and by URL/query spelling."""

from .base import Ctx, Entity
from .catalog import AccountEntity, ItemEntity, TaxCodeEntity, TaxRateEntity, TermEntity
from .credits import CreditMemoEntity, VendorCreditEntity
from .journal import JournalEntryEntity
from .names import CustomerEntity, EmployeeEntity, VendorEntity
from .payments import BillPaymentEntity, PaymentEntity
from .purchases import BillEntity
from .sales import InvoiceEntity
from .settings import CompanyInfoEntity, PreferencesEntity

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        CustomerEntity(),
        VendorEntity(),
        EmployeeEntity(),
        ItemEntity(),
        AccountEntity(),
        TermEntity(),
        TaxCodeEntity(),
        TaxRateEntity(),
        InvoiceEntity(),
        BillEntity(),
        CreditMemoEntity(),
        VendorCreditEntity(),
        JournalEntryEntity(),
        PaymentEntity(),
        BillPaymentEntity(),
        PreferencesEntity(),
        CompanyInfoEntity(),
    )
}
_BY_LOWER = {name.lower(): entity for name, entity in ENTITIES.items()}


def lookup(name: str) -> Entity | None:
    """Entity by any capitalisation (``invoice``, ``Invoice``, ``INVOICE``)."""
    return _BY_LOWER.get((name or "").lower())


__all__ = ["ENTITIES", "Ctx", "Entity", "lookup"]
