from odoo import api, fields, models

from .crm_activity_verification import CALL_OUTCOMES


class CrmActivityVerificationCall(models.Model):
    _name = "crm.activity.verification.call"
    _inherit = ["crm.activity.workflow.mixin"]
    _description = "Verification Call Attempt"
    _order = "date desc, id desc"
    _check_company_auto = True
    # a call is recorded by action_log_call only, and never changed afterwards
    _workflow_create_only = True

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="verification_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    verifier_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
    )
    outcome = fields.Selection(selection=CALL_OUTCOMES, required=True)
    notes = fields.Text()

    @property
    def _workflow_fields(self):
        return frozenset(self._fields)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_workflow_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_write(vals)
        return super().write(vals)
