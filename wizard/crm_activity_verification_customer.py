from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_activity_workflow_mixin import public_method

# Customer fields the verifier may complete during the call.
CUSTOMER_FIELDS = ("phone", "email", "street", "city", "zip", "state_id", "country_id")


class CrmActivityVerificationCustomer(models.TransientModel):
    _name = "crm.activity.verification.customer"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Complete Customer Data During a Verification"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="verification_id.partner_id")
    name = fields.Char(string="Customer Name")
    phone = fields.Char()
    email = fields.Char()
    street = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    state_id = fields.Many2one(
        comodel_name="res.country.state", domain="[('country_id', '=?', country_id)]"
    )
    country_id = fields.Many2one(comodel_name="res.country")
    contact_name = fields.Char(string="Contact Person")
    contact_phone = fields.Char()
    contact_function = fields.Char(string="Job Position")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        verification = self.env["crm.activity.verification"].browse(
            values.get("verification_id") or self.env.context.get("default_verification_id")
        )
        partner, lead = verification.partner_id, verification.lead_id
        for fname in CUSTOMER_FIELDS:
            # the customer's value first, else what the opportunity already knows
            source = lead if lead and not partner[fname] and fname in lead._fields else partner
            values[fname] = source._fields[fname].convert_to_write(source[fname], source)
        values.update(self._get_customer_defaults(verification))
        return values

    @api.model
    def _get_customer_defaults(self, verification):
        """The customer's name and the contact person, each in its place (R-2.4): the
        company as reported (CRM, opportunity, FRE-7.5-01 line) is the customer, the
        person who answered is its contact; a person never becomes the company."""
        partner, lead = verification.partner_id, verification.lead_id
        company_name = (
            partner.name or lead.partner_name or verification.report_customer_name or False
        )
        person = verification.contact_name or lead.contact_name or False
        values = {"name": company_name or person}
        known = {(name or "").strip().lower() for name in partner.child_ids.mapped("name")}
        if (
            company_name
            and person
            and person.strip().lower() not in known | {company_name.strip().lower()}
            and not (partner and not partner.is_company)
        ):
            # the person is the company's contact: her phone goes with her
            values.update(contact_name=person, contact_phone=verification.phone or False)
        else:
            values["phone"] = values.get("phone") or verification.phone
        return values

    @public_method(single=True)
    def action_apply(self):
        """Write the missing data on the customer, creating it when needed; each change is
        tracked on the customer's chatter and logged on the verification."""
        self.ensure_one()
        verification = self.verification_id
        # the notes are read by the company's staff, in its language
        staff_env = verification._in_company_lang().env
        if not (self.name or verification.partner_id):
            raise UserError(self.env._("Give the customer's name."))
        partner = verification.partner_id
        values = self._convert_to_write({fname: self[fname] for fname in CUSTOMER_FIELDS})
        current = partner._convert_to_write({fname: partner[fname] for fname in CUSTOMER_FIELDS})
        changes = {
            fname: value for fname, value in values.items() if value and value != current[fname]
        }
        if partner and self.name and self.name.strip() != partner.name:
            # renamed only when the verifier changed the name herself
            changes["name"] = self.name.strip()
        if not partner:
            partner = self.env["res.partner"].create(
                {"name": self.name, "is_company": bool(self.contact_name), **changes}
            )
            partner.message_post(
                body=staff_env._(
                    "Customer created during verification %(verification)s.",
                    verification=verification.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            # a concluded verification is sealed: what it recorded stays (issue 21)
            if not verification.sealed:
                verification.partner_id = partner
            if verification.lead_id and not verification.lead_id.partner_id:
                verification.lead_id.partner_id = partner
        elif changes:
            partner.write(changes)
        if self.contact_name:
            contact = self.env["res.partner"].create(
                {
                    "name": self.contact_name,
                    "parent_id": partner.id,
                    "phone": self.contact_phone,
                    "function": self.contact_function,
                    "type": "contact",
                }
            )
            partner.message_post(
                body=Markup("%s")
                % staff_env._(
                    "Contact person %(contact)s added during verification %(verification)s.",
                    contact=contact.name,
                    verification=verification.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            if not verification.sealed:
                verification.write(
                    {"contact_name": contact.name, "phone": contact.phone or verification.phone}
                )
        elif changes.get("phone") and not verification.phone and not verification.sealed:
            verification.phone = changes["phone"]
        verification.message_post(
            body=staff_env._(
                "Customer data completed: %(fields)s.",
                fields=", ".join(
                    self.env["res.partner"]._fields[f].get_description(staff_env)["string"]
                    for f in changes
                )
                or staff_env._("contact person"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self.action_back()

    @public_method
    def action_back(self):
        """Close, or back to the call dialog this one was opened from."""
        call_log = self.env["crm.activity.verification.call.log"].browse(
            self.env.context.get("verification_call_log_id")
        )
        if call_log.exists():
            return call_log.with_context(verification_call_log_id=False)._reopen()
        return {"type": "ir.actions.act_window_close"}
