"""R-2.8 / B-5 Complaints in OCA's Claims (``crm_claim``), when that app is installed.

A soft dependency, checked at run time (``crm.claim`` in the registry): *Record
complaint* then opens a ``crm.claim`` for the customer, assigned to the complaint handler
(PAD-8.5-02 is then run in the claims app), and links it to the verification with a
``crm.activity.verification.claim`` row (``crm.claim`` has no field for it, and the addon
does not depend on the app to add one). The complaint counts, the digest KPI and the
evidence pack read the linked claims. Without the app, ``crm.activity.complaint`` stays.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_activity_workflow_mixin import public_method

CLAIM_MODEL = "crm.claim"


class CrmActivityVerificationClaim(models.Model):
    """The link of a claim of the claims app to the verification it was heard in."""

    _name = "crm.activity.verification.claim"
    _inherit = ["crm.activity.input.mixin"]
    _description = "Claim Heard in a Verification"
    _order = "id desc"

    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="verification_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True, index=True
    )
    claim_model = fields.Char(readonly=True, default=CLAIM_MODEL)
    claim_id = fields.Many2oneReference(
        model_field="claim_model", required=True, readonly=True, index=True
    )

    @api.model
    def _get_readable_links(self, domain):
        """The rows of ``domain`` whose claim still exists and may be read by the user."""
        if CLAIM_MODEL not in self.env or not self.env[CLAIM_MODEL].has_access("read"):
            return self.browse()
        # sudo: the links are the procedure's; the claims are read with the user's rights
        links = self.sudo().search_fetch(domain, ["claim_id", "verification_id", "partner_id"])
        readable = set(self.env[CLAIM_MODEL].search([("id", "in", links.mapped("claim_id"))]).ids)
        return links.filtered(lambda link: link.claim_id in readable)

    @api.model
    def _get_claims_action(self, links):
        """The claims app's list of the claims of ``links`` (one: its form), where nothing
        is created."""
        claims = self.env[CLAIM_MODEL].browse(links.mapped("claim_id"))
        if not claims:
            raise UserError(self.env._("No complaint recorded in the claims app to show."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_claim.crm_claim_category_claim0"
        )
        action.update(domain=[("id", "in", claims.ids)], context={"create": False})
        if len(claims) == 1:
            action.update(res_id=claims.id, view_mode="form", views=[(False, "form")])
        return action


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    def _compute_complaint_count(self):
        if not self._claims_app():
            return super()._compute_complaint_count()
        links = self.env["crm.activity.verification.claim"]._get_readable_links(
            [("verification_id", "in", self._origin.ids)]
        )
        counts = {}
        for link in links:
            counts[link.verification_id.id] = counts.get(link.verification_id.id, 0) + 1
        for verification in self:
            verification.complaint_count = counts.get(verification._origin.id, 0)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    @public_method(single=True)
    @api.readonly
    def action_register_complaint(self):
        """*Record complaint*: the dialog in which the verifier writes the complaint."""
        return self.action_open_complaint_dialog()

    @public_method(single=True)
    def action_report_complaint(self, description):
        """R-2.8: with the claims app installed, the complaint is a claim of that app.

        :return: the id of the new ``crm.claim`` (a ``crm.activity.complaint`` without it)
        """
        if not self._claims_app():
            return super().action_report_complaint(description)
        self.ensure_one()
        self.check_access("write")
        description = self._check_text_input(
            description,
            self.env._("The complaint"),
            missing=self.env._("Describe the customer's complaint."),
        )
        handler = self.company_id.verification_complaint_user_id or self.process_manager_id
        staff_env = self._in_company_lang().env
        # the verifier's own rights: she records sales claims (sales team user)
        claim = self.env[CLAIM_MODEL].create(self._prepare_claim_values(description, handler))
        # sudo: the link is the procedure's own record (nobody writes it by hand): it
        # ties the claim just created to this verification
        self.env["crm.activity.verification.claim"].sudo().create(
            {"verification_id": self.id, "partner_id": self.partner_id.id, "claim_id": claim.id}
        )
        claim.message_post(
            body=Markup("<p>%s</p>")
            % staff_env._(
                "Heard while verifying the activity of %(collaborator)s (%(verification)s, "
                "procedure PAD-7.2-05).",
                collaborator=self.user_id.name or "",
                verification=self.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.message_post(
            body=staff_env._(
                "Complaint “%(claim)s” recorded in the claims app and assigned to %(handler)s.",
                claim=claim.name,
                handler=handler.name or staff_env._("nobody (no handler configured)"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return claim.id

    @public_method(single=True)
    @api.readonly
    def action_view_complaints(self):
        if not self._claims_app():
            return super().action_view_complaints()
        self.ensure_one()
        Link = self.env["crm.activity.verification.claim"]
        return Link._get_claims_action(
            Link._get_readable_links([("verification_id", "=", self.id)])
        )

    # ------------------------------------------------------------------
    # THE CLAIM
    # ------------------------------------------------------------------
    @api.model
    def _claims_app(self):
        """Whether OCA's claims are installed (a soft dependency)."""
        return CLAIM_MODEL in self.env

    def _prepare_claim_values(self, description, handler):
        """The claim of a complaint heard in this verification (PAD-8.5-02)."""
        self.ensure_one()
        customer = self.partner_id.name or self.contact_name or ""
        return {
            "name": self._in_company_lang().env._(
                "PAD-8.5-02: %(customer)s (%(verification)s)",
                customer=customer,
                verification=self.display_name,
            ),
            "description": description,
            "partner_id": self.partner_id.id,
            "email_from": self.partner_id.email,
            "partner_phone": self.phone or self.partner_id.phone,
            "user_id": handler.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
        }

    def _get_complaint_model(self):
        """The model of the complaints recorded from verifications."""
        return CLAIM_MODEL if self._claims_app() else "crm.activity.complaint"
