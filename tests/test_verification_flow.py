from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import VerificationCommon


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationFlow(VerificationCommon):
    # ------------------------------------------------------------------
    # a done activity of a procedure type creates its verification
    # ------------------------------------------------------------------
    def test_done_activity_on_opportunity_creates_verification(self):
        verification = self._verification_done(
            self.lead, self.advisor, feedback="Demostré el ProStar"
        )
        self.assertEqual(len(verification), 1)
        self.assertRecordValues(
            verification,
            [
                {
                    "source": "crm",
                    "state": "pending",
                    "partner_id": self.customer.id,
                    "lead_id": self.lead.id,
                    "user_id": self.advisor.id,
                    "team_id": self.team_sales.id,
                    "reported_activity_type_id": self.type_visit.id,
                    "contact_name": "Ing. Jesús Valenzuela",
                    "phone": "+52 686 555 0101",
                    "company_id": self.company_admin.id,
                }
            ],
        )
        self.assertIn("Demostré el ProStar", verification.description)
        activity = verification.activity_id
        self.assertFalse(activity.active, "the reported activity is done (archived)")
        self.assertEqual(activity.verification_state, "pending")
        # visible on the opportunity and the customer
        self.assertEqual(self.lead.verification_count, 1)
        self.assertEqual(self.lead.verification_state, "pending")
        self.assertEqual(self.customer.verification_count, 1)
        # audit trail: the creation is logged on the verification
        self.assertIn("Arturo Asesor", verification.message_ids[:1].body)

    def test_done_activity_on_partner_creates_verification(self):
        verification = self._verification_done(self.customer, self.advisor, self.type_call)
        self.assertRecordValues(
            verification,
            [{"partner_id": self.customer.id, "lead_id": False, "team_id": self.team_sales.id}],
        )

    def test_activity_type_without_flag_creates_nothing(self):
        activity = self._schedule(self.lead, self.advisor, self.type_todo)
        activity.with_user(self.advisor).action_feedback(feedback="Hecho")
        self.assertFalse(activity.with_context(active_test=False).verification_id)
        self.assertFalse(self.Verification.search([("lead_id", "=", self.lead.id)]))

    def test_many_activities_done_at_once(self):
        activities = self.env["mail.activity"]
        for _i in range(5):
            activities |= self._schedule(self.lead, self.advisor)
        activities |= self._schedule(self.lead, self.advisor, self.type_todo)
        activities.with_user(self.advisor).action_done()
        verifications = self.Verification.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(len(verifications), 5)
        self.assertEqual(set(verifications.activity_id.ids), set(activities[:5].ids))

    # ------------------------------------------------------------------
    # calls and their result
    # ------------------------------------------------------------------
    def test_log_call_confirmed_records_result_and_validation(self):
        verification = self._verification_done()
        as_verifier = verification.with_user(self.verifier)
        self.assertIs(
            as_verifier.action_log_call("confirmed", notes="Confirma la visita del martes"), True
        )
        self.assertRecordValues(
            verification,
            [
                {
                    "state": "confirmed",
                    "verifier_id": self.verifier.id,
                    "call_count": 1,
                    "last_outcome": "confirmed",
                }
            ],
        )
        self.assertIn("Confirma la visita del martes", verification.result)
        self.assertTrue(verification.verified_on)
        self.assertEqual(verification.activity_id.verification_state, "confirmed")
        # the validation is recorded on the opportunity of the sales advisor
        note = self.lead.message_ids.filtered(
            lambda m: "Confirma la visita del martes" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.verifier.partner_id)
        # audit trail on the verification
        self.flush_tracking()
        verification.invalidate_recordset(["message_ids"])
        tracked = verification.message_ids.sudo().tracking_value_ids.field_id.mapped("name")
        self.assertIn("state", tracked)

    def test_log_call_not_confirmed(self):
        verification = self._verification_done()
        verification.with_user(self.verifier).action_log_call(
            "not_confirmed", notes="Nadie lo visitó"
        )
        self.assertEqual(verification.state, "not_confirmed")
        self.assertEqual(self.lead.verification_state, "not_confirmed")

    def test_unreachable_after_max_attempts(self):
        self.company_admin.verification_max_attempts = 2
        verification = self._verification_done().with_user(self.verifier)
        verification.action_log_call("no_answer")
        self.assertEqual(verification.state, "in_progress")
        verification.action_log_call("call_back", notes="Llamar a las 5")
        self.assertEqual(verification.state, "in_progress", "a call back is no failed attempt")
        verification.action_log_call("wrong_number")
        self.assertEqual(verification.state, "unreachable")
        self.assertEqual(verification.call_count, 3)

    def test_call_dialog(self):
        verification = self._verification_done()
        action = verification.with_user(self.verifier).action_open_call_dialog()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.verifier).with_context(**action["context"])
        )
        wizard_form.outcome = "confirmed"
        wizard_form.notes = "Todo correcto"
        wizard_form.save().action_log()
        self.assertEqual(verification.state, "confirmed")

    # ------------------------------------------------------------------
    # Bad input: clear message, nothing changed
    # ------------------------------------------------------------------
    def test_unknown_outcome_refused(self):
        verification = self._verification_done().with_user(self.verifier)
        with self.assertRaisesRegex(UserError, "Unknown call outcome"):
            verification.action_log_call("maybe")
        self.assertEqual(verification.state, "pending")
        self.assertFalse(verification.call_ids)

    def test_call_on_concluded_verification_refused(self):
        verification = self._verification_done().with_user(self.verifier)
        verification.action_log_call("confirmed")
        with self.assertRaisesRegex(UserError, "already concluded"):
            verification.action_log_call("not_confirmed")
        self.assertEqual(verification.state, "confirmed")
        self.assertEqual(verification.call_count, 1)

    def test_call_without_any_phone_refused(self):
        verification = self._verification_done(self.customer_no_phone, self.advisor)
        self.assertFalse(verification.phone)
        with self.assertRaisesRegex(UserError, "has no phone number"):
            verification.with_user(self.verifier).action_log_call("confirmed")
        self.assertEqual(verification.state, "pending")
        self.assertFalse(verification.call_ids)

    # ------------------------------------------------------------------
    # missing phone, completing the customer
    # ------------------------------------------------------------------
    def test_request_phone_asks_collaborator(self):
        verification = self._verification_done(self.customer_no_phone, self.advisor)
        with self.mock_mail_gateway():
            self.assertIs(
                verification.with_user(self.verifier).action_request_phone("¿Teléfono?"), True
            )
        self.assertEqual(verification.state, "in_progress")
        activity = verification.activity_ids
        self.assertEqual(activity.user_id, self.advisor)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("crm_activity_verification.mail_activity_type_phone_request"),
        )
        # the collaborator is told by e-mail
        self.assertMailMail(self.advisor.partner_id, "sent", author=self.verifier.partner_id)

    def test_complete_customer_data_during_call(self):
        verification = self._verification_done(self.customer_no_phone, self.advisor)
        action = verification.with_user(self.verifier).action_open_customer_dialog()
        with Form(
            self.env[action["res_model"]].with_user(self.verifier).with_context(**action["context"])
        ) as wizard_form:
            wizard_form.phone = "+52 661 555 0199"
            wizard_form.email = "ventas@fletesrosarito.example.com"
            wizard_form.contact_name = "Lic. Marta Ochoa"
            wizard_form.contact_phone = "+52 661 555 0100"
        wizard_form.record.action_apply()
        self.assertEqual(self.customer_no_phone.phone, "+52 661 555 0199")
        contact = self.customer_no_phone.child_ids
        self.assertEqual(contact.name, "Lic. Marta Ochoa")
        self.assertEqual(verification.contact_name, "Lic. Marta Ochoa")
        self.assertEqual(verification.phone, "+52 661 555 0100")
        # each change is visible on the customer's chatter, authored by the verifier
        self.flush_tracking()
        self.customer_no_phone.invalidate_recordset()
        messages = self.customer_no_phone.message_ids
        self.assertTrue(
            messages.sudo().tracking_value_ids.filtered(lambda t: t.field_id.name == "phone")
        )
        self.assertTrue(any("Lic. Marta Ochoa" in (m.body or "") for m in messages))
        self.assertTrue(all(m.author_id == self.verifier.partner_id for m in messages[:2]))
        # now the call can be made
        verification.with_user(self.verifier).action_log_call("confirmed")
        self.assertEqual(verification.state, "confirmed")

    def test_create_customer_for_lead_without_partner(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Camión de reparto",
                "type": "opportunity",
                "contact_name": "Sr. Ramón Soto",
                "phone": "+52 664 555 0123",
                "user_id": self.advisor.id,
                "team_id": self.team_sales.id,
            }
        )
        verification = self._verification_done(lead, self.advisor)
        self.assertFalse(verification.partner_id)
        self.assertEqual(verification.phone, "+52 664 555 0123")
        action = verification.with_user(self.verifier).action_open_customer_dialog()
        with Form(
            self.env[action["res_model"]].with_user(self.verifier).with_context(**action["context"])
        ) as wizard_form:
            wizard_form.name = "Repartos Soto"
            wizard_form.city = "Tijuana"
        wizard_form.record.action_apply()
        self.assertEqual(verification.partner_id.name, "Repartos Soto")
        self.assertEqual(verification.partner_id.city, "Tijuana")
        self.assertEqual(lead.partner_id, verification.partner_id)
        self.assertTrue(
            any("Customer created" in (m.body or "") for m in verification.partner_id.message_ids)
        )
