from odoo import api, fields, models

from .crm_activity_verification import PROCEDURE_GROUPS, readable_counts
from .crm_activity_workflow_mixin import public_method


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.activity.email.setter.mixin"]
    # who set the e-mail address last (crm_activity_email_setter_mixin.py)
    _email_setter_field = "email_from"

    verification_ids = fields.One2many(
        comodel_name="crm.activity.verification",
        inverse_name="lead_id",
        string="Verifications",
        groups=PROCEDURE_GROUPS,
    )
    verification_count = fields.Integer(compute="_compute_verification_count")

    verification_state = fields.Selection(
        related="verification_ids.state",
        string="Last Verification",
        groups=PROCEDURE_GROUPS,
    )

    @api.depends("verification_ids")
    def _compute_verification_count(self):
        counts = readable_counts(self.env["crm.activity.verification"], "lead_id", self)
        for lead in self:
            lead.verification_count = counts.get(lead._origin, 0)

    @public_method(single=True)
    @api.readonly
    def action_view_verifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_action_all"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
