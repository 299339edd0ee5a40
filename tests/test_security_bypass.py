"""Issue 8: each bypass of the workflow that a plain ``write``/``create`` allowed, tried
as the user who found it (what XML-RPC runs is this ORM call, with that user's rights);
reads of Odoo's models by users outside the procedure; input checks."""

from contextlib import closing
from datetime import date, datetime
from xmlrpc.client import Fault

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger

from ..models.crm_activity_workflow_mixin import TEXT_MAX_LENGTH, WORKFLOW_KEY
from .common import VerificationCommon, create_board_fixture, new_user
from .test_weekly_report import make_signature

NOW = datetime(2026, 11, 27, 20, 0)  # Friday 12:00 in Tijuana
WEEK_START = date(2026, 11, 21)
TOO_LONG = "x" * (TEXT_MAX_LENGTH + 1)


@tagged("post_install", "-at_install", "crm_activity_verification")
@freeze_time(NOW)
class TestSecurityBypass(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.maintenance = new_user(
            cls.env, "mantenimiento", "Mario Mantenimiento", verification_role="maintenance_advisor"
        )
        cls.verification = cls._verification_done(cls.lead, cls.advisor).sudo()
        cls.Report = cls.env["crm.activity.weekly.report"]
        cls.Call = cls.env["crm.activity.verification.call"]

    def _draft_report(self, user):
        return (
            self.Report.with_user(user)
            .create(
                {
                    "date_start": WEEK_START,
                    "signed_by": user.name,
                    "signature": make_signature(),
                    "signed_on": date(2026, 11, 27),
                    "line_ids": [
                        Command.create(
                            {
                                "date": datetime(2026, 11, 24, 18, 0),
                                "partner_id": self.customer.id,
                                "activity_type_id": self.type_visit.id,
                            }
                        )
                    ],
                }
            )
            .sudo()
        )

    # ------------------------------------------------------------------
    # collaborators
    # ------------------------------------------------------------------
    def test_collaborator_cannot_submit_his_report_by_write(self):
        """demo.mantenimiento cleared his signature and wrote state='submitted' with a
        backdated submitted_on: refused, the report stays an open draft."""
        report = self._draft_report(self.maintenance)
        as_him = report.with_user(self.maintenance)
        with self.assertRaisesRegex(UserError, "change only through the actions"):
            as_him.write(
                {
                    "signature": False,
                    "state": "submitted",
                    "submitted_on": datetime(2026, 11, 21, 9, 0),
                }
            )
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.submitted_on)
        self.assertFalse(report.is_late)
        self.assertTrue(report.signature)
        self.assertFalse(self.Verification.search([("report_line_id", "in", report.line_ids.ids)]))
        # nor at creation
        with self.assertRaisesRegex(UserError, "change only through the actions"):
            self.Report.with_user(self.maintenance).create(
                {"date_start": date(2026, 11, 14), "state": "submitted"}
            )

    def test_promoter_cannot_write_verified(self):
        report = self._draft_report(self.promoter)
        with self.assertRaisesRegex(UserError, "“State”"):
            report.with_user(self.promoter).write({"state": "verified"})
        self.assertEqual(report.state, "draft")

    def test_collaborator_cannot_silence_reminders(self):
        report = self._draft_report(self.promoter)
        for fname in ("reminded_on", "manager_notified_on", "name"):
            with self.subTest(field=fname), self.assertRaises(UserError):
                report.with_user(self.promoter).write({fname: "2026-11-28 08:00:00"})
        self.assertFalse(report.reminded_on or report.manager_notified_on)
        # the reminder cron still chases him (it writes through the internal path)
        with freeze_time(datetime(2026, 11, 28, 17, 0)):
            self.Report._cron_remind_weekly_reports()
        self.assertTrue(report.reminded_on)

    # ------------------------------------------------------------------
    # the verifier
    # ------------------------------------------------------------------
    def test_verifier_cannot_confirm_by_write(self):
        """She wrote state='confirmed' with another verifier_id, with no call: refused."""
        with self.assertRaisesRegex(UserError, "change only through the actions"):
            self.verification.with_user(self.verifier).write(
                {"state": "confirmed", "verifier_id": self.advisor_2.id}
            )
        self.assertEqual(self.verification.state, "pending")
        self.assertFalse(self.verification.verifier_id)
        # the context key the methods use cannot be sent over RPC: JSON carries no sentinel
        with self.assertRaises(UserError):
            self.verification.with_user(self.verifier).with_context(**{WORKFLOW_KEY: True}).write(
                {"state": "confirmed"}
            )
        self.assertEqual(self.verification.state, "pending")

    def test_verifier_cannot_forge_a_call(self):
        """A call dated 2020-01-01 in someone else's name: refused, no call recorded."""
        with self.assertRaisesRegex(UserError, "created only by the procedure"):
            self.Call.with_user(self.verifier).create(
                {
                    "verification_id": self.verification.id,
                    "date": "2020-01-01 10:00:00",
                    "verifier_id": self.advisor_2.id,
                    "outcome": "confirmed",
                }
            )
        self.assertFalse(self.verification.call_ids)
        # the logged call is hers, now, and no longer editable
        self.verification.with_user(self.verifier).action_log_call("no_answer", "Buzón")
        call = self.verification.call_ids
        self.assertEqual((call.verifier_id, call.date), (self.verifier, NOW))
        with self.assertRaises(UserError):
            call.write({"date": "2020-01-01 10:00:00"})  # not even the superuser
        self.assertEqual(call.date, NOW)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_nobody_creates_a_verification_by_hand(self):
        vals = {"activity_date": NOW, "user_id": self.advisor.id, "partner_id": self.customer.id}
        count = self.Verification.search_count([])
        for user in (self.verifier, self.process_manager, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Verification.with_user(user).create(vals)
        with self.assertRaisesRegex(UserError, "created only by the procedure"):
            self.Verification.create(vals)  # superuser: the guard itself
        self.assertEqual(self.Verification.search_count([]), count)

    def test_import_cannot_change_workflow_fields(self):
        result = self.Verification.with_user(self.verifier).load(
            [".id", "state", "result"], [[str(self.verification.id), "confirmed", "Confirmado"]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("change only through the actions", result["messages"][0]["message"])
        self.assertEqual(self.verification.state, "pending")

    # ------------------------------------------------------------------
    # signature: only the collaborator
    # ------------------------------------------------------------------
    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_nobody_signs_or_submits_in_the_collaborators_name(self):
        report = self._draft_report(self.promoter)
        for user in (self.verifier, self.process_manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "Only Pablo Promotor"):
                    report.with_user(user).write({"signed_by": user.name})
                with self.assertRaisesRegex(UserError, "Only Pablo Promotor"):
                    report.with_user(user).action_submit()
        self.assertEqual((report.signed_by, report.state), (self.promoter.name, "draft"))
        # nor through the signature's attachment
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", report._name),
                ("res_id", "=", report.id),
                ("res_field", "=", "signature"),
            ]
        )
        self.assertTrue(attachment)
        for user in (self.verifier, self.process_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                attachment.with_user(user).write({"datas": make_signature()})
        # nor by creating the report in his name, signed
        with self.assertRaisesRegex(UserError, "Only"):
            self.Report.with_user(self.maintenance).create(
                {
                    "user_id": self.promoter.id,
                    "date_start": date(2026, 11, 14),
                    "signed_by": self.promoter.name,
                }
            )
        # he signs and submits it himself
        report.with_user(self.promoter).write({"signed_on": date(2026, 11, 27)})
        report.with_user(self.promoter).action_submit()
        self.assertEqual(report.state, "submitted")
        # the verifier may still send it back
        report.with_user(self.verifier).action_reset_to_draft()
        self.assertEqual(report.state, "draft")

    # ------------------------------------------------------------------
    # records are kept
    # ------------------------------------------------------------------
    def test_records_are_never_deleted(self):
        self.verification.with_user(self.verifier).action_log_call("confirmed", "Sí")
        complaint = self.env["crm.activity.complaint"].browse(
            self.verification.with_user(self.verifier).action_report_complaint("Entrega tardía")
        )
        report = self._draft_report(self.promoter)
        for record in (self.verification, self.verification.call_ids, report, complaint):
            with self.subTest(model=record._name), self.assertRaisesRegex(UserError, "kept"):
                record.unlink()  # superuser
            self.assertTrue(record.exists())
        # a complaint can be archived: kept, out of the lists
        complaint.with_user(self.process_manager).action_archive()
        self.assertFalse(complaint.active)
        self.assertTrue(complaint.exists())

    # ------------------------------------------------------------------
    # input
    # ------------------------------------------------------------------
    def test_wrong_input_is_a_clear_error(self):
        as_verifier = self.verification.with_user(self.verifier)
        cases = {
            "outcome as a list": lambda: as_verifier.action_log_call(["confirmed"]),
            "outcome as a dict": lambda: as_verifier.action_log_call({"a": 1}),
            "notes as a dict": lambda: as_verifier.action_log_call("confirmed", {"a": 1}),
            "notes too long": lambda: as_verifier.action_log_call("confirmed", TOO_LONG),
            "phone request too long": lambda: as_verifier.action_request_phone(TOO_LONG),
            "anomaly as a list": lambda: as_verifier.action_report_anomaly(["x"]),
            "anomaly too long": lambda: as_verifier.action_report_anomaly(TOO_LONG),
            "complaint too long": lambda: as_verifier.action_report_complaint(TOO_LONG),
        }
        for case, call in cases.items():
            with self.subTest(case=case), self.assertRaises(UserError):
                call()
        self.assertEqual(self.verification.state, "pending")
        self.assertFalse(self.verification.call_ids or self.verification.anomaly)
        self.assertFalse(self.verification.complaint_ids)

    def test_followup_deadline_iso_and_within_a_year(self):
        self.verification.with_user(self.verifier).action_log_call("confirmed", "Sí")
        as_verifier = self.verification.with_user(self.verifier)
        for deadline in (
            "30/11/2026",
            "2026-11-30T10:00:00",
            "2026-11-30 garbage",
            "2026-13-01",
            ["2026-11-30"],
            20261130,
            "2027-11-30",  # more than one year ahead
        ):
            with self.subTest(deadline=deadline), self.assertRaises(UserError):
                as_verifier.action_request_followup("Enviar cotización", deadline=deadline)
        with self.assertRaisesRegex(UserError, "too long"):
            as_verifier.action_request_followup(TOO_LONG)
        self.assertEqual(self.verification.followup_state, "none")
        as_verifier.action_request_followup("Enviar cotización", deadline="2027-11-27")
        self.assertEqual(self.verification.followup_deadline, date(2027, 11, 27))

    def test_report_line_checks(self):
        report = self._draft_report(self.promoter).with_user(self.promoter)
        # (the savepoint stands for the request's transaction, rolled back on the error)
        with (
            self.assertRaisesRegex(UserError, "not an activity of the procedure"),
            self.env.cr.savepoint(),
        ):
            report.line_ids.write({"activity_type_id": self.type_todo.id})
        with self.assertRaisesRegex(UserError, "too long"), self.env.cr.savepoint():
            report.line_ids.write({"description": TOO_LONG})
        self.assertEqual(report.line_ids.activity_type_id, self.type_visit)
        complaint = self.env["crm.activity.complaint"].with_user(self.verifier)
        with self.assertRaisesRegex(UserError, "too long"):
            complaint.create({"partner_id": self.customer.id, "description": TOO_LONG})


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestReadsOutsideTheProcedure(VerificationCommon):
    """Users outside the procedure read crm.lead, mail.activity, res.partner and res.users
    as without the addon: search_read with no field list, the read of an export, forms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_user(cls.env, "vendedor", role="salesman")
        cls.internal = new_user(cls.env, "interno", role="internal")
        cls.portal = new_user(cls.env, "portal_cliente", role="portal")
        cls.customer.activity_schedule("mail.mail_activity_data_todo", user_id=cls.internal.id)
        # a lead of the salesman, with a done procedure activity (and its verification)
        cls.own_lead = cls.env["crm.lead"].create(
            {"name": "Camión de reparto", "partner_id": cls.customer.id, "user_id": cls.salesman.id}
        )
        cls._verification_done(cls.own_lead, cls.salesman)
        cls._schedule(cls.own_lead, cls.salesman)
        cls._verification_done(cls.lead, cls.advisor)

    def _addon_fields(self, model):
        return {
            fname
            for fname, field in self.env[model]._fields.items()
            if "crm_activity_verification" in field._modules
        }

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_salesman_search_reads_leads_and_activities(self):
        """The regression: search_read([]) with no field list, as Odoo's clients,
        exports and integrations do, failed on crm.lead/mail.activity.verification_ids."""
        for model in ("crm.lead", "mail.activity"):
            with self.subTest(model=model):
                rows = self.env[model].with_user(self.salesman).search_read([])
                self.assertTrue(rows)
                self.assertNotIn("verification_ids", rows[0])

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_users_outside_the_procedure_read_the_addon_fields(self):
        """What the addon adds to crm.lead, mail.activity, res.partner and res.users is
        either hidden from users outside the procedure (groups=) or readable by them:
        the fields an export offers (fields_get), the read of those fields, the form."""
        for login in ("salesman", "internal", "portal"):
            user = getattr(self, login)
            for model in ("crm.lead", "mail.activity", "res.partner", "res.users"):
                with self.subTest(user=login, model=model):
                    Model = self.env[model].with_user(user)
                    offered = self._addon_fields(model) & set(Model.fields_get())
                    self.assertFalse({"verification_ids", "complaint_ids"} & offered)
                    if not Model.has_access("read"):
                        continue  # refused for the model itself, as without the addon
                    records = Model.search([], limit=20)
                    self.assertTrue(records)
                    records.read(list(offered))
                    records.web_read({fname: {} for fname in offered})
                    if user.share:
                        continue  # no back-office form for portal users
                    form = Model.get_views([(False, "form")])["models"][model]["fields"]
                    records.web_read({fname: {} for fname in self._addon_fields(model) & set(form)})

    def test_collaborator_still_reads_the_addon_fields(self):
        lead = self.lead.with_user(self.advisor).read(["verification_ids", "verification_state"])
        self.assertEqual(len(lead[0]["verification_ids"]), 1)
        self.assertEqual(lead[0]["verification_state"], "pending")


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestFollowupConcurrency(TransactionCase):
    def test_two_followup_requests_at_once(self):
        """Two verifiers ask for a follow-up at the same moment: the second is told it
        was already requested; once the first commits, it is refused as already open.
        Committed data, removed afterwards through the internal path."""
        registry = self.registry
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            partner = env["res.partner"].create(
                {"name": "Concurrency follow-up customer", "phone": "+52 686 555 0001"}
            )
            verification = (
                env["crm.activity.verification"]
                ._workflow()
                .create(
                    {
                        "partner_id": partner.id,
                        "user_id": env.ref("base.user_admin").id,
                        "activity_date": datetime(2026, 11, 20, 18, 0),
                        "state": "confirmed",
                        "company_id": env.company.id,
                    }
                )
            )
            cr.commit()  # pylint: disable=invalid-commit
            verification_id, partner_id = verification.id, partner.id

        def cleanup():
            with closing(registry.cursor()) as cr:
                env = self.env(cr=cr, su=True)
                model = "crm.activity.verification"
                env["mail.activity"].search(
                    [("res_model", "=", model), ("res_id", "=", verification_id)]
                ).unlink()
                env["mail.mail"].search(
                    [("model", "=", model), ("res_id", "=", verification_id)]
                ).unlink()
                env["mail.message"].search(
                    [("model", "=", model), ("res_id", "=", verification_id)]
                ).unlink()
                env[model].browse(verification_id)._workflow().unlink()
                env["res.partner"].browse(partner_id).unlink()
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(cleanup)
        with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
            env_a = self.env(cr=cr_a, su=True, context={"mail_notify_force_send": False})
            env_b = self.env(cr=cr_b, su=True, context={"mail_notify_force_send": False})
            model = "crm.activity.verification"
            env_a[model].browse(verification_id).action_request_followup("Primera")
            with mute_logger("odoo.sql_db"), self.assertRaisesRegex(UserError, "already requested"):
                env_b[model].browse(verification_id).action_request_followup("Segunda")
            cr_b.rollback()
            cr_a.commit()
            env_b.invalidate_all()
            with self.assertRaisesRegex(UserError, "already open"):
                env_b[model].browse(verification_id).action_request_followup("Segunda")
            cr_b.rollback()
        with closing(registry.cursor()) as cr:
            verification = self.env(cr=cr, su=True)[model].browse(verification_id)
            self.assertEqual(verification.followup_note, "Primera")


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestSecurityOverRpc(HttpCase):
    """The same bypasses, over real XML-RPC: what a script or an integration sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        fixture = create_board_fixture(cls.env, prefix="rpc")
        cls.verifier = fixture["verifier"]
        cls.verification = fixture["verification"]
        cls.lead = fixture["lead"]
        cls.salesman = new_user(cls.env, "rpc_salesman", role="salesman")
        cls.lead.user_id = cls.salesman

    def _execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    def test_workflow_path_cannot_be_forged_over_rpc(self):
        """A context key is all JSON/XML-RPC can send: the methods' internal path is a
        Python object, so the verifier's write is refused even with the key set."""
        for context in ({}, {WORKFLOW_KEY: True}, {WORKFLOW_KEY: "1"}):
            with (
                self.subTest(context=context),
                mute_logger("odoo.http"),
                self.assertRaisesRegex(Fault, "change only through the actions"),
            ):
                self._execute(
                    self.verifier,
                    "crm.activity.verification",
                    "write",
                    [self.verification.id],
                    {"state": "confirmed", "verifier_id": self.salesman.id},
                    context=context,
                )
        self.verification.invalidate_recordset()
        self.assertEqual(self.verification.state, "pending")

    def test_salesman_search_reads_leads_over_rpc(self):
        rows = self._execute(self.salesman, "crm.lead", "search_read", [])
        self.assertIn(self.lead.id, [row["id"] for row in rows])
        activities = self._execute(self.salesman, "mail.activity", "search_read", [])
        self.assertIsInstance(activities, list)
