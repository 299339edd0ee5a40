from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    verification_role = fields.Selection(
        selection=[
            ("sales_advisor", "Sales Advisor"),
            ("parts_promoter", "Parts Promoter"),
            ("maintenance_advisor", "Maintenance Advisor"),
        ],
        help="Role in procedure PAD-7.2-05. Sales advisors record their activities "
        "in the CRM; parts promoters and maintenance advisors fill the weekly "
        "FRE-7.5-01 report. Empty: not subject to the procedure.",
    )
