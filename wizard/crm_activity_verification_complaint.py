from odoo import fields, models

from ..models.crm_activity_workflow_mixin import public_method


class CrmActivityVerificationComplaint(models.TransientModel):
    _name = "crm.activity.verification.complaint"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Record a Complaint"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="verification_id.partner_id")
    description = fields.Text(
        required=True, help="The customer's complaint, in the customer's words."
    )

    @public_method(single=True)
    def action_report(self):
        self.ensure_one()
        complaint_id = self.verification_id.action_report_complaint(self.description)
        model = self.verification_id._get_complaint_model()  # a claim with the claims app
        action = self.env[model].browse(complaint_id).get_formview_action()
        # recorded from the verification only: no "New" button on the complaint opened
        action["context"] = {**action.get("context", {}), "create": False}
        return action
