from odoo import fields, models


class MailActivitySchedule(models.TransientModel):
    _inherit = "mail.activity.schedule"

    verification_required = fields.Boolean(related="activity_type_id.verification_required")
