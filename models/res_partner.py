from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .crm_activity_verification import PROCEDURE_GROUPS, SUPERVISOR_GROUPS, readable_counts

EMAIL_SETTER_FIELD = "verification_email_user_id"


def check_email_setter_write(records, vals_list):
    """Nobody writes who set an e-mail address through the ORM (issue 21)."""
    if any(EMAIL_SETTER_FIELD in vals for vals in vals_list) and records.pool.ready:
        raise UserError(records.env._("Who last set an e-mail address is recorded by Odoo only."))


def record_email_setter(records, vals_list):
    """Record who set the e-mail address of ``records`` (res.partner or crm.lead, its
    ``_email_setter_field``), by SQL: nobody writes it through the ORM (issue 21)."""
    email_field = records._email_setter_field
    changed = records.browse(
        record.id for record, vals in zip(records, vals_list, strict=True) if email_field in vals
    )
    if changed:
        records.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id IN %s",
                SQL.identifier(records._table),
                SQL.identifier(EMAIL_SETTER_FIELD),
                records.env.uid,
                tuple(changed.ids),
            )
        )
        changed.invalidate_recordset([EMAIL_SETTER_FIELD])


class ResPartner(models.Model):
    _inherit = "res.partner"

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
    # who set the e-mail address last: no confirmation link goes to an address that the
    # collaborator whose activity is verified set himself (issue 21)
    verification_email_user_id = fields.Many2one(
        comodel_name="res.users",
        string="E-mail Last Set By",
        readonly=True,
        copy=False,
        groups=SUPERVISOR_GROUPS,
    )
    _email_setter_field = "email"
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

    @api.model_create_multi
    def create(self, vals_list):
        check_email_setter_write(self, vals_list)
        partners = super().create(vals_list)
        record_email_setter(partners, vals_list)
        return partners

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
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        return action

    @api.readonly
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_complaint_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
