"""Transactions: Invoice, Bill, JournalEntry, Payment, BillPayment."""

from ..schema import Many, Obj, scalars
from .lines import BILL_LINES, JOURNAL_LINES, PAYMENT_LINE, SALES_LINES
from .types import ADDRESS, COMMON, CUSTOM_FIELD, EMAIL, MEMO, TXN

TRANSACTIONS = {
    "Invoice": Obj(
        "Invoice",
        {
            **COMMON,
            **TXN,
            **scalars(
                "DueDate",
                "ShipDate",
                "TrackingNum",
                "Balance",
                "HomeBalance",
                "ApplyTaxAfterDiscount",
                "PrintStatus",
                "EmailStatus",
                "Deposit",
                "AllowIPNPayment",
                "AllowOnlinePayment",
                "AllowOnlineCreditCardPayment",
                "AllowOnlineACHPayment",
                "InvoiceLink",
                "FreeFormAddress",
                "TxnSource",
                "EInvoiceStatus",
                "CustomerRef",
                "ClassRef",
                "SalesTermRef",
                "ShipMethodRef",
                "DepositToAccountRef",
                "TaxExemptionRef",
                "ProjectRef",
                Line=SALES_LINES,
                CustomerMemo=MEMO,
                **dict.fromkeys(("BillAddr", "ShipAddr", "ShipFromAddr"), ADDRESS),
                **dict.fromkeys(("BillEmail", "BillEmailCc", "BillEmailBcc"), EMAIL),
                CustomField=Many(CUSTOM_FIELD),
                DeliveryInfo=Obj("DeliveryInfo", scalars("DeliveryType", "DeliveryTime")),
            ),
        },
    ),
    "Bill": Obj(
        "Bill",
        {
            **COMMON,
            **TXN,
            **scalars(
                "DueDate",
                "Balance",
                "HomeBalance",
                "IncludeInAnnualTPAR",
                "VendorRef",
                "APAccountRef",
                "SalesTermRef",
                Line=BILL_LINES,
            ),
        },
    ),
    "JournalEntry": Obj(
        "JournalEntry",
        {**COMMON, **TXN, **scalars("Adjustment", "TaxRateRef", Line=JOURNAL_LINES)},
    ),
    "Payment": Obj(
        "Payment",
        {
            **COMMON,
            **TXN,
            **scalars(
                "UnappliedAmt",
                "ProcessPayment",
                "PaymentRefNum",
                "TxnSource",
                "CustomerRef",
                "DepositToAccountRef",
                "PaymentMethodRef",
                "ARAccountRef",
                "ProjectRef",
                Line=Many(PAYMENT_LINE),
            ),
        },
    ),
    "BillPayment": Obj(
        "BillPayment",
        {
            **COMMON,
            **TXN,
            **scalars(
                "PayType",
                "ProcessBillPayment",
                "VendorRef",
                "APAccountRef",
                Line=Many(PAYMENT_LINE),
                CheckPayment=Obj("BillPaymentCheck", scalars("PrintStatus", "BankAccountRef")),
                CreditCardPayment=Obj("BillPaymentCreditCard", scalars("CCAccountRef")),
            ),
        },
    ),
}
