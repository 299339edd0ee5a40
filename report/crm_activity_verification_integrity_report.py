from odoo import api, models


class ReportVerificationIntegrity(models.AbstractModel):
    """The data of the integrity PDF: checked first, however the report is asked for (the
    menu, ``/report/pdf/...``, ``_render_qweb_pdf``)."""

    _name = "report.crm_activity_verification.report_verification_integrity"
    _description = "Integrity of the Verification Records (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        companies = self.env["res.company"].browse(docids)
        companies._check_verification_integrity_access()
        return {"doc_ids": docids, "doc_model": "res.company", "docs": companies}
