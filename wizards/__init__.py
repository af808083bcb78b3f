from . import qbo_setup_wizard, qbo_setup_wizard_tax
