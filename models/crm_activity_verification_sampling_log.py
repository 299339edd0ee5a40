from odoo import fields, models

from .crm_activity_verification_sampling import SAMPLING_LEVELS


class CrmActivityVerificationSamplingLog(models.Model):
    """One change of a collaborator's sampling level (B-1), with its reason: the record
    an auditor reads to see why a collaborator's activities were or were not all called."""

    _name = "crm.activity.verification.sampling.log"
    _description = "Sampling Level Change"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collaborator",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        related="user_id.sale_team_id",
        store=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    old_level = fields.Selection(selection=SAMPLING_LEVELS, string="From", readonly=True)
    new_level = fields.Selection(
        selection=SAMPLING_LEVELS, string="To", required=True, readonly=True
    )
    reason = fields.Text(required=True, readonly=True)
