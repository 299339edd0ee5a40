from odoo import api, models
from odoo.exceptions import AccessError

from .crm_activity_weekly_report import SIGNATURE_FIELDS

REPORT_MODEL = "crm.activity.weekly.report"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_signature_attachment(
            any(
                vals.get("res_model") == REPORT_MODEL and vals.get("res_field") in SIGNATURE_FIELDS
                for vals in vals_list
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_signature_attachment(self._is_signature_attachment())
        return super().write(vals)

    def unlink(self):
        self._check_signature_attachment(self._is_signature_attachment())
        return super().unlink()

    def _is_signature_attachment(self):
        # sudo: res_model and res_field are only compared, never returned
        return any(
            attachment.res_model == REPORT_MODEL and attachment.res_field in SIGNATURE_FIELDS
            for attachment in self.sudo()
        )

    def _check_signature_attachment(self, touched):
        """The signature of a weekly report is written through the report only, which
        checks who signs (R-1.4); its attachment is not changed directly."""
        if touched and not self.env.su:
            raise AccessError(
                self.env._(
                    "The signature of a weekly report FRE-7.5-01 is changed on the report "
                    "itself, by its collaborator."
                )
            )
