from odoo import fields, models


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
