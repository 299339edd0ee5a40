"""The verification board: work to do in open columns, conclusions a click away.

Like CRM's won and lost stages, the columns of concluded verifications are folded
(their count shows; a click opens them), so that what is left to do fits the screen.
"""

from odoo import api, fields, models

# Columns of the board folded by default: nothing is left to do there.
FOLDED_STATES = ("confirmed", "not_confirmed", "unreachable", "not_sampled")


class CrmActivityVerification(models.Model):
    _inherit = "crm.activity.verification"

    report_customer_name = fields.Char(
        related="report_line_id.customer_name",
        string="Company as Reported",
        help="The customer as the collaborator typed it on the weekly report, when it "
        "is not in the CRM yet.",
    )
    # the buttons of the form and the card are shown only when they can work
    customer_link_enabled = fields.Boolean(
        related="company_id.verification_customer_link",
        string="Customer Link On",
    )

    @api.model
    def _web_read_group_format(self, groupby, aggregates, groups):
        result = super()._web_read_group_format(groupby, aggregates, groups)
        if tuple(groupby) == ("state",) and self._web_read_group_field_expand(groupby):
            for group in result:
                group["__fold"] = group["state"] in FOLDED_STATES
        return result
