from odoo import fields, models

from ..models.crm_activity_workflow_mixin import public_method


class CrmActivityVerificationReopen(models.TransientModel):
    _name = "crm.activity.verification.reopen"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Reopen a Concluded Verification"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    reason = fields.Text(required=True, help="Why the concluded verification is reopened.")

    @public_method(single=True)
    def action_reopen(self):
        self.ensure_one()
        self.verification_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
