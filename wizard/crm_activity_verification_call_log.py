from odoo import fields, models

from ..models.crm_activity_verification import CALL_OUTCOMES


class CrmActivityVerificationCallLog(models.TransientModel):
    _name = "crm.activity.verification.call.log"
    _description = "Log a Verification Call"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="verification_id.partner_id")
    contact_name = fields.Char(related="verification_id.contact_name")
    phone = fields.Char(related="verification_id.phone")
    description = fields.Text(related="verification_id.description")
    outcome = fields.Selection(selection=CALL_OUTCOMES, required=True)
    notes = fields.Text()
    callback_at = fields.Datetime(string="Call Back At")

    def action_log(self):
        self.ensure_one()
        self.verification_id.action_log_call(
            self.outcome, notes=self.notes, callback_at=self.callback_at
        )
        if self.env.context.get("verification_queue"):
            # working the call queue: saving the call moves on to the next one (B-2)
            return self.verification_id.action_next_call()
        return {"type": "ir.actions.act_window_close"}
