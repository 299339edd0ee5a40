"""The procedure's settings, for the HR & process manager without administrator rights.

Odoo's Settings page is for administrators only (``res.config.settings.execute``); the
process manager owns the procedure PAD-7.2-05 and changes its people and delays here.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.crm_activity_workflow_mixin import public_method
from ..models.res_company import (
    COMPLAINT_HANDLER_GROUPS,
    PROCESS_MANAGER_GROUPS,
    verification_user_domain,
)

SETTINGS_FIELDS = (
    "verification_process_manager_id",
    "verification_complaint_user_id",
    "verification_max_attempts",
    "verification_followup_days",
    "verification_escalation_manager_days",
    "verification_escalation_process_days",
    "verification_report_grace_days",
    "verification_sla_days",
    "verification_customer_link",
    "verification_link_days",
    "verification_capa_clean_weeks",
)


class CrmActivityVerificationSettings(models.TransientModel):
    _name = "crm.activity.verification.settings"
    _description = "Verification Procedure Settings"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    verification_process_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="HR & Process Manager",
        domain=verification_user_domain(PROCESS_MANAGER_GROUPS, "company_id"),
    )
    verification_complaint_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaint Handler",
        domain=verification_user_domain(COMPLAINT_HANDLER_GROUPS, "company_id"),
    )
    verification_max_attempts = fields.Integer(string="Call Attempts Before Unreachable")
    verification_followup_days = fields.Integer(string="Follow-up Deadline (working days)")
    verification_escalation_manager_days = fields.Integer(
        string="Escalate to Manager After (working days)"
    )
    verification_escalation_process_days = fields.Integer(
        string="Escalate to Process Manager After (working days)"
    )
    verification_report_grace_days = fields.Integer(string="Missing Report Grace (days)")
    verification_sla_days = fields.Integer(string="Verification Deadline (working days)")
    # B-3: the process manager decides whether customers confirm by e-mail too
    verification_customer_link = fields.Boolean(
        string="Customer Confirmation Link",
        help="E-mail the customer a link to confirm or deny the reported activity and rate "
        "the service; the phone remains for denials, call-me requests and customers who do "
        "not answer.",
    )
    verification_link_days = fields.Integer(string="Link Valid For (days)")
    # B-5: how long a corrective action is watched
    verification_capa_clean_weeks = fields.Integer(
        string="Clean Weeks to Prove a Corrective Action"
    )

    def _compute_display_name(self):
        # a settings dialog, not a record: its title (breadcrumb) is its name
        for settings in self:
            settings.display_name = self.env._("Procedure settings")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env.company
        for fname in SETTINGS_FIELDS:
            if fname in fields_list:
                values[fname] = company._fields[fname].convert_to_write(company[fname], company)
        return values

    @public_method(single=True)
    def action_save(self):
        """Write the settings on the company, as the process manager may (not as admin)."""
        self.ensure_one()
        if not self.env.user.has_group("crm_activity_verification.group_process_manager"):
            raise AccessError(self.env._("Only the HR & process manager changes these settings."))
        # the company is read-only in the form only: over RPC it is any id
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You may not change the settings of %(company)s: it is not one of "
                    "your companies.",
                    company=self.company_id.sudo().name,
                )
            )
        values = self._convert_to_write({fname: self[fname] for fname in SETTINGS_FIELDS})
        self.company_id.sudo().write(values)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_settings_action"
        )
