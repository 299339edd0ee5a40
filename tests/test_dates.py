"""Every date a person reads in his language and time zone (issue 22, item 11): the
chatter, the errors, the integrity PDF as the evidence pack."""

from datetime import date, datetime

from odoo.tests import HttpCase, freeze_time, tagged

from .common import MODULE, WebClientMixin
from .test_weekly_report import WEEK_START, WeeklyReportCommon

# Thursday 2026-11-26 05:18 in Tijuana (UTC-8)
NOW = datetime(2026, 11, 26, 13, 18)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestDatesPeopleRead(WebClientMixin, HttpCase, WeeklyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_MX")
        cls.env["ir.module.module"]._load_module_terms([MODULE], ["es_MX"])
        cls.company_admin.partner_id.lang = "es_MX"
        (cls.verifier | cls.promoter | cls.process_manager).lang = "es_MX"

    def test_chatter_note_of_a_followup(self):
        """The follow-up's note on the verification: "08/12/2026", not "2026-12-08"."""
        verification = self._verification_done()
        verification.with_user(self.verifier).action_log_call("confirmed")
        self._as(self.verifier)
        action = self._click_ok(verification, "action_open_followup_dialog")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.verifier)
            .with_context(**action["context"])
            .create({"notes": "Enviar la cotización", "deadline": date(2026, 12, 8)})
        )
        self._click_ok(wizard, "action_request")
        bodies = " ".join(verification.message_ids.mapped("body"))
        self.assertIn("08/12/2026", bodies)
        self.assertNotIn("2026-12-08", bodies)
        # asked again: the error says when, the same way
        error = self._click_error(
            verification, "action_request_followup", "Otra vez", context={"lang": "es_MX"}
        )
        self.assertIn("08/12/2026", error["message"])

    def test_unsigned_submit_error(self):
        report = self._report(
            date_start=WEEK_START,
            signed=False,
            lines=[self._line_vals(datetime(2026, 11, 24, 17, 0), self.customer)],
        )
        self._as(self.promoter)
        error = self._click_error(report, "action_submit", context={"lang": "es_MX"})
        self.assertIn("21/11/2026", error["message"])
        self.assertNotIn("2026-11-21", error["message"])

    def test_integrity_pdf_in_local_time(self):
        """A record sealed at 05:18 in Tijuana is printed at 05:18, as in the evidence pack."""
        verification = self._verification_done()
        verification.with_user(self.verifier).action_log_call("confirmed")
        self.env.flush_all()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.process_manager)
            .with_context(tz="America/Tijuana", lang="es_MX")
            ._render_qweb_html(
                f"{MODULE}.action_report_verification_integrity", self.company_admin.ids
            )[0]
            .decode()
        )
        self.assertIn("05:18", html)
        self.assertNotIn("13:18", html)
        wizard = (
            self.env["crm.activity.verification.evidence.wizard"]
            .with_user(self.process_manager)
            .with_context(tz="America/Tijuana")
            .create({"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)})
        )
        pack = (
            self.env["ir.actions.report"]
            .with_user(self.process_manager)
            .with_context(tz="America/Tijuana", lang="es_MX")
            ._render_qweb_html(f"{MODULE}.report_verification_evidence", wizard.ids)[0]
            .decode()
        )
        self.assertIn("26/11/2026 05:18", pack)
