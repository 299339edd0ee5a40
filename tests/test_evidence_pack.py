"""The auditor's evidence pack (ISO 9001 §7.5, issue 10 item 4), printed for real by
Debian's wkhtmltopdf and read back with pdftotext."""

import shutil
from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged

from .test_weekly_report import NOW, WeeklyReportCommon
from .test_weekly_report_pdf import pdf_pages_text, pdf_text_bottoms

REPORT = "crm_activity_verification.action_report_verification_evidence"


class EvidencePackCommon(HttpCase, WeeklyReportCommon):
    """A month of both departments: verifications with calls, a follow-up, an anomaly
    resolved, a complaint and a signed FRE-7.5-01; wkhtmltopdf prints for real, its CSS
    from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wizard = cls.env["crm.activity.verification.evidence.wizard"]
        # sales: a confirmed verification with its call, a follow-up, an anomaly resolved
        cls.confirmed = cls._verification_done(feedback="Visita a Transportes del Valle")
        cls.confirmed.sudo()._workflow().write(
            {
                "followup_state": "requested",
                "followup_note": "Enviar cotización de refacciones",
                "followup_deadline": date(2026, 11, 30),
            }
        )
        cls.confirmed.with_user(cls.verifier).action_log_call(
            "confirmed", notes="Cliente confirma la visita del martes"
        )
        cls.anomalous = cls._verification_done(
            record=cls.customer, user=cls.advisor_2, feedback="Segunda visita"
        )
        cls.anomalous.with_user(cls.verifier).action_log_call(
            "not_confirmed", notes="El cliente niega la visita"
        )
        cls.anomalous.with_user(cls.verifier).action_report_anomaly(
            "Cliente niega haber sido visitado"
        )
        cls.anomalous.with_user(cls.process_manager).action_resolve_anomaly(
            "Aclarado con el asesor: visitó a otro contacto"
        )
        cls.anomalous.with_user(cls.verifier).action_report_complaint(
            "Queja por llamadas repetidas"
        )
        # parts: the promoter's signed weekly report
        cls.fre = cls._report(
            lines=[cls._line_vals(datetime(2026, 11, 23, 17, 30), cls.customer)],
            signed_by="Pablo Promotor Ruiz",
        )
        cls.env.flush_all()

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not available")

    def _wizard(self, user, teams=None):
        values = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
        if teams:
            values["team_ids"] = [(6, 0, teams.ids)]
        return self.Wizard.with_user(user).create(values)

    def _print(self, wizard):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(wizard.env.user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, wizard.ids)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_pages_text(content)

    def _assert_numbered(self, pages):
        for number, text in enumerate(pages, start=1):
            self.assertIn(f"Page {number} of {len(pages)}", text)
            self.assertIn("Verification Evidence Pack", text)


# every section's words, as test_pack_holds_every_section finds them printed
def every_section(test):
    return (
        "Summary",
        "Confirmation rate",
        test.advisor.name,
        test.verifier.name,
        "Cliente confirma la visita del martes",
        "El cliente niega la visita",
        "Enviar cotización de refacciones",
        "30/11/2026",
        "Cliente niega haber sido visitado",
        "Aclarado con el asesor: visitó a otro contacto",
        "Queja por llamadas repetidas",
        test.fre.name,
        "Pablo Promotor Ruiz",
        "26/11/2026",
        "Integrity of the sealed records",
        "Intact:",
    )


@tagged("post_install", "-at_install", "crm_activity_verification")
@freeze_time(NOW)
class TestEvidencePack(EvidencePackCommon):
    def test_pack_holds_every_section(self):
        pages = self._print(self._wizard(self.process_manager))
        self._assert_numbered(pages)
        # cells wrap: every word of each value is printed
        printed = "\n".join(pages).split()
        for text in every_section(self):
            for word in text.split():
                self.assertIn(word, printed, text)

    def test_manager_prints_only_his_teams(self):
        wizard = self._wizard(self.manager_sales)
        self.assertEqual(wizard.team_ids, self.team_sales, "his own teams by default")
        printed = "\n".join(self._print(wizard))
        self.assertIn("martes", printed)
        self.assertNotIn(self.fre.name, printed, "another department's report")
        other = self._wizard(self.manager_sales, self.team_parts)
        with self.assertRaisesRegex(UserError, "departments you lead"):
            other.action_print()
        with self.assertRaisesRegex(UserError, "departments you lead"):
            self._print(other)
        with self.assertRaises(UserError):
            self._wizard(self.verifier).action_print()

    def test_long_text_continues_and_every_page_is_numbered(self):
        words = [f"PALABRA{index:04d}" for index in range(700)]
        pending = self._verification_done(record=self.customer, feedback="Visita larga")
        pending.sudo()._workflow().write({"description": " ".join(words)})
        pages = self._print(self._wizard(self.process_manager))
        self.assertGreater(len(pages), 2)
        self._assert_numbered(pages)
        printed = "\n".join(pages).split()
        for word in words:
            self.assertIn(word, printed, "every character entered is printed")
        self.assertIn("(continues)", printed)
        self.assertIn("(continued)", printed)

    def test_pages_are_full_but_the_last(self):
        """Sections flow on: a page ends only where the next row does not fit, not half
        empty (issue 22, item 16): every page but the last is filled to three quarters of
        the printable height at least."""
        for index in range(24):
            verification = self._verification_done(
                record=self.customer, feedback=f"Visita {index}: presentación de la línea LT"
            )
            verification.with_user(self.verifier).action_log_call(
                "confirmed", notes="Confirma la visita y pide la ficha técnica por correo."
            )
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.process_manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self._wizard(self.process_manager).ids)
        )
        bottoms = pdf_text_bottoms(content)
        self.assertGreater(len(bottoms), 2)
        # Letter landscape: 215.9 mm high, 8 mm margins
        full = 8 + 0.75 * (215.9 - 16)
        self.assertEqual(
            [page for page, bottom in enumerate(bottoms[:-1], 1) if bottom < full],
            [],
            f"pages filled to {[round(bottom) for bottom in bottoms]} mm of 207.9",
        )
