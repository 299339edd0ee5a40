"""B-5 / B-1: a collaborator with an open corrective action is verified in full.

While one of his effectiveness checks is open (``crm_activity_verification_capa.py``),
every new activity of his is drawn at the tightened level, and the switching rules do
not relax him; the sampling log says why from the moment the check opens.
"""

from odoo import api, fields, models

from .crm_activity_verification_capa import OPEN_CAPA_STATES
from .res_users import SAMPLING_GROUPS


class ResUsers(models.Model):
    _inherit = "res.users"

    verification_capa_ids = fields.One2many(
        comodel_name="crm.activity.verification.capa",
        inverse_name="user_id",
        string="Effectiveness Checks",
        groups=SAMPLING_GROUPS,
    )
    verification_capa_hold = fields.Boolean(
        string="Verified in Full (Corrective Action)",
        compute="_compute_verification_capa_hold",
        groups=SAMPLING_GROUPS,
        help="An anomaly or nonconformity of the collaborator is open, or its corrective "
        "action is being checked: every activity of his is verified.",
    )

    @api.depends("verification_capa_ids.state")
    def _compute_verification_capa_hold(self):
        # sudo: whoever draws an activity learns whether its collaborator is held, no more
        held = {
            user
            for [user] in self.env["crm.activity.verification.capa"]
            .sudo()
            ._read_group(
                [("user_id", "in", self._origin.ids), ("state", "in", OPEN_CAPA_STATES)],
                ["user_id"],
            )
        }
        for user in self:
            user.verification_capa_hold = user._origin in held

    def _get_verification_sampling_level(self, today):
        # sudo: the hold is read for the draw, whoever marks the activity done
        if self.sudo().verification_capa_hold:
            return "tightened"
        return super()._get_verification_sampling_level(today)

    def _get_verification_sampling_switch(self, lots, weeks, today, out_of_control=None):
        # held at the tightened level until the corrective action proved effective
        if self.sudo().verification_capa_hold:
            return False, False
        return super()._get_verification_sampling_switch(
            lots, weeks, today, out_of_control=out_of_control
        )

    def _verification_capa_tighten(self, capa):
        """Log in the sampling log why the collaborator is verified in full from now."""
        self.ensure_one()
        if not self.company_id.verification_sampling:
            return  # without sampling every activity is verified anyway
        staff_env = self.env["crm.activity.workflow.mixin"]._reader_env(self.company_id)
        self._set_verification_sampling_level(
            "tightened",
            staff_env._(
                "%(reference)s: every activity of the collaborator is verified until the "
                "corrective action proves effective (%(weeks)s clean weeks).",
                reference=capa.nonconformity_ref or capa.verification_id.display_name,
                weeks=self.company_id.verification_capa_clean_weeks,
            ),
        )
