import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    verification_process_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="HR & Process Manager",
        help="Receives escalations, anomalies and copies of every follow-up request.",
    )
    verification_complaint_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaint Handler",
        help="Handles the complaints of procedure PAD-8.5-02. Empty: the HR & process manager.",
    )
    verification_max_attempts = fields.Integer(
        string="Call Attempts Before Unreachable",
        default=3,
    )
    verification_followup_days = fields.Integer(
        string="Follow-up Deadline (working days)",
        default=2,
    )
    verification_escalation_manager_days = fields.Integer(
        string="Escalate to Manager After (working days)",
        default=1,
    )
    verification_escalation_process_days = fields.Integer(
        string="Escalate to Process Manager After (working days)",
        default=3,
    )
    verification_report_grace_days = fields.Integer(
        string="Missing Report Grace (days)",
        default=2,
    )
    verification_report_weekday = fields.Selection(
        selection=[
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        string="Weekly Report Reminder Day",
        default="5",
        required=True,
        help="Day on which collaborators are reminded of a missing FRE-7.5-01 report of the week "
        "that ended (Saturday to Friday).",
    )

    # B-1 risk-based sampling, B-2 call queue
    verification_sampling = fields.Boolean(
        string="Risk-Based Sampling",
        help="Verify every activity of new or risky collaborators and a reproducible sample of "
        "the others (ISO 2859-1 switching rules). Off: every activity is verified.",
    )
    verification_sampling_normal_rate = fields.Integer(
        string="Normal Sampling Rate (%)",
        default=25,
        help="Share of the activities verified for collaborators at the normal level.",
    )
    verification_sampling_reduced_rate = fields.Integer(
        string="Reduced Sampling Rate (%)",
        default=10,
        help="Share of the activities verified for collaborators at the reduced level.",
    )
    verification_new_collaborator_weeks = fields.Integer(
        string="New Collaborators Verified in Full (weeks)",
        default=4,
        help="A collaborator's first weeks in the procedure are all verified (tightened level).",
    )
    verification_sla_days = fields.Integer(
        string="Verification Deadline (working days)",
        default=5,
        help="Working days from the activity to the conclusion of its verification.",
    )
    verification_retry_hours = fields.Integer(
        string="Retry Unanswered Calls After (hours)",
        default=2,
        help="An unanswered customer is not proposed again before this many hours, and only "
        "within working hours in the customer's time zone.",
    )
    verification_sampling_secret = fields.Char(
        string="Sampling Secret",
        copy=False,
        groups="base.group_system",
        help="Key of the reproducible sampling draw. An auditor recomputes each draw from it.",
    )

    _verification_max_attempts_positive = models.Constraint(
        "CHECK(verification_max_attempts > 0)",
        "The number of call attempts must be at least 1.",
    )
    _verification_days_positive = models.Constraint(
        "CHECK(verification_followup_days >= 0"
        " AND verification_escalation_manager_days >= 0"
        " AND verification_escalation_process_days >= 0"
        " AND verification_report_grace_days >= 0)",
        "Verification delays cannot be negative.",
    )

    @api.constrains(
        "verification_sampling_normal_rate",
        "verification_sampling_reduced_rate",
        "verification_new_collaborator_weeks",
        "verification_sla_days",
        "verification_retry_hours",
    )
    def _check_verification_sampling(self):
        for company in self:
            normal = company.verification_sampling_normal_rate
            reduced = company.verification_sampling_reduced_rate
            if not (0 <= reduced <= 100 and 0 <= normal <= 100):
                raise ValidationError(self.env._("Sampling rates are percentages, from 0 to 100."))
            if reduced > normal:
                raise ValidationError(
                    self.env._(
                        "The reduced sampling rate (%(reduced)s %%) cannot be above the normal "
                        "rate (%(normal)s %%).",
                        reduced=reduced,
                        normal=normal,
                    )
                )
            if (
                company.verification_new_collaborator_weeks < 0
                or company.verification_sla_days < 0
                or company.verification_retry_hours < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The weeks of new collaborators, the verification deadline and the "
                        "retry delay cannot be negative."
                    )
                )

    def _get_verification_sampling_secret(self):
        """The company's sampling key, made once (``secrets``, never ``random``)."""
        self.ensure_one()
        # sudo: the key is reserved to administrators; the draw only uses it in a hash
        company = self.sudo()
        if not company.verification_sampling_secret:
            company.verification_sampling_secret = secrets.token_hex(32)
        return company.verification_sampling_secret
