"""FRE-7.5-01 weekly report of parts promoters and maintenance advisors (R-1.3, R-1.4, R-1.5)."""

import base64
import io
from contextlib import closing
from datetime import date, datetime
from unittest.mock import patch

from PIL import Image, ImageDraw
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import VerificationCommon, remove_test_seals, seal_head

# Thursday 2026-11-26 10:00 in Tijuana (UTC-8): week Saturday 2026-11-21 – Friday 2026-11-27
NOW = datetime(2026, 11, 26, 18, 0)
WEEK_START = date(2026, 11, 21)


def make_signature():
    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (80, 15), (140, 65), (230, 20)], fill="black", width=4)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


class WeeklyReportCommon(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["crm.activity.weekly.report"]
        cls.signature = make_signature()

    @classmethod
    def _line_vals(cls, when, partner=None, **values):
        vals = {
            "date": when,
            "activity_type_id": cls.type_visit.id,
            "description": "Visita de promoción de refacciones",
        }
        if partner:
            vals["partner_id"] = partner.id
        vals.update(values)
        return vals

    @classmethod
    def _report(cls, user=None, date_start=WEEK_START, lines=None, signed=True, **values):
        """A report of ``user`` (the promoter), created as him."""
        user = user or cls.promoter
        vals = {
            "date_start": date_start,
            "line_ids": [Command.create(line) for line in (lines or [])],
        }
        if signed:
            vals.update(
                {
                    "signed_by": user.name,
                    "signature": cls.signature,
                    "signed_on": date(2026, 11, 26),
                }
            )
        vals.update(values)
        return cls.Report.with_user(user).create(vals).with_env(cls.env)

    @classmethod
    def _default_lines(cls):
        return [
            # Monday 2026-11-23 09:30 Tijuana
            cls._line_vals(
                datetime(2026, 11, 23, 17, 30), cls.customer, contact_name="Ing. Jesús Valenzuela"
            ),
            # Wednesday, a customer not in the CRM yet
            cls._line_vals(
                datetime(2026, 11, 25, 20, 0),
                customer_name="Refaccionaria El Ciprés",
                contact_name="Sr. Ramírez",
                phone="+52 646 555 0199",
                activity_type_id=cls.type_call.id,
                description="Llamada de prospección: filtros y balatas",
            ),
        ]


@tagged("post_install", "-at_install", "crm_activity_verification")
@freeze_time(NOW)
class TestWeeklyReport(WeeklyReportCommon):
    # ------------------------------------------------------------------
    # keeping the report
    # ------------------------------------------------------------------
    def test_current_week_report_is_created_once(self):
        action = self.Report.with_user(self.promoter).action_open_current_week()
        report = self.Report.browse(action["res_id"])
        self.assertRecordValues(
            report,
            [
                {
                    "user_id": self.promoter.id,
                    "team_id": self.team_parts.id,
                    "date_start": WEEK_START,
                    "date_end": date(2026, 11, 27),
                    "state": "draft",
                    "company_id": self.company_admin.id,
                }
            ],
        )
        self.assertRegex(report.name, r"^FRE/2026/\d{4}$")
        again = self.Report.with_user(self.promoter).action_open_current_week()
        self.assertEqual(again["res_id"], report.id, "one report per collaborator and week")

    def test_week_follows_the_user_timezone_around_midnight(self):
        def default_week():
            return self.Report.with_user(self.promoter)._default_date_start()

        # Friday 23:59 in Tijuana is already Saturday 07:59 UTC: still the week of the 21st
        with freeze_time("2026-11-28 07:59:00"):
            self.assertEqual(default_week(), WEEK_START)
        # Wednesday: the week in progress
        with freeze_time("2026-12-02 18:00:00"):
            self.assertEqual(default_week(), date(2026, 11, 28))
        # the same instant in Madrid is Saturday morning: the report of the week that just
        # ended is due until it is submitted
        self.promoter.tz = "Europe/Madrid"
        with freeze_time("2026-11-27 23:30:00"):
            self.assertEqual(default_week(), WEEK_START)

    def test_saturday_opens_the_week_that_ended_until_it_is_submitted(self):
        """R-1.5: on Saturday the promoter sends the report of the week that ended the day
        before; once it is submitted, Saturday opens the new week."""
        saturday_in_tijuana = "2026-11-28 17:00:00"  # 09:00 local
        with freeze_time(saturday_in_tijuana):
            action = self.Report.with_user(self.promoter).action_open_current_week()
            report = self.Report.browse(action["res_id"])
            self.assertEqual(report.date_start, WEEK_START)
            report.with_user(self.promoter).write(
                {"line_ids": [Command.create(self._line_vals(NOW, self.customer))]}
            )
            report.with_user(self.promoter).write(
                {
                    "signed_by": self.promoter.name,
                    "signature": self.signature,
                    "signed_on": date(2026, 11, 28),
                }
            )
            report.with_user(self.promoter).action_submit()
            action = self.Report.with_user(self.promoter).action_open_current_week()
            self.assertEqual(self.Report.browse(action["res_id"]).date_start, date(2026, 11, 28))

    def test_one_report_per_collaborator_and_week(self):
        first = self._report()
        # said before the INSERT: no SQL error logged for a user's mistake (issue 22)
        with (
            self.assertNoLogs("odoo.sql_db", level="ERROR"),
            self.assertRaisesRegex(UserError, f"{first.name} for the week of 11/21/2026"),
        ):
            self._report()
            self.env.flush_all()
        # the database still refuses it (two requests at once)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "INSERT INTO crm_activity_weekly_report (name, user_id, date_start, company_id, "
                "state) VALUES ('X', %s, %s, %s, 'draft')",
                [self.promoter.id, first.date_start, first.company_id.id],
            )

    def test_line_with_customer_or_typed_name(self):
        with Form(self._report(signed=False).with_user(self.promoter)) as form:
            with form.line_ids.new() as line:
                line.date = datetime(2026, 11, 24, 17, 0)
                line.partner_id = self.customer
                line.activity_type_id = self.type_visit
                line.contact_name = "Ing. Jesús Valenzuela"
                line.description = "Presenté el catálogo de filtros"
            with form.line_ids.new() as line:
                line.date = datetime(2026, 11, 24, 19, 0)
                line.customer_name = "Taller Mecánico Hermanos López"
                line.phone = "+52 686 555 0177"
                line.activity_type_id = self.type_call
        report = form.record
        self.assertRecordValues(
            report.line_ids,
            [
                {
                    "customer_name": self.customer.name,
                    "phone": self.customer.phone,
                    "partner_id": self.customer.id,
                },
                {
                    "customer_name": "Taller Mecánico Hermanos López",
                    "phone": "+52 686 555 0177",
                    "partner_id": False,
                },
            ],
        )

    # ------------------------------------------------------------------
    # a report is valid only signed, with name and date
    # ------------------------------------------------------------------
    def test_submit_refuses_missing_name_signature_or_date(self):
        for field, message in (
            ("signed_by", "name"),
            ("signature", "signature"),
            ("signed_on", "date of the signature"),
        ):
            with self.subTest(field=field):
                report = self._report(lines=self._default_lines(), date_start=WEEK_START)
                report.with_user(self.promoter).write({field: False})
                with self.assertRaisesRegex(UserError, message):
                    report.with_user(self.promoter).action_submit()
                self.assertEqual(report.state, "draft")
                self.assertFalse(report.submitted_on)
                self.assertFalse(report.line_ids.verification_id)
                report._workflow().unlink()  # the internal path: reports are kept

    def test_submit_refuses_week_not_starting_on_saturday(self):
        report = self._report(date_start=date(2026, 11, 23), lines=[])
        with self.assertRaisesRegex(UserError, "Saturday"):
            report.with_user(self.promoter).action_submit()
        self.assertEqual(report.state, "draft")

    def test_line_outside_week_is_refused_when_saved(self):
        """A line outside the week is flagged when it is saved, not at submit (R-1.4)."""
        report = self._report(lines=[])
        cases = {
            # Saturday 2026-11-28 00:30 in Tijuana: the next week
            "next week": datetime(2026, 11, 28, 8, 30),
            # Friday 2026-11-20 23:59 in Tijuana: the week before
            "week before": datetime(2026, 11, 21, 7, 59),
        }
        for case, when in cases.items():
            with (
                self.subTest(case=case),
                self.assertRaisesRegex(ValidationError, "outside the week"),
            ):
                with self.env.cr.savepoint():
                    report.with_user(self.promoter).write(
                        {"line_ids": [Command.create(self._line_vals(when, self.customer))]}
                    )
            self.assertFalse(report.line_ids, "nothing saved")
        # the form shows the same error when the line is saved
        with self.assertRaisesRegex(ValidationError, "outside the week"):
            with Form(report.with_user(self.promoter)) as form, form.line_ids.new() as line:
                line.date = datetime(2026, 11, 28, 8, 30)
                line.partner_id = self.customer
                line.activity_type_id = self.type_visit
        # a line is kept in its week when the week moves
        report.write({"line_ids": [Command.create(self._line_vals(NOW, self.customer))]})
        with self.assertRaisesRegex(ValidationError, "outside the week"):
            report.with_user(self.promoter).date_start = date(2026, 11, 14)

    def test_submit_refuses_line_in_future(self):
        # Friday 23:30 in Tijuana belongs to the week but is still in the future
        report = self._report(lines=[self._line_vals(datetime(2026, 11, 28, 7, 30), self.customer)])
        with self.assertRaisesRegex(UserError, "in the future"):
            report.with_user(self.promoter).action_submit()
        self.assertEqual(report.state, "draft")
        self.assertFalse(self.Verification.search([("report_line_id", "in", report.line_ids.ids)]))
        report._workflow().unlink()  # the internal path: reports are kept
        # Saturday 00:00 in Tijuana is the first instant of the week
        report = self._report(lines=[self._line_vals(datetime(2026, 11, 21, 8, 0), self.customer)])
        self.assertIs(report.with_user(self.promoter).action_submit(), True)

    # ------------------------------------------------------------------
    # what submitting does
    # ------------------------------------------------------------------
    def test_submit_creates_verifications_and_emails_verifiers(self):
        report = self._report(lines=self._default_lines())
        with self.mock_mail_gateway():
            self.assertIs(report.with_user(self.promoter).action_submit(), True)
        self.assertRecordValues(
            report, [{"state": "submitted", "submitted_on": NOW, "is_late": False}]
        )
        verifications = report.line_ids.verification_id
        self.assertEqual(len(verifications), 2)
        with_customer, without_customer = report.line_ids.sorted("date").verification_id
        self.assertRecordValues(
            with_customer,
            [
                {
                    "source": "report",
                    "state": "pending",
                    "partner_id": self.customer.id,
                    "contact_name": "Ing. Jesús Valenzuela",
                    "phone": self.customer.phone,
                    "user_id": self.promoter.id,
                    "team_id": self.team_parts.id,
                    "reported_activity_type_id": self.type_visit.id,
                    "activity_date": datetime(2026, 11, 23, 17, 30),
                    "company_id": self.company_admin.id,
                },
            ],
        )
        self.assertRecordValues(
            without_customer,
            [
                {
                    # not in the CRM, waiting for the customer record or the phone
                    "source": "report",
                    "state": "in_progress",
                    "partner_id": False,
                    "contact_name": "Sr. Ramírez",
                    "phone": "+52 646 555 0199",
                    "reported_activity_type_id": self.type_call.id,
                    "activity_date": datetime(2026, 11, 25, 20, 0),
                },
            ],
        )
        self.assertIn("Refaccionaria El Ciprés", without_customer.description)
        self.assertEqual(with_customer.report_line_id, report.line_ids.sorted("date")[0])
        self.assertEqual(report.verification_count, 2)
        # the verifiers of the company get the report, the other company's do not
        message = report.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn(self.verifier.partner_id, message.partner_ids)
        self.assertNotIn(self.verifier_c2.partner_id, message.partner_ids)
        self.assertEqual(
            len(message.attachment_ids), 1, "the rendered report travels with the e-mail"
        )
        self.assertMailMail(
            self.verifier.partner_id,
            "sent",
            author=self.promoter.partner_id,
            content="submitted the weekly activity report",
        )
        self.assertNotSentEmail([self.verifier_c2.partner_id])

    def test_render_failure_never_loses_the_submission(self):
        report = self._report(lines=self._default_lines())
        with (
            patch.object(
                type(self.env["ir.actions.report"]),
                "_render_qweb_pdf",
                side_effect=UserError("Wkhtmltopdf failed (error code: -11)"),
            ),
            self.mock_mail_gateway(),
        ):
            report.with_user(self.promoter).action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertEqual(len(report.line_ids.verification_id), 2)
        self.assertMailMail(
            self.verifier.partner_id,
            "sent",
            author=self.promoter.partner_id,
            content="could not be generated",
        )
        self.assertFalse(self._new_mails.attachment_ids)
        note = report.message_ids.filtered(
            lambda m: "could not be generated" in (m.body or "") and m.message_type != "comment"
        )
        self.assertTrue(note, "the chatter says why the PDF is missing")
        self.assertIn("error code: -11", note[0].body)

    def test_second_submit_is_refused_and_creates_nothing(self):
        report = self._report(lines=self._default_lines())
        report.with_user(self.promoter).action_submit()
        with self.mock_mail_gateway(), self.assertRaisesRegex(UserError, "locked"):
            report.with_user(self.promoter).action_submit()
        self.assertFalse(self._new_mails)
        self.assertEqual(
            self.Verification.search_count([("report_line_id.report_id", "=", report.id)]), 2
        )

    # ------------------------------------------------------------------
    # a submitted report is locked
    # ------------------------------------------------------------------
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_submitted_report_is_locked(self):
        report = self._report(lines=self._default_lines())
        report.with_user(self.promoter).action_submit()
        as_promoter = report.with_user(self.promoter)
        with self.assertRaises(UserError):
            as_promoter.write({"signed_by": "Otro nombre"})
        with self.assertRaises(UserError):
            as_promoter.line_ids[0].write({"description": "cambiado"})
        with self.assertRaises(UserError):
            as_promoter.write(
                {
                    "line_ids": [
                        Command.create(
                            self._line_vals(datetime(2026, 11, 24, 17, 0), self.customer)
                        )
                    ]
                }
            )
        with self.assertRaises(UserError):
            as_promoter.unlink()
        # even a verifier cannot change its content, only send it back
        with self.assertRaisesRegex(UserError, "locked"):
            report.with_user(self.verifier).write({"signed_by": "Otro nombre"})
        with self.assertRaisesRegex(UserError, "verifier or the HR & process manager"):
            as_promoter.action_reset_to_draft()
        self.assertEqual(report.signed_by, self.promoter.name)
        self.assertEqual(len(report.line_ids), 2)

    def test_verifier_sends_back_to_draft_with_trace(self):
        report = self._report(lines=self._default_lines())
        report.with_user(self.promoter).action_submit()
        self.assertIs(report.with_user(self.verifier).action_reset_to_draft(), True)
        self.assertEqual(report.state, "draft")
        self.assertIn("Sent back to draft by Alma Ruiz", report.message_ids[0].body)
        # corrected and submitted again: lines already verified keep their verification
        report.with_user(self.promoter).write(
            {
                "line_ids": [
                    Command.create(
                        self._line_vals(datetime(2026, 11, 26, 16, 0), self.customer_no_phone)
                    )
                ]
            }
        )
        report.with_user(self.promoter).action_submit()
        self.assertEqual(len(report.line_ids.verification_id), 3)
        self.assertEqual(
            self.Verification.search_count([("report_line_id.report_id", "=", report.id)]), 3
        )
        report.with_user(self.process_manager).action_reset_to_draft()
        self.assertEqual(report.state, "draft")

    # ------------------------------------------------------------------
    # verified report and validation note on the customer
    # ------------------------------------------------------------------
    def test_report_verified_when_all_verifications_concluded(self):
        report = self._report(lines=self._default_lines())
        report.with_user(self.promoter).action_submit()
        with_customer, without_customer = report.line_ids.sorted("date").verification_id
        with_customer.with_user(self.verifier).action_log_call(
            "confirmed", notes="Confirma la visita del lunes"
        )
        self.assertEqual(report.state, "submitted", "one verification is still open")
        note = self.customer.message_ids[:1]
        self.assertIn(
            "Confirma la visita del lunes", note.body, "R-2.5: validation noted on the customer"
        )
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        without_customer.with_user(self.verifier).action_log_call(
            "not_confirmed", notes="No reconoce la llamada"
        )
        self.assertEqual(report.state, "verified")

    def test_empty_report_is_verified_at_once(self):
        report = self._report(lines=[])
        report.with_user(self.promoter).action_submit()
        self.assertEqual(report.state, "verified")

    # ------------------------------------------------------------------
    # Access per role
    # ------------------------------------------------------------------
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_access_per_role(self):
        report = self._report(lines=self._default_lines())
        # the manager of the promoter's team reads it;
        # other managers and collaborators do not
        self.assertEqual(
            report.with_user(self.manager_parts).line_ids.mapped("customer_name")[0],
            self.customer.name,
        )
        with self.assertRaises(AccessError):
            report.with_user(self.manager_parts).write({"signed_by": "X"})
        for user in (self.manager_sales, self.advisor, self.verifier_c2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                report.with_user(user).read(["name"])
        # verifier and process manager see all reports of the company
        self.assertIn(report, self.Report.with_user(self.verifier).search([]))
        self.assertIn(report, self.Report.with_user(self.process_manager).search([]))
        self.assertNotIn(report, self.Report.with_user(self.advisor).search([]))
        # a collaborator cannot create a report for someone else
        with self.assertRaises(AccessError):
            self.Report.with_user(self.advisor).create(
                {"user_id": self.promoter.id, "date_start": date(2026, 11, 14)}
            )


@tagged("post_install", "-at_install", "crm_activity_verification")
@freeze_time(NOW)
class TestWeeklyReportConcurrency(TransactionCase):
    def test_two_submits_at_once_create_one_set_of_verifications(self):
        """Two transactions submit the same report: the one that comes second while the
        first holds the row lock is refused; once the first commits, it is refused as
        already submitted. Uses committed data, cleaned up afterwards; this class has no
        fixture, so the test transaction holds no lock that the other cursors would wait for."""
        registry = self.registry
        with closing(registry.cursor()) as cr:
            head = seal_head(cr, self.env.company.id)
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            partner = env["res.partner"].create(
                {"name": "Concurrency test customer", "phone": "+52 686 555 0000"}
            )
            admin = env.ref("base.user_admin")
            report = env["crm.activity.weekly.report"].create(
                {
                    "user_id": admin.id,
                    "date_start": date(2026, 11, 14),
                    "signed_by": "Admin",
                    "signature": make_signature(),
                    "signed_on": date(2026, 11, 20),
                    "line_ids": [
                        Command.create(
                            {
                                "date": datetime(2026, 11, 16, 18, 0),
                                "partner_id": partner.id,
                                "activity_type_id": env.ref(
                                    "crm_activity_verification.mail_activity_type_promotion_visit"
                                ).id,
                            }
                        )
                    ],
                }
            )
            # the data must be visible to the two concurrent cursors below
            cr.commit()  # pylint: disable=invalid-commit
            report_id, partner_id = report.id, partner.id

        def cleanup():
            with closing(registry.cursor()) as cr:
                env = self.env(cr=cr, su=True)
                report = env["crm.activity.weekly.report"].browse(report_id)
                verifications = env["crm.activity.verification"].search(
                    [("report_line_id.report_id", "=", report_id)]
                )
                env["mail.mail"].search(
                    [("model", "=", report._name), ("res_id", "=", report_id)]
                ).unlink()
                env["mail.message"].search(
                    [
                        ("model", "in", [report._name, verifications._name]),
                        ("res_id", "in", [report_id, *verifications.ids]),
                    ]
                ).unlink()
                # sealed records are never deleted by Odoo (B-4): the test's own rows go by SQL
                remove_test_seals(cr, env.company.id, head)
                cr.execute(
                    "DELETE FROM crm_activity_verification WHERE id IN %s",
                    [tuple(verifications.ids or [0])],
                )
                cr.execute("DELETE FROM crm_activity_weekly_report WHERE id = %s", [report_id])
                env["res.partner"].browse(partner_id).unlink()
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(cleanup)
        with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
            env_a = self.env(cr=cr_a, su=True, context={"mail_notify_force_send": False})
            env_b = self.env(cr=cr_b, su=True, context={"mail_notify_force_send": False})
            env_a["crm.activity.weekly.report"].browse(report_id).action_submit()  # holds the lock
            with mute_logger("odoo.sql_db"), self.assertRaisesRegex(UserError, "being submitted"):
                env_b["crm.activity.weekly.report"].browse(report_id).action_submit()
            cr_b.rollback()
            cr_a.commit()
            env_b.invalidate_all()
            with self.assertRaisesRegex(UserError, "locked"):
                env_b["crm.activity.weekly.report"].browse(report_id).action_submit()
            cr_b.rollback()
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            count = env["crm.activity.verification"].search_count(
                [("report_line_id.report_id", "=", report_id)]
            )
        self.assertEqual(count, 1, "exactly one set of verifications")
