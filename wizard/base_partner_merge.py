from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # Odoo's merge writes every stored field of the merged contacts on the one kept;
        # who last set an e-mail address is recorded by the addon only (an address the
        # merge sets is recorded as set by whoever merges), so it is left out
        return super()._update_values(
            src_partners, dst_partner.with_context(verification_email_setter_drop=True)
        )
