"""One confirmation rate and one satisfaction scale (issue 22, items 7 and 8): the same
records give the same figure through every screen and printout that shows it."""

import json
from datetime import date, datetime, timedelta

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import file_open

from .common import MODULE, VerificationCommon, WebClientMixin

# Thursday 2026-11-26 10:00 in Tijuana: the week of Saturday 21 to Friday 27 November
NOW = datetime(2026, 11, 26, 18, 0)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestOneConfirmationRate(WebClientMixin, HttpCase, VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        verifier = cls.verifier
        # 3 confirmed, 1 not confirmed, 1 unreachable: 3 ÷ 5 = 60 %; and what must not
        # count: 2 still to verify, 1 not drawn for a call
        cls.verifications = cls.Verification
        for outcome, csat in (
            ("confirmed", 5),
            ("confirmed", 5),
            ("confirmed", 3),
            ("not_confirmed", 1),
        ):
            verification = cls._verification_done()
            verification.with_user(verifier).action_log_call(outcome, csat=csat)
            cls.verifications |= verification
        unreachable = cls._verification_done()
        for _attempt in range(3):
            unreachable.with_user(verifier).action_log_call("no_answer")
        cls.verifications |= unreachable | cls._verification_done() | cls._verification_done()
        not_drawn = cls._verification_done()
        not_drawn.sudo()._workflow().write({"state": "not_sampled"})
        cls.verifications |= not_drawn
        cls.env.flush_all()

    def test_the_same_rate_everywhere(self):
        self.assertEqual(
            sorted(self.verifications.mapped("state")),
            ["confirmed"] * 3
            + ["not_confirmed", "not_sampled", "pending", "pending", "unreachable"],
        )
        self._as(self.manager_sales)
        # the analysis pivot (and the dashboard's pivots): the web client's grouped read
        groups, error = self._rpc(
            "/web/dataset/call_kw/crm.activity.verification/formatted_read_group",
            {
                "model": "crm.activity.verification",
                "method": "formatted_read_group",
                "args": [],
                "kwargs": {
                    "domain": [],
                    "groupby": ["team_id"],
                    "aggregates": ["confirmation_rate:avg", "is_confirmed:sum", "__count"],
                },
            },
        )
        self.assertFalse(error)
        [group] = groups
        self.assertEqual(group["__count"], 8)
        self.assertAlmostEqual(group["confirmation_rate:avg"], 60.0)
        # the dashboard's card is that measure of its pivot, and its tooltip-like note says
        # what it is
        dashboard = json.load(file_open(f"{MODULE}/data/files/verification_dashboard.json"))
        data = next(sheet for sheet in dashboard["sheets"] if sheet["name"] == "Data")
        self.assertIn('PIVOT.VALUE(1,"confirmation_rate:avg")/100', data["cells"]["B10"])
        self.assertIn(
            "confirmation_rate:avg", [m["id"] for m in dashboard["pivots"]["1"]["measures"]]
        )
        # the field's tooltip
        field = self.Verification.fields_get(["confirmation_rate"], ["help"])
        self.assertIn("Confirmed ÷ concluded", field["confirmation_rate"]["help"])
        # the digest's KPI, for the week
        digest = (
            self.env["digest.digest"]
            .create({"name": "Semana", "company_id": self.company_admin.id})
            .with_user(self.manager_sales)
            .with_context(
                start_datetime=datetime(2026, 11, 21, 8, 0),
                end_datetime=datetime(2026, 11, 28, 8, 0),
            )
        )
        self.assertAlmostEqual(digest.kpi_verification_confirmed_rate_value, 60.0)
        # the managers' weekly e-mail (the week of the calls, as its preview shows it)
        Digest = self.env["crm.activity.verification.digest"]
        periods = Digest._get_digest_periods(self.company_admin, now=NOW + timedelta(days=7))
        values = Digest._prepare_digests(periods)[self.manager_sales]
        [section] = values["sections"]
        self.assertEqual(section["totals"]["rate"], 60)
        # the evidence pack
        wizard = (
            self.env["crm.activity.verification.evidence.wizard"]
            .with_user(self.manager_sales)
            .create({"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)})
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager_sales)
            ._render_qweb_html(f"{MODULE}.report_verification_evidence", wizard.ids)[0]
            .decode()
        )
        self.assertIn("Confirmation rate (confirmed ÷ concluded)", html)
        self.assertIn("60.0 %", html)

    def test_one_satisfaction_scale(self):
        """Odoo's rating scale with its labels, in the call dialog, on the form and in the
        dashboard's table (Satisfecho / Regular / Insatisfecho in Spanish)."""
        self.env["res.lang"]._activate_lang("es_MX")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["es_MX"])
        Verification = self.Verification.with_context(lang="es_MX")
        call_labels = dict(
            self.env["crm.activity.verification.call.log"]
            .with_context(lang="es_MX")
            .fields_get(["csat"])["csat"]["selection"]
        )
        form_labels = dict(Verification.fields_get(["csat_level"])["csat_level"]["selection"])
        expected = {"5": "Satisfecho", "3": "Regular", "1": "Insatisfecho"}
        self.assertEqual(call_labels, expected)
        self.assertEqual(form_labels, expected)
        # the form shows the level, not "5.00"
        arch = Verification.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="csat_level"', arch)
        self.assertNotIn('name="csat"', arch)
        rated = self.verifications.filtered("csat_level")
        self.assertEqual(sorted(rated.mapped("csat_level")), ["1", "3", "5", "5"])
        # the dashboard counts each level per collaborator, in the one table
        groups = self.Verification._read_group(
            [], ["user_id"], ["csat_satisfied:sum", "csat_okay:sum", "csat_dissatisfied:sum"]
        )
        self.assertEqual(groups, [(self.advisor, 2, 1, 1)])
        dashboard = json.load(file_open(f"{MODULE}/data/files/verification_dashboard.json"))
        measures = [m["id"] for m in dashboard["pivots"]["3"]["measures"]]
        self.assertEqual(
            measures[-3:], ["csat_satisfied:sum", "csat_okay:sum", "csat_dissatisfied:sum"]
        )
        self.assertNotIn("4", dashboard["pivots"], "no second table under the first one")

    def test_dashboard_and_graph_say_it_plainly(self):
        """No "↑∞%" (cards compare by difference, and an empty previous period shows a
        dash), nothing placed under the per-collaborator table (no blank band whatever
        its length), weeks named by their first day (not "W48 2026")."""
        dashboard = json.load(file_open(f"{MODULE}/data/files/verification_dashboard.json"))
        sheet = dashboard["sheets"][0]
        self.assertEqual(
            {figure["data"]["baselineMode"] for figure in sheet["figures"]}, {"difference"}
        )
        table_row = next(
            int(cell[1:])
            for cell, content in sheet["cells"].items()
            if content.startswith("=PIVOT(")
        )
        self.assertFalse(
            [
                cell
                for cell in sheet["cells"]
                if int("".join(filter(str.isdigit, cell))) > table_row
            ],
            "nothing under the table that grows with the collaborators",
        )
        data = next(sheet for sheet in dashboard["sheets"] if sheet["name"] == "Data")
        for cell in ("C10", "C11"):
            self.assertIn('IF(C3=0,"—"', data["cells"][cell], "no rate without conclusions")
        # the analysis graph, as the web client reads it
        self._as(self.manager_sales)
        arch = self.Verification.with_user(self.manager_sales).get_views(
            [(self.env.ref(f"{MODULE}.crm_activity_verification_view_graph").id, "graph")]
        )["views"]["graph"]["arch"]
        self.assertIn('<field name="activity_week" interval="day"', arch)
        groups, _error = self._rpc(
            "/web/dataset/call_kw/crm.activity.verification/formatted_read_group",
            {
                "model": "crm.activity.verification",
                "method": "formatted_read_group",
                "args": [],
                "kwargs": {
                    "domain": [],
                    "groupby": ["activity_week:day"],
                    "aggregates": ["__count"],
                    "context": {"lang": "en_US", "tz": "America/Tijuana"},
                },
            },
        )
        [group] = groups
        self.assertEqual(group["activity_week:day"][1], "21 Nov 2026", "the week's Saturday")
        self.assertEqual(group["__count"], 8)
