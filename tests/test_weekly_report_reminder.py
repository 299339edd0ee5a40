"""R-1.5: the Saturday reminder of missing FRE-7.5-01 reports.

After the grace days, the department manager is told too.
"""

from datetime import date, datetime

from odoo.tests import freeze_time, tagged

from .common import new_user
from .test_weekly_report import WeeklyReportCommon

WEEK_START = date(2026, 11, 21)  # Saturday; the week ends Friday 2026-11-27
# Saturday 2026-11-28 16:00 UTC: 08:00 in Tijuana, 17:00 in Madrid
SATURDAY = datetime(2026, 11, 28, 16, 0)
# Saturday 2026-11-28 06:00 UTC: still Friday 22:00 in Tijuana, Saturday 07:00 in Madrid
FRIDAY_NIGHT_IN_TIJUANA = datetime(2026, 11, 28, 6, 0)
SUNDAY = datetime(2026, 11, 29, 16, 0)
MONDAY = datetime(2026, 11, 30, 16, 0)


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestWeeklyReportReminder(WeeklyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_service = new_user(
            cls.env, "gser", "Sergio Servicio", "manager", tz="Europe/Madrid"
        )
        cls.maintenance = new_user(
            cls.env,
            "mant",
            "Marta Mantenimiento",
            tz="Europe/Madrid",
            verification_role="maintenance_advisor",
        )
        cls.team_service = cls.env["crm.team"].create(
            {
                "name": "Servicio",
                "user_id": cls.manager_service.id,
                "member_ids": [(6, 0, cls.maintenance.ids)],
            }
        )
        cls.company_admin.write(
            {"verification_report_grace_days": 2, "verification_report_weekday": "5"}
        )

    def _run_cron(self):
        with self.mock_mail_gateway():
            self.Report._cron_remind_weekly_reports()

    def _week_report(self, user):
        return self.Report.search([("user_id", "=", user.id), ("date_start", "=", WEEK_START)])

    def test_saturday_reminder_is_an_activity_and_an_email(self):
        with freeze_time(SATURDAY):
            self._run_cron()
        for user in (self.promoter, self.maintenance):
            with self.subTest(user=user.login):
                report = self._week_report(user)
                self.assertEqual(len(report), 1, "the missing report is created, ready to fill")
                self.assertEqual(report.state, "draft")
                self.assertEqual(report.reminded_on, SATURDAY)
                self.assertEqual(report.activity_ids.user_id, user)
                self.assertIn("FRE-7.5-01", report.activity_ids.summary)
                self.assertMailMail(
                    user.partner_id, "outgoing", content="has not been submitted yet"
                )
        # sales advisors record in the CRM: no weekly report for them
        self.assertFalse(self._week_report(self.advisor))
        self.assertNotSentEmail([self.advisor.partner_id])
        # managers are not told yet (grace: 2 days after Friday)
        recipients = self._new_mails.recipient_ids
        self.assertNotIn(self.manager_parts.partner_id, recipients)
        self.assertNotIn(self.manager_service.partner_id, recipients)

    def test_running_twice_sends_nothing_twice(self):
        with freeze_time(SATURDAY):
            self._run_cron()
            self.assertEqual(len(self._new_mails), 2, "one reminder per collaborator, nothing else")
            self._run_cron()
        self.assertFalse(self._new_mails, "idempotent: nothing sent again")
        self.assertEqual(len(self._week_report(self.promoter).activity_ids), 1)

    def test_submitted_report_is_not_reminded(self):
        report = self._report(user=self.promoter, lines=[])
        with freeze_time(datetime(2026, 11, 27, 20, 0)):
            report.with_user(self.promoter).action_submit()
        with freeze_time(SATURDAY):
            self._run_cron()
        recipients = self._new_mails.recipient_ids
        self.assertNotIn(self.promoter.partner_id, recipients)
        self.assertIn(self.maintenance.partner_id, recipients)
        self.assertFalse(report.activity_ids)

    def test_week_ends_at_midnight_in_each_timezone(self):
        with freeze_time(FRIDAY_NIGHT_IN_TIJUANA):
            self._run_cron()
        self.assertEqual(
            self._week_report(self.maintenance).reminded_on,
            FRIDAY_NIGHT_IN_TIJUANA,
            "Saturday in Madrid",
        )
        self.assertFalse(
            self._week_report(self.promoter).reminded_on,
            "still Friday in Tijuana: the week is not over",
        )
        # two hours later it is Saturday 00:00 in Tijuana
        saturday_in_tijuana = datetime(2026, 11, 28, 8, 0)
        with freeze_time(saturday_in_tijuana):
            self._run_cron()
        self.assertEqual(self._week_report(self.promoter).reminded_on, saturday_in_tijuana)
        this_week = self._new_mails.filtered(lambda mail: "2026-11-21" in mail.subject)
        self.assertEqual(this_week.recipient_ids, self.promoter.partner_id)

    def test_manager_is_told_after_grace_days(self):
        with freeze_time(SATURDAY):
            self._run_cron()
        # the maintenance advisor submits on Saturday; the promoter does not
        maintenance_report = self._week_report(self.maintenance)
        maintenance_report.with_user(self.maintenance).write(
            {
                "signed_by": self.maintenance.name,
                "signature": self.signature,
                "signed_on": date(2026, 11, 28),
            }
        )
        with freeze_time(SATURDAY):
            maintenance_report.with_user(self.maintenance).action_submit()
        with freeze_time(SUNDAY):
            self._run_cron()
        self.assertEqual(self._new_mails.recipient_ids, self.manager_parts.partner_id)
        self.assertMailMail(self.manager_parts.partner_id, "outgoing", content="Pablo Promotor")
        report = self._week_report(self.promoter)
        self.assertEqual(report.manager_notified_on, SUNDAY)
        self.assertIn("Graciela Refacciones", report.message_ids[0].body)
        with freeze_time(MONDAY):
            self._run_cron()
        self.assertFalse(self._new_mails, "the manager is told once")

    def test_company_reminder_weekday(self):
        self.company_admin.write(
            {"verification_report_weekday": "0", "verification_report_grace_days": 5}
        )
        with freeze_time(SATURDAY):
            self._run_cron()
        self.assertFalse(self._new_mails, "the company reminds on Monday")
        with freeze_time(MONDAY):
            self._run_cron()
        self.assertEqual(
            self._new_mails.recipient_ids, self.promoter.partner_id | self.maintenance.partner_id
        )

    def test_scheduled_action_runs(self):
        cron = self.env.ref("crm_activity_verification.ir_cron_weekly_report_reminder")
        self.assertEqual(cron.model_id.model, "crm.activity.weekly.report")
        with freeze_time(SATURDAY), self.mock_mail_gateway(), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertTrue(self._week_report(self.promoter).reminded_on)
