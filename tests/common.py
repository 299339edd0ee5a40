"""Shared fixture: a small truck dealership with one user per role of PAD-7.2-05.

company_admin  (YourTestCompany)                 company_2
├── team_sales   leader: manager_sales            └── verifier_c2, advisor_c2
│     └── advisor (sales_advisor), advisor_2
├── team_parts   leader: manager_parts
│     └── promoter (parts_promoter)
├── verifier       customer-service assistant
└── process_manager  HR & process manager (company setting)
"""

from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import urljoin

from odoo.fields import Command
from odoo.tests.common import release_test_lock

from odoo.addons.base.models import ir_actions_report
from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

MODULE = "crm_activity_verification"
# The groups of each kind of test user (new_user's ``role``).
ROLE_GROUPS = {
    "collaborator": f"base.group_user,{MODULE}.group_collaborator",
    "verifier": f"base.group_user,{MODULE}.group_verifier",
    "manager": f"base.group_user,{MODULE}.group_manager",
    "process_manager": f"base.group_user,{MODULE}.group_process_manager",
    "salesman": "base.group_user,sales_team.group_sale_salesman",
    "internal": "base.group_user",
    "portal": "base.group_portal",
}


def new_user(env, login, name=None, role="collaborator", company=None, **values):
    """The one factory of the tests' users: ``role`` is a key of ROLE_GROUPS; the user
    works at the dealership (its e-mail, Tijuana's time zone, notified by e-mail) in
    ``company`` (default: the environment's), alone unless ``company_ids`` says
    otherwise. Logins of 8 characters or more are their own password."""
    company = company or env.company
    return mail_new_test_user(
        env,
        login=login,
        name=name or login,
        groups=ROLE_GROUPS[role],
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
        **{
            "notification_type": "email",
            "email": f"{login}@dealer.example.com",
            "tz": "America/Tijuana",
            **values,
        },
    )


