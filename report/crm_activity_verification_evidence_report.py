from odoo import api, models
from odoo.exceptions import UserError

PART_MODEL = "crm.activity.verification.evidence.request.part"


class ReportVerificationEvidence(models.AbstractModel):
    """The data of the evidence pack: checked first, however the report is asked for (the
    dialog, ``/report/pdf/...``, ``_render_qweb_pdf``); a department manager's pack then
    holds the departments he leads only (``_get_teams``). With ``evidence_part_id`` in
    the data, a part of a pack made in the background (issue 24), laid out already: read
    under the request's rules (who asked it and the HR & process manager)."""

    _name = "report.crm_activity_verification.report_verification_evidence"
    _description = "Verification Evidence Pack (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["res.company"]._check_verification_integrity_access()
        part_id = (data or {}).get("evidence_part_id")
        if part_id:
            part = self.env[PART_MODEL].browse(part_id if isinstance(part_id, int) else ())
            if not part.exists():
                raise UserError(self.env._("This part of an evidence pack does not exist."))
            part.check_access("read")
            return {"doc_ids": part.ids, "doc_model": PART_MODEL, "docs": part}
        wizards = self.env["crm.activity.verification.evidence.wizard"].browse(docids)
        for wizard in wizards:
            wizard._get_teams()
        return {
            "doc_ids": docids,
            "doc_model": "crm.activity.verification.evidence.wizard",
            "docs": wizards,
        }
