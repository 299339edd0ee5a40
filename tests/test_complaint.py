"""R-2.8 complaints handed to PAD-8.5-02, R-2.7/R-3.3 anomalies, and each role's access."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .test_followup import FollowupCommon


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationComplaint(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["crm.activity.complaint"]
        cls.verification = cls._verification_done().with_env(cls.env)

    def _report(self, description="El camión se entregó con dos semanas de retraso", user=None):
        return self.verification.with_user(user or self.verifier).action_report_complaint(
            description
        )

    def test_report_complaint_links_customer_and_notifies_handler(self):
        with self.mock_mail_gateway(mail_unlink_sent=False):
            complaint_id = self._report()
        self.assertIsInstance(complaint_id, int)
        complaint = self.Complaint.browse(complaint_id)
        self.assertRecordValues(
            complaint,
            [
                {
                    "partner_id": self.customer.id,
                    "verification_id": self.verification.id,
                    "user_id": self.process_manager.id,  # no handler set: the process manager
                    "state": "new",
                    "procedure_ref": "PAD-8.5-02",
                    "collaborator_id": self.advisor.id,
                    "company_id": self.company_admin.id,
                }
            ],
        )
        self.assertRegex(complaint.name, r"^QJ/\d{4}/\d{4}$")
        # the handler is notified: an activity and an e-mail
        self.assertEqual(complaint.activity_ids.user_id, self.process_manager)
        mail = self._mails_of(complaint)
        self._assert_mail(mail, self.process_manager, subject=complaint.name)
        self.assertIn("PAD-8.5-02", mail.subject)
        # visible on the customer and on the verification
        self.assertEqual(self.customer.complaint_count, 1)
        self.assertEqual(self.customer.complaint_ids, complaint)
        self.assertEqual(self.verification.complaint_count, 1)
        self.assertEqual(
            self.customer.action_view_complaints()["res_model"], "crm.activity.complaint"
        )
        self._assert_logged(self.verification, complaint.name)

    def test_configured_handler(self):
        self.company_admin.verification_complaint_user_id = self.manager_parts
        complaint = self.Complaint.browse(self._report())
        self.assertEqual(complaint.user_id, self.manager_parts)
        # the handler works the complaint through its states
        as_handler = complaint.with_user(self.manager_parts)
        as_handler.action_start()
        with self.assertRaises(UserError):
            as_handler.action_resolve()  # no resolution written
        self.assertEqual(complaint.state, "in_progress")
        as_handler.resolution = "Se ofreció un servicio sin costo"
        as_handler.action_resolve()
        self.assertEqual(complaint.state, "resolved")
        self.assertTrue(complaint.resolved_on)
        self.assertFalse(complaint.activity_ids, "the handler's activity is done")
        with self.assertRaises(UserError):
            as_handler.action_cancel()

    def test_empty_description_is_refused(self):
        for description in ("", "   ", False):
            with self.subTest(description=description), self.assertRaises(UserError):
                self._report(description)
        self.assertFalse(self.Complaint.search([("verification_id", "=", self.verification.id)]))

    def test_complaint_wizard(self):
        action = self.verification.with_user(self.verifier).action_open_complaint_dialog()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.verifier).with_context(**action["context"])
        )
        wizard_form.description = "Mala atención en el taller"
        result = wizard_form.save().action_report()
        self.assertEqual(
            self.Complaint.browse(result["res_id"]).description, "Mala atención en el taller"
        )

    # ------------------------------------------------------------------
    # access per role
    # ------------------------------------------------------------------
    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_complaint_access_per_role(self):
        complaint = self.Complaint.browse(self._report())
        readers = (self.verifier, self.process_manager, self.advisor, self.manager_sales)
        for user in readers:
            with self.subTest(user=user.login):
                self.assertEqual(
                    complaint.with_user(user).read(["name"])[0]["name"], complaint.name
                )
        for user in (self.advisor_2, self.manager_parts, self.verifier_c2, self.promoter):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                complaint.with_user(user).read(["name"])
        # only verifiers (and the process manager) record complaints
        for user in (self.advisor, self.manager_sales):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._report(user=user)
        # a department manager reads his team's complaints but does not change them
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager_sales).write({"description": "Otra"})
        with self.assertRaises(AccessError):
            complaint.with_user(self.advisor).action_start()
        complaint.with_user(self.process_manager).action_start()
        self.assertEqual(complaint.state, "in_progress")


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationAnomaly(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anomaly_type = cls.env.ref("crm_activity_verification.mail_activity_type_anomaly")
        cls.verification = cls._verification_done().with_env(cls.env)

    def _anomaly_activities(self):
        return self._activities(self.verification, self.anomaly_type)

    def test_report_and_resolve_anomaly(self):
        with self.mock_mail_gateway(mail_unlink_sent=False):
            result = self.verification.with_user(self.verifier).action_report_anomaly(
                "El cliente niega la visita"
            )
        self.assertIs(result, True)
        self.assertRecordValues(
            self.verification,
            [
                {
                    "anomaly": True,
                    "anomaly_description": "El cliente niega la visita",
                    "anomaly_reported_by_id": self.verifier.id,
                    "anomaly_resolved_on": False,
                }
            ],
        )
        self.assertEqual(self._anomaly_activities().user_id, self.process_manager)
        mail = self._mails_of(self.verification)
        self._assert_mail(mail, self.process_manager, subject="Anomaly to resolve")
        self.assertIn("El cliente niega la visita", mail.body_html)

        self.verification.with_user(self.process_manager).action_resolve_anomaly(
            "Se habló con el asesor"
        )
        self.assertRecordValues(
            self.verification,
            [
                {
                    "anomaly": True,  # stays on the verification
                    "anomaly_resolution": "Se habló con el asesor",
                    "anomaly_resolved_by_id": self.process_manager.id,
                }
            ],
        )
        self.assertTrue(self.verification.anomaly_resolved_on)
        self.assertFalse(self._anomaly_activities())
        self._assert_logged(self.verification, "Anomaly resolved")

    def test_anomalies_counted_per_collaborator(self):
        self.verification.with_user(self.verifier).action_report_anomaly("Niega la visita")
        other = self._verification_done(self.customer, self.advisor_2, self.type_call)
        other.with_user(self.verifier).action_report_anomaly("Teléfono falso")
        self._verification_done(self.customer, self.advisor_2, self.type_call)
        counts = dict(
            self.Verification.with_user(self.process_manager)._read_group(
                [("anomaly", "=", True)], ["user_id"], ["__count"]
            )
        )
        self.assertEqual(counts, {self.advisor: 1, self.advisor_2: 1})

    def test_bad_inputs(self):
        with self.assertRaises(UserError):
            self.verification.with_user(self.verifier).action_report_anomaly("  ")
        self.assertFalse(self.verification.anomaly)
        with self.assertRaises(UserError):
            self.verification.with_user(self.process_manager).action_resolve_anomaly(
                "Nada que resolver"
            )
        self.verification.with_user(self.verifier).action_report_anomaly("Niega la visita")
        with self.assertRaises(UserError):
            self.verification.with_user(self.verifier).action_report_anomaly("Otra")
        with self.assertRaises(UserError):
            self.verification.with_user(self.process_manager).action_resolve_anomaly("")
        self.assertEqual(self.verification.anomaly_description, "Niega la visita")
        self.assertFalse(self.verification.anomaly_resolved_on)

    @users("asesor", "gcom")
    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_collaborator_and_manager_cannot_report(self):
        with self.assertRaises(AccessError):
            self.verification.with_user(self.env.user).action_report_anomaly("Niega la visita")
        self.assertFalse(self.verification.sudo().anomaly)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_only_process_manager_resolves(self):
        self.verification.with_user(self.verifier).action_report_anomaly("Niega la visita")
        for user in (self.verifier, self.manager_sales, self.advisor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.verification.with_user(user).action_resolve_anomaly("Resuelto")
        self.assertFalse(self.verification.anomaly_resolved_on)
        # the collaborator and his manager can read the anomaly
        for user in (self.advisor, self.manager_sales):
            self.assertEqual(
                self.verification.with_user(user).read(["anomaly_description"])[0][
                    "anomaly_description"
                ],
                "Niega la visita",
            )

    def test_process_manager_setting_empty_falls_back_to_group_member(self):
        self.company_admin.verification_process_manager_id = False
        self.verification.invalidate_recordset()
        fallback = self.verification.process_manager_id
        self.assertTrue(fallback.has_group("crm_activity_verification.group_process_manager"))
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self.verification.with_user(self.verifier).action_report_anomaly("Niega la visita")
        self.assertEqual(self._anomaly_activities().user_id, fallback)
