from odoo.tests import HttpCase, tagged

from .common import create_board_fixture


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        fixture = create_board_fixture(cls.env, prefix="tour")
        cls.verifier = fixture["verifier"]
        cls.verification = fixture["verification"]

    def test_verifier_logs_call_from_board(self):
        """The verifier confirms a visit from the board; the card changes column (R-2.3, R-2.5)."""
        self.assertEqual(self.verification.state, "pending")
        self.start_tour(
            "/odoo/action-crm_activity_verification.crm_activity_verification_action_board",
            "crm_activity_verification_tour",
            login=self.verifier.login,
        )
        self.verification.invalidate_recordset()
        self.assertRecordValues(
            self.verification,
            [
                {
                    "state": "confirmed",
                    "call_count": 1,
                    "last_outcome": "confirmed",
                    "verifier_id": self.verifier.id,
                }
            ],
        )
        self.assertIn("línea LT", self.verification.result)
