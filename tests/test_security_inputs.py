"""Issue 21, items 10 to 12: what an administrator, the procedure's settings and the
inputs of its public methods no longer break, and who checks the integrity.

Each attack is sent as an attacker sends it — XML-RPC, the web client's JSON-RPC,
``/report/pdf/...`` over HTTP — then the data is checked untouched. The tables say what
was tried; each test failed before the fix (accepted, or a traceback)."""

import inspect
from datetime import datetime, timedelta
from xmlrpc.client import Fault

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from ..models.crm_activity_input_mixin import CHAR_MAX_LENGTH, TEXT_MAX_LENGTH
from ..models.crm_activity_workflow_mixin import PUBLIC_METHOD_MARK
from ..models.res_company import SETTING_BOUNDS, SQL_ONLY_FIELDS
from ..wizard.crm_activity_verification_settings import SETTINGS_FIELDS
from .common import MODULE, VerificationCommon, new_user
from .test_weekly_report import make_signature

MILLION = "x" * 1_000_000
# XML-RPC's fault codes of the errors shown to the user (odoo/addons/rpc): a traceback
# (any other exception) is code 1.
FAULT_CODES = {"UserError": 2, "AccessError": 4}
INTEGRITY_REPORT = f"{MODULE}.report_verification_integrity"
EVIDENCE_REPORT = f"{MODULE}.report_verification_evidence"
# Char and Text fields of the addon that no user writes (the procedure's code does, or
# nobody through the ORM): they need no input limit.
CODE_WRITTEN_FIELDS = {
    "crm.activity.verification.seal": {
        "res_model",
        "content",
        "previous_hash",
        "inalterable_hash",
        "inalterable_hmac",
    },
    "crm.activity.verification.seal.head": {"inalterable_hash", "inalterable_hmac"},
    "crm.activity.verification.sampling.log": {"reason"},
    "crm.activity.verification.link.throttle": {"address"},
    "res.company": set(SQL_ONLY_FIELDS),
}


