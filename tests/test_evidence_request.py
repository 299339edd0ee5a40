"""Issue 24, item 1: an evidence pack too large to print at once is made in the
background by ``ir_cron_evidence_pack``, run here as the scheduler runs it
(``method_direct_trigger`` on the test cursor), printed for real by wkhtmltopdf and read
back with pdftotext: the same document as the one printed at once, numbered through the
whole pack, resumed after a kill without printing a part twice, and for the eyes of who
asked and of the HR & process manager only."""

import hashlib
import json
import re
from xmlrpc.client import Fault

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import MODULE, cron_prints_pdf, new_user
from .test_evidence_pack import NOW, EvidencePackCommon, every_section
from .test_weekly_report_pdf import pdf_pages_text

CRON = f"{MODULE}.ir_cron_evidence_pack"
PART = "crm.activity.verification.evidence.request.part"
REQUEST = "crm.activity.verification.evidence.request"
PART_TABLE = PART.replace(".", "_")


def printed_pages(content):
    """The words of each page of the PDF ``content`` (or of pages already read), less the
    time it was printed (the dialog's now, the request's time of asking)."""
    pages = content if isinstance(content, list) else pdf_pages_text(content)
    return [re.sub(r"Printed on: \S+ \S+", "", page).split() for page in pages]


