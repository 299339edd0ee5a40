from odoo import fields, models

from .res_company import COMPLAINT_HANDLER_GROUPS, PROCESS_MANAGER_GROUPS, verification_user_domain


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    verification_process_manager_id = fields.Many2one(
        related="company_id.verification_process_manager_id",
        readonly=False,
        domain=verification_user_domain(PROCESS_MANAGER_GROUPS, "company_id"),
    )
    verification_complaint_user_id = fields.Many2one(
        related="company_id.verification_complaint_user_id",
        readonly=False,
        domain=verification_user_domain(COMPLAINT_HANDLER_GROUPS, "company_id"),
    )
    verification_max_attempts = fields.Integer(
        related="company_id.verification_max_attempts", readonly=False
    )
    verification_followup_days = fields.Integer(
        related="company_id.verification_followup_days", readonly=False
    )
    verification_escalation_manager_days = fields.Integer(
        related="company_id.verification_escalation_manager_days", readonly=False
    )
    verification_escalation_process_days = fields.Integer(
        related="company_id.verification_escalation_process_days", readonly=False
    )
    verification_report_grace_days = fields.Integer(
        related="company_id.verification_report_grace_days", readonly=False
    )
    verification_report_weekday = fields.Selection(
        related="company_id.verification_report_weekday", readonly=False
    )
    verification_sampling = fields.Boolean(
        related="company_id.verification_sampling", readonly=False
    )
    verification_sampling_normal_rate = fields.Integer(
        related="company_id.verification_sampling_normal_rate", readonly=False
    )
    verification_sampling_reduced_rate = fields.Integer(
        related="company_id.verification_sampling_reduced_rate", readonly=False
    )
    verification_new_collaborator_weeks = fields.Integer(
        related="company_id.verification_new_collaborator_weeks", readonly=False
    )
    verification_sla_days = fields.Integer(
        related="company_id.verification_sla_days", readonly=False
    )
    verification_retry_hours = fields.Integer(
        related="company_id.verification_retry_hours", readonly=False
    )
    verification_customer_link = fields.Boolean(
        related="company_id.verification_customer_link", readonly=False
    )
    verification_link_days = fields.Integer(
        related="company_id.verification_link_days", readonly=False
    )
    verification_capa_clean_weeks = fields.Integer(
        related="company_id.verification_capa_clean_weeks", readonly=False
    )
