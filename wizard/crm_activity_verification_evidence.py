"""The dialog of the auditor's evidence pack (ISO 9001 §7.5, issue 10 item 4): a pack
that one request renders safely is printed at once; a larger one is asked for in the
background (``crm.activity.verification.evidence.request``, issue 24). Its data and its
pages: ``models/crm_activity_verification_evidence_mixin.py``."""

from odoo import api, fields, models

from ..models.crm_activity_workflow_mixin import public_method

# The largest pack printed inside the request (verifications, complaints and reports).
# Measured on a 2-core machine (README, "Performance"): 2,000 verifications, each with a
# call, print 183 pages in 7.1 s; inside one request of a production-like server, 10,000
# take 33 s (the worker 307 MiB resident, wkhtmltopdf 803 MiB) and 50,000 fail: their
# wkhtmltopdf dies at the worker's address-space limit (limit_memory_hard, 2.5 GiB). A
# worker is killed past limit_time_real (120 s) and limit_time_cpu (60 s): 2,000 leaves
# room for rows three times longer on a server three times slower. (The dialog says
# 2,000.)
SYNC_MAX_ROWS = 2000


class CrmActivityVerificationEvidenceWizard(models.TransientModel):
    _name = "crm.activity.verification.evidence.wizard"
    _inherit = ["crm.activity.verification.evidence.mixin"]
    _description = "Verification Evidence Pack"

    _SYNC_MAX_ROWS = SYNC_MAX_ROWS

    date_from = fields.Date(default=lambda self: fields.Date.context_today(self).replace(day=1))
    date_to = fields.Date(default=fields.Date.context_today)
    team_ids = fields.Many2many(default=lambda self: self._default_team_ids())
    company_id = fields.Many2one(default=lambda self: self.env.company)

    @api.model
    def _default_team_ids(self):
        if self._is_process_manager():
            return self.env["crm.team"]
        return self.env["crm.team"].search([("user_id", "=", self.env.uid)])

    @public_method(single=True)
    def action_print(self):
        """Print the pack at once, or, when it is larger than one request renders safely,
        ask for it in the background and say where it will be."""
        self.ensure_one()
        self._get_teams()
        self.company_id._check_verification_integrity_access()
        rows = self._count_rows()
        if rows > self._SYNC_MAX_ROWS:
            request = self.env["crm.activity.verification.evidence.request"]._ask(self)
            return request._get_queued_notification(rows)
        return self.env.ref(
            "crm_activity_verification.action_report_verification_evidence"
        ).report_action(self)
