"""B-5 with OCA's quality apps installed: the anomaly is a nonconformity of
``mgmtsystem_nonconformity`` worked in OCA's screens, the complaint a claim of
``crm_claim``; the effectiveness of the corrective action is measured on the weekly lots.

The addon does not depend on these apps: scripts/test installs their wheels (pinned in
scripts/_lib.sh) in a database of their own, ``<prefix>_oca``, and runs this file there,
where it must not skip. Elsewhere it skips.

The dealership speaks Spanish (its partner's language); its users read English. The
calendar is the one of test_capa.py (America/Tijuana, weeks from Saturday to Friday).
"""

import shutil
import unittest
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, JsonRpcException, freeze_time, tagged

from .common import MODULE
from .test_capa import ANOMALY_ON, FIRST_WEEK, RESOLVED_ON, CapaCommon, in_week, saturday_after
from .test_weekly_report_pdf import pdf_pages_text

APPS = {"mgmtsystem.nonconformity": "mgmtsystem_nonconformity", "crm.claim": "crm_claim"}


class OcaQualityCommon(HttpCase, CapaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        missing = [module for model, module in APPS.items() if model not in cls.env]
        if missing:
            raise unittest.SkipTest(
                f"OCA's {', '.join(missing)} not installed (the *_oca database)"
            )
        cls.env["res.lang"]._activate_lang("es_MX")
        cls.env["ir.module.module"]._load_module_terms(
            [MODULE, "mgmtsystem_nonconformity"], ["es_MX"]
        )
        cls.company_admin.partner_id.lang = "es_MX"
        # the process manager runs the quality system; the department manager takes part
        cls.process_manager.group_ids = [
            Command.link(cls.env.ref("mgmtsystem.group_mgmtsystem_manager").id)
        ]
        cls.manager_sales.group_ids = [
            Command.link(cls.env.ref("mgmtsystem.group_mgmtsystem_user").id)
        ]
        cls.Nonconformity = cls.env["mgmtsystem.nonconformity"]
        cls.stages = {
            state: cls.env.ref(f"mgmtsystem_nonconformity.stage_{state}")
            for state in ("analysis", "pending", "open", "done")
        }

    # ------------------------------------------------------------------
    # the web client's calls
    # ------------------------------------------------------------------
    def _as(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _click(self, records, method):
        """The button ``method`` of ``records``, clicked as the web client does."""
        return self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": records._name,
                "method": method,
                "args": [records.ids],
                "kwargs": {"context": {"lang": "en_US", "tz": "America/Tijuana"}},
            },
        )

    def _assert_note(self, record, text):
        bodies = record.message_ids.mapped("body")
        self.assertTrue(any(text in body for body in bodies), f"{text!r} not in {bodies}")

    # ------------------------------------------------------------------
    def _report_anomaly(self, verification, description="El cliente niega la visita"):
        """The verifier's *Report anomaly* dialog, through the web client."""
        self._as(self.verifier)
        with freeze_time(ANOMALY_ON), self.mock_mail_gateway(mail_unlink_sent=False):
            action = self._click(verification, "action_open_anomaly_dialog")
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.verifier)
                .with_context(**action["context"])
                .create({"description": description})
            )
            self.assertEqual(
                self._click(wizard, "action_report"), {"type": "ir.actions.act_window_close"}
            )
        return self.Nonconformity.search(
            [("res_model", "=", verification._name), ("res_id", "=", verification.id)]
        )

    def _plan_and_close_action(self, nonconformity, closed_on, name="Capacitar al asesor"):
        """The process manager works the nonconformity in OCA's screens: analysis and
        cause, a corrective action, the plan approved; the action closed at ``closed_on``."""
        nonconformity = nonconformity.with_user(self.process_manager)
        cause = self.env["mgmtsystem.nonconformity.cause"].create(
            {"name": "Visita registrada sin evidencia"}
        )
        nonconformity.write(
            {
                "analysis": "El asesor registró la visita antes de hacerla",
                "cause_ids": [Command.link(cause.id)],
                "stage_id": self.stages["analysis"].id,
            }
        )
        action = (
            self.env["mgmtsystem.action"]
            .with_user(self.process_manager)
            .create({"name": name, "type_action": "correction", "user_id": self.manager_sales.id})
        )
        nonconformity.write(
            {
                "action_ids": [Command.link(action.id)],
                "action_comments": "Capacitación y revisión semanal de sus registros",
                "stage_id": self.stages["pending"].id,
            }
        )
        nonconformity.stage_id = self.stages["open"]
        with freeze_time(closed_on):
            action.stage_id = self.env.ref("mgmtsystem_action.stage_close")
        return action


