from odoo import fields, models

from ..models.crm_activity_workflow_mixin import public_method


class CrmActivityVerificationAnomalyResolve(models.TransientModel):
    _name = "crm.activity.verification.anomaly.resolve"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Resolve an Anomaly"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    anomaly_description = fields.Text(related="verification_id.anomaly_description")
    resolution = fields.Text(required=True)

    @public_method(single=True)
    def action_resolve(self):
        self.ensure_one()
        self.verification_id.action_resolve_anomaly(self.resolution)
        return {"type": "ir.actions.act_window_close"}
