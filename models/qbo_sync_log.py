from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..services import sync_log
from ..services.cron import CronRun
from .document_mixin import PUSHABLE_STATUSES

PURGE_CRON = "quickbooks_online.ir_cron_qbo_sync_log_purge"
#: rows deleted per step of the purge
PURGE_CHUNK = 5000
ORDER_MODELS = ("sale.order", "purchase.order")
#: sources of the calls a push makes: any of them failing fails the push
PUSH_SOURCES = ("push", "lookup", "reconcile")


class QboSyncLog(models.Model):
    """One call the connector made to QuickBooks Online (see :mod:`..services.sync_log`).

    Written by the connector only, in a transaction of its own; read by QuickBooks users of
    the company. The bodies are redacted by the rules of the logs: they carry no token.
    """

    _name = "qbo.sync.log"
    _inherit = ["qbo.traffic.mixin"]
    _description = "QuickBooks Online sync log"
    _order = "called_at desc, id desc"
    _rec_name = "operation"

    called_at = fields.Datetime(string="When", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Who", readonly=True)
    connection_id = fields.Many2one(groups="quickbooks_online.group_qbo_manager")
    source = fields.Selection(sync_log.SOURCES, required=True, readonly=True, index=True)
    res_model = fields.Char(string="Document model", readonly=True)
    res_ids = fields.Char(string="Document IDs", readonly=True, index="btree_not_null")
    document_names = fields.Char(string="Documents", readonly=True)
    entity = fields.Char(string="QBO entity", readonly=True)
    operation = fields.Char(readonly=True)
    method = fields.Char(readonly=True)
    url = fields.Char(string="URL", readonly=True)
    request_body = fields.Text(readonly=True)
    response_body = fields.Text(readonly=True)
    status_code = fields.Integer(string="HTTP status", readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    intuit_tid = fields.Char(string="intuit_tid", readonly=True)
    metered_read = fields.Boolean(readonly=True, help="Intuit meters this call as a read.")
    error = fields.Text(readonly=True)
    state = fields.Selection(
        [("done", "Done"), ("failed", "Failed")], required=True, readonly=True, index=True
    )
    can_retry = fields.Boolean(compute="_compute_can_retry")

    @api.depends("state", "source", "res_model")
    def _compute_can_retry(self):
        for row in self:
            row.can_retry = (
                row.state == "failed"
                and row.source in PUSH_SOURCES
                and row.res_model in ORDER_MODELS
            )

    def _orders(self):
        """The orders of these rows, as the current user sees them."""
        self.ensure_one()
        ids = [int(part) for part in (self.res_ids or "").split(",") if part]
        return self.env[self.res_model].browse(ids).exists()

    def action_open_documents(self):
        self.ensure_one()
        orders = self._orders() if self.res_model in ORDER_MODELS else None
        if not orders:
            raise UserError(self.env._("The documents of this call no longer exist."))
        return {
            "type": "ir.actions.act_window",
            "res_model": orders._name,
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", orders.ids)],
            "name": self.document_names,
        }

    def action_retry(self):
        """Push the orders of a failed push again, through the orders' own push button
        (with the rights of the user who clicks)."""
        self.ensure_one()
        if not self.can_retry:
            raise UserError(self.env._("Only a failed push can be retried from the sync log."))
        orders = self._orders().filtered(lambda o: o.qbo_status in PUSHABLE_STATUSES)
        if not orders:
            raise UserError(
                self.env._("These orders were sent since, or no longer exist: nothing to retry.")
            )
        orders.action_qbo_push()
        return True

    @api.model
    def _action_for(self, records):
        """The sync log of ``records`` (orders or a connection)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quickbooks_online.action_qbo_sync_log"
        )
        if records._name == "qbo.connection":
            action["domain"] = [("company_id", "in", records.company_id.ids)]
        else:
            documents = Domain.OR(
                Domain("res_ids", "like", f",{record_id},") for record_id in records.ids
            )
            action["domain"] = list(Domain("res_model", "=", records._name) & documents)
        action["context"] = {}
        return action

    @api.model
    def _cron_purge(self):
        """Delete the rows older than the days the system parameter keeps them."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=sync_log.keep_days(self.env))
        old = [("called_at", "<", limit)]
        run = CronRun(self.env, PURGE_CRON)
        run.start(self.sudo().search_count(old))
        while ids := self.sudo().search(old, limit=PURGE_CHUNK).ids:
            self.env.cr.execute(SQL("DELETE FROM qbo_sync_log WHERE id = ANY(%s)", ids))
            self.invalidate_model()
            if not run.step(len(ids)):
                break
