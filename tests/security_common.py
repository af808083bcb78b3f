"""The people of the security tests and the door they use: JSON-RPC ``call_kw``."""

from odoo.tests import new_test_user
from odoo.tests.common import JsonRpcException

from .orders import QboHttpCase

#: groups of each role; every password is the login
ROLES = {
    "salesperson": "base.group_user,sales_team.group_sale_salesman",
    "qbo_user": (
        "base.group_user,sales_team.group_sale_salesman_all_leads,purchase.group_purchase_user,"
        "quickbooks_online.group_qbo_user"
    ),
    "qbo_admin": (
        "base.group_user,sales_team.group_sale_salesman_all_leads,purchase.group_purchase_user,"
        "quickbooks_online.group_qbo_manager"
    ),
    "system_admin": (
        "base.group_user,base.group_system,sales_team.group_sale_salesman_all_leads,"
        "purchase.group_purchase_user,quickbooks_online.group_qbo_manager"
    ),
}


def make_users(env):
    """One user per role of :data:`ROLES`, in the current company: ``{role: user}``."""
    return {
        role: new_test_user(
            env,
            login=f"qbo_sec_{role}",
            groups=groups,
            company_id=env.company.id,
            company_ids=[env.company.id],
        )
        for role, groups in ROLES.items()
    }


class RpcMixin:
    """Calls over JSON-RPC as one of ``self.users`` (an HttpCase)."""

    _rpc_login = False

    def login(self, role):
        """Open a session as ``role`` (``None``: log out, the anonymous visitor)."""
        if role == self._rpc_login:
            return
        login = self.users[role].login if role else None
        self.authenticate(login, login)
        self._rpc_login = role

    def rpc(self, role, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over JSON-RPC as ``role``; its result."""
        self.login(role)
        result = self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )
        self.env.invalidate_all()
        return result

    def rpc_error(self, role, model, method, *args, **kwargs):
        """The name of the exception the server answered (``None`` when it succeeded)."""
        try:
            self.rpc(role, model, method, *args, **kwargs)
        except JsonRpcException as error:
            self.env.invalidate_all()
            return error.args[0] if error.args else str(error)
        return None

    def assert_refused(self, role, model, method, *args, exception="AccessError", **kwargs):
        error = self.rpc_error(role, model, method, *args, **kwargs)
        self.assertIsNotNone(error, f"{role} could call {model}.{method}{args}")
        self.assertIn(exception, error)


class QboRolesCase(RpcMixin, QboHttpCase):
    """A connected company and one user per role, reached over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_users(cls.env)

    def setUp(self):
        super().setUp()
        self.fresh_tokens()
        self.sandbox.clear_requests()

    def rpc_push(self, order, role="qbo_user"):
        """``role`` clicks the order's push button (over JSON-RPC); the order."""
        self.rpc(role, order._name, "action_qbo_push", order.ids)
        return order
