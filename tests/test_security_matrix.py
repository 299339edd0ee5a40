"""The access matrix of the procedure's records (issue 8), as tables a reviewer reads
against spec/contract.md ("Security groups" and "Models").

Each cell is what the role gets when it tries the column on the model's record:
  ok   allowed (and done)
  acc  refused with AccessError (no right on the model or on that record)
  usr  refused with UserError (the role may change the record, but not that way:
       workflow fields, signature of someone else, deletion)
Every refusal changes nothing. (A verifier of company 2 creating a call on a verification
of company 1 gets the workflow refusal, usr: calls are created only by action_log_call; she
may record a complaint of her own company about a customer shared by both, ok.)
"write" writes each workflow field of the model in turn
(VERIFICATION_WORKFLOW_FIELDS, all the call's fields, REPORT_WORKFLOW_FIELDS, the
complaint's state fields); each one must give the cell's outcome.

Records tried, all of company 1 unless said:
  verification  Arturo's (sales advisor, team Ventas) activity on the opportunity
  call          a call on one of Arturo's verifications
  report        Pablo's (parts promoter, team Refacciones) signed draft FRE-7.5-01;
                reset_to_draft on his submitted report of the week before
  complaint     a complaint on Arturo's verification, handled by the HR & process manager
Roles: the fixture of tests/common.py, plus a maintenance advisor (team Refacciones),
a plain salesman and an internal user without sales rights (no addon group), a portal
user, and the administrator (verifier and HR & process manager after install).
"""

from contextlib import closing
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from ..models.crm_activity_verification import VERIFICATION_WORKFLOW_FIELDS
from ..models.crm_activity_weekly_report import REPORT_WORKFLOW_FIELDS
from .common import VerificationCommon, new_user
from .test_weekly_report import make_signature

NOW = datetime(2026, 11, 27, 20, 0)  # Friday 12:00 in Tijuana
WEEK_START = date(2026, 11, 21)

# fmt: off
VERIFICATION = """
role            read write create unlink call phone followup anomaly resolve complaint
advisor         ok   acc   acc    acc    acc  acc   acc      acc     acc     acc
promoter        acc  acc   acc    acc    acc  acc   acc      acc     acc     acc
maintenance     acc  acc   acc    acc    acc  acc   acc      acc     acc     acc
verifier        ok   usr   acc    acc    ok   ok    ok       ok      acc     ok
manager_sales   ok   acc   acc    acc    acc  acc   acc      acc     acc     acc
process_manager ok   usr   acc    acc    acc  ok    ok       ok      ok      ok
salesman        acc  acc   acc    acc    acc  acc   acc      acc     acc     acc
portal          acc  acc   acc    acc    acc  acc   acc      acc     acc     acc
internal        acc  acc   acc    acc    acc  acc   acc      acc     acc     acc
verifier_c2     acc  acc   acc    acc    acc  acc   acc      acc     acc     acc
advisor_c2      acc  acc   acc    acc    acc  acc   acc      acc     acc     acc
admin           ok   usr   acc    acc    ok   ok    ok       ok      ok      ok
"""

CALL = """
role             read write create unlink
advisor          ok   acc   acc    acc
promoter         acc  acc   acc    acc
maintenance      acc  acc   acc    acc
verifier         ok   acc   usr    acc
manager_sales    ok   acc   acc    acc
process_manager  ok   acc   acc    acc
salesman         acc  acc   acc    acc
portal           acc  acc   acc    acc
internal         acc  acc   acc    acc
verifier_c2      acc  acc   usr    acc
advisor_c2       acc  acc   acc    acc
admin            ok   acc   usr    acc
"""

