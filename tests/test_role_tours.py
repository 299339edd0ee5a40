"""Every role's week in the browser (issue 15): one tour per role, static/tests/tours/."""

from datetime import date, datetime, time, timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import MODULE, WebClientMixin, create_board_fixture, new_user


def this_wednesday():
    """10:00 in Tijuana (UTC) on the Wednesday of the procedure's week in progress."""
    today = date.today()
    saturday = today - timedelta(days=(today.weekday() - 5) % 7)
    return datetime.combine(saturday + timedelta(days=4), time(18, 0))


@tagged("post_install", "-at_install", MODULE)
class TestPromoterPhoneTour(WebClientMixin, HttpCase):
    """The parts promoter fills, signs and submits his FRE-7.5-01 on a phone."""

    browser_size = "390x844"
    touch_enabled = True

    def test_promoter_week_on_a_phone(self):
        promoter = new_test_user(
            self.env,
            login="phone_promoter",
            name="Héctor Ríos (Refacciones)",
            groups=f"base.group_user,{MODULE}.group_collaborator",
            tz="America/Tijuana",
            verification_role="parts_promoter",
        )
        Partner = self.env["res.partner"]
        for name in ("Autotransportes Cucapah", "Fletes Cucapah"):
            Partner.create({"name": name, "is_company": True, "phone": "+52 686 555 0100"})
        with freeze_time(this_wednesday(), tick=True):
            self.start_tour(
                "/odoo/action-crm_activity_verification.crm_activity_weekly_report_action_my",
                "crm_activity_verification_promoter_phone_tour",
                login=promoter.login,
            )
        report = self.env["crm.activity.weekly.report"].search([("user_id", "=", promoter.id)])
        self.assertEqual(len(report), 1)
        self.assertEqual(report.state, "submitted", "submitted, hence locked")
        self.assertEqual(report.signed_by, "Héctor Ríos")
        self.assertTrue(report.signature, "signed with the finger")
        self.assertEqual(
            report.line_ids.mapped("customer_name"),
            ["Autotransportes Cucapah", "Fletes Cucapah", "Refaccionaria La Rumorosa"],
        )
        self.assertFalse(report.line_ids[2].partner_id, "a customer not yet in the CRM")
        self.assertEqual(len(report.line_ids.verification_id), 3, "one verification per line")

    def test_second_report_of_the_week_is_a_clear_error(self):
        """Whatever the path (an old bookmark of the form, an import, RPC), a second report
        of the week is refused with a clear message, before the database: no SQL error in
        the server's log for a user's mistake (issue 22, item 4)."""
        promoter = new_user(
            self.env, "phone_promoter2", "Fernando Navarro", verification_role="parts_promoter"
        )
        Report = self.env["crm.activity.weekly.report"].with_user(promoter)
        week = Report._get_default_week_start(promoter)
        first = Report._get_or_create_week_report(promoter, week)
        self._as(promoter)
        spec = {"name": {}, "date_start": {}}
        with self.assertNoLogs("odoo.sql_db", level="ERROR"):
            for values in ({}, {"date_start": fields.Date.to_string(week)}):
                _result, error = self._rpc(
                    "/web/dataset/call_kw/crm.activity.weekly.report/web_save",
                    {
                        "model": "crm.activity.weekly.report",
                        "method": "web_save",
                        "args": [[], values],
                        "kwargs": {"specification": spec, "context": {"lang": "en_US"}},
                    },
                )
                self.assertEqual(error["name"], "odoo.exceptions.UserError")
                self.assertIn(
                    f"already has the weekly report FRE-7.5-01 {first.name}", error["message"]
                )
            # moving another report onto that week is refused the same way
            other = Report._get_or_create_week_report(promoter, week - timedelta(days=7))
            with self.assertRaisesRegex(UserError, "one report per week"):
                other.write({"date_start": week})
        self.assertEqual(Report.search_count([("user_id", "=", promoter.id)]), 2)


