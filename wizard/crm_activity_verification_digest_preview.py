from odoo import api, fields, models


class CrmActivityVerificationDigestPreview(models.TransientModel):
    """The department manager's weekly digest in Odoo (issue 22): the last one, as the
    Saturday e-mail reports it, or a preview of the week in progress."""

    _name = "crm.activity.verification.digest.preview"
    _description = "Weekly Verification Digest Preview"

    week = fields.Selection(
        selection=[("last", "Last week (the last e-mail)"), ("current", "This week so far")],
        required=True,
        default="last",
    )
    subject = fields.Char(compute="_compute_digest", readonly=True)
    # sanitize=False: our own e-mail template rendered for the current user with the figures
    # his record rules let him read; nothing typed by anyone else is rendered as HTML
    body = fields.Html(compute="_compute_digest", sanitize=False, readonly=True)

    @api.depends("week")
    def _compute_digest(self):
        Digest = self.env["crm.activity.verification.digest"]
        for preview in self:
            rendered = Digest._render_digest_preview(
                self.env.user, current=preview.week == "current"
            )
            preview.subject, preview.body = rendered or (
                self.env._("No weekly digest for you"),
                self.env._(
                    "<p>The weekly digest goes to the leader of each department and to the HR "
                    "&amp; process manager: you are neither.</p>"
                ),
            )

    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._("My weekly digest")
