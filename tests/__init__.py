from . import test_connection, test_tours
