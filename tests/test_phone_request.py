"""R-2.2, the whole loop of a phone request (issue 22, item 1): the verifier asks, the
collaborator answers in a dialog, the number reaches the verification, the customer and
the head of the call queue; a request left open closes when the verification concludes."""

from odoo.tests import HttpCase, tagged

from .common import MODULE, VerificationCommon, WebClientMixin, new_user


@tagged("post_install", "-at_install", MODULE)
class TestPhoneRequest(WebClientMixin, HttpCase, VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone_advisor = new_user(
            cls.env, "phone_advisor", "Daniel Castro Urías", verification_role="sales_advisor"
        )
        cls.team_sales.member_ids |= cls.phone_advisor
        cls.customer_no_phone.country_id = cls.env.ref("base.mx")
        cls.older = cls._verification_done()  # has a phone: in the queue already
        cls.verification = cls._verification_done(
            record=cls.customer_no_phone, user=cls.phone_advisor
        )
        cls.verification.with_user(cls.verifier).action_request_phone(
            "No encuentro el teléfono de Fletes Rosarito"
        )
        cls.request = cls.verification.activity_ids

    def test_collaborator_gives_the_phone_in_the_dialog(self):
        """He finds the request in his Activities menu and answers it in the dialog
        (tour); the number is on the verification and the customer, the request done,
        the card says so, and the verifier's next call is this one."""
        verification = self.verification
        self.assertTrue(verification.phone_requested)
        self.start_tour(
            "/odoo", "crm_activity_verification_phone_request_tour", login="phone_advisor"
        )
        verification.invalidate_recordset()
        self.assertRecordValues(
            verification,
            [
                {
                    "phone": "+52 661 555 0177",
                    "contact_name": "Sr. Ramón Félix",
                    "phone_received": True,
                    "phone_requested": False,
                }
            ],
        )
        self.assertEqual(self.customer_no_phone.phone, "+52 661 555 0177", "written where empty")
        self.assertFalse(self.request.exists().active, "the request is done")
        bodies = verification.message_ids.mapped("body")
        self.assertTrue(any("gave the phone number +52 661 555 0177" in body for body in bodies))
        self.assertTrue(
            any(
                "+52 661 555 0177" in body
                for body in self.customer_no_phone.message_ids.mapped("body")
            )
        )
        # the verifier's board card says so
        card = verification.with_user(self.verifier).web_read({"phone_received": {}})
        self.assertTrue(card[0]["phone_received"])
        # first in her call queue, before the older verification
        self._as(self.verifier)
        action = self._click_ok(self.Verification, "action_next_call")
        self.assertEqual(action["res_id"], verification.id)
        # once called, it takes its place again
        verification.with_user(self.verifier).action_log_call("no_answer")
        self.assertFalse(verification.phone_received)

    def test_only_his_collaborator_with_a_valid_number(self):
        """Refused, with nothing changed: another collaborator, the verifier, a wrong
        number, no open request."""
        verification = self.verification
        self._as(self.advisor)  # not his activity: he cannot even read it
        error = self._click_error(verification, "action_provide_phone", "+52 661 555 0177")
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self._as(self.verifier)
        error = self._click_error(verification, "action_provide_phone", "+52 661 555 0177")
        self.assertIn("Only Daniel Castro Urías", error["message"])
        self._as(self.phone_advisor)
        error = self._click_error(verification, "action_provide_phone", "555")
        self.assertIn("is not a valid phone number in Mexico", error["message"])
        self.assertFalse(verification.phone)
        self.assertTrue(self.request.active)
        # True: the web client is told nothing to do (False) and reloads the record
        self.assertFalse(self._click_ok(verification, "action_provide_phone", "6615550177"))
        self.assertEqual(verification.phone, "+52 661 555 0177")
        error = self._click_error(verification, "action_provide_phone", "6615550178")
        self.assertIn("No phone number is asked of you", error["message"])
        self.assertEqual(verification.phone, "+52 661 555 0177")

    def test_request_left_open_closes_when_concluded(self):
        """The verifier found the number herself and concluded: the request closes with
        a note, and the collaborator has nothing left to do."""
        verification = self.verification
        self._as(self.verifier)
        action = self._click_ok(verification, "action_open_customer_dialog")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.verifier)
            .with_context(**action["context"])
            .create({"phone": "+52 661 555 0101"})
        )
        self._click_ok(wizard, "action_apply")
        self.assertTrue(self.request.active, "still open while the call is to make")
        action = self._click_ok(verification, "action_open_call_dialog")
        call = (
            self.env[action["res_model"]]
            .with_user(self.verifier)
            .with_context(**action["context"])
            .create({"outcome": "confirmed"})
        )
        self._click_ok(call, "action_log")
        self.assertEqual(verification.state, "confirmed")
        self.assertFalse(self.request.exists().active)
        done = verification.message_ids.filtered(lambda m: "No longer needed" in (m.body or ""))
        self.assertTrue(done, "the request closed with a note")
        self.assertFalse(
            self.env["mail.activity"].search(
                [("user_id", "=", self.phone_advisor.id), ("res_id", "=", verification.id)]
            )
        )
