"""Transactions: Invoice, Bill, JournalEntry, Payment, BillPayment."""

from ..schema import Many, Obj, scalars
from .lines import BILL_LINES, JOURNAL_LINES, PAYMENT_LINE, SALES_LINES
from .types import ADDRESS, COMMON, CUSTOM_FIELD, EMAIL, MEMO, REF, TXN

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
                Line=SALES_LINES,
                CustomerRef=REF,
                CustomerMemo=MEMO,
                BillAddr=ADDRESS,
                ShipAddr=ADDRESS,
                ShipFromAddr=ADDRESS,
                ClassRef=REF,
                SalesTermRef=REF,
                ShipMethodRef=REF,
                BillEmail=EMAIL,
                BillEmailCc=EMAIL,
                BillEmailBcc=EMAIL,
                DepositToAccountRef=REF,
                TaxExemptionRef=REF,
                ProjectRef=REF,
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
                Line=BILL_LINES,
                VendorRef=REF,
                APAccountRef=REF,
                SalesTermRef=REF,
            ),
        },
    ),
    "JournalEntry": Obj(
        "JournalEntry",
        {**COMMON, **TXN, **scalars("Adjustment", Line=JOURNAL_LINES, TaxRateRef=REF)},
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
                Line=Many(PAYMENT_LINE),
                CustomerRef=REF,
                DepositToAccountRef=REF,
                PaymentMethodRef=REF,
                ARAccountRef=REF,
                ProjectRef=REF,
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
                Line=Many(PAYMENT_LINE),
                VendorRef=REF,
                APAccountRef=REF,
                CheckPayment=Obj("BillPaymentCheck", scalars("PrintStatus", BankAccountRef=REF)),
                CreditCardPayment=Obj("BillPaymentCreditCard", scalars(CCAccountRef=REF)),
            ),
        },
    ),
}
