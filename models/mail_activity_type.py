from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    verification_required = fields.Boolean(
        help="Activities of this type, once marked done, are phoned to the customer "
        "by the customer-service assistant to confirm them (procedure PAD-7.2-05).",
    )
