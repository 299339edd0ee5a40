from odoo import api, models


class ReportVerificationEvidence(models.AbstractModel):
    """The data of the evidence pack: checked first, however the report is asked for (the
    dialog, ``/report/pdf/...``, ``_render_qweb_pdf``); a department manager's pack then
    holds the departments he leads only (``_get_teams``)."""

    _name = "report.crm_activity_verification.report_verification_evidence"
    _description = "Verification Evidence Pack (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["res.company"]._check_verification_integrity_access()
        wizards = self.env["crm.activity.verification.evidence.wizard"].browse(docids)
        for wizard in wizards:
            wizard._get_teams()
        return {
            "doc_ids": docids,
            "doc_model": "crm.activity.verification.evidence.wizard",
            "docs": wizards,
        }
