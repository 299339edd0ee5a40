from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Longest effectiveness watch accepted: a year of weekly lots.
CAPA_MAX_CLEAN_WEEKS = 52


class ResCompany(models.Model):
    _inherit = "res.company"

    # B-5: the effectiveness check of a corrective action
    verification_capa_clean_weeks = fields.Integer(
        string="Clean Weeks to Prove a Corrective Action",
        default=5,
        help="After the corrective action of an anomaly or nonconformity is closed, the "
        "collaborator's next weekly lots (Saturday to Friday) are watched, every activity "
        "verified: this many clean weeks in a row prove the action effective.",
    )

    @api.constrains("verification_capa_clean_weeks")
    def _check_verification_capa_clean_weeks(self):
        for company in self:
            if not 1 <= company.verification_capa_clean_weeks <= CAPA_MAX_CLEAN_WEEKS:
                # the message of the other settings' bounds (res_company.py)
                raise ValidationError(
                    self.env._(
                        "“%(setting)s” must be from %(lowest)s to %(highest)s, not %(value)s.",
                        setting=self._fields["verification_capa_clean_weeks"]._description_string(
                            self.env
                        ),
                        lowest=1,
                        highest=CAPA_MAX_CLEAN_WEEKS,
                        value=company.verification_capa_clean_weeks,
                    )
                )