REPORT = """
role             read write sign create unlink submit reset_to_draft
advisor          acc  acc   acc  ok     acc    acc    usr
promoter         ok   usr   ok   ok     usr    ok     usr
maintenance      acc  acc   acc  ok     acc    acc    usr
verifier         ok   usr   usr  acc    acc    usr    ok
manager_sales    acc  acc   acc  acc    acc    acc    usr
process_manager  ok   usr   usr  acc    acc    usr    ok
salesman         acc  acc   acc  acc    acc    acc    usr
portal           acc  acc   acc  acc    acc    acc    usr
internal         acc  acc   acc  acc    acc    acc    usr
verifier_c2      acc  acc   acc  acc    acc    acc    acc
advisor_c2       acc  acc   acc  ok     acc    acc    usr
admin            ok   usr   usr  acc    acc    usr    ok
"""

COMPLAINT = """
role             read write create unlink start cancel
advisor          ok   acc   acc    acc    acc   acc
promoter         acc  acc   acc    acc    acc   acc
maintenance      acc  acc   acc    acc    acc   acc
verifier         ok   usr   ok     acc    ok    ok
manager_sales    ok   acc   acc    acc    acc   acc
process_manager  ok   usr   ok     usr    ok    ok
salesman         acc  acc   acc    acc    acc   acc
portal           acc  acc   acc    acc    acc   acc
internal         acc  acc   acc    acc    acc   acc
verifier_c2      acc  acc   ok     acc    acc   acc
advisor_c2       acc  acc   acc    acc    acc   acc
admin            ok   usr   ok     usr    ok    ok
"""
# fmt: on

# A value for each workflow field that differs from the record's own.
FIELD_VALUES = {
    "company_id": "company_2",
    "source": "report",
    "activity_id": False,
    "report_line_id": False,
    "user_id": "advisor_2",
    "team_id": "team_parts",
    "lead_id": False,
    "reported_activity_type_id": "type_todo",
    "activity_date": datetime(2020, 1, 1),
    "description": "Otra descripción",
    "done_by_id": "advisor_2",
    "link_withheld": True,
    "state": "confirmed",
    "call_ids": [Command.clear()],
    "result": "Confirmado",
    "verifier_id": "advisor_2",
    "verified_on": datetime(2020, 1, 1),
    "followup_state": "done",
    "followup_note": "Nota",
    "followup_deadline": date(2020, 1, 1),
    "followup_user_id": "advisor_2",
    "followup_activity_id": False,
    "followup_done_on": datetime(2020, 1, 1),
    "followup_feedback": "Hecho",
    "escalation_level": 2,
    "escalation_user_id": "advisor_2",
    "escalation_mail_level": 1,
    "anomaly": True,
    "anomaly_description": "Anomalía",
    "anomaly_reported_by_id": "advisor_2",
    "anomaly_resolution": "Resuelta",
    "anomaly_resolved_on": datetime(2020, 1, 1),
    "anomaly_resolved_by_id": "advisor_2",
    "complaint_ids": [Command.clear()],
    "sampling_level": "reduced",
    "sampling_rate": 1.0,
    "sampling_ticket": 99.0,
    "sla_deadline": date(2030, 1, 1),
    "callback_at": datetime(2030, 1, 1),
    "next_call_at": datetime(2030, 1, 1),
    "queue_user_id": "advisor_2",
    "queue_reserved_until": datetime(2030, 1, 1),
    "phone_received": True,
    "customer_answer": "confirmed",
    "customer_answered_on": datetime(2020, 1, 1),
    "confirmation_channel": "customer_link",
    "link_sent_on": datetime(2020, 1, 1),
    "csat": 5,
    "is_rated": 1,
    # calls
    "verification_id": "v_other",
    "date": datetime(2020, 1, 1),
    "outcome": "confirmed",
    "notes": "Otra nota",
    # reports
    "name": "FRE/2020/0001",
    "submitted_on": datetime(2020, 1, 1),
    "reminded_on": datetime(2020, 1, 1),
    "manager_notified_on": datetime(2020, 1, 1),
    # complaints
    "resolved_on": datetime(2020, 1, 1),
}


def parse_table(table):
    """{role: {column: outcome}} of one of the tables above."""
    header, *rows = (line.split() for line in table.strip().splitlines())
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows}


