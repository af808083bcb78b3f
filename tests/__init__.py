from . import (
    test_cdc,
    test_connection,
    test_import,
    test_log_secrets,
    test_oauth,
    test_push_bill,
    test_push_bulk,
    test_push_costs,
    test_push_faults,
    test_push_gb,
    test_push_invoice,
    test_push_preflight,
    test_push_tour,
    test_sandbox_link,
    test_security,
    test_token_lock,
    test_tokens,
    test_tours,
    test_webhook,
    test_wizard,
    test_wizard_tour,
)
from . import test_payment
from . import test_cogs
from . import test_cdc_push