class VerificationCommon(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.company_admin

        cls.process_manager = new_user(env, "rhp", "Rocío Hernández (RHP)", "process_manager")
        cls.verifier = new_user(env, "aux", "Alma Ruiz (Atención a Clientes)", "verifier")
        cls.manager_sales = new_user(env, "gcom", "Gerardo Comercial", "manager")
        cls.manager_parts = new_user(env, "gref", "Graciela Refacciones", "manager")
        cls.advisor = new_user(env, "asesor", "Arturo Asesor", verification_role="sales_advisor")
        cls.advisor_2 = new_user(
            env, "asesor2", "Beatriz Asesora", verification_role="sales_advisor"
        )
        cls.promoter = new_user(
            env, "promotor", "Pablo Promotor", verification_role="parts_promoter"
        )

        cls.team_sales = env["crm.team"].create(
            {
                "name": "Ventas Camiones",
                "user_id": cls.manager_sales.id,
                "company_id": company.id,
                "member_ids": [Command.set((cls.advisor | cls.advisor_2).ids)],
            }
        )
        cls.team_parts = env["crm.team"].create(
            {
                "name": "Refacciones",
                "user_id": cls.manager_parts.id,
                "company_id": company.id,
                "member_ids": [Command.set(cls.promoter.ids)],
            }
        )
        company.write(
            {
                "verification_process_manager_id": cls.process_manager.id,
                "verification_max_attempts": 3,
            }
        )

        # second company: must stay invisible to the first one
        cls.company_2.verification_process_manager_id = False
        cls.verifier_c2 = new_user(env, "aux_c2", "Vera Segunda", "verifier", cls.company_2)
        cls.advisor_c2 = new_user(
            env,
            "asesor_c2",
            "Carlos Segundo",
            company=cls.company_2,
            verification_role="sales_advisor",
        )

        cls.customer = env["res.partner"].create(
            {
                "name": "Transportes del Valle de Mexicali",
                "is_company": True,
                "phone": "+52 686 555 0101",
                "email": "compras@tvm.example.com",
                "city": "Mexicali",
            }
        )
        cls.customer_no_phone = env["res.partner"].create(
            {"name": "Fletes Rosarito", "is_company": True, "city": "Rosarito"}
        )
        cls.lead = env["crm.lead"].create(
            {
                "name": "3 tractocamiones ProStar",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "contact_name": "Ing. Jesús Valenzuela",
                "user_id": cls.advisor.id,
                "team_id": cls.team_sales.id,
            }
        )
        cls.type_visit = env.ref(f"{MODULE}.mail_activity_type_promotion_visit")
        cls.type_call = env.ref(f"{MODULE}.mail_activity_type_prospecting_call")
        cls.type_todo = env.ref("mail.mail_activity_data_todo")
        cls.Verification = env["crm.activity.verification"]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @classmethod
    def _schedule(cls, record, user, activity_type=None, summary="Visita de promoción"):
        """Schedule an activity of a procedure type as ``user`` on ``record``."""
        return record.with_user(user).activity_schedule(
            activity_type_id=(activity_type or cls.type_visit).id,
            user_id=user.id,
            summary=summary,
        )

    @classmethod
    def _verification_done(
        cls, record=None, user=None, activity_type=None, feedback="Visita realizada"
    ):
        """Schedule and mark done an activity; return its verification."""
        record = record or cls.lead
        user = user or cls.advisor
        activity = cls._schedule(record, user, activity_type)
        activity.with_user(user).action_feedback(feedback=feedback)
        # end the "transaction" as the UI would, so that later changes are tracked
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        return activity.with_context(active_test=False).verification_id


def create_board_fixture(env, prefix="board"):
    """A verifier and one pending verification, for tests that cannot inherit
    ``VerificationCommon`` (``HttpCase`` tours). Logins are long enough to be
    their own password (``new_user``)."""
    company = env.company
    verifier = new_user(
        env, f"{prefix}_verifier", "Marisol Quintero (Atención a Clientes)", "verifier", company
    )
    advisor = new_user(
        env,
        f"{prefix}_advisor",
        "Octavio Lizárraga",
        company=company,
        verification_role="sales_advisor",
    )
    team = env["crm.team"].create(
        {"name": "Ventas Tour", "company_id": company.id, "member_ids": [Command.set(advisor.ids)]}
    )
    customer = env["res.partner"].create(
        {
            "name": "Autotransportes Cucapah",
            "is_company": True,
            "phone": "+52 686 555 0199",
            "city": "Mexicali",
        }
    )
    lead = env["crm.lead"].create(
        {
            "name": "2 tractocamiones LT",
            "type": "opportunity",
            "partner_id": customer.id,
            "contact_name": "Lic. Ramiro Ochoa",
            "user_id": advisor.id,
            "team_id": team.id,
        }
    )
    activity = lead.with_user(advisor).activity_schedule(
        f"{MODULE}.mail_activity_type_promotion_visit",
        user_id=advisor.id,
        summary="Visita de promoción",
    )
    activity.with_user(advisor).action_feedback(feedback="Presenté la línea LT")
    verification = activity.with_context(active_test=False).verification_id
    return {
        "verifier": verifier,
        "advisor": advisor,
        "team": team,
        "customer": customer,
        "lead": lead,
        "verification": verification,
    }


@contextmanager
def cron_prints_pdf():
    """Let wkhtmltopdf, run by a scheduled action on the test cursor of an ``HttpCase``
    (``cron.method_direct_trigger()``), load the report's CSS from the test server at
    once: the job's cursor holds the registry's test lock once more than the test, and
    ``HttpCase`` releases it once around wkhtmltopdf; this releases it once more (else
    each call waits for the server until wkhtmltopdf gives up, about 25 s)."""
    run_wkhtmltopdf = ir_actions_report._run_wkhtmltopdf

    def run_unlocked(args):
        with release_test_lock():
            return run_wkhtmltopdf(args)

    with patch.object(ir_actions_report, "_run_wkhtmltopdf", run_unlocked):
        yield


def seal_head(cr, company_id):
    """The last sealed number of the company (B-4), for committed-data tests."""
    cr.execute(
        "SELECT max(number) FROM crm_activity_verification_seal_head WHERE company_id = %s",
        [company_id],
    )
    row = cr.fetchone()
    return (row and row[0]) or 0


def remove_test_seals(cr, company_id, head_before):
    """Committed-data tests: remove the seals they made (after ``head_before``) and the
    chain head's rows they added, so that the chain stays whole for the next tests."""
    cr.execute(
        "DELETE FROM crm_activity_verification_seal "
        "WHERE company_id = %s AND secure_sequence_number > %s",
        [company_id, head_before],
    )
    cr.execute(
        "DELETE FROM crm_activity_verification_seal_head WHERE company_id = %s AND number > %s",
        [company_id, head_before],
    )


class WebClientMixin:
    """For ``HttpCase`` tests: log a user in and click buttons as the web client does
    (``/web/dataset/call_button``), reading the error a user would see."""

    def _as(self, user):
        """Log ``user`` in (test users' passwords: the login padded with x)."""
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _rpc(self, route, params):
        """``(result, error)`` of a JSON-RPC call; ``error`` is the ``data`` the web
        client shows (``name``, ``message``)."""
        response = self.opener.post(
            urljoin(self.base_url(), route),
            json={"id": 0, "jsonrpc": "2.0", "method": "call", "params": params},
            timeout=60,
        )
        response.raise_for_status()
        decoded = response.json()
        return decoded.get("result"), decoded.get("error", {}).get("data")

    def _call_button(self, records, method, args=(), context=None, **kwargs):
        return self._rpc(
            "/web/dataset/call_button",
            {
                "model": records._name,
                "method": method,
                "args": [records.ids, *args],
                "kwargs": {
                    **kwargs,
                    "context": {"lang": "en_US", "tz": "America/Tijuana", **(context or {})},
                },
            },
        )

    def _click_ok(self, records, method, *args, **kwargs):
        result, error = self._call_button(records, method, args, **kwargs)
        self.assertFalse(error, error and error.get("message"))
        return result

    def _click_error(self, records, method, *args, **kwargs):
        """The error the user is shown (asserted there is one)."""
        result, error = self._call_button(records, method, args, **kwargs)
        self.assertTrue(error, f"{method} was not refused: {result}")
        return error
