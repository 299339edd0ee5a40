"""Issue 21: forgery at the source. Each way a checked insider forged the evidence, tried
as that insider (what XML-RPC runs is this ORM call, with his rights), then the ways
the database itself was tampered with; the attacks that go through HTTP (the customer's
page, Odoo's /rate/ pages, XML-RPC) are sent over HTTP in ``TestForgeryOverHttp``."""

import re
from datetime import date, datetime, timedelta
from xmlrpc.client import Fault

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import config, mute_logger

from ..models.crm_activity_verification_link_throttle import BAD_LINK_LIMIT
from ..models.crm_activity_verification_seal import SEAL_KEY_OPTION
from .common import MODULE, VerificationCommon, new_user
from .test_weekly_report import make_signature

# Thursday 2026-11-26 10:00 in Tijuana: week Saturday 2026-11-21 – Friday 2026-11-27
NOW = datetime(2026, 11, 26, 18, 0)
WEEK_START = date(2026, 11, 21)


class ForgeryCommon(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.maintenance = new_user(
            cls.env, "mantenimiento", "Mario Mantenimiento", verification_role="maintenance_advisor"
        )
        cls.salesman = new_user(cls.env, "vendedor", "Víctor Vendedor", role="salesman")
        cls.internal = new_user(cls.env, "interno", "Inés Interna", role="internal")
        cls.Report = cls.env["crm.activity.weekly.report"]
        cls.Seal = cls.env["crm.activity.verification.seal"]

    def _concluded(self, outcome="confirmed", **kwargs):
        verification = self._verification_done().with_env(self.env)
        verification.with_user(self.verifier).action_log_call(outcome, notes="Confirma", **kwargs)
        return verification

    def _report(self, user, lines=1, **values):
        vals = {
            "date_start": WEEK_START,
            "signed_by": user.name,
            "signature": make_signature(),
            "signed_on": date(2026, 11, 26),
            "line_ids": [
                Command.create(
                    {
                        "date": datetime(2026, 11, 23 + n, 17, 0),
                        "partner_id": self.customer.id,
                        "activity_type_id": self.type_visit.id,
                        "description": f"Visita {n}",
                    }
                )
                for n in range(lines)
            ],
            **values,
        }
        return self.Report.with_user(user).create(vals).with_env(self.env)

    def _integrity(self, *anchor):
        self.env.flush_all()
        self.env.invalidate_all()
        return self.company_admin.get_verification_integrity(*anchor)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestForgeryAtTheSource(ForgeryCommon):
    # ------------------------------------------------------------------
    # 1. the customer's token is his alone
    # ------------------------------------------------------------------
    def test_token_is_read_and_set_by_nobody(self):
        self.company_admin.verification_customer_link = True
        with self.mock_mail_gateway():
            verification = self._verification_done().with_env(self.env)
            self._new_mails.filtered("verification_link").send()
        sent = "\n".join(mail["body"] for mail in self._mails)
        token = re.search(rf"/verification/{verification.id}/([\w-]+)", sent).group(1)
        self.assertTrue(verification._is_link_valid(token), "the customer's link works")
        readers = (
            self.advisor,
            self.verifier,
            self.process_manager,
            self.env.ref("base.user_admin"),
        )
        for user in readers:
            with self.subTest(user=user.login):
                as_user = verification.with_user(user)
                self.assertFalse(as_user.read(["access_token"])[0]["access_token"])
                self.assertNotIn(token, str(as_user.read()), "no field holds it")
                # nor does any stored e-mail or message of the verification
                messages = (
                    self.env["mail.message"]
                    .sudo()
                    .search([("model", "=", verification._name), ("res_id", "=", verification.id)])
                )
                self.assertTrue(messages)
                self.assertNotIn(token, "".join(messages.mapped("body")))
        for user in (self.verifier, self.process_manager, self.env.ref("base.user_root")):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "no access"):
                verification.with_user(user).write({"access_token": "chosen-token"})
        self.assertFalse(verification.access_token)
        self.assertFalse(verification._is_link_valid("chosen-token"))
        self.assertEqual(verification._portal_ensure_token(), "", "no portal token either")
        # resending makes a new token: the old link stops working
        with self.mock_mail_gateway():
            verification.with_user(self.verifier).action_send_customer_link()
            self._new_mails.filtered("verification_link").send()
        new_token = re.search(
            rf"/verification/{verification.id}/([\w-]+)", self._mails[-1]["body"]
        ).group(1)
        self.assertNotEqual(new_token, token)
        self.assertFalse(verification._is_link_valid(token))
        self.assertTrue(verification._is_link_valid(new_token))

    def test_no_link_to_an_address_the_collaborator_set(self):
        """demo.asesor2 put his own address on the customer: the link would reach him."""
        self.company_admin.verification_customer_link = True
        self.customer.with_user(self.advisor).write({"email": "arturo.personal@example.com"})
        with self.mock_mail_gateway():
            verification = self._verification_done().with_env(self.env)
        self.assertFalse(self._new_mails.filtered("verification_link"), "no link sent")
        self.assertRecordValues(
            verification, [{"link_withheld": True, "link_sent_on": False, "state": "pending"}]
        )
        self.assertIn(
            "last set by Arturo Asesor", " ".join(verification.message_ids.mapped("body"))
        )
        with self.assertRaisesRegex(UserError, "last set by Arturo Asesor"):
            verification.with_user(self.verifier).action_send_customer_link()
        # who set it is the procedure's record: nobody writes it
        for user in (self.advisor, self.verifier, self.env.ref("base.user_root")):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.customer.with_user(user).write(
                    {"verification_email_user_id": self.verifier.id}
                )
        # customer service confirms the address by phone and sets it: the link goes
        self.customer.with_user(self.verifier).write({"email": "compras@tvm.example.com"})
        with self.mock_mail_gateway():
            verification.with_user(self.verifier).action_send_customer_link()
        self.assertEqual(len(self._new_mails.filtered("verification_link")), 1)
        self.assertFalse(verification.link_withheld)

    def test_merging_contacts_does_not_copy_who_set_the_address(self):
        """Odoo's merge of contacts copies every stored field of the merged ones: who last
        set an address is not copied (the merge works, the record stays the addon's)."""
        duplicate = self.env["res.partner"].create({"name": "TVM (duplicado)"})
        duplicate.with_user(self.advisor).write({"email": "arturo.personal@example.com"})
        self.customer.write({"email": False})
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(self.customer | duplicate).ids)
            .create({"dst_partner_id": self.customer.id})
        )
        wizard.partner_ids = self.customer | duplicate
        wizard.action_merge()
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.customer.email, "arturo.personal@example.com")
        # the address came with the merge: recorded as set by whoever merged
        self.assertEqual(self.customer.verification_email_user_id, self.env.user)

    # ------------------------------------------------------------------
    # 2. who did it is recorded, not assumed
    # ------------------------------------------------------------------
    def test_done_by_someone_else_is_recorded_drawn_and_told(self):
        self.company_admin.write(
            {
                "verification_sampling": True,
                "verification_sampling_reduced_rate": 0,
                "verification_new_collaborator_weeks": 0,
            }
        )
        self.advisor._set_verification_sampling_level("reduced", "set by the test")
        own = self._verification_done(self.customer)
        self.assertEqual(own.state, "not_sampled", "his own activity at 0 %: not drawn")
        # his colleague marks done his visit to a customer they both may see
        activity = self._schedule(self.customer, self.advisor)
        with self.mock_mail_gateway():
            activity.with_user(self.advisor_2).action_feedback(feedback="Hecho por Beatriz")
        verification = activity.with_context(active_test=False).verification_id
        self.assertRecordValues(
            verification,
            [
                {
                    "user_id": self.advisor.id,
                    "done_by_id": self.advisor_2.id,
                    "state": "pending",
                    "sampling_rate": 100.0,
                }
            ],
        )
        self.assertSentEmail(
            self.advisor_2.partner_id, self.advisor.partner_id, body_content="Beatriz Asesora"
        )
        # the board's card says it
        kanban = verification.with_user(self.verifier).get_views([(False, "kanban")])
        self.assertIn("done_by_id", kanban["views"]["kanban"]["arch"])
        # who did it is the procedure's: nobody writes it
        for user in (self.verifier, self.process_manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                verification.with_user(user).write({"done_by_id": self.advisor.id})

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_outside_the_procedure_no_one_marks_done_anothers_activity(self):
        """A salesman outside the procedure made a promotion visit on advisor A's
        customer, assigned to A, and marked it done: A's report, made up."""
        Verification = self.env["crm.activity.verification"]
        count = Verification.search_count([])
        activity = self.customer.with_user(self.salesman).activity_schedule(
            activity_type_id=self.type_visit.id, user_id=self.advisor.id, summary="Visita"
        )
        with self.assertRaisesRegex(UserError, "only Arturo Asesor can mark it done"):
            activity.with_user(self.salesman).action_feedback(feedback="Visita realizada")
        self.assertTrue(activity.active, "still to do")
        self.assertEqual(Verification.search_count([]), count, "no verification")
        # his own activity stays his to mark done
        own = self.customer.with_user(self.salesman).activity_schedule(
            activity_type_id=self.type_visit.id, user_id=self.salesman.id
        )
        own.with_user(self.salesman).action_feedback(feedback="Mi visita")
        self.assertEqual(
            own.with_context(active_test=False).verification_id.done_by_id, self.salesman
        )

    # ------------------------------------------------------------------
    # 3, 4. owners and places never change
    # ------------------------------------------------------------------
    def test_a_report_stays_with_its_collaborator_and_company(self):
        report = self._report(self.promoter)
        attempts = {
            "hand his signed draft to another promoter": (
                self.promoter,
                {
                    "user_id": self.maintenance.id,
                    "signed_by": "Mario Mantenimiento",
                    "signature": make_signature(),
                },
            ),
            "the verifier swaps the owner": (self.verifier, {"user_id": self.maintenance.id}),
            "the process manager swaps the owner": (
                self.process_manager,
                {"user_id": self.maintenance.id},
            ),
            "move it to another company": (self.promoter, {"company_id": self.company_2.id}),
            "the superuser moves it": (
                self.env.ref("base.user_root"),
                {"company_id": self.company_2.id},
            ),
        }
        for case, (user, values) in attempts.items():
            with self.subTest(case=case), self.assertRaises(UserError):
                report.with_user(user).sudo(user._is_superuser()).write(values)
        self.assertRecordValues(
            report,
            [
                {
                    "user_id": self.promoter.id,
                    "company_id": self.company_admin.id,
                    "signed_by": self.promoter.name,
                }
            ],
        )
        # the same value is no change
        report.with_user(self.promoter).write({"user_id": self.promoter.id})

    def test_a_line_stays_in_its_report(self):
        mine = self._report(self.promoter)
        theirs = self._report(self.maintenance, lines=0)
        line = mine.line_ids
        with self.assertRaisesRegex(UserError, "stays in its report"):
            line.with_user(self.promoter).write({"report_id": theirs.id})
        with self.assertRaisesRegex(UserError, "stays in its report"):
            line.sudo().write({"report_id": theirs.id})
        self.assertEqual(line.report_id, mine)
        self.assertFalse(theirs.line_ids)

    # ------------------------------------------------------------------
    # 5. no procedure activity escapes its verification
    # ------------------------------------------------------------------
    def test_an_activity_cannot_be_written_as_verified(self):
        old = self._verification_done()
        activity = self._schedule(self.lead, self.advisor)
        for values in (
            {"verification_id": old.id},
            {"verification_state": "confirmed"},
            {"verification_ids": [Command.link(old.id)]},
        ):
            for user in (self.advisor, self.verifier, self.env.ref("base.user_root")):
                with self.subTest(values=values, user=user.login), self.assertRaises(UserError):
                    activity.with_user(user).write(values)
        with self.assertRaises(UserError):
            self.env["mail.activity"].with_user(self.advisor).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": self.lead.id,
                    "activity_type_id": self.type_visit.id,
                    "user_id": self.advisor.id,
                    "verification_id": old.id,
                }
            )
        activity.with_user(self.advisor).action_feedback(feedback="Visita")
        verification = activity.with_context(active_test=False).verification_id
        self.assertTrue(verification)
        self.assertNotEqual(verification, old, "its own verification")

    # ------------------------------------------------------------------
    # 6. the customers' ratings of verifications
    # ------------------------------------------------------------------
    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_ratings_are_the_supervisors_to_read(self):
        verification = self._concluded(csat=5)
        rating = verification.rating_ids
        self.assertEqual(len(rating), 1)
        readers = {
            self.verifier: True,
            self.process_manager: True,
            self.manager_sales: True,  # leads the advisor's team
            self.manager_parts: False,
            self.advisor: False,  # the collaborator it checks
            self.salesman: False,
            self.internal: False,
            self.verifier_c2: False,  # another company
        }
        for user, allowed in readers.items():
            with self.subTest(user=user.login):
                Rating = self.env["rating.rating"].with_user(user)
                found = Rating.search([("res_model", "=", verification._name)])
                self.assertEqual(rating in found, allowed)
                if not allowed:
                    with self.assertRaises(AccessError):
                        rating.with_user(user).read(["rating", "feedback", "access_token"])
        # the collaborator cannot change it either
        with self.assertRaises(AccessError):
            rating.with_user(self.advisor).write({"rating": 1})
        self.assertEqual(rating.rating, 5)

    # ------------------------------------------------------------------
    # 7. a verified line is frozen, a reset never verifies a report by itself
    # ------------------------------------------------------------------
    def test_a_verified_line_is_frozen_after_a_reset(self):
        report = self._report(self.promoter, lines=2)
        report.with_user(self.promoter).action_submit()
        first, second = report.line_ids.sorted("date")
        first.verification_id.with_user(self.verifier).action_log_call("confirmed", "Sí")
        report.with_user(self.verifier).action_reset_to_draft()
        self.assertEqual(report.state, "draft")
        as_promoter = report.with_user(self.promoter)
        for line in (first, second):  # concluded, and still being verified
            for values in ({"description": "Otra cosa"}, {"date": datetime(2026, 11, 24, 17, 0)}):
                with self.subTest(line=line.description, values=values):
                    with self.assertRaisesRegex(UserError, "already being verified"):
                        line.with_user(self.promoter).write(values)
                    with self.assertRaisesRegex(UserError, "already being verified"):
                        as_promoter.write({"line_ids": [Command.update(line.id, values)]})
            with self.assertRaisesRegex(UserError, "already being verified"):
                as_promoter.write({"line_ids": [Command.delete(line.id)]})
        self.assertEqual(first.description, "Visita 0")
        # a correction is a new line; submitted again, the report waits for its verification
        as_promoter.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "date": datetime(2026, 11, 25, 17, 0),
                            "partner_id": self.customer.id,
                            "activity_type_id": self.type_visit.id,
                            "description": "Corrección",
                        }
                    )
                ]
            }
        )
        as_promoter.action_submit()
        self.assertEqual(report.state, "submitted")
        second.verification_id.with_user(self.verifier).action_log_call("confirmed", "Sí")
        self.assertEqual(report.state, "submitted", "the new line is still to verify")
        report.line_ids.verification_id.filtered(lambda v: v.state == "pending").with_user(
            self.verifier
        ).action_log_call("confirmed", "Sí")
        self.assertEqual(report.state, "verified")
        # a verified report is closed evidence: no going back to draft
        with self.assertRaisesRegex(UserError, "closed evidence"):
            report.with_user(self.process_manager).action_reset_to_draft()
        self.assertTrue(self._integrity()["ok"])

    # ------------------------------------------------------------------
    # 8. evidence is written only by the flow
    # ------------------------------------------------------------------
    def test_evidence_is_written_by_the_flow_only(self):
        verification = self._concluded()
        complaint = self.env["crm.activity.complaint"].browse(
            verification.with_user(self.verifier).action_report_complaint("Entrega tardía")
        )
        other = self._verification_done(self.customer, self.advisor_2)
        report = self._report(self.promoter)
        attempts = [
            (verification, {"activity_date": "2026-11-01 10:00:00"}),
            (verification, {"phone": "+52 686 000 0000"}),
            (verification, {"contact_name": "Otra persona"}),
            (complaint, {"date": "2026-10-01 10:00:00"}),
            (complaint, {"verification_id": other.id}),
            (complaint, {"collaborator_id": self.advisor_2.id}),
            (report, {"company_id": self.company_2.id}),
        ]
        for record, values in attempts:
            for user in (self.verifier, self.process_manager):
                with (
                    self.subTest(model=record._name, values=values, user=user.login),
                    self.assertRaises(UserError),
                ):
                    record.with_user(user).write(values)
        self.assertRecordValues(
            verification, [{"activity_date": NOW, "phone": self.customer.phone}]
        )
        self.assertRecordValues(
            complaint,
            [{"date": NOW, "verification_id": verification.id, "collaborator_id": self.advisor.id}],
        )
        # nor at creation
        with self.assertRaises(UserError):
            self.env["crm.activity.complaint"].with_user(self.verifier).create(
                {
                    "description": "Inventada",
                    "verification_id": other.id,
                    "date": "2026-10-01 10:00:00",
                }
            )
        # an open verification's phone is still the verifier's to correct
        other.with_user(self.verifier).write({"phone": "+52 686 555 0102"})
        self.assertEqual(other.phone, "+52 686 555 0102")


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestTamperedDatabase(ForgeryCommon):
    """9. The seal covers every field the evidence pack prints; the check finds each way
    of changing the database behind Odoo's back and names the first broken record."""

    def _sql(self, query, params):
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    def test_every_printed_field_is_sealed(self):
        verification = self._concluded(csat=5)
        verification.with_user(self.verifier).action_request_followup("Enviar cotización")
        verification.with_user(self.verifier).action_report_anomaly("El cliente duda")
        self.assertTrue(self._integrity()["ok"], "each change through the flow is sealed again")
        table = "crm_activity_verification"
        tamperings = {
            "csat": f"UPDATE {table} SET csat = 1 WHERE id = %s",
            "customer_answer": f"UPDATE {table} SET customer_answer = 'confirmed' WHERE id = %s",
            "company_id": f"UPDATE {table} SET company_id = {self.company_2.id} WHERE id = %s",
            "phone": f"UPDATE {table} SET phone = '+52 1' WHERE id = %s",
            "contact_name": f"UPDATE {table} SET contact_name = 'Nadie' WHERE id = %s",
            "followup_state": f"UPDATE {table} SET followup_state = 'done' WHERE id = %s",
            "anomaly": f"UPDATE {table} SET anomaly = false WHERE id = %s",
            "activity_date": f"UPDATE {table} SET activity_date = '2026-01-01' WHERE id = %s",
            "done_by_id": f"UPDATE {table} SET done_by_id = NULL WHERE id = %s",
        }
        for fname, query in tamperings.items():
            with self.subTest(field=fname), self.env.cr.savepoint(flush=False) as savepoint:
                self._sql(query, [verification.id])
                result = self._integrity()
                self.assertFalse(result["ok"])
                self.assertEqual(result["first_broken"], [verification._name, verification.id])
                savepoint.rollback()
                self.env.invalidate_all()
        self.assertTrue(self._integrity()["ok"])

    def test_a_removed_or_foreign_seal_breaks_the_chain(self):
        first = self._concluded()
        second = self._concluded()
        self.assertTrue(self._integrity()["ok"])
        head = second.secure_sequence_number
        company = self.company_admin.id
        # the last seal deleted, the head moved back: the record still points at it
        with self.env.cr.savepoint(flush=False) as savepoint:
            self._sql(
                "DELETE FROM crm_activity_verification_seal"
                " WHERE company_id = %s AND secure_sequence_number = %s",
                [company, head],
            )
            self._sql(
                "DELETE FROM crm_activity_verification_seal_head"
                " WHERE company_id = %s AND number >= %s",
                [company, head - 1],
            )
            self._sql(
                "INSERT INTO crm_activity_verification_seal_head"
                " (company_id, number, inalterable_hash) SELECT %s, %s, inalterable_hash"
                " FROM crm_activity_verification_seal"
                " WHERE company_id = %s AND secure_sequence_number = %s",
                [company, head - 1, company, head - 1],
            )
            result = self._integrity()
            self.assertEqual(
                (result["ok"], result["first_broken"]), (False, [second._name, second.id])
            )
            savepoint.rollback()
        # a record pointed at a seal number that is not its own
        with self.env.cr.savepoint(flush=False) as savepoint:
            self._sql(
                "UPDATE crm_activity_verification SET secure_sequence_number = %s,"
                " inalterable_hash = %s WHERE id = %s",
                [first.secure_sequence_number, first.inalterable_hash, second.id],
            )
            result = self._integrity()
            self.assertEqual(result["first_broken"], [second._name, second.id])
            savepoint.rollback()
        # a concluded verification whose seal fields were cleared
        with self.env.cr.savepoint(flush=False) as savepoint:
            self._sql(
                "UPDATE crm_activity_verification SET secure_sequence_number = NULL,"
                " inalterable_hash = NULL, sealed = false WHERE id = %s",
                [first.id],
            )
            self.assertEqual(self._integrity()["first_broken"], [first._name, first.id])
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertTrue(self._integrity()["ok"])

    def test_a_printed_head_proves_the_chain_was_not_cut(self):
        self._concluded()
        printed = self._integrity()["head"]
        self.assertTrue(printed["number"] and len(printed["hash"]) == 64)
        later = self._concluded()
        result = self._integrity(printed["number"], printed["hash"])
        self.assertTrue(result["ok"], "the printed head is still in the chain")
        self.assertEqual(result["head"]["number"], later.secure_sequence_number)
        # the chain cut back before the printed head, every record and the head mended
        number = printed["number"]
        self._sql(
            "DELETE FROM crm_activity_verification_seal"
            " WHERE company_id = %s AND secure_sequence_number >= %s",
            [self.company_admin.id, number - 1],
        )
        self._sql(
            "UPDATE crm_activity_verification SET secure_sequence_number = NULL,"
            " inalterable_hash = NULL, sealed = false, state = 'pending'"
            " WHERE secure_sequence_number >= %s",
            [number - 1],
        )
        self._sql(
            "UPDATE crm_activity_verification_call SET secure_sequence_number = NULL,"
            " inalterable_hash = NULL WHERE secure_sequence_number >= %s",
            [number - 1],
        )
        self._sql(
            "DELETE FROM crm_activity_verification_call WHERE secure_sequence_number IS NULL", []
        )
        self._sql(
            "DELETE FROM crm_activity_verification_seal_head WHERE company_id = %s"
            " AND number >= %s",
            [self.company_admin.id, number - 2],
        )
        self._sql(
            "INSERT INTO crm_activity_verification_seal_head (company_id, number) VALUES (%s, %s)",
            [self.company_admin.id, number - 2],
        )
        self.assertEqual(
            self._integrity(number, printed["hash"])["first_broken"], ["anchor", number]
        )
        with self.assertRaisesRegex(UserError, "printed head"):
            self.company_admin.get_verification_integrity("12", printed["hash"])

    def test_the_keyed_chain_cannot_be_resealed_without_the_key(self):
        config[SEAL_KEY_OPTION] = "clave-del-servidor-solamente"
        self.addCleanup(config.options.pop, SEAL_KEY_OPTION, None)
        # the key introduced (the tests' database may hold seals made before it)
        self.company_admin.sudo()._verification_seal_key_introduce()
        verification = self._concluded()
        self._concluded()
        self.assertTrue(self._integrity()["ok"])
        self.assertEqual(
            self._integrity()["head"]["hash"],
            self.Seal.sudo()
            .search([], order="secure_sequence_number desc", limit=1)
            .filtered(lambda s: s.company_id == self.company_admin)
            .inalterable_hmac,
        )
        # whoever holds only the database changes a call and re-seals the whole chain
        self._sql(
            "UPDATE crm_activity_verification_call SET notes = 'Otra cosa' WHERE id = %s",
            [verification.call_ids.id],
        )
        seals = self.Seal.sudo().search(
            [("company_id", "=", self.company_admin.id)], order="secure_sequence_number"
        )
        previous = ""
        for seal in seals:
            content = seal.content
            if (
                seal.res_model == "crm.activity.verification.call"
                and seal.res_id == verification.call_ids.id
            ):
                content = content.replace('"Confirma"', '"Otra cosa"')
            values = {
                "company_id": seal.company_id.id,
                "secure_sequence_number": seal.secure_sequence_number,
                "res_model": seal.res_model,
                "res_id": seal.res_id,
                "event": seal.event,
                "date": seal.date,
                "user_id": seal.user_id.id,
                "content": content,
            }
            new_hash = self.Seal._compute_hash(values, previous)
            forged_hmac = self.Seal._compute_hmac(values, previous, b"a guessed key")
            self._sql(
                "UPDATE crm_activity_verification_seal SET content = %s, previous_hash = %s,"
                " inalterable_hash = %s, inalterable_hmac = %s WHERE id = %s",
                [content, previous, new_hash, forged_hmac, seal.id],
            )
            previous = new_hash
        self._sql(
            "UPDATE crm_activity_verification_call c SET inalterable_hash = s.inalterable_hash"
            " FROM crm_activity_verification_seal s WHERE s.res_model = %s AND s.res_id = c.id"
            " AND s.secure_sequence_number = c.secure_sequence_number",
            ["crm.activity.verification.call"],
        )
        self._sql(
            "UPDATE crm_activity_verification v SET inalterable_hash = s.inalterable_hash"
            " FROM crm_activity_verification_seal s WHERE s.res_model = %s AND s.res_id = v.id"
            " AND s.secure_sequence_number = v.secure_sequence_number",
            ["crm.activity.verification"],
        )
        self._sql(
            "UPDATE crm_activity_verification_seal_head SET inalterable_hash = %s"
            " WHERE company_id = %s AND number = (SELECT max(number)"
            " FROM crm_activity_verification_seal_head WHERE company_id = %s)",
            [previous, self.company_admin.id, self.company_admin.id],
        )
        result = self._integrity()
        self.assertFalse(result["ok"], "the HMAC chain needs the server's key")
        # without the key, SHA-256 alone could not tell (the README says so)
        config.options.pop(SEAL_KEY_OPTION)
        self.assertTrue(self._integrity()["ok"])


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestForgeryOverHttp(HttpCase, ForgeryCommon):
    """The attacks of items 1, 2, 6 and 13 as they are sent: XML-RPC, the customer's page,
    Odoo's /rate/ pages."""

    def _execute(self, user, model, method, *args, **kwargs):
        password = user.login.ljust(8, "x")  # new_test_user's password
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, password, model, method, list(args), kwargs
        )

    def _link_token(self, verification):
        self._new_mails.filtered("verification_link").send()
        sent = "\n".join(mail["body"] for mail in self._mails)
        return re.search(rf"/verification/{verification.id}/([\w-]+)", sent).group(1)

    def test_the_collaborator_cannot_answer_as_his_customer(self):
        """demo.asesor2 read access_token on his verification over XML-RPC and answered
        Yes on the public page: there is no token to read any more."""
        self.company_admin.verification_customer_link = True
        with self.mock_mail_gateway():
            verification = self._verification_done().with_env(self.env)
            token = self._link_token(verification)
        rows = self._execute(
            self.advisor, verification._name, "read", [verification.id], ["access_token"]
        )
        self.assertFalse(rows[0]["access_token"])
        with mute_logger("odoo.http"), self.assertRaisesRegex(Fault, "no access token"):
            self._execute(
                self.verifier,
                verification._name,
                "write",
                [verification.id],
                {"access_token": "elegido"},
            )
        self.assertEqual(self.url_open(f"/verification/{verification.id}/elegido").status_code, 404)
        self.assertEqual(self.url_open(f"/verification/{verification.id}/").status_code, 404)
        self.assertEqual(self.url_open(f"/verification/{verification.id}/{token}").status_code, 200)
        self.assertEqual(verification.state, "pending")

    def test_a_salesman_cannot_report_an_advisors_activity(self):
        activity = self.customer.activity_schedule(
            activity_type_id=self.type_visit.id, user_id=self.advisor.id, summary="Visita"
        )
        with mute_logger("odoo.http"), self.assertRaisesRegex(Fault, "can mark it done"):
            self._execute(
                self.salesman, "mail.activity", "action_feedback", [activity.id], feedback="Hecho"
            )
        self.assertFalse(activity.with_context(active_test=False).verification_id)
        self.assertTrue(activity.active)

    def test_odoo_rating_pages_refuse_a_verifications_rating(self):
        verification = self._concluded(csat=5)
        rating = verification.rating_ids
        self.assertTrue(rating.access_token)
        for url in (
            f"/rate/{rating.access_token}/1",
            f"/rate/{rating.access_token}/submit_feedback",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        response = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={"rate": 1, "csrf_token": "x"},
        )
        self.assertNotEqual(response.status_code, 200)
        rating.invalidate_recordset()
        self.assertEqual((rating.rating, verification.csat), (5.0, 5.0))
        rows = self._execute(
            self.advisor, "rating.rating", "search_read", [("res_model", "=", verification._name)]
        )
        self.assertEqual(rows, [], "the collaborator reads no rating of his verifications")

    def test_bad_links_are_throttled_per_address_shared_and_never_the_good_one(self):
        self.company_admin.verification_customer_link = True
        with self.mock_mail_gateway():
            verification = self._verification_done().with_env(self.env)
            token = self._link_token(verification)
        url = f"/verification/{verification.id}"
        for n in range(BAD_LINK_LIMIT):
            self.assertEqual(self.url_open(f"{url}/malo{n}").status_code, 404)
        spoofed = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "tienda.example.com"}
        self.assertEqual(self.url_open(f"{url}/malo", headers=spoofed).status_code, 429)
        self.assertEqual(self.url_open(f"{url}/{token}").status_code, 200, "never the valid one")
        # counted in the database, for every worker
        throttle = self.env["crm.activity.verification.link.throttle"].sudo().search([])
        self.assertEqual(throttle.mapped("address"), ["127.0.0.1"])
        self.assertEqual(throttle.count, BAD_LINK_LIMIT + 1)
        with freeze_time(NOW + timedelta(minutes=11)):
            self.assertEqual(self.url_open(f"{url}/malo").status_code, 404, "for a while only")
