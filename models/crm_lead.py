from odoo import api, fields, models

from .crm_activity_verification import PROCEDURE_GROUPS, SUPERVISOR_GROUPS, readable_counts
from .res_partner import check_email_setter_write, record_email_setter


class CrmLead(models.Model):
    _inherit = "crm.lead"

    verification_ids = fields.One2many(
        comodel_name="crm.activity.verification",
        inverse_name="lead_id",
        string="Verifications",
        groups=PROCEDURE_GROUPS,
    )
    verification_count = fields.Integer(compute="_compute_verification_count")
    # who set the e-mail address last (see res.partner)
    verification_email_user_id = fields.Many2one(
        comodel_name="res.users",
        string="E-mail Last Set By",
        readonly=True,
        copy=False,
        groups=SUPERVISOR_GROUPS,
    )
    _email_setter_field = "email_from"
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

    @api.model_create_multi
    def create(self, vals_list):
        check_email_setter_write(self, vals_list)
        leads = super().create(vals_list)
        record_email_setter(leads, vals_list)
        return leads

    def write(self, vals):
        check_email_setter_write(self, [vals])
        result = super().write(vals)
        record_email_setter(self, [vals] * len(self))
        return result

    @api.readonly
    def action_view_verifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_action_all"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
