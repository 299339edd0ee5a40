"""R-1.1: ``ir_cron_daily_capture_reminder`` at the end of each working day.

Company calendar: Monday to Friday until 17:00, America/Tijuana (UTC-8 on 6 March).
"""

from datetime import date, datetime

from odoo.tests import freeze_time, tagged

from .test_followup import FollowupCommon

FRIDAY_NOON = datetime(2026, 3, 6, 20, 0)  # 12:00 in Tijuana
FRIDAY_EVENING = datetime(2026, 3, 7, 2, 0)  # Friday 18:00 in Tijuana
SATURDAY_EVENING = datetime(2026, 3, 8, 2, 0)  # Saturday 18:00 in Tijuana


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestDailyCaptureReminder(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref(
            "crm_activity_verification.mail_activity_type_capture_reminder"
        )
        cls.cron = cls.env.ref("crm_activity_verification.ir_cron_daily_capture_reminder")

    def _run_cron(self, when):
        with freeze_time(when), self.mock_mail_gateway(mail_unlink_sent=False):
            self.env["res.users"]._cron_daily_capture_reminder()
        return self._new_mails

    def _reminders(self, users):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [("activity_type_id", "=", self.reminder_type.id), ("user_id", "in", users.ids)]
            )
        )

    def test_reminds_advisors_without_activity_after_working_day(self):
        with freeze_time(FRIDAY_NOON):
            self._verification_done(user=self.advisor)  # Arturo recorded a visit today
        self.assertFalse(self._run_cron(FRIDAY_NOON), "the working day is not over")

        mails = self._run_cron(FRIDAY_EVENING)
        reminders = self._reminders(self.advisor | self.advisor_2 | self.promoter)
        self.assertRecordValues(
            reminders,
            [{"user_id": self.advisor_2.id, "date_deadline": date(2026, 3, 6), "res_model": False}],
        )
        self.assertIn(
            reminders, self.env["mail.activity"].search([("user_id", "=", self.advisor_2.id)])
        )
        # company 2 follows its own calendar: its advisor is reminded too
        self.assertEqual(mails.recipient_ids, (self.advisor_2 | self.advisor_c2).partner_id)
        mail = mails.filtered(lambda m: m.recipient_ids == self.advisor_2.partner_id)
        self._assert_mail(mail, self.advisor_2, subject="Record today's activities")
        self.assertMailMail(self.advisor_2.partner_id, "outgoing", content="PAD-7.2-05")

        # idempotent: one reminder a day, however often the cron runs
        self.assertFalse(self._run_cron(FRIDAY_EVENING))
        self.assertFalse(self._run_cron(datetime(2026, 3, 7, 5, 0)))
        self.assertEqual(len(self._reminders(self.advisor_2)), 1)

    def test_no_reminder_on_weekend_or_holiday(self):
        self.assertFalse(self._run_cron(SATURDAY_EVENING))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Día festivo",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 6, 8, 0),
                "date_to": datetime(2026, 3, 7, 7, 59),
            }
        )
        mails = self._run_cron(FRIDAY_EVENING)
        self.assertFalse(self._reminders(self.advisor | self.advisor_2))
        self.assertEqual(
            mails.recipient_ids, self.advisor_c2.partner_id, "company 2 has no holiday"
        )

    def test_done_activity_without_verification_counts(self):
        # Beatriz marked done a procedure activity whose verification was removed since
        with freeze_time(FRIDAY_NOON):
            verification = self._verification_done(self.customer, self.advisor_2, self.type_call)
        verification.sudo()._workflow().unlink()  # the internal path (a clean-up by code)
        self._run_cron(FRIDAY_EVENING)
        self.assertEqual(self._reminders(self.advisor | self.advisor_2).user_id, self.advisor)

    def test_advisor_completing_reminder_is_not_reminded_again(self):
        self._run_cron(FRIDAY_EVENING)
        self._reminders(self.advisor).with_user(self.advisor).action_done()
        self.assertFalse(self._run_cron(datetime(2026, 3, 7, 4, 0)))
        # next working day: Monday evening, reminded again
        mails = self._run_cron(datetime(2026, 3, 10, 1, 0))
        self.assertEqual(
            mails.recipient_ids, (self.advisor | self.advisor_2 | self.advisor_c2).partner_id
        )

    def test_cron_job_runs(self):
        with freeze_time(FRIDAY_EVENING), self.mock_mail_gateway(mail_unlink_sent=False):
            with self.enter_registry_test_mode():
                self.cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(
            self._reminders(self.advisor | self.advisor_2).user_id, self.advisor | self.advisor_2
        )
