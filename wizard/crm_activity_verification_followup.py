from odoo import api, fields, models

from ..models.crm_activity_workflow_mixin import public_method


class CrmActivityVerificationFollowup(models.TransientModel):
    _name = "crm.activity.verification.followup"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Request a Follow-up"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="verification_id.user_id", string="Collaborator")
    partner_id = fields.Many2one(related="verification_id.partner_id")
    notes = fields.Text(string="What the customer needs", required=True)
    deadline = fields.Date(
        compute="_compute_deadline",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="By default, the company's follow-up delay in working days.",
    )

    @api.depends("verification_id")
    def _compute_deadline(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            company = wizard.verification_id.company_id or self.env.company
            wizard.deadline = company._get_verification_followup_deadline(today)

    @public_method(single=True)
    def action_request(self):
        self.ensure_one()
        self.verification_id.action_request_followup(self.notes, deadline=self.deadline)
        return {"type": "ir.actions.act_window_close"}
