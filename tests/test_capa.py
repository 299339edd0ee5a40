"""B-5 The effectiveness of a corrective action, measured: the built-in anomaly (no
quality app installed). The same story with OCA's apps is in test_oca_quality_apps.py.

Calendar of these tests (America/Tijuana, UTC-8 all along): the procedure's weeks go
from Saturday to Friday.

    Tue 2026-11-03  anomaly reported     (week of Sat 10-31)
    Thu 2026-11-05  anomaly resolved     -> weeks watched from Sat 11-07
    weeks 11-07, 11-14, 11-21, 11-28, 12-05, 12-12, 12-19, ...
"""

import unittest
from datetime import date, datetime, time, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import MODULE, VerificationCommon

ANOMALY_ON = datetime(2026, 11, 3, 18, 0)  # Tuesday 10:00 in Tijuana
RESOLVED_ON = datetime(2026, 11, 5, 18, 0)  # Thursday 10:00
FIRST_WEEK = date(2026, 11, 7)  # the Saturday after


def in_week(saturday, weeks=0, day=3):
    """10:00 in Tijuana (UTC) of the ``day``-th day (3: Tuesday) of the week starting
    ``weeks`` weeks after ``saturday``."""
    return datetime.combine(saturday + timedelta(weeks=weeks, days=day), time(18, 0))


def saturday_after(saturday, weeks):
    """Noon in Tijuana of the Saturday ``weeks`` weeks after ``saturday``: the weeks
    before it are complete."""
    return datetime.combine(saturday + timedelta(weeks=weeks), time(20, 0))


