from . import test_connection, test_sandbox_link, test_tours
