"""R-1.5 Reminders of the weekly report FRE-7.5-01.

The daily cron ``ir_cron_weekly_report_reminder`` reminds each collaborator whose report
of the week that ended is not submitted (on the company's reminder weekday, in his own
time zone), then tells his department manager once the grace days are over. What it
did is written on the report, so that it never does it twice.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import format_date

from .. import date_utils
from .res_users import REPORTING_ROLES


class CrmActivityWeeklyReport(models.Model):
    _inherit = "crm.activity.weekly.report"

    # Reminders: what the reminder cron already did, to never do it twice
    reminded_on = fields.Datetime(string="Reminder Sent On", readonly=True, copy=False)
    manager_notified_on = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # REMINDERS
    # ------------------------------------------------------------------
    @api.model
    def _get_reminder_users_domain(self):
        """Collaborators who must submit a weekly report; extend to change who is reminded."""
        return Domain("verification_role", "in", REPORTING_ROLES) & Domain("share", "=", False)

    @api.model
    def _cron_remind_weekly_reports(self, batch_size=200):
        """Remind the collaborators whose last week's report is not submitted, then
        their department manager once the grace days are over. Idempotent."""
        now = fields.Datetime.now()
        users = self.env["res.users"].search(self._get_reminder_users_domain())
        due = []  # (user, saturday, remind, notify_manager, is_last_week)
        for user in users:
            today = date_utils.local_date(now, user.tz)
            company = user.company_id
            weekday = int(company.verification_report_weekday or date_utils.SATURDAY)
            grace = company.verification_report_grace_days
            for index, saturday in enumerate(date_utils.weeks_to_check(today, grace)):
                friday = saturday + timedelta(days=6)
                remind = today >= date_utils.reminder_date(friday, weekday)
                notify = today >= friday + timedelta(days=grace)
                if remind or notify:
                    due.append((user, saturday, remind, notify, index == 0))
        if not due:
            return True
        existing = self.search(
            [("user_id", "in", users.ids), ("date_start", "in", list({week[1] for week in due}))]
        )
        by_key = {(report.user_id.id, report.date_start): report for report in existing}
        to_remind, to_notify = self.browse(), self.browse()
        for user, saturday, remind, notify, is_last_week in due:
            report = by_key.get((user.id, saturday))
            if report and report.state != "draft":
                continue
            if not is_last_week:
                # older weeks: only the escalation of a report already chased by a reminder
                if report and report.reminded_on and notify and not report.manager_notified_on:
                    to_notify |= report
                continue
            if not report:
                # the reminder itself tells the collaborator: no "assigned to you" e-mail on top
                report = self.with_context(mail_auto_subscribe_no_notify=True).create(
                    {"user_id": user.id, "date_start": saturday, "company_id": user.company_id.id}
                )
                by_key[(user.id, saturday)] = report
            if remind and not report.reminded_on:
                to_remind |= report
            elif notify and report.reminded_on and not report.manager_notified_on:
                # the manager hears of it once the collaborator was reminded on an earlier run
                to_notify |= report
        to_remind._send_reminders()
        to_notify._notify_managers()
        return True

    def _send_reminders(self):
        """Activity and e-mail to the collaborator (R-1.5)."""
        if not self:
            return
        template = self.env.ref("crm_activity_verification.mail_template_weekly_report_reminder")
        for report in self:
            reader_env = self._reader_env(report.user_id)
            report.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=date_utils.local_date(fields.Datetime.now(), report.user_id.tz),
                summary=reader_env._(
                    "Submit your FRE-7.5-01 report of %(start)s – %(end)s",
                    start=format_date(reader_env, report.date_start),
                    end=format_date(reader_env, report.date_end),
                ),
                user_id=report.user_id.id,
            )
        template.send_mail_batch(self.ids)
        self._workflow().write({"reminded_on": fields.Datetime.now()})
        self._message_log_batch(
            bodies={
                report.id: report._in_company_lang().env._(
                    "Reminder sent to %(collaborator)s.", collaborator=report.user_id.name
                )
                for report in self
            }
        )

    def _notify_managers(self):
        """Tell the department manager about reports still missing after the grace days."""
        reports = self.filtered("team_id.user_id")
        if reports:
            template = self.env.ref("crm_activity_verification.mail_template_weekly_report_missing")
            template.send_mail_batch(reports.ids)
            reports._message_log_batch(
                bodies={
                    report.id: report._in_company_lang().env._(
                        "Still not submitted: %(manager)s (department manager) was told.",
                        manager=report.team_id.user_id.name,
                    )
                    for report in reports
                }
            )
        self._workflow().write({"manager_notified_on": fields.Datetime.now()})
