from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import VerificationCommon


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationDigestKpi(VerificationCommon):
    """The KPIs of Odoo's periodic digest, per company, on a known data set (mirrors
    odoo's digest TestDigestCommon: a digest per company, a period around now)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        recent = now - timedelta(hours=3)  # inside "Last 24 hours" whatever the company's timezone
        today = fields.Date.context_today(cls.env["crm.activity.verification"])
        context = {
            "start_datetime": now - relativedelta(days=1),
            "end_datetime": now + relativedelta(days=1),
        }
        cls.digest_1, cls.digest_2 = (
            cls.env["digest.digest"]
            .with_context(**context)
            .create(
                [
                    {"name": "Digest company 1", "company_id": cls.company_admin.id},
                    {"name": "Digest company 2", "company_id": cls.company_2.id},
                ]
            )
        )

        def verification(state, verified_on=recent, company=None, **values):
            # the internal workflow path: verifications are created only by the procedure
            return (
                cls.env["crm.activity.verification"]
                ._workflow()
                .create(
                    {
                        "company_id": (company or cls.company_admin).id,
                        "user_id": cls.advisor.id,
                        "team_id": cls.team_sales.id if not company else False,
                        "activity_date": verified_on - timedelta(hours=5),
                        "state": state,
                        "verified_on": verified_on,
                        **values,
                    }
                )
            )

        # company 1: 3 concluded today (2 confirmed), 1 confirmed long ago, 1 pending
        confirmed = verification("confirmed")
        verification("confirmed")
        verification("not_confirmed")
        verification("confirmed", verified_on=now - timedelta(days=10))
        verification("pending")
        # follow-ups: 1 overdue, 1 not due yet, 1 done late but done now (not overdue)
        verification(
            "confirmed",
            verified_on=now - timedelta(days=10),
            followup_state="overdue",
            followup_deadline=today - timedelta(days=3),
        )
        verification(
            "confirmed",
            verified_on=now - timedelta(days=10),
            followup_state="requested",
            followup_deadline=today + timedelta(days=3),
        )
        verification(
            "confirmed",
            verified_on=now - timedelta(days=10),
            followup_state="done",
            followup_deadline=today - timedelta(days=3),
            followup_done_on=now - timedelta(hours=1),
        )
        # company 2: 1 confirmed
        verification("confirmed", company=cls.company_2, user_id=cls.advisor_c2.id)
        cls.env["crm.activity.complaint"]._workflow().create(
            [
                {
                    "verification_id": confirmed.id,
                    "description": "Unidad con fallas",
                    "company_id": cls.company_admin.id,
                },
                {"description": "Mala atención", "company_id": cls.company_admin.id},
                {"description": "Retraso", "company_id": cls.company_2.id},
            ]
        )

    def test_kpi_values_per_company(self):
        self.assertEqual(self.digest_1.kpi_verification_done_value, 3)
        self.assertAlmostEqual(self.digest_1.kpi_verification_confirmed_rate_value, 66.67, places=2)
        self.assertEqual(self.digest_1.kpi_verification_followup_overdue_value, 1)
        self.assertEqual(self.digest_1.kpi_verification_complaint_value, 2)
        self.assertEqual(
            self.digest_2.kpi_verification_done_value, 1, "company 2 counts its own only"
        )
        self.assertEqual(self.digest_2.kpi_verification_confirmed_rate_value, 100.0)
        self.assertEqual(self.digest_2.kpi_verification_followup_overdue_value, 0)
        self.assertEqual(self.digest_2.kpi_verification_complaint_value, 1)

    def test_default_digest_mails_the_kpis(self):
        """Odoo's default digest, as installed, puts the verification KPIs in a manager's
        mail (not only their switches: the figures it computes for him)."""
        default = self.env.ref("digest.digest_digest_default")
        kpis = {
            kpi["kpi_name"]: kpi["kpi_col3"]["value"]
            for kpi in default._compute_kpis(self.company_admin, self.process_manager)
        }
        for name in (
            "kpi_verification_done",
            "kpi_verification_confirmed_rate",
            "kpi_verification_followup_overdue",
            "kpi_verification_complaint",
        ):
            self.assertIn(name, kpis)
        self.assertEqual(kpis["kpi_verification_done"], 7, "column “Last 30 days”")

    def test_kpis_in_mail_per_user(self):
        self.digest_1.write(
            {
                "kpi_verification_done": True,
                "kpi_verification_confirmed_rate": True,
                "kpi_verification_followup_overdue": True,
                "kpi_verification_complaint": True,
            }
        )
        kpis = {
            kpi["kpi_name"]: kpi
            for kpi in self.digest_1._compute_kpis(self.company_admin, self.process_manager)
        }
        self.assertEqual(
            kpis["kpi_verification_done"]["kpi_col1"]["value"], 3, "column “Last 24 hours”"
        )
        self.assertEqual(
            kpis["kpi_verification_done"]["kpi_col3"]["value"], 7, "column “Last 30 days”"
        )
        self.assertTrue(
            kpis["kpi_verification_done"]["kpi_action"].startswith("crm_activity_verification.")
        )
        # collaborators are outside the procedure's management: the KPIs are left out
        kpis = self.digest_1._compute_kpis(self.company_admin, self.advisor)
        self.assertFalse([kpi for kpi in kpis if kpi["kpi_name"].startswith("kpi_verification")])
