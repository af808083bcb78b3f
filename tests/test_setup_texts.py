"""What the setup screens and messages say: the wizard as a dialog, dates and menu paths
in the user's terms, "QuickBooks" in every label."""

from datetime import datetime

from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import html2plaintext

from .common import QboCase

#: models whose labels users read on the orders, the connection and the setup
LABELLED_MODELS = ("qbo.connection", "qbo.setup.wizard", "sale.order", "purchase.order")


@tagged("post_install", "-at_install")
class TestSetupTexts(QboCase):
    def test_setup_is_a_dialog_at_every_step_and_never_created_empty(self):
        self.connection.setup_done = False
        action = self.connection.action_qbo_open_setup()
        self.assertEqual(action["target"], "new")
        wizard = self.env["qbo.setup.wizard"].browse(action["res_id"])
        step = wizard.action_overview_continue()
        self.assertEqual((step["target"], step["res_id"]), ("new", wizard.id))
        self.assertEqual(wizard.state, "ledger")
        self.assertEqual(self.env.ref("quickbooks_online.action_qbo_setup_wizard").target, "new")
        arch = wizard.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('create="false"', arch)
        self.assertNotIn("four short steps", arch)

    def test_token_warning_counts_days_as_the_calendar_and_says_what_renews_it(self):
        self.env.user.write({"tz": "UTC", "lang": "en_US"})
        with freeze_time("2026-03-01 10:00:00"):
            # 9 days and 23 hours left: the 11th is 10 days away on the calendar
            self.connection.write(
                {
                    "refresh_token_expires_at": datetime(2026, 3, 11, 9, 0),
                    "refresh_token_hard_expires_at": datetime(2031, 1, 1),
                }
            )
            warning = self.connection.token_warning
        self.assertIn("expires in 10 days, on 03/11/2026", warning)
        self.assertIn("each exchange with QuickBooks through it", warning)
        self.assertNotIn("Use any QuickBooks feature", warning)
        self.assertNotIn("2026-03-11", warning)

    def test_reconnect_activity_names_the_menu_that_exists(self):
        admin = new_test_user(
            self.env,
            login="qbo_texts_admin",
            groups="base.group_user,quickbooks_online.group_qbo_manager",
        )
        self.connection._qbo_set_reconnect_needed("invalid_grant")
        [activity] = self.connection.activity_ids.filtered(lambda a: a.user_id == admin)
        note = html2plaintext(activity.note)
        root = self.env.ref("account.menu_finance").name  # "Invoicing" without Enterprise
        self.assertIn(f"{root} > Configuration > QuickBooks Online", note)
        if root != "Accounting":
            self.assertNotIn("Accounting > Configuration", note)

    def test_reconnect_needed_is_not_a_step_after_connected(self):
        states = [key for key, _label in self.connection._fields["state"].selection]
        self.assertLess(states.index("reconnect"), states.index("connected"))
        arch = self.connection.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('statusbar_visible="not_connected,connected"', arch)

    def test_labels_say_quickbooks(self):
        for model in LABELLED_MODELS:
            for name, field in self.env[model]._fields.items():
                if name.startswith("qbo_") or field.model_name.startswith("qbo."):
                    self.assertNotIn("QBO", field.string or "", f"{model}.{name}")
                    self.assertNotIn("QBO", field.help or "", f"{model}.{name}")
