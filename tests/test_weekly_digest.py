import json
from datetime import datetime

from odoo.fields import Command
from odoo.tests import freeze_time, tagged
from odoo.tools import file_open

from .common import VerificationCommon, new_user

# Saturday 14 March 2026, afternoon: the digest covers Saturday 7 to Friday 13 March.
NOW = datetime(2026, 3, 14, 20, 0)
IN_WEEK = datetime(2026, 3, 10, 18, 0)
BEFORE_WEEK = datetime(2026, 3, 2, 18, 0)


@tagged("post_install", "-at_install", "crm_activity_verification")
@freeze_time(NOW)
class TestWeeklyDigest(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Digest = cls.env["crm.activity.verification.digest"]
        # a verification lives in the team it was recorded for: sales, parts, company 2
        cls.ver_sales = cls._create_verification(cls.advisor, cls.team_sales, "confirmed")
        cls._create_verification(cls.advisor, cls.team_sales, "not_confirmed")
        cls._create_verification(cls.advisor_2, cls.team_sales, "pending")
        cls._create_verification(
            cls.advisor_2, cls.team_sales, "confirmed", activity_date=BEFORE_WEEK
        )
        cls.ver_parts = cls._create_verification(cls.promoter, cls.team_parts, "unreachable")
        cls.ver_parts._workflow().write(
            {"anomaly": True, "anomaly_description": "Cliente inexistente en Tecate"}
        )
        cls.env["crm.activity.complaint"]._workflow().create(
            {
                "verification_id": cls.ver_sales.id,
                "partner_id": cls.customer.id,
                "description": "Entrega tardía de la unidad",
                "date": IN_WEEK,
            }
        )
        cls._create_verification(
            cls.advisor_c2, cls.env["crm.team"], "confirmed", company=cls.company_2
        )

    @classmethod
    def _create_verification(cls, user, team, state, activity_date=IN_WEEK, company=None):
        concluded = state in ("confirmed", "not_confirmed", "unreachable")
        # the internal workflow path: verifications are created only by the procedure
        return (
            cls.env["crm.activity.verification"]
            ._workflow()
            .create(
                {
                    "company_id": (company or cls.company_admin).id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "partner_id": cls.customer.id if not company else False,
                    "activity_date": activity_date,
                    "state": state,
                    "verified_on": activity_date.replace(hour=22) if concluded else False,
                }
            )
        )

    def _send_digest(self):
        with self.mock_mail_gateway():
            self.Digest._cron_send_weekly_digest()
        return {mail.recipient_ids: mail for mail in self._new_mails}

    def _mail_of(self, mails, user):
        self.assertIn(user.partner_id, mails, f"{user.name} must receive the weekly digest")
        return mails[user.partner_id]

    def test_recipients_and_content_per_manager(self):
        mails = self._send_digest()
        sales = self._mail_of(mails, self.manager_sales).body_html
        parts = self._mail_of(mails, self.manager_parts).body_html
        company = self._mail_of(mails, self.process_manager).body_html
        for user in (self.advisor, self.advisor_c2, self.promoter, self.verifier):
            self.assertNotIn(user.partner_id, mails, "collaborators and verifiers get no digest")
        # the sales manager: his team only, with its figures and complaint
        self.assertIn("Arturo Asesor", sales)
        self.assertIn("Beatriz Asesora", sales, "a collaborator without activity is listed too")
        self.assertIn("Ventas Camiones", sales)
        self.assertIn("Entrega tardía de la unidad", sales)
        self.assertIn(f"/odoo/crm.activity.complaint/{self.ver_sales.complaint_ids.id}", sales)
        self.assertIn("50 %", sales, "1 confirmed of 2 verified in the week")
        for foreign in ("Pablo Promotor", "Refacciones", "Cliente inexistente", "Carlos Segundo"):
            self.assertNotIn(foreign, sales)
        # the parts manager: his promoter, the anomaly, the missing weekly report
        self.assertIn("Pablo Promotor", parts)
        self.assertIn("Cliente inexistente en Tecate", parts)
        self.assertIn(f"/odoo/crm.activity.verification/{self.ver_parts.id}", parts)
        for foreign in ("Arturo Asesor", "Entrega tardía", "Carlos Segundo"):
            self.assertNotIn(foreign, parts)
        # the HR & process manager: the whole company, never company 2
        for name in ("Arturo Asesor", "Pablo Promotor", "Entrega tardía", "Cliente inexistente"):
            self.assertIn(name, company)
        self.assertNotIn("Carlos Segundo", company)
        self.assertIn("whole company", company)

    def test_figures_per_collaborator(self):
        periods = self.Digest._get_digest_periods(self.company_admin)
        period = periods[self.company_admin]
        self.assertEqual(
            (period["date_from"].isoformat(), period["date_to"].isoformat()),
            ("2026-03-07", "2026-03-13"),
        )
        stats = self.Digest._get_digest_stats(periods)
        advisor = stats[self.company_admin, self.team_sales, self.advisor]
        self.assertEqual(
            (
                advisor["recorded"],
                advisor["verified"],
                advisor["confirmed"],
                advisor["not_confirmed"],
            ),
            (2, 2, 1, 1),
        )
        # B-1/B-2: coverage, on-time rate and time to verify per collaborator
        self.assertEqual((advisor["drawn"], advisor["on_time"]), (2, 2))
        self.assertEqual(
            self.Digest._get_digest_rates(advisor),
            {"rate": 50, "on_time_rate": 100, "avg_hours": 4.0, "link_rate": 0, "csat": None},
            "verified 4 hours after the activity, within the deadline",
        )
        advisor_2 = stats[self.company_admin, self.team_sales, self.advisor_2]
        self.assertEqual(
            (advisor_2["recorded"], advisor_2["verified"]),
            (1, 0),
            "last week's activity is not counted",
        )
        promoter = stats[self.company_admin, self.team_parts, self.promoter]
        self.assertEqual(
            (promoter["unreachable"], promoter["late_reports"]),
            (1, 1),
            "no FRE-7.5-01 for the week",
        )
        self.assertEqual(
            advisor["late_reports"], 0, "sales advisors record in the CRM, no weekly report"
        )

    def test_week_in_the_company_time_zone(self):
        """The digest counts the procedure's week (Saturday to Friday) in the company's time
        zone (its working-time calendar), the zone of the board's week filters for its staff,
        even when a recipient's own zone differs (issue 14)."""
        self.company_admin.resource_calendar_id.tz = "America/Tijuana"
        (self.manager_sales | self.process_manager).tz = "Europe/Madrid"
        # Friday 13 March 23:30 in Mexicali (UTC-7 since DST began on 8 March) is
        # already Saturday in UTC and in Madrid
        friday_night = datetime(2026, 3, 14, 6, 30)
        self._create_verification(self.advisor, self.team_sales, "pending", friday_night)
        # Saturday 14 March 00:30 in Mexicali: the next week
        self._create_verification(
            self.advisor, self.team_sales, "pending", datetime(2026, 3, 14, 7, 30)
        )
        periods = self.Digest._get_digest_periods(self.company_admin)
        self.assertEqual(
            (periods[self.company_admin]["start"], periods[self.company_admin]["end"]),
            (datetime(2026, 3, 7, 8, 0), datetime(2026, 3, 14, 7, 0)),
            "Saturday 00:00 to Saturday 00:00 in Mexicali",
        )
        stats = self.Digest._get_digest_stats(periods)
        advisor = stats[self.company_admin, self.team_sales, self.advisor]
        self.assertEqual(
            advisor["recorded"], 3, "the week's two visits and the Friday-night one, not Saturday's"
        )

    def test_recipient_language(self):
        self.env["res.lang"]._activate_lang("es_MX")
        self.manager_parts.lang = "es_MX"
        mails = self._send_digest()
        self.assertIn("07/03/2026", self._mail_of(mails, self.manager_parts).subject)
        self.assertIn("03/07/2026", self._mail_of(mails, self.manager_sales).subject)

    def test_no_leader_no_mail_and_idle_cron(self):
        self.team_parts.user_id = False
        mails = self._send_digest()
        self.assertNotIn(self.manager_parts.partner_id, mails)
        self.assertIn("Pablo Promotor", self._mail_of(mails, self.process_manager).body_html)

    # ------------------------------------------------------------------
    # Queries: constant in the number of teams and collaborators
    # ------------------------------------------------------------------
    def _add_teams(self, count, first=0):
        """``count`` teams, each with its leader, one advisor and one verification."""
        numbers = range(first, first + count)
        managers = self.env["res.users"].union(
            *(new_user(self.env, f"mgr{n}", f"Manager {n}", "manager") for n in numbers)
        )
        advisors = self.env["res.users"].union(
            *(
                new_user(self.env, f"adv{n}", f"Advisor {n}", verification_role="sales_advisor")
                for n in numbers
            )
        )
        teams = self.env["crm.team"].create(
            [
                {
                    "name": f"Team {first + n}",
                    "user_id": manager.id,
                    "member_ids": [Command.set(advisor.ids)],
                }
                for n, (manager, advisor) in enumerate(zip(managers, advisors, strict=True))
            ]
        )
        for advisor, team in zip(advisors, teams, strict=True):
            self._create_verification(advisor, team, "confirmed")
        self.env.flush_all()
        return managers

    def _digest_queries(self):
        """Queries of one digest run, after a first run has warmed the caches (access
        rules, groups) that creating users and teams has just cleared."""
        periods = self.Digest._get_digest_periods(self.env["res.company"].search([]))
        counts = []
        for _run in range(2):
            self.env.invalidate_all()
            with self.mock_mail_gateway():
                start = self.cr.sql_log_count
                self.Digest._send_digests(self.Digest._prepare_digests(periods))
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
        return counts[-1], self._new_mails

    def test_queries_constant_per_recipient(self):
        """Each recipient's figures are read as him (the record rules decide): the same
        few queries for each added department manager, measured against the same run with
        one team less, whatever the number of teams and collaborators."""
        managers = self._add_teams(2)
        queries_2, _mails = self._digest_queries()
        managers |= self._add_teams(1, first=2)
        queries_3, _mails = self._digest_queries()
        managers |= self._add_teams(17, first=3)
        queries_20, mails = self._digest_queries()
        per_recipient = queries_3 - queries_2
        self.assertEqual(queries_20 - queries_3, 17 * per_recipient)
        self.assertLessEqual(per_recipient, 15, "a handful of grouped reads per recipient")
        self.assertEqual(len(mails.filtered(lambda m: m.recipient_ids & managers.partner_id)), 20)

    def test_manager_reads_his_own_verifications_as_the_rules_allow(self):
        """A department manager who records activities in another leader's team sees them
        in his digest: ``user_id = user`` of the managers' record rule (no Python copy)."""
        self.manager_sales.verification_role = "sales_advisor"
        self._create_verification(self.manager_sales, self.team_parts, "confirmed")
        mails = self._send_digest()
        sales = self._mail_of(mails, self.manager_sales).body_html
        self.assertIn("Refacciones", sales, "his own activity, in the parts team")
        self.assertNotIn("Pablo Promotor", sales, "not the rest of the parts team")

    # ------------------------------------------------------------------
    # The dashboard reads its pivots through grouped reads: same count at 2 and 20 teams
    # ------------------------------------------------------------------
    def _dashboard_queries(self, user):
        """Run the grouped reads of the shipped dashboard's pivots as ``user``."""
        dashboard = json.loads(
            file_open("crm_activity_verification/data/files/verification_dashboard.json").read()
        )
        Verification = self.env["crm.activity.verification"].with_user(user)
        domain = [("activity_date", ">=", IN_WEEK.replace(day=7)), ("activity_date", "<", NOW)]
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        rows = []
        for pivot in dashboard["pivots"].values():
            aggregates = [
                f"{m['fieldName']}:{m['aggregator']}"
                for m in pivot["measures"]
                if m["fieldName"] != "__count"
            ] + ["__count"]
            groupby = [row["fieldName"] for row in pivot["rows"]]
            rows.append(Verification.formatted_read_group(domain, groupby, aggregates))
        return self.cr.sql_log_count - start, rows

    def test_dashboard_queries_do_not_grow_with_teams(self):
        # each count is taken after a first run has warmed the caches (access rules,
        # groups) that creating users and teams has just cleared
        self._add_teams(2)
        self._dashboard_queries(self.process_manager)
        queries_2, _rows = self._dashboard_queries(self.process_manager)
        self._add_teams(18, first=2)
        self._dashboard_queries(self.process_manager)
        queries_20, rows = self._dashboard_queries(self.process_manager)
        self.assertEqual(queries_20, queries_2)
        # the per-collaborator pivot lists the 20 new teams and the fixture's teams
        self.assertGreaterEqual(len(rows[-1]), 20)

    # ------------------------------------------------------------------
    # Readable (issue 22, items 13 and 14): the e-mail fits its 680 px layout and names
    # its week by its days; the department manager reads it, and a preview of the week
    # in progress, in Odoo. Its width in a browser: TestDepartmentManagerTour.
    # ------------------------------------------------------------------
    def _in_spanish(self, user):
        self.env["res.lang"]._activate_lang("es_MX")
        self.env["ir.module.module"]._load_module_terms(["crm_activity_verification"], ["es_MX"])
        user.lang = "es_MX"

    def test_few_columns_and_the_week_by_its_days(self):
        self._in_spanish(self.manager_sales)
        mails = self._send_digest()
        mail = self._mail_of(mails, self.manager_sales)
        body = mail.body_html
        table = body[body.index("Ventas Camiones") :]
        table = table[: table.index("</table>")]
        headers = [cell.split(">", 1)[1].split("<")[0] for cell in table.split("<th")[1:]]
        self.assertEqual(
            headers,
            [
                "Colaborador",
                "Registradas",
                "Tasa de confirmación",
                "No confirmadas",
                "Seguimientos vencidos",
            ],
        )
        self.assertIn("sábado, 7 de marzo de 2026", body)
        self.assertIn("viernes, 13 de marzo de 2026", body)
        self.assertNotIn("semana pasada", body)
        self.assertIn(
            "/odoo/action-crm_activity_verification.crm_activity_verification_action_analysis",
            body,
        )
        self.assertEqual(mail.email_to or mail.recipient_ids.email, self.manager_sales.email)

    def test_manager_reads_his_digest_and_a_preview_in_odoo(self):
        self._in_spanish(self.manager_sales)
        Preview = self.env["crm.activity.verification.digest.preview"].with_user(self.manager_sales)
        with self.mock_mail_gateway():
            preview = Preview.create({})
        self.assertFalse(self._new_mails, "reading it sends nothing")
        self.assertIn("Ventas Camiones", preview.body)
        self.assertIn("sábado, 7 de marzo de 2026", preview.body)
        self.assertNotIn("Refacciones", preview.body, "his department only")
        preview.week = "current"
        self.assertIn("Esta semana hasta ahora", preview.body)
        self.assertIn("sábado, 14 de marzo de 2026", preview.body)
        # a manager who leads no department yet gets no digest, and is told why
        newcomer = new_user(self.env, "gnuevo", "Gerente Nuevo", "manager")
        self.assertIn("you are neither", Preview.with_user(newcomer).create({}).body)
