from odoo.tests import TransactionCase, loaded_demo_data, tagged

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
