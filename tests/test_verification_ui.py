from datetime import date, datetime, time, timedelta

from odoo.tests import HttpCase, freeze_time, tagged

from .common import create_board_fixture, new_user


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        fixture = create_board_fixture(cls.env, prefix="tour")
        cls.verifier = fixture["verifier"]
        cls.verification = fixture["verification"]

    def test_verifier_logs_call_from_board(self):
        """The verifier confirms a visit from the board; the card changes column (R-2.3,
        R-2.5); she completes the customer (R-2.4), asks for a follow-up (R-2.6), records a
        complaint (R-2.8) and an anomaly (R-2.7)."""
        self.assertEqual(self.verification.state, "pending")
        self.start_tour(
            "/odoo/action-crm_activity_verification.crm_activity_verification_action_board",
            "crm_activity_verification_tour",
            login=self.verifier.login,
        )
        self.verification.invalidate_recordset()
        self.assertRecordValues(
            self.verification,
            [
                {
                    "state": "confirmed",
                    "call_count": 1,
                    "last_outcome": "confirmed",
                    "verifier_id": self.verifier.id,
                }
            ],
        )
        self.assertIn("línea LT", self.verification.result)
        # from the call dialog: the customer completed
        self.assertEqual(self.verification.partner_id.email, "compras@cucapah.example.com")
        # then, from the form: follow-up, complaint, anomaly
        self.assertEqual(self.verification.followup_state, "requested")
        self.assertIn("ficha técnica", self.verification.followup_note)
        self.assertEqual(len(self.verification.complaint_ids), 1)
        self.assertIn("dos semanas", self.verification.complaint_ids.description)
        self.assertTrue(self.verification.anomaly)
        self.assertIn("otro asesor", self.verification.anomaly_description)


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestPromoterWeekUi(HttpCase):
    """The promoter's way in to FRE-7.5-01 (R-1.3, R-1.5), clicked in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.promoter = new_user(
            cls.env,
            "tour_promoter",
            "Héctor Ríos (Refacciones)",
            verification_role="parts_promoter",
        )

    def _open_this_week(self, when):
        """Run the tour at ``when`` (UTC); return the report it opened."""
        Report = self.env["crm.activity.weekly.report"]
        before = Report.search([("user_id", "=", self.promoter.id)])
        with freeze_time(when, tick=True):
            self.start_tour(
                "/odoo", "crm_activity_verification_promoter_week_tour", login="tour_promoter"
            )
        return Report.search([("user_id", "=", self.promoter.id)]) - before

    def test_this_week_button_on_saturday_and_wednesday(self):
        # the coming Saturday (today when it is one), 09:00 in Tijuana, and the Wednesday after
        today = date.today()
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        on_saturday = datetime.combine(saturday, time(17, 0))
        # Saturday: the report of the week that ended the day before is due
        report = self._open_this_week(on_saturday)
        self.assertEqual(report.date_start, saturday - timedelta(days=7))
        self.assertEqual(report.state, "draft")
        # Wednesday: the week in progress, which started on that Saturday
        report = self._open_this_week(on_saturday + timedelta(days=4))
        self.assertEqual(report.date_start, saturday)


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestCallQueueUi(HttpCase):
    """B-2: the assistant works three calls in a row with "Next call"."""

    def test_three_calls_in_a_row(self):
        verifier = new_user(
            self.env, "queue_verifier", "Marisol Quintero (Atención a Clientes)", "verifier"
        )
        Verification = self.env["crm.activity.verification"]
        Verification.search([("state", "in", ("pending", "in_progress"))])._workflow().write(
            {"next_call_at": datetime(2100, 1, 1)}
        )
        now = datetime.now()
        queue = Verification
        for days_ago, name in (
            (3, "Fletes Cucapah"),
            (2, "Lácteos del Valle"),
            (1, "Materiales Rumorosa"),
        ):
            customer = self.env["res.partner"].create(
                {"name": name, "is_company": True, "phone": "+52 686 555 0123"}
            )
            queue |= Verification._workflow().create(
                {"partner_id": customer.id, "activity_date": now - timedelta(days=days_ago)}
            )
        self.start_tour(
            "/odoo/action-crm_activity_verification.crm_activity_verification_action_board",
            "crm_activity_verification_queue_tour",
            login="queue_verifier",
        )
        queue.invalidate_recordset()
        self.assertEqual(set(queue.mapped("state")), {"confirmed"})
        self.assertEqual(queue.verifier_id, verifier)
        self.assertEqual(queue.sorted("verified_on"), queue, "worked in the queue's order")
