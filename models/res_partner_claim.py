"""R-2.8 / B-5: a customer's complaints are the claims of the claims app, when installed
(``crm_activity_verification_claim.py``)."""

from collections import Counter

from odoo import api, models

from .crm_activity_workflow_mixin import public_method


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _compute_complaint_count(self):
        if not self.env["crm.activity.verification"]._claims_app():
            return super()._compute_complaint_count()
        links = self.env["crm.activity.verification.claim"]._get_readable_links(
            [("partner_id", "in", self._origin.ids)]
        )
        counts = Counter(link.partner_id.id for link in links)
        for partner in self:
            partner.complaint_count = counts.get(partner._origin.id, 0)

    @public_method(single=True)
    @api.readonly
    def action_view_complaints(self):
        if not self.env["crm.activity.verification"]._claims_app():
            return super().action_view_complaints()
        self.ensure_one()
        Link = self.env["crm.activity.verification.claim"]
        return Link._get_claims_action(
            Link._get_readable_links([("partner_id", "child_of", self.commercial_partner_id.id)])
        )
