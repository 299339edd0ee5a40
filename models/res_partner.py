from odoo import api, fields, models

from .crm_activity_verification import PROCEDURE_GROUPS, readable_counts
from .crm_activity_workflow_mixin import public_method


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.activity.email.setter.mixin"]

    verification_ids = fields.One2many(
        comodel_name="crm.activity.verification",
        inverse_name="partner_id",
        string="Verifications",
        groups=PROCEDURE_GROUPS,
    )
    verification_count = fields.Integer(
        compute="_compute_verification_count",
        groups="sales_team.group_sale_salesman",
    )
    complaint_ids = fields.One2many(
        comodel_name="crm.activity.complaint",
        inverse_name="partner_id",
        string="Complaints",
        groups=PROCEDURE_GROUPS,
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="sales_team.group_sale_salesman",
    )
    contact_data_complete = fields.Boolean(
        compute="_compute_contact_data_complete",
        help="The customer has what the customer-service assistant needs to call: "
        "a phone, an e-mail and a city.",
    )

    def _compute_verification_count(self):
        counts = readable_counts(self.env["crm.activity.verification"], "partner_id", self)
        for partner in self:
            partner.verification_count = counts.get(partner._origin, 0)

    def _compute_complaint_count(self):
        counts = readable_counts(self.env["crm.activity.complaint"], "partner_id", self)
        for partner in self:
            partner.complaint_count = counts.get(partner._origin, 0)

    @api.depends("phone", "email", "city")
    def _compute_contact_data_complete(self):
        for partner in self:
            partner.contact_data_complete = bool(partner.phone and partner.email and partner.city)

    @public_method(single=True)
    @api.readonly
    def action_view_verifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_action_all"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        return action

    @public_method(single=True)
    @api.readonly
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_complaint_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
