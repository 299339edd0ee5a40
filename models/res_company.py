import secrets
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

# End of the working day when the company has no working-time calendar.
DEFAULT_WORKDAY_END = time(18, 0)
# The bounds of the procedure's numeric settings, ``(lowest, highest)`` (issue 21): a
# delay of a billion working days made every mark-done fail (OverflowError).
SETTING_BOUNDS = {
    "verification_max_attempts": (1, 20),
    "verification_followup_days": (0, 365),
    "verification_escalation_manager_days": (0, 365),
    "verification_escalation_process_days": (0, 365),
    "verification_report_grace_days": (0, 365),
    "verification_sla_days": (0, 365),
    "verification_sampling_normal_rate": (0, 100),
    "verification_sampling_reduced_rate": (0, 100),
    "verification_new_collaborator_weeks": (0, 52),
    "verification_retry_hours": (0, 168),
    "verification_link_days": (1, 90),
}
# The head of the company's chain of sealed records and the key of the sampling draw:
# the sealing and the draw write them by SQL, no ORM create or write, whoever asks
# (a head moved by hand stops the next seal for everyone, a chosen key steers the draw).
SQL_ONLY_FIELDS = frozenset(
    {
        "verification_seal_number",
        "verification_seal_hash",
        "verification_seal_hmac",
        "verification_sampling_secret",
    }
)
# Who may be the HR & process manager, and who may handle complaints (PAD-8.5-02).
PROCESS_MANAGER_GROUPS = "crm_activity_verification.group_process_manager"
COMPLAINT_HANDLER_GROUPS = ",".join(
    f"crm_activity_verification.{group}"
    for group in ("group_verifier", "group_manager", "group_process_manager")
)
# Who runs the integrity check and reads its reports (issue 21).
INTEGRITY_GROUPS = COMPLAINT_HANDLER_GROUPS


