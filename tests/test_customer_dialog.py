"""R-2.4, "Complete customer" as the verifier fills it (issue 22, item 2): the company
typed on the FRE-7.5-01 becomes the customer and the person who answered its contact,
never the reverse; an existing customer keeps its name unless she changes it."""

from datetime import datetime

from odoo.tests import Form, HttpCase, freeze_time, tagged

from .common import MODULE, WebClientMixin
from .test_weekly_report import WEEK_START, WeeklyReportCommon

# Thursday 2026-11-26 10:00 in Tijuana
NOW = datetime(2026, 11, 26, 18, 0)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestCompleteCustomerDialog(WebClientMixin, HttpCase, WeeklyReportCommon):
    def _dialog(self, verification):
        """The dialog as the web client opens it (button, then the form's onchange)."""
        self._as(self.verifier)
        action = self._click_ok(verification, "action_open_customer_dialog")
        return Form(
            self.env[action["res_model"]].with_user(self.verifier).with_context(**action["context"])
        )

    def test_company_typed_on_the_report_gets_its_contact(self):
        report = self._report(
            date_start=WEEK_START,
            lines=[
                self._line_vals(
                    datetime(2026, 11, 25, 17, 0),
                    customer_name="Refaccionaria La Rumorosa",
                    contact_name="Sra. Irma Beltrán",
                    phone="+52 686 555 0142",
                )
            ],
        )
        report.with_user(self.promoter).action_submit()
        verification = report.line_ids.verification_id
        dialog = self._dialog(verification)
        self.assertEqual(dialog.name, "Refaccionaria La Rumorosa", "the company, not the person")
        self.assertEqual(dialog.contact_name, "Sra. Irma Beltrán")
        self.assertEqual(dialog.contact_phone, "+52 686 555 0142", "her phone goes with her")
        self.assertFalse(dialog.phone)
        dialog.contact_function = "Gerente de compras"
        dialog.city = "La Rumorosa"
        wizard = dialog.save()
        self._click_ok(wizard, "action_apply")
        customer = verification.partner_id
        self.assertRecordValues(
            customer,
            [{"name": "Refaccionaria La Rumorosa", "is_company": True, "city": "La Rumorosa"}],
        )
        self.assertRecordValues(
            customer.child_ids,
            [
                {
                    "name": "Sra. Irma Beltrán",
                    "phone": "+52 686 555 0142",
                    "function": "Gerente de compras",
                }
            ],
        )
        self.assertEqual(verification.contact_name, "Sra. Irma Beltrán")
        # opened again: nothing proposed twice, nobody renamed
        dialog = self._dialog(verification)
        self.assertEqual(dialog.name, "Refaccionaria La Rumorosa")
        self.assertFalse(dialog.contact_name, "her contact exists already")
        self._click_ok(dialog.save(), "action_apply")
        self.assertEqual(customer.name, "Refaccionaria La Rumorosa")
        self.assertEqual(len(customer.child_ids), 1)

    def test_existing_customer_renamed_only_by_her(self):
        verification = self._verification_done()
        dialog = self._dialog(verification)
        self.assertEqual(dialog.name, self.customer.name)
        self.assertEqual(dialog.contact_name, "Ing. Jesús Valenzuela", "the opportunity's contact")
        dialog.contact_name = False
        self._click_ok(dialog.save(), "action_apply")
        self.assertEqual(self.customer.name, "Transportes del Valle de Mexicali")
        dialog = self._dialog(verification)
        dialog.name = "Transportes del Valle de Mexicali S.A. de C.V."
        dialog.contact_name = False
        self._click_ok(dialog.save(), "action_apply")
        self.assertEqual(self.customer.name, "Transportes del Valle de Mexicali S.A. de C.V.")
        self.assertTrue(
            any("Name" in (body or "") for body in verification.message_ids.mapped("body"))
        )
