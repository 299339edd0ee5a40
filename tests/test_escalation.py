"""R-2.7 / R-3.2: ``ir_cron_followup_escalation``.

Follow-up requested Friday 2026-03-06, deadline Tuesday 03-10 (2 working days);
escalation delays 1 and 3 working days after the deadline:

    Tue 03-10  deadline: nothing       Wed 03-11  overdue, level 1 (department manager)
    Thu 03-12  nothing new             Fri 03-13  level 2 (HR & process manager)
"""

from datetime import date, datetime
from unittest.mock import patch

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import new_user
from .test_followup import FollowupCommon


def at_noon(day):
    """``day`` at 12:00 in Tijuana (UTC-8 before 8 March, UTC-7 after)."""
    return datetime(2026, 3, day, 20 if day < 8 else 19, 0)


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestFollowupEscalation(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("crm_activity_verification.ir_cron_followup_escalation")

    def _run_cron(self, day):
        with freeze_time(at_noon(day)), self.mock_mail_gateway(mail_unlink_sent=False):
            self.Verification._cron_followup_escalation()
        return self._new_mails

    def _escalations(self, verification):
        return self._activities(verification, self.escalated_type)

    def test_escalation_steps(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)

        self.assertFalse(self._run_cron(10), "on the deadline day nothing happens")
        self.assertRecordValues(
            verification, [{"followup_state": "requested", "escalation_level": 0}]
        )

        # Wednesday: overdue, first step to the department manager
        mails = self._run_cron(11)
        self.assertRecordValues(
            verification,
            [
                {
                    "followup_state": "overdue",
                    "escalation_level": 1,
                    "escalation_user_id": self.manager_sales.id,
                }
            ],
        )
        self._assert_mail(mails, self.manager_sales, self.advisor, "Overdue follow-up")
        self.assertRecordValues(
            self._escalations(verification), [{"user_id": self.manager_sales.id}]
        )
        self._assert_logged(verification, "escalated to Gerardo Comercial")

        self.assertFalse(self._run_cron(12), "Thursday: nothing new")

        # Friday: second step to the HR & process manager, manager in copy
        mails = self._run_cron(13)
        self.assertRecordValues(
            verification, [{"escalation_level": 2, "escalation_user_id": self.process_manager.id}]
        )
        self._assert_mail(
            mails, self.process_manager, self.advisor | self.manager_sales, "Overdue follow-up"
        )
        self.assertEqual(
            self._escalations(verification).user_id, self.manager_sales | self.process_manager
        )
        managers_todo = self.env["mail.activity"].search(
            [("user_id", "in", (self.manager_sales | self.process_manager).ids)]
        )
        self.assertFalse(
            self._escalations(verification) - managers_todo, "shown in the managers' activities"
        )

        # idempotent: running again (same day or later) sends nothing twice
        self.assertFalse(self._run_cron(13))
        self.assertFalse(self._run_cron(20))
        self.assertEqual(len(self._escalations(verification)), 2)

    def test_weekend_is_not_counted(self):
        verification = self._confirmed_verification()
        self._request_followup(verification, deadline="2026-03-13")  # a Friday
        self.assertFalse(self._run_cron(14))  # Saturday: overdue, not escalated yet
        self.assertRecordValues(
            verification, [{"followup_state": "overdue", "escalation_level": 0}]
        )
        self.assertFalse(self._run_cron(15))
        self._run_cron(16)  # Monday: first working day after the deadline
        self.assertEqual(verification.escalation_level, 1)

    def test_late_run_sends_both_steps_once(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)
        mails = self._run_cron(20)
        self.assertEqual(verification.escalation_level, 2)
        self.assertEqual(
            mails.recipient_ids, (self.manager_sales | self.process_manager).partner_id
        )
        self.assertEqual(len(mails), 2)

    def test_done_followup_is_not_escalated_and_closes_escalations(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)
        self._run_cron(11)
        with freeze_time(at_noon(12)):
            verification.followup_activity_id.with_user(self.advisor).action_feedback(
                feedback="Listo"
            )
        self.assertEqual(verification.followup_state, "done")
        self.assertFalse(self._escalations(verification), "the manager's activity is closed too")
        self.assertFalse(self._run_cron(20))
        self.assertEqual(verification.escalation_level, 1)

    def test_team_without_leader_escalates_to_process_manager(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)
        self.team_sales.user_id = False
        mails = self._run_cron(11)
        self.assertRecordValues(
            verification, [{"escalation_level": 1, "escalation_user_id": self.process_manager.id}]
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, self.process_manager.partner_id)
        self.assertTrue(any("No department manager" in mail.subject for mail in mails))

    def test_zero_delays_escalate_at_once(self):
        """0 is honoured, never replaced by the default delays: the follow-up due on
        Tuesday goes to both managers on Wednesday."""
        self.company_admin.write(
            {"verification_escalation_manager_days": 0, "verification_escalation_process_days": 0}
        )
        verification = self._confirmed_verification()
        self._request_followup(verification)
        self._run_cron(10)
        self.assertEqual(verification.escalation_level, 0)
        self._run_cron(11)
        self.assertEqual(verification.escalation_level, 2)

    # ------------------------------------------------------------------
    # batches: interrupted after the first one, then resumed
    # ------------------------------------------------------------------
    def _overdue_followups(self, count):
        verifications = self.Verification._workflow().create(
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.advisor.id,
                    "team_id": self.team_sales.id,
                    "activity_date": at_noon(6),
                    "state": "confirmed",
                    "company_id": self.company_admin.id,
                }
                for _i in range(count)
            ]
        )
        for verification in verifications:
            self._request_followup(verification)
        return verifications

    def _run_cron_job(self, day):
        with freeze_time(at_noon(day)), self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_interrupted_run_resumes_and_sends_each_escalation_once(self):
        verifications = self._overdue_followups(5)
        Model = type(self.Verification)
        real_escalate = Model._escalate_followups
        calls = []

        def crash_after_first_batch(records, limits):
            calls.append(records.ids)
            if len(calls) > 1:
                raise RuntimeError("worker killed")
            return real_escalate(records, limits)

        with (
            patch.object(Model, "_ESCALATION_BATCH_SIZE", 2),
            # one e-mail per escalation here (see test_list_mail_* for the list)
            patch.object(Model, "_ESCALATION_MAIL_LIST_ABOVE", 10),
            self.mock_mail_gateway(mail_unlink_sent=False),
        ):
            with (
                patch.object(Model, "_escalate_followups", crash_after_first_batch),
                mute_logger("odoo.addons.base.models.ir_cron"),
            ):
                self._run_cron_job(11)
            # only the first batch was committed
            self.assertEqual(verifications.mapped("escalation_level"), [1, 1, 0, 0, 0])
            self._run_cron_job(11)  # resumed
            self.assertEqual(verifications.mapped("escalation_level"), [1] * 5)
            self._run_cron_job(11)  # and once more: nothing to do
        Mail = self.env["mail.mail"].sudo()
        for verification in verifications:
            self.assertEqual(len(self._escalations(verification)), 1)
            self.assertEqual(
                Mail.search_count(
                    [
                        ("model", "=", verification._name),
                        ("res_id", "=", verification.id),
                        ("recipient_ids", "in", self.manager_sales.partner_id.ids),
                    ]
                ),
                1,
                "each escalation e-mail exactly once",
            )

    # ------------------------------------------------------------------
    # more than a few escalations for one manager: one e-mail listing them
    # ------------------------------------------------------------------
    def test_list_mail_per_recipient(self):
        verifications = self._overdue_followups(4)
        verifications[-1].sudo()._workflow().write({"user_id": self.advisor_2.id})
        verifications |= self._overdue_followups(1)
        mails = self._run_cron(11)
        self.assertEqual(verifications.mapped("escalation_level"), [1] * 5)
        self._assert_mail(mails, self.manager_sales, self.advisor | self.advisor_2)
        self.assertIn("Overdue follow-ups: 5", mails.subject)
        for verification in verifications:
            self.assertIn(verification.display_name, mails.body_html)
            self.assertIn(f"res_id={verification.id}", mails.body_html)
        self.assertIn("Department manager", mails.body_html)
        self.assertIn("Enviar la cotización del ProStar", mails.body_html)  # what is needed
        self.assertIn("03/10/2026", mails.body_html)  # the deadline
        self.assertEqual(
            [len(self._escalations(v)) for v in verifications], [1] * 5, "an activity each"
        )
        self.assertFalse(self._run_cron(11), "nothing twice")
        # Friday: the second step, to the HR & process manager, the manager in copy
        mails = self._run_cron(13)
        self._assert_mail(
            mails, self.process_manager, self.advisor | self.advisor_2 | self.manager_sales
        )
        self.assertIn("HR & process manager", mails.body_html)

    def test_list_mail_capped(self):
        """A long list shows its first rows, then how many more with a link to the list
        of the follow-ups escalated to the manager; the copies cover all of them."""
        verifications = self._overdue_followups(5)
        verifications[-1].sudo()._workflow().write({"user_id": self.advisor_2.id})
        with patch.object(type(self.Verification), "_ESCALATION_MAIL_LIST_MAX", 3):
            mails = self._run_cron(11)
        self.assertEqual(len(mails), 1)
        self._assert_mail(mails, self.manager_sales, self.advisor | self.advisor_2)
        self.assertIn("Overdue follow-ups: 5", mails.subject)
        listed = [v for v in verifications if f'res_id={v.id}"' in mails.body_html]
        self.assertEqual(len(listed), 3, "the first 3 rows only")
        self.assertIn("And 2 more overdue follow-ups.", mails.body_html)
        self.assertIn(
            "/odoo/action-crm_activity_verification.crm_activity_verification_action_escalated",
            mails.body_html,
        )
        # the link's list: the manager's overdue follow-ups, all five
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_activity_verification.crm_activity_verification_action_escalated"
        )
        Verification = self.Verification.with_user(self.manager_sales)
        self.assertEqual(
            Verification.search(safe_eval(action["domain"], {"uid": self.manager_sales.id})),
            verifications,
        )
        self.assertFalse(self._run_cron(11), "nothing twice")

    def test_list_mail_late_run_both_steps(self):
        verifications = self._overdue_followups(4)
        mails = self._run_cron(20)
        self.assertEqual(verifications.mapped("escalation_level"), [2] * 4)
        self.assertEqual(len(mails), 2, "one list to each manager")
        self._assert_mail(
            mails.filtered(lambda m: m.recipient_ids == self.manager_sales.partner_id),
            self.manager_sales,
            self.advisor,
        )
        self._assert_mail(
            mails.filtered(lambda m: m.recipient_ids == self.process_manager.partner_id),
            self.process_manager,
            self.advisor | self.manager_sales,
        )

    def test_list_mail_in_recipient_language(self):
        self.env["res.lang"]._activate_lang("es_MX")
        self.env["ir.module.module"]._load_module_terms(["crm_activity_verification"], ["es_MX"])
        self.manager_sales.lang = "es_MX"
        self._overdue_followups(4)
        mails = self._run_cron(11)
        self.assertIn("Seguimientos vencidos: 4", mails.subject)
        self.assertIn("Gerente de departamento", mails.body_html)
        self.assertNotIn("Department manager", mails.body_html)

    def test_list_mail_interrupted_run_sends_once(self):
        """Killed after the first batch: the next run escalates the rest and sends one
        list with all of them; a third run sends nothing."""
        verifications = self._overdue_followups(5)
        Model = type(self.Verification)
        real_escalate = Model._escalate_followups
        calls = []

        def crash_after_first_batch(records, limits):
            calls.append(records.ids)
            if len(calls) > 1:
                raise RuntimeError("worker killed")
            return real_escalate(records, limits)

        with (
            patch.object(Model, "_ESCALATION_BATCH_SIZE", 2),
            self.mock_mail_gateway(mail_unlink_sent=False),
        ):
            with (
                patch.object(Model, "_escalate_followups", crash_after_first_batch),
                mute_logger("odoo.addons.base.models.ir_cron"),
            ):
                self._run_cron_job(11)
            self.assertFalse(self._new_mails, "no e-mail from the killed run")
            self._run_cron_job(11)
            self._run_cron_job(11)
            self.assertEqual(verifications.mapped("escalation_level"), [1] * 5)
            mails = self._new_mails
        self.assertEqual(len(mails), 1)
        for verification in verifications:
            self.assertEqual(mails.body_html.count(f'res_id={verification.id}"'), 1)

    def test_escalation_queries_constant_per_follow_up(self):
        """At most 3 queries per follow-up, measured against 10 in the same test."""

        def cron_queries(count):
            verifications = self._overdue_followups(count)
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(at_noon(11)), self.mock_mail_gateway(mail_unlink_sent=False):
                start = self.cr.sql_log_count
                self.Verification._cron_followup_escalation()
                self.env.flush_all()
                queries = self.cr.sql_log_count - start
            self.assertEqual(verifications.mapped("escalation_level"), [1] * count)
            return queries

        cron_queries(4)  # warm the caches (templates, access rules)
        queries_10 = cron_queries(10)
        queries_20 = cron_queries(20)
        self.assertLessEqual(
            queries_20 - queries_10,
            3 * 10,
            f"{queries_10} queries for 10 follow-ups, {queries_20} for 20",
        )

    def test_cron_record(self):
        self.assertEqual(self.cron.code, "model._cron_followup_escalation()")
        self.assertTrue(self.cron.active)
        other = self.env.ref("crm_activity_verification.ir_cron_daily_capture_reminder")
        self.assertEqual(other.interval_type, "hours")
        # multi-company: another company's follow-ups use its own managers
        leader_c2 = new_user(self.env, "lider_c2", "Líder Segunda", "internal", self.company_2)
        team_c2 = self.env["crm.team"].create(
            {"name": "Ventas Tijuana", "user_id": leader_c2.id, "company_id": self.company_2.id}
        )
        verification = self.Verification._workflow().create(
            {
                "user_id": self.advisor_c2.id,
                "team_id": team_c2.id,
                "activity_date": at_noon(6),
                "state": "confirmed",
                "company_id": self.company_2.id,
            }
        )
        with freeze_time(at_noon(6)):
            verification.with_user(self.verifier_c2).action_request_followup("Llamar")
        self._run_cron(11)
        self.assertEqual(verification.escalation_user_id, leader_c2)
        self.assertEqual(verification.followup_deadline, date(2026, 3, 10))
