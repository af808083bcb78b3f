from . import qbo_setup_wizard