@tagged("post_install", "-at_install", MODULE)
class TestSecurityInputs(HttpCase, VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("es_MX")
        env["ir.module.module"]._load_module_terms([MODULE], ["es_MX"])
        cls.admin = new_user(env, "inputs_admin", "Ada Administradora", role="process_manager")
        cls.admin.group_ids |= env.ref("base.group_system")
        cls.portal = new_user(env, "inputs_portal", role="portal")
        cls.salesman = new_user(env, "inputs_salesman", role="salesman")
        # (read as the test's superuser: _verification_done returns them as their advisor)
        cls.verification = cls._verification_done().with_env(env)
        cls.verification_2 = cls._verification_done(cls.customer, cls.advisor_2).with_env(env)
        cls.Report = env["crm.activity.weekly.report"]
        cls.week_start = cls.Report._get_default_week_start(cls.promoter)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _rpc(self, user, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over XML-RPC as ``user`` (test users'
        passwords: the login padded with x)."""
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login.ljust(8, "x"), model, method, list(args), kwargs
        )

    def _refused(self, pattern, user, model, method, *args, kind="UserError", **kwargs):
        """The call over XML-RPC fails with a clear error of ``kind`` (an error shown to
        the user, not a traceback) whose message matches ``pattern``; its message."""
        with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
            self._rpc(user, model, method, *args, **kwargs)
        fault = caught.exception
        self.assertEqual(
            fault.faultCode,
            FAULT_CODES[kind],
            f"not a clear {kind}: {fault.faultString[-800:]}",
        )
        self.assertRegex(fault.faultString, pattern)
        return fault.faultString

    def _as(self, user):
        self.authenticate(user.login, user.login.ljust(8, "x"))

    def _json_call(self, route, model, method, args):
        """The web client's JSON-RPC call; ``(result, error)``."""
        response = self.url_open(
            route,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": args, "kwargs": {}},
            },
        )
        answer = response.json()
        return answer.get("result"), answer.get("error", {}).get("data")

    # where each is stored: the sampling key on the company, the chain head in its own table
    STORED = {
        "verification_sampling_secret": ("res_company", "id", "verification_sampling_secret"),
        "verification_seal_number": ("crm_activity_verification_seal_head", "company_id", "number"),
        "verification_seal_hash": (
            "crm_activity_verification_seal_head",
            "company_id",
            "inalterable_hash",
        ),
        "verification_seal_hmac": (
            "crm_activity_verification_seal_head",
            "company_id",
            "inalterable_hmac",
        ),
    }

    def _sql_company(self, company, fnames):
        """``{field: value}`` of ``company`` as stored."""
        self.env.flush_all()
        values = {}
        for fname in fnames:
            table, key, column = self.STORED[fname]
            # the chain head: the row of the highest number
            order = " ORDER BY number DESC LIMIT 1" if table.endswith("_seal_head") else ""
            self.env.cr.execute(
                f"SELECT {column} FROM {table} WHERE {key} = %s{order}",  # noqa: S608
                [company.id],
            )
            row = self.env.cr.fetchone()
            values[fname] = row and row[0]
        return values

    def _addon_models(self):
        """The addon's models and dialogs, and Odoo's that it extends with methods."""
        for name in sorted(self.env.registry):
            model_class = type(self.env[name])
            own = [
                klass
                for klass in model_class.mro()
                if klass.__module__.startswith(f"odoo.addons.{MODULE}.")
            ]
            if own and not self.env[name]._abstract:
                yield name, model_class, own

    # ------------------------------------------------------------------
    # item 10
    # ------------------------------------------------------------------
    def test_item10_nobody_writes_the_chain_head_or_the_sampling_key(self):
        """The administrator wrote verification_seal_number (the next seal then failed for
        everyone) or chose verification_sampling_secret (the draw was steered): written
        by nobody through the ORM now, the superuser included; still readable by
        administrators; the sealing and the draw still write them (SQL)."""
        company = self.company_admin
        self.verification.with_user(self.verifier).action_log_call("confirmed", "Sí")
        company._get_verification_sampling_secret()
        head_fields = sorted(SQL_ONLY_FIELDS)
        before = self._sql_company(company, head_fields)
        self.assertTrue(
            before["verification_seal_number"]
            and before["verification_seal_hash"]
            and before["verification_sampling_secret"],
            "a chain head and a key to protect",
        )
        attacks = {
            "verification_seal_number": 0,
            "verification_seal_hash": "0" * 64,
            "verification_seal_hmac": "0" * 64,
            "verification_sampling_secret": "elegida-por-el-administrador",
        }
        for fname, value in attacks.items():
            with self.subTest(field=fname):
                self._refused(
                    "written by the procedure alone",
                    self.admin,
                    "res.company",
                    "write",
                    [company.id],
                    {fname: value},
                )
                self._refused(
                    "written by the procedure alone",
                    self.admin,
                    "res.company",
                    "create",
                    {"name": "Concesionaria elegida", fname: value},
                )
                with self.assertRaisesRegex(UserError, "written by the procedure alone"):
                    company.sudo().write({fname: value})
                with self.assertRaisesRegex(UserError, "written by the procedure alone"):
                    self.env["res.company"].sudo().create({"name": "Otra", fname: value})
        self.assertEqual(self._sql_company(company, head_fields), before)
        self.assertFalse(self.env["res.company"].search([("name", "=", "Otra")]))
        # readable where they were: by administrators
        row = self._rpc(self.admin, "res.company", "read", [company.id], list(attacks))[0]
        for fname in ("verification_seal_number", "verification_seal_hash"):
            self.assertEqual(row[fname], before[fname])
        self.assertEqual(
            row["verification_sampling_secret"], before["verification_sampling_secret"]
        )
        # the sealing moves the head, and a new company's key is made once, in SQL
        self.verification_2.with_user(self.verifier).action_log_call("confirmed", "Sí")
        head = self._sql_company(company, ["verification_seal_number"])
        self.assertGreater(head["verification_seal_number"], before["verification_seal_number"])
        self.assertTrue(company.get_verification_integrity()["ok"])
        other = self.env["res.company"].create({"name": "Concesionaria nueva"})
        key = other._get_verification_sampling_secret()
        self.assertEqual(len(key), 64)
        self.assertEqual(other._get_verification_sampling_secret(), key)
        self.assertEqual(
            self._sql_company(other, ["verification_sampling_secret"]),
            {"verification_sampling_secret": key},
        )

    # ------------------------------------------------------------------
    # item 11: settings
    # ------------------------------------------------------------------
    def test_item11_settings_have_bounds(self):
        """verification_sla_days = 1000000000 made every mark-done fail company-wide
        (OverflowError): each setting has bounds, whoever saves it (an administrator over
        RPC or in Settings, the HR & process manager in the procedure's dialog)."""
        company = self.company_admin
        before = company.read(list(SETTING_BOUNDS))[0]
        cases = [
            ("verification_sla_days", 1_000_000_000),
            ("verification_sla_days", 366),
            ("verification_followup_days", 366),
            ("verification_escalation_manager_days", 366),
            ("verification_escalation_process_days", 10_000),
            ("verification_report_grace_days", 366),
            ("verification_max_attempts", 0),
            ("verification_max_attempts", 21),
            ("verification_sampling_normal_rate", 101),
            ("verification_sampling_reduced_rate", -1),
            ("verification_new_collaborator_weeks", 53),
            ("verification_retry_hours", 169),
            ("verification_link_days", 0),
            ("verification_link_days", 91),
        ]
        refused = r"must be from \d+ to \d+|from 0 to 100"
        for fname, value in cases:
            with self.subTest(field=fname, value=value):
                self._refused(
                    refused, self.admin, "res.company", "write", [company.id], {fname: value}
                )
                if fname in SETTINGS_FIELDS:
                    wizard_id = self._rpc(
                        self.process_manager,
                        "crm.activity.verification.settings",
                        "create",
                        {fname: value},
                    )
                    self._refused(
                        refused,
                        self.process_manager,
                        "crm.activity.verification.settings",
                        "action_save",
                        [wizard_id],
                    )
        # Odoo's Settings page, as the administrator saves it (its related fields write
        # through to the company as soon as the page is saved)
        self._refused(
            refused,
            self.admin,
            "res.config.settings",
            "create",
            {"verification_sla_days": 1_000_000_000},
        )
        company.invalidate_recordset()
        self.assertEqual(company.read(list(SETTING_BOUNDS))[0], before)
        # in the user's language (the web client sends it in the context)
        self._refused(
            "debe estar entre 0 y 365",
            self.admin,
            "res.company",
            "write",
            [company.id],
            {"verification_sla_days": 1_000_000_000},
            context={"lang": "es_MX"},
        )
        # what users notice: marking an activity done still works, the bounds are accepted
        company.write({"verification_sla_days": 365, "verification_link_days": 90})
        self.assertEqual(self._verification_done(self.customer, self.advisor_2).state, "pending")

    def test_item11_people_of_the_procedure(self):
        """A portal user was accepted as HR & process manager: the process manager is an
        active internal user of the company in its group, the complaint handler one who
        handles complaints (verifier, department manager, process manager); the Settings
        and the dialog offer only those."""
        company = self.company_admin
        archived = new_user(self.env, "inputs_archived_rhp", role="process_manager")
        archived.action_archive()
        other_company = new_user(
            self.env, "inputs_rhp_c2", role="process_manager", company=self.company_2
        )
        cases = [
            ("verification_process_manager_id", self.portal),
            ("verification_process_manager_id", self.salesman),
            ("verification_process_manager_id", self.manager_sales),
            ("verification_process_manager_id", archived),
            ("verification_process_manager_id", other_company),
            ("verification_complaint_user_id", self.portal),
            ("verification_complaint_user_id", self.advisor),
            ("verification_complaint_user_id", self.verifier_c2),
        ]
        for fname, user in cases:
            with self.subTest(field=fname, user=user.login):
                self._refused(
                    "cannot be the",
                    self.admin,
                    "res.company",
                    "write",
                    [company.id],
                    {fname: user.id},
                )
                wizard_id = self._rpc(
                    self.process_manager,
                    "crm.activity.verification.settings",
                    "create",
                    {fname: user.id},
                )
                self._refused(
                    "cannot be the",
                    self.process_manager,
                    "crm.activity.verification.settings",
                    "action_save",
                    [wizard_id],
                )
        company.invalidate_recordset()
        self.assertEqual(company.verification_process_manager_id, self.process_manager)
        self.assertFalse(company.verification_complaint_user_id)
        # what the fields offer, in Settings, in the dialog and on the company
        candidates = (
            self.admin
            | self.process_manager
            | self.verifier
            | self.manager_sales
            | self.manager_parts
            | self.portal
            | self.salesman
            | self.advisor
            | archived
            | other_company
            | self.verifier_c2
        )
        offered_pm = self.process_manager | self.admin
        offered_handlers = offered_pm | self.verifier | self.manager_sales | self.manager_parts
        for user, model in (
            (self.admin, "res.config.settings"),
            (self.process_manager, "crm.activity.verification.settings"),
            (self.admin, "res.company"),
        ):
            # the fields as the form of each gets them
            form = self.env[model].with_user(user).get_views([(False, "form")])
            described = form["models"][model]["fields"]
            for fname, offered in (
                ("verification_process_manager_id", offered_pm),
                ("verification_complaint_user_id", offered_handlers),
            ):
                if fname not in described and model == "res.company":
                    described = self.env[model].fields_get([fname], ["domain"])
                with self.subTest(model=model, field=fname):
                    domain = safe_eval(
                        described[fname]["domain"], {"company_id": company.id, "id": company.id}
                    )
                    found = self.env["res.users"].search(domain) & candidates
                    self.assertEqual(found, offered & candidates)
        # the right people are accepted
        company.write({"verification_complaint_user_id": self.verifier.id})
        self._rpc(
            self.admin,
            "res.company",
            "write",
            [company.id],
            {"verification_process_manager_id": self.admin.id},
        )
        company.invalidate_recordset()
        self.assertEqual(company.verification_process_manager_id, self.admin)

    # ------------------------------------------------------------------
    # item 11: inputs of the public API
    # ------------------------------------------------------------------
    def test_item11_every_date_input_has_a_range(self):
        """action_log_call(..., callback_at='9999-12-31 23:59:59') and a weekly report in
        year 9999 gave tracebacks: each date input has a window, refused clearly."""
        verification = self.verification
        report = self.Report.with_user(self.promoter).create({"date_start": self.week_start})
        self.env.flush_all()
        reports_before = self.Report.search_count([])
        line_model = "crm.activity.weekly.report.line"
        line = {
            "report_id": report.id,
            "partner_id": self.customer.id,
            "activity_type_id": self.type_visit.id,
        }
        line_in_report = {key: line[key] for key in ("partner_id", "activity_type_id")}
        far = fields.Date.to_string(self.week_start + timedelta(days=21))
        cases = [
            (
                self.verifier,
                "crm.activity.verification",
                "action_log_call",
                [[verification.id], "call_back"],
                {"callback_at": "9999-12-31 23:59:59"},
                "within the next 90 days",
            ),
            (
                self.verifier,
                "crm.activity.verification",
                "action_log_call",
                [[verification.id], "call_back"],
                {"callback_at": "0001-01-01 00:00:00"},
                "in the past",
            ),
            (
                self.verifier,
                "crm.activity.verification",
                "action_request_followup",
                [[verification.id], "Cotización"],
                {"deadline": "9999-12-31"},
                "more than one year ahead",
            ),
            (
                self.promoter,
                "crm.activity.weekly.report",
                "create",
                [{"date_start": "9999-12-31"}],
                {},
                "“Week From” must be between",
            ),
            (
                self.promoter,
                "crm.activity.weekly.report",
                "create",
                [
                    {
                        "date_start": "9999-12-25",
                        "line_ids": [[0, 0, dict(line_in_report, date="9999-12-28 10:00:00")]],
                    }
                ],
                {},
                "“Week From” must be between",
            ),
            (
                self.promoter,
                "crm.activity.weekly.report",
                "create",
                [{"date_start": "1999-12-25"}],
                {},
                "“Week From” must be between",
            ),
            (
                self.promoter,
                "crm.activity.weekly.report",
                "create",
                [{"date_start": far}],
                {},
                "“Week From” must be between",
            ),
            (
                self.promoter,
                "crm.activity.weekly.report",
                "write",
                [[report.id], {"signed_on": "9999-12-31"}],
                {},
                "“Signed On” must be between",
            ),
            (
                self.promoter,
                line_model,
                "create",
                [dict(line, date="0001-01-01 00:00:00")],
                {},
                "“Date and Time” must be between",
            ),
            (
                self.promoter,
                line_model,
                "create",
                [dict(line, date="9999-12-31 23:59:59")],
                {},
                "“Date and Time” must be between",
            ),
            (
                self.promoter,
                line_model,
                "create",
                [dict(line, date="mañana")],
                {},
                "must be a date",
            ),
            (
                self.manager_sales,
                "crm.activity.verification.evidence.wizard",
                "create",
                [{"date_from": "2026-01-01", "date_to": "9999-12-31"}],
                {},
                "“To” must be between",
            ),
        ]
        for user, model, method, args, kwargs, pattern in cases:
            with self.subTest(model=model, method=method, args=args, kwargs=kwargs):
                self._refused(pattern, user, model, method, *args, **kwargs)
        verification.invalidate_recordset()
        self.assertEqual(verification.state, "pending")
        self.assertFalse(verification.call_ids or verification.callback_at)
        self.assertEqual(verification.followup_state, "none")
        self.assertEqual(self.Report.search_count([]), reports_before)
        report.invalidate_recordset()
        self.assertFalse(report.line_ids or report.signed_on)
        # within the windows, accepted
        callback = fields.Datetime.now().replace(minute=0, second=0) + timedelta(days=7)
        while verification._get_next_call_time(callback) != callback:
            callback += timedelta(hours=1)
        self._rpc(
            self.verifier,
            "crm.activity.verification",
            "action_log_call",
            [verification.id],
            "call_back",
            callback_at=fields.Datetime.to_string(callback),
        )
        verification.invalidate_recordset()
        self.assertEqual(verification.callback_at, callback)

    def test_item11_wrong_arity_and_singleton_are_clear_errors(self):
        """Two ids at once gave "Expected singleton", a missing or extra argument a
        TypeError: each public method says what it takes, before doing anything."""
        ids = [self.verification.id, self.verification_2.id]
        model = "crm.activity.verification"
        cases = [
            (model, "action_log_call", [ids, "confirmed"], {}, "acts on one record at a time"),
            (model, "action_log_call", [ids[:1]], {}, "wrong arguments: it takes outcome, notes"),
            (model, "action_log_call", [ids[:1], "confirmed", "n", False, False, "x"], {}, "wrong"),
            (model, "action_log_call", [ids[:1], "confirmed"], {"nota": "x"}, "wrong arguments"),
            (model, "action_report_complaint", [ids, "Demora"], {}, "one record at a time"),
            (model, "action_request_followup", [[], "Cotización"], {}, "called on 0"),
            (model, "action_open_call_dialog", [ids], {}, "one record at a time"),
            ("res.company", "get_verification_integrity", [[], 1, "a", "b"], {}, "wrong arguments"),
        ]
        for model_name, method, args, kwargs, pattern in cases:
            with self.subTest(method=method, args=args, kwargs=kwargs):
                self._refused(pattern, self.verifier, model_name, method, *args, **kwargs)
        # in the user's language
        self._refused(
            "actúa sobre un solo registro",
            self.verifier,
            model,
            "action_log_call",
            ids,
            "no_answer",
            context={"lang": "es_MX"},
        )
        # the web client's JSON-RPC: its buttons still work, a second id is refused
        self._as(self.verifier)
        action, error = self._json_call(
            "/web/dataset/call_button", model, "action_open_call_dialog", [ids[:1]]
        )
        self.assertFalse(error)
        self.assertEqual(action["res_model"], "crm.activity.verification.call.log")
        for route in ("/web/dataset/call_button", "/web/dataset/call_kw"):
            with self.subTest(route=route), mute_logger("odoo.http"):
                _result, error = self._json_call(route, model, "action_open_call_dialog", [ids])
                self.assertEqual(error["name"], "odoo.exceptions.UserError")
                self.assertIn("acts on one record at a time", error["message"])
        for verification in self.verification | self.verification_2:
            self.assertEqual(verification.state, "pending")
            self.assertFalse(verification.call_ids or verification.complaint_ids)
            self.assertEqual(verification.followup_state, "none")
        # every public method of the addon's models and dialogs is guarded that way
        checked = 0
        for name, model_class, own in self._addon_models():
            methods = {
                attr
                for klass in own
                for attr in vars(klass)
                if attr.startswith("action_") or attr == "get_verification_integrity"
            }
            for attr in sorted(methods):
                with self.subTest(model=name, method=attr):
                    method = getattr(model_class, attr)
                    self.assertTrue(hasattr(method, PUBLIC_METHOD_MARK), "not guarded")
                    records = self.env[name].browse([1, 2])
                    with self.assertRaisesRegex(UserError, "wrong arguments"):
                        getattr(records[:1], attr)(*["x"] * 9)
                    wrapped = inspect.unwrap(method)
                    source = inspect.getsource(wrapped)
                    if "ensure_one()" in source or "_open_dialog(" in source:
                        self.assertTrue(getattr(method, PUBLIC_METHOD_MARK), "acts on one")
                    if getattr(method, PUBLIC_METHOD_MARK):
                        required = [
                            "x"
                            for parameter in list(inspect.signature(wrapped).parameters.values())[
                                1:
                            ]
                            if parameter.default is inspect.Parameter.empty
                        ]
                        with self.assertRaisesRegex(UserError, "one record at a time"):
                            getattr(records, attr)(*required)
                    checked += 1
        self.assertGreater(checked, 40)

    def test_item11_free_text_has_a_size_limit(self):
        """customer_name and signed_by took 1,000,000 characters: every Char and Text
        field of the addon has its limit (README "Limits of the inputs"), refused before
        anything is stored, never cut."""
        report = self._draft_report()
        line = report.line_ids
        verification = self.verification
        before = (report.signed_by, line.customer_name, verification.contact_name)
        too_long = {
            "char": "x" * (CHAR_MAX_LENGTH + 1),
            "text": "x" * (TEXT_MAX_LENGTH + 1),
        }
        line_values = {
            "report_id": report.id,
            "date": fields.Datetime.to_string(line.date),
            "activity_type_id": self.type_visit.id,
        }
        cases = [
            (
                self.promoter,
                "crm.activity.weekly.report",
                "write",
                [[report.id], {"signed_by": MILLION}],
            ),
            (
                self.promoter,
                "crm.activity.weekly.report",
                "create",
                [
                    {
                        "date_start": fields.Date.to_string(self.week_start - timedelta(days=7)),
                        "signed_by": too_long["char"],
                    }
                ],
            ),
            (
                self.promoter,
                "crm.activity.weekly.report.line",
                "create",
                [dict(line_values, customer_name=MILLION)],
            ),
            (
                self.promoter,
                "crm.activity.weekly.report.line",
                "write",
                [line.ids, {"contact_name": too_long["char"]}],
            ),
            (
                self.promoter,
                "crm.activity.weekly.report.line",
                "write",
                [line.ids, {"phone": MILLION}],
            ),
            (
                self.promoter,
                "crm.activity.weekly.report.line",
                "write",
                [line.ids, {"description": too_long["text"]}],
            ),
            (
                self.verifier,
                "crm.activity.verification",
                "write",
                [[verification.id], {"contact_name": MILLION}],
            ),
            (
                self.verifier,
                "crm.activity.verification",
                "write",
                [[verification.id], {"phone": too_long["char"]}],
            ),
            (
                self.verifier,
                "crm.activity.verification.call.log",
                "create",
                [{"verification_id": verification.id, "notes": too_long["text"]}],
            ),
            (
                self.verifier,
                "crm.activity.verification.customer",
                "create",
                [{"verification_id": verification.id, "name": MILLION}],
            ),
        ]
        for user, model, method, args in cases:
            with self.subTest(model=model, method=method):
                self._refused("is too long: .* characters, at most", user, model, method, *args)
        report.invalidate_recordset()
        verification.invalidate_recordset()
        self.assertEqual(
            (report.signed_by, report.line_ids.customer_name, verification.contact_name), before
        )
        self.assertEqual(report.line_ids, line)
        self.assertEqual(line.phone, self.customer.phone)
        self.assertFalse(line.contact_name or line.description)
        self.assertFalse(self.env["crm.activity.verification.call.log"].search([]))
        # the limit itself is accepted, and kept whole
        self._rpc(
            self.promoter,
            "crm.activity.weekly.report",
            "write",
            [report.id],
            {"signed_by": "y" * CHAR_MAX_LENGTH},
        )
        report.invalidate_recordset()
        self.assertEqual(report.signed_by, "y" * CHAR_MAX_LENGTH)
        # in the user's language
        self._refused(
            "“Firmado por” excede el límite: 1000000 caracteres, como máximo 256",
            self.promoter,
            "crm.activity.weekly.report",
            "write",
            [report.id],
            {"signed_by": MILLION},
            context={"lang": "es_MX"},
        )
        # every Char and Text field of the addon has its documented limit
        for name, _model_class, _own in self._addon_models():
            Model = self.env[name]
            for fname, field in Model._fields.items():
                if (
                    field.type not in ("char", "text")
                    or MODULE not in field._modules
                    or fname in CODE_WRITTEN_FIELDS.get(name, ())
                    or (field.compute and not field.store and field.readonly)
                    or field.related
                ):
                    continue
                with self.subTest(model=name, field=fname):
                    self.assertIsInstance(Model, self.env.registry["crm.activity.input.mixin"])
                    expected = CHAR_MAX_LENGTH if field.type == "char" else TEXT_MAX_LENGTH
                    self.assertEqual(Model._get_input_max_length(fname), expected)

    def _draft_report(self):
        return self.Report.with_user(self.promoter).create(
            {
                "date_start": self.week_start,
                "signed_by": self.promoter.name,
                "signature": make_signature(),
                "line_ids": [
                    Command.create(
                        {
                            "date": datetime.combine(self.week_start, datetime.min.time())
                            + timedelta(hours=18),
                            "partner_id": self.customer.id,
                            "activity_type_id": self.type_visit.id,
                        }
                    )
                ],
            }
        )

    # ------------------------------------------------------------------
    # item 12
    # ------------------------------------------------------------------
    def test_item12_integrity_and_its_reports_are_for_the_supervisors(self):
        """The integrity check and its PDF were open to a portal user and to a salesman
        outside the procedure: verifiers, department managers (the evidence pack of
        their teams) and the HR & process manager only, however they are asked for."""
        company = self.company_admin
        self.verification.with_user(self.verifier).action_log_call("confirmed", "Sí")
        head = company.get_verification_integrity()["head"]
        pack = (
            self.env["crm.activity.verification.evidence.wizard"]
            .with_user(self.manager_sales)
            .create({"team_ids": [Command.set(self.team_sales.ids)]})
        )
        attachments = self.env["ir.attachment"].search_count([])
        urls = (
            f"/report/pdf/{INTEGRITY_REPORT}/{company.id}",
            f"/report/html/{INTEGRITY_REPORT}/{company.id}",
            f"/report/pdf/{EVIDENCE_REPORT}/{pack.id}",
        )
        refused = "Only the verifiers, the department managers and the HR &(amp;)? process manager"
        for user in (self.portal, self.salesman, self.advisor):
            with self.subTest(user=user.login):
                for args in ([company.id], []):
                    self._refused(
                        refused,
                        user,
                        "res.company",
                        "get_verification_integrity",
                        args,
                        kind="AccessError",
                    )
                self._as(user)
                for url in urls:
                    with mute_logger("odoo.http"):
                        response = self.url_open(url)
                    self.assertEqual(response.status_code, 403, url)
                    self.assertRegex(response.text, refused)
                    self.assertNotIn(head["hash"], response.text)
                Report = self.env["ir.actions.report"].with_user(user)
                for report, ids in ((INTEGRITY_REPORT, company.ids), (EVIDENCE_REPORT, pack.ids)):
                    with self.assertRaisesRegex(AccessError, refused):
                        Report._render_qweb_pdf(report, ids)
                with self.assertRaisesRegex(AccessError, refused):
                    company.with_user(user)._action_verification_integrity_report()
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        self.assertEqual(company.get_verification_integrity()["head"], head)
        # the supervisors check it, over RPC and as a PDF
        for user in (self.verifier, self.manager_sales, self.process_manager):
            with self.subTest(user=user.login):
                result = self._rpc(user, "res.company", "get_verification_integrity", [company.id])
                self.assertEqual((result["ok"], result["head"]), (True, head))
                self._as(user)
                response = self.url_open(f"/report/pdf/{INTEGRITY_REPORT}/{company.id}")
                self.assertEqual(response.status_code, 200)
                self.assertIn(head["hash"], response.text)
        # another company's chain is not theirs
        self._refused(
            "not allowed|top-secret",
            self.verifier,
            "res.company",
            "get_verification_integrity",
            [self.company_2.id],
            kind="AccessError",
        )
        # the evidence pack: the department manager's own teams, as before
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager_sales)
            ._render_qweb_html(EVIDENCE_REPORT, pack.ids)
        )
        self.assertIn(self.team_sales.name, html.decode())
        pack.sudo().team_ids = self.team_parts
        with self.assertRaisesRegex(UserError, "departments you lead"):
            self.env["ir.actions.report"].with_user(self.manager_sales)._render_qweb_html(
                EVIDENCE_REPORT, pack.ids
            )
