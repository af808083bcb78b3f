"""Constants of what comes back from QBO: webhooks, the CDC sweep and COGS entries."""

from datetime import datetime

#: QBO entities whose webhook events are stored (others are acknowledged and dropped)
EVENT_ENTITIES = (
    "Invoice",
    "Bill",
    "CreditMemo",
    "VendorCredit",
    "Payment",
    "BillPayment",
    "JournalEntry",
)

#: entities of the one CDC request per poll (payments move the documents' balances)
CDC_ENTITIES = (
    "Invoice",
    "Bill",
    "CreditMemo",
    "VendorCredit",
    "JournalEntry",
    "Payment",
    "BillPayment",
)

#: QBO keeps CDC data this long; older watermarks fall back to ``Id IN`` checks
CDC_WINDOW_DAYS = 30
#: safety margin kept inside the window, against clock skew (hours)
CDC_WINDOW_MARGIN_HOURS = 6
#: the next poll starts this much before the server time of the last one (seconds)
CDC_OVERLAP_SECONDS = 60

#: ids per ``select * from X where Id in (...)`` query (QBO returns at most 1000 rows)
ID_QUERY_CHUNK = 1000

#: pending events handled per cron run
EVENT_BATCH = 2000
#: failed processing attempts before an event is given up (the CDC sweep catches up)
EVENT_MAX_ATTEMPTS = 5
#: events dated before this are no change of QBO's; they are marked failed
EVENT_OLDEST = datetime(2000, 1, 1)
#: processed events are kept this long to drop late duplicate deliveries (days)
EVENT_KEEP_DAYS = 7

#: largest webhook body accepted (bytes)
WEBHOOK_MAX_BODY = 1024 * 1024
#: refused webhook deliveries are logged as one summary at most this often (seconds)
WEBHOOK_REFUSALS_LOG_SECONDS = 300

#: orders whose COGS entry is posted per cron run before progress is committed
COGS_BATCH = 200
