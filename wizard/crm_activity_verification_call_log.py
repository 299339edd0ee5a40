from odoo import fields, models
from odoo.exceptions import UserError

from ..models.crm_activity_verification import CALL_OUTCOMES
from ..models.crm_activity_verification_analysis import CSAT_SCALE
from ..models.crm_activity_workflow_mixin import public_method


class CrmActivityVerificationCallLog(models.TransientModel):
    _name = "crm.activity.verification.call.log"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Log a Verification Call"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="verification_id.partner_id")
    contact_name = fields.Char(related="verification_id.contact_name")
    phone = fields.Char(related="verification_id.phone")
    description = fields.Text(related="verification_id.description")
    user_id = fields.Many2one(related="verification_id.user_id", string="Collaborator")
    activity_date = fields.Datetime(related="verification_id.activity_date")
    reported_activity_type_id = fields.Many2one(related="verification_id.reported_activity_type_id")
    # required when the call is saved (action_log), not before: the dialog is saved
    # half-filled when the assistant completes the customer from it
    outcome = fields.Selection(selection=CALL_OUTCOMES)
    notes = fields.Text()
    callback_at = fields.Datetime(string="Call Back At")
    csat = fields.Selection(
        selection=CSAT_SCALE,
        string="Customer Satisfaction",
        help="How the customer rates our service, if they said so (Odoo's rating scale).",
    )

    @public_method(single=True)
    def action_open_customer_dialog(self):
        """Complete the customer from the call (R-2.4); that dialog brings her back here,
        with the outcome and notes she already chose."""
        self.ensure_one()
        action = self.verification_id.action_open_customer_dialog()
        # the call's context (the call queue's, for one) comes back with the call dialog
        action["context"] = dict(
            self.env.context, **action["context"], verification_call_log_id=self.id
        )
        return action

    def _reopen(self):
        """This dialog again, as the assistant left it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a call"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }

    @public_method(single=True)
    def action_log(self):
        self.ensure_one()
        if not self.outcome:
            raise UserError(self.env._("Choose the outcome of the call before saving it."))
        self.verification_id.action_log_call(
            self.outcome,
            notes=self.notes,
            callback_at=self.callback_at,
            csat=int(self.csat) if self.csat else False,
        )
        if self.csat == "1":
            # a dissatisfied customer: propose a complaint for the handler
            action = self.verification_id.action_open_complaint_dialog()
            action["context"] = dict(
                action["context"],
                default_description=self.env._(
                    "The customer is dissatisfied with the service (rating given during the "
                    "verification call). %(notes)s",
                    notes=self.notes or "",
                ).strip(),
            )
            return action
        if self.env.context.get("verification_queue"):
            # working the call queue: saving the call moves on to the next one (B-2)
            action = self.verification_id.action_next_call()
            if action.get("tag") == "display_notification":
                # the queue is empty: close this dialog; the form that opened it says so
                # (verification_queue_form.js), once the dialog is gone
                return {
                    "type": "ir.actions.act_window_close",
                    "infos": {"notification": action["params"]},
                }
            # close this dialog; the form that opened it gives its place to the next
            # call (verification_queue_form.js): the breadcrumbs do not pile up
            return {"type": "ir.actions.act_window_close", "infos": {"next_call": action}}
        return {"type": "ir.actions.act_window_close"}