def verification_user_domain(groups, company):
    """The client-side domain (a callable for ``domain=``) of the users who may hold a
    role of the procedure: active internal users of the company ``company`` (a field
    name of the form's record) in one of ``groups`` (comma-separated XML ids)."""

    def domain(model):
        group_ids = [
            group.id
            for group in (
                model.env.ref(xmlid, raise_if_not_found=False) for xmlid in groups.split(",")
            )
            if group
        ]
        return (
            f"[('share', '=', False), ('company_ids', 'in', [{company}]), "
            f"('all_group_ids', 'in', {group_ids})]"
        )

    return domain


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
        domain=verification_user_domain(PROCESS_MANAGER_GROUPS, "id"),
        help="Receives escalations, anomalies and copies of every follow-up request.",
    )
    verification_complaint_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaint Handler",
        domain=verification_user_domain(COMPLAINT_HANDLER_GROUPS, "id"),
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
    # B-4: the head of the company's chain of sealed records (written by the sealing only,
    # in SQL: SQL_ONLY_FIELDS)
    # (read from the head's own table, crm.activity.verification.seal.head)
    verification_seal_number = fields.Integer(
        string="Last Sealed Number",
        compute="_compute_verification_seal_head",
        groups="base.group_system",
    )
    verification_seal_hash = fields.Char(
        string="Last Seal", compute="_compute_verification_seal_head", groups="base.group_system"
    )
    verification_seal_hmac = fields.Char(
        string="Last Keyed Seal",
        compute="_compute_verification_seal_head",
        groups="base.group_system",
    )
    verification_sampling_secret = fields.Char(
        string="Sampling Secret",
        readonly=True,
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

    @api.constrains(*SETTING_BOUNDS)
    def _check_verification_settings(self):
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
            for fname, (lowest, highest) in SETTING_BOUNDS.items():
                if not lowest <= company[fname] <= highest:
                    raise ValidationError(
                        self.env._(
                            "“%(setting)s” must be from %(lowest)s to %(highest)s, not %(value)s.",
                            setting=self._fields[fname]._description_string(self.env),
                            lowest=lowest,
                            highest=highest,
                            value=company[fname],
                        )
                    )

    @api.constrains("verification_process_manager_id", "verification_complaint_user_id")
    def _check_verification_people(self):
        """The procedure's people are active internal users of the company, in the
        procedure's groups (a portal user is no HR & process manager)."""
        process_manager_role = self.env._("the group “HR & Process Manager” of the procedure")
        handler_role = self.env._(
            "a group of the procedure that handles complaints (verifier, department "
            "manager or HR & process manager)"
        )
        roles = [
            ("verification_process_manager_id", PROCESS_MANAGER_GROUPS, process_manager_role),
            ("verification_complaint_user_id", COMPLAINT_HANDLER_GROUPS, handler_role),
        ]
        for company in self:
            for fname, groups, role in roles:
                # sudo: the user's state, companies and groups are only compared
                user = company[fname].sudo()
                if user and not (
                    user.active
                    and not user.share
                    and company in user.company_ids
                    and user.has_groups(groups)
                ):
                    raise ValidationError(
                        self.env._(
                            "%(user)s cannot be the %(setting)s of %(company)s: choose an "
                            "active internal user of %(company)s in %(role)s.",
                            user=user.name,
                            setting=self._fields[fname]._description_string(self.env),
                            company=company.name,
                            role=role,
                        )
                    )

    def _compute_verification_seal_head(self):
        heads = self.env["crm.activity.verification.seal.head"]._get_heads(self)
        for company in self:
            number, last_hash, last_hmac = heads.get(company.id, (0, False, False))
            company.verification_seal_number = number or 0
            company.verification_seal_hash = last_hash or False
            company.verification_seal_hmac = last_hmac or False

    # ------------------------------------------------------------------
    # CRUD: the chain head and the sampling key are written in SQL only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_verification_sql_only(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_verification_sql_only(vals)
        return super().write(vals)

    @api.model
    def _check_verification_sql_only(self, vals):
        """No ORM write reaches the chain head or the sampling key: not an
        administrator's, not the superuser's (issue 21)."""
        touched = SQL_ONLY_FIELDS.intersection(vals)
        if touched:
            raise UserError(
                self.env._(
                    "%(fields)s of a company are written by the procedure alone (the sealing "
                    "of its records and its sampling draw): nobody sets them, not even an "
                    "administrator.",
                    fields=", ".join(
                        f"“{self._fields[fname]._description_string(self.env)}”"
                        for fname in sorted(touched)
                    ),
                )
            )

    def _get_verification_sampling_secret(self):
        """The company's sampling key, made once (``secrets``, never ``random``) and in
        SQL: no ORM write reaches it. Of two transactions making it at once, the second
        fails on the first's row and is retried by Odoo, then reads the first's key."""
        self.ensure_one()
        # sudo: the key is reserved to administrators; the draw only uses it in a hash
        secret = self.sudo().verification_sampling_secret
        if not secret:
            self.env.cr.execute(
                SQL(
                    "UPDATE res_company SET verification_sampling_secret = %s "
                    "WHERE id = %s AND verification_sampling_secret IS NULL",
                    secrets.token_hex(32),
                    self.id,
                )
            )
            self.env.cr.execute(
                SQL("SELECT verification_sampling_secret FROM res_company WHERE id = %s", self.id)
            )
            secret = self.env.cr.fetchone()[0]
            self.invalidate_recordset(["verification_sampling_secret"])
        return secret

    # ------------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------------
    def _check_verification_integrity_access(self):
        """The integrity check, its PDF and the evidence pack are for the verifiers, the
        department managers and the HR & process manager (and server code), of the
        companies ``self`` they may read (all their companies when ``self`` is empty)."""
        if self.env.su:
            return
        if not self.env.user.has_groups(INTEGRITY_GROUPS):
            raise AccessError(
                self.env._(
                    "Only the verifiers, the department managers and the HR & process "
                    "manager check the integrity of the verification records and print "
                    "their evidence."
                )
            )
        self.check_access("read")

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
