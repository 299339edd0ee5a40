"""A part of an evidence pack made in the background (issue 24): its pages laid out
(kept until printed), then its PDF (kept until the parts are merged)."""

from odoo import fields, models

REPORT = "crm_activity_verification.action_report_verification_evidence"


class CrmActivityVerificationEvidenceRequestPart(models.Model):
    _name = "crm.activity.verification.evidence.request.part"
    _description = "Verification Evidence Pack Request: Part"
    _order = "request_id, sequence"

    request_id = fields.Many2one(
        comodel_name="crm.activity.verification.evidence.request",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="request_id.company_id")
    sequence = fields.Integer(readonly=True)
    first_page = fields.Integer(readonly=True)
    page_count = fields.Integer(string="Pages", readonly=True)
    # the pages laid out (mixin._iter_pages), until the part is printed
    pages = fields.Json(string="Pages laid out", readonly=True, prefetch=False)
    pdf = fields.Binary(string="PDF", attachment=True, readonly=True)

    def _get_report_values(self):
        """What the template prints of the part: its pages, numbered in the whole pack."""
        self.ensure_one()
        request = self.request_id
        return {
            "pages": self.pages or [],
            "first_page": self.first_page,
            "page_total": request.page_count,
            **(request.header or {}),
            "page_height": request._get_page_height(),
        }

    def _render_pdf(self):
        """The part's PDF, in one wkhtmltopdf call, in the language of who asked."""
        self.ensure_one()
        user = self.request_id.user_id
        # force_report_rendering: a real PDF, to be merged, also while the tests run
        report = self.env["ir.actions.report"].with_context(
            lang=user.lang, tz=user.tz, force_report_rendering=True
        )
        content, _type = report._render_qweb_pdf(REPORT, data={"evidence_part_id": self.id})
        return content
