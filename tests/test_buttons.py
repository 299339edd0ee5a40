"""Every button of the addon's views, clicked through the web client's own call path.

The web client runs a ``type="object"`` button with a JSON-RPC call to
``/web/dataset/call_button`` (``args`` = the ids of the record, or of the selected
records for a list header button, possibly none). Calling the Python method directly
does not show what the button does: an ``@api.model`` method, for example, refuses
the ids the web client passes (issue 14). So each button below is clicked over HTTP,
as the role that sees it, and the test checks what that user then sees.

``test_every_button_is_covered`` reads the buttons from the installed views: a new
button without a row in ``BUTTONS`` fails the suite.
"""

from datetime import date, datetime
from unittest.mock import patch

from lxml import etree

from odoo.fields import Command
from odoo.tests import HttpCase, JsonRpcException, freeze_time, tagged

from .common import MODULE, VerificationCommon, cron_prints_pdf
from .test_weekly_report import make_signature

# Thursday 2026-11-26 10:00 in Tijuana
NOW = datetime(2026, 11, 26, 18, 0)

# (model, method) -> name of the test method that clicks it
BUTTONS = {
    ("crm.activity.verification", "action_open_call_dialog"): "test_verification_dialogs",
    ("crm.activity.verification", "action_open_customer_dialog"): "test_verification_dialogs",
    ("crm.activity.verification", "action_open_followup_dialog"): "test_verification_dialogs",
    ("crm.activity.verification", "action_open_complaint_dialog"): "test_verification_dialogs",
    ("crm.activity.verification", "action_open_anomaly_dialog"): "test_verification_dialogs",
    ("crm.activity.verification", "action_open_anomaly_resolve_dialog"): "test_anomaly",
    ("crm.activity.verification", "action_request_phone_button"): "test_request_phone",
    ("crm.activity.verification", "action_open_phone_dialog"): "test_request_phone",
    ("crm.activity.verification.phone", "action_provide"): "test_request_phone",
    ("crm.activity.verification", "action_open_lead"): "test_smart_buttons",
    ("crm.activity.verification", "action_view_complaints"): "test_complaint",
    ("crm.activity.verification", "action_view_lead_sales"): "test_smart_buttons",
    ("crm.activity.verification", "action_next_call"): "test_call_queue",
    ("crm.activity.verification", "action_force_verification"): "test_call_queue",
    ("crm.activity.verification", "action_send_customer_link"): "test_customer_link",
    ("crm.activity.verification", "action_open_reopen_dialog"): "test_reopen",
    ("crm.activity.verification", "action_open_nonconformities"): "test_nonconformities",
    ("crm.activity.verification.reopen", "action_reopen"): "test_reopen",
    ("crm.activity.verification.call.log", "action_log"): "test_verification_dialogs",
    (
        "crm.activity.verification.call.log",
        "action_open_customer_dialog",
    ): "test_call_dialog_completes_the_customer",
    (
        "crm.activity.verification.customer",
        "action_back",
    ): "test_call_dialog_completes_the_customer",
    ("crm.activity.verification.customer", "action_apply"): "test_verification_dialogs",
    ("crm.activity.verification.followup", "action_request"): "test_verification_dialogs",
    ("crm.activity.verification.anomaly", "action_report"): "test_anomaly",
    ("crm.activity.verification.anomaly.resolve", "action_resolve"): "test_anomaly",
    ("crm.activity.verification.complaint", "action_report"): "test_complaint",
    ("crm.activity.complaint", "action_start"): "test_complaint",
    ("crm.activity.complaint", "action_resolve"): "test_complaint",
    ("crm.activity.complaint", "action_cancel"): "test_complaint",
    ("crm.activity.complaint", "action_reset"): "test_complaint",
    ("crm.activity.complaint", "action_open_verification"): "test_complaint",
    ("crm.activity.weekly.report", "action_open_current_week"): "test_weekly_report",
    ("crm.activity.weekly.report", "action_print_blank_form"): "test_weekly_report",
    ("crm.activity.weekly.report", "action_submit"): "test_weekly_report",
    ("crm.activity.weekly.report", "action_reset_to_draft"): "test_weekly_report",
    ("crm.activity.weekly.report", "action_view_verifications"): "test_weekly_report",
    ("crm.activity.verification.evidence.wizard", "action_print"): "test_evidence_pack",
    (
        "crm.activity.verification.evidence.request",
        "action_download",
    ): "test_evidence_pack_in_the_background",
    ("crm.activity.verification.settings", "action_save"): "test_procedure_settings",
    ("crm.lead", "action_view_verifications"): "test_smart_buttons",
    ("res.partner", "action_view_verifications"): "test_smart_buttons",
    ("res.partner", "action_view_complaints"): "test_complaint",
}


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestButtonsThroughWebClient(HttpCase, VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.verification = cls._verification_done()
        cls.verification_no_phone = cls._verification_done(record=cls.customer_no_phone)

    def _as(self, user):
        """Log ``user`` in (test users' passwords: the login padded with x)."""
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _click(self, records, method, model=None, context=None):
        """Click the button ``method`` on ``records`` as the web client does. The route
        answers the action to run, or ``False`` when there is none (a method that
        returns ``True``): the web client then reloads the record."""
        return self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": model or records._name,
                "method": method,
                "args": [records.ids],
                "kwargs": {"context": dict(context or {}, lang="en_US", tz="America/Tijuana")},
            },
        )

    def _click_refused(self, records, method, error="odoo.exceptions.UserError", **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self._click(records, method, **kwargs)
        self.assertEqual(caught.exception.args[0], error)

    def _wizard(self, user, model, action, **values):
        """The dialog ``action`` opened, filled and saved, as the web client does it."""
        self.assertEqual((action["res_model"], action["target"]), (model, "new"))
        return self.env[model].with_user(user).with_context(**action["context"]).create(values)

    # ------------------------------------------------------------------
    def test_every_button_is_covered(self):
        views = self.env["ir.ui.view"].search([("model_data_id.module", "=", MODULE)])
        self.assertTrue(views)
        found = set()
        for view in views:
            for button in etree.fromstring(view.arch_db).iter("button"):
                if button.get("type") == "object":
                    found.add((view.model, button.get("name")))
        self.assertEqual(found - set(BUTTONS), set(), "buttons without a test clicking them")
        self.assertEqual(set(BUTTONS) - found, set(), "rows of BUTTONS that no view shows")
        for name in set(BUTTONS.values()):
            self.assertTrue(hasattr(self, name), name)

    def test_weekly_report(self):
        """The promoter's list header buttons work with and without a selection (issue 14),
        then he submits his week; the verifier sends it back and opens its verifications."""
        Report = self.env["crm.activity.weekly.report"]
        self._as(self.promoter)
        # "This week's report", nothing selected
        action = self._click(Report, "action_open_current_week")
        self.assertEqual((action["res_model"], action["views"][0][1]), (Report._name, "form"))
        report = Report.browse(action["res_id"])
        self.assertEqual((report.user_id, report.date_start), (self.promoter, date(2026, 11, 21)))
        # ... and with a report selected in the list: the same report of this week
        self.assertEqual(self._click(report, "action_open_current_week")["res_id"], report.id)
        # "Print blank form"
        for records in (Report, report):
            action = self._click(records, "action_print_blank_form")
            self.assertEqual(action["type"], "ir.actions.report")
            self.assertEqual(action["report_name"], f"{MODULE}.report_fre_7_5_01_blank")
        # fill, sign and submit
        report.with_user(self.promoter).write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "date": datetime(2026, 11, 24, 17, 0),
                            "partner_id": self.customer.id,
                            "activity_type_id": self.type_visit.id,
                            "description": "Visita de promoción de refacciones",
                        }
                    )
                ],
                "signed_by": self.promoter.name,
                "signature": make_signature(),
                "signed_on": date(2026, 11, 26),
            }
        )
        self.assertFalse(self._click(report, "action_submit"))
        self.assertEqual(report.state, "submitted")
        self._click_refused(report, "action_submit")
        self._click_refused(report, "action_reset_to_draft")
        # the verifier opens its verifications and sends it back to draft
        self._as(self.verifier)
        action = self._click(report, "action_view_verifications")
        self.assertEqual(
            self.env["crm.activity.verification"].search(action["domain"]),
            report.line_ids.verification_id,
        )
        self.assertFalse(self._click(report, "action_reset_to_draft"))
        self.assertEqual(report.state, "draft")

    def test_nonconformities(self):
        """*Nonconformities* without OCA's quality app: the anomalies are on the verification,
        the button says so (with the app: test_oca_quality_apps.py)."""
        if "mgmtsystem.nonconformity" in self.env:
            self.skipTest("the quality app is installed: test_oca_quality_apps.py")
        self._as(self.process_manager)
        self._click_refused(self.verification, "action_open_nonconformities")

    def test_request_phone(self):
        """Ask for phone: a notification, one activity, no second request (issue 14)."""
        verification = self.verification_no_phone
        self.assertFalse(verification.phone)
        self._as(self.verifier)
        # no phone: no call dialog, the reason is said at once
        self._click_refused(verification, "action_open_call_dialog")
        action = self._click(verification, "action_request_phone_button")
        self.assertEqual(
            (action["type"], action["tag"]), ("ir.actions.client", "display_notification")
        )
        self.assertIn(self.advisor.name, action["params"]["message"])
        self.assertEqual(verification.state, "in_progress")
        self.assertTrue(verification.phone_requested)
        request = verification.activity_ids
        self.assertEqual(
            (request.activity_type_id, request.user_id),
            (self.env.ref(f"{MODULE}.mail_activity_type_phone_request"), self.advisor),
        )
        self._click_refused(verification, "action_request_phone_button")
        self.assertEqual(verification.activity_ids, request, "a second click asks nothing more")
        # the advisor answers in his dialog (R-2.2, tests/test_phone_request.py)
        self._as(self.advisor)
        action = self._click(verification, "action_open_phone_dialog")
        wizard = self._wizard(
            self.advisor, "crm.activity.verification.phone", action, phone="+52 661 555 0170"
        )
        action = self._click(wizard, "action_provide")
        self.assertEqual(action["tag"], "display_notification")
        verification.invalidate_recordset()
        self.assertEqual(verification.phone, "+52 661 555 0170")
        self.assertFalse(verification.phone_requested, "the request is done")

    def test_call_dialog_completes_the_customer(self):
        """From the call dialog the verifier completes the customer, then comes back to
        the same call, her outcome still chosen; saving without an outcome is refused."""
        self._as(self.verifier)
        action = self._click(self.verification, "action_open_call_dialog")
        call = self._wizard(
            self.verifier, "crm.activity.verification.call.log", action, notes="Pide catálogo"
        )
        self._click_refused(call, "action_log")
        self.assertEqual(self.verification.call_count, 0, "nothing logged")
        action = self._click(call, "action_open_customer_dialog")
        customer = self._wizard(
            self.verifier, "crm.activity.verification.customer", action, email="ventas@tvm.mx"
        )
        back = self._click(customer, "action_apply", context=action["context"])
        self.assertEqual(self.customer.email, "ventas@tvm.mx")
        self.assertEqual(
            (back["res_model"], back["res_id"], back["target"]),
            ("crm.activity.verification.call.log", call.id, "new"),
        )
        # back without applying, from a second visit
        customer = self._wizard(self.verifier, "crm.activity.verification.customer", action)
        back = self._click(customer, "action_back", context=action["context"])
        self.assertEqual(back["res_id"], call.id)
        call.outcome = "confirmed"
        self._click(call, "action_log")
        self.assertEqual((self.verification.state, self.verification.call_count), ("confirmed", 1))

    def test_verification_dialogs(self):
        """The verifier's dialogs open, save and do what they say."""
        verification = self.verification
        self._as(self.verifier)
        # complete the customer's data
        action = self._click(verification, "action_open_customer_dialog")
        wizard = self._wizard(
            self.verifier, "crm.activity.verification.customer", action, email="flotas@tvm.mx"
        )
        self.assertEqual(self._click(wizard, "action_apply")["type"], "ir.actions.act_window_close")
        self.assertEqual(self.customer.email, "flotas@tvm.mx")
        # log a call
        action = self._click(verification, "action_open_call_dialog")
        wizard = self._wizard(
            self.verifier,
            "crm.activity.verification.call.log",
            action,
            outcome="confirmed",
            notes="Confirma la visita",
        )
        self.assertEqual(self._click(wizard, "action_log")["type"], "ir.actions.act_window_close")
        self.assertEqual((verification.state, verification.call_count), ("confirmed", 1))
        # concluded: no more calls
        self._click_refused(verification, "action_open_call_dialog")
        # request a follow-up
        action = self._click(verification, "action_open_followup_dialog")
        wizard = self._wizard(
            self.verifier,
            "crm.activity.verification.followup",
            action,
            notes="Enviar la cotización por correo",
        )
        self._click(wizard, "action_request")
        self.assertEqual(verification.followup_state, "requested")
        # the complaint and anomaly dialogs open on the verification
        for method, model in (
            ("action_open_complaint_dialog", "crm.activity.verification.complaint"),
            ("action_open_anomaly_dialog", "crm.activity.verification.anomaly"),
        ):
            action = self._click(verification, method)
            self.assertEqual((action["res_model"], action["target"]), (model, "new"))
            self.assertEqual(action["context"]["default_verification_id"], verification.id)

    def test_anomaly(self):
        verification = self.verification
        self._as(self.verifier)
        action = self._click(verification, "action_open_anomaly_dialog")
        wizard = self._wizard(
            self.verifier,
            "crm.activity.verification.anomaly",
            action,
            description="El cliente no existe",
        )
        self._click(wizard, "action_report")
        self.assertTrue(verification.anomaly)
        self._as(self.process_manager)
        action = self._click(verification, "action_open_anomaly_resolve_dialog")
        wizard = self._wizard(
            self.process_manager,
            "crm.activity.verification.anomaly.resolve",
            action,
            resolution="Se habló con el asesor",
        )
        self._click(wizard, "action_resolve")
        self.assertTrue(verification.anomaly_resolved_on)

    def test_complaint(self):
        verification = self.verification
        self._as(self.verifier)
        action = self._click(verification, "action_open_complaint_dialog")
        wizard = self._wizard(
            self.verifier,
            "crm.activity.verification.complaint",
            action,
            description="La unidad llegó tarde",
        )
        action = self._click(wizard, "action_report")
        complaint = self.env["crm.activity.complaint"].browse(action["res_id"])
        self.assertEqual(complaint.verification_id, verification)
        action = self._click(verification, "action_view_complaints")
        self.assertEqual(self.env["crm.activity.complaint"].search(action["domain"]), complaint)
        action = self._click(self.customer, "action_view_complaints")
        self.assertEqual(self.env["crm.activity.complaint"].search(action["domain"]), complaint)
        # the handler works it
        self._as(self.process_manager)
        self.assertFalse(self._click(complaint, "action_start"))
        self.assertEqual(complaint.state, "in_progress")
        self._click_refused(complaint, "action_resolve")  # no resolution written yet
        complaint.with_user(self.process_manager).resolution = "Descuento en el servicio"
        self.assertFalse(self._click(complaint, "action_resolve"))
        self.assertEqual(complaint.state, "resolved")
        self.assertFalse(self._click(complaint, "action_reset"))
        self.assertFalse(self._click(complaint, "action_cancel"))
        self.assertEqual(complaint.state, "cancelled")
        action = self._click(complaint, "action_open_verification")
        self.assertEqual(
            (action["res_model"], action["res_id"]), (verification._name, verification.id)
        )

    def test_smart_buttons(self):
        verification = self.verification
        self._as(self.verifier)
        action = self._click(verification, "action_open_lead")
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.lead", self.lead.id))
        if "order_ids" not in self.env["crm.lead"]._fields:  # without Sales: a clear refusal
            self._click_refused(verification, "action_view_lead_sales")
        else:
            self.assertEqual(
                self._click(verification, "action_view_lead_sales")["res_model"], "sale.order"
            )
        action = self._click(self.customer, "action_view_verifications")
        self.assertIn(verification, self.env["crm.activity.verification"].search(action["domain"]))
        # the advisor opens the verifications of his opportunity
        self._as(self.advisor)
        action = self._click(self.lead, "action_view_verifications")
        self.assertEqual(
            self.env["crm.activity.verification"].with_user(self.advisor).search(action["domain"]),
            verification,
        )

    def test_call_queue(self):
        """ "Next call" on the board (a header button: no record selected), and "Verify
        anyway" on a verification left out of the sample (B-1, B-2)."""
        Verification = self.env["crm.activity.verification"]
        # test set-up through the internal path: the queue fields are the flow's
        Verification.search([("id", "!=", self.verification.id)])._workflow().write(
            {"next_call_at": datetime(2100, 1, 1)}
        )
        self._as(self.verifier)
        action = self._click(Verification, "action_next_call")
        self.assertEqual(
            (action["res_model"], action["res_id"]), (Verification._name, self.verification.id)
        )
        self.assertTrue(action["context"]["verification_queue"])
        self.assertEqual(self.verification.queue_user_id, self.verifier)
        # saving the call from the queue moves on: the queue is empty now
        action = self._click(self.verification, "action_open_call_dialog")
        wizard = self._wizard(
            self.verifier,
            "crm.activity.verification.call.log",
            dict(action, context=dict(action["context"], verification_queue=True)),
            outcome="confirmed",
        )
        action = self._click(wizard, "action_log", context={"verification_queue": True})
        # the dialog closes, and the form that opened it says the queue is empty
        self.assertEqual(action["type"], "ir.actions.act_window_close")
        self.assertEqual(action["infos"]["notification"]["title"], "No call to make now")
        # left out of the sample, then put back in the queue by the verifier
        self.company_admin.write(
            {"verification_sampling": True, "verification_sampling_reduced_rate": 0}
        )
        self.advisor._set_verification_sampling_level("reduced", "test")
        self.advisor.verification_start_date = date(2025, 1, 6)
        not_sampled = self._verification_done()
        self.assertEqual(not_sampled.state, "not_sampled")
        self.assertFalse(self._click(not_sampled, "action_force_verification"))
        self.assertEqual(not_sampled.state, "pending")
        self._click_refused(not_sampled, "action_force_verification")

    def test_customer_link(self):
        """ "Send confirmation link" e-mails the customer (B-3)."""
        self.company_admin.verification_customer_link = True
        self._as(self.verifier)
        with self.mock_mail_gateway():
            self.assertFalse(self._click(self.verification, "action_send_customer_link"))
        self.assertEqual(self._new_mails.email_to, self.customer.email)
        self.assertTrue(self.verification.link_sent_on)
        self._click_refused(self.verification_no_phone, "action_send_customer_link")

    def test_evidence_pack(self):
        model = "crm.activity.verification.evidence.wizard"
        self._as(self.process_manager)
        wizard = self.env[model].with_user(self.process_manager).create({})
        action = self._click(wizard, "action_print")
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"], "crm_activity_verification.report_verification_evidence"
        )
        self._as(self.manager_sales)
        wizard = self.env[model].with_user(self.manager_sales).create({})
        self.assertEqual(wizard.team_ids, self.team_sales)
        self.assertEqual(self._click(wizard, "action_print")["type"], "ir.actions.report")
        wizard = (
            self.env[model]
            .with_user(self.manager_sales)
            .create({"team_ids": [Command.set(self.team_parts.ids)]})
        )
        self._click_refused(wizard, "action_print")

    def test_evidence_pack_in_the_background(self):
        """The threshold decides (issue 24): a pack of more records than one request prints
        safely is asked for in the background; the button answers a notification, then
        the request's form. The scheduled action makes it; who asked downloads it from the
        request's button, another department manager may not."""
        model = "crm.activity.verification.evidence.wizard"
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        cron = self.env.ref(f"{MODULE}.ir_cron_evidence_pack")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        self._as(self.manager_sales)
        wizard = self.env[model].with_user(self.manager_sales).create({})
        self.assertEqual(wizard._count_rows(), 2, "the two verifications of his team")
        with patch.object(type(wizard), "_SYNC_MAX_ROWS", 2):
            action = self._click(wizard, "action_print")
        self.assertEqual(action["type"], "ir.actions.report", "2 records: printed at once")
        self.assertFalse(self.env["crm.activity.verification.evidence.request"].search([]))
        with patch.object(type(wizard), "_SYNC_MAX_ROWS", 1):
            action = self._click(wizard, "action_print")
        self.assertEqual(
            (action["type"], action["tag"]), ("ir.actions.client", "display_notification")
        )
        self.assertIn("It holds 2 records", action["params"]["message"])
        form = action["params"]["next"]
        self.assertEqual(form["res_model"], "crm.activity.verification.evidence.request")
        request = self.env[form["res_model"]].browse(form["res_id"])
        self.assertRecordValues(
            request,
            [
                {
                    "state": "queued",
                    "user_id": self.manager_sales.id,
                    "team_ids": self.team_sales.ids,
                }
            ],
        )
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1)
        with cron_prints_pdf():
            cron.method_direct_trigger()
        request.invalidate_recordset()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.page_count, len(wizard.with_user(self.manager_sales)._get_pages()))
        action = self._click(request, "action_download")
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(self.url_open(action["url"]).content.startswith(b"%PDF"))
        self._as(self.manager_parts)
        self._click_refused(request, "action_download", error="odoo.exceptions.AccessError")

    def test_reopen(self):
        """The HR & process manager reopens a concluded verification (B-4)."""
        self.verification.with_user(self.verifier).action_log_call("confirmed")
        self.assertTrue(self.verification.sealed)
        self._as(self.process_manager)
        action = self._click(self.verification, "action_open_reopen_dialog")
        wizard = self._wizard(
            self.process_manager,
            "crm.activity.verification.reopen",
            action,
            reason="El cliente llamó: la confirmación fue de otra visita",
        )
        self._click(wizard, "action_reopen")
        self.assertRecordValues(self.verification, [{"state": "in_progress", "sealed": False}])

    def test_procedure_settings(self):
        """The HR & process manager, no administrator, saves the procedure's delays."""
        self.assertFalse(self.process_manager.has_group("base.group_system"))
        self._as(self.process_manager)
        Settings = self.env["crm.activity.verification.settings"].with_user(self.process_manager)
        settings = Settings.create(
            {
                **Settings.default_get(list(Settings._fields)),
                "verification_escalation_manager_days": 2,
                "verification_escalation_process_days": 5,
            }
        )
        self.assertEqual(settings.verification_max_attempts, 3, "opens on the current values")
        # the company is read-only in the form only: another company over RPC is refused
        other = self.env["res.company"].create({"name": "Otra concesionaria"})
        foreign = Settings.create({"company_id": other.id, "verification_max_attempts": 9})
        self._click_refused(foreign, "action_save", error="odoo.exceptions.AccessError")
        self.assertEqual(other.verification_max_attempts, 3, "untouched")
        action = self._click(settings, "action_save")
        self.assertEqual((action["res_model"], action["target"]), (Settings._name, "current"))
        self.assertRecordValues(
            self.company_admin,
            [
                {
                    "verification_escalation_manager_days": 2,
                    "verification_escalation_process_days": 5,
                    "verification_max_attempts": 3,
                }
            ],
        )
