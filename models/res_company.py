import secrets
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# End of the working day when the company has no working-time calendar.
DEFAULT_WORKDAY_END = time(18, 0)


def _shift_weekdays(day, days):
    """The ``days``-th date from Monday to Friday after ``day`` (before it when
    ``days`` is negative); ``day`` itself when 0."""
    step = timedelta(days=1 if days > 0 else -1)
    for _count in range(abs(days)):
        day += step
        while day.weekday() >= 5:
            day += step
    return day


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
    # B-3 customer confirmation link
    verification_customer_link = fields.Boolean(
        string="Customer Confirmation Link",
        help="E-mail the customer a link to confirm or deny the reported activity and rate the "
        "service; the phone remains for denials, call-me requests and customers who do not "
        "answer.",
    )
    verification_link_days = fields.Integer(
        string="Link Valid For (days)",
        default=7,
        help="Days the confirmation link stays valid after it was sent.",
    )
    # B-4: the head of the company's chain of sealed records (written by the sealing only)
    verification_seal_number = fields.Integer(
        string="Last Sealed Number", readonly=True, copy=False, groups="base.group_system"
    )
    verification_seal_hash = fields.Char(
        string="Last Seal", readonly=True, copy=False, groups="base.group_system"
    )
    verification_seal_hmac = fields.Char(
        string="Last Keyed Seal", readonly=True, copy=False, groups="base.group_system"
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
        "verification_link_days",
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
                or company.verification_link_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The weeks of new collaborators, the verification deadline, the "
                        "retry delay and the link's validity cannot be negative."
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

    # ------------------------------------------------------------------
    # WORKING DAYS, per the company's working-time calendar
    # ------------------------------------------------------------------
    def _get_company_tz(self):
        return pytz.timezone(self.resource_calendar_id.tz or self.partner_id.tz or "UTC")

    def _get_company_now(self):
        return pytz.utc.localize(fields.Datetime.now()).astimezone(self._get_company_tz())

    def _get_work_intervals(self, date_from, date_to, tz=None):
        """Work intervals (aware datetimes, in ``tz``, by default the company's) between
        two dates included; Monday to Friday until 18:00 when the company has no calendar."""
        calendar = self.resource_calendar_id
        tz = tz or self._get_company_tz()
        if calendar:
            start = tz.localize(datetime.combine(date_from, time.min))
            end = tz.localize(datetime.combine(date_to, time.max))
            return [
                (begin, stop)
                for begin, stop, _meta in calendar._work_intervals_batch(start, end, tz=tz)[False]
            ]
        days = ((date_from + timedelta(days=n)) for n in range((date_to - date_from).days + 1))
        return [
            (
                tz.localize(datetime.combine(day, time.min)),
                tz.localize(datetime.combine(day, DEFAULT_WORKDAY_END)),
            )
            for day in days
            if day.weekday() < 5
        ]

    def _get_verification_followup_deadline(self, day):
        """Deadline of a follow-up requested on ``day`` (R-2.6): the company's follow-up
        delay in working days; 0 is honoured (the same day)."""
        self.ensure_one()
        return self._add_working_days(day, self.verification_followup_days)

    def _add_working_days(self, day, days):
        """The ``days``-th working date after ``day`` (``day`` itself when 0): by the
        company's calendar and its public holidays (``plan_days``), Monday to Friday
        when the company has no calendar or one without working time."""
        calendar = self.resource_calendar_id
        if days and calendar:
            tz = self._get_company_tz()
            start = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
            found = calendar.plan_days(days, start, compute_leaves=True)
            if found:
                return found.astimezone(tz).date()
        return _shift_weekdays(day, days)

    def _subtract_working_days(self, day, days):
        """The ``days``-th most recent working date up to ``day`` included (``day`` when
        0), as :meth:`_add_working_days` counts them."""
        calendar = self.resource_calendar_id
        if days and calendar:
            tz = self._get_company_tz()
            end = tz.localize(datetime.combine(day, time.max))
            found = calendar.plan_days(-days, end, compute_leaves=True)
            if found:
                return found.astimezone(tz).date()
        return _shift_weekdays(day + timedelta(days=1), -days) if days else day
