"""Issue 24, item 4: the addon's methods marked ``@api.readonly`` write nothing.

With ``--db_replica_host``, Odoo serves a call of such a method on a read-only cursor of
a streaming replica (``/web/dataset/call_kw``, ``DataSet._call_kw_readonly``). A method
that wrote there would fail on the replica and be retried on the primary, logged as a
WARNING: each one is run here in a read-only transaction, with its flush and pre-commit
hooks, and through the web client's route on Odoo's read-only test cursor.
"""

import threading
from contextlib import contextmanager

from odoo.service.model import get_public_method
from odoo.tests import HttpCase, tagged

from .common import MODULE, VerificationCommon


@contextmanager
def write_statements():
    """The INSERT, UPDATE and DELETE statements that this thread runs inside the block
    (Odoo's query hooks)."""
    writes = []

    def hook(_cr, query, _params, _start, _depth):
        if str(query).lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(str(query)[:120])

    thread = threading.current_thread()
    hooks = getattr(thread, "query_hooks", ())
    thread.query_hooks = (*hooks, hook)
    try:
        yield writes
    finally:
        thread.query_hooks = hooks


def addon_readonly_methods(env):
    """``{(model, method)}`` of the methods that this addon marks ``@api.readonly``."""
    found = set()
    for model_name in env.registry:
        for klass in type(env[model_name]).mro():
            if not klass.__module__.startswith(f"odoo.addons.{MODULE}."):
                continue
            for name, member in vars(klass).items():
                if callable(member) and getattr(member, "_readonly", False) is True:
                    found.add((model_name, name))
    return found


@tagged("post_install", "-at_install", MODULE)
class TestReadonlyMethods(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.verification = cls._verification_done()
        complaint_id = cls.verification.with_user(cls.verifier).action_report_complaint(
            "El cliente reclama la demora de la refacción"
        )
        cls.complaint = cls.env["crm.activity.complaint"].browse(complaint_id)
        cls.report = (
            cls.env["crm.activity.weekly.report"]
            .with_user(cls.promoter)
            .create({"date_start": "2026-11-21"})
        )
        # an evidence pack made in the background (issue 24, item 1), ready
        cls.evidence_request = cls.env["crm.activity.verification.evidence.request"].create(
            {
                "user_id": cls.manager_sales.id,
                "company_id": cls.company_admin.id,
                "date_from": "2026-11-01",
                "date_to": "2026-11-30",
                "state": "done",
            }
        )
        cls.evidence_request.attachment_id = cls.env["ir.attachment"].create(
            {
                "name": "Evidence pack.pdf",
                "raw": b"%PDF-1.4\n%%EOF\n",
                "res_model": cls.evidence_request._name,
                "res_id": cls.evidence_request.id,
            }
        )
        cls.env.flush_all()
        cls.env.cr.precommit.run()

    def _calls(self):
        """How each read-only method is called, and by whom."""
        verification = self.verification
        sales_manager = self.manager_sales
        return {
            ("crm.activity.verification", "action_open_call_dialog"): lambda: (
                verification.with_user(self.verifier).action_open_call_dialog()
            ),
            ("crm.activity.verification", "action_open_customer_dialog"): lambda: (
                verification.with_user(self.verifier).action_open_customer_dialog()
            ),
            ("crm.activity.verification", "action_open_anomaly_dialog"): lambda: (
                verification.with_user(self.verifier).action_open_anomaly_dialog()
            ),
            ("crm.activity.verification", "action_open_complaint_dialog"): lambda: (
                verification.with_user(self.verifier).action_open_complaint_dialog()
            ),
            ("crm.activity.verification", "action_open_followup_dialog"): lambda: (
                verification.with_user(self.verifier).action_open_followup_dialog()
            ),
            ("crm.activity.verification", "action_view_complaints"): lambda: verification.with_user(
                self.verifier
            ).action_view_complaints(),
            ("crm.activity.verification", "action_register_complaint"): lambda: (
                verification.with_user(self.verifier).action_register_complaint()
            ),
            ("crm.activity.verification", "action_open_anomaly_resolve_dialog"): lambda: (
                verification.with_user(self.process_manager).action_open_anomaly_resolve_dialog()
            ),
            ("crm.activity.verification", "action_open_reopen_dialog"): lambda: (
                verification.with_user(self.process_manager).action_open_reopen_dialog()
            ),
            ("crm.activity.verification", "action_open_lead"): lambda: verification.with_user(
                sales_manager
            ).action_open_lead(),
            ("crm.activity.verification", "action_view_lead_sales"): lambda: verification.with_user(
                sales_manager
            ).action_view_lead_sales(),
            ("crm.activity.complaint", "action_open_verification"): lambda: (
                self.complaint.with_user(self.process_manager).action_open_verification()
            ),
            ("crm.lead", "action_view_verifications"): lambda: self.lead.with_user(
                self.advisor
            ).action_view_verifications(),
            ("res.partner", "action_view_verifications"): lambda: self.customer.with_user(
                sales_manager
            ).action_view_verifications(),
            ("res.partner", "action_view_complaints"): lambda: self.customer.with_user(
                sales_manager
            ).action_view_complaints(),
            ("crm.activity.weekly.report", "action_view_verifications"): lambda: (
                self.report.with_user(self.promoter).action_view_verifications()
            ),
            ("crm.activity.weekly.report", "action_print_blank_form"): lambda: (
                self.report.with_user(self.promoter).action_print_blank_form()
            ),
            ("res.company", "get_verification_integrity"): lambda: self.company_admin.with_user(
                self.process_manager
            ).get_verification_integrity(),
            ("crm.activity.verification.evidence.request", "action_download"): lambda: (
                self.evidence_request.with_user(sales_manager).action_download()
            ),
        }

    def test_every_readonly_method_writes_nothing(self):
        """Each method marked @api.readonly runs in a read-only transaction (PostgreSQL
        refuses any write, its flush and pre-commit hooks included) and runs no INSERT,
        UPDATE or DELETE; a new one must say here how it is called."""
        calls = self._calls()
        self.assertEqual(addon_readonly_methods(self.env), set(calls))
        cr = self.env.cr
        for (model, method), call in calls.items():
            with self.subTest(model=model, method=method):
                self.assertTrue(get_public_method(self.env[model], method)._readonly)
                savepoint = cr.savepoint()
                try:
                    cr.execute("SET TRANSACTION READ ONLY")
                    with write_statements() as writes:
                        result = call()
                        self.env.flush_all()
                        cr.precommit.run()
                finally:
                    savepoint.close(rollback=True)
                self.assertTrue(result)
                self.assertEqual(writes, [])


@tagged("post_install", "-at_install", MODULE)
class TestReadonlyThroughWebClient(HttpCase, VerificationCommon):
    def test_integrity_check_on_a_readonly_cursor(self):
        """The integrity check through the web client's route: served on a read-only
        cursor (a replica in production) without falling back to the primary."""
        self.authenticate(self.process_manager.login, self.process_manager.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            result = self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.company.get_verification_integrity",
                {
                    "model": "res.company",
                    "method": "get_verification_integrity",
                    "args": [[self.company_admin.id]],
                    "kwargs": {},
                },
            )
        self.assertTrue(result["ok"])
