from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_activity_verification import PROCEDURE_GROUPS

# Documents whose activities are subject to verification.
VERIFIED_MODELS = ("crm.lead", "res.partner")
# Set by the procedure alone: written by nobody (issue 21).
VERIFICATION_LINK_FIELDS = frozenset({"verification_id", "verification_state", "verification_ids"})


class MailActivity(models.Model):
    _inherit = "mail.activity"

    verification_ids = fields.One2many(
        comodel_name="crm.activity.verification",
        inverse_name="activity_id",
        string="Verifications",
        groups=PROCEDURE_GROUPS,
    )
    verification_id = fields.Many2one(
        comodel_name="crm.activity.verification",
        string="Activity Verification",
        compute="_compute_verification_id",
        store=True,
        index="btree_not_null",
    )
    verification_state = fields.Selection(
        related="verification_id.state", store=True, string="Verification State"
    )

    @api.depends("verification_ids")
    def _compute_verification_id(self):
        for activity in self:
            activity.verification_id = activity.verification_ids[:1]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_verification_link_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_verification_link_write(vals)
        return super().write(vals)

    @api.model
    def _check_verification_link_write(self, vals):
        """The link to the verification is the procedure's: an activity written as
        verified would escape its verification when marked done (issue 21)."""
        if VERIFICATION_LINK_FIELDS.intersection(vals) and self.pool.ready:
            raise UserError(
                self.env._(
                    "The verification of an activity is set by the procedure when the "
                    "activity is marked done; it cannot be written."
                )
            )

    def _action_done(self, feedback=False, attachment_ids=None):
        to_verify = self.filtered(
            lambda a: (
                a.activity_type_id.verification_required
                and a.res_model in VERIFIED_MODELS
                and not a.verification_id
            )
        )
        to_verify._check_done_by()
        # Follow-ups requested by customer service: read before super() archives them.
        # (ormcached id lookup: no query on the hot path of marking activities done)
        followup_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "crm_activity_verification.mail_activity_type_followup", raise_if_not_found=False
        )
        followup_ids = [
            a.res_id
            for a in self
            if a.res_model == "crm.activity.verification"
            and a.activity_type_id.id == followup_type_id
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if to_verify:
            # super() archives the done activities (their "active" is then in the cache) and
            # unlinks those of deleted documents, which empties the whole cache: only then
            # is a query needed to tell which activities are left
            active = self._fields["active"]
            if not all(self.env.cache.contains(activity, active) for activity in to_verify):
                to_verify = to_verify.exists()
            self.env["crm.activity.verification"]._create_from_activities(
                to_verify, feedback=feedback
            )
        if followup_ids:
            verifications = self.env["crm.activity.verification"].browse(followup_ids).exists()
            verifications._followup_done(feedback=feedback)
        return result

    def _check_done_by(self):
        """Someone outside the procedure does not mark done another person's activity of
        the procedure: the verification would stand as that person's report (issue 21).
        Inside it, it is allowed, recorded (``done_by_id``) and always verified."""
        others = self.filtered(lambda a: a.user_id and a.user_id != self.env.user)
        if not others or self.env.su:
            return
        user = self.env.user
        if any(user.has_group(group) for group in PROCEDURE_GROUPS.split(",")):
            return
        raise UserError(
            self.env._(
                "“%(activity)s” is an activity of %(user)s that customer service verifies: "
                "only %(user)s can mark it done.",
                activity=others[0].summary or others[0].activity_type_id.name,
                user=others[0].user_id.name,
            )
        )