@tagged("post_install", "-at_install", MODULE)
class TestNonconformityLoop(OcaQualityCommon):
    def test_anomaly_nonconformity_action_five_clean_weeks_evaluation(self):
        verification = self._verified(ANOMALY_ON, "not_confirmed")
        nonconformity = self._report_anomaly(verification)
        # the nonconformity, linked to the verification, for the process manager
        self.assertRecordValues(
            nonconformity,
            [
                {
                    "partner_id": self.customer.id,
                    "responsible_user_id": self.manager_sales.id,
                    "manager_user_id": self.process_manager.id,
                    "user_id": self.verifier.id,
                    "description": "El cliente niega la visita",
                    "company_id": self.company_admin.id,
                    "state": "draft",
                }
            ],
        )
        origin = nonconformity.origin_ids
        self.assertEqual(origin.ref_code, "PAD-7.2-05")
        self.assertEqual(
            origin.with_context(lang="es_MX").name, "Verificación de actividad (PAD-7.2-05)"
        )
        self.assertEqual(
            origin.with_context(lang="en_US").name, "Activity verification (PAD-7.2-05)"
        )
        # its responsible and manager are e-mailed; no built-in anomaly activity
        mails = self._new_mails.filtered(lambda mail: mail.model == nonconformity._name)
        self.assertEqual(
            mails.recipient_ids, (self.manager_sales | self.process_manager).partner_id
        )
        self.assertIn("El cliente niega la visita", mails[0].body_html)
        self.assertFalse(
            verification.activity_ids.filtered(lambda a: a.user_id == self.process_manager)
        )
        self.assertRecordValues(
            verification,
            [{"anomaly": True, "anomaly_description": "El cliente niega la visita"}],
        )
        self._assert_note(
            verification, f"Anomalía reportada como no conformidad {nonconformity.ref}"
        )
        check = self.Capa.search([("verification_id", "=", verification.id)])
        self.assertRecordValues(
            check,
            [
                {
                    "state": "action",
                    "nonconformity_id": nonconformity.id,
                    "nonconformity_ref": nonconformity.ref,
                    "manager_id": self.process_manager.id,
                }
            ],
        )
        self.assertTrue(self._held())
        # the board's card shows its stage to the verifier (no rights in the quality app)
        cards = self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.activity.verification/web_search_read",
            {
                "model": "crm.activity.verification",
                "method": "web_search_read",
                "args": [],
                "kwargs": {
                    "domain": [("id", "=", verification.id)],
                    "specification": {"nonconformity_stage": {}, "nonconformity_count": {}},
                    "context": {"lang": "en_US"},
                },
            },
        )["records"]
        self.assertEqual(
            (cards[0]["nonconformity_stage"], cards[0]["nonconformity_count"]), ("Draft", 0)
        )
        # the process manager's smart button opens it in the quality app
        self._as(self.process_manager)
        self.assertEqual(verification.with_user(self.process_manager).nonconformity_count, 1)
        action = self._click(verification, "action_open_nonconformities")
        self.assertEqual(
            (action["res_model"], action["res_id"]), (nonconformity._name, nonconformity.id)
        )
        # the anomaly is resolved there, not on the verification
        with self.assertRaisesRegex(UserError, "resolved there"):
            verification.with_user(self.process_manager).action_resolve_anomaly("Resuelta")
        with self.assertRaisesRegex(UserError, "already has an anomaly"):
            verification.with_user(self.verifier).action_report_anomaly("Otra vez")
        self.assertEqual(self.Nonconformity.search_count([("res_id", "=", verification.id)]), 1)

        # the process manager works it in OCA's screens; the action closes on Thursday
        action = self._plan_and_close_action(nonconformity, RESOLVED_ON)
        self._run_cron(RESOLVED_ON)
        self.assertRecordValues(check, [{"state": "watch", "watch_from": FIRST_WEEK}])
        # five clean weeks
        self._weeks(FIRST_WEEK, [1, 2, 1, 1, 1])
        self._run_cron(saturday_after(FIRST_WEEK, 4))
        self.assertRecordValues(check, [{"state": "watch", "clean_weeks": 4}])
        self._run_cron(saturday_after(FIRST_WEEK, 5))
        evaluation = (
            "5 semanas verificadas sin actividad no confirmada: 6 actividades, 6 confirmadas "
            "(semanas del 07/11/2026 al 11/12/2026)."
        )
        self.assertRecordValues(check, [{"state": "effective", "evaluation": evaluation}])
        self.assertEqual(nonconformity.evaluation_comments, evaluation)
        self.assertFalse(self._held())
        close = nonconformity.activity_ids
        self.assertEqual(close.user_id, self.process_manager)
        self.assertEqual(
            close.summary, "Close the nonconformity: the corrective action proved effective"
        )
        # the process manager closes it: the verification's anomaly is resolved
        nonconformity.with_user(self.process_manager).stage_id = self.stages["done"]
        self._run_cron(saturday_after(FIRST_WEEK, 5))
        self.assertTrue(verification.anomaly_resolved_on)
        self.assertEqual(verification.anomaly_resolved_by_id, self.process_manager)
        self.assertTrue(
            verification.anomaly_resolution.startswith(
                f"No conformidad {nonconformity.ref} cerrada."
            )
        )
        self.assertEqual(action.nonconformity_ids, nonconformity)

    def test_a_bad_week_reopens_the_nonconformity_and_tells_the_process_manager(self):
        verification = self._verified(ANOMALY_ON, "not_confirmed")
        nonconformity = self._report_anomaly(verification, "Formato lleno sin visita")
        check = self.Capa.search([("verification_id", "=", verification.id)])
        self._plan_and_close_action(nonconformity, RESOLVED_ON)
        # closed too early, with the process manager's own evaluation
        nonconformity.with_user(self.process_manager).write(
            {"evaluation_comments": "El asesor fue capacitado", "stage_id": self.stages["done"].id}
        )
        self._run_cron(RESOLVED_ON)
        self.assertRecordValues(check, [{"state": "watch", "watch_from": FIRST_WEEK}])
        self.assertTrue(verification.anomaly_resolved_on, "closed in the quality app")
        # one clean week, then a not-confirmed activity
        self._weeks(FIRST_WEEK, [1])
        self._verified(in_week(FIRST_WEEK, 1), "not_confirmed")
        mails = self._run_cron(saturday_after(FIRST_WEEK, 2))
        self.assertEqual(nonconformity.state, "open", "the evaluation is reopened")
        self.assertFalse(nonconformity.closing_date)
        self.assertTrue(
            nonconformity.evaluation_comments.startswith("El asesor fue capacitado\n\n")
        )
        self.assertIn(
            "Semana del 14/11/2026 al 20/11/2026: 1 actividades no confirmadas",
            nonconformity.evaluation_comments,
        )
        self.assertRecordValues(
            check,
            [{"state": "watch", "bad_weeks": 1, "watch_from": FIRST_WEEK + timedelta(weeks=2)}],
        )
        self.assertTrue(self._held())
        # the process manager: an e-mail and an activity on the nonconformity
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.process_manager.partner_id)
        self.assertEqual(
            mails.subject, f"Corrective action not effective: Arturo Asesor ({nonconformity.ref})"
        )
        todo = nonconformity.activity_ids
        self.assertEqual(
            (todo.user_id, todo.summary),
            (self.process_manager, "Corrective action not effective: Arturo Asesor"),
        )
        # he plans a new action: the watch waits for it, then starts over after it
        new_action = (
            self.env["mgmtsystem.action"]
            .with_user(self.process_manager)
            .create(
                {
                    "name": "Acompañar al asesor en sus visitas",
                    "type_action": "correction",
                    "user_id": self.manager_sales.id,
                }
            )
        )
        nonconformity.with_user(self.process_manager).action_ids = [Command.link(new_action.id)]
        self._run_cron(saturday_after(FIRST_WEEK, 2))
        self.assertEqual(check.state, "action")
        closed = in_week(FIRST_WEEK, 2)
        with freeze_time(closed):
            new_action.with_user(self.process_manager).stage_id = self.env.ref(
                "mgmtsystem_action.stage_close"
            )
        self._weeks(FIRST_WEEK + timedelta(weeks=3), [1, 1, 1, 1, 1])
        self._run_cron(saturday_after(FIRST_WEEK, 8))
        self.assertRecordValues(
            check,
            [{"state": "effective", "watch_from": FIRST_WEEK + timedelta(weeks=3), "bad_weeks": 1}],
        )
        self.assertIn(
            "5 semanas verificadas sin actividad no confirmada: 5 actividades, 5 confirmadas",
            nonconformity.evaluation_comments,
        )
        self.assertFalse(self._held())

    def test_what_is_refused_changes_nothing(self):
        no_customer = self._verified(ANOMALY_ON, False)
        no_customer.sudo()._workflow().partner_id = False
        with self.assertRaisesRegex(UserError, "has no customer"):
            no_customer.with_user(self.verifier).action_report_anomaly("Sin cliente")
        verification = self._verified(ANOMALY_ON, "not_confirmed")
        self.company_admin.verification_process_manager_id = False
        self.env.ref(f"{MODULE}.group_process_manager").sudo().user_ids = [Command.clear()]
        with self.assertRaisesRegex(UserError, "No HR & process manager"):
            verification.with_user(self.verifier).action_report_anomaly("Sin gerente")
        for user in (self.advisor, self.manager_sales):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                verification.with_user(user).action_report_anomaly("No me toca")
        self.assertFalse(self.Nonconformity.search([("res_model", "=", verification._name)]))
        self.assertFalse(self.Capa.search([]))
        self.assertFalse((no_customer | verification).filtered("anomaly"))
        # a collaborator sees no nonconformity, and cannot open them
        self.assertEqual(verification.with_user(self.advisor).nonconformity_count, 0)
        with self.assertRaises(AccessError):
            self.Nonconformity.with_user(self.advisor).search([])
        self._as(self.advisor)
        with self.assertRaises(JsonRpcException) as caught:
            self._click(verification, "action_open_nonconformities")
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")


