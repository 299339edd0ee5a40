from odoo import fields, models

from ..models.crm_activity_workflow_mixin import public_method


class CrmActivityVerificationAnomaly(models.TransientModel):
    _name = "crm.activity.verification.anomaly"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Report an Anomaly"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="verification_id.user_id", string="Collaborator")
    partner_id = fields.Many2one(related="verification_id.partner_id")
    description = fields.Text(
        required=True,
        help="What needs the HR & process manager's attention, e.g. the customer denies the visit.",
    )

    @public_method(single=True)
    def action_report(self):
        self.ensure_one()
        self.verification_id.action_report_anomaly(self.description)
        return {"type": "ir.actions.act_window_close"}
