from odoo import api, fields, models

from ..models.crm_activity_workflow_mixin import public_method


class CrmActivityVerificationPhone(models.TransientModel):
    """The collaborator's answer to a phone request (R-2.2)."""

    _name = "crm.activity.verification.phone"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Give the Contact's Phone Number"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    customer = fields.Char(compute="_compute_request")
    request_note = fields.Html(compute="_compute_request", string="Request")
    contact_name = fields.Char(
        string="Contact Person", help="Who answers the phone at the customer."
    )
    phone = fields.Char(required=True)

    @api.depends("verification_id")
    def _compute_request(self):
        for wizard in self:
            verification = wizard.verification_id
            wizard.customer = (
                verification.partner_id.name
                or verification.report_customer_name
                or verification.contact_name
            )
            wizard.request_note = verification._get_phone_requests()[:1].note

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        verification = self.env["crm.activity.verification"].browse(
            values.get("verification_id") or self.env.context.get("default_verification_id")
        )
        if "contact_name" in fields_list and verification:
            values.setdefault("contact_name", verification.contact_name)
        return values

    @public_method(single=True)
    def action_provide(self):
        """Send the number to customer service, and say so."""
        self.ensure_one()
        verification = self.verification_id
        verification.action_provide_phone(self.phone, contact_name=self.contact_name)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Thank you: customer service will call %(contact)s at %(phone)s.",
                    contact=verification.contact_name or verification.display_name,
                    phone=verification.phone,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
