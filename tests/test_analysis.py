import base64
import io
import json

from odoo.exceptions import UserError
from odoo.tests import tagged, users
from odoo.tools.translate import code_translations, extract_spreadsheet_terms

from .common import MODULE, VerificationCommon


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationAnalysis(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # re-browse as the test user: _verification_done returns them in the collaborator's env
        cls.ver_sales = cls._verification_done(cls.lead, cls.advisor).with_user(cls.env.user)
        cls.ver_sales.with_user(cls.verifier).action_log_call("confirmed", "Sí lo visitó")
        cls.ver_parts = cls._verification_done(cls.customer, cls.promoter).with_user(cls.env.user)
        cls.ver_parts.with_user(cls.verifier).action_log_call(
            "not_confirmed", "No recuerda la visita"
        )
        cls.ver_c2 = (
            cls.env["crm.activity.verification"]
            ._workflow()
            .create(
                {
                    "company_id": cls.company_2.id,
                    "user_id": cls.advisor_c2.id,
                    "activity_date": "2026-03-10 10:00:00",
                }
            )
        )
        cls.complaint = (
            cls.env["crm.activity.complaint"]
            ._workflow()
            .create({"verification_id": cls.ver_parts.id, "description": "Pieza equivocada"})
        )

    def _pivot(
        self, model="crm.activity.verification", groupby=("team_id",), aggregates=("__count",)
    ):
        """What the pivot/graph views and spreadsheet pivots read, as the current user."""
        return {
            group[0]: group[1:]
            for group in self.env[model]._read_group([], list(groupby), list(aggregates))
        }

    @users("gcom")
    def test_department_manager_sees_his_teams_only(self):
        groups = self._pivot(aggregates=("__count", "is_confirmed:sum", "is_concluded:sum"))
        self.assertEqual(set(groups), {self.team_sales}, "the parts team and company 2 are hidden")
        self.assertEqual(groups[self.team_sales], (1, 1, 1))
        self.assertFalse(
            self._pivot("crm.activity.complaint"), "the complaint is about the parts team"
        )

    @users("gref")
    def test_parts_manager_sees_complaints_of_his_team(self):
        self.assertEqual(set(self._pivot("crm.activity.complaint")), {self.team_parts})

    @users("rhp")
    def test_process_manager_sees_the_company(self):
        groups = self._pivot(aggregates=("__count", "is_not_confirmed:sum"))
        self.assertEqual(set(groups), {self.team_sales, self.team_parts}, "company 2 stays hidden")
        self.assertEqual(groups[self.team_parts], (1, 1))

    def test_measures_and_opportunity_outcome(self):
        self.assertEqual(self.ver_sales.lead_outcome, "open")
        self.assertFalse(
            self.ver_parts.lead_outcome, "an activity on a customer has no opportunity"
        )
        self.lead.action_set_won()
        self.assertEqual(self.ver_sales.lead_outcome, "won")
        self.assertEqual(
            (
                self.ver_sales.is_concluded,
                self.ver_sales.is_confirmed,
                self.ver_sales.confirmation_rate,
            ),
            (1, 1, 100.0),
        )
        self.assertGreaterEqual(self.ver_sales.verify_hours, 0.0)
        groups = self._pivot(groupby=("lead_outcome",), aggregates=("is_concluded:sum",))
        self.assertEqual(groups["won"], (1,))

    def test_followup_punctuality(self):
        self.ver_sales._workflow().write(
            {"followup_state": "overdue", "followup_deadline": "2026-01-05"}
        )
        self.assertEqual((self.ver_sales.followup_late, self.ver_sales.followup_on_time), (1, 0))
        self.ver_sales._workflow().write(
            {"followup_state": "done", "followup_done_on": "2026-01-05 12:00:00"}
        )
        self.assertEqual((self.ver_sales.followup_late, self.ver_sales.followup_on_time), (0, 1))

    def test_sale_traceability_is_soft(self):
        self.assertEqual(self.ver_sales.lead_sale_count, 0)
        action = self.ver_sales.action_open_lead()
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.lead", self.lead.id))
        if "order_ids" not in self.env["crm.lead"]._fields:
            with self.assertRaises(UserError):
                self.ver_parts.action_view_lead_sales()

    def test_sale_traceability_with_sale_crm(self):
        """With Sales (sale_crm): the opportunity's quotations are counted on its
        verification and opened from it. scripts/test installs sale_crm in the tests'
        database, so this runs in CI; it skips only where sale_crm is absent."""
        if "order_ids" not in self.env["crm.lead"]._fields:
            self.skipTest("sale_crm is not installed in this database")
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "opportunity_id": self.lead.id}
        )
        self.env.invalidate_all()
        self.assertEqual(self.ver_sales.lead_sale_count, 1)
        self.assertEqual(self.ver_parts.lead_sale_count, 0, "no opportunity, no quotation")
        action = self.ver_sales.with_user(self.manager_sales).action_view_lead_sales()
        self.assertEqual(action["res_model"], "sale.order")
        self.assertIn(order, self.env["sale.order"].search(action["domain"]))
        with self.assertRaises(UserError):
            self.ver_parts.action_view_lead_sales()

    @users("gcom")
    def test_dashboard_pivots_scoped(self):
        """The spreadsheet dashboard ships pivots over fields that exist; run as a manager
        they return his teams only (spreadsheet pivots read through the ORM)."""
        dashboard = self.env.ref(
            "crm_activity_verification.spreadsheet_dashboard_verification"
        ).sudo()
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        Verification = self.env["crm.activity.verification"]
        for pivot in data["pivots"].values():
            self.assertEqual(pivot["model"], Verification._name)
            aggregates = [
                f"{m['fieldName']}:{m['aggregator']}" if m["fieldName"] != "__count" else "__count"
                for m in pivot["measures"]
            ]
            groupby = [row["fieldName"] for row in pivot["rows"]]
            groups = Verification.formatted_read_group(pivot["domain"], groupby, aggregates)
            if groupby:
                teams = {group["team_id"][0] for group in groups}
                if pivot["domain"]:  # e.g. the rated verifications only: none here
                    self.assertLessEqual(teams, {self.team_sales.id})
                else:
                    self.assertEqual(teams, {self.team_sales.id})
        self.assertIn(self.env.ref("crm_activity_verification.group_manager"), dashboard.group_ids)

    def test_dashboard_texts_are_translated_and_pivot_titles_hidden(self):
        """Every text a manager reads on the dashboard goes through ``_t`` and has its
        Spanish term; the pivots' own titles and measure names, which Odoo does not
        translate, are not shown (the tables carry translated headers)."""
        dashboard = self.env.ref("crm_activity_verification.spreadsheet_dashboard_verification")
        raw = base64.b64decode(dashboard.spreadsheet_binary_data)
        terms = {
            term for __, __, term, __ in extract_spreadsheet_terms(io.BytesIO(raw), [], [], {})
        }
        spanish = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations(MODULE, "es_MX")["messages"]
        }
        self.assertIn("Per collaborator", terms)
        self.assertEqual(spanish["Per collaborator"], "Por colaborador")
        self.assertEqual(spanish["Concluded on time"], "Concluidas a tiempo")
        self.assertEqual(sorted(terms - set(spanish)), [], "every text has its Spanish term")
        data = json.loads(raw)
        for sheet in data["sheets"]:
            for cell, content in sheet["cells"].items():
                self.assertTrue(
                    not content or content.startswith("="),
                    f"{sheet['name']}!{cell}: a literal text is never translated",
                )
                if content.startswith("=PIVOT("):
                    self.assertRegex(content, r",FALSE,,FALSE\)$", "no untranslated titles")
