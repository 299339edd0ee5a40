"""R-2.6 follow-up request and R-3.1 follow-up completion.

Calendar used by these tests (company working time, America/Tijuana):

    Fri 2026-03-06  request           Mon 03-09  working day 1
    Sat/Sun         not counted       Tue 03-10  working day 2 = default deadline
"""

from datetime import date, datetime

from lxml import etree

from odoo import tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tests import Form, freeze_time, tagged, users
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import VerificationCommon

# Friday 2026-03-06, 12:00 in Tijuana
FRIDAY_NOON = datetime(2026, 3, 6, 20, 0)


class FollowupCommon(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for company in cls.company_admin | cls.company_2:
            company.resource_calendar_id.tz = "America/Tijuana"
        cls.calendar = cls.company_admin.resource_calendar_id
        cls.followup_type = cls.env.ref("crm_activity_verification.mail_activity_type_followup")
        cls.escalated_type = cls.env.ref(
            "crm_activity_verification.mail_activity_type_followup_escalated"
        )

    def _confirmed_verification(self, user=None):
        """A verification whose customer was reached and confirmed the activity."""
        with freeze_time(FRIDAY_NOON):
            verification = self._verification_done(user=user)
            verification.with_user(self.verifier).action_log_call(
                "confirmed", notes="Confirma la visita"
            )
        return verification.with_env(self.env)

    def _request_followup(
        self, verification, notes="Enviar la cotización del ProStar", deadline=False
    ):
        with freeze_time(FRIDAY_NOON):
            verification.with_user(self.verifier).action_request_followup(notes, deadline=deadline)

    def _activities(self, record, activity_type):
        """Open activities of ``activity_type`` on ``record`` (read from the database)."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _assert_logged(self, record, text):
        """``text`` is in one of the chatter notes of ``record`` (audit trail)."""
        bodies = record.message_ids.filtered(lambda m: m.message_type == "notification").mapped(
            "body"
        )
        self.assertTrue(any(text in body for body in bodies), f"{text!r} not logged in {bodies}")

    def _mails_of(self, record):
        return self._new_mails.filtered(lambda m: m.model == record._name and m.res_id == record.id)

    def _assert_mail(self, mail, to, cc=(), subject=None):
        """``mail`` goes to the partners of users ``to``, with the users ``cc`` in copy."""
        self.assertEqual(len(mail), 1, "exactly one e-mail expected")
        self.assertEqual(mail.recipient_ids, to.partner_id)
        self.assertEqual(
            set(tools.email_normalize_all(mail.email_cc or "")),
            {user.email for user in cc},
        )
        if subject:
            self.assertIn(subject, mail.subject)


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestVerificationFollowup(FollowupCommon):
    # ------------------------------------------------------------------
    # request
    # ------------------------------------------------------------------
    def test_request_followup_activity_deadline_and_email(self):
        verification = self._confirmed_verification()
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self._request_followup(verification)
        # default deadline: 2 working days after Friday, weekend skipped
        self.assertRecordValues(
            verification,
            [
                {
                    "followup_state": "requested",
                    "followup_deadline": date(2026, 3, 10),
                    "followup_user_id": self.verifier.id,
                    "followup_note": "Enviar la cotización del ProStar",
                    "escalation_level": 0,
                }
            ],
        )
        activity = self._activities(verification, self.followup_type)
        self.assertRecordValues(
            activity, [{"user_id": self.advisor.id, "date_deadline": date(2026, 3, 10)}]
        )
        self.assertEqual(verification.followup_activity_id, activity)
        self.assertIn(
            activity, self.env["mail.activity"].search([("user_id", "=", self.advisor.id)])
        )
        # e-mail to the collaborator, copies to his manager and the process manager
        mail = self._mails_of(verification)
        self._assert_mail(
            mail, self.advisor, self.manager_sales | self.process_manager, "Follow-up requested"
        )
        self.assertMailMail(
            self.advisor.partner_id,
            "outgoing",
            content="Enviar la cotización del ProStar",
            fields_values={"model": "crm.activity.verification", "res_id": verification.id},
        )
        self.assertIn(
            f"/mail/view?model=crm.activity.verification&amp;res_id={verification.id}",
            mail.body_html,
        )
        # audit trail
        self._assert_logged(verification, "Follow-up requested from Arturo Asesor")

    def test_request_followup_explicit_deadline_over_rpc(self):
        verification = self._confirmed_verification()
        self._request_followup(verification, deadline="2026-03-20")
        self.assertEqual(verification.followup_deadline, date(2026, 3, 20))
        self.assertEqual(verification.followup_activity_id.date_deadline, date(2026, 3, 20))

    def test_request_followup_is_allowed_in_progress_and_not_confirmed(self):
        for outcome in ("call_back", "not_confirmed"):
            with freeze_time(FRIDAY_NOON):
                verification = self._verification_done()
                verification.with_user(self.verifier).action_log_call(outcome)
            self._request_followup(verification)
            self.assertEqual(verification.followup_state, "requested")

    def test_deadline_follows_company_calendar_holidays(self):
        # Monday 9 March is a public holiday of the company calendar
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Día festivo",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 9, 8, 0),
                "date_to": datetime(2026, 3, 10, 7, 59),
            }
        )
        verification = self._confirmed_verification()
        self._request_followup(verification)
        self.assertEqual(verification.followup_deadline, date(2026, 3, 11))

    def test_personal_time_off_keeps_the_cached_deadlines(self):
        """A person's time off does not move a deadline, so it keeps the cache: the
        next deadline costs no query; a public holiday clears it and moves it."""
        Verification = self.env["crm.activity.verification"]
        company, calendar = self.company_admin, self.calendar
        args = (company.id, calendar.id, date(2026, 3, 6), 1)
        self.assertEqual(Verification._get_sla_deadline(*args), date(2026, 3, 9))
        resource = self.env["resource.resource"].create(
            {"name": "Asesor", "calendar_id": calendar.id, "company_id": company.id}
        )
        leave_vals = {
            "calendar_id": calendar.id,
            "date_from": datetime(2026, 3, 9, 8, 0),
            "date_to": datetime(2026, 3, 10, 7, 59),
        }
        self.env["resource.calendar.leaves"].create(
            dict(leave_vals, name="Vacaciones", resource_id=resource.id)
        )
        self.env.flush_all()
        with self.assertQueryCount(0):
            self.assertEqual(Verification._get_sla_deadline(*args), date(2026, 3, 9))
        self.env["resource.calendar.leaves"].create(dict(leave_vals, name="Día festivo"))
        self.assertEqual(Verification._get_sla_deadline(*args), date(2026, 3, 10))

    def test_zero_delay_is_honoured_not_replaced_by_the_default(self):
        self.company_admin.verification_followup_days = 0
        verification = self._confirmed_verification()
        self._request_followup(verification)
        self.assertEqual(verification.followup_deadline, date(2026, 3, 6), "0: the same day")
        self.company_admin.verification_followup_days = 5
        self.assertEqual(
            self.company_admin._add_working_days(date(2026, 3, 6), 5),
            date(2026, 3, 13),
        )

    def test_followup_copies_are_not_shown_to_the_collaborator(self):
        """The managers' addresses in ``followup_cc`` are for the mail templates and the
        supervisors; the collaborator reading his own verification does not get them."""
        verification = self._confirmed_verification()
        self.assertIn(
            self.manager_sales.email, verification.with_user(self.verifier).followup_cc or ""
        )
        with self.assertRaises(AccessError):
            verification.with_user(self.advisor).read(["followup_cc", "escalation_cc"])
        self.assertNotIn("followup_cc", verification.with_user(self.advisor).fields_get())

    def test_company_without_calendar_counts_monday_to_friday(self):
        self.company_admin.resource_calendar_id = False
        self.assertEqual(
            self.company_admin._add_working_days(date(2026, 3, 6), 2),
            date(2026, 3, 10),
        )
        self.assertEqual(
            self.company_admin._subtract_working_days(date(2026, 3, 9), 2),
            date(2026, 3, 6),
        )

    def test_request_followup_bad_inputs_change_nothing(self):
        pending = self._verification_done()
        verification = self._confirmed_verification()
        bad_calls = [
            (pending, "Enviar la cotización", False),  # customer not reached yet
            (verification, "   ", False),  # nothing requested
            (verification, "Enviar la cotización", "2026-03-05"),  # past deadline
            (verification, "Enviar la cotización", "next tuesday"),  # not a date
        ]
        with self.mock_mail_gateway():
            for record, notes, deadline in bad_calls:
                with self.subTest(notes=notes, deadline=deadline), self.assertRaises(UserError):
                    self._request_followup(record, notes=notes, deadline=deadline)
        self.assertFalse(self._new_mails)
        for record in pending | verification:
            self.assertRecordValues(
                record, [{"followup_state": "none", "followup_deadline": False}]
            )
            self.assertFalse(record.activity_ids)
        # a second request while the first one is open is refused
        self._request_followup(verification)
        with self.assertRaises(UserError):
            self._request_followup(verification, notes="Otra cosa")
        self.assertEqual(len(verification.activity_ids), 1)

    @users("asesor", "gcom")
    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_request_followup_refused_to_collaborator_and_manager(self):
        verification = self._confirmed_verification().with_user(self.env.user)
        with self.assertRaises(AccessError):
            verification.action_request_followup("Llamar al cliente")
        self.assertEqual(verification.sudo().followup_state, "none")

    def test_request_followup_wizard(self):
        verification = self._confirmed_verification()
        with freeze_time(FRIDAY_NOON):
            action = verification.with_user(self.verifier).action_open_followup_dialog()
            wizard_form = Form(
                self.env[action["res_model"]]
                .with_user(self.verifier)
                .with_context(**action["context"])
            )
            self.assertEqual(wizard_form.deadline, date(2026, 3, 10))
            wizard_form.notes = "Reenviar la ficha técnica"
            wizard_form.save().action_request()
        self.assertEqual(verification.followup_state, "requested")
        self.assertEqual(verification.followup_note, "Reenviar la ficha técnica")

    def test_followup_email_in_collaborator_language(self):
        self.env["res.lang"]._activate_lang("es_MX")
        template = self.env.ref("crm_activity_verification.mail_template_followup_request")
        template.with_context(
            lang="es_MX"
        ).subject = "Seguimiento solicitado: {{ object.display_name }}"
        self.advisor.lang = "es_MX"
        verification = self._confirmed_verification()
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self._request_followup(verification)
        self.assertTrue(self._mails_of(verification).subject.startswith("Seguimiento solicitado"))
        self.advisor.lang = "en_US"
        verification_en = self._confirmed_verification(user=self.advisor)
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self._request_followup(verification_en)
        self.assertTrue(self._mails_of(verification_en).subject.startswith("Follow-up requested"))

    # ------------------------------------------------------------------
    # Bad data: no department manager
    # ------------------------------------------------------------------
    def test_team_without_leader_still_mails_and_reports_to_process_manager(self):
        self.team_sales.user_id = False
        verification = self._confirmed_verification()
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self._request_followup(verification)
        self.assertEqual(verification.followup_state, "requested", "the verifier is not blocked")
        mails = self._mails_of(verification)
        request = mails.filtered(lambda m: "Follow-up requested" in m.subject)
        self._assert_mail(request, self.advisor, self.process_manager)
        missing = mails - request
        self._assert_mail(
            missing, self.process_manager, subject="No department manager for Arturo Asesor"
        )
        self._assert_logged(verification, "has no department manager")

    def test_collaborator_without_team(self):
        with freeze_time(FRIDAY_NOON):
            verification = self._verification_done().with_env(self.env)
            # test set-up, through the internal path, before the conclusion seals it (B-4)
            verification._workflow().team_id = False
            verification.with_user(self.verifier).action_log_call("confirmed")
        (self.team_sales | self.team_parts).member_ids = [(3, self.advisor.id)]
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self._request_followup(verification)
        mails = self._mails_of(verification)
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, (self.advisor | self.process_manager).partner_id)

    # ------------------------------------------------------------------
    # the collaborator marks the follow-up done
    # ------------------------------------------------------------------
    def test_followup_done_by_collaborator_mails_verifier(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)
        activity = verification.followup_activity_id
        with (
            self.mock_mail_gateway(mail_unlink_sent=False),
            freeze_time(datetime(2026, 3, 9, 18, 0)),
        ):
            activity.with_user(self.advisor).action_feedback(
                feedback="Cotización enviada por correo"
            )
        self.assertRecordValues(
            verification,
            [
                {
                    "followup_state": "done",
                    "followup_done_on": datetime(2026, 3, 9, 18, 0),
                    "followup_feedback": "Cotización enviada por correo",
                    "state": "confirmed",
                }
            ],
        )
        self.assertFalse(activity.active)
        mail = self._mails_of(verification)
        self._assert_mail(
            mail, self.verifier, self.manager_sales | self.process_manager, "Follow-up done"
        )
        self.assertIn("Cotización enviada por correo", mail.body_html)
        self._assert_logged(verification, "Follow-up done by Arturo Asesor")

    def test_other_activity_done_does_not_close_followup(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)
        todo = verification.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.advisor.id
        )
        todo.with_user(self.advisor).action_feedback(feedback="Hecho")
        self.assertEqual(verification.followup_state, "requested")


@tagged("post_install", "-at_install", "crm_activity_verification")
class TestFollowupFromActivitiesMenu(FollowupCommon):
    """Collaborators find the follow-ups asked of them (issue 14)."""

    def _menu_filter_domain(self, user, filter_names):
        """The domain of the search view's filters that the top bar's Activities menu
        turns on (``search_default_<name>``), as ``user`` gets the view."""
        arch = (
            self.env["crm.activity.verification"]
            .with_user(user)
            .get_views([(False, "search")])["views"]["search"]["arch"]
        )
        search = etree.fromstring(arch)
        domains = []
        for name in filter_names:
            node = search.find(f".//filter[@name='{name}']")
            self.assertIsNotNone(node, f"the search view lacks the filter {name}")
            domains.append(safe_eval(node.get("domain"), {"uid": user.id}))
        return domains

    def test_activities_menu_opens_my_followups(self):
        mine = self._confirmed_verification()
        self._request_followup(mine)
        untouched = self._confirmed_verification()
        # what the Activities menu shows the advisor: the verification, in its group
        groups = self.env["res.users"].with_user(self.advisor)._get_activity_groups()
        group = next(g for g in groups if g["model"] == "crm.activity.verification")
        self.assertEqual(group["total_count"], 1)
        # clicking it opens the verifications list filtered on his own late and today's
        # activities: his follow-up, not every verification of his
        my, overdue, today = self._menu_filter_domain(
            self.advisor, ["filter_activities_my", "activities_overdue", "activities_today"]
        )
        Verification = self.env["crm.activity.verification"].with_user(self.advisor)
        self.assertEqual(Verification.search(my), mine)
        with freeze_time(datetime(2026, 3, 10, 20, 0)):  # the deadline, Tuesday
            late_or_today = Domain(my) & (Domain(overdue) | Domain(today))
            self.assertEqual(Verification.search(late_or_today), mine)
        self.assertNotIn(untouched, Verification.search(my))

    def test_followup_request_shows_first_on_the_form(self):
        verification = self._confirmed_verification()
        self._request_followup(verification)
        arch = etree.fromstring(
            self.env["crm.activity.verification"]
            .with_user(self.advisor)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        alert = arch.find(".//div[@name='followup_alert']")
        self.assertIsNotNone(alert, "the request is above the form, not on a second tab")
        self.assertFalse(alert.xpath("ancestor::notebook"))
        self.assertEqual(
            {field.get("name") for field in alert.iter("field")},
            {"followup_user_id", "followup_deadline", "followup_note"},
        )
        # list and cards show the activities, as the CRM pipeline does
        views = (
            self.env["crm.activity.verification"]
            .with_user(self.advisor)
            .get_views([(False, "list"), (False, "kanban")])["views"]
        )
        self.assertIn('widget="list_activity"', views["list"]["arch"])
        self.assertIn('widget="kanban_activity"', views["kanban"]["arch"])
