"""The digest KPI of complaints reads the claims app's claims, when it is installed
(``crm_activity_verification_claim.py``)."""

from odoo import models
from odoo.tools import SQL


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    def _compute_kpi_verification_complaint_value(self):
        if not self.env["crm.activity.verification"]._claims_app():
            return super()._compute_kpi_verification_complaint_value()
        self._check_verification_kpi_access()
        _start, _end, companies = self._get_kpi_compute_parameters()
        Link = self.env["crm.activity.verification.claim"]
        # sudo: the links only select the claims heard in verifications; the claims are
        # counted with the recipient's own rights
        linked = (
            Link.sudo()
            ._search([("company_id", "in", companies.ids)])
            .subselect(SQL.identifier(Link._table, "claim_id"))
        )
        self._calculate_company_based_kpi(
            "crm.claim",
            "kpi_verification_complaint_value",
            date_field="date",
            additional_domain=[("id", "in", linked)],
        )

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        if self.env["crm.activity.verification"]._claims_app():
            actions["kpi_verification_complaint"] = "crm_claim.crm_claim_category_claim0"
        return actions