@tagged("post_install", "-at_install", MODULE)
class TestSalesAdvisorTour(HttpCase):
    """The sales advisor logs a visit, sees it verified and does the follow-up asked."""

    def test_advisor_visit_result_and_followup(self):
        fixture = create_board_fixture(self.env, prefix="tour_advisor")
        advisor, verifier, lead = fixture["advisor"], fixture["verifier"], fixture["lead"]
        before = lead.with_user(advisor).verification_ids
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline",
            "crm_activity_verification_advisor_visit_tour",
            login=advisor.login,
        )
        visit = lead.verification_ids - before
        self.assertRecordValues(
            visit,
            [{"state": "pending", "user_id": advisor.id, "lead_id": lead.id}],
        )
        self.assertEqual(visit.reported_activity_type_id.name, "Promotion Visit")
        # customer service calls, and asks him for a follow-up
        visit = visit.with_user(verifier)
        visit.action_log_call("confirmed", notes="El cliente recibió la visita el martes.")
        visit.action_request_followup("Enviar la ficha técnica de la línea LT.")
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline",
            "crm_activity_verification_advisor_followup_tour",
            login=advisor.login,
        )
        visit.invalidate_recordset()
        self.assertEqual(visit.followup_state, "done")
        self.assertIn("ficha técnica por correo", visit.sudo().followup_feedback)


@tagged("post_install", "-at_install", MODULE)
class TestProcessManagerTour(HttpCase):
    """The HR & process manager resolves an anomaly and changes a setting, without
    administrator rights."""

    def test_process_manager_resolves_and_sets(self):
        fixture = create_board_fixture(self.env, prefix="tour_rhp")
        fixture["customer"].email = "compras@cucapah.example.com"
        self.assertFalse(self.env.company.verification_customer_link)
        self.assertFalse(self._link_button_shown(fixture["verifier"], fixture["verification"]))
        process_manager = new_test_user(
            self.env,
            login="tour_rhp_manager",
            name="Rocío Hernández (RHP)",
            groups=f"base.group_user,{MODULE}.group_process_manager",
        )
        self.assertFalse(process_manager.has_group("base.group_system"))
        self.env.company.write(
            {"verification_process_manager_id": process_manager.id, "verification_followup_days": 2}
        )
        verification = fixture["verification"].with_user(fixture["verifier"])
        verification.action_report_anomaly("El cliente dice que la visita fue de otro asesor.")
        self.start_tour(
            "/odoo", "crm_activity_verification_process_manager_tour", login=process_manager.login
        )
        verification.invalidate_recordset()
        self.assertEqual(verification.sudo().anomaly_resolved_by_id, process_manager)
        self.assertIn("corrigió el registro", verification.sudo().anomaly_resolution)
        self.assertEqual(self.env.company.verification_followup_days, 3)
        # the link is on: customer service now gets its button, and it works
        self.assertTrue(self.env.company.verification_customer_link)
        self.assertTrue(self._link_button_shown(fixture["verifier"], fixture["verification"]))

    def _link_button_shown(self, user, verification):
        """Whether the verification's form shows "Send confirmation link" to ``user``: the
        button's ``invisible`` of the form the web client loads, on the record's values."""
        view = (
            self.env["crm.activity.verification"]
            .with_user(user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [button] = etree.fromstring(view).xpath("//button[@name='action_send_customer_link']")
        fnames = ["customer_link_enabled", "link_email", "state"]
        values = verification.with_user(user).web_read({fname: {} for fname in fnames})[0]
        return not safe_eval(button.get("invisible"), values)


@tagged("post_install", "-at_install", MODULE)
class TestDepartmentManagerTour(HttpCase):
    """The department manager analyses his department's verifications, down to a
    collaborator, and sees no other department."""

    def test_manager_drills_down_to_a_collaborator(self):
        fixture = create_board_fixture(self.env, prefix="tour_mgr")
        manager = new_test_user(
            self.env,
            login="tour_mgr_manager",
            name="Gerardo Comercial",
            groups=f"base.group_user,{MODULE}.group_manager",
        )
        fixture["team"].user_id = manager
        other = create_board_fixture(self.env, prefix="tour_mgr_other")
        other["team"].name = "Ventas Otra Plaza"
        Verification = self.env["crm.activity.verification"].with_user(manager)
        self.assertEqual(Verification.search([]).team_id, fixture["team"])
        # he reads Spanish: the addon's terms, the dashboard's included
        self.env["res.lang"]._activate_lang("es_MX")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["es_MX"])
        manager.lang = "es_MX"
        # the tour starts from Odoo's home: his landing page (the dashboards, test_landing.py)
        # still loading when the tour opens the Verification app would race it
        manager.action_id = False
        self.start_tour("/odoo", "crm_activity_verification_manager_tour", login=manager.login)
