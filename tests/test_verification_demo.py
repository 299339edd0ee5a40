import re

from odoo.tests import TransactionCase, loaded_demo_data, tagged
from odoo.tools import file_open

MODULE = "crm_activity_verification"
STATES = {"pending", "in_progress", "confirmed", "not_confirmed", "unreachable"}


@tagged("post_install", "-at_install", MODULE)
class TestVerificationDemo(TransactionCase):
    """The demo dealership opens on a live board (runs only with demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.verifier = cls.env.ref(f"{MODULE}.user_demo_verifier", raise_if_not_found=False)

    def setUp(self):
        super().setUp()
        if not loaded_demo_data(self.env) or not self.verifier:
            self.skipTest("the addon's demo data is not loaded")

    def _demo_domain(self):
        collaborators = [
            self.env.ref(f"{MODULE}.{xmlid}").id
            for xmlid in (
                "user_demo_sales_advisor_1",
                "user_demo_sales_advisor_2",
                "user_demo_parts_promoter",
                "user_demo_maintenance_advisor",
            )
        ]
        return [("user_id", "in", collaborators)]

    def _demo_verifications(self):
        Verification = self.env["crm.activity.verification"].with_user(self.verifier)
        return Verification.search(self._demo_domain())

    def test_board_has_a_column_of_cards_per_state(self):
        Verification = self.env["crm.activity.verification"].with_user(self.verifier)
        groups = dict(Verification._read_group(self._demo_domain(), ["state"], ["__count"]))
        self.assertEqual(
            self.verifier.action_id.id,
            self.env.ref(f"{MODULE}.crm_activity_verification_action_board").id,
            "the assistant's day starts on the board",
        )
        self.assertEqual(set(groups), STATES, "the verifier sees a card in every column")
        self.assertTrue(all(count > 0 for count in groups.values()))

    def test_each_role_lands_on_its_work(self):
        """After login, each demo role opens its own work, not Discuss."""
        landing = {
            "user_demo_verifier": f"{MODULE}.crm_activity_verification_action_board",
            "user_demo_process_manager": f"{MODULE}.crm_activity_verification_action_board",
            "user_demo_manager_sales": "spreadsheet_dashboard.ir_actions_dashboard_action",
            "user_demo_sales_advisor_1": "crm.crm_lead_action_pipeline",
            "user_demo_parts_promoter": f"{MODULE}.crm_activity_weekly_report_action_my",
            "user_demo_maintenance_advisor": f"{MODULE}.crm_activity_weekly_report_action_my",
        }
        for user, action in landing.items():
            with self.subTest(user=user):
                self.assertEqual(
                    self.env.ref(f"{MODULE}.{user}").action_id.id, self.env.ref(action).id
                )

    def test_demo_verifications_tell_the_procedure(self):
        verifications = self._demo_verifications()
        by_state = {
            state: verifications.filtered(lambda v, s=state: v.state == s) for state in STATES
        }
        # the three departments are represented
        self.assertEqual(
            verifications.team_id,
            self.env.ref(f"{MODULE}.crm_team_demo_sales")
            | self.env.ref(f"{MODULE}.crm_team_demo_parts")
            | self.env.ref(f"{MODULE}.crm_team_demo_service"),
        )
        # pending ones wait for their first call, concluded ones have a result by the verifier
        self.assertFalse(by_state["pending"].call_ids)
        concluded = by_state["confirmed"] | by_state["not_confirmed"] | by_state["unreachable"]
        self.assertEqual(concluded.verifier_id, self.verifier)
        self.assertTrue(all(concluded.mapped("result")))
        # unreachable: the company's attempt limit was reached
        max_attempts = self.env.company.verification_max_attempts
        self.assertTrue(all(v.call_count >= max_attempts for v in by_state["unreachable"]))
        # a customer without phone: the collaborator was asked for it
        no_phone = by_state["in_progress"].filtered(lambda v: not v.phone)
        self.assertTrue(no_phone)
        self.assertEqual(
            no_phone.activity_ids.activity_type_id,
            self.env.ref(f"{MODULE}.mail_activity_type_phone_request"),
        )
        self.assertEqual(no_phone.activity_ids.user_id, no_phone.user_id)
        # a reported contact who is not a customer yet
        self.assertTrue(verifications.filtered(lambda v: not v.partner_id and v.lead_id))
        # the process manager is configured on the company
        self.assertEqual(
            self.env.company.verification_process_manager_id,
            self.env.ref(f"{MODULE}.user_demo_process_manager"),
        )

    def test_demo_is_the_dealership_in_spanish(self):
        """The demo database is a truck dealership, in Spanish only (issue 14)."""
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Camiones del Noroeste")
        self.assertTrue(company.logo, "the PDF shows the dealership's logo, not a placeholder")
        self.assertEqual(company.resource_calendar_id.tz, "America/Tijuana")
        self.assertEqual(
            company._get_company_tz().zone,
            "America/Tijuana",
            "the weeks of the digest follow the dealership's time zone",
        )
        # the pipeline holds only the dealership's opportunities
        leads = self.env["crm.lead"].with_context(active_test=False).search([])
        self.assertTrue(leads)
        self.assertEqual(
            set(leads.team_id.mapped(lambda team: team.get_external_id()[team.id])),
            {f"{MODULE}.crm_team_demo_sales"},
        )
        # teams the users see have distinct names
        names = self.env["crm.team"].search([]).mapped("name")
        self.assertEqual(len(names), len(set(names)), names)
        # what the demo wrote at install reads in Spanish
        verifications = self._demo_verifications()
        bodies = " ".join(verifications.message_ids.mapped("body"))
        for english in ("Created from the activity", "Call 1:", "Phone number of", "Confirmed by"):
            self.assertNotIn(english, bodies)
        self.assertIn("Creada a partir de la actividad", bodies)
        results = " ".join(filter(None, verifications.mapped("result")))
        self.assertNotIn("Not confirmed", results)
        summaries = verifications.activity_ids.mapped("summary")
        self.assertFalse([s for s in summaries if s and s.startswith("Phone number of")])

    def test_readme_roles_table(self):
        """The README's table of demo logins says what each demo user can do: the menus
        its row names are the ones he sees, and the rights it gives are his (issue 22)."""
        with file_open(f"{MODULE}/README.md") as readme:
            rows = {
                match.group(1): line
                for line in readme.read().splitlines()
                if (match := re.match(r"\| `(demo\.[a-z0-9]+)` \|", line))
            }
        sales = ["crm.crm_menu_root"]
        reports = [f"{MODULE}.crm_activity_weekly_report_menu_my"]
        manager = [
            "spreadsheet_dashboard.spreadsheet_dashboard_menu_root",
            f"{MODULE}.crm_activity_verification_menu_analysis",
            f"{MODULE}.crm_activity_verification_menu_digest_preview",
            f"{MODULE}.crm_activity_verification_menu_evidence",
            f"{MODULE}.crm_activity_verification_menu_evidence_request",
        ]
        menus = {
            "demo.atencion": [f"{MODULE}.crm_activity_verification_menu_board"],
            "demo.asesor1": sales,
            "demo.asesor2": sales,
            "demo.promotor": reports,
            "demo.mantenimiento": reports,
            "demo.ventas": manager,
            "demo.refacciones": manager,
            "demo.servicio": manager,
            "demo.rhp": [
                f"{MODULE}.crm_activity_verification_menu_all",
                f"{MODULE}.crm_activity_verification_menu_procedure_settings",
                f"{MODULE}.crm_activity_verification_menu_evidence",
            ],
        }
        self.assertEqual(set(rows), set(menus), "one row per demo login")
        Users = self.env["res.users"].with_context(active_test=False)
        for login, xmlids in menus.items():
            user = Users.search([("login", "=", login)])
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for xmlid in xmlids:
                menu = self.env.ref(xmlid)
                with self.subTest(login=login, menu=xmlid):
                    self.assertIn(menu.id, visible, f"{login} sees {menu.complete_name}")
                    if "the same" not in rows[login]:
                        name = menu.with_context(lang="en_US").name
                        self.assertIn(name, rows[login], f"the README names {name}")
        # the rights each row gives
        rhp = Users.search([("login", "=", "demo.rhp")])
        self.assertFalse(rhp.has_group("base.group_system"), "no administrator")
        settings = self.env["crm.activity.verification.settings"].with_user(rhp).create({})
        settings.verification_customer_link = True
        settings.action_save()
        self.assertTrue(rhp.company_id.verification_customer_link, "she switches the link on")
        promoter = Users.search([("login", "=", "demo.promotor")])
        action = (
            self.env["crm.activity.weekly.report"].with_user(promoter).action_open_current_week()
        )
        self.assertEqual(
            self.env["crm.activity.weekly.report"].browse(action["res_id"]).user_id, promoter
        )
        ventas = Users.search([("login", "=", "demo.ventas")])
        Digest = self.env["crm.activity.verification.digest"]
        self.assertTrue(Digest.with_user(ventas)._render_digest_preview(ventas))
        atencion = Users.search([("login", "=", "demo.atencion")])
        self.assertIn(
            self.env["crm.activity.verification"].with_user(atencion).action_next_call()["type"],
            ("ir.actions.act_window", "ir.actions.client"),
        )