@tagged("post_install", "-at_install", MODULE)
class TestClaims(OcaQualityCommon):
    def test_complaint_is_a_claim_of_the_claims_app(self):
        verification = self._verified(ANOMALY_ON, "confirmed")
        self._as(self.verifier)
        with freeze_time(ANOMALY_ON), self.mock_mail_gateway(mail_unlink_sent=False):
            action = self._click(verification, "action_open_complaint_dialog")
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.verifier)
                .with_context(**action["context"])
                .create({"description": "Entregaron el camión con dos semanas de retraso"})
            )
            action = self._click(wizard, "action_report")
        self.assertEqual(action["res_model"], "crm.claim")
        claim = self.env["crm.claim"].browse(action["res_id"])
        self.assertRecordValues(
            claim,
            [
                {
                    "name": f"PAD-8.5-02: {self.customer.name} ({verification.display_name})",
                    "partner_id": self.customer.id,
                    "user_id": self.process_manager.id,
                    "team_id": self.team_sales.id,
                    "description": "Entregaron el camión con dos semanas de retraso",
                    "email_from": self.customer.email,
                    "company_id": self.company_admin.id,
                }
            ],
        )
        self.assertEqual(claim.stage_id, self.env.ref("crm_claim.stage_claim1"))
        # the handler is told by Odoo's own assignment e-mail; no built-in complaint
        mails = self._new_mails.filtered(lambda mail: mail.model == "crm.claim")
        self.assertEqual(mails.recipient_ids, self.process_manager.partner_id)
        self.assertFalse(self.env["crm.activity.complaint"].search([]))
        # both chatters say it, in the dealership's language
        self._assert_note(claim, f"({verification.display_name}, procedimiento PAD-7.2-05)")
        self._assert_note(verification, "registrada en la aplicación de reclamaciones")
        # the contract: action_report_complaint returns the new record's id
        with freeze_time(ANOMALY_ON):
            second = verification.with_user(self.verifier).action_report_complaint("Cobro doble")
            # a claim of the claims app that no verification heard
            self.env["crm.claim"].create({"name": "Garantía", "partner_id": self.customer.id})
        self.assertIsInstance(second, int)
        claims = claim | self.env["crm.claim"].browse(second)
        # counted on the verification and the customer, opened from their buttons
        self.assertEqual(verification.with_user(self.verifier).complaint_count, 2)
        self.assertEqual(self.customer.with_user(self.verifier).complaint_count, 2)
        action = self._click(verification, "action_view_complaints")
        self.assertEqual(action["res_model"], "crm.claim")
        self.assertEqual(self.env["crm.claim"].search(action["domain"]), claims)
        action = self._click(self.customer, "action_view_complaints")
        self.assertEqual(self.env["crm.claim"].search(action["domain"]), claims)
        self.assertEqual(
            verification.action_register_complaint()["res_model"],
            "crm.activity.verification.complaint",
        )
        # the digest KPI counts them
        now = ANOMALY_ON
        digest = (
            self.env["digest.digest"]
            .with_user(self.manager_sales)
            .with_context(
                start_datetime=now - timedelta(days=1), end_datetime=now + timedelta(days=1)
            )
            .sudo()
            .create({"name": "Digest", "company_id": self.company_admin.id})
            .sudo(False)
        )
        self.assertEqual(digest.kpi_verification_complaint_value, 2)
        self.assertEqual(
            digest._compute_kpis_actions(self.company_admin, self.manager_sales)[
                "kpi_verification_complaint"
            ],
            "crm_claim.crm_claim_category_claim0",
        )