@tagged("post_install", "-at_install", MODULE)
@freeze_time(NOW)
class TestEvidencePackInTheBackground(EvidencePackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # enough rows for a few pages: the parts below are of one page each
        for index in range(24):
            verification = cls._verification_done(
                record=cls.customer, feedback=f"Visita {index}: presentación de la línea LT"
            )
            verification.with_user(cls.verifier).action_log_call(
                "confirmed", notes="Confirma la visita y pide la ficha técnica por correo."
            )
        cls.Request = cls.env[REQUEST]
        cls.cron = cls.env.ref(CRON)
        cls.env.flush_all()

    def setUp(self):
        super().setUp()
        # one page per part: the pack is made of several parts, printed one at a time
        self.patch(type(self.Request), "_PART_PAGES", 1)
        # every pack is asked for in the background
        self.patch(type(self.Wizard), "_SYNC_MAX_ROWS", 0)

    def _as(self, user):
        self.authenticate(user.login, user.login.ljust(8, "x"))

    def _rpc(self, user, model, method, *args):
        """``model.method(*args)`` over XML-RPC as ``user`` (a test user's password: his
        login padded with x)."""
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login.ljust(8, "x"), model, method, list(args)
        )

    def _rpc_refused(self, user, model, method, *args):
        with mute_logger("odoo.http", "odoo.models"), self.assertRaises(Fault) as caught:
            self._rpc(user, model, method, *args)
        self.assertEqual(caught.exception.faultCode, 4, caught.exception.faultString[-600:])

    def _json_call(self, route, model, method, args, kwargs=None):
        """The web client's JSON-RPC call; ``(result, error)``."""
        with mute_logger("odoo.http"):
            response = self.url_open(
                route,
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                },
            )
        answer = response.json()
        return answer.get("result"), answer.get("error", {}).get("data")

    def _ask(self, user, teams=None):
        action = self._wizard(user, teams).action_print()
        self.assertEqual(action["tag"], "display_notification")
        return self.Request.browse(action["params"]["next"]["res_id"])

    def _run_cron(self):
        with cron_prints_pdf():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    def test_the_pack_made_in_the_background_is_the_pack_printed_at_once(self):
        request = self._ask(self.process_manager)
        self.assertRecordValues(request, [{"state": "queued", "user_id": self.process_manager.id}])
        with self.mock_mail_gateway(), self.mock_bus():
            self._run_cron()
        self.assertEqual(request.state, "done")
        self.assertGreaterEqual(request.page_count, 3, "several parts")
        self.assertFalse(request.part_ids, "the parts are dropped once merged")
        # the PDF written into the filestore as it was merged: its row as the ORM writes it
        pdf = request.attachment_id
        self.assertRecordValues(
            pdf,
            [
                {
                    "res_model": REQUEST,
                    "res_id": request.id,
                    "mimetype": "application/pdf",
                    "file_size": len(pdf.raw),
                    "checksum": hashlib.sha1(pdf.raw).hexdigest(),
                    "store_fname": f"{pdf.checksum[:2]}/{pdf.checksum}",
                }
            ],
        )
        pages = pdf_pages_text(pdf.raw)
        self.assertEqual(len(pages), request.page_count)
        self._assert_numbered(pages)  # "Page x of y" through the whole pack
        printed = "\n".join(pages).split()
        for text in every_section(self):
            for word in text.split():
                self.assertIn(word, printed, text)
        at_once = printed_pages(self._print(self._wizard(self.process_manager)))
        self.assertEqual(printed_pages(pages), at_once, "the same document, page by page")
        # who asked is told: an e-mail, and a notification in his web client
        self.assertMailMail(
            self.process_manager.partner_id,
            "outgoing",
            content=f"is ready: {request.page_count} pages.",
            fields_values={
                "subject": "Your evidence pack of 11/01/2026 – 11/30/2026 is ready",
            },
        )
        notifications = [
            (json.loads(bus.channel), json.loads(bus.message))
            for bus in self._new_bus_notifs
            if json.loads(bus.message)["type"] == "simple_notification"
        ]
        self.assertEqual(len(notifications), 1)
        channel, message = notifications[0]
        self.assertEqual(channel[1:], ["res.partner", self.process_manager.partner_id.id])
        self.assertEqual(message["payload"]["title"], "Your evidence pack is ready")
        self.assertIn(f"{request.page_count} pages", message["payload"]["message"])

    # ------------------------------------------------------------------
    # A worker killed in a step: the database refuses the step's statement (a trigger),
    # through the scheduler's real path; no Python is patched.
    # ------------------------------------------------------------------
    def _kill_step(self, name, event, condition):
        """Until ``_revive(name)``, the step whose ``event`` (``INSERT`` or ``UPDATE``)
        on the parts matches the SQL ``condition`` fails in the database, as a worker
        killed there: its transaction is lost, what the steps before it committed is
        kept."""
        self.env.cr.execute(
            f"""
            CREATE FUNCTION cav_test_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'worker killed ({name})'; END $$;
            CREATE TRIGGER cav_test_{name} BEFORE {event} ON {PART_TABLE}
            FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION cav_test_{name}();
            """
        )

    def _revive(self, name):
        self.env.cr.execute(f"DROP TRIGGER cav_test_{name} ON {PART_TABLE}")

    def _count_prints(self):
        """From now on, each part's PDF committed is noted (its part's id) in
        cav_test_printed: a print rolled back with its step is not."""
        self.env.cr.execute(
            f"""
            CREATE TABLE cav_test_printed (part_id integer);
            CREATE FUNCTION cav_test_note_print() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO cav_test_printed VALUES (NEW.res_id); RETURN NEW; END $$;
            CREATE TRIGGER cav_test_note_print AFTER INSERT ON ir_attachment FOR EACH ROW
            WHEN (NEW.res_model = '{PART}' AND NEW.res_field = 'pdf')
            EXECUTE FUNCTION cav_test_note_print();
            """
        )

    def _printed(self):
        self.env.cr.execute("SELECT part_id FROM cav_test_printed")
        return [part_id for (part_id,) in self.env.cr.fetchall()]

    @mute_logger("odoo.addons.base.models.ir_cron", "odoo.sql_db")
    def test_killed_run_resumes_without_printing_a_part_twice(self):
        """A worker killed while laying out a part, then while printing one: each run goes
        on from the last step committed; no part is printed twice, and the pack holds
        each page once, the same document as the one printed at once."""
        request = self._ask(self.process_manager)
        self._count_prints()
        self._kill_step("layout", "INSERT", "NEW.sequence = 2")
        self._run_cron()
        # the first part laid out was committed, the second one was not (tried twice: the
        # scheduler runs a job that committed some progress once more at once)
        self.assertRecordValues(
            request, [{"state": "layout", "part_count": 1, "page_count": 1, "step_attempts": 2}]
        )
        self._revive("layout")
        self._kill_step("print", "UPDATE", "OLD.sequence = 2 AND NEW.pages IS NULL")
        self._run_cron()
        self.assertRecordValues(request, [{"state": "printing", "parts_printed": 1}])
        parts = request.part_ids.sorted("sequence")
        self.assertGreaterEqual(len(parts), 3)
        self.assertEqual(parts.mapped("sequence"), list(range(1, len(parts) + 1)))
        self.assertEqual(parts.mapped("first_page"), list(range(1, len(parts) + 1)))
        self.assertEqual(self._printed(), parts[:1].ids)
        self._revive("print")
        self._run_cron()
        self.assertRecordValues(request, [{"state": "done", "step_attempts": 0}])
        self.assertEqual(sorted(self._printed()), parts.ids, "each part printed once")
        pages = pdf_pages_text(request.attachment_id.raw)
        self.assertEqual(len(pages), request.page_count)
        self._assert_numbered(pages)  # each "Page x of y" once: no page twice, none lost
        at_once = printed_pages(self._print(self._wizard(self.process_manager)))
        self.assertEqual(printed_pages(pages), at_once)

    @mute_logger("odoo.addons.base.models.ir_cron", "odoo.sql_db")
    def test_a_step_that_keeps_failing_fails_the_pack(self):
        """A part that kills its worker every time (never a loop): after three attempts
        the pack fails, its parts are dropped, and who asked is told."""
        request = self._ask(self.manager_sales)
        self._count_prints()
        self._kill_step("print", "UPDATE", "NEW.pages IS NULL")
        with self.mock_mail_gateway():
            for _run in range(3):
                self._run_cron()
        self.assertRecordValues(request, [{"state": "failed", "part_ids": []}])
        self.assertIn("The same step failed 3 times", request.error)
        self.assertFalse(self._printed())
        self.assertMailMail(
            self.manager_sales.partner_id,
            "outgoing",
            content="The same step failed 3 times",
            fields_values={
                "subject": "Your evidence pack of 11/01/2026 – 11/30/2026 could not be made"
            },
        )

    def test_a_manager_who_no_longer_leads_the_team_gets_a_clear_error(self):
        """The rights are those of the moment the pack is made: a department manager who
        lost his department between asking and the run gets the dialog's error, in his
        language, and nothing is printed."""
        self.env["res.lang"]._activate_lang("es_MX")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["es_MX"])
        self.manager_sales.lang = "es_MX"
        request = self._ask(self.manager_sales)
        self.team_sales.user_id = self.manager_parts
        with self.mock_mail_gateway():
            self._run_cron()
        self.assertEqual(request.state, "failed")
        self.assertFalse(request.attachment_id)
        error = "Solo puede imprimir el expediente de evidencias de los departamentos que dirige"
        self.assertEqual(request.error, f"{error}, no: Ventas Camiones.")
        self.assertMailMail(
            self.manager_sales.partner_id,
            "outgoing",
            content=error,
            fields_values={
                "subject": "Su expediente de evidencias del 01/11/2026 – 30/11/2026 "
                "no pudo generarse"
            },
        )

    def test_who_sees_a_pack_request(self):
        """Who asked and the HR & process manager of the company read the request, its
        parts and its PDF; another department manager, the collaborators, the verifiers
        and another company's process manager do not; nobody changes it."""
        self.patch(type(self.Request), "_PART_PAGES", 100)
        request = self._ask(self.manager_sales, self.team_sales)
        request._run_step()  # laid out: its part exists
        self.assertEqual(request.state, "printing")
        process_manager_c2 = new_user(
            self.env, "rhp_c2", "Rosa Segunda", "process_manager", self.company_2
        )
        readers = self.manager_sales | self.process_manager
        others = self.manager_parts | self.advisor | self.verifier | process_manager_c2
        for user in readers:
            with self.subTest(user=user.login):
                self.assertEqual(self.Request.with_user(user).search([]), request)
                self.assertEqual(request.with_user(user).part_ids, request.part_ids)
        for user in others:
            with self.subTest(user=user.login), mute_logger("odoo.models"):
                with self.assertRaises(AccessError):
                    request.with_user(user).read(["state"])
                with self.assertRaises(AccessError):
                    request.part_ids.with_user(user).read(["page_count"])
                with self.assertRaises(AccessError):
                    self.env["ir.actions.report"].with_user(user).with_context(
                        force_report_rendering=True
                    )._render_qweb_pdf(
                        "crm_activity_verification.action_report_verification_evidence",
                        data={"evidence_part_id": request.part_ids.id},
                    )
        for user in readers:
            mine = request.with_user(user)
            with self.subTest(user=user.login), mute_logger("odoo.models"):
                with self.assertRaises(AccessError):
                    mine.write({"state": "done"})
                with self.assertRaises(AccessError):
                    mine.unlink()
                with self.assertRaises(AccessError):
                    mine.create({"user_id": user.id, "company_id": request.company_id.id})
        while request.state != "done":
            request._run_step()
        # an attacker's plain calls over XML-RPC and the web client's JSON-RPC: the rules
        # and rights hold there too
        pdf = request.attachment_id
        part = (
            self.env[PART].sudo().create({"request_id": request.id, "sequence": 9, "page_count": 1})
        )
        for user in others:
            with self.subTest(user=user.login, rpc="attacker"):
                if user.has_group(f"{MODULE}.group_manager"):  # the model, no record
                    self.assertEqual(self._rpc(user, REQUEST, "search_read", [], ["state"]), [])
                    self.assertEqual(self._rpc(user, PART, "search_count", []), 0)
                else:  # not even the model
                    self._rpc_refused(user, REQUEST, "search_read", [], ["state"])
                for model, method, args in (
                    (REQUEST, "read", [request.ids, ["state", "attachment_id"]]),
                    (REQUEST, "write", [request.ids, {"state": "failed"}]),
                    (REQUEST, "unlink", [request.ids]),
                    (REQUEST, "create", [{"user_id": user.id, "company_id": user.company_id.id}]),
                    (REQUEST, "action_download", [request.ids]),
                    (PART, "read", [part.ids, ["pages"]]),
                    (PART, "write", [part.ids, {"page_count": 2}]),
                    ("ir.attachment", "read", [pdf.ids, ["raw"]]),
                    ("ir.attachment", "write", [pdf.ids, {"raw": "JVBERi0="}]),
                ):
                    self._rpc_refused(user, model, method, *args)
                self._as(user)
                result, error = self._json_call(
                    "/web/dataset/call_kw",
                    REQUEST,
                    "web_read",
                    [request.ids],
                    {"specification": {"state": {}, "attachment_id": {}}},
                )
                self.assertFalse(result)
                self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        for user in readers:
            with self.subTest(user=user.login, rpc="reader"):
                self.assertEqual(
                    self._rpc(user, REQUEST, "read", request.ids, ["state"]),
                    [{"id": request.id, "state": "done"}],
                )
                for model, method, args in (
                    (REQUEST, "write", [request.ids, {"state": "failed"}]),
                    (REQUEST, "unlink", [request.ids]),
                    (PART, "write", [part.ids, {"page_count": 2}]),
                    ("ir.attachment", "write", [pdf.ids, {"raw": "JVBERi0="}]),
                    ("ir.attachment", "unlink", [pdf.ids]),
                ):
                    self._rpc_refused(user, model, method, *args)
        self.env.invalidate_all()
        self.assertRecordValues(request, [{"state": "done", "attachment_id": pdf.id}])
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        # the PDF, as the web client downloads it
        url = f"/web/content/{pdf.id}?download=true"
        for user in readers | others:
            with self.subTest(user=user.login):
                self._as(user)
                response = self.url_open(url)
                if user in readers:
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(response.content.startswith(b"%PDF"))
                else:
                    self.assertNotEqual(response.status_code, 200)
                    self.assertFalse(response.content.startswith(b"%PDF"))

    def test_a_second_click_adds_no_request(self):
        first = self._ask(self.process_manager)
        self.assertEqual(self._ask(self.process_manager), first)
        other = self._ask(self.process_manager, self.team_sales)
        self.assertNotEqual(other, first, "another choice of departments, another pack")
        self.assertEqual(self.Request.search_count([]), 2)
        self.assertEqual(first.team_ids, self.env["crm.team"], "all the departments")
        self.assertEqual(other.team_ids, self.team_sales)
        # asked for again once made, it is made again (the records may have changed)
        first.sudo().write({"state": "done"})
        self.assertNotEqual(self._ask(self.process_manager), first)
