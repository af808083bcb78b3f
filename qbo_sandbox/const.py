"""Constants of the sandbox: lifetimes, limits and the wording of QBO's faults."""

MINOR_VERSION = 75
SERVER_TZ = "America/Los_Angeles"  # QBO stamps MetaData and "time" in Pacific time

# OAuth lifetimes (seconds, sandbox clock)
ACCESS_TOKEN_TTL = 3600
REFRESH_TOKEN_TTL = 8726400  # rolling, about 101 days
REFRESH_TOKEN_HARD_TTL = 157680000  # 5-year cap
AUTH_CODE_TTL = 600
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
PAYMENT_SCOPE = "com.intuit.quickbooks.payment"
REALM_SCOPES = (ACCOUNTING_SCOPE, PAYMENT_SCOPE)

# Limits (per realm)
REQUESTS_PER_MINUTE = 500
MAX_CONCURRENT = 10
BATCHES_PER_MINUTE = 40
BATCH_MAX_ITEMS = 30
QUERY_DEFAULT_MAX = 100
QUERY_MAX = 1000
QUERY_IN_MAX = 1000  # values in one IN (...) list
BATCH_MAX_OBJECTS = 1000  # objects in one batch answer
CDC_MAX_OBJECTS = 1000
CDC_WINDOW_DAYS = 30
REQUESTID_MAX = 50
BATCH_REQUESTID_MAX = 36
BATCH_BID_MAX_WITH_REQUESTID = 10
DEFAULT_SLOW_SECONDS = 3.0
INJECT_RETRY_AFTER = 60  # seconds (before time scaling) announced by an injected 429

# Field lengths QBO enforces
DOCNUMBER_MAX = 21
DISPLAYNAME_MAX = 500
PERSON_NAME_MAX = 100
COMPANYNAME_MAX = 100
ITEM_NAME_MAX = 100
ACCOUNT_NAME_MAX = 100
PRIVATENOTE_MAX = 4000
CUSTOMERMEMO_MAX = 1000
DESCRIPTION_MAX = 4000
ADDRESS_LINE_MAX = 500
ADDRESS_PART_MAX = 255  # City, Country, CountrySubDivisionCode
POSTAL_CODE_MAX = 30
TITLE_MAX = 16  # Title, Suffix
PHONE_MAX = 30
EMAIL_MAX = 100
NOTES_MAX = 2000
TXN_LINES_MAX = 750  # lines per transaction

# Webhook retry schedule (seconds before time scaling), after Intuit's delivery docs
WEBHOOK_RETRY_SCHEDULE = (0, 10, 20, 30, 300, 1200, 7200)
WEBHOOK_TIMEOUT = 10
CLOUDEVENT_VERBS = {
    "Create": "created",
    "Update": "updated",
    "Delete": "deleted",
    "Void": "voided",
    "Merge": "merged",
    "Emailed": "emailed",
}

INJECT_KINDS = (
    "429",
    "429_bare",  # no Retry-After
    "429_xml",  # an XML body (and no Retry-After), whatever the Accept header says
    "500",
    "503",
    "reset",
    "timeout",
    "commit_then_fail",  # saved, then the connection is reset (a refresh: rotated, then lost)
    "commit_then_500",
    "commit_then_6000",
    "6000",
    "401",
    "5010",
)

# Fault wording
MSG_REQUIRED = "Required param missing, need to supply the required value for the API"
MSG_LENGTH = "String length is either shorter or longer than supported by specification"
MSG_BUSINESS = "A business validation error has occurred while processing your request"
MSG_NOT_FOUND = "Object Not Found"
DETAIL_DELETED = "Object Not Found : Another user has deleted this transaction."
DETAIL_INACTIVE = (
    "Object Not Found : Something you're trying to use has been made inactive. "
    "Check the fields with accounts, customers, items, vendors or employees."
)
MSG_INVALID_REF = "Invalid Reference Id"
MSG_STALE = "Stale Object Error"
DETAIL_STALE = (
    "Stale Object Error : You and Sandbox User were working on this at the same time. "
    "Sandbox User finished before you did, so your work was not saved."
)
MSG_PERIOD_CLOSED = "Account Period Closed"
DETAIL_PERIOD_CLOSED = "Account Period Closed : The account period has closed."
MSG_DUP_NAME = "Duplicate Name Exists Error"
DETAIL_DUP_NAME_PARTY = (
    "The name supplied already exists. : Another customer, vendor or employee is already "
    "using this \nname. Please use a different name."
)
DETAIL_DUP_NAME_ITEM = (
    "The name supplied already exists. : Another product or service is already using this "
    "\nname. Please use a different name."
)
DETAIL_DUP_NAME_ACCOUNT = (
    "The name supplied already exists. : Another account is already using this \nname. "
    "Please use a different name."
)
MSG_DUP_DOC = "Duplicate Document Number Error"
DETAIL_DUP_DOC = (
    "Duplicate Document Number Error : You must specify a different number. This number has "
    "already been used. DocNumber={doc} is assigned to TxnType={txn_type} with TxnId={txn_id}"
)
MSG_ENUM = "Invalid Enumeration"
MSG_UNSUPPORTED = "Unsupported Operation"
MSG_INVALID_PROPERTY = "Request has invalid or unsupported property"
DETAIL_TRANSIENT = (
    "Business Validation Error: An unexpected error occurred while accessing or saving your "
    "data. Please wait a few minutes and try again. If the problem persists, contact customer "
    "support."
)
MSG_SYSTEM = "An application error has occurred while processing your request"
DETAIL_SYSTEM = "System Failure Error: An unexpected error occurred while processing the request"
MSG_QUERY_PARSE = "Error parsing query"
MSG_QUERY_INVALID = "Invalid query"
MSG_THROTTLE = "message=ThrottleExceeded; errorCode=003001; statusCode=429"
DETAIL_THROTTLE = "The request limit was reached."
MSG_AUTHN = "message=AuthenticationFailed; errorCode=003200; statusCode=401"
MSG_AUTHZ = "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403"
DETAIL_AMOUNT = "Amount is not equal to UnitPrice * Qty. Supplied value:{amount}"
