from odoo import api, fields, models

from .crm_activity_verification import SUPERVISOR_GROUPS


class RatingRating(models.Model):
    _inherit = "rating.rating"

    # the verification a rating belongs to: its record rules give the customers' ratings
    # of verifications to the verification's supervisors only (issue 21)
    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification",
        compute="_compute_verification_id",
        store=True,
        index="btree_not_null",
        groups=SUPERVISOR_GROUPS,
    )

    @api.depends("res_model", "res_id")
    def _compute_verification_id(self):
        for rating in self:
            rating.verification_id = (
                rating.res_id if rating.res_model == "crm.activity.verification" else False
            )