@tagged("post_install", "-at_install", MODULE)
class TestEvidencePackWithQualityApps(OcaQualityCommon):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not available")

    def test_pack_prints_nonconformities_actions_evaluation_and_claims(self):
        self.company_admin.verification_capa_clean_weeks = 1
        verification = self._verified(ANOMALY_ON, "not_confirmed")
        nonconformity = self._report_anomaly(verification, "Cliente niega la visita")
        self._plan_and_close_action(nonconformity, RESOLVED_ON, name="Capacitación al asesor")
        self._run_cron(RESOLVED_ON)
        self._weeks(FIRST_WEEK, [1])
        self._run_cron(saturday_after(FIRST_WEEK, 1))
        with freeze_time(in_week(FIRST_WEEK, 1)):
            verification.with_user(self.verifier).action_report_complaint("Queja por el retraso")
        wizard = (
            self.env["crm.activity.verification.evidence.wizard"]
            .with_user(self.process_manager)
            .create({"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)})
        )
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.process_manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "crm_activity_verification.action_report_verification_evidence", wizard.ids
            )
        )
        printed = "\n".join(pdf_pages_text(content)).split()
        for text in (
            "Nonconformities and corrective actions",
            nonconformity.ref,
            "Cliente niega la visita",
            "Visita registrada sin evidencia",
            "Capacitación al asesor",
            "Corrective Action",
            "1 semanas verificadas sin actividad no confirmada: 1 actividades, 1 confirmadas",
            "Effective",
            "Queja por el retraso",
            f"PAD-8.5-02: {self.customer.name}",
        ):
            for word in text.split():
                self.assertIn(word, printed, text)
