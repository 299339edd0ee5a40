"""B-4: sealed verifications, calls and weekly reports; the integrity check."""

import threading
import time
from contextlib import closing
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import MODULE, VerificationCommon, remove_test_seals, seal_head
from .test_weekly_report import make_signature

NOW = datetime(2026, 11, 26, 18, 0)


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestSealedRecords(VerificationCommon):
    def _concluded(self):
        verification = self._verification_done().with_env(self.env)
        verification.with_user(self.verifier).action_log_call("confirmed", notes="Confirma")
        return verification

    def setUp(self):
        super().setUp()
        # sealed records committed in this database before the test, if any
        self.before = self.company_admin.get_verification_integrity()["checked"]

    def _integrity(self, added=None):
        result = self.company_admin.get_verification_integrity()
        if added is not None:
            self.assertEqual(result["checked"], self.before + added)
        return {key: result[key] for key in ("ok", "first_broken")}

    def test_conclusion_call_and_submission_are_sealed(self):
        verification = self._concluded()
        call = verification.call_ids
        self.assertTrue(verification.sealed)
        self.assertTrue(call.sealed)
        self.assertEqual(
            call.secure_sequence_number + 1,
            verification.secure_sequence_number,
            "the call, then the conclusion, in one chain",
        )
        self.assertEqual(len(verification.inalterable_hash), 64)
        report = (
            self.env["crm.activity.weekly.report"]
            .with_user(self.promoter)
            .create(
                {
                    "date_start": date(2026, 11, 21),
                    "signed_by": self.promoter.name,
                    "signature": make_signature(),
                    "signed_on": date(2026, 11, 26),
                    "line_ids": [
                        Command.create(
                            {
                                "date": datetime(2026, 11, 24, 17, 0),
                                "partner_id": self.customer.id,
                                "activity_type_id": self.type_visit.id,
                                "description": "Visita",
                            }
                        )
                    ],
                }
            )
        )
        report.action_submit()
        self.assertTrue(report.sealed)
        self.assertEqual(self._integrity(added=3), {"ok": True, "first_broken": False})

    def test_evidence_cannot_change_for_anyone(self):
        verification = self._concluded()
        call = verification.call_ids
        cases = [
            (verification, {"result": "Otra cosa"}),
            (verification, {"state": "not_confirmed"}),
            (verification, {"verifier_id": self.process_manager.id}),
            (verification, {"verified_on": "2020-01-01 00:00:00"}),
            (verification, {"description": "Otra actividad"}),
            (verification, {"partner_id": self.customer_no_phone.id}),
            (call, {"notes": "Otra cosa"}),
            (call, {"date": "2020-01-01 00:00:00"}),
            (call, {"outcome": "not_confirmed"}),
            (verification, {"inalterable_hash": "0" * 64}),
            (call, {"secure_sequence_number": 1}),
        ]
        for user in (self.env.ref("base.user_admin"), self.process_manager, self.verifier):
            for record, values in cases:
                with (
                    self.subTest(user=user.login, model=record._name, values=values),
                    self.assertRaises(UserError),  # AccessError is a UserError
                ):
                    record.with_user(user).sudo(user == self.env.ref("base.user_admin")).write(
                        values
                    )
        self.assertRecordValues(
            verification, [{"state": "confirmed", "result": "Confirmed: Confirma"}]
        )
        # a sealed record is never deleted
        with self.assertRaisesRegex(UserError, "kept and cannot be deleted"):
            call.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            self.env["crm.activity.verification.seal"].sudo().search([], limit=1).write(
                {"content": "{}"}
            )
        self.assertTrue(self._integrity()["ok"])

    def test_archiving_hides_but_keeps_the_sealed_record(self):
        """Sealed records are never deleted; the HR & process manager archives them:
        off the lists, still sealed, checked and in the evidence pack."""
        verification = self._concluded()
        open_one = self._verification_done(feedback="Otra visita").with_env(self.env)
        Verification = self.env["crm.activity.verification"]
        # the verifier, the collaborator and the department manager may not archive
        for user in (self.verifier, self.advisor, self.manager_sales):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                verification.with_user(user).action_archive()
        # a verification still to call is not archived, whoever asks
        with self.assertRaisesRegex(UserError, "still in the procedure"):
            open_one.with_user(self.process_manager).action_archive()
        self.assertTrue(open_one.active)

        verification.with_user(self.process_manager).action_archive()
        self.assertFalse(verification.active)
        self.assertTrue(verification.sealed, "archiving is not an edit of the evidence")
        self.assertEqual(
            self.env["crm.activity.verification.seal"]
            .search([("res_model", "=", verification._name), ("res_id", "=", verification.id)])
            .mapped("event"),
            ["conclusion", "update"],
            "archived: sealed again, as it now stands",
        )
        self.assertNotIn(
            verification,
            Verification.with_user(self.process_manager).search(
                [("user_id", "=", self.advisor.id)]
            ),
            "off the lists and the board",
        )
        self.assertEqual(self._integrity(added=3), {"ok": True, "first_broken": False})
        pack = (
            self.env["crm.activity.verification.evidence.wizard"]
            .with_user(self.process_manager)
            .create({"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)})
        )
        cells = "\n".join(
            str(cell) for row in pack._iter_section_rows("verifications") for cell in row
        )
        self.assertIn(verification.display_name, cells)
        self.assertIn("(archived)", cells)
        # deleting stays refused, archived or not, even to the superuser; restoring is possible
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            verification.sudo().unlink()
        verification.with_user(self.process_manager).action_unarchive()
        self.assertTrue(verification.active)

    def test_archiving_a_weekly_report(self):
        Report = self.env["crm.activity.weekly.report"]
        report = Report.with_user(self.promoter).create(
            {
                "date_start": date(2026, 11, 21),
                "signed_by": self.promoter.name,
                "signature": make_signature(),
                "signed_on": date(2026, 11, 26),
                "line_ids": [
                    Command.create(
                        {
                            "date": datetime(2026, 11, 24, 17, 0),
                            "partner_id": self.customer.id,
                            "activity_type_id": self.type_visit.id,
                            "description": "Visita",
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "still in the procedure"):
            report.with_user(self.process_manager).action_archive()
        with self.assertRaises(AccessError):
            report.action_archive()  # the promoter: his own report, still not his to archive
        report.action_submit()
        report.with_user(self.process_manager).action_archive()
        self.assertFalse(report.active)
        self.assertTrue(report.sealed)
        self.assertFalse(Report.with_user(self.process_manager).search([("id", "=", report.id)]))
        # submitted, then archived: each sealed
        self.assertEqual(self._integrity(added=2), {"ok": True, "first_broken": False})

    def test_chain_of_1000_sealed_records(self):
        verifications = (
            self.env["crm.activity.verification"]
            ._workflow()
            .create(
                [
                    {"partner_id": self.customer.id, "activity_date": NOW, "phone": "+52 1"}
                    for _n in range(10)
                ]
            )
        )
        self.env["crm.activity.verification.call"]._workflow().create(
            [
                {
                    "verification_id": verifications[n % 10].id,
                    "outcome": "no_answer",
                    "notes": f"Intento {n}",
                }
                for n in range(1000)
            ]
        )
        self.assertEqual(self._integrity(added=1000), {"ok": True, "first_broken": False})

    def test_sql_change_is_found_where_it_happened(self):
        first = self._concluded()
        second = self._concluded()
        self._concluded()
        self.assertTrue(self._integrity()["ok"])
        # a call's notes changed behind Odoo's back
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_activity_verification_call SET notes = 'No contestó' WHERE id = %s",
            [second.call_ids.id],
        )
        self.env.invalidate_all()
        self.assertEqual(
            self._integrity(added=6),
            {"ok": False, "first_broken": ["crm.activity.verification.call", second.call_ids.id]},
        )
        # and a seal's own content, earlier in the chain
        self.env.cr.execute(
            "UPDATE crm_activity_verification_seal SET content = '{}' "
            "WHERE res_model = 'crm.activity.verification' AND res_id = %s",
            [first.id],
        )
        self.env.invalidate_all()
        self.assertEqual(self._integrity()["first_broken"], ["crm.activity.verification", first.id])

    def test_reopening_is_a_new_sealed_event(self):
        verification = self._concluded()
        Seal = self.env["crm.activity.verification.seal"]
        sealed = Seal.search(
            [("res_model", "=", verification._name), ("res_id", "=", verification.id)]
        )
        old_hash = sealed.inalterable_hash
        with self.assertRaises(AccessError):
            verification.with_user(self.verifier).action_reopen("Error de captura")
        with self.assertRaisesRegex(UserError, "why"):
            verification.with_user(self.process_manager).action_reopen("  ")
        verification.with_user(self.process_manager).action_reopen("El cliente se confundió")
        self.assertRecordValues(
            verification, [{"state": "in_progress", "sealed": False, "verifier_id": False}]
        )
        seals = Seal.search(
            [("res_model", "=", verification._name), ("res_id", "=", verification.id)]
        )
        self.assertEqual(seals.mapped("event"), ["conclusion", "reopening"])
        self.assertEqual(sealed.inalterable_hash, old_hash, "the sealed history stays")
        self.assertIn("El cliente se confundió", seals[-1].content)
        self.assertIn("Reopened by", verification.message_ids[0].body)
        self.assertTrue(self._integrity()["ok"])
        # back in the queue: called and concluded again, sealed again
        verification.with_user(self.verifier).action_log_call("not_confirmed", notes="No fue")
        self.assertTrue(verification.sealed)
        self.assertTrue(self._integrity()["ok"])

    def test_integrity_report(self):
        self._concluded()
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            f"{MODULE}.action_report_verification_integrity", self.company_admin.ids
        )
        text = html.decode()
        self.assertIn("The chain is intact", text)
        self.assertIn("Records checked", text)
        self.assertIn("Range checked", text)
        # the collaborators it checks do not print it (issue 21); their supervisors do
        with self.assertRaises(AccessError):
            self.company_admin.with_user(self.advisor)._action_verification_integrity_report()
        for user in (self.verifier, self.manager_sales, self.process_manager):
            action = self.company_admin.with_user(user)._action_verification_integrity_report()
            self.assertEqual(action["report_name"], f"{MODULE}.report_verification_integrity")


@tagged("post_install", "-at_install", MODULE)
class TestSealConcurrency(TransactionCase):
    def test_two_conclusions_at_once_form_one_chain(self):
        """Two transactions conclude a verification at the same moment: the second waits
        for the chain head, so both seals follow each other. Committed data, deleted after."""
        registry = self.registry
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            head = seal_head(cr, env.company.id)
            partner = env["res.partner"].create({"name": "Cadena", "phone": "+52 686 1"})
            ids = (
                env["crm.activity.verification"]
                ._workflow()
                .create([{"partner_id": partner.id, "activity_date": datetime(2001, 1, 1)}] * 2)
                .ids
            )
            cr.commit()  # pylint: disable=invalid-commit

        def cleanup():
            with closing(registry.cursor()) as cr:
                remove_test_seals(cr, self.env.company.id, head)
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'crm.activity.verification' "
                    "AND res_id IN %s",
                    [tuple(ids)],
                )
                cr.execute("DELETE FROM crm_activity_verification WHERE id IN %s", [tuple(ids)])
                cr.execute("DELETE FROM res_partner WHERE id = %s", [partner.id])
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(cleanup)

        def conclude(verification_id, hold):
            # as Odoo runs a request: retried on a serialization failure
            with closing(registry.cursor()) as cr:
                env = self.env(cr=cr, su=True)

                def work():
                    env["crm.activity.verification"].browse(verification_id).action_log_call(
                        "confirmed"
                    )
                    time.sleep(hold)
                    cr.commit()  # pylint: disable=invalid-commit

                retrying(work, env)

        first = threading.Thread(target=conclude, args=(ids[0], 1.0))
        second = threading.Thread(target=conclude, args=(ids[1], 0))
        with mute_logger("odoo.sql_db"):
            first.start()
            time.sleep(0.3)
            second.start()
            first.join(30)
            second.join(30)
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            company = env["crm.activity.verification"].browse(ids[0]).company_id
            self.assertTrue(company.get_verification_integrity()["ok"])
            seals = env["crm.activity.verification.seal"].search(
                [("res_model", "=", "crm.activity.verification"), ("res_id", "in", ids)]
            )
            self.assertEqual(len(seals), 2)


@tagged("post_install", "-at_install", MODULE)
class TestSealHeadConcurrency(TransactionCase):
    def test_sealing_leaves_the_companys_other_writes_alone(self):
        """Issue 24's load run: a request that began before another one sealed a record,
        then wrote a row pointing at the company (a chatter message, a verification),
        failed with a serialization error and was retried, logged as ERROR, because the
        chain's head lived on the company's row. Its head has a table of its own now."""
        registry = self.registry
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            company_id = env.company.id
            head = seal_head(cr, company_id)
            partner = env["res.partner"].create({"name": "Cabeza", "phone": "+52 686 2"})
            verification = (
                env["crm.activity.verification"]
                ._workflow()
                .create({"partner_id": partner.id, "activity_date": datetime(2001, 1, 1)})
            )
            cr.commit()  # pylint: disable=invalid-commit
            partner_id, verification_id = partner.id, verification.id

        def cleanup():
            with closing(registry.cursor()) as cr:
                remove_test_seals(cr, company_id, head)
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'crm.activity.verification' "
                    "AND res_id = %s",
                    [verification_id],
                )
                cr.execute("DELETE FROM crm_activity_verification WHERE id = %s", [verification_id])
                cr.execute("DELETE FROM res_partner WHERE id = %s", [partner_id])
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(cleanup)
        errors = []

        def second_request(cr_b, env_b):
            # writes rows that point at the company while the first one is sealing
            try:
                env_b["res.partner"].create({"name": "Otro cliente", "company_id": company_id})
                env_b["res.partner"].browse(partner_id).message_post(body="Nota")
                env_b.flush_all()
            except Exception as error:  # noqa: BLE001 - the failure is the test's finding
                errors.append(error)

        with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
            env_a = self.env(cr=cr_a, su=True)
            env_b = self.env(cr=cr_b, su=True)
            env_b["res.partner"].search_count([])  # the second request's snapshot is taken
            env_a["crm.activity.verification"].browse(verification_id).action_log_call("confirmed")
            env_a.flush_all()  # the first request has sealed, not committed yet
            thread = threading.Thread(target=second_request, args=(cr_b, env_b))
            with mute_logger("odoo.sql_db"):
                thread.start()
                time.sleep(0.5)
                cr_a.commit()  # pylint: disable=invalid-commit
                thread.join(30)
            cr_b.rollback()
        self.assertEqual(errors, [], "no serialization failure")
        with closing(registry.cursor()) as cr:
            self.assertEqual(seal_head(cr, company_id), head + 2, "the call, the conclusion")

    def test_a_long_request_seals_after_others_sealed(self):
        """Issue 24's load run: a report's submit renders its PDF for seconds before it
        seals; the seals others made and committed meanwhile made its lock of the chain's
        head fail (REPEATABLE READ), five tries over. Under the chain's advisory lock it
        goes on from the head as committed, and the chain stays whole."""
        registry = self.registry
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            company_id = env.company.id
            head = seal_head(cr, company_id)
            partner = env["res.partner"].create({"name": "Larga", "phone": "+52 686 3"})
            verifications = (
                env["crm.activity.verification"]
                ._workflow()
                .create(
                    [
                        {"partner_id": partner.id, "activity_date": datetime(2001, 1, day)}
                        for day in (1, 2)
                    ]
                )
            )
            cr.commit()  # pylint: disable=invalid-commit
            partner_id, ids = partner.id, verifications.ids

        def cleanup():
            with closing(registry.cursor()) as cr:
                remove_test_seals(cr, company_id, head)
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'crm.activity.verification' "
                    "AND res_id IN %s",
                    [tuple(ids)],
                )
                cr.execute("DELETE FROM crm_activity_verification WHERE id IN %s", [tuple(ids)])
                cr.execute("DELETE FROM res_partner WHERE id = %s", [partner_id])
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(cleanup)
        with closing(registry.cursor()) as cr_long, closing(registry.cursor()) as cr_short:
            env_long = self.env(cr=cr_long, su=True)
            env_short = self.env(cr=cr_short, su=True)
            env_long["res.partner"].search_count([])  # the long request's snapshot is taken
            # meanwhile a short one seals a call and the conclusion, and commits
            env_short["crm.activity.verification"].browse(ids[1]).action_log_call("confirmed")
            cr_short.commit()  # pylint: disable=invalid-commit
            # the long one seals after them: no serialization failure
            with mute_logger("odoo.sql_db"):
                env_long["crm.activity.verification"].browse(ids[0]).action_log_call("confirmed")
                env_long.flush_all()
            cr_long.commit()  # pylint: disable=invalid-commit
        with closing(registry.cursor()) as cr:
            env = self.env(cr=cr, su=True)
            self.assertEqual(seal_head(cr, company_id), head + 4, "two calls, two conclusions")
            numbers = env["crm.activity.verification"].browse(ids).mapped("secure_sequence_number")
            self.assertEqual(sorted(numbers), [head + 2, head + 4], "the long one sealed last")
            self.assertTrue(env.company.get_verification_integrity()["ok"])
