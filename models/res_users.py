from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools.misc import format_date, formatLang

from .crm_activity_verification import SUPERVISOR_GROUPS
from .crm_activity_verification_sampling import (
    REDUCE_CLEAN_LOTS,
    RELAX_CLEAN_LOTS,
    SAMPLING_LEVELS,
    TIGHTEN_BAD_LOTS,
    TIGHTEN_WEEKS,
)

# Roles in procedure PAD-7.2-05 (spec/contract.md); who fills the weekly report FRE-7.5-01.
VERIFICATION_ROLES = [
    ("sales_advisor", "Sales Advisor"),
    ("parts_promoter", "Parts Promoter"),
    ("maintenance_advisor", "Maintenance Advisor"),
]
REPORTING_ROLES = ("parts_promoter", "maintenance_advisor")
# Who may read a collaborator's sampling level (a collaborator does not see his own).
SAMPLING_GROUPS = SUPERVISOR_GROUPS


class ResUsers(models.Model):
    _inherit = "res.users"

    verification_role = fields.Selection(
        selection=VERIFICATION_ROLES,
        help="Role in procedure PAD-7.2-05. Sales advisors record their activities "
        "in the CRM; parts promoters and maintenance advisors fill the weekly "
        "FRE-7.5-01 report. Empty: not subject to the procedure.",
    )
    # B-1: kept by the switching rules (scheduled action), never typed in
    verification_sampling_level = fields.Selection(
        selection=SAMPLING_LEVELS,
        string="Sampling Level",
        default="tightened",
        readonly=True,
        groups=SAMPLING_GROUPS,
        help="Share of the collaborator's activities that are verified: all (tightened), the "
        "normal rate or the reduced rate. Kept by the switching rules every week.",
    )
    verification_sampling_since = fields.Date(
        string="Sampling Level Since",
        readonly=True,
        groups=SAMPLING_GROUPS,
        help="Day of the last change of sampling level: the runs of clean weeks count from it.",
    )
    verification_start_date = fields.Date(
        string="In the Procedure Since",
        default=fields.Date.context_today,
        groups=SAMPLING_GROUPS,
        help="A new collaborator's activities are all verified during the company's first weeks.",
    )

    # ------------------------------------------------------------------
    # B-1 sampling level
    # ------------------------------------------------------------------
    def _get_verification_sampling_level(self, today):
        """The level in force for a new activity: tightened during the first weeks."""
        self.ensure_one()
        if self._is_new_collaborator(today):
            return "tightened"
        return self.verification_sampling_level or "tightened"

    def _is_new_collaborator(self, today):
        self.ensure_one()
        weeks = self.company_id.verification_new_collaborator_weeks
        start = self.verification_start_date or (self.create_date and self.create_date.date())
        return bool(start and today < start + timedelta(weeks=weeks))

    def _get_verification_sampling_switch(self, lots, weeks, today, out_of_control=None):
        """``(new level, reason)`` by the switching rules, or ``(False, False)``.

        :param lots: ``{saturday: bad}`` of the weeks with verified activities
        :param weeks: the Saturdays of the weeks considered, most recent first
        :param out_of_control: ``{saturday: p-chart row values}`` of the weeks above their
            upper limit (B-6); they are bad lots, and the reason names them
        """
        self.ensure_one()
        out_of_control = out_of_control or {}
        # the reason is read by the managers, in the company's language (the cron has none)
        staff_env = self.env["crm.activity.workflow.mixin"]._reader_env(self.company_id)
        level = self.verification_sampling_level or "tightened"
        since = self.verification_sampling_since
        # weeks that started after the last change of level
        run = [lots[week] for week in weeks if week in lots and (not since or week >= since)]
        clean_run = next((n for n, bad in enumerate(run) if bad), len(run))
        recent_bad = [week for week in weeks[:TIGHTEN_WEEKS] if lots.get(week)]
        if level == "normal" and len(recent_bad) >= TIGHTEN_BAD_LOTS:
            reason = staff_env._(
                "%(bad)s of the last %(weeks)s weeks had a not-confirmed activity or an anomaly.",
                bad=len(recent_bad),
                weeks=TIGHTEN_WEEKS,
            )
            return "tightened", self._verification_out_of_control_reason(
                staff_env, reason, recent_bad, out_of_control
            )
        if level == "tightened" and clean_run >= RELAX_CLEAN_LOTS:
            if self._is_new_collaborator(today):
                return False, False
            return "normal", staff_env._(
                "%(weeks)s verified weeks in a row without a not-confirmed activity or anomaly.",
                weeks=clean_run,
            )
        if level == "normal" and clean_run >= REDUCE_CLEAN_LOTS:
            return "reduced", staff_env._(
                "%(weeks)s verified weeks in a row without a not-confirmed activity or anomaly.",
                weeks=clean_run,
            )
        if level == "reduced" and run and run[0]:
            bad_week = next(week for week in weeks if lots.get(week))
            reason = staff_env._(
                "A not-confirmed activity or an anomaly in the week of %(week)s.",
                week=format_date(staff_env, bad_week),
            )
            return "normal", self._verification_out_of_control_reason(
                staff_env, reason, [bad_week], out_of_control
            )
        return False, False

    @api.model
    def _verification_out_of_control_reason(self, staff_env, reason, bad_weeks, out_of_control):
        """``reason``, followed by the bad weeks that were out of control on the p-chart."""
        lines = [reason]
        for week in bad_weeks:
            if week in out_of_control:
                row = out_of_control[week]
                lines.append(
                    staff_env._(
                        "The week of %(week)s was out of control on the p-chart: %(proportion)s "
                        "%% not confirmed (%(not_confirmed)s of %(verified)s), above its upper "
                        "limit of %(limit)s %%.",
                        week=format_date(staff_env, week),
                        proportion=formatLang(staff_env, row["proportion"], digits=1),
                        not_confirmed=row["not_confirmed"],
                        verified=row["verified"],
                        limit=formatLang(staff_env, row["upper_limit"], digits=1),
                    )
                )
        return "\n".join(lines)

    def _set_verification_sampling_level(self, level, reason):
        """Change the sampling level, logged with its reason where managers see it."""
        self.ensure_one()
        # sudo: the switching rules run for every collaborator; the level is readonly
        # and changes only here, with a log line
        user = self.sudo()
        old = user.verification_sampling_level or "tightened"
        user.write(
            {
                "verification_sampling_level": level,
                "verification_sampling_since": fields.Date.context_today(self),
            }
        )
        self.env["crm.activity.verification.sampling.log"].sudo().create(
            {
                "user_id": self.id,
                "company_id": self.company_id.id,
                "old_level": old,
                "new_level": level,
                "reason": reason,
            }
        )

    def _verification_sampling_demote_reduced(self, verifications):
        """Reduced -> normal at once, at the first not-confirmed result or anomaly."""
        # sudo: the level is read whoever records the result
        for user in self.sudo().filtered(lambda u: u.verification_sampling_level == "reduced"):
            verification = verifications.filtered(lambda v, u=user: v.user_id == u)[:1]
            user._set_verification_sampling_level(
                "normal",
                self.env["crm.activity.workflow.mixin"]
                ._reader_env(user.company_id)
                ._(
                    "%(verification)s: not confirmed, or an anomaly.",
                    verification=verification.display_name,
                ),
            )

    # ------------------------------------------------------------------
    # daily capture reminder (cron ir_cron_daily_capture_reminder)
    # ------------------------------------------------------------------
    @api.model
    def _cron_daily_capture_reminder(self):
        """After the end of each company's working day, remind the sales advisors who
        recorded no procedure activity that day. Idempotent: one reminder per day."""
        # a handful of companies; each is checked against its own working day
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            now = company._get_company_now()
            intervals = company._get_work_intervals(now.date(), now.date())
            if not intervals or now < max(stop for _begin, stop in intervals):
                continue  # not a working day, or the working day is not over
            advisors = self._get_advisors_without_activity(company, now)
            advisors._send_capture_reminders(now.date())
        return True

    def _send_capture_reminders(self, day):
        """A to-do for ``day`` in each user's activities, and an e-mail (R-1.1)."""
        if not self:
            return
        reminder_type = self.env.ref(
            "crm_activity_verification.mail_activity_type_capture_reminder"
        )
        Mixin = self.env["crm.activity.workflow.mixin"]
        # sudo: the cron gives each advisor a personal to-do (no document attached)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": reminder_type.id,
                    "user_id": user.id,
                    # in the advisor's language (the cron has none)
                    "summary": reminder_type.with_env(Mixin._reader_env(user)).summary,
                    "date_deadline": day,
                    "automated": True,
                }
                for user in self
            ]
        )
        # sudo: the cron may run as a user without rights on mail templates; the
        # template only renders the advisor's own name and the day
        self.env.ref(
            "crm_activity_verification.mail_template_capture_reminder"
        ).sudo().send_mail_batch(self.ids)

    @api.model
    def _get_advisors_without_activity(self, company, now):
        """Sales advisors of ``company`` who recorded no procedure activity on ``now``'s
        day and were not reminded yet that day."""
        advisors = self.search(
            [
                ("verification_role", "=", "sales_advisor"),
                ("company_id", "=", company.id),
                ("share", "=", False),
            ]
        )
        if not advisors:
            return advisors
        return advisors - advisors._get_advisors_active_on(now)

    def _get_advisors_active_on(self, now):
        """The users of ``self`` who recorded a procedure activity on ``now``'s day, or
        were already reminded that day."""
        advisors = self
        day_start = (
            now.replace(hour=0, minute=0, second=0, microsecond=0)
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        # sudo: counts verifications per advisor whatever the cron user's rights;
        # nothing is returned but the advisors who recorded something
        active = {
            user
            for [user] in self.env["crm.activity.verification"]
            .sudo()
            ._read_group(
                [("user_id", "in", advisors.ids), ("create_date", ">=", day_start)], ["user_id"]
            )
        }
        # sudo: done activities of the advisors on any document, only counted per advisor
        Activity = self.env["mail.activity"].with_context(active_test=False).sudo()
        active.update(
            user
            for [user] in Activity._read_group(
                [
                    ("user_id", "in", advisors.ids),
                    ("active", "=", False),
                    ("date_done", "=", now.date()),
                    ("activity_type_id.verification_required", "=", True),
                ],
                ["user_id"],
            )
        )
        reminder_type = self.env.ref(
            "crm_activity_verification.mail_activity_type_capture_reminder"
        )
        active.update(
            user
            for [user] in Activity._read_group(
                [
                    ("user_id", "in", advisors.ids),
                    ("activity_type_id", "=", reminder_type.id),
                    ("date_deadline", "=", now.date()),
                ],
                ["user_id"],
            )
        )
        return self.browse([user.id for user in active])
