from odoo import fields, models

from .crm_activity_verification_link import LINK_TOKEN_PLACEHOLDER


class MailMail(models.Model):
    _inherit = "mail.mail"

    verification_link = fields.Boolean(
        help="Technical: the customer confirmation link of an activity verification (B-3), "
        "whose token is made when the e-mail is sent.",
    )

    def _prepare_outgoing_body(self):
        """Put the customer's link token in the e-mail as it leaves the server: the token
        lives nowhere else, only its digest is kept (issue 21)."""
        body = super()._prepare_outgoing_body()
        if not (
            self.verification_link
            and self.model == "crm.activity.verification"
            and LINK_TOKEN_PLACEHOLDER in body
        ):
            return body
        # sudo: the mail queue runs as whoever triggers it; the token is made for the
        # verification this e-mail was rendered for, and only if it goes to its customer
        verification = self.env["crm.activity.verification"].sudo().browse(self.res_id).exists()
        token = verification._make_link_token(self.email_to) if verification else False
        return body.replace(LINK_TOKEN_PLACEHOLDER, token or "")
