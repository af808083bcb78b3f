from odoo import api, fields, models


class QboLink(models.Model):
    """Which QBO object an Odoo record is linked to, per connection.

    Partners and products are shared between companies while QBO ids belong to
    one QBO company, so the link is keyed by connection, not stored on the record.
    """

    _name = "qbo.link"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "Link between an Odoo record and a QuickBooks Online object"

    connection_id = fields.Many2one("qbo.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True)
    qbo_entity = fields.Char(string="QBO entity", required=True, help="Customer, Vendor or Item")
    qbo_id = fields.Char(string="QBO ID", required=True)
    qbo_name = fields.Char(string="QBO name")
    qbo_created = fields.Boolean(
        string="Created by Odoo",
        help="The QBO object was created by this connector, not matched to one that existed; "
        "the connector keeps such items in line with the account mapping.",
    )

    _record_unique = models.UniqueIndex("(connection_id, res_model, res_id, qbo_entity)")
    _qbo_id_index = models.Index("(connection_id, qbo_entity, qbo_id)")

    @api.model
    def _get_map(self, connection, records, qbo_entity):
        """``{record id: qbo id}`` for the linked ``records`` (one query)."""
        links = self.search_fetch(
            [
                ("connection_id", "=", connection.id),
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("qbo_entity", "=", qbo_entity),
            ],
            ["res_id", "qbo_id"],
        )
        return {link.res_id: link.qbo_id for link in links}

    @api.model
    def _link(self, connection, record, qbo_entity, qbo_id, qbo_name=None):
        """Link ``record`` to a QBO object, replacing an earlier link of that kind."""
        record.ensure_one()
        values = {"qbo_id": str(qbo_id), "qbo_name": qbo_name}
        link = self.search(
            [
                ("connection_id", "=", connection.id),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("qbo_entity", "=", qbo_entity),
            ],
            limit=1,
        )
        if link:
            link.write(values)
            return link
        return self.create(
            dict(
                values,
                connection_id=connection.id,
                res_model=record._name,
                res_id=record.id,
                qbo_entity=qbo_entity,
            )
        )

    @api.model
    def _find_records(self, connection, model, qbo_entity, qbo_ids):
        """``{qbo id: record}`` of the records of ``model`` linked to ``qbo_ids``."""
        links = self.search_fetch(
            [
                ("connection_id", "=", connection.id),
                ("res_model", "=", model),
                ("qbo_entity", "=", qbo_entity),
                ("qbo_id", "in", [str(qbo_id) for qbo_id in qbo_ids]),
            ],
            ["res_id", "qbo_id"],
        )
        return {link.qbo_id: self.env[model].browse(link.res_id) for link in links}