@tagged("post_install", "-at_install", "crm_activity_verification")
@freeze_time(NOW)
class TestSecurityMatrix(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.maintenance = new_user(
            cls.env, "mantenimiento", "Mario Mantenimiento", verification_role="maintenance_advisor"
        )
        cls.team_parts.member_ids = [Command.link(cls.maintenance.id)]
        cls.salesman = new_user(cls.env, "vendedor", role="salesman")
        cls.internal = new_user(cls.env, "interno", role="internal")
        cls.portal = new_user(cls.env, "portal_cliente", role="portal")
        cls.admin = cls.env.ref("base.user_admin")
        cls.users = {
            "advisor": cls.advisor,
            "promoter": cls.promoter,
            "maintenance": cls.maintenance,
            "verifier": cls.verifier,
            "manager_sales": cls.manager_sales,
            "process_manager": cls.process_manager,
            "salesman": cls.salesman,
            "portal": cls.portal,
            "internal": cls.internal,
            "verifier_c2": cls.verifier_c2,
            "advisor_c2": cls.advisor_c2,
            "admin": cls.admin,
        }
        # verifications of Arturo: pending, reached (for follow-ups), with an anomaly
        cls.v_sales = cls._verification_done(cls.lead, cls.advisor).sudo()
        cls.v_reached = cls._verification_done(cls.lead, cls.advisor).sudo()
        cls.v_reached.with_user(cls.verifier).action_log_call("call_back", "Llamar el lunes")
        cls.v_anomaly = cls._verification_done(cls.lead, cls.advisor).sudo()
        cls.v_anomaly.with_user(cls.verifier).action_report_anomaly("El cliente no existe")
        cls.v_other = cls._verification_done(cls.customer, cls.advisor_2).sudo()
        cls.call = cls.v_reached.call_ids
        cls.complaint = cls.env["crm.activity.complaint"].browse(
            cls.v_sales.with_user(cls.verifier).action_report_complaint("Entrega tardía")
        )
        # Pablo's reports: this week's signed draft, last week's submitted
        line = {
            "date": datetime(2026, 11, 24, 18, 0),
            "partner_id": cls.customer.id,
            "activity_type_id": cls.type_visit.id,
            "description": "Visita de refacciones",
        }
        signature = make_signature()
        Report = cls.env["crm.activity.weekly.report"].with_user(cls.promoter)
        cls.report = Report.create(
            {
                "date_start": WEEK_START,
                "signed_by": cls.promoter.name,
                "signature": signature,
                "signed_on": date(2026, 11, 27),
                "line_ids": [Command.create(line)],
            }
        ).sudo()
        cls.report_submitted = Report.create(
            {
                "date_start": date(2026, 11, 14),
                "signed_by": cls.promoter.name,
                "signature": signature,
                "signed_on": date(2026, 11, 20),
                "line_ids": [Command.create({**line, "date": datetime(2026, 11, 17, 18, 0)})],
            }
        )
        cls.report_submitted.action_submit()
        cls.report_submitted = cls.report_submitted.sudo()

    # ------------------------------------------------------------------
    # the engine: one case = one role trying one thing, rolled back afterwards
    # ------------------------------------------------------------------
    def _value(self, fname):
        value = FIELD_VALUES[fname]
        if value == "company_2":
            return self.company_2.id
        if value in ("advisor_2", "v_other", "team_parts", "type_todo"):
            return getattr(self, value).id
        return value

    def _try(self, func):
        """'ok', 'acc' or 'usr': what ``func()`` gives (or returns, for an operation
        that tries several things); always rolled back."""
        with closing(self.env.cr.savepoint()):
            try:
                result = func()
                self.env.flush_all()
                if isinstance(result, str):
                    return result
            except AccessError:
                return "acc"
            except UserError:
                return "usr"
            return "ok"

    def _check(self, table, operations):
        """Compare each cell of ``table`` with what ``operations[column](user)`` gives."""
        for role, expected in parse_table(table).items():
            user = self.users[role]
            for column, cell in expected.items():
                with self.subTest(role=role, operation=column):
                    self.assertEqual(
                        self._try(lambda op=operations[column], user=user: op(user)), cell
                    )

    def _write_each(self, record, fnames):
        """One operation writing each field of ``fnames`` on ``record`` in turn: its
        outcome if all agree, else the list of (field, outcome) that differ."""

        def operation(user):
            outcomes = {
                fname: self._try(
                    lambda fname=fname: record.with_user(user).write({fname: self._value(fname)})
                )
                for fname in fnames
            }
            distinct = set(outcomes.values())
            if len(distinct) != 1:
                raise AssertionError(f"fields disagree: {outcomes}")
            return distinct.pop()

        return operation

    @staticmethod
    def _read(record):
        def operation(user):
            record.with_user(user).read(["display_name"])

        return operation

    @staticmethod
    def _unlink(record):
        def operation(user):
            record.with_user(user).unlink()

        return operation

    # ------------------------------------------------------------------
    # the four tables
    # ------------------------------------------------------------------
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_verification_matrix(self):
        Verification = self.env["crm.activity.verification"]
        self._check(
            VERIFICATION,
            {
                "read": self._read(self.v_sales),
                "write": self._write_each(self.v_sales, VERIFICATION_WORKFLOW_FIELDS),
                "create": lambda user: Verification.with_user(user).create(
                    {"activity_date": NOW, "user_id": self.advisor.id, "source": "crm"}
                ),
                "unlink": self._unlink(self.v_sales),
                "call": lambda user: self.v_sales.with_user(user).action_log_call(
                    "confirmed", "Confirma la visita"
                ),
                "phone": lambda user: self.v_sales.with_user(user).action_request_phone(
                    "¿Teléfono del encargado?"
                ),
                "followup": lambda user: self.v_reached.with_user(user).action_request_followup(
                    "Enviar cotización"
                ),
                "anomaly": lambda user: self.v_sales.with_user(user).action_report_anomaly(
                    "No reconoce al asesor"
                ),
                "resolve": lambda user: self.v_anomaly.with_user(user).action_resolve_anomaly(
                    "Se habló con el asesor"
                ),
                "complaint": lambda user: self.v_sales.with_user(user).action_report_complaint(
                    "Trato descortés"
                ),
            },
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_call_matrix(self):
        Call = self.env["crm.activity.verification.call"]
        self._check(
            CALL,
            {
                "read": self._read(self.call),
                "write": self._write_each(
                    self.call, ("verification_id", "date", "outcome", "notes")
                ),
                "create": lambda user: Call.with_user(user).create(
                    {
                        "verification_id": self.v_sales.id,
                        "date": "2020-01-01 10:00:00",
                        "outcome": "confirmed",
                        "verifier_id": self.advisor_2.id,
                    }
                ),
                "unlink": self._unlink(self.call),
            },
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_report_matrix(self):
        Report = self.env["crm.activity.weekly.report"]
        self._check(
            REPORT,
            {
                "read": self._read(self.report),
                "write": self._write_each(self.report, REPORT_WORKFLOW_FIELDS),
                "sign": lambda user: self.report.with_user(user).write(
                    {"signed_by": user.name, "signed_on": date(2026, 11, 27)}
                ),
                "create": lambda user: Report.with_user(user).create(
                    {"date_start": date(2026, 11, 7), "company_id": user.company_id.id}
                ),
                "unlink": self._unlink(self.report),
                "submit": lambda user: self.report.with_user(user).action_submit(),
                "reset_to_draft": lambda user: self.report_submitted.with_user(
                    user
                ).action_reset_to_draft(),
            },
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_complaint_matrix(self):
        Complaint = self.env["crm.activity.complaint"]
        self._check(
            COMPLAINT,
            {
                "read": self._read(self.complaint),
                "write": self._write_each(self.complaint, ("name", "state", "resolved_on")),
                "create": lambda user: Complaint.with_user(user).create(
                    {"partner_id": self.customer.id, "description": "Queja en mostrador"}
                ),
                "unlink": self._unlink(self.complaint),
                "start": lambda user: self.complaint.with_user(user).action_start(),
                "cancel": lambda user: self.complaint.with_user(user).action_cancel(),
            },
        )
