"""Spanish everywhere the users look (issue 15, item 3).

The dealership speaks Spanish (its partner's language is es_MX); the acting verifier
and the HR & process manager read English. What each one reads is in their own
language, whoever wrote it: the chatter (the company's staff) in Spanish, each
activity and e-mail in its assignee's or recipient's language, also when a cron (no
language at all) or another user wrote it.
"""

from odoo.tests import freeze_time, tagged

from . import test_sampling_queue
from .test_escalation import at_noon
from .test_followup import FRIDAY_NOON, FollowupCommon

FRIDAY_EVENING = FRIDAY_NOON.replace(day=7, hour=2)  # Friday 18:00 in Tijuana


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestReadersLanguage(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_MX")
        cls.env["ir.module.module"]._load_module_terms(["crm_activity_verification"], ["es_MX"])
        cls.company_admin.partner_id.lang = "es_MX"
        (cls.advisor | cls.manager_sales).lang = "es_MX"
        (cls.verifier | cls.process_manager).lang = "en_US"

    def _notes(self, record):
        return "\n".join(record.message_ids.mapped("body"))

    def _run_cron_as_odoobot(self, method, day):
        """The cron's own method, as the scheduler runs it: superuser, no language."""
        env = self.env(user=self.env.ref("base.user_root"), context={})
        with freeze_time(at_noon(day)), self.mock_mail_gateway(mail_unlink_sent=False):
            getattr(env["crm.activity.verification"], method)()
        return self._new_mails

    def test_followup_and_escalation_in_each_readers_language(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)
        followup = self._activities(verification, self.followup_type)
        self.assertEqual(followup.summary, "Dar seguimiento a Transportes del Valle de Mexicali")
        self.assertIn("Seguimiento solicitado a Arturo Asesor", self._notes(verification))
        self.assertIn("Llamada 1: Confirmada", self._notes(verification))
        self.assertTrue(verification.result.startswith("Confirmada"))

        # Wednesday: the cron escalates to the (Spanish) department manager
        mails = self._run_cron_as_odoobot("_cron_followup_escalation", 11)
        escalation = self._activities(verification, self.escalated_type)
        self.assertEqual(escalation.summary, "Seguimiento vencido de Arturo Asesor")
        self.assertIn(
            "Seguimiento vencido desde el 10/03/2026: escalado a Gerardo Comercial",
            self._notes(verification),
        )
        self.assertEqual(mails.recipient_ids, self.manager_sales.partner_id)
        self.assertTrue(mails.subject.startswith("Seguimiento vencido: VER-"))
        self.assertIn("Gerente de departamento", mails.body_html)
        self.assertNotIn("Department manager", mails.body_html)

        # Friday: to the (English) HR & process manager
        mails = self._run_cron_as_odoobot("_cron_followup_escalation", 13)
        escalation = self._activities(verification, self.escalated_type).filtered(
            lambda activity: activity.user_id == self.process_manager
        )
        self.assertEqual(escalation.summary, "Overdue follow-up of Arturo Asesor")
        self.assertEqual(mails.recipient_ids, self.process_manager.partner_id)
        self.assertTrue(mails.subject.startswith("Overdue follow-up: VER-"))
        self.assertIn("HR & process manager", mails.body_html)
        self.assertIn("escalado a Rocío Hernández (RHP)", self._notes(verification))

    def test_anomaly_and_complaint_notes_in_company_language(self):
        verification = self._confirmed_verification()
        as_verifier = verification.with_user(self.verifier)
        as_verifier.action_report_anomaly("El cliente niega la visita")
        as_verifier.action_report_complaint("Entrega tardía de la unidad")
        notes = self._notes(verification)
        self.assertIn("Anomalía reportada a Rocío Hernández (RHP)", notes)
        self.assertIn("registrada y asignada a Rocío Hernández (RHP)", notes)
        anomaly = self._activities(
            verification, self.env.ref("crm_activity_verification.mail_activity_type_anomaly")
        )
        self.assertTrue(anomaly.summary.startswith("Anomaly: VER-"), "the manager's English")
        self.manager_sales.lang = "es_MX"
        self.process_manager.lang = "es_MX"
        verification.with_user(self.process_manager).action_resolve_anomaly("Aclarado")
        self.assertIn("Anomalía resuelta por Rocío Hernández (RHP)", self._notes(verification))

    def test_phone_request_in_collaborator_language(self):
        verification = self._verification_done(record=self.customer_no_phone)
        verification.with_user(self.verifier).action_request_phone()
        request = verification.activity_ids
        self.assertEqual(request.summary, "Teléfono de Fletes Rosarito")
        self.assertEqual(
            request.activity_type_id.with_context(lang=self.advisor.lang).name,
            "Teléfono del contacto solicitado",
        )
        self.assertIn("Teléfono solicitado a Arturo Asesor", self._notes(verification))

    def test_capture_reminder_in_advisor_language(self):
        """The daily cron (no language) gives each advisor a to-do in his language."""
        self.advisor_2.lang = "en_US"
        env = self.env(user=self.env.ref("base.user_root"), context={})
        with freeze_time(FRIDAY_EVENING), self.mock_mail_gateway(mail_unlink_sent=False):
            env["res.users"]._cron_daily_capture_reminder()
        reminder_type = self.env.ref(
            "crm_activity_verification.mail_activity_type_capture_reminder"
        )
        reminders = self.env["mail.activity"].search([("activity_type_id", "=", reminder_type.id)])
        summaries = {activity.user_id: activity.summary for activity in reminders}
        self.assertEqual(
            summaries[self.advisor],
            "Registrar en el CRM las actividades de promoción y venta del día",
        )
        self.assertEqual(
            summaries[self.advisor_2],
            "Record today's promotion and sales activities in the CRM",
        )
        mails = self._new_mails
        self.assertIn(
            "Registre en el CRM las actividades del día",
            mails.filtered(lambda m: m.recipient_ids == self.advisor.partner_id).subject,
        )


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestSamplingReasonLanguage(test_sampling_queue.SamplingCommon):
    def test_switch_reason_in_company_language(self):
        """The weekly switching cron (no language) explains the change to the managers
        in the company's language."""
        self.env["res.lang"]._activate_lang("es_MX")
        self.env["ir.module.module"]._load_module_terms(["crm_activity_verification"], ["es_MX"])
        self.company_admin.partner_id.lang = "es_MX"
        self._level(self.advisor, "normal")
        for weeks_ago in (1, 4):
            test_sampling_queue.TestSamplingSwitchingRules._week(self, weeks_ago, bad=True)
        env = self.env(user=self.env.ref("base.user_root"), context={})
        with freeze_time(test_sampling_queue.TestSamplingSwitchingRules.SATURDAY):
            env["crm.activity.verification"]._cron_sampling_switch()
        log = self.env["crm.activity.verification.sampling.log"].search(
            [("user_id", "=", self.advisor.id), ("reason", "!=", "set by the test")]
        )
        self.assertIn("2 de las últimas 5 semanas", log.reason)