class CapaCommon(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_admin.resource_calendar_id.tz = "America/Tijuana"
        cls.Capa = cls.env["crm.activity.verification.capa"]
        cls.anomaly_type = cls.env.ref(f"{MODULE}.mail_activity_type_anomaly")

    def _verified(self, when, outcome="confirmed", user=None):
        """An activity of ``user`` (the advisor) marked done at ``when`` and, unless
        ``outcome`` is False, verified by phone at once; its verification."""
        with freeze_time(when):
            verification = self._verification_done(user=user)
            if outcome:
                verification.with_user(self.verifier).action_log_call(
                    outcome, notes="Llamada de verificación"
                )
        return verification.with_env(self.env)

    def _weeks(self, first, per_week, outcome="confirmed"):
        """``per_week[n]`` activities verified with ``outcome`` in the n-th week from
        ``first``."""
        for week, count in enumerate(per_week):
            for day in range(count):
                self._verified(in_week(first, week, 3 + day), outcome)

    def _run_cron(self, when):
        """The scheduled action as the scheduler runs it (superuser, no language); the
        e-mails it queued."""
        env = self.env(user=self.env.ref("base.user_root"), context={})
        with freeze_time(when), self.mock_mail_gateway(mail_unlink_sent=False):
            env["crm.activity.verification.capa"]._cron_capa_effectiveness()
        return self._new_mails

    def _held(self, user=None):
        (user or self.advisor).invalidate_recordset(["verification_capa_hold"])
        return (user or self.advisor).sudo().verification_capa_hold


@tagged("post_install", "-at_install", MODULE)
class TestCorrectiveActionEffectiveness(CapaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "mgmtsystem.nonconformity" in cls.env:
            # with the quality app the anomaly is a nonconformity: test_oca_quality_apps.py
            raise unittest.SkipTest("the built-in anomaly flow: without the quality app")

    def _report_and_resolve(self):
        verification = self._verified(ANOMALY_ON, "not_confirmed")
        with freeze_time(ANOMALY_ON):
            verification.with_user(self.verifier).action_report_anomaly(
                "El cliente niega la visita del martes"
            )
        check = self.Capa.search([("verification_id", "=", verification.id)])
        self.assertRecordValues(
            check,
            [
                {
                    "state": "action",
                    "user_id": self.advisor.id,
                    "manager_id": self.process_manager.id,
                    "nonconformity_id": 0,
                    "watch_from": False,
                }
            ],
        )
        self.assertTrue(self._held(), "verified in full while the action is open")
        with freeze_time(RESOLVED_ON):
            verification.with_user(self.process_manager).action_resolve_anomaly(
                "Se capacitó al asesor en el registro de visitas"
            )
        self.assertRecordValues(
            check, [{"state": "watch", "watch_from": FIRST_WEEK, "closed_on": RESOLVED_ON}]
        )
        self.assertTrue(self._held(), "and while its effectiveness is checked")
        return verification, check

    def test_five_clean_weeks_prove_the_action(self):
        """Anomaly → resolution → five clean weekly lots → the evaluation quotes them."""
        verification, check = self._report_and_resolve()
        # weeks 11-07 (2 activities), 11-14 (1), 11-21 (none: not a lot)
        self._weeks(FIRST_WEEK, [2, 1, 0])
        self.assertFalse(self._run_cron(saturday_after(FIRST_WEEK, 3)))
        self.assertRecordValues(
            check,
            [{"state": "watch", "clean_weeks": 2, "activity_count": 3, "confirmed_count": 3}],
        )
        # week 11-28: one confirmed, one not called yet; week 12-05: one confirmed
        self._verified(in_week(FIRST_WEEK, 3))
        waiting = self._verified(in_week(FIRST_WEEK, 3, day=4), outcome=False)
        self._verified(in_week(FIRST_WEEK, 4))
        self._run_cron(saturday_after(FIRST_WEEK, 5))
        # week 11-28 is not verified yet: it is not judged, nor the weeks after it
        self.assertRecordValues(check, [{"state": "watch", "clean_weeks": 2}])
        # the waiting activity confirmed; weeks 12-12 and 12-19 confirmed
        with freeze_time(saturday_after(FIRST_WEEK, 5)):
            waiting.with_user(self.verifier).action_log_call("confirmed")
        self._weeks(FIRST_WEEK + timedelta(weeks=5), [1, 1])
        mails = self._run_cron(saturday_after(FIRST_WEEK, 7))
        evaluation = (
            "5 verified weeks without a not-confirmed activity: 7 activities, 7 confirmed "
            "(weeks from 11/07/2026 to 12/18/2026)."
        )
        self.assertRecordValues(
            check,
            [
                {
                    "state": "effective",
                    "clean_weeks": 5,
                    "activity_count": 7,
                    "confirmed_count": 7,
                    "bad_weeks": 0,
                    "evaluation": evaluation,
                }
            ],
        )
        self.assertFalse(mails, "nobody is e-mailed when the action worked")
        self.assertIn(evaluation, verification.message_ids[0].body)
        self.assertFalse(self._held(), "the collaborator is sampled as before")
        # idempotent: the next runs change nothing
        self._run_cron(saturday_after(FIRST_WEEK, 8))
        self.assertEqual((check.state, check.evaluation), ("effective", evaluation))

    def test_a_bad_week_reopens_the_evaluation_and_tells_the_process_manager(self):
        verification, check = self._report_and_resolve()
        self._weeks(FIRST_WEEK, [1])
        self._verified(in_week(FIRST_WEEK, 1), "not_confirmed")
        self._verified(in_week(FIRST_WEEK, 1, day=4))
        mails = self._run_cron(saturday_after(FIRST_WEEK, 2))
        self.assertRecordValues(
            check,
            [
                {
                    "state": "watch",
                    "watch_from": FIRST_WEEK + timedelta(weeks=2),
                    "bad_weeks": 1,
                    "clean_weeks": 0,
                }
            ],
        )
        self.assertIn(
            "Week from 11/14/2026 to 11/20/2026: 1 not-confirmed activities and 0 anomalies "
            "among 2 verified.",
            check.evaluation,
        )
        self.assertIn("5 clean weeks are counted again from 11/21/2026", check.evaluation)
        # the process manager is told: an e-mail and an activity on the verification
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.process_manager.partner_id)
        self.assertIn("Corrective action not effective: Arturo Asesor", mails.subject)
        self.assertIn("1 not-confirmed activities", mails.body_html)
        activity = verification.activity_ids.filtered(
            lambda a: a.activity_type_id == self.anomaly_type
        )
        self.assertEqual(activity.user_id, self.process_manager)
        self.assertEqual(activity.summary, "Corrective action not effective: Arturo Asesor")
        self.assertIn("has not proved effective", verification.message_ids[0].body)
        self.assertTrue(self._held())
        # the same run again tells nobody twice
        self.assertFalse(self._run_cron(saturday_after(FIRST_WEEK, 2)))
        # five clean weeks after the bad one prove it
        self._weeks(FIRST_WEEK + timedelta(weeks=2), [1, 1, 1, 1, 1])
        self._run_cron(saturday_after(FIRST_WEEK, 7))
        self.assertEqual(check.state, "effective")
        self.assertTrue(
            check.evaluation.startswith(
                "5 verified weeks without a not-confirmed activity: 5 activities, 5 confirmed"
            )
        )
        self.assertEqual(check.bad_weeks, 1)
        self.assertFalse(self._held())

    def test_the_hold_tightens_the_sampling_with_its_reason(self):
        """B-1: a collaborator at the reduced level is verified in full from the anomaly
        on, the sampling log says why, and the switching rules leave him there."""
        self.company_admin.verification_sampling = True
        self.advisor.verification_start_date = date(2025, 1, 6)
        self.advisor._set_verification_sampling_level("reduced", "set by the test")
        self.company_admin.verification_sampling_reduced_rate = 0
        verification = self._verified(ANOMALY_ON, False)
        self.assertEqual(verification.state, "not_sampled")
        with freeze_time(ANOMALY_ON):
            verification.with_user(self.verifier).action_force_verification()
            verification.with_user(self.verifier).action_report_anomaly("Visita inventada")
        log = self.env["crm.activity.verification.sampling.log"].search(
            [("user_id", "=", self.advisor.id)], order="id desc", limit=1
        )
        self.assertEqual(log.new_level, "tightened")
        self.assertIn(verification.display_name, log.reason)
        self.assertIn("every activity of the collaborator is verified", log.reason)
        drawn = self._verified(in_week(FIRST_WEEK), False)
        self.assertRecordValues(
            drawn, [{"state": "pending", "sampling_level": "tightened", "sampling_rate": 100}]
        )
        # ten clean weeks would relax him, but not while the check is open
        weeks = [FIRST_WEEK - timedelta(weeks=n) for n in range(11)]
        with freeze_time(in_week(FIRST_WEEK)):
            switch = self.advisor.sudo()._get_verification_sampling_switch(
                dict.fromkeys(weeks, False), weeks, FIRST_WEEK
            )
        self.assertEqual(switch, (False, False))

    def test_clean_weeks_setting(self):
        """The process manager sets the weeks in the procedure's settings; from 1 to 52."""
        Settings = self.env["crm.activity.verification.settings"].with_user(self.process_manager)
        settings = Settings.create({})
        self.assertEqual(settings.verification_capa_clean_weeks, 5)
        settings.verification_capa_clean_weeks = 8
        settings.action_save()
        self.assertEqual(self.company_admin.verification_capa_clean_weeks, 8)
        for weeks in (0, -1, 53):
            settings = Settings.create({"verification_capa_clean_weeks": weeks})
            with self.subTest(weeks=weeks), self.assertRaises(ValidationError) as caught:
                settings.action_save()
            self.assertIn("from 1 to 52", str(caught.exception))
            self.assertEqual(self.company_admin.verification_capa_clean_weeks, 8)

    def test_checks_are_read_by_role_and_written_by_the_flow_only(self):
        verification = self._verified(ANOMALY_ON, "not_confirmed")
        verification.with_user(self.verifier).action_report_anomaly("Visita inventada")
        check = self.Capa.search([("verification_id", "=", verification.id)])
        for user in (self.verifier, self.process_manager, self.manager_sales):
            self.assertEqual(self.Capa.with_user(user).search([]), check, user.name)
        self.assertFalse(self.Capa.with_user(self.manager_parts).search([]), "another team")
        self.assertFalse(self.Capa.with_user(self.verifier_c2).search([]), "another company")
        with self.assertRaises(AccessError):
            self.Capa.with_user(self.advisor).search([])
        for user in (self.verifier, self.process_manager):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                check.with_user(user).write({"state": "effective"})
            with self.assertRaises(AccessError):
                self.Capa.with_user(user).create(
                    {
                        "company_id": self.company_admin.id,
                        "verification_id": verification.id,
                        "user_id": self.advisor.id,
                    }
                )
        self.assertEqual(check.state, "action")
        # an anomaly of the quality app is not resolved on the verification
        with self.assertRaisesRegex(UserError, "not installed"):
            verification.with_user(self.process_manager).action_open_nonconformities()
