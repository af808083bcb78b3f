from . import test_connection, test_sandbox_link, test_tours
from . import test_push_invoice, test_push_preflight
from . import test_webhook
